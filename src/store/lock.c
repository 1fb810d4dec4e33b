/* lock.c - the run's lock (see lock.h), over the backend's four lock
 * functions (sink.h). */
#include "spotgen/store/lock.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spotgen/store/sink.h"

static double now_unix(void)
{
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

void sg_lock_init(sg_runlock *l, const char *name, const char *where)
{
  memset(l, 0, sizeof *l);
  l->name = name;
  l->where = where;
  unsigned char id[16] = {0};
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  ssize_t got = fd >= 0 ? read(fd, id, sizeof id) : -1;
  if (fd >= 0)
    close(fd);
  if (got != (ssize_t)sizeof id) { /* no /dev/urandom: the time and the pid still tell runs apart */
    uint64_t x = (uint64_t)(now_unix() * 1e9) ^ ((uint64_t)getpid() << 40);
    for (int i = 0; i < 16; i++, x = x * 6364136223846793005ull + 1442695040888963407ull)
      id[i] = (unsigned char)(x >> 56);
  }
  for (int i = 0; i < 16; i++)
    snprintf(l->run + 2 * i, 3, "%02x", id[i]);
  if (gethostname(l->host, sizeof l->host) != 0)
    snprintf(l->host, sizeof l->host, "unknown");
  l->host[sizeof l->host - 1] = '\0';
  l->pid = (long)getpid();
  l->started = l->refreshed = now_unix();
}

static void lock_text(const sg_runlock *l, char *out, size_t cap)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "run", l->run);
  cJSON_AddStringToObject(o, "host", l->host);
  cJSON_AddNumberToObject(o, "pid", (double)l->pid);
  cJSON_AddNumberToObject(o, "started", (double)(long long)l->started);
  cJSON_AddNumberToObject(o, "refreshed", (double)(long long)l->refreshed);
  char *text = o ? cJSON_PrintUnformatted(o) : NULL;
  snprintf(out, cap, "%s\n", text ? text : "{}");
  cJSON_free(text);
  cJSON_Delete(o);
}

/* A lock's text read back: who holds it. Unreadable text holds nothing
 * (run ""), and is stale once its lease is over like any other. */
typedef struct holder {
  char run[33], host[128];
  long pid;
  double started, refreshed;
} holder;

static void parse_holder(const char *text, holder *h)
{
  memset(h, 0, sizeof *h);
  cJSON *o = cJSON_Parse(text);
  const char *run = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "run"));
  const char *host = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "host"));
  snprintf(h->run, sizeof h->run, "%s", run ? run : "");
  snprintf(h->host, sizeof h->host, "%s", host ? host : "");
  const cJSON *pid = cJSON_GetObjectItemCaseSensitive(o, "pid");
  const cJSON *started = cJSON_GetObjectItemCaseSensitive(o, "started");
  const cJSON *refreshed = cJSON_GetObjectItemCaseSensitive(o, "refreshed");
  h->pid = cJSON_IsNumber(pid) ? (long)pid->valuedouble : 0;
  h->started = cJSON_IsNumber(started) ? started->valuedouble : 0;
  h->refreshed = cJSON_IsNumber(refreshed) ? refreshed->valuedouble : 0;
  cJSON_Delete(o);
}

/* Whether process `pid` of this host is gone: no such process, or a
 * zombie (killed, not yet reaped). A pid reused by another process looks
 * alive: its lock goes stale with the lease. */
static int gone(long pid)
{
  if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
    return 1;
  char path[64], stat[512];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0; /* no /proc: alive, as kill says */
  ssize_t n = read(fd, stat, sizeof stat - 1);
  close(fd);
  stat[n > 0 ? n : 0] = '\0';
  /* "pid (comm) state ...": comm may hold spaces and parentheses */
  const char *close_paren = strrchr(stat, ')');
  if (!close_paren || close_paren[1] != ' ')
    return 0;
  return close_paren[2] == 'Z' || close_paren[2] == 'X';
}

/* Whether the holder's run is over: its process is gone (on this host), or
 * it has not refreshed its lock for the lease. */
static int stale(const sg_runlock *me, const holder *h)
{
  if (h->pid > 0 && strcmp(h->host, me->host) == 0 && gone(h->pid))
    return 1;
  return now_unix() - h->refreshed > SG_LOCK_LEASE;
}

static void describe(const holder *h, char *out, size_t cap)
{
  char since[32] = "an unknown time";
  time_t t = (time_t)h->started;
  struct tm tm;
  if (h->started > 0 && gmtime_r(&t, &tm))
    strftime(since, sizeof since, "%Y-%m-%d %H:%M:%S UTC", &tm);
  snprintf(out, cap, "pid %ld on host %s, started %s, its lock refreshed %.0f s ago", h->pid,
           h->host[0] ? h->host : "(unknown)", since, h->refreshed > 0 ? now_unix() - h->refreshed : -1.0);
}

/* A location where the lock cannot be written or read is unusable, as one
 * that cannot be listed: a usage error (exit 2), the backend's reason kept. */
static sg_err unusable(const sg_runlock *l)
{
  char why[1024];
  snprintf(why, sizeof why, "%s", sg_errmsg(SG_EIO));
  return sg_seterr(SG_EUSAGE, "cannot take the run's lock at %s: %s", l->where, why);
}

