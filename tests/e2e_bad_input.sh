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

check() { # NP EXPECTED-LINE ARGS... (the whole line spotgen prints)
  local n=$1 line=$2; shift 2
  local err rc=0
  err=$(run_np "$n" generate "$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" = 2 ] || fail "-np $n $*: exit $rc, expected 2 ($err)"
  local ours; ours=$(grep -c '^spotgen: ' <<<"$err" || true)
  [ "$ours" = 1 ] || fail "-np $n $*: $ours spotgen lines, expected 1: $err"
  [ "$(grep '^spotgen: ' <<<"$err")" = "spotgen: $line" ] || fail "-np $n $*: expected 'spotgen: $line', got: $err"
  if [ "$n" = 0 ]; then [ "$(wc -l <<<"$err")" = 1 ] || fail "$*: more than one line on stderr: $err"; fi
  [ ! -e "$WORK/out" ] || fail "-np $n $*: wrote $WORK/out"
  [ "$(snapshot)" = "$before" ] || fail "-np $n $*: changed files under $WORK"
}

for n in 0 1 3; do
  check "$n" "--rows must be between 1 and 10^15 (got 0)" --rows 0 --out "$WORK/out"
  check "$n" "--rows must be a whole number like 1000000 or 5M (got '-5')" --rows -5 --out "$WORK/out"
  check "$n" "--rows must be a whole number like 1000000 or 5M (got 'abc')" --rows abc --out "$WORK/out"
  check "$n" "unknown option '--bogus' for 'generate'; run 'spotgen generate --help' for the list" \
    --rows 10 --out "$WORK/out" --bogus
  check "$n" "unknown --format 'xlsx'; choose one of: csv, csv.gz, csv.zst, parquet" \
    --rows 10 --out "$WORK/out" --format xlsx
  check "$n" "--rows-per-part must be at least 1; for example --rows-per-part 1000000" \
    --rows 10 --out "$WORK/out" --rows-per-part 0
  check "$n" "output directory $WORK/full is not empty; add --overwrite to replace the dataset in it, or choose another --out" \
    --rows 10 --out "$WORK/full"
  check "$n" "--out $WORK/foreign holds part-00000.csv, which no manifest or journal of spotgen there lists; --overwrite removes only what a spotgen dataset's manifest or journals list: move it, or choose another --out" \
    --rows 10 --out "$WORK/foreign" --overwrite
  check "$n" "--out $WORK/afile exists and is not a directory; choose a directory path" --rows 10 --out "$WORK/afile"
  check "$n" "cannot use --out $WORK/afile/sub: Not a directory" --rows 10 --out "$WORK/afile/sub"
  check "$n" "cannot create output directory /proc/spotgen-out: No such file or directory; choose a writable --out" \
    --rows 10 --out /proc/spotgen-out
  check "$n" "--output $WORK/exists.csv already exists; add --overwrite to replace it" --rows 10 --output "$WORK/exists.csv"
done
pass "bad inputs exit 2 with one line and write nothing, on every rank count"

# Permissions bind only a normal user (root writes anywhere): a read-only directory.
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$WORK/ro" && chmod 555 "$WORK/ro"
  before=$(snapshot)
  for n in 0 2; do check "$n" "cannot create output directory $WORK/ro/out: Permission denied; choose a writable --out" --rows 10 --out "$WORK/ro/out"; done
  chmod 755 "$WORK/ro"
  pass "an unwritable location exits 2 and writes nothing"
fi

# --overwrite replaces a previous dataset, including more parts than the new one has
run_np 0 generate --rows 3000 --rows-per-part 1000 --out "$WORK/ds" --no-progress 2>/dev/null
run_np 2 generate --rows 1000 --rows-per-part 1000 --out "$WORK/ds" --overwrite --no-progress 2>/dev/null
[ "$(cd "$WORK/ds" && ls -A | tr '\n' ' ')" = "_SUCCESS _manifest.json part-00000.csv " ] ||
  fail "--overwrite left: $(ls -A "$WORK/ds")"
pass "--overwrite replaces the previous dataset completely"
