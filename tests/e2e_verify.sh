#!/usr/bin/env bash
# `spotgen verify`: every target passes at 1M rows for three seeds written by
# three ranks, the manifest's own target checks agree, and verify catches a
# changed byte, a missing or stray part, a missing _SUCCESS or manifest.
source "$(dirname "$0")/lib.sh"

# failing DIR : the names of the checks verify --json reports as failed
# (nothing when all pass); a verify that exits other than 0 or 5, or
# writes no JSON, is said as such (never taken for a pass)
failing() {
  local rc=0
  "$SPOTGEN" verify "$1" --json >"$WORK/v.json" || rc=$?
  [ $rc = 0 ] && return 0
  [ $rc = 5 ] || { echo "verify exited $rc"; return 0; }
  python3 -c 'import json,sys; print("\n".join(r["target"] for r in json.load(open(sys.argv[1]))["results"] if r["result"] == "fail"))' "$WORK/v.json" 2>/dev/null ||
    echo "verify wrote no readable JSON"
}

for seed in 42 7 20261124; do
  run_np 3 generate --rows 1000000 --rows-per-part 250000 --seed "$seed" --out "$WORK/s$seed" --no-progress 2>/dev/null
  rc=0; "$SPOTGEN" verify "$WORK/s$seed" >"$WORK/table.txt" || rc=$?
  [ "$rc" = 0 ] || fail "seed $seed: verify exit $rc: $(grep -E 'FAIL' "$WORK/table.txt")"
  grep -q "all pass" "$WORK/table.txt" || fail "seed $seed: no summary line"
  python3 - "$WORK/s$seed/_manifest.json" <<'PY' || fail "seed $seed: the manifest's target checks do not all pass"
import json, sys
t = json.load(open(sys.argv[1]))["targets"]
bad = [x["target"] for x in t if x["result"] == "fail"]
assert len(t) >= 40 and not bad, bad
PY
done
pass "verify passes every target at 1M rows for seeds 42, 7 and 20261124 on 3 ranks"

# mpirun -np N spotgen verify: the ranks share the parts, rank 0 merges and
# answers; what it prints is, byte for byte, what one process prints, for a
# clean dataset, a damaged one (the same failures, exit 5 from both) and a
# --tables Parquet one. Playlists run across parts read by different ranks.
run_np 2 generate --rows 300000 --rows-per-part 50000 --seed 42 --out "$WORK/p42" --no-progress 2>/dev/null
"$SPOTGEN" verify "$WORK/p42" --json >"$WORK/one.json" || fail "verify of p42 failed"
run_np 3 verify "$WORK/p42" --json >"$WORK/three.json" 2>"$WORK/three.err" ||
  fail "verify -np 3 failed: $(tail -3 "$WORK/three.err")"
cmp -s "$WORK/one.json" "$WORK/three.json" || fail "verify -np 3 printed other than one process"
cp -r "$WORK/p42" "$WORK/bad42"
printf 'X' | dd of="$WORK/bad42/part-00001.csv" bs=1 seek=5000000 conv=notrunc 2>/dev/null
python3 - "$WORK/bad42/part-00003.csv" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read())
i = b.index(b",0.", 1000) + 1   # a feature's leading 0
b[i] = ord("7")
open(p, "wb").write(b)
PY
rc1=0; "$SPOTGEN" verify "$WORK/bad42" --json >"$WORK/one.json" || rc1=$?
rc3=0; run_np 3 verify "$WORK/bad42" --json >"$WORK/three.json" 2>/dev/null || rc3=$?
[ $rc1 = 5 ] && [ $rc3 = 5 ] || fail "a damaged dataset: exit $rc1 from one process, $rc3 from 3 ranks"
cmp -s "$WORK/one.json" "$WORK/three.json" || fail "a damaged dataset: verify -np 3 printed other than one process"
run_np 2 generate --rows 200000 --rows-per-part 50000 --tables --format parquet --out "$WORK/tpq" --no-progress 2>/dev/null
"$SPOTGEN" verify "$WORK/tpq" --json >"$WORK/one.json" || fail "verify of a --tables Parquet dataset failed"
run_np 3 verify "$WORK/tpq" --json >"$WORK/three.json" 2>/dev/null || fail "verify -np 3 of --tables Parquet failed"
cmp -s "$WORK/one.json" "$WORK/three.json" || fail "--tables: verify -np 3 printed other than one process"
pass "mpirun -np 3 spotgen verify prints what one process prints, byte for byte: clean, damaged (exit 5), --tables Parquet"

