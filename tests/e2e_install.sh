#!/usr/bin/env bash
# spotgen installs like HPC software, and the front door works on a fresh
# machine:
# - scripts/run.sh builds and runs where only the build packages are: its
#   build is configured with a pkg-config search path holding the .pc files
#   of scripts/packages.txt's "build" packages and their dependencies alone
#   (cmocka and every other test-only library hidden), as root and as a user
#   without root; a missing package is named in one line with its command;
# - cmake --install puts bin/spotgen, its man page, the bash completion, the
#   example config and the job scripts under a prefix, and the installed
#   binary runs under mpirun with the same bytes as the build's;
# - scripts/package.sh (cpack -G DEB) makes a .deb whose Depends name the package of every shared
#   library the binary loads (NEEDED directly, ldd's whole list through the
#   Depends' own dependencies) and mpirun, with the files above;
# - generate --help is docs/generate.md's flag table; the man page has every
#   subcommand and flag and renders without warnings; the completion offers
#   the subcommands, each subcommand's flags and the values of --format and
#   --parquet-codec that the binary accepts;
# - no job or node script lists packages of its own (scripts/packages.txt).
# e2e_fresh_node installs this .deb, left in SPOTGEN_DEB_DIR (a ctest
# fixture), on a fresh Debian 12 through node-setup.sh.
source "$(dirname "$0")/lib.sh"
REPO=$(cd "$TESTS/.." && pwd)
needs git apt-cache dpkg-deb cpack groff
source "$REPO/scripts/deps.sh"
chmod 755 "$WORK" # the unprivileged user below works in it too

# --- run.sh where only the build packages are installed ---------------------
# The packages a machine with only "build" installed has: those and what they
# depend on. Their .pc files are the whole pkg-config search path.
mapfile -t have < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
  --no-breaks --no-replaces --no-enhances "${BUILD_PACKAGES[@]}" | grep -v '^ ' | grep -v '^<' | sort -u)
mkdir -p "$WORK/pc"
for p in "${have[@]}"; do dpkg -L "$p" 2>/dev/null || true; done | grep '\.pc$' >"$WORK/pc.list" || true
xargs -r ln -sf -t "$WORK/pc" <"$WORK/pc.list"
export PKG_CONFIG_LIBDIR=$WORK/pc
pkg-config --exists libcjson libcurl libcrypto zlib libzstd libdeflate ||
  fail "the build packages' .pc files are not all in the search path: $(ls "$WORK/pc")"
for t in cmocka; do
  ! pkg-config --exists "$t" || fail "$t, a test-only library, is visible to pkg-config"
done

source_copy "$WORK/src"
(cd "$WORK/src" && scripts/run.sh --rows 200000 --rows-per-part 50000 >"$WORK/run.out" 2>&1) ||
  fail "scripts/run.sh failed where only the build packages are installed: $(tail -5 "$WORK/run.out")"
[ -e "$WORK/src/data/spotify/_SUCCESS" ] && [ -s "$WORK/src/data/spotify/_report.html" ] ||
  fail "run.sh did not leave a dataset with _SUCCESS and its report"
grep -q "^Report: $WORK/src/data/spotify/_report.html" "$WORK/run.out" || fail "run.sh did not print the report's path"
pass "scripts/run.sh builds, generates, verifies and reports with the build packages alone (cmocka hidden)"

# As a user without root, in the same checkout (its build is up to date):
# mpirun without --allow-run-as-root, files owned by the user.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
  cp "$WORK/src/data/spotify/part-00001.csv" "$WORK/root-part-00001.csv"
  chown -R nobody "$WORK/src"
  (cd "$WORK/src" && setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
     env HOME="$WORK/src" scripts/run.sh --rows 200000 --rows-per-part 50000 >"$WORK/user.out" 2>&1) ||
    fail "scripts/run.sh failed as an unprivileged user: $(tail -5 "$WORK/user.out")"
  [ "$(stat -c %U "$WORK/src/data/spotify/part-00001.csv")" = nobody ] || fail "the user's parts are not the user's"
  cmp -s "$WORK/src/data/spotify/part-00001.csv" "$WORK/root-part-00001.csv" ||
    fail "the user's part 1 differs from root's"
  # A package that is missing, with neither root nor sudo: one line, the package and the command.
  rc=0
  setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups env PATH=/usr/bin:/bin \
    bash -c "source '$REPO/scripts/deps.sh' && ensure_packages cmake spotgen-no-such-package" \
    >"$WORK/missing.out" 2>&1 || rc=$?
  [ $rc != 0 ] || fail "a missing package went unnoticed"
  [ "$(wc -l <"$WORK/missing.out")" = 1 ] && grep -q "spotgen-no-such-package.*apt-get install spotgen-no-such-package" "$WORK/missing.out" ||
    fail "a missing package is not one line with the command: $(cat "$WORK/missing.out")"
  pass "run.sh as an unprivileged user (same bytes); a missing package without root is one line naming it and apt-get install"
