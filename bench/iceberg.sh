#!/usr/bin/env bash
# The cost of --table-format iceberg: rank 0's commit (the ranks' manifest
# entries gathered, then the manifest, manifest list, metadata file and
# version hint written, as the run's summary times it) at about 100 and
# 10,000 data files, and the whole run beside the same run written as plain
# partitioned Parquet (release build, 2 ranks, to tmpfs, the median of 3
# runs each); the table goes to bench/RESULTS.md ("Iceberg").
#
# usage: bench/iceberg.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_setup
bench_tmp iceberg
# run ARGS... : "run_seconds commit_seconds files manifest_bytes"
run() {
  rm -rf "$TMP/ds"
  mpirun "${MPI_FLAGS[@]}" -np 2 build-bench/spotgen generate --format parquet --out "$TMP/ds" --no-progress "$@" \
    2>"$TMP/err"
  local s c
  s=$(sed -n 's/.* in \([0-9.]*\) s: .* rows\/s on .*/\1/p' "$TMP/err")
  c=$(sed -n 's/^spotgen: committed .* in \([0-9.]*\) s: .*/\1/p' "$TMP/err")
  echo "$s ${c:-0} $(find "$TMP/ds" -name 'part-*' | wc -l) $(find "$TMP/ds/metadata" -name '*-m0.avro' -printf '%s' 2>/dev/null || echo 0)"
}
table="| data files | rows | partitioned by | plain run (s) | Iceberg run (s) | ratio | commit (s) | manifest |
|---|---|---|---|---|---|---|---|"
for c in "1000000 50000 playlist_category" "1200000 100000 playlist_category,release_date:month"; do
  read -r rows rpp spec <<<"$c"
  : >"$TMP/a"; : >"$TMP/b"
  for _ in 1 2 3; do
    run --rows "$rows" --rows-per-part "$rpp" --partition-by "$spec" >>"$TMP/a"
    run --rows "$rows" --rows-per-part "$rpp" --partition-by "$spec" --table-format iceberg >>"$TMP/b"
  done
  a=$(cut -d' ' -f1 "$TMP/a" | median); b=$(cut -d' ' -f1 "$TMP/b" | median); commit=$(cut -d' ' -f2 "$TMP/b" | median)
  files=$(tail -1 "$TMP/b" | cut -d' ' -f3); man=$(tail -1 "$TMP/b" | cut -d' ' -f4)
  table+=$'\n'"$(awk -v n="$files" -v rows="$rows" -v sp="$spec" -v a="$a" -v b="$b" -v c="$commit" -v m="$man" \
    'BEGIN {printf "| %d | %.1fM | %s | %.2f | %.2f | %.2f | %.3f | %.0f KB |", n, rows / 1e6, sp, a, b, a / b, c, m / 1e3}')"
done
echo "$table"
python3 - "$table" "$(git rev-parse --short HEAD)" "$(nproc)" "$(cpu_model)" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, commit, cores, cpu = sys.argv[1:]
print(f"""## Iceberg

Commit {commit}; {cores} cores ({cpu}). `generate --table-format iceberg`
beside the same partitioned Parquet run without it, 2 ranks, to tmpfs,
measured in the same run by `bench/iceberg.sh` (the median of 3 runs each).
"commit" is rank 0's writing of the table's metadata after every data file
is committed (the manifest of every data file's entry, which the ranks
encoded as they wrote the files and sent it; the manifest list; the metadata
file; the version hint), as the run's summary times it; "ratio" is the plain
run's time over the Iceberg run's.

{table}
""")
PY
