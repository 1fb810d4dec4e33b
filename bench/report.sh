#!/usr/bin/env bash
# What `spotgen report` costs: the time, peak memory and page size of the
# report of datasets of 100K, 1M and 10M rows (median of 5 runs), from the
# manifest alone, and with --verify (one run: that is verify's reading of
# the data). Writes bench/RESULTS.md, section "Report".
#
# usage: bench/report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}" time
build build-bench -DCMAKE_BUILD_TYPE=Release
mpi_flags
TMP=/dev/shm/spotgen-report.$$
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP"
table=$TMP/table.md
echo "| rows | report (s) | peak RSS (MiB) | page (KB) | manifest (KB) | with --verify (s) |" >"$table"
echo "|---|---|---|---|---|---|" >>"$table"
for rows in 100000 1000000 10000000; do
  mpirun "${MPI_FLAGS[@]}" -np 2 build-bench/spotgen generate --rows "$rows" --rows-per-part 500000 \
    --format csv.zst --out "$TMP/ds" --overwrite --no-progress 2>/dev/null
  for k in 0 1 2 3 4; do
    /usr/bin/time -f '%e %M' build-bench/spotgen report "$TMP/ds" -o "$TMP/r.html" 2>&1 >/dev/null | tail -1 >"$TMP/t.$k"
  done
  /usr/bin/time -f '%e %M' build-bench/spotgen report "$TMP/ds" --verify -o "$TMP/r.html" 2>&1 >/dev/null | tail -1 >"$TMP/v"
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
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, commit, cores, cpu = sys.argv[1:]
print(f"""## Report

`spotgen report` of datasets written by 2 ranks as `csv.zst` in parts of
500,000 rows; commit {commit}, {cores} cores ({cpu}). Measured by
`bench/report.sh`: the median of 5 runs from the manifest alone, and one
run with `--verify`, which first reads every part back as `spotgen verify`
does. The page is drawn from the manifest's statistics, whose size does not
grow with the rows, so neither does the report's cost.

{open(table).read()}""")
PY
echo "written: bench/RESULTS.md"
