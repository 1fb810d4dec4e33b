#!/usr/bin/env bash
# --table-format iceberg: --out becomes an Apache Iceberg v2 table (one per
# table with --tables), written by the ranks and committed by rank 0.
# - The table's every file (data, manifest, manifest list, metadata, hint)
#   is the same on 1 and 3 ranks (SOURCE_DATE_EPOCH fixes its timestamps).
# - Readers someone else wrote agree with it (tests/node/iceberg_check.mjs):
#   icebird reads the rows of the plain dataset of the same seed; avsc
#   decodes every manifest and manifest list with the spec's Avro schemas
#   (several manifests a table with --manifest-size);
#   DuckDB's reading of each data file is its manifest entry (rows, counts,
#   bounds, partition); the schema's ids are the Parquet field ids.
# - verify (and report --verify) read the metadata back and pass; verify fails a snapshot
#   summary and a bound that are not the data's, and a data file the
#   metadata does not list.
# - A run killed with SIGKILL leaves no metadata (the table is invisible);
#   --resume then makes the table of an uninterrupted run, byte for byte;
#   --overwrite removes data/ and metadata/.
# - S3 (moto): the same data objects, verify passes there, icebird reads it
#   through moto; schema --ddl --table-format iceberg's Glue registration is
#   accepted by moto's Glue; bad options are refused in one line.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
! readers || needs node
NODE_DIR="$TESTS/node"
export SOURCE_DATE_EPOCH=1767225600 # the tables' timestamps: 2026-01-01

ARGS=(--rows 200000 --rows-per-part 50000 --seed 5 --no-progress --format parquet)
SPEC=playlist_category,release_date:year

# The same table, every file of it, for any number of ranks (at the same
# location: a table's paths are absolute).
for np in 1 3; do
  rm -rf "$WORK/ice"
  run_np $np generate "${ARGS[@]}" --table-format iceberg --partition-by $SPEC --out "$WORK/ice" 2>"$WORK/err" ||
    fail "np $np: $(cat "$WORK/err")"
  mv "$WORK/ice" "$WORK/ice$np"
done
diff -r -x _manifest.json "$WORK/ice1" "$WORK/ice3" >/dev/null || fail "the tables differ between 1 and 3 ranks"
[ "$(manifest_without_run "$WORK/ice1/_manifest.json")" = "$(manifest_without_run "$WORK/ice3/_manifest.json")" ] ||
  fail "the manifests differ between 1 and 3 ranks"
mv "$WORK/ice3" "$WORK/ice"
files=$(find "$WORK/ice/data" -name 'part-*.parquet' | wc -l)
for f in metadata/v1.metadata.json metadata/version-hint.text; do [ -f "$WORK/ice/$f" ] || fail "no $f"; done
[ "$(find "$WORK/ice/metadata" -name '*.avro' | wc -l)" = 2 ] || fail "not one manifest and one manifest list"
[ -d "$WORK/ice/data/playlist_category=party/release_year=2019" ] || fail "no data/playlist_category=party/release_year=2019/"
pass "an Iceberg table of $files data files, every file the same on 1 and 3 ranks"

# Independent readers: icebird, avsc, DuckDB, hyparquet.
run_np 2 generate "${ARGS[@]}" --out "$WORK/plain" 2>/dev/null || fail "the plain dataset"
TARGS=(--rows 200000 --rows-per-part 50000 --seed 5 --no-progress --format parquet --tables)
# (manifests of 64K of entries: a table of many files has several)
run_np 3 generate "${TARGS[@]}" --table-format iceberg --partition-by release_date:month,playlist_category \
  --manifest-size 64K --out "$WORK/ice-tables" 2>/dev/null || fail "--tables"
[ "$(find "$WORK/ice-tables/albums/metadata" -name '*-m*.avro' | wc -l)" -gt 1 ] || fail "albums: one manifest"
if readers; then
  node "$NODE_DIR/iceberg_check.mjs" "$WORK/ice" "$WORK/plain" >"$WORK/check.txt" 2>&1 ||
    fail "partitioned: $(cat "$WORK/check.txt")"
  # (row groups of 1 MiB: a file's counts and bounds are summed over several)
  run_np 2 generate "${ARGS[@]}" --table-format iceberg --row-group-size 1M --out "$WORK/ice-flat" 2>/dev/null ||
    fail "unpartitioned"
  node "$NODE_DIR/iceberg_check.mjs" "$WORK/ice-flat" "$WORK/plain" >"$WORK/check.txt" 2>&1 ||
    fail "unpartitioned: $(cat "$WORK/check.txt")"
  run_np 2 generate "${TARGS[@]}" --out "$WORK/plain-tables" 2>/dev/null || fail "the plain tables"
  node "$NODE_DIR/iceberg_check.mjs" "$WORK/ice-tables" "$WORK/plain-tables" >"$WORK/check.txt" 2>&1 ||
    fail "--tables: $(cat "$WORK/check.txt")"
  [ "$(grep -c '^ok: ' "$WORK/check.txt")" = 5 ] || fail "--tables: not five tables: $(cat "$WORK/check.txt")"
  pass "icebird reads the plain dataset's rows (flat partitioned and not, --tables' five); avsc decodes every manifest and list with the spec's schemas; DuckDB's reading of every data file is its entry"
