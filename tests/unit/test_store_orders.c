/*
 * The SQL behind purchase orders: every query's parameters in order,
 * the writes as calls of sql/0017_orders.sql's functions, and order and
 * prepayment-state rows decoded to exact values or refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/journal.h"
#include "store/store_orders.h"

#define SQLNULL	"\1"

static int
highest_placeholder(const char *sql)
{
	const char	*p;
	int		 n, max = 0;

	for (p = sql; (p = strchr(p, '$')) != NULL; p++) {
		n = atoi(p + 1);
		max = n > max ? n : max;
	}
	return (max);
}

/* q's first n parameters are want[0 .. n-1]; it has `total` in all. */
static void
params_are(const struct db_query *q, const char *const *want, int n,
    int total)
{
	int	i;

	assert_int_equal(q->nparams, total);
	assert_int_equal(highest_placeholder(q->sql), total);
	for (i = 0; i < n; i++) {
		if (strcmp(want[i], SQLNULL) == 0) {
			if (q->values[i] != NULL)
				fail_msg("$%d: \"%s\", not NULL", i + 1,
				    q->values[i]);
		} else if (q->values[i] == NULL ||
		    strcmp(q->values[i], want[i]) != 0)
			fail_msg("$%d: \"%s\", not \"%s\"", i + 1,
			    q->values[i] ? q->values[i] : "NULL", want[i]);
	}
}

static void
reads_take_their_filters_in_order(void **state)
{
	static const char *const get[] = { "PO-1", "SUP-A" };
	static const char *const list[] = { SQLNULL, "open", "PO-0", "101" };
	static const char *const create[] = {
		"PO-1", "SUP-A", "1000000", "GBP", "2025-10-01", "2025-10-20",
		"2025-10-01T08:00:00.000000Z",
	};
	static const char *const st[] = { "PO-1", "S1" };
	struct db_query	q;

	store_order_get(&q, "PO-1", "SUP-A");
	assert_non_null(strstr(q.sql, "FROM orders o WHERE o.id = $1 AND "
	    "($2::text IS NULL OR o.supplier_id = $2)"));
	params_are(&q, get, 2, 2);
	db_query_reset(&q);

	store_order_list(&q, NULL, "open", "PO-0", 101);
	assert_non_null(strstr(q.sql, "o.id > $3 ORDER BY o.id LIMIT $4"));
	params_are(&q, list, 4, 4);
	db_query_reset(&q);

	store_order_create(&q, "PO-1", "SUP-A", 1000000, "GBP", "2025-10-01",
	    "2025-10-20", "2025-10-01T08:00:00.000000Z");
	assert_string_equal(q.sql, "SELECT order_create($1, $2, $3, $4, $5, "
	    "$6, $7)");
	params_are(&q, create, 7, 7);
	db_query_reset(&q);

	store_order_state(&q, "PO-1", "S1");
	/* Caps: what the scheme's funder has outstanding, from the journal. */
	assert_non_null(strstr(q.sql, "FROM ledger_accounts a WHERE "
	    "a.kind = 'funder_payable' AND a.scheme_id = coalesce($2, "
	    "o.scheme_id)"));
	assert_non_null(strstr(q.sql, "s.payment_terms_days, sc.id, "
	    "sc.basis, "));
	params_are(&q, st, 2, 2);
	db_query_reset(&q);
}

static void
writes_call_the_database_functions(void **state)
{
	static const char *const prepay[] = {
		"PO-1", "open", "S1", "2025-10-08", "2025-12-19", "800000",
		"10258", "2025-10-08T09:00:00.000000Z",
	};
	struct store_order	 o;
	struct store_post	 p;
	struct journal_tx	 tx;
	struct db_query		 q;

	journal_tx_init(&tx);
	assert_int_equal(journal_prepayment(&tx, "SUP-A", "S1", "GBP", 800000,
	    10258, 0), 0);
	memset(&p, 0, sizeof(p));
	p.at = "2025-10-08T09:00:00.000000Z";
	p.tx = &tx;
	p.status = 201;
	p.response = "{}";
	memset(&o, 0, sizeof(o));
	o.id = "PO-1";
	o.status = "open";
	store_order_prepay(&q, &o, "S1", "2025-10-08", "2025-12-19", 800000,
	    10258, &p);
	assert_true(strncmp(q.sql, "SELECT order_prepay(", 20) == 0);
	params_are(&q, prepay, 8, 16);
	assert_string_equal(q.values[8], "{\"prepaid:supplier:SUP-A\","
	    "\"payable:funder:S1:SUP-A\",\"fees:supplier:SUP-A\","
	    "\"fees:funder:S1\"}");
	assert_string_equal(q.values[10], "{800000,-800000,10258,-10258}");
	db_query_reset(&q);

	store_order_invoice_create(&q, "SUP-A-1", "SUP-A", 900000, "GBP",
	    "2025-10-20", "2025-12-19", "approved", "PO-1", &p);
	assert_true(strncmp(q.sql, "SELECT order_invoice_create(", 28) == 0);
	assert_int_equal(q.nparams, 17);
	assert_string_equal(q.values[7], "PO-1");
	db_query_reset(&q);
	journal_tx_cleanup(&tx);
}

