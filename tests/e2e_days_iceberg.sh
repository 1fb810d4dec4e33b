#!/usr/bin/env bash
# generate --days N --table-format iceberg: each table an Iceberg table with
# a snapshot a day, a day's new rows as data files and the rows it removes
# as position delete files, found without reading anything back.
# - icebird (tests/node/iceberg_days_check.mjs), which applies delete files:
#   time travel to day D's snapshot reads --as-of D's rows, table by table,
#   flat and --tables; the snapshots chain, at the end of their dates; every
#   delete file is sorted and deletes rows of earlier files, each once.
# - -np 1 and 3 write the same bytes; verify passes, comparing every data
#   and delete file with the model's; a run killed part-way and resumed is
#   the uninterrupted run's bytes; S3 (moto) too, its delete files naming
#   s3:// paths, and verify s3:// passes.
# - --day D and --as-of D with --days are refused with Iceberg.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
cat >"$WORK/busy.json" <<'EOF'
{"days": {"births": 0.01, "deaths": 0.005, "edited": 0.5, "edit_removal": 0.1, "follower_noise": 0.05}}
EOF
ARGS=(--rows 40000 --rows-per-part 20000 --seed 5 --no-progress --config "$WORK/busy.json" --format parquet
      --table-format iceberg)
# the same --out for both rank counts: the tables' metadata hold their location
run_np 3 generate "${ARGS[@]}" --days 3 --out "$WORK/flat" 2>"$WORK/err" || fail "--days 3 iceberg: $(cat "$WORK/err")"
mv "$WORK/flat" "$WORK/flat3"
run_np 1 generate "${ARGS[@]}" --days 3 --out "$WORK/flat" 2>/dev/null
diff -r "$WORK/flat" "$WORK/flat3" -x _manifest.json >/dev/null || fail "-np 1 and -np 3 wrote other files"
[ "$(manifest_without_run "$WORK/flat/_manifest.json")" = "$(manifest_without_run "$WORK/flat3/_manifest.json")" ] ||
  fail "the manifests of -np 1 and -np 3 differ"
for d in 02 03 04; do
  for f in part-00000.parquet part-00000-deletes.parquet; do
    [ -f "$WORK/flat/data/batch_date=2024-01-$d/$f" ] || fail "no data/batch_date=2024-01-$d/$f"
  done
done
"$SPOTGEN" verify "$WORK/flat" >"$WORK/v.out" 2>&1 || fail "verify: $(grep FAIL "$WORK/v.out")"
grep -q "Iceberg metadata lists every data file once.* pass" "$WORK/v.out" || fail "verify saw no Iceberg table"
pass "--days 3 --table-format iceberg: a data file and a delete file a day, the same bytes for -np 1 and 3; verify passes"

# --tables from a Thursday: day 1 is a Friday of releases, which day 8
# counts again (updates of tracks: position deletes of day 1's rows)
TARGS=("${ARGS[@]/40000/60000}" --tables --start 2023-12-28)
run_np 2 generate "${TARGS[@]}" --days 8 --out "$WORK/tables" 2>"$WORK/err" || fail "--tables: $(cat "$WORK/err")"
"$SPOTGEN" verify "$WORK/tables" >"$WORK/vt.out" 2>&1 || fail "verify --tables: $(grep FAIL "$WORK/vt.out")"
python3 - "$WORK/tables/_manifest.json" <<'PY' || fail "no tracks' updates on day 8"
import json, sys
d = json.load(open(sys.argv[1]))["days"]["days"][7]
assert d["day"] == 8 and d["tables"]["tracks"]["updates"] > 0, d
PY
if readers; then
  for d in 1 3; do run_np 2 generate "${ARGS[@]}" --as-of $d --out "$WORK/asof$d" 2>/dev/null; done
  node "$TESTS/node/iceberg_days_check.mjs" "$WORK/flat" 1:"$WORK/asof1" 3:"$WORK/asof3" >"$WORK/ice.out" ||
    fail "icebird's time travel (flat)"
  for d in 2 8; do run_np 2 generate "${TARGS[@]}" --as-of $d --out "$WORK/tasof$d" 2>/dev/null; done
  node "$TESTS/node/iceberg_days_check.mjs" "$WORK/tables" 2:"$WORK/tasof2" 8:"$WORK/tasof8" >"$WORK/icet.out" ||
    fail "icebird's time travel (--tables)"
  pass "icebird: time travel to day D reads --as-of D, flat ($(grep -o '[0-9][0-9]* rows' "$WORK/ice.out" | tail -1)) and each of --tables' five, new releases and their popularity's recounts included; the history chains, its delete files sorted and each row deleted once"
