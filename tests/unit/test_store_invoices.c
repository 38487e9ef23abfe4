/*
 * The invoice queries without a database: each send half names the
 * right table or database function and fills its parameters in the
 * order the SQL numbers them (postings as array literals, NULL as SQL
 * NULL); each decode half reads hand-built rows to exact values, NULL
 * columns as NULL, and refuses rows whose numbers do not parse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/journal.h"
#include "store/store.h"
#include "store/store_invoices.h"

/* The largest $n in the SQL: every parameter must have its number. */
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

static uint32_t
rd32(const unsigned char *x)
{
	return ((uint32_t)x[0] << 24 | (uint32_t)x[1] << 16 |
	    (uint32_t)x[2] << 8 | x[3]);
}

/*
 * A binary array parameter (one dimension of text, int8 or date, or none)
 * written as the array literal PostgreSQL would print, into out: what the
 * server will read, checked byte by byte on the way.
 */
static const char *
binarray_literal(const struct db_query *q, int i, char *out, size_t size)
{
	const unsigned char	*x = (const unsigned char *)q->values[i];
	const unsigned char	*end = x + q->lengths[i];
	uint32_t		 ndims, oid, n, k, len;
	struct buf		 b;
	char			 day[DATE_LEN + 1];
	const char		*s;

	assert_int_equal(q->formats[i], 1);
	assert_true(q->lengths[i] >= 12);
	ndims = rd32(x);
	oid = rd32(x + 8);
	assert_true(ndims <= 1);
	n = ndims ? rd32(x + 12) : 0;
	if (ndims)
		assert_int_equal(rd32(x + 16), 1);
	x += 12 + 8 * ndims;
	buf_init(&b);
	buf_puts(&b, "{");
	for (k = 0; k < n; k++) {
		assert_true(end - x >= 4);
		len = rd32(x);
		x += 4;
		if (k > 0)
			buf_puts(&b, ",");
		if (len == UINT32_MAX) {
			buf_puts(&b, "NULL");
			continue;
		}
		assert_true((uint32_t)(end - x) >= len);
		if (oid == DB_OID_TEXT) {
			buf_puts(&b, "\"");
			for (s = (const char *)x; s < (const char *)x + len;
			    s++) {
				if (*s == '"' || *s == '\\')
					buf_puts(&b, "\\");
				buf_append(&b, s, 1);
			}
			buf_puts(&b, "\"");
		} else if (oid == DB_OID_INT8) {
			assert_int_equal(len, 8);
			buf_printf(&b, "%" PRId64, (int64_t)((uint64_t)rd32(x) <<
			    32 | rd32(x + 4)));
		} else {
			assert_int_equal(oid, DB_OID_DATE);
			assert_int_equal(len, 4);
			date_format((int32_t)rd32(x) + 10957, day);
			buf_printf(&b, "\"%s\"", day);
		}
		x += len;
	}
	assert_true(x == end);
	buf_puts(&b, "}");
	assert_true(b.len < size);
	memcpy(out, b.data, b.len + 1);
	buf_cleanup(&b);
	return (out);
}

/*
 * q's parameters are exactly want[0 .. n-1] ("\1" stands for NULL); a
 * binary array is compared as its literal.
 */
static void
params_are(const struct db_query *q, const char *const *want, int n)
{
	char		 lit[512];
	const char	*v;
	int		 i;

	assert_int_equal(q->nparams, n);
	assert_int_equal(highest_placeholder(q->sql), n);

	for (i = 0; i < n; i++) {
		v = q->formats[i] == 1 ? binarray_literal(q, i, lit,
		    sizeof(lit)) : q->values[i];
		if (strcmp(want[i], "\1") == 0) {
			if (v != NULL)
				fail_msg("$%d: \"%s\", not NULL", i + 1, v);
		} else if (v == NULL || strcmp(v, want[i]) != 0)
			fail_msg("$%d: \"%s\", not \"%s\"", i + 1,
			    v ? v : "NULL", want[i]);
	}
}

#define SQLNULL	"\1"

/* The invoice columns as every invoice query selects them. */
#define COLUMNS(t) \
	"SELECT " t ".id, " t ".supplier_id, " t ".amount, " t ".currency, " \
	t ".issue_date, " t ".due_date, " t ".status, " t ".reject_reason, " \
	t ".scheme_id, " t ".advance, " t ".fee, " t ".advanced_on, " \
	t ".paid_on, to_char(" t ".created_at AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), to_char(" t ".updated_at " \
	"AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), " \
	t ".order_id"

