#!/usr/bin/env bash
# A small run is valgrind-clean (memcheck: no invalid read or write, no use
# of uninitialised values, no bad free): generate in each format, and verify
# reading each back. Leaks are not counted: MPI_Init's own allocations live
# to the end of the process by design.
source "$(dirname "$0")/lib.sh"
needs valgrind
VG=(valgrind -q --error-exitcode=9 --leak-check=no)
for f in csv csv.zst parquet; do
  rc=0
  "${VG[@]}" "$SPOTGEN" generate --rows 3000 --rows-per-part 1000 --format $f --out "$WORK/$f" --no-progress \
    2>"$WORK/err" || rc=$?
  [ $rc = 0 ] || fail "valgrind: generate --format $f exit $rc: $(grep -v '^hwloc\|^May be\|^and reloading' "$WORK/err" | head -20)"
  rc=0
  "${VG[@]}" "$SPOTGEN" verify "$WORK/$f" >"$WORK/v.txt" 2>"$WORK/err" || rc=$?
  # verify exits 5 when a target fails at this tiny size (9 is valgrind's):
  # then only statistical targets may fail, every check of the files passes
  [ $rc = 0 ] || [ $rc = 5 ] || fail "valgrind: verify of $f exit $rc: $(head -20 "$WORK/err")"
  for check in "parts' rows match" "parts' bytes match" "parts' CRC-32 match" "parts are well-formed" \
    "values are within" "recomputed statistics match"; do
    grep -q "^$check.* pass$" "$WORK/v.txt" || fail "valgrind: verify of $f: '$check' did not pass: $(grep FAIL "$WORK/v.txt" | head -3)"
  done
done
pass "generate and verify under valgrind (csv, csv.zst, parquet): no memory errors"
