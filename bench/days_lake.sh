#!/usr/bin/env bash
# The days as a lake: what --tables and --table-format iceberg add to a run
# of --days, in the same run. A world of ROWS rows and DAYS days, Parquet,
# one rank, to tmpfs, the median of 3 runs each:
#   flat --days                   the snapshot and the change batches
#   flat --days, Iceberg          + each day's data file and position
#                                   delete file (every removed row located)
#   --tables --days               the five tables and their changes
#   --tables --days, Iceberg      + the same, per table
# and verify of the flat and the flat Iceberg run (which replays the days on
# its sample, and recomputes every delete file). Writes bench/RESULTS.md
# ("days as a lake").
#
# usage: bench/days_lake.sh [ROWS [DAYS]]   (default 2000000 30)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_setup
bench_tmp days-lake
ROWS=${1:-2000000}
DAYS=${2:-30}
S=build-bench/spotgen
secs() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
changed() { python3 -c 'import json,sys; print(sum(d["rows"] for d in json.load(open(sys.argv[1]))["days"]["days"]))' "$1"; }
A=(--rows "$ROWS" --days "$DAYS" --format parquet --no-progress)
flat=() ice=() tab=() tice=() vflat=() vice=()
for i in 1 2 3; do
  rm -rf "$TMP"/*
  flat+=("$(secs $S generate "${A[@]}" --out "$TMP/flat")")
  ice+=("$(secs $S generate "${A[@]}" --table-format iceberg --out "$TMP/ice")")
  tab+=("$(secs $S generate "${A[@]}" --tables --out "$TMP/tab")")
  tice+=("$(secs $S generate "${A[@]}" --tables --table-format iceberg --out "$TMP/tice")")
  vflat+=("$(secs $S verify "$TMP/flat")")
  vice+=("$(secs $S verify "$TMP/ice")")
done
med() { printf '%s\n' "$@" | median; }
deletes=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["iceberg"][0]["delete_files"])' "$TMP/ice/_manifest.json")
python3 - "$ROWS" "$DAYS" "$(changed "$TMP/flat/_manifest.json")" "$(changed "$TMP/tab/_manifest.json")" \
  "$(med "${flat[@]}")" "$(med "${ice[@]}")" "$(med "${tab[@]}")" "$(med "${tice[@]}")" \
  "$(med "${vflat[@]}")" "$(med "${vice[@]}")" "$deletes" \
  "$(git rev-parse --short HEAD)" "$(cpu_model)" "$(nproc)" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
rows, days, cflat, ctab = map(int, sys.argv[1:5])
flat, ice, tab, tice, vflat, vice = map(float, sys.argv[5:11])
deletes = int(sys.argv[11])
commit, cpu, cores = sys.argv[12:]
print(f"""## days as a lake

Commit {commit}; {cpu}, {cores} cores. `bench/days_lake.sh`: a world of
{rows:,} rows and {days} days, Parquet, one rank, to tmpfs, the median of 3
runs each, all in the same run.

| run | rows of changes | seconds | x flat `--days` |
|---|---|---|---|
| flat `--days {days}` | {cflat:,} | {flat:.2f} | 1.00 |
| flat `--days {days} --table-format iceberg` | {cflat:,} | {ice:.2f} | {ice / flat:.2f} |
| `--tables --days {days}` | {ctab:,} | {tab:.2f} | {tab / flat:.2f} |
| `--tables --days {days} --table-format iceberg` | {ctab:,} | {tice:.2f} | {tice / flat:.2f} |
| `verify` of the flat run | | {vflat:.2f} | {vflat / flat:.2f} |
| `verify` of the flat Iceberg run | | {vice:.2f} | {vice / flat:.2f} |

The Iceberg run writes, besides the change batches, a data file of each
day's new rows and a position delete file of the rows it removes
({deletes} delete files): {ice / flat:.2f}x the flat run's time. Every removed row is
located without reading anything back: the day that last wrote it is
closed-form, and its place in that day's file a prefix sum of the rows
each event writes, computed once a day (`dataset/locate.c`). verify reads
every file, compares every change, data and delete file with the model's,
and replays the days on its sample.""")
PY
