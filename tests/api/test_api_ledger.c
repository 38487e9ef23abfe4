/*
 * Invoices and the journal against the real server: every transition,
 * valid and invalid, with the journal checked after each; early payment
 * to the penny with both caps; idempotency under concurrency; 32 writers
 * at once over both workers; the database's seal against the service's
 * encoding, and a chain that starts with seal 1; bulk imports; the
 * access matrix; and tamper detection. Suppliers and schemes are set up
 * directly in the database, so these tests stand alone.
 */
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <sodium.h>

#include "client.h"

static char	*sup_key;	/* supplier key for L-SUP-A */
static char	*other_key;	/* supplier key for L-SUP-B */
static char	*gov_key;

static const char *
treasury(void)
{
	return (client_env("TIDEOVER_TREASURY_KEY"));
}

static long
txcount(void)
{
	return (client_sql_long("SELECT count(*) FROM ledger_transactions"));
}

static long
balance(const char *account)
{
	char	sql[256];

	snprintf(sql, sizeof(sql), "SELECT coalesce((SELECT balance FROM "
	    "ledger_accounts WHERE name = '%s'), 0)", account);
	return (client_sql_long(sql));
}

/* The first line of what a query prints, without its newline. */
static void
sql_text(const char *sql, char *out, size_t len)
{
	char	 cmd[8192];
	FILE	*p;

	snprintf(cmd, sizeof(cmd), "%s -c \"%s\"",
	    client_env("TIDEOVER_PSQL"), sql);
	if ((p = popen(cmd, "r")) == NULL)
		abort();
	if (fgets(out, (int)len, p) == NULL)
		out[0] = '\0';
	pclose(p);
	out[strcspn(out, "\n")] = '\0';
}

/* Every line a command prints, joined by commas. */
static void
lines(const char *cmd, char *out, size_t len)
{
	char	 line[256];
	size_t	 n = 0;
	FILE	*p;

	out[0] = '\0';
	if ((p = popen(cmd, "r")) == NULL)
		abort();
	while (fgets(line, sizeof(line), p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s",
		    n > 0 ? "," : "", line);
	}
	pclose(p);
}

static void
assert_verified(void)
{
	struct resp	r;

	client_get(&r, "/v1/ledger/verify", treasury());
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsTrue(client_item(r.json, "balanced")));
	assert_true(cJSON_IsTrue(client_item(r.json, "chain_ok")));
	assert_int_equal(client_int(r.json, "transactions"), txcount());
	client_free(&r);
}

static void
supplier(const char *id, int tier, int employees, int opt_in)
{
	char	sql[1024];

	snprintf(sql, sizeof(sql), "INSERT INTO suppliers (id, name, tier, "
	    "region, sector, employees, currency, cash, credit_available, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days, scheme_opt_in) VALUES "
	    "('%s', 'Test %s', %d, 'West Midlands', 'castings', %d, 'GBP', "
	    "1000000, 0, 10000, 50000, 6000, 0, 60, %s) ON CONFLICT DO NOTHING",
	    id, id, tier, employees, opt_in ? "true" : "false");
	assert_int_equal(client_sql(sql), 0);
}

static void
scheme(const char *id, const char *bearer, const char *cap,
    const char *limit)
{
	char	sql[1024];

	snprintf(sql, sizeof(sql), "INSERT INTO schemes (id, name, "
	    "effective_from, payment_lag_days, advance_rate_bps, "
	    "annual_rate_bps, day_count_basis, fee_bearer, eligible_tiers, "
	    "max_employees, min_invoice_amount, requires_opt_in, "
	    "per_supplier_cap, facility_limit) VALUES ('%s', 'Test', "
	    "'2025-10-07', 2, 9000, 650, 365, '%s', '{1,2}', 500, 1000, true, "
	    "%s, %s) ON CONFLICT DO NOTHING", id, bearer, cap, limit);
	assert_int_equal(client_sql(sql), 0);
}

static void
post(struct resp *r, const char *path, const char *key, const char *fmt, ...)
{
	char	body[2048];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	client_post_json(r, path, key, body);
}

/* An approved invoice of `amount`, due on `due`. */
static void
approved(const char *id, const char *sup, long amount, const char *due)
{
	struct resp	r;

	post(&r, "/v1/invoices", treasury(), "{\"id\":\"%s\",\"supplier_id\":"
	    "\"%s\",\"amount\":%ld,\"currency\":\"GBP\",\"issue_date\":"
	    "\"2025-09-01\",\"due_date\":\"%s\",\"status\":\"approved\"}",
	    id, sup, amount, due);
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "status"), "approved");
	client_free(&r);
}

static void *
health(void *arg)
{
	struct resp	r;

	client_get(&r, "/v1/health", NULL);
	*(long *)arg = r.status;
	client_free(&r);
	return (NULL);
}

/*
 * The server is shared with the test programs before this one, and
 * test_api_foundation restarts its database: a worker's pooled
 * connections from before then fail once each when next used. Rounds of
 * concurrent health checks, which both workers and several connections
 * of each serve, use them up before the tests count replies.
 */
static int
warm_up(void)
{
	pthread_t	th[16];
	long		st[16];
	int		i, round, clean = 0, bad;

	for (round = 0; round < 40 && clean < 3; round++) {
		for (i = 0; i < 16; i++)
			pthread_create(&th[i], NULL, health, &st[i]);
		for (i = 0, bad = 0; i < 16; i++) {
			pthread_join(th[i], NULL);
			bad += st[i] != 200;
		}
		clean = bad == 0 ? clean + 1 : 0;
		if (bad)
			usleep(100000);
	}
	return (clean == 3 ? 0 : -1);
}

static int
setup(void **state)
{
	curl_global_init(CURL_GLOBAL_ALL);
	if (sodium_init() < 0 || warm_up() == -1)
		return (-1);
	supplier("L-SUP-A", 1, 120, 1);
	supplier("L-SUP-B", 2, 40, 1);
	supplier("L-SUP-C", 3, 10, 1);
	supplier("L-SUP-D", 1, 120, 0);
	scheme("L-SCH", "supplier", "NULL", "NULL");
	scheme("L-SCH-OEM", "oem", "NULL", "NULL");
	scheme("L-SCH-CAP", "supplier", "2000000", "NULL");
	scheme("L-SCH-FAC", "supplier", "NULL", "1800000");
	sup_key = client_new_key("supplier", "L-SUP-A");
	other_key = client_new_key("supplier", "L-SUP-B");
	gov_key = client_new_key("government", NULL);
	return (0);
}

/* After every test, whatever it did: the journal balances and chains. */
static int
verified(void **state)
{
	assert_verified();
	return (0);
}

static int
teardown(void **state)
{
	free(sup_key);
	free(other_key);
	free(gov_key);
	curl_global_cleanup();
	return (0);
}

static void
supplier_submits_treasury_approves(void **state)
{
	struct resp	r;
	long		before;

	before = txcount();
	post(&r, "/v1/invoices", sup_key, "{\"id\":\"L-SUP-A-1\",\"supplier_id\":"
	    "\"L-SUP-A\",\"amount\":500000,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-09-01\",\"due_date\":\"2025-10-31\"}");
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "status"), "submitted");
	assert_int_equal(client_int(r.json, "outstanding"), 500000);
	client_free(&r);
	/* Submitting moves no money. */
	assert_int_equal(txcount(), before);

	post(&r, "/v1/invoices/L-SUP-A-1/approve", treasury(), "{}");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "approved");
	client_free(&r);
	assert_int_equal(txcount(), before + 1);
	assert_int_equal(balance("payable:supplier:L-SUP-A"), -500000);

	/* Approving twice is refused and changes nothing. */
	post(&r, "/v1/invoices/L-SUP-A-1/approve", treasury(), "{}");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	assert_int_equal(txcount(), before + 1);
	assert_verified();
}

