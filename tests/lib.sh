# Shared helpers for the end-to-end tests (sourced). ctest sets SPOTGEN,
# MPIEXEC and TESTS; each test works in its own temporary directory.
set -euo pipefail
: "${SPOTGEN:?set SPOTGEN to the spotgen binary}"
: "${MPIEXEC:=mpiexec}"
: "${TESTS:=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
MPI_FLAGS=(--oversubscribe)
if [ "$(id -u)" = 0 ]; then MPI_FLAGS+=(--allow-run-as-root); fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/spotgen-test.XXXXXX")
# On exit, whether the test passed or failed early: what on_exit asked for,
# then every background process the test started (moto, proxies, spotgen
# runs, a frozen one too) is stopped, and the work directory removed.
EXIT_HOOKS=()
on_exit() { EXIT_HOOKS+=("$1"); }
cleanup() {
  local h p
  for h in "${EXIT_HOOKS[@]}"; do eval "$h" 2>/dev/null || true; done
  for p in $(jobs -p); do
    kill -TERM "$p" 2>/dev/null || true
    kill -CONT "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# skip WHY : the test cannot run here, WHY names what is missing: ctest
# shows "Skipped" (exit 77). In CI (CI=true, as .ci/run sets it) a skip
# never passes: the test fails, naming what is missing.
skip() {
  [ "${CI:-}" != true ] || fail "$1 (CI=true: a test that cannot run fails)"
  echo "SKIP: $1" >&2
  exit 77
}
# skip_part WHY : a part of the test cannot run here; the rest goes on, and
# the line says so. In CI, a failure as skip's.
skip_part() {
  [ "${CI:-}" != true ] || fail "$1 (CI=true: a part of a test that cannot run fails)"
  echo "SKIP (this part only): $1" >&2
}
# needs COMMAND... : skip the test when a component it runs is not
# installed. The CI machine's python3 has moto, botocore and the AWS CLI; a
# normal user's environment may not.
needs() {
  for c in "$@"; do
    command -v "$c" >/dev/null || skip "$c is not installed for $(id -un)"
  done
}
# needs_root WHY : skip the test unless it runs as root.
needs_root() {
  [ "$(id -u)" = 0 ] || skip "$1"
}
pass() { echo "ok - $*"; }

# readers : whether the independent readers (hyparquet and DuckDB, in node)
# check the bytes too. Not in the sanitizer stage (SPOTGEN_SANITIZED=1, set
# by scripts/test.sh): it looks for memory errors in spotgen, and the plain
# stage's readers have read the same bytes.
readers() { [ "${SPOTGEN_SANITIZED:-0}" != 1 ]; }

# full_size : whether the checks that need a large run (kill -9 and
# --resume of many parts, identity at sizes where members or pages fall
# differently) run too. Not in the sanitizer stage, which runs the same code
# on the small runs.
full_size() { [ "${SPOTGEN_SANITIZED:-0}" != 1 ]; }

# run_np N ARGS... : spotgen under mpiexec with N ranks (N=0: without mpiexec)
run_np() {
  local n=$1; shift
  if [ "$n" = 0 ]; then "$SPOTGEN" "$@"; else "$MPIEXEC" "${MPI_FLAGS[@]}" -np "$n" "$SPOTGEN" "$@"; fi
}

# kill_job PID : SIGKILL to the ranks of the mpiexec started as PID (its
# children) and to mpiexec itself, and to nothing else: ctest runs other
# tests' spotgen beside this one.
kill_job() {
  pkill -KILL -P "$1" || true
  kill -KILL "$1" 2>/dev/null || true
}

# killed_when DIR FILE NP ARGS... : spotgen ARGS, writing the dataset DIR,
# under mpiexec with NP ranks, killed with SIGKILL (kill_job) as soon as
# DIR/FILE exists (or after 30 s); fails when the run finished first (the
# test then needs a slower run).
killed_when() {
  local dir=$1 file=$1/$2 np=$3 pid
  shift 3
  "$MPIEXEC" "${MPI_FLAGS[@]}" -np "$np" "$SPOTGEN" "$@" 2>/dev/null &
  pid=$!
  for _ in $(seq 1500); do
    [ -e "$file" ] && break
    sleep 0.02
  done
  kill_job $pid
  wait $pid 2>/dev/null || true
  [ ! -e "$dir/_SUCCESS" ] || fail "the run finished before it was killed; the test needs a slower run"
}

# manifest_without_run FILE : the manifest minus its run-specific section
manifest_without_run() {
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); m.pop("run"); print(json.dumps(m, sort_keys=True))' "$1"
}

# mend DIR KEY... : the manifest's bytes and CRC-32 of the parts KEY made to
# match their files (a file changed on purpose, that verify must still read)
mend() {
  python3 - "$@" <<'PY'
import json, sys, zlib
d, keys = sys.argv[1], sys.argv[2:]
m = json.load(open(f"{d}/_manifest.json"))
for e in m["parts"]:
    if e["key"] in keys:
        data = open(f"{d}/{e['key']}", "rb").read()
        e.update(bytes=len(data), checksum="crc32:%08x" % zlib.crc32(data))
json.dump(m, open(f"{d}/_manifest.json", "w"))
PY
}

# flip_byte FILE FRACTION : changes the byte at FRACTION of FILE's length
flip_byte() {
  python3 - "$1" "$2" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[int(len(b) * float(sys.argv[2]))] ^= 0x55
open(sys.argv[1], "wb").write(b)
PY
}

# refused "OPTIONS" "LINE" : `generate --rows 10 OPTIONS` is refused before any
# work: exit 2, the one line "spotgen: LINE" on stderr, nothing written
refused() {
  local rc=0 want="spotgen: $2"
  # shellcheck disable=SC2086
  "$SPOTGEN" generate --rows 10 $1 --out "$WORK/refused" 2>"$WORK/refused.err" || rc=$?
  [ $rc = 2 ] || fail "'$1' exited $rc, not 2"
  [ "$(cat "$WORK/refused.err")" = "$want" ] || fail "'$1': expected '$want', got: $(cat "$WORK/refused.err")"
  [ ! -e "$WORK/refused" ] || fail "'$1' wrote $WORK/refused"
}

# source_copy DIR : a copy of the source tree in DIR (what git tracks, and new
# files not ignored; no build directories), for tests that run the project's
# own scripts, which build into the tree.
source_copy() {
  local repo
  repo=$(cd "$TESTS/.." && pwd)
  mkdir -p "$1"
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$1")
}
