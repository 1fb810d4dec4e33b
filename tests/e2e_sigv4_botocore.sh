#!/usr/bin/env bash
# spotgen's SigV4 signatures equal botocore's for 250 generated requests with
# awkward keys, query names and values (spaces, + = / % ~, unicode), header
# values with runs of spaces, session tokens, signed and unsigned payloads.
source "$(dirname "$0")/lib.sh"
: "${SIGV4_TOOL:?set SIGV4_TOOL to tests/sigv4_tool}"
python3 -c 'import botocore' 2>/dev/null || skip "botocore is not installed for $(id -un)"
python3 "$TESTS/sigv4_botocore.py" "$WORK/cases.jsonl" "$WORK/botocore.txt" 250
"$SIGV4_TOOL" <"$WORK/cases.jsonl" >"$WORK/spotgen.txt" || fail "sigv4_tool failed"
[ "$(wc -l <"$WORK/spotgen.txt")" = 250 ] || fail "sigv4_tool signed $(wc -l <"$WORK/spotgen.txt") of 250 requests"
if ! cmp -s "$WORK/botocore.txt" "$WORK/spotgen.txt"; then
  n=$(diff <(cat -n "$WORK/botocore.txt") <(cat -n "$WORK/spotgen.txt") | grep -c '^<' || true)
  line=$(diff <(cat -n "$WORK/botocore.txt") <(cat -n "$WORK/spotgen.txt") | grep -m1 '^<' | awk '{print $2}')
  fail "$n signatures differ from botocore's; first: request $line: $(sed -n "${line}p" "$WORK/cases.jsonl")"
fi
pass "250 awkward requests: every Authorization header equals botocore's"