static void
get_and_list_select_the_decoded_columns(void **state)
{
	static const char *const get[] = { "INV-1", "SUP-A" };
	static const char *const get_any[] = { "INV-1", SQLNULL };
	static const char *const list[] = {
		"SUP-A", "approved", "2025-09-01", "2025-09-30", "INV-0", "101",
	};
	static const char *const list_all[] = {
		SQLNULL, SQLNULL, SQLNULL, SQLNULL, "", "1",
	};
	struct db_query	q;

	store_invoice_get(&q, "INV-1", "SUP-A");
	assert_int_equal(strncmp(q.sql, COLUMNS("i") " FROM invoices i ",
	    strlen(COLUMNS("i") " FROM invoices i ")), 0);
	assert_non_null(strstr(q.sql, "WHERE i.id = $1 AND "
	    "($2::text IS NULL OR i.supplier_id = $2)"));
	params_are(&q, get, 2);
	db_query_reset(&q);
	store_invoice_get(&q, "INV-1", NULL);
	params_are(&q, get_any, 2);
	db_query_reset(&q);

	store_invoice_list(&q, "SUP-A", "approved", "2025-09-01",
	    "2025-09-30", "INV-0", 101);
	assert_int_equal(strncmp(q.sql, COLUMNS("i") " FROM invoices i ",
	    strlen(COLUMNS("i") " FROM invoices i ")), 0);
	assert_non_null(strstr(q.sql, "i.supplier_id = $1"));
	assert_non_null(strstr(q.sql, "i.status = $2"));
	assert_non_null(strstr(q.sql, "i.due_date >= $3"));
	assert_non_null(strstr(q.sql, "i.due_date <= $4"));
	assert_non_null(strstr(q.sql, "i.id > $5 ORDER BY i.id LIMIT $6"));
	params_are(&q, list, 6);
	db_query_reset(&q);
	store_invoice_list(&q, NULL, NULL, NULL, NULL, "", 1);
	params_are(&q, list_all, 6);
	db_query_reset(&q);
}

/* A whole invoice row: cells[0 .. 14], NULL for SQL NULL. */
static void
put_row(struct db_rows *r, int row, int col, const char *const *cells,
    int n)
{
	int	i;

	for (i = 0; i < n; i++)
		assert_int_equal(db_rows_set(r, row, col + i, cells[i],
		    cells[i] ? strlen(cells[i]) : 0), 0);
}

static const char *const advanced_row[STORE_INVOICE_NCOLS] = {
	"INV-1", "SUP-A", "120000", "GBP", "2025-08-01", "2025-09-30",
	"advanced", NULL, "SCH-1", "108000", "1234", "2025-09-03", NULL,
	"2025-09-01T10:00:00.000000Z", "2025-09-03T11:00:00.000000Z", NULL,
};

static void
an_invoice_row_decodes_to_exact_values(void **state)
{
	struct store_invoice	inv;
	struct db_rows		r;

	db_rows_init(&r);
	assert_int_equal(db_rows_alloc(&r, 1, STORE_INVOICE_NCOLS), 0);
	put_row(&r, 0, 0, advanced_row, STORE_INVOICE_NCOLS);
	assert_int_equal(store_invoice_decode(&r, 0, 0, &inv), 0);
	assert_string_equal(inv.id, "INV-1");
	assert_string_equal(inv.supplier_id, "SUP-A");
	assert_int_equal(inv.amount, 120000);
	assert_string_equal(inv.currency, "GBP");
	assert_string_equal(inv.issue_date, "2025-08-01");
	assert_string_equal(inv.due_date, "2025-09-30");
	assert_string_equal(inv.status, "advanced");
	assert_null(inv.reject_reason);
	assert_string_equal(inv.scheme_id, "SCH-1");
	assert_int_equal(inv.advance, 108000);
	assert_int_equal(inv.fee, 1234);
	assert_string_equal(inv.advanced_on, "2025-09-03");
	assert_null(inv.paid_on);
	assert_string_equal(inv.created_at, "2025-09-01T10:00:00.000000Z");
	assert_string_equal(inv.updated_at, "2025-09-03T11:00:00.000000Z");
	assert_int_equal(store_invoice_outstanding(&inv), 12000);

	/* The largest amounts come through exactly. */
	db_rows_set(&r, 0, 2, "9223372036854775807", 19);
	db_rows_set(&r, 0, 9, "0", 1);
	assert_int_equal(store_invoice_decode(&r, 0, 0, &inv), 0);
	assert_int_equal(inv.amount, INT64_MAX);
	assert_int_equal(inv.advance, 0);
	db_rows_cleanup(&r);
}

