#!/usr/bin/env bash
# SIGTERM (Slurm's time limit) and SIGINT (Ctrl-C): exit 143 and 130,
# temporary files removed, no _SUCCESS; committed parts are complete, and
# the journal that --resume reads stays. Alone and under mpiexec.
source "$(dirname "$0")/lib.sh"
args=(generate --rows 6000000 --rows-per-part 100000 --no-progress)

wait_for_part() {
  for _ in $(seq 1 300); do
    ls "$1"/part-* >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  fail "no part appeared in $1"
}

# Alone: the process itself gets the signal.
for sig in TERM:143 INT:130; do
  name=${sig%:*} want=${sig#*:} dir=$WORK/alone-${sig%:*}
  "$SPOTGEN" "${args[@]}" --out "$dir" 2>"$WORK/err" &
  pid=$!
  wait_for_part "$dir"
  kill -"$name" "$pid"
  rc=0; wait "$pid" || rc=$?
  [ "$rc" = "$want" ] || fail "SIG$name: exit $rc, expected $want"
  grep -q "^spotgen: interrupted by SIG$name; temporary files removed, no _SUCCESS written$" "$WORK/err" ||
    fail "SIG$name: no message about the interruption: $(cat "$WORK/err")"
  [ -z "$(ls -A "$dir" | grep -v -e '^part-[0-9]*\.csv$' -e '^_spotgen-journal-[0-9]*\.txt$' || true)" ] || fail "left behind: $(ls -A "$dir")"
  for f in "$dir"/part-*.csv; do
    [ "$(wc -l < "$f")" = 100001 ] || fail "$(basename "$f") is incomplete"
  done
  ls "$dir"/_spotgen-journal-00000.txt >/dev/null || fail "no journal left for --resume"
done
pass "SIGTERM and SIGINT alone: exit 143 and 130, temporary files removed, no _SUCCESS, the journal kept"

# Under mpiexec: SIGTERM to mpiexec reaches every rank.
"$MPIEXEC" "${MPI_FLAGS[@]}" -np 2 "$SPOTGEN" "${args[@]}" --out "$WORK/mpi" 2>"$WORK/err2" &
pid=$!
wait_for_part "$WORK/mpi"
kill -TERM "$pid"
rc=0; timeout 60 tail --pid="$pid" -f /dev/null || fail "mpiexec did not end within 60 s"
wait "$pid" || rc=$?
# Open MPI's mpiexec forwards the signal, the ranks clean up and exit 143,
# and mpiexec exits 1; rank 0 alone says what happened.
[ "$rc" = 1 ] || fail "SIGTERM under mpiexec: exit $rc, not mpiexec's 1"
[ "$(grep '^spotgen: ' "$WORK/err2")" = "spotgen: interrupted by SIGTERM; temporary files removed, no _SUCCESS written" ] ||
  fail "SIGTERM under mpiexec: $(cat "$WORK/err2")"
[ ! -e "$WORK/mpi/_SUCCESS" ] || fail "_SUCCESS after SIGTERM"
[ -z "$(ls -A "$WORK/mpi" | grep -v -e '^part-[0-9]*\.csv$' -e '^_spotgen-journal-[0-9]*\.txt$' || true)" ] || fail "left behind: $(ls -A "$WORK/mpi")"
pass "SIGTERM under mpiexec: exit $rc, temporary files removed, no _SUCCESS"
