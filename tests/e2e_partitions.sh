#!/usr/bin/env bash
# --partition-by: Hive-style folders (col=value/), one file per partition in
# each part.
# - The set of files and their bytes are the same on 1, 2 and 3 ranks.
# - DuckDB's hive_partitioning read of the partitions equals the
#   unpartitioned dataset of the same seed (flat CSV and Parquet, --tables),
#   an identity partition's column is not in the files, every row's date is
#   in its folder's year or month, and the manifest lists each file once
#   with its rows and partition values (tests/node/partitions_check.mjs).
# - verify passes, and fails a row in another partition's folder and a
#   stray file; --overwrite removes every file and folder the dataset had,
#   after SIGKILL too (the journal names an object's files before they are
#   committed); --resume after SIGKILL keeps the files recorded and is
#   byte-identical.
# - The run's summary counts the files and says when they are small;
#   `schema --ddl --partition-by` has PARTITIONED BY and partition
#   projection; bad specs are refused in one line, nothing written.
# - S3 (moto): the same objects as on disk, verify reads them.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
! readers || needs node
NODE_DIR="$TESTS/node"

ARGS=(--rows 200000 --rows-per-part 50000 --seed 3 --no-progress)
SPEC=playlist_category,release_date:year

# The same files and bytes for any number of ranks; the summary counts them.
for np in 1 3; do
  run_np $np generate "${ARGS[@]}" --partition-by $SPEC --out "$WORK/csv$np" 2>"$WORK/err$np" ||
    fail "np $np: $(cat "$WORK/err$np")"
done
diff -r -x _manifest.json "$WORK/csv1" "$WORK/csv3" >/dev/null || fail "the files differ between 1 and 3 ranks"
[ "$(manifest_without_run "$WORK/csv1/_manifest.json")" = "$(manifest_without_run "$WORK/csv3/_manifest.json")" ] ||
  fail "the manifests differ between 1 and 3 ranks"
files=$(find "$WORK/csv1" -name 'part-*' | wc -l)
[ "$files" -gt 4 ] && [ -z "$(find "$WORK/csv1" -maxdepth 1 -name 'part-*')" ] || fail "$files files, or parts outside folders"
[ -d "$WORK/csv1/playlist_category=party/release_year=2019" ] || fail "no playlist_category=party/release_year=2019/"
grep -q "^spotgen: $files data files (partitioned by $SPEC), .* on average; files under 32 MiB are slow" "$WORK/err1" ||
  fail "summary: $(cat "$WORK/err1")"
pass "partitioned by $SPEC: $files files, the same bytes on 1 and 3 ranks; the summary counts them and warns they are small"

# DuckDB reads the partitions as the unpartitioned dataset, CSV and Parquet.
run_np 2 generate "${ARGS[@]}" --out "$WORK/flat" 2>/dev/null
run_np 2 generate "${ARGS[@]}" --format parquet --partition-by release_date:month --out "$WORK/pq" 2>/dev/null
run_np 2 generate "${ARGS[@]}" --format parquet --out "$WORK/flatpq" 2>/dev/null
if readers; then
  node "$NODE_DIR/partitions_check.mjs" "$WORK/csv1" "$WORK/flat" csv >"$WORK/node.out" || fail "DuckDB: csv"
  node "$NODE_DIR/partitions_check.mjs" "$WORK/pq" "$WORK/flatpq" parquet >>"$WORK/node.out" || fail "DuckDB: parquet"
fi
pass "DuckDB (hive_partitioning): the partitions' rows equal the unpartitioned dataset's, CSV by category and year, Parquet by month; no file holds its folders' column; the manifest lists every file"

# --tables: albums by year, playlists by category; the others whole.
run_np 3 generate "${ARGS[@]}" --tables --format csv.zst --partition-by $SPEC --out "$WORK/t" 2>/dev/null ||
  fail "--tables --partition-by failed"
run_np 1 generate "${ARGS[@]}" --tables --format csv.zst --out "$WORK/tflat" 2>/dev/null
[ -d "$WORK/t/albums/release_year=2015" ] && [ -d "$WORK/t/playlists/playlist_category=sleep" ] &&
  [ -e "$WORK/t/tracks/part-00000.csv.zst" ] || fail "--tables layout: $(ls "$WORK/t" "$WORK/t/albums" | head)"
! readers || node "$NODE_DIR/partitions_check.mjs" "$WORK/t" "$WORK/tflat" csv.zst >>"$WORK/node.out" ||
  fail "DuckDB: --tables"
