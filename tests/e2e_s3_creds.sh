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

# Temporary credentials with session tokens: two sessions of a role, from moto's STS.
for i in 1 2; do
  aws sts assume-role --role-arn arn:aws:iam::123456789012:role/spotgen-role \
    --role-session-name "session-$i" --output json >"$WORK/role$i.json"
done
python3 - "$WORK" <<'PY'
import json, sys
creds = [json.load(open(f"{sys.argv[1]}/role{i}.json"))["Credentials"] for i in (1, 2)]
json.dump([{"AccessKeyId": c["AccessKeyId"], "SecretAccessKey": c["SecretAccessKey"], "Token": c["SessionToken"]}
           for c in creds], open(f"{sys.argv[1]}/sts.json", "w"))
PY
META_PORT=$(free_port)
python3 "$TESTS/fake_metadata.py" "$META_PORT" "$WORK/sts.json" --ttl 301 --ecs-token secret-ecs >"$WORK/meta.log" 2>&1 &
META_PID=$!
trap 'kill $META_PID $MOTO_PID 2>/dev/null; rm -rf "$WORK"' EXIT
wait_port "$META_PORT"
common=(AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_CONFIG_FILE=/nonexistent AWS_DEFAULT_REGION=us-east-1)

no_env "${common[@]}" AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$META_PORT/ecs-credentials" \
  AWS_CONTAINER_AUTHORIZATION_TOKEN=secret-ecs AWS_EC2_METADATA_DISABLED=true \
  "$SPOTGEN" "${small[@]}" --out "s3://$BUCKET/ecs" 2>"$WORK/err" || fail "ECS: $(cat "$WORK/err")"
keys ecs | grep -q _SUCCESS || fail "ECS: no _SUCCESS"
pass "ECS container credentials (full URI and authorization token), with a session token"

# IMDSv2: credentials valid for 301 s are fetched again once less than five
# minutes are left, i.e. within a second: a run of a few seconds must fetch
# them again and go on with the new ones.
before=$(grep -c '^fetch' "$WORK/meta.log")
no_env "${common[@]}" AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$META_PORT" \
  "$SPOTGEN" generate --rows 1200000 --rows-per-part 50000 --no-progress --out "s3://$BUCKET/imds" 2>"$WORK/err" ||
  fail "IMDS: $(cat "$WORK/err")"
keys imds | grep -q _SUCCESS || fail "IMDS: no _SUCCESS"
grep '^fetch' "$WORK/meta.log" | tail -n +$((before + 1)) >"$WORK/imds.log"
n=$(wc -l <"$WORK/imds.log")
[ "$n" -ge 2 ] || fail "IMDS: credentials fetched $n time(s); expected a refresh during the run"
[ "$(awk '{print $3}' "$WORK/imds.log" | sort -u | wc -l)" = 2 ] || fail "IMDS: the refreshed credentials were not used"
pass "EC2 instance role through IMDSv2, fetched again $((n - 1)) time(s) before expiry during the run"

rc=0; err=$(no_env "${common[@]}" AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:1" \
  "$SPOTGEN" "${small[@]}" --out "s3://$BUCKET/none" 2>&1) || rc=$?
[ "$rc" = 2 ] && grep -q "no AWS credentials" <<<"$err" || fail "no credentials anywhere: exit $rc: $err"
pass "no credentials anywhere: one line saying where spotgen looked, exit 2"
