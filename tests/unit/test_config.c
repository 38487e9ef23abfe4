/*
 * The configuration from the environment: what is required, the
 * defaults, and every value refused with the reason start-up prints.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

/* The environment of one test: NULL-terminated name, value pairs. */
static const char *const	*vars;

static const char *
env(const char *name)
{
	size_t	i;

	for (i = 0; vars[i] != NULL; i += 2) {
		if (strcmp(vars[i], name) == 0)
			return (vars[i + 1]);
	}
	return (NULL);
}

static int
load(const char *const *v, struct config *c, char *err, size_t len)
{
	vars = v;
	err[0] = '\0';
	return (config_env(c, env, err, len));
}

static void
defaults_fill_what_is_not_set(void **state)
{
	static const char *const	 v[] = {
		"TIDEOVER_DATA_DIR", "/srv/t", "TIDEOVER_DB", "dbname=t", NULL
	};
	struct config			 c;
	char				 err[256];

	assert_int_equal(load(v, &c, err, sizeof(err)), 0);
	assert_string_equal(c.data_dir, "/srv/t");
	assert_string_equal(c.db, "dbname=t");
	assert_string_equal(c.currency, "GBP");
	assert_int_equal(c.min_cell_size, CONFIG_MIN_CELL_DEFAULT);
	assert_int_equal(c.rate[RATELIMIT_ORDINARY].per_minute, 300000);
	assert_int_equal(c.rate[RATELIMIT_ORDINARY].burst, 5000);
	assert_int_equal(c.rate[RATELIMIT_EXPENSIVE].per_minute, 120);
	assert_int_equal(c.rate[RATELIMIT_EXPENSIVE].burst, 20);
}

static void
values_given_are_taken(void **state)
{
	static const char *const	 v[] = {
		"TIDEOVER_DATA_DIR", "d", "TIDEOVER_DB", "x",
		"TIDEOVER_CURRENCY", "EUR", "TIDEOVER_MIN_CELL_SIZE", "1000000",
		"TIDEOVER_RATE_PER_MINUTE", "1", "TIDEOVER_RATE_BURST", "1000000",
		"TIDEOVER_RATE_EXPENSIVE_PER_MINUTE", "60000000",
		"TIDEOVER_RATE_EXPENSIVE_BURST", "3", NULL
	};
	struct config			 c;
	char				 err[256];

	assert_int_equal(load(v, &c, err, sizeof(err)), 0);
	assert_string_equal(c.currency, "EUR");
	assert_int_equal(c.min_cell_size, 1000000);
	assert_int_equal(c.rate[RATELIMIT_ORDINARY].per_minute, 1);
	assert_int_equal(c.rate[RATELIMIT_ORDINARY].burst, 1000000);
	assert_int_equal(c.rate[RATELIMIT_EXPENSIVE].per_minute, 60000000);
	assert_int_equal(c.rate[RATELIMIT_EXPENSIVE].burst, 3);
}

static void
required_values_are_named(void **state)
{
	static const char *const	 no_dir[] = { "TIDEOVER_DB", "x", NULL };
	static const char *const	 empty_db[] = {
		"TIDEOVER_DATA_DIR", "d", "TIDEOVER_DB", "", NULL
	};
	struct config			 c;
	char				 err[256], dir[1100];
	const char			*long_dir[] = {
		"TIDEOVER_DATA_DIR", dir, "TIDEOVER_DB", "x", NULL
	};

	assert_int_equal(load(no_dir, &c, err, sizeof(err)), -1);
	assert_string_equal(err,
	    "TIDEOVER_DATA_DIR is not set (start with make run)");
	assert_int_equal(load(empty_db, &c, err, sizeof(err)), -1);
	assert_string_equal(err,
	    "TIDEOVER_DB is not set (start with make run)");
	memset(dir, 'a', sizeof(dir) - 1);
	dir[sizeof(dir) - 1] = '\0';
	assert_int_equal(load(long_dir, &c, err, sizeof(err)), -1);
	assert_string_equal(err, "TIDEOVER_DATA_DIR is too long");
}

static void
bad_values_are_refused(void **state)
{
	static const char *const	 cur[] = { "gbp", "GB", "GBPX", "G1P" };
	static const char *const	 mcs[] = {
		"0", "-1", "1000001", "5x", " 5", "99999999999999999999"
	};
	const char			*v[] = {
		"TIDEOVER_DATA_DIR", "d", "TIDEOVER_DB", "x",
		NULL, NULL, NULL
	};
	struct config			 c;
	char				 err[256];
	size_t				 i;

	v[4] = "TIDEOVER_CURRENCY";
	for (i = 0; i < sizeof(cur) / sizeof(cur[0]); i++) {
		v[5] = cur[i];
		assert_int_equal(load(v, &c, err, sizeof(err)), -1);
		assert_string_equal(err,
		    "TIDEOVER_CURRENCY must be three capital letters");
	}
	v[4] = "TIDEOVER_MIN_CELL_SIZE";
	for (i = 0; i < sizeof(mcs) / sizeof(mcs[0]); i++) {
		v[5] = mcs[i];
		assert_int_equal(load(v, &c, err, sizeof(err)), -1);
		assert_string_equal(err,
		    "TIDEOVER_MIN_CELL_SIZE must be 1 to 1000000");
	}
}

static void
bad_rate_limits_are_refused(void **state)
{
	static const struct {
		const char	*name;
		const char	*value;
		const char	*err;
	} bad[] = {
		{ "TIDEOVER_RATE_PER_MINUTE", "0",
		    "TIDEOVER_RATE_PER_MINUTE must be 1 to 60000000" },
		{ "TIDEOVER_RATE_PER_MINUTE", "60000001",
		    "TIDEOVER_RATE_PER_MINUTE must be 1 to 60000000" },
		{ "TIDEOVER_RATE_BURST", "1000001",
		    "TIDEOVER_RATE_BURST must be 1 to 1000000" },
		{ "TIDEOVER_RATE_BURST", "-5",
		    "TIDEOVER_RATE_BURST must be 1 to 1000000" },
		{ "TIDEOVER_RATE_EXPENSIVE_PER_MINUTE", "2.5",
		    "TIDEOVER_RATE_EXPENSIVE_PER_MINUTE must be 1 to 60000000" },
		{ "TIDEOVER_RATE_EXPENSIVE_BURST", "0",
		    "TIDEOVER_RATE_EXPENSIVE_BURST must be 1 to 1000000" },
		{ "TIDEOVER_RATE_EXPENSIVE_BURST", "+3",
		    "TIDEOVER_RATE_EXPENSIVE_BURST must be 1 to 1000000" },
	};
	const char	*v[] = {
		"TIDEOVER_DATA_DIR", "d", "TIDEOVER_DB", "x", NULL, NULL, NULL
	};
	struct config	 c;
	char		 err[256];
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v[4] = bad[i].name;
		v[5] = bad[i].value;
		assert_int_equal(load(v, &c, err, sizeof(err)), -1);
		assert_string_equal(err, bad[i].err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_fill_what_is_not_set),
		cmocka_unit_test(values_given_are_taken),
		cmocka_unit_test(required_values_are_named),
		cmocka_unit_test(bad_values_are_refused),
		cmocka_unit_test(bad_rate_limits_are_refused),
	};

	return (cmocka_run_group_tests_name("config", tests, NULL, NULL));
}
