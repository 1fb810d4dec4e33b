#!/usr/bin/env bash
# Builds the Debian package for cluster nodes: installs what building takes
# (scripts/packages.txt, "build" and "package"), builds spotgen without its
# tests into BUILD_DIR (default build-deb/; run.sh's build/ is the same
# build), and runs cpack. Prints the .deb's path. Build it on the distribution
# the nodes run (Debian 12, Ubuntu 22.04, ...): its Depends name that
# distribution's library packages.
#   usage: scripts/package.sh [BUILD_DIR]
#   scripts/package.sh && sudo apt-get install ./build-deb/spotgen_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}"
dir=${1:-build-deb}
build_product "$dir"
(cd "$dir" && rm -f spotgen_*.deb && cpack -G DEB >/dev/null)
ls "$(cd "$dir" && pwd)"/spotgen_*.deb
