#!/usr/bin/env bash
# --format parquet, read by two independent readers (hyparquet and DuckDB):
# types, values (every one equal to the CSV of the same seed), row groups'
# statistics, field ids, the page index, dictionary encodings, bloom filters
# (--parquet-bloom); parts byte-identical for -np 1 and -np 3; each page codec
# (zstd, snappy, none); several row groups per part with a small
# --row-group-size; the manifest names format, codec and row-group size;
# spotgen verify reads it all and catches damage; the checker fails against
# another seed's CSV; bad options are refused.
source "$(dirname "$0")/lib.sh"
NODE=$TESTS/node
[ -d "$NODE/node_modules/hyparquet-compressors" ] ||
  fail "the test's npm packages are missing: run 'npm ci --prefix tests/node' (scripts/test.sh does)"
ARGS=(--rows 300000 --rows-per-part 100000 --seed 9 --no-progress)
run_np 2 generate "${ARGS[@]}" --out "$WORK/csv" 2>/dev/null

run_np 1 generate "${ARGS[@]}" --format parquet --row-group-size 2M --out "$WORK/pq1" 2>/dev/null
run_np 3 generate "${ARGS[@]}" --format parquet --row-group-size 2M --out "$WORK/pq3" 2>/dev/null
for k in 0 1 2; do
  part=$(printf 'part-%05d.parquet' $k)
  cmp -s "$WORK/pq1/$part" "$WORK/pq3/$part" || fail "$part differs between -np 1 and -np 3"
done
[ "$(manifest_without_run "$WORK/pq1/_manifest.json")" = "$(manifest_without_run "$WORK/pq3/_manifest.json")" ] ||
  fail "the manifests of -np 1 and -np 3 differ"
python3 - "$WORK/pq3/_manifest.json" "$WORK/csv/_manifest.json" <<'PY' || fail "the Parquet manifest"
import json, sys
m, csv = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
d = m["dataset"]
assert (d["format"], d["compression"], d["compression_level"], d["row_group_size"], d["header"]) == \
    ("parquet", "zstd", 3, 2 << 20, False), d
assert [p["key"] for p in m["parts"]] == [f"part-{k:05d}.parquet" for k in range(3)], m["parts"]
assert m["stats"] == csv["stats"], "statistics differ from the CSV's"
PY
! readers || node "$NODE/parquet_check.mjs" "$WORK/pq3" "$WORK/csv" zstd || fail "the Parquet readers disagree with the CSV"
pass "parquet (zstd, 2 MiB row groups): identical for -np 1 and 3$(readers && echo "; hyparquet and DuckDB read the CSV's values, types and statistics")"

# Bloom filters: by default on the id columns' dictionary-encoded chunks
# (above: small row groups, where track_id's are PLAIN); named, on every
# chunk of a string (PLAIN chunks among them: track_id), an int, a
# fixed-point double, a date and a long besides (snappy); on none.
BLOOM_snappy=ids,track_id,track_name,popularity_score,energy,release_date,num_followers
BLOOM_none=none
for codec in snappy none; do
  bloom=BLOOM_$codec
  run_np 2 generate "${ARGS[@]}" --format parquet --parquet-codec $codec --parquet-bloom ${!bloom} \
    $([ $codec = snappy ] && echo --row-group-size 2M) --out "$WORK/pq-$codec" 2>/dev/null
  [ "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["dataset"]["parquet_bloom"])' "$WORK/pq-$codec/_manifest.json")" = "${!bloom}" ] ||
    fail "the manifest does not record --parquet-bloom ${!bloom}"
  ! readers || node "$NODE/parquet_check.mjs" "$WORK/pq-$codec" "$WORK/csv" $codec >"$WORK/$codec.txt" || fail "parquet with $codec pages"
done
! readers || grep -q " 0 bloom filters" "$WORK/none.txt" || fail "--parquet-bloom none: $(cat "$WORK/none.txt")"
! readers || grep -q " bloom filters ([1-9][0-9]* of PLAIN chunks)" "$WORK/snappy.txt" ||
  fail "--parquet-bloom track_id: no PLAIN chunk has a filter: $(cat "$WORK/snappy.txt")"
