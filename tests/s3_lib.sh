# S3 helpers for the end-to-end tests (sourced after lib.sh): a real
# S3-compatible server that checks SigV4 signatures (moto_server), an IAM user
# and access key made with its first unauthenticated calls, and a bucket.
#
# moto_server counts every HTTP request toward INITIAL_NO_AUTH_ACTION_COUNT
# (here 5: a user, its key and policy, a role and its policy), a readiness
# probe too: the port is awaited with a plain TCP connect.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_port() { # PORT
  python3 - "$1" <<'PY' || fail "nothing listens on port $1"
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

# listening PORT PID : until PORT accepts connections while process PID
# lives (20 s at most); fails when PID exits first (another process took the
# port between free_port and the bind), or is not alive once it does.
listening() {
  python3 - "$1" "$2" <<'PY'
import os, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
def alive():  # a zombie still answers kill 0: /proc says Z
    try:
        os.kill(pid, 0)
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
for _ in range(200):
    if not alive():
        sys.exit(1)
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        sys.exit(0 if alive() else 1)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

# start_moto [--unchecked] : moto_server on a free port (another one when a
# process took the port first); exports AWS_* for spotgen and the aws CLI
# (the access key of an IAM user allowed s3:*), BUCKET, MOTO_URL. Stopped at
# the test's end (lib.sh: cleanup). Signatures are checked, but for
# --unchecked: moto 5.2 checks a request's signature against its path
# decoded, so it refuses every key holding a character that is
# percent-encoded ('=' of a Hive partition's folder), from any client (the
# AWS CLI's own PutObject included); such keys' signatures are checked
# against botocore's signer instead (e2e_sigv4_botocore: keys with '=').
start_moto() {
  needs moto_server aws
  local free_actions=5
  [ "${1:-}" != --unchecked ] || free_actions=1000000000
  for attempt in 1 2 3 4 5; do
    MOTO_PORT=$(free_port)
    INITIAL_NO_AUTH_ACTION_COUNT=$free_actions moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.log" 2>&1 &
    MOTO_PID=$!
    listening "$MOTO_PORT" "$MOTO_PID" && break
    kill "$MOTO_PID" 2>/dev/null || true
    [ $attempt -lt 5 ] || fail "moto_server did not start: $(tail -3 "$WORK/moto.log")"
  done
  export MOTO_URL="http://127.0.0.1:$MOTO_PORT" AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"
  export AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=bootstrap AWS_SECRET_ACCESS_KEY=bootstrap
  unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL_S3
  export AWS_CONFIG_FILE="$WORK/no-aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/no-aws-credentials"
  if [ "${1:-}" = --unchecked ]; then
    BUCKET=spotgen-test
    aws s3api create-bucket --bucket "$BUCKET" >/dev/null
    return
  fi
  aws iam create-user --user-name spotgen >/dev/null
  aws iam create-access-key --user-name spotgen >"$WORK/key.json"
  aws iam put-user-policy --user-name spotgen --policy-name s3 --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","sts:*"],"Resource":"*"}]}'
  # a role the user may assume, for temporary credentials with session tokens
  aws iam create-role --role-name spotgen-role --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}' >/dev/null
  aws iam put-role-policy --role-name spotgen-role --policy-name s3 --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
  AWS_ACCESS_KEY_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["AccessKey"]["AccessKeyId"])' "$WORK/key.json")
  AWS_SECRET_ACCESS_KEY=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["AccessKey"]["SecretAccessKey"])' "$WORK/key.json")
  export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  BUCKET=spotgen-test
  aws s3api create-bucket --bucket "$BUCKET" >/dev/null
  # Signatures are checked: a wrong secret is refused.
  if AWS_SECRET_ACCESS_KEY=wrong aws s3api list-objects-v2 --bucket "$BUCKET" >/dev/null 2>&1; then
    fail "moto_server accepts a wrong secret: signature checking is off"
  fi
}

# keys PREFIX : the keys under PREFIX/, one per line (listed without a prefix:
# moto rejects the signature of prefix=a%2F, getmoto/moto#5948)
keys() {
  aws s3api list-objects-v2 --bucket "$BUCKET" --query 'Contents[].Key' --output text |
    tr '\t' '\n' | grep "^$1/" || true
}

# uploads : incomplete multipart uploads in the bucket, one per line
uploads() {
  aws s3api list-multipart-uploads --bucket "$BUCKET" --query 'Uploads[].Key' --output text | tr '\t' '\n' | grep -v '^None$' || true
}
