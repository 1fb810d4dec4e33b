#!/usr/bin/env bash
# Builds the Debian package for cluster nodes: installs what building takes
# (scripts/packages.txt, "build" and "package"), builds spotgen without its
# tests into build-deb/, and runs cpack. Prints the .deb's path. Build it on
# the distribution the nodes run (Debian 12, Ubuntu 22.04, ...): its Depends
# name that distribution's library packages.
#   scripts/package.sh && sudo apt-get install ./build-deb/spotgen_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}"
build_product build-deb
(cd build-deb && cpack -G DEB >/dev/null)
ls "$(pwd)"/build-deb/spotgen_*.deb