static void
recreating_an_invoice_is_idempotent_by_id(void **state)
{
	struct resp	r;
	long		before;

	approved("L-INV-2", "L-SUP-A", 250000, "2025-11-15");
	before = txcount();
	post(&r, "/v1/invoices", treasury(), "{\"id\":\"L-INV-2\",\"supplier_id\":"
	    "\"L-SUP-A\",\"amount\":250000,\"currency\":\"GBP\",\"issue_date\":"
	    "\"2025-09-01\",\"due_date\":\"2025-11-15\",\"status\":\"approved\"}");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "id"), "L-INV-2");
	client_free(&r);
	post(&r, "/v1/invoices", treasury(), "{\"id\":\"L-INV-2\",\"supplier_id\":"
	    "\"L-SUP-A\",\"amount\":250001,\"currency\":\"GBP\",\"issue_date\":"
	    "\"2025-09-01\",\"due_date\":\"2025-11-15\",\"status\":\"approved\"}");
	client_assert_error(&r, 409, "conflict");
	client_free(&r);
	assert_int_equal(txcount(), before);
}

static void
reject_only_from_submitted(void **state)
{
	struct resp	r;
	long		before;

	post(&r, "/v1/invoices", sup_key, "{\"id\":\"L-SUP-A-R\",\"supplier_id\":"
	    "\"L-SUP-A\",\"amount\":1000,\"currency\":\"GBP\",\"issue_date\":"
	    "\"2025-09-01\",\"due_date\":\"2025-10-01\"}");
	assert_int_equal(r.status, 201);
	client_free(&r);
	before = txcount();
	post(&r, "/v1/invoices/L-SUP-A-R/reject", treasury(), "{}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	post(&r, "/v1/invoices/L-SUP-A-R/reject", treasury(),
	    "{\"reason\":\"duplicate\"}");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "rejected");
	assert_string_equal(client_str(r.json, "reject_reason"), "duplicate");
	client_free(&r);
	post(&r, "/v1/invoices/L-SUP-A-R/approve", treasury(), "{}");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	post(&r, "/v1/invoices/L-SUP-A-R/pay", treasury(),
	    "{\"paid_on\":\"2025-10-01\"}");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	post(&r, "/v1/invoices/L-SUP-A-1/reject", treasury(),
	    "{\"reason\":\"late\"}");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	post(&r, "/v1/invoices/L-NOPE/reject", treasury(), "{\"reason\":\"x\"}");
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	assert_int_equal(txcount(), before);
}

/*
 * 1,000,000 at 90 %: advance 900,000; 30 days early at 6.5 % on 365:
 * fee = rhe(900,000 x 650 x 30, 10,000 x 365) = rhe(17,550,000,000,
 * 3,650,000) = 4,808 (4,808.22).
 */
static void
early_payment_to_the_penny(void **state)
{
	struct resp	r;
	long		before;

	approved("L-INV-E1", "L-SUP-A", 1000000, "2025-11-06");
	before = txcount();
	post(&r, "/v1/invoices/L-INV-E1/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH\",\"paid_on\":\"2025-10-07\"}");
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "invoice_id"), "L-INV-E1");
	assert_int_equal(client_int(r.json, "advance"), 900000);
	assert_int_equal(client_int(r.json, "fee"), 4808);
	assert_int_equal(client_int(r.json, "net_to_supplier"), 895192);
	assert_string_equal(client_str(r.json, "paid_on"), "2025-10-07");
	assert_string_equal(client_str(r.json, "due_date"), "2025-11-06");
	client_free(&r);
	assert_int_equal(txcount(), before + 1);
	assert_int_equal(balance("payable:funder:L-SCH:L-SUP-A"), -900000);
	assert_int_equal(balance("fees:supplier:L-SUP-A"), 4808);
	assert_int_equal(balance("fees:funder:L-SCH"), -4808);

	client_get(&r, "/v1/invoices/L-INV-E1", treasury());
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "advanced");
	assert_int_equal(client_int(r.json, "outstanding"), 100000);
	client_free(&r);

	/* Paying at maturity settles the remainder and repays the funder. */
	post(&r, "/v1/invoices/L-INV-E1/pay", treasury(),
	    "{\"paid_on\":\"2025-11-06\"}");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "paid");
	assert_int_equal(client_int(r.json, "outstanding"), 0);
	client_free(&r);
	assert_int_equal(balance("payable:funder:L-SCH:L-SUP-A"), 0);
	post(&r, "/v1/invoices/L-INV-E1/pay", treasury(),
	    "{\"paid_on\":\"2025-11-06\"}");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	assert_int_equal(txcount(), before + 2);
	assert_verified();
}

/* An order-basis scheme pays orders, not invoices: 409, nothing written. */
static void
order_basis_scheme_pays_no_invoice(void **state)
{
	struct resp	r;
	long		before;

	assert_int_equal(client_sql("INSERT INTO schemes (id, name, "
	    "effective_from, payment_lag_days, advance_rate_bps, "
	    "annual_rate_bps, day_count_basis, fee_bearer, eligible_tiers, "
	    "requires_opt_in, basis, order_lead_days, true_up_lag_days) "
	    "VALUES ('L-SCH-ORDER', 'Test', '2025-10-07', 0, 8000, 650, 365, "
	    "'oem', '{1,2}', false, 'order', 14, 1) ON CONFLICT DO NOTHING"),
	    0);
	approved("L-INV-B1", "L-SUP-A", 1000000, "2025-11-06");
	before = txcount();
	post(&r, "/v1/invoices/L-INV-B1/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH-ORDER\",\"paid_on\":\"2025-10-07\"}");
	client_assert_error(&r, 409, "wrong_basis");
	client_free(&r);
	assert_int_equal(txcount(), before);
	client_get(&r, "/v1/invoices/L-INV-B1", treasury());
	assert_string_equal(client_str(r.json, "status"), "approved");
	client_free(&r);
	assert_verified();
}

static void
oem_borne_fee_is_the_oems_cost(void **state)
{
	struct resp	r;
	long		cash, fees;

	approved("L-INV-O1", "L-SUP-A", 1000000, "2025-11-06");
	cash = balance("cash");
	fees = balance("fees:oem");
	post(&r, "/v1/invoices/L-INV-O1/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH-OEM\",\"paid_on\":\"2025-10-07\"}");
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "fee"), 4808);
	assert_int_equal(client_int(r.json, "net_to_supplier"), 900000);
	assert_string_equal(client_str(r.json, "fee_bearer"), "oem");
	client_free(&r);
	assert_int_equal(balance("fees:oem") - fees, 4808);
	assert_int_equal(balance("cash") - cash, -4808);
	assert_verified();
}

static void
ineligible_is_409_and_changes_nothing(void **state)
{
	static const struct {
		const char	*invoice;
		const char	*supplier;
		const char	*paid_on;
		long		 amount;
	} cases[] = {
		{ "L-INV-X1", "L-SUP-C", "2025-10-07", 100000 },  /* tier 3 */
		{ "L-INV-X2", "L-SUP-D", "2025-10-07", 100000 },  /* no opt-in */
		{ "L-INV-X3", "L-SUP-A", "2025-10-06", 100000 },  /* too soon */
		{ "L-INV-X4", "L-SUP-A", "2025-11-06", 100000 },  /* not early */
		{ "L-INV-X5", "L-SUP-A", "2025-10-07", 999 },	   /* too small */
	};
	struct resp	r;
	long		before;
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		approved(cases[i].invoice, cases[i].supplier, cases[i].amount,
		    "2025-11-06");
	before = txcount();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char	path[128];

		snprintf(path, sizeof(path), "/v1/invoices/%s/early-payment",
		    cases[i].invoice);
		post(&r, path, treasury(), "{\"scheme_id\":\"L-SCH\","
		    "\"paid_on\":\"%s\"}", cases[i].paid_on);
		client_assert_error(&r, 409, "not_eligible");
		client_free(&r);
	}
	post(&r, "/v1/invoices/L-INV-X1/early-payment", treasury(),
	    "{\"scheme_id\":\"L-NO-SUCH\",\"paid_on\":\"2025-10-07\"}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	assert_int_equal(txcount(), before);
}

/*
 * Cap 2,000,000 per supplier: 1,800,000 fits, another 900,000 does not,
 * a later 180,000 still does (the model: rejected candidates do not stop
 * later, smaller ones).
 */
