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

# same_parts A B EXT N WHY : every part of data and of ledger in A
# (part-*.EXT, _dirty/part-*.EXT) has the same bytes in B, else fail saying
# it differs WHY; and there are N of them (N empty: any number).
same_parts() {
  local a=$1 b=$2 ext=$3 want=$4 why=$5 f rel n=0
  for f in "$a"/part-*."$ext" "$a"/_dirty/part-*."$ext"; do
    rel=${f#"$a/"}
    cmp -s "$f" "$b/$rel" || fail "$rel differs $why"
    n=$((n + 1))
  done
  [ -z "$want" ] || [ $n = "$want" ] || fail "$n $ext files of data and ledger, not $want"
}

# killed_and_resumed EXT OBJECTS ARGS... : generate ARGS into $WORK/ref-EXT
# uninterrupted, and into $WORK/res-EXT killed with SIGKILL once the ledger's
# fourth part is committed, then resumed on 3 ranks keeping some of the
# OBJECTS recorded: every part of data and ledger must be the same bytes.
killed_and_resumed() {
  local ext=$1 objects=$2
  shift 2
  run_np 2 generate "$@" --out "$WORK/ref-$ext" 2>/dev/null
  killed_when "$WORK/res-$ext" "_dirty/part-00003.$ext" 2 generate "$@" --out "$WORK/res-$ext"
  run_np 3 generate "$@" --out "$WORK/res-$ext" --resume 2>"$WORK/err" || fail "resume ($ext): $(cat "$WORK/err")"
  grep -q "^spotgen: resumed: [1-9][0-9]* of $objects parts kept" "$WORK/err" || fail "nothing kept: $(cat "$WORK/err")"
  same_parts "$WORK/ref-$ext" "$WORK/res-$ext" "$ext" "" "from the uninterrupted run's after --resume"
}
ARGS=(--rows 100000 --rows-per-part 30000 --no-progress)

run_np 2 generate "${ARGS[@]}" --out "$WORK/clean" 2>/dev/null
run_np 1 generate "${ARGS[@]}" --dirty hostile --out "$WORK/d1" 2>/dev/null
run_np 3 generate "${ARGS[@]}" --dirty hostile --out "$WORK/d3" 2>"$WORK/err" || fail "generate --dirty: $(cat "$WORK/err")"
grep -q "100,000 rows in 4 parts with their ledger" "$WORK/err" || fail "the summary: $(cat "$WORK/err")"
same_parts "$WORK/d1" "$WORK/d3" csv 8 "between -np 1 and -np 3"
[ "$(manifest_without_run "$WORK/d1/_manifest.json")" = "$(manifest_without_run "$WORK/d3/_manifest.json")" ] ||
  fail "the manifests of -np 1 and -np 3 differ"
python3 "$TESTS/dirty_check.py" "$WORK/clean" "$WORK/d3" >"$WORK/check.out" || fail "the dirty data against the clean"
pass "--dirty hostile: data and ledger identical for -np 1 and 3; $(cat "$WORK/check.out")"

# csv.gz: a gzip member per 4 MiB of text, the same members for any -np (at
# this size 0.8.0's were not, in two parts of five).
if full_size; then
  GZ=(--rows 300000 --rows-per-part 70000 --dirty hostile --format csv.gz --no-progress)
  run_np 1 generate "${GZ[@]}" --out "$WORK/g1" 2>/dev/null
  run_np 3 generate "${GZ[@]}" --out "$WORK/g3" 2>/dev/null
  same_parts "$WORK/g1" "$WORK/g3" csv.gz 10 "between -np 1 and -np 3"
  pass "--dirty hostile as csv.gz: data and ledger identical for -np 1 and 3"
fi

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
# (The sanitizer stage, which runs the same code on a smaller run: 150,000 rows.)
SIZE=(--rows 1500000 --rows-per-part 50000)
full_size || SIZE=(--rows 150000 --rows-per-part 5000)
BIG=("${SIZE[@]}" --dirty realistic --no-progress)
killed_and_resumed csv 60 "${BIG[@]}"
[ "$(manifest_without_run "$WORK/ref-csv/_manifest.json")" = "$(manifest_without_run "$WORK/res-csv/_manifest.json")" ] ||
  fail "the manifest after --resume differs from the uninterrupted run's"
pass "killed with SIGKILL and resumed on 3 ranks: data, ledger and manifest identical to an uninterrupted run"
rc=0
"$SPOTGEN" generate "${SIZE[@]}" --dirty light --no-progress --out "$WORK/res-csv" --resume \
  2>"$WORK/err" || rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q "started with --dirty realistic, not light" "$WORK/err" ||
  fail "--resume with other --dirty rates (exit $rc): $(cat "$WORK/err")"
pass "--resume with another --dirty profile is refused in one line naming both"

# --overwrite replaces a dirty dataset with a clean one: no ledger is left.
run_np 2 generate "${ARGS[@]}" --out "$WORK/d3" --overwrite 2>/dev/null
[ ! -e "$WORK/d3/_dirty" ] || fail "--overwrite left the old ledger: $(ls "$WORK/d3/_dirty")"
cmp -s "$WORK/clean/part-00000.csv" "$WORK/d3/part-00000.csv" || fail "the clean data after --overwrite"
pass "--overwrite of a dirty dataset with a clean one removes the ledger"

refused "--dirty grimy" "--dirty grimy: no such profile; give light, realistic, hostile or a FILE.json"
refused "--dirty light --tables" "--dirty corrupts the flat table; give --dirty or --tables, not both"
echo '{"missing": {"rate": 0.7}, "bad_date": {"rate": 0.4}}' >"$WORK/over.json"
refused "--dirty $WORK/over.json" "--dirty $WORK/over.json: the rates of column release_date add up to 1.1 in workout playlists; a cell takes one kind at most, so they may add up to 1"
echo '{"missing": {"rate": 0.1}} // more' >"$WORK/trail.json"
refused "--dirty $WORK/trail.json" "--dirty $WORK/trail.json: not valid JSON, or more than one value (near line 1); check the syntax"
refused "--dirty $WORK/none.json" "--dirty $WORK/none.json: cannot read it: No such file or directory"
rc=0
"$SPOTGEN" verify "$WORK/d1" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$WORK/v.out")" = 1 ] && grep -q "a dirty dataset (generate --dirty)" "$WORK/v.out" ||
  fail "verify of a dirty dataset (exit $rc): $(cat "$WORK/v.out")"
