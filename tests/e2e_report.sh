#!/usr/bin/env bash
# `spotgen report`: a self-contained HTML page that Chromium renders without
# errors or requests, whose every chart reads back as the manifest's
# numbers; written beside the data as _report.html (which verify, Spark and
# Athena skip), to -o, from S3, with --verify's table; refuses bad input
# with one line and exit 2, writing nothing.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
[ -d "$TESTS/node/node_modules/playwright-core" ] ||
  fail "playwright-core is not installed: run 'npm ci --prefix tests/node' (scripts/test.sh does)"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || fail "Chromium is not installed (scripts/test.sh installs Debian's chromium)"
check() { node "$TESTS/node/report_check.mjs" "$@"; }

# A dataset on 2 ranks, its report beside it under the default name.
run_np 2 generate --rows 600000 --rows-per-part 150000 --out "$WORK/ds" --no-progress 2>/dev/null
"$SPOTGEN" report "$WORK/ds" 2>"$WORK/report.err" || fail "report failed: $(cat "$WORK/report.err")"
grep -q "written to $WORK/ds/_report.html" "$WORK/report.err" || fail "report did not say where: $(cat "$WORK/report.err")"
check "$WORK/ds/_report.html" "$WORK/ds/_manifest.json" "$WORK/report.png"
pass "the report renders in Chromium and every chart matches the manifest"

grep -Eq '<script|<link|@import|url\(|src=' "$WORK/ds/_report.html" && fail "the page loads something"
[ "$(ls "$WORK/ds" | grep -c '\.tmp$')" = 0 ] || fail "a temporary file was left: $(ls "$WORK/ds")"
"$SPOTGEN" verify "$WORK/ds" >"$WORK/verify.txt" || fail "verify flags _report.html: $(grep -i fail "$WORK/verify.txt")"
pass "the page is self-contained, and verify does not count _report.html as a stray"

# --overwrite replaces the dataset, its report included (no stale page).
cp -r "$WORK/ds" "$WORK/again"
"$SPOTGEN" generate --rows 1000 --out "$WORK/again" --overwrite --no-progress 2>"$WORK/again.err" ||
  fail "--overwrite refused a dataset with its report: $(cat "$WORK/again.err")"
[ ! -e "$WORK/again/_report.html" ] || fail "--overwrite left the old report"
pass "generate --overwrite replaces a dataset and its _report.html"

# The checker is not vacuous: a moved bar, a changed cell, a console error
# and a fetched image are each caught.
tamper() { # NAME PYTHON-EXPR-ON-s
  python3 - "$WORK/ds/_report.html" "$WORK/bad-$1.html" "$2" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
t = eval(sys.argv[3])
assert t != s, "the tampering changed nothing"
open(sys.argv[2], "w").write(t)
PY
  if check "$WORK/bad-$1.html" "$WORK/ds/_manifest.json" "$WORK/bad.png" >"$WORK/bad.out" 2>&1; then
    fail "the check passed a report with $1"
  fi
}
tamper "a moved bar" 're.sub(r"(data-bin=\"40\" data-count=\"\d+\" x=\"[\d.]+\" y=\")([\d.]+)", lambda m: m.group(1) + str(float(m.group(2)) - 3), s, count=1)'
tamper "a changed correlation" 're.sub(r"data-r=\"0\.7\d+", "data-r=\"0.5", s, count=1)'
tamper "a console error" 's.replace("</body>", "<script>console.error(\"boom\")</script></body>")'
tamper "a fetched image" 's.replace("</main>", "<img src=\"http://127.0.0.1:9/x.png\"></main>")'
tamper "a chart missing" 're.sub(r"<figure class=\"chart\" id=\"chart-followers\".*?</figure>", "", s, count=1, flags=re.S)'
pass "the check fails a moved bar, a changed cell, a console error, a request and a missing chart"

# --verify: the table is verify's own, read back from the files.
"$SPOTGEN" verify "$WORK/ds" --json >"$WORK/verify.json"
"$SPOTGEN" report "$WORK/ds" --verify -o "$WORK/verified.html" 2>"$WORK/verified.err" ||
  fail "report --verify failed: $(cat "$WORK/verified.err")"
grep -q "^verify: $WORK/ds: 600000 rows, [0-9]* checks, all pass" "$WORK/verified.err" || fail "no verify line: $(cat "$WORK/verified.err")"
check "$WORK/verified.html" "$WORK/ds/_manifest.json" "$WORK/verified.png" "$WORK/verify.json"
grep -q 'data-target="one set of attributes per track_id (name, artist, album, features, popularity)" data-result="pass"' "$WORK/verified.html" || fail "--verify did not check the tracks"
pass "report --verify shows verify's checks"

# -o - writes the page to stdout, and nothing else
"$SPOTGEN" report "$WORK/ds" -o - >"$WORK/stdout.html" 2>"$WORK/stdout.err"
cmp -s "$WORK/stdout.html" "$WORK/ds/_report.html" || fail "-o - wrote a different page"
[ ! -s "$WORK/stdout.err" ] || fail "-o - printed: $(cat "$WORK/stdout.err")"
pass "-o - writes the same page to stdout"

