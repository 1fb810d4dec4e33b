#!/usr/bin/env bash
# DuckDB, an independent reader, agrees with the manifest and with
# `spotgen verify` on what was written, and finds every entity consistent.
source "$(dirname "$0")/lib.sh"
[ -d "$TESTS/node/node_modules/@duckdb/node-api" ] ||
  fail "DuckDB is not installed: run 'npm ci --prefix tests/node' (scripts/test.sh does)"
run_np 2 generate --rows 1000000 --rows-per-part 300000 --out "$WORK/ds" --no-progress 2>/dev/null
"$SPOTGEN" verify "$WORK/ds" --json >"$WORK/verify.json" || fail "verify failed: $(grep -B2 -A3 '"fail"' "$WORK/verify.json" | head -20)"
node "$TESTS/node/duckdb_check.mjs" "$WORK/ds" "$WORK/verify.json"
