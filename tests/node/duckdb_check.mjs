// Reads a spotgen dataset with DuckDB (an independent CSV reader and SQL
// engine), typed by the manifest's schema rather than by inference, and
// checks it against the manifest and against `spotgen verify --json`:
// row count, types, one set of attributes per track id, means, standard deviations, the whole
// correlation matrix, per-category means, and that every artist, playlist
// and album is the same on every row that refers to it.
//
// usage: node duckdb_check.mjs DIR VERIFY.json
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [dir, verifyPath] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(`${dir}/_manifest.json`, 'utf8'));
const verified = JSON.parse(readFileSync(verifyPath, 'utf8')).stats;
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };

// The manifest's Spark schema, as DuckDB column types.
const SPARK_TO_DUCKDB = { string: 'VARCHAR', date: 'DATE', long: 'BIGINT', integer: 'INTEGER', double: 'DOUBLE' };
const fields = manifest.schema.spark.fields;
const columns = fields.map((f) => `'${f.name}': '${SPARK_TO_DUCKDB[f.type]}'`).join(', ');

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`CREATE VIEW t AS SELECT * FROM read_csv('${dir}/part-*.csv', header = true,
  auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${columns}})`);

const types = (await (await con.run('DESCRIBE t')).getRowObjects()).map((r) => [r.column_name, r.column_type]);
if (types.length !== 24) fail(`DuckDB sees ${types.length} columns`);
types.forEach(([name, type], i) => {
  if (name !== fields[i].name || type !== SPARK_TO_DUCKDB[fields[i].type])
    fail(`column ${i}: DuckDB ${name} ${type}, manifest ${fields[i].name} ${fields[i].type}`);
});

const one = async (sql) => Object.values((await (await con.run(sql)).getRowObjects())[0]).map(Number);
const [rows, distinct] = await one('SELECT count(*), count(DISTINCT track_id) FROM t');
if (rows !== manifest.dataset.rows) fail(`DuckDB reads ${rows} rows, manifest says ${manifest.dataset.rows}`);
if (manifest.stats.tracks && distinct !== manifest.stats.tracks.with_rows)
  fail(`DuckDB sees ${distinct} distinct track_id, manifest says ${manifest.stats.tracks.with_rows} tracks with rows`);
if (!(distinct < rows)) fail('no track recurs across playlists');

const TOL = 1e-6;
const close = (a, b) => Math.abs(a - b) <= TOL * Math.max(1, Math.abs(b));
const numeric = verified.correlation.columns;
for (const c of numeric) {
  const v = verified.columns[c];
  const [mean, sd, lo, hi] = await one(`SELECT avg(${c}), stddev_samp(${c}), min(${c}), max(${c}) FROM t`);
  if (!close(mean, v.mean)) fail(`${c}: DuckDB mean ${mean}, verify ${v.mean}`);
  if (!close(sd, v.std)) fail(`${c}: DuckDB std ${sd}, verify ${v.std}`);
  if (lo !== v.min || hi !== v.max) fail(`${c}: DuckDB min/max ${lo}/${hi}, verify ${v.min}/${v.max}`);
  if (!close(mean, manifest.stats.columns[c].mean)) fail(`${c}: DuckDB mean ${mean}, manifest ${manifest.stats.columns[c].mean}`);
}
const pairs = numeric.flatMap((a, i) => numeric.slice(i + 1).map((b) => [a, b]));
const rs = await one(`SELECT ${pairs.map(([a, b]) => `corr(${a}, ${b})`).join(', ')} FROM t`);
pairs.forEach(([a, b], k) => {
  const want = verified.correlation.matrix[numeric.indexOf(a)][numeric.indexOf(b)];
  if (!close(rs[k], want)) fail(`corr(${a}, ${b}): DuckDB ${rs[k]}, verify ${want}`);
});
const means = numeric.map((c) => `avg(${c}) AS "${c}"`).join(', ');
const cats = await (await con.run(`SELECT playlist_category AS c, count(*) AS n, ${means} FROM t GROUP BY 1`)).getRowObjects();
if (cats.length !== 5) fail(`${cats.length} categories`);
for (const row of cats) {
  const v = verified.categories[row.c];
  if (Number(row.n) !== v.rows) fail(`category ${row.c}: DuckDB ${row.n} rows, verify ${v.rows}`);
  for (const c of numeric)
    if (!close(Number(row[c]), v.means[c])) fail(`${row.c} mean ${c}: DuckDB ${row[c]}, verify ${v.means[c]}`);
}

// Correlations inside each category's playlists, and the zero counts, as
// the manifest and verify state them.
const features = verified.categories[cats[0].c].correlation.columns;
const fpairs = features.flatMap((a, i) => features.slice(i + 1).map((b) => [a, b]));
const within = await (await con.run(`SELECT playlist_category AS c, ${fpairs.map(([a, b], k) =>
  `corr(${a}, ${b}) AS r${k}`).join(', ')} FROM t GROUP BY 1`)).getRowObjects();
for (const row of within)
  fpairs.forEach(([a, b], k) => {
    const want = verified.categories[row.c].correlation.matrix[features.indexOf(a)][features.indexOf(b)];
    const have = manifest.stats.categories[row.c].correlation.matrix[features.indexOf(a)][features.indexOf(b)];
    if (!close(Number(row[`r${k}`]), want) || !close(Number(row[`r${k}`]), have))
      fail(`within ${row.c}: corr(${a}, ${b}): DuckDB ${row[`r${k}`]}, verify ${want}, manifest ${have}`);
  });
