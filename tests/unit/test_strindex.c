/*
 * Strings to indices: first and latest index of a key, a table filled to
 * what it was sized for, and many keys against the slow way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/strindex.h"

static void
add_keeps_the_first_and_replace_the_latest(void **state)
{
	struct strindex	t;

	assert_int_equal(strindex_init(&t, 3), 0);
	assert_int_equal(strindex_find(&t, "a"), -1);
	assert_int_equal(strindex_add(&t, "a", 0), -1);
	assert_int_equal(strindex_add(&t, "b", 1), -1);
	assert_int_equal(strindex_add(&t, "a", 2), 0);
	assert_int_equal(strindex_find(&t, "a"), 0);
	assert_int_equal(strindex_replace(&t, "a", 3), 0);
	assert_int_equal(strindex_replace(&t, "a", 4), 3);
	assert_int_equal(strindex_find(&t, "a"), 4);
	assert_int_equal(strindex_replace(&t, "", 5), -1);
	assert_int_equal(strindex_find(&t, ""), 5);
	assert_int_equal(strindex_find(&t, "b"), 1);
	assert_int_equal(strindex_find(&t, "c"), -1);
	assert_int_equal(t.n, 3);
	strindex_cleanup(&t);
	assert_int_equal(strindex_find(&t, "a"), -1);
}

/* 200,000 keys, each added twice: every lookup against its number. */
static void
many_keys_find_their_own(void **state)
{
	struct strindex	  t;
	char		(*keys)[16];
	size_t		  i, n = 200000;

	assert_non_null(keys = calloc(n, sizeof(*keys)));
	for (i = 0; i < n; i++)
		snprintf(keys[i], sizeof(keys[i]), "INV-%07zu", i * 7919 % n);
	assert_int_equal(strindex_init(&t, n), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(strindex_add(&t, keys[i], i), -1);
	for (i = 0; i < n; i++) {
		assert_int_equal(strindex_find(&t, keys[i]), (ssize_t)i);
		assert_int_equal(strindex_add(&t, keys[i], n + i), (ssize_t)i);
	}
	assert_int_equal(strindex_find(&t, "INV-x"), -1);
	assert_int_equal(t.n, n);
	strindex_cleanup(&t);
	free(keys);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_keeps_the_first_and_replace_the_latest),
		cmocka_unit_test(many_keys_find_their_own),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
