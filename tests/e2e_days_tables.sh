#!/usr/bin/env bash
# generate --tables with --days, --day, --as-of: each table that changes has
# its own changes, under _changes/TABLE/batch_date=YYYY-MM-DD/.
# - The invariant, table by table, by DuckDB alone (tests/node/days_check.mjs):
#   the snapshot's playlists, playlist_tracks, albums and tracks with the
#   changes of days 1..D applied are the tables --as-of D writes, row for
#   row; a follower count is one update of playlists, a placement is
#   inserted or deleted, never updated; a release is a track and its single
#   inserted, a recount that moved a release's popularity an update of
#   tracks; artists are the snapshot's; and the join of the tables as of D
#   is the flat dataset as of D. In CSV and in Parquet, and from the state
#   of a later day (--as-of 5 --days 8). Day 1 (--start 2023-12-28, a
#   Thursday) is a Friday, and its releases are counted again on day 8.
# - Day 0 is the plain --tables dataset, byte for byte; any day's changes
#   alone (--day D) are the full run's; -np 1 and 3 write the same bytes.
# - verify passes each kind of run, and names a playlists' change row that
#   is not the model's (its size and CRC-32 mended to match).
# - A run killed part-way through the days and resumed is the uninterrupted
#   run's bytes; the report's rows over time are the placements'.
source "$(dirname "$0")/lib.sh"
cat >"$WORK/busy.json" <<'EOF'
{"days": {"births": 0.01, "deaths": 0.005, "edited": 0.5, "edit_removal": 0.1, "follower_noise": 0.05}}
EOF
ARGS=(--rows 60000 --rows-per-part 20000 --seed 7 --no-progress --config "$WORK/busy.json" --tables --start 2023-12-28)
TABLES="artists albums tracks playlists playlist_tracks"
CHANGING="playlists playlist_tracks albums tracks"
DATES=(2023-12-28 2023-12-29 2023-12-30 2023-12-31 2024-01-01 2024-01-02 2024-01-03 2024-01-04 2024-01-05)
run_np 3 generate "${ARGS[@]}" --days 8 --out "$WORK/full" 2>"$WORK/err" || fail "--tables --days 8: $(cat "$WORK/err")"
for t in $CHANGING; do
  for d in 1 2 3 4 5 6 7 8; do
    [ -f "$WORK/full/_changes/$t/batch_date=${DATES[$d]}/part-00000.csv" ] || fail "no changes of $t on ${DATES[$d]}"
  done
done
[ "$(cd "$WORK/full/_changes" && ls | tr '\n' ' ')" = "albums playlist_tracks playlists tracks " ] ||
  fail "changes of other tables: $(ls "$WORK/full/_changes")"
run_np 1 generate "${ARGS[@]}" --days 8 --out "$WORK/full1" 2>/dev/null
diff -r "$WORK/full" "$WORK/full1" -x _manifest.json >/dev/null || fail "-np 1 and -np 3 wrote other files"
[ "$(manifest_without_run "$WORK/full/_manifest.json")" = "$(manifest_without_run "$WORK/full1/_manifest.json")" ] ||
  fail "the manifests of -np 1 and -np 3 differ"
run_np 2 generate "${ARGS[@]:0:${#ARGS[@]}-2}" --out "$WORK/plain" 2>/dev/null # (no --start)
for t in $TABLES; do
  for p in "$WORK/plain/$t"/part-*.csv; do
    cmp -s "$p" "$WORK/full/$t/$(basename "$p")" || fail "day 0's $t/$(basename "$p") is not the plain --tables run's"
  done
done
run_np 2 generate "${ARGS[@]}" --day 3 --out "$WORK/day3" 2>/dev/null
[ "$(cd "$WORK/day3" && find . -name 'part-*' | sort | tr '\n' ' ')" = \
  "$(for t in albums playlist_tracks playlists tracks; do printf './_changes/%s/batch_date=2023-12-31/part-00000.csv ' $t; done)" ] ||
  fail "--day 3 wrote $(cd "$WORK/day3" && find . -name 'part-*')"
for t in $CHANGING; do
  cmp "$WORK/day3/_changes/$t/batch_date=2023-12-31/part-00000.csv" "$WORK/full/_changes/$t/batch_date=2023-12-31/part-00000.csv" ||
    fail "--day 3 alone is not the full run's day 3 of $t"
