#!/usr/bin/env bash
# --format csv.gz and csv.zst: every part decompresses (with the gzip and
# zstd command-line tools) to exactly the plain CSV part of the same seed;
# the compressed parts are byte-identical for -np 1 and -np 3; the manifest
# names the format, codec and level; verify reads them back and catches a
# part cut short or with a flipped byte; DuckDB reads them the way Spark
# reads a directory; --compression-level is checked before anything is
# written.
source "$(dirname "$0")/lib.sh"
needs gzip zstd
ARGS=(--rows 240000 --rows-per-part 60000 --seed 5 --no-progress)
run_np 2 generate "${ARGS[@]}" --out "$WORK/plain" 2>/dev/null

for f in csv.gz csv.zst; do
  tool=gzip
  [ $f = csv.zst ] && tool=zstd
  run_np 1 generate "${ARGS[@]}" --format $f --out "$WORK/$f-1" 2>/dev/null
  run_np 3 generate "${ARGS[@]}" --format $f --out "$WORK/$f-3" 2>/dev/null
  for k in 0 1 2 3; do
    part=$(printf 'part-%05d' $k)
    cmp -s "$WORK/$f-1/$part.$f" "$WORK/$f-3/$part.$f" || fail "$part.$f differs between -np 1 and -np 3"
    $tool -dc "$WORK/$f-3/$part.$f" | cmp -s - "$WORK/plain/$part.csv" ||
      fail "$tool -dc $part.$f is not the plain CSV part"
  done
  [ "$(manifest_without_run "$WORK/$f-1/_manifest.json")" = "$(manifest_without_run "$WORK/$f-3/_manifest.json")" ] ||
    fail "$f: the manifests of -np 1 and -np 3 differ"
  python3 - "$WORK/$f-3/_manifest.json" "$WORK/plain/_manifest.json" $f <<'PY' || fail "$f: manifest"
import json, os, sys
m, plain, f = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
d = m["dataset"]
codec, level = {"csv.gz": ("gzip", 1), "csv.zst": ("zstd", 3)}[f]
assert (d["format"], d["compression"], d["compression_level"]) == ("csv", codec, level), d
assert [p["key"] for p in m["parts"]] == [f"part-{k:05d}.{f}" for k in range(4)], m["parts"]
for p in m["parts"]:
    assert p["bytes"] == os.path.getsize(os.path.join(os.path.dirname(sys.argv[1]), p["key"])), p
assert m["stats"] == plain["stats"], "statistics differ from the plain CSV's"
PY
  "$SPOTGEN" verify "$WORK/$f-3" >"$WORK/v.txt" 2>&1 || fail "verify $f: $(tail -3 "$WORK/v.txt")"
  ! readers || node "$TESTS/node/spark_style_read.mjs" "$WORK/$f-3" >/dev/null || fail "DuckDB's read of $f disagrees with the manifest"
  ratio=$(python3 -c "import os,sys; print(round(sum(os.path.getsize(f'{sys.argv[1]}/part-{k:05d}.csv') for k in range(4)) / sum(os.path.getsize(f'{sys.argv[2]}/part-{k:05d}.{sys.argv[3]}') for k in range(4)), 2))" "$WORK/plain" "$WORK/$f-3" $f)
  pass "$f: parts decompress to the plain CSV bytes (${ratio}x smaller), identical for -np 1 and 3; manifest and verify agree$(readers && echo ", and DuckDB")"
done

# A part cut short, and a flipped byte: verify says so.
cp -r "$WORK/csv.gz-3" "$WORK/cut"
truncate -s 1000000 "$WORK/cut/part-00002.csv.gz"
if "$SPOTGEN" verify "$WORK/cut" >"$WORK/v.txt" 2>&1; then fail "verify passed a truncated .gz"; fi
grep -q "part-00002.csv.gz: record [0-9]*: the gzip stream is cut short" "$WORK/v.txt" ||
  fail "verify did not name the truncated part: $(grep FAIL "$WORK/v.txt" | head -3)"
cp -r "$WORK/csv.zst-3" "$WORK/flip"
flip_byte "$WORK/flip/part-00001.csv.zst" 0.5
if "$SPOTGEN" verify "$WORK/flip" >"$WORK/v.txt" 2>&1; then fail "verify passed a corrupted .zst"; fi
grep -q "part-00001.csv.zst" "$WORK/v.txt" || fail "verify did not name the corrupted part"
pass "verify catches a .gz cut short (and names it) and a .zst with a flipped byte"

# gzip at levels across its range (libdeflate's): standard gzip
# that gzip itself tests and reads back to the plain CSV, no larger than
# zlib's (gzip -N) output at the same level, give or take 5%.
for level in 1 3 4 6 9; do
  run_np 2 generate "${ARGS[@]}" --format csv.gz --compression-level $level --out "$WORK/gz$level" 2>/dev/null
  part=$WORK/gz$level/part-00001.csv.gz
  gzip -t "$part" || fail "gzip -t rejects the level $level part"
  gzip -dc "$part" | cmp -s - "$WORK/plain/part-00001.csv" || fail "level $level: gzip -dc is not the plain CSV part"
  ours=$(stat -c %s "$part")
  zlib=$(gzip -$level -c "$WORK/plain/part-00001.csv" | wc -c)
  [ $((ours * 100)) -le $((zlib * 105)) ] || fail "level $level: $ours bytes, zlib's gzip -$level $zlib"
done
pass "csv.gz levels 1, 3, 4, 6, 9: standard gzip (gzip -t, gzip -dc is the plain CSV), each at most 5% over zlib's size at its level"

# --compression-level: another level, other bytes, the same text.
run_np 2 generate "${ARGS[@]}" --format csv.zst --compression-level 12 --out "$WORK/z12" 2>/dev/null
zstd -dc "$WORK/z12/part-00001.csv.zst" | cmp -s - "$WORK/plain/part-00001.csv" || fail "level 12 text differs"
cmp -s "$WORK/z12/part-00001.csv.zst" "$WORK/csv.zst-3/part-00001.csv.zst" && fail "level 12 gave level 3's bytes"
[ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dataset"]["compression_level"])' "$WORK/z12/_manifest.json")" = 12 ] ||
  fail "the manifest does not say level 12"
refused "--format csv --compression-level 3" \
  "--compression-level applies to --format csv.gz, csv.zst or parquet with --parquet-codec zstd"
refused "--format csv.gz --compression-level 10" "--compression-level for gzip must be 1 .. 9 (default 1)"
refused "--format csv.zst --compression-level 0" "--compression-level for zstd must be 1 .. 19 (default 3)"
refused "--format csv.zst --compression-level 20" "--compression-level for zstd must be 1 .. 19 (default 3)"
refused "--format csv.bz2" "unknown --format 'csv.bz2'; choose one of: csv, csv.gz, csv.zst, parquet"
pass "--compression-level 12 changes the bytes, not the text; bad levels and formats: one line, exit 2, nothing written"
