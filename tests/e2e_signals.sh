#!/usr/bin/env bash
# SIGTERM (Slurm's time limit, Ctrl-C's cousin): exit 143, temporary files
# removed, no _SUCCESS; committed parts are complete, and the journal that
# --resume reads stays. Alone and under mpiexec.
source "$(dirname "$0")/lib.sh"
args=(generate --rows 6000000 --rows-per-part 100000 --no-progress)

wait_for_part() {
  for _ in $(seq 1 300); do
    ls "$1"/part-* >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  fail "no part appeared in $1"
}

# Alone: the process itself gets SIGTERM.
"$SPOTGEN" "${args[@]}" --out "$WORK/alone" 2>"$WORK/err" &
pid=$!
wait_for_part "$WORK/alone"
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" = 143 ] || fail "SIGTERM: exit $rc, expected 143"
grep -q 'interrupted' "$WORK/err" || fail "no message about the interruption: $(cat "$WORK/err")"
[ -z "$(ls -A "$WORK/alone" | grep -v -e '^part-[0-9]*\.csv$' -e '^_spotgen-journal-[0-9]*\.txt$' || true)" ] || fail "left behind: $(ls -A "$WORK/alone")"
for f in "$WORK/alone"/part-*.csv; do
  [ "$(wc -l < "$f")" = 100001 ] || fail "$(basename "$f") is incomplete"
done
ls "$WORK/alone"/_spotgen-journal-00000.txt >/dev/null || fail "no journal left for --resume"
pass "SIGTERM alone: exit 143, temporary files removed, no _SUCCESS, the journal kept"

# Under mpiexec: SIGTERM to mpiexec reaches every rank.
"$MPIEXEC" "${MPI_FLAGS[@]}" -np 2 "$SPOTGEN" "${args[@]}" --out "$WORK/mpi" 2>"$WORK/err2" &
pid=$!
wait_for_part "$WORK/mpi"
kill -TERM "$pid"
rc=0; timeout 60 tail --pid="$pid" -f /dev/null || fail "mpiexec did not end within 60 s"
wait "$pid" || rc=$?
[ "$rc" != 0 ] || fail "SIGTERM under mpiexec: exit 0"
[ ! -e "$WORK/mpi/_SUCCESS" ] || fail "_SUCCESS after SIGTERM"
[ -z "$(ls -A "$WORK/mpi" | grep -v -e '^part-[0-9]*\.csv$' -e '^_spotgen-journal-[0-9]*\.txt$' || true)" ] || fail "left behind: $(ls -A "$WORK/mpi")"
pass "SIGTERM under mpiexec: exit $rc, temporary files removed, no _SUCCESS"
