// Reads a spotgen output directory the way Spark reads a path: every file in
// it except those whose names start with `_` or `.` (Hadoop's hidden-file
// rule, so _manifest.json and _SUCCESS are skipped), as CSV with a header
// row, typed by the manifest's schema (no inference). DuckDB does the
// reading; the row count, the rows per category and a few aggregates must
// equal the manifest's, and the files read must be exactly its parts.
//
// usage: node spark_style_read.mjs DIR
import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, readFileSync } from 'node:fs';

const dir = process.argv[2];
const manifest = JSON.parse(readFileSync(`${dir}/_manifest.json`, 'utf8'));
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };

const visible = readdirSync(dir).filter((n) => !n.startsWith('_') && !n.startsWith('.')).sort();
const parts = manifest.parts.map((p) => p.key).sort();
if (JSON.stringify(visible) !== JSON.stringify(parts))
  fail(`Spark would read ${visible.join(' ')}; the manifest's parts are ${parts.join(' ')}`);

const SPARK_TO_DUCKDB = { string: 'VARCHAR', date: 'DATE', long: 'BIGINT', integer: 'INTEGER', double: 'DOUBLE' };
const columns = manifest.schema.spark.fields.map((f) => `'${f.name}': '${SPARK_TO_DUCKDB[f.type]}'`).join(', ');
const files = visible.map((n) => `'${dir}/${n}'`).join(', ');
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`CREATE VIEW t AS SELECT * FROM read_csv([${files}], header = true, auto_detect = false,
  delim = ',', quote = '"', escape = '"', columns = {${columns}})`);
const rows = async (sql) => (await (await con.run(sql)).getRowObjects());

const [all] = await rows(`SELECT count(*) AS n, avg(energy) AS energy, avg(tempo) AS tempo,
  avg(popularity_score) AS popularity, min(duration_ms) AS dmin, max(duration_ms) AS dmax FROM t`);
const stats = manifest.stats.columns;
if (Number(all.n) !== manifest.dataset.rows) fail(`${all.n} rows read, the manifest says ${manifest.dataset.rows}`);
const close = (a, b) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
for (const [col, got] of [['energy', all.energy], ['tempo', all.tempo], ['popularity_score', all.popularity]])
  if (!close(Number(got), stats[col].mean)) fail(`mean ${col}: ${got} read, the manifest says ${stats[col].mean}`);
if (Number(all.dmin) !== stats.duration_ms.min || Number(all.dmax) !== stats.duration_ms.max)
  fail(`duration_ms range ${all.dmin}..${all.dmax} read, the manifest says ${stats.duration_ms.min}..${stats.duration_ms.max}`);
for (const r of await rows('SELECT playlist_category AS c, count(*) AS n FROM t GROUP BY 1')) {
  const want = manifest.stats.categories[r.c];
  if (!want || Number(r.n) !== want.rows) fail(`${r.c}: ${r.n} rows read, the manifest says ${want && want.rows}`);
}
console.log(`spark-style read: ${visible.length} files (the manifest's parts; _ files skipped), ` +
  `${all.n} rows; count, category counts, means and duration range equal the manifest's`);
