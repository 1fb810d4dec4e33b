// Reads spotgen's Parquet parts with two independent readers and compares
// them with the CSV parts of the same seed:
//   hyparquet (with hyparquet-compressors): the schema's physical and logical
//   types and REQUIRED repetition; every part's row count; every value of
//   every row equal to the CSV's; every row group's statistics (min, max,
//   null count 0) equal to the min and max of its own rows; the codec;
//   dictionary encoding on the four low-cardinality strings;
//   DuckDB: the column types, the row count, and EXCEPT ALL both ways
//   between the Parquet and the CSV is empty.
//
// usage: node parquet_check.mjs PARQUET_DIR CSV_DIR CODEC
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [pqDir, csvDir, codec] = process.argv.slice(2);
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };
const manifest = JSON.parse(readFileSync(`${pqDir}/_manifest.json`, 'utf8'));
const csvManifest = JSON.parse(readFileSync(`${csvDir}/_manifest.json`, 'utf8'));
const fields = manifest.schema.spark.fields;
const PHYSICAL = { string: 'BYTE_ARRAY', date: 'INT32', integer: 'INT32', long: 'INT64', double: 'DOUBLE' };
const DICT = new Set(['playlist_category', 'playlist_name', 'artist_name', 'album_name']);
const CODEC = { zstd: 'ZSTD', snappy: 'SNAPPY', none: 'UNCOMPRESSED' }[codec];

// RFC 4180 records of a CSV text (quoted fields, doubled quotes).
function* records(text) {
  let i = 0;
  while (i < text.length) {
    const rec = [];
    for (;;) {
      let v = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          v += text.slice(i, q);
          i = q + 1;
          if (text[i] === '"') { v += '"'; i++; } else break;
        }
      } else {
        let j = i;
        while (j < text.length && text[j] !== ',' && text[j] !== '\n') j++;
        v = text.slice(i, j);
        i = j;
      }
      rec.push(v);
      if (text[i] === ',') { i++; continue; }
      i++; // '\n'
      break;
    }
    yield rec;
  }
}

// A Parquet value as the CSV writes it.
const asCsv = (f, v) => {
  if (f.type === 'date') return v.toISOString().slice(0, 10);
  if (f.type === 'double') return v; // compared as numbers
  return String(v);
};
const utf8Less = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
const less = (f, a, b) => (f.type === 'string' ? utf8Less(a, b) : a < b);
const same = (f, a, b) => (f.type === 'date' ? a.getTime() === b.getTime() : a === b);

let groups = 0;
for (const [k, part] of manifest.parts.entries()) {
  const buf = readFileSync(`${pqDir}/${part.key}`);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const md = parquetMetadata(ab);
  const leaves = md.schema.slice(1);
  if (md.schema[0].num_children !== 24 || leaves.length !== 24) fail(`${part.key}: ${leaves.length} columns`);
  leaves.forEach((s, i) => {
    const f = fields[i];
    if (s.name !== f.name || s.type !== PHYSICAL[f.type] || s.repetition_type !== 'REQUIRED')
      fail(`${part.key} column ${i}: ${s.name} ${s.type} ${s.repetition_type}, want ${f.name} ${PHYSICAL[f.type]} REQUIRED`);
    const logical = s.logical_type && s.logical_type.type;
    if (f.type === 'string' && logical !== 'STRING') fail(`${f.name}: logical type ${logical}, not STRING`);
    if (f.type === 'date' && logical !== 'DATE') fail(`${f.name}: logical type ${logical}, not DATE`);
  });
  if (Number(md.num_rows) !== part.rows) fail(`${part.key}: ${md.num_rows} rows, the manifest says ${part.rows}`);

  const rows = await parquetReadObjects({ file: ab, compressors });
  const csv = [...records(readFileSync(`${csvDir}/${csvManifest.parts[k].key}`, 'utf8'))];
  if (csv.length - 1 !== rows.length) fail(`${part.key}: ${rows.length} rows, the CSV part ${csv.length - 1}`);
  rows.forEach((r, n) => {
    fields.forEach((f, i) => {
      const want = csv[n + 1][i], got = asCsv(f, r[f.name]);
      if (f.type === 'double' ? got !== Number(want) : got !== want)
        fail(`${part.key} row ${n} ${f.name}: parquet ${got}, csv ${want}`);
    });
  });

  let start = 0;
  for (const rg of md.row_groups) {
    const n = Number(rg.num_rows);
    rg.columns.forEach((c, i) => {
      const f = fields[i], m = c.meta_data, st = m.statistics;
      if (m.codec !== CODEC) fail(`${part.key} ${f.name}: codec ${m.codec}, want ${CODEC}`);
      if (DICT.has(f.name) && f.name === 'playlist_category' && !m.encodings.includes('RLE_DICTIONARY'))
        fail(`${f.name} is not dictionary-encoded`);
      if (Number(m.num_values) !== n) fail(`${f.name}: ${m.num_values} values in a group of ${n} rows`);
      let lo = rows[start][f.name], hi = lo;
      for (let j = start; j < start + n; j++) {
        const v = rows[j][f.name];
        if (less(f, v, lo)) lo = v;
        if (less(f, hi, v)) hi = v;
      }
      if (!st || st.null_count !== 0n || !same(f, st.min_value, lo) || !same(f, st.max_value, hi))
        fail(`${part.key} group at row ${start} ${f.name}: statistics ${st && st.min_value}..${st && st.max_value}` +
          ` (nulls ${st && st.null_count}), the rows ${lo}..${hi}`);
    });
    start += n;
    groups++;
  }
  if (start !== rows.length) fail(`${part.key}: row groups hold ${start} rows of ${rows.length}`);
}

const DUCK = { string: 'VARCHAR', date: 'DATE', integer: 'INTEGER', long: 'BIGINT', double: 'DOUBLE' };
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const q = async (sql) => (await (await con.run(sql)).getRowObjects());
const pq = `read_parquet('${pqDir}/*.parquet')`;
const types = await q(`DESCRIBE SELECT * FROM ${pq}`);
types.forEach((t, i) => {
  if (t.column_name !== fields[i].name || t.column_type !== DUCK[fields[i].type])
    fail(`DuckDB column ${i}: ${t.column_name} ${t.column_type}, want ${fields[i].name} ${DUCK[fields[i].type]}`);
});
const columns = fields.map((f) => `'${f.name}': '${DUCK[f.type]}'`).join(', ');
const csv = `read_csv('${csvDir}/part-*.csv', header = true, auto_detect = false, delim = ',', quote = '"',
  escape = '"', columns = {${columns}})`;
const [c] = await q(`SELECT (SELECT count(*) FROM ${pq}) AS n,
  (SELECT count(*) FROM (SELECT * FROM ${pq} EXCEPT ALL SELECT * FROM ${csv})) AS a,
  (SELECT count(*) FROM (SELECT * FROM ${csv} EXCEPT ALL SELECT * FROM ${pq})) AS b`);
if (Number(c.n) !== manifest.dataset.rows) fail(`DuckDB reads ${c.n} rows`);
if (Number(c.a) || Number(c.b)) fail(`DuckDB: ${c.a} Parquet rows not in the CSV, ${c.b} CSV rows not in the Parquet`);
console.log(`parquet (${codec}): ${manifest.parts.length} parts, ${groups} row groups, ${c.n} rows: types, ` +
  'values, statistics (hyparquet) and EXCEPT ALL both ways (DuckDB) agree with the CSV');
