#!/usr/bin/env bash
# Speed and size of each output format beside plain CSV: one rank writing
# ROWS rows (default 2M) to null: (so the time is generation, formatting and
# compression, without a disk) and to tmpfs; rows/s and bytes per row, the
# median of 3 runs. Writes bench/RESULTS.md, section "Formats".
#
# usage: bench/formats.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}"
build build-bench -DCMAKE_BUILD_TYPE=Release
mpi_flags
ROWS=${1:-2000000}
TMP=/dev/shm/spotgen-formats.$$
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP"
table=$TMP/table.md
echo "| format | level | rows/s to null: | rows/s to tmpfs | bytes per row | size vs csv |" >"$table"
echo "|---|---|---|---|---|---|" >>"$table"
for spec in csv csv.gz:1 csv.gz csv.zst:1 csv.zst csv.zst:9; do
  fmt=${spec%%:*}
  level=()
  [ "$spec" != "$fmt" ] && level=(--compression-level "${spec#*:}")
  for sink in null tmpfs; do
    out=null:
    [ $sink = tmpfs ] && out=$TMP/ds
    for k in 0 1 2; do
      mpirun "${MPI_FLAGS[@]}" -np 1 build-bench/spotgen generate --rows "$ROWS" --format "$fmt" "${level[@]}" \
        --out "$out" --overwrite --no-progress 2>"$TMP/$sink.$k"
      if [ $sink = tmpfs ]; then
        python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["dataset"]; print(d.get("compression_level", "-"))' \
          "$TMP/ds/_manifest.json" >"$TMP/level"
      fi
      rm -rf "$TMP/ds"
    done
  done
  python3 - "$fmt" "$(cat "$TMP/level")" "$ROWS" "$TMP" >>"$table" <<'PY'
import re, sys
fmt, level, rows, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def median(sink):
    runs = []
    for k in range(3):
        text = open(f"{tmp}/{sink}.{k}").read()
        m = re.search(r"\(([\d.]+) (B|KB|MB|GB|TB)\).* in ([\d.]+) s:", text)
        size = float(m.group(1)) * {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}[m.group(2)]
        runs.append((float(m.group(3)), size))
    return sorted(runs)[1]
(null_s, size), (tmpfs_s, _) = median("null"), median("tmpfs")
if fmt == "csv":
    open(f"{tmp}/csv_size", "w").write(str(size))
csv_size = float(open(f"{tmp}/csv_size").read())
print(f"| {fmt} | {level} | {rows / null_s / 1e6:.2f}M | {rows / tmpfs_s / 1e6:.2f}M | {size / rows:.0f} | "
      f"{size / csv_size:.2f} |")
PY
  tail -1 "$table"
done
python3 - "$table" "$ROWS" "$(git rev-parse --short HEAD)" "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, rows, commit, cores, cpu = sys.argv[1:]
print(f"""## Formats

One rank, {int(rows):,} rows, the median of 3 runs; commit {commit}, {cores} cores ({cpu}).
Measured by `bench/formats.sh`. Sizes are of the part files as stored (the
compressed bytes); "level" is the codec's compression level.

{open(table).read()}""")
PY
echo "written: bench/RESULTS.md"
