#!/usr/bin/env bash
# --resume after a run killed with SIGKILL (the journal is all it leaves):
# only missing or damaged parts are generated again, on another number of
# ranks, and the result is byte-identical to an uninterrupted run (parts and
# manifest); no journal or temporary file is left. Resuming a finished
# dataset keeps every part untouched, and resuming where nothing was written
# is an ordinary run. Other parameters, or --resume with --overwrite, are
# refused before anything changes.
source "$(dirname "$0")/lib.sh"
ARGS=(--rows 3000000 --rows-per-part 50000 --no-progress)
run_np 3 generate "${ARGS[@]}" --out "$WORK/ref" 2>/dev/null

# A run killed when a few parts are committed.
killed_when "$WORK/ds" part-00005.csv 2 generate "${ARGS[@]}" --out "$WORK/ds"
ls "$WORK/ds"/_spotgen-journal-* >/dev/null 2>&1 || fail "the killed run left no journal"
before=$(ls "$WORK/ds" | grep -c '^part-' || true)
# and damage one committed part: it must be generated again
truncate -s 1000 "$WORK/ds/part-00001.csv"

run_np 3 generate "${ARGS[@]}" --out "$WORK/ds" --resume 2>"$WORK/err" || fail "resume: $(cat "$WORK/err")"
kept=$(sed -n 's/^spotgen: resumed: \([0-9]*\) of 60 parts kept as recorded, \([0-9]*\) generated$/\1/p' "$WORK/err")
[ -n "$kept" ] || fail "no resume summary: $(cat "$WORK/err")"
[ "$kept" -ge 1 ] && [ "$kept" -lt "$before" ] ||
  fail "kept $kept parts of the $before the killed run left (one of them damaged)"
for f in "$WORK/ref"/part-*.csv; do
  cmp -s "$f" "$WORK/ds/$(basename "$f")" || fail "$(basename "$f") differs from the uninterrupted run"
done
[ "$(manifest_without_run "$WORK/ref/_manifest.json")" = "$(manifest_without_run "$WORK/ds/_manifest.json")" ] ||
  fail "the manifest differs from the uninterrupted run's"
left=$(ls -A "$WORK/ds" | grep -v -e '^part-[0-9]*\.csv$' -e '^_SUCCESS$' -e '^_manifest.json$' || true)
[ -z "$left" ] || fail "left behind: $left"
pass "killed with SIGKILL, one part damaged, resumed on 3 ranks: $kept of $before parts kept, the rest generated; byte-identical to an uninterrupted run"

# A finished dataset: every part kept, none rewritten.
stamp=$(stat -c %Y.%N "$WORK/ds/part-00030.csv" 2>/dev/null || stat -c %Y "$WORK/ds/part-00030.csv")
sleep 1
run_np 2 generate "${ARGS[@]}" --out "$WORK/ds" --resume 2>"$WORK/err" || fail "resume of a finished dataset: $(cat "$WORK/err")"
grep -q "resumed: 60 of 60 parts kept as recorded, 0 generated" "$WORK/err" || fail "$(cat "$WORK/err")"
[ "$(stat -c %Y.%N "$WORK/ds/part-00030.csv" 2>/dev/null || stat -c %Y "$WORK/ds/part-00030.csv")" = "$stamp" ] ||
  fail "a kept part was rewritten"
[ -e "$WORK/ds/_SUCCESS" ] || fail "no _SUCCESS after resuming a finished dataset"
pass "resuming a finished dataset keeps all 60 parts untouched"

# --resume where nothing was written yet is an ordinary run, on any -np.
run_np 2 generate --rows 100000 --rows-per-part 50000 --no-progress --out "$WORK/new" --resume 2>"$WORK/err" ||
  fail "resume into a new directory: $(cat "$WORK/err")"
grep -q "resumed: 0 of 2 parts kept as recorded, 2 generated" "$WORK/err" || fail "$(cat "$WORK/err")"
cmp -s "$WORK/new/part-00001.csv" <(run_np 1 generate --rows 100000 --rows-per-part 50000 --no-progress \
  --out "$WORK/new1" 2>/dev/null && cat "$WORK/new1/part-00001.csv") || fail "resume into a new directory: other bytes"
pass "--resume into a directory that does not exist yet, on 2 ranks: an ordinary run"

# Other parameters: refused, nothing changed.
for bad in "--seed 7" "--rows 3000001" "--format csv.zst" "--playlist-size 20" "--overwrite"; do
  rc=0
  # shellcheck disable=SC2086
  "$SPOTGEN" generate "${ARGS[@]}" --out "$WORK/ds" --resume $bad 2>"$WORK/err" || rc=$?
  [ $rc = 2 ] || fail "--resume $bad: exit $rc, not 2"
  [ "$(wc -l <"$WORK/err")" = 1 ] || fail "--resume $bad: not one line: $(cat "$WORK/err")"
  [ -e "$WORK/ds/_SUCCESS" ] || fail "--resume $bad removed _SUCCESS"
done
grep -q "cannot resume\|not both" "$WORK/err" || fail "$(cat "$WORK/err")"
"$SPOTGEN" generate "${ARGS[@]}" --out "$WORK/ds" --resume --seed 7 2>"$WORK/err" || true
grep -q "started with seed 42 (--seed), not 7" "$WORK/err" || fail "the refusal does not name the seed: $(cat "$WORK/err")"
pass "--resume with another seed, rows, format or model, or with --overwrite: one line, exit 2, the dataset untouched"

# A part damaged without changing its size: its CRC-32, read back, tells it
# (a resume that checked sizes alone would keep it).
flip_byte "$WORK/ds/part-00017.csv" 0.5
cmp -s "$WORK/ref/part-00017.csv" "$WORK/ds/part-00017.csv" && fail "the byte was not changed"
run_np 2 generate "${ARGS[@]}" --out "$WORK/ds" --resume 2>"$WORK/err" || fail "resume after a flipped byte: $(cat "$WORK/err")"
grep -q "resumed: 59 of 60 parts kept as recorded, 1 generated" "$WORK/err" || fail "$(cat "$WORK/err")"
cmp -s "$WORK/ref/part-00017.csv" "$WORK/ds/part-00017.csv" || fail "the part of the same size with a flipped byte was kept"
pass "a part of the right size with one byte changed is generated again (its CRC-32 read back), the other 59 kept"