/* Further along a row, as the transition state has it. */
static void
an_invoice_decodes_from_any_column(void **state)
{
	struct store_invoice	inv;
	struct db_rows		r;

	db_rows_init(&r);
	assert_int_equal(db_rows_alloc(&r, 2, 3 + STORE_INVOICE_NCOLS), 0);
	put_row(&r, 1, 3, advanced_row, STORE_INVOICE_NCOLS);
	assert_int_equal(store_invoice_decode(&r, 1, 3, &inv), 0);
	assert_string_equal(inv.id, "INV-1");
	assert_int_equal(inv.fee, 1234);
	assert_string_equal(inv.updated_at, "2025-09-03T11:00:00.000000Z");
	/* Too few columns after col. */
	assert_int_equal(store_invoice_decode(&r, 1, 4, &inv), -1);
	/* Row 0 is all NULL: no id. */
	assert_int_equal(store_invoice_decode(&r, 0, 3, &inv), -1);
	db_rows_cleanup(&r);
}

static void
invoice_rows_with_bad_numbers_are_refused(void **state)
{
	static const struct {
		int		 col;
		const char	*v;
	} bad[] = {
		{ 0, NULL }, { 2, NULL }, { 2, "" }, { 2, "12.5" }, { 2, "1e3" },
		{ 2, "12x" }, { 2, "9223372036854775808" }, { 9, NULL },
		{ 9, "-" }, { 10, NULL }, { 10, "0x10" },
	};
	struct store_invoice	inv;
	struct db_rows		r;
	size_t			i;

	db_rows_init(&r);
	assert_int_equal(db_rows_alloc(&r, 1, STORE_INVOICE_NCOLS), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put_row(&r, 0, 0, advanced_row, STORE_INVOICE_NCOLS);
		db_rows_set(&r, 0, bad[i].col, bad[i].v,
		    bad[i].v ? strlen(bad[i].v) : 0);
		if (store_invoice_decode(&r, 0, 0, &inv) != -1)
			fail_msg("column %d \"%s\" accepted", bad[i].col,
			    bad[i].v ? bad[i].v : "NULL");
	}
	/* Every other column may be NULL. */
	put_row(&r, 0, 0, advanced_row, STORE_INVOICE_NCOLS);
	for (i = 0; i < STORE_INVOICE_NCOLS; i++) {
		if (i != 0 && i != 2 && i != 9 && i != 10)
			db_rows_set(&r, 0, (int)i, NULL, 0);
	}
	assert_int_equal(store_invoice_decode(&r, 0, 0, &inv), 0);
	assert_null(inv.supplier_id);
	assert_null(inv.status);
	assert_null(inv.updated_at);
	db_rows_cleanup(&r);
}

static void
outstanding_is_what_the_oem_still_owes(void **state)
{
	static const struct {
		const char	*status;
		int64_t		 want;
	} c[] = {
		{ "submitted", 120000 }, { "approved", 120000 },
		{ "advanced", 12000 }, { "paid", 0 }, { "rejected", 0 },
	};
	struct store_invoice	inv;
	size_t			i;

	memset(&inv, 0, sizeof(inv));
	inv.amount = 120000;
	inv.advance = 108000;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		inv.status = c[i].status;
		assert_int_equal(store_invoice_outstanding(&inv), c[i].want);
	}
}

