#!/usr/bin/env bash
# generate --days, --day, --as-of: a world that changes day by day.
# - The central invariant, by DuckDB alone (tests/node/days_check.mjs): the
#   snapshot with the changes of days 1..D applied (each before-image a row
#   of the state, removed; the inserts and after-images added) is the state
#   --as-of D writes, row for row; in CSV and in Parquet; and from the state
#   of a later day (--as-of 3 --days 6) the same.
# - Any day's batch alone (--day D) is the same bytes as in a full run, and
#   a run's bytes are the same for -np 1, 2 and 3; --as-of 0 is day 0.
# - verify passes each kind of run, and names the changes' check when a
#   change row is not the model's (its size and CRC-32 mended to match).
# - A run killed part-way through the days and resumed is the uninterrupted
#   run's bytes; S3 (moto) holds a local run's bytes.
# - Bad combinations are refused in one line, exit 2, nothing written.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
# Rates well above the built-in ones, so that six days of a small world see
# every kind of change many times.
cat >"$WORK/busy.json" <<'EOF'
{"days": {"births": 0.01, "deaths": 0.005, "edited": 0.5, "edit_removal": 0.1, "follower_noise": 0.05}}
EOF
ARGS=(--rows 60000 --rows-per-part 20000 --seed 7 --no-progress --config "$WORK/busy.json")
run_np 3 generate "${ARGS[@]}" --days 6 --out "$WORK/full" 2>"$WORK/err" || fail "generate --days 6: $(cat "$WORK/err")"
grep -q "and the changes of days 1 .. 6" "$WORK/err" || fail "no summary of the days: $(cat "$WORK/err")"
for d in 02 03 04 05 06 07; do
  [ -f "$WORK/full/_changes/batch_date=2024-01-$d/part-00000.csv" ] || fail "no changes of 2024-01-$d"
done
run_np 1 generate "${ARGS[@]}" --days 6 --out "$WORK/full1" 2>/dev/null
diff -r "$WORK/full" "$WORK/full1" -x _manifest.json >/dev/null || fail "-np 1 and -np 3 wrote other files"
[ "$(manifest_without_run "$WORK/full/_manifest.json")" = "$(manifest_without_run "$WORK/full1/_manifest.json")" ] ||
  fail "the manifests of -np 1 and -np 3 differ"
run_np 2 generate "${ARGS[@]}" --day 4 --out "$WORK/day4" 2>/dev/null
[ "$(cd "$WORK/day4" && find . -name 'part-*' | sort)" = "./_changes/batch_date=2024-01-05/part-00000.csv" ] ||
  fail "--day 4 wrote $(cd "$WORK/day4" && find . -name 'part-*')"
cmp "$WORK/day4/_changes/batch_date=2024-01-05/part-00000.csv" "$WORK/full/_changes/batch_date=2024-01-05/part-00000.csv" ||
  fail "--day 4 alone is not the full run's day 4"
run_np 2 generate "${ARGS[@]}" --as-of 0 --out "$WORK/asof0" 2>/dev/null
for p in "$WORK"/full/part-*.csv; do
  cmp "$p" "$WORK/asof0/$(basename "$p")" || fail "--as-of 0 is not day 0: $(basename "$p")"
done
python3 - "$WORK/full/_manifest.json" <<'PY' || fail "the Athena DDL of the days' changes"
import json, sys
ddl = json.load(open(sys.argv[1]))["schema"]["athena_ddl"]
changes = ddl[ddl.index("CREATE EXTERNAL TABLE IF NOT EXISTS spotify_tracks_changes_csv"):]
for want in ("`op` string", "`change_ts` string", "PARTITIONED BY (`batch_date` date)",
             "LOCATION 's3://YOUR-BUCKET/spotify/_changes/'", "'projection.batch_date.range' = '2024-01-02,2024-01-07'",
             "CAST(`change_ts` AS timestamp) AS `change_ts`"):
    assert want in changes, want
# the snapshot's table, at the root, does not see the changes: _changes/ is hidden from Hive and Athena
assert "LOCATION 's3://YOUR-BUCKET/spotify/'" in ddl[:ddl.index("spotify_tracks_changes_csv")]
PY
pass "--days 6 writes the snapshot and six batches, the same for -np 1 and 3; --day 4 alone is its day 4; --as-of 0 is day 0"

