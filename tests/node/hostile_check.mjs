// Reads pq_hostile's rle.parquet and zeros.parquet with DuckDB: files the
// reader's bounds refuse are well-formed Parquet that another reader takes.
// Prints each file's row count and one aggregate of its values.
//
// usage: node hostile_check.mjs DIR
import { DuckDBInstance } from '@duckdb/node-api';

const [dir] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const q = async (s) => (await (await con.run(s)).getRows())[0].map(String).join(' ');
console.log(await q(`SELECT count(*), max(row_key) FROM read_parquet('${dir}/rle.parquet')`));
console.log(await q(`SELECT count(*), sum(row_key) FROM read_parquet('${dir}/zeros.parquet')`));
