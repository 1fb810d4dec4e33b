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
csv part-00000.csv 2339312 e78ddece
csv part-00001.csv 2332098 367a0933
csv.gz part-00000.csv.gz 829112 4f9d456c
csv.gz part-00001.csv.gz 825034 8cd8c5ea
csv.zst part-00000.csv.zst 494631 08644130
csv.zst part-00001.csv.zst 511845 6eac40d8
parquet part-00000.parquet 488477 ca32083f
parquet part-00001.parquet 498329 c39b9fec
tables albums/part-00000.parquet 4922 af3f7ea3
tables albums/part-00001.parquet 4297 3d51e980
tables artists/part-00000.parquet 2001 5a90d21b
tables artists/part-00001.parquet 1970 f9092adb
tables playlist_tracks/part-00000.parquet 115894 735ef1fb
tables playlist_tracks/part-00001.parquet 120195 25425d9f
tables playlists/part-00000.parquet 4508 57c6493a
tables playlists/part-00001.parquet 4096 eff08ab1
tables tracks/part-00000.parquet 940837 d1a654c5
tables tracks/part-00001.parquet 945884 0947361e
tablescsv albums/part-00000.csv 7656 a5aef507
tablescsv albums/part-00001.csv 5853 ade24862
tablescsv artists/part-00000.csv 1884 ff9ef9f7
tablescsv artists/part-00001.csv 1818 0da680dc
tablescsv playlist_tracks/part-00000.csv 491500 97aef940
tablescsv playlist_tracks/part-00001.csv 492630 8818263e
tablescsv playlists/part-00000.csv 6083 d231ce7d
tablescsv playlists/part-00001.csv 5365 37507d8a
tablescsv tracks/part-00000.csv 2880888 67f3a6d2
tablescsv tracks/part-00001.csv 2881490 049498c1
dirty _dirty/part-00000.csv 246062 b0affede
dirty _dirty/part-00001.csv 237818 02a41c69
dirty part-00000.csv 2533328 55cf0612
dirty part-00001.csv 2525523 f7c76a38
parquetbig part-00000.parquet 11164794 20bfd3e3
dirtypq _dirty/part-00000.parquet 63212 b7f0e1ff
dirtypq _dirty/part-00001.parquet 60216 1c33f087
dirtypq part-00000.parquet 610876 f79589eb
dirtypq part-00001.parquet 622376 39339394
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
