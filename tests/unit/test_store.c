/*
 * The store layer without a database: queries carry their parameters as
 * text (bulk integer and text arrays in PostgreSQL's binary format), and
 * decoders read copied rows back into structs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"
#include "store/store_runs.h"

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

/* The exact bytes of array_recv's format, header and elements. */
static void
binary_arrays(void **state)
{
	static const unsigned char	 one[] = {
		0, 0, 0, 1,  0, 0, 0, 1,  0, 0, 0, 23,	/* 1-D, nulls, int4 */
		0, 0, 0, 3,  0, 0, 0, 1,		/* 3 from 1 */
		0, 0, 0, 4,  0xff, 0xff, 0xff, 0xfe,	/* -2 */
		0xff, 0xff, 0xff, 0xff,			/* NULL */
		0, 0, 0, 4,  0, 0, 0, 7,		/* 7 */
	};
	static const unsigned char	 two[] = {
		0, 0, 0, 2,  0, 0, 0, 0,  0, 0, 0, 20,	/* 2-D, int8 */
		0, 0, 0, 2,  0, 0, 0, 1,		/* 2 rows */
		0, 0, 0, 1,  0, 0, 0, 1,		/* of 1 */
		0, 0, 0, 8,  0x80, 0, 0, 0, 0, 0, 0, 0,	/* INT64_MIN */
		0, 0, 0, 8,  0, 0, 0, 1, 0, 0, 0, 2,	/* 2^32 + 2 */
	};
	static const unsigned char	 dates[] = {
		0, 0, 0, 1,  0, 0, 0, 0,  0, 0, 0x04, 0x3a,	/* date */
		0, 0, 0, 1,  0, 0, 0, 1,
		0, 0, 0, 4,  0, 0, 0x25, 0x54,	/* 2026-03-01: 9556 from 2000 */
	};
	static const unsigned char	 texts[] = {
		0, 0, 0, 1,  0, 0, 0, 0,  0, 0, 0, 25,	/* text */
		0, 0, 0, 2,  0, 0, 0, 1,
		0, 0, 0, 2,  'a', 'b',
		0, 0, 0, 0,				/* "" */
	};
	static const unsigned char	 none[] = {
		0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 20,	/* no dimensions */
	};
	struct db_binarray		 a;
	struct db_query			 q;

	db_query_init(&q, "SELECT $1, $2, $3, $4, $5, $6");
	db_query_text(&q, "text");
	db_binarray_begin(&a, DB_OID_INT4, 3);
	db_binarray_int(&a, -2);
	db_binarray_null(&a);
	db_binarray_int(&a, 7);
	db_query_binarray(&q, &a, 0);
	db_binarray_begin(&a, DB_OID_INT8, 0);
	db_binarray_int(&a, INT64_MIN);
	db_binarray_int(&a, (INT64_C(1) << 32) + 2);
	db_query_binarray(&q, &a, 2);
	db_binarray_begin(&a, DB_OID_DATE, 1);
	db_binarray_date(&a, 20513);	/* 2026-03-01 from 1970 */
	db_query_binarray(&q, &a, 0);
	db_binarray_begin(&a, DB_OID_TEXT, 2);
	db_binarray_text(&a, "ab");
	db_binarray_text(&a, "");
	db_query_binarray(&q, &a, 0);
	db_binarray_begin(&a, DB_OID_INT8, 0);
	db_query_binarray(&q, &a, 7);

	assert_int_equal(q.nparams, 6);
	assert_int_equal(q.formats[0], 0);
	assert_int_equal(q.lengths[1], sizeof(one));
	assert_memory_equal(q.values[1], one, sizeof(one));
	assert_int_equal(q.lengths[2], sizeof(two));
	assert_memory_equal(q.values[2], two, sizeof(two));
	assert_int_equal(q.lengths[3], sizeof(dates));
	assert_memory_equal(q.values[3], dates, sizeof(dates));
	assert_int_equal(q.lengths[4], sizeof(texts));
	assert_memory_equal(q.values[4], texts, sizeof(texts));
	assert_int_equal(q.lengths[5], sizeof(none));
	assert_memory_equal(q.values[5], none, sizeof(none));
	for (int i = 1; i < 6; i++)
		assert_int_equal(q.formats[i], 1);
	db_query_reset(&q);
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

/* Cells in one block while it lasts, then copied one by one. */
static void
rows_in_one_block(void **state)
{
	struct db_rows	r;

	db_rows_init(&r);
	assert_int_equal(db_rows_alloc(&r, 2, 2), 0);
	db_rows_reserve(&r, 8);
	assert_int_equal(db_rows_set(&r, 0, 0, "abc", 3), 0);
	assert_int_equal(db_rows_set(&r, 0, 1, "de", 2), 0);
	assert_int_equal(db_rows_set(&r, 1, 0, "fg", 2), 0);	/* no room */
	assert_ptr_equal(db_rows_get(&r, 0, 0), r.arena);
	assert_ptr_equal(db_rows_get(&r, 0, 1), r.arena + 4);
	assert_false(db_rows_get(&r, 1, 0) >= r.arena &&
	    db_rows_get(&r, 1, 0) < r.arena + r.arena_cap);
	assert_string_equal(db_rows_get(&r, 0, 0), "abc");
	assert_string_equal(db_rows_get(&r, 0, 1), "de");
	assert_string_equal(db_rows_get(&r, 1, 0), "fg");
	/* Replacing cells of either kind frees only what was allocated. */
	assert_int_equal(db_rows_set(&r, 0, 0, "x", 1), 0);
	assert_int_equal(db_rows_set(&r, 1, 0, NULL, 0), 0);
	assert_string_equal(db_rows_get(&r, 0, 0), "x");
	assert_null(db_rows_get(&r, 1, 0));
	db_rows_cleanup(&r);
	assert_null(r.arena);
}

static void
supplier_row(struct db_rows *r, int row, const char *id)
{
	static const char	*cols[] = { NULL, "Name", "1", "Wales", "glass",
	    "10", "0", "0", "0", "0", "0", "0", "0", "60", "t" };
	int			 c;

	for (c = 0; c < 15; c++)
		assert_int_equal(db_rows_set(r, row, c, c == 0 ? id : cols[c],
		    strlen(c == 0 ? id : cols[c])), 0);
}

/*
 * A run's input from the rows stress_run_begin answers with: the header
 * row is skipped, invoices end up in id order (bytes) whatever their
 * lengths and shared prefixes, each with its supplier's index; an
 * unknown supplier or a repeated id is a damaged snapshot.
 */
static void
run_input_invoices_in_id_order(void **state)
{
	static const char	*ids[] = {
		"b", "aaaaaaaaaaaaaaaa2", "aaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaa",
		"aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa-", "A", "aaaaaaaab",
	};
	static const char	*sorted[] = {
		"A", "aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa-",
		"aaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaa2", "aaaaaaaab", "b",
	};
	struct store_run	 run;
	struct store_run_input	 in;
	struct db_rows		 sup, inv;
	char			 v[24];
	size_t			 i, n = sizeof(ids) / sizeof(ids[0]);

	memset(&run, 0, sizeof(run));
	run.start_date = "2025-09-01";
	run.horizon_days = 30;
	run.ramp_bps = "";
	db_rows_init(&sup);
	assert_int_equal(db_rows_alloc(&sup, 2, 15), 0);
	supplier_row(&sup, 0, "S1");
	supplier_row(&sup, 1, "S2");
	db_rows_init(&inv);
	assert_int_equal(db_rows_alloc(&inv, (int)n + 1, 5), 0);
	assert_int_equal(db_rows_set(&inv, 0, 4, "7", 1), 0);
	for (i = 0; i < n; i++) {
		db_rows_set(&inv, (int)i + 1, 0, i % 2 ? "S2" : "S1", 2);
		db_rows_set(&inv, (int)i + 1, 1, ids[i], strlen(ids[i]));
		snprintf(v, sizeof(v), "%zu", 100 + i);
		db_rows_set(&inv, (int)i + 1, 2, v, strlen(v));
		db_rows_set(&inv, (int)i + 1, 3, "20332", 5);
	}
	store_run_input_init(&in);
	assert_int_equal(store_run_input_load(&in, &run, &sup, &inv), 0);
	assert_int_equal(in.in.ninvoices, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(in.invoices[i].id, sorted[i]);
		/* ids[k] went to supplier k % 2 with amount 100 + k. */
		assert_int_equal(in.invoice_supplier[i],
		    (size_t)(in.invoices[i].outstanding - 100) % 2);
		assert_string_equal(in.invoices[i].supplier_id,
		    in.invoice_supplier[i] ? "S2" : "S1");
	}
	store_run_input_cleanup(&in);

	/* Stored rows name the supplier by its position n. */
	assert_int_equal(db_rows_alloc(&sup, 2, 15), 0);
	supplier_row(&sup, 0, "S1");
	supplier_row(&sup, 1, "S2");
	assert_int_equal(db_rows_alloc(&inv, 2, 4), 0);
	for (i = 0; i < 2; i++) {
		db_rows_set(&inv, (int)i, 0, i ? "1" : "2", 1);
		db_rows_set(&inv, (int)i, 1, i ? "x2" : "x1", 2);
		db_rows_set(&inv, (int)i, 2, "5", 1);
		db_rows_set(&inv, (int)i, 3, "20332", 5);
	}
	assert_int_equal(store_run_input_load(&in, &run, &sup, &inv), 0);
	assert_string_equal(in.invoices[0].id, "x1");
	assert_string_equal(in.invoices[0].supplier_id, "S2");
	assert_int_equal(in.invoice_supplier[0], 1);
	assert_string_equal(in.invoices[1].supplier_id, "S1");
	assert_int_equal(in.invoice_supplier[1], 0);
	store_run_input_cleanup(&in);

	/* Suppliers the snapshot does not have, by id or by position. */
	assert_int_equal(db_rows_alloc(&sup, 1, 15), 0);
	supplier_row(&sup, 0, "S1");
	assert_int_equal(db_rows_alloc(&inv, 2, 5), 0);
	assert_int_equal(db_rows_set(&inv, 0, 4, "7", 1), 0);
	db_rows_set(&inv, 1, 0, "S9", 2);
	db_rows_set(&inv, 1, 1, "x1", 2);
	db_rows_set(&inv, 1, 2, "5", 1);
	db_rows_set(&inv, 1, 3, "20332", 5);
	assert_int_equal(store_run_input_load(&in, &run, &sup, &inv), -1);
	store_run_input_cleanup(&in);
	assert_int_equal(db_rows_alloc(&sup, 1, 15), 0);
	supplier_row(&sup, 0, "S1");
	assert_int_equal(db_rows_alloc(&inv, 1, 4), 0);
	db_rows_set(&inv, 0, 0, "2", 1);
	db_rows_set(&inv, 0, 1, "x1", 2);
	db_rows_set(&inv, 0, 2, "5", 1);
	db_rows_set(&inv, 0, 3, "20332", 5);
	assert_int_equal(store_run_input_load(&in, &run, &sup, &inv), -1);
	store_run_input_cleanup(&in);

	/* The same id twice. */
	assert_int_equal(db_rows_alloc(&sup, 1, 15), 0);
	supplier_row(&sup, 0, "S1");
	assert_int_equal(db_rows_alloc(&inv, 2, 4), 0);
	for (i = 0; i < 2; i++) {
		db_rows_set(&inv, (int)i, 0, "1", 1);
		db_rows_set(&inv, (int)i, 1, "x1", 2);
		db_rows_set(&inv, (int)i, 2, "5", 1);
		db_rows_set(&inv, (int)i, 3, "20332", 5);
	}
	assert_int_equal(store_run_input_load(&in, &run, &sup, &inv), -1);
	store_run_input_cleanup(&in);
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
		cmocka_unit_test(binary_arrays),
		cmocka_unit_test(rows_copy_and_read),
		cmocka_unit_test(rows_in_one_block),
		cmocka_unit_test(run_input_invoices_in_id_order),
		cmocka_unit_test(failures_classified),
		cmocka_unit_test(key_rows_decode),
		cmocka_unit_test(queries_are_parameterised),
	};

	return (cmocka_run_group_tests_name("store", tests, NULL, NULL));
}
