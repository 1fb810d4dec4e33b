#!/usr/bin/env bash
# Edges of input and output that were wrong in 0.9.0:
# - ambiguous input is refused, never taken silently: an option given twice
#   (or with its alias), a key given twice in a JSON object (--config,
#   --dirty), a cleaning with two columns of one name;
# - score reads row keys in upper case (a spreadsheet's) as the same keys;
# - files made whole (--output FILE, report -o) get the umask, as parts do;
# - a path is printed with its control characters escaped;
# - messages say what happened: a --dirty file whose rates changed, a truth
#   changed under this very version, SIGTERM while --resume reads journals.
source "$(dirname "$0")/lib.sh"

# refused_with WHAT PATTERN ARGS... : exit 2, one line holding PATTERN, nothing written
refused_with() {
  local what=$1 pattern=$2 rc=0
  shift 2
  "$SPOTGEN" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ $rc = 2 ] && [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q -- "$pattern" "$WORK/err" ||
    fail "$what: exit $rc: $(cat "$WORK/err")"
  [ ! -e "$WORK/nothing" ] || fail "$what wrote $WORK/nothing"
}

refused_with "--rows twice" "--rows is given twice; give it once" generate --rows 10 --rows 20 --out "$WORK/nothing"
refused_with "an alias twice" "--rows-per-part and --chunk-size are the same option, given twice" \
  generate --rows 10 --rows-per-part 5 --chunk-size 4 --out "$WORK/nothing"
echo '{"artists": 500, "artists": 900}' >"$WORK/twice.json"
refused_with "--config with a key twice" 'the key "artists" is given twice in one object' \
  generate --rows 10 --config "$WORK/twice.json" --out "$WORK/nothing"
echo '{"missing": {"rate": 0.1, "rate": 0.2}}' >"$WORK/twice-dirty.json"
refused_with "--dirty with a key twice" 'the key "rate" is given twice in one object' \
  generate --rows 10 --dirty "$WORK/twice-dirty.json" --out "$WORK/nothing"
pass "an option given twice (or with its alias) and a JSON key given twice are refused in one line"

# score: two columns of one name; upper-case keys
"$SPOTGEN" generate --rows 3000 --dirty light --out "$WORK/d" 2>/dev/null
mkdir -p "$WORK/two"
{ echo "row_key,energy,energy"; echo "0000000000000000,0.5,0.6"; } >"$WORK/two/c.csv"
refused_with "a cleaning with two energy columns" "has two columns named energy; give each column once" \
  score "$WORK/two" --truth "$WORK/d"
"$SPOTGEN" score "$WORK/d" --truth "$WORK/d" --json >"$WORK/noop.json"
mkdir -p "$WORK/upper"
python3 - "$WORK/d/part-00000.csv" "$WORK/upper/part-00000.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f, open(sys.argv[2], "w", newline="", encoding="utf-8") as g:
    r, w = csv.reader(f), csv.writer(g, lineterminator="\n")
    head = next(r)
    w.writerow(head)
    k = head.index("row_key")
    for row in r:
        row[k] = row[k].upper()
        w.writerow(row)
PY
"$SPOTGEN" score "$WORK/upper" --truth "$WORK/d" --json >"$WORK/upper.json"
same=$(python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); [x.pop("cleaned") for x in (a,b)]; print(a==b)' \
  "$WORK/noop.json" "$WORK/upper.json")
[ "$same" = True ] || fail "upper-case row keys score differently: $(diff "$WORK/noop.json" "$WORK/upper.json" | head -5)"
# a cleaning in partition folders (as Spark's partitionBy writes it) is
# read whole, as from an S3 prefix: the same scores as in one folder
mkdir -p "$WORK/parted/part=a" "$WORK/parted/part=b"
{ sed -n 1p "$WORK/upper/part-00000.csv"; sed -n '2,1500p' "$WORK/upper/part-00000.csv"; } >"$WORK/parted/part=a/x.csv"
{ sed -n 1p "$WORK/upper/part-00000.csv"; sed -n '1501,$p' "$WORK/upper/part-00000.csv"; } >"$WORK/parted/part=b/y.csv"
"$SPOTGEN" score "$WORK/parted" --truth "$WORK/d" --json >"$WORK/parted.json"
same=$(python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); [x.pop("cleaned") for x in (a,b)]; print(a==b)' \
  "$WORK/noop.json" "$WORK/parted.json")
[ "$same" = True ] || fail "a cleaning in partition folders scores differently: $(diff "$WORK/noop.json" "$WORK/parted.json" | head -5)"
pass "score: two columns of one name refused; upper-case row keys, and a cleaning in partition folders, score as the same rows"

