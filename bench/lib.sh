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
