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

# reference_rate ROWS DIR : rows/s of the Python reference (bench/reference.py:
# numpy, pandas, to_csv, the original script's way) writing ROWS rows into DIR,
# measured now, so that a script's figures carry their ratio to it from the
# same run on the same machine
reference_rate() {
  local rows=$1 dir=$2 out
  out=$(/usr/bin/python3 bench/reference.py "$rows" "$dir/reference.csv")
  rm -f "$dir/reference.csv"
  awk -v rows="$rows" '{printf "%.0f\n", rows / $4}' <<<"$out"
}