run_np 2 generate "${ARGS[@]}" --as-of 6 --out "$WORK/asof6" 2>/dev/null
run_np 3 generate "${ARGS[@]}" --as-of 3 --days 6 --out "$WORK/from3" 2>/dev/null
for d in 05 06 07; do
  cmp "$WORK/from3/_changes/batch_date=2024-01-$d/part-00000.csv" "$WORK/full/_changes/batch_date=2024-01-$d/part-00000.csv" ||
    fail "--as-of 3 --days 6: day 2024-01-$d's changes are not the full run's"
done
[ ! -e "$WORK/from3/_changes/batch_date=2024-01-04" ] || fail "--as-of 3 --days 6 wrote day 3's changes"
for ds in full asof6 from3 day4; do
  "$SPOTGEN" verify "$WORK/$ds" >"$WORK/v.out" 2>&1 || fail "verify $ds: $(grep -i fail "$WORK/v.out" | head -5)"
done
grep -q "every day's changes are what the manifest's seed and configuration make .* pass" "$WORK/v.out" ||
  fail "verify of --day 4 shows no check of the changes: $(cat "$WORK/v.out")"
"$SPOTGEN" verify "$WORK/full" 2>&1 | grep -q "the snapshot with every day's changes applied is the model's state .* pass" ||
  fail "verify of --days 6 does not replay the days on its sample"
pass "--as-of 3 --days 6 writes days 4..6 as the full run does; verify passes --days, --as-of, both, and --day"

if readers; then
  node "$TESTS/node/days_check.mjs" "$WORK/full" 1 6 "$WORK/asof6" >"$WORK/duck.out" || fail "the invariant (CSV)"
  node "$TESTS/node/days_check.mjs" "$WORK/from3" 4 6 "$WORK/asof6" >"$WORK/duck3.out" || fail "the invariant from day 3"
  python3 - "$WORK/full/_manifest.json" "$WORK/duck.out" <<'PY' || fail "the days' counts"
import json, sys
m = json.load(open(sys.argv[1]))
days = m["days"]["days"]
# every kind of change, every day
assert all(d["inserts"] > 0 and d["deletes"] > 0 and d["updates"] > 0 for d in days), days
assert m["dataset"]["days"]["events"] == [d["events"] for d in days]
PY
  run_np 2 generate "${ARGS[@]}" --days 3 --format parquet --out "$WORK/pq" 2>/dev/null
  run_np 2 generate "${ARGS[@]}" --as-of 3 --format parquet --out "$WORK/pq3" 2>/dev/null
  node "$TESTS/node/days_check.mjs" "$WORK/pq" 1 3 "$WORK/pq3" >"$WORK/duckpq.out" || fail "the invariant (Parquet)"
  "$SPOTGEN" verify "$WORK/pq" >/dev/null 2>&1 || fail "verify of the Parquet days"
  pass "DuckDB: the snapshot with days 1..6 applied is --as-of 6 ($(tail -1 "$WORK/duck.out" | grep -o '[0-9][0-9]* rows')), from --as-of 3 too, and in Parquet (change_ts a TIMESTAMP)"
fi

# --partition-by with days: the snapshot (or the state of a day) is
# partitioned as asked, the days' changes by their batch_date alone: the
# same change files as an unpartitioned run's; the state's partitions hold
# the unpartitioned state's rows (DuckDB); verify (its replay too) passes.
PARGS=("${ARGS[@]}" --partition-by playlist_category)
run_np 2 generate "${PARGS[@]}" --days 6 --out "$WORK/part" 2>/dev/null || fail "--days with --partition-by"
for d in 02 07; do
  cmp "$WORK/part/_changes/batch_date=2024-01-$d/part-00000.csv" "$WORK/full/_changes/batch_date=2024-01-$d/part-00000.csv" ||
    fail "--partition-by changed day 2024-01-$d's changes"
done
"$SPOTGEN" verify "$WORK/part" >"$WORK/vp.out" 2>&1 || fail "verify --partition-by --days: $(grep FAIL "$WORK/vp.out")"
run_np 3 generate "${PARGS[@]}" --as-of 6 --out "$WORK/part6" 2>/dev/null || fail "--as-of with --partition-by"
"$SPOTGEN" verify "$WORK/part6" >"$WORK/vp.out" 2>&1 || fail "verify --partition-by --as-of: $(grep FAIL "$WORK/vp.out")"
if readers; then
  node "$TESTS/node/partitions_check.mjs" "$WORK/part6" "$WORK/asof6" csv >/dev/null || fail "the partitioned state of day 6"
