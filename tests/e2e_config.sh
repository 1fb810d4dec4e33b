#!/usr/bin/env bash
# --config: the example file is the built-in model exactly; a changed profile
# or correlation target moves what verify measures; catalog flags take
# effect; an invalid config is refused in one line naming the key, exit 2,
# nothing written, alone and under mpiexec.
source "$(dirname "$0")/lib.sh"
EXAMPLE="$TESTS/../examples/config.json"

run_np 0 generate --rows 20000 --out "$WORK/plain" --no-progress 2>/dev/null
run_np 2 generate --rows 20000 --out "$WORK/example" --config "$EXAMPLE" --no-progress 2>/dev/null
cmp "$WORK/plain/part-00000.csv" "$WORK/example/part-00000.csv" ||
  fail "examples/config.json does not reproduce the built-in model"
pass "examples/config.json is the built-in model: same bytes with and without it"

cat >"$WORK/change.json" <<'JSON'
{"_comment": "quieter sleep tracks, a weaker loudness link, fewer and longer playlists that hold only their category's tracks (so a category's rows have its tracks' means)",
 "categories": {"sleep": {"energy": {"mean": 0.45, "sd": 0.12}}},
 "correlations": {"energy": {"loudness": 0.6}},
 "catalog": {"playlist_median": 200, "crossover": 0}}
JSON
run_np 2 generate --rows 600000 --rows-per-part 200000 --out "$WORK/changed" --config "$WORK/change.json" --artists 777 --no-progress 2>/dev/null
"$SPOTGEN" verify "$WORK/changed" --json >"$WORK/changed.json" || true
"$SPOTGEN" verify "$WORK/example" --json >"$WORK/example.json" || true
python3 - "$WORK/changed.json" "$WORK/example.json" "$WORK/changed/_manifest.json" <<'PY' || fail "the config's changes are not what verify measures"
import json, sys
v = json.load(open(sys.argv[1])); base = json.load(open(sys.argv[2])); m = json.load(open(sys.argv[3]))
cats = v["stats"]["categories"]
sleep = cats["sleep"]["means"]["energy"]
assert abs(sleep - 0.45) < 0.01, f"sleep energy mean {sleep}, configured 0.45"
for c in ("workout", "party", "chill", "focus"):     # the others keep their built-in means
    want = {"workout": 0.80, "party": 0.78, "chill": 0.55, "focus": 0.52}[c]
    assert abs(cats[c]["means"]["energy"] - want) < 0.01, (c, cats[c]["means"]["energy"])
names = v["stats"]["correlation"]["columns"]
r = v["stats"]["correlation"]["matrix"][names.index("energy")][names.index("loudness")]
assert abs(r - 0.6) < 0.02, f"r(energy, loudness) {r}, configured 0.6"
check = {x["target"]: x for x in v["results"]}["r(energy, loudness)"]
assert check["result"] == "pass" and abs(check["min"] - 0.55) < 1e-9, check   # the range follows the config
assert m["config"]["categories"]["sleep"]["energy"]["mean"] == 0.45
assert m["dataset"]["artists"] == 777 and m["config"]["catalog"]["artists"] == 777
rows = v["stats"]["rows"]; playlists = v["stats"]["playlists"]["count"]
assert 120 < rows / playlists < 400, f"{rows / playlists} rows per playlist with a median of 200"
PY
pass "a config that changes a profile, a correlation and the catalog changes the measured means, r and sizes"

printf '{"categories": {"workout": {"enrgy": {"mean": 0.5}}}}' >"$WORK/c1.json"
printf '{"categories": {"sleep": {"energy": {"mean": 1.5, "sd": 0.1}}}}' >"$WORK/c2.json"
printf '{"categories": {"sleep": {"share": 0.5}}}' >"$WORK/c3.json"
printf '{"correlations": {"energy": {"acousticness": -0.99}}}' >"$WORK/c4.json"
printf '{"correlations": {"energy": {"loudness": 0.8, "acousticness": -0.6}, "loudness": {"acousticness": 0.3}}}' >"$WORK/c5.json"
printf '{"catalog": {"artist_exponent": 2}}' >"$WORK/c6.json"
printf '{"catalog": {"artists": 10,}' >"$WORK/c7.json"
printf '{"colour": "blue"}' >"$WORK/c8.json"
for n in 0 2; do
  for c in "c1 categories.workout.enrgy" "c2 categories.sleep.energy" "c3 share" \
           "c4 correlations.energy.acousticness" "c5 cannot all hold" "c6 catalog.artist_exponent" \
           "c7 JSON" "c8 colour" "missing cannot read"; do
    set -- $c
    rc=0; err=$(run_np "$n" generate --rows 1000 --out "$WORK/out" --config "$WORK/$1.json" 2>&1) || rc=$?
    [ "$rc" = 2 ] || fail "-np $n $1: exit $rc ($err)"
    ours=$(grep '^spotgen: ' <<<"$err")
    [ "$(wc -l <<<"$ours")" = 1 ] || fail "-np $n $1: not one line: $err"
    grep -qF -- "${c#* }" <<<"$ours" || fail "-np $n $1: message does not name '${c#* }': $ours"
    [ ! -e "$WORK/out" ] || fail "-np $n $1: wrote $WORK/out"
  done
done
pass "invalid configs exit 2 with one line naming the key, and write nothing"
