// The days' central invariant, by DuckDB alone: the snapshot with the
// changes of days 1 .. D applied is the state `--as-of D` wrote, row for
// row. Applying a day (as a MERGE would): every delete and update_before
// row must be a row of the state (its before-image, matched on all its
// columns, each once), is removed; every insert and update_after row is
// added. Each day's batch is read from its Hive partition
// (_changes/batch_date=YYYY-MM-DD/, with --tables _changes/TABLE/batch_date=)
// and must also hold:
//   op only insert, delete, update_before, update_after; change_ts on the
//   batch's date; an update_before and an update_after for each updated
//   key; an inserted key not in the state before (the flat table's key is
//   (playlist_id, track_id): a playlist holds a track once, and a removed
//   track is not put back; a table's key is its manifest's), and the key
//   unique after.
// It prints each day's counts by op, which must be the manifest's. And a
// type 2 slowly changing dimension built from the snapshot and the feed
// alone (each version valid from its change's time to the next one's or
// its delete's) holds, as of the end of each day, that day's state.
//
// A --tables dataset (its manifest has `tables`) is checked table by
// table: playlists, playlist_tracks, albums and tracks as above; each day
// holds at most one change of a playlist (a follower count is one update
// of playlists, not one of each placement), playlist_tracks has no updates
// (a position's track never changes), albums only inserts (a release's
// single), and a day's tracks inserted are its albums inserted, released
// that day (release_date, the batch's date: their albums'); artists, which
// do not change, are the snapshot's in the state. With FLAT_AS_OF_DIR (the
// flat dataset --as-of D of the same seed), the state's join
// playlist_tracks x playlists x tracks x artists x albums, projected to
// the 24 columns, is that dataset's rows, but for the popularity of the
// tracks released since day 0 (the tracks table's is the day's count, the
// flat rows' the level a release settles to).
//
// usage: node days_check.mjs SNAPSHOT_DIR FIRST_DAY LAST_DAY AS_OF_DIR [CHANGES_DIR [FLAT_AS_OF_DIR]]
// (SNAPSHOT_DIR holds the state before FIRST_DAY; CHANGES_DIR, default
// SNAPSHOT_DIR, the days' changes)
import { connect, fail, manifestOf, readSql } from './dataset_read.mjs';