fi

# verify: the metadata read back, against the data.
"$SPOTGEN" verify "$WORK/ice" >"$WORK/v.txt" || fail "verify: $(grep FAIL "$WORK/v.txt")"
grep -q "^Iceberg metadata lists every data file once, .* pass$" "$WORK/v.txt" || fail "no Iceberg check: $(cat "$WORK/v.txt")"
"$SPOTGEN" report "$WORK/ice" --verify -o "$WORK/report.html" 2>/dev/null || fail "report --verify of an Iceberg table"
grep -q "Iceberg metadata lists every data file once" "$WORK/report.html" || fail "the report does not show the Iceberg check"
run_np 2 verify "$WORK/ice-tables" >"$WORK/v.txt" 2>&1 || fail "verify --tables on 2 ranks: $(grep FAIL "$WORK/v.txt")"
# bugs planted in the table itself (a table's paths are its own), then undone
cp -r "$WORK/ice/metadata" "$WORK/metadata.orig" && cp "$WORK/ice/_manifest.json" "$WORK/manifest.orig"
restore() { rm -rf "$WORK/ice/metadata" && cp -r "$WORK/metadata.orig" "$WORK/ice/metadata" && cp "$WORK/manifest.orig" "$WORK/ice/_manifest.json"; }
sed -i 's/"total-records" : "200000"/"total-records" : "200001"/' "$WORK/ice/metadata/v1.metadata.json"
rc=0; "$SPOTGEN" verify "$WORK/ice" >"$WORK/v.txt" || rc=$?
[ $rc = 5 ] && grep -q "^Iceberg metadata .* FAIL: table spotify_tracks: .*summary does not count" "$WORK/v.txt" ||
  fail "a summary that is not the manifest's: exit $rc: $(grep FAIL "$WORK/v.txt")"
restore
if readers; then
  node "$NODE_DIR/iceberg_tamper.mjs" "$WORK/ice" bound popularity_score || fail "tampering"
  rc=0; "$SPOTGEN" verify "$WORK/ice" >"$WORK/v.txt" || rc=$?
  [ $rc = 5 ] && grep -q "^Iceberg metadata .* FAIL: .*lower bound of popularity_score is not what the file holds" "$WORK/v.txt" ||
    fail "a lower bound that is not the file's: exit $rc: $(grep FAIL "$WORK/v.txt")"
  restore
  node "$NODE_DIR/iceberg_tamper.mjs" "$WORK/ice" drop || fail "tampering"
  rc=0; "$SPOTGEN" verify "$WORK/ice" >"$WORK/v.txt" || rc=$?
  [ $rc = 5 ] && grep -q "^Iceberg metadata .* FAIL: .*part-00000.parquet is not in its table's Iceberg manifest" "$WORK/v.txt" ||
    fail "a data file the metadata does not list: exit $rc: $(grep FAIL "$WORK/v.txt")"
  restore
fi
"$SPOTGEN" verify "$WORK/ice" >/dev/null || fail "verify after the bugs were undone"
pass "verify (and report --verify) read the metadata back and pass (flat, and --tables on 2 ranks); verify fails a wrong summary, a wrong bound and an unlisted file"

# SIGKILL: no metadata, so no table; --resume makes the uninterrupted one;
# --overwrite takes everything.
if full_size; then
  RARGS=(--rows 2000000 --rows-per-part 50000 --seed 3 --no-progress --format parquet --table-format iceberg
    --partition-by playlist_category)
  run_np 2 generate "${RARGS[@]}" --out "$WORK/rs" 2>/dev/null
  mv "$WORK/rs" "$WORK/rref"
  killed_when "$WORK/rs" "data/playlist_category=party/part-00006.parquet" 2 generate "${RARGS[@]}" --out "$WORK/rs"
  [ ! -e "$WORK/rs/metadata" ] || fail "a killed run left metadata: $(ls "$WORK/rs/metadata")"
  cp -r "$WORK/rs" "$WORK/rs-over"
  run_np 3 generate "${RARGS[@]}" --out "$WORK/rs" --resume 2>"$WORK/err" || fail "resume: $(cat "$WORK/err")"
  kept=$(sed -n 's/^spotgen: resumed: \([0-9]*\) of 40 parts kept as recorded.*/\1/p' "$WORK/err")
  [ -n "$kept" ] && [ "$kept" -ge 1 ] || fail "nothing kept: $(cat "$WORK/err")"
  diff -r -x _manifest.json "$WORK/rref" "$WORK/rs" >/dev/null || fail "resumed: the table differs from an uninterrupted run's"
  run_np 2 generate --rows 1000 --no-progress --out "$WORK/rs-over" --overwrite 2>"$WORK/err" ||
    fail "--overwrite after a killed Iceberg run: $(cat "$WORK/err")"
  [ -z "$(find "$WORK/rs-over" -mindepth 1 -type d)" ] || fail "--overwrite after a kill left folders"
  run_np 2 generate --rows 1000 --no-progress --out "$WORK/rs" --overwrite 2>"$WORK/err" ||
    fail "--overwrite of an Iceberg table: $(cat "$WORK/err")"
  [ -z "$(find "$WORK/rs" -mindepth 1 -type d)" ] || fail "--overwrite of a table left folders: $(find "$WORK/rs" -type d)"
  pass "killed with SIGKILL: no metadata; resumed on 3 ranks ($kept of 40 parts kept): the uninterrupted run's table, byte for byte; --overwrite removes data/ and metadata/"
