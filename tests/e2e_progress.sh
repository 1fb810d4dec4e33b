#!/usr/bin/env bash
# Progress on a terminal (or with --progress): rows done, rows/s and ETA;
# never with --no-progress or when stderr is not a terminal; one summary line always.
source "$(dirname "$0")/lib.sh"
command -v script >/dev/null || fail "script(1) is needed to give spotgen a terminal"
on_tty() { script -qec "$*" /dev/null; }

out=$(on_tty "$SPOTGEN" generate --rows 3000000 --out null: 2>&1)
# a progress line (the summary also says rows/s, never an ETA or a percentage)
grep -q '%.*rows/s  ETA' <<<"$out" || fail "no progress line (percentage, rows/s, ETA) on a terminal: $out"
grep -q 'generated 3,000,000 rows' <<<"$out" || fail "no summary line: $out"
pass "progress shown on a terminal"

out=$(on_tty "$SPOTGEN" generate --rows 3000000 --out null: --no-progress 2>&1)
grep -q 'ETA' <<<"$out" && fail "--no-progress still showed progress: $out"
[ "$(grep -c 'spotgen:' <<<"$out")" = 1 ] || fail "--no-progress: expected only the summary: $out"
pass "--no-progress: only the summary"

err=$(run_np 2 generate --rows 300000 --out null: 2>&1 >/dev/null)
[ "$(grep -c '^spotgen:' <<<"$err")" = 1 ] || fail "not a terminal: expected only the summary: $err"
grep -q 'on 2 ranks' <<<"$err" || fail "summary does not give the ranks: $err"
# long enough for the 2-second progress tick (about 7 s here)
err=$(run_np 2 generate --rows 40000000 --out null: --progress 2>&1 >/dev/null)
grep -q 'rows/s  ETA' <<<"$err" || fail "--progress printed no progress line: $err"
pass "--progress forces progress lines when stderr is a file; default is only the summary"