pass "parquet with snappy pages and uncompressed pages, bloom filters on 9 columns of 5 types, PLAIN chunks among them, and on none$(readers && echo ": both readers agree with the CSV and with each other on the filters")"

# One row group of 300,000 rows: every column in 5 pages or more (pages end
# at 64 Ki values or 1 MiB), so the page index's bounds are each page's own.
run_np 1 generate --rows 300000 --rows-per-part 300000 --seed 9 --no-progress --out "$WORK/csv1" 2>/dev/null
run_np 1 generate --rows 300000 --rows-per-part 300000 --seed 9 --no-progress --format parquet --row-group-size 128M --out "$WORK/pq-big" 2>/dev/null
! readers || node "$NODE/parquet_check.mjs" "$WORK/pq-big" "$WORK/csv1" zstd >"$WORK/big.txt" ||
  fail "parquet of one 300,000-row group"
! readers || [ "$(grep -o '[0-9]* pages' "$WORK/big.txt" | cut -d' ' -f1)" -ge 120 ] || fail "fewer than 5 pages a column: $(cat "$WORK/big.txt")"
pass "parquet of one 300,000-row group, 5 pages a column or more$(readers && echo ": the page index holds each page's own bounds and places")"

# verify reads Parquet (its own reader): every check passes, for each codec;
# a flipped byte and a file cut short are caught and named.
for d in pq3 pq-snappy pq-none; do
  "$SPOTGEN" verify "$WORK/$d" >"$WORK/v.txt" 2>&1 || fail "verify $d: $(grep FAIL "$WORK/v.txt")"
done
cp -r "$WORK/pq3" "$WORK/flip"
flip_byte "$WORK/flip/part-00001.parquet" 0.33
if "$SPOTGEN" verify "$WORK/flip" >"$WORK/v.txt" 2>&1; then fail "verify passed a Parquet part with a flipped byte"; fi
grep -q "part-00001.parquet has crc32" "$WORK/v.txt" || fail "verify did not name the changed part: $(grep FAIL "$WORK/v.txt")"
cp -r "$WORK/pq3" "$WORK/cut"
truncate -s 100000 "$WORK/cut/part-00002.parquet"
if "$SPOTGEN" verify "$WORK/cut" >"$WORK/v.txt" 2>&1; then fail "verify passed a Parquet part cut short"; fi
# a part of another size than the manifest's is not decoded (e2e_bounds)
grep -q "part-00002.parquet: 100000 bytes, not the [0-9]* expected: not decoded" "$WORK/v.txt" ||
  fail "verify did not say why the cut part is not read: $(grep FAIL "$WORK/v.txt")"
pass "verify reads Parquet (zstd, snappy, none): all checks pass; a flipped byte and a cut part are caught and named"

# The reader reads what other writers make (tests/pq_others): LZ4 pages in
# Hadoop's framing and bare, gzip pages of several members, v2 pages with no
# value bytes and with repetition levels, RLE booleans, BYTE_STREAM_SPLIT on
# FLOAT16, decimals and integers, a row group of no rows, page CRC-32s;
# each file's rows as pq_others wrote them, and as DuckDB (or hyparquet,
# where DuckDB has no such codec or encoding) reads them. A page whose bytes
# are not its CRC-32 and a nested column are refused in one line.
mkdir -p "$WORK/others"
for k in lz4-hadoop lz4-block gzip-members v2-empty v2-rle-bool bss-fixed zero-rows crc crc-bad nested; do
  "$PQ_OTHERS" $k "$WORK/others/$k.parquet" || fail "pq_others $k"
done
for k in lz4-hadoop lz4-block gzip-members v2-empty v2-rle-bool bss-fixed zero-rows crc; do
  "$PQ_DUMP" "$WORK/others/$k.parquet" >"$WORK/others/$k.out" 2>&1 || fail "pq_dump $k: $(head -1 "$WORK/others/$k.out")"
  cmp -s "$WORK/others/$k.out" "$WORK/others/$k.tsv" || fail "pq_dump $k: $(diff "$WORK/others/$k.out" "$WORK/others/$k.tsv" | head -3)"
