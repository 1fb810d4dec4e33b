#!/usr/bin/env bash
# generate --dirty: the data and its ledger are byte-identical for -np 1 and
# 3 (and after a run killed with SIGKILL is resumed); every cell is the
# clean dataset's unless the ledger says otherwise, and then holds what the
# ledger says (tests/dirty_check.py, its own reading and its own inverse of
# the row keys); each kind hits its cells at its rate, tempo goes missing
# more in sleep playlists; DuckDB's default sniffer reads the dirty CSV and
# the ledger agrees with what it sees; --overwrite removes the ledger with
# the rest; bad --dirty input is refused in one line, and verify says why
# it does not check a dirty dataset.
source "$(dirname "$0")/lib.sh"
ARGS=(--rows 100000 --rows-per-part 30000 --no-progress)

run_np 2 generate "${ARGS[@]}" --out "$WORK/clean" 2>/dev/null
run_np 1 generate "${ARGS[@]}" --dirty hostile --out "$WORK/d1" 2>/dev/null
run_np 3 generate "${ARGS[@]}" --dirty hostile --out "$WORK/d3" 2>"$WORK/err" || fail "generate --dirty: $(cat "$WORK/err")"
grep -q "100,000 rows in 4 parts with their ledger" "$WORK/err" || fail "the summary: $(cat "$WORK/err")"
n=0
for f in "$WORK"/d1/part-*.csv "$WORK"/d1/_dirty/part-*.csv; do
  rel=${f#"$WORK/d1/"}
  cmp -s "$f" "$WORK/d3/$rel" || fail "$rel differs between -np 1 and -np 3"
  n=$((n + 1))
done
[ $n = 8 ] || fail "$n files of data and ledger, not 8"
[ "$(manifest_without_run "$WORK/d1/_manifest.json")" = "$(manifest_without_run "$WORK/d3/_manifest.json")" ] ||
  fail "the manifests of -np 1 and -np 3 differ"
python3 "$TESTS/dirty_check.py" "$WORK/clean" "$WORK/d3" >"$WORK/check.out" || fail "the dirty data against the clean"
pass "--dirty hostile: data and ledger identical for -np 1 and 3; $(cat "$WORK/check.out")"

if readers; then
  node "$TESTS/node/dirty_check.mjs" "$WORK/d3" >"$WORK/duck.out" || fail "DuckDB's reading of the dirty data"
  cat >"$WORK/tempo.json" <<'EOF'
{"base": "light", "missing": {"rate": 0, "columns": {"tempo": 0.02}},
 "out_of_range": {"rate": 0}, "number_format": {"rate": 0}, "swap": {"rate": 0}}
EOF
  run_np 2 generate "${ARGS[@]}" --dirty "$WORK/tempo.json" --out "$WORK/typed" 2>/dev/null
  node "$TESTS/node/dirty_check.mjs" "$WORK/typed" >"$WORK/typed.out" || fail "DuckDB's reading of typed dirty data"
  grep -q "typed by the sniffer: .*energy DOUBLE" "$WORK/typed.out" || fail "no column typed: $(cat "$WORK/typed.out")"
  pass "DuckDB's default sniffer: $(cat "$WORK/duck.out"); with missing values in tempo only, $(sed 's/^ok: //' "$WORK/typed.out")"
fi

# A run killed with SIGKILL once a few parts are committed, resumed on 3 ranks.
BIG=(--rows 1500000 --rows-per-part 50000 --dirty realistic --no-progress)
run_np 3 generate "${BIG[@]}" --out "$WORK/ref" 2>/dev/null
killed_when "$WORK/ds" _dirty/part-00003.csv 2 generate "${BIG[@]}" --out "$WORK/ds"
run_np 3 generate "${BIG[@]}" --out "$WORK/ds" --resume 2>"$WORK/err" || fail "resume: $(cat "$WORK/err")"
grep -q "^spotgen: resumed: [1-9][0-9]* of 60 parts kept" "$WORK/err" || fail "nothing kept: $(cat "$WORK/err")"
for f in "$WORK"/ref/part-*.csv "$WORK"/ref/_dirty/part-*.csv; do
  rel=${f#"$WORK/ref/"}
  cmp -s "$f" "$WORK/ds/$rel" || fail "$rel differs from the uninterrupted run's after --resume"
done
[ "$(manifest_without_run "$WORK/ref/_manifest.json")" = "$(manifest_without_run "$WORK/ds/_manifest.json")" ] ||
  fail "the manifest after --resume differs from the uninterrupted run's"
pass "killed with SIGKILL and resumed on 3 ranks: data, ledger and manifest identical to an uninterrupted run"

# --overwrite replaces a dirty dataset with a clean one: no ledger is left.
run_np 2 generate "${ARGS[@]}" --out "$WORK/d3" --overwrite 2>/dev/null
[ ! -e "$WORK/d3/_dirty" ] || fail "--overwrite left the old ledger: $(ls "$WORK/d3/_dirty")"
cmp -s "$WORK/clean/part-00000.csv" "$WORK/d3/part-00000.csv" || fail "the clean data after --overwrite"
pass "--overwrite of a dirty dataset with a clean one removes the ledger"

refused "--dirty grimy"
grep -q "no such profile; give light, realistic, hostile or a FILE.json" "$WORK/refused.err" || fail "$(cat "$WORK/refused.err")"
refused "--dirty light --format parquet"
refused "--dirty light --tables"
echo '{"missing": {"rate": 0.7}, "bad_date": {"rate": 0.4}}' >"$WORK/over.json"
refused "--dirty $WORK/over.json"
grep -q "release_date add up to 1.1" "$WORK/refused.err" || fail "$(cat "$WORK/refused.err")"
echo '{"missing": {"rate": 0.1}} // more' >"$WORK/trail.json"
refused "--dirty $WORK/trail.json"
refused "--dirty $WORK/none.json"
rc=0
"$SPOTGEN" verify "$WORK/d1" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$WORK/v.out")" = 1 ] && grep -q "a dirty dataset (generate --dirty)" "$WORK/v.out" ||
  fail "verify of a dirty dataset (exit $rc): $(cat "$WORK/v.out")"
pass "bad --dirty input refused in one line (profile, format, --tables, rates over 1, trailing text, no file); verify says why it does not check a dirty dataset"
