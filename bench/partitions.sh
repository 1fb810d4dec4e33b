#!/usr/bin/env bash
# The cost of --partition-by: a partitioned run beside the unpartitioned run
# of the same rows, measured in the same run (release build, one and two
# ranks, to tmpfs, CSV and Parquet, the median of 3 runs each), with the
# files written, their mean size and the peak RSS per rank; the table goes
# to bench/RESULTS.md ("Partitions").
#
# usage: bench/partitions.sh [ROWS]   (default 4000000; parts of ROWS/4 and ROWS/2 rows)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS=${1:-4000000}
bench_setup
bench_tmp partitions
# run NP RPP ARGS... : "seconds peak_rss_mib" of one run (RSS: the largest
# rank's, from the manifest's run.peak_rss_mib)
run() {
  local np=$1 rpp=$2; shift 2
  rm -rf "$TMP/ds"
  local s
  s=$(mpirun "${MPI_FLAGS[@]}" -np "$np" build-bench/spotgen generate --rows "$ROWS" --rows-per-part "$rpp" \
    --out "$TMP/ds" --no-progress "$@" 2>&1 | sed -n 's/.* in \([0-9.]*\) s: .*/\1/p')
  python3 -c 'import json,sys; print(sys.argv[2], max(json.load(open(sys.argv[1]))["run"]["peak_rss_mib"]))' \
    "$TMP/ds/_manifest.json" "$s"
}
table="| format | partitioned by | rows per part | ranks | unpartitioned rows/s | partitioned rows/s | ratio | files | mean file | peak RSS unpartitioned / partitioned (MiB) |
|---|---|---|---|---|---|---|---|---|---|"
for fmt in csv parquet; do
  for spec in playlist_category,release_date:year release_date:month; do
   for rpp in $((ROWS / 4)) $((ROWS / 2)); do
    for np in 1 2; do
      : >"$TMP/a"; : >"$TMP/b"
      for _ in 1 2 3; do
        run $np $rpp --format $fmt >>"$TMP/a"
        run $np $rpp --format $fmt --partition-by $spec >>"$TMP/b"
        files=$(find "$TMP/ds" -name 'part-*' | wc -l)
        bytes=$(find "$TMP/ds" -name 'part-*' -printf '%s\n' | awk '{s += $1} END {print s}')
      done
      a=$(cut -d' ' -f1 "$TMP/a" | median); b=$(cut -d' ' -f1 "$TMP/b" | median)
      ra=$(cut -d' ' -f2 "$TMP/a" | median); rb=$(cut -d' ' -f2 "$TMP/b" | median)
      table+=$'\n'"$(awk -v f=$fmt -v sp=$spec -v rpp=$rpp -v np=$np -v a="$a" -v b="$b" -v rows="$ROWS" \
        -v n="$files" -v bytes="$bytes" -v ra="$ra" -v rb="$rb" \
        'BEGIN {printf "| %s | %s | %.1fM | %d | %.2fM | %.2fM | %.2f | %d | %.0f KB | %.0f / %.0f |", f, sp, rpp / 1e6,
                np, rows / a / 1e6, rows / b / 1e6, a / b, n, bytes / n / 1e3, ra, rb}')"
    done
   done
  done
done
echo "$table"
python3 - "$table" "$(git rev-parse --short HEAD)" "$ROWS" "$(nproc)" "$(cpu_model)" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, commit, rows, cores, cpu = sys.argv[1:]
print(f"""## Partitions

Commit {commit}; {cores} cores ({cpu}). `generate --partition-by` beside the
unpartitioned run of the same {int(rows):,} rows in the same parts, to
tmpfs, measured in the same run by `bench/partitions.sh` (the median of 3 runs
each). "ratio" is the partitioned run's rows/s over the unpartitioned one's;
the bar is 0.90. A part writes one file per partition its rows fall in (5
categories x 14 years, or 168 months), each file with a format and a sink of
its own; the peak RSS is the largest rank's.

{table}""")
PY
echo "written: bench/RESULTS.md"