pass "bad --dirty input refused in one line (profile, --tables, rates over 1, trailing text, no file); verify says why it does not check a dirty dataset"

# The report shows the dirt: a row per kind and column, with the manifest's count.
rc=0
"$SPOTGEN" report "$WORK/d1" -o "$WORK/report.html" 2>"$WORK/report.err" || rc=$?
[ $rc = 0 ] || [ $rc = 5 ] || fail "report of a dirty dataset (exit $rc): $(cat "$WORK/report.err")" # 5: a target of 100,000 rows failed
python3 - "$WORK/report.html" "$WORK/d1/_manifest.json" <<'PY' || fail "the report's dirt table"
import json, re, sys
page, m = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
shown = {(k, c): int(n) for k, c, n in re.findall(r'<tr data-kind="([a-z_]+)" data-column="([a-z_]+)" data-count="(\d+)">', page)}
want = {(k, c): n for k, by in m["dirty"]["counts"].items() for c, n in by.items()}
assert 'data-item="dirt"' in page and shown == want, sorted(set(shown.items()) ^ set(want.items()))[:5]
PY
pass "report: a table of the dirt by kind and column, the manifest's counts"

# spotgen score: the reference cleaning (examples/clean_dirty.py, pandas)
# scores 1.0 on the kinds it mends from the value alone and on duplicates;
# the no-op cleaning (the dirty data itself) gets its true, lower score:
# nothing fixed or removed, every dirty cell still wrong.
/usr/bin/python3 -c 'import pandas' 2>/dev/null || fail "python3-pandas is missing (scripts/test.sh installs it)"
/usr/bin/python3 "$TESTS/../examples/clean_dirty.py" "$WORK/d1" "$WORK/cleaned.csv" 2>/dev/null ||
  fail "examples/clean_dirty.py failed"