# A failing target: the page is written, shows it, and the exit status is 5.
cat >"$WORK/off.json" <<'EOF'
{"catalog": {"artist_exponent": 0.3}}
EOF
"$SPOTGEN" generate --rows 100000 --config "$WORK/off.json" --out "$WORK/off" --no-progress 2>/dev/null
rc=0
"$SPOTGEN" report "$WORK/off" 2>"$WORK/off.err" || rc=$?
[ $rc = 5 ] || fail "report of a dataset missing a target exited $rc, not 5"
grep -q 'data-target="Gini of rows per artist" data-result="fail"' "$WORK/off/_report.html" || fail "the failed target is not shown"
grep -q 'data-fact="targets"><th>Targets</th><td class="fail"' "$WORK/off/_report.html" || fail "the facts do not flag the failure"
check "$WORK/off/_report.html" "$WORK/off/_manifest.json" "$WORK/off.png"
pass "a failed target is shown on the page and gives exit 5"

# A manifest from before per-category histograms and artist ranks (0.4):
# the page is still written, and says what it lacks.
cp -r "$WORK/ds" "$WORK/old" && rm "$WORK/old/_report.html"
python3 - "$WORK/ds/_manifest.json" "$WORK/old/_manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for c in m["stats"]["categories"].values():
    del c["histograms"]
del m["stats"]["artists"]
json.dump(m, open(sys.argv[2], "w"))
PY
"$SPOTGEN" report "$WORK/old" 2>/dev/null || fail "report of an older manifest failed"
grep -q 'data-chart="artist-rank" data-missing="1"' "$WORK/old/_report.html" || fail "the missing artist ranks are not said"
grep -q 'polyline class="cat"' "$WORK/old/_report.html" && fail "category lines drawn without their histograms"
"$SPOTGEN" verify "$WORK/old" >"$WORK/old.txt" || fail "verify asks an older manifest for what it lacks: $(grep -i fail "$WORK/old.txt")"
pass "an older manifest gives a page that says what it lacks, and still verifies"

# From S3 (moto, signatures checked): the same page as from a directory.
start_moto
run_np 2 generate --rows 600000 --rows-per-part 150000 --out "s3://$BUCKET/ds" --no-progress 2>/dev/null
rc=0
"$SPOTGEN" report "s3://$BUCKET/ds" 2>"$WORK/s3.err" || rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$WORK/s3.err")" = 1 ] && grep -q -- '-o FILE' "$WORK/s3.err" ||
  fail "report of S3 without -o: exit $rc, $(cat "$WORK/s3.err")"
"$SPOTGEN" report "s3://$BUCKET/ds" -o "$WORK/s3.html" 2>/dev/null || fail "report from S3 failed"
aws s3 cp --quiet "s3://$BUCKET/ds/_manifest.json" "$WORK/s3-manifest.json"
check "$WORK/s3.html" "$WORK/s3-manifest.json" "$WORK/s3.png"
drop_run() { sed -e '/data-fact="\(generated\|time\|rate\|memory\|location\)"/d' -e 's|<title>.*</title>||' -e 's|^<p class="sub">.*||' "$1"; }
diff <(drop_run "$WORK/s3.html") <(drop_run "$WORK/ds/_report.html") >/dev/null ||
  fail "the report from S3 differs from the one from a directory of the same dataset"
pass "report reads s3://bucket/prefix, and the page equals the directory's"

# Bad input: one line, exit 2, nothing written.
refused_report() { # what ARGS...
  local what=$1 rc=0; shift
  "$SPOTGEN" report "$@" >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
  [ $rc = 2 ] || fail "$what: exit $rc, not 2"
  [ "$(wc -l <"$WORK/bad.err")" = 1 ] || fail "$what: not one line: $(cat "$WORK/bad.err")"
  [ ! -s "$WORK/bad.out" ] || fail "$what: wrote to stdout"
}
refused_report "no dataset"
refused_report "a missing directory" "$WORK/nope"
[ ! -e "$WORK/nope" ] || fail "report created $WORK/nope"
refused_report "an unknown option" "$WORK/ds" --colour
refused_report "-o into a missing directory" "$WORK/ds" -o "$WORK/no/such/dir/r.html"
found=$(find "$WORK" -name '*r.html*' -not -name 'bad-*'); [ -z "$found" ] || fail "a partial report was left: $found"
refused_report "-o a directory" "$WORK/ds" -o "$WORK"
mkdir "$WORK/broken" && echo '{"dataset": ' >"$WORK/broken/_manifest.json"
refused_report "a damaged manifest" "$WORK/broken"
mkdir "$WORK/foreign" && echo '{"dataset": {}}' >"$WORK/foreign/_manifest.json"
refused_report "a manifest without statistics" "$WORK/foreign"
[ ! -e "$WORK/broken/_report.html" ] && [ ! -e "$WORK/foreign/_report.html" ] || fail "a report was written for bad input"
pass "bad input: one line, exit 2, nothing written"
