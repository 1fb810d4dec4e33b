#!/usr/bin/env bash
# `spotgen fit`: a model fitted from a dataset generates that dataset's
# structure again (the round trip, measured by DuckDB); it reads CSV and
# Parquet alike; groups that are not categories join the nearest category;
# and a hostile sample is refused with one line, exit 2, nothing written.
source "$(dirname "$0")/lib.sh"
[ -d "$TESTS/node/node_modules/@duckdb/node-api" ] ||
  fail "DuckDB is not installed: run 'npm ci --prefix tests/node' (scripts/test.sh does)"
needs python3
cd "$WORK"

# A config unlike the built-in one, over a flat catalogue: most rows are
# distinct tracks, so 200,000 rows measure the model and not a few hits.
cat >flat.json <<'EOF'
{"catalog": {"crossover": 0, "tracks": 2000000, "track_exponent": 1.05, "track_offset": 1000000}}
EOF
cat >base.json <<'EOF'
{"categories": {"party": {"share": 0.30}, "chill": {"share": 0.18},
  "sleep": {"energy": {"mean": 0.28, "sd": 0.15},
            "correlations": {"acousticness": {"instrumentalness": 0.6}}}},
 "catalog": {"crossover": 0, "tracks": 2000000, "track_exponent": 1.05, "track_offset": 1000000}}
EOF
"$SPOTGEN" generate --rows 200000 --rows-per-part 100000 --config base.json --out a --no-progress 2>/dev/null

# --- the round trip ----------------------------------------------------------
"$SPOTGEN" fit a --group playlist_category --config flat.json -o model.json >report.txt ||
  fail "fit refused spotgen's own dataset: $(cat report.txt)"
grep -q '^fit: 200000 rows of a; --group playlist_category: 5 groups into the categories' report.txt ||
  fail "the report does not say what it fitted: $(head -3 report.txt)"
grep -q '^  party    share 0.30[0-9]: party$' report.txt || fail "party's share: $(grep party report.txt | head -1)"
grep -q '^  all      largest gap 0.0' report.txt || fail "the report's whole-sample correlations: $(grep 'largest gap' report.txt)"
grep -q '^  instrumentalness$' report.txt || fail "the report shows no quantiles of instrumentalness"
python3 - <<'EOF' || fail "the model file"
import json
m = json.load(open("model.json"))
for cat in ("workout", "sleep", "party", "chill", "focus"):
    c = m["categories"][cat]
    for f in ("energy", "loudness", "tempo", "instrumentalness", "duration_ms"):
        q = c[f]["quantiles"]
        assert len(q) == 257 and q == sorted(q), (cat, f)
    assert len([1 for a in c["correlations"].values() for _ in a]) == 45, cat
assert abs(m["categories"]["party"]["share"] - 0.30) < 0.02
assert m["catalog"]["track_exponent"] == 1.05      # from --config
assert m["_fit"]["rows"] == 200000 and m["_fit"]["categories"]["sleep"] == "sleep"
EOF
"$SPOTGEN" generate --rows 200000 --rows-per-part 100000 --seed 7 --config model.json --out b --no-progress 2>/dev/null
node "$TESTS/node/fit_check.mjs" a b
# verify gives B the verdicts it gives A (the flat catalogue fails the same
# popularity-and-rows check in both), where it checks both alike: B's model
# is fitted, so TARGETS.md's figures of the built-in model are not its own
# (skipped) and its features' means and sds are held to its prediction
"$SPOTGEN" verify a --json >va.json || true
"$SPOTGEN" verify b --json >vb.json || true
python3 - <<'EOF' || fail "verify's verdicts differ between A and the fitted model's B"
import json
va, vb = (json.load(open(f)) for f in ("va.json", "vb.json"))
def verdicts(v):
    return {r["target"]: r["result"] for r in v["results"] if r["result"] != "skip"}
