#!/usr/bin/env bash
# --output FILE.csv is the concatenation of the parts minus repeated headers,
# whatever the number of ranks, and leaves no temporary files behind.
source "$(dirname "$0")/lib.sh"
run_np 0 generate --rows 120000 --rows-per-part 25000 --out "$WORK/parts" --no-progress 2>/dev/null
{ head -n 1 "$WORK/parts/part-00000.csv"; for f in "$WORK/parts"/part-*.csv; do tail -n +2 "$f"; done; } > "$WORK/expected.csv"
for n in 0 2 3; do
  out="$WORK/single$n/nested/spotify.csv"
  run_np "$n" generate --rows 120000 --rows-per-part 25000 --output "$out" --no-progress 2>/dev/null ||
    fail "--output with -np $n exited $?"
  cmp -s "$WORK/expected.csv" "$out" || fail "--output with -np $n differs from the parts' concatenation"
  [ "$(ls -A "$(dirname "$out")")" = "spotify.csv" ] || fail "-np $n left files beside $out: $(ls -A "$(dirname "$out")")"
done
pass "--output equals the concatenated parts for -np 1, 2, 3"
# more ranks than parts: some ranks write nothing
run_np 4 generate --rows 1000 --rows-per-part 600 --output "$WORK/few.csv" --no-progress 2>/dev/null
[ "$(wc -l < "$WORK/few.csv")" = 1001 ] || fail "4 ranks, 2 parts: expected 1001 lines"
pass "--output with more ranks than parts"
# a reader that closes standard output early: the write fails with EPIPE
# (SIGPIPE is ignored), spotgen exits 1 saying so, and its segment is gone
mkdir -p "$WORK/pipe" && cd "$WORK/pipe"
{ rc=0; "$SPOTGEN" generate --rows 300000 --output - --no-progress 2>"$WORK/pipe.err" || rc=$?; echo $rc >"$WORK/pipe.rc"; } |
  head -c 100 >/dev/null
rc=$(cat "$WORK/pipe.rc")
[ $rc = 1 ] || fail "--output - | head: exit $rc, not 1: $(cat "$WORK/pipe.err")"
grep -q "cannot write standard output: its reader closed it before the end" "$WORK/pipe.err" ||
  fail "--output - | head: $(cat "$WORK/pipe.err")"
[ -z "$(ls -A "$WORK/pipe")" ] || fail "--output - | head left $(ls -A "$WORK/pipe")"
pass "--output - | head: exit 1, 'its reader closed it', no segment left behind"
