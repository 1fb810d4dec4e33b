#!/usr/bin/env bash
# Hostile paths and lying files: spotgen never replaces what is not a
# regular file, never deletes what no record of its own lists, never passes
# a manifest its files contradict, and never hangs on a file that is not one.
# - --output and report -o refuse a device, a FIFO or a link (inside a private
#   mount namespace with a tmpfs on /dev: the machine's own /dev is never
#   touched); - and /dev/stdout are written as streams (the same bytes as a
#   file, on 1 and 2 ranks); a replaced file keeps its permissions; report -o
#   replaces a user's file only with --overwrite; a killed --output run's
#   segments are removed by the next run;
# - --overwrite removes only what the previous manifest or journals list,
#   refusing (and removing nothing) when anything else is there: a user's
#   part-named files, a Spark output, a directory named like a part;
# - verify confirms the manifest's dataset.rows, dataset.parts and indexes,
#   refuses JSON with bytes after it (manifest and --config), and reads no
#   FIFO or device as a part (no hang, no 4 GiB of /dev/zero);
# - URLs spotgen does not write (S3://, s3:/, file://, http://, null:x), S3
#   flags for a local location, --parts above --rows and --rows 10_ are
#   refused in one line; generate --version answers 0.
source "$(dirname "$0")/lib.sh"
cd "$WORK" # --output - keeps its segments in the working directory

# refuse WHAT CMD... : exit 2, one line on stderr saying WHAT
refuse() {
  local what=$1 rc=0
  shift
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ $rc = 2 ] && [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q -- "$what" "$WORK/err" ||
    fail "$* (exit $rc, not 2 saying '$what'): $(cat "$WORK/err")"
}

"$SPOTGEN" generate --rows 2000 --rows-per-part 1000 --out "$WORK/d" --no-progress 2>/dev/null

# ---- devices, FIFOs and links are not files to replace ----------------------
if unshare -m true 2>/dev/null; then
  unshare -m bash -c "
    set -e
    mount -t tmpfs none /dev
    mknod -m 666 /dev/null c 1 3
    ln -s /proc/self/fd/1 /dev/stdout
    mkfifo /dev/fifo
    cd '$WORK'
    rc=0; '$SPOTGEN' generate --rows 10 --output /dev/null --overwrite 2>dev1.err || rc=\$?
    echo \"generate /dev/null \$rc \$(stat -c %F /dev/null)\" >dev.out
    rc=0; '$SPOTGEN' report d -o /dev/null --overwrite 2>dev2.err || rc=\$?
    echo \"report /dev/null \$rc \$(stat -c %F /dev/null)\" >>dev.out
    rc=0; '$SPOTGEN' generate --rows 10 --output /dev/fifo --overwrite 2>dev3.err || rc=\$?
    echo \"generate fifo \$rc \$(stat -c %F /dev/fifo)\" >>dev.out
    '$SPOTGEN' report d -o /dev/stdout >report.stdout || true # 5: a target of 2,000 rows failed
    echo \"report stdout \$(stat -c %F /dev/stdout)\" >>dev.out
  " || fail "the private mount namespace failed"
  grep -q "^generate /dev/null 2 character special file$" "$WORK/dev.out" ||
    fail "--output /dev/null: $(cat "$WORK/dev.out" "$WORK/dev1.err")"
  grep -q "is a character device, which writing a file would replace" "$WORK/dev1.err" || fail "$(cat "$WORK/dev1.err")"
  grep -q "^report /dev/null 2 character special file$" "$WORK/dev.out" ||
    fail "report -o /dev/null: $(cat "$WORK/dev.out" "$WORK/dev2.err")"
  grep -q "^generate fifo 2 fifo$" "$WORK/dev.out" || fail "--output FIFO: $(cat "$WORK/dev.out" "$WORK/dev3.err")"
  grep -q "^report stdout symbolic link$" "$WORK/dev.out" && grep -q "^<!DOCTYPE html>" "$WORK/report.stdout" ||
    fail "report -o /dev/stdout: $(cat "$WORK/dev.out")"
  pass "a device, a FIFO and /dev/stdout's link are never replaced (in a private mount namespace): --output and report -o refuse them in one line, /dev/stdout is written as a stream"
else
  skip_part "unshare -m is not permitted here, so the device cases cannot be tried safely"
fi
ln -s "$WORK/d/_manifest.json" "$WORK/link.csv"
refuse "is a symbolic link" "$SPOTGEN" generate --rows 10 --output "$WORK/link.csv" --overwrite
[ -L "$WORK/link.csv" ] || fail "the link was replaced"

