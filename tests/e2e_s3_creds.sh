#!/usr/bin/env bash
# Credentials in the order AWS tools look, against moto_server: a profile
# of the shared credentials file (with its region from the config file),
# ECS container credentials, and an EC2 instance role through IMDSv2 whose
# credentials expire during the run and are fetched again (tests/fake_metadata.py).
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
start_moto
KEY=$AWS_ACCESS_KEY_ID SECRET=$AWS_SECRET_ACCESS_KEY
# without the environment's keys: what each test gives must be found
no_env() { env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_DEFAULT_REGION "$@"; }
small=(generate --rows 2000 --no-progress)

cat >"$WORK/credentials" <<EOF2
[default]
aws_access_key_id = AKIAWRONGWRONGWRONG0
aws_secret_access_key = wrong
[spotgen-test]
aws_access_key_id = $KEY
aws_secret_access_key = $SECRET
EOF2
printf '[profile spotgen-test]\nregion = us-east-1\n' >"$WORK/config"
no_env AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials" AWS_CONFIG_FILE="$WORK/config" \
  AWS_PROFILE=spotgen-test "$SPOTGEN" "${small[@]}" --out "s3://$BUCKET/profile" 2>"$WORK/err" ||
  fail "profile spotgen-test: $(cat "$WORK/err")"
keys profile | grep -q _SUCCESS || fail "profile: no _SUCCESS"
pass "credentials and region from a named profile of the shared files"

# Temporary credentials with session tokens: sessions of a role, from moto's STS.
for i in 1 2 3 4 5 6 7 8; do
  aws sts assume-role --role-arn arn:aws:iam::123456789012:role/spotgen-role \
    --role-session-name "session-$i" --output json >"$WORK/role$i.json"
done
python3 - "$WORK" <<'PY'
import json, sys
creds = [json.load(open(f"{sys.argv[1]}/role{i}.json"))["Credentials"] for i in range(1, 9)]
json.dump([{"AccessKeyId": c["AccessKeyId"], "SecretAccessKey": c["SecretAccessKey"], "Token": c["SessionToken"]}
           for c in creds], open(f"{sys.argv[1]}/sts.json", "w"))
PY
META_PORT=$(free_port)
python3 "$TESTS/fake_metadata.py" "$META_PORT" "$WORK/sts.json" --ttl 301 --ecs-token secret-ecs >"$WORK/meta.log" 2>&1 &
META_PID=$!
wait_port "$META_PORT"
common=(AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_CONFIG_FILE=/nonexistent AWS_DEFAULT_REGION=us-east-1)

no_env "${common[@]}" AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$META_PORT/ecs-credentials" \
  AWS_CONTAINER_AUTHORIZATION_TOKEN=secret-ecs AWS_EC2_METADATA_DISABLED=true \
  "$SPOTGEN" "${small[@]}" --out "s3://$BUCKET/ecs" 2>"$WORK/err" || fail "ECS: $(cat "$WORK/err")"
keys ecs | grep -q _SUCCESS || fail "ECS: no _SUCCESS"
pass "ECS container credentials (full URI and authorization token), with a session token"

# IMDSv2: credentials valid for 301 s are fetched again once less than five
# minutes are left, i.e. within a second: a run of a few seconds must fetch
# them again and go on with the new ones. Each fetch serves another key, and
# a proxy in front of moto logs the key of every request: spotgen's requests
# must be signed with the keys fetched, in the order fetched, the last with
# the last one (a spotgen that fetched but kept signing with the first key
# fails here).
PROXY_PORT=$(free_port)
python3 "$TESTS/fault_proxy.py" "$PROXY_PORT" "$MOTO_URL" 0 1 >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
wait_port "$PROXY_PORT"
before=$(grep -c '^fetch' "$WORK/meta.log")
no_env "${common[@]}" AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$META_PORT" \
  "$SPOTGEN" generate --rows 1200000 --rows-per-part 50000 --no-progress --out "s3://$BUCKET/imds" \
  --s3-endpoint "http://127.0.0.1:$PROXY_PORT" 2>"$WORK/err" || fail "IMDS: $(cat "$WORK/err")"
keys imds | grep -q _SUCCESS || fail "IMDS: no _SUCCESS"
grep '^fetch' "$WORK/meta.log" | tail -n +$((before + 1)) >"$WORK/imds.log"
n=$(wc -l <"$WORK/imds.log")
[ "$n" -ge 2 ] || fail "IMDS: credentials fetched $n time(s); expected a refresh during the run"
python3 - "$WORK/imds.log" "$WORK/proxy.log" <<'PY' || fail "IMDS: the requests were not signed with the keys as fetched"
import sys
fetched = [l.split()[2] for l in open(sys.argv[1])]
signed = [l.split()[3] for l in open(sys.argv[2]) if l.startswith("ok ")]
order = {k: i for i, k in enumerate(fetched)}
used = [order.get(k, -1) for k in signed]
assert -1 not in used, "a request signed with a key never fetched"
assert used == sorted(used), "a request signed with an older key after a newer one"
assert used[-1] == len(fetched) - 1, f"the last request signed with fetch {used[-1] + 1}'s key, not the last ({len(fetched)})"
assert len(set(used)) >= 2, "one key signed every request"
PY
pass "EC2 instance role through IMDSv2, fetched again $((n - 1)) time(s) during the run; its requests signed with each key in turn, the last with the last"

rc=0; err=$(no_env "${common[@]}" AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:1" \
  "$SPOTGEN" "${small[@]}" --out "s3://$BUCKET/none" 2>&1) || rc=$?
[ "$rc" = 2 ] && grep -q "no AWS credentials" <<<"$err" || fail "no credentials anywhere: exit $rc: $err"
pass "no credentials anywhere: one line saying where spotgen looked, exit 2"