fi
pass "--partition-by with days: the state's partitions are --as-of 6's rows, the changes an unpartitioned run's; verify passes"

# The report draws the days: the rows and playlists at the end of each day
# (the snapshot's plus each day's counts) reach what --as-of 6 holds; a bar
# a day for each op, the manifest's rows.
"$SPOTGEN" report "$WORK/full" -o "$WORK/days.html" 2>/dev/null || fail "report of the days"
python3 - "$WORK/days.html" "$WORK/full/_manifest.json" "$WORK/asof6/_manifest.json" <<'PY' || fail "the report's days"
import json, re, sys
h, m, a = open(sys.argv[1]).read(), json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
def figure(chart):
    f = h[h.index(f'data-chart="{chart}"'):]
    return f[:f.index("</figure>")]
rows = re.findall(r'data-day="(\d+)" data-value="(\d+)"', figure("days-rows"))
pls = re.findall(r'data-day="(\d+)" data-value="(\d+)"', figure("days-playlists"))
assert [int(d) for d, _ in rows] == list(range(7)), rows
assert int(rows[0][1]) == m["dataset"]["rows"] and int(rows[-1][1]) == a["days"]["rows"], (rows, a["days"])
assert int(pls[-1][1]) == a["stats"]["playlists"]["count"], (pls, a["stats"]["playlists"])
bars = re.findall(r'data-day="(\d+)" data-op="(\w+)" data-rows="(\d+)"', figure("days-changes"))
assert len(bars) == 18, bars
for d in m["days"]["days"]:
    got = {op: int(v) for day, op, v in bars if int(day) == d["day"]}
    assert got == {"inserts": d["inserts"], "deletes": d["deletes"], "updates": 2 * d["updates"]}, (got, d)
PY
pass "report: the rows and playlists of each day reach --as-of 6's; a bar a day for each op, the manifest's"

# --resume: a run killed part-way through the days, resumed on 3 ranks, is
# the uninterrupted run's bytes; a finished run that lost a snapshot part
# and a day's part writes just those again.
if full_size; then
  KARGS=(--rows 400000 --rows-per-part 40000 --seed 3 --no-progress --config "$WORK/busy.json" --days 40)
  run_np 2 generate "${KARGS[@]}" --out "$WORK/kref" 2>/dev/null
  killed_when "$WORK/kres" "_changes/batch_date=2024-01-11/part-00000.csv" 2 generate "${KARGS[@]}" --out "$WORK/kres"
  run_np 3 generate "${KARGS[@]}" --out "$WORK/kres" --resume 2>"$WORK/err" || fail "--resume of the days: $(cat "$WORK/err")"
  grep -q "^spotgen: resumed: [1-9][0-9]* of 90 parts kept" "$WORK/err" || fail "nothing kept: $(cat "$WORK/err")"
  diff -r "$WORK/kref" "$WORK/kres" -x _manifest.json >/dev/null || fail "the resumed run's files differ"
  [ "$(manifest_without_run "$WORK/kref/_manifest.json")" = "$(manifest_without_run "$WORK/kres/_manifest.json")" ] ||
    fail "the resumed run's manifest differs"
  rm "$WORK/kres/part-00002.csv" "$WORK/kres/_changes/batch_date=2024-01-31/part-00000.csv"
  run_np 2 generate "${KARGS[@]}" --out "$WORK/kres" --resume 2>"$WORK/err" || fail "--resume: $(cat "$WORK/err")"
  grep -q "^spotgen: resumed: 88 of 90 parts kept as recorded, 2 generated" "$WORK/err" || fail "$(cat "$WORK/err")"
  diff -r "$WORK/kref" "$WORK/kres" -x _manifest.json >/dev/null || fail "the parts written again differ"
  pass "killed with SIGKILL part-way through 40 days and resumed on 3 ranks: the uninterrupted run's bytes; two lost parts written again"
fi

