// Writes the result of a DuckDB query as Parquet, as a user's pipeline
// would (DuckDB's own writer), with the COPY options given (compression,
// PARQUET_VERSION, ROW_GROUP_SIZE ...), and prints the file's encodings.
//
// usage: node to_parquet.mjs "SELECT ..." OUT.parquet ["COPY OPTIONS"]
import { DuckDBInstance } from '@duckdb/node-api';

const [query, out, options] = process.argv.slice(2);
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`COPY (${query}) TO ${q(out)} (FORMAT parquet${options ? ', ' + options : ''})`);
const enc = await (await con.run(`SELECT DISTINCT unnest(string_split(encodings, ', ')) AS e FROM parquet_metadata(${q(out)}) ORDER BY e`)).getRowObjects();
console.log(enc.map((r) => r.e).join(' '));
