#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds into
# build/, writes 1,000,000 rows with 2 MPI ranks to data/spotify, reads them
# back (spotgen verify) and ends with the HTML report of the dataset.
# Extra arguments are passed to spotgen generate (e.g. --rows 5M --seed 7).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}"
build_product build
mpi_flags
mpirun "${MPI_FLAGS[@]}" -np 2 build/spotgen generate --rows 1000000 --out data/spotify --overwrite "$@"

echo
echo "Data: $(pwd)/data/spotify"
ls -l data/spotify | sed 's/^/  /'
echo "First rows of part-00000.csv:"
head -n 3 data/spotify/part-00000.csv | cut -c1-160 | sed 's/^/  /'
if command -v python3 >/dev/null; then
  python3 - data/spotify/_manifest.json <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
s, d = m["stats"], m["dataset"]
c = s["columns"]
print(f"Summary: {d['rows']:,} rows in {d['parts']} part(s), seed {d['seed']}, "
      f"{sum(p['bytes'] for p in m['parts']) / 1e6:.1f} MB of {d['format']}")
for k in ("energy", "danceability", "tempo", "popularity_score", "duration_ms"):
    print(f"  {k:17s} mean {c[k]['mean']:12.3f}  std {c[k]['std']:10.3f}  median {c[k]['quantiles']['p50']:10.3f}")
names = s["correlation"]["columns"]
r = lambda a, b: s["correlation"]["matrix"][names.index(a)][names.index(b)]
print(f"  corr(energy, loudness) {r('energy', 'loudness'):+.3f}   corr(energy, acousticness) "
      f"{r('energy', 'acousticness'):+.3f}   corr(danceability, valence) {r('danceability', 'valence'):+.3f}")
print("  categories: " + ", ".join(f"{k} {v['share']:.0%}" for k, v in s["categories"].items()))
t = m["targets"]
n = {k: sum(x["result"] == k for x in t) for k in ("pass", "fail", "skip")}
print(f"  targets checked while generating: {n['pass']} pass, {n['fail']} fail, {n['skip']} left to verify")
PY
fi
echo "Reading every part back (spotgen verify) and drawing the report:"
rc=0
build/spotgen report data/spotify --verify || rc=$?
# 5: a target failed; the report is written and shows which
[ $rc = 0 ] || [ $rc = 5 ] || exit $rc
echo
echo "Report: $(pwd)/data/spotify/_report.html"