sg_err sg_lock_take(sg_sink *s, sg_runlock *l)
{
  const sg_sink_ops *ops = s->ops;
  if (!ops->lock_create)
    return SG_OK; /* nothing is kept: nothing to share */
  char text[SG_LOCK_TEXT_MAX], theirs[SG_LOCK_TEXT_MAX], version[96];
  lock_text(l, text, sizeof text);
  for (int attempt = 0; attempt < 3; attempt++) {
    int rc = ops->lock_create(s, l->name, text, l->version, sizeof l->version);
    if (rc < 0)
      return unusable(l);
    if (rc == 0) {
      l->held = 1;
      return SG_OK;
    }
    rc = ops->lock_read(s, l->name, theirs, sizeof theirs, version, sizeof version);
    if (rc < 0)
      return unusable(l);
    if (rc == 1) /* released meanwhile: create it again */
      continue;
    holder h;
    parse_holder(theirs, &h);
    if (strcmp(h.run, l->run) == 0) { /* our own: a write retried after its answer was lost */
      snprintf(l->version, sizeof l->version, "%s", version);
      l->held = 1;
      return SG_OK;
    }
    if (!stale(l, &h)) {
      char who[320];
      describe(&h, who, sizeof who);
      return sg_seterr(SG_EUSAGE,
                       "another spotgen run is writing %s (%s): wait for it to end, or choose another --out "
                       "(a lock not refreshed for %.0f s is taken over; if no run is writing there, remove %s/%s)",
                       l->where, who, SG_LOCK_LEASE, l->where, l->name);
    }
    rc = ops->lock_replace(s, l->name, text, version, l->version, sizeof l->version);
    if (rc < 0)
      return unusable(l);
    if (rc == 0) {
      char who[320];
      describe(&h, who, sizeof who);
      fprintf(stderr, "spotgen: took over the lock of a run that is over (%s)\n", who);
      l->held = 1;
      return SG_OK;
    }
    /* another run replaced it first: look again */
  }
  return sg_seterr(SG_EUSAGE, "other runs keep taking the lock of %s; choose another --out", l->where);
}

/* The lock as the location holds it now: 0 this run's, 1 another's or
 * none (the message says which), -1 unreadable. */
static int lost(sg_sink *s, sg_runlock *l)
{
  char theirs[SG_LOCK_TEXT_MAX], version[96];
  int rc = s->ops->lock_read(s, l->name, theirs, sizeof theirs, version, sizeof version);
  if (rc < 0)
    return -1;
  holder h;
  parse_holder(rc == 0 ? theirs : "", &h);
  /* ours when it names this run: its version alone cannot say (a file
     rewritten within one tick of the file system's clock keeps its inode and
     change time); written again by a retry, its version is the new one */
  if (rc == 0 && strcmp(h.run, l->run) == 0) {
    snprintf(l->version, sizeof l->version, "%s", version);
    return 0;
  }
  if (rc == 1) {
    sg_seterr(SG_EIO, "%s/%s, this run's lock, was removed while it ran: another run may have written there; "
              "this run's manifest and _SUCCESS are not written", l->where, l->name);
  } else {
    char who[320];
    describe(&h, who, sizeof who);
    sg_seterr(SG_EIO, "another spotgen run took %s over while this one ran (%s); this run's manifest and "
              "_SUCCESS are not written", l->where, who);
  }
  return 1;
}

sg_err sg_lock_refresh(sg_sink *s, sg_runlock *l)
{
  if (!l->held || !s->ops->lock_replace || now_unix() - l->refreshed < SG_LOCK_REFRESH)
    return SG_OK;
  l->refreshed = now_unix();
  char text[SG_LOCK_TEXT_MAX], version[96];
  lock_text(l, text, sizeof text);
  int rc = s->ops->lock_replace(s, l->name, text, l->version, version, sizeof version);
  if (rc == 0) {
    snprintf(l->version, sizeof l->version, "%s", version);
    return SG_OK;
  }
  if (rc == 1 && lost(s, l) != 0) {
    l->held = 0;
    return SG_EIO;
  }
  return rc < 0 ? SG_EIO : SG_OK;
}

sg_err sg_lock_check(sg_sink *s, sg_runlock *l)
{
  if (!l->held || !s->ops->lock_read)
    return SG_OK;
  int rc = lost(s, l);
  if (rc != 0)
    l->held = 0;
  return rc == 0 ? SG_OK : SG_EIO;
}

int sg_lock_seen(sg_sink *s, const char *name, const char *run)
{
  if (!s->ops->lock_read)
    return 1;
  char theirs[SG_LOCK_TEXT_MAX], version[96];
  if (s->ops->lock_read(s, name, theirs, sizeof theirs, version, sizeof version) != 0)
    return 0;
  holder h;
  parse_holder(theirs, &h);
  return strcmp(h.run, run) == 0;
}

void sg_lock_release(sg_sink *s, sg_runlock *l)
{
  if (!l->held || !s->ops->lock_remove)
    return;
  s->ops->lock_remove(s, l->name, l->version);
  l->held = 0;
}