/* One order row: a prepaid order. */
static const char *const prepaid_row[STORE_ORDER_NCOLS] = {
	"PO-1", "SUP-A", "1000000", "GBP", "2025-10-01", "2025-10-20",
	"prepaid", "S1", "800000", "10258", "2025-10-08", "2025-12-19", NULL,
	"0", "0", NULL, "0", "0", "800000", NULL,
	"2025-10-01T08:00:00.000000Z", "2025-10-08T09:00:00.000000Z",
};

static void
put(struct db_rows *r, int col, const char *const *cells, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		assert_int_equal(db_rows_set(r, 0, col + i, cells[i],
		    cells[i] ? strlen(cells[i]) : 0), 0);
}

static void
rows_decode_to_exact_values(void **state)
{
	static const char *const tail[19] = {
		"1", "120", "t", "60", "S1", "order", "2025-10-07", "8000",
		"650", "365", "supplier", "1,2", "500", "1000", "t", NULL,
		"4000000", "3200000", "800000",
	};
	struct store_order_state	 st;
	struct store_order		 o;
	struct db_rows			 r;
	int				 i;

	db_rows_init(&r);
	assert_int_equal(db_rows_alloc(&r, 1, STORE_ORDER_NCOLS), 0);
	put(&r, 0, prepaid_row, STORE_ORDER_NCOLS);
	assert_int_equal(store_order_decode(&r, 0, 0, &o), 0);
	assert_string_equal(o.status, "prepaid");
	assert_int_equal(o.prepaid, 800000);
	assert_int_equal(o.prepaid_fee, 10258);
	assert_string_equal(o.expected_due, "2025-12-19");
	assert_null(o.invoice_id);
	assert_int_equal(o.funded, 800000);
	assert_string_equal(o.updated_at, "2025-10-08T09:00:00.000000Z");
	for (i = 0; i < STORE_ORDER_NCOLS; i++) {
		if (prepaid_row[i] == NULL || strcmp(prepaid_row[i], "0") != 0)
			continue;
		db_rows_set(&r, 0, i, "0x", 2);
		assert_int_equal(store_order_decode(&r, 0, 0, &o), -1);
		db_rows_set(&r, 0, i, "0", 1);
	}
	db_rows_cleanup(&r);

	assert_int_equal(db_rows_alloc(&r, 1, STORE_ORDER_NCOLS + 19), 0);
	put(&r, 0, prepaid_row, STORE_ORDER_NCOLS);
	put(&r, STORE_ORDER_NCOLS, tail, 19);
	assert_int_equal(store_order_state_decode(&r, &st), 0);
	assert_true(st.found);
	assert_true(st.scheme_found);
	assert_string_equal(st.basis, "order");
	assert_int_equal(st.payment_terms_days, 60);
	assert_int_equal(st.scheme.advance_rate_bps, 8000);
	assert_int_equal(st.scheme.eligible_tiers, (1 << 1) | (1 << 2));
	assert_false(st.scheme.has_per_supplier_cap);
	assert_true(st.scheme.has_facility_limit);
	assert_int_equal(st.scheme.facility_limit, 4000000);
	assert_int_equal(st.facility_used, 3200000);
	assert_int_equal(st.supplier_used, 800000);
	db_rows_set(&r, 0, STORE_ORDER_NCOLS + 3, "6x", 2);
	assert_int_equal(store_order_state_decode(&r, &st), -1);
	db_rows_cleanup(&r);

	/* No such order: no row. */
	assert_int_equal(db_rows_alloc(&r, 0, STORE_ORDER_NCOLS + 19), 0);
	assert_int_equal(store_order_state_decode(&r, &st), 0);
	assert_false(st.found);
	db_rows_cleanup(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_take_their_filters_in_order),
		cmocka_unit_test(writes_call_the_database_functions),
		cmocka_unit_test(rows_decode_to_exact_values),
	};

	return (cmocka_run_group_tests_name("store_orders", tests, NULL,
	    NULL));
}
