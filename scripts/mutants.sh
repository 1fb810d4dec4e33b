#!/usr/bin/env bash
# The mutation harness: does the suite fail when the code is wrong? For each
# mutant of scripts/mutants.txt (a realistic bug, and the tests that must
# catch it), in a copy of the tree: the mutant is applied, spotgen rebuilt,
# its tests run; a failing test kills the mutant. Prints killed/total and
# every survivor; exits 1 when one survives (or a mutant does not apply).
#
# usage: scripts/mutants.sh [--check] [NAME_PATTERN]
#   --check        only check that every mutant applies (its text is there once)
#   NAME_PATTERN   only the mutants whose name matches (grep -E)
# It takes about half an hour on 2 cores (bench/RESULTS.md), so it is not
# part of scripts/test.sh; run it after scripts/test.sh (which installs
# what the tests need) and before changing a test or the code it guards.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECK=0
[ "${1:-}" = --check ] && { CHECK=1; shift; }
PATTERN=${1:-.}
LIST=scripts/mutants.txt

# The mutants as records "NAME\tFILE\tTESTS\tOLD\tNEW" (OLD and NEW in
# base64: they hold quotes, backslashes and line breaks).
mutants() {
  python3 - "$LIST" <<'PY'
import base64, sys
blocks, cur = [], None
for line in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if line.startswith("## "):
        cur = {"name": line[3:], "old": [], "new": []}
        blocks.append(cur)
    elif cur is None or line.startswith("#") or not line.strip():
        continue
    elif line.startswith("file: "):
        cur["file"] = line[6:]
    elif line.startswith("tests: "):
        cur["tests"] = line[7:]
    elif line.startswith("- "):
        cur["old"].append(line[2:])
    elif line.startswith("+ "):
        cur["new"].append(line[2:])
for b in blocks:
    enc = lambda lines: base64.b64encode("\n".join(lines).encode()).decode()
    print("\t".join([b["name"], b["file"], b["tests"], enc(b["old"]), enc(b["new"])]))
PY
}

# apply FILE OLD NEW : OLD (base64) replaced by NEW in FILE; fails unless
# OLD is there exactly once (a line's leading spaces may differ: the match
# is on the text after them, line by line)
apply() {
  python3 - "$@" <<'PY'
import base64, re, sys
path = sys.argv[1]
old, new = (base64.b64decode(a).decode() for a in sys.argv[2:4])
text = open(path, encoding="utf-8").read()
# each line of OLD matches a line with any indentation; NEW keeps the first line's
pattern = r"\n".join(r"[ \t]*" + re.escape(l.strip()) for l in old.split("\n"))
found = list(re.finditer(pattern, text))
if len(found) != 1:
    sys.exit(f"{path}: the mutant's text is there {len(found)} times, not once")
m = found[0]
indent = re.match(r"[ \t]*", m.group(0)).group(0)
repl = "\n".join(indent + l.strip() for l in new.split("\n"))
open(path, "w", encoding="utf-8").write(text[:m.start()] + repl + text[m.end():])
PY
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/spotgen-mutants.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$WORK"
mkdir -p "$WORK/tests/node" && [ -d tests/node/node_modules ] && cp -r tests/node/node_modules "$WORK/tests/node/"

# First the tests without a mutant: a test that fails already would kill
# every mutant given to it.
if [ $CHECK = 0 ]; then
  all=$(mutants | awk -F'\t' '{print $3}' | sed 's/^\^(\{0,1\}//; s/)\{0,1\}\$$//' | tr '|' '\n' | sort -u | paste -sd'|')
  cmake -S "$WORK" -B "$WORK/build" -DBUILD_TESTING=ON >/dev/null && cmake --build "$WORK/build" -j "$(nproc)" >/dev/null
  (cd "$WORK/build" && ctest -R "^($all)\$" -j "$(nproc)" --timeout 600 >"$WORK/baseline.out" 2>&1) ||
    { grep -E '\(Failed\)|Not Run' "$WORK/baseline.out"; echo "the tests fail without a mutant: mend them first" >&2; exit 1; }
  echo "baseline: the mutants' tests pass without a mutant ($(grep -c ' Passed ' "$WORK/baseline.out") tests)"
fi

total=0 killed=0 survivors=() broken=()
# the list on fd 3: cmake and ctest inside the loop read standard input
while IFS=$'\t' read -r -u 3 name file tests old new; do
  grep -Eq -- "$PATTERN" <<<"$name" || continue
  total=$((total + 1))
  cp "$WORK/$file" "$WORK/$file.orig"
  if ! apply "$WORK/$file" "$old" "$new"; then
    broken+=("$name")
    continue
  fi
  if [ $CHECK = 1 ]; then
    mv "$WORK/$file.orig" "$WORK/$file"
    echo "applies: $name"
    continue
  fi
  start=$(date +%s)
  if ! (cmake -S "$WORK" -B "$WORK/build" -DBUILD_TESTING=ON >/dev/null &&
        cmake --build "$WORK/build" -j "$(nproc)" >/dev/null 2>"$WORK/build.err"); then
    result="killed (does not build)"
    killed=$((killed + 1))
  elif (cd "$WORK/build" && ctest -R "$tests" -j "$(nproc)" --timeout 600 >"$WORK/ctest.out" 2>&1); then
    result="SURVIVED ($tests pass)"
    survivors+=("$name")
  else
    result="killed by $(grep -oE '[a-z_0-9]+ \((Failed|Timeout|SEGFAULT|Exception|Not Run)[^)]*\)' "$WORK/ctest.out" | tr '\n' ' ' || true)"
    killed=$((killed + 1))
  fi
  mv "$WORK/$file.orig" "$WORK/$file"
  echo "$name: $result ($(( $(date +%s) - start )) s)"
done 3< <(mutants)

[ ${#broken[@]} = 0 ] || { printf 'does not apply: %s\n' "${broken[@]}"; }
if [ $CHECK = 1 ]; then
  echo "$((total - ${#broken[@]})) of $total mutants apply"
  [ ${#broken[@]} = 0 ]
  exit
fi
echo "mutants: $killed killed of $total"
[ ${#survivors[@]} = 0 ] || printf 'survived: %s\n' "${survivors[@]}"
[ ${#survivors[@]} = 0 ] && [ ${#broken[@]} = 0 ]