done
refusal() { # KIND MESSAGE
  local rc=0
  "$PQ_DUMP" "$WORK/others/$1.parquet" >/dev/null 2>"$WORK/others/$1.err" || rc=$?
  [ $rc = 1 ] && [ "$(cat "$WORK/others/$1.err")" = "pq_dump: $WORK/others/$1.parquet: $2" ] ||
    fail "pq_dump $1: exit $rc, $(cat "$WORK/others/$1.err")"
}
refusal crc-bad "row group 1: column n: a page's bytes do not match its CRC-32: the file is damaged"
refusal nested "not a readable Parquet file: a nested column (a struct, list or map): only flat tables are read"
if readers; then
  node "$NODE/corpus_check.mjs" "$PQ_DUMP" "$WORK/others" "$WORK" >"$WORK/others.txt" || fail "$(cat "$WORK/others.txt")"
  grep -q "^10 files: 5 flat files read as DuckDB reads them, 3 as hyparquet reads them (DuckDB does not), 1 nested ones refused in one line, 1 refused for a page whose CRC-32 is wrong, 0 neither reads" "$WORK/others.txt" ||
    fail "the other writers' files: $(cat "$WORK/others.txt")"
fi
pass "the reader reads other writers' Parquet (Hadoop and bare LZ4, gzip members, v2 pages empty or with repetition levels, RLE booleans, BYTE_STREAM_SPLIT FLOAT16, decimals and integers, an empty row group, page CRCs)$(readers && echo " as DuckDB and hyparquet do"); a bad CRC and a nested column are refused in one line"

# The checker can fail: the same Parquet against another seed's CSV.
if readers; then
  run_np 2 generate --rows 300000 --rows-per-part 100000 --seed 10 --no-progress --out "$WORK/csv10" 2>/dev/null
  if node "$NODE/parquet_check.mjs" "$WORK/pq3" "$WORK/csv10" zstd 2>/dev/null; then
    fail "the checker passed Parquet against another seed's CSV"
  fi
  pass "the checker fails against another seed's CSV"
fi

# The Athena DDL for Parquet: the parts' own types, STORED AS PARQUET; the
# manifest carries the same.
"$SPOTGEN" schema --ddl --format parquet --location s3://b/p/ >"$WORK/ddl.sql"
python3 - "$WORK/ddl.sql" "$WORK/pq3/_manifest.json" <<'PY' || fail "the Parquet DDL"
import json, re, sys
ddl, m = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
athena = {"string": "string", "date": "date", "long": "bigint", "integer": "int", "double": "double"}
want = [(f["name"], athena[f["type"]]) for f in m["schema"]["spark"]["fields"]]
assert re.findall(r"`(\w+)` (\w+)", ddl) == want, ddl
assert "STORED AS PARQUET\nLOCATION 's3://b/p/';" in ddl and "VIEW" not in ddl, ddl
assert "STORED AS PARQUET" in m["schema"]["athena_ddl"]
PY
pass "schema --ddl --format parquet: a Parquet table of the parts' types; the manifest's DDL is the Parquet one"

refused "--format parquet --parquet-codec lz4" "unknown --parquet-codec 'lz4'; choose one of: zstd, snappy, none"
refused "--format csv --parquet-codec zstd" "--parquet-codec and --row-group-size apply to --format parquet, not csv"
refused "--format parquet --row-group-size 100K" "--row-group-size must be between 1M and 2G; for example --row-group-size 128M"
refused "--format parquet --parquet-codec snappy --compression-level 3" \
  "--compression-level applies to --format csv.gz, csv.zst or parquet with --parquet-codec zstd"
refused "--format csv.gz --row-group-size 64M" "--parquet-codec and --row-group-size apply to --format parquet, not csv.gz"
refused "--format csv --parquet-bloom ids" "--parquet-bloom applies to --format parquet, not csv"
refused "--format parquet --parquet-bloom track_id,album_id" "--parquet-bloom: 'album_id' is not a column of the dataset; give column names (for example track_id,artist_name), ids (every id column) or none"
refused "--format parquet --parquet-bloom ids,none" "--parquet-bloom none turns bloom filters off; give it alone"
refused "--format parquet --parquet-bloom track_id,,key" "--parquet-bloom 'track_id,,key' has an empty name; give column names separated by commas, ids (every id column) or none"
pass "bad Parquet options: one line, exit 2, nothing written"
