// DuckDB (an independent CSV reader) reads a dirty dataset the way a user
// first would, with its default sniffer, and the ledger agrees with what it
// sees: as many lines as the manifest says, row_key and the 24 columns (the
// manifest's schema, every column text, and its Athena DDL say the same), and
// every cell the ledger names holds the ledger's dirty value as DuckDB
// reads it (typed where the sniffer typed the column, text where not;
// DuckDB reads an empty field as NULL). The ledger's counts by kind and
// column are the manifest's.
//
// usage: node dirty_check.mjs DIR
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [dir] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(`${dir}/_manifest.json`, 'utf8'));
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await (await con.run(sql)).getRowObjects());
await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${dir}/part-*.csv')`);
await con.run(`CREATE TABLE l AS SELECT * FROM read_csv('${dir}/_dirty/part-*.csv', all_varchar = true)`);

const types = (await rows('DESCRIBE t')).map((r) => [r.column_name, r.column_type]);
// The manifest's schema of a dirty dataset: row_key, then the 24 columns as text.
const fields = manifest.schema.spark.fields;
if (fields[0].name !== 'row_key' || fields.length !== 25 || fields.some((f) => f.type !== 'string'))
  fail(`the manifest's schema is not row_key and 24 text columns: ${JSON.stringify(fields.slice(0, 3))}`);
if (!manifest.schema.athena_ddl.includes('`row_key` string,\n  `track_id` string'))
  fail(`the manifest's Athena DDL is not the text table: ${manifest.schema.athena_ddl.slice(0, 120)}`);
const names = fields.map((f) => f.name);
if (types.map(([n]) => n).join() !== names.join()) fail(`DuckDB's sniffer sees the columns ${types.map(([n]) => n)}`);
const [{ n }] = await rows('SELECT count(*) AS n, count(DISTINCT row_key) AS k FROM t');
if (Number(n) !== manifest.dirty.rows_written) fail(`DuckDB reads ${n} lines; the manifest says ${manifest.dirty.rows_written}`);
const [{ k }] = await rows('SELECT count(DISTINCT row_key) AS k FROM t');
if (Number(k) !== Number(n)) fail(`${n} lines but ${k} distinct row keys`);

let cells = 0;
const typed = [];
for (const [name, type] of types.slice(1)) {
  const same = type === 'VARCHAR'
    ? `coalesce(t."${name}", '') = coalesce(l.dirty_value, '')`
    : `t."${name}" IS NOT DISTINCT FROM TRY_CAST(l.dirty_value AS ${type})`;
  if (type !== 'VARCHAR') typed.push(`${name} ${type}`);
  const [r] = await rows(`SELECT count(*) AS n, count(*) FILTER (WHERE NOT (${same})) AS bad,
      any_value(l.row_key) FILTER (WHERE NOT (${same})) AS key FROM l JOIN t USING (row_key)
      WHERE l."column" = '${name}'`);
  if (Number(r.bad)) fail(`${r.bad} of ${r.n} ledger cells of ${name} (${type}) differ from what DuckDB reads, e.g. row ${r.key}`);
  cells += Number(r.n);
}
const [{ copies }] = await rows(`SELECT count(*) AS copies FROM l JOIN t USING (row_key)
  WHERE l.kind IN ('duplicate', 'near_duplicate')`);

const counts = {};
for (const r of await rows(`SELECT kind, coalesce("column", 'rows') AS c, count(*) AS n FROM l GROUP BY ALL`))
  (counts[r.kind] ??= {})[r.c] = Number(r.n);
for (const [kind, by] of Object.entries(manifest.dirty.counts))
  for (const [c, want] of Object.entries(by))
    if (counts[kind]?.[c] !== want) fail(`the ledger has ${counts[kind]?.[c]} ${kind} of ${c}; the manifest says ${want}`);
console.log(`ok: DuckDB's sniffer reads ${n} lines; ${cells} ledger cells and ${copies} copies agree with it` +
  `; typed by the sniffer: ${typed.join(', ') || 'none'}`);