# ---- standard output, permissions, leftovers ----------------------------------
"$SPOTGEN" generate --rows 5000 --output "$WORK/one.csv" --no-progress 2>/dev/null
"$SPOTGEN" generate --rows 5000 --output - --no-progress >"$WORK/dash.csv" 2>/dev/null
run_np 2 generate --rows 5000 --output /dev/stdout --no-progress >"$WORK/stdout.csv" 2>/dev/null
cmp -s "$WORK/one.csv" "$WORK/dash.csv" && cmp -s "$WORK/one.csv" "$WORK/stdout.csv" ||
  fail "--output - or /dev/stdout (2 ranks) differs from --output FILE"
ls -a | grep -q "seg-" && fail "segments left in the working directory: $(ls -a | grep seg-)"
chmod 600 "$WORK/one.csv"
"$SPOTGEN" generate --rows 500 --output "$WORK/one.csv" --overwrite --no-progress 2>/dev/null
[ "$(stat -c %a "$WORK/one.csv")" = 600 ] || fail "--output --overwrite made a 0600 file $(stat -c %a "$WORK/one.csv")"
: >"$WORK/..one.csv.seg-00001.4242.tmp"
: >"$WORK/.one.csv.seg-00003"
"$SPOTGEN" generate --rows 500 --output "$WORK/one.csv" --overwrite --no-progress 2>/dev/null
! ls -a "$WORK" | grep -q "one.csv.seg-" || fail "a killed run's segments were left: $(ls -a "$WORK" | grep seg-)"
echo "my notes" >"$WORK/notes.html"
chmod 640 "$WORK/notes.html"
refuse "already exists; add --overwrite" "$SPOTGEN" report "$WORK/d" -o "$WORK/notes.html"
grep -q "my notes" "$WORK/notes.html" || fail "report -o replaced a user's file without --overwrite"
"$SPOTGEN" report "$WORK/d" -o "$WORK/notes.html" --overwrite 2>/dev/null || true # 5: a target of 2,000 rows failed
grep -q "<!DOCTYPE html>" "$WORK/notes.html" && [ "$(stat -c %a "$WORK/notes.html")" = 640 ] ||
  fail "report -o --overwrite: $(stat -c %a "$WORK/notes.html")"
for _ in 1 2; do
  rc=0
  "$SPOTGEN" report "$WORK/d" 2>/dev/null || rc=$?
  [ $rc = 0 ] || [ $rc = 5 ] || fail "the default _report.html is the dataset's own and is replaced without --overwrite (exit $rc)"
done
pass "--output - and /dev/stdout stream the same bytes as a file on 1 and 2 ranks; a replaced file keeps 0600; a killed run's segments go; report -o keeps a user's file without --overwrite, and its mode with it"

# ---- --overwrite removes only what a record lists -------------------------------
mkdir "$WORK/mine"
echo mine >"$WORK/mine/part-00000.csv"
echo mine >"$WORK/mine/part-notes.csv"
refuse "holds part-0000[0-9].csv, which no manifest or journal of spotgen there lists\|holds part-notes.csv, which no" \
  "$SPOTGEN" generate --rows 3000 --rows-per-part 1000 --out "$WORK/mine" --overwrite
[ "$(cat "$WORK/mine/part-00000.csv" "$WORK/mine/part-notes.csv")" = "$(printf 'mine\nmine')" ] ||
  fail "--overwrite touched a user's files"
mkdir "$WORK/spark"
: >"$WORK/spark/_SUCCESS"
echo a,b >"$WORK/spark/part-00000-3f2a1c9e-44b1-4a7e-9c0d-2b6f1e8a7d55-c000.csv"
refuse "which no manifest or journal" "$SPOTGEN" generate --rows 3000 --out "$WORK/spark" --overwrite
[ -e "$WORK/spark/_SUCCESS" ] && [ -s "$WORK/spark/part-00000-3f2a1c9e-44b1-4a7e-9c0d-2b6f1e8a7d55-c000.csv" ] ||
  fail "--overwrite removed part of a Spark output"
cp -r "$WORK/d" "$WORK/d2"
mkdir "$WORK/d2/part-00007.csv"
refuse "holds part-00007.csv, which is not a regular file" "$SPOTGEN" generate --rows 3000 --out "$WORK/d2" --overwrite
[ -e "$WORK/d2/_SUCCESS" ] && [ -e "$WORK/d2/part-00000.csv" ] || fail "a refused --overwrite removed part of the old dataset"
rmdir "$WORK/d2/part-00007.csv"
"$SPOTGEN" generate --rows 3000 --rows-per-part 1000 --out "$WORK/d2" --overwrite --no-progress 2>/dev/null ||
  fail "--overwrite of a spotgen dataset"
