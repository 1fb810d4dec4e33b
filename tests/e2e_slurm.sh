#!/usr/bin/env bash
# jobs/slurm/generate.sbatch on a real one-node Slurm (Debian's slurm-wlm and
# munge, started here): submitted unchanged with 2 tasks, parameters through
# the environment, to a local directory and to moto S3; srun --mpi=pmix and
# the mpirun fallback; a job cancelled mid-run (SIGTERM, as at the time
# limit) leaves no _SUCCESS, and re-submitting it under the same name makes
# the dataset complete; a complete dataset is left alone; the job-array
# variant makes one dataset per task with seeds 42 and 43. Every job ends
# COMPLETED (or CANCELLED, the one cancelled), and `spotgen verify` passes on
# every dataset. The daemons are stopped by pid.
source "$(dirname "$0")/lib.sh"
source "$TESTS/s3_lib.sh"
REPO=$(cd "$TESTS/.." && pwd)
needs_root "slurmd and munged are started as root here"
source "$REPO/scripts/deps.sh"
ensure_packages slurm-wlm munge
start_moto

# --- a one-node cluster in $WORK --------------------------------------------
S=$WORK/slurm
mkdir -p "$S/state" "$S/spool" "$S/log"
PIDS=()
stop_all() {
  for p in "${PIDS[@]}" "${MOTO_PID:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap stop_all EXIT

mungekey -c -k "$S/munge.key" >/dev/null 2>&1
munged -F -f --key-file="$S/munge.key" --socket="$S/munge.sock" --pid-file="$S/munged.pid" \
  --log-file="$S/log/munged.log" --seed-file="$S/munged.seed" >"$S/log/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$S/munge.sock" ] && break; sleep 0.1; done
[ -S "$S/munge.sock" ] || fail "munged did not start: $(cat "$S/log/munged.out")"

HOST=$(hostname -s)
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
export SLURM_CONF=$S/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=spotgen-test
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
AuthInfo=socket=$S/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
KillWait=30
SlurmdParameters=config_overrides
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -f "$SLURM_CONF" >"$S/log/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -N "$HOST" -f "$SLURM_CONF" >"$S/log/slurmd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break
  sleep 0.2
done
[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] ||
  fail "the node did not come up: $(sinfo 2>&1; tail -5 "$S/log/slurmctld.log" "$S/log/slurmd.log")"
pass "slurmctld, slurmd and munged up: $(sinfo -h -o '%P %D %T %N')"

# --- helpers -------------------------------------------------------------------
state() { scontrol show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }

# finished ID : waits until job ID (every task of an array) has ended
finished() {
  for _ in $(seq 1200); do
    squeue -h -j "$1" 2>/dev/null | grep -q . || return 0
    sleep 0.1
  done
  fail "job $1 still running after 120 s"
}

# submit [sbatch options] SCRIPT : submits from the repository (as a user
# would), waits for the end and prints the job id; the job's environment is
# this shell's plus SPOTGEN_* set by the caller. (Polled here: sbatch --wait
# polls every few seconds.)
submit() {
  local id
  id=$(cd "$REPO" && sbatch --parsable -o "$WORK/job-%j.out" "$@" | cut -d';' -f1)
  finished "$id"
  echo "$id"
}

# check_job ID WANT_STATE DATASET : the job's state, its output, and verify
check_job() {
  local st
  st=$(state "$1")
  [ "$st" = "$2" ] || fail "job $1 ended $st, not $2: $(cat "$WORK/job-$1.out")"
  "$SPOTGEN" verify "$3" >"$WORK/verify.txt" 2>&1 || fail "verify $3: $(cat "$WORK/verify.txt")"
}

export SPOTGEN_BIN=$SPOTGEN

# --- local directory, srun --mpi=pmix --------------------------------------------
id=$(SPOTGEN_ROWS=200000 SPOTGEN_OUT=$WORK/data SPOTGEN_ARGS="--rows-per-part 50000" SPOTGEN_VERIFY=1 \
  submit jobs/slurm/generate.sbatch)
check_job "$id" COMPLETED "$WORK/data/job-$id"
grep -q "(srun)" "$WORK/job-$id.out" || fail "not launched by srun: $(cat "$WORK/job-$id.out")"
grep -q "on 2 ranks" "$WORK/job-$id.out" || fail "not 2 ranks: $(cat "$WORK/job-$id.out")"
# the job's own verify, its 2 tasks sharing the parts: one answer, rank 0's
[ "$(grep -c "^verify: $WORK/data/job-$id: 200000 rows, .* all pass" "$WORK/job-$id.out")" = 1 ] ||
  fail "the job's srun verify did not answer once, passing: $(cat "$WORK/job-$id.out")"
pass "sbatch to a local directory: job $id COMPLETED, srun --mpi=pmix, 2 ranks; srun spotgen verify in the job (2 tasks, one answer) and verify pass"
first=$id

# --- the same job again: complete, so left alone ---------------------------------
before=$(stat -c %Y "$WORK/data/job-$first/_SUCCESS")
id=$(SPOTGEN_RUN=job-$first SPOTGEN_ROWS=200000 SPOTGEN_OUT=$WORK/data submit jobs/slurm/generate.sbatch)
[ "$(state "$id")" = COMPLETED ] || fail "re-run of a complete dataset: $(state "$id")"
grep -q "already complete" "$WORK/job-$id.out" || fail "re-run did not skip: $(cat "$WORK/job-$id.out")"
[ "$(stat -c %Y "$WORK/data/job-$first/_SUCCESS")" = "$before" ] || fail "the complete dataset was rewritten"
pass "re-submitting a complete dataset: left alone"

