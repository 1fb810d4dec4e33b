#!/usr/bin/env bash
# How the default catalogue of tracks fills as the rows grow, against the
# Million Playlist Dataset it is calibrated to (66.3M placements, 2.26M
# distinct tracks, 295,860 artists, 734,684 albums; the default must land
# within 2x of each at 66.3M rows).
#
# Builds a release binary in build-bench/ and runs bench/catalogue.c (the
# model alone, one process: about 2 minutes at 66.3M rows on 2 cores), then
# writes the table to bench/RESULTS.md ("Tracks: the catalogue's growth").
#
# usage: bench/catalogue.sh [ROWS...]   (default: 100K 1M 10M 66.3M)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_setup
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000 10000000 66300000)
table=$(build-bench/spotgen_catalogue "${SIZES[@]}")
echo "$table"
python3 - "$table" "$(git rev-parse --short HEAD)" <<'PY' | python3 bench/section.py bench/RESULTS.md
import sys
table, commit = sys.argv[1:]
print(f"""## Tracks: the catalogue's growth

Commit {commit}; seed 42, the default configuration. Measured by `bench/catalogue.sh`
(`bench/catalogue.c`: the model alone, every row placed and counted). The
catalogue holds 4.5M x (rows / 66.3M)^0.6 tracks; rows place them by a
Zipf-Mandelbrot law, (rank + 100)^-1.3, within their playlist's category.
The Million Playlist Dataset, the calibration's target: 66.3M placements,
2.26M distinct tracks (29 rows per track) by 295,860 artists on 734,684
albums (2.48 per artist), its top track in about 46K playlists, most tracks
in one or two. The artists grow as the tracks do: 300,000 x (rows /
66.3M)^0.6, one run per category; albums per artist 1 + an exponential of
mean 4.2 x sqrt(the artist's rows over an average artist's).

{table}""")
PY
echo "written: bench/RESULTS.md"
