#!/usr/bin/env bash
# --resume on S3 (moto_server, signatures checked): a run killed with
# SIGKILL mid-upload leaves committed parts, its journals and incomplete
# multipart uploads; the resume on another number of ranks aborts those
# uploads, keeps the parts whose size and ETag (HEAD) match the journal,
# generates the rest, and ends with the parts and statistics of an
# uninterrupted run, no journal and no upload left. Resuming again keeps all.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
start_moto
# Parts of 7 multipart parts each, so that the run spends most of its time
# in the middle of an upload, where it is stopped and killed.
BASE=(--rows 1500000 --rows-per-part 150000 --no-progress)
ARGS=("${BASE[@]}" --part-size 5M --s3-inflight 2)
run_np 1 generate "${BASE[@]}" --out "$WORK/ref" 2>/dev/null

"$MPIEXEC" "${MPI_FLAGS[@]}" -np 2 "$SPOTGEN" generate "${ARGS[@]}" --out "s3://$BUCKET/res" 2>/dev/null &
pid=$!
# Polled from one client process: an AWS CLI call per poll takes a second on
# a loaded machine, long enough for the run to get past its last upload.
# Once two parts are committed and an upload is under way, the ranks are
# stopped (SIGSTOP) and the upload looked for again: the kill then finds it
# for certain; when it completed meanwhile, the ranks go on and the poll too.
python3 - "$MOTO_URL" "$BUCKET" "$pid" <<'PY' || fail "no moment with two parts committed and an upload under way"
import os, signal, subprocess, sys, time
import boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1])
bucket, job = sys.argv[2], sys.argv[3]
def parts():
    # the prefix without its '/': moto misreads an encoded one (getmoto/moto#5948)
    listing = s3.list_objects_v2(Bucket=bucket, Prefix="res")
    return sum(o["Key"].startswith("res/part-") for o in listing.get("Contents", []))
def uploading():
    return bool(s3.list_multipart_uploads(Bucket=bucket, Prefix="res").get("Uploads"))
def ranks(sig):
    for p in subprocess.run(["pgrep", "-P", job], capture_output=True, text=True).stdout.split():
        os.kill(int(p), sig)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    if parts() >= 2 and uploading():
        ranks(signal.SIGSTOP)
        if uploading():
            sys.exit(0)
        ranks(signal.SIGCONT)
    time.sleep(0.05)
sys.exit(1)
PY
kill_job $pid
wait $pid 2>/dev/null || true
! keys res | grep -q _SUCCESS || fail "the run finished before it was killed"
[ -n "$(uploads)" ] || fail "the killed run left no incomplete upload to clean up (it was killed between uploads)"
keys res | grep -q _spotgen-journal- || fail "the killed run left no journal"
before=$(keys res | grep -c '/part-' || true)

run_np 3 generate "${ARGS[@]}" --out "s3://$BUCKET/res" --resume 2>"$WORK/err" || fail "resume: $(cat "$WORK/err")"
grep -q "aborted [0-9]* incomplete multipart upload" "$WORK/err" || fail "no stale upload aborted: $(cat "$WORK/err")"
kept=$(sed -n 's/^spotgen: resumed: \([0-9]*\) of 10 parts kept as recorded.*/\1/p' "$WORK/err")
[ -n "$kept" ] && [ "$kept" -ge 1 ] && [ "$kept" -le "$before" ] || fail "kept '$kept' of $before: $(cat "$WORK/err")"
[ -z "$(uploads)" ] || fail "uploads left: $(uploads)"
! keys res | grep -q _spotgen-journal- || fail "journals left: $(keys res | grep journal)"
aws s3 cp "s3://$BUCKET/res/_manifest.json" "$WORK/m.json" --only-show-errors
python3 - "$WORK/m.json" "$WORK/ref/_manifest.json" <<'PY' || fail "the resumed dataset differs from an uninterrupted run"
import json, sys
m, ref = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
strip = lambda ps: [(p["key"], p["rows"], p["bytes"], p["checksum"]) for p in ps]
assert strip(m["parts"]) == strip(ref["parts"]), "parts"
assert all(p.get("etag") for p in m["parts"]), "ETags"
assert m["stats"] == ref["stats"] and m["dataset"] == ref["dataset"], "stats or dataset"
PY
aws s3 cp "s3://$BUCKET/res/part-00002.csv" "$WORK/p2.csv" --only-show-errors
cmp -s "$WORK/p2.csv" "$WORK/ref/part-00002.csv" || fail "part-00002.csv differs from the uninterrupted run"
pass "killed mid-upload, resumed on 3 ranks: stale uploads aborted, $kept of $before parts kept, the rest generated; same parts and statistics as an uninterrupted run"

run_np 2 generate "${ARGS[@]}" --out "s3://$BUCKET/res" --resume 2>"$WORK/err" || fail "second resume: $(cat "$WORK/err")"
grep -q "resumed: 10 of 10 parts kept as recorded, 0 generated" "$WORK/err" || fail "$(cat "$WORK/err")"
"$SPOTGEN" verify "s3://$BUCKET/res" >"$WORK/v.txt" 2>&1 || fail "verify: $(grep FAIL "$WORK/v.txt")"
pass "resuming the finished S3 dataset keeps all 10 parts (HEAD: size and ETag); verify s3:// passes"
