// Reads a dataset written with --days N --table-format iceberg with icebird
// (a JavaScript Iceberg reader someone else wrote, which applies position
// delete files), and checks the history its tables promise:
// - time travel to day D's snapshot (the snapshot of sequence number D + 1,
//   made current in the metadata icebird is given) reads, table by table,
//   the rows the state of day D holds (--as-of D --table-format iceberg, a
//   table of one snapshot, read by icebird too), as multisets;
// - each snapshot's parent is the one before, its timestamp the end of its
//   day, and its summary's totals are what it lists; the current snapshot's
//   rows are total-records less total-position-deletes;
// - every position delete file is sorted by file_path then pos, and names
//   only rows of data files that its snapshot or an earlier one added,
//   each row at most once over the table's history.
//
// usage: node iceberg_days_check.mjs ICEBERG_DIR DAY:STATE_DIR ...
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { icebergRead } from 'icebird';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import avro from 'avsc';
import './file_fetch.mjs'; // file:// URLs served from disk, for icebird
import { fail, manifestOf } from './dataset_read.mjs';

const [dirArg, ...pairs] = process.argv.slice(2);
const dir = resolve(dirArg);
const manifest = manifestOf(dir);
const metadataOf = (d, t) => JSON.parse(readFileSync(`${d}/${t.metadata}`, 'utf8'));
const canon = (row) => JSON.stringify(row, (k, v) => (typeof v === 'bigint' ? v.toString() : v));
const multiset = (rows) => { const m = new Map(); for (const r of rows) { const k = canon(r); m.set(k, (m.get(k) ?? 0) + 1); } return m; };
const decode = (path) => new Promise((ok, ko) => { const rows = []; avro.createFileDecoder(path)
  .on('data', (r) => rows.push(r)).on('end', () => ok(rows)).on('error', ko); });

const start = manifest.dataset.days.start; // day 0's date
for (const t of manifest.iceberg) {
  const meta = metadataOf(dir, t);
  const snaps = [...meta.snapshots].sort((a, b) => a['sequence-number'] - b['sequence-number']);
  const days = manifest.dataset.days.last + 1;
  if (snaps.length !== days) fail(`${t.table}: ${snaps.length} snapshots, not ${days}`);
  // the history: parents, times, totals
  const startMs = Date.parse(`${start}T00:00:00Z`);
  const seen = new Map(); // data file path -> the sequence number that added it
  const deleted = new Set();
  for (const [i, s] of snaps.entries()) {
    if (i > 0 && s['parent-snapshot-id'] !== snaps[i - 1]['snapshot-id']) fail(`${t.table}: snapshot ${i}'s parent`);
    if (s['timestamp-ms'] !== startMs + (i + 1) * 86400000 - 1) fail(`${t.table}: snapshot ${i} at ${s['timestamp-ms']}`);
    const list = await decode(fileURLToPath(s['manifest-list']));
    let data = 0, records = 0, deletes = 0, positions = 0;
    for (const mf of list) {
      const entries = await decode(fileURLToPath(mf.manifest_path));
      for (const e of entries) {
        const f = e.data_file, seq = Number(mf.sequence_number);
        if (f.content === 0) {
          data++;
          records += Number(f.record_count);
          if (!seen.has(f.file_path)) seen.set(f.file_path, seq);
          continue;
        }
        if (f.content !== 1) fail(`${t.table}: a delete file of content ${f.content}`);
        deletes++;
        positions += Number(f.record_count);
        if (Number(mf.sequence_number) !== s['sequence-number']) continue; // checked when it was added
        const rows = await parquetReadObjects({ file: await (await fetch(f.file_path)).arrayBuffer(), compressors });
        if (rows.length !== Number(f.record_count)) fail(`${f.file_path}: ${rows.length} rows, record_count ${f.record_count}`);
        for (const [k, r] of rows.entries()) {
          if (k > 0 && (rows[k - 1].file_path > r.file_path ||
              (rows[k - 1].file_path === r.file_path && rows[k - 1].pos >= r.pos)))
            fail(`${f.file_path}: row ${k} is not after the one before it (file_path, then pos)`);
          const added = seen.get(r.file_path);
          if (added === undefined || added > seq) fail(`${f.file_path}: row ${k} deletes from ${r.file_path}, no earlier data file`);
          const key = `${r.file_path}#${r.pos}`;
          if (deleted.has(key)) fail(`${f.file_path}: row ${k} deletes ${key} again`);
          deleted.add(key);
        }
      }
    }
    const sum = s.summary;
    if (Number(sum['total-data-files']) !== data || Number(sum['total-records']) !== records ||
        Number(sum['total-delete-files']) !== deletes || Number(sum['total-position-deletes']) !== positions)
      fail(`${t.table}: snapshot ${i}'s summary counts other files than its manifests list`);
  }
  const location = t.location;
  const read = async (s) => icebergRead({ tableUrl: location, metadata: { ...meta, 'current-snapshot-id': s['snapshot-id'] } });
  const cur = snaps[snaps.length - 1].summary;
  const now = await read(snaps[snaps.length - 1]);
  if (now.length !== Number(cur['total-records']) - Number(cur['total-position-deletes']))
    fail(`${t.table}: icebird reads ${now.length} rows; the summary says ${cur['total-records']} less ${cur['total-position-deletes']}`);
  for (const pair of pairs) {
    const [day, stateArg] = pair.split(':'), stateDir = resolve(stateArg);
    const st = manifestOf(stateDir).iceberg.find((x) => x.table === t.table);
    if (!st) fail(`${stateDir} has no table ${t.table}`);
    const want = multiset(await icebergRead({ tableUrl: st.location }));
    const got = multiset(await read(snaps[Number(day)]));
    let extra = 0, missing = 0;
    for (const [k, n] of got) extra += Math.max(0, n - (want.get(k) ?? 0));
    for (const [k, n] of want) missing += Math.max(0, n - (got.get(k) ?? 0));
    if (extra || missing)
      fail(`${t.table}: time travel to day ${day} reads ${extra} rows the state of day ${day} does not hold, and ` +
        `misses ${missing} of its rows`);
    console.log(`ok: ${t.table} at day ${day}'s snapshot is the state of day ${day} (${[...want.values()].reduce((a, b) => a + b, 0)} rows)`);
  }
}
console.log(`ok: the history of ${manifest.iceberg.length} table(s): parents, times, totals, sorted deletes of earlier rows`);
