#!/usr/bin/env bash
# Faults between spotgen and S3 (tests/fault_proxy.py in front of moto_server):
# with 503 SlowDown, 500 InternalError, connection resets and stalls on a
# quarter of all requests, a 3-rank run completes with the same bytes; when
# part uploads fail past the retries, the run fails cleanly and aborts every
# multipart upload.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
start_moto
PROXY_PORT=$(free_port)
start_proxy() { # RATE SEED [flags]
  python3 "$TESTS/fault_proxy.py" "$PROXY_PORT" "$MOTO_URL" "$@" >"$WORK/proxy.log" 2>&1 &
  PROXY_PID=$!
  trap 'kill $PROXY_PID $MOTO_PID 2>/dev/null; rm -rf "$WORK"' EXIT
  wait_port "$PROXY_PORT"
}
ARGS=(--rows 150000 --rows-per-part 50000 --seed 3 --no-progress --part-size 5M --s3-inflight 3)

run_np 1 generate "${ARGS[@]}" --out "$WORK/local" 2>/dev/null
start_proxy 0.25 7 --stall 3
AWS_ENDPOINT_URL="http://127.0.0.1:$PROXY_PORT" run_np 3 generate "${ARGS[@]}" --s3-timeout 1 \
  --out "s3://$BUCKET/faulty" 2>"$WORK/err" || fail "the run did not survive the faults: $(grep "^spotgen" "$WORK/err")"
for f in slowdown internal reset stall; do
  grep -q "^$f " "$WORK/proxy.log" || fail "the proxy injected no $f (see $(wc -l <"$WORK/proxy.log") requests)"
done
for k in part-00000.csv part-00001.csv part-00002.csv _SUCCESS; do
  aws s3 cp "s3://$BUCKET/faulty/$k" "$WORK/$k" --only-show-errors || fail "$k missing"
done
for k in part-00000.csv part-00001.csv part-00002.csv; do
  cmp -s "$WORK/$k" "$WORK/local/$k" || fail "$k differs from the local run"
done
[ -z "$(uploads)" ] || fail "incomplete uploads left: $(uploads)"
pass "$(grep -vc '^ok ' "$WORK/proxy.log") injected faults in $(wc -l <"$WORK/proxy.log") requests: the run completes with identical bytes"
kill $PROXY_PID; wait $PROXY_PID 2>/dev/null || true

start_proxy 0.9 8 --only-parts
rc=0
AWS_ENDPOINT_URL="http://127.0.0.1:$PROXY_PORT" run_np 3 generate "${ARGS[@]}" --s3-retries 3 \
  --out "s3://$BUCKET/doomed" 2>"$WORK/err" || rc=$?
[ "$rc" != 0 ] || fail "the run succeeded although part uploads kept failing"
grep -q "gave up after 3 attempts" "$WORK/err" || fail "no clear message: $(cat "$WORK/err")"
grep -q "no _SUCCESS written" "$WORK/err" || fail "no final message: $(cat "$WORK/err")"
[ -z "$(uploads)" ] || fail "incomplete uploads left: $(uploads)"
! keys doomed | grep -q _SUCCESS || fail "_SUCCESS written"
pass "part uploads failing past the retries: clean failure, every multipart upload aborted"
