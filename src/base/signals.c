/* signals.c - signal flag and temporary-file registry (see signals.h). */
#include "spotgen/base/signals.h"

#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 8

static volatile sig_atomic_t g_signal;
static char g_path[SLOTS][PATH_MAX];
static volatile sig_atomic_t g_used[SLOTS];

static void on_signal(int signo)
{
  if (!g_signal)
    g_signal = signo;
  for (int i = 0; i < SLOTS; i++)
    if (g_used[i])
      unlink(g_path[i]);
}

void sg_signals_install(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
}

int sg_interrupted(void) { return g_signal; }

sg_err sg_signal_error(void)
{
  int sig = g_signal;
  if (!sig)
    return SG_OK;
  sg_set_signal_exit(sig);
  return sg_seterr(SG_ESIGNAL, "interrupted by %s",
                   sig == SIGINT ? "SIGINT" : sig == SIGHUP ? "SIGHUP" : "SIGTERM");
}

static sg_err (*g_stop_fn)(void *);
static void *g_stop_ctx;

void sg_stop_hook_set(sg_err (*fn)(void *ctx), void *ctx)
{
  g_stop_fn = fn;
  g_stop_ctx = ctx;
}

sg_err sg_stop_check(void)
{
  sg_err e = sg_signal_error();
  if (e == SG_OK && g_stop_fn)
    e = g_stop_fn(g_stop_ctx);
  return e;
}

int sg_tmpfile_register(const char *path)
{
  if (strlen(path) >= PATH_MAX)
    return -1;
  for (int i = 0; i < SLOTS; i++) {
    if (!g_used[i]) {
      strcpy(g_path[i], path);
      g_used[i] = 1; /* set after the path is complete: the handler reads it */
      return i;
    }
  }
  return -1;
}

void sg_tmpfile_forget(int slot)
{
  if (slot >= 0 && slot < SLOTS)
    g_used[slot] = 0;
}
