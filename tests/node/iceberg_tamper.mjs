// Plants a bug in an Iceberg table's metadata for verify to find, keeping
// the rest consistent (the manifest rewritten by avsc with the writer's
// schema and metadata, the manifest list's length and counts and the
// snapshot's summary made to agree with it):
//   bound COLUMN  the first data file's lower bound of COLUMN is made larger
//                 than any of its values (a bound that is not the file's);
//   drop          the first data file's entry is dropped (a file the table
//                 does not list).
//
// usage: node iceberg_tamper.mjs TABLE_DIR bound COLUMN | drop
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';

const [dir, what, column] = process.argv.slice(2);
const metaPath = join(dir, 'metadata/v1.metadata.json');
const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
const snap = meta.snapshots[0];

const read = (path) => new Promise((ok, ko) => {
  const records = [];
  let type, header;
  avro.createFileDecoder(path)
    .on('metadata', (t, codec, h) => { type = t; header = h; })
    .on('data', (r) => records.push(r)).on('end', () => ok({ records, type, header })).on('error', ko);
});
const write = (path, { records, type, header }) => new Promise((ok, ko) => {
  const metadata = Object.fromEntries(Object.entries(header.meta).filter(([k]) => !k.startsWith('avro.')));
  const enc = avro.createFileEncoder(path, type, { codec: 'deflate', metadata, writeHeader: true });
  enc.on('finish', ok).on('error', ko);
  for (const r of records) enc.write(r);
  enc.end();
});

const listPath = fileURLToPath(snap['manifest-list']);
const list = await read(listPath);
const manPath = fileURLToPath(list.records[0].manifest_path);
const man = await read(manPath);
// the writer's schema (avsc keeps its field-id attributes) is used again
man.type = avro.Type.forSchema(JSON.parse(man.header.meta['avro.schema'].toString()));
list.type = avro.Type.forSchema(JSON.parse(list.header.meta['avro.schema'].toString()));
if (what === 'bound') {
  const id = meta.schemas[0].fields.find((f) => f.name === column).id;
  const lower = man.records[0].data_file.lower_bounds.find((kv) => kv.key === id);
  lower.value = Buffer.from([0xff, 0xff, 0xff, 0x7f]); // INT32_MAX: above every value
} else {
  const [gone] = man.records.splice(0, 1);
  const d = gone.data_file, m = list.records[0], s = snap.summary;
  m.added_files_count -= 1;
  m.added_rows_count -= d.record_count;
  for (const [k, by] of [['total-data-files', 1], ['added-data-files', 1], ['total-records', d.record_count],
    ['added-records', d.record_count], ['total-files-size', d.file_size_in_bytes], ['added-files-size', d.file_size_in_bytes]])
    s[k] = String(Number(s[k]) - Number(by));
  writeFileSync(metaPath, JSON.stringify(meta, null, 2));
}
await write(manPath, man);
await new Promise((ok) => setTimeout(ok, 50)); // the encoder's stream has closed
list.records[0].manifest_length = statSync(manPath).size;
await write(listPath, list);