else
  skip_part "the unprivileged user's run needs root, setpriv and the user nobody"
fi

# CMake itself names what is missing, in one line with the command.
mkdir -p "$WORK/nopc"
rc=0
PKG_CONFIG_LIBDIR=$WORK/nopc cmake -S "$WORK/src" -B "$WORK/b-nopc" -DBUILD_TESTING=OFF >/dev/null 2>"$WORK/cmake.err" || rc=$?
[ $rc != 0 ] || fail "cmake configured without libcjson and the other libraries"
grep -q "^ *spotgen needs libcjson-dev zlib1g-dev libssl-dev libcurl4-openssl-dev libzstd-dev libdeflate-dev liblz4-dev libbrotli-dev to build: install with 'sudo apt-get install libcjson-dev zlib1g-dev libssl-dev libcurl4-openssl-dev libzstd-dev libdeflate-dev liblz4-dev libbrotli-dev'" "$WORK/cmake.err" ||
  fail "cmake's message for missing packages: $(cat "$WORK/cmake.err")"
! grep -q "Call Stack" "$WORK/cmake.err" || fail "cmake printed a call stack"
rc=0
cmake -S "$WORK/src" -B "$WORK/b-tests" -DBUILD_TESTING=ON >/dev/null 2>"$WORK/cmake-tests.err" || rc=$?
[ $rc != 0 ] || fail "the tests were configured without cmocka"
grep -q "spotgen's tests need libcmocka-dev: install with 'sudo apt-get install libcmocka-dev'.*-DBUILD_TESTING=OFF" "$WORK/cmake-tests.err" ||
  fail "cmake's message for cmocka: $(cat "$WORK/cmake-tests.err")"
pass "cmake names the missing packages in one line with apt-get install (cmocka for the tests, or -DBUILD_TESTING=OFF)"
unset PKG_CONFIG_LIBDIR

# --- cmake --install ----------------------------------------------------------
P=$WORK/prefix
cmake --install "$WORK/src/build" --prefix "$P" >/dev/null
for f in bin/spotgen share/man/man1/spotgen.1 share/bash-completion/completions/spotgen \
         share/spotgen/examples/config.json share/spotgen/examples/clean_dirty.py \
         share/spotgen/examples/clean_dirty.sql share/spotgen/jobs/slurm/generate.sbatch \
         share/spotgen/jobs/slurm/generate-array.sbatch share/spotgen/jobs/parallelcluster/cluster.yaml \
         share/spotgen/jobs/parallelcluster/node-setup.sh share/spotgen/jobs/emr/ingest.py; do
  [ -s "$P/$f" ] || fail "cmake --install did not install $f"
done
[ -x "$P/share/spotgen/jobs/slurm/generate.sbatch" ] || fail "the installed job script is not executable"
[ "$("$P/bin/spotgen" --version)" = "$("$SPOTGEN" --version)" ] || fail "the installed binary is another version"
(cd "$WORK" && "$MPIEXEC" "${MPI_FLAGS[@]}" -np 3 "$P/bin/spotgen" generate --rows 1M --rows-per-part 400000 \
  --config "$P/share/spotgen/examples/config.json" --out installed --no-progress >/dev/null) ||
  fail "the installed spotgen failed under mpirun"
run_np 1 generate --rows 1M --rows-per-part 400000 --config "$P/share/spotgen/examples/config.json" \
  --out "$WORK/built" --no-progress >/dev/null
for k in 0 1 2; do
  cmp -s "$WORK/installed/part-0000$k.csv" "$WORK/built/part-0000$k.csv" || fail "installed part $k differs from the build's"
done
"$P/bin/spotgen" verify "$WORK/installed" >/dev/null || fail "the installed spotgen's verify failed"
pass "cmake --install: bin, man page, completion, example config and job scripts; the installed binary under mpirun -np 3 writes the build's bytes"

