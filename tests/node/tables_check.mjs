// Reads a --tables dataset with DuckDB (an independent reader and SQL
// engine), each table typed by the manifest's `tables` section, and checks
// its relational promises against the flat dataset of the same seed and rows:
// every table has one row per key, every foreign key resolves, and the join
// playlist_tracks x playlists x tracks x artists x albums, projected to the
// 24 columns with each row's position in its playlist, equals the flat
// dataset with the position of each row in its playlist (as multisets, and
// so row for row: (playlist_id, position) is a key).
//
// usage: node tables_check.mjs TABLES_DIR FLAT_DIR csv|parquet
import { connect, fail, manifestOf, readSql } from './dataset_read.mjs';

const [dir, flatDir, format] = process.argv.slice(2);
const manifest = manifestOf(dir);
const flat = manifestOf(flatDir);

const con = await connect();
const one = async (sql) => Object.values((await (await con.run(sql)).getRowObjects())[0]).map(Number);
const read = (path, fields) => readSql(path, format, fields);

const tables = manifest.tables;
const names = ['artists', 'albums', 'tracks', 'playlists', 'playlist_tracks'];
if (JSON.stringify(Object.keys(tables)) !== JSON.stringify(names)) fail(`tables ${Object.keys(tables)}`);
for (const name of names) {
  const t = tables[name];
  await con.run(`CREATE TABLE ${name} AS SELECT * FROM ${read(`${dir}/${name}/part-*.${format}`, t.columns)}`);
  const cols = (await (await con.run(`DESCRIBE ${name}`)).getRowObjects()).map((r) => r.column_name);
  if (JSON.stringify(cols) !== JSON.stringify(t.columns.map((c) => c.name))) fail(`${name}: columns ${cols}`);
  const [rows, keys] = await one(`SELECT count(*), count(DISTINCT (${t.key.join(', ')})) FROM ${name}`);
  if (rows !== t.rows) fail(`${name}: DuckDB reads ${rows} rows, the manifest says ${t.rows}`);
  if (keys !== rows) fail(`${name}: ${rows - keys} rows repeat a key (${t.key})`);
  for (const fk of t.foreign_keys) {
    const key = tables[fk.references].key[0];
    const [dangling] = await one(`SELECT count(*) FROM ${name} a ANTI JOIN ${fk.references} b
      ON a.${fk.column} = b.${key}`);
    if (dangling) fail(`${name}.${fk.column}: ${dangling} rows have no row in ${fk.references}`);
  }
}
const [ptRows] = await one('SELECT count(*) FROM playlist_tracks');
if (ptRows !== manifest.dataset.rows) fail(`playlist_tracks ${ptRows} rows, dataset ${manifest.dataset.rows}`);

// The flat dataset, each row with its position in its playlist (file order).
await con.run('SET threads = 1'); // row_number() over the scan follows the files' order
const flatFields = flat.schema.spark.fields;
await con.run(`CREATE TABLE flat AS SELECT *,
  row_number() OVER (PARTITION BY playlist_id ORDER BY n) - 1 AS position FROM
  (SELECT *, row_number() OVER () AS n FROM ${read(`${flatDir}/part-*.${format}`, flatFields)})`);
const cols24 = flatFields.map((f) => f.name);
const pick = cols24.map((c) => (c === 'artist_id' ? 'tr.artist_id' : c)).join(', ');
await con.run(`CREATE TABLE joined AS SELECT ${pick}, pt.position FROM playlist_tracks pt
  JOIN playlists USING (playlist_id) JOIN tracks tr USING (track_id)
  JOIN artists ar ON tr.artist_id = ar.artist_id JOIN albums al ON tr.album_id = al.album_id`);
