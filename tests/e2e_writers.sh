#!/usr/bin/env bash
# One writer at a location at a time (lock.h), locally and on S3 (moto,
# signatures checked), with two real writers: a first run is frozen
# (SIGSTOP) while it holds its lock, so nothing here depends on timing.
# - a second run into the same location is refused in one line naming the
#   first (plain, --overwrite, --resume), and the first ends whole;
# - a second --output - from the same directory is refused, and does not
#   remove the first run's segments;
# - a run whose lock was taken over or removed commits nothing;
# - the lock of a killed run (its pid gone) is taken over by --resume, and
#   so is one from another host not refreshed for 60 s, but not a fresh one;
# - ranks that do not share --out (each in its own mount namespace, as with
#   each node's /tmp) are refused before anything is written.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
needs_root "the shared-location check mounts a tmpfs in a private mount namespace"

# wait_for PATH_OR_S3KEY : until the local file, or the object in the
# bucket (polled from one boto3 client), exists (30 s at most)
wait_for() {
  case $1 in
    s3:*)
      python3 - "$MOTO_URL" "$BUCKET" "${1#s3:}" <<'PY' || fail "$1 never appeared"
import sys, time
import boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1])
for _ in range(600):
    # listed by the folder without its '/': moto misreads an encoded one (getmoto/moto#5948)
    listing = s3.list_objects_v2(Bucket=sys.argv[2], Prefix=sys.argv[3].split("/")[0])
    if any(o["Key"] == sys.argv[3] for o in listing.get("Contents", [])):
        sys.exit(0)
    time.sleep(0.05)
sys.exit(1)
PY
      ;;
    *)
      for _ in $(seq 600); do
        [ -e "$1" ] && return 0
        sleep 0.05
      done
      fail "$1 never appeared"
      ;;
  esac
}
# refused_by_lock WHAT ARGS... : spotgen ARGS exits 2 with one line naming the live run
refused_by_lock() {
  local what=$1 rc=0
  shift
  "$SPOTGEN" "$@" 2>"$WORK/err" >/dev/null || rc=$?
  [ $rc = 2 ] && [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q "another spotgen run is writing .* (pid $pid on host " "$WORK/err" ||
    fail "$what: exit $rc: $(cat "$WORK/err")"
}
# exists WHAT : whether WHAT (a path, or s3:KEY) exists
exists() {
  case $1 in
    s3:*) keys "$(dirname "${1#s3:}")" | grep -qx "${1#s3:}" ;;
    *) [ -e "$1" ] ;;
  esac
}
# frozen LOCK ARGS... : spotgen ARGS in the background, frozen (SIGSTOP) as
# soon as LOCK (a path, or s3:KEY) exists and before it has committed its
# last part (part-00002: every run here writes 3), so that its check of the
# lock before the manifest is still ahead; its pid in $pid, its stderr in
# $WORK/frozen.err. A run frozen too late (a loaded machine) is let finish
# and started again, 5 times at most.
frozen() {
  local lock=$1 last=${1%_spotgen_lock}part-00002.csv out
  shift
  out=${!#}
  for _ in 1 2 3 4 5; do
    "$SPOTGEN" "$@" 2>"$WORK/frozen.err" &
    pid=$!
    wait_for "$lock"
    kill -STOP $pid
    exists "$lock" || fail "the run ended before it was frozen; the test needs a slower run"
    exists "$last" || return 0
    kill -CONT $pid
    wait $pid || true
    case $out in
      s3://*) aws s3 rm "$out" --recursive --only-show-errors ;;
      *) rm -rf "$out" ;;
    esac
  done
  fail "the run was never frozen before its last part; the test needs a slower run"
}
# lock_text HOST PID REFRESHED_AGO_S : a lock's text
lock_text() {
  python3 -c 'import json,sys,time; t=time.time()-float(sys.argv[3]); print(json.dumps({"run":"0"*32,"host":sys.argv[1],"pid":int(sys.argv[2]),"started":int(t),"refreshed":int(t)}))' "$@"
}

