# Sourced by run.sh, test.sh and package.sh: installs missing Debian packages.
# Works as root, or as a user with sudo. The lists are scripts/packages.txt.

# packages USE : the packages of one line of scripts/packages.txt
packages() {
  sed -n "s/^$1:[[:space:]]*//p" "$(dirname "${BASH_SOURCE[0]}")/packages.txt"
}
read -ra BUILD_PACKAGES <<<"$(packages build)"
read -ra PACKAGE_PACKAGES <<<"$(packages package)"
read -ra TEST_PACKAGES <<<"$(packages test)"

ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null ||
      { echo "spotgen: missing packages ${missing[*]}; as root, run: apt-get install ${missing[*]}" >&2; return 1; }
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

# The product alone, without the tests (which need cmocka): what run.sh and
# package.sh build.
build_product() { # DIR [cmake options...]
  local dir=$1; shift
  build "$dir" -DBUILD_TESTING=OFF "$@"
}

# Node.js and npm (for DuckDB's package): Debian's only when none is installed,
# since a Node.js from elsewhere conflicts with Debian's npm package.
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  ensure_packages nodejs npm
}