const [snapDir, firstArg, lastArg, asOfDir, changesArg, flatArg] = process.argv.slice(2);
const first = Number(firstArg), last = Number(lastArg), changesDir = changesArg || snapDir;
const con = await connect();
const rows = async (sql) => (await (await con.run(sql)).getRowObjects()).map((r) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
const one = async (sql) => (await rows(sql))[0];

const snap = manifestOf(snapDir), changes = manifestOf(changesDir), asOf = manifestOf(asOfDir);
const format = snap.dataset.format, ext = format === 'parquet' ? 'parquet' : 'csv';
const days = Object.fromEntries(changes.days.days.map((d) => [d.day, d]));

// Table `name` (its folder, or '' for the flat dataset) through the days:
// its columns, its key, and each day's counts in the manifest.
async function applyDays(name, fields, key, counts) {
  const cols = fields.map((f) => f.name).join(', '), k = key.join(', ');
  const folder = name ? `${name}/` : '', state = `state_${name || 'flat'}`;
  const changeFields = [{ name: 'op', type: 'string' }, { name: 'change_ts', type: 'timestamp' }, ...fields];
  await con.run(`CREATE TABLE ${state} AS SELECT ${cols} FROM ${readSql(`${snapDir}/${folder}part-*.${ext}`, format, fields)}`);
  await con.run(`CREATE OR REPLACE TABLE all_changes AS SELECT * FROM ${readSql(
    `${changesDir}/_changes/${folder}*/part-*.${ext}`, format, changeFields, ', hive_partitioning = true')}`);
  const what = name || 'the flat dataset';
  // A slowly changing dimension (type 2) built from the feed alone, as a
  // pipeline would: each version of a key from the snapshot's date or its
  // change's time (insert, update_after) to the next one's, or to its
  // delete; its rows valid at the end of each day must be that day's state.
  const opened = `epoch_us(TIMESTAMP '${snap.days.as_of_date} 00:00:00')`, forever = 253402300799000000n;
  await con.run(`CREATE OR REPLACE TABLE scd2 AS SELECT * EXCLUDE (since, opens, next_at), since AS valid_from,
      coalesce(next_at, ${forever}) AS valid_to, next_at IS NULL AS is_current
    FROM (SELECT *, lead(since) OVER (PARTITION BY ${k} ORDER BY since, opens) AS next_at FROM (
      SELECT ${cols}, ${opened} AS since, 1 AS opens FROM ${state}
      UNION ALL SELECT ${cols}, epoch_us(change_ts), 1 FROM all_changes WHERE op IN ('insert', 'update_after')
      UNION ALL SELECT ${cols}, epoch_us(change_ts), 0 FROM all_changes WHERE op = 'delete'))
    WHERE opens = 1`);
  const current = await one(`SELECT count(*) n FROM (SELECT ${k} FROM scd2 WHERE is_current GROUP BY ALL HAVING count(*) > 1)`);
  if (current.n) fail(`${what}: ${current.n} keys with more than one current version in the SCD2 built from the feed`);
  for (let day = first; day <= last; day++) {
    const want = counts(days[day]);
    if (!want) fail(`the manifest of ${changesDir} has no day ${day} of ${what}`);
    const date = days[day].batch_date;
    await con.run(`CREATE OR REPLACE TABLE c AS SELECT * FROM all_changes WHERE CAST(batch_date AS VARCHAR) = '${date}'`);
    const n = await one(`SELECT count(*) n, count(*) FILTER (op = 'insert') ins, count(*) FILTER (op = 'delete') del,
        count(*) FILTER (op = 'update_before') ub, count(*) FILTER (op = 'update_after') ua,
        count(*) FILTER (op NOT IN ('insert', 'delete', 'update_before', 'update_after')) bad,
        count(*) FILTER (CAST(change_ts AS DATE) <> DATE '${date}') off_day FROM c`);
    const at = `${what}, day ${day}`;
    if (n.bad) fail(`${at}: ${n.bad} rows of an unknown op`);
    if (n.off_day) fail(`${at}: ${n.off_day} rows whose change_ts is not on ${date}`);
    if (n.ub !== n.ua) fail(`${at}: ${n.ub} update_before rows but ${n.ua} update_after`);
    if (n.ins !== want.inserts || n.del !== want.deletes || n.ua !== want.updates)
      fail(`${at}: ${n.ins} inserts, ${n.del} deletes, ${n.ua} updates; the manifest says ${want.inserts}, ` +
        `${want.deletes}, ${want.updates}`);
    const pairs = await one(`SELECT count(*) n FROM (SELECT ${k} FROM c WHERE op = 'update_before'
        EXCEPT SELECT ${k} FROM c WHERE op = 'update_after')`);
    if (pairs.n) fail(`${at}: ${pairs.n} update_before rows without their update_after`);
    const twice = await one(`SELECT count(*) n FROM c JOIN ${state} USING (${k}) WHERE op = 'insert'`);
    if (twice.n) fail(`${at}: ${twice.n} inserted rows whose (${k}) the state holds already`);
    const before = await one(`SELECT count(*) n FROM ${state}`);
    // removed: each before-image matches a row of the state, on every column
    await con.run(`CREATE OR REPLACE TABLE gone AS SELECT ${cols} FROM c WHERE op IN ('delete', 'update_before')`);
    const unmatched = await one(`SELECT count(*) n FROM (SELECT * FROM gone EXCEPT ALL SELECT ${cols} FROM ${state})`);
    if (unmatched.n) {
      const ex = await rows(`SELECT * FROM (SELECT * FROM gone EXCEPT ALL SELECT ${cols} FROM ${state}) LIMIT 3`);
      fail(`${at}: ${unmatched.n} delete or update_before rows are no row of the state: ${JSON.stringify(ex)}`);
    }
    await con.run(`CREATE OR REPLACE TABLE ${state} AS (SELECT ${cols} FROM ${state} EXCEPT ALL SELECT * FROM gone)
        UNION ALL SELECT ${cols} FROM c WHERE op IN ('insert', 'update_after')`);
    const after = await one(`SELECT count(*) n FROM ${state}`);
    if (after.n !== before.n - n.del - n.ub + n.ins + n.ua) fail(`${at}: the state has ${after.n} rows after it`);
    const dup = await one(`SELECT count(*) n FROM (SELECT ${k} FROM ${state} GROUP BY ALL HAVING count(*) > 1)`);
    if (dup.n) fail(`${at}: ${dup.n} (${k}) keys twice in the state after it`);
    if (name === 'playlists') { // one change of a playlist a day: an insert, a delete, or one update
      const again = await one(`SELECT count(*) n FROM (SELECT playlist_id FROM c WHERE op <> 'update_after'
          GROUP BY ALL HAVING count(*) > 1)`);
      if (again.n) fail(`${at}: ${again.n} playlists changed more than once`);
    }
    const cut = `epoch_us(CAST(DATE '${date}' + INTERVAL 1 DAY AS TIMESTAMP))`;
    const valid = `SELECT ${cols} FROM scd2 WHERE valid_from < ${cut} AND valid_to >= ${cut}`;
    const scd = await one(`SELECT (SELECT count(*) FROM (${valid} EXCEPT ALL SELECT ${cols} FROM ${state})) +
        (SELECT count(*) FROM (SELECT ${cols} FROM ${state} EXCEPT ALL ${valid})) n`);
    if (scd.n) fail(`${at}: the SCD2 built from the feed, as of the end of the day, differs from the state by ${scd.n} rows`);
    if (name === 'playlist_tracks' && n.ua) fail(`${at}: ${n.ua} updates of placements`);
    if (name === 'albums') {
      if (n.del || n.ua) fail(`${at}: albums deleted or updated`);
      const off = await one(`SELECT count(*) n FROM c WHERE CAST(release_date AS DATE) <> DATE '${date}'`);
      if (off.n) fail(`${at}: ${off.n} albums inserted that are not released on ${date}`);
    }
    if (name === 'tracks') {
      if (n.del) fail(`${at}: tracks deleted`);
      const albums = await one(`SELECT count(*) n FROM c WHERE op = 'insert' AND album_id NOT IN
          (SELECT album_id FROM state_albums)`);
      if (albums.n) fail(`${at}: ${albums.n} tracks inserted whose album is not in the albums' state`);
    }
    console.log(`${what}, day ${day} (${date}): ${n.ins} inserts, ${n.del} deletes, ${n.ua} updates; ${after.n} rows after`);
  }
  await con.run(`CREATE TABLE as_of AS SELECT ${cols} FROM ${readSql(`${asOfDir}/${folder}part-*.${ext}`,
    asOf.dataset.format, fields)}`);
  const extra = await one(`SELECT count(*) n FROM (SELECT * FROM ${state} EXCEPT ALL SELECT * FROM as_of)`);
  const missing = await one(`SELECT count(*) n FROM (SELECT * FROM as_of EXCEPT ALL SELECT * FROM ${state})`);
  const total = await one('SELECT count(*) n FROM as_of');
  await con.run('DROP TABLE as_of');
  if (extra.n || missing.n)
    fail(`${what}: the snapshot with days ${first}..${last} applied differs from --as-of ${last}: ${extra.n} rows ` +
      `not in it, ${missing.n} of its ${total.n} rows missing`);
  console.log(`ok: ${what}: the snapshot with days ${first}..${last} applied is the state as of day ${last} ` +
    `(${total.n} rows)`);
}

if (!snap.tables) {
  await applyDays('', snap.schema.spark.fields, ['playlist_id', 'track_id'], (d) => d);
  process.exit(0);
}

const tables = snap.tables;
for (const name of ['playlists', 'playlist_tracks', 'albums', 'tracks'])
  await applyDays(name, tables[name].columns, tables[name].key, (d) => d?.tables?.[name]);
// what does not change is the snapshot's
for (const name of ['artists']) {
  const t = tables[name], read = (dir) => readSql(`${dir}/${name}/part-*.${ext}`, format, t.columns);
  const n = await one(`SELECT (SELECT count(*) FROM (SELECT * FROM ${read(snapDir)} EXCEPT ALL SELECT * FROM
      ${read(asOfDir)})) + (SELECT count(*) FROM (SELECT * FROM ${read(asOfDir)} EXCEPT ALL SELECT * FROM
      ${read(snapDir)})) n`);
  if (n.n) fail(`${name}: the state as of day ${last} differs from the snapshot by ${n.n} rows`);
}
if (flatArg) { // the state's join is the flat dataset's state
  const flat = manifestOf(flatArg), flatFields = flat.schema.spark.fields;
  const read = (n) => readSql(`${asOfDir}/${n}/part-*.${ext}`, format, tables[n].columns);
  const start = snap.dataset.days.start; // day 0's date: a release since then shows its level in the flat rows
  const released = (p) => `CASE WHEN CAST(release_date AS DATE) > DATE '${start}' THEN NULL ELSE ${p} END`;
  const pick = flatFields.map((f) => (f.name === 'artist_id' ? 'tr.artist_id' : f.name === 'popularity_score'
    ? `${released('popularity_score')} AS popularity_score` : f.name)).join(', ');
  await con.run(`CREATE TABLE joined AS SELECT ${pick} FROM ${read('playlist_tracks')} pt
    JOIN ${read('playlists')} USING (playlist_id) JOIN ${read('tracks')} tr USING (track_id)
    JOIN ${read('artists')} ar ON tr.artist_id = ar.artist_id JOIN ${read('albums')} al ON tr.album_id = al.album_id`);
  await con.run(`CREATE TABLE flat AS SELECT * REPLACE (${released('popularity_score')} AS popularity_score)
    FROM ${readSql(`${flatArg}/part-*.${ext}`, flat.dataset.format, flatFields)}`);
  const fresh = await one(`SELECT count(*) n FROM flat WHERE popularity_score IS NULL`);
  console.log(`the flat dataset as of day ${last} places new releases in ${fresh.n} rows`);
  const d = await one(`SELECT (SELECT count(*) FROM (SELECT * FROM joined EXCEPT ALL SELECT * FROM flat)) a,
      (SELECT count(*) FROM (SELECT * FROM flat EXCEPT ALL SELECT * FROM joined)) b, (SELECT count(*) FROM flat) n`);
  if (d.a || d.b) fail(`the join of the state as of day ${last} differs from the flat dataset's: ${d.a} rows not ` +
    `in it, ${d.b} of its ${d.n} missing`);
  console.log(`ok: the join of the tables as of day ${last} is the flat dataset as of day ${last} (${d.n} rows)`);
}
console.log(`ok: artists as of day ${last} are the snapshot's`);
