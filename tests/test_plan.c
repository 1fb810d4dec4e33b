/* The plan covers every row exactly once, in order, whatever the sizes and
 * the number of ranks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "spotgen/model/plan.h"

static void check(sg_plan p)
{
  uint64_t next = 0;
  for (uint64_t k = 0; k < p.parts; k++) {
    assert_int_equal(sg_plan_part_first_row(&p, k), next);
    uint64_t n = sg_plan_part_rows(&p, k);
    assert_true(n >= 1 && n <= p.rows_per_part);
    next += n;
  }
  assert_int_equal(next, p.rows);
  for (int nr = 1; nr <= 9; nr++) {
    uint64_t part = 0, rows = 0;
    for (int r = 0; r < nr; r++) {
      assert_int_equal(sg_plan_rank_first_part(&p, r, nr), part);
      uint64_t end = sg_plan_rank_first_part(&p, r + 1, nr);
      assert_true(end >= part && end - part <= p.parts / (uint64_t)nr + 1);
      rows += sg_plan_rank_rows(&p, r, nr);
      part = end;
    }
    assert_int_equal(part, p.parts);
    assert_int_equal(rows, p.rows);
  }
}

static void rows_per_part_plans_cover_every_row_once(void **state)
{
  (void)state;
  static const uint64_t ROWS[] = {1, 2, 7, 100, 999, 1000, 1001, 1000000, 123456789};
  static const uint64_t RPP[] = {1, 3, 100, 1000, 1000000, 5000000000ull};
  for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
    for (size_t k = 0; k < sizeof RPP / sizeof RPP[0]; k++)
      if (ROWS[i] / RPP[k] < 200000)
        check(sg_plan_make(ROWS[i], RPP[k], 0));
}

static void part_count_plans_make_exactly_that_many_near_equal_parts(void **state)
{
  (void)state;
  static const uint64_t ROWS[] = {1, 10, 11, 1000, 1000003, 50000000000ull};
  static const uint64_t PARTS[] = {1, 2, 3, 6, 7, 64, 1000};
  for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
    for (size_t k = 0; k < sizeof PARTS / sizeof PARTS[0]; k++) {
      sg_plan p = sg_plan_make(ROWS[i], 0, PARTS[k]);
      assert_int_equal(p.parts, PARTS[k] < ROWS[i] ? PARTS[k] : ROWS[i]);
      for (uint64_t j = 0; j < p.parts; j++) {
        uint64_t n = sg_plan_part_rows(&p, j);
        assert_true(n == ROWS[i] / p.parts || n == ROWS[i] / p.parts + 1);
      }
      check(p);
    }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(rows_per_part_plans_cover_every_row_once),
    cmocka_unit_test(part_count_plans_make_exactly_that_many_near_equal_parts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
