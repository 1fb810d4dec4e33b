// The days' central invariant, by DuckDB alone: the snapshot with the
// changes of days 1 .. D applied is the state `--as-of D` wrote, row for
// row. Applying a day (as a MERGE would): every delete and update_before
// row must be a row of the state (its before-image, matched on all 24
// columns, each once), is removed; every insert and update_after row is
// added. Each day's batch is read from its Hive partition
// (changes/batch_date=YYYY-MM-DD/) and must also hold:
//   op only insert, delete, update_before, update_after; change_ts on the
//   batch's date; an update_before and an update_after for each updated
//   (playlist_id, track_id); an inserted key not in the state before (the
//   flat table's key is (playlist_id, track_id): a playlist holds a track
//   once, and a removed track is not put back), and the key unique after.
// It prints each day's counts by op, which must be the manifest's.
//
// usage: node days_check.mjs SNAPSHOT_DIR FIRST_DAY LAST_DAY AS_OF_DIR [CHANGES_DIR]
// (SNAPSHOT_DIR holds the state before FIRST_DAY; CHANGES_DIR, default
// SNAPSHOT_DIR, the days' changes)
import { connect, fail, manifestOf, readSql } from './dataset_read.mjs';

const [snapDir, firstArg, lastArg, asOfDir, changesArg] = process.argv.slice(2);
const first = Number(firstArg), last = Number(lastArg), changesDir = changesArg ?? snapDir;
const con = await connect();
const rows = async (sql) => (await (await con.run(sql)).getRowObjects()).map((r) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
const one = async (sql) => (await rows(sql))[0];

const snap = manifestOf(snapDir), changes = manifestOf(changesDir), asOf = manifestOf(asOfDir);
const format = snap.dataset.format, ext = format === 'parquet' ? 'parquet' : 'csv';
const fields = snap.schema.spark.fields;
const cols = fields.map((f) => f.name).join(', ');
const changeFields = [{ name: 'op', type: 'string' }, { name: 'change_ts', type: 'timestamp' }, ...fields];
await con.run(`CREATE TABLE state AS SELECT ${cols} FROM ${readSql(`${snapDir}/part-*.${ext}`, format, fields)}`);
await con.run(`CREATE TABLE all_changes AS SELECT * FROM ${readSql(`${changesDir}/changes/*/part-*.${ext}`, format,
  changeFields, ', hive_partitioning = true')}`);
const days = Object.fromEntries(changes.days.days.map((d) => [d.day, d]));

for (let day = first; day <= last; day++) {
  const want = days[day];
  if (!want) fail(`the manifest of ${changesDir} has no day ${day}`);
  const date = want.batch_date;
  await con.run(`CREATE OR REPLACE TABLE c AS SELECT * FROM all_changes WHERE CAST(batch_date AS VARCHAR) = '${date}'`);
  const n = await one(`SELECT count(*) n, count(*) FILTER (op = 'insert') ins, count(*) FILTER (op = 'delete') del,
      count(*) FILTER (op = 'update_before') ub, count(*) FILTER (op = 'update_after') ua,
      count(*) FILTER (op NOT IN ('insert', 'delete', 'update_before', 'update_after')) bad,
      count(*) FILTER (CAST(change_ts AS DATE) <> DATE '${date}') off_day FROM c`);
  if (n.bad) fail(`day ${day}: ${n.bad} rows of an unknown op`);
  if (n.off_day) fail(`day ${day}: ${n.off_day} rows whose change_ts is not on ${date}`);
  if (n.ub !== n.ua) fail(`day ${day}: ${n.ub} update_before rows but ${n.ua} update_after`);
  if (n.ins !== want.inserts || n.del !== want.deletes || n.ua !== want.updates)
    fail(`day ${day}: ${n.ins} inserts, ${n.del} deletes, ${n.ua} updates; the manifest says ${want.inserts}, ` +
      `${want.deletes}, ${want.updates}`);
  const pairs = await one(`SELECT count(*) n FROM (SELECT playlist_id, track_id FROM c WHERE op = 'update_before'
      EXCEPT SELECT playlist_id, track_id FROM c WHERE op = 'update_after')`);
  if (pairs.n) fail(`day ${day}: ${pairs.n} update_before rows without their update_after`);
  const twice = await one(`SELECT count(*) n FROM c JOIN state USING (playlist_id, track_id) WHERE op = 'insert'`);
  if (twice.n) fail(`day ${day}: ${twice.n} inserted rows whose (playlist_id, track_id) the state holds already`);
  const before = await one('SELECT count(*) n FROM state');
  // removed: each before-image matches a row of the state, on every column
  await con.run(`CREATE OR REPLACE TABLE gone AS SELECT ${cols} FROM c WHERE op IN ('delete', 'update_before')`);
  const unmatched = await one(`SELECT count(*) n FROM (SELECT * FROM gone EXCEPT ALL SELECT ${cols} FROM state)`);
  if (unmatched.n) {
    const ex = await rows(`SELECT playlist_id, track_id, num_followers FROM (SELECT * FROM gone EXCEPT ALL
        SELECT ${cols} FROM state) LIMIT 3`);
    fail(`day ${day}: ${unmatched.n} delete or update_before rows are no row of the state: ${JSON.stringify(ex)}`);
  }
  await con.run(`CREATE OR REPLACE TABLE state AS (SELECT ${cols} FROM state EXCEPT ALL SELECT * FROM gone)
      UNION ALL SELECT ${cols} FROM c WHERE op IN ('insert', 'update_after')`);
  const after = await one('SELECT count(*) n FROM state');
  if (after.n !== before.n - n.del - n.ub + n.ins + n.ua) fail(`day ${day}: the state has ${after.n} rows after it`);
  const dup = await one(`SELECT count(*) n FROM (SELECT playlist_id, track_id FROM state GROUP BY ALL HAVING count(*) > 1)`);
  if (dup.n) fail(`day ${day}: ${dup.n} (playlist_id, track_id) keys twice in the state after it`);
  console.log(`day ${day} (${date}): ${n.ins} inserts, ${n.del} deletes, ${n.ua} updates; ${after.n} rows after`);
}

await con.run(`CREATE TABLE as_of AS SELECT ${cols} FROM ${readSql(`${asOfDir}/part-*.${ext}`, asOf.dataset.format, fields)}`);
const extra = await one(`SELECT count(*) n FROM (SELECT * FROM state EXCEPT ALL SELECT * FROM as_of)`);
const missing = await one(`SELECT count(*) n FROM (SELECT * FROM as_of EXCEPT ALL SELECT * FROM state)`);
const total = await one('SELECT count(*) n FROM as_of');
if (extra.n || missing.n)
  fail(`the snapshot with days ${first}..${last} applied differs from --as-of ${last}: ${extra.n} rows not in it, ` +
    `${missing.n} of its ${total.n} rows missing`);
console.log(`ok: the snapshot with days ${first}..${last} applied is the state as of day ${last} (${total.n} rows)`);
