#!/usr/bin/env bash
# --out s3:// against moto_server with signature checking: 3 ranks, 5 MiB
# multipart parts, objects byte-identical to a local run (read back by the
# AWS CLI), multipart ETags by the MD5-of-MD5s rule, the manifest's ETags,
# --overwrite, a wrong secret, SIGTERM mid-upload, verify s3://, and csv.zst
# and Parquet parts streamed and verified the same way.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
start_moto
needs zstd

ARGS=(--rows 150000 --rows-per-part 50000 --seed 11 --no-progress)
run_np 1 generate "${ARGS[@]}" --out "$WORK/local" 2>/dev/null
run_np 3 generate "${ARGS[@]}" --out "s3://$BUCKET/run1" --part-size 5M --s3-inflight 2 2>"$WORK/err" ||
  fail "S3 run failed: $(cat "$WORK/err")"
[ "$(keys run1 | sort | tr '\n' ' ')" = "run1/_SUCCESS run1/_manifest.json run1/part-00000.csv run1/part-00001.csv run1/part-00002.csv " ] ||
  fail "objects: $(keys run1 | tr '\n' ' ')"
for k in part-00000.csv part-00001.csv part-00002.csv; do
  aws s3 cp "s3://$BUCKET/run1/$k" "$WORK/$k" --only-show-errors
  cmp -s "$WORK/$k" "$WORK/local/$k" || fail "$k differs from the local run"
done
aws s3 cp "s3://$BUCKET/run1/_manifest.json" "$WORK/manifest.json" --only-show-errors
aws s3api list-objects-v2 --bucket "$BUCKET" --query 'Contents[].[Key,ETag]' --output json >"$WORK/etags.json"
python3 - "$WORK" <<'PY' || fail "ETags do not follow the multipart rule or do not match the manifest"
import hashlib, json, sys
work = sys.argv[1]
listed = {k: e for k, e in json.load(open(f"{work}/etags.json"))}
manifest = json.load(open(f"{work}/manifest.json"))
local = json.load(open(f"{work}/local/_manifest.json"))
assert manifest["stats"] == local["stats"], "stats differ from the local run"
for p in manifest["parts"]:
    data = open(f"{work}/local/{p['key']}", "rb").read()
    size = 5 << 20
    md5s = [hashlib.md5(data[i:i + size]).digest() for i in range(0, len(data), size)]
    want = '"%s-%d"' % (hashlib.md5(b"".join(md5s)).hexdigest(), len(md5s))
    assert len(md5s) >= 2, "not multipart"
    assert listed["run1/" + p["key"]] == want == p["etag"], (p["key"], listed["run1/" + p["key"]], want, p["etag"])
PY
[ -z "$(uploads)" ] || fail "incomplete uploads left: $(uploads)"
pass "3 ranks, 5 MiB parts: objects identical to a local run, ETags by the MD5-of-MD5s rule and in the manifest"

# verify reads the S3 dataset through the same client: the same results as
# for the local copy; a changed object is caught.
"$SPOTGEN" verify "s3://$BUCKET/run1" --json >"$WORK/v-s3.json" || true
"$SPOTGEN" verify "$WORK/local" --json >"$WORK/v-local.json" || true
python3 - "$WORK/v-s3.json" "$WORK/v-local.json" <<'PY' || fail "verify s3:// differs from verify of the local copy"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["rows"] == 150000 and a["results"] == b["results"] and a["stats"] == b["stats"]
assert all(r["result"] == "pass" for r in a["results"][:9]), a["results"][:9]
PY
# 3 ranks sharing the objects print what one process prints
run_np 3 verify "s3://$BUCKET/run1" --json >"$WORK/v-s3-3.json" 2>"$WORK/v-s3-3.err" || true
cmp -s "$WORK/v-s3.json" "$WORK/v-s3-3.json" || fail "verify -np 3 s3:// differs from one process: $(tail -3 "$WORK/v-s3-3.err")"
sed -i '2s/,0\./,1./' "$WORK/part-00001.csv"
aws s3 cp "$WORK/part-00001.csv" "s3://$BUCKET/run1/part-00001.csv" --only-show-errors
"$SPOTGEN" verify "s3://$BUCKET/run1" --json >"$WORK/v-bad.json" && fail "verify s3:// passed a changed object"
grep -q "part-00001.csv has crc32" "$WORK/v-bad.json" || fail "verify s3:// did not name the changed object"
rc=0; err=$("$SPOTGEN" verify "s3://$BUCKET/nothing-here" 2>&1) || rc=$?
[ "$rc" = 2 ] && grep -q "has no _manifest.json" <<<"$err" || fail "verify of an empty prefix: exit $rc: $err"
pass "verify s3:// gives the local copy's results (one process and 3 ranks alike), catches a changed object, refuses an empty prefix"

