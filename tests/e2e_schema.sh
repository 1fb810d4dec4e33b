#!/usr/bin/env bash
# spotgen schema prints the 24 columns in order as Spark StructType JSON, and
# --ddl an Athena table over them; --version and --help answer.
source "$(dirname "$0")/lib.sh"
"$SPOTGEN" schema > "$WORK/schema.json"
python3 - "$WORK/schema.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
expected = [("track_id","string"),("track_name","string"),("artist_name","string"),("album_name","string"),
  ("release_date","date"),("playlist_name","string"),("playlist_category","string"),("num_followers","long"),
  ("popularity_score","integer"),("energy","double"),("loudness","double"),("danceability","double"),
  ("valence","double"),("tempo","double"),("acousticness","double"),("instrumentalness","double"),
  ("speechiness","double"),("liveness","double"),("duration_ms","integer"),("key","integer"),("mode","integer"),
  ("time_signature","integer"),("artist_id","string"),("playlist_id","string")]
assert s["type"] == "struct"
got = [(f["name"], f["type"]) for f in s["fields"]]
assert got == expected, got
PY
pass "schema: Spark StructType of the 24 columns in order"
ddl=$("$SPOTGEN" schema --ddl --table tracks --location s3://b/p/)
grep -q "CREATE EXTERNAL TABLE IF NOT EXISTS tracks_csv" <<<"$ddl" || fail "no CREATE EXTERNAL TABLE: $ddl"
grep -q "LOCATION 's3://b/p/'" <<<"$ddl" || fail "location not used"
[ "$(grep -Ec '^  (`|CAST\(`)' <<<"$ddl")" = 48 ] || fail "expected 24 columns in the table and 24 in the view"
grep -q 'CAST(`release_date` AS date)' <<<"$ddl" || fail "the view does not type release_date"
pass "schema --ddl: table and typed view"
ddl=$("$SPOTGEN" schema --ddl --tables --format parquet --location s3://b/p)
for t in artists albums tracks playlists playlist_tracks; do
  grep -q "CREATE EXTERNAL TABLE IF NOT EXISTS spotify_$t (" <<<"$ddl" || fail "--tables: no table spotify_$t"
  grep -q "LOCATION 's3://b/p/$t/'" <<<"$ddl" || fail "--tables: spotify_$t is not in its folder"
done
[ "$(grep -Ec '^  `' <<<"$ddl")" = $((5 + 4 + 18 + 4 + 3)) ] || fail "--tables: the tables' columns: $ddl"
grep -q '`position` int' <<<"$ddl" || fail "--tables: playlist_tracks has no position"
rc=0; "$SPOTGEN" schema --tables 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "schema --tables without --ddl: exit $rc"
pass "schema --ddl --tables: the five tables, each in its folder, with their columns"
"$SPOTGEN" --version | grep -Eq '^spotgen [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
# (into files: grep -q may exit before a help longer than a pipe's write is
# read, and the writer's SIGPIPE would fail the pipeline)
"$SPOTGEN" --help >"$WORK/help.txt" && grep -q generate "$WORK/help.txt" || fail "--help"
"$SPOTGEN" generate --help >"$WORK/ghelp.txt" && grep -q -- '--rows-per-part' "$WORK/ghelp.txt" || fail "generate --help"
rc=0; "$SPOTGEN" frobnicate 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "unknown command: exit $rc"
pass "--version, --help, unknown command"
