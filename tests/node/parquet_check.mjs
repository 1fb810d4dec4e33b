// Reads spotgen's Parquet parts with two independent readers and compares
// them with the CSV parts of the same seed:
//   hyparquet (with hyparquet-compressors): the schema's physical and logical
//   types and REQUIRED repetition; every part's row count; every value of
//   every row equal to the CSV's; every row group's statistics (min, max,
//   null count 0) equal to the min and max of its own rows; the codec;
//   field ids 1 .. 24 (sg_schema_field_id); the page index: every chunk's
//   OffsetIndex (pages in order from the chunk's first data page, their
//   sizes adding up to the chunk's, first rows from 0 increasing) and
//   ColumnIndex (each page's min and max equal to the min and max of its
//   own rows, null counts 0, the boundary order true; rows read from each
//   page's first row by the OffsetIndex alone are the rows); a chunk whose
//   distinct values are at most a tenth of its rows dictionary-encoded,
//   unless it is one page (then the smaller compressed may be PLAIN);
//   bloom filters on the columns --parquet-bloom names (below);
//   DuckDB: the column types, the row count, EXCEPT ALL both ways between
//   the Parquet and the CSV is empty, parquet_metadata() shows each
//   chunk's encodings as hyparquet reads them, dictionaries among them, and
//   parquet_bloom_probe() agrees with hyparquet's reading of the filters.
//
// usage: node parquet_check.mjs PARQUET_DIR CSV_DIR CODEC
import { parquetMetadata, parquetReadObjects, readColumnIndex, readOffsetIndex } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [pqDir, csvDir, codec] = process.argv.slice(2);
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };
const manifest = JSON.parse(readFileSync(`${pqDir}/_manifest.json`, 'utf8'));
const csvManifest = JSON.parse(readFileSync(`${csvDir}/_manifest.json`, 'utf8'));
const fields = manifest.schema.spark.fields;
const PHYSICAL = { string: 'BYTE_ARRAY', date: 'INT32', integer: 'INT32', long: 'INT64', double: 'DOUBLE' };
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

const view = (buf, at, len) => ({ view: new DataView(buf.buffer, buf.byteOffset + Number(at), len), offset: 0 });

const oi_pages = (c, buf) => readOffsetIndex(view(buf, c.offset_index_offset, c.offset_index_length)).page_locations.length;

// The page index of chunk c (rows [start, start + n) of the part): its
// pages tile the chunk, and each page's bounds are its own rows'.
function pageIndex(buf, key, f, schema, c, rows, start, n) {
  const m = c.meta_data, where = `${key} group at row ${start} ${f.name}`;
  const distinct = new Set(rows.slice(start, start + n).map((r) => String(r[f.name]))).size;
  // (a chunk of one page is PLAIN when that is smaller compressed: runs)
  if (distinct * 10 <= n && oi_pages(c, buf) > 1 && !m.encodings.includes('RLE_DICTIONARY'))
    fail(`${where}: ${distinct} distinct values in ${n} rows, not dictionary-encoded (${m.encodings})`);
  if (m.encodings.includes('RLE_DICTIONARY') !== (m.dictionary_page_offset !== undefined))
    fail(`${where}: encodings ${m.encodings}, dictionary page at ${m.dictionary_page_offset}`);
  if (c.offset_index_offset === undefined || c.column_index_offset === undefined) fail(`${where}: no page index`);
  const oi = readOffsetIndex(view(buf, c.offset_index_offset, c.offset_index_length));
  const ci = readColumnIndex(view(buf, c.column_index_offset, c.column_index_length), schema);
  const pages = oi.page_locations, np = pages.length;
  if (!np || ci.min_values.length !== np || ci.max_values.length !== np || ci.null_pages.length !== np ||
      ci.null_counts.length !== np) fail(`${where}: ${np} page locations, column index of ${ci.min_values.length}`);
  let at = Number(m.data_page_offset), size = m.dictionary_page_offset !== undefined ?
    Number(m.data_page_offset - m.dictionary_page_offset) : 0;
  const order = { up: true, down: true };
  pages.forEach((p, j) => {
    if (Number(p.offset) !== at) fail(`${where} page ${j}: at ${p.offset}, the previous page ends at ${at}`);
    at += p.compressed_page_size;
    size += p.compressed_page_size;
    const first = Number(p.first_row_index), end = j + 1 < np ? Number(pages[j + 1].first_row_index) : n;
    if ((j === 0 && first !== 0) || first >= end) fail(`${where} page ${j}: rows ${first} .. ${end}`);
    let lo = rows[start + first][f.name], hi = lo;
    for (let r = start + first; r < start + end; r++) {
      const v = rows[r][f.name];
      if (less(f, v, lo)) lo = v;
      if (less(f, hi, v)) hi = v;
    }
    if (ci.null_pages[j] || ci.null_counts[j] !== 0n || !same(f, ci.min_values[j], lo) || !same(f, ci.max_values[j], hi))
      fail(`${where} page ${j}: column index ${ci.min_values[j]} .. ${ci.max_values[j]}, its rows ${lo} .. ${hi}`);
    if (j) {
      const [pl, ph] = [ci.min_values[j - 1], ci.max_values[j - 1]];
      order.up &&= !less(f, ci.min_values[j], pl) && !less(f, ci.max_values[j], ph);
      order.down &&= !less(f, pl, ci.min_values[j]) && !less(f, ph, ci.max_values[j]);
    }
  });
  if (size !== Number(m.total_compressed_size)) fail(`${where}: pages of ${size} bytes, the chunk ${m.total_compressed_size}`);
  const want = order.up ? 'ASCENDING' : order.down ? 'DESCENDING' : 'UNORDERED';
  if (ci.boundary_order !== want) fail(`${where}: boundary order ${ci.boundary_order}, the pages are ${want}`);
  pageCount += np;
}