rc=0; err=$("$SPOTGEN" generate --rows 1000 --out "s3://$BUCKET/run1" 2>&1) || rc=$?
[ "$rc" = 2 ] && grep -q "add --overwrite" <<<"$err" || fail "a non-empty prefix without --overwrite: exit $rc: $err"
"$SPOTGEN" generate --rows 1000 --out "s3://$BUCKET/run1" --overwrite --no-progress 2>/dev/null
[ "$(keys run1 | sort | tr '\n' ' ')" = "run1/_SUCCESS run1/_manifest.json run1/part-00000.csv " ] ||
  fail "--overwrite left: $(keys run1 | tr '\n' ' ')"
pass "a used prefix is refused without --overwrite and replaced with it"

# --overwrite removes only what the manifest or journals list: a user's
# object named like a part makes it refuse, and nothing is deleted.
echo mine >"$WORK/mine.csv"
aws s3 cp "$WORK/mine.csv" "s3://$BUCKET/run1/part-notes.csv" --only-show-errors
rc=0; err=$("$SPOTGEN" generate --rows 1000 --out "s3://$BUCKET/run1" --overwrite 2>&1) || rc=$?
[ "$rc" = 2 ] && grep -q "holds s3://$BUCKET/run1/part-notes.csv, which no manifest or journal of spotgen there lists" <<<"$err" ||
  fail "--overwrite of a prefix with a user's part-named object: exit $rc: $err"
[ "$(keys run1 | sort | tr '\n' ' ')" = "run1/_SUCCESS run1/_manifest.json run1/part-00000.csv run1/part-notes.csv " ] ||
  fail "a refused --overwrite deleted: $(keys run1 | tr '\n' ' ')"
aws s3 rm "s3://$BUCKET/run1/part-notes.csv" --only-show-errors
pass "--overwrite on S3 refuses, deleting nothing, when an object no manifest or journal lists is under the prefix"

rc=0; err=$(AWS_SECRET_ACCESS_KEY=wrong-secret run_np 2 generate "${ARGS[@]}" --out "s3://$BUCKET/run2" 2>&1) || rc=$?
grep -q "^spotgen: .*SignatureDoesNotMatch.*check AWS_SECRET_ACCESS_KEY.*and the region (--s3-region or AWS_REGION)" <<<"$err" || fail "a wrong secret: $err"
! grep -q "wrong-secret" <<<"$err" || fail "the secret appears in the output"
[ -z "$(keys run2)" ] && [ -z "$(uploads)" ] || fail "a wrong secret left objects or uploads"
[ "$rc" = 2 ] || fail "a wrong secret: generate exits $rc, not 2"
for cmd in verify report; do
  rc=0; err=$(AWS_SECRET_ACCESS_KEY=wrong-secret "$SPOTGEN" $cmd "s3://$BUCKET/run1" -o "$WORK/r.html" 2>&1) || rc=$?
  [ "$cmd" = report ] || { rc=0; err=$(AWS_SECRET_ACCESS_KEY=wrong-secret "$SPOTGEN" verify "s3://$BUCKET/run1" 2>&1) || rc=$?; }
  [ "$rc" = 2 ] && grep -q "SignatureDoesNotMatch" <<<"$err" || fail "a wrong secret: $cmd exits $rc, not 2: $err"
done
pass "a wrong secret: one clear line, exit 2 in generate, verify and report alike, nothing left behind"

