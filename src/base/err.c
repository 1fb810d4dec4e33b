/* err.c - the recorded error message (see err.h). */
#include "spotgen/base/err.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>

/* Each thread records its own message: verify's S3 download thread fails
 * and records while the main thread parses and records. The thread that
 * joins another takes its message over explicitly (source.c). */
static _Thread_local char g_msg[1024];
static int g_signo; /* set once by the main thread */

/* A message is one line, printed to a terminal: a control character in it
 * (from a config's key, a manifest's value, a file's name) is written as
 * \xNN, so it can neither break the line nor move the cursor. */
void sg_escape_controls(char *dst, size_t cap, const char *src)
{
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)src; *p && n + 5 < cap; p++) {
    if (*p < 0x20 || *p == 0x7f)
      n += (size_t)snprintf(dst + n, cap - n, "\\x%02x", *p);
    else
      dst[n++] = (char)*p;
  }
  if (cap)
    dst[n < cap ? n : cap - 1] = '\0';
}

sg_err sg_seterr(sg_err code, const char *fmt, ...)
{
  char raw[sizeof g_msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  sg_escape_controls(g_msg, sizeof g_msg, raw);
  return code;
}

const char *sg_errmsg(sg_err code)
{
  if (g_msg[0])
    return g_msg;
  switch (code) {
  case SG_OK: return "success";
  case SG_EUSAGE: return "invalid arguments; run 'spotgen --help'";
  case SG_EIO: return "input/output error";
  case SG_ENOMEM: return "out of memory";
  case SG_EMPI: return "another rank failed; see its message above";
  case SG_ESIGNAL: return "interrupted by a signal";
  case SG_EDATA: return "data does not match the manifest";
  }
  return "unknown error";
}

void sg_clearerr(void) { g_msg[0] = '\0'; }

void sg_set_signal_exit(int signo) { g_signo = signo; }

int sg_exit_status(sg_err code)
{
  switch (code) {
  case SG_OK: return 0;
  case SG_EUSAGE: return 2;
  case SG_ESIGNAL: return 128 + (g_signo ? g_signo : SIGTERM);
  default: return 1;
  }
}
