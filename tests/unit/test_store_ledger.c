/*
 * The journal's queries without a database: the head, accounts,
 * transactions and postings each select from their table with their
 * parameters in the order the SQL numbers them; account, transaction and
 * posting rows decode to exact values, NULL columns as NULL, and are
 * refused when a number does not parse or a required column is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"
#include "store/store_ledger.h"

/* sql begins with the literal lit. */
#define STARTS(sql, lit)	(strncmp((sql), (lit), sizeof(lit) - 1) == 0)

/* "$n" somewhere in sql, not as the start of "$n0". */
static int
mentions(const char *sql, int n)
{
	const char	*p;
	char		 tag[8];
	size_t		 len;

	len = (size_t)snprintf(tag, sizeof(tag), "$%d", n);
	for (p = sql; (p = strstr(p, tag)) != NULL; p += len) {
		if (p[len] < '0' || p[len] > '9')
			return (1);
	}
	return (0);
}

/*
 * q sends exactly n text parameters, these (NULL for SQL NULL), and its
 * SQL uses $1 to $n and nothing past them.
 */
static void
sent(const struct db_query *q, int n, ...)
{
	va_list		 ap;
	const char	*v;
	int		 i;

	assert_int_equal(q->nparams, n);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		v = va_arg(ap, const char *);
		if (v == NULL)
			assert_null(q->values[i]);
		else
			assert_string_equal(q->values[i], v);
		assert_int_equal(q->formats[i], 0);
		if (!mentions(q->sql, i + 1))
			fail_msg("$%d is sent but not used: %s", i + 1, q->sql);
	}
	va_end(ap);
	if (mentions(q->sql, n + 1))
		fail_msg("$%d is used but not sent: %s", n + 1, q->sql);
}

/* r becomes one row of ncols cells, given in order (NULL: SQL NULL). */
static void
one_row(struct db_rows *r, int ncols, ...)
{
	va_list		 ap;
	const char	*v;
	int		 c;

	assert_int_equal(db_rows_alloc(r, 1, ncols), 0);
	va_start(ap, ncols);
	for (c = 0; c < ncols; c++) {
		v = va_arg(ap, const char *);
		if (v != NULL)
			db_rows_set(r, 0, c, v, strlen(v));
	}
	va_end(ap);
}

static void
the_head_is_read_from_ledger_head(void **state)
{
	struct db_query	q;

	store_ledger_head(&q);
	assert_string_equal(q.sql,
	    "SELECT seq, encode(hash, 'hex') FROM ledger_head");
	sent(&q, 0);
	db_query_reset(&q);

	store_ledger_head_supplier(&q, "SUP-A");
	assert_string_equal(q.sql, "SELECT h.seq, encode(h.hash, 'hex'), "
	    "s.currency FROM ledger_head h LEFT JOIN suppliers s ON s.id = $1");
	sent(&q, 1, "SUP-A");
	db_query_reset(&q);
}

static void
accounts_are_listed_by_name_after_the_cursor(void **state)
{
	struct db_query	q;

	store_account_list(&q, "oem:payable", 51);
	assert_string_equal(q.sql, "SELECT name, kind, supplier_id, scheme_id, "
	    "currency, balance FROM ledger_accounts WHERE name > $1 "
	    "ORDER BY name LIMIT $2");
	sent(&q, 2, "oem:payable", "51");
	db_query_reset(&q);
	store_account_list(&q, "", 0);
	sent(&q, 2, "", "0");
	db_query_reset(&q);

	store_account_get(&q, "supplier:SUP-A:receivable");
	assert_string_equal(q.sql, "SELECT name, kind, supplier_id, scheme_id, "
	    "currency, balance FROM ledger_accounts WHERE name = $1");
	sent(&q, 1, "supplier:SUP-A:receivable");
	db_query_reset(&q);
}