pass "--tables: albums by release_year and playlists by playlist_category equal the unpartitioned tables; the rest stay whole"

# verify: every file, its rows against the model (--tables), its partition.
for d in csv1 pq t; do
  "$SPOTGEN" verify "$WORK/$d" >"$WORK/v.txt" || fail "verify $d: $(grep FAIL "$WORK/v.txt")"
done
grep -q "every row is in its partition's folder .* pass$" "$WORK/v.txt" || fail "no partition check: $(cat "$WORK/v.txt")"
run_np 2 verify "$WORK/csv1" >"$WORK/v.txt" || fail "verify on 2 ranks: $(grep FAIL "$WORK/v.txt")"
"$SPOTGEN" report "$WORK/pq" --verify -o "$WORK/report.html" >"$WORK/report.txt" 2>&1 ||
  fail "report --verify of a partitioned dataset: $(tail -3 "$WORK/report.txt")"
grep -q "every row is in its partition" "$WORK/report.html" || fail "the report does not show the partition check"
pass "verify passes the partitioned datasets (flat CSV and Parquet, --tables; 1 and 2 ranks); report --verify draws one"

# A file in another year's folder (the manifest mended to match): its rows'
# dates are not in its folder's year.
cp -r "$WORK/csv1" "$WORK/moved"
python3 - "$WORK/moved" <<'PY'
import json, os, sys
d = sys.argv[1]
m = json.load(open(f"{d}/_manifest.json"))
e = next(p for p in m["parts"] if p["partition"]["release_year"] == "2019")
old = e["key"]
e["key"] = old.replace("release_year=2019", "release_year=2018")
e["partition"]["release_year"] = "2018"
os.makedirs(os.path.dirname(f"{d}/{e['key']}"), exist_ok=True)
if os.path.exists(f"{d}/{e['key']}"):  # the 2018 file of that part: out of the way, out of the manifest
    os.remove(f"{d}/{e['key']}")
    m["parts"] = [p for p in m["parts"] if p is e or p["key"] != e["key"]]
os.rename(f"{d}/{old}", f"{d}/{e['key']}")
json.dump(m, open(f"{d}/_manifest.json", "w"))
PY
rc=0; "$SPOTGEN" verify "$WORK/moved" >"$WORK/v.txt" || rc=$?
[ $rc = 5 ] && grep -q "every row is in its partition's folder .* FAIL" "$WORK/v.txt" ||
  fail "a file in another year's folder: exit $rc: $(grep FAIL "$WORK/v.txt")"
echo stray >"$WORK/csv3/playlist_category=party/release_year=2019/part-00099.csv"
rc=0; "$SPOTGEN" verify "$WORK/csv3" >"$WORK/v.txt" || rc=$?
[ $rc = 5 ] && grep -q "no data files beside the manifest's parts .* FAIL" "$WORK/v.txt" || fail "a stray file: exit $rc"
rm "$WORK/csv3/playlist_category=party/release_year=2019/part-00099.csv"
pass "verify fails a file moved to another year's folder, and a stray file in a partition's folder"

# --overwrite: every file and folder of the partitioned dataset goes.
run_np 2 generate "${ARGS[@]}" --out "$WORK/csv3" --overwrite 2>/dev/null || fail "--overwrite of a partitioned dataset"
[ -z "$(find "$WORK/csv3" -mindepth 1 -type d)" ] || fail "--overwrite left folders: $(find "$WORK/csv3" -type d | head -3)"
cmp -s "$WORK/csv3/part-00001.csv" "$WORK/flat/part-00001.csv" || fail "--overwrite: other bytes"
pass "--overwrite of a partitioned dataset removes its files and folders"

