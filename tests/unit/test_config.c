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

static void
database_timeouts_default_and_are_taken(void **state)
{
	static const char *const	 dflt[] = {
		"TIDEOVER_DATA_DIR", "d", "TIDEOVER_DB", "x", NULL
	};
	static const char *const	 v[] = {
		"TIDEOVER_DATA_DIR", "d", "TIDEOVER_DB", "x",
		"TIDEOVER_DB_TIMEOUT_MS", "2500",
		"TIDEOVER_DB_LONG_TIMEOUT_MS", "2500",
		"TIDEOVER_DB_HEALTH_TIMEOUT_MS", "100",
		"TIDEOVER_DB_LOCK_TIMEOUT_MS", "0",
		"TIDEOVER_DB_CONNECT_TIMEOUT_S", "7", NULL
	};
	struct config			 c;
	char				 err[256];

	assert_int_equal(load(dflt, &c, err, sizeof(err)), 0);
	assert_int_equal(c.db_timeout_ms, 10000);
	assert_int_equal(c.db_long_timeout_ms, 300000);
	assert_int_equal(c.db_health_timeout_ms, 1000);
	assert_int_equal(c.db_lock_timeout_ms, 60000);
	assert_int_equal(c.db_connect_timeout_s, 2);

	assert_int_equal(load(v, &c, err, sizeof(err)), 0);
	assert_int_equal(c.db_timeout_ms, 2500);
	assert_int_equal(c.db_long_timeout_ms, 2500);
	assert_int_equal(c.db_health_timeout_ms, 100);
	assert_int_equal(c.db_lock_timeout_ms, 0);
	assert_int_equal(c.db_connect_timeout_s, 7);
}

static void
bad_database_timeouts_are_refused(void **state)
{
	static const struct {
		const char	*name, *value, *err;
	} bad[] = {
		{ "TIDEOVER_DB_TIMEOUT_MS", "99",
		    "TIDEOVER_DB_TIMEOUT_MS must be 100 to 86400000" },
		{ "TIDEOVER_DB_TIMEOUT_MS", "1s",
		    "TIDEOVER_DB_TIMEOUT_MS must be 100 to 86400000" },
		{ "TIDEOVER_DB_TIMEOUT_MS", "300001",
		    "TIDEOVER_DB_LONG_TIMEOUT_MS may not be less than "
		    "TIDEOVER_DB_TIMEOUT_MS" },
		{ "TIDEOVER_DB_LONG_TIMEOUT_MS", "86400001",
		    "TIDEOVER_DB_LONG_TIMEOUT_MS must be 100 to 86400000" },
		{ "TIDEOVER_DB_HEALTH_TIMEOUT_MS", "0",
		    "TIDEOVER_DB_HEALTH_TIMEOUT_MS must be 100 to 86400000" },
		{ "TIDEOVER_DB_LOCK_TIMEOUT_MS", "-1",
		    "TIDEOVER_DB_LOCK_TIMEOUT_MS must be 0 to 86400000" },
		{ "TIDEOVER_DB_CONNECT_TIMEOUT_S", "1",
		    "TIDEOVER_DB_CONNECT_TIMEOUT_S must be 2 to 3600" },
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

/*
 * Every connection carries the limits: first in key=value form, so that
 * an operator's own options win, and as parameters of a URI.
 */
static void
connections_carry_the_timeouts(void **state)
{
	static const char *const	 kv[] = {
		"TIDEOVER_DATA_DIR", "d",
		"TIDEOVER_DB", "host=/run/pg dbname=t user=app",
		"TIDEOVER_DB_LONG_TIMEOUT_MS", "600000",
		"TIDEOVER_DB_LOCK_TIMEOUT_MS", "5000", NULL
	};
	static const char *const	 uri[] = {
		"TIDEOVER_DATA_DIR", "d",
		"TIDEOVER_DB", "postgresql://app@db/t?sslmode=require", NULL
	};
	static const char *const	 bare[] = {
		"TIDEOVER_DATA_DIR", "d", "TIDEOVER_DB", "postgres://db/t", NULL
	};
	struct config			 c;
	char				 err[256], small[64];

	assert_int_equal(load(kv, &c, err, sizeof(err)), 0);
	assert_string_equal(c.db_conninfo, "connect_timeout=2 options='"
	    "-c statement_timeout=600000 -c lock_timeout=5000 "
	    "-c idle_in_transaction_session_timeout=600000 "
	    "-c client_connection_check_interval=1000' "
	    "host=/run/pg dbname=t user=app");
	assert_string_equal(c.db, "host=/run/pg dbname=t user=app");

	assert_int_equal(load(uri, &c, err, sizeof(err)), 0);
	assert_string_equal(c.db_conninfo,
	    "postgresql://app@db/t?sslmode=require&connect_timeout=2&options="
	    "-c%20statement_timeout%3D300000%20-c%20lock_timeout%3D60000"
	    "%20-c%20idle_in_transaction_session_timeout%3D300000"
	    "%20-c%20client_connection_check_interval%3D1000");
	assert_int_equal(load(bare, &c, err, sizeof(err)), 0);
	assert_non_null(strstr(c.db_conninfo, "postgres://db/t?connect_"));

	assert_int_equal(config_db_conninfo(&c, small, sizeof(small)), -1);
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
		cmocka_unit_test(database_timeouts_default_and_are_taken),
		cmocka_unit_test(bad_database_timeouts_are_refused),
		cmocka_unit_test(connections_carry_the_timeouts),
	};

	return (cmocka_run_group_tests_name("config", tests, NULL, NULL));
}