for (const c of numeric) {
  const [zeros] = await one(`SELECT count(*) FILTER (WHERE ${c} = 0) FROM t`);
  if (zeros !== verified.columns[c].zeros || zeros !== manifest.stats.columns[c].zeros)
    fail(`${c}: DuckDB counts ${zeros} zeros, verify ${verified.columns[c].zeros}, manifest ${manifest.stats.columns[c].zeros}`);
}
// The fine structure of Spotify's features, measured by DuckDB alone.
const [zeroShare, speechMin, liveMin, loudSkew, loudP01, speechP10] = await one(`SELECT
  avg((instrumentalness = 0)::int), min(speechiness), min(liveness), skewness(loudness),
  quantile_cont(loudness, 0.01), quantile_cont(speechiness, 0.1) FROM t`);
if (!(zeroShare > 0.33 && zeroShare < 0.5)) fail(`instrumentalness is 0 on ${zeroShare} of rows`);
if (!(speechMin >= 0.022 && speechP10 > 0.025)) fail(`speechiness: least ${speechMin}, 10th percentile ${speechP10}`);
if (!(liveMin >= 0.025)) fail(`liveness: least ${liveMin}`);
if (!(loudSkew < -1 && loudP01 < -18)) fail(`loudness: skewness ${loudSkew}, 1st percentile ${loudP01}: no quiet tail`);
const [peak, side] = await one(`SELECT count(*) FILTER (WHERE tempo >= 120 AND tempo < 128),
  count(*) FILTER (WHERE tempo >= 112 AND tempo < 120 OR tempo >= 128 AND tempo < 136) / 2 FROM t
  WHERE playlist_category = 'party'`);
if (!(peak > 2 * side)) fail(`party tempo: ${peak} rows at 120..128 BPM, ${side} on average either side`);

// Entities: the same attributes on every row that refers to them. A track
// is every column but the playlist's.
const trackCols = fields.map((f) => f.name)
  .filter((n) => !['track_id', 'playlist_id', 'playlist_name', 'playlist_category', 'num_followers'].includes(n));
const [tracks] = await one(`SELECT count(*) FROM (SELECT track_id FROM t GROUP BY 1
  HAVING count(DISTINCT (${trackCols.join(', ')})) > 1)`);
if (tracks) fail(`${tracks} track_id with several sets of attributes`);
const [twice] = await one('SELECT count(*) FROM (SELECT 1 FROM t GROUP BY playlist_id, track_id HAVING count(*) > 1)');
if (twice) fail(`${twice} tracks placed twice in one playlist`);
// Spearman r of a track's popularity and its rows, as the manifest states it.
const [rho] = await one(`SELECT corr(rank_rows, rank_pop) FROM (SELECT
  avg(r) OVER (PARTITION BY n) AS rank_rows, avg(r2) OVER (PARTITION BY p) AS rank_pop FROM (SELECT n, p,
  row_number() OVER (ORDER BY n) AS r, row_number() OVER (ORDER BY p) AS r2 FROM
  (SELECT track_id, count(*) AS n, any_value(popularity_score) AS p FROM t GROUP BY 1)))`);
if (manifest.stats.tracks && !close(rho, manifest.stats.tracks.spearman_popularity_rows))
  fail(`Spearman r(popularity, rows): DuckDB ${rho}, manifest ${manifest.stats.tracks.spearman_popularity_rows}`);
if (!(rho > 0.2)) fail(`Spearman r(popularity, rows) ${rho}: popular tracks are not placed more`);
const [artists] = await one(`SELECT count(*) FROM (SELECT artist_id FROM t GROUP BY 1
  HAVING count(DISTINCT artist_name) > 1)`);
if (artists) fail(`${artists} artist_id with several names`);
const [playlists] = await one(`SELECT count(*) FROM (SELECT playlist_id FROM t GROUP BY 1
  HAVING count(DISTINCT playlist_category) > 1 OR count(DISTINCT num_followers) > 1
      OR count(DISTINCT playlist_name) > 1)`);
if (playlists) fail(`${playlists} playlist_id with several categories, follower counts or names`);
// The 24 columns carry no album id: an album is its artist and its name
// (names are unique within an artist, as albums are on Spotify).
const [albums, albumCount] = await one(`SELECT count(*) FILTER (WHERE dates > 1), count(*) FROM
  (SELECT artist_id, album_name, count(DISTINCT release_date) AS dates FROM t GROUP BY 1, 2)`);
if (albums) fail(`${albums} albums with several release dates`);
const [[minDate, maxDate]] = [await one(`SELECT epoch(min(release_date)), epoch(max(release_date)) FROM t`)];
if (minDate < Date.UTC(2010, 0, 1) / 1000 || maxDate > Date.UTC(2023, 11, 31) / 1000) fail('release_date outside 2010..2023');
console.log(`ok - DuckDB reads ${rows} rows typed by the manifest's schema; means, std, min, max, all ` +
  `${pairs.length} correlations, per-category means, the ${fpairs.length} correlations inside each category ` +
  `and the zero counts agree with verify and the manifest to ${TOL}; instrumentalness 0 on ` +
  `${(100 * zeroShare).toFixed(0)}% of rows, speechiness from ${speechMin}, loudness skewness ${loudSkew.toFixed(2)}, ` +
  `party's tempo peak ${(peak / side).toFixed(1)}x; one name per artist, ` +
  `one category, name and follower count per playlist, one date for each of ${albumCount} albums, one set of ` +
  `attributes for each of ${distinct} tracks (placed ${(rows / distinct).toFixed(1)} times on average, ` +
  `never twice in one playlist), Spearman r(popularity, rows) ${rho.toFixed(4)} as the manifest states`);
