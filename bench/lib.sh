# Shared by the bench scripts, sourced from the repository's root.
source scripts/deps.sh

# bench_setup [PACKAGES...] : the build packages and PACKAGES installed, a
# release build in build-bench/, and MPI_FLAGS for mpirun
bench_setup() {
  ensure_packages "${BUILD_PACKAGES[@]}" "$@"
  build build-bench -DCMAKE_BUILD_TYPE=Release
  mpi_flags
}

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
