/*
 * Money: rounding half to even at exact halves, overflow reported, and
 * the early-payment formulas to the penny.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/money.h"

static int64_t
rhe(money_wide n, int64_t d)
{
	int64_t	v;

	assert_int_equal(money_rhe(n, d, &v), 0);
	return (v);
}

static void
halves_go_to_even(void **state)
{
	assert_int_equal(rhe(5, 10), 0);	/* 0.5 */
	assert_int_equal(rhe(15, 10), 2);	/* 1.5 */
	assert_int_equal(rhe(25, 10), 2);	/* 2.5 */
	assert_int_equal(rhe(35, 10), 4);	/* 3.5 */
	assert_int_equal(rhe(-5, 10), 0);
	assert_int_equal(rhe(-15, 10), -2);
	assert_int_equal(rhe(-25, 10), -2);
	assert_int_equal(rhe(-35, 10), -4);
	assert_int_equal(rhe(7, 2), 4);		/* 3.5 */
	assert_int_equal(rhe(9, 2), 4);		/* 4.5 */
}

static void
non_halves_go_to_nearest(void **state)
{
	assert_int_equal(rhe(14, 10), 1);
	assert_int_equal(rhe(16, 10), 2);
	assert_int_equal(rhe(-14, 10), -1);
	assert_int_equal(rhe(-16, 10), -2);
	assert_int_equal(rhe(10, 10), 1);
	assert_int_equal(rhe(0, 7), 0);
	assert_int_equal(rhe(1, 3), 0);
	assert_int_equal(rhe(2, 3), 1);
	assert_int_equal(rhe(-2, 3), -1);
}

static void
wide_intermediates(void **state)
{
	int64_t	v;

	/* INT64_MAX * 10000 / 10000: the product needs 128 bits. */
	assert_int_equal(money_mul_div(INT64_MAX, 10000, 10000, &v), 0);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(money_mul_div(INT64_MAX, 2, 1, &v), -1);
	assert_int_equal(money_mul_div(INT64_MIN, 1, 1, &v), 0);
	assert_int_equal(v, INT64_MIN);
	assert_int_equal(money_rhe(1, 0, &v), -1);
	assert_int_equal(money_rhe(1, -1, &v), -1);
}

static void
add_and_sub_are_checked(void **state)
{
	int64_t	v;

	assert_int_equal(money_add(INT64_MAX - 1, 1, &v), 0);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(money_add(INT64_MAX, 1, &v), -1);
	assert_int_equal(money_add(INT64_MIN, -1, &v), -1);
	assert_int_equal(money_sub(INT64_MIN, 1, &v), -1);
	assert_int_equal(money_sub(0, INT64_MIN, &v), -1);
	assert_int_equal(money_sub(-5, -7, &v), 0);
	assert_int_equal(v, 2);
}

/*
 * The model's worked example: 500,000 at 9000 bps is 450,000; 30 days at
 * 650 bps on 365 is rhe(450,000 x 650 x 30, 3,650,000) = 2,404 (2,404.11).
 */
static void
advance_and_fee(void **state)
{
	int64_t	a, f;

	assert_int_equal(money_advance(500000, 9000, &a), 0);
	assert_int_equal(a, 450000);
	assert_int_equal(money_fee(a, 650, 30, 365, &f), 0);
	assert_int_equal(f, 2404);
	assert_int_equal(money_fee(a, 650, 30, 360, &f), 0);
	assert_int_equal(f, 2438);		/* 2,437.5: half, to even */
	assert_int_equal(money_advance(1, 5000, &a), 0);
	assert_int_equal(a, 0);			/* 0.5 to even */
	assert_int_equal(money_advance(3, 5000, &a), 0);
	assert_int_equal(a, 2);			/* 1.5 to even */
	assert_int_equal(money_fee(a, 0, 30, 365, &f), 0);
	assert_int_equal(f, 0);
	assert_int_equal(money_fee(INT64_MAX, 100000, INT64_MAX, 365, &f), -1);
	assert_int_equal(money_fee(1, 1, 1, 0, &f), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(halves_go_to_even),
		cmocka_unit_test(non_halves_go_to_nearest),
		cmocka_unit_test(wide_intermediates),
		cmocka_unit_test(add_and_sub_are_checked),
		cmocka_unit_test(advance_and_fee),
	};

	return (cmocka_run_group_tests_name("money", tests, NULL, NULL));
}
