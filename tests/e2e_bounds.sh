#!/usr/bin/env bash
# What a reader may take is bounded by what its input can honestly hold.
# Small hostile inputs, each well-formed so that only the bound refuses it,
# read by score, verify and the Parquet reader under a virtual-memory limit
# (ulimit -v) far below what 0.9.0 asked for them, so the machine is never
# at risk: each is refused in one line naming the bound, and memory that
# runs out all the same is said as such (score: exit 1).
source "$(dirname "$0")/lib.sh"
: "${PQ_HOSTILE:?set PQ_HOSTILE to the pq_hostile tool}" "${PQ_DUMP:?set PQ_DUMP to the pq_dump tool}"
LIMIT=600000 # KiB of address space: spotgen's libraries and a small dataset fit

# limited CMD... : CMD under the memory limit; its status, stderr in $WORK/err
limited() {
  local rc=0
  (ulimit -v $LIMIT && exec "$@") >"$WORK/out" 2>"$WORK/err" || rc=$?
  echo $rc
}
# says WHAT PATTERN : $WORK/err holds PATTERN
says() { grep -q -- "$2" "$WORK/err" || fail "$1: not '$2': $(head -c 600 "$WORK/err")"; }

# A dirty dataset to score against.
"$SPOTGEN" generate --rows 2000 --dirty light --out "$WORK/truth" 2>/dev/null

# Parquet: each bound, each in a file of at most 1.2 MB
# (kind | what the reader says)
while IFS='|' read -r kind says; do
  "$PQ_HOSTILE" "$kind" "$WORK/$kind.parquet"
  size=$(stat -c %s "$WORK/$kind.parquet")
  [ "$size" -lt 1200000 ] || fail "$kind.parquet is $size bytes"
  rc=$(limited "$PQ_DUMP" "$WORK/$kind.parquet")
  [ "$rc" = 1 ] || fail "the reader exited $rc on $kind.parquet: $(head -c 300 "$WORK/err")"
  says "the reader, $kind.parquet" "$says"
  mkdir -p "$WORK/clean-$kind" && cp "$WORK/$kind.parquet" "$WORK/clean-$kind/"
  rc=$(limited "$SPOTGEN" score "$WORK/clean-$kind" --truth "$WORK/truth")
  [ "$rc" = 2 ] || fail "score exited $rc on $kind.parquet, not 2: $(head -c 300 "$WORK/err")"
  [ "$(wc -l <"$WORK/err")" = 1 ] || fail "score of $kind.parquet: not one line: $(cat "$WORK/err")"
  says "score, $kind.parquet" "$says"
  pass "$kind.parquet ($size bytes): refused under a ${LIMIT} KiB limit: $says"
done <<'EOF'
zeros|row group 1 would take 384 MiB of memory to read from [0-9]* bytes stored
rle|row group 1 would take 512 MiB of memory
wide|row group 1 would take 2097152 MiB of memory
prefix|its values would take more than the 256 MiB this row group may hold
short|its pages hold 10 values; the row group has 33554432 rows
EOF

# The files are Parquet another reader takes: the bound refuses them, not
# their form.
if readers; then
  node "$TESTS/node/hostile_check.mjs" "$WORK" >"$WORK/duck" 2>&1 || fail "DuckDB: $(cat "$WORK/duck")"
  [ "$(cat "$WORK/duck")" = "$(printf '33554432 x\n16777216 0')" ] || fail "DuckDB read: $(cat "$WORK/duck")"
  pass "DuckDB reads rle.parquet (2^25 rows of 'x') and zeros.parquet (2^24 zeros)"
fi

# verify checks a part's size before decoding it: a crafted part in place
# of one of a dataset's is counted, not decoded.
"$SPOTGEN" generate --rows 20000 --rows-per-part 10000 --format parquet --out "$WORK/pq" 2>/dev/null
cp "$WORK/wide.parquet" "$WORK/pq/part-00001.parquet"
rc=$(limited "$SPOTGEN" verify "$WORK/pq")
[ "$rc" = 5 ] || fail "verify of a dataset with a crafted part exited $rc, not 5: $(head -c 300 "$WORK/err")"
grep -q "FAIL: part-00001.parquet: [0-9]* bytes, not the [0-9]* expected: not decoded" "$WORK/out" ||
  fail "verify did not refuse to decode the crafted part: $(grep FAIL "$WORK/out")"
