#!/usr/bin/env bash
# Each bad input: exit 2, one line from spotgen naming the problem, nothing
# written -- without mpiexec and under it on 1 and 3 ranks.
source "$(dirname "$0")/lib.sh"
touch "$WORK/afile"
mkdir -p "$WORK/full" && echo old > "$WORK/full/part-00000.csv"
mkdir -p "$WORK/foreign" && echo mine > "$WORK/foreign/notes.txt" && echo old > "$WORK/foreign/part-00000.csv"
touch "$WORK/exists.csv"
snapshot() { (cd "$WORK" && find . -path ./out -prune -o -print | sort | xargs -d '\n' md5sum 2>/dev/null; find . | sort); }
before=$(snapshot)

check() { # NP EXPECTED-WORD ARGS...
  local n=$1 word=$2; shift 2
  local err rc=0
  err=$(run_np "$n" generate "$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" = 2 ] || fail "-np $n $*: exit $rc, expected 2 ($err)"
  local ours; ours=$(grep -c '^spotgen: ' <<<"$err" || true)
  [ "$ours" = 1 ] || fail "-np $n $*: $ours spotgen lines, expected 1: $err"
  grep '^spotgen: ' <<<"$err" | grep -qF -- "$word" || fail "-np $n $*: message does not name '$word': $err"
  if [ "$n" = 0 ]; then [ "$(wc -l <<<"$err")" = 1 ] || fail "$*: more than one line on stderr: $err"; fi
  [ ! -e "$WORK/out" ] || fail "-np $n $*: wrote $WORK/out"
  [ "$(snapshot)" = "$before" ] || fail "-np $n $*: changed files under $WORK"
}

for n in 0 1 3; do
  check "$n" --rows --rows 0 --out "$WORK/out"
  check "$n" --rows --rows -5 --out "$WORK/out"
  check "$n" --rows --rows abc --out "$WORK/out"
  check "$n" --bogus --rows 10 --out "$WORK/out" --bogus
  check "$n" xlsx --rows 10 --out "$WORK/out" --format xlsx
  check "$n" --rows-per-part --rows 10 --out "$WORK/out" --rows-per-part 0
  check "$n" "not empty" --rows 10 --out "$WORK/full"
  check "$n" "which no manifest or journal of spotgen there lists" --rows 10 --out "$WORK/foreign" --overwrite
  check "$n" "not a directory" --rows 10 --out "$WORK/afile"
  check "$n" "afile/sub" --rows 10 --out "$WORK/afile/sub"
  check "$n" "/proc/spotgen-out" --rows 10 --out /proc/spotgen-out
  check "$n" "already exists" --rows 10 --output "$WORK/exists.csv"
done
pass "bad inputs exit 2 with one line and write nothing, on every rank count"

# Permissions bind only a normal user (root writes anywhere): a read-only directory.
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$WORK/ro" && chmod 555 "$WORK/ro"
  before=$(snapshot)
  for n in 0 2; do check "$n" "choose a writable" --rows 10 --out "$WORK/ro/out"; done
  chmod 755 "$WORK/ro"
  pass "an unwritable location exits 2 and writes nothing"
fi

# --overwrite replaces a previous dataset, including more parts than the new one has
run_np 0 generate --rows 3000 --rows-per-part 1000 --out "$WORK/ds" --no-progress 2>/dev/null
run_np 2 generate --rows 1000 --rows-per-part 1000 --out "$WORK/ds" --overwrite --no-progress 2>/dev/null
[ "$(cd "$WORK/ds" && ls -A | tr '\n' ' ')" = "_SUCCESS _manifest.json part-00000.csv " ] ||
  fail "--overwrite left: $(ls -A "$WORK/ds")"
pass "--overwrite replaces the previous dataset completely"
