#!/usr/bin/env bash
# Local faults, on real filesystems mounted here: a disk that fills up (a
# 20 MiB tmpfs) fails the run cleanly (the path and the cause named, no
# temporary file, no manifest or _SUCCESS, every visible part complete); a
# read-only output (a read-only bind mount) is refused with exit 2 before
# any work; and even under umask 000 parts are 0644 and no temporary file is
# ever world-writable.
source "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=20m tmpfs "$WORK" 2>/dev/null; then
  skip "mounting a small tmpfs needs root (and a machine that allows mounts)"
fi
umount "$WORK"
FULL=$WORK/full RO=$WORK/ro
mkdir -p "$FULL" "$RO"
mount -t tmpfs -o size=20m tmpfs "$FULL"
mount --bind "$RO" "$RO"
mount -o remount,ro,bind "$RO"
on_exit 'umount "$FULL" "$RO"'

# A full disk.
rc=0
run_np 2 generate --rows 300000 --rows-per-part 50000 --no-progress --out "$FULL/ds" 2>"$WORK/err" || rc=$?
[ $rc = 1 ] || fail "a full disk: exit $rc, not 1"
grep -q "cannot write $FULL/ds/part-0000[0-9].csv: No space left on device; free some space or choose another --out" "$WORK/err" ||
  fail "the message does not name the file and the cause: $(cat "$WORK/err")"
grep -q "temporary files removed, no _SUCCESS written" "$WORK/err" || fail "$(cat "$WORK/err")"
[ ! -e "$FULL/ds/_SUCCESS" ] && [ ! -e "$FULL/ds/_manifest.json" ] || fail "manifest or _SUCCESS on a full disk"
[ -z "$(find "$FULL/ds" -name '.*.tmp')" ] || fail "temporary files left: $(find "$FULL/ds" -name '.*.tmp')"
for f in "$FULL/ds"/part-*.csv; do
  [ -e "$f" ] || continue
  [ "$(wc -l <"$f")" = 50001 ] || fail "$(basename "$f") is incomplete"
done
pass "disk full: exit $rc, the file and the cause named, temporary files removed, no _SUCCESS, visible parts complete"

# A read-only output: refused before any work, in one line.
for out in "$RO/ds" "$RO"; do
  rc=0
  run_np 2 generate --rows 1000 --out "$out" 2>"$WORK/err" || rc=$?
  [ $rc = 2 ] || fail "read-only --out $out: exit $rc, not 2"
  [ "$(grep -c '^spotgen:' "$WORK/err")" = 1 ] || fail "not one line: $(cat "$WORK/err")"
  grep -q "Read-only file system; choose a writable --out" "$WORK/err" || fail "$(cat "$WORK/err")"
done
pass "read-only output directory: exit 2 before any work, one line naming the cause"

# Permissions, under the most permissive umask.
(
  umask 000
  "$SPOTGEN" generate --rows 2000000 --rows-per-part 100000 --no-progress --out "$WORK/perm" 2>/dev/null &
  pid=$!
  while kill -0 $pid 2>/dev/null; do
    bad=$(find "$WORK/perm" -name '.*.tmp' -perm -o+w 2>/dev/null | head -1)
    [ -z "$bad" ] || { echo "world-writable: $bad" >"$WORK/perm.bad"; }
    sleep 0.02
  done
  wait $pid
) || fail "the umask 000 run failed"
[ ! -e "$WORK/perm.bad" ] || fail "a temporary file was world-writable: $(cat "$WORK/perm.bad")"
modes=$(stat -c %a "$WORK/perm"/part-*.csv "$WORK/perm/_manifest.json" "$WORK/perm/_SUCCESS" | sort -u | tr '\n' ' ')
[ "$modes" = "644 " ] || fail "modes under umask 000: $modes"
pass "umask 000: parts, manifest and _SUCCESS are 0644; no temporary file was ever world-writable"
