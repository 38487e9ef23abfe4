/*
 * The reply cache: bytes back exactly as put, the least recently used
 * dropped first by count and by bytes, a replaced key, a reply larger
 * than the bound never kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/reply_cache.h"

static void
bytes_come_back_exactly(void **state)
{
	static const char		 body[] = "{\"a\":1}\0tail";
	struct reply_cache		 c;
	const struct reply_cache_entry	*e;

	reply_cache_init(&c, 4, 1 << 20);
	assert_null(reply_cache_get(&c, "k"));
	reply_cache_put(&c, "k", body, sizeof(body));
	assert_non_null(e = reply_cache_get(&c, "k"));
	assert_int_equal(e->len, sizeof(body));
	assert_memory_equal(e->body, body, sizeof(body));
	assert_null(reply_cache_get(&c, "K"));
	assert_int_equal(c.hits, 1);
	assert_int_equal(c.misses, 2);

	/* The same key again replaces what it had. */
	reply_cache_put(&c, "k", "xy", 2);
	assert_non_null(e = reply_cache_get(&c, "k"));
	assert_int_equal(e->len, 2);
	assert_string_equal(e->body, "xy");
	assert_int_equal(c.n, 1);
	reply_cache_clear(&c);
	assert_int_equal(c.n, 0);
	assert_int_equal(c.bytes, 0);
	assert_null(reply_cache_get(&c, "k"));
}

static void
least_recent_goes_first(void **state)
{
	struct reply_cache	c;
	char			big[3000];

	reply_cache_init(&c, 3, 1 << 20);
	reply_cache_put(&c, "a", "1", 1);
	reply_cache_put(&c, "b", "2", 1);
	reply_cache_put(&c, "c", "3", 1);
	assert_non_null(reply_cache_get(&c, "a"));	/* b is now least */
	reply_cache_put(&c, "d", "4", 1);
	assert_int_equal(c.n, 3);
	assert_null(reply_cache_get(&c, "b"));
	assert_non_null(reply_cache_get(&c, "a"));
	assert_non_null(reply_cache_get(&c, "c"));
	assert_non_null(reply_cache_get(&c, "d"));
	reply_cache_clear(&c);

	/* By bytes: room for two bodies of 1000, not three. */
	memset(big, 'x', sizeof(big));
	reply_cache_init(&c, 10, 2600);
	reply_cache_put(&c, "a", big, 1000);
	reply_cache_put(&c, "b", big, 1000);
	assert_int_equal(c.n, 2);
	reply_cache_put(&c, "c", big, 1000);
	assert_int_equal(c.n, 2);
	assert_true(c.bytes <= 2600);
	assert_null(reply_cache_get(&c, "a"));
	assert_non_null(reply_cache_get(&c, "b"));
	assert_non_null(reply_cache_get(&c, "c"));

	/* Larger than the whole bound: not kept, nothing dropped for it. */
	reply_cache_put(&c, "huge", big, 2600);
	assert_null(reply_cache_get(&c, "huge"));
	assert_int_equal(c.n, 2);
	reply_cache_clear(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bytes_come_back_exactly),
		cmocka_unit_test(least_recent_goes_first),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
