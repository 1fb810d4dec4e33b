#!/usr/bin/env bash
# Installs what the tests need, builds (warnings are errors), runs every test
# with ctest, then the unit tests and the main MPI tests again under
# AddressSanitizer and UBSan, then the fuzzers for a bounded time.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_node
npm ci --prefix tests/node --no-audit --no-fund --loglevel=error >/dev/null

build build -DSPOTGEN_WERROR=ON -DBUILD_TESTING=ON
ctest --test-dir build --output-on-failure

build build-asan -DSPOTGEN_WERROR=ON -DSPOTGEN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
ctest --test-dir build-asan --output-on-failure -R '^unit_'
# The MPI tests that cover the most code, under ASan and UBSan too. Leak
# checking stays on for the unit tests but is off here: Open MPI leaves its
# own allocations at exit (in components it has unloaded, so they cannot be
# suppressed by name); memory errors and undefined behaviour still abort.
ASAN_OPTIONS=detect_leaks=0 ctest --test-dir build-asan --output-on-failure \
  -R '^e2e_(mpi_identity|consistency|formats|parquet|resume|s3)$'

# The libFuzzer harnesses (clang), each for a bounded time from its seed
# corpus in tests/fuzz/corpus: the CLI and config parsers, the S3 XML
# parsers, verify's Parquet reader, and the report from hostile manifests.
# A crash fails the run and leaves the input that caused it in build-fuzz/.
CC=clang build build-fuzz -DSPOTGEN_FUZZ=ON -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
for f in cli s3_xml parquet report; do
  rm -rf "build-fuzz/corpus-$f" && mkdir -p "build-fuzz/corpus-$f"
  (cd build-fuzz && "./fuzz_$f" -max_total_time="${FUZZ_SECONDS:-20}" -print_final_stats=1 \
    "corpus-$f" "../tests/fuzz/corpus/$f" 2>"fuzz_$f.log") ||
    { tail -40 "build-fuzz/fuzz_$f.log"; echo "fuzz_$f found a crash" >&2; exit 1; }
  grep -m1 '^Done' "build-fuzz/fuzz_$f.log"
done