# --- the .deb -------------------------------------------------------------------
# package.sh on run.sh's build: the same options, so nothing is rebuilt
(cd "$WORK/src" && scripts/package.sh build >"$WORK/package.out" 2>&1) ||
  fail "scripts/package.sh failed: $(tail -5 "$WORK/package.out")"
deb=$(tail -n 1 "$WORK/package.out")
[ -f "$deb" ] || fail "scripts/package.sh did not print the .deb's path: $(cat "$WORK/package.out")"
[ "$(dpkg-deb -f "$deb" Package)" = spotgen ] && [ "$(dpkg-deb -f "$deb" Version)" = "$("$SPOTGEN" --version | cut -d' ' -f2)" ] ||
  fail "the .deb's name or version is wrong: $(dpkg-deb -f "$deb" Package Version)"
depends=$(dpkg-deb -f "$deb" Depends)
dep_names() { tr ',|' '\n\n' | sed 's/(.*)//; s/ //g' | grep -v '^$' | sort -u; }
echo "$depends" | dep_names >"$WORK/depends"
for p in $(packages run); do grep -qx "$p" "$WORK/depends" || fail "the .deb does not depend on $p (scripts/packages.txt run): $depends"; done
# Each library the binary names (NEEDED) is in a package the .deb depends on.
dpkg-deb -x "$deb" "$WORK/deb"
bin=$WORK/deb/usr/bin/spotgen
# owner LIBPATH : the package holding the library's file (dpkg records /lib or
# /usr/lib, whichever the package shipped: merged /usr makes both the same)
owner() {
  local real f
  real=$(readlink -f "$1")
  for f in "$1" "$real" "${1#/usr}" "${real#/usr}" "/usr$1" "/usr$real"; do
    dpkg -S "$f" 2>/dev/null | head -1 | cut -d: -f1 && return 0
  done
  true # no package: the caller's check names the library
}
needed=$(objdump -p "$bin" | awk '$1 == "NEEDED" {print $2}')
[ -n "$needed" ] || fail "objdump found no NEEDED libraries in $bin"
for lib in $needed; do
  path=$(ldd "$bin" | awk -v l="$lib" '$1 == l {print $3}')
  [ -n "$path" ] || fail "$lib is not found by ldd"
  pkg=$(owner "$path")
  grep -qx "$pkg" "$WORK/depends" || fail "$lib ($path, package $pkg) is not in the .deb's Depends: $depends"
done
# Every library ldd resolves, direct or not, comes with the Depends.
mapfile -t closure < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
  --no-breaks --no-replaces --no-enhances $(cat "$WORK/depends") | grep -v '^ ' | grep -v '^<' | sed 's/:.*//' | sort -u)
printf '%s\n' "${closure[@]}" >"$WORK/closure"
ldd "$bin" | awk '$3 ~ /^\// {print $1, $3}' | while read -r lib path; do
  pkg=$(owner "$path")
  grep -qx "$pkg" "$WORK/closure" || fail "$lib ($pkg) would not be installed with the .deb's Depends"
done
dpkg-deb -c "$deb" | awk '{print $6}' >"$WORK/files"
for f in ./usr/bin/spotgen ./usr/share/man/man1/spotgen.1 ./usr/share/bash-completion/completions/spotgen \
         ./usr/share/spotgen/examples/config.json ./usr/share/spotgen/jobs/slurm/generate.sbatch \
         ./usr/share/spotgen/jobs/parallelcluster/node-setup.sh; do
  grep -qx "$f" "$WORK/files" || fail "the .deb lacks $f"
done
! grep -v '^\./usr/' "$WORK/files" | grep -q . || fail "the .deb installs outside /usr: $(grep -v '^\./usr/' "$WORK/files")"
"$bin" --version >/dev/null || fail "the packaged binary does not run"
if [ -n "${SPOTGEN_DEB_DIR:-}" ]; then # for e2e_fresh_node
  rm -rf "$SPOTGEN_DEB_DIR" && mkdir -p "$SPOTGEN_DEB_DIR" && cp "$deb" "$SPOTGEN_DEB_DIR/"
fi
pass "scripts/package.sh: Depends $(tr '\n' ' ' <"$WORK/depends")cover every NEEDED library and ldd's whole list; files under /usr"

