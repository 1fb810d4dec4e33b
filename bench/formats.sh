#!/usr/bin/env bash
# Speed, size and memory of each output format beside plain CSV: one rank
# writing ROWS rows (default 2M) to null: (so the time is generation,
# formatting and compression, without a disk) and to tmpfs; rows/s, bytes
# per row and peak RSS, the median of 3 runs, and each speed's ratio to the
# Python reference timed in the same run. Writes bench/RESULTS.md, section
# "Formats".
#
# usage: bench/formats.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_setup time python3-numpy python3-pandas
ROWS=${1:-2000000}
bench_tmp formats
bench_reference
table=$TMP/table.md
echo "| format | compression | level | rows/s to null: | rows/s to tmpfs | x Python (tmpfs) | bytes per row | size vs csv | peak RSS (MiB) |" >"$table"
echo "|---|---|---|---|---|---|---|---|---|" >>"$table"
SPECS=("--format csv" "--format csv.gz --compression-level 1" "--format csv.gz"
       "--format csv.zst --compression-level 1" "--format csv.zst" "--format csv.zst --compression-level 9"
       "--format parquet" "--format parquet --parquet-codec snappy")
for spec in "${SPECS[@]}"; do
  for sink in null tmpfs; do
    out=null:
    [ $sink = tmpfs ] && out=$TMP/ds
    for k in 0 1 2; do
      # shellcheck disable=SC2086
      mpirun "${MPI_FLAGS[@]}" -np 1 /usr/bin/time -f 'rss_kb=%M' build-bench/spotgen generate --rows "$ROWS" $spec \
        --out "$out" --overwrite --no-progress 2>"$TMP/$sink.$k"
      if [ $sink = tmpfs ]; then
        python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["dataset"]; print(d["format"], d["compression"], d.get("compression_level", "-"))' \
          "$TMP/ds/_manifest.json" >"$TMP/label"
      fi
      rm -rf "$TMP/ds"
    done
  done
  python3 - "$(cat "$TMP/label")" "$ROWS" "$TMP" "$ref_rate" >>"$table" <<'PY'
import re, sys
label, rows, tmp, ref = sys.argv[1].split(), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
def median(sink):
    runs = []
    for k in range(3):
        text = open(f"{tmp}/{sink}.{k}").read()
        m = re.search(r"\(([\d.]+) (B|KB|MB|GB|TB)\).* in ([\d.]+) s:", text)
        size = float(m.group(1)) * {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}[m.group(2)]
        rss = int(re.search(r"rss_kb=(\d+)", text).group(1)) / 1024
        runs.append((float(m.group(3)), size, rss))
    return sorted(runs)[1]
(null_s, size, rss), (tmpfs_s, _, _) = median("null"), median("tmpfs")
if label[0] == "csv" and label[1] == "none":
    open(f"{tmp}/csv_size", "w").write(str(size))
csv_size = float(open(f"{tmp}/csv_size").read())
print(f"| {label[0]} | {label[1]} | {label[2]} | {rows / null_s / 1e6:.2f}M | {rows / tmpfs_s / 1e6:.2f}M | {rows / tmpfs_s / ref:.1f}x | "
      f"{size / rows:.0f} | {size / csv_size:.2f} | {rss:.0f} |")
PY
  tail -1 "$table"
done
python3 - "$table" "$ROWS" "$(git rev-parse --short HEAD)" "$(nproc)" \
  "$(cpu_model)" "$ref_rate" $REF_ROWS <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, rows, commit, cores, cpu, ref, ref_rows = sys.argv[1:]
print(f"""## Formats

One rank, {int(rows):,} rows, the median of 3 runs; commit {commit}, {cores} cores ({cpu}).
Measured by `bench/formats.sh`. Sizes are of the part files as stored (the
compressed bytes); "level" is the codec's compression level; Parquet's
compression is its pages', with the default 128 MiB row groups. "x Python" is
rows/s to tmpfs over the Python reference's (`bench/reference.py`, {int(ref_rows):,}
rows to tmpfs at {float(ref) / 1e3:.0f}K rows/s), measured in the same run.

{open(table).read()}""")
PY
echo "written: bench/RESULTS.md"