"$SPOTGEN" score "$WORK/cleaned.csv" --truth "$WORK/d1" --json >"$WORK/score.json" || fail "score of the cleaning"
"$SPOTGEN" score "$WORK/d1" --truth "$WORK/d1" --json >"$WORK/noop.json" || fail "score of the no-op cleaning"
"$SPOTGEN" score "$WORK/cleaned.csv" --truth "$WORK/d1" >"$WORK/score.txt" || fail "score as a table"
python3 - "$WORK/score.json" "$WORK/noop.json" "$WORK/d1/_manifest.json" <<'PY' || fail "the scores"
import json, sys
s, noop, m = (json.load(open(p)) for p in sys.argv[1:])
def cells(x, kind):
    return [c for c in x["cells"] if c["kind"] == kind]
for kind in ("number_format", "whitespace", "mojibake", "category_variant"):
    assert cells(s, kind) and all(c["precision"] == 1 and c["recall"] == 1 for c in cells(s, kind)), cells(s, kind)
d = s["duplicates"]
assert (d["precision"], d["recall"], d["recall_duplicate"], d["recall_near_duplicate"]) == (1, 1, 1, 1), d
bad = cells(s, "bad_date")[0]
assert bad["precision"] == 1 and 0.6 < bad["recall"] < 1, bad  # a year alone cannot be mended from the value
assert s["overall"]["precision"] > 0.999 and s["overall"]["recall"] > 0.8, s["overall"]
dups = m["dirty"]["counts"]["duplicate"]["rows"]
assert noop["duplicates"]["removed"] == 0 and noop["duplicates"]["recall"] == 0, noop["duplicates"]
assert all(c["fixed"] == 0 and c["recall"] == 0 for c in noop["cells"]), noop["cells"][:2]
wrong = sum(c["still_wrong"] for c in noop["columns"].values())
assert wrong == m["dirty"]["ledger_rows"] - dups, (wrong, m["dirty"]["ledger_rows"], dups)
assert noop["overall"]["recall"] == 0 and s["overall"]["cells_still_wrong"] < wrong / 5, (s["overall"], wrong)
print(f"reference cleaning: recall {s['overall']['recall']:.3f}, precision {s['overall']['precision']:.4f}; "
      f"no-op: {wrong} cells still wrong")
PY
grep -q "^number_format    energy .* 1.0000     1.0000$" "$WORK/score.txt" || fail "the table: $(head -20 "$WORK/score.txt")"
pass "score: the pandas reference cleaning 1.0 on number_format, whitespace, mojibake, category_variant and duplicates; the no-op cleaning nothing fixed or removed"

# Partial scores recomputed from the files alone (tests/score_check.py, from
# docs/dirty.md's definitions): the pandas cleaning's, and a cleaning made
# here to be partial everywhere: of the dirty cells a quarter mended, a
# quarter given a wrong value, a quarter emptied, a quarter left; of the
# duplicated rows, every other loses a copy, one loses every member.
"$SPOTGEN" schema >"$WORK/schema.json"
python3 "$TESTS/score_check.py" "$WORK/d1" "$WORK/cleaned.csv" "$WORK/score.json" "$WORK/schema.json" ||
  fail "score of the pandas cleaning differs from the recomputation"
python3 - "$WORK/d1" "$WORK/partial.csv" <<'PY' || fail "making the partial cleaning"
import csv, glob, os, sys
truth, out = sys.argv[1:3]
ledger = [r for p in sorted(glob.glob(os.path.join(truth, "_dirty", "*.csv")))
          for r in csv.DictReader(open(p, newline="", encoding="utf-8"))]
cells = [r for r in ledger if r["kind"] not in ("duplicate", "near_duplicate")]
groups = {}
for r in ledger:
    if r["kind"] in ("duplicate", "near_duplicate"):
        groups.setdefault(r["duplicate_of"], []).append(r["row_key"])
drop = set()
for i, (original, copies) in enumerate(sorted(groups.items())):
    if i == 0:
        drop |= {original, *copies}
    elif i % 2:
        drop.add(copies[0])