# --resume after SIGKILL: the recorded files are kept, the result is the same.
if full_size; then
  RARGS=(--rows 2000000 --rows-per-part 50000 --seed 3 --no-progress --format csv.gz --partition-by $SPEC)
  run_np 2 generate "${RARGS[@]}" --out "$WORK/rref" 2>/dev/null
  killed_when "$WORK/rs" "playlist_category=party/release_year=2019/part-00006.csv.gz" 2 generate "${RARGS[@]}" \
    --out "$WORK/rs"
  grep -q '^file ' "$WORK/rs"/_spotgen-journal-* || fail "the killed run's journal has no file lines"
  # every file the killed run left is one its journals list: --overwrite takes them all
  cp -r "$WORK/rs" "$WORK/rs-over"
  run_np 2 generate --rows 100000 --rows-per-part 50000 --no-progress --out "$WORK/rs-over" --overwrite 2>"$WORK/err" ||
    fail "--overwrite after a killed partitioned run: $(cat "$WORK/err")"
  [ -z "$(find "$WORK/rs-over" -mindepth 1 -type d)" ] || fail "--overwrite after a kill left folders"
  run_np 3 generate "${RARGS[@]}" --out "$WORK/rs" --resume 2>"$WORK/err" || fail "resume: $(cat "$WORK/err")"
  kept=$(sed -n 's/^spotgen: resumed: \([0-9]*\) of 40 parts kept as recorded.*/\1/p' "$WORK/err")
  [ -n "$kept" ] && [ "$kept" -ge 1 ] || fail "nothing kept: $(cat "$WORK/err")"
  diff -r -x _manifest.json "$WORK/rref" "$WORK/rs" >/dev/null || fail "resumed: files differ from an uninterrupted run"
  [ "$(manifest_without_run "$WORK/rref/_manifest.json")" = "$(manifest_without_run "$WORK/rs/_manifest.json")" ] ||
    fail "resumed: the manifest differs"
  pass "killed with SIGKILL and resumed on 3 ranks: $kept of 40 parts kept, the files and manifest those of an uninterrupted run"
fi

# schema --ddl: PARTITIONED BY, with partition projection (no MSCK REPAIR).
"$SPOTGEN" schema --ddl --format parquet --partition-by $SPEC >"$WORK/ddl.sql"
grep -q 'PARTITIONED BY (`playlist_category` string, `release_year` int)' "$WORK/ddl.sql" &&
  grep -q "'projection.playlist_category.values' = 'workout,sleep,party,chill,focus'" "$WORK/ddl.sql" &&
  grep -q "'projection.release_year.range' = '2010,2023'" "$WORK/ddl.sql" &&
  ! grep -q '`playlist_category` string,$' "$WORK/ddl.sql" || fail "DDL: $(cat "$WORK/ddl.sql")"
python3 - "$WORK/csv1/_manifest.json" <<'PY' || fail "the manifest's DDL is not the partitioned one"
import json, sys
assert "PARTITIONED BY (`playlist_category` string, `release_year` int)" in json.load(open(sys.argv[1]))["schema"]["athena_ddl"]
PY
pass "schema --ddl --partition-by: PARTITIONED BY, the category an enum and the year a range (partition projection); the manifest's DDL too"

# Bad specs: one line, exit 2, nothing written.
refused "--partition-by track_id" "--partition-by: track_id cannot partition the dataset; the fields that can are playlist_category, release_date:year, release_date:month"
refused "--partition-by release_date:week" "--partition-by: unknown transform 'week' of release_date; a date takes :year or :month (playlist_category, release_date:year, release_date:month)"
refused "--partition-by playlist_category,playlist_category" "--partition-by: playlist_category is given twice; partition by a column once"
refused "--partition-by playlist_category --dirty light" "--partition-by does not go with --dirty: a corrupted value would name a folder; partition the cleaned data instead"
refused "--tables --partition-by artist_id" "--partition-by: artist_id cannot partition any of --tables' tables; the fields that can are release_date:year, release_date:month, playlist_category"
pass "bad --partition-by specs are refused in one line, nothing written"

# S3: the same objects as on disk; verify reads them there. moto cannot
# check the signature of a key with '=' (s3_lib.sh: start_moto --unchecked);
# e2e_sigv4_botocore checks such keys' signatures against botocore's.
start_moto --unchecked
run_np 2 generate "${ARGS[@]}" --partition-by $SPEC --out "s3://$BUCKET/p" --part-size 5M 2>"$WORK/err" ||
  fail "S3: $(cat "$WORK/err")"
[ "$(keys p | grep -c '/part-')" = "$files" ] || fail "S3: $(keys p | grep -c '/part-') objects, not $files"
aws s3 cp "s3://$BUCKET/p/playlist_category=party/release_year=2019/part-00002.csv" "$WORK/s3.csv" --only-show-errors
cmp -s "$WORK/s3.csv" "$WORK/csv1/playlist_category=party/release_year=2019/part-00002.csv" || fail "S3: other bytes"
"$SPOTGEN" verify "s3://$BUCKET/p" >"$WORK/v.txt" || fail "verify on S3: $(grep FAIL "$WORK/v.txt")"
[ -z "$(uploads)" ] || fail "incomplete uploads left: $(uploads)"
pass "S3: $files objects under their partitions' prefixes, the bytes written locally; verify passes there"