# ---- locally ----
ARGS=(generate --rows 2000000 --rows-per-part 700000 --no-progress)
"$SPOTGEN" "${ARGS[@]}" --out "$WORK/ref" 2>/dev/null
frozen "$WORK/a/_spotgen_lock" "${ARGS[@]}" --out "$WORK/a"
refused_by_lock "a second run" "${ARGS[@]}" --out "$WORK/a"
refused_by_lock "--overwrite" "${ARGS[@]}" --out "$WORK/a" --overwrite
refused_by_lock "--resume" "${ARGS[@]}" --out "$WORK/a" --resume
kill -CONT $pid
wait $pid || fail "the first run failed after the others were refused"
diff <(manifest_without_run "$WORK/ref/_manifest.json") <(manifest_without_run "$WORK/a/_manifest.json") >/dev/null ||
  fail "the first run's dataset is not whole"
[ ! -e "$WORK/a/_spotgen_lock" ] || fail "the lock is left after the run"
pass "a live run's location: a second run, --overwrite and --resume refused in one line; the first ends whole, lock gone"

# taken over or removed while it runs: nothing committed
for how in removed taken; do
  rm -rf "$WORK/b"
  frozen "$WORK/b/_spotgen_lock" "${ARGS[@]}" --out "$WORK/b"
  if [ $how = removed ]; then rm "$WORK/b/_spotgen_lock"; else lock_text otherhost 1 0 >"$WORK/b/_spotgen_lock"; fi
  kill -CONT $pid
  rc=0
  wait $pid || rc=$?
  [ $rc = 1 ] || fail "a run whose lock was $how exited $rc: $(cat "$WORK/frozen.err")"
  [ ! -e "$WORK/b/_SUCCESS" ] && [ ! -e "$WORK/b/_manifest.json" ] || fail "a run whose lock was $how committed"
  want=$([ $how = removed ] && echo "this run's lock, was removed while it ran" || echo "another spotgen run took .* over while this one ran (pid 1 on host otherhost")
  grep -q "$want" "$WORK/frozen.err" || fail "lock $how: $(cat "$WORK/frozen.err")"
done
[ -e "$WORK/b/_spotgen_lock" ] || fail "the run removed the lock another run took"
pass "a run whose lock was removed, or taken by another run, exits 1 without manifest or _SUCCESS, and leaves the other's lock"

# stale locks: a killed run's (same host, pid gone) and another host's not
# refreshed for 61 s are taken over; another host's fresh one is not
rm -rf "$WORK/c"
frozen "$WORK/c/_spotgen_lock" "${ARGS[@]}" --out "$WORK/c"
kill -KILL $pid
wait $pid 2>/dev/null || true
"$SPOTGEN" "${ARGS[@]}" --out "$WORK/c" --resume 2>"$WORK/err" || fail "--resume after kill -9: $(cat "$WORK/err")"
grep -q "took over the lock of a run that is over (pid $pid on host $(hostname)" "$WORK/err" || fail "takeover: $(cat "$WORK/err")"
"$SPOTGEN" verify "$WORK/c" >"$WORK/v.out" 2>&1 || fail "verify after the takeover: $(grep -v ' pass$' "$WORK/v.out" | tail -8)"
lock_text otherhost 4242 10 >"$WORK/c/_spotgen_lock"
pid=4242
refused_by_lock "another host's fresh lock" "${ARGS[@]}" --out "$WORK/c" --overwrite
lock_text otherhost 4242 61 >"$WORK/c/_spotgen_lock"
"$SPOTGEN" "${ARGS[@]}" --out "$WORK/c" --overwrite 2>"$WORK/err" || fail "a lock 61 s old: $(cat "$WORK/err")"
pass "a killed run's lock and another host's lock of 61 s are taken over; another host's lock of 10 s is not"