static void
account_rows_decode_to_exact_values(void **state)
{
	struct store_account	a;
	struct db_rows		r;

	db_rows_init(&r);
	one_row(&r, 6, "funder:SCH-1:SUP-A:payable", "funder_payable", "SUP-A",
	    "SCH-1", "GBP", "-108000");
	assert_int_equal(store_account_decode(&r, 0, &a), 0);
	assert_string_equal(a.name, "funder:SCH-1:SUP-A:payable");
	assert_string_equal(a.kind, "funder_payable");
	assert_string_equal(a.supplier_id, "SUP-A");
	assert_string_equal(a.scheme_id, "SCH-1");
	assert_string_equal(a.currency, "GBP");
	assert_int_equal(a.balance, -108000);

	/* An OEM account names no supplier and no scheme. */
	one_row(&r, 6, "oem:payable", "oem_payable", NULL, NULL, "GBP",
	    "-9223372036854775808");
	assert_int_equal(store_account_decode(&r, 0, &a), 0);
	assert_null(a.supplier_id);
	assert_null(a.scheme_id);
	assert_int_equal(a.balance, INT64_MIN);
	db_rows_cleanup(&r);
}

static void
account_rows_without_name_or_balance_are_refused(void **state)
{
	static const char *const bad[] = {
		NULL, "", "1.5", "12 ", "9223372036854775808", "balance",
	};
	struct store_account	a;
	struct db_rows		r;
	size_t			i;

	db_rows_init(&r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		one_row(&r, 6, "oem:payable", "oem_payable", NULL, NULL,
		    "GBP", bad[i]);
		assert_int_equal(store_account_decode(&r, 0, &a), -1);
	}
	one_row(&r, 6, NULL, "oem_payable", NULL, NULL, "GBP", "0");
	assert_int_equal(store_account_decode(&r, 0, &a), -1);
	/* The shape is the query's: six columns. */
	one_row(&r, 7, "oem:payable", "oem_payable", NULL, NULL, "GBP", "0",
	    "x");
	assert_int_equal(store_account_decode(&r, 0, &a), -1);
	one_row(&r, 5, "oem:payable", "oem_payable", NULL, NULL, "GBP");
	assert_int_equal(store_account_decode(&r, 0, &a), -1);
	/* A row past the end is no row. */
	one_row(&r, 6, "oem:payable", "oem_payable", NULL, NULL, "GBP", "0");
	assert_int_equal(store_account_decode(&r, 1, &a), -1);
	db_rows_cleanup(&r);
}

static void
transactions_are_listed_after_seq_up_to_a_bound(void **state)
{
	struct db_query	q;

	store_tx_list(&q, "oem:payable", 100, 250, 51);
	assert_true(STARTS(q.sql, "SELECT t.seq, t.kind, t.invoice_id, "
	    "t.scheme_id, t.effective_on, to_char(t.at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), encode(t.prev_hash, 'hex'), "
	    "encode(t.hash, 'hex'), (SELECT count(*) FROM ledger_postings p "
	    "WHERE p.tx_seq = t.seq), t.seal, t.order_id "
	    "FROM ledger_transactions t "));
	assert_non_null(strstr(q.sql, "WHERE t.seq > $1 "
	    "AND ($2::bigint = 0 OR t.seq <= $2::bigint) "));
	assert_non_null(strstr(q.sql, "p.tx_seq = t.seq AND p.account = $3"));
	assert_non_null(strstr(q.sql, "ORDER BY t.seq LIMIT $4"));
	/* after, upto, account, limit: not the argument order. */
	sent(&q, 4, "100", "250", "oem:payable", "51");
	db_query_reset(&q);
	store_tx_list(&q, NULL, 0, 0, 1);
	sent(&q, 4, "0", "0", NULL, "1");
	db_query_reset(&q);
}

