#!/usr/bin/env bash
# What generate --dirty and score cost, measured in the same run: one rank
# writing ROWS rows of plain CSV and of each --dirty profile, to null: and
# to tmpfs, 7 runs of each, alternating; the median rows/s of each and the
# median of the 7 ratios of a dirty run to the clean run just before it (a
# shared VM drifts; runs a second apart share its speed); the same for
# --dirty realistic in Parquet against clean Parquet. Then the reference
# cleaning (examples/clean_dirty.py, pandas) of the realistic dataset, and
# `spotgen score` of it and of the no-op cleaning, timed once each, with
# the scores. Writes the section "generate --dirty and score" of
# bench/RESULTS.md.
#
# usage: bench/dirty.sh [ROWS]     (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS=${1:-1000000}
bench_setup python3-pandas
bench_tmp dirty
SPOTGEN=build-bench/spotgen

# seconds ARGS... : wall seconds of `spotgen generate ARGS`, from its summary
seconds() {
  "$SPOTGEN" generate --rows "$ROWS" --rows-per-part 250000 --no-progress "$@" 2>&1 |
    sed -n 's/.* in \([0-9.]*\) s: .*/\1/p'
}

table="| profile | sink | rows/s | clean CSV rows/s | ratio to clean |
|---|---|---|---|---|"
for profile in light realistic hostile; do
  for sink in null tmpfs; do
    out=null:
    [ $sink = tmpfs ] && out="$TMP/ds"
    : >"$TMP/a"; : >"$TMP/b"
    for _ in 1 2 3 4 5 6 7; do
      rm -rf "$TMP/ds"; seconds --out "$out" >>"$TMP/a"
      rm -rf "$TMP/ds"; seconds --out "$out" --dirty $profile >>"$TMP/b"
    done
    clean=$(awk -v r="$ROWS" '{print r / $1}' "$TMP/a" | median)
    dirty=$(awk -v r="$ROWS" '{print r / $1}' "$TMP/b" | median)
    ratio=$(paste "$TMP/a" "$TMP/b" | awk '{printf "%.4f\n", $1 / $2}' | median)
    table+=$'\n'"| $profile | $sink | $(printf %.0f "$dirty") | $(printf %.0f "$clean") | $(printf %.2f "$ratio") |"
  done
done
ptable="| profile | sink | rows/s | clean Parquet rows/s | ratio to clean |
|---|---|---|---|---|"
: >"$TMP/a"; : >"$TMP/b"
for _ in 1 2 3 4 5 6 7; do
  rm -rf "$TMP/ds"; seconds --out "$TMP/ds" --format parquet >>"$TMP/a"
  rm -rf "$TMP/ds"; seconds --out "$TMP/ds" --format parquet --dirty realistic >>"$TMP/b"
done
clean=$(awk -v r="$ROWS" '{print r / $1}' "$TMP/a" | median)
dirty=$(awk -v r="$ROWS" '{print r / $1}' "$TMP/b" | median)
ratio=$(paste "$TMP/a" "$TMP/b" | awk '{printf "%.4f\n", $1 / $2}' | median)
ptable+=$'\n'"| realistic | tmpfs | $(printf %.0f "$dirty") | $(printf %.0f "$clean") | $(printf %.2f "$ratio") |"
echo "$table"
echo "$ptable"
# score reading Parquet: the no-op cleaning of the dirty Parquet just written
start=$(date +%s.%N)
"$SPOTGEN" score "$TMP/ds" --truth "$TMP/ds" --json >"$TMP/pnoop.json"
pnoop_s=$(echo "$(date +%s.%N) - $start" | bc)

rm -rf "$TMP/ds"
seconds --out "$TMP/ds" --dirty realistic >/dev/null
start=$(date +%s.%N)
/usr/bin/python3 examples/clean_dirty.py "$TMP/ds" "$TMP/cleaned.csv" 2>/dev/null
clean_s=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
"$SPOTGEN" score "$TMP/cleaned.csv" --truth "$TMP/ds" --json >"$TMP/score.json"
score_s=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
"$SPOTGEN" score "$TMP/ds" --truth "$TMP/ds" --json >"$TMP/noop.json"
noop_s=$(echo "$(date +%s.%N) - $start" | bc)

python3 - "$table" "$ROWS" "$(nproc)" "$(cpu_model)" "$(git rev-parse --short HEAD)" "$clean_s" "$score_s" "$noop_s" \
  "$TMP/score.json" "$TMP/noop.json" "$ptable" "$pnoop_s" <<'PY' | python3 bench/section.py bench/RESULTS.md
import json, sys
table, rows, cores, cpu, commit, clean_s, score_s, noop_s, sp, np_, ptable, pnoop_s = sys.argv[1:]
s, n = json.load(open(sp)), json.load(open(np_))
o, d = s["overall"], s["duplicates"]
print(f"""## generate --dirty and score

Commit {commit}, `bench/dirty.sh`, {cores} cores ({cpu}): one rank writing
{int(rows):,} rows in parts of 250,000, 7 runs of each, alternating with plain CSV;
rows/s: the median of each; "ratio to clean": the median of the 7 ratios
of a dirty run's time to the clean run's just before it. A dirty run runs
the model twice (the data's part, then the ledger's) and writes the
corrupted rows a cell at a time.

{table}

In Parquet (`--format parquet`, zstd pages), against clean Parquet:

{ptable}

The reference cleaning (`examples/clean_dirty.py`, pandas) of {int(rows):,} rows
of `realistic` took {float(clean_s):.1f} s; `spotgen score` of it {float(score_s):.1f} s
(overall recall {o['recall']:.4f}, precision {o['precision']:.4f}, duplicates
removed: precision {d['precision']:.4f}, recall {d['recall']:.4f}), and of the
no-op cleaning {float(noop_s):.1f} s (recall {n['overall']['recall']:.4f}, {n['overall']['cells_still_wrong']:,} cells
still wrong). `score` of the no-op cleaning of the Parquet dataset (reading
its Parquet data and ledger) took {float(pnoop_s):.1f} s.""")
PY
echo "written: bench/RESULTS.md"
