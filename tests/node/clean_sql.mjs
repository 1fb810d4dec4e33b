// Runs examples/clean_dirty.sql (a reference cleaning in DuckDB SQL) with
// DuckDB, as its header's CLI line would: the dirty dataset in, one CSV out.
//
// usage: node clean_sql.mjs SQL DIRTY_DIR OUT.csv
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [sql, dirty, out] = process.argv.slice(2);
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET VARIABLE dirty = ${quote(dirty)}; SET VARIABLE out = ${quote(out)};`);
await con.run(readFileSync(sql, 'utf8'));
const [{ n }] = await (await con.run(`SELECT count(*) AS n FROM read_csv(${quote(out)}, all_varchar = true)`)).getRowObjects();
console.log(`clean_dirty.sql: ${n} rows to ${out}`);
