/*
 * Rate limits per API key against the real server, whose expensive
 * budget tests/api/run.sh sets (TIDEOVER_RATE_EXPENSIVE_*: a token a
 * second, a burst of a few dozen). Every call of a test goes on one
 * connection, so to one worker, whose buckets they are: the burst is
 * taken, then 429 in the error shape with Retry-After and X-Request-Id;
 * another key, the same key's ordinary budget and health are untouched;
 * after Retry-After seconds the key is served again. An unknown key is
 * limited before it is looked up: no database work for it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "client.h"

#define SCHEDULE	"/v1/suppliers/NO-SUCH-SUPPLIER-RL/schedule"

static long
env_long(const char *name)
{
	return (strtol(client_env(name), NULL, 10));
}

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/*
 * Calls until the first 429 (or twice the burst): how many went through
 * before it, each with `want`, in how many seconds; the 429 in r.
 */
static long
until_limited(struct client_conn *k, const char *key, long want,
    struct resp *r, double *secs)
{
	long	burst = env_long("TIDEOVER_RATE_EXPENSIVE_BURST"), n;
	double	t0 = now_s();

	for (n = 0; n < 2 * burst; n++) {
		client_conn_get(k, r, SCHEDULE, key);
		if (r->status == 429)
			break;
		assert_int_equal(r->status, want);
		client_free(r);
	}
	*secs = now_s() - t0;
	return (n);
}

static void
over_budget_is_429_until_the_wait(void **state)
{
	struct client_conn	 k = { 0 };
	struct resp		 r;
	char			*a, *b;
	long			 burst, n, wait;
	double			 secs;

	burst = env_long("TIDEOVER_RATE_EXPENSIVE_BURST");
	assert_int_equal(env_long("TIDEOVER_RATE_EXPENSIVE_PER_MINUTE"), 60);
	a = client_new_key("treasury", NULL);
	b = client_new_key("treasury", NULL);
	client_conn_open(&k);

	/* The burst, and a token for each second it took; then 429. */
	n = until_limited(&k, a, 404, &r, &secs);
	assert_true(n >= burst);
	assert_true(n <= burst + (long)secs);
	client_assert_error(&r, 429, "rate_limited");
	/* A token a second: never more than a second to wait. */
	assert_string_equal(r.retry_after, "1");
	wait = strtol(r.retry_after, NULL, 10);
	client_free(&r);
	client_conn_get(&k, &r, SCHEDULE, a);
	assert_int_equal(r.status, 429);
	client_free(&r);

	/* Another key, the key's other budget, and health: untouched. */
	client_conn_get(&k, &r, SCHEDULE, b);
	assert_int_equal(r.status, 404);
	client_free(&r);
	client_conn_get(&k, &r, "/v1/api-keys?limit=1", a);
	assert_int_equal(r.status, 200);
	client_free(&r);
	client_conn_get(&k, &r, "/v1/health", NULL);
	assert_int_equal(r.status, 200);
	client_free(&r);

	/* After the wait, served again. */
	sleep((unsigned int)wait);
	client_conn_get(&k, &r, SCHEDULE, a);
	assert_int_equal(r.status, 404);
	client_free(&r);

	/* Every call went to one worker: the limits are each worker's. */
	assert_int_equal(k.connects, 1);
	client_conn_close(&k);
	free(a);
	free(b);
}

static void
unknown_key_is_limited_before_lookup(void **state)
{
	static const char	 unknown[] = "tdo_0123456789abcdef_"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	struct client_conn	 k = { 0 };
	struct resp		 r;
	long			 n, burst;
	double			 secs;

	burst = env_long("TIDEOVER_RATE_EXPENSIVE_BURST");
	client_conn_open(&k);
	/* 401 while it has tokens, then 429: it was never looked up. */
	n = until_limited(&k, unknown, 401, &r, &secs);
	assert_true(n >= burst && n <= burst + (long)secs);
	client_assert_error(&r, 429, "rate_limited");
	assert_string_equal(r.retry_after, "1");
	client_free(&r);
	assert_int_equal(k.connects, 1);
	client_conn_close(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(over_budget_is_429_until_the_wait),
		cmocka_unit_test(unknown_key_is_limited_before_lookup),
	};

	return (cmocka_run_group_tests_name("api_ratelimit", tests, NULL,
	    NULL));
}