static void
the_state_query_reads_head_invoice_supplier_and_scheme(void **state)
{
	static const char *const with[] = { "INV-1", "SCH-1" };
	static const char *const without[] = { "INV-1", SQLNULL };
	struct db_query	q;

	store_invoice_state(&q, "INV-1", "SCH-1");
	/* The head, then the invoice's columns from column 2. */
	assert_non_null(strstr(q.sql, "SELECT h.seq, encode(h.hash, 'hex'), "
	    "i.id, i.supplier_id, i.amount, "));
	assert_ptr_equal(strstr(q.sql, "SELECT h.seq, "), q.sql);
	assert_non_null(strstr(q.sql, "i.updated_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), i.order_id, s.tier, s.employees, "
	    "s.scheme_opt_in, sc.id, sc.effective_from, sc.advance_rate_bps, "
	    "sc.annual_rate_bps, sc.day_count_basis, sc.fee_bearer, "
	    "array_to_string(sc.eligible_tiers, ','), sc.max_employees, "
	    "sc.min_invoice_amount, sc.requires_opt_in, sc.per_supplier_cap, "
	    "sc.facility_limit, u.used, u.mine, sc.basis, "
	    "o.status, o.prepaid, o.funded, o.prepaid_on, o.scheme_id, "
	    "o.netted, o.true_up, o.true_up_fee, o.owed_back, "
	    "coalesce((SELECT r.balance FROM ledger_accounts r WHERE r.name = "
	    "'receivable:supplier:' || i.supplier_id), 0), i.netted FROM"));
	assert_non_null(strstr(q.sql, "FROM ledger_head h "
	    "LEFT JOIN invoices i ON i.id = $1 "
	    "LEFT JOIN orders o ON o.id = i.order_id "
	    "LEFT JOIN suppliers s ON s.id = i.supplier_id "
	    "LEFT JOIN schemes sc ON sc.id = coalesce($2, i.scheme_id, "
	    "o.scheme_id)"));
	/* Facility use: what the journal owes the scheme's funder. */
	assert_non_null(strstr(q.sql, "FROM ledger_accounts a WHERE "
	    "a.kind = 'funder_payable' AND a.scheme_id = coalesce($2, "
	    "o.scheme_id)"));
	params_are(&q, with, 2);
	db_query_reset(&q);
	store_invoice_state(&q, "INV-1", NULL);
	params_are(&q, without, 2);
	db_query_reset(&q);
}

#define STATE_NCOLS	(2 + STORE_INVOICE_NCOLS + 29)

/* One state row: head, advanced_row, then the 29 after it. */
static void
state_row(struct db_rows *r, const char *const *tail)
{
	assert_int_equal(db_rows_alloc(r, 1, STATE_NCOLS), 0);
	db_rows_set(r, 0, 0, "17", 2);
	db_rows_set(r, 0, 1, "ab01", 4);
	put_row(r, 0, 2, advanced_row, STORE_INVOICE_NCOLS);
	put_row(r, 0, 2 + STORE_INVOICE_NCOLS, tail, 29);
}

static const char *const scheme_tail[29] = {
	"1", "120", "t", "SCH-1", "2025-09-01", "9000", "650", "365", "oem",
	"1,2", "249", "5000", "f", "2000000", "5000000", "3000000", "108000",
	"invoice", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "0",
	"0",
};

/* An order's invoice: its order's status, prepayment, funding, scheme. */
static const char *const order_tail[29] = {
	"1", "120", "t", "SCH-O", "2025-09-01", "8000", "650", "365", "oem",
	"1,2", "249", "5000", "f", NULL, NULL, "800000", "800000",
	"order", "invoiced", "800000", "900000", "2025-10-08", "SCH-O",
	"200000", "100000", "1416", "0", "300000", "0",
};