# --output -: a live run's segments are its own
mkdir -p "$WORK/d" && cd "$WORK/d"
"$SPOTGEN" "${ARGS[@]}" --output - >"$WORK/d1.csv" 2>/dev/null &
pid=$!
wait_for "$WORK/d/.spotgen-stdout.spotgen-lock"
kill -STOP $pid
refused_by_lock "a second --output -" "${ARGS[@]}" --output -
kill -CONT $pid
wait $pid || fail "the first --output - failed"
"$SPOTGEN" "${ARGS[@]}" --output "$WORK/d2.csv" 2>/dev/null
cmp -s "$WORK/d1.csv" "$WORK/d2.csv" || fail "the first --output - is not whole"
[ -z "$(ls -A "$WORK/d")" ] || fail "--output - left $(ls -A "$WORK/d")"
cd "$WORK"
pass "a second --output - in the same directory is refused; the first one's output is whole"

# ranks that do not share --out: rank 1 writes to a tmpfs of its own
mkdir -p "$WORK/node"
rc=0
"$MPIEXEC" "${MPI_FLAGS[@]}" -np 1 "$SPOTGEN" "${ARGS[@]}" --out "$WORK/node/out" : \
  -np 1 unshare -m sh -c "mount -t tmpfs tmpfs '$WORK/node' && mkdir -p '$WORK/node/out' && exec '$SPOTGEN' ${ARGS[*]} --out '$WORK/node/out'" \
  >/dev/null 2>"$WORK/err" || rc=$?
[ $rc = 2 ] || fail "ranks without a shared --out: exit $rc: $(cat "$WORK/err")"
grep -q "rank 1 on host $(hostname) does not see $WORK/node/out as rank 0 on host $(hostname) made it" "$WORK/err" ||
  fail "ranks without a shared --out: $(cat "$WORK/err")"
[ -z "$(ls -A "$WORK/node/out")" ] || fail "ranks without a shared --out wrote $(ls -A "$WORK/node/out")"
pass "ranks whose --out is each its own (mount namespaces) are refused before anything is written"

# ---- S3 (moto) ----
start_moto
S3ARGS=(generate --rows 1500000 --rows-per-part 500000 --no-progress --s3-endpoint "$MOTO_URL")
frozen "s3:w/_spotgen_lock" "${S3ARGS[@]}" --out "s3://$BUCKET/w"
refused_by_lock "S3: a second run" "${S3ARGS[@]}" --out "s3://$BUCKET/w"
refused_by_lock "S3: --overwrite" "${S3ARGS[@]}" --out "s3://$BUCKET/w" --overwrite
kill -CONT $pid
wait $pid || fail "S3: the first run failed after the others were refused"
"$SPOTGEN" verify "s3://$BUCKET/w" --s3-endpoint "$MOTO_URL" >"$WORK/v.out" 2>&1 ||
  fail "S3: the first run's dataset: $(grep -v ' pass$' "$WORK/v.out" | tail -8)"
keys w | grep -q _spotgen_lock && fail "S3: the lock is left after the run"
frozen "s3:t/_spotgen_lock" "${S3ARGS[@]}" --out "s3://$BUCKET/t"
lock_text otherhost 1 0 | aws s3 cp - "s3://$BUCKET/t/_spotgen_lock" >/dev/null
kill -CONT $pid
rc=0
wait $pid || rc=$?
[ $rc = 1 ] && ! keys t | grep -q '_SUCCESS\|_manifest' || fail "S3: a run whose lock was taken: exit $rc: $(cat "$WORK/frozen.err")"
lock_text otherhost 1 61 | aws s3 cp - "s3://$BUCKET/t/_spotgen_lock" >/dev/null
"$SPOTGEN" "${S3ARGS[@]}" --out "s3://$BUCKET/t" --resume 2>"$WORK/err" || fail "S3: a lock of 61 s: $(cat "$WORK/err")"
pass "S3: a second run and --overwrite refused while one runs (If-None-Match); a run whose lock was taken commits nothing; a lock of 61 s is taken over (If-Match)"
