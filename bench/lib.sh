# Shared by the bench scripts, sourced from the repository's root.
source scripts/deps.sh

# bench_setup [PACKAGES...] : the build packages and PACKAGES installed, a
# release build in build-bench/, and MPI_FLAGS for mpirun
bench_setup() {
  ensure_packages "${BUILD_PACKAGES[@]}" "$@"
  build build-bench -DCMAKE_BUILD_TYPE=Release
  mpi_flags
}

# median : the median of the numbers on standard input, one a line
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# cpu_model : the processor's name, for the heading of a RESULTS.md section
cpu_model() { grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs; }

# bench_tmp NAME : TMP, a fresh directory on tmpfs, removed at exit
bench_tmp() {
  TMP=/dev/shm/spotgen-$1.$$
  trap 'rm -rf "$TMP"' EXIT
  mkdir -p "$TMP"
}

# bench_reference : REF_ROWS and ref_rate, the rows/s of the Python reference
# (bench/reference.py: numpy, pandas, to_csv, the original script's way)
# writing REF_ROWS rows into $TMP, measured now, so that a script's figures
# carry their ratio to it from the same run on the same machine
bench_reference() {
  REF_ROWS=1000000
  local out
  out=$(/usr/bin/python3 bench/reference.py "$REF_ROWS" "$TMP/reference.csv")
  rm -f "$TMP/reference.csv"
  ref_rate=$(awk -v rows="$REF_ROWS" '{printf "%.0f\n", rows / $4}' <<<"$out")
  echo "reference: $ref_rate rows/s"
}

# formats_table ROWS FILE : one rank writing ROWS rows in every format (and
# level) beside plain CSV, to null: (generation, formatting, compression)
# and to tmpfs, the median of 3 runs each; `spotgen verify` of the tmpfs
# output timed the same way; bytes per row and peak RSS. Each speed with its
# ratio to plain CSV's and to the Python reference's ($ref_rate, from
# bench_reference in the same run). Writes a Markdown table to FILE.
formats_table() {
  local rows=$1 table=$2 spec sink out k
  echo "| format | compression | level | rows/s to null: | rows/s to tmpfs | x CSV (tmpfs) | x Python (tmpfs) | verify rows/s | verify / generate | bytes per row | size vs csv | peak RSS (MiB) |" >"$table"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|" >>"$table"
  local specs=("--format csv" "--format csv.gz --compression-level 1" "--format csv.gz" "--format csv.gz --compression-level 6"
    "--format csv.zst --compression-level 1" "--format csv.zst" "--format csv.zst --compression-level 9"
    "--format parquet" "--format parquet --parquet-codec snappy")
  for spec in "${specs[@]}"; do
    for sink in null tmpfs; do
      out=null:
      [ $sink = tmpfs ] && out=$TMP/ds
      for k in 0 1 2; do
        # shellcheck disable=SC2086
        mpirun "${MPI_FLAGS[@]}" -np 1 /usr/bin/time -f 'rss_kb=%M' build-bench/spotgen generate --rows "$rows" $spec \
          --out "$out" --overwrite --no-progress 2>"$TMP/$sink.$k"
        if [ $sink = tmpfs ]; then
          python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["dataset"]; print(d["format"], d["compression"], d.get("compression_level", "-"))' \
            "$TMP/ds/_manifest.json" >"$TMP/label"
          /usr/bin/time -f 'verify_s=%e' build-bench/spotgen verify "$TMP/ds" >/dev/null 2>"$TMP/verify.$k" || true
        fi
        rm -rf "$TMP/ds"
      done
    done
    python3 - "$(cat "$TMP/label")" "$rows" "$TMP" "$ref_rate" >>"$table" <<'PY'
import re, sys
label, rows, tmp, ref = sys.argv[1].split(), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
def median(sink):
    runs = []
    for k in range(3):
        text = open(f"{tmp}/{sink}.{k}").read()
        m = re.search(r"\(([\d.]+) (B|KB|MB|GB|TB)\).* in ([\d.]+) s:", text)
        size = float(m.group(1)) * {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}[m.group(2)]
        rss = int(re.search(r"rss_kb=(\d+)", text).group(1)) / 1024
        runs.append((float(m.group(3)), size, rss))
    return sorted(runs)[1]
(null_s, size, rss), (tmpfs_s, _, _) = median("null"), median("tmpfs")
verify_s = sorted(float(re.search(r"verify_s=([\d.]+)", open(f"{tmp}/verify.{k}").read()).group(1)) for k in range(3))[1]
if label[0] == "csv" and label[1] == "none":
    open(f"{tmp}/csv_size", "w").write(str(size))
    open(f"{tmp}/csv_rate", "w").write(str(rows / tmpfs_s))
csv_size, csv_rate = float(open(f"{tmp}/csv_size").read()), float(open(f"{tmp}/csv_rate").read())
rate = rows / tmpfs_s
print(f"| {label[0]} | {label[1]} | {label[2]} | {rows / null_s / 1e6:.2f}M | {rate / 1e6:.2f}M | {rate / csv_rate:.2f}x | {rate / ref:.1f}x | "
      f"{rows / verify_s / 1e6:.2f}M | {tmpfs_s / verify_s:.2f}x | {size / rows:.0f} | {size / csv_size:.2f} | {rss:.0f} |")
PY
    tail -1 "$table"
  done
}