edit = {}
for i, c in enumerate(cells):
    edit[(c["row_key"], c["column"])] = [c["clean_value"], "-999" if c["column"] != "release_date" else "1999-01-01", "", None][i % 4]
rows = [r for p in sorted(glob.glob(os.path.join(truth, "part-*.csv")))
        for r in csv.DictReader(open(p, newline="", encoding="utf-8"))]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    for r in rows:
        if r["row_key"] in drop:
            continue
        for col in r:
            v = edit.get((r["row_key"], col))
            if v is not None:
                r[col] = v
        w.writerow(r)
PY
"$SPOTGEN" score "$WORK/partial.csv" --truth "$WORK/d1" --json >"$WORK/partial.json" || fail "score of the partial cleaning"
python3 "$TESTS/score_check.py" "$WORK/d1" "$WORK/partial.csv" "$WORK/partial.json" "$WORK/schema.json" >"$WORK/check.txt" ||
  fail "score of the partial cleaning differs from the recomputation"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["duplicates"]; assert 0 < d["precision"] < 1 and 0 < d["recall"] < 1, d' \
  "$WORK/partial.json" || fail "the partial cleaning's duplicates are not partial"
pass "score's precision and recall, per kind and column and for duplicates, equal a recomputation from the files: $(cat "$WORK/check.txt")"

# The same cleaning as Windows and Excel write it (CRLF, a byte-order mark), in
# shuffled gzip parts: the same scores.
python3 - "$WORK/cleaned.csv" "$WORK/parts" <<'PY'
import gzip, os, random, sys
lines = open(sys.argv[1], newline="").read().splitlines(keepends=True)
head, body = lines[0], lines[1:]
random.Random(1).shuffle(body)
os.makedirs(sys.argv[2])
for k in range(3):
    with gzip.open(os.path.join(sys.argv[2], f"part-{k}.csv.gz"), "wb") as f:
        f.write(("\ufeff" + head + "".join(body[k::3])).replace("\n", "\r\n").encode())
PY
"$SPOTGEN" score "$WORK/parts" --truth "$WORK/d1" --json >"$WORK/parts.json" || fail "score of the parts: $(cat "$WORK/parts.json")"
python3 - "$WORK/score.json" "$WORK/parts.json" <<'PY' || fail "the shuffled, CRLF, gzip parts score otherwise"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for x in (a, b):
    x.pop("cleaned")
sys.exit(a != b)
PY
pass "score: the same cleaning in shuffled gzip parts with CRLF and a byte-order mark scores the same"

# A second reference cleaning, in DuckDB SQL (examples/clean_dirty.sql), run by
# DuckDB: its CSV (DuckDB's own writing) scores 1.0 on the kinds it mends,
# and nothing on mojibake, which it leaves.
if readers; then
  node "$TESTS/node/clean_sql.mjs" "$TESTS/../examples/clean_dirty.sql" "$WORK/d1" "$WORK/sql.csv" >/dev/null ||
    fail "examples/clean_dirty.sql failed"
  "$SPOTGEN" score "$WORK/sql.csv" --truth "$WORK/d1" --json >"$WORK/sql.json" || fail "score of the SQL cleaning"
  python3 - "$WORK/sql.json" <<'PY' || fail "the SQL cleaning's scores"
import json, sys
s = json.load(open(sys.argv[1]))
by = lambda kind: [c for c in s["cells"] if c["kind"] == kind]
for kind in ("number_format", "whitespace", "category_variant"):
    assert by(kind) and all(c["precision"] == 1 and c["recall"] == 1 for c in by(kind)), by(kind)
assert all(c["fixed"] == 0 for c in by("mojibake")), by("mojibake")
assert (s["duplicates"]["precision"], s["duplicates"]["recall"]) == (1, 1), s["duplicates"]
assert s["overall"]["clean_cells_broken"] == 0 and s["overall"]["precision"] == 1, s["overall"]
PY
  pass "score: the DuckDB SQL reference cleaning 1.0 on number_format, whitespace, category_variant and duplicates, 0 on mojibake, no clean cell broken"
fi

