#!/usr/bin/env bash
# Installs what the tests need, builds (warnings are errors), runs every test
# with ctest, then the unit tests and the main MPI tests again under
# AddressSanitizer and UBSan, then the fuzzers for a bounded time.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_node
npm ci --prefix tests/node --no-audit --no-fund --loglevel=error >/dev/null
# The S3 tests' server and clients are not Debian packages: say how to get
# them. Without them those tests skip, and in CI (CI=true) fail.
if ! command -v moto_server >/dev/null || ! command -v aws >/dev/null ||
  ! python3 -c 'import boto3, botocore' 2>/dev/null; then
  echo "spotgen: moto_server, the AWS CLI, boto3 or botocore is missing (not Debian packages): pip install 'moto[server]' boto3 awscli" >&2
fi

build build -DSPOTGEN_WERROR=ON -DBUILD_TESTING=ON
ctest --test-dir build --output-on-failure -j "$(nproc)"

# -O1, as the sanitizers' authors advise: about twice the speed of -O0, and
# the same reports.
build build-asan -DSPOTGEN_WERROR=ON -DSPOTGEN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g"
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" -R '^unit_'
# The MPI tests that cover the most code, under ASan and UBSan too. Leak
# checking stays on for the unit tests but is off here: Open MPI leaves its
# own allocations at exit (in components it has unloaded, so they cannot be
# suppressed by name); memory errors and undefined behaviour still abort.
# The independent readers (node) are left to the first stage, which read the
# same bytes (tests/lib.sh: readers).
SPOTGEN_SANITIZED=1 ASAN_OPTIONS=detect_leaks=0 ctest --test-dir build-asan --output-on-failure -j "$(nproc)" \
  -R '^e2e_(mpi_identity|consistency|formats|parquet|resume|s3|dirty|partitions|iceberg|days|days_tables|days_iceberg)$'

# The libFuzzer harnesses (clang), each for a bounded time from its seed
# corpus in tests/fuzz/corpus: the CLI, --config and --dirty parsers, the S3 XML
# parsers, the Parquet and CSV readers (verify's and score's; CSV plain,
# gzip and zstd), the report from hostile manifests, and the records a run
# reads back (journals and manifests given to --resume, manifests given to
# verify).
# One per core at a time, each under a memory limit: an input that makes a
# reader hold more than 1 GiB, or ask for more than 512 MiB at once, is a
# crash (the readers' bounds are far below). A crash fails the run and
# leaves the input that caused it in build-fuzz/.
CC=clang build build-fuzz -DSPOTGEN_FUZZ=ON -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
fuzz() { # HARNESS
  rm -rf "build-fuzz/corpus-$1" && mkdir -p "build-fuzz/corpus-$1"
  (cd build-fuzz && "./fuzz_$1" -max_total_time="${FUZZ_SECONDS:-12}" -print_final_stats=1 \
    -rss_limit_mb=1024 -malloc_limit_mb=512 \
    "corpus-$1" "../tests/fuzz/corpus/$1" 2>"fuzz_$1.log") ||
    { tail -40 "build-fuzz/fuzz_$1.log"; echo "fuzz_$1 found a crash" >&2; return 1; }
  echo "fuzz_$1: $(grep -m1 '^Done' "build-fuzz/fuzz_$1.log")"
}
harnesses=(cli s3_xml parquet report records csv avro)
for ((i = 0; i < ${#harnesses[@]}; i += $(nproc))); do
  pids=()
  for f in "${harnesses[@]:i:$(nproc)}"; do fuzz "$f" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done
done
