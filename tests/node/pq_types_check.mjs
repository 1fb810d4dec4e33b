// score's Parquet reader (parquet_read.h's sg_pq_open_any, printed by
// tests/pq_dump) against DuckDB's own reading of files DuckDB wrote: every
// type a cleaning may hold (booleans, small and big integers, decimals,
// floats, doubles, dates, timestamps in ms, us and ns, strings, a column of
// nulls only, nulls everywhere else), each file written four ways (v1 pages
// snappy; v2 pages zstd, with DELTA and BYTE_STREAM_SPLIT encodings; gzip in
// small row groups; uncompressed without dictionaries; LZ4_RAW; Brotli; and
// no rows at all). Every cell must be the same value: the same text, or the
// same number.
//
// usage: node pq_types_check.mjs PQ_DUMP WORKDIR
import { DuckDBInstance } from '@duckdb/node-api';
import { compareDump, dumpOf, quote as q } from './pq_compare.mjs';

const [dump, work] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjects();
await con.run(`SELECT setseed(0.25)`);
await con.run(`CREATE TABLE t AS SELECT
  i::INTEGER AS id,
  CASE WHEN i % 7 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
  (i % 200 - 100)::TINYINT AS tiny,
  CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919) % 65536 - 32768 END::SMALLINT AS small,
  CASE WHEN i % 13 = 0 THEN NULL ELSE (i::BIGINT * 2654435761) % 10000000000 - 5000000000 END AS big,
  (random() * 1000)::DECIMAL(9, 2) AS price,
  CASE WHEN i % 5 = 0 THEN NULL ELSE (random() * 1e9)::DECIMAL(18, 4) END AS amount,
  (random() * 100)::FLOAT AS ratio,
  CASE WHEN i % 4 = 0 THEN NULL ELSE random() * 200 - 100 END AS tempo,
  DATE '1950-01-01' + ((i * 37) % 30000)::INTEGER AS day,
  TIMESTAMP '2001-02-03 04:05:06' + INTERVAL (i * 1234567) MICROSECOND AS at_us,
  CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMP_MS '2020-01-01 00:00:00' + INTERVAL (i * 1001) MILLISECOND END AS at_ms,
  TIMESTAMP_NS '1999-12-31 23:59:59' + INTERVAL (i * 1000003) MICROSECOND AS at_ns,
  CASE WHEN i % 6 = 0 THEN NULL ELSE 'name ' || (i % 977) || repeat('x', i % 40) END AS name,
  'prefix-shared-' || lpad((i * 31 % 100000)::VARCHAR, 6, '0') AS code,
  NULL::VARCHAR AS nothing
FROM range(20000) r(i)`);
const ways = {
  v1_snappy: '',
  v2_zstd: 'COMPRESSION zstd, PARQUET_VERSION v2',
  gzip_small_groups: 'COMPRESSION gzip, ROW_GROUP_SIZE 7000',
  plain_uncompressed: 'COMPRESSION uncompressed, DICTIONARY_COMPRESSION_RATIO_THRESHOLD -1',
  lz4_raw: 'COMPRESSION lz4',
  brotli: 'COMPRESSION brotli',
  zero_rows: '', // the same columns, no rows (below)
};
const fails = [];
const seen = new Set();
for (const [way, options] of Object.entries(ways)) {
  const file = `${work}/types_${way}.parquet`;
  let opts = options;
  const from = way === 'zero_rows' ? '(SELECT * FROM t LIMIT 0)' : 't';
  try {
    await con.run(`COPY ${from} TO ${q(file)} (FORMAT parquet${opts ? ', ' + opts : ''})`);
  } catch (e) { /* an option this DuckDB does not know: the rest of the way */
    opts = options.split(', ').filter((o) => !o.startsWith('DICTIONARY_COMPRESSION')).join(', ');
    await con.run(`COPY ${from} TO ${q(file)} (FORMAT parquet${opts ? ', ' + opts : ''})`);
  }
  for (const r of await rows(`SELECT DISTINCT compression AS c FROM parquet_metadata(${q(file)})`)) seen.add(r.c);
  for (const r of await rows(`SELECT DISTINCT unnest(string_split(encodings, ', ')) AS e FROM parquet_metadata(${q(file)})`))
    seen.add(r.e);
  const bad = await compareDump(con, dumpOf(dump, file), file, `${work}/types_${way}.tsv`);
  if (bad.ours !== bad.theirs || bad.wrong.length)
    fails.push(`${way}: ${bad.ours} rows read of ${bad.theirs}; cells unlike DuckDB's: ${bad.wrong.join(', ') || 'none'}`);
}
for (const e of ['PLAIN', 'RLE_DICTIONARY', 'DELTA_BINARY_PACKED', 'DELTA_LENGTH_BYTE_ARRAY', 'BYTE_STREAM_SPLIT',
  'SNAPPY', 'ZSTD', 'GZIP', 'UNCOMPRESSED', 'LZ4_RAW', 'BROTLI'])
  if (!seen.has(e)) fails.push(`no file has ${e}: the test does not read what it means to`);
if (fails.length) {
  console.error('FAIL: ' + fails.join('; '));
  process.exit(1);
}
console.log(`ok: 20000 rows of 16 columns, written by DuckDB ${Object.keys(ways).length} ways (${[...seen].sort().join(', ')}), read the same`);
