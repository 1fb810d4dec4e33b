// Reads a dataset written with --table-format iceberg with readers someone
// else wrote, and checks what an Iceberg table promises against the plain
// dataset of the same seed and options (no --table-format, no
// --partition-by):
// - icebird (a JavaScript Iceberg reader: version hint, metadata, manifest
//   list, manifests, then the data files by their paths) returns every
//   table's rows, equal to the plain table's (as multisets), its columns
//   named by the field ids of the table's schema;
// - avsc decodes every manifest and manifest list with the Avro schemas the
//   Iceberg spec gives (v2 manifest_entry and manifest_file, resolved from
//   the writer's schema), and their metadata keys are the spec's;
// - each data file is listed exactly once, every file under data/ is
//   listed, and its record count, size, value and null counts, partition
//   tuple and lower/upper bounds (single-value binary) equal what DuckDB
//   reads from the file; the manifest list's counts and partition
//   summaries equal the manifest's; the schema's field ids are the Parquet
//   files' (hyparquet's reading of their footers).
//
// usage: node iceberg_check.mjs ICEBERG_DIR PLAIN_DIR
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';
import { icebergRead } from 'icebird';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { connect, fail, manifestOf } from './dataset_read.mjs';

const [dir, plainDir] = process.argv.slice(2).map((d) => resolve(d));
const manifest = manifestOf(dir);

import './file_fetch.mjs'; // file:// URLs served from disk, for icebird

// The spec's Avro schemas (format/spec.md, v2), written here from the spec.
const mapOf = (name, id, k, v, type) => ({ name, type: ['null', { type: 'array', logicalType: 'map',
  items: { type: 'record', name: `k${k}_v${v}`, fields: [{ name: 'key', type: 'int' }, { name: 'value', type }] } }],
  default: null });
const entrySchema = (partitionFields) => ({ type: 'record', name: 'manifest_entry', fields: [
  { name: 'status', type: 'int' },
  { name: 'snapshot_id', type: ['null', 'long'], default: null },
  { name: 'sequence_number', type: ['null', 'long'], default: null },
  { name: 'file_sequence_number', type: ['null', 'long'], default: null },
  { name: 'data_file', type: { type: 'record', name: 'r2', fields: [
    { name: 'content', type: 'int' },
    { name: 'file_path', type: 'string' },
    { name: 'file_format', type: 'string' },
    { name: 'partition', type: { type: 'record', name: 'r102', fields: partitionFields } },
    { name: 'record_count', type: 'long' },
    { name: 'file_size_in_bytes', type: 'long' },
    mapOf('column_sizes', 108, 117, 118, 'long'),
    mapOf('value_counts', 109, 119, 120, 'long'),
    mapOf('null_value_counts', 110, 121, 122, 'long'),
    mapOf('nan_value_counts', 137, 138, 139, 'long'),
    mapOf('lower_bounds', 125, 126, 127, 'bytes'),
    mapOf('upper_bounds', 128, 129, 130, 'bytes'),
    { name: 'key_metadata', type: ['null', 'bytes'], default: null },
    { name: 'split_offsets', type: ['null', { type: 'array', items: 'long' }], default: null },
    { name: 'equality_ids', type: ['null', { type: 'array', items: 'int' }], default: null },
    { name: 'sort_order_id', type: ['null', 'int'], default: null },
  ] } },
] });
const manifestFileSchema = { type: 'record', name: 'manifest_file', fields: [
  { name: 'manifest_path', type: 'string' }, { name: 'manifest_length', type: 'long' },
  { name: 'partition_spec_id', type: 'int' }, { name: 'content', type: 'int' },
  { name: 'sequence_number', type: 'long' }, { name: 'min_sequence_number', type: 'long' },
  { name: 'added_snapshot_id', type: 'long' }, { name: 'added_files_count', type: 'int' },
  { name: 'existing_files_count', type: 'int' }, { name: 'deleted_files_count', type: 'int' },
  { name: 'added_rows_count', type: 'long' }, { name: 'existing_rows_count', type: 'long' },
  { name: 'deleted_rows_count', type: 'long' },
  { name: 'partitions', type: ['null', { type: 'array', items: { type: 'record', name: 'r508', fields: [
    { name: 'contains_null', type: 'boolean' }, { name: 'contains_nan', type: ['null', 'boolean'], default: null },
    { name: 'lower_bound', type: ['null', 'bytes'], default: null },
    { name: 'upper_bound', type: ['null', 'bytes'], default: null }] } }], default: null },
  { name: 'key_metadata', type: ['null', 'bytes'], default: null },
] };