# the umask: parts, --output FILE and report -o alike
(umask 027 && "$SPOTGEN" generate --rows 1000 --out "$WORK/u" 2>/dev/null &&
  "$SPOTGEN" generate --rows 1000 --output "$WORK/u.csv" 2>/dev/null &&
  { "$SPOTGEN" report "$WORK/u" -o "$WORK/u.html" >/dev/null 2>&1 || true; })
for f in "$WORK/u/part-00000.csv" "$WORK/u.csv" "$WORK/u.html"; do
  [ "$(stat -c %a "$f")" = 640 ] || fail "$f has mode $(stat -c %a "$f") under umask 027, not 640"
done
pass "under umask 027, parts, --output FILE and report -o are all 640"

# control characters in a path are printed escaped
out="$WORK/bell$(printf '\a')dir"
"$SPOTGEN" generate --rows 100 --out "$out" 2>"$WORK/err"
"$SPOTGEN" verify "$out" >>"$WORK/err" 2>&1 || true # 100 rows: too few for the targets
"$SPOTGEN" report "$out" --verify >>"$WORK/err" 2>&1 || true
[ "$(grep -c 'bell\\x07dir' "$WORK/err")" -ge 4 ] && ! grep -q "$(printf '\a')" "$WORK/err" ||
  fail "the path printed raw: $(cat -v "$WORK/err")"
pass "generate's summary and verify's and report's lines print a path's control characters as \\xNN"

# a --dirty file whose rates changed since: said as such
echo '{"base": "light", "missing": {"rate": 0.02}}' >"$WORK/rates.json"
"$SPOTGEN" generate --rows 2000 --dirty "$WORK/rates.json" --out "$WORK/r" 2>/dev/null
echo '{"base": "light", "missing": {"rate": 0.03}}' >"$WORK/rates.json"
refused_with "--resume with a changed rates file" "started with --dirty $WORK/rates.json holding other rates (the file changed since)" \
  generate --rows 2000 --dirty "$WORK/rates.json" --out "$WORK/r" --resume
pass "--resume after the --dirty file changed says the file changed"

# a truth changed under this very version: not "score with the version that generated it"
cp -r "$WORK/d" "$WORK/t"
python3 - "$WORK/t/_manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["dataset"]["seed"] = m["dataset"]["seed"] + 1
json.dump(m, open(sys.argv[1], "w"))
PY
refused_with "a tampered truth" "the truth was changed since generate wrote it; generate it again" \
  score "$WORK/t" --truth "$WORK/t"
pass "a truth changed since it was written is said to be changed"

# SIGTERM while --resume reads a journal of millions of lines: exit 143,
# whenever it arrives (0.9.0 said 2 when it came during the read, which
# takes most of this run's time)
"$SPOTGEN" generate --rows 3000000 --out "$WORK/j" 2>/dev/null &
pid=$!
for _ in $(seq 600); do
  [ -s "$WORK/j/_spotgen-journal-00000.txt" ] && [ "$(wc -l <"$WORK/j/_spotgen-journal-00000.txt")" -ge 2 ] && break
  sleep 0.05
done
kill -KILL $pid
wait $pid 2>/dev/null || true
python3 - "$WORK/j/_spotgen-journal-00000.txt" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines(keepends=True)
with open(sys.argv[1], "a") as f:
    f.write(lines[1] * 3000000)
PY
rc=0
timeout --preserve-status -s TERM 0.5 "$SPOTGEN" generate --rows 3000000 --out "$WORK/j" --resume 2>"$WORK/err" || rc=$?
[ $rc = 143 ] || fail "SIGTERM during --resume: exit $rc, not 143: $(cat "$WORK/err")"
pass "SIGTERM while --resume reads a journal of 3,000,000 lines exits 143"

# a journal that cannot be written (here its name is taken by a folder, made
# while the run is frozen after taking its lock): the part it would have
# listed goes with the run, so --overwrite finds no stranger afterwards
"$SPOTGEN" generate --rows 600000 --rows-per-part 200000 --out "$WORK/jf" 2>/dev/null &
pid=$!
for _ in $(seq 600); do
  [ -e "$WORK/jf/_spotgen_lock" ] && break
  sleep 0.05
done
kill -STOP $pid
mkdir "$WORK/jf/_spotgen-journal-00000.txt"
kill -CONT $pid
rc=0
wait $pid || rc=$?
[ $rc = 1 ] || fail "a journal that cannot be written: exit $rc"
! ls "$WORK/jf" | grep -q '^part-' || fail "a part its journal does not list is left: $(ls "$WORK/jf")"
rmdir "$WORK/jf/_spotgen-journal-00000.txt"
"$SPOTGEN" generate --rows 600000 --rows-per-part 200000 --out "$WORK/jf" --overwrite 2>"$WORK/err" ||
  fail "--overwrite after a failed journal write: $(cat "$WORK/err")"
pass "a part whose journal line cannot be written goes with the run; --overwrite then replaces the rest"