static void
a_state_row_decodes_to_exact_values(void **state)
{
	struct store_invoice_state	st;
	struct db_rows			r;

	db_rows_init(&r);
	state_row(&r, order_tail);
	assert_int_equal(store_invoice_state_decode(&r, &st), 0);
	assert_string_equal(st.order_status, "invoiced");
	assert_string_equal(st.order_scheme, "SCH-O");
	assert_string_equal(st.order_prepaid_on, "2025-10-08");
	assert_int_equal(st.order_prepaid, 800000);
	assert_int_equal(st.order_funded, 900000);
	assert_int_equal(st.order_netted, 200000);
	assert_int_equal(st.order_true_up, 100000);
	assert_int_equal(st.order_true_up_fee, 1416);
	assert_int_equal(st.order_owed_back, 0);
	assert_int_equal(st.owed_back, 300000);
	assert_int_equal(st.scheme.basis, MODEL_BASIS_ORDER);
	db_rows_cleanup(&r);

	state_row(&r, scheme_tail);
	assert_int_equal(store_invoice_state_decode(&r, &st), 0);
	assert_null(st.order_status);
	assert_int_equal(st.owed_back, 0);
	assert_int_equal(st.netted, 0);
	assert_int_equal(st.head_seq, 17);
	assert_string_equal(st.head_hash, "ab01");
	assert_true(st.found);
	assert_string_equal(st.inv.id, "INV-1");
	assert_int_equal(st.inv.advance, 108000);
	assert_int_equal(st.tier, 1);
	assert_int_equal(st.employees, 120);
	assert_true(st.opt_in);
	assert_true(st.scheme_found);
	assert_string_equal(st.effective_from, "2025-09-01");
	assert_int_equal(st.scheme.advance_rate_bps, 9000);
	assert_int_equal(st.scheme.annual_rate_bps, 650);
	assert_int_equal(st.scheme.day_count_basis, 365);
	assert_string_equal(st.fee_bearer, "oem");
	assert_int_equal(st.scheme.eligible_tiers, (1U << 1) | (1U << 2));
	assert_true(st.scheme.has_max_employees);
	assert_int_equal(st.scheme.max_employees, 249);
	assert_int_equal(st.scheme.min_invoice_amount, 5000);
	assert_false(st.scheme.requires_opt_in);
	assert_true(st.scheme.has_per_supplier_cap);
	assert_int_equal(st.scheme.per_supplier_cap, 2000000);
	assert_true(st.scheme.has_facility_limit);
	assert_int_equal(st.scheme.facility_limit, 5000000);
	assert_int_equal(st.facility_used, 3000000);
	assert_int_equal(st.supplier_used, 108000);
	assert_int_equal(st.scheme.basis, MODEL_BASIS_INVOICE);
	db_rows_cleanup(&r);
}

static void
state_rows_without_invoice_or_scheme_or_limits(void **state)
{
	static const char *const open_tail[29] = {
		"3", "0", "f", "SCH-2", "2025-09-01", "10000", "0", "360",
		"supplier", "3", NULL, NULL, "t", NULL, NULL, "0", "0", "order",
		NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "0", "0",
	};
	static const char *const no_scheme[29] = {
		"2", "10", "t", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		NULL, NULL, NULL, NULL, "0", "0", NULL, NULL, NULL, NULL, NULL,
		NULL, NULL, NULL, NULL, NULL, "0", "0",
	};
	struct store_invoice_state	st;
	struct db_rows			r;
	int				c;

	db_rows_init(&r);
	/* A scheme without its optional limits. */
	state_row(&r, open_tail);
	assert_int_equal(store_invoice_state_decode(&r, &st), 0);
	assert_true(st.scheme_found);
	assert_false(st.scheme.has_max_employees);
	assert_int_equal(st.scheme.max_employees, 0);
	assert_int_equal(st.scheme.min_invoice_amount, 0);
	assert_false(st.scheme.has_per_supplier_cap);
	assert_false(st.scheme.has_facility_limit);
	assert_true(st.scheme.requires_opt_in);
	assert_false(st.opt_in);
	assert_string_equal(st.fee_bearer, "supplier");
	assert_int_equal(st.scheme.basis, MODEL_BASIS_ORDER);

	/* No such scheme: its columns are all NULL. */
	state_row(&r, no_scheme);
	assert_int_equal(store_invoice_state_decode(&r, &st), 0);
	assert_true(st.found);
	assert_false(st.scheme_found);
	assert_int_equal(st.tier, 2);
	assert_null(st.fee_bearer);
	assert_int_equal(st.scheme.eligible_tiers, 0);

	/* No such invoice: the head is still read. */
	state_row(&r, no_scheme);
	for (c = 2; c < 2 + STORE_INVOICE_NCOLS + 15; c++)
		db_rows_set(&r, 0, c, NULL, 0);
	assert_int_equal(store_invoice_state_decode(&r, &st), 0);
	assert_false(st.found);
	assert_int_equal(st.head_seq, 17);
	assert_string_equal(st.head_hash, "ab01");
	db_rows_cleanup(&r);
}

