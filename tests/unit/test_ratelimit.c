/*
 * Token buckets: a burst, then refusals with the seconds to wait, the
 * refill by the minute's rate in whole milliseconds, the cap, classes
 * and keys kept apart, and the table's bound and eviction order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/ratelimit.h"

static const struct ratelimit_budget	per_second = { 60, 5 };

static void
burst_then_refused_with_wait(void **state)
{
	struct ratelimit_bucket	b;
	int			i;

	ratelimit_bucket_fill(&b, &per_second, 1000);
	for (i = 0; i < 5; i++)
		assert_int_equal(ratelimit_bucket_take(&b, &per_second, 1000),
		    0);
	/* Empty: one token a second, so a second to wait. */
	assert_int_equal(ratelimit_bucket_take(&b, &per_second, 1000), 1);
	assert_int_equal(b.level, 0);
	/* A refusal takes nothing: 999 ms later it is still not there. */
	assert_int_equal(ratelimit_bucket_take(&b, &per_second, 1999), 1);
	assert_int_equal(b.level, 999 * 60);
	assert_int_equal(ratelimit_bucket_take(&b, &per_second, 2000), 0);
	assert_int_equal(b.level, 0);
	assert_int_equal(ratelimit_bucket_take(&b, &per_second, 2000), 1);
}

static void
wait_is_whole_seconds_rounded_up(void **state)
{
	const struct ratelimit_budget	slow = { 7, 1 };	/* 7 a minute */
	const struct ratelimit_budget	fast = { 6000, 1 };	/* 100 a second */
	struct ratelimit_bucket		b;

	ratelimit_bucket_fill(&b, &slow, 0);
	assert_int_equal(ratelimit_bucket_take(&b, &slow, 0), 0);
	/* 60000 / 7 = 8571.4 ms: 8572 ms, so 9 s. */
	assert_int_equal(ratelimit_bucket_take(&b, &slow, 0), 9);
	assert_int_equal(ratelimit_bucket_take(&b, &slow, 8571), 1);
	assert_int_equal(ratelimit_bucket_take(&b, &slow, 8572), 0);

	/* 10 ms to wait is still a whole second for Retry-After. */
	ratelimit_bucket_fill(&b, &fast, 0);
	assert_int_equal(ratelimit_bucket_take(&b, &fast, 0), 0);
	assert_int_equal(ratelimit_bucket_take(&b, &fast, 0), 1);
	assert_int_equal(ratelimit_bucket_take(&b, &fast, 10), 0);
}