# --- help, man page, completion -------------------------------------------------
awk '/^## Generating/ {g = 1; next} g && /^```/ {if (in_block) exit; in_block = 1; next} in_block' \
  "$REPO/docs/generate.md" >"$WORK/readme-flags"
"$SPOTGEN" generate --help >"$WORK/help-flags"
diff -u "$WORK/readme-flags" "$WORK/help-flags" >"$WORK/help.diff" ||
  fail "docs/generate.md's flag table differs from 'spotgen generate --help': $(cat "$WORK/help.diff")"

man=$REPO/docs/spotgen.1
groff -man -Tutf8 -ww -z "$man" 2>"$WORK/groff.err"
[ ! -s "$WORK/groff.err" ] || fail "the man page renders with warnings: $(cat "$WORK/groff.err")"
grep -q "^\.TH SPOTGEN 1 .*\"$("$SPOTGEN" --version)\"" "$man" || fail "the man page's .TH is not $("$SPOTGEN" --version)"
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man" >"$WORK/man.txt"
commands=$("$SPOTGEN" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p')
[ "$(echo "$commands" | wc -w)" -ge 4 ] || fail "spotgen --help lists no commands: $commands"
for c in $commands; do
  grep -q "^\.B $c$" "$WORK/man.txt" || fail "the man page does not describe the command $c"
  grep -q "^\.SH $(echo "$c" | tr a-z A-Z) OPTIONS" "$WORK/man.txt" || fail "the man page has no $c options section"
  for f in $("$SPOTGEN" "$c" --help | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u); do
    grep -q -- "$f\b" "$WORK/man.txt" || fail "the man page lacks $c $f"
  done
done
pass "docs/generate.md's flag table is 'generate --help'; the man page renders cleanly and has every command and flag"

# complete WORDS... : what the installed completion offers for the last word
complete_words() {
  PATH="$P/bin:$PATH" bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _spotgen; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$P/share/bash-completion/completions/spotgen" "$@" | sort
}
[ "$(complete_words spotgen "" | tr '\n' ' ')" = "$(printf '%s\n' $commands --help --version | sort | tr '\n' ' ')" ] ||
  fail "completing a command offers: $(complete_words spotgen "")"
for c in $commands; do
  want=$("$SPOTGEN" "$c" --help | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u)
  [ "$(complete_words spotgen "$c" --)" = "$want" ] || fail "completing $c's flags offers $(complete_words spotgen "$c" --)"
done
[ "$(complete_words spotgen generate --ro | tr '\n' ' ')" = "--row-group-size --rows --rows-per-part " ] ||
  fail "completing --ro offers $(complete_words spotgen generate --ro)"
formats=$({ "$SPOTGEN" schema --format x 2>&1 || true; } | sed -n 's/.*choose one of: //p' | tr -d ',' | tr ' ' '\n' | sort)
[ -n "$formats" ] && [ "$(complete_words spotgen generate --format "")" = "$formats" ] ||
  fail "completing --format offers $(complete_words spotgen generate --format "") for $formats"
codecs=$({ "$SPOTGEN" generate --rows 1 --out null: --format parquet --parquet-codec x 2>&1 || true; } | sed -n 's/.*choose one of: //p' | tr -d ',' | tr ' ' '\n' | sort)
[ -n "$codecs" ] && [ "$(complete_words spotgen generate --parquet-codec "")" = "$codecs" ] ||
  fail "completing --parquet-codec offers $(complete_words spotgen generate --parquet-codec "") for $codecs"
mkdir -p "$WORK/sets/ds1"
[ "$(cd "$WORK/sets" && complete_words spotgen verify d)" = ds1 ] || fail "completing verify's dataset does not offer directories"
pass "bash completion: the commands, each command's flags as --help has them, --format and --parquet-codec values the binary accepts, datasets"

# --- one list of packages -----------------------------------------------------
# Package names appear only in scripts/packages.txt: no job, node or build
# script keeps a list of its own.
if grep -rnE '\blib[a-z0-9.+-]+(-dev|[0-9]v?[0-9]*)\b' "$REPO/scripts" "$REPO/jobs" "$REPO/terraform" \
     --include='*.sh' --include='*.sbatch' --include='*.tftpl' --include='*.yaml' --include='*.tf' |
     grep -v 'apt-get install libcmocka' >"$WORK/lists"; then
  fail "package lists outside scripts/packages.txt: $(cat "$WORK/lists")"
fi
pass "every script that installs packages reads scripts/packages.txt"