static void
caps_refuse_and_later_smaller_fits(void **state)
{
	struct resp	r;

	approved("L-INV-C1", "L-SUP-A", 2000000, "2025-11-06");
	approved("L-INV-C2", "L-SUP-A", 1000000, "2025-11-06");
	approved("L-INV-C3", "L-SUP-A", 200000, "2025-11-06");
	post(&r, "/v1/invoices/L-INV-C1/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH-CAP\",\"paid_on\":\"2025-10-08\"}");
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "advance"), 1800000);
	client_free(&r);
	post(&r, "/v1/invoices/L-INV-C2/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH-CAP\",\"paid_on\":\"2025-10-08\"}");
	client_assert_error(&r, 409, "over_cap");
	client_free(&r);
	post(&r, "/v1/invoices/L-INV-C3/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH-CAP\",\"paid_on\":\"2025-10-08\"}");
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "advance"), 180000);
	client_free(&r);
	assert_int_equal(balance("payable:funder:L-SCH-CAP:L-SUP-A"),
	    -1980000);

	/* Once C1 is paid its advance no longer counts: C2 fits. */
	post(&r, "/v1/invoices/L-INV-C1/pay", treasury(),
	    "{\"paid_on\":\"2025-11-06\"}");
	assert_int_equal(r.status, 200);
	client_free(&r);
	post(&r, "/v1/invoices/L-INV-C2/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH-CAP\",\"paid_on\":\"2025-10-09\"}");
	assert_int_equal(r.status, 201);
	client_free(&r);
	assert_verified();
}

/*
 * Corrections are reversals: each undoes the invoice's latest money event
 * with negated postings, and the invoice goes back a status.
 */
/* One figure of L-SUP-B's position as the journal gives it. */
static long
summary(const char *figure)
{
	char	sql[160];

	snprintf(sql, sizeof(sql), "SELECT %s FROM "
	    "ledger_supplier_summary('L-SUP-B')", figure);
	return (client_sql_long(sql));
}

static void
reversals_undo_one_event_at_a_time(void **state)
{
	struct resp	r;
	long		before, payable, funder, fees, paid, early;

	approved("L-INV-V1", "L-SUP-B", 1000000, "2025-11-06");
	paid = summary("paid_to_date");
	early = summary("early_paid_to_date");
	payable = balance("payable:supplier:L-SUP-B");
	funder = balance("payable:funder:L-SCH:L-SUP-B");
	fees = balance("fees:supplier:L-SUP-B");
	post(&r, "/v1/invoices/L-INV-V1/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH\",\"paid_on\":\"2025-10-07\"}");
	assert_int_equal(r.status, 201);
	client_free(&r);
	post(&r, "/v1/invoices/L-INV-V1/pay", treasury(),
	    "{\"paid_on\":\"2025-11-06\"}");
	assert_int_equal(r.status, 200);
	client_free(&r);
	before = txcount();
	assert_int_equal(summary("paid_to_date") - paid, 100000);
	assert_int_equal(summary("early_paid_to_date") - early, 900000);

	/* paid -> advanced: the funder is owed its advance again. */
	post(&r, "/v1/invoices/L-INV-V1/reverse", treasury(), "{}");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "advanced");
	assert_int_equal(client_int(r.json, "outstanding"), 100000);
	client_free(&r);
	assert_int_equal(balance("payable:funder:L-SCH:L-SUP-B") - funder,
	    -900000);
	/* A reversed payment is not paid to date. */
	assert_int_equal(summary("paid_to_date"), paid);
	assert_int_equal(summary("early_paid_to_date") - early, 900000);

	/* advanced -> approved: no advance, no fee. */
	post(&r, "/v1/invoices/L-INV-V1/reverse", treasury(), "{}");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "approved");
	assert_int_equal(client_int(r.json, "advance"), 0);
	client_free(&r);
	assert_int_equal(balance("payable:funder:L-SCH:L-SUP-B"), funder);
	assert_int_equal(balance("fees:supplier:L-SUP-B"), fees);
	assert_int_equal(balance("payable:supplier:L-SUP-B"), payable);
	assert_int_equal(summary("early_paid_to_date"), early);

	/* approved -> submitted: the approval itself. */
	post(&r, "/v1/invoices/L-INV-V1/reverse", treasury(), "{}");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "submitted");
	client_free(&r);
	assert_int_equal(balance("payable:supplier:L-SUP-B"),
	    payable + 1000000);
	assert_int_equal(txcount(), before + 3);
	assert_int_equal(client_sql_long("SELECT count(*) FROM "
	    "ledger_transactions WHERE invoice_id = 'L-INV-V1' AND "
	    "kind = 'reversal'"), 3);

	/* Nothing left to undo. */
	post(&r, "/v1/invoices/L-INV-V1/reverse", treasury(), "{}");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	post(&r, "/v1/invoices/L-INV-V1/reverse", sup_key, "{}");
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	assert_int_equal(txcount(), before + 3);

	/* And it can go forward again. */
	post(&r, "/v1/invoices/L-INV-V1/approve", treasury(), "{}");
	assert_int_equal(r.status, 200);
	client_free(&r);
}

/* Facility 1,800,000 shared by two suppliers. */
static void
facility_limit_is_shared(void **state)
{
	struct resp	r;

	approved("L-INV-F1", "L-SUP-A", 1000000, "2025-11-06");
	approved("L-INV-F2", "L-SUP-B", 1000000, "2025-11-06");
	approved("L-INV-F3", "L-SUP-B", 1000000, "2025-11-06");
	post(&r, "/v1/invoices/L-INV-F1/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH-FAC\",\"paid_on\":\"2025-10-08\"}");
	assert_int_equal(r.status, 201);
	client_free(&r);
	post(&r, "/v1/invoices/L-INV-F2/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH-FAC\",\"paid_on\":\"2025-10-08\"}");
	assert_int_equal(r.status, 201);
	client_free(&r);
	post(&r, "/v1/invoices/L-INV-F3/early-payment", treasury(),
	    "{\"scheme_id\":\"L-SCH-FAC\",\"paid_on\":\"2025-10-08\"}");
	client_assert_error(&r, 409, "over_cap");
	client_free(&r);
	assert_verified();
}

/* The same request, 50 times at once, with one Idempotency-Key. */

#define BURST	50

struct shot {
	const char	*path;
	const char	*body;
	const char	*idem;
	long		 status;
	char		*reply;
};

static void *
fire(void *arg)
{
	struct shot		*s = arg;
	CURL			*c;
	struct curl_slist	*h = NULL;
	char			 line[512], url[512];
	FILE			*f;
	size_t			 len;

	snprintf(url, sizeof(url), "%s%s", client_env("TIDEOVER_URL"),
	    s->path);
	c = curl_easy_init();
	f = open_memstream(&s->reply, &len);
	snprintf(line, sizeof(line), "Authorization: Bearer %s", treasury());
	h = curl_slist_append(h, line);
	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(line, sizeof(line), "Idempotency-Key: %s", s->idem);
	h = curl_slist_append(h, line);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, s->body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &s->status);
	fclose(f);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return (NULL);
}

static void
idempotent_burst_pays_once(void **state)
{
	struct shot	shots[BURST];
	pthread_t	th[BURST];
	struct resp	r;
	long		before;
	int		i;

	approved("L-INV-I1", "L-SUP-B", 1000000, "2025-11-06");
	before = txcount();
	for (i = 0; i < BURST; i++) {
		shots[i].path = "/v1/invoices/L-INV-I1/early-payment";
		shots[i].body = "{\"scheme_id\":\"L-SCH\","
		    "\"paid_on\":\"2025-10-07\"}";
		shots[i].idem = "burst-key-1";
		shots[i].status = 0;
		shots[i].reply = NULL;
		assert_int_equal(pthread_create(&th[i], NULL, fire,
		    &shots[i]), 0);
	}
	for (i = 0; i < BURST; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < BURST; i++) {
		assert_int_equal(shots[i].status, 201);
		assert_string_equal(shots[i].reply, shots[0].reply);
	}
	assert_int_equal(txcount(), before + 1);
	for (i = 0; i < BURST; i++)
		free(shots[i].reply);

	/* The same key with another body is a conflict. */
	client_call(&r, "POST", "/v1/invoices/L-INV-I1/pay", treasury(),
	    "application/json", "{}", 2);
	client_free(&r);
	shots[0].path = "/v1/invoices/L-INV-I1/early-payment";
	shots[0].body = "{\"scheme_id\":\"L-SCH\",\"paid_on\":\"2025-10-08\"}";
	shots[0].reply = NULL;
	fire(&shots[0]);
	assert_int_equal(shots[0].status, 409);
	assert_non_null(strstr(shots[0].reply, "idempotency_conflict"));
	free(shots[0].reply);
	assert_int_equal(txcount(), before + 1);
	assert_verified();
}