static void
transaction_rows_decode_to_exact_values(void **state)
{
	struct store_tx	t;
	struct db_rows	r;

	db_rows_init(&r);
	one_row(&r, 11, "42", "early_payment", "INV-1", "SCH-1", "2025-09-03",
	    "2025-09-03T11:00:00.000000Z", "00ff", "ff00", "4", "2", "ORD-1");
	assert_int_equal(store_tx_decode(&r, 0, &t), 0);
	assert_int_equal(t.seq, 42);
	assert_string_equal(t.kind, "early_payment");
	assert_string_equal(t.invoice_id, "INV-1");
	assert_string_equal(t.scheme_id, "SCH-1");
	assert_string_equal(t.effective_on, "2025-09-03");
	assert_string_equal(t.at, "2025-09-03T11:00:00.000000Z");
	assert_string_equal(t.prev_hash, "00ff");
	assert_string_equal(t.hash, "ff00");
	assert_int_equal(t.postings, 4);
	assert_int_equal(t.seal, 2);
	assert_string_equal(t.order_id, "ORD-1");

	/* An approval of a batch names no invoice, scheme or date. */
	one_row(&r, 11, "9223372036854775807", "approval", NULL, NULL, NULL,
	    "2025-09-01T10:00:00.000000Z", "00", "11", "0", "1", NULL);
	assert_int_equal(store_tx_decode(&r, 0, &t), 0);
	assert_int_equal(t.seq, INT64_MAX);
	assert_null(t.invoice_id);
	assert_null(t.scheme_id);
	assert_null(t.effective_on);
	assert_int_equal(t.postings, 0);
	assert_int_equal(t.seal, 1);
	assert_null(t.order_id);
	db_rows_cleanup(&r);
}

static void
transaction_rows_without_seq_kind_or_hash_are_refused(void **state)
{
	struct store_tx	t;
	struct db_rows	r;

	db_rows_init(&r);
	one_row(&r, 11, NULL, "approval", NULL, NULL, NULL, "a", "00", "11",
	    "2", "2", NULL);
	assert_int_equal(store_tx_decode(&r, 0, &t), -1);
	one_row(&r, 11, "4x", "approval", NULL, NULL, NULL, "a", "00", "11",
	    "2", "2", NULL);
	assert_int_equal(store_tx_decode(&r, 0, &t), -1);
	one_row(&r, 11, "4", NULL, NULL, NULL, NULL, "a", "00", "11", "2",
	    "2", NULL);
	assert_int_equal(store_tx_decode(&r, 0, &t), -1);
	one_row(&r, 11, "4", "approval", NULL, NULL, NULL, "a", "00", NULL,
	    "2", "2", NULL);
	assert_int_equal(store_tx_decode(&r, 0, &t), -1);
	one_row(&r, 11, "4", "approval", NULL, NULL, NULL, "a", "00", "11",
	    NULL, "2", NULL);
	assert_int_equal(store_tx_decode(&r, 0, &t), -1);
	one_row(&r, 11, "4", "approval", NULL, NULL, NULL, "a", "00", "11",
	    "two", "2", NULL);
	assert_int_equal(store_tx_decode(&r, 0, &t), -1);
	one_row(&r, 11, "4", "approval", NULL, NULL, NULL, "a", "00", "11",
	    "2", NULL, NULL);
	assert_int_equal(store_tx_decode(&r, 0, &t), -1);
	one_row(&r, 11, "4", "approval", NULL, NULL, NULL, "a", "00", "11",
	    "2", "v2", NULL);
	assert_int_equal(store_tx_decode(&r, 0, &t), -1);
	one_row(&r, 9, "4", "approval", NULL, NULL, NULL, "a", "00", "11",
	    "2");
	assert_int_equal(store_tx_decode(&r, 0, &t), -1);
	db_rows_cleanup(&r);
}

static void
postings_are_listed_by_range_or_by_seq(void **state)
{
	static const int64_t	seqs[] = { 7, 9223372036854775807LL, 1 };
	struct db_query		q;

	store_posting_list(&q, 100, 250, 3);
	assert_string_equal(q.sql, "SELECT tx_seq, account, currency, amount, "
	    "invoice_id FROM ledger_postings WHERE tx_seq > $1 "
	    "AND tx_seq <= $2 AND ($3::bigint = 0 OR n < $3::bigint) "
	    "ORDER BY tx_seq, n");
	sent(&q, 3, "100", "250", "3");
	db_query_reset(&q);

	store_posting_list_of(&q, seqs, 3, 0);
	assert_string_equal(q.sql, "SELECT tx_seq, account, currency, amount, "
	    "invoice_id FROM ledger_postings WHERE tx_seq = ANY ($1::bigint[]) "
	    "AND ($2::bigint = 0 OR n < $2::bigint) ORDER BY tx_seq, n");
	sent(&q, 2, "{7,9223372036854775807,1}", "0");
	db_query_reset(&q);
	store_posting_list_of(&q, seqs, 0, 5);
	sent(&q, 2, "{}", "5");
	db_query_reset(&q);
}