done
python3 - "$WORK/full/_manifest.json" <<'PY' || fail "the manifest's days"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["days"]["changes"] == "_changes/TABLE/batch_date=YYYY-MM-DD/", m["days"]["changes"]
for d in m["days"]["days"]:
    t = d["tables"]
    assert set(t) == {"playlists", "playlist_tracks", "albums", "tracks"}, t
    for op in ("inserts", "deletes", "updates", "rows"):
        assert d[op] == sum(x[op] for x in t.values()), (op, d)
    assert t["playlist_tracks"]["updates"] == 0, d
    # releases every day, most on Fridays (days 1 and 8); recounts on day 8
    assert t["tracks"]["inserts"] == t["albums"]["inserts"] == d["tracks_released"] > 0, d
    assert t["albums"]["deletes"] == t["albums"]["updates"] == t["tracks"]["deletes"] == 0, d
    assert t["tracks"]["updates"] == d["popularity_recounted"] and (d["popularity_recounted"] > 0) == (d["day"] == 8), d
    if d["day"] in (1, 8):
        assert d["tracks_released"] > 5 * max(x["tracks_released"] for x in m["days"]["days"] if x["day"] not in (1, 8)), d
    # a playlist born or deleted is one row of playlists; every kind, every day
    assert t["playlists"]["inserts"] == d["playlists_born"] and t["playlists"]["deletes"] == d["playlists_deleted"], d
    assert t["playlists"]["updates"] >= d["followers_changed"] > 0, d
    assert t["playlist_tracks"]["inserts"] > 0 and t["playlist_tracks"]["deletes"] > 0, d
PY
pass "--tables --days 8: the changes of playlists, playlist_tracks, albums and tracks under _changes/TABLE/, releases most on Fridays and recounts a week later, the same for -np 1 and 3; day 0 is the plain --tables run; --day 3 alone is its day 3"

run_np 2 generate "${ARGS[@]}" --as-of 8 --out "$WORK/asof8" 2>/dev/null
run_np 3 generate "${ARGS[@]}" --as-of 5 --days 8 --out "$WORK/from5" 2>/dev/null
for t in $CHANGING; do
  for d in 6 7 8; do
    cmp "$WORK/from5/_changes/$t/batch_date=${DATES[$d]}/part-00000.csv" "$WORK/full/_changes/$t/batch_date=${DATES[$d]}/part-00000.csv" ||
      fail "--as-of 5 --days 8: $t's changes of ${DATES[$d]} are not the full run's"
  done
done
for ds in full asof8 from5 day3; do
  "$SPOTGEN" verify "$WORK/$ds" >"$WORK/v.out" 2>&1 || fail "verify $ds: $(grep -i fail "$WORK/v.out" | head -5)"
done
grep -q "every table's rows are what the manifest's seed and configuration make .* pass" <("$SPOTGEN" verify "$WORK/asof8" 2>&1) ||
  fail "verify of --as-of 8 --tables does not compare the tables with the model"
pass "--as-of 5 --days 8 writes days 6..8 as the full run does; verify passes --days, --as-of, both, and --day with --tables"

if readers; then
  FLAT=(--rows 60000 --rows-per-part 20000 --seed 7 --no-progress --config "$WORK/busy.json" --start 2023-12-28)
  run_np 2 generate "${FLAT[@]}" --as-of 8 --out "$WORK/flat8" 2>/dev/null
  node "$TESTS/node/days_check.mjs" "$WORK/full" 1 8 "$WORK/asof8" "" "$WORK/flat8" >"$WORK/duck.out" ||
    fail "the invariant of the tables (CSV)"
  grep -q "places new releases in [1-9][0-9]* rows" "$WORK/duck.out" || fail "no new release is placed by day 8"
  node "$TESTS/node/days_check.mjs" "$WORK/from5" 6 8 "$WORK/asof8" >/dev/null || fail "the invariant from day 5"
  run_np 2 generate "${ARGS[@]}" --days 2 --format parquet --out "$WORK/pq" 2>/dev/null
  run_np 2 generate "${ARGS[@]}" --as-of 2 --format parquet --out "$WORK/pq2" 2>/dev/null
  run_np 2 generate "${FLAT[@]}" --as-of 2 --format parquet --out "$WORK/flatpq2" 2>/dev/null
  node "$TESTS/node/days_check.mjs" "$WORK/pq" 1 2 "$WORK/pq2" "" "$WORK/flatpq2" >/dev/null ||
    fail "the invariant of the tables (Parquet)"
  "$SPOTGEN" verify "$WORK/pq" >/dev/null 2>&1 || fail "verify of the Parquet tables' days"
  pass "DuckDB: playlists, playlist_tracks, albums and tracks with days 1..8 applied are --as-of 8's, whose join is the flat dataset as of day 8 ($(grep -o '[0-9][0-9]* rows' "$WORK/duck.out" | tail -1), $(grep -o 'places new releases in [0-9]* rows' "$WORK/duck.out")); from --as-of 5 too, and in Parquet"
