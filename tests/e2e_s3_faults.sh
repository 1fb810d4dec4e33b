#!/usr/bin/env bash
# HTTPS, and faults between spotgen and S3 (tests/fault_proxy.py in front of moto_server):
# with 503 SlowDown, 500 InternalError, connection resets and stalls on a
# quarter of all requests, a 3-rank run completes with the same bytes; when
# part uploads fail past the retries, the run fails cleanly and aborts every
# multipart upload; when one rank fails, the others abort theirs; a body
# altered on the way (a server that does not check Content-MD5 stores it)
# is caught by its ETag and sent again; a CompleteMultipartUpload answered
# 200 with an error inside is retried.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
start_moto
PROXY_PORT=$(free_port)
start_proxy() { # RATE SEED [flags]
  python3 "$TESTS/fault_proxy.py" "$PROXY_PORT" "$MOTO_URL" "$@" >"$WORK/proxy.log" 2>"$WORK/proxy.err" &
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
! grep '^ok PUT ' "$WORK/proxy.log" | grep -v ' UNSIGNED-PAYLOAD md5 ' | grep -q . ||
  fail "HTTPS: a PUT without UNSIGNED-PAYLOAD and Content-MD5: $(grep '^ok PUT ' "$WORK/proxy.log" | grep -v ' UNSIGNED-PAYLOAD md5 ' | head -3)"
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
kill $PROXY_PID; wait $PROXY_PID 2>/dev/null || true

# same_as_local PREFIX : the parts under PREFIX equal the local run's
same_as_local() {
  for k in part-00000.csv part-00001.csv part-00002.csv; do
    aws s3 cp "s3://$BUCKET/$1/$k" "$WORK/$k" --only-show-errors || fail "$1/$k missing"
    cmp -s "$WORK/$k" "$WORK/local/$k" || fail "$1/$k differs from the local run"
  done
  keys "$1" | grep -q _SUCCESS || fail "$1: no _SUCCESS"
  [ -z "$(uploads)" ] || fail "incomplete uploads left: $(uploads)"
}

# Bodies altered on the way: moto does not check Content-MD5 and stores
# them; the ETag it answers is then not their MD5, and spotgen sends them again.
start_proxy 0 1 --corrupt 4
AWS_ENDPOINT_URL="http://127.0.0.1:$PROXY_PORT" run_np 3 generate "${ARGS[@]}" \
  --out "s3://$BUCKET/altered" 2>"$WORK/err" || fail "altered bodies: $(cat "$WORK/err")"
[ "$(grep -c '^corrupt PUT .* UploadPart$' "$WORK/proxy.log")" = 4 ] || fail "the proxy altered no 4 parts: $(grep -c . "$WORK/proxy.log") requests"
same_as_local altered
pass "4 part bodies altered on the way: caught by their ETags, sent again; the parts equal the local run's"
kill $PROXY_PID; wait $PROXY_PID 2>/dev/null || true

# A single PutObject altered on the way (objects under one part).
start_proxy 0 1 --corrupt 1
AWS_ENDPOINT_URL="http://127.0.0.1:$PROXY_PORT" run_np 1 generate --rows 3000 --rows-per-part 1000 --seed 3 --no-progress \
  --out "s3://$BUCKET/altered1" 2>"$WORK/err" || fail "an altered PutObject: $(cat "$WORK/err")"
grep -q '^corrupt PUT /[^ ]*/part-00000.csv .* PUT$' "$WORK/proxy.log" || fail "the proxy altered no PutObject: $(head -5 "$WORK/proxy.log")"
run_np 1 generate --rows 3000 --rows-per-part 1000 --seed 3 --no-progress --out "$WORK/local1" 2>/dev/null
aws s3 cp "s3://$BUCKET/altered1/part-00000.csv" "$WORK/p0.csv" --only-show-errors
cmp -s "$WORK/p0.csv" "$WORK/local1/part-00000.csv" || fail "an altered PutObject was kept"
pass "a PutObject altered on the way: caught by its ETag, sent again"
kill $PROXY_PID; wait $PROXY_PID 2>/dev/null || true

# CompleteMultipartUpload answered 200 with <Error> inside: not done, retried.
start_proxy 0 1 --complete-error 2
AWS_ENDPOINT_URL="http://127.0.0.1:$PROXY_PORT" run_np 3 generate "${ARGS[@]}" \
  --out "s3://$BUCKET/err200" 2>"$WORK/err" || fail "an error inside a 200: $(cat "$WORK/err")"
[ "$(grep -c '^error200 POST .* CompleteMultipartUpload$' "$WORK/proxy.log")" = 2 ] || fail "no error inside a 200 answered"
same_as_local err200
pass "CompleteMultipartUpload answered 200 with an error inside, twice: retried, the parts complete"
kill $PROXY_PID; wait $PROXY_PID 2>/dev/null || true

# One rank fails (its part uploads fail from the second on, through a proxy
# of its own: in its first of 3 objects) while the others stream theirs
# through a proxy that faults nothing but holds each part 2 s (so they are
# mid-upload when told to stop): they abort their uploads, none is left.
start_proxy 0 1 --delay 2
HEALTHY=$PROXY_PORT
PROXY_PORT=$(free_port)
HEALTHY_LOG=$WORK/healthy.log
mv "$WORK/proxy.log" "$HEALTHY_LOG"
HEALTHY_PID=$PROXY_PID
on_exit 'kill $HEALTHY_PID 2>/dev/null'
python3 "$TESTS/fault_proxy.py" "$PROXY_PORT" "$MOTO_URL" 1 9 --only-parts --from-part 2 >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
wait_port "$PROXY_PORT"
cat >"$WORK/rank1.sh" <<SH
#!/usr/bin/env bash
if [ "\${OMPI_COMM_WORLD_RANK:-0}" = 1 ]; then export AWS_ENDPOINT_URL=http://127.0.0.1:$PROXY_PORT; fi
exec "$SPOTGEN" "\$@"
SH
chmod +x "$WORK/rank1.sh"
rc=0
AWS_ENDPOINT_URL="http://127.0.0.1:$HEALTHY" "$MPIEXEC" "${MPI_FLAGS[@]}" -np 3 "$WORK/rank1.sh" generate \
  --rows 900000 --rows-per-part 100000 --seed 3 --no-progress --part-size 5M --s3-inflight 3 --s3-retries 2 --out "s3://$BUCKET/onefails" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] || fail "rank 1 failed: exit $rc, not 1: $(cat "$WORK/err")"
