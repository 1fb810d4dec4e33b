// Reads a dataset written with --partition-by as DuckDB reads Hive
// partitions (hive_partitioning: the folders' col=value become columns),
// and checks what a partitioned dataset promises, against the unpartitioned
// dataset of the same seed and options:
// - each table's rows, partition columns included, equal the unpartitioned
//   table's (as multisets: the union of the partitions is the dataset);
// - a file holds no column its folders name (an identity partition's column
//   leaves the file, as Hive expects), and every row's date falls in its
//   folder's year or month;
// - the manifest lists every data file once, with DuckDB's count of its
//   rows and the values its folders name.
//
// usage: node partitions_check.mjs PARTITIONED_DIR FLAT_DIR csv|parquet
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { connect, fail, manifestOf, readSql } from './dataset_read.mjs';

const [dir, flatDir, format] = process.argv.slice(2);
const manifest = manifestOf(dir);

const con = await connect();
const rows = async (sql) => (await (await con.run(sql)).getRowObjects());
const one = async (sql) => Object.values((await rows(sql))[0]).map(Number);

const spec = manifest.dataset.partition_by;
if (!spec) fail('the manifest has no dataset.partition_by');
const fields = spec.split(',').map((s) => {
  const [column, transform] = s.split(':');
  const name = transform ? `${column.replace(/_date$/, '')}_${transform}` : column;
  return { column, transform, name };
});
// the tables, each with its columns (typed) and the folder its files are under
const tables = manifest.tables
  ? Object.entries(manifest.tables).map(([name, t]) => ({ name, dir: name, columns: t.columns }))
  : [{ name: 'spotify', dir: '', columns: manifest.schema.spark.fields }];

const files = (root) => {
  const out = [];
  const walk = (d) => { for (const e of readdirSync(d)) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p); else if (!e.startsWith('_') && !e.startsWith('.')) out.push(p);
  } };
  walk(root);
  return out;
};
const listed = new Map(manifest.parts.map((p) => [p.key, p]));
const seen = new Set();

for (const t of tables) {
  const root = join(dir, t.dir);
  const mine = fields.filter((f) => t.columns.some((c) => c.name === f.column) &&
    (t.name === 'spotify' || (f.column === 'release_date' ? t.name === 'albums' : t.name === 'playlists')));
  const inFile = t.columns.filter((c) => !mine.some((f) => !f.transform && f.column === c.name));
  const hiveTypes = `{${mine.map((f) => `'${f.name}': '${f.transform === 'year' ? 'INTEGER' : 'VARCHAR'}'`).join(', ')}}`;
  const read = (glob, hive) => readSql(glob, format, inFile,
    hive ? `, hive_partitioning = true, hive_types = ${hiveTypes}` : ', hive_partitioning = false');
  const depth = mine.length ? '*/'.repeat(mine.length) : '';
  const glob = `${root}/${depth}part-*.${format}`;
  const flatRead = readSql(`${join(flatDir, t.dir)}/part-*.${format}`, format, t.columns);
  await con.run(`CREATE OR REPLACE TABLE p AS SELECT * FROM ${read(glob, mine.length > 0)}`);
  await con.run(`CREATE OR REPLACE TABLE f AS SELECT * FROM ${flatRead}`);
  const cols = t.columns.map((c) => c.name).join(', ');
  const [np, nf] = await one('SELECT (SELECT count(*) FROM p), (SELECT count(*) FROM f)');
  if (np !== nf) fail(`${t.name}: the partitions hold ${np} rows, the unpartitioned table ${nf}`);
  const [extra, missing] = await one(`SELECT (SELECT count(*) FROM (SELECT ${cols} FROM p EXCEPT ALL SELECT ${cols} FROM f)),
    (SELECT count(*) FROM (SELECT ${cols} FROM f EXCEPT ALL SELECT ${cols} FROM p))`);
  if (extra || missing) fail(`${t.name}: ${extra} rows of the partitions are not the table's, ${missing} of its are missing`);
  for (const f of mine.filter((x) => x.transform)) {
    const expr = f.transform === 'year' ? 'year(release_date)' : "strftime(release_date, '%Y-%m')";
    const [bad] = await one(`SELECT count(*) FROM p WHERE ${f.name} IS DISTINCT FROM ${expr}`);
    if (bad) fail(`${t.name}: ${bad} rows are not in the ${f.name} of their ${f.column}`);
  }
  // each file: its own columns, its rows, and the manifest's entry
  for (const path of files(root)) {
    const key = relative(dir, path);
    const entry = listed.get(key);
    if (!entry) fail(`${key} is not in the manifest`);
    seen.add(key);
    const own = (await rows(`DESCRIBE SELECT * FROM ${read(path, false)}`)).map((r) => r.column_name);
    if (JSON.stringify(own) !== JSON.stringify(inFile.map((c) => c.name))) fail(`${key}: columns ${own}`);
    const [n] = await one(`SELECT count(*) FROM ${read(path, false)}`);
    if (n !== entry.rows) fail(`${key}: DuckDB reads ${n} rows, the manifest says ${entry.rows}`);
    const folders = Object.fromEntries(key.split('/').filter((s) => s.includes('='))
      .map((s) => [s.slice(0, s.indexOf('=')), decodeURIComponent(s.slice(s.indexOf('=') + 1))]));
    if (JSON.stringify(entry.partition ?? {}) !== JSON.stringify(folders) || (mine.length > 0) !== ('partition' in entry)) {
      fail(`${key}: the manifest's partition ${JSON.stringify(entry.partition)}, its folders ${JSON.stringify(folders)}`);
    }
  }
  console.log(`${t.name}: ${np} rows in ${mine.length ? mine.map((f) => f.name).join('/') : 'no'} partitions equal the unpartitioned table's`);
}
for (const key of listed.keys()) if (!seen.has(key)) fail(`the manifest lists ${key}, which is not there`);
console.log(`${seen.size} files, each listed once with its rows and partition`);