static void
refill_stops_at_the_burst(void **state)
{
	const struct ratelimit_budget	big = { RATELIMIT_RATE_MAX,
					    RATELIMIT_BURST_MAX };
	struct ratelimit_bucket		b;
	int				i;

	ratelimit_bucket_fill(&b, &per_second, 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(ratelimit_bucket_take(&b, &per_second, 0), 0);
	/* A year idle: full, not more; five tokens, then a wait. */
	for (i = 0; i < 5; i++)
		assert_int_equal(ratelimit_bucket_take(&b, &per_second,
		    INT64_C(31536000000)), 0);
	assert_int_equal(ratelimit_bucket_take(&b, &per_second,
	    INT64_C(31536000000)), 1);

	/* The largest budget over the longest gap does not overflow. */
	ratelimit_bucket_fill(&b, &big, 0);
	b.level = 0;
	assert_int_equal(ratelimit_bucket_take(&b, &big, INT64_MAX / 2), 0);
	assert_int_equal(b.level, RATELIMIT_BURST_MAX * RATELIMIT_UNIT -
	    RATELIMIT_UNIT);
}

static void
clock_going_back_refills_nothing(void **state)
{
	struct ratelimit_bucket	b;

	ratelimit_bucket_fill(&b, &per_second, 5000);
	b.level = 0;
	assert_int_equal(ratelimit_bucket_take(&b, &per_second, 4000), 1);
	assert_int_equal(b.level, 0);
	assert_int_equal(b.at_ms, 5000);
	assert_int_equal(ratelimit_bucket_take(&b, &per_second, 6000), 0);
}

static struct ratelimit *
table(int64_t ordinary, int64_t expensive)
{
	struct ratelimit_budget	 bu[RATELIMIT_NCLASSES] = {
		[RATELIMIT_ORDINARY] = { 60, ordinary },
		[RATELIMIT_EXPENSIVE] = { 60, expensive },
	};
	struct ratelimit	*rl;

	if ((rl = malloc(sizeof(*rl))) == NULL)
		abort();
	ratelimit_init(rl, bu);
	return (rl);
}

static void
keys_and_classes_are_apart(void **state)
{
	struct ratelimit	*rl = table(3, 1);
	int			 i;

	assert_int_equal(ratelimit_take(rl, 42, RATELIMIT_EXPENSIVE, 0), 0);
	assert_int_equal(ratelimit_take(rl, 42, RATELIMIT_EXPENSIVE, 0), 1);
	/* The same key's other budget is its own. */
	for (i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(rl, 42, RATELIMIT_ORDINARY, 0),
		    0);
	assert_int_equal(ratelimit_take(rl, 42, RATELIMIT_ORDINARY, 0), 1);
	/* Another key, even in the same window, is untouched. */
	assert_int_equal(ratelimit_take(rl, 43, RATELIMIT_EXPENSIVE, 0), 0);
	assert_int_equal(ratelimit_take(rl, 42 + RATELIMIT_SLOTS,
	    RATELIMIT_EXPENSIVE, 0), 0);
	assert_int_equal(ratelimit_take(rl, 42, RATELIMIT_EXPENSIVE, 0), 1);
	assert_int_equal(ratelimit_take(rl, 42, RATELIMIT_EXPENSIVE, 1000), 0);
	free(rl);
}

static void
full_window_forgets_the_least_recent(void **state)
{
	struct ratelimit	*rl = table(1, 1);
	uint64_t		 k;

	/* Eight keys of one window, each emptied, at t = 0..7 ms. */
	for (k = 0; k < RATELIMIT_PROBE; k++)
		assert_int_equal(ratelimit_take(rl, k * RATELIMIT_SLOTS,
		    RATELIMIT_EXPENSIVE, (int64_t)k), 0);
	/* A ninth takes the slot of the first, which is forgotten ... */
	assert_int_equal(ratelimit_take(rl, 99 * RATELIMIT_SLOTS,
	    RATELIMIT_EXPENSIVE, 10), 0);
	assert_int_equal(ratelimit_take(rl, 0, RATELIMIT_EXPENSIVE, 11), 0);
	/* ... and came back in place of the second; the rest remember. */
	for (k = 2; k < RATELIMIT_PROBE; k++)
		assert_int_equal(ratelimit_take(rl, k * RATELIMIT_SLOTS,
		    RATELIMIT_EXPENSIVE, 12), 1);
	assert_int_equal(ratelimit_take(rl, 99 * RATELIMIT_SLOTS,
	    RATELIMIT_EXPENSIVE, 12), 1);
	free(rl);
}

static void
full_buckets_are_forgotten_first(void **state)
{
	struct ratelimit	*rl = table(1, 1);
	uint64_t		 k;

	for (k = 0; k < RATELIMIT_PROBE; k++)
		assert_int_equal(ratelimit_take(rl, k * RATELIMIT_SLOTS,
		    RATELIMIT_EXPENSIVE, k == 3 ? 0 : 5000), 0);
	/* At 5.5 s only key 3 has filled up again: it makes room. */
	assert_int_equal(ratelimit_take(rl, 99 * RATELIMIT_SLOTS,
	    RATELIMIT_EXPENSIVE, 5500), 0);
	for (k = 0; k < RATELIMIT_PROBE; k++) {
		if (k != 3)
			assert_int_equal(ratelimit_take(rl, k * RATELIMIT_SLOTS,
			    RATELIMIT_EXPENSIVE, 5500), 1);
	}
	free(rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_then_refused_with_wait),
		cmocka_unit_test(wait_is_whole_seconds_rounded_up),
		cmocka_unit_test(refill_stops_at_the_burst),
		cmocka_unit_test(clock_going_back_refills_nothing),
		cmocka_unit_test(keys_and_classes_are_apart),
		cmocka_unit_test(full_window_forgets_the_least_recent),
		cmocka_unit_test(full_buckets_are_forgotten_first),
	};

	return (cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL));
}