fi

# --resume: killed part-way, resumed on 2 ranks: the uninterrupted run's
# bytes (a kept delete file measured again for its manifest entry).
if full_size; then
  KARGS=(--rows 200000 --rows-per-part 20000 --seed 3 --no-progress --config "$WORK/busy.json" --format parquet
         --table-format iceberg --days 12)
  run_np 2 generate "${KARGS[@]}" --out "$WORK/k" 2>/dev/null
  mv "$WORK/k" "$WORK/kref"
  killed_when "$WORK/k" "data/batch_date=2024-01-06/part-00000.parquet" 2 generate "${KARGS[@]}" --out "$WORK/k"
  run_np 2 generate "${KARGS[@]}" --out "$WORK/k" --resume 2>"$WORK/err" || fail "--resume: $(cat "$WORK/err")"
  grep -q "^spotgen: resumed: [1-9][0-9]* of" "$WORK/err" || fail "nothing kept: $(cat "$WORK/err")"
  diff -r "$WORK/kref" "$WORK/k" -x _manifest.json >/dev/null || fail "the resumed run's files differ"
  pass "killed with SIGKILL part-way through 12 days of an Iceberg table and resumed: the uninterrupted run's bytes"
fi

start_moto --unchecked
run_np 2 generate "${ARGS[@]}" --days 2 --out "s3://$BUCKET/ice" 2>"$WORK/err" || fail "to S3: $(cat "$WORK/err")"
aws s3 cp "s3://$BUCKET/ice/data/batch_date=2024-01-03/part-00000-deletes.parquet" "$WORK/del.parquet" --only-show-errors
grep -q "s3://$BUCKET/ice/data/" "$WORK/del.parquet" || fail "the delete file names no s3:// data file"
"$SPOTGEN" verify "s3://$BUCKET/ice" >"$WORK/vs.out" 2>&1 || fail "verify s3://: $(grep FAIL "$WORK/vs.out")"
pass "--days with Iceberg to S3: its delete files name s3:// paths; verify s3:// passes"

# A delete file that is not the model's (day 2's copied over day 3's, its
# size and CRC-32 mended in the dataset's manifest): verify names it. (In
# place: an Iceberg table's metadata holds its location.)
cp "$WORK/flat/data/batch_date=2024-01-03/part-00000-deletes.parquet" \
  "$WORK/flat/data/batch_date=2024-01-04/part-00000-deletes.parquet"
mend "$WORK/flat" data/batch_date=2024-01-04/part-00000-deletes.parquet
if "$SPOTGEN" verify "$WORK/flat" >"$WORK/t.out" 2>&1; then fail "verify passed a delete file that is not the model's"; fi
grep -q "every day's changes are what .* FAIL: data/batch_date=2024-01-04/part-00000-deletes.parquet row 1: deletes" "$WORK/t.out" ||
  fail "verify did not name the delete file: $(grep FAIL "$WORK/t.out")"
pass "verify: a delete file that deletes other rows than the model's fails the changes' check, naming it"

refused "--day 2 --format parquet --table-format iceberg" \
  "--table-format iceberg makes a table whose history starts at day 0: give it --days N (a snapshot a day) or --as-of D (one snapshot), not --day D"
refused "--as-of 1 --days 3 --format parquet --table-format iceberg" \
  "--table-format iceberg makes a table whose history starts at day 0: give it --days N (a snapshot a day) or --as-of D (one snapshot), not --as-of with --days"
pass "--day D and --as-of D with --days are refused with Iceberg, in one line, exit 2, nothing written"