static void
state_rows_with_bad_numbers_or_shape_are_refused(void **state)
{
	/* Columns after the invoice's (tail index) that must be numbers. */
	static const int	 numeric[] = { 0, 1, 5, 6, 7, 10, 11, 13, 14,
	    15, 16 };
	struct store_invoice_state	st;
	struct db_rows			r;
	size_t				i;

	db_rows_init(&r);
	for (i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++) {
		state_row(&r, scheme_tail);
		db_rows_set(&r, 0, 2 + STORE_INVOICE_NCOLS + numeric[i],
		    "12abc", 5);
		if (store_invoice_state_decode(&r, &st) != -1)
			fail_msg("tail column %d accepted \"12abc\"",
			    numeric[i]);
	}
	/* Facility use is never NULL (coalesce), even without a scheme. */
	state_row(&r, scheme_tail);
	db_rows_set(&r, 0, 2 + STORE_INVOICE_NCOLS + 16, NULL, 0);
	assert_int_equal(store_invoice_state_decode(&r, &st), -1);
	/* Nor is what the supplier owes back; an order's figures are numbers. */
	state_row(&r, scheme_tail);
	db_rows_set(&r, 0, STATE_NCOLS - 1, NULL, 0);
	assert_int_equal(store_invoice_state_decode(&r, &st), -1);
	state_row(&r, order_tail);
	db_rows_set(&r, 0, 2 + STORE_INVOICE_NCOLS + 19, "8x", 2);
	assert_int_equal(store_invoice_state_decode(&r, &st), -1);
	/* The head. */
	state_row(&r, scheme_tail);
	db_rows_set(&r, 0, 0, NULL, 0);
	assert_int_equal(store_invoice_state_decode(&r, &st), -1);
	/* The invoice's own numbers. */
	state_row(&r, scheme_tail);
	db_rows_set(&r, 0, 2 + 2, "1.5", 3);
	assert_int_equal(store_invoice_state_decode(&r, &st), -1);
	/* One row of exactly 35 columns. */
	assert_int_equal(db_rows_alloc(&r, 1, STATE_NCOLS - 1), 0);
	db_rows_set(&r, 0, 0, "17", 2);
	assert_int_equal(store_invoice_state_decode(&r, &st), -1);
	assert_int_equal(db_rows_alloc(&r, 0, STATE_NCOLS), 0);
	assert_int_equal(store_invoice_state_decode(&r, &st), -1);
	assert_int_equal(db_rows_alloc(&r, 2, STATE_NCOLS), 0);
	db_rows_set(&r, 0, 0, "17", 2);
	assert_int_equal(store_invoice_state_decode(&r, &st), -1);
	db_rows_cleanup(&r);
}

/* Two postings of one invoice, and the idempotency record. */
static void
post_init(struct store_post *p, struct journal_tx *tx, const char *idem)
{
	journal_tx_init(tx);
	assert_int_equal(journal_post(tx, "oem:payable", "GBP", -120000,
	    "INV-1"), 0);
	assert_int_equal(journal_post(tx, "supplier:SUP-A:receivable", "GBP",
	    120000, NULL), 0);
	memset(p, 0, sizeof(*p));
	p->at = "2025-09-01T10:00:00.000000Z";
	p->tx = tx;
	p->key_id = "0123456789abcdef";
	p->idem_key = idem;
	p->request_hash = "ff00";
	p->status = 201;
	p->response = "{\"id\":\"INV-1\"}";
}

static void
create_calls_invoice_create_with_16_parameters(void **state)
{
	static const char *const want[] = {
		"INV-1", "SUP-A", "120000", "GBP", "2025-08-01", "2025-09-30",
		SQLNULL, "2025-09-01T10:00:00.000000Z",
		"{\"oem:payable\",\"supplier:SUP-A:receivable\"}",
		"{\"GBP\",\"GBP\"}", "{-120000,120000}", "0123456789abcdef",
		"idem-1", "ff00", "201", "{\"id\":\"INV-1\"}",
	};
	struct journal_tx	tx;
	struct store_post	p;
	struct db_query		q;

	post_init(&p, &tx, "idem-1");
	store_invoice_create(&q, "INV-1", "SUP-A", 120000, "GBP", "2025-08-01",
	    "2025-09-30", NULL, &p);
	assert_string_equal(q.sql, "SELECT invoice_create($1, $2, $3, $4, $5, "
	    "$6, $7, $8, $9, $10, $11, $12, $13, decode($14, 'hex'), $15, "
	    "$16)");
	params_are(&q, want, 16);
	db_query_reset(&q);

	/* No idempotency key, a status, and no postings at all. */
	p.idem_key = NULL;
	p.tx = NULL;
	store_invoice_create(&q, "INV-1", "SUP-A", 1, "GBP", "2025-08-01",
	    "2025-08-01", "approved", &p);
	assert_string_equal(q.values[2], "1");
	assert_string_equal(q.values[6], "approved");
	assert_string_equal(q.values[8], "{}");
	assert_string_equal(q.values[9], "{}");
	assert_string_equal(q.values[10], "{}");
	assert_null(q.values[12]);
	db_query_reset(&q);
	journal_tx_cleanup(&tx);
}

