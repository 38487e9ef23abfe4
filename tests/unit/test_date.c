/*
 * Dates: strict parsing, leap years, and day numbers that round-trip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"

static void
known_day_numbers(void **state)
{
	int32_t	d;

	assert_int_equal(date_parse("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(date_parse("2025-09-01", &d), 0);
	assert_int_equal(d, 20332);
	assert_int_equal(date_parse("1969-12-31", &d), 0);
	assert_int_equal(d, -1);
	assert_int_equal(date_parse("2000-03-01", &d), 0);
	assert_int_equal(d, 11017);
}

static void
offsets_are_calendar_days(void **state)
{
	int32_t	a, b;

	assert_int_equal(date_parse("2025-09-01", &a), 0);
	assert_int_equal(date_parse("2025-10-07", &b), 0);
	assert_int_equal(b - a, 36);
	assert_int_equal(date_parse("2024-02-28", &a), 0);
	assert_int_equal(date_parse("2024-03-01", &b), 0);
	assert_int_equal(b - a, 2);
	assert_int_equal(date_parse("2025-02-28", &a), 0);
	assert_int_equal(date_parse("2025-03-01", &b), 0);
	assert_int_equal(b - a, 1);
}

static void
leap_years(void **state)
{
	int32_t	d;

	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_int_equal(date_parse("2000-02-29", &d), 0);
	assert_int_equal(date_parse("1900-02-29", &d), -1);
	assert_int_equal(date_parse("2025-02-29", &d), -1);
	assert_int_equal(date_parse("2025-04-31", &d), -1);
}

static void
strictly_iso(void **state)
{
	static const char *const bad[] = {
		"", "2025-9-01", "2025-09-1", "25-09-01", "2025/09/01",
		"2025-09-01T00:00", "2025-13-01", "2025-00-10", "2025-01-00",
		"0000-01-01", " 2025-09-01", "2025-09-01 ", "2O25-09-01",
		"+025-09-01",
	};
	int32_t	d;
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(date_parse(bad[i], &d), -1);
	assert_int_equal(date_parse(NULL, &d), -1);
	assert_false(date_valid("2025-02-30"));
	assert_true(date_valid("9999-12-31"));
}

static void
round_trips_every_day_of_four_centuries(void **state)
{
	int32_t	d, first, last, back;
	char	buf[DATE_LEN + 1];

	assert_int_equal(date_parse("1800-01-01", &first), 0);
	assert_int_equal(date_parse("2199-12-31", &last), 0);
	assert_int_equal(last - first + 1, 146097);
	for (d = first; d <= last; d++) {
		date_format(d, buf);
		assert_int_equal(strlen(buf), DATE_LEN);
		assert_int_equal(date_parse(buf, &back), 0);
		assert_int_equal(back, d);
	}
	date_format(0, buf);
	assert_string_equal(buf, "1970-01-01");
	date_format(20332 + 36, buf);
	assert_string_equal(buf, "2025-10-07");
	/* The ends of the range a date can be parsed in. */
	assert_int_equal(date_parse("0001-01-01", &d), 0);
	date_format(d, buf);
	assert_string_equal(buf, "0001-01-01");
	assert_int_equal(date_parse("9999-12-31", &d), 0);
	date_format(d, buf);
	assert_string_equal(buf, "9999-12-31");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_day_numbers),
		cmocka_unit_test(offsets_are_calendar_days),
		cmocka_unit_test(leap_years),
		cmocka_unit_test(strictly_iso),
		cmocka_unit_test(round_trips_every_day_of_four_centuries),
	};

	return (cmocka_run_group_tests_name("date", tests, NULL, NULL));
}
