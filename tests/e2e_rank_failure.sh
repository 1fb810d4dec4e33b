#!/usr/bin/env bash
# One rank hits a real write error (a file-size limit on rank 1 only: EFBIG):
# it says which file and why, rank 0 stops the others, every rank removes its
# temporary file, no manifest or _SUCCESS appears, and the job exits 1.
source "$(dirname "$0")/lib.sh"
cat > "$WORK/limited.sh" <<'SH'
#!/usr/bin/env bash
trap '' XFSZ                     # write() then fails with EFBIG instead of a signal
if [ "${OMPI_COMM_WORLD_RANK:-0}" = "$FAILING_RANK" ]; then ulimit -f 4096; fi   # 4 MiB
exec "$SPOTGEN" "$@"
SH
chmod +x "$WORK/limited.sh"
export SPOTGEN
for failing in 1 0; do
  out="$WORK/out$failing"
  rc=0
  FAILING_RANK=$failing timeout 120 "$MPIEXEC" "${MPI_FLAGS[@]}" -x FAILING_RANK -x SPOTGEN -np 3 "$WORK/limited.sh" \
    generate --rows 3000000 --rows-per-part 500000 --out "$out" --no-progress 2>"$WORK/err" || rc=$?
  [ "$rc" != 124 ] || fail "the job hung after rank $failing failed"
  [ "$rc" = 1 ] || fail "rank $failing could not write: exit $rc, not 1"
  grep -q "^spotgen: rank $failing: cannot write $out/part-0000[0-9].csv: File too large" "$WORK/err" ||
    fail "no message naming rank $failing, the file and the cause: $(cat "$WORK/err")"
  [ "$(grep -c '^spotgen: rank [0-9]*: cannot write' "$WORK/err")" = 1 ] || fail "the cause was reported more than once"
  grep -q "^spotgen: rank $failing failed; temporary files removed, no _SUCCESS written" "$WORK/err" ||
    fail "rank 0 did not say what the failure means for the dataset: $(cat "$WORK/err")"
  [ ! -e "$out/_SUCCESS" ] && [ ! -e "$out/_manifest.json" ] || fail "manifest or _SUCCESS after a failure"
  left=$(ls -A "$out" | grep -v -e '^part-0000[0-9]\.csv$' -e '^_spotgen-journal-[0-9]*\.txt$' || true)
  [ -z "$left" ] || fail "left behind after rank $failing failed: $left"
  for f in "$out"/part-*.csv; do
    [ -e "$f" ] || continue
    [ "$(wc -l < "$f")" = 500001 ] || fail "$(basename "$f") is incomplete"
  done
  pass "rank $failing fails with EFBIG: one message, others stopped, no temporary files, no _SUCCESS"
done