static void
transition_calls_invoice_transition_with_what_it_read(void **state)
{
	static const char *const from[] = { "approved", "advanced", NULL };
	static const char *const none[] = { NULL };
	static const char *const want[] = {
		"early_payment", "INV-1", "{\"approved\",\"advanced\"}",
		"advanced", "90000", "450", "SCH-0", "SCH-1",
		"2025-09-03", "108000", "1234",
		"2025-09-01T10:00:00.000000Z",
		"{\"oem:payable\",\"supplier:SUP-A:receivable\"}",
		"{\"GBP\",\"GBP\"}", "{-120000,120000}", "0123456789abcdef",
		SQLNULL, "ff00", "201", "{\"id\":\"INV-1\"}",
	};
	struct store_invoice	seen;
	struct journal_tx	tx;
	struct store_post	p;
	struct db_query		q;

	memset(&seen, 0, sizeof(seen));
	seen.id = "INV-1";
	seen.status = "advanced";
	seen.advance = 90000;
	seen.fee = 450;
	seen.scheme_id = "SCH-0";
	post_init(&p, &tx, NULL);
	store_invoice_transition(&q, "early_payment", &seen, from, "SCH-1",
	    "2025-09-03", 108000, 1234, &p);
	assert_string_equal(q.sql, "SELECT invoice_transition($1, $2, $3, $4, "
	    "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
	    "decode($18, 'hex'), $19, $20)");
	params_are(&q, want, 20);
	db_query_reset(&q);

	/* An invoice read with no scheme sends NULL for it. */
	seen.status = "approved";
	seen.advance = seen.fee = 0;
	seen.scheme_id = NULL;
	store_invoice_transition(&q, "pay", &seen, none, NULL, NULL, 0, 0,
	    &p);
	assert_string_equal(q.values[2], "{}");
	assert_string_equal(q.values[3], "approved");
	assert_string_equal(q.values[4], "0");
	assert_null(q.values[6]);
	assert_null(q.values[7]);
	assert_null(q.values[8]);
	assert_string_equal(q.values[9], "0");
	db_query_reset(&q);
	journal_tx_cleanup(&tx);
}

static void
reject_calls_invoice_reject(void **state)
{
	static const char *const want[] = {
		"INV-1", "duplicate of INV-0", "2025-09-01T10:00:00.000000Z",
	};
	struct db_query	q;

	store_invoice_reject(&q, "INV-1", "duplicate of INV-0",
	    "2025-09-01T10:00:00.000000Z");
	assert_string_equal(q.sql, "SELECT invoice_reject($1, $2, $3)");
	params_are(&q, want, 3);
	db_query_reset(&q);
	/* A reason is text, never SQL. */
	store_invoice_reject(&q, "INV-1", "x'); DROP TABLE invoices; --", "t");
	assert_null(strstr(q.sql, "DROP"));
	assert_string_equal(q.values[1], "x'); DROP TABLE invoices; --");
	db_query_reset(&q);
}

static const struct store_invoice_new import_rows[3] = {
	{ "I-1", "SUP-A", 5, "2025-08-01", "2025-09-01" },
	{ "I-2", "SUP-B", 9007199254740991LL, "2025-08-02", "2025-09-02" },
	{ "I-\"3\\", "SUP-A", 7, "2025-08-03", "2025-09-03" },
};