d="$WORK/s7"
cp "$d/part-00002.csv" "$WORK/keep.csv"
python3 - "$d/part-00002.csv" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read())
i = b.index(b",0.", len(b) // 2) + 3   # a digit of some 0..1 feature
b[i] = ord("1") if b[i] != ord("1") else ord("2")
open(p, "wb").write(b)
PY
out=$(failing "$d")
grep -q "CRC-32" <<<"$out" || fail "a changed byte: not reported ($out)"
grep -q "statistics match" <<<"$out" || fail "a changed byte: statistics not found different ($out)"
cp "$WORK/keep.csv" "$d/part-00002.csv"
[ -z "$(failing "$d")" ] || fail "the restored dataset does not pass"
pass "a changed byte fails the checksum and statistics checks (exit 5)"

mv "$d/part-00001.csv" "$WORK/"
grep -q "parts listed in the manifest are present" <<<"$(failing "$d")" || fail "a missing part not reported"
mv "$WORK/part-00001.csv" "$d/"
cp "$d/part-00003.csv" "$WORK/keep3.csv"
printf 'x' >>"$d/part-00003.csv" # one byte more: a line without its end
grep -q "parts' bytes match the manifest" <<<"$(failing "$d")" || fail "a part one byte longer: its size not reported"
cp "$WORK/keep3.csv" "$d/part-00003.csv"
echo stray > "$d/part-00099.csv"
grep -q "no data files beside" <<<"$(failing "$d")" || fail "a stray part not reported"
rm "$d/part-00099.csv"
rm "$d/_SUCCESS"
grep -q "_SUCCESS is present" <<<"$(failing "$d")" || fail "a missing _SUCCESS not reported"
pass "a missing part, a part one byte longer, a stray file and a missing _SUCCESS each fail their own check"

# The manifest's entries name the objects of the dataset's shape (lake/shape.h):
# two entries' keys swapped (each with its file's size and checksum, so
# every file is whole) put part 1's rows in part 0's place.
cp "$d/_manifest.json" "$WORK/keep.json"
python3 - "$d/_manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
a, b = m["parts"][0], m["parts"][1]
for k in ("key", "rows", "bytes", "checksum"):
    a[k], b[k] = b[k], a[k]
json.dump(m, open(sys.argv[1], "w"))
PY
rc=0; "$SPOTGEN" verify "$d" >"$WORK/v.txt" 2>&1 || rc=$?
[ $rc = 5 ] && grep -q "part entry 0's key is part-00001.csv; the dataset's shape names it part-00000.csv" "$WORK/v.txt" ||
  fail "two entries' keys swapped: exit $rc: $(grep -i key "$WORK/v.txt")"
cp "$WORK/keep.json" "$d/_manifest.json"
pass "an entry whose key is not its object's (the shape's) fails, naming both"

rc=0; err=$("$SPOTGEN" verify "$WORK/nowhere" 2>&1) || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <<<"$err")" = 1 ] || fail "verify of a missing directory: exit $rc: $err"
rm "$d/_manifest.json"
rc=0; err=$("$SPOTGEN" verify "$d" 2>&1) || rc=$?
[ "$rc" = 2 ] && grep -q "_manifest.json" <<<"$err" || fail "verify without a manifest: exit $rc: $err"
pass "verify without a dataset or a manifest exits 2 with one line"

# Each consistency check fails on its own: one cell changed in a copy of a
# dataset, and the manifest's size and CRC-32 of that part mended to match,
# so that nothing but the check named can see it. The check named must fail
# (verify --json), exit 5.
"$SPOTGEN" generate --rows 200000 --rows-per-part 100000 --seed 5 --out "$WORK/base" --no-progress 2>/dev/null
# tamper NAME PART COLUMN ROW VALUE : a copy of base with one cell set, mended
tamper() {
  rm -rf "$WORK/$1" && cp -r "$WORK/base" "$WORK/$1"
  python3 - "$WORK/$1/$2" "$3" "$4" "$5" <<'PY'
import csv, io, sys
path, column, row, value = sys.argv[1:]
rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
rows[int(row)][rows[0].index(column)] = value
out = io.StringIO()
csv.writer(out, lineterminator="\n").writerows(rows)
open(path, "wb").write(out.getvalue().encode())
PY
  mend "$WORK/$1" "$2"
}
# a row whose artist, playlist, album and track recur in other rows: row 2
# of part 0 (a playlist's rows are one run; its track recurs: a hit)
row=$(python3 - "$WORK/base/part-00000.csv" <<'PY'
import csv, collections, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
h = rows[0]
tid = h.index("track_id")
count = collections.Counter(r[tid] for r in rows[1:])
# a row of a track placed twice or more, not a playlist's first or last row
pid = h.index("playlist_id")
for i in range(2, len(rows) - 1):
    if count[rows[i][tid]] > 1 and rows[i - 1][pid] == rows[i][pid] == rows[i + 1][pid]:
        print(i)
        break
PY
)
[ -n "$row" ] || fail "no row of a recurring track inside a playlist in part 0"
while IFS='|' read -r name column value check; do
  tamper "$name" part-00000.csv "$column" "$row" "$value"
  rc=0
  "$SPOTGEN" verify "$WORK/$name" --json >"$WORK/v.json" || rc=$?
  [ $rc = 5 ] || fail "$name: verify exited $rc, not 5"
  python3 - "$WORK/v.json" "$check" <<'PY' || fail "$name: '$check' did not fail: $(grep -o '"target":"[^"]*","range[^}]*"fail"' "$WORK/v.json" | head -3)"
import json, sys
r = {x["target"]: x["result"] for x in json.load(open(sys.argv[1]))["results"]}
sys.exit(r.get(sys.argv[2]) != "fail")
PY
done <<'EOF2'
artist|artist_name|Nobody Plays This|one name per artist_id
playlist|num_followers|31|one name, category and follower count per playlist_id
album|release_date|2011-01-01|one release date per album (artist_id, album_name)
track|track_name|A Name Nobody Gave|one set of attributes per track_id (name, artist, album, features, popularity)
range|energy|7.1234|values are within their columns' ranges
EOF2
pass "one cell changed (the manifest mended): one name per artist_id, a playlist's followers, an album's date, a track's attributes and a value's range each fail their own check"