// Every record of an Avro container file, read with `schema`, and its
// header's metadata and the writer's schema.
const decode = (path, schema) => new Promise((ok, ko) => {
  const records = [];
  let meta, writer;
  avro.createFileDecoder(path, { readerSchema: schema })
    .on('metadata', (type, codec, header) => { writer = JSON.parse(header.meta['avro.schema'].toString()); meta = header.meta; })
    .on('data', (r) => records.push(r)).on('end', () => ok({ records, meta, writer })).on('error', ko);
});

// DuckDB's values as Iceberg's single-value binary.
const single = (type, v) => {
  const b = Buffer.alloc(type === 'int' || type === 'date' ? 4 : 8);
  if (type === 'string') return Buffer.from(v, 'utf8');
  if (type === 'int' || type === 'date') b.writeInt32LE(Number(v));
  else if (type === 'long') b.writeBigInt64LE(BigInt(v));
  else b.writeDoubleLE(v === 0 ? 0 : Number(v));
  return b;
};
const canon = (row, names) => JSON.stringify(names.map((n) => {
  const v = row[n];
  return v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'bigint' ? v.toString() : v;
}));
const walk = (d) => readdirSync(d).flatMap((e) => { const p = join(d, e); return statSync(p).isDirectory() ? walk(p) : [p]; });

