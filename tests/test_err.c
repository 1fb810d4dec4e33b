/* Error state is per thread: a message recorded in one thread is the one
 * that thread reads back, whatever another thread records meanwhile (verify's
 * S3 download thread records its errors while the main thread parses), and
 * is not seen by another thread. On a process-wide buffer the racing threads
 * read each other's messages. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "spotgen/base/err.h"

#define ROUNDS 200000

typedef struct racer {
  int id;
  pthread_barrier_t *start;
  long wrong; /* rounds where the message read back was not this thread's */
} racer;

static void *race(void *arg)
{
  racer *r = arg;
  char want[64];
  pthread_barrier_wait(r->start);
  for (int i = 0; i < ROUNDS; i++) {
    snprintf(want, sizeof want, "thread %d round %d", r->id, i);
    sg_seterr(SG_EIO, "thread %d round %d", r->id, i);
    if (strcmp(sg_errmsg(SG_EIO), want) != 0)
      r->wrong++;
  }
  return NULL;
}

static void test_threads_keep_their_own_message(void **state)
{
  (void)state;
  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, 2);
  racer a = {1, &start, 0}, b = {2, &start, 0};
  pthread_t ta, tb;
  assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
  assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  pthread_barrier_destroy(&start);
  assert_int_equal(a.wrong, 0);
  assert_int_equal(b.wrong, 0);
}

static void *read_message(void *arg)
{
  snprintf(arg, 128, "%s", sg_errmsg(SG_EIO));
  return NULL;
}

static void test_another_thread_does_not_see_the_message(void **state)
{
  (void)state;
  sg_seterr(SG_EIO, "cannot write part-00001.csv: No space left on device");
  char seen[128];
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, read_message, seen), 0);
  pthread_join(t, NULL);
  assert_string_equal(seen, "input/output error"); /* the generic text: nothing recorded there */
  assert_string_equal(sg_errmsg(SG_EIO), "cannot write part-00001.csv: No space left on device");
  sg_clearerr();
  assert_string_equal(sg_errmsg(SG_EIO), "input/output error");
}

/* A message carries names from configs and manifests: a newline or a
 * terminal escape in one is shown as \xNN, so the message stays one line
 * and cannot move the cursor or recolour the terminal. */
static void test_control_characters_are_shown_not_obeyed(void **state)
{
  (void)state;
  sg_seterr(SG_EUSAGE, "key '%s' unknown", "a\nb\x1b[31mred\x7f");
  assert_string_equal(sg_errmsg(SG_EUSAGE), "key 'a\\x0ab\\x1b[31mred\\x7f' unknown");
  sg_seterr(SG_EUSAGE, "%s", "caf\xc3\xa9 \\x41 stays"); /* UTF-8 and a backslash are left alone */
  assert_string_equal(sg_errmsg(SG_EUSAGE), "caf\xc3\xa9 \\x41 stays");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_threads_keep_their_own_message),
    cmocka_unit_test(test_another_thread_does_not_see_the_message),
    cmocka_unit_test(test_control_characters_are_shown_not_obeyed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