score_refused() { # LINE ARGS... : exit 2, the one line "spotgen: LINE"
  local want="spotgen: $1" rc=0
  shift
  "$SPOTGEN" score "$@" >"$WORK/s.out" 2>&1 || rc=$?
  [ $rc = 2 ] && [ "$(cat "$WORK/s.out")" = "$want" ] ||
    fail "score $* (exit $rc): expected '$want', got: $(cat "$WORK/s.out")"
}
score_refused "$WORK/clean/part-00000.csv has no row_key column: keep generate --dirty's row_key through the cleaning" \
  "$WORK/clean/part-00000.csv" --truth "$WORK/d1"
score_refused "--truth $WORK/clean: not a dirty dataset (no dataset.dirty in its manifest); give the folder generate --dirty wrote" \
  "$WORK/cleaned.csv" --truth "$WORK/clean"
mkdir "$WORK/pq" && echo PAR1 >"$WORK/pq/part-0.parquet"
score_refused "$WORK/pq/part-0.parquet: not a readable Parquet file: no PAR1 magic at its start and end" "$WORK/pq" --truth "$WORK/d1"
echo nothing >"$WORK/notes.txt"
score_refused "$WORK/notes.txt: score reads a cleaning written as CSV (.csv, .csv.gz, .csv.zst) or Parquet (.parquet)" \
  "$WORK/notes.txt" --truth "$WORK/d1"
score_refused "missing --truth DIR: the dataset generate --dirty wrote (its manifest and _dirty/ ledger)" "$WORK/cleaned.csv"
score_refused "$WORK/nothing: no such file or folder; give the cleaning as a CSV file or a folder of them" \
  "$WORK/nothing" --truth "$WORK/d1"
pass "score refuses, in one line with exit 2: no row_key, a clean dataset as truth, a damaged Parquet file, a text file, no --truth, no such cleaning"

# In Parquet: typed OPTIONAL columns, a missing value a null, and no dirty
# value its column's type cannot hold; the same bytes for -np 1 and 3 and
# after a run killed with SIGKILL is resumed.
run_np 1 generate "${ARGS[@]}" --dirty hostile --format parquet --out "$WORK/p1" 2>/dev/null
run_np 3 generate "${ARGS[@]}" --dirty hostile --format parquet --out "$WORK/p3" 2>"$WORK/err" ||
  fail "generate --dirty --format parquet: $(cat "$WORK/err")"
same_parts "$WORK/p1" "$WORK/p3" parquet 8 "between -np 1 and -np 3"
[ "$(manifest_without_run "$WORK/p1/_manifest.json")" = "$(manifest_without_run "$WORK/p3/_manifest.json")" ] ||
  fail "the Parquet manifests of -np 1 and -np 3 differ"
python3 - "$WORK/p1/_manifest.json" <<'PY' || fail "the Parquet dirty manifest"
import json, sys
m = json.load(open(sys.argv[1]))
counts = m["dirty"]["counts"]
assert not counts.get("number_format") and not counts.get("bad_date"), counts  # a DOUBLE or DATE cannot hold them
assert counts["missing"]["tempo"] > 0 and counts["out_of_range"]["popularity_score"] > 0, counts
fields = {f["name"]: f for f in m["schema"]["spark"]["fields"]}
assert fields["energy"]["type"] == "double" and fields["energy"]["nullable"], fields["energy"]
assert "`release_date` date" in m["schema"]["athena_ddl"] and "STORED AS PARQUET" in m["schema"]["athena_ddl"]
PY
if full_size; then
  PBIG=(--rows 360000 --rows-per-part 30000 --dirty realistic --format parquet --no-progress)
  killed_and_resumed parquet 24 "${PBIG[@]}"
fi
pass "--dirty in Parquet: data and ledger identical for -np 1 and 3$(full_size && echo " and after kill -9 and --resume"); no comma decimals or bad dates in typed columns; the schema typed and nullable"