a, b = verdicts(va), verdicts(vb)
common = set(a) & set(b)
diff = {k: (a[k], b[k]) for k in common if a[k] != b[k]}
assert not diff and len(common) >= 30, (diff, len(common))
held = [r for r in vb["results"] if r["target"] in ("energy mean", "energy sd", "tempo mean", "duration_ms mean")]
assert all(r["result"] == "pass" and r["range"] != "0.6 .. 0.7" for r in held), held
print(f"ok - verify: {sum(a[k] == 'pass' for k in common)} of {len(common)} checks pass in A and in B alike")
EOF
pass "fit: the fitted model reproduces the config's structure (DuckDB) and verify's verdicts"

# a sample of two categories: the others get no playlists, and verify skips
# their checks rather than failing them
python3 - <<'EOF'
import csv, glob
with open("two.csv", "w", newline="") as out:
    w = None
    for path in sorted(glob.glob("a/part-*.csv")):
        for row in csv.DictReader(open(path, newline="")):
            if row["playlist_category"] in ("party", "sleep"):
                if w is None:
                    w = csv.DictWriter(out, fieldnames=list(row))
                    w.writeheader()
                w.writerow(row)
EOF
"$SPOTGEN" fit two.csv --group playlist_category -o two.json >two.txt
grep -q '^  focus    share 0.000: no group' two.txt || fail "focus without a group: $(grep focus two.txt | head -1)"
"$SPOTGEN" generate --rows 100000 --config two.json --out t --no-progress 2>/dev/null
"$SPOTGEN" verify t >vt.txt || fail "verify of a two-category model: $(grep FAIL vt.txt)"
grep -q 'within focus: .*skip: the category has no playlists' vt.txt || fail "focus's check is not skipped"
pass "fit: categories no group joins get no playlists, and verify skips their checks"

# --- Parquet reads as CSV does ------------------------------------------------
"$SPOTGEN" generate --rows 60000 --config base.json --out s --no-progress 2>/dev/null
"$SPOTGEN" generate --rows 60000 --config base.json --format parquet --out sp --no-progress 2>/dev/null
"$SPOTGEN" fit s --group playlist_category -o model_csv.json >/dev/null
"$SPOTGEN" fit sp --group playlist_category -o model_pq.json >/dev/null
python3 - <<'EOF' || fail "the model fitted from Parquet differs from the one fitted from CSV"
import json
a, b = (json.load(open(f)) for f in ("model_csv.json", "model_pq.json"))
for m in (a, b):
    del m["_fit"]["sample"]
assert a == b
EOF
pass "fit: the same rows as Parquet give the same model"

# --- groups that are not categories -------------------------------------------
python3 - <<'EOF'
import csv, glob
genre = {"workout": "metal", "sleep": "ambient", "party": "Party", "chill": "lo-fi", "focus": "classical"}
with open("genres.csv", "w", newline="") as out:
    w = None
    for path in sorted(glob.glob("s/part-*.csv")):
        with open(path, newline="") as f:
            r = csv.DictReader(f)
            if w is None:
                w = csv.DictWriter(out, fieldnames=["track_genre"] + [c for c in r.fieldnames if c != "playlist_category"])
                w.writeheader()
            for row in r:
                row["track_genre"] = genre[row.pop("playlist_category")]
                w.writerow(row)
EOF
"$SPOTGEN" fit genres.csv --group track_genre -o genres.json >genres.txt
python3 - <<'EOF' || fail "genres joined the wrong categories: $(grep share genres.txt)"
import json
m = json.load(open("genres.json"))
want = {"metal": "workout", "ambient": "sleep", "Party": "party", "lo-fi": "chill", "classical": "focus"}
assert m["_fit"]["categories"] == want, m["_fit"]["categories"]
EOF
pass "fit: a group named after a category (in any case) is it; genres join the category whose profile is nearest"

# --- a hostile sample ------------------------------------------------------------
# sample.csv: 600 rows with the nine features, duration and popularity, and a group
python3 - <<'EOF'
import csv
rows = list(csv.DictReader(open("a/part-00000.csv", newline="")))[:600]
cols = ["danceability", "energy", "loudness", "speechiness", "acousticness", "instrumentalness", "liveness",
        "valence", "tempo", "duration_ms", "popularity_score", "playlist_category"]
