/*
 * UTF-8 as the service takes it: each way of being malformed, control
 * characters told apart, and the length in characters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/utf8.h"

static void
text_is_counted_in_characters(void **state)
{
	size_t	n;

	assert_int_equal(utf8_check("", &n), UTF8_OK);
	assert_int_equal(n, 0);
	assert_int_equal(utf8_check("Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x97",
	    &n), UTF8_OK);
	assert_int_equal(n, 8);
	assert_int_equal(utf8_check("\xf4\x8f\xbf\xbf", &n), UTF8_OK);
	assert_int_equal(n, 1);
}

static void
malformed_is_bad(void **state)
{
	static const char *const bad[] = {
		"\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf",
		"\xed\xa0\x80", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80",
		"\xf5\x80\x80\x80", "\xff", "\xc3", "a\xe2\x82", "\xc3\x28",
		"ok\tthen\xc3",
	};
	size_t	 i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(utf8_check(bad[i], &n), UTF8_BAD);
}

static void
control_characters_are_named(void **state)
{
	size_t	n;

	assert_int_equal(utf8_check("a\tb", &n), UTF8_CONTROL);
	assert_int_equal(utf8_check("a\nb", &n), UTF8_CONTROL);
	assert_int_equal(utf8_check("\x7f", &n), UTF8_CONTROL);
	assert_int_equal(utf8_check("\x1b[31m", &n), UTF8_CONTROL);
	assert_int_equal(n, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_is_counted_in_characters),
		cmocka_unit_test(malformed_is_bad),
		cmocka_unit_test(control_characters_are_named),
	};

	return (cmocka_run_group_tests_name("utf8", tests, NULL, NULL));
}
