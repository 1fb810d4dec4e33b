#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds into
# build/, writes 1,000,000 rows in 2 parts with 2 MPI ranks to data/spotify,
# reads them back (spotgen verify) and ends with the HTML report of the
# dataset. Arguments are passed to spotgen generate (e.g. --rows 5M --seed
# 7); one it gives replaces run.sh's default (spotgen takes an option once).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}"
build_product build
mpi_flags

# given OPTION... : whether the arguments hold one of the options
given() {
  local a o
  for a in "${ARGS[@]}"; do
    for o in "$@"; do
      case $a in "$o" | "$o"=*) return 0 ;; esac
    done
  done
  return 1
}
ARGS=("$@")
OUT=data/spotify
for ((i = 0; i < ${#ARGS[@]}; i++)); do
  case ${ARGS[i]} in
    --out) OUT=${ARGS[i + 1]:-$OUT} ;;
    --out=*) OUT=${ARGS[i]#--out=} ;;
  esac
done
DEFAULTS=()
given --rows || DEFAULTS+=(--rows 1000000)
# parts of 500,000 rows: both ranks work on the default run (with parts of
# the generator's 1,000,000, one part and one idle rank); the bytes are
# the same for any number of ranks, as always
given --rows-per-part --chunk-size --parts || DEFAULTS+=(--rows-per-part 500000)
given --out || DEFAULTS+=(--out "$OUT")
given --overwrite --resume || DEFAULTS+=(--overwrite)
mpirun "${MPI_FLAGS[@]}" -np 2 build/spotgen generate "${DEFAULTS[@]}" "${ARGS[@]}"

echo
case $OUT in
  s3://* | null:) echo "Data: $OUT"; exit 0 ;; # the listing and summary below read a local folder
esac
echo "Data: $(cd "$OUT" && pwd)"
ls -l "$OUT" | sed 's/^/  /'
first=$(cd "$OUT" && ls part-00000.* 2>/dev/null | head -n 1)
case $first in
  *.csv) echo "First rows of $first:"; head -n 3 "$OUT/$first" | cut -c1-160 | sed 's/^/  /' ;;
esac
if command -v python3 >/dev/null; then
  python3 - "$OUT/_manifest.json" <<'PY'
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
build/spotgen report "$OUT" --verify || rc=$?
# 5: a target failed; the report is written and shows which
[ $rc = 0 ] || [ $rc = 5 ] || exit $rc
echo
echo "Report: $(cd "$OUT" && pwd)/_report.html"
