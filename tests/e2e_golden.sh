#!/usr/bin/env bash
# Golden bytes: the size and CRC-32 (zlib's, computed here by Python, not by
# spotgen) of every part of small datasets of seed 42, fixed in this file:
# CSV, csv.gz, csv.zst and Parquet, --tables in CSV and Parquet, --dirty
# realistic, --days' changes and --as-of's state, on 2 ranks. Every other determinism test compares spotgen with
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
# --days: two days' batches (CSV), and the state of day 2 (Parquet)
run_np 2 generate "${ARGS[@]}" --days 2 --out "$WORK/days" 2>/dev/null
run_np 2 generate "${ARGS[@]}" --as-of 2 --format parquet --out "$WORK/asof" 2>/dev/null
python3 - "$WORK" <<'PY' || fail "the bytes of an output changed (above: what they are now); if that is meant, bump the version and write the new values here"
import os, sys, zlib
want = """
csv part-00000.csv 2353020 8edbfad6
csv part-00001.csv 2344704 8212e7f3
csv.gz part-00000.csv.gz 977091 5df9384b
csv.gz part-00001.csv.gz 968852 97c70ab8
csv.zst part-00000.csv.zst 575537 1dfad9f3
csv.zst part-00001.csv.zst 595357 5d4a79e5
parquet part-00000.parquet 566405 7856fb2d
parquet part-00001.parquet 577459 67cdb38d
tables albums/part-00000.parquet 141829 16f7aec8
tables albums/part-00001.parquet 129167 59c6f35d
tables artists/part-00000.parquet 32062 a4e9bf96
tables artists/part-00001.parquet 31861 b99f4eab
tables playlist_tracks/part-00000.parquet 115894 73025068
tables playlist_tracks/part-00001.parquet 120195 251efc0c
tables playlists/part-00000.parquet 4508 7d52dfe4
tables playlists/part-00001.parquet 4096 c5641c6f
tables tracks/part-00000.parquet 1060207 493be52c
tables tracks/part-00001.parquet 1062293 2558ce66
tablescsv albums/part-00000.csv 373185 5a378620
tablescsv albums/part-00001.csv 332495 9d1a254b
tablescsv artists/part-00000.csv 59163 376fafba
tablescsv artists/part-00001.csv 59076 a4a55a50
tablescsv playlist_tracks/part-00000.csv 491500 97aef940
tablescsv playlist_tracks/part-00001.csv 492630 8818263e
tablescsv playlists/part-00000.csv 6083 d231ce7d
tablescsv playlists/part-00001.csv 5365 37507d8a
tablescsv tracks/part-00000.csv 2880723 6e01f596
tablescsv tracks/part-00001.csv 2881204 6c1c5cb9
dirty _dirty/part-00000.csv 248092 12d6ec64
dirty _dirty/part-00001.csv 237614 be972619
dirty part-00000.csv 2546689 7c22e804
dirty part-00001.csv 2537813 f5b666c3
parquetbig part-00000.parquet 11992911 2040c9f1
dirtypq _dirty/part-00000.parquet 66059 47f3d094
dirtypq _dirty/part-00001.parquet 62402 df7ed1be
dirtypq part-00000.parquet 690738 118dbbf4
dirtypq part-00001.parquet 701495 d7203c76
days _changes/batch_date=2024-01-02/part-00000.csv 536559 10794466
days _changes/batch_date=2024-01-03/part-00000.csv 689250 e33748a7
asof part-00000.parquet 567396 9df88d7c
asof part-00001.parquet 577958 2453c524
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
pass "41 parts of seed 42 (csv, csv.gz, csv.zst, Parquet small and large, --tables, --dirty in CSV and Parquet, two days' changes, the state of day 2) have the bytes fixed here"
