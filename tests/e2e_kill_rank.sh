#!/usr/bin/env bash
# One rank killed with SIGKILL mid-run: the job fails, no _SUCCESS and no
# manifest appear, and every visible part is complete (byte-identical to the
# same part of an uninterrupted run).
source "$(dirname "$0")/lib.sh"
args=(generate --rows 6000000 --rows-per-part 100000 --no-progress)
"$MPIEXEC" "${MPI_FLAGS[@]}" -np 2 "$SPOTGEN" "${args[@]}" --out "$WORK/out" 2>"$WORK/err" &
job=$!
victim=""
for _ in $(seq 1 300); do
  for p in $(pgrep -P "$job" || true); do
    if tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1'; then victim=$p; fi
  done
  if [ -n "$victim" ] && ls "$WORK/out"/part-* >/dev/null 2>&1; then break; fi
  sleep 0.05
done
[ -n "$victim" ] || fail "rank 1 never started"
kill -9 "$victim"
rc=0
timeout 60 tail --pid="$job" -f /dev/null || fail "the job did not end within 60 s of the kill"
wait "$job" || rc=$?
# mpiexec's status is the killed rank's: 128 + SIGKILL's 9.
[ "$rc" = 137 ] || fail "the job exited $rc after a rank was killed, not mpiexec's 137"
[ ! -e "$WORK/out/_SUCCESS" ] || fail "_SUCCESS written after a rank was killed"
[ ! -e "$WORK/out/_manifest.json" ] || fail "_manifest.json written after a rank was killed"
# (the journals --resume reads stay, as _ files, and the run's lock, which
# --resume takes over: its process is gone)
visible=$(cd "$WORK/out" && ls | grep -v -e '^\.' -e '^_spotgen-journal-[0-9]*\.txt$' -e '^_spotgen_lock$' || true)
[ -n "$visible" ] || fail "no part was committed before the kill; the test did not test anything"
for f in $visible; do
  case "$f" in part-*.csv) ;; *) fail "unexpected visible file $f";; esac
done
# The committed parts equal an uninterrupted run's.
run_np 2 "${args[@]}" --out "$WORK/ref" 2>/dev/null || fail "the reference run failed"
for f in $visible; do
  cmp -s "$WORK/out/$f" "$WORK/ref/$f" || fail "$f differs from the uninterrupted run's: a partial part is visible"
done
pass "SIGKILL of one rank: job ended, no _SUCCESS, $(wc -w <<<"$visible") visible parts all complete"
