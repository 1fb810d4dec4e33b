#!/usr/bin/env bash
# --tables: the normalised dataset. DuckDB finds one row per key in every
# table, every foreign key resolved, and the join equal to the flat dataset
# of the same seed and rows (CSV and Parquet, 3 ranks); the bytes are the
# same for -np 1 and 3; verify passes (on 1 and 3 ranks: its recomputed
# statistics and the targets of the join), and fails on a dangling foreign
# key, on every track's energy changed, and on rows moved between parts
# (each with the manifest's sizes and CRCs mended to match);
# --resume keeps intact table parts and rewrites a damaged one; --overwrite
# replaces a tables dataset with a flat one; --tables with --output is refused.
source "$(dirname "$0")/lib.sh"
[ -d "$TESTS/node/node_modules/@duckdb/node-api" ] ||
  fail "DuckDB is not installed: run 'npm ci --prefix tests/node' (scripts/test.sh does)"
ARGS=(--rows 300000 --rows-per-part 70000 --seed 11 --no-progress)

for fmt in csv parquet; do
  run_np 3 generate "${ARGS[@]}" --format $fmt --tables --out "$WORK/t3.$fmt" 2>/dev/null ||
    fail "--tables --format $fmt on 3 ranks exited $?"
  run_np 2 generate "${ARGS[@]}" --format $fmt --out "$WORK/flat.$fmt" 2>/dev/null || fail "flat $fmt exited $?"
  "$SPOTGEN" verify "$WORK/t3.$fmt" >"$WORK/verify.$fmt.txt" || fail "verify of the $fmt tables: $(grep FAIL "$WORK/verify.$fmt.txt")"
  node "$TESTS/node/tables_check.mjs" "$WORK/t3.$fmt" "$WORK/flat.$fmt" $fmt || fail "DuckDB: the $fmt tables"
done
pass "verify passes on CSV and Parquet tables written by 3 ranks"

# The same bytes for any number of ranks, and the same statistics as the flat dataset.
run_np 1 generate "${ARGS[@]}" --tables --out "$WORK/t1.csv" 2>/dev/null || fail "--tables on 1 rank exited $?"
(cd "$WORK/t3.csv" && find . -name 'part-*' | sort) >"$WORK/parts3"
(cd "$WORK/t1.csv" && find . -name 'part-*' | sort) >"$WORK/parts1"
cmp -s "$WORK/parts1" "$WORK/parts3" || fail "-np 1 and 3 wrote different part files"
while read -r p; do cmp -s "$WORK/t1.csv/$p" "$WORK/t3.csv/$p" || fail "$p differs between -np 1 and 3"; done <"$WORK/parts3"
[ "$(manifest_without_run "$WORK/t1.csv/_manifest.json")" = "$(manifest_without_run "$WORK/t3.csv/_manifest.json")" ] ||
  fail "the manifests of -np 1 and 3 differ"
python3 - "$WORK/t3.csv/_manifest.json" "$WORK/flat.csv/_manifest.json" <<'PY' || fail "the tables' statistics are not the flat dataset's"
import json, sys
t, f = (json.load(open(p)) for p in sys.argv[1:])
assert t["stats"] == f["stats"], "stats differ"
assert [c["result"] for c in t["targets"]] == [c["result"] for c in f["targets"]]
assert set(t["tables"]) == {"artists", "albums", "tracks", "playlists", "playlist_tracks"}
assert t["tables"]["playlist_tracks"]["rows"] == t["dataset"]["rows"]
assert t["tables"]["tracks"]["foreign_keys"] == [{"column": "artist_id", "references": "artists"},
                                                  {"column": "album_id", "references": "albums"}]
PY
pass "the tables' parts are byte-identical for -np 1 and 3, their statistics the flat dataset's"

# A dangling foreign key: one artist gone (the manifest mended to match).
cp -r "$WORK/t3.csv" "$WORK/dangling"
python3 - "$WORK/dangling" <<'PY'
import json, sys, zlib
d = sys.argv[1]
p = f"{d}/artists/part-00000.csv"
lines = open(p, "rb").read().splitlines(True)
data = b"".join(lines[:1] + lines[2:])
open(p, "wb").write(data)
m = json.load(open(f"{d}/_manifest.json"))
for e in m["parts"]:
    if e["key"] == "artists/part-00000.csv":
        e.update(rows=e["rows"] - 1, bytes=len(data), checksum="crc32:%08x" % zlib.crc32(data))
m["tables"]["artists"]["rows"] -= 1
json.dump(m, open(f"{d}/_manifest.json", "w"))
PY
set +e
"$SPOTGEN" verify "$WORK/dangling" >"$WORK/dangling.txt"
rc=$?
set -e
[ $rc = 5 ] || fail "verify of a dangling key exited $rc, not 5"
grep -q "every foreign key has its row .* FAIL: 1 value of albums.artist_id has no row in artists" "$WORK/dangling.txt" ||
  fail "verify did not name the dangling key: $(grep FAIL "$WORK/dangling.txt")"
pass "verify fails (exit 5) on a dangling foreign key and names it"

run_np 3 verify "$WORK/t3.parquet" >"$WORK/verify3.txt" || fail "verify on 3 ranks: $(grep FAIL "$WORK/verify3.txt")"
grep -q "^recomputed statistics match the manifest's .* pass$" "$WORK/verify3.txt" &&
  grep -q "^energy mean .* pass$" "$WORK/verify3.txt" || fail "verify of tables checks no statistics or targets"
pass "verify of tables on 3 ranks recomputes the join's statistics and checks its targets"

# every track's energy 0.5000
cp -r "$WORK/t3.csv" "$WORK/energy"
for f in "$WORK/energy"/tracks/part-*.csv; do
  python3 - "$f" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
