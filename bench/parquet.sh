#!/usr/bin/env bash
# Parquet against DuckDB's writer, measured in the same run on the same
# machine (release build, one rank, tmpfs):
# - size: spotgen's part of ROWS rows (zstd, snappy) beside DuckDB 1.5
#   writing the same rows with the same codec and rows per row group
#   (bench/parquet_duckdb.mjs), and each table of `--tables` likewise;
# - speed: the Parquet stage alone (bench/parquet_stage.c: rows made by the
#   model untimed, their writing timed) beside DuckDB's COPY of a table in
#   memory with one thread, the median of 3 runs each;
# - memory: peak RSS of `generate --format parquet` (default row group).
# OLD=path/to/an/older/spotgen adds its sizes and peak RSS. The table goes to
# bench/RESULTS.md ("Parquet against DuckDB").
#
# usage: [OLD=...] bench/parquet.sh [ROWS...]     (default 1000000 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS_LIST=("${@:-1000000}")
[ $# -gt 0 ] || ROWS_LIST=(1000000 10000000)
bench_setup
ensure_node
[ -d tests/node/node_modules/@duckdb/node-api ] || npm ci --prefix tests/node --no-audit --no-fund >/dev/null
bench_tmp parquet
rss() { # ARGS... : peak RSS in MiB of one run
  /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1 / 1024}'
}
mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1e6}'; }

table="| rows | codec | spotgen MB | DuckDB MB | size ratio | spotgen stage s | DuckDB COPY s | time ratio | rows per row group |
|---|---|---|---|---|---|---|---|---|"
columns=""
memory="| rows | spotgen peak RSS MiB |$( [ -n "${OLD:-}" ] && echo " older peak RSS MiB | older zstd MB |")
|---|---|$( [ -n "${OLD:-}" ] && echo "---|---|")"
for rows in "${ROWS_LIST[@]}"; do
  for codec in zstd snappy; do
    : >"$TMP/t"
    for _ in 1 2 3; do
      read -r s file bytes < <(build-bench/spotgen_parquet_stage "$rows" "$TMP" $codec)
      echo "$s" >>"$TMP/t"
    done
    stage=$(median <"$TMP/t")
    node bench/parquet_duckdb.mjs "$file" $codec "$TMP/duck.parquet" 3 >"$TMP/duck.txt"
    read -r dsec dbytes group < <(head -1 "$TMP/duck.txt")
    table+=$'\n'"| $rows | $codec | $(mb "$bytes") | $(mb "$dbytes") | $(awk -v a="$bytes" -v b="$dbytes" 'BEGIN {printf "%.2f", a / b}') | $stage | $dsec | $(awk -v a="$stage" -v b="$dsec" 'BEGIN {printf "%.2f", a / b}') | $group |"
    if [ "$codec" = zstd ] && [ "$rows" = "${ROWS_LIST[0]}" ]; then
      columns=$(awk '/^column/ {printf "| %s | %d | %d | %d (%s) | %d (%s) | %s |\n", $2, $3, $4, $5, $8, $6, $9, $7}' "$TMP/duck.txt")
    fi
    rm -f "$file" "$TMP/duck.parquet" "$TMP/duck-v2.parquet"
  done
  line="| $rows | $(rss build-bench/spotgen generate --rows "$rows" --rows-per-part "$rows" --format parquet --out "$TMP/m" --no-progress) |"
  rm -rf "$TMP/m"
  if [ -n "${OLD:-}" ]; then
    line+=" $(rss "$OLD" generate --rows "$rows" --rows-per-part "$rows" --format parquet --out "$TMP/m" --no-progress) |"
    line+=" $(mb "$(stat -c %s "$TMP/m/part-00000.parquet")") |"
    rm -rf "$TMP/m"
  fi
  memory+=$'\n'"$line"
done

# --tables: each table's part beside DuckDB's of the same rows (zstd)
rows=${ROWS_LIST[0]}
build-bench/spotgen generate --rows "$rows" --rows-per-part "$rows" --tables --format parquet --out "$TMP/tb" --no-progress 2>/dev/null
tables="| table | spotgen MB | DuckDB MB | size ratio |
|---|---|---|---|"
for t in artists albums tracks playlists playlist_tracks; do
  f=$TMP/tb/$t/part-00000.parquet
  node bench/parquet_duckdb.mjs "$f" zstd "$TMP/duck.parquet" 1 >"$TMP/duck.txt"
  read -r _ dbytes _ < <(head -1 "$TMP/duck.txt")
  bytes=$(stat -c %s "$f")
  tables+=$'\n'"| $t | $(mb "$bytes") | $(mb "$dbytes") | $(awk -v a="$bytes" -v b="$dbytes" 'BEGIN {printf "%.2f", a / b}') |"
done

echo "$table"; echo "$columns"; echo "$memory"; echo "$tables"
python3 - "$table" "$columns" "$memory" "$tables" "$(git rev-parse --short HEAD)" "$(nproc)" "$(cpu_model)" \
  "$(node -e "import('$PWD/tests/node/node_modules/@duckdb/node-api/lib/index.js').then(async d => { const c = await (await d.DuckDBInstance.create()).connect(); console.log((await (await c.run('SELECT version() v')).getRowObjects())[0].v) })")" \
  "${ROWS_LIST[0]}" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, columns, memory, tables, commit, cores, cpu, duck, rows = sys.argv[1:]
print(f"""## Parquet against DuckDB

Commit {commit}; {cores} cores ({cpu}); DuckDB {duck} from npm. Measured in
one run by `bench/parquet.sh` (release build, one rank, tmpfs). Sizes: a
spotgen part of the rows beside DuckDB writing the same rows again (the
part read into a table in memory, then `COPY ... (FORMAT parquet,
COMPRESSION c, ROW_GROUP_SIZE n)` with one thread, n the rows of spotgen's
first row group). Times: spotgen's Parquet stage alone
(`bench/parquet_stage.c`: the rows made by the model untimed, their
encoding, compression and writing timed) beside DuckDB's COPY; the median
of 3 runs each. A ratio below 1 is spotgen's advantage.

{table}

Per column, zstd, {int(rows):,} rows (bytes as stored, all row groups):

| column | spotgen | DuckDB | DuckDB `PARQUET_VERSION V2` | DuckDB V2, no dictionary | spotgen's encoding |
|---|---|---|---|---|---|
{columns}

DuckDB's V2 files try the encodings V1 writers leave out: DELTA_BINARY_PACKED
for integers, BYTE_STREAM_SPLIT for doubles, DELTA_LENGTH_BYTE_ARRAY for
strings, where a dictionary does not pay (`PARQUET_VERSION V2`) and
everywhere (`DICTIONARY_SIZE_LIMIT 1`). Byte columns hold the sizes
(bytes as stored, all row groups); the encodings in brackets.

Peak RSS of `generate --format parquet` (one rank, the default 64M row group,
one part of all the rows):

{memory}

`--tables` ({int(rows):,} rows, zstd), each table's part beside DuckDB's of the
same rows:

{tables}""")
PY
echo "written: bench/RESULTS.md"