/* Many different early payments at once against one cap: never over. */
static void
concurrent_advances_respect_the_cap(void **state)
{
	struct shot	shots[20];
	pthread_t	th[20];
	char		paths[20][96], keys[20][32];
	int		i, ok;

	for (i = 0; i < 20; i++) {
		char	id[32];

		snprintf(id, sizeof(id), "L-INV-K%02d", i);
		approved(id, "L-SUP-B", 300000, "2025-11-06");
		snprintf(paths[i], sizeof(paths[i]),
		    "/v1/invoices/%s/early-payment", id);
		snprintf(keys[i], sizeof(keys[i]), "cap-%02d", i);
		shots[i].path = paths[i];
		shots[i].body = "{\"scheme_id\":\"L-SCH-CAP\","
		    "\"paid_on\":\"2025-10-07\"}";
		shots[i].idem = keys[i];
		shots[i].status = 0;
		shots[i].reply = NULL;
	}
	for (i = 0; i < 20; i++)
		pthread_create(&th[i], NULL, fire, &shots[i]);
	for (i = 0; i < 20; i++)
		pthread_join(th[i], NULL);
	/* 270,000 each under a 2,000,000 cap: exactly 7 fit. */
	for (i = 0, ok = 0; i < 20; i++) {
		assert_true(shots[i].status == 201 || shots[i].status == 409);
		ok += shots[i].status == 201;
		free(shots[i].reply);
	}
	assert_int_equal(ok, 7);
	assert_int_equal(balance("payable:funder:L-SCH-CAP:L-SUP-B"),
	    -7 * 270000);
	assert_verified();
}

static void
import_is_all_or_nothing(void **state)
{
	struct resp	 r;
	const char	*bad = "id,supplier_id,amount,currency,issue_date,"
	    "due_date\r\n"
	    "L-IMP-1,L-SUP-A,1000,GBP,2025-09-01,2025-10-01\r\n"
	    "L-IMP-2,L-SUP-A,-5,GBP,2025-09-01,2025-10-01\r\n"
	    "L-IMP-3,L-NO-SUCH,1000,GBP,2025-09-01,2025-10-01\r\n"
	    "L-IMP-4,L-SUP-A,1000,EUR,2025-09-31,2025-10-01\r\n"
	    "L-IMP-1,L-SUP-A,1000,GBP,2025-09-01,2025-10-01\r\n";
	const cJSON	*d, *it;
	long		 before;
	int		 lines[8] = { 0 };

	before = client_sql_long("SELECT count(*) FROM invoices");
	client_call(&r, "POST", "/v1/invoices/import", treasury(), "text/csv",
	    bad, strlen(bad));
	client_assert_error(&r, 422, "validation_failed");
	d = client_item(client_item(r.json, "error"), "details");
	cJSON_ArrayForEach(it, d) {
		const cJSON	*l = client_item(it, "line");

		if (cJSON_IsNumber(l) && l->valuedouble < 8)
			lines[(int)l->valuedouble] = 1;
	}
	assert_false(lines[2]);
	assert_true(lines[3]);
	assert_true(lines[5]);
	assert_true(lines[6]);
	client_free(&r);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices"),
	    before);

	/* The unknown supplier alone, found by the database check. */
	bad = "{\"id\":\"L-IMP-5\",\"supplier_id\":\"L-SUP-A\",\"amount\":7,"
	    "\"currency\":\"GBP\",\"issue_date\":\"2025-09-01\","
	    "\"due_date\":\"2025-10-01\"}\n"
	    "{\"id\":\"L-IMP-6\",\"supplier_id\":\"L-NO-SUCH\",\"amount\":7,"
	    "\"currency\":\"GBP\",\"issue_date\":\"2025-09-01\","
	    "\"due_date\":\"2025-10-01\"}\n";
	client_call(&r, "POST", "/v1/invoices/import", treasury(),
	    "application/x-ndjson", bad, strlen(bad));
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(strstr(r.body, "\"line\":2"));
	client_free(&r);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices"),
	    before);
}

/*
 * NDJSON as editors and spreadsheets write it, read as the supplier
 * import reads it: a byte order mark, CRLF line ends, blank and
 * whitespace-only lines, and a last line without an end. Line numbers in
 * errors are the file's own, blank lines counted.
 */
static void
import_ndjson_as_written(void **state)
{
	struct resp	 r;
	const char	*file = "\xef\xbb\xbf"
	    "{\"id\":\"L-ND-1\",\"supplier_id\":\"L-SUP-A\",\"amount\":11,"
	    "\"currency\":\"GBP\",\"issue_date\":\"2025-09-01\","
	    "\"due_date\":\"2025-10-01\"}\r\n"
	    "\r\n"
	    "  \t \r\n"
	    "{\"id\":\"L-ND-2\",\"supplier_id\":\"L-SUP-A\",\"amount\":13,"
	    "\"currency\":\"GBP\",\"issue_date\":\"2025-09-01\","
	    "\"due_date\":\"2025-10-01\"}";
	const char	*bad = "\n\n[1]\n";
	long		 before;

	before = client_sql_long("SELECT count(*) FROM invoices");
	client_call(&r, "POST", "/v1/invoices/import", treasury(),
	    "application/x-ndjson", bad, strlen(bad));
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(strstr(r.body, "\"line\":3"));
	client_free(&r);

	client_call(&r, "POST", "/v1/invoices/import", treasury(),
	    "application/x-ndjson", file, strlen(file));
	if (r.status != 200)
		fprintf(stderr, "import: %ld %s\n", r.status, r.body);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 2);
	client_free(&r);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices"),
	    before + 2);
	assert_int_equal(client_sql_long("SELECT sum(amount) FROM invoices "
	    "WHERE id IN ('L-ND-1', 'L-ND-2')"), 24);
}

static void
import_of_ten_thousand_writes_all(void **state)
{
	struct resp	 r;
	char		*csv;
	size_t		 len, off;
	long		 before, payable;
	int		 i;

	len = 64 + 10000 * 80;
	assert_non_null(csv = malloc(len));
	off = (size_t)snprintf(csv, len, "id,supplier_id,amount,currency,"
	    "issue_date,due_date\n");
	for (i = 0; i < 10000; i++)
		off += (size_t)snprintf(csv + off, len - off,
		    "L-BULK-%05d,%s,%d,GBP,2025-08-01,2025-10-%02d\n", i,
		    i % 2 ? "L-SUP-C" : "L-SUP-D", 1000 + i, 1 + i % 28);
	before = client_sql_long("SELECT count(*) FROM invoices");
	payable = balance("payable:supplier:L-SUP-C");
	client_call(&r, "POST", "/v1/invoices/import", treasury(), "text/csv",
	    csv, off);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 10000);
	client_free(&r);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices"),
	    before + 10000);
	/* Odd i go to L-SUP-C: sum of 1000 + i over odd i < 10000. */
	assert_int_equal(balance("payable:supplier:L-SUP-C") - payable,
	    -(5000L * 1000 + 25000000L));

	/* Again: nothing new, nothing posted. */
	before = txcount();
	client_call(&r, "POST", "/v1/invoices/import", treasury(), "text/csv",
	    csv, off);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 0);
	assert_int_equal(client_int(r.json, "unchanged"), 10000);
	client_free(&r);
	assert_int_equal(txcount(), before);
	free(csv);
	assert_verified();
}

/*
 * A file of 100,000 lines whose last line is bad, once for the service's
 * checks (an amount) and once for the database's (a supplier): 422 naming
 * that line, and not one of the 99,999 good lines written or posted. The
 * same file with a good last line then writes all of them.
 */