k = rows[0].index("energy")
for r in rows[1:]:
    r[k] = "0.5000"
csv.writer(open(sys.argv[1], "w", newline="", encoding="utf-8"), lineterminator="\n").writerows(rows)
PY
done
mend "$WORK/energy" $(cd "$WORK/energy" && ls tracks/part-*.csv)
rc=0
"$SPOTGEN" verify "$WORK/energy" >"$WORK/energy.txt" || rc=$?
[ $rc = 5 ] && grep -q "FAIL: tracks/part-00000.csv row 1: energy is '0.5000'; the manifest's seed and configuration make" \
  "$WORK/energy.txt" || fail "verify of every track's energy changed: exit $rc, $(grep FAIL "$WORK/energy.txt")"
# the last row of playlist_tracks' part 0 and the first of part 1 exchanged
cp -r "$WORK/t3.csv" "$WORK/moved"
python3 - "$WORK/moved/playlist_tracks/part-00000.csv" "$WORK/moved/playlist_tracks/part-00001.csv" <<'PY'
import sys
a, b = (open(p, "rb").read().splitlines(True) for p in sys.argv[1:])
a[-1], b[1] = b[1], a[-1]
for p, lines in zip(sys.argv[1:], (a, b)):
    open(p, "wb").write(b"".join(lines))
PY
mend "$WORK/moved" playlist_tracks/part-00000.csv playlist_tracks/part-00001.csv
rc=0
"$SPOTGEN" verify "$WORK/moved" >"$WORK/moved.txt" || rc=$?
[ $rc = 5 ] && grep -q "FAIL: playlist_tracks/part-00000.csv row 70000: " "$WORK/moved.txt" ||
  fail "verify of rows moved between parts: exit $rc, $(grep FAIL "$WORK/moved.txt")"
pass "verify fails on every track's energy changed and on rows moved between parts, naming the first row"

# --resume keeps what is intact and writes again what is not.
printf 'damaged' >"$WORK/t1.csv/tracks/part-00002.csv"
run_np 2 generate "${ARGS[@]}" --tables --out "$WORK/t1.csv" --resume 2>"$WORK/resume.err" || fail "--resume exited $?"
grep -q "resumed: 24 of 25 parts kept as recorded, 1 generated" "$WORK/resume.err" || fail "resume: $(cat "$WORK/resume.err")"
while read -r p; do cmp -s "$WORK/t1.csv/$p" "$WORK/t3.csv/$p" || fail "$p differs after --resume"; done <"$WORK/parts3"
pass "--resume keeps the intact table parts and writes the damaged one again, the same bytes"

# --overwrite replaces the tables with a flat dataset: no table folder is left.
run_np 2 generate --rows 1000 --out "$WORK/t1.csv" --overwrite --no-progress 2>/dev/null || fail "--overwrite exited $?"
[ -z "$(cd "$WORK/t1.csv" && ls -d artists albums tracks playlists playlist_tracks 2>/dev/null)" ] ||
  fail "--overwrite left table folders: $(ls "$WORK/t1.csv")"
"$SPOTGEN" verify "$WORK/t1.csv" >"$WORK/over.txt" || true # 1,000 rows: too few for the targets
grep -Eq "^no data files beside the manifest's parts +0 +0 +pass" "$WORK/over.txt" ||
  fail "files are left beside the flat dataset written over the tables: $(grep stray "$WORK/over.txt")"
pass "--overwrite replaces a tables dataset, folders included"

set +e
out=$("$SPOTGEN" generate --rows 10 --tables --output "$WORK/one.csv" 2>&1)
rc=$?
set -e
[ $rc = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && [ ! -e "$WORK/one.csv" ] || fail "--tables --output: exit $rc: $out"
pass "--tables with --output: one line, exit 2, nothing written"

# A key twice (an artist's row repeated) and a row of the join missing, each
# with the manifest's counts, sizes and CRCs mended: their own checks fail.
# edit DIR KEY PY : lines = the part's lines; PY changes them; mended after
edit() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys, zlib
d, key, code = sys.argv[1:]
p = f"{d}/{key}"
lines = open(p, "rb").read().splitlines(True)
exec(code)
data = b"".join(lines)
open(p, "wb").write(data)
m = json.load(open(f"{d}/_manifest.json"))
table = key.split("/")[0]
for e in m["parts"]:
    if e["key"] == key:
        m["tables"][table]["rows"] += len(lines) - 1 - e["rows"]
        e.update(rows=len(lines) - 1, bytes=len(data), checksum="crc32:%08x" % zlib.crc32(data))
json.dump(m, open(f"{d}/_manifest.json", "w"))
PY
}
cp -r "$WORK/t3.csv" "$WORK/dupkey"
edit "$WORK/dupkey" artists/part-00000.csv 'lines.insert(2, lines[1])'
cp -r "$WORK/t3.csv" "$WORK/nojoin"
edit "$WORK/nojoin" playlist_tracks/part-00002.csv 'del lines[-1]'
for case in "dupkey|one row per key in every table" "nojoin|playlist_tracks holds the dataset's rows (the join's row count)"; do
  d=${case%%|*} check=${case#*|}
  rc=0
  "$SPOTGEN" verify "$WORK/$d" --json >"$WORK/v.json" || rc=$?
  [ $rc = 5 ] || fail "$d: verify exited $rc, not 5"
  python3 -c 'import json,sys; r={x["target"]: x["result"] for x in json.load(open(sys.argv[1]))["results"]}; sys.exit(r.get(sys.argv[2]) != "fail")' \
    "$WORK/v.json" "$check" || fail "$d: '$check' did not fail"
done
pass "a key given twice and a row of the join missing (the manifest mended) each fail their own check"
