#!/usr/bin/env bash
# Peak RSS per rank when streaming to S3 (moto_server on loopback), against
# the bar of TARGETS.md: part size x (parts in flight + 2) + 64 MiB.
# Builds a release binary in build-bench/, then appends a table to
# bench/RESULTS.md (section "S3 memory"). usage: bench/s3_memory.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build build-bench >/dev/null
export SPOTGEN="$PWD/build-bench/spotgen" TESTS="$PWD/tests"
source tests/lib.sh
source tests/s3_lib.sh
mpi_flags
start_moto
ROWS=${1:-2000000}
out="$WORK/table.md"
{
  echo "| part size | in flight | ranks | rows | seconds | peak RSS per rank (MiB) | bar (MiB) | within |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$out"
for part in 5 16; do
  for inflight in 1 4; do
    prefix="mem-$part-$inflight"
    mpirun "${MPI_FLAGS[@]}" -np 2 "$SPOTGEN" generate --rows "$ROWS" --rows-per-part $((ROWS / 2)) \
      --part-size "${part}M" --s3-inflight "$inflight" --out "s3://$BUCKET/$prefix" --no-progress 2>/dev/null
    aws s3 cp "s3://$BUCKET/$prefix/_manifest.json" "$WORK/m.json" --only-show-errors
    python3 - "$WORK/m.json" "$part" "$inflight" "$ROWS" >>"$out" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["run"]
part, inflight, rows = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
bar = part * (inflight + 2) + 64
rss = run["peak_rss_mib"]
print(f"| {part} MiB | {inflight} | {run['ranks']} | {rows:,} | {run['seconds']:.2f} | "
      f"{', '.join(f'{r:.0f}' for r in rss)} | {bar} | {'yes' if max(rss) <= bar else 'NO'} |")
PY
  done
done
cat "$out"
python3 - "$out" "$(git rev-parse --short HEAD)" "$(nproc)" "$(cpu_model)" <<'PY' |
import sys
table, commit, cores, cpu = sys.argv[1:]
print(f"## S3 memory\n\nPeak RSS per rank streaming to S3 (moto_server on loopback), from the manifest's "
      f"`run.peak_rss_mib`; bar: part size x (parts in flight + 2) + 64 MiB. Commit {commit}, "
      f"{cores} cores ({cpu}). Measured by `bench/s3_memory.sh`.\n\n" + open(table).read())
PY
  python3 bench/section.py bench/RESULTS.md