grep -Eq "^spotgen: rank 1: s3://$BUCKET/onefails/part-00003.csv \(part [0-9]+\): gave up after 2 attempts in [0-9]+ s: (HTTP 503 SlowDown: injected by fault_proxy|HTTP 500 InternalError: injected by fault_proxy|.*(reset|closed).*)$" "$WORK/err" || fail "rank 1's failure not named: $(cat "$WORK/err")"
grep -q "^spotgen: rank 1 failed; .*no _SUCCESS written" "$WORK/err" || fail "no final message: $(cat "$WORK/err")"
# every upload ranks 0 and 2 began and did not complete, they aborted
aborted=$(python3 - "$HEALTHY_LOG" <<'PY'
import collections, sys
ops = collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "ok" and f[6] != "UploadPart":
        ops[f[2]].append(f[6])
begun = [k for k, o in ops.items() if "CreateMultipartUpload" in o]
open_ = [k for k in begun if "CompleteMultipartUpload" not in ops[k] and "AbortMultipartUpload" not in ops[k]]
assert begun and not open_, f"began {begun}, neither completed nor aborted {open_}"
print(sum("AbortMultipartUpload" in ops[k] for k in begun))
PY
) || fail "ranks 0 and 2 left an upload unaborted: $(grep -v UploadPart "$HEALTHY_LOG")"
[ "$aborted" -ge 1 ] || fail "ranks 0 and 2 aborted no upload: the failure came after theirs had completed: $(grep -v UploadPart "$HEALTHY_LOG"; cat "$WORK/err")"
[ -z "$(uploads)" ] || fail "incomplete uploads left: $(uploads)"
! keys onefails | grep -q _SUCCESS || fail "_SUCCESS written"
pass "rank 1 fails mid-upload: ranks 0 and 2 abort the uploads they had begun ($aborted), none left, exit 1"