# A change row that is not the model's: verify names the changes' check,
# though its size and CRC-32 are mended to match.
cp -r "$WORK/full" "$WORK/tamper"
python3 - "$WORK/tamper/_changes/batch_date=2024-01-03/part-00000.csv" <<'PY'
import sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
i = next(k for k, l in enumerate(lines) if l.startswith("update_after,"))
cells = lines[i].split(",")
cells[1] = cells[1][:-1] + ("1" if cells[1][-1] != "1" else "2")  # another second of the day
lines[i] = ",".join(cells)
open(path, "wb").write("\n".join(lines).encode())
PY
mend "$WORK/tamper" _changes/batch_date=2024-01-03/part-00000.csv
if "$SPOTGEN" verify "$WORK/tamper" >"$WORK/t.out" 2>&1; then fail "verify passed a change row that is not the model's"; fi
grep -q "every day's changes are what .* FAIL: _changes/batch_date=2024-01-03/part-00000.csv row .*: change_ts" "$WORK/t.out" ||
  fail "verify did not name the changed row: $(grep FAIL "$WORK/t.out")"
pass "verify: a change row whose change_ts is not the model's fails the changes' check, naming the file, row and column"

refused "--days 0" "--days must be between 1 and 36500; for example --days 30"
refused "--day 0" "--day must be between 1 and 36500 (day 0 is the snapshot: generate without --day)"
refused "--days 5 --day 2" "--day D writes day D's changes alone; give it without --days and --as-of"
refused "--days 5 --as-of 5" "--as-of 5 with --days 5 leaves no day's changes to write; give --as-of below --days, or --as-of alone"
refused "--as-of 2 --dirty light" "--as-of makes the flat dataset's days, or --tables'; --dirty is not made with them yet: drop it"
refused "--days 5 --start 2024-13-01" "--start '2024-13-01' is not a date YYYY-MM-DD; for example --start 2024-01-01"
refused "--start 2024-02-01" "--start sets day 0's date of --days, --day or --as-of; add one of them, or drop --start"
echo '{"days": {"births": 0.5}}' >"$WORK/bad.json"
refused "--days 5 --config $WORK/bad.json" "--config $WORK/bad.json: days.births: 0.5 is outside 0 .. 0.1"
rc=0
"$SPOTGEN" generate --rows 10 --days 2 --output "$WORK/one.csv" 2>"$WORK/o.err" || rc=$?
[ $rc = 2 ] && grep -q "^spotgen: --days writes a dataset of parts" "$WORK/o.err" && [ ! -e "$WORK/one.csv" ] ||
  fail "--days with --output: $rc $(cat "$WORK/o.err")"
pass "bad days are refused in one line, exit 2, nothing written"

start_moto --unchecked
# --days to S3 (moto): the snapshot and the days' batches under
# _changes/batch_date= folders, a local run's bytes; verify s3:// passes;
# --day alone on S3 too. moto checks no signature of a key with '=' (s3_lib.sh:
# start_moto --unchecked); e2e_sigv4_botocore checks such keys' signatures.
DARGS=("${ARGS[@]}" --days 3)
run_np 1 generate "${DARGS[@]}" --out "$WORK/dlocal" 2>/dev/null || fail "--days locally exited $?"
run_np 3 generate "${DARGS[@]}" --out "s3://$BUCKET/days" 2>"$WORK/err" || fail "--days to S3: $(cat "$WORK/err")"
[ "$(keys days | grep -c '^days/_changes/batch_date=2024-01-0[234]/part-00000\.csv$')" = 3 ] ||
  fail "--days objects: $(keys days | tr '\n' ' ')"
for f in $(cd "$WORK/dlocal" && find . -name 'part-*'); do
  aws s3 cp "s3://$BUCKET/days/${f#./}" "$WORK/ddown" --only-show-errors
  cmp -s "$WORK/dlocal/$f" "$WORK/ddown" || fail "S3's $f differs from the local run's"
done
"$SPOTGEN" verify "s3://$BUCKET/days" >"$WORK/v.txt" 2>&1 || fail "verify s3:// --days: $(grep FAIL "$WORK/v.txt")"
run_np 2 generate "${ARGS[@]}" --day 2 --out "s3://$BUCKET/day2" 2>/dev/null ||
  fail "--day 2 to S3"
aws s3 cp "s3://$BUCKET/day2/_changes/batch_date=2024-01-03/part-00000.csv" "$WORK/d2.csv" --only-show-errors
cmp -s "$WORK/d2.csv" "$WORK/dlocal/_changes/batch_date=2024-01-03/part-00000.csv" || fail "--day 2 on S3 differs"
pass "--days to S3: the snapshot and three days' batches under _changes/batch_date=, a local run's bytes, verify s3:// passes; --day 2 alone the same"
