/*
 * The store's error vocabulary: each SQLSTATE the service tells apart maps
 * to its enum, whole classes mean the database is unavailable, anything
 * else is internal; and the table of the service's own codes is exactly
 * the registry in sql/0007_error_codes.sql, one meaning a code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store_error.h"

#define REGISTRY	"sql/0007_error_codes.sql"

static void
each_code_has_its_meaning(void **state)
{
	assert_int_equal(store_error_of("TD001"), STORE_ERR_HEAD_MOVED);
	assert_int_equal(store_error_of("TD002"), STORE_ERR_BAD_TRANSITION);
	assert_int_equal(store_error_of("TD003"), STORE_ERR_IDEM_REUSED);
	assert_int_equal(store_error_of("TD004"), STORE_ERR_OVER_CAP);
	assert_int_equal(store_error_of("TD005"), STORE_ERR_NO_INVOICE);
	assert_int_equal(store_error_of("TD006"), STORE_ERR_INVOICE_DIFFERS);
	assert_int_equal(store_error_of("TD010"), STORE_ERR_INVARIANT);
	assert_int_equal(store_error_of("TD011"), STORE_ERR_NO_SCENARIO);
	assert_int_equal(store_error_of("TD012"), STORE_ERR_NO_SCHEME);
	assert_int_equal(store_error_of("TD013"), STORE_ERR_BEYOND_HORIZON);
	assert_int_equal(store_error_of("TD014"), STORE_ERR_RUN_CLOSED);
	assert_int_equal(store_error_of("TD015"), STORE_ERR_RUN_MISFIT);
	assert_int_equal(store_error_of("TD016"), STORE_ERR_APPEND_ONLY);
	assert_int_equal(store_error_of("22003"), STORE_ERR_OUT_OF_RANGE);
	assert_int_equal(store_error_of("22021"), STORE_ERR_BAD_ENCODING);
	assert_int_equal(store_error_of("23505"), STORE_ERR_DUPLICATE);
	assert_int_equal(store_error_of("23503"), STORE_ERR_NO_REFERENCE);
	assert_int_equal(store_error_of("40001"), STORE_ERR_CONTENTION);
	assert_int_equal(store_error_of("40P01"), STORE_ERR_CONTENTION);
}

static void
lost_connections_are_unavailable(void **state)
{
	assert_int_equal(store_error_of(NULL), STORE_ERR_UNAVAILABLE);
	assert_int_equal(store_error_of(""), STORE_ERR_UNAVAILABLE);
	assert_int_equal(store_error_of("08006"), STORE_ERR_UNAVAILABLE);
	assert_int_equal(store_error_of("08001"), STORE_ERR_UNAVAILABLE);
	assert_int_equal(store_error_of("57P01"), STORE_ERR_UNAVAILABLE);
	assert_int_equal(store_error_of("57P03"), STORE_ERR_UNAVAILABLE);
	/*
	 * The connection's timeouts (config.c): the server gave the
	 * statement up, and a retry later may well succeed.
	 */
	assert_int_equal(store_error_of("57014"), STORE_ERR_UNAVAILABLE);
	assert_int_equal(store_error_of("55P03"), STORE_ERR_CONTENTION);
	assert_int_equal(store_error_of("53300"), STORE_ERR_UNAVAILABLE);
}

static void
anything_else_is_internal(void **state)
{
	assert_int_equal(store_error_of("TD099"), STORE_ERR_INTERNAL);
	assert_int_equal(store_error_of("TD00"), STORE_ERR_INTERNAL);
	assert_int_equal(store_error_of("TD0011"), STORE_ERR_INTERNAL);
	assert_int_equal(store_error_of("42P01"), STORE_ERR_INTERNAL);
	assert_int_equal(store_error_of("23514"), STORE_ERR_INTERNAL);
}

static void
rows_say_ok_until_they_fail(void **state)
{
	struct db_rows	r;

	db_rows_init(&r);
	assert_int_equal(store_error(&r), STORE_OK);
	db_rows_fail(&r, "TD011", "no such scenario");
	assert_int_equal(store_error(&r), STORE_ERR_NO_SCENARIO);
	db_rows_cleanup(&r);
	db_rows_init(&r);
	db_rows_fail(&r, NULL, "server closed the connection");
	assert_int_equal(store_error(&r), STORE_ERR_UNAVAILABLE);
	db_rows_cleanup(&r);
}

/* Every "('TDnnn'," in the registry's INSERT, in order. */
static int
registry_codes(char codes[][6], int max)
{
	FILE	*f;
	char	 line[512], *p;
	int	 n = 0;

	if ((f = fopen(REGISTRY, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((p = strstr(line, "('TD")) == NULL || n == max)
			continue;
		memcpy(codes[n], p + 2, 5);
		codes[n][5] = '\0';
		n++;
	}
	fclose(f);
	return (n);
}

static void
own_codes_are_the_registry(void **state)
{
	const struct store_error_code	*t;
	char				 codes[64][6];
	size_t				 n, i;
	int				 nreg, k, found, ours;

	nreg = registry_codes(codes, 64);
	assert_true(nreg >= 13);
	t = store_error_codes(&n);
	/* Each registered code is in the table, with its own enum. */
	for (k = 0; k < nreg; k++) {
		found = 0;
		for (i = 0; i < n; i++) {
			if (strcmp(t[i].sqlstate, codes[k]) == 0)
				found++;
		}
		if (found != 1)
			fprintf(stderr, "%s is in the table %d times\n",
			    codes[k], found);
		assert_int_equal(found, 1);
	}
	/* Each of the table's own codes is registered; no enum twice. */
	ours = 0;
	for (i = 0; i < n; i++) {
		if (strncmp(t[i].sqlstate, "TD", 2) != 0)
			continue;
		ours++;
		found = 0;
		for (k = 0; k < nreg; k++)
			found += strcmp(t[i].sqlstate, codes[k]) == 0;
		assert_int_equal(found, 1);
		for (k = 0; k < (int)n; k++) {
			if ((size_t)k != i && strncmp(t[k].sqlstate, "TD",
			    2) == 0)
				assert_int_not_equal(t[k].error, t[i].error);
		}
	}
	assert_int_equal(ours, nreg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_code_has_its_meaning),
		cmocka_unit_test(lost_connections_are_unavailable),
		cmocka_unit_test(anything_else_is_internal),
		cmocka_unit_test(rows_say_ok_until_they_fail),
		cmocka_unit_test(own_codes_are_the_registry),
	};

	return (cmocka_run_group_tests_name("store_error", tests, NULL,
	    NULL));
}