# A bucket that does not exist: exit 2, one line naming it and the fix.
rc=0
out=$(run_np 2 generate "${ARGS[@]}" --out "s3://no-such-bucket-$$/x" 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "a missing bucket: exit $rc, not 2: $out"
[ "$(grep '^spotgen: ' <<<"$out" | sort -u)" = "spotgen: cannot take the run's lock at s3://no-such-bucket-$$/x: s3://no-such-bucket-$$/x/_spotgen_lock: HTTP 404 NoSuchBucket: The specified bucket does not exist; create the bucket or fix the --out URL" ] ||
  fail "a missing bucket: $out"
! grep -qF "$AWS_SECRET_ACCESS_KEY" <<<"$out" || fail "the secret key appears in the output"
# Secrets never printed: a run that fails with a session token (one moto
# does not know) says nothing of the secret key or the token.
rc=0
out=$(AWS_SESSION_TOKEN=FQoGZXIvYXdzEXAMPLETOKEN0123456789 run_np 2 generate "${ARGS[@]}" \
  --out "s3://$BUCKET/token" 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "an unknown session token: exit $rc, not 2: $out"
[ "$(grep '^spotgen: ' <<<"$out" | sort -u)" = "spotgen: cannot take the run's lock at s3://$BUCKET/token: s3://$BUCKET/token/_spotgen_lock: HTTP 400 InvalidToken: The provided token is malformed or otherwise invalid; check AWS_SESSION_TOKEN (or the profile's token): it must belong to the access key" ] ||
  fail "an unknown session token: $out"
! grep -qF "$AWS_SECRET_ACCESS_KEY" <<<"$out" || fail "the secret key appears in the output"
! grep -qF "FQoGZXIvYXdzEXAMPLETOKEN" <<<"$out" || fail "the session token appears in the output"
pass "a missing bucket and an unknown session token: exit 2, one line each, neither the secret key nor the token printed"

# SIGTERM while parts are uploading: every multipart upload is aborted.
"$SPOTGEN" generate --rows 3000000 --rows-per-part 1500000 --part-size 5M --s3-inflight 2 \
  --out "s3://$BUCKET/run3" --no-progress 2>"$WORK/term.err" &
pid=$!
for _ in $(seq 100); do [ -n "$(uploads)" ] && break; sleep 0.1; done
[ -n "$(uploads)" ] || fail "no multipart upload started"
kill -TERM $pid
rc=0; wait $pid || rc=$?
[ "$rc" = 143 ] || fail "SIGTERM: exit $rc: $(cat "$WORK/term.err")"
[ -z "$(uploads)" ] || fail "SIGTERM left uploads: $(uploads)"
! keys run3 | grep -q _SUCCESS || fail "SIGTERM: _SUCCESS written"
pass "SIGTERM mid-upload: exit 143, every multipart upload aborted, no _SUCCESS"

# Compressed parts stream to S3 like plain ones, and verify s3:// reads them
# (300K rows: at 150K the artist-concentration targets are at their edge).
ZARGS=(--rows 300000 --rows-per-part 100000 --seed 11 --no-progress)
run_np 1 generate "${ZARGS[@]}" --out "$WORK/zlocal" 2>/dev/null
run_np 2 generate "${ZARGS[@]}" --format csv.zst --out "s3://$BUCKET/zst" 2>"$WORK/err" || fail "csv.zst to S3: $(cat "$WORK/err")"
[ "$(keys zst | grep -c '\.csv\.zst$')" = 3 ] || fail "csv.zst objects: $(keys zst | tr '\n' ' ')"
aws s3 cp "s3://$BUCKET/zst/part-00001.csv.zst" "$WORK/p1.zst" --only-show-errors
zstd -dc "$WORK/p1.zst" | cmp -s - "$WORK/zlocal/part-00001.csv" || fail "the S3 .zst part is not the plain part compressed"
"$SPOTGEN" verify "s3://$BUCKET/zst" >"$WORK/v.txt" 2>&1 || fail "verify s3:// csv.zst: $(grep FAIL "$WORK/v.txt")"
pass "--format csv.zst to S3: 3 .csv.zst objects, the plain text inside, verify s3:// passes"

# Parquet too: the parts go up as objects and verify s3:// reads them back.
run_np 2 generate "${ZARGS[@]}" --format parquet --out "s3://$BUCKET/pq" 2>"$WORK/err" || fail "parquet to S3: $(cat "$WORK/err")"
[ "$(keys pq | grep -c '\.parquet$')" = 3 ] || fail "parquet objects: $(keys pq | tr '\n' ' ')"
"$SPOTGEN" verify "s3://$BUCKET/pq" >"$WORK/v.txt" 2>&1 || fail "verify s3:// parquet: $(grep FAIL "$WORK/v.txt")"
pass "--format parquet to S3: 3 .parquet objects, verify s3:// passes"

# --tables to S3: the five tables' objects under their folders, the bytes of
# a local run, verify s3:// passes; --resume writes again an object gone.
run_np 1 generate "${ZARGS[@]}" --tables --out "$WORK/tlocal" 2>/dev/null || fail "--tables locally exited $?"
run_np 2 generate "${ZARGS[@]}" --tables --out "s3://$BUCKET/tables" 2>"$WORK/err" || fail "--tables to S3: $(cat "$WORK/err")"
[ "$(keys tables | grep -Ec '^tables/(artists|albums|tracks|playlists|playlist_tracks)/part-0000[0-2]\.csv$')" = 15 ] ||
  fail "--tables objects: $(keys tables | tr '\n' ' ')"
for f in $(cd "$WORK/tlocal" && find . -name 'part-*'); do # one by one: see keys
  aws s3 cp "s3://$BUCKET/tables/${f#./}" "$WORK/tdown" --only-show-errors
  cmp -s "$WORK/tlocal/$f" "$WORK/tdown" || fail "S3's $f differs from the local run's"
done
"$SPOTGEN" verify "s3://$BUCKET/tables" >"$WORK/v.txt" 2>&1 || fail "verify s3:// --tables: $(grep FAIL "$WORK/v.txt")"
aws s3 rm "s3://$BUCKET/tables/tracks/part-00001.csv" --only-show-errors
run_np 2 generate "${ZARGS[@]}" --tables --out "s3://$BUCKET/tables" --resume 2>"$WORK/err" || fail "--tables --resume on S3: $(cat "$WORK/err")"
grep -q "resumed: 14 of 15 parts kept as recorded, 1 generated" "$WORK/err" || fail "--tables --resume on S3: $(cat "$WORK/err")"
aws s3 cp "s3://$BUCKET/tables/tracks/part-00001.csv" "$WORK/t1.csv" --only-show-errors
cmp -s "$WORK/t1.csv" "$WORK/tlocal/tracks/part-00001.csv" || fail "the object written again differs"
pass "--tables to S3: 15 objects in the five folders, a local run's bytes, verify s3:// passes, --resume writes a lost one again"

