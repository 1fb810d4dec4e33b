// What the DuckDB checks of a spotgen dataset share: its manifest, a
// failure's one line, a connection, and the table function that reads its
// files typed as the manifest types them.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

export const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };

export const manifestOf = (dir) => JSON.parse(readFileSync(`${dir}/_manifest.json`, 'utf8'));

// The manifest's types (Spark's names) as DuckDB's.
export const TYPES = { string: 'VARCHAR', date: 'DATE', long: 'BIGINT', integer: 'INTEGER', double: 'DOUBLE',
  timestamp: 'TIMESTAMP' };

let db; // kept while its connections are used
export async function connect() {
  db = db ?? await DuckDBInstance.create(':memory:');
  return db.connect();
}

// The files at `glob`: Parquet as they are; CSV (plain, gzip, zstd) with
// its header and RFC 4180 quoting, its columns `fields` ({name, type}) in
// order. `options` adds to the function's (", hive_partitioning = true").
export const readSql = (glob, format, fields, options = '') => format === 'parquet'
  ? `read_parquet('${glob}'${options})`
  : `read_csv('${glob}', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
      columns = {${fields.map((f) => `'${f.name}': '${TYPES[f.type]}'`).join(', ')}}${options})`;
