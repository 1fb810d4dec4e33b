# Shared helpers for the end-to-end tests (sourced). ctest sets SPOTGEN,
# MPIEXEC and TESTS; each test works in its own temporary directory.
set -euo pipefail
: "${SPOTGEN:?set SPOTGEN to the spotgen binary}"
: "${MPIEXEC:=mpiexec}"
: "${TESTS:=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
MPI_FLAGS=(--oversubscribe)
if [ "$(id -u)" = 0 ]; then MPI_FLAGS+=(--allow-run-as-root); fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/spotgen-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# needs COMMAND... : skip the test (ctest shows "Skipped", exit 77) when a
# component it runs is not installed. The CI machine's python3 has moto,
# botocore and the AWS CLI; a normal user's environment may not.
needs() {
  for c in "$@"; do
    command -v "$c" >/dev/null || { echo "SKIP: $c is not installed for $(id -un)" >&2; exit 77; }
  done
}
pass() { echo "ok - $*"; }

# run_np N ARGS... : spotgen under mpiexec with N ranks (N=0: without mpiexec)
run_np() {
  local n=$1; shift
  if [ "$n" = 0 ]; then "$SPOTGEN" "$@"; else "$MPIEXEC" "${MPI_FLAGS[@]}" -np "$n" "$SPOTGEN" "$@"; fi
}

# manifest_without_run FILE : the manifest minus its run-specific section
manifest_without_run() {
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); m.pop("run"); print(json.dumps(m, sort_keys=True))' "$1"
}
