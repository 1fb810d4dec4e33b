#!/usr/bin/env bash
# The normalised output's cost: `generate --tables` beside the flat dataset of
# the same rows, measured in the same run (release build, one and two ranks,
# to tmpfs, CSV and Parquet, the median of 3 runs each), with the bytes each
# writes; the table goes to bench/RESULTS.md ("Tables").
#
# usage: bench/tables.sh [ROWS]     (default 2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS=${1:-2000000}
bench_setup
bench_tmp tables
# seconds NP ARGS... : the run's seconds, from spotgen's summary line
seconds() {
  local np=$1; shift
  rm -rf "$TMP/ds"
  mpirun "${MPI_FLAGS[@]}" -np "$np" build-bench/spotgen generate --rows "$ROWS" --out "$TMP/ds" --no-progress "$@" 2>&1 |
    sed -n 's/.* in \([0-9.]*\) s: .*/\1/p'
}
table="| format | ranks | flat rows/s | --tables rows/s | ratio | flat MB | --tables MB |
|---|---|---|---|---|---|---|"
for fmt in csv parquet; do
  for np in 1 2; do
    : >"$TMP/a"; : >"$TMP/b"
    for _ in 1 2 3; do
      seconds $np --format $fmt >>"$TMP/a"
      flat_mb=$(du -sm "$TMP/ds" | cut -f1)
      seconds $np --format $fmt --tables >>"$TMP/b"
      tables_mb=$(du -sm "$TMP/ds" | cut -f1)
    done
    a=$(median <"$TMP/a"); b=$(median <"$TMP/b")
    table+=$'\n'"$(awk -v f=$fmt -v np=$np -v a="$a" -v b="$b" -v rows="$ROWS" -v fm="$flat_mb" -v tm="$tables_mb" \
      'BEGIN {printf "| %s | %d | %.2fM | %.2fM | %.2f | %d | %d |", f, np, rows / a / 1e6, rows / b / 1e6, a / b, fm, tm}')"
  done
done
echo "$table"
python3 - "$table" "$(git rev-parse --short HEAD)" "$ROWS" "$(nproc)" "$(cpu_model)" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, commit, rows, cores, cpu = sys.argv[1:]
print(f"""## Tables

Commit {commit}; {cores} cores ({cpu}). `generate --tables` (five tables whose
join is the flat dataset) beside the flat dataset of the same {int(rows):,} rows,
to tmpfs, measured in the same run by `bench/tables.sh` (the median of 3 runs
each). rows/s counts the dataset's rows (playlist_tracks' rows); "ratio" is
--tables' rows/s over the flat one's. The entity tables add the catalogue's
tracks, the artists with their albums and the playlists, each computed once
from its id; the rows themselves shrink to three columns.

{table}""")
PY
echo "written: bench/RESULTS.md"