fi

# A playlists' change row that is not the model's: verify names it, though
# its size and CRC-32 are mended to match.
cp -r "$WORK/full" "$WORK/tamper"
python3 - "$WORK/tamper/_changes/playlists/batch_date=2024-01-03/part-00000.csv" <<'PY'
import sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
i = next(k for k, l in enumerate(lines) if l.startswith("update_after,"))
cells = lines[i].split(",")
cells[-1] = str(int(cells[-1]) + 1)  # one follower more
lines[i] = ",".join(cells)
open(path, "wb").write("\n".join(lines).encode())
PY
mend "$WORK/tamper" _changes/playlists/batch_date=2024-01-03/part-00000.csv
if "$SPOTGEN" verify "$WORK/tamper" >"$WORK/t.out" 2>&1; then fail "verify passed a playlists' change row that is not the model's"; fi
grep -q "every day's changes are what .* FAIL: _changes/playlists/batch_date=2024-01-03/part-00000.csv row .*: num_followers" "$WORK/t.out" ||
  fail "verify did not name the changed row: $(grep FAIL "$WORK/t.out")"
pass "verify: a playlists' change row whose followers are not the model's fails the changes' check, naming the file, row and column"

# The report: the rows at the end of each day are the placements', reaching
# what --as-of 8 holds.
"$SPOTGEN" report "$WORK/full" -o "$WORK/days.html" 2>/dev/null || fail "report of the tables' days"
python3 - "$WORK/days.html" "$WORK/asof8/_manifest.json" "$WORK/full/_manifest.json" <<'PY' || fail "the report's days"
import json, re, sys
h, a = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
f = h[h.index('data-chart="days-rows"'):]
rows = re.findall(r'data-day="(\d+)" data-value="(\d+)"', f[:f.index("</figure>")])
assert [int(d) for d, _ in rows] == list(range(9)) and int(rows[-1][1]) == a["days"]["rows"], (rows, a["days"])
m = json.load(open(sys.argv[3]))
f = h[h.index('data-chart="days-releases"'):]
got = [(int(d), int(v)) for d, v in re.findall(r'data-day="(\d+)" data-value="(\d+)"', f[:f.index("</figure>")])]
assert got == [(d["day"], d["tracks_released"]) for d in m["days"]["days"]], got
PY
pass "report: the rows of each day are the placements', reaching --as-of 8's; the releases of each day are the manifest's"

# --resume: a run killed part-way through the days, resumed on 3 ranks, is
# the uninterrupted run's bytes and manifest.
if full_size; then
  KARGS=(--rows 300000 --rows-per-part 30000 --seed 3 --no-progress --config "$WORK/busy.json" --tables --days 40)
  run_np 2 generate "${KARGS[@]}" --out "$WORK/kref" 2>/dev/null
  killed_when "$WORK/kres" "_changes/playlists/batch_date=2024-01-11/part-00000.csv" 2 generate "${KARGS[@]}" --out "$WORK/kres"
  run_np 3 generate "${KARGS[@]}" --out "$WORK/kres" --resume 2>"$WORK/err" || fail "--resume of the days: $(cat "$WORK/err")"
  grep -q "^spotgen: resumed: [1-9][0-9]* of 210 parts kept" "$WORK/err" || fail "nothing kept: $(cat "$WORK/err")"
  diff -r "$WORK/kref" "$WORK/kres" -x _manifest.json >/dev/null || fail "the resumed run's files differ"
  [ "$(manifest_without_run "$WORK/kref/_manifest.json")" = "$(manifest_without_run "$WORK/kres/_manifest.json")" ] ||
    fail "the resumed run's manifest differs"
  pass "killed with SIGKILL part-way through 40 days of --tables and resumed on 3 ranks: the uninterrupted run's bytes and manifest"
fi

# --partition-by: playlists partitioned by category in the state of a day;
# verify compares each partition's file with the model's rows of it.
run_np 2 generate "${ARGS[@]}" --as-of 2 --partition-by playlist_category --out "$WORK/part" 2>/dev/null ||
  fail "--tables --as-of with --partition-by"
"$SPOTGEN" verify "$WORK/part" >"$WORK/vp.out" 2>&1 || fail "verify: $(grep FAIL "$WORK/vp.out")"
pass "--tables --as-of 2 --partition-by playlist_category: verify finds each partition's playlists the model's"
refused "--days 5 --tables --partition-by playlist_category --format parquet --table-format iceberg" \
  "--days makes the flat dataset's days, or --tables'; --partition-by with --table-format is not made with them yet: drop it"
pass "--days with --partition-by and --table-format is refused in one line, exit 2, nothing written"