if readers; then
  run_np 2 generate "${ARGS[@]}" --format parquet --out "$WORK/pclean" 2>/dev/null
  node "$TESTS/node/dirty_parquet_check.mjs" "$WORK/pclean" "$WORK/p1" >"$WORK/pcheck.out" ||
    fail "DuckDB's reading of the dirty Parquet"
  pass "DuckDB reads the dirty Parquet: $(sed 's/^ok: //' "$WORK/pcheck.out")"

  # score with a Parquet truth: the no-op cleaning (the dirty data itself) has
  # every missing value left null and nothing fixed; a cleaning in DuckDB,
  # written as Parquet by DuckDB, mends what it handles.
  "$SPOTGEN" score "$WORK/p1" --truth "$WORK/p1" --json >"$WORK/pnoop.json" || fail "score of the Parquet no-op"
  names="track_id, track_name, artist_name, album_name, release_date, playlist_name, playlist_category,
    num_followers, popularity_score, energy, loudness, danceability, valence, tempo, acousticness,
    instrumentalness, speechiness, liveness, duration_ms, key, mode, time_signature, artist_id, playlist_id"
  node "$TESTS/node/to_parquet.mjs" "
    SELECT * EXCLUDE (line) FROM (
      SELECT * REPLACE (regexp_replace(trim(track_name), ' {2,}', ' ', 'g') AS track_name,
                        regexp_replace(trim(artist_name), ' {2,}', ' ', 'g') AS artist_name,
                        regexp_replace(trim(album_name), ' {2,}', ' ', 'g') AS album_name,
                        regexp_replace(trim(playlist_name), ' {2,}', ' ', 'g') AS playlist_name,
                        lower(playlist_category) AS playlist_category),
             row_number() OVER () AS line
      FROM read_parquet('$WORK/p1/part-*.parquet'))
    QUALIFY row_number() OVER (PARTITION BY $names ORDER BY line) = 1" "$WORK/pcleaned.parquet" >/dev/null ||
    fail "the DuckDB cleaning of the Parquet"
  "$SPOTGEN" score "$WORK/pcleaned.parquet" --truth "$WORK/p1" --json >"$WORK/pscore.json" || fail "score of the Parquet cleaning"
  python3 - "$WORK/pnoop.json" "$WORK/pscore.json" "$WORK/p1/_manifest.json" <<'PY' || fail "the scores with a Parquet truth"
import json, sys
noop, s, m = (json.load(open(p)) for p in sys.argv[1:])
by = lambda x, kind: [c for c in x["cells"] if c["kind"] == kind]
missing = by(noop, "missing")
assert missing and all(c["nulled"] == c["dirty"] and c["fixed"] == 0 for c in missing), missing[:2]
assert noop["overall"]["fixed"] == 0 and noop["overall"]["clean_cells_broken"] == 0, noop["overall"]
assert all(c["precision"] == 1 and c["recall"] == 1 for c in by(s, "whitespace")), by(s, "whitespace")
assert all(c["precision"] == 1 and c["recall"] > 0.5 for c in by(s, "category_variant")), by(s, "category_variant")
d = s["duplicates"]
assert d["precision"] == 1 and d["recall_duplicate"] == 1, d
assert s["overall"]["clean_cells_broken"] == 0, s["overall"]
print(f"Parquet no-op: {noop['overall']['cells_still_wrong']} cells still wrong; DuckDB cleaning: recall {s['overall']['recall']:.3f}")
PY
  pass "score with a Parquet truth: the no-op leaves every missing value null and fixes nothing; a DuckDB cleaning written as Parquet 1.0 on whitespace and exact duplicates, no clean cell broken"

  # The pandas cleaning of the CSV, written as Parquet by DuckDB four ways
  # (snappy; zstd with v2 pages and DELTA / BYTE_STREAM_SPLIT encodings;
  # gzip in small row groups; uncompressed): the same scores as the CSV.
  for opt in "" "COMPRESSION zstd, PARQUET_VERSION v2" "COMPRESSION gzip, ROW_GROUP_SIZE 10000" "COMPRESSION uncompressed"; do
    node "$TESTS/node/to_parquet.mjs" "SELECT * FROM read_csv('$WORK/cleaned.csv')" "$WORK/cleaned.parquet" "$opt" \
      >"$WORK/enc.out" || fail "DuckDB's writing of the cleaning as Parquet ($opt)"
    "$SPOTGEN" score "$WORK/cleaned.parquet" --truth "$WORK/d1" --json >"$WORK/pq.json" || fail "score of Parquet ($opt)"
    python3 - "$WORK/score.json" "$WORK/pq.json" <<'PY' || fail "the cleaning as Parquet ($opt, $(cat "$WORK/enc.out")) scores otherwise"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for x in (a, b):
    x.pop("cleaned")