pass "verify counts a crafted part of another size and does not decode it"

# Memory that runs out is said as such, exit 1 (a spotgen file of 300,000
# rows in one row group needs about 140 MiB to read).
"$SPOTGEN" generate --rows 300000 --dirty light --format parquet --row-group-size 256M --out "$WORK/dp" 2>/dev/null
rc=0
(ulimit -v 200000 && exec "$SPOTGEN" score "$WORK/dp" --truth "$WORK/dp") >/dev/null 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] || fail "score out of memory exited $rc, not 1: $(cat "$WORK/err")"
says "score out of memory" "out of memory"
pass "score says memory ran out, exit 1: $(cut -c1-120 "$WORK/err")"

# CSV: a record longer than 1 MiB is refused, not held; here 400 MB of one
# line in a 13 KB csv.zst, read by score and by verify.
mkdir -p "$WORK/longline"
{ echo "row_key,track_name"; head -c 400000000 /dev/zero | tr '\0' a; echo; } | zstd -q -1 >"$WORK/longline/x.csv.zst"
rc=$(limited "$SPOTGEN" score "$WORK/longline" --truth "$WORK/truth")
[ "$rc" = 2 ] || fail "score of a 400 MB line exited $rc, not 2: $(cat "$WORK/err")"
says "score of a 400 MB line" "record 2: a record longer than 1 MiB"
"$SPOTGEN" generate --rows 2000 --format csv.zst --out "$WORK/cz" 2>/dev/null
{ zstd -dc "$WORK/cz/part-00000.csv.zst" | sed -n 1p; head -c 400000000 /dev/zero | tr '\0' a; echo; } |
  zstd -q -1 >"$WORK/long.csv.zst"
mv "$WORK/long.csv.zst" "$WORK/cz/part-00000.csv.zst"
rc=$(limited "$SPOTGEN" verify "$WORK/cz")
[ "$rc" = 5 ] || fail "verify of a 400 MB line exited $rc, not 5: $(head -c 300 "$WORK/err")"
grep -q "a record longer than 1 MiB" "$WORK/out" || fail "verify: $(grep FAIL "$WORK/out")"
pass "a CSV record over 1 MiB is refused by score and verify under a ${LIMIT} KiB limit"

# The number of parts: memory no longer grows by 64 KB a part (3,000 parts
# in 250 MB of address space, where 0.9.0 ran out of memory), and more than
# 100,000 parts are refused up front in one line, nothing written.
rc=0
(ulimit -v 250000 && exec "$SPOTGEN" generate --rows 3000 --rows-per-part 1 --out "$WORK/many") 2>"$WORK/err" || rc=$?
[ $rc = 0 ] || fail "3,000 parts in 250 MB: exit $rc: $(cat "$WORK/err")"
[ "$(ls "$WORK/many" | grep -c '^part-')" = 3000 ] || fail "3,000 parts: $(ls "$WORK/many" | wc -l) files"
for args in "--rows 100001 --rows-per-part 1" "--rows 1000000000000" "--rows 200000 --parts 100001"; do
  rc=0
  # shellcheck disable=SC2086
  "$SPOTGEN" generate $args --out "$WORK/toomany" 2>"$WORK/err" || rc=$?
  [ $rc = 2 ] && [ "$(wc -l <"$WORK/err")" = 1 ] && [ ! -e "$WORK/toomany" ] ||
    fail "'$args': exit $rc, $(cat "$WORK/err")"
  says "'$args'" "spotgen writes at most 100000: give --rows-per-part [0-9]* or more (or --parts 100000 or fewer)"
done
pass "3,000 parts written in 250 MB; more than 100,000 parts refused in one line: $(cat "$WORK/err")"
