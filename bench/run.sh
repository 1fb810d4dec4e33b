#!/usr/bin/env bash
# Speed and memory of `spotgen generate`, and the Python reference beside it.
#
# Builds a release binary in build-bench/, then for 1M, 10M and 50M rows, on
# 1 and 2 ranks, to null: and to a directory on tmpfs (/dev/shm), measures
# seconds, rows/s, MB/s and each rank's peak RSS (from /usr/bin/time; the
# median of 3 runs up to 10M rows, one run at 50M); prints
# where one rank's time goes stage by stage (bench/stages.c); puts every
# output format beside plain CSV (one rank, 2M rows: generate to null: and to
# tmpfs, verify, size, memory; formats_table in bench/lib.sh); times
# bench/reference.py (numpy + pandas + to_csv, the original script's way) in
# the same run, so that each figure carries its ratio to it; and writes it all
# to bench/RESULTS.md ("Generation speed").
#
# usage: bench/run.sh [--quick]     (--quick: 1M and 10M rows only)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_setup time python3-numpy python3-pandas
SIZES=(1000000 10000000 50000000)
[ "${1:-}" = --quick ] && SIZES=(1000000 10000000)
bench_tmp bench
bench_reference
table="$TMP/table.md"
echo "| rows | ranks | sink | seconds | rows/s | x Python | rows/s per rank | MB/s | peak RSS per rank (MiB) |" >"$table"
echo "|---|---|---|---|---|---|---|---|---|" >>"$table"
for rows in "${SIZES[@]}"; do
  for np in 1 2; do
    for sink in null tmpfs; do
      out=null:
      [ $sink = tmpfs ] && out="$TMP/ds"
      rpp=$((rows / 2 < 1000000 ? rows / 2 : 1000000))
      # short runs vary by 10-20% on a shared VM: the median of 3
      repeat=$((rows <= 10000000 ? 3 : 1))
      for ((k = 0; k < repeat; k++)); do
        mpirun "${MPI_FLAGS[@]}" -np $np /usr/bin/time -f 'rss_kb=%M' build-bench/spotgen generate \
          --rows $rows --rows-per-part $rpp --out "$out" --overwrite --no-progress 2>"$TMP/err.$k"
        rm -rf "$TMP/ds"
      done
      python3 - $rows $np $sink $ref_rate "$TMP"/err.* >>"$table" <<'PY'
import re, sys
rows, np_, sink, ref = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
runs = []
for path in sys.argv[5:]:
    text = open(path).read()
    m = re.search(r"\(([\d.]+) (B|KB|MB|GB|TB)\).* in ([\d.]+) s:", text)
    size = float(m.group(1)) * {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}[m.group(2)]
    rss = [int(x) / 1024 for x in re.findall(r"rss_kb=(\d+)", text)]
    runs.append((float(m.group(3)), size, rss))
secs, size, rss = sorted(runs)[len(runs) // 2]
print(f"| {rows:,} | {np_} | {sink} | {secs:.2f} | {rows / secs / 1e6:.2f}M | {rows / secs / ref:.1f}x | {rows / secs / np_ / 1e6:.2f}M | "
      f"{size / secs / 1e6:.0f} | {', '.join(f'{r:.0f}' for r in rss)} |")
PY
      rm -f "$TMP"/err.*
      tail -1 "$table"
    done
  done
done
build-bench/spotgen_stages 2000000 /dev/shm >"$TMP/stages.md"
cat "$TMP/stages.md"
FORMAT_ROWS=2000000
formats_table $FORMAT_ROWS "$TMP/formats.md"
python3 - "$table" "$TMP/stages.md" "$TMP/formats.md" $FORMAT_ROWS "$ref_rate" $REF_ROWS \
  "$(git rev-parse --short HEAD)" "$(nproc)" "$(cpu_model)" \
  "$(free -g | awk '/Mem:/ {print $2}')" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, stages, formats, format_rows, ref, rows, commit, cores, cpu, mem = sys.argv[1:]
ref, rows = float(ref), int(rows)
print(f"""## Generation speed

Commit {commit}; {cores} cores ({cpu}), {mem} GiB RAM; Debian 12, Open MPI 4.1. Measured by
`bench/run.sh` (release build; tmpfs is /dev/shm; peak RSS from /usr/bin/time per rank;
the median of 3 runs up to 10M rows, one run at 50M). "x Python" is rows/s over
the Python reference's, measured in the same run: `bench/reference.py` (numpy,
pandas, `to_csv` in 1M-row chunks, the original script's way) wrote {rows:,} rows
to tmpfs at {ref / 1e3:.0f}K rows/s. An absolute figure moves 2-3x between
machines; the ratio is the one to compare.

{open(table).read()}
Where one rank's time goes, per row (`bench/stages.c`, 2M rows):

{open(stages).read()}
Every format beside plain CSV and the Python reference, in the same run: one
rank, {int(format_rows):,} rows, the median of 3 runs each (`formats_table` in
`bench/lib.sh`). "level" is the codec's compression level (csv.gz's default 3,
csv.zst's 3; Parquet's pages zstd 3 or snappy, 128 MiB row groups); sizes are
of the parts as stored; "verify" is `spotgen verify` of the tmpfs output, one
process, and "verify / generate" its rows/s over generate's to tmpfs.

{open(formats).read()}""")
PY
echo "written: bench/RESULTS.md"