def write(name, rows, cols=cols, bom=False):
    with open(name, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in rows:
            w.writerow([r[c] for c in cols])
write("sample.csv", rows)
write("bom.csv", rows, bom=True)
def changed(name, col, value, at=(7,)):
    rs = [dict(r) for r in rows]
    for i in at:
        rs[i][col] = value
    write(name, rs)
changed("text.csv", "energy", "abc")
changed("nan.csv", "valence", "nan")
changed("inf.csv", "tempo", "inf")
changed("empty_cell.csv", "energy", "")
changed("percent.csv", "energy", "73", at=range(0, 600, 50))
changed("loud.csv", "loudness", "1.5", at=(3, 9, 11))
changed("constant.csv", "tempo", "120", at=range(600))
changed("tiny.csv", "playlist_category", "tiny", at=range(5))
write("no_liveness.csv", rows, [c for c in cols if c != "liveness"])
write("small.csv", rows[:50])
open("header_only.csv", "w").write(",".join(cols) + "\n")
open("empty.csv", "w").close()
open("bad_quote.csv", "w").write(",".join(cols) + "\n" + '"0.5,0.6\n')
EOF
refused() { # refused MESSAGE ARGS... : exit 2, that one line, no model
  local want=$1
  shift
  rm -f out.json
  local rc=0
  "$SPOTGEN" fit "$@" -o out.json >stdout.txt 2>stderr.txt || rc=$?
  [ "$rc" = 2 ] || fail "fit $* exits $rc, not 2: $(cat stderr.txt)"
  [ "$(wc -l <stderr.txt)" = 1 ] || fail "fit $* says more than one line: $(cat stderr.txt)"
  grep -qF -- "$want" stderr.txt || fail "fit $*: '$(cat stderr.txt)' does not say '$want'"
  [ ! -e out.json ] || fail "fit $* wrote out.json"
  [ ! -s stdout.txt ] || fail "fit $* printed a report"
}
refused "record 9: energy is 'abc', not a finite number" text.csv
refused "record 9: valence is 'nan', not a finite number" nan.csv
refused "record 9: tempo is 'inf', not a finite number" inf.csv
refused "record 9: energy is empty" empty_cell.csv
refused "2.0% of energy's values are outside 0 .. 1" percent.csv
refused "tempo is 120 in every row" constant.csv
refused "group 'tiny' has 5 rows; fit needs at least 100" tiny.csv --group playlist_category
refused "no column liveness; fit needs the nine audio features" no_liveness.csv
refused "no column genre, which --group names" sample.csv --group genre
refused "no rows" header_only.csv
refused "small.csv: 50 rows; fit needs at least 100" small.csv
refused "empty" empty.csv
refused "bad_quote.csv" bad_quote.csv
refused "no such file or folder" nothing.csv
refused "fit reads a sample written as CSV" model.json
touch out_exists.json
rc=0
"$SPOTGEN" fit sample.csv -o out_exists.json 2>stderr.txt || rc=$?
[ "$rc" = 2 ] && grep -q "already exists; add --overwrite" stderr.txt && [ ! -s out_exists.json ] ||
  fail "fit replaced a file without --overwrite ($rc): $(cat stderr.txt)"
pass "fit: a hostile sample is refused with one line naming the record or column, exit 2, nothing written"

# a few values beyond a column's range (real loudness above 0 dB) are kept at
# the range's end and counted; a byte order mark before the header is skipped
"$SPOTGEN" fit loud.csv -o loud.json >loud.txt || fail "fit refused 3 loud values in 600: $(cat loud.txt)"
grep -q 'loudness: 3 values outside -60 .. 0 taken as the nearest end' loud.txt || fail "the report does not count them"
"$SPOTGEN" fit bom.csv -o bom.json >/dev/null || fail "fit refused a CSV with a byte order mark"
"$SPOTGEN" fit sample.csv -o - 2>report.txt | python3 -c 'import json, sys; json.load(sys.stdin)' ||
  fail "-o - does not write the model to standard output"
grep -q '^fit: 600 rows of sample.csv, one group' report.txt || fail "-o -: the report is not on standard error"
pass "fit: values just past a range are counted, a BOM is skipped, -o - streams the model"
