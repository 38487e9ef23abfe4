/*
 * The store layer without a database: queries carry their parameters as
 * text, and decoders read copied rows back into structs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"

static void
query_parameters_are_text(void **state)
{
	struct db_query	q;

	db_query_init(&q, "SELECT $1, $2, $3, $4");
	db_query_int64(&q, INT64_MIN);
	db_query_text(&q, "x");
	db_query_null(&q);
	db_query_bool(&q, 1);
	assert_int_equal(q.nparams, 4);
	assert_string_equal(q.values[0], "-9223372036854775808");
	assert_string_equal(q.values[1], "x");
	assert_null(q.values[2]);
	assert_string_equal(q.values[3], "true");
	db_query_reset(&q);
	assert_int_equal(q.nparams, 0);
}

static void
rows_copy_and_read(void **state)
{
	struct db_rows	r;
	int64_t		v;

	db_rows_init(&r);
	assert_int_equal(db_rows_alloc(&r, 2, 2), 0);
	assert_int_equal(db_rows_set(&r, 0, 0, "42xyz", 2), 0);
	assert_int_equal(db_rows_set(&r, 1, 1, "t", 1), 0);
	assert_int_equal(db_rows_set(&r, 2, 0, "x", 1), -1);
	assert_int_equal(db_rows_int64(&r, 0, 0, &v), 0);
	assert_int_equal(v, 42);
	assert_null(db_rows_get(&r, 0, 1));
	assert_int_equal(db_rows_int64(&r, 0, 1, &v), -1);
	assert_true(db_rows_bool(&r, 1, 1));
	assert_false(db_rows_bool(&r, 0, 1));
	assert_null(db_rows_get(&r, 5, 5));
	assert_int_equal(db_rows_set(&r, 1, 0, "99999999999999999999", 20), 0);
	assert_int_equal(db_rows_int64(&r, 1, 0, &v), -1);
	db_rows_cleanup(&r);
}

static void
failures_classified(void **state)
{
	struct db_rows	r;

	db_rows_init(&r);
	assert_false(db_rows_unavailable(&r));
	db_rows_fail(&r, NULL, "could not connect");
	assert_true(db_rows_unavailable(&r));
	db_rows_fail(&r, "08006", "connection failure");
	assert_true(db_rows_unavailable(&r));
	db_rows_fail(&r, "57P01", "terminating connection");
	assert_true(db_rows_unavailable(&r));
	db_rows_fail(&r, "23505", "duplicate key");
	assert_false(db_rows_unavailable(&r));
	assert_string_equal(r.sqlstate, "23505");
	db_rows_cleanup(&r);
}

static void
key_rows_decode(void **state)
{
	static const char *const row[8] = {
		"7", "0123456789abcdef", "supplier", "SUP-1", "l", "ab",
		"2025-09-01T00:00:00.000Z", NULL,
	};
	struct db_rows		r;
	struct store_key	k;
	int			c;

	db_rows_init(&r);
	db_rows_alloc(&r, 1, 8);
	for (c = 0; c < 8; c++) {
		if (row[c] != NULL)
			db_rows_set(&r, 0, c, row[c], strlen(row[c]));
	}
	assert_int_equal(store_key_lookup_decode(&r, &k), 1);
	assert_int_equal(k.seq, 7);
	assert_string_equal(k.id, "0123456789abcdef");
	assert_string_equal(k.role, "supplier");
	assert_string_equal(k.supplier_id, "SUP-1");
	assert_null(k.revoked_at);
	db_rows_alloc(&r, 0, 8);
	assert_int_equal(store_key_lookup_decode(&r, &k), 0);
	db_rows_cleanup(&r);
}

static void
queries_are_parameterised(void **state)
{
	struct db_query		q;
	struct store_audit	a;

	store_key_lookup(&q, "x'; DROP TABLE api_keys; --");
	assert_null(strstr(q.sql, "DROP"));
	assert_int_equal(q.nparams, 1);
	db_query_reset(&q);

	memset(&a, 0, sizeof(a));
	a.request_id = "r";
	a.method = "POST";
	a.path = "/v1/x";
	a.outcome = 201;
	store_audit_insert(&q, &a);
	assert_int_equal(q.nparams, 7);
	assert_null(q.values[0]);
	assert_string_equal(q.values[6], "201");
	db_query_reset(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(query_parameters_are_text),
		cmocka_unit_test(rows_copy_and_read),
		cmocka_unit_test(failures_classified),
		cmocka_unit_test(key_rows_decode),
		cmocka_unit_test(queries_are_parameterised),
	};

	return (cmocka_run_group_tests_name("store", tests, NULL, NULL));
}