static void
import_of_a_hundred_thousand_is_all_or_nothing(void **state)
{
	static const char *const last[] = {
		"L-BIG-99999,L-SUP-C,-1,GBP,2025-08-01,2025-10-01\n",
		"L-BIG-99999,L-NO-SUCH,1,GBP,2025-08-01,2025-10-01\n",
	};
	struct resp	 r;
	char		*csv;
	size_t		 len, off, body;
	long		 before, txs;
	int		 i;

	len = 64 + 100000 * 64;
	assert_non_null(csv = malloc(len));
	off = (size_t)snprintf(csv, len, "id,supplier_id,amount,currency,"
	    "issue_date,due_date\n");
	for (i = 0; i < 99999; i++)
		off += (size_t)snprintf(csv + off, len - off,
		    "L-BIG-%05d,%s,%d,GBP,2025-08-01,2025-10-%02d\n", i,
		    i % 2 ? "L-SUP-C" : "L-SUP-D", 1 + i, 1 + i % 28);
	before = client_sql_long("SELECT count(*) FROM invoices");
	txs = txcount();
	for (i = 0; i < 2; i++) {
		body = off + (size_t)snprintf(csv + off, len - off, "%s",
		    last[i]);
		client_call(&r, "POST", "/v1/invoices/import", treasury(),
		    "text/csv", csv, body);
		client_assert_error(&r, 422, "validation_failed");
		assert_non_null(strstr(r.body, "\"line\":100001"));
		assert_int_equal(cJSON_GetArraySize(client_item(client_item(
		    r.json, "error"), "details")), 1);
		client_free(&r);
		assert_int_equal(client_sql_long("SELECT count(*) FROM "
		    "invoices"), before);
		assert_int_equal(txcount(), txs);
	}
	body = off + (size_t)snprintf(csv + off, len - off,
	    "L-BIG-99999,L-SUP-C,1,GBP,2025-08-01,2025-10-01\n");
	client_call(&r, "POST", "/v1/invoices/import", treasury(), "text/csv",
	    csv, body);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 100000);
	client_free(&r);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices"),
	    before + 100000);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices "
	    "WHERE id LIKE 'L-BIG-%' AND status = 'approved'"), 100000);
	assert_int_equal(txcount(), txs + 1);
	free(csv);
}

/*
 * The invoice table's rules as the database keeps them, whatever writes
 * to it: an invoice names a supplier that exists, a supplier that an
 * invoice names is neither deleted nor renamed nor truncated away, and an
 * id is 1 to 64 of the allowed characters. Each refusal is SQLSTATE 23503
 * or 23514, as a foreign key and a check give them.
 */
#define INV_COLS	"INSERT INTO invoices (id, supplier_id, amount, " \
	"currency, issue_date, due_date, status) VALUES "
#define INV_ROW(id, sup)	"('" id "', '" sup "', 1, 'GBP', " \
	"'2025-08-01', '2025-09-01', 'submitted')"
#define REFUSED(stmt, state)	"DO \\$\\$ BEGIN " stmt "; " \
	"RAISE EXCEPTION 'accepted'; EXCEPTION WHEN " state " THEN NULL; " \
	"END \\$\\$"

static void
invoices_keep_their_suppliers(void **state)
{
	/* Each succeeds only if its statement is refused with that error. */
	static const char *const refused[] = {
		REFUSED(INV_COLS INV_ROW("L-RULE-1", "L-NO-SUCH"),
		    "foreign_key_violation"),
		REFUSED(INV_COLS INV_ROW("L-RULE-1", "L-SUP-A") ", "
		    INV_ROW("L-RULE-2", "L-NO-SUCH"), "foreign_key_violation"),
		REFUSED("UPDATE invoices SET supplier_id = 'L-NO-SUCH' "
		    "WHERE supplier_id = 'L-SUP-A'", "foreign_key_violation"),
		REFUSED("DELETE FROM suppliers WHERE id = 'L-SUP-A'",
		    "foreign_key_violation"),
		REFUSED("UPDATE suppliers SET id = 'L-SUP-A2' "
		    "WHERE id = 'L-SUP-A'", "foreign_key_violation"),
		REFUSED("TRUNCATE suppliers CASCADE", "foreign_key_violation"),
		REFUSED(INV_COLS INV_ROW("L RULE", "L-SUP-A"),
		    "check_violation"),
		REFUSED(INV_COLS INV_ROW("", "L-SUP-A"), "check_violation"),
		REFUSED(INV_COLS INV_ROW("L-RULE-xxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "L-SUP-A"),
		    "check_violation"),
	};
	char	 sql[1024], x[64 - 7 + 1];
	long	 n;
	size_t	 i;

	n = client_sql_long("SELECT count(*) FROM invoices");
	assert_true(client_sql_long("SELECT count(*) FROM invoices "
	    "WHERE supplier_id = 'L-SUP-A'") > 0);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (client_sql(refused[i]) != 0)
			fail_msg("not refused as it should be: %s", refused[i]);
	}
	/* What the rules allow, undone: 64 characters, a known supplier. */
	memset(x, 'x', sizeof(x) - 1);
	x[sizeof(x) - 1] = '\0';
	snprintf(sql, sizeof(sql), "BEGIN; " INV_COLS INV_ROW("L-RULE-%s",
	    "L-SUP-A") "; UPDATE suppliers SET name = name WHERE id = "
	    "'L-SUP-A'; ROLLBACK", x);
	assert_int_equal(client_sql(sql), 0);
	x[sizeof(x) - 2] = '\0';
	snprintf(sql, sizeof(sql), "BEGIN; " INV_COLS INV_ROW("L-RULE-%s!",
	    "L-SUP-A") "; ROLLBACK", x);
	assert_int_not_equal(client_sql(sql), 0);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices"), n);
	assert_int_equal(client_sql_long("SELECT count(*) FROM suppliers "
	    "WHERE id = 'L-SUP-A'"), 1);
}

/*
 * A file that fits, into a balance that is nearly full: 422, and nothing
 * written. The balance is made nearly full by hand, and put back.
 */
static void
import_beyond_a_balance_is_refused(void **state)
{
	struct resp	 r;
	const char	*csv = "id,supplier_id,amount,currency,issue_date,"
	    "due_date\n"
	    "L-FULL-1,L-SUP-C,9007199254740991,GBP,2025-08-01,2025-10-01\n"
	    "L-FULL-2,L-SUP-C,9007199254740991,GBP,2025-08-01,2025-10-01\n";
	char		 sql[256];
	long		 before, posted, payable;

	payable = balance("payable:supplier:L-SUP-C");
	assert_int_equal(client_sql("UPDATE ledger_accounts SET balance = "
	    "-9223372036854775000 WHERE name = 'payable:supplier:L-SUP-C'"),
	    0);
	before = client_sql_long("SELECT count(*) FROM invoices");
	posted = txcount();
	client_call(&r, "POST", "/v1/invoices/import", treasury(), "text/csv",
	    csv, strlen(csv));
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(strstr(client_str(client_item(r.json, "error"),
	    "message"), "64-bit"));
	client_free(&r);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices"),
	    before);
	assert_int_equal(txcount(), posted);
	assert_int_equal(balance("payable:supplier:L-SUP-C"),
	    -9223372036854775000L);

	/* One invoice, through its own path, likewise. */
	client_post_json(&r, "/v1/invoices", treasury(), "{\"id\":\"L-FULL-3\","
	    "\"supplier_id\":\"L-SUP-C\",\"amount\":9007199254740991,"
	    "\"currency\":\"GBP\",\"issue_date\":\"2025-08-01\","
	    "\"due_date\":\"2025-10-01\",\"status\":\"approved\"}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	assert_int_equal(txcount(), posted);

	snprintf(sql, sizeof(sql), "UPDATE ledger_accounts SET balance = %ld "
	    "WHERE name = 'payable:supplier:L-SUP-C'", payable);
	assert_int_equal(client_sql(sql), 0);
}

