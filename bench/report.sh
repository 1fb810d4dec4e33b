#!/usr/bin/env bash
# What `spotgen report` costs: the time, peak memory and page size of the
# report of datasets of 100K, 1M and 10M rows (median of 5 runs), from the
# manifest alone, and with --verify (one run: that is verify's reading of
# the data). Writes bench/RESULTS.md, section "Report".
#
# usage: bench/report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_setup time
bench_tmp report
table=$TMP/table.md
echo "| rows | report (s) | peak RSS (MiB) | page (KB) | manifest (KB) | with --verify (s) |" >"$table"
echo "|---|---|---|---|---|---|" >>"$table"
# timed ARGS... : `spotgen report ARGS` under /usr/bin/time ("seconds rss_kb"
# on stdout); exit 5 (a target failed: the 100K-row dataset's Gini is under
# the bar) is a report like any other
timed() {
  local rc=0
  /usr/bin/time -f '%e %M' -o "$TMP/time" build-bench/spotgen report "$@" -o "$TMP/r.html" 2>/dev/null || rc=$?
  [ $rc = 0 ] || [ $rc = 5 ] || { echo "report $* exited $rc" >&2; exit 1; }
  tail -1 "$TMP/time"
}
for rows in 100000 1000000 10000000; do
  mpirun "${MPI_FLAGS[@]}" -np 2 build-bench/spotgen generate --rows "$rows" --rows-per-part 500000 \
    --format csv.zst --out "$TMP/ds" --overwrite --no-progress 2>/dev/null
  for k in 0 1 2 3 4; do
    timed "$TMP/ds" >"$TMP/t.$k"
  done
  timed "$TMP/ds" --verify >"$TMP/v"
  python3 - "$rows" "$TMP" >>"$table" <<'PY'
import os, sys
rows, tmp = int(sys.argv[1]), sys.argv[2]
runs = sorted(tuple(map(float, open(f"{tmp}/t.{k}").read().split())) for k in range(5))
s, rss = runs[2]
verify = float(open(f"{tmp}/v").read().split()[0])
print(f"| {rows:,} | {s:.2f} | {rss / 1024:.0f} | {os.path.getsize(f'{tmp}/r.html') / 1e3:.0f} | "
      f"{os.path.getsize(f'{tmp}/ds/_manifest.json') / 1e3:.0f} | {verify:.1f} |")
PY
  tail -1 "$table"
done
python3 - "$table" "$(git rev-parse --short HEAD)" "$(nproc)" \
  "$(cpu_model)" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, commit, cores, cpu = sys.argv[1:]
print(f"""## Report

`spotgen report` of datasets written by 2 ranks as `csv.zst` in parts of
500,000 rows; commit {commit}, {cores} cores ({cpu}). Measured by
`bench/report.sh`: the median of 5 runs from the manifest alone, and one
run with `--verify`, which first reads every part back as `spotgen verify`
does. The page is drawn from the manifest's statistics, whose size grows
only with the list of parts, so the report's cost does not grow with the rows.

{open(table).read()}""")
PY
echo "written: bench/RESULTS.md"