// Bloom filters (--parquet-bloom, recorded in the manifest; "ids": the id
// columns' dictionary-encoded chunks): read by hyparquet's own split-block code, each is sized for its
// chunk's distinct values at 1% false positives, holds every one of them
// (hashed by hyparquet's XXH64 of their PLAIN bytes) and few of as many
// values that are not there; DuckDB's parquet_bloom_probe agrees.
const { readBloomFilter, hashParquetValue, sbbfContains } =
  await import(new URL('./node_modules/hyparquet/src/bloom.js', import.meta.url));
const { xxhash64 } = await import(new URL('./node_modules/hyparquet/src/xxhash.js', import.meta.url));
const hashOf = (f, v, leaf) => { // hyparquet hashes no DATE: its PLAIN bytes are the INT32 days
  if (f.type !== 'date') return hashParquetValue(v, leaf);
  const b = new DataView(new ArrayBuffer(4));
  b.setInt32(0, Math.round(v.getTime() / 86400000), true);
  return xxhash64(new Uint8Array(b.buffer));
};
const bloomSpec = (manifest.dataset.parquet_bloom ?? 'ids').split(',');
// every chunk of a column named; the chunks of an id column that "ids"
// brings when every data page of theirs is dictionary-encoded
const bloomWanted = (name, m) => bloomSpec.includes(name) || (bloomSpec.includes('ids') && name.endsWith('_id') &&
  !m.encoding_stats.some((e) => e.page_type === 'DATA_PAGE' && e.encoding === 'PLAIN'));
const bloomBytes = (ndv) => { // parquet-mr's sizing, rounded up to a power of two in 32 .. 1 MiB
  const want = -8 * ndv / Math.log(1 - 0.01 ** (1 / 8)) / 8;
  let b = 32;
  while (b < 1 << 20 && b < want) b *= 2;
  return b;
};
const absent = (f, v) => (f.type === 'string' ? `${v}~absent` : f.type === 'date' ? new Date(v.getTime() + 86400000 * 40000)
  : f.type === 'double' ? v + 1e6 : f.type === 'long' ? BigInt(v) + 10n ** 12n : v + 1e9);
const blooms = []; // [file, group, column, a value there, a value not there and not in the filter]
let bloomChunks = 0, bloomPlain = 0; // chunks with a filter, and those of them with PLAIN pages
function bloom(buf, key, g, f, leaf, c, rows, start, n) {
  const m = c.meta_data, where = `${key} group ${g} ${f.name}`;
  if (!bloomWanted(f.name, m)) {
    if (m.bloom_filter_offset !== undefined) fail(`${where}: a bloom filter, not asked for`);
    return;
  }
  if (m.bloom_filter_offset === undefined) fail(`${where}: no bloom filter (--parquet-bloom ${bloomSpec})`);
  const r = view(buf, m.bloom_filter_offset, m.bloom_filter_length);
  const bf = readBloomFilter(r);
  if (!bf || r.offset !== m.bloom_filter_length) fail(`${where}: bloom filter unreadable or not ${m.bloom_filter_length} bytes`);
  const distinct = new Map();
  for (let j = start; j < start + n; j++) distinct.set(String(rows[j][f.name]), rows[j][f.name]);
  const lo = bloomBytes(distinct.size * 0.9), hi = bloomBytes(distinct.size * 1.1);
  if (bf.numBytes < lo || bf.numBytes > hi) fail(`${where}: a bloom filter of ${bf.numBytes} bytes for ${distinct.size} values`);
  let falsePositives = 0, none;
  for (const v of distinct.values()) {
    if (!sbbfContains(bf.blocks, hashOf(f, v, leaf))) fail(`${where}: ${v} is in the chunk, not in its bloom filter`);
    const a = absent(f, v);
    if (distinct.has(String(a))) continue;
    if (sbbfContains(bf.blocks, hashOf(f, a, leaf))) falsePositives++;
    else none ??= a;
  }
  if (falsePositives > Math.max(3, 0.03 * distinct.size))
    fail(`${where}: ${falsePositives} of ${distinct.size} absent values pass the bloom filter`);
  blooms.push([key, g, f, rows[start][f.name], none]);
  bloomChunks++;
  if (m.encoding_stats.some((e) => e.page_type === 'DATA_PAGE' && e.encoding === 'PLAIN')) bloomPlain++;
}