const con = await connect();
const rowsOf = async (sql) => (await (await con.run(sql)).getRowObjects());
if (!Array.isArray(manifest.iceberg) || manifest.iceberg.length === 0) fail('the manifest lists no Iceberg table');
for (const t of manifest.iceberg) {
  const root = fileURLToPath(t.location);
  if (!root.startsWith(dir)) fail(`${t.table}: its location ${t.location} is not under ${dir}`);
  const sub = root.slice(dir.length).replace(/^\//, '');
  const hint = readFileSync(join(root, 'metadata/version-hint.text'), 'utf8');
  if (hint !== '1') fail(`${t.table}: version-hint.text says '${hint}', not 1`);
  const meta = JSON.parse(readFileSync(join(root, 'metadata/v1.metadata.json'), 'utf8'));
  if (meta['format-version'] !== 2 || meta.location !== t.location) fail(`${t.table}: not a v2 table at ${t.location}`);
  const schema = meta.schemas.find((s) => s['schema-id'] === meta['current-schema-id']);
  const spec = meta['partition-specs'].find((s) => s['spec-id'] === meta['default-spec-id']);
  const snap = meta.snapshots.find((s) => s['snapshot-id'] === meta['current-snapshot-id']);
  if (!schema || !spec || !snap || meta.refs.main['snapshot-id'] !== snap['snapshot-id']) fail(`${t.table}: no current schema, spec or snapshot`);
  const typeOf = new Map(schema.fields.map((f) => [f.id, f.type]));
  const nameOf = new Map(schema.fields.map((f) => [f.id, f.name]));

  // the manifest list and the manifests, with the spec's schemas
  const list = await decode(fileURLToPath(snap['manifest-list']), manifestFileSchema);
  for (const k of ['snapshot-id', 'sequence-number', 'format-version'])
    if (!list.meta[k]) fail(`${t.table}: the manifest list has no '${k}' metadata`);
  if (list.records.length < 1) fail(`${t.table}: the manifest list lists no manifest`);
  const partType = (f) => (f.transform === 'identity' ? typeOf.get(f['source-id']) : 'int');
  const pfields = spec.fields.map((f) => ({ name: f.name, type: ['null', partType(f)], default: null }));
  const entries = [];
  for (const mf of list.records) {
    const man = await decode(fileURLToPath(mf.manifest_path), entrySchema(pfields));
    for (const k of ['schema', 'schema-id', 'partition-spec', 'partition-spec-id', 'format-version', 'content'])
      if (!man.meta[k]) fail(`${t.table}: a manifest has no '${k}' metadata`);
    if (man.meta.content.toString() !== 'data' || man.meta['format-version'].toString() !== '2') fail(`${t.table}: manifest metadata`);
    if (statSync(fileURLToPath(mf.manifest_path)).size !== Number(mf.manifest_length)) fail(`${t.table}: manifest_length`);
    // the writer's schema carries the spec's field ids
    const df = man.writer.fields.find((f) => f.name === 'data_file');
    const ids = Object.fromEntries(df.type.fields.map((f) => [f.name, f['field-id']]));
    if (ids.file_path !== 100 || ids.partition !== 102 || ids.lower_bounds !== 125 || ids.upper_bounds !== 128 || df['field-id'] !== 2)
      fail(`${t.table}: the manifest's Avro schema lacks the spec's field ids: ${JSON.stringify(ids)}`);
    const pids = df.type.fields.find((f) => f.name === 'partition').type.fields.map((f) => f['field-id']);
    if (JSON.stringify(pids) !== JSON.stringify(spec.fields.map((f) => f['field-id']))) fail(`${t.table}: partition field ids ${pids}`);
    // the list's counts and partition summaries are this manifest's
    const rows = man.records.reduce((a, e) => a + BigInt(e.data_file.record_count), 0n);
    if (Number(mf.added_files_count) !== man.records.length || BigInt(mf.added_rows_count) !== rows ||
      Number(mf.added_snapshot_id) !== snap['snapshot-id'])
      fail(`${t.table}: the manifest list counts ${mf.added_files_count}/${mf.added_rows_count}, the manifest has ${man.records.length}/${rows}`);
    spec.fields.forEach((f, i) => {
      const vals = man.records.map((e) => single(partType(f), e.data_file.partition[f.name]));
      const less = (a, c) => (partType(f) === 'int' ? a.readInt32LE() < c.readInt32LE() : Buffer.compare(a, c) < 0);
      const lo = vals.reduce((a, v) => (less(v, a) ? v : a)), hi = vals.reduce((a, v) => (less(a, v) ? v : a));
      const s = mf.partitions[i];
      if (!s || s.contains_null || !s.lower_bound.equals(lo) || !s.upper_bound.equals(hi)) fail(`${t.table}: partition summary of ${f.name}`);
    });
    entries.push(...man.records);
  }

  // each data file: listed once, and what the manifest says of it is what it holds
  const paths = entries.map((e) => fileURLToPath(e.data_file.file_path));
  if (new Set(paths).size !== paths.length) fail(`${t.table}: a data file is listed twice`);
  const onDisk = walk(join(root, 'data')).filter((p) => !p.split('/').pop().startsWith('.')).sort();
  if (JSON.stringify(onDisk) !== JSON.stringify([...paths].sort())) fail(`${t.table}: data/ holds ${onDisk.length} files, the manifest lists ${paths.length}`);
  const cols = schema.fields;
  const q = (c) => (c.type === 'date' ? `date_diff('day', DATE '1970-01-01', %(${c.name}))` : `%(${c.name})`);
  const aggs = cols.map((c, i) => `${q(c).replace('%', 'min')} AS lo${i}, ${q(c).replace('%', 'max')} AS hi${i}, count(${c.name}) AS n${i}`);
  const parts = spec.fields.map((f, i) => {
    const src = nameOf.get(f['source-id']);
    return f.transform === 'identity' ? `min(${src}) AS p${i}, max(${src}) AS q${i}`
      : f.transform === 'year' ? `min(year(${src}) - 1970) AS p${i}, max(year(${src}) - 1970) AS q${i}`
        : `min((year(${src}) - 1970) * 12 + month(${src}) - 1) AS p${i}, max((year(${src}) - 1970) * 12 + month(${src}) - 1) AS q${i}`;
  });
  const got = new Map((await rowsOf(`SELECT filename, count(*) AS rows, ${[...aggs, ...parts].join(', ')}
    FROM read_parquet('${root}/data/**/*.parquet', filename = true, hive_partitioning = false) GROUP BY filename`))
    .map((r) => [r.filename, r]));
  let rows = 0n, bytes = 0n;
  for (const e of entries) {
    const d = e.data_file, path = fileURLToPath(d.file_path), r = got.get(path);
    if (e.status !== 1 || d.content !== 0 || d.file_format !== 'PARQUET') fail(`${path}: status ${e.status}, content ${d.content}, format ${d.file_format}`);
    if (!r && Number(d.record_count) !== 0) fail(`${path}: DuckDB read no rows of it`);
    const n = r ? Number(r.rows) : 0;
    if (Number(d.record_count) !== n) fail(`${path}: record_count ${d.record_count}, DuckDB counts ${n}`);
    if (Number(d.file_size_in_bytes) !== statSync(path).size) fail(`${path}: file_size_in_bytes ${d.file_size_in_bytes}`);
    rows += BigInt(n);
    bytes += BigInt(d.file_size_in_bytes);
    const m = (k) => new Map((d[k] ?? []).map((x) => [x.key, x.value]));
    const [sizes, values, nulls, lo, hi] = ['column_sizes', 'value_counts', 'null_value_counts', 'lower_bounds', 'upper_bounds'].map(m);
    let sized = 0;
    cols.forEach((c, i) => {
      if (Number(values.get(c.id)) !== n || Number(nulls.get(c.id)) !== 0) fail(`${path}: ${c.name}: value/null counts ${values.get(c.id)}/${nulls.get(c.id)}, rows ${n}`);
      sized += Number(sizes.get(c.id) ?? 0);
      if (!n) return;
      // a double's zero bound may be -0.0 (the spec orders -0.0 before +0.0)
      const same = (x, y) => x && (c.type === 'double' ? x.readDoubleLE() === y.readDoubleLE() : x.equals(y));
      const want = [single(c.type, r[`lo${i}`]), single(c.type, r[`hi${i}`])];
      if (!same(lo.get(c.id), want[0])) fail(`${path}: ${c.name}: lower bound ${lo.get(c.id)?.toString('hex')}, DuckDB's min ${want[0].toString('hex')}`);
      if (hi.has(c.id) ? !same(hi.get(c.id), want[1]) : !(c.type === 'string' && Buffer.byteLength(r[`hi${i}`]) >= 64))
        fail(`${path}: ${c.name}: upper bound ${hi.get(c.id)?.toString('hex')}, DuckDB's max ${want[1].toString('hex')}`);
    });
    if (sized <= 0 || sized >= Number(d.file_size_in_bytes)) fail(`${path}: column_sizes sum to ${sized} of ${d.file_size_in_bytes} bytes`);
    spec.fields.forEach((f, i) => {
      const v = d.partition[f.name];
      if (n && (String(r[`p${i}`]) !== String(v) || String(r[`q${i}`]) !== String(v)))
        fail(`${path}: partition ${f.name} = ${v}, its rows have ${r[`p${i}`]} .. ${r[`q${i}`]}`);
    });
  }
  const sum = snap.summary;
  if (sum.operation !== 'append' || BigInt(sum['total-records']) !== rows || Number(sum['total-data-files']) !== entries.length || BigInt(sum['total-files-size']) !== bytes)
    fail(`${t.table}: snapshot summary ${JSON.stringify(sum)}`);

  // the schema's ids are the Parquet files' field ids
  if (paths.length) {
    const buf = readFileSync(paths[0]);
    const pm = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    const pq = pm.schema.slice(1).map((s) => [s.name, s.field_id]);
    const ice = cols.map((c) => [c.name, c.id]);
    if (JSON.stringify(pq) !== JSON.stringify(ice)) fail(`${t.table}: Parquet field ids ${JSON.stringify(pq)}, schema ${JSON.stringify(ice)}`);
  }

  // icebird's rows are the plain table's
  const ice = await icebergRead({ tableUrl: t.location });
  const names = cols.map((c) => c.name);
  const plainFiles = readdirSync(join(plainDir, sub)).filter((f) => f.startsWith('part-')).map((f) => join(plainDir, sub, f));
  const plain = [];
  for (const p of plainFiles) {
    const buf = readFileSync(p);
    plain.push(...await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length), compressors }));
  }
  const a = ice.map((r) => canon(r, names)).sort(), b = plain.map((r) => canon(r, names)).sort();
  if (a.length !== b.length) fail(`${t.table}: icebird read ${a.length} rows, the plain table has ${b.length}`);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) fail(`${t.table}: icebird's rows differ from the plain table's: ${a[i]} vs ${b[i]}`);
  console.log(`ok: ${t.table}: ${entries.length} data files, ${rows} rows; icebird, avsc (spec schemas) and DuckDB agree`);
}
