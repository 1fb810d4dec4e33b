// Reads a spotgen dataset with DuckDB (an independent CSV reader and SQL
// engine) and checks it against the manifest: row count, inferred column
// types, unique track ids, and the statistics recomputed in SQL.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const dir = process.argv[2];
const manifest = JSON.parse(readFileSync(`${dir}/_manifest.json`, 'utf8'));
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`CREATE VIEW t AS SELECT * FROM read_csv('${dir}/part-*.csv', header = true)`);

const types = Object.fromEntries(
  (await (await con.run('DESCRIBE t')).getRowObjects()).map((r) => [r.column_name, r.column_type]));
const expected = {
  track_id: 'VARCHAR', track_name: 'VARCHAR', artist_name: 'VARCHAR', album_name: 'VARCHAR',
  release_date: 'DATE', playlist_name: 'VARCHAR', playlist_category: 'VARCHAR', num_followers: 'BIGINT',
  popularity_score: 'BIGINT', energy: 'DOUBLE', loudness: 'DOUBLE', danceability: 'DOUBLE', valence: 'DOUBLE',
  tempo: 'DOUBLE', acousticness: 'DOUBLE', instrumentalness: 'DOUBLE', speechiness: 'DOUBLE', liveness: 'DOUBLE',
  duration_ms: 'BIGINT', key: 'BIGINT', mode: 'BIGINT', time_signature: 'BIGINT', artist_id: 'VARCHAR',
  playlist_id: 'VARCHAR',
};
if (Object.keys(types).join(',') !== Object.keys(expected).join(','))
  fail(`columns ${Object.keys(types)}`);
for (const [c, t] of Object.entries(expected))
  if (types[c] !== t) fail(`column ${c} read as ${types[c]}, expected ${t}`);

const one = async (sql) => Object.values((await (await con.run(sql)).getRowObjects())[0]);
const [rows, distinct] = await one('SELECT count(*), count(DISTINCT track_id) FROM t');
if (Number(rows) !== manifest.dataset.rows) fail(`DuckDB reads ${rows} rows, manifest says ${manifest.dataset.rows}`);
if (Number(distinct) !== Number(rows)) fail(`${Number(rows) - Number(distinct)} duplicate track ids`);

const close = (a, b, tol) => Math.abs(a - b) <= tol * (1 + Math.abs(b));
for (const [c, s] of Object.entries(manifest.stats.columns)) {
  const [mean, sd, lo, hi] = (await one(`SELECT avg(${c}), stddev_samp(${c}), min(${c}), max(${c}) FROM t`)).map(Number);
  if (!close(mean, s.mean, 1e-9)) fail(`${c}: DuckDB mean ${mean}, manifest ${s.mean}`);
  if (!close(sd, s.std, 1e-7)) fail(`${c}: DuckDB std ${sd}, manifest ${s.std}`);
  if (lo !== s.min || hi !== s.max) fail(`${c}: DuckDB min/max ${lo}/${hi}, manifest ${s.min}/${s.max}`);
}
const names = manifest.stats.correlation.columns;
for (const [a, b] of [['energy', 'loudness'], ['energy', 'acousticness'], ['danceability', 'valence'], ['tempo', 'energy']]) {
  const [r] = (await one(`SELECT corr(${a}, ${b}) FROM t`)).map(Number);
  const want = manifest.stats.correlation.matrix[names.indexOf(a)][names.indexOf(b)];
  if (!close(r, want, 1e-7)) fail(`corr(${a}, ${b}): DuckDB ${r}, manifest ${want}`);
}
const cats = await (await con.run('SELECT playlist_category AS c, count(*) AS n FROM t GROUP BY 1')).getRowObjects();
for (const { c, n } of cats)
  if (Number(n) !== manifest.stats.categories[c].rows) fail(`category ${c}: DuckDB ${n}, manifest ${manifest.stats.categories[c].rows}`);
const [bad] = await one(`SELECT count(*) FROM (SELECT playlist_id FROM t GROUP BY 1
  HAVING count(DISTINCT (playlist_name, playlist_category, num_followers)) > 1)`);
if (Number(bad) !== 0) fail(`${bad} playlists with several identities`);
console.log(`ok - DuckDB reads ${rows} rows with the expected types; means, std, min, max, correlations and category counts equal the manifest`);
