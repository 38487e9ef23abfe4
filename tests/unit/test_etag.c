/*
 * If-None-Match against the dashboard's entity tags: "*", a list, weak
 * tags, spaces; a tag matches only whole, never as a part of another.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/etag.h"

#define TAG	"\"5e2b-1a\""

static void
whole_tags_match(void **state)
{
	assert_true(etag_match(TAG, TAG));
	assert_true(etag_match("*", TAG));
	assert_true(etag_match(" * ", TAG));
	assert_true(etag_match("\"x\", " TAG, TAG));
	assert_true(etag_match("\"x\"," TAG ",\"y\"", TAG));
	assert_true(etag_match("W/" TAG, TAG));
	assert_true(etag_match("\"x\" ,\t" TAG "\t", TAG));
}

static void
parts_and_others_do_not(void **state)
{
	assert_false(etag_match("", TAG));
	assert_false(etag_match("\"x\"", TAG));
	assert_false(etag_match("\"5e2b-1a\"x", TAG));
	assert_false(etag_match("x\"5e2b-1a\"", TAG));
	assert_false(etag_match("\"5e2b-1a", TAG));
	assert_false(etag_match("\"*\"", TAG));
	assert_false(etag_match("\"a*b\"", TAG));
	assert_false(etag_match(",,", TAG));
	assert_false(etag_match("W/", TAG));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_tags_match),
		cmocka_unit_test(parts_and_others_do_not),
	};

	return (cmocka_run_group_tests_name("etag", tests, NULL, NULL));
}