let groups = 0, pageCount = 0;
const encodings = new Map(); // "part|row group|column" -> its encodings, as hyparquet reads them
for (const [k, part] of manifest.parts.entries()) {
  const buf = readFileSync(`${pqDir}/${part.key}`);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const md = parquetMetadata(ab);
  const leaves = md.schema.slice(1);
  if (md.schema[0].num_children !== 24 || leaves.length !== 24) fail(`${part.key}: ${leaves.length} columns`);
  leaves.forEach((s, i) => {
    const f = fields[i];
    if (s.field_id !== i + 1) fail(`${part.key} ${s.name}: field id ${s.field_id}, want ${i + 1}`);
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
  for (const [g, rg] of md.row_groups.entries()) {
    const n = Number(rg.num_rows);
    rg.columns.forEach((c, i) => encodings.set(`${part.key}|${g}|${fields[i].name}`, [...c.meta_data.encodings].sort().join(' ')));
    rg.columns.forEach((c, i) => {
      const f = fields[i], m = c.meta_data, st = m.statistics;
      if (m.codec !== CODEC) fail(`${part.key} ${f.name}: codec ${m.codec}, want ${CODEC}`);
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
    rg.columns.forEach((c, i) => pageIndex(buf, part.key, fields[i], leaves[i], c, rows, start, n));
    rg.columns.forEach((c, i) => bloom(buf, part.key, g, fields[i], leaves[i], c, rows, start, n));
    // hyparquet reads a few rows from the start of each later page by the
    // OffsetIndex alone: a page's first row that is not its own shows
    for (const [i, c] of rg.columns.entries()) {
      const pages = readOffsetIndex(view(buf, c.offset_index_offset, c.offset_index_length)).page_locations;
      for (const p of pages.slice(1)) {
        const from = start + Number(p.first_row_index), f = fields[i];
        const got = await parquetReadObjects({ file: ab, compressors, columns: [f.name], rowStart: from,
          rowEnd: from + 3, useOffsetIndex: true });
        got.forEach((r, j) => {
          if (!same(f, r[f.name], rows[from + j][f.name]))
            fail(`${part.key} ${f.name} row ${from + j} read by the offset index: ${r[f.name]}, not ${rows[from + j][f.name]}`);
        });
      }
    }
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
// DuckDB's parquet_metadata() shows the encodings hyparquet read from the
// same chunks, dictionaries among them.
const meta = await q(`SELECT file_name AS f, row_group_id AS g, path_in_schema AS p, encodings AS e
  FROM parquet_metadata('${pqDir}/*.parquet')`);
for (const r of meta) {
  const key = `${r.f.split('/').pop()}|${r.g}|${r.p}`, want = encodings.get(key);
  const got = r.e.split(',').map((x) => x.trim()).sort().join(' ');
  if (got !== want) fail(`DuckDB: ${key} encodings ${got}, hyparquet reads ${want}`);
}
if (meta.length !== encodings.size) fail(`DuckDB: ${meta.length} chunks, hyparquet ${encodings.size}`);
if (!meta.some((r) => r.e.includes('RLE_DICTIONARY'))) fail('DuckDB: no chunk is dictionary-encoded');
const lit = (f, v) => (f.type === 'date' ? `DATE '${v.toISOString().slice(0, 10)}'` : f.type === 'string' ?
  `'${String(v).replaceAll("'", "''")}'` : String(v));
for (const [key, g, f, there, not] of blooms) {
  const probe = async (v) => (await q(`SELECT bloom_filter_excludes AS x FROM parquet_bloom_probe('${pqDir}/${key}',
    '${f.name}', ${lit(f, v)}) WHERE row_group_id = ${g}`))[0].x;
  if (await probe(there)) fail(`DuckDB: the bloom filter of ${key} group ${g} ${f.name} excludes ${there}, which is there`);
  if (not !== undefined && !(await probe(not)))
    fail(`DuckDB: the bloom filter of ${key} group ${g} ${f.name} does not exclude ${not}, which hyparquet's does`);
}
console.log(`parquet (${codec}): ${manifest.parts.length} parts, ${groups} row groups, ${pageCount} pages, ` +
  `${bloomChunks} bloom filters (${bloomPlain} of PLAIN chunks), ${c.n} rows: types, values, field ids, statistics, page index, bloom filters ` +
  '(hyparquet), EXCEPT ALL both ways, dictionary encodings and bloom probes (DuckDB) agree with the CSV');
