#!/usr/bin/env bash
# Speed against an earlier commit, measured in the same run: builds REV
# (default: the previous commit) in a temporary worktree beside this tree's
# release build, then times `generate` of both, alternating, one rank and
# two, to null: and to tmpfs (/dev/shm), as plain CSV, 9 runs of each. Prints
# the median rows/s of both and the median of the 9 ratios of a run of this
# tree to the run of REV just before it (a shared VM's speed drifts by 10-30%
# over minutes; a ratio of two runs a second apart carries little of it), and
# writes the table to bench/RESULTS.md ("Against REV").
#
# usage: bench/compare.sh [REV] [ROWS]     (default: HEAD~1, 2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
REV=${1:-HEAD~1}
ROWS=${2:-2000000}
bench_setup
bench_tmp compare
old=$(git rev-parse --short "$REV")
git worktree add -q --detach "$TMP/src" "$old"
trap 'git worktree remove --force "$TMP/src" 2>/dev/null; rm -rf "$TMP"' EXIT
(cd "$TMP/src" && cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null &&
  cmake --build build -j "$(nproc)" --target spotgen >/dev/null)

# rate BINARY NP OUT : rows/s of one run
rate() {
  rm -rf "$TMP/ds"
  mpirun "${MPI_FLAGS[@]}" -np "$2" "$1" generate --rows "$ROWS" --out "$3" --no-progress 2>&1 |
    sed -n 's/.* in \([0-9.]*\) s: .*/\1/p' | awk -v rows="$ROWS" '{printf "%.0f\n", rows / $1}'
}

table="| ranks | sink | $old rows/s | $(git rev-parse --short HEAD) rows/s | ratio |
|---|---|---|---|---|"
for np in 1 2; do
  for sink in null tmpfs; do
    out=null:
    [ $sink = tmpfs ] && out="$TMP/ds"
    : >"$TMP/a"; : >"$TMP/b"
    for _ in 1 2 3 4 5 6 7 8 9; do
      rate "$TMP/src/build/spotgen" $np "$out" >>"$TMP/a"
      rate build-bench/spotgen $np "$out" >>"$TMP/b"
    done
    a=$(median <"$TMP/a"); b=$(median <"$TMP/b")
    ratio=$(paste "$TMP/a" "$TMP/b" | awk '{printf "%.4f\n", $2 / $1}' | median)
    table+=$'\n'"| $np | $sink | $a | $b | $(printf %.2f "$ratio") |"
  done
done
echo "$table"
python3 - "$table" "$old" "$(git rev-parse --short HEAD)" "$ROWS" "$(nproc)" "$(cpu_model)" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, old, new, rows, cores, cpu = sys.argv[1:]
print(f"""## Against {old}

Commit {new} against {old}, measured in the same run by `bench/compare.sh`: {int(rows):,} rows
of plain CSV, 9 runs of each, alternating; {cores} cores ({cpu}). rows/s: the
median of each; "ratio": the median of the 9 ratios of {new}'s run to {old}'s
run just before it.

{table}""")
PY
echo "written: bench/RESULTS.md"
