#!/usr/bin/env bash
# HTTPS, and faults between spotgen and S3 (tests/fault_proxy.py in front of moto_server):
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
  wait_port "$PROXY_PORT"
}
BASE=(--rows 150000 --rows-per-part 50000 --seed 3 --no-progress)
ARGS=("${BASE[@]}" --part-size 5M --s3-inflight 3)

# HTTPS with a private CA: refused by default (certificates are verified),
# accepted with --s3-ca-bundle, and then the payload goes UNSIGNED-PAYLOAD.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
start_proxy 0 1 --tls "$WORK/cert.pem" "$WORK/key.pem"
TLS_URL="https://127.0.0.1:$PROXY_PORT"
rc=0; err=$("$SPOTGEN" generate --rows 1000 --s3-endpoint "$TLS_URL" --out "s3://$BUCKET/tls" 2>&1) || rc=$?
[ "$rc" = 2 ] && [ "$err" = "spotgen: cannot take the run's lock at s3://$BUCKET/tls: cannot reach s3://$BUCKET/tls/_spotgen_lock: SSL certificate problem: self-signed certificate (curl error 60); for an endpoint with a private CA, give --s3-ca-bundle FILE" ] || fail "an unknown CA was not refused: exit $rc: $err"
"$SPOTGEN" generate "${ARGS[@]}" --s3-endpoint "$TLS_URL" --s3-ca-bundle "$WORK/cert.pem" \
  --out "s3://$BUCKET/tls" 2>"$WORK/err" || fail "HTTPS with --s3-ca-bundle: $(cat "$WORK/err")"
"$SPOTGEN" verify "s3://$BUCKET/tls" --s3-endpoint "$TLS_URL" --s3-ca-bundle "$WORK/cert.pem" --json >"$WORK/v.json" || true
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; assert all(x["result"]=="pass" for x in r[:9]), r[:9]' "$WORK/v.json" ||
  fail "verify over HTTPS"
# every PUT over HTTPS went UNSIGNED-PAYLOAD, and carried its Content-MD5
puts=$(grep -c '^ok PUT ' "$WORK/proxy.log" || true)
[ "$puts" -ge 3 ] || fail "HTTPS: only $puts PUTs seen by the proxy"
! grep '^ok PUT ' "$WORK/proxy.log" | grep -v ' UNSIGNED-PAYLOAD md5$' | grep -q . ||
  fail "HTTPS: a PUT without UNSIGNED-PAYLOAD and Content-MD5: $(grep '^ok PUT ' "$WORK/proxy.log" | grep -v ' UNSIGNED-PAYLOAD md5$' | head -3)"
pass "HTTPS: an unknown CA is refused, --s3-ca-bundle trusts a private one (UNSIGNED-PAYLOAD with Content-MD5)"
kill $PROXY_PID; wait $PROXY_PID 2>/dev/null || true

run_np 1 generate "${BASE[@]}" --out "$WORK/local" 2>/dev/null
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
[ "$rc" = 1 ] || fail "part uploads kept failing: exit $rc, not 1"
grep -q "gave up after 3 attempts" "$WORK/err" || fail "no clear message: $(cat "$WORK/err")"
grep -q "no _SUCCESS written" "$WORK/err" || fail "no final message: $(cat "$WORK/err")"
[ -z "$(uploads)" ] || fail "incomplete uploads left: $(uploads)"
! keys doomed | grep -q _SUCCESS || fail "_SUCCESS written"
pass "part uploads failing past the retries: clean failure, every multipart upload aborted"
