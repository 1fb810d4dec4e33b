#!/usr/bin/env bash
# A cluster node goes from a fresh Debian 12 to spotgen running through the
# book: debootstrap makes a minimal Debian 12 with the AWS CLI (what a
# ParallelCluster image has) and nothing of spotgen's; the .deb that
# e2e_install built with scripts/package.sh (and checked) goes to a real S3
# (moto_server, signatures checked)
# beside an older, broken one; jobs/parallelcluster/node-setup.sh, run in
# the fresh system as ParallelCluster runs it, takes the newest package from
# S3 (and refuses, in one line, a folder without one) and apt-get installs it with the libraries its Depends name; then
# mpirun -np 3 of the installed spotgen writes the same bytes as the build
# here. Mounts are made in a private mount namespace and vanish with it.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
REPO=$(cd "$TESTS/.." && pwd)
needs_root "debootstrap and chroot need root"
needs debootstrap unshare chroot
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
start_moto

# A folder without a package: one line saying what to do, and nothing installed.
rc=0
bash "$REPO/jobs/parallelcluster/node-setup.sh" "s3://$BUCKET/setup" >"$WORK/empty.out" 2>&1 || rc=$?
[ $rc = 1 ] && [ "$(wc -l <"$WORK/empty.out")" = 1 ] && grep -q "no spotgen_VERSION_amd64.deb in s3://$BUCKET/setup/; build one with scripts/package.sh" "$WORK/empty.out" ||
  fail "node-setup.sh with no package in S3 (exit $rc): $(cat "$WORK/empty.out")"

# --- the package, in S3 -----------------------------------------------------
deb=$(ls "${SPOTGEN_DEB_DIR:?the .deb comes from e2e_install: run both with ctest}"/spotgen_*_amd64.deb 2>/dev/null | head -1)
[ -f "$deb" ] || fail "no .deb in $SPOTGEN_DEB_DIR: e2e_install builds it (ctest runs it first)"
aws s3 cp --only-show-errors "$deb" "s3://$BUCKET/setup/$(basename "$deb")"
echo "not a package" >"$WORK/old.deb" # an older upload: installing it would fail
aws s3 cp --only-show-errors "$WORK/old.deb" "s3://$BUCKET/setup/spotgen_0.0.9_amd64.deb"

# --- a fresh node -------------------------------------------------------------
R=$WORK/node
debootstrap --variant=minbase --include=awscli,python3-cffi-backend,ca-certificates bookworm "$R" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
  fail "debootstrap of Debian 12 from $MIRROR failed: $(tail -3 "$WORK/debootstrap.log"; grep -A3 "^dpkg: error" "$R/debootstrap/debootstrap.log" 2>/dev/null | head -8)"
cp /etc/resolv.conf "$R/etc/resolv.conf"
cp "$REPO/jobs/parallelcluster/node-setup.sh" "$R/root/node-setup.sh"
node() { # COMMAND... : run in the node, with /proc and /dev/shm of its own
  unshare -m --propagation private bash -c \
    'R=$1; shift; mount -t proc proc "$R/proc" && mount -t tmpfs tmpfs "$R/dev/shm" && exec chroot "$R" "$@"' \
    _ "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
    AWS_DEFAULT_REGION=us-east-1 "$@"
}
node sh -c '! command -v spotgen && ! ls /usr/lib/x86_64-linux-gnu/libsnappy* /usr/lib/x86_64-linux-gnu/libmpi*' \
  >/dev/null 2>&1 || fail "the fresh node already has spotgen or its libraries"

# node-setup.sh as ParallelCluster runs it: as root, with the folder as its argument.
node env SPOTGEN_AWS="aws --endpoint-url $MOTO_URL" bash /root/node-setup.sh "s3://$BUCKET/setup" \
  >"$WORK/setup.out" 2>&1 || fail "node-setup.sh failed on a fresh node: $(tail -5 "$WORK/setup.out")"
grep -q "installed $("$SPOTGEN" --version) from s3://$BUCKET/setup/$(basename "$deb")" "$WORK/setup.out" ||
  fail "node-setup.sh did not install the newest package: $(cat "$WORK/setup.out")"
for f in usr/bin/spotgen usr/share/man/man1/spotgen.1 usr/share/bash-completion/completions/spotgen \
         usr/share/spotgen/jobs/slurm/generate.sbatch usr/share/spotgen/examples/config.json; do
  [ -s "$R/$f" ] || fail "the installed package lacks /$f"
done
pass "node-setup.sh on a fresh Debian 12: the newest .deb from S3, installed with its Depends by apt-get"

node mpirun --allow-run-as-root --oversubscribe -np 3 spotgen generate --rows 30000 --rows-per-part 10000 \
  --out /root/d --no-progress >"$WORK/gen.out" 2>&1 || fail "spotgen under mpirun on the node failed: $(cat "$WORK/gen.out")"
run_np 1 generate --rows 30000 --rows-per-part 10000 --out "$WORK/here" --no-progress >/dev/null
for k in 0 1 2; do
  cmp -s "$R/root/d/part-0000$k.csv" "$WORK/here/part-0000$k.csv" || fail "the node's part $k differs from the build's here"
done
[ -e "$R/root/d/_SUCCESS" ] || fail "no _SUCCESS on the node"
pass "the installed spotgen under mpirun -np 3 on the fresh node writes the same bytes as the build here"