[ -e "$WORK/d2/part-00002.csv" ] || fail "--overwrite did not write the new dataset"
# An interrupted run (killed with SIGKILL): its journal names its parts,
# in its own format, and they go with their temporary files.
killed_when "$WORK/int" part-00002.csv.gz 1 generate --rows 2000000 --rows-per-part 100000 --format csv.gz \
  --out "$WORK/int" --no-progress
ls "$WORK/int" | grep -q "^_spotgen-journal-" || fail "the killed run left no journal"
"$SPOTGEN" generate --rows 3000 --rows-per-part 1000 --out "$WORK/int" --overwrite --no-progress 2>"$WORK/err" ||
  fail "--overwrite of an interrupted run: $(cat "$WORK/err")"
[ "$(LC_ALL=C ls -A "$WORK/int" | tr '\n' ' ')" = "_SUCCESS _manifest.json part-00000.csv part-00001.csv part-00002.csv " ] ||
  fail "--overwrite of an interrupted run left: $(ls -A "$WORK/int")"
pass "--overwrite refuses, removing nothing, a user's part-named files, a Spark output and a directory named like a part; it replaces a spotgen dataset, and an interrupted run's parts that its journal names"

# ---- verify confirms the manifest, reads only files -----------------------------
cp -r "$WORK/d" "$WORK/lie"
python3 - "$WORK/lie/_manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["dataset"]["rows"], m["dataset"]["parts"], m["parts"][1]["index"] = 999999, 7, 10**15
json.dump(m, open(sys.argv[1], "w"))
PY
rc=0
"$SPOTGEN" verify "$WORK/lie" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc = 5 ] && grep -q "dataset.rows says 999999" "$WORK/v.out" && grep -q "dataset.parts says 7 parts" "$WORK/v.out" ||
  fail "verify of a manifest that lies (exit $rc): $(grep FAIL "$WORK/v.out")"
python3 - "$WORK/lie/_manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["dataset"]["rows"], m["dataset"]["parts"] = 2000, 2
json.dump(m, open(sys.argv[1], "w"))
PY
rc=0
"$SPOTGEN" verify "$WORK/lie" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc = 5 ] && grep -q "part entry 1 has index 1000000000000000" "$WORK/v.out" || fail "verify of index 10^15 (exit $rc)"
cp "$WORK/d/_manifest.json" "$WORK/lie/_manifest.json"
echo 'GARBAGE{{{' >>"$WORK/lie/_manifest.json"
refuse "is not one valid JSON document" "$SPOTGEN" verify "$WORK/lie"
echo '{"categories": {}} // my notes' >"$WORK/c.json"
refuse "not valid JSON, or more than one value" "$SPOTGEN" generate --rows 10 --config "$WORK/c.json" --out "$WORK/x"
rm "$WORK/lie/_manifest.json" && mkdir "$WORK/lie/_manifest.json"
refuse "is a directory" "$SPOTGEN" verify "$WORK/lie"
rm -r "$WORK/lie" && cp -r "$WORK/d" "$WORK/lie" && rm "$WORK/lie/part-00001.csv" && mkfifo "$WORK/lie/part-00001.csv"
rc=0
timeout 60 "$SPOTGEN" verify "$WORK/lie" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc = 5 ] && grep -q "part-00001.csv is a FIFO, not a regular file" "$WORK/v.out" || fail "verify of a FIFO part (exit $rc)"
rc=0
timeout 60 "$SPOTGEN" report "$WORK/lie" --verify -o "$WORK/r.html" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc = 5 ] || fail "report --verify of a FIFO part (exit $rc): $(tail -2 "$WORK/v.out")"
rm "$WORK/lie/part-00001.csv" && ln -s /dev/zero "$WORK/lie/part-00001.csv"
rc=0
timeout 60 "$SPOTGEN" verify "$WORK/lie" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc = 5 ] && grep -q "part-00001.csv is a device, not a regular file" "$WORK/v.out" || fail "verify of /dev/zero (exit $rc)"
rm "$WORK/lie/part-00001.csv" && cp "$WORK/d/part-00001.csv" "$WORK/lie/"
python3 - "$WORK/lie/part-00001.csv" <<'PY'
import sys
b = open(sys.argv[1], "rb").read().split(b"\n")
f = b[5].split(b",")
f[1] = b"Bad \xff\xfe name"  # track_name: not UTF-8
b[5] = b",".join(f)
open(sys.argv[1], "wb").write(b"\n".join(b))
PY
rc=0
"$SPOTGEN" verify "$WORK/lie" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc = 5 ] && grep -q "track_name is not valid UTF-8" "$WORK/v.out" || fail "verify of a name that is not UTF-8 (exit $rc)"
cp "$WORK/d/part-00001.csv" "$WORK/lie/"
"$SPOTGEN" generate --rows 2000 --rows-per-part 1000 --format csv.gz --out "$WORK/gz" --no-progress 2>/dev/null
cp "$WORK/d/part-00001.csv" "$WORK/gz/part-00001.csv.gz" # plain text where gzip should be
rc=0
"$SPOTGEN" verify "$WORK/gz" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc = 5 ] && grep -q "part-00001.csv.gz.*not gzip data" "$WORK/v.out" || fail "verify of a .csv.gz that is not gzip (exit $rc): $(grep FAIL "$WORK/v.out")"
truncate -s 65M "$WORK/lie/_manifest.json"
refuse "larger than the 67108864 it may be" "$SPOTGEN" verify "$WORK/lie"
printf '{"categories": {"workout": {"share": 0.2}, "chill": {"share": 0.2}, "party": {"share": 0.2},
  "focus": {"share": 0.2}, "sleep": {"share": 0.200001}}}' >"$WORK/shares.json"
