/* err.h - one error convention for every module.
 *
 * Functions that can fail return an sg_err. The code says what kind of failure
 * it was (and so the exit status); the message, written once where the failure
 * is detected, says what failed and what to do about it. Only the top level
 * (main, the generate driver) prints it. The message is the calling thread's
 * own: a thread that hands a failure to another passes its text along.
 */
#ifndef SPOTGEN_ERR_H
#define SPOTGEN_ERR_H

#include <stddef.h>

typedef enum sg_err {
  SG_OK = 0,
  SG_EUSAGE,   /* bad argument, config or output location: exit 2, nothing written */
  SG_EIO,      /* file system error while writing or reading data */
  SG_ENOMEM,   /* allocation failed */
  SG_EMPI,     /* another rank failed or the MPI layer reported an error */
  SG_ESIGNAL,  /* interrupted by SIGINT or SIGTERM */
  SG_EDATA     /* data read back does not match what was expected (verify) */
} sg_err;

/*! sg_seterr() :
 *  Records `code` with a printf-style message for the caller at the top to
 *  print, and returns `code` so a failure site reads `return sg_seterr(...)`. */
sg_err sg_seterr(sg_err code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*! sg_escape_controls() : `src` with each control character (below 0x20,
 *  and 0x7f) written as \xNN, into `dst` (cap bytes, NUL-terminated, cut
 *  short when it does not fit): one line, no terminal escapes. Every
 *  recorded message goes through it. */
void sg_escape_controls(char *dst, size_t cap, const char *src);

/*! sg_errmsg() :
 *  @return : the message recorded by the last sg_seterr(), or a generic
 *            description of `code` when none was recorded. */
const char *sg_errmsg(sg_err code);

/*! sg_clearerr() : forgets the recorded message. */
void sg_clearerr(void);

/*! sg_exit_status() :
 *  @return : the process exit status for `code`: 0 ok, 2 usage, 130/143 for
 *            SIGINT/SIGTERM (set with sg_set_signal_exit), 1 otherwise. */
int sg_exit_status(sg_err code);

/*! sg_set_signal_exit() : remembers which signal interrupted the run. */
void sg_set_signal_exit(int signo);

#endif
