#!/usr/bin/env bash
# DuckDB, an independent reader, agrees with the manifest on what was written.
source "$(dirname "$0")/lib.sh"
[ -d "$TESTS/node/node_modules/@duckdb/node-api" ] ||
  fail "DuckDB is not installed: run 'npm ci --prefix tests/node' (scripts/test.sh does)"
run_np 2 generate --rows 400000 --rows-per-part 150000 --out "$WORK/ds" --no-progress 2>/dev/null
node "$TESTS/node/duckdb_check.mjs" "$WORK/ds"
