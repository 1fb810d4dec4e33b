#!/usr/bin/env bash
# `spotgen fit` of 1,000,000 rows of spotgen's own CSV (--group
# playlist_category, and without), against DuckDB computing the same
# quantiles and correlations from the same files (bench/fit_duckdb.mjs),
# and against generate writing those rows: the median of 3 runs each, and
# fit's peak memory. Writes the table to bench/RESULTS.md ("fit").
#
# usage: bench/fit.sh [ROWS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_setup
bench_tmp fit
ROWS=${1:-1000000}
S=build-bench/spotgen
[ -d tests/node/node_modules/@duckdb/node-api ] || npm ci --prefix tests/node >/dev/null
secs() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
gen=() fit=() fitall=() duck=() rss=0
for i in 1 2 3; do
  rm -rf "$TMP/d"
  gen+=("$(secs $S generate --rows "$ROWS" --out "$TMP/d" --no-progress | cut -d' ' -f1)")
  read -r t m < <(secs $S fit "$TMP/d" --group playlist_category -o "$TMP/m.json" --overwrite)
  fit+=("$t")
  rss=$m
  fitall+=("$(secs $S fit "$TMP/d" -o "$TMP/m.json" --overwrite | cut -d' ' -f1)")
  duck+=("$(node bench/fit_duckdb.mjs "$TMP/d")")
done
med() { printf '%s\n' "$@" | median; }
g=$(med "${gen[@]}") f=$(med "${fit[@]}") fa=$(med "${fitall[@]}") d=$(med "${duck[@]}")
size=$(du -sm "$TMP/d" | cut -f1)
python3 - "$ROWS" "$g" "$f" "$fa" "$d" "$rss" "$size" "$(git rev-parse --short HEAD)" "$(cpu_model)" "$(nproc)" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
rows, g, f, fa, d, rss, size, commit, cpu, cores = sys.argv[1:]
g, f, fa, d = map(float, (g, f, fa, d))
print(f"""## fit

Commit {commit}; {cpu}, {cores} cores. `bench/fit.sh`: {int(rows):,} rows of
spotgen's CSV ({size} MB on tmpfs), the median of 3 runs. The peer is DuckDB
(`bench/fit_duckdb.mjs`) computing from the same files what fit computes:
per category and over the whole, 257 quantiles of the ten features and the
45 Pearson r. fit also computes the normal scores, solves each category's
copula, and draws 200,000 rows from the fitted model for its report.

| | seconds | against DuckDB | against generate |
|---|---|---|---|
| `fit --group playlist_category` | {f:.2f} | {f / d:.2f}x | {f / g:.2f}x |
| `fit` (one group) | {fa:.2f} | {fa / d:.2f}x | {fa / g:.2f}x |
| DuckDB: the quantiles and correlations | {d:.2f} | 1 | {d / g:.2f}x |
| `generate` of the rows (1 rank) | {g:.2f} | | 1 |

fit's peak memory: {int(rss) / 1024:.0f} MB (about {int(rss) * 1024 / int(rows):.0f} bytes a row: the sample
is held whole, column by column, with each category's sorted copies).
""")
PY