const [joined] = await one('SELECT count(*) FROM joined');
if (joined !== flat.dataset.rows) fail(`the join has ${joined} rows, the flat dataset ${flat.dataset.rows}`);
const both = `${cols24.join(', ')}, position`;
const [onlyFlat] = await one(`SELECT count(*) FROM (SELECT ${both} FROM flat EXCEPT ALL SELECT ${both} FROM joined)`);
const [onlyJoin] = await one(`SELECT count(*) FROM (SELECT ${both} FROM joined EXCEPT ALL SELECT ${both} FROM flat)`);
if (onlyFlat || onlyJoin) fail(`${onlyFlat} flat rows are not in the join, ${onlyJoin} joined rows not in the flat dataset`);
// The artists' attributes: a genre of the kind of music their tracks are
// placed for, a heavy-tailed following, and a popularity that explains a
// track's far better than its sound does.
const GENRES = {
  workout: ['edm', 'hip hop', 'rock', 'trap', 'metal'], sleep: ['ambient', 'classical', 'new age', 'piano', 'sleep'],
  party: ['dance pop', 'edm', 'house', 'reggaeton', 'pop'], chill: ['indie', 'acoustic', 'r&b', 'soul', 'lo-fi'],
  focus: ['lo-fi', 'classical', 'piano', 'ambient', 'jazz'],
};
await con.run(`CREATE TABLE genre_of AS SELECT * FROM (VALUES ${Object.entries(GENRES).flatMap(([c, gs]) =>
  gs.map((g) => `('${c}', '${g}')`)).join(', ')}) v(category, genre)`);
const [fitting, placed, badPop, spread] = await one(`SELECT
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM genre_of g WHERE g.category = p.playlist_category
    AND g.genre = ar.artist_genre)), count(*),
  (SELECT count(*) FROM artists WHERE artist_popularity NOT BETWEEN 0 AND 100 OR artist_followers < 0),
  (SELECT max(artist_followers) / median(artist_followers) FROM artists)
  FROM playlist_tracks pt JOIN playlists p USING (playlist_id) JOIN tracks tr USING (track_id)
  JOIN artists ar ON tr.artist_id = ar.artist_id`);
if (!(fitting / placed > 0.88)) fail(`only ${fitting} of ${placed} placements are in a playlist of the artist's genre`);
if (badPop) fail(`${badPop} artists with a popularity outside 0..100 or negative followers`);
if (!(spread > 1000)) fail(`the most followed artist has ${spread} times the median artist's followers`);
const xs = (await (await con.run(`SELECT tr.popularity_score, danceability, energy, loudness, speechiness,
  acousticness, instrumentalness, liveness, valence, tempo, ar.artist_popularity, ln(1 + ar.artist_followers)
  FROM tracks tr JOIN artists ar ON tr.artist_id = ar.artist_id
  WHERE tr.track_id IN (SELECT track_id FROM playlist_tracks)`)).getRows()).map((r) => r.map(Number));
// R^2 of least squares of column 0 on the given columns, by the normal equations
function r2(cols) {
  const k = cols.length + 1, A = Array.from({ length: k }, () => new Float64Array(k + 1));
  let sy = 0, syy = 0;
  for (const r of xs) {
    const x = [1, ...cols.map((j) => r[j])];
    for (let i = 0; i < k; i++) { A[i][k] += x[i] * r[0]; for (let j = 0; j < k; j++) A[i][j] += x[i] * x[j]; }
    sy += r[0]; syy += r[0] * r[0];
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      const f = A[j][i] / A[i][i];
      for (let l = i; l <= k; l++) A[j][l] -= f * A[i][l];
    }
  }
  let sse = 0;
  for (const r of xs) {
    const x = [1, ...cols.map((j) => r[j])];
    const e = r[0] - x.reduce((s, v, i) => s + v * A[i][k] / A[i][i], 0);
    sse += e * e;
  }
  return 1 - sse / (syy - sy * sy / xs.length);
}
const audio = [1, 2, 3, 4, 5, 6, 7, 8, 9], withArtist = r2([...audio, 10, 11]), soundOnly = r2(audio);
if (!(withArtist > 3 * soundOnly)) fail(`popularity: R^2 ${soundOnly} from the audio features, ${withArtist} with the artist`);
console.log(`ok - DuckDB reads the five ${format} tables (${names.map((n) => `${n} ${tables[n].rows}`).join(', ')}): ` +
  `one row per key, every foreign key resolves, and the join of ${joined} rows, with positions, equals the flat dataset; ` +
  `${(100 * fitting / placed).toFixed(1)}% of placements are in a playlist of the artist's genre, the most followed artist ` +
  `has ${Math.round(spread)}x the median's followers, and over ${xs.length} placed tracks popularity's R^2 is ` +
  `${soundOnly.toFixed(3)} from the nine audio features, ${withArtist.toFixed(3)} with the artist's popularity and followers`);