static void
posting_rows_decode_to_exact_values(void **state)
{
	struct store_posting	p;
	struct db_rows		r;

	db_rows_init(&r);
	one_row(&r, 5, "42", "supplier:SUP-A:receivable", "GBP", "-120000",
	    "INV-1");
	assert_int_equal(store_posting_decode(&r, 0, &p), 0);
	assert_int_equal(p.tx_seq, 42);
	assert_string_equal(p.account, "supplier:SUP-A:receivable");
	assert_string_equal(p.currency, "GBP");
	assert_int_equal(p.amount, -120000);
	assert_string_equal(p.invoice_id, "INV-1");
	one_row(&r, 5, "1", "oem:payable", "GBP", "9223372036854775807", NULL);
	assert_int_equal(store_posting_decode(&r, 0, &p), 0);
	assert_int_equal(p.amount, INT64_MAX);
	assert_null(p.invoice_id);
	db_rows_cleanup(&r);
}

static void
posting_rows_without_account_currency_or_amount_are_refused(void **state)
{
	struct store_posting	p;
	struct db_rows		r;

	db_rows_init(&r);
	one_row(&r, 5, "1", NULL, "GBP", "5", NULL);
	assert_int_equal(store_posting_decode(&r, 0, &p), -1);
	one_row(&r, 5, "1", "oem:payable", NULL, "5", NULL);
	assert_int_equal(store_posting_decode(&r, 0, &p), -1);
	one_row(&r, 5, "1", "oem:payable", "GBP", NULL, NULL);
	assert_int_equal(store_posting_decode(&r, 0, &p), -1);
	one_row(&r, 5, "1", "oem:payable", "GBP", "-5.00", NULL);
	assert_int_equal(store_posting_decode(&r, 0, &p), -1);
	one_row(&r, 5, "-", "oem:payable", "GBP", "5", NULL);
	assert_int_equal(store_posting_decode(&r, 0, &p), -1);
	one_row(&r, 5, "99999999999999999999", "oem:payable", "GBP", "5",
	    NULL);
	assert_int_equal(store_posting_decode(&r, 0, &p), -1);
	one_row(&r, 4, "1", "oem:payable", "GBP", "5");
	assert_int_equal(store_posting_decode(&r, 0, &p), -1);
	db_rows_cleanup(&r);
}

/* verify's three counts, each over the table it checks. */
static void
totals_count_the_three_inconsistencies(void **state)
{
	struct db_query	q;

	store_ledger_totals(&q);
	sent(&q, 0);
	assert_true(STARTS(q.sql, "SELECT (SELECT count(*) FROM "
	    "ledger_accounts a LEFT JOIN (SELECT account, sum(amount) AS s "
	    "FROM ledger_postings GROUP BY account) p ON p.account = a.name "
	    "WHERE a.balance <> coalesce(p.s, 0)), "));
	assert_non_null(strstr(q.sql, "(SELECT count(*) FROM (SELECT currency "
	    "FROM ledger_accounts GROUP BY currency HAVING sum(balance) <> 0) "
	    "c), "));
	assert_non_null(strstr(q.sql, "(SELECT count(*) FROM ledger_postings p "
	    "WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE "
	    "a.name = p.account))"));
	db_query_reset(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_head_is_read_from_ledger_head),
		cmocka_unit_test(accounts_are_listed_by_name_after_the_cursor),
		cmocka_unit_test(account_rows_decode_to_exact_values),
		cmocka_unit_test(
		    account_rows_without_name_or_balance_are_refused),
		cmocka_unit_test(
		    transactions_are_listed_after_seq_up_to_a_bound),
		cmocka_unit_test(transaction_rows_decode_to_exact_values),
		cmocka_unit_test(
		    transaction_rows_without_seq_kind_or_hash_are_refused),
		cmocka_unit_test(postings_are_listed_by_range_or_by_seq),
		cmocka_unit_test(posting_rows_decode_to_exact_values),
		cmocka_unit_test(
		    posting_rows_without_account_currency_or_amount_are_refused),
		cmocka_unit_test(totals_count_the_three_inconsistencies),
	};

	return (cmocka_run_group_tests_name("store_ledger", tests, NULL,
	    NULL));
}