refuse "the shares sum to 1.000001; they must sum to 1" "$SPOTGEN" generate --rows 10 --config "$WORK/shares.json" --out "$WORK/x"
"$SPOTGEN" generate --rows 2000 --format parquet --out "$WORK/pq" --no-progress 2>/dev/null
"$SPOTGEN" verify "$WORK/pq" >"$WORK/v.out" 2>&1 || true # 5: a target of 2,000 rows failed
grep -q "^parts are well-formed Parquet with the 24 columns" "$WORK/v.out" && ! grep -q "well-formed CSV" "$WORK/v.out" ||
  fail "verify of Parquet parts names its check after CSV: $(grep well-formed "$WORK/v.out")"
pass "verify fails a manifest whose rows, parts or indexes the files contradict, refuses bytes after the JSON (manifest and --config) and a directory as manifest, reads no FIFO or /dev/zero as a part, names a name that is not UTF-8, and checks Parquet parts under a Parquet check; a manifest too large and shares that miss 1 by 1e-6 are said as such"

# ---- resume reads a journal of two million lines at once -------------------------
BIG=(--rows 400000 --rows-per-part 20000 --no-progress)
killed_when "$WORK/j" _spotgen-journal-00000.txt 1 generate "${BIG[@]}" --out "$WORK/j"
journal="$WORK/j/_spotgen-journal-00000.txt"
[ -s "$journal" ] || fail "no journal to lengthen"
python3 - "$journal" <<'PY'
import sys
head = open(sys.argv[1]).readline()
with open(sys.argv[1], "w") as f:  # the first line, then 2M records of a part that is not there
    f.write(head)
    f.write("part 19 20000 4700000 crc32:00000000 -\n" * 2000000)
PY
start=$(date +%s)
timeout 120 "$SPOTGEN" generate "${BIG[@]}" --out "$WORK/j" --resume 2>"$WORK/err" ||
  fail "resume with a journal of 2M lines (exit $?): $(cat "$WORK/err")"
pass "resume reads a journal of 2,000,000 lines in $(($(date +%s) - start)) s (it was quadratic: 10+ minutes)"

# ---- locations and flags --------------------------------------------------------
for url in S3://bucket/x s3:/bucket/x file:///tmp/x http://host/x null:x; do
  refuse "$url" "$SPOTGEN" generate --rows 10 --out "$url"
done
[ -z "$(ls -d S3: s3: file: http: null:x 2>/dev/null)" ] || fail "a URL became a local directory: $(ls -d S3: s3: file: http: null:x 2>/dev/null)"
refuse "--s3-endpoint applies to an s3:// location" "$SPOTGEN" generate --rows 10 --out "$WORK/y" --s3-endpoint http://x
refuse "--s3-region applies to an s3:// location" "$SPOTGEN" verify "$WORK/d" --s3-region eu-west-1
AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=example refuse "--s3-ca-bundle $WORK/none.pem: cannot read it" \
  "$SPOTGEN" generate --rows 10 --out s3://bucket/x --s3-ca-bundle "$WORK/none.pem"
refuse "--parts 20 is more than --rows 10" "$SPOTGEN" generate --rows 10 --parts 20 --out "$WORK/y"
refuse "--rows" "$SPOTGEN" generate --rows 10_ --out "$WORK/y"
[ ! -e "$WORK/y" ] || fail "a refused run wrote $WORK/y"
"$SPOTGEN" generate --version | grep -q "^spotgen [0-9]" || fail "generate --version"
pass "URLs spotgen does not write (S3://, s3:/, file://, http://, null:x), S3 flags for local locations, a missing --s3-ca-bundle, --parts above --rows and --rows 10_ are refused in one line; generate --version answers"
