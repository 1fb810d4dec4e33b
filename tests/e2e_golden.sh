#!/usr/bin/env bash
# Golden bytes: the size and CRC-32 (zlib's, computed here by Python, not by
# spotgen) of every part of small datasets of seed 42, fixed in this file:
# CSV, csv.gz, csv.zst and Parquet, --tables in CSV and Parquet, --dirty
# realistic, on 2 ranks. Every other determinism test compares spotgen with
# spotgen; this one notices when a change alters the bytes of an output at
# all. Such a change is a decision: bump the version, say so in
# CHANGELOG.md, and write the new values here (the failure prints them).
source "$(dirname "$0")/lib.sh"
ARGS=(--rows 20000 --rows-per-part 10000 --seed 42 --no-progress)
run_np 2 generate "${ARGS[@]}" --format csv --out "$WORK/csv" 2>/dev/null
run_np 2 generate "${ARGS[@]}" --format csv.gz --out "$WORK/csv.gz" 2>/dev/null
run_np 2 generate "${ARGS[@]}" --format csv.zst --out "$WORK/csv.zst" 2>/dev/null
run_np 2 generate "${ARGS[@]}" --format parquet --out "$WORK/parquet" 2>/dev/null
run_np 2 generate "${ARGS[@]}" --tables --format parquet --out "$WORK/tables" 2>/dev/null
run_np 2 generate "${ARGS[@]}" --tables --out "$WORK/tablescsv" 2>/dev/null
run_np 2 generate "${ARGS[@]}" --dirty realistic --out "$WORK/dirty" 2>/dev/null
# one part of 300,000 rows in two row groups of pages of 64 Ki values, a
# dictionary pays or not by column: the layout small parts do not reach;
# and --dirty in Parquet (OPTIONAL columns, levels, nulls)
run_np 2 generate --rows 300000 --rows-per-part 300000 --row-group-size 40M --seed 42 --no-progress \
  --format parquet --out "$WORK/parquetbig" 2>/dev/null
run_np 2 generate "${ARGS[@]}" --dirty realistic --format parquet --out "$WORK/dirtypq" 2>/dev/null
python3 - "$WORK" <<'PY' || fail "the bytes of an output changed (above: what they are now); if that is meant, bump the version and write the new values here"
import os, sys, zlib
want = """
csv part-00000.csv 2339162 d15f2de2
csv part-00001.csv 2331735 d406dc4b
csv.gz part-00000.csv.gz 829055 490f9214
csv.gz part-00001.csv.gz 825008 6b1cb7bb
csv.zst part-00000.csv.zst 493833 203ee5a3
csv.zst part-00001.csv.zst 511168 e4e9fb5b
parquet part-00000.parquet 486276 84c864d4
parquet part-00001.parquet 495755 42a21bff
tables albums/part-00000.parquet 4922 5d68935b
tables albums/part-00001.parquet 4297 cf060478
tables artists/part-00000.parquet 2001 f5399fd1
tables artists/part-00001.parquet 1970 56a06711
tables playlist_tracks/part-00000.parquet 115894 05bbc8c6
tables playlist_tracks/part-00001.parquet 120195 53a764a2
tables playlists/part-00000.parquet 4508 a591a4c2
tables playlists/part-00001.parquet 4096 1da76749
tables tracks/part-00000.parquet 935614 4c87ca73
tables tracks/part-00001.parquet 941678 dbf1e4d9
tablescsv albums/part-00000.csv 7656 a5aef507
tablescsv albums/part-00001.csv 5853 ade24862
tablescsv artists/part-00000.csv 1884 ff9ef9f7
tablescsv artists/part-00001.csv 1818 0da680dc
tablescsv playlist_tracks/part-00000.csv 491500 97aef940
tablescsv playlist_tracks/part-00001.csv 492630 8818263e
tablescsv playlists/part-00000.csv 6083 d231ce7d
tablescsv playlists/part-00001.csv 5365 37507d8a
tablescsv tracks/part-00000.csv 2880506 96de7f95
tablescsv tracks/part-00001.csv 2880688 f9a4c3a7
dirty _dirty/part-00000.csv 246063 5a8e68fb
dirty _dirty/part-00001.csv 237807 2349c1c8
dirty part-00000.csv 2533182 feec838f
dirty part-00001.csv 2525163 e49b03b6
parquetbig part-00000.parquet 11140146 1e03ec1e
dirtypq _dirty/part-00000.parquet 63150 b651f0e2
dirtypq _dirty/part-00001.parquet 60225 92525c54
dirtypq part-00000.parquet 608445 7791e365
dirtypq part-00001.parquet 619924 75e5929f
"""
bad = 0
for line in want.split("\n"):
    if not line:
        continue
    ds, name, size, crc = line.split()
    path = os.path.join(sys.argv[1], ds, name)
    data = open(path, "rb").read() if os.path.exists(path) else b""
    got = f"{ds} {name} {len(data)} {zlib.crc32(data):08x}"
    if got != line:
        print("now:", got, " was:", line)
        bad += 1
sys.exit(bad != 0)
PY
pass "37 parts of seed 42 (csv, csv.gz, csv.zst, Parquet small and large, --tables, --dirty in CSV and Parquet) have the bytes fixed here"