static void
suppliers_see_only_their_own(void **state)
{
	struct resp	r, missing;
	const cJSON	*it;

	client_get(&r, "/v1/invoices/L-SUP-A-1", sup_key);
	assert_int_equal(r.status, 200);
	client_free(&r);

	/* Another supplier's invoice reads exactly like a missing one. */
	client_get(&r, "/v1/invoices/L-SUP-A-1", other_key);
	client_get(&missing, "/v1/invoices/L-NO-SUCH", other_key);
	client_assert_error(&r, 404, "not_found");
	assert_string_equal(strchr(r.body, '{'), strchr(missing.body, '{'));
	client_free(&r);
	client_free(&missing);

	client_get(&r, "/v1/invoices?supplier_id=L-SUP-A", other_key);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);

	client_get(&r, "/v1/invoices?limit=1000", sup_key);
	assert_int_equal(r.status, 200);
	cJSON_ArrayForEach(it, client_item(r.json, "items"))
		assert_string_equal(client_str(it, "supplier_id"), "L-SUP-A");
	client_free(&r);

	/* Submitting for another supplier reads like a missing supplier. */
	post(&r, "/v1/invoices", other_key, "{\"id\":\"L-SUP-B-Z\","
	    "\"supplier_id\":\"L-SUP-A\",\"amount\":5,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-09-01\",\"due_date\":\"2025-10-01\"}");
	post(&missing, "/v1/invoices", other_key, "{\"id\":\"L-SUP-B-Z\","
	    "\"supplier_id\":\"L-NO-SUCH\",\"amount\":5,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-09-01\",\"due_date\":\"2025-10-01\"}");
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(strchr(r.body, '{'), strchr(missing.body, '{'));
	client_free(&r);
	client_free(&missing);

	/*
	 * A supplier's invoice ids carry its own prefix, so an id taken by
	 * another supplier reads exactly like a free one.
	 */
	post(&r, "/v1/invoices", other_key, "{\"id\":\"L-SUP-A-1\","
	    "\"supplier_id\":\"L-SUP-B\",\"amount\":5,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-09-01\",\"due_date\":\"2025-10-01\"}");
	post(&missing, "/v1/invoices", other_key, "{\"id\":\"L-SUP-A-999\","
	    "\"supplier_id\":\"L-SUP-B\",\"amount\":5,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-09-01\",\"due_date\":\"2025-10-01\"}");
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(strchr(r.body, '{'), strchr(missing.body, '{'));
	client_free(&r);
	client_free(&missing);
}

static void
roles_are_enforced(void **state)
{
	static const char *const gets[] = {
		"/v1/invoices", "/v1/invoices/L-SUP-A-1", "/v1/ledger/accounts",
		"/v1/ledger/transactions", "/v1/ledger/verify",
		"/v1/ledger/accounts/cash",
	};
	static const char *const treasury_posts[] = {
		"/v1/invoices/L-SUP-A-1/approve", "/v1/invoices/L-SUP-A-1/reject",
		"/v1/invoices/L-SUP-A-1/early-payment", "/v1/invoices/L-SUP-A-1/pay",
	};
	struct resp	r;
	size_t		i;
	long		before;

	before = txcount();
	for (i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
		client_get(&r, gets[i], gov_key);
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
	}
	for (i = 2; i < sizeof(gets) / sizeof(gets[0]); i++) {
		client_get(&r, gets[i], sup_key);
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
	}
	for (i = 0; i < sizeof(treasury_posts) / sizeof(treasury_posts[0]);
	    i++) {
		post(&r, treasury_posts[i], sup_key, "{}");
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
		post(&r, treasury_posts[i], gov_key, "{}");
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
	}
	client_call(&r, "POST", "/v1/invoices/import", sup_key, "text/csv",
	    "id\n", 3);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	assert_int_equal(txcount(), before);
}

/* A cursor is opaque but decodes to bytes; non-UTF-8 ones are the client's. */
static void
forged_cursors_are_400(void **state)
{
	static const char *const paths[] = {
		"/v1/invoices?cursor=c_w", "/v1/ledger/accounts?cursor=c_w",
		"/v1/invoices?supplier_id=%FF",
	};
	struct resp	r;
	size_t		i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		client_get(&r, paths[i], treasury());
		client_assert_error(&r, 400, "bad_request");
		client_free(&r);
	}
}

static void
ledger_reads(void **state)
{
	struct resp	 r;
	const cJSON	*items, *tx, *p;
	long long	 sum;

	client_get(&r, "/v1/ledger/accounts/payable:supplier:L-SUP-A",
	    treasury());
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "kind"), "supplier_payable");
	assert_string_equal(client_str(r.json, "supplier_id"), "L-SUP-A");
	assert_int_equal(client_int(r.json, "balance"),
	    balance("payable:supplier:L-SUP-A"));
	client_free(&r);

	client_get(&r, "/v1/ledger/accounts/no:such", treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);

	client_get(&r, "/v1/ledger/transactions?account="
	    "payable:funder:L-SCH:L-SUP-A&limit=10", treasury());
	assert_int_equal(r.status, 200);
	items = client_item(r.json, "items");
	assert_true(cJSON_GetArraySize(items) >= 2);
	cJSON_ArrayForEach(tx, items) {
		sum = 0;
		cJSON_ArrayForEach(p, client_item(tx, "postings"))
			sum += client_int(p, "amount");
		assert_int_equal(sum, 0);
		assert_int_equal(strlen(client_str(tx, "hash")), 64);
	}
	client_free(&r);
}

/*
 * The database seals with ledger_canonical and sha256: for the fixed
 * early payment of tests/unit/test_journal.c, the same bytes and the same
 * link as the C code computes (GOLDEN_V2 and GOLDEN_V2_HASH there).
 */
#define GOLDEN_ARGS \
	"42, 'early_payment', 'INV-1', 'S1', '2025-10-07', " \
	"'2025-10-07T09:30:00.000001Z', ARRAY['payable:supplier:SUP-A', " \
	"'payable:funder:S1:SUP-A', 'fees:supplier:SUP-A', 'fees:funder:S1'], " \
	"ARRAY['GBP', 'GBP', 'GBP', 'GBP'], " \
	"ARRAY[900000, -900000, 4808, -4808]::bigint[], " \
	"ARRAY['INV-1', 'INV-1', 'INV-1', 'INV-1']"

static void
the_database_seals_as_the_service_verifies(void **state)
{
	char	out[1024], sql[1024];
	long	seq;

	sql_text("SELECT encode(convert_to(ledger_canonical(" GOLDEN_ARGS
	    "), 'UTF8'), 'hex')", out, sizeof(out));
	/* The C golden bytes: 302 of them, whose MD5 is this. */
	assert_int_equal(strlen(out), 2 * 302);
	sql_text("SELECT md5(ledger_canonical(" GOLDEN_ARGS "))", out,
	    sizeof(out));
	assert_string_equal(out, "1d831ba1996828e4f075e0e7f2459950");
	sql_text("SELECT encode(sha256('\\x000102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f'::bytea || "
	    "convert_to(ledger_canonical(" GOLDEN_ARGS "), 'UTF8')), 'hex')",
	    out, sizeof(out));
	assert_string_equal(out, "8df389dee119c7fbe6c84d452d2618b7"
	    "0c89c017751e122b4827222789c8b2db");

	/*
	 * A posting's transaction, and only it, commits without waiting for
	 * the disk; the audit record's commit after it waits.
	 */
	snprintf(sql, sizeof(sql), "%s -c BEGIN -c \"SELECT ledger_append("
	    "now(), 'approval', NULL, NULL, NULL, ARRAY['purchases', "
	    "'payable:supplier:L-SUP-A'], ARRAY['GBP', 'GBP'], "
	    "ARRAY[1, -1]::bigint[], NULL) > 0\" -c \"SHOW synchronous_commit\" "
	    "-c ROLLBACK -c \"SHOW synchronous_commit\"",
	    client_env("TIDEOVER_PSQL"));
	lines(sql, out, sizeof(out));
	assert_string_equal(out, "t,off,on");

	/* A posting now is sealed by the database, seal 2, and verifies. */
	approved("L-INV-S2", "L-SUP-A", 7000, "2025-11-06");
	seq = client_sql_long("SELECT max(seq) FROM ledger_transactions");
	snprintf(sql, sizeof(sql), "SELECT seal FROM ledger_transactions "
	    "WHERE seq = %ld AND invoice_id = 'L-INV-S2'", seq);
	assert_int_equal(client_sql_long(sql), 2);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM ledger_transactions "
	    "t JOIN ledger_transactions p ON p.seq = t.seq - 1 "
	    "WHERE t.seq = %ld AND t.prev_hash = p.hash", seq);
	assert_int_equal(client_sql_long(sql), 1);
	assert_verified();
}

/*
 * A journal made before sql/0015 holds seal 1 transactions, which the
 * service sealed with BLAKE2b-256: one is written here as the service
 * wrote them then (the approval of a submitted invoice), and the chain
 * goes on with seal 2 after it and verifies.
 */