fi

# Bad options: one line, exit 2, nothing written.
refused "--table-format iceberg" "--table-format iceberg writes its data as Parquet; add --format parquet (not csv)"
refused "--format parquet --table-format delta" "unknown --table-format 'delta'; the one spotgen writes is iceberg (or leave it out for part files)"
refused "--manifest-size 8M" "--manifest-size applies to --table-format iceberg; drop it, or add --table-format iceberg --format parquet"
refused "--format parquet --table-format iceberg --dirty light" "--table-format iceberg does not go with --dirty: a table holds typed values; write the corrupted feed as files, and the cleaned data as a table"
pass "bad --table-format options are refused in one line, nothing written"

# S3 (moto; its signature checks refuse keys with '=': see e2e_partitions).
start_moto --unchecked
run_np 2 generate "${ARGS[@]}" --table-format iceberg --partition-by $SPEC --out "s3://$BUCKET/ice" --part-size 5M \
  2>"$WORK/err" || fail "S3: $(cat "$WORK/err")"
[ "$(keys ice | grep -c '/part-')" = "$files" ] || fail "S3: $(keys ice | grep -c '/part-') data objects, not $files"
aws s3 cp "s3://$BUCKET/ice/data/playlist_category=party/release_year=2019/part-00002.parquet" "$WORK/s3.parquet" --only-show-errors
cmp -s "$WORK/s3.parquet" "$WORK/ice/data/playlist_category=party/release_year=2019/part-00002.parquet" || fail "S3: other bytes"
aws s3 cp "s3://$BUCKET/ice/metadata/v1.metadata.json" "$WORK/s3.json" --only-show-errors
grep -q "\"location\" : \"s3://$BUCKET/ice\"" "$WORK/s3.json" || fail "S3: the table's location: $(grep location "$WORK/s3.json")"
"$SPOTGEN" verify "s3://$BUCKET/ice" >"$WORK/v.txt" || fail "verify on S3: $(grep FAIL "$WORK/v.txt")"
[ -z "$(uploads)" ] || fail "incomplete uploads left: $(uploads)"
if readers; then # icebird does not sign its requests: the bucket lets anyone read, as a public dataset's does
  aws s3api put-bucket-policy --bucket "$BUCKET" --policy "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",
    \"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::$BUCKET/*\"}]}"
  node "$NODE_DIR/iceberg_s3_read.mjs" "$MOTO_URL" "s3://$BUCKET/ice" 200000 >"$WORK/s3read.txt" 2>&1 ||
    fail "icebird over S3: $(cat "$WORK/s3read.txt")"
fi
pass "S3: the table's objects, the local run's data bytes, its location s3://; verify passes there; icebird reads it"

# schema --ddl --table-format iceberg: a Glue registration moto's Glue takes.
"$SPOTGEN" schema --ddl --table-format iceberg --location "s3://$BUCKET/ice" >"$WORK/reg.sql"
grep -q "^CALL glue_catalog.system.register_table(table => 'default.spotify_tracks', metadata_file => 's3://$BUCKET/ice/metadata/v1.metadata.json');" "$WORK/reg.sql" ||
  fail "no Spark registration: $(cat "$WORK/reg.sql")"
aws glue create-database --database-input '{"Name":"default"}' >/dev/null
cmd=$(sed -n 's/^--   aws glue create-table //p' "$WORK/reg.sql")
eval "aws glue create-table $cmd" || fail "Glue refused the registration: $cmd"
[ "$(aws glue get-table --database-name default --name spotify_tracks --query 'Table.Parameters.metadata_location' --output text)" = \
  "s3://$BUCKET/ice/metadata/v1.metadata.json" ] || fail "Glue's table has another metadata location"
"$SPOTGEN" schema --ddl --table-format iceberg --tables >"$WORK/reg.sql"
[ "$(grep -c '^CALL glue_catalog' "$WORK/reg.sql")" = 5 ] || fail "--tables: not five registrations"
pass "schema --ddl --table-format iceberg: moto's Glue registers the table by its metadata location; Spark's register_table for each of --tables' five"