# --- mpirun fallback: the same bytes as srun's run --------------------------------
id=$(SPOTGEN_LAUNCHER=mpirun SPOTGEN_ROWS=200000 SPOTGEN_OUT=$WORK/data SPOTGEN_ARGS="--rows-per-part 50000" \
  submit jobs/slurm/generate.sbatch)
check_job "$id" COMPLETED "$WORK/data/job-$id"
grep -q "(mpirun)" "$WORK/job-$id.out" || fail "not launched by mpirun: $(cat "$WORK/job-$id.out")"
for f in part-00000.csv part-00003.csv; do
  cmp -s "$WORK/data/job-$id/$f" "$WORK/data/job-$first/$f" || fail "$f differs between srun and mpirun"
done
pass "SPOTGEN_LAUNCHER=mpirun: job $id COMPLETED, parts identical to srun's"

# --- cancelled mid-run (SIGTERM, as at the time limit), then re-submitted ----------
id=$( (cd "$REPO" && SPOTGEN_ROWS=6M SPOTGEN_OUT=$WORK/data SPOTGEN_ARGS="--rows-per-part 100000" \
  sbatch --parsable -o "$WORK/job-%j.out" jobs/slurm/generate.sbatch) | cut -d';' -f1)
ds=$WORK/data/job-$id
for _ in $(seq 600); do
  compgen -G "$ds/part-*.csv" >/dev/null && break
  sleep 0.05
done
compgen -G "$ds/part-*.csv" >/dev/null || fail "job $id wrote no part: $(cat "$WORK/job-$id.out" 2>/dev/null)"
scancel "$id"
finished "$id"
[ "$(state "$id")" = CANCELLED ] || fail "job $id: $(state "$id") after scancel (finished before the signal?)"
# The steps' SIGTERM handlers finish after the job is marked: wait until no
# process of the job is left (30 s at most).
for _ in $(seq 600); do
  pgrep -f -- "$ds" >/dev/null || break
  sleep 0.05
done
! pgrep -f -- "$ds" >/dev/null || fail "job $id's processes still run 30 s after scancel: $(pgrep -af -- "$ds")"
[ ! -e "$ds/_SUCCESS" ] || fail "a cancelled run left _SUCCESS"
left=$(find "$ds" -name '.*' -type f | head -3)
[ -z "$left" ] || fail "temporary files left after SIGTERM: $left"
id2=$(SPOTGEN_RUN=job-$id SPOTGEN_ROWS=6M SPOTGEN_OUT=$WORK/data SPOTGEN_ARGS="--rows-per-part 100000" \
  submit jobs/slurm/generate.sbatch)
check_job "$id2" COMPLETED "$ds"
grep -q "resumed: [1-9][0-9]* of 60 parts kept as recorded" "$WORK/job-$id2.out" ||
  fail "the re-submitted job did not resume: $(cat "$WORK/job-$id2.out")"
pass "job $id cancelled mid-run: no _SUCCESS, no temporary files; re-submitted as job $id2 under its name: resumed, complete, verify passes"
rm -rf "$ds"

# --- S3 (moto, signatures checked): settings through the environment --------------
# SPOTGEN_OUT is the bucket alone, so the dataset's prefix is one segment:
# moto fails the signature of a listing whose prefix holds an encoded '/'
# (getmoto/moto#5948); AWS does not.
id=$(SPOTGEN_ROWS=200000 SPOTGEN_OUT=s3://$BUCKET SPOTGEN_ARGS="--rows-per-part 100000" \
  submit jobs/slurm/generate.sbatch)
check_job "$id" COMPLETED "s3://$BUCKET/job-$id"
[ "$(keys "job-$id" | wc -l)" = 4 ] || fail "objects: $(keys "job-$id" | tr '\n' ' ')"
[ -z "$(uploads)" ] || fail "incomplete uploads left: $(uploads)"
id2=$(SPOTGEN_RUN=job-$id SPOTGEN_ROWS=200000 SPOTGEN_OUT=s3://$BUCKET submit jobs/slurm/generate.sbatch)
grep -q "already complete" "$WORK/job-$id2.out" || fail "S3 re-run did not skip: $(cat "$WORK/job-$id2.out")"
pass "sbatch to s3://$BUCKET: job $id COMPLETED, 2 parts + manifest + _SUCCESS, verify s3:// passes; a re-run skips it"

# --- the job-array variant: one dataset per task ----------------------------------
id=$(SPOTGEN_ROWS=200000 SPOTGEN_OUT=$WORK/data submit --array=0-1 jobs/slurm/generate-array.sbatch)
for task in 0 1; do
  ds=$WORK/data/job-$id/task-$task
  st=$(scontrol show job "${id}_$task" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
  [ "$st" = COMPLETED ] || fail "array task $task: $st: $(cat "$WORK"/job-*.out | tail -5)"
  "$SPOTGEN" verify "$ds" >"$WORK/verify.txt" 2>&1 || fail "verify $ds: $(cat "$WORK/verify.txt")"
  seed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dataset"]["seed"])' "$ds/_manifest.json")
  [ "$seed" = $((42 + task)) ] || fail "array task $task has seed $seed"
done
cmp -s "$WORK/data/job-$id/task-0/part-00000.csv" "$WORK/data/job-$id/task-1/part-00000.csv" &&
  fail "the two array tasks wrote the same data"
pass "generate-array.sbatch --array=0-1: two datasets, seeds 42 and 43, both COMPLETED and verified"