static void
import_check_sends_every_line_as_arrays(void **state)
{
	static const char *const want[] = {
		"{\"I-1\",\"I-2\",\"I-\\\"3\\\\\"}", "{\"SUP-A\",\"SUP-B\",\"SUP-A\"}",
		"{5,9007199254740991,7}",
		"{\"2025-08-01\",\"2025-08-02\",\"2025-08-03\"}",
		"{\"2025-09-01\",\"2025-09-02\",\"2025-09-03\"}",
	};
	struct db_query	q;
	char		lit[64];

	store_invoice_import_check(&q, import_rows, 3);
	assert_non_null(strstr(q.sql, "FROM unnest($1::text[], $2::text[], "
	    "$3::bigint[], $4::date[], $5::date[]) WITH ORDINALITY"));
	assert_non_null(strstr(q.sql, "LEFT JOIN suppliers s ON "
	    "s.id = u.supplier LEFT JOIN invoices i ON i.id = u.id"));
	assert_non_null(strstr(q.sql, "ORDER BY u.n"));
	params_are(&q, want, 5);
	db_query_reset(&q);
	store_invoice_import_check(&q, import_rows, 0);
	assert_string_equal(binarray_literal(&q, 0, lit, sizeof(lit)), "{}");
	assert_string_equal(binarray_literal(&q, 4, lit, sizeof(lit)), "{}");
	db_query_reset(&q);
}

static void
import_skips_lines_and_sends_the_currency_as_6(void **state)
{
	static const int	 skip[3] = { 0, 1, 0 };
	static const int	 all[3] = { 1, 1, 1 };
	static const char *const want[] = {
		"{\"I-1\",\"I-\\\"3\\\\\"}", "{\"SUP-A\",\"SUP-A\"}", "{5,7}",
		"{\"2025-08-01\",\"2025-08-03\"}",
		"{\"2025-09-01\",\"2025-09-03\"}", "GBP",
		"2025-09-01T10:00:00.000000Z",
		"{\"oem:payable\",\"supplier:SUP-A:receivable\"}",
		"{\"GBP\",\"GBP\"}", "{-120000,120000}", "{\"INV-1\",NULL}",
		"0123456789abcdef", "idem-2", "ff00", "201",
		"{\"id\":\"INV-1\"}",
	};
	struct journal_tx	tx;
	struct store_post	p;
	struct db_query		q;
	char			lit[64];

	post_init(&p, &tx, "idem-2");
	store_invoice_import(&q, import_rows, skip, 3, "GBP", &p);
	/* invoice_import(ids, suppliers, amounts, currency, issue, due, ...) */
	assert_string_equal(q.sql, "SELECT invoice_import($1, $2, $3, $6, $4, "
	    "$5, $7, $8, $9, $10, $11, $12, $13, decode($14, 'hex'), $15, "
	    "$16)");
	params_are(&q, want, 16);
	db_query_reset(&q);

	store_invoice_import(&q, import_rows, NULL, 3, "GBP", &p);
	assert_string_equal(binarray_literal(&q, 2, lit, sizeof(lit)),
	    "{5,9007199254740991,7}");
	db_query_reset(&q);
	store_invoice_import(&q, import_rows, all, 3, "GBP", &p);
	assert_string_equal(binarray_literal(&q, 0, lit, sizeof(lit)), "{}");
	assert_string_equal(binarray_literal(&q, 2, lit, sizeof(lit)), "{}");
	db_query_reset(&q);
	journal_tx_cleanup(&tx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get_and_list_select_the_decoded_columns),
		cmocka_unit_test(an_invoice_row_decodes_to_exact_values),
		cmocka_unit_test(an_invoice_decodes_from_any_column),
		cmocka_unit_test(invoice_rows_with_bad_numbers_are_refused),
		cmocka_unit_test(outstanding_is_what_the_oem_still_owes),
		cmocka_unit_test(
		    the_state_query_reads_head_invoice_supplier_and_scheme),
		cmocka_unit_test(a_state_row_decodes_to_exact_values),
		cmocka_unit_test(state_rows_without_invoice_or_scheme_or_limits),
		cmocka_unit_test(
		    state_rows_with_bad_numbers_or_shape_are_refused),
		cmocka_unit_test(create_calls_invoice_create_with_16_parameters),
		cmocka_unit_test(
		    transition_calls_invoice_transition_with_what_it_read),
		cmocka_unit_test(reject_calls_invoice_reject),
		cmocka_unit_test(import_check_sends_every_line_as_arrays),
		cmocka_unit_test(import_skips_lines_and_sends_the_currency_as_6),
	};

	return (cmocka_run_group_tests_name("store_invoices", tests, NULL,
	    NULL));
}
