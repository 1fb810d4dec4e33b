/* control.c - the control protocol of the work phase (see job.h): rank 0
 * follows every rank's progress and, when one fails, stops the others; at
 * the end every rank reports and all get the same verdict. */
#include <stdio.h>
#include <time.h>

#include "job.h"
#include "spotgen/base/err.h"
#include "spotgen/base/signals.h"

#define PROGRESS_PERIOD 0.2 /* seconds between a worker's progress reports */

/* ---- control protocol ------------------------------------------------- */

static void abort_workers(job *j)
{
  int reason = (int)j->failure;
  for (int r = 1; r < j->nranks; r++)
    if (!j->rank_done[r])
      MPI_Send(&reason, 1, MPI_INT, r, TAG_ABORT, MPI_COMM_WORLD);
}

static void note_failure(job *j, int rank, sg_err e)
{
  if (j->failure != SG_OK)
    return;
  j->failure = e;
  j->failed_rank = rank;
  abort_workers(j);
}

static uint64_t total_done(const job *j)
{
  uint64_t t = j->w.done_rows;
  for (int r = 1; r < j->nranks; r++)
    t += j->rank_rows[r];
  return t;
}

/* Rank 0: takes every pending progress and done message. */
static void drain(job *j)
{
  for (;;) {
    int flag;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag)
      return;
    if (st.MPI_TAG == TAG_PROGRESS) {
      MPI_Recv(&j->rank_rows[st.MPI_SOURCE], 1, MPI_UINT64_T, st.MPI_SOURCE, TAG_PROGRESS,
               MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (st.MPI_TAG == TAG_DONE) {
      uint64_t msg[2];
      MPI_Recv(msg, 2, MPI_UINT64_T, st.MPI_SOURCE, TAG_DONE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      j->rank_done[st.MPI_SOURCE] = 1;
      j->rank_rows[st.MPI_SOURCE] = msg[1];
      if (msg[0] != SG_OK)
        note_failure(j, st.MPI_SOURCE, (sg_err)msg[0]);
    } else {
      return; /* not a work-phase message: leave it for its receiver */
    }
  }
}

/* Whether another rank failed: rank 0 takes the pending messages, a worker
 * looks for rank 0's order to stop. Also the stop hook of the long waits
 * inside the sinks (sg_stop_check), set for the work phase. */
static sg_err other_failed(void *ctx)
{
  job *j = ctx;
  if (j->rank == 0) {
    drain(j);
    if (j->failure != SG_OK)
      return sg_seterr(SG_EMPI, "stopped: rank %d failed", j->failed_rank);
    return SG_OK;
  }
  int flag;
  MPI_Iprobe(0, TAG_ABORT, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
  if (flag) {
    int reason;
    MPI_Recv(&reason, 1, MPI_INT, 0, TAG_ABORT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return sg_seterr(SG_EMPI, "stopped: another rank failed");
  }
  return SG_OK;
}

void gen_watch_others(job *j) { sg_stop_hook_set(other_failed, j); }

/* Between chunks: signals, rank 0's orders, progress. Cheap when idle. */
sg_err gen_poll_control(job *j)
{
  sg_err e = sg_signal_error();
  if (e == SG_OK)
    e = other_failed(j);
  if (e != SG_OK)
    return e;
  double now = MPI_Wtime();
  if (j->rank == 0) {
    sg_progress_update(&j->progress, total_done(j), now);
    return sg_lock_refresh(j->sink, &j->lock); /* every SG_LOCK_REFRESH s */
  }
  if (now - j->progress_last >= PROGRESS_PERIOD) {
    int idle = 1;
    if (j->progress_req != MPI_REQUEST_NULL)
      MPI_Test(&j->progress_req, &idle, MPI_STATUS_IGNORE);
    if (idle) {
      j->progress_msg = j->w.done_rows;
      MPI_Isend(&j->progress_msg, 1, MPI_UINT64_T, 0, TAG_PROGRESS, MPI_COMM_WORLD, &j->progress_req);
      j->progress_last = now;
    }
  }
  return SG_OK;
}

/* Ends the work phase: every rank reports, rank 0 decides. @return : the verdict. */
sg_err gen_finish_work(job *j, sg_err mine)
{
  sg_stop_hook_set(NULL, NULL);
  if (j->rank != 0) {
    if (j->progress_req != MPI_REQUEST_NULL)
      MPI_Wait(&j->progress_req, MPI_STATUS_IGNORE);
    uint64_t msg[2] = {(uint64_t)mine, j->w.done_rows};
    MPI_Send(msg, 2, MPI_UINT64_T, 0, TAG_DONE, MPI_COMM_WORLD);
    for (;;) {
      int v;
      MPI_Status st;
      MPI_Recv(&v, 1, MPI_INT, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      if (st.MPI_TAG == TAG_VERDICT)
        return (sg_err)v;
    }
  }
  if (mine != SG_OK)
    note_failure(j, 0, mine);
  for (;;) {
    drain(j);
    int all = 1;
    for (int r = 1; r < j->nranks; r++)
      all &= j->rank_done[r];
    if (all)
      break;
    int sig = sg_interrupted();
    if (sig) {
      sg_set_signal_exit(sig);
      note_failure(j, 0, SG_ESIGNAL);
    }
    sg_progress_update(&j->progress, total_done(j), MPI_Wtime());
    if (sg_lock_refresh(j->sink, &j->lock) != SG_OK) {
      gen_local_failure(j, SG_EIO);
      note_failure(j, 0, SG_EIO);
    }
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  int v = (int)j->failure;
  for (int r = 1; r < j->nranks; r++)
    MPI_Send(&v, 1, MPI_INT, r, TAG_VERDICT, MPI_COMM_WORLD);
  return j->failure;
}

/* Every rank learns the worst outcome (collective). */
sg_err gen_agree(sg_err e)
{
  int mine = (int)e, worst;
  MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return (sg_err)worst;
}

/* A rank that fails on its own says why, once; a rank that was only told to
 * stop says nothing; rank 0 adds what it means for the dataset. */
sg_err gen_local_failure(const job *j, sg_err e)
{
  if (e != SG_OK && e != SG_EMPI && e != SG_ESIGNAL) {
    if (j->nranks > 1)
      fprintf(stderr, "spotgen: rank %d: %s\n", j->rank, sg_errmsg(e));
    else
      fprintf(stderr, "spotgen: %s\n", sg_errmsg(e));
  }
  return e;
}