sys.exit(a != b)
PY
    case $opt in *v2*) grep -q "BYTE_STREAM_SPLIT DELTA_BINARY_PACKED DELTA_LENGTH_BYTE_ARRAY" "$WORK/enc.out" ||
      fail "DuckDB's v2 file has other encodings than the test means to read: $(cat "$WORK/enc.out")" ;; esac
  done
  pass "score: the cleaning written as Parquet by DuckDB (snappy, zstd v2 with DELTA and BYTE_STREAM_SPLIT, gzip in small row groups, uncompressed) scores as its CSV"

  # score's Parquet reader against DuckDB's own reading, over the types a
  # cleaning may hold (tests/pq_dump prints what the reader reads).
  node "$TESTS/node/pq_types_check.mjs" "${PQ_DUMP:?set PQ_DUMP to tests/pq_dump}" "$WORK" >"$WORK/types.out" ||
    fail "score's Parquet reader against DuckDB's"
  pass "score's Parquet reader: $(sed 's/^ok: //' "$WORK/types.out")"
fi

# On S3 (moto_server, checking signatures): the same bytes, and score reads
# the truth and the cleaning from there.
if ! full_size; then
  echo "not run in the sanitizer stage: S3 (e2e_s3 runs the same client there)" >&2
elif command -v moto_server >/dev/null && command -v aws >/dev/null; then
  source "$TESTS/s3_lib.sh"
  start_moto
  run_np 2 generate "${ARGS[@]}" --dirty hostile --out "s3://$BUCKET/dirty" 2>"$WORK/err" ||
    fail "generate --dirty to S3: $(cat "$WORK/err")"
  n=0
  for k in $(keys dirty | grep -e '/part-' -e '_manifest'); do
    aws s3 cp --only-show-errors "s3://$BUCKET/$k" "$WORK/s3/${k#dirty/}"
    [ "${k##*/}" = _manifest.json ] || { cmp -s "$WORK/s3/${k#dirty/}" "$WORK/d1/${k#dirty/}" || fail "$k differs from the local run's"; n=$((n + 1)); }
  done
  [ $n = 8 ] || fail "$n parts of data and ledger on S3, not 8"
  aws s3 cp --only-show-errors "$WORK/cleaned.csv" "s3://$BUCKET/cleaned/part-0.csv"
  "$SPOTGEN" score "s3://$BUCKET/cleaned" --truth "s3://$BUCKET/dirty" --json >"$WORK/s3score.json" ||
    fail "score from S3: $(cat "$WORK/s3score.json")"
  python3 - "$WORK/score.json" "$WORK/s3score.json" <<'PY' || fail "the scores from S3 differ from the local ones"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for x in (a, b):
    x.pop("cleaned"), x.pop("truth")
sys.exit(a != b)
PY
  # fit reads a sample from S3 as score reads a cleaning: the same model as from the files
  aws s3 cp --only-show-errors --recursive --exclude '*' --include 'part-*.csv' "$WORK/clean" "s3://$BUCKET/sample"
  "$SPOTGEN" fit "s3://$BUCKET/sample" --group playlist_category -o "$WORK/s3model.json" >/dev/null 2>"$WORK/err" ||
    fail "fit from S3: $(cat "$WORK/err")"
  "$SPOTGEN" fit "$WORK/clean" --group playlist_category -o "$WORK/model.json" >/dev/null
  python3 - "$WORK/model.json" "$WORK/s3model.json" <<'PY' || fail "the model fitted from S3 differs from the local one"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for x in (a, b):
    x["_fit"].pop("sample")
sys.exit(a != b)
PY
  pass "on S3: data and ledger identical to the local run's; score reads truth and cleaning, and fit a sample, from S3 with the same result"
else
  skip_part "moto_server and the aws CLI are not installed"
fi
