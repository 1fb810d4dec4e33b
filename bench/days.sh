#!/usr/bin/env bash
# The days: a day's batch alone (--day D) of a world of ROWS rows, for day 1
# and day 365, in the same run: it must take the same time (a batch is made
# in time proportional to its size, not to its day or the world), beside
# day 0's snapshot of the same world and the state of day 365 (--as-of);
# and the same two days with --tables, whose batches add the day's new
# releases and the recounts of the releases before it.
# The median of 3 runs each, one rank, to tmpfs. Writes bench/RESULTS.md
# ("days").
#
# usage: bench/days.sh [ROWS]   (default 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_setup
bench_tmp days
ROWS=${1:-10000000}
S=build-bench/spotgen
secs() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
rows_of() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["days"]["days"]; print(sum(x["rows"] for x in d))' "$1"; }
state_rows() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["days"]["rows"])' "$1"; }
d1=() d365=() snap=() asof=() t1=() t365=()
for i in 1 2 3; do
  rm -rf "$TMP"/*
  d1+=("$(secs $S generate --rows "$ROWS" --day 1 --out "$TMP/d1" --no-progress | cut -d' ' -f1)")
  d365+=("$(secs $S generate --rows "$ROWS" --day 365 --out "$TMP/d365" --no-progress | cut -d' ' -f1)")
  t1+=("$(secs $S generate --rows "$ROWS" --day 1 --tables --out "$TMP/t1" --no-progress | cut -d' ' -f1)")
  t365+=("$(secs $S generate --rows "$ROWS" --day 365 --tables --out "$TMP/t365" --no-progress | cut -d' ' -f1)")
  snap+=("$(secs $S generate --rows "$ROWS" --out "$TMP/s" --no-progress | cut -d' ' -f1)")
  rm -rf "$TMP/s"
  asof+=("$(secs $S generate --rows "$ROWS" --as-of 365 --out "$TMP/a" --no-progress | cut -d' ' -f1)")
  asrows=$(state_rows "$TMP/a/_manifest.json")
  rm -rf "$TMP/a"
done
med() { printf '%s\n' "$@" | median; }
r1=$(rows_of "$TMP/d1/_manifest.json") r365=$(rows_of "$TMP/d365/_manifest.json")
rt1=$(rows_of "$TMP/t1/_manifest.json") rt365=$(rows_of "$TMP/t365/_manifest.json")
tracks() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["days"]["days"][0]["tables"]["tracks"]; print(d["rows"])' "$1"; }
tr1=$(tracks "$TMP/t1/_manifest.json") tr365=$(tracks "$TMP/t365/_manifest.json")
python3 - "$ROWS" "$(med "${d1[@]}")" "$(med "${d365[@]}")" "$(med "${snap[@]}")" "$(med "${asof[@]}")" "$r1" "$r365" "$asrows" \
  "$(git rev-parse --short HEAD)" "$(cpu_model)" "$(nproc)" "$(med "${t1[@]}")" "$(med "${t365[@]}")" "$rt1" "$rt365" \
  "$tr1" "$tr365" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
rows, d1, d365, snap, asof, r1, r365, asrows, commit, cpu, cores, t1, t365, rt1, rt365, tr1, tr365 = sys.argv[1:]
d1, d365, snap, asof, t1, t365 = map(float, (d1, d365, snap, asof, t1, t365))
r1, r365, rows, asrows, rt1, rt365, tr1, tr365 = map(int, (r1, r365, rows, asrows, rt1, rt365, tr1, tr365))
print(f"""## days

Commit {commit}; {cpu}, {cores} cores. `bench/days.sh`: a world of
{rows:,} rows, one rank, CSV to tmpfs, the median of 3 runs each, all in the
same run.

| run | rows written | seconds | rows/s | rows/s x day 1's |
|---|---|---|---|---|
| `--day 1` | {r1:,} | {d1:.2f} | {r1 / d1:,.0f} | 1.00 |
| `--day 365` | {r365:,} | {d365:.2f} | {r365 / d365:,.0f} | {(r365 / d365) / (r1 / d1):.2f} |
| day 0's snapshot (no `--days`) | {rows:,} | {snap:.2f} | {rows / snap:,.0f} | |
| `--as-of 365` (the state of day 365) | {asrows:,} | {asof:.2f} | {asrows / asof:,.0f} | |
| `--day 1 --tables` | {rt1:,} | {t1:.2f} | {rt1 / t1:,.0f} | 1.00 |
| `--day 365 --tables` | {rt365:,} | {t365:.2f} | {rt365 / t365:,.0f} | {(rt365 / t365) / (rt1 / t1):.2f} |

Day 365's batch is {r365 / r1:.2f}x day 1's rows (the world has grown: more
playlists born than deleted, and the new ones' followers still rising) and
takes {d365 / d1:.2f}x its time: the same rows/s ({(r365 / d365) / (r1 / d1):.2f}x). A day's batch is made from the
day's events alone (the permutations' runs of slots), not by replaying the
days before it; its fixed part is counting day 0's playlists (a walk of the
layout) and a loop over the days' cohorts (O(day) scalars). A change row
costs about {(rows / snap) / (r1 / d1):.1f}x a snapshot row (each event finds its
playlist's rows in day 0's layout and its tracks, and its rows lie
scattered over the catalogue, where the snapshot's come in order). The state of
day 365 ({asrows / rows:.2f}x day 0's rows) takes {asof / snap:.2f}x day 0's time.

With `--tables` a day's four batches hold, besides the playlists' and
placements' changes, the day's new releases (a track and its single each)
and the recounts that moved a release's popularity: {tr1:,} rows of tracks on
day 1 and {tr365:,} on day 365 (its recounts are of the releases 7, 14, 28,
56, 112 and 224 days before it, each checked by building its popularity
level). Day 365's batches take {(rt365 / t365) / (rt1 / t1):.2f}x day 1's rows/s: the catalogue's
events cost in proportion to the releases they count again, not to the
days before.""")
PY
