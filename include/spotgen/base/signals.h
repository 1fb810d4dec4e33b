/* signals.h - SIGINT/SIGTERM: stop cleanly, leave nothing half-written.
 *
 * The handler only records the signal and unlinks the temporary files that
 * are registered here (unlink is async-signal-safe), so a part being written
 * disappears at once even if a SIGKILL follows (Slurm, mpirun). The work loops
 * poll sg_interrupted() and unwind through their normal error paths. */
#ifndef SPOTGEN_SIGNALS_H
#define SPOTGEN_SIGNALS_H

#include "spotgen/base/err.h"

/*! sg_signals_install() : installs the SIGINT/SIGTERM/SIGHUP handlers, and
 *  ignores SIGPIPE: a reader that closes standard output early (`--output -
 *  | head`) makes a write fail with EPIPE, which unwinds like any failed
 *  write and removes what was being written, instead of killing the process
 *  before it can clean up. */
void sg_signals_install(void);

/*! sg_interrupted() : @return : the signal received, or 0. */
int sg_interrupted(void);

/*! sg_signal_error() : SG_OK when no signal arrived; otherwise SG_ESIGNAL,
 *  with "interrupted by SIGTERM" (or SIGINT, SIGHUP) recorded and the exit
 *  status set to match. A failure seen after a signal is reported as this:
 *  the handler may have removed the file being written. */
sg_err sg_signal_error(void);

/*! sg_stop_hook_set() : `fn(ctx)` is asked by sg_stop_check() whether the
 *  work must stop for another reason than a signal (another rank failed);
 *  NULL removes it. The MPI driver sets it for its work phase, so that a rank
 *  waiting on slow uploads stops (and aborts them) without waiting for them. */
void sg_stop_hook_set(sg_err (*fn)(void *ctx), void *ctx);

/*! sg_stop_check() : sg_signal_error(), then the hook's answer. For the
 *  long waits (S3 uploads, back-off); cheap enough to call every 100 ms. */
sg_err sg_stop_check(void);

/*! sg_tmpfile_register() : `path` is removed if a signal arrives.
 *  @return : a slot for sg_tmpfile_forget(), or -1 when all are taken. */
int sg_tmpfile_register(const char *path);

/*! sg_tmpfile_forget() : the file at `slot` was committed or removed. */
void sg_tmpfile_forget(int slot);

#endif
