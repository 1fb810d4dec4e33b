// DuckDB writing the rows of a spotgen Parquet file again, as a user's
// pipeline would: the file read into a table in memory, then COPY ... TO
// (FORMAT parquet) with one thread, the codec given and the row-group size of
// spotgen's file (its first row group's rows); timed alone, the median of
// RUNS. Prints: seconds, bytes of DuckDB's file, rows per row group, and per
// column the bytes of each file and the encodings of spotgen's and of
// DuckDB's V2 files ("column NAME spotgen duckdb v2 v2-raw ENC ENC-V2 ENC-V2-RAW").
//
// usage: node parquet_duckdb.mjs SPOTGEN.parquet zstd|snappy OUT.parquet [RUNS]
const duckdb = await import(new URL('../tests/node/node_modules/@duckdb/node-api/lib/index.js', import.meta.url));
import { statSync, unlinkSync } from 'node:fs';

const [file, codec, out, runs = '3'] = process.argv.slice(2);
const db = await duckdb.DuckDBInstance.create(':memory:', { threads: '1' });
const con = await db.connect();
const q = async (sql) => (await con.run(sql)).getRowObjects();
const [{ n }] = await q(`SELECT row_group_num_rows AS n FROM parquet_metadata('${file}') LIMIT 1`);
await con.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${file}')`);
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const t0 = process.hrtime.bigint();
  await con.run(`COPY t TO '${out}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${n})`);
  times.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)].toFixed(3), statSync(out).size, Number(n));
// The same COPY with PARQUET_VERSION V2 (untimed): DuckDB then writes
// DELTA_BINARY_PACKED integers, BYTE_STREAM_SPLIT doubles and DELTA strings
// where a dictionary does not pay, the encodings the V1 writers leave out.
// And once more with no dictionary at all (DICTIONARY_SIZE_LIMIT 1): every
// column in those encodings, beside the dictionaries.
const v2 = out.replace(/\.parquet$/, '') + '-v2.parquet', raw = out.replace(/\.parquet$/, '') + '-v2raw.parquet';
await con.run(`COPY t TO '${v2}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${n}, PARQUET_VERSION V2)`);
await con.run(`COPY t TO '${raw}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${n}, PARQUET_VERSION V2,
  DICTIONARY_SIZE_LIMIT 1)`);
const per = async (f) => Object.fromEntries((await q(`SELECT path_in_schema AS p, sum(total_compressed_size) AS s,
  string_agg(DISTINCT encodings, ',') AS e FROM parquet_metadata('${f}') GROUP BY p`)).map((r) => [r.p, r]));
const a = await per(file), b = await per(out), c = await per(v2), d = await per(raw);
const enc = (r) => [...new Set(r.e.split(',').map((x) => x.trim()))].filter((x) => x !== 'PLAIN' || !r.e.includes('DICT')).join('+');
for (const k of Object.keys(a))
  console.log('column', k, Number(a[k].s), Number(b[k].s), Number(c[k].s), Number(d[k].s), enc(a[k]), enc(c[k]), enc(d[k]));
unlinkSync(v2);
unlinkSync(raw);