static void
seal_1_transactions_still_verify(void **state)
{
	crypto_generichash_state st;
	struct resp	 r;
	unsigned char	 prev[32], h[32];
	char		 head[80], hex[65], canon[512], sql[4096];
	long		 seq;

	post(&r, "/v1/invoices", treasury(), "{\"id\":\"L-INV-SEAL1\","
	    "\"supplier_id\":\"L-SUP-A\",\"amount\":5000,\"currency\":"
	    "\"GBP\",\"issue_date\":\"2025-09-01\",\"due_date\":"
	    "\"2025-11-06\",\"status\":\"submitted\"}");
	assert_int_equal(r.status, 201);
	client_free(&r);

	seq = client_sql_long("SELECT seq FROM ledger_head");
	sql_text("SELECT encode(hash, 'hex') FROM ledger_head", head,
	    sizeof(head));
	assert_int_equal(sodium_hex2bin(prev, sizeof(prev), head,
	    strlen(head), NULL, NULL, NULL), 0);
	snprintf(canon, sizeof(canon), "tideover-journal-v1\nseq=%ld\n"
	    "kind=approval\ninvoice=L-INV-SEAL1\nscheme=\neffective=\n"
	    "at=2025-09-02T08:00:00.000000Z\n"
	    "posting=purchases|GBP|5000|L-INV-SEAL1\n"
	    "posting=payable:supplier:L-SUP-A|GBP|-5000|L-INV-SEAL1\n", seq + 1);
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, prev, sizeof(prev));
	crypto_generichash_update(&st, (const unsigned char *)canon,
	    strlen(canon));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(sql, sizeof(sql), "SELECT 1 FROM ledger_head FOR UPDATE; "
	    "INSERT INTO ledger_transactions (seq, kind, invoice_id, scheme_id, "
	    "effective_on, at, prev_hash, hash, seal) VALUES (%ld, 'approval', "
	    "'L-INV-SEAL1', NULL, NULL, '2025-09-02T08:00:00Z', '\\x%s', "
	    "'\\x%s', 1); "
	    "INSERT INTO ledger_postings VALUES (%ld, 0, 'purchases', 'GBP', "
	    "5000, 'L-INV-SEAL1'), (%ld, 1, 'payable:supplier:L-SUP-A', 'GBP', "
	    "-5000, 'L-INV-SEAL1'); "
	    "UPDATE ledger_accounts SET balance = balance + 5000 "
	    "WHERE name = 'purchases'; "
	    "UPDATE ledger_accounts SET balance = balance - 5000 "
	    "WHERE name = 'payable:supplier:L-SUP-A'; "
	    "UPDATE invoices SET status = 'approved' WHERE id = 'L-INV-SEAL1'; "
	    "UPDATE ledger_head SET seq = %ld, hash = '\\x%s'",
	    seq + 1, head, hex, seq + 1, seq + 1, seq + 1, hex);
	assert_int_equal(client_sql(sql), 0);
	assert_verified();

	/* Paid now: sealed by the database after the seal 1 link. */
	post(&r, "/v1/invoices/L-INV-SEAL1/pay", treasury(),
	    "{\"paid_on\":\"2025-11-06\"}");
	assert_int_equal(r.status, 200);
	client_free(&r);
	snprintf(sql, sizeof(sql), "SELECT string_agg(seal::text, ',' "
	    "ORDER BY seq) FROM ledger_transactions WHERE seq > %ld", seq);
	sql_text(sql, canon, sizeof(canon));
	assert_string_equal(canon, "1,2");
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM ledger_transactions "
	    "WHERE seq = %ld AND prev_hash = '\\x%s'", seq + 2, hex);
	assert_int_equal(client_sql_long(sql), 1);
	assert_verified();

	/* Read under the other seal, the same row breaks the chain there. */
	snprintf(sql, sizeof(sql), "SET session_replication_role = replica; "
	    "UPDATE ledger_transactions SET seal = 2 WHERE seq = %ld", seq + 1);
	assert_int_equal(client_sql(sql), 0);
	client_get(&r, "/v1/ledger/verify", treasury());
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsFalse(client_item(r.json, "chain_ok")));
	assert_int_equal(client_int(r.json, "first_bad_seq"), seq + 1);
	client_free(&r);
	snprintf(sql, sizeof(sql), "SET session_replication_role = replica; "
	    "UPDATE ledger_transactions SET seal = 1 WHERE seq = %ld", seq + 1);
	assert_int_equal(client_sql(sql), 0);
	assert_verified();
}

/*
 * The Kore workers serving TIDEOVER_URL: the processes named "kore [wrk"
 * that hold its listening socket. Returns how many were found.
 */
static int
kore_workers(pid_t *pids, int max)
{
	char		 line[512], path[600], link[64], want[64], comm[64];
	unsigned long	 inode = 0;
	unsigned int	 lport, st;
	const char	*url;
	FILE		*f;
	DIR		*proc, *fds;
	struct dirent	*p, *d;
	ssize_t		 n;
	int		 port, found = 0, mine;

	url = client_env("TIDEOVER_URL");
	port = atoi(strrchr(url, ':') + 1);
	if ((f = fopen("/proc/net/tcp", "r")) == NULL)
		return (0);
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long	ino;

		if (sscanf(line, " %*d: %*x:%x %*x:%*x %x %*x:%*x %*x:%*x "
		    "%*x %*d %*d %lu", &lport, &st, &ino) == 3 &&
		    (int)lport == port && st == 0x0a)
			inode = ino;
	}
	fclose(f);
	if (inode == 0)
		return (0);
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	if ((proc = opendir("/proc")) == NULL)
		return (0);
	while ((p = readdir(proc)) != NULL && found < max) {
		if (!isdigit((unsigned char)p->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", p->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		n = (ssize_t)fread(comm, 1, sizeof(comm) - 1, f);
		fclose(f);
		comm[n > 0 ? n : 0] = '\0';
		if (strncmp(comm, "kore [wrk", 9) != 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		if ((fds = opendir(path)) == NULL)
			continue;
		mine = 0;
		while (!mine && (d = readdir(fds)) != NULL) {
			snprintf(path, sizeof(path), "/proc/%s/fd/%s",
			    p->d_name, d->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n > 0) {
				link[n] = '\0';
				mine = strcmp(link, want) == 0;
			}
		}
		closedir(fds);
		if (mine)
			pids[found++] = (pid_t)atol(p->d_name);
	}
	closedir(proc);
	return (found);
}

/* A process's CPU time so far, user and system, in clock ticks. */
static long
cpu_ticks(pid_t pid)
{
	char		 path[64], line[1024], *s;
	unsigned long	 ut = 0, stime = 0;
	FILE		*f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (0);
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	if ((s = strrchr(line, ')')) == NULL ||
	    sscanf(s + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%lu %lu", &ut, &stime) != 2)
		return (0);
	return ((long)(ut + stime));
}

/*
 * 32 writers at once, each request on a connection of its own so that
 * both workers take them: every one creates approved invoices and pays
 * every other one early, each write a journal posting with its own
 * Idempotency-Key. None may fail; every posting is there once; the
 * journal verifies and the accounts hold exactly what the replies said.
 */
#define WRITERS		32
#define PER_WRITER	24

struct writer {
	int		 n;
	int		 failed;
	long		 first_bad;
	char		 bad_reply[256];
	long long	 amounts;
	long long	 advances;
	long long	 fees;
};

static void *
writer(void *arg)
{
	struct writer	*w = arg;
	struct shot	 s;
	cJSON		*j;
	char		 body[512], path[128], idem[96], id[32];
	int		 k;

	for (k = 0; k < PER_WRITER; k++) {
		snprintf(id, sizeof(id), "L-CC-%02d-%02d", w->n, k);
		snprintf(body, sizeof(body), "{\"id\":\"%s\",\"supplier_id\":"
		    "\"L-SUP-CC\",\"amount\":%d,\"currency\":\"GBP\","
		    "\"issue_date\":\"2025-09-01\",\"due_date\":"
		    "\"2025-11-06\",\"status\":\"approved\"}", id,
		    100000 + w->n * PER_WRITER + k);
		snprintf(idem, sizeof(idem), "cc-create-%s", id);
		s.path = "/v1/invoices";
		s.body = body;
		s.idem = idem;
		s.status = 0;
		s.reply = NULL;
		fire(&s);
		if (s.status != 201) {
			if (w->failed++ == 0) {
				w->first_bad = s.status;
				snprintf(w->bad_reply, sizeof(w->bad_reply),
				    "%s", s.reply ? s.reply : "");
			}
		} else
			w->amounts += 100000 + w->n * PER_WRITER + k;
		free(s.reply);
		if (k % 2 == 0)
			continue;

		/* The one before, paid early. */
		snprintf(id, sizeof(id), "L-CC-%02d-%02d", w->n, k - 1);
		snprintf(path, sizeof(path), "/v1/invoices/%s/early-payment",
		    id);
		snprintf(idem, sizeof(idem), "cc-early-%s", id);
		s.path = path;
		s.body = "{\"scheme_id\":\"L-SCH-CC\","
		    "\"paid_on\":\"2025-10-07\"}";
		s.idem = idem;
		s.status = 0;
		s.reply = NULL;
		fire(&s);
		if (s.status == 201 && (j = cJSON_Parse(s.reply)) != NULL) {
			w->advances += client_int(j, "advance");
			w->fees += client_int(j, "fee");
			cJSON_Delete(j);
		} else if (w->failed++ == 0) {
			w->first_bad = s.status;
			snprintf(w->bad_reply, sizeof(w->bad_reply), "%s",
			    s.reply ? s.reply : "");
		}
		free(s.reply);
	}
	return (NULL);
}

static void
writers_on_both_workers_never_fail(void **state)
{
	struct writer	 w[WRITERS];
	pthread_t	 th[WRITERS];
	pid_t		 pids[8];
	long		 before[8], used[8] = { 0 }, total, tx0;
	long long	 amounts = 0, advances = 0, fees = 0;
	struct shot	 s;
	int		 i, nw;

	supplier("L-SUP-CC", 1, 50, 1);
	scheme("L-SCH-CC", "supplier", "NULL", "NULL");
	nw = kore_workers(pids, 8);
	assert_int_equal(nw, 2);
	for (i = 0; i < nw; i++)
		before[i] = cpu_ticks(pids[i]);
	tx0 = txcount();

	memset(w, 0, sizeof(w));
	for (i = 0; i < WRITERS; i++) {
		w[i].n = i;
		assert_int_equal(pthread_create(&th[i], NULL, writer, &w[i]),
		    0);
	}
	for (i = 0; i < WRITERS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < WRITERS; i++) {
		if (w[i].failed)
			fail_msg("writer %d: %d failed, the first %ld: %s", i,
			    w[i].failed, w[i].first_bad, w[i].bad_reply);
		amounts += w[i].amounts;
		advances += w[i].advances;
		fees += w[i].fees;
	}

	/* Both workers did a good part of the work. */
	for (i = 0, total = 0; i < nw; i++) {
		used[i] = cpu_ticks(pids[i]) - before[i];
		total += used[i];
	}
	print_message("workers' CPU: %ld and %ld of %ld ticks\n", used[0],
	    used[1], total);
	for (i = 0; i < nw; i++) {
		if (used[i] * 10 < total)
			fail_msg("worker %ld took %ld of %ld ticks",
			    (long)pids[i], used[i], total);
	}

	/* Every posting once: an approval per invoice, half paid early. */
	assert_int_equal(txcount() - tx0, WRITERS * (PER_WRITER +
	    PER_WRITER / 2));
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices "
	    "WHERE id LIKE 'L-CC-%' AND status = 'approved'"),
	    WRITERS * PER_WRITER / 2);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices "
	    "WHERE id LIKE 'L-CC-%' AND status = 'advanced'"),
	    WRITERS * PER_WRITER / 2);
	assert_true(advances > 0 && fees > 0);
	assert_true(balance("payable:supplier:L-SUP-CC") ==
	    -(amounts - advances));
	assert_true(balance("payable:funder:L-SCH-CC:L-SUP-CC") == -advances);
	assert_true(balance("fees:supplier:L-SUP-CC") == fees);
	assert_true(balance("fees:funder:L-SCH-CC") == -fees);

	/* A retry of any of them is the same reply and pays nothing. */
	s.path = "/v1/invoices/L-CC-07-04/early-payment";
	s.body = "{\"scheme_id\":\"L-SCH-CC\",\"paid_on\":\"2025-10-07\"}";
	s.idem = "cc-early-L-CC-07-04";
	s.status = 0;
	s.reply = NULL;
	fire(&s);
	assert_int_equal(s.status, 201);
	free(s.reply);
	assert_int_equal(txcount() - tx0, WRITERS * (PER_WRITER +
	    PER_WRITER / 2));
	assert_verified();
}

