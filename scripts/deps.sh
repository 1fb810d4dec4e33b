# Sourced by run.sh and test.sh: installs missing Debian packages.
# Works as root, or as a user with sudo.

BUILD_PACKAGES=(build-essential cmake pkg-config openmpi-bin libopenmpi-dev libcjson-dev zlib1g-dev
                libssl-dev libcurl4-openssl-dev libzstd-dev libsnappy-dev)
TEST_PACKAGES=(libcmocka-dev python3 python3-yaml bsdutils procps openssl slurm-wlm munge gzip zstd valgrind clang libclang-rt-14-dev chromium)

ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "spotgen: missing packages ${missing[*]}; install them as root" >&2; return 1; }
    sudo=(sudo)
  fi
  echo "spotgen: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Open MPI refuses root unless told; --oversubscribe lets -np exceed the cores.
mpi_flags() {
  MPI_FLAGS=(--oversubscribe)
  if [ "$(id -u)" = 0 ]; then MPI_FLAGS+=(--allow-run-as-root); fi
}

build() { # DIR [cmake options...]
  local dir=$1; shift
  cmake -S . -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)" >/dev/null
}

# Node.js and npm (for DuckDB's package): Debian's only when none is installed,
# since a Node.js from elsewhere conflicts with Debian's npm package.
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  ensure_packages nodejs npm
}