/* Last but one: an edit made behind the service's back is found. */
static void
tampering_is_detected(void **state)
{
	struct resp	r;
	long		seq;
	char		sql[512];

	seq = client_sql_long("SELECT min(tx_seq) FROM ledger_postings WHERE "
	    "account = 'payable:supplier:L-SUP-A'");
	snprintf(sql, sizeof(sql), "SET session_replication_role = replica; "
	    "UPDATE ledger_postings SET amount = amount + 1 WHERE tx_seq = %ld "
	    "AND n = 0", seq);
	assert_int_equal(client_sql(sql), 0);

	client_get(&r, "/v1/ledger/verify", treasury());
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsFalse(client_item(r.json, "chain_ok")));
	assert_int_equal(client_int(r.json, "first_bad_seq"), seq);
	client_free(&r);

	snprintf(sql, sizeof(sql), "SET session_replication_role = replica; "
	    "UPDATE ledger_postings SET amount = amount - 1 WHERE tx_seq = %ld "
	    "AND n = 0", seq);
	assert_int_equal(client_sql(sql), 0);
	assert_verified();
}

static void
service_role_cannot_touch_the_journal(void **state)
{
	static const char *const sql[] = {
		"UPDATE ledger_postings SET amount = 1",
		"DELETE FROM ledger_transactions",
		"INSERT INTO ledger_head VALUES (true, 0, '')",
		"UPDATE invoices SET status = 'paid'",
		"UPDATE ledger_accounts SET balance = 0",
		"DELETE FROM idempotency_keys",
	};
	char	cmd[1024];
	size_t	i;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s -c \"%s\" >/dev/null 2>&1",
		    client_env("TIDEOVER_PSQL_APP"), sql[i]);
		assert_int_not_equal(system(cmd), 0);
	}
	/* Not even the owner can rewrite history: only a reversal can. */
	assert_int_not_equal(client_sql("DELETE FROM ledger_postings"), 0);
	assert_verified();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(supplier_submits_treasury_approves, verified),
		cmocka_unit_test_teardown(recreating_an_invoice_is_idempotent_by_id, verified),
		cmocka_unit_test_teardown(reject_only_from_submitted, verified),
		cmocka_unit_test_teardown(early_payment_to_the_penny, verified),
		cmocka_unit_test_teardown(order_basis_scheme_pays_no_invoice,
		    verified),
		cmocka_unit_test_teardown(oem_borne_fee_is_the_oems_cost, verified),
		cmocka_unit_test_teardown(ineligible_is_409_and_changes_nothing, verified),
		cmocka_unit_test_teardown(caps_refuse_and_later_smaller_fits, verified),
		cmocka_unit_test_teardown(facility_limit_is_shared, verified),
		cmocka_unit_test_teardown(reversals_undo_one_event_at_a_time,
		    verified),
		cmocka_unit_test_teardown(idempotent_burst_pays_once, verified),
		cmocka_unit_test_teardown(concurrent_advances_respect_the_cap, verified),
		cmocka_unit_test_teardown(import_is_all_or_nothing, verified),
		cmocka_unit_test_teardown(import_ndjson_as_written, verified),
		cmocka_unit_test_teardown(import_of_ten_thousand_writes_all, verified),
		cmocka_unit_test_teardown(import_beyond_a_balance_is_refused, verified),
		cmocka_unit_test_teardown(
		    import_of_a_hundred_thousand_is_all_or_nothing, verified),
		cmocka_unit_test_teardown(invoices_keep_their_suppliers,
		    verified),
		cmocka_unit_test_teardown(suppliers_see_only_their_own, verified),
		cmocka_unit_test_teardown(roles_are_enforced, verified),
		cmocka_unit_test_teardown(forged_cursors_are_400, verified),
		cmocka_unit_test_teardown(ledger_reads, verified),
		cmocka_unit_test_teardown(
		    the_database_seals_as_the_service_verifies, verified),
		cmocka_unit_test_teardown(seal_1_transactions_still_verify,
		    verified),
		cmocka_unit_test_teardown(writers_on_both_workers_never_fail,
		    verified),
		cmocka_unit_test_teardown(tampering_is_detected, verified),
		cmocka_unit_test_teardown(service_role_cannot_touch_the_journal, verified),
	};

	return (cmocka_run_group_tests_name("api_ledger", tests, setup,
	    teardown));
}
