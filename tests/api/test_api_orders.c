/*
 * Purchase orders, prepayments and true-ups against the real server:
 * the life cycle of an order with every amount and balance asserted; an
 * invoice smaller than its prepayment (owed back, then netted from the
 * supplier's next payments) and one larger (the true-up pays the rest);
 * each refusal; idempotent retries; 20 concurrent prepayments against a
 * facility limit; and the access matrix. The journal is verified after
 * every test. Suppliers and schemes are set up in the database directly.
 */
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

#include "client.h"

static char	*sup_key;	/* supplier key for O-SUP-A */
static char	*other_key;	/* supplier key for O-SUP-B */
static char	*gov_key;

static void	reverse(struct resp *, const char *, const char *);

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
supplier(const char *id, int tier, int employees)
{
	char	sql[1024];

	snprintf(sql, sizeof(sql), "INSERT INTO suppliers (id, name, tier, "
	    "region, sector, employees, currency, cash, credit_available, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days, scheme_opt_in) VALUES "
	    "('%s', 'Test %s', %d, 'West Midlands', 'castings', %d, 'GBP', "
	    "1000000, 0, 10000, 50000, 6000, 0, 60, true) "
	    "ON CONFLICT DO NOTHING", id, id, tier, employees);
	assert_int_equal(client_sql(sql), 0);
}

/* 80 % at order, 6.5 % a year on 365 days; basis order or invoice. */
static void
scheme(const char *id, const char *basis, const char *bearer,
    const char *cap, const char *limit)
{
	char	sql[1024];
	int	order = strcmp(basis, "order") == 0;

	snprintf(sql, sizeof(sql), "INSERT INTO schemes (id, name, "
	    "effective_from, payment_lag_days, advance_rate_bps, "
	    "annual_rate_bps, day_count_basis, fee_bearer, eligible_tiers, "
	    "max_employees, min_invoice_amount, requires_opt_in, "
	    "per_supplier_cap, facility_limit, basis, order_lead_days, "
	    "true_up_lag_days) VALUES ('%s', 'Test', '2025-10-07', 2, 8000, "
	    "650, 365, '%s', '{1,2}', 500, 1000, true, %s, %s, '%s', %s, %s) "
	    "ON CONFLICT DO NOTHING", id, bearer, cap, limit, basis,
	    order ? "30" : "NULL", order ? "5" : "NULL");
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

static void
post_idem(struct resp *r, const char *path, const char *idem,
    const char *body)
{
	char	extra[160];

	snprintf(extra, sizeof(extra), "Idempotency-Key: %s", idem);
	client_call_with(r, "POST", path, treasury(), "application/json", body,
	    strlen(body), extra);
}

/* An order of `amount` delivered on 2025-10-20: due 2025-12-19. */
static void
order(const char *id, const char *sup, long amount)
{
	struct resp	r;

	post(&r, "/v1/orders", treasury(), "{\"id\":\"%s\",\"supplier_id\":"
	    "\"%s\",\"amount\":%ld,\"currency\":\"GBP\",\"order_date\":"
	    "\"2025-10-01\",\"delivery_date\":\"2025-10-20\"}", id, sup,
	    amount);
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "status"), "open");
	assert_int_equal(client_int(r.json, "prepaid"), 0);
	client_free(&r);
}

static void
prepay(struct resp *r, const char *id, const char *scheme_id,
    const char *on)
{
	char	path[128];

	snprintf(path, sizeof(path), "/v1/orders/%s/prepayment", id);
	post(r, path, treasury(), "{\"scheme_id\":\"%s\",\"paid_on\":\"%s\"}",
	    scheme_id, on);
}

/* The approved invoice of an order, due 2025-12-19. */
static void
order_invoice(const char *id, const char *sup, long amount, const char *ord)
{
	struct resp	r;

	post(&r, "/v1/invoices", treasury(), "{\"id\":\"%s\",\"supplier_id\":"
	    "\"%s\",\"amount\":%ld,\"currency\":\"GBP\",\"issue_date\":"
	    "\"2025-10-20\",\"due_date\":\"2025-12-19\",\"status\":"
	    "\"approved\",\"order_id\":\"%s\"}", id, sup, amount, ord);
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "order_id"), ord);
	client_free(&r);
}

static void
settle(struct resp *r, const char *invoice, const char *what, const char *on)
{
	char	path[128];

	snprintf(path, sizeof(path), "/v1/invoices/%s/%s", invoice, what);
	post(r, path, treasury(), "{\"paid_on\":\"%s\"}", on);
}

static void
order_status(const char *id, const char *status)
{
	struct resp	r;
	char		path[128];

	snprintf(path, sizeof(path), "/v1/orders/%s", id);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), status);
	client_free(&r);
}

static long long
owed_back(const char *sup, const char *key)
{
	struct resp	r;
	char		path[128];
	long long	v;

	snprintf(path, sizeof(path), "/v1/suppliers/%s", sup);
	client_get(&r, path, key);
	assert_int_equal(r.status, 200);
	v = client_int(client_item(r.json, "ledger"), "owed_back");
	client_free(&r);
	return (v);
}

static int
setup(void **state)
{
	curl_global_init(CURL_GLOBAL_ALL);
	supplier("O-SUP-A", 1, 120);
	supplier("O-SUP-B", 2, 40);
	supplier("O-SUP-C", 3, 10);
	supplier("O-SUP-S", 1, 50);
	supplier("O-SUP-CAP", 1, 50);
	supplier("O-SUP-CC", 1, 50);
	supplier("O-SUP-RV", 1, 50);
	supplier("O-SUP-N", 1, 50);
	supplier("O-SUP-P", 1, 50);
	scheme("O-SCH", "order", "supplier", "NULL", "NULL");
	scheme("O-SCH-OEM", "order", "oem", "NULL", "NULL");
	scheme("O-SCH-INV", "invoice", "supplier", "NULL", "NULL");
	scheme("O-SCH-CAP", "order", "supplier", "1000000", "NULL");
	scheme("O-SCH-FAC", "order", "supplier", "NULL", "4000000");
	sup_key = client_new_key("supplier", "O-SUP-A");
	other_key = client_new_key("supplier", "O-SUP-B");
	gov_key = client_new_key("government", NULL);
	return (0);
}

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

/*
 * Order 1,000,000, prepaid 80 % on 2025-10-08 with the expected due date
 * 2025-12-19 (delivery plus 60 days' terms): advance 800,000, fee
 * rhe(800,000 x 650 x 72, 3,650,000) = 10,258. Invoice 1,100,000, trued
 * up on 2025-10-27: 300,000 funded, fee rhe(300,000 x 650 x 53,
 * 3,650,000) = 2,832. At maturity the OEM repays the funder 1,100,000.
 */
static void
life_cycle_larger_invoice(void **state)
{
	struct resp	r;
	long		cash0, tx0;

	order("O-1", "O-SUP-A", 1000000);
	cash0 = balance("cash");
	tx0 = txcount();

	prepay(&r, "O-1", "O-SCH", "2025-10-08");
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "order_id"), "O-1");
	assert_int_equal(client_int(r.json, "advance"), 800000);
	assert_int_equal(client_int(r.json, "fee"), 10258);
	assert_int_equal(client_int(r.json, "net_to_supplier"), 789742);
	assert_string_equal(client_str(r.json, "expected_due_date"),
	    "2025-12-19");
	client_free(&r);
	assert_int_equal(txcount(), tx0 + 1);
	assert_int_equal(balance("prepaid:supplier:O-SUP-A"), 800000);
	assert_int_equal(balance("payable:funder:O-SCH:O-SUP-A"), -800000);
	assert_int_equal(balance("fees:supplier:O-SUP-A"), 10258);
	assert_int_equal(balance("fees:funder:O-SCH"), -10258);
	order_status("O-1", "prepaid");
	assert_int_equal(client_sql_long("SELECT count(*) FROM "
	    "ledger_transactions WHERE kind = 'prepayment' AND "
	    "order_id = 'O-1' AND scheme_id = 'O-SCH'"), 1);

	order_invoice("O-SUP-A-1", "O-SUP-A", 1100000, "O-1");
	order_status("O-1", "invoiced");
	assert_int_equal(balance("payable:supplier:O-SUP-A"), -1100000);

	settle(&r, "O-SUP-A-1", "true-up", "2025-10-27");
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "prepaid"), 800000);
	assert_int_equal(client_int(r.json, "true_up"), 300000);
	assert_int_equal(client_int(r.json, "fee"), 2832);
	assert_int_equal(client_int(r.json, "net_to_supplier"), 297168);
	assert_int_equal(client_int(r.json, "owed_back"), 0);
	assert_int_equal(client_int(r.json, "netted"), 0);
	client_free(&r);
	assert_int_equal(balance("prepaid:supplier:O-SUP-A"), 0);
	assert_int_equal(balance("payable:supplier:O-SUP-A"), 0);
	assert_int_equal(balance("payable:funder:O-SCH:O-SUP-A"), -1100000);
	assert_int_equal(balance("fees:supplier:O-SUP-A"), 10258 + 2832);
	client_get(&r, "/v1/invoices/O-SUP-A-1", treasury());
	assert_string_equal(client_str(r.json, "status"), "advanced");
	assert_int_equal(client_int(r.json, "outstanding"), 0);
	client_free(&r);

	/* A second true-up is refused and writes nothing. */
	tx0 = txcount();
	settle(&r, "O-SUP-A-1", "true-up", "2025-10-28");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	assert_int_equal(txcount(), tx0);

	settle(&r, "O-SUP-A-1", "pay", "2025-12-19");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "paid");
	client_free(&r);
	assert_int_equal(balance("payable:funder:O-SCH:O-SUP-A"), 0);
	assert_int_equal(balance("cash"), cash0 - 1100000);
	order_status("O-1", "settled");
	assert_int_equal(owed_back("O-SUP-A", sup_key), 0);
}

/*
 * O-SUP-S: order 1,000,000 prepaid 800,000, invoiced 500,000: the
 * true-up pays nothing and 300,000 is owed back. Its next order,
 * invoiced 1,000,000, has 200,000 to pay at its true-up, all netted:
 * 100,000 is still owed back. The next, 500,000 prepaid 400,000 and
 * paid at maturity without a true-up, nets the last 100,000 and pays
 * nothing in cash to the supplier.
 */
static void
smaller_invoice_is_owed_back_and_netted(void **state)
{
	struct resp	r;
	long		cash0;

	order("O-S1", "O-SUP-S", 1000000);
	order("O-S2", "O-SUP-S", 1000000);
	order("O-S3", "O-SUP-S", 500000);
	prepay(&r, "O-S1", "O-SCH-OEM", "2025-10-08");
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "advance"), 800000);
	assert_int_equal(client_int(r.json, "net_to_supplier"), 800000);
	client_free(&r);
	assert_int_equal(balance("fees:oem"), client_sql_long("SELECT "
	    "sum(prepaid_fee + true_up_fee) FROM orders o JOIN schemes s ON "
	    "s.id = o.scheme_id WHERE s.fee_bearer = 'oem'") +
	    client_sql_long("SELECT coalesce(sum(fee), 0) FROM invoices i "
	    "JOIN schemes s ON s.id = i.scheme_id WHERE s.fee_bearer = 'oem' "
	    "AND i.order_id IS NULL"));

	order_invoice("O-SUP-S-1", "O-SUP-S", 500000, "O-S1");
	settle(&r, "O-SUP-S-1", "true-up", "2025-10-27");
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "true_up"), 0);
	assert_int_equal(client_int(r.json, "fee"), 0);
	assert_int_equal(client_int(r.json, "owed_back"), 300000);
	client_free(&r);
	assert_int_equal(balance("receivable:supplier:O-SUP-S"), 300000);
	assert_int_equal(balance("payable:supplier:O-SUP-S"), 0);
	assert_int_equal(balance("prepaid:supplier:O-SUP-S"), 0);
	assert_int_equal(owed_back("O-SUP-S", treasury()), 300000);

	prepay(&r, "O-S2", "O-SCH-OEM", "2025-10-08");
	assert_int_equal(r.status, 201);
	client_free(&r);
	order_invoice("O-SUP-S-2", "O-SUP-S", 1000000, "O-S2");
	settle(&r, "O-SUP-S-2", "true-up", "2025-10-27");
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "netted"), 200000);
	assert_int_equal(client_int(r.json, "true_up"), 0);
	assert_int_equal(client_int(r.json, "fee"), 0);
	client_free(&r);
	assert_int_equal(balance("receivable:supplier:O-SUP-S"), 100000);
	assert_int_equal(owed_back("O-SUP-S", treasury()), 100000);

	prepay(&r, "O-S3", "O-SCH-OEM", "2025-10-08");
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "advance"), 400000);
	assert_int_equal(client_int(r.json, "fee"), 5129);
	client_free(&r);
	order_invoice("O-SUP-S-3", "O-SUP-S", 500000, "O-S3");
	cash0 = balance("cash");
	settle(&r, "O-SUP-S-3", "pay", "2025-12-19");
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "outstanding"), 0);
	client_free(&r);
	/* Only the funder's 400,000 left in cash: the rest was netted. */
	assert_int_equal(balance("cash"), cash0 - 400000);
	assert_int_equal(balance("receivable:supplier:O-SUP-S"), 0);
	assert_int_equal(balance("payable:supplier:O-SUP-S"), 0);
	assert_int_equal(owed_back("O-SUP-S", treasury()), 0);

	/* Each netting is in the journal, on the supplier's receivable. */
	client_get(&r, "/v1/ledger/transactions?account="
	    "receivable:supplier:O-SUP-S", treasury());
	assert_int_equal(r.status, 200);
	assert_int_equal(cJSON_GetArraySize(client_item(r.json, "items")), 3);
	client_free(&r);

	/* At maturity the funder has back all it funded for each. */
	settle(&r, "O-SUP-S-1", "pay", "2025-12-19");
	assert_int_equal(r.status, 200);
	client_free(&r);
	settle(&r, "O-SUP-S-2", "pay", "2025-12-19");
	assert_int_equal(r.status, 200);
	client_free(&r);
	assert_int_equal(balance("payable:funder:O-SCH-OEM:O-SUP-S"), 0);
	order_status("O-S1", "settled");
	order_status("O-S2", "settled");
	order_status("O-S3", "settled");
}

/*
 * What O-SUP-P owes back on an order is netted from its invoices' payments
 * at maturity too: 300,000 owed, an invoice of 200,000 paid wholly by
 * netting, one of 250,000 netting the last 100,000 and paying 150,000 in
 * cash; reversing that payment owes the 100,000 again.
 */
static void
owed_back_is_netted_from_invoice_payments(void **state)
{
	struct resp	r;
	long		cash0;

	order("O-P1", "O-SUP-P", 1000000);
	prepay(&r, "O-P1", "O-SCH", "2025-10-08");
	client_free(&r);
	order_invoice("O-SUP-P-1", "O-SUP-P", 500000, "O-P1");
	settle(&r, "O-SUP-P-1", "true-up", "2025-10-27");
	client_free(&r);
	assert_int_equal(owed_back("O-SUP-P", treasury()), 300000);

	post(&r, "/v1/invoices", treasury(), "{\"id\":\"O-SUP-P-2\","
	    "\"supplier_id\":\"O-SUP-P\",\"amount\":200000,\"currency\":"
	    "\"GBP\",\"issue_date\":\"2025-10-01\",\"due_date\":"
	    "\"2025-11-30\",\"status\":\"approved\"}");
	client_free(&r);
	post(&r, "/v1/invoices", treasury(), "{\"id\":\"O-SUP-P-3\","
	    "\"supplier_id\":\"O-SUP-P\",\"amount\":250000,\"currency\":"
	    "\"GBP\",\"issue_date\":\"2025-10-01\",\"due_date\":"
	    "\"2025-11-30\",\"status\":\"approved\"}");
	client_free(&r);
	cash0 = balance("cash");
	settle(&r, "O-SUP-P-2", "pay", "2025-11-30");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "paid");
	client_free(&r);
	assert_int_equal(balance("cash"), cash0);
	assert_int_equal(owed_back("O-SUP-P", treasury()), 100000);
	settle(&r, "O-SUP-P-3", "pay", "2025-11-30");
	assert_int_equal(r.status, 200);
	client_free(&r);
	assert_int_equal(balance("cash"), cash0 - 150000);
	assert_int_equal(owed_back("O-SUP-P", treasury()), 0);
	assert_int_equal(balance("payable:supplier:O-SUP-P"), 0);
	assert_int_equal(client_sql_long("SELECT netted FROM invoices WHERE "
	    "number = 'O-SUP-P-3'"), 100000);

	reverse(&r, "invoices", "O-SUP-P-3");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "approved");
	client_free(&r);
	assert_int_equal(balance("cash"), cash0);
	assert_int_equal(owed_back("O-SUP-P", treasury()), 100000);
	assert_int_equal(client_sql_long("SELECT netted FROM invoices WHERE "
	    "number = 'O-SUP-P-3'"), 0);
	settle(&r, "O-SUP-P-3", "pay", "2025-11-30");
	assert_int_equal(r.status, 200);
	client_free(&r);
	assert_int_equal(balance("cash"), cash0 - 150000);
	assert_int_equal(owed_back("O-SUP-P", treasury()), 0);
}

static void
refusals_change_nothing(void **state)
{
	struct resp	r, missing;
	long		tx0;

	order("O-R1", "O-SUP-A", 1000000);
	order("O-R2", "O-SUP-C", 1000000);
	order("O-R3", "O-SUP-CAP", 1000000);
	order("O-R4", "O-SUP-CAP", 1000000);
	order("O-R5", "O-SUP-A", 1000000);
	tx0 = txcount();

	/* An invoice-basis scheme does not prepay orders. */
	prepay(&r, "O-R1", "O-SCH-INV", "2025-10-08");
	client_assert_error(&r, 409, "not_order_basis");
	client_free(&r);
	/* Tier 3 is not eligible; nor is a date before the scheme. */
	prepay(&r, "O-R2", "O-SCH", "2025-10-08");
	client_assert_error(&r, 409, "not_eligible");
	client_free(&r);
	prepay(&r, "O-R1", "O-SCH", "2025-10-06");
	client_assert_error(&r, 409, "not_eligible");
	client_free(&r);
	prepay(&r, "O-R1", "O-NO-SCHEME", "2025-10-08");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	prepay(&r, "O-NO-SUCH", "O-SCH", "2025-10-08");
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	assert_int_equal(txcount(), tx0);

	/* The per-supplier cap of 1,000,000 takes one 800,000 prepayment. */
	prepay(&r, "O-R3", "O-SCH-CAP", "2025-10-08");
	assert_int_equal(r.status, 201);
	client_free(&r);
	prepay(&r, "O-R4", "O-SCH-CAP", "2025-10-08");
	client_assert_error(&r, 409, "over_cap");
	client_free(&r);
	order_status("O-R4", "open");
	prepay(&r, "O-R3", "O-SCH-CAP", "2025-10-09");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	assert_int_equal(txcount(), tx0 + 1);

	/* A true-up needs an order's invoice; an order's invoice, a prepaid order. */
	post(&r, "/v1/invoices", treasury(), "{\"id\":\"O-SUP-A-X\","
	    "\"supplier_id\":\"O-SUP-A\",\"amount\":5000,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-10-01\",\"due_date\":\"2025-12-01\","
	    "\"status\":\"approved\"}");
	assert_int_equal(r.status, 201);
	client_free(&r);
	settle(&r, "O-SUP-A-X", "true-up", "2025-10-27");
	client_assert_error(&r, 409, "not_an_order_invoice");
	client_free(&r);
	post(&r, "/v1/invoices", treasury(), "{\"id\":\"O-SUP-A-R1\","
	    "\"supplier_id\":\"O-SUP-A\",\"amount\":5000,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-10-20\",\"due_date\":\"2025-12-19\","
	    "\"status\":\"approved\",\"order_id\":\"O-R1\"}");
	client_assert_error(&r, 409, "order_not_prepaid");
	client_free(&r);

	/*
	 * A supplier naming another supplier's order reads exactly like
	 * one naming no order at all.
	 */
	post(&r, "/v1/invoices", other_key, "{\"id\":\"O-SUP-B-1\","
	    "\"supplier_id\":\"O-SUP-B\",\"amount\":5000,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-10-20\",\"due_date\":\"2025-12-19\","
	    "\"order_id\":\"O-R3\"}");
	post(&missing, "/v1/invoices", other_key, "{\"id\":\"O-SUP-B-1\","
	    "\"supplier_id\":\"O-SUP-B\",\"amount\":5000,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-10-20\",\"due_date\":\"2025-12-19\","
	    "\"order_id\":\"O-NO-SUCH\"}");
	client_assert_error(&r, 404, "not_found");
	assert_string_equal(strchr(r.body, '{'), strchr(missing.body, '{'));
	client_free(&r);
	client_free(&missing);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices "
	    "WHERE number = 'O-SUP-B-1'"), 0);

	/* Its own prepaid order: a submitted invoice, approved by treasury. */
	prepay(&r, "O-R5", "O-SCH", "2025-10-08");
	assert_int_equal(r.status, 201);
	client_free(&r);
	post(&r, "/v1/invoices", sup_key, "{\"id\":\"O-SUP-A-R5\","
	    "\"supplier_id\":\"O-SUP-A\",\"amount\":900000,\"currency\":"
	    "\"GBP\",\"issue_date\":\"2025-10-20\",\"due_date\":"
	    "\"2025-12-19\",\"order_id\":\"O-R5\"}");
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "status"), "submitted");
	client_free(&r);
	settle(&r, "O-SUP-A-R5", "true-up", "2025-10-27");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	post(&r, "/v1/invoices/O-SUP-A-R5/approve", treasury(), "{}");
	assert_int_equal(r.status, 200);
	client_free(&r);
	/* Not early-paid as an invoice; not trued up on or after its due date. */
	post(&r, "/v1/invoices/O-SUP-A-R5/early-payment", treasury(),
	    "{\"scheme_id\":\"O-SCH-INV\",\"paid_on\":\"2025-10-27\"}");
	client_assert_error(&r, 409, "order_invoice");
	client_free(&r);
	tx0 = txcount();
	settle(&r, "O-SUP-A-R5", "true-up", "2025-12-19");
	client_assert_error(&r, 409, "not_before_due");
	client_free(&r);
	settle(&r, "O-SUP-A-R5", "true-up", "2025-10-07");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	assert_int_equal(txcount(), tx0);
}

static void
retries_pay_nothing_twice(void **state)
{
	struct resp	r, again;
	const char	*body = "{\"scheme_id\":\"O-SCH\","
			    "\"paid_on\":\"2025-10-08\"}";
	long		tx0;

	/* By id: the same order again is 200, another one 409. */
	order("O-I1", "O-SUP-B", 600000);
	post(&r, "/v1/orders", treasury(), "{\"id\":\"O-I1\",\"supplier_id\":"
	    "\"O-SUP-B\",\"amount\":600000,\"currency\":\"GBP\","
	    "\"order_date\":\"2025-10-01\",\"delivery_date\":\"2025-10-20\"}");
	assert_int_equal(r.status, 200);
	client_free(&r);
	post(&r, "/v1/orders", treasury(), "{\"id\":\"O-I1\",\"supplier_id\":"
	    "\"O-SUP-B\",\"amount\":600001,\"currency\":\"GBP\","
	    "\"order_date\":\"2025-10-01\",\"delivery_date\":\"2025-10-20\"}");
	client_assert_error(&r, 409, "conflict");
	client_free(&r);

	tx0 = txcount();
	post_idem(&r, "/v1/orders/O-I1/prepayment", "o-i1-prepay", body);
	post_idem(&again, "/v1/orders/O-I1/prepayment", "o-i1-prepay", body);
	assert_int_equal(r.status, 201);
	assert_int_equal(again.status, 201);
	assert_string_equal(r.body, again.body);
	client_free(&r);
	client_free(&again);
	assert_int_equal(txcount(), tx0 + 1);
	post_idem(&r, "/v1/orders/O-I1/prepayment", "o-i1-prepay",
	    "{\"scheme_id\":\"O-SCH\",\"paid_on\":\"2025-10-09\"}");
	client_assert_error(&r, 409, "idempotency_conflict");
	client_free(&r);

	order_invoice("O-SUP-B-I1", "O-SUP-B", 600000, "O-I1");
	tx0 = txcount();
	post_idem(&r, "/v1/invoices/O-SUP-B-I1/true-up", "o-i1-true-up",
	    "{\"paid_on\":\"2025-10-27\"}");
	post_idem(&again, "/v1/invoices/O-SUP-B-I1/true-up", "o-i1-true-up",
	    "{\"paid_on\":\"2025-10-27\"}");
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "true_up"), 600000 - 480000);
	assert_string_equal(r.body, again.body);
	client_free(&r);
	client_free(&again);
	post_idem(&r, "/v1/invoices/O-SUP-B-I1/pay", "o-i1-pay",
	    "{\"paid_on\":\"2025-12-19\"}");
	post_idem(&again, "/v1/invoices/O-SUP-B-I1/pay", "o-i1-pay",
	    "{\"paid_on\":\"2025-12-19\"}");
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, again.body);
	client_free(&r);
	client_free(&again);
	assert_int_equal(txcount(), tx0 + 2);
	assert_int_equal(balance("payable:funder:O-SCH:O-SUP-B"), 0);
	assert_int_equal(balance("payable:supplier:O-SUP-B"), 0);
}

static void
reverse(struct resp *r, const char *what, const char *id)
{
	char	path[128];

	snprintf(path, sizeof(path), "/v1/%s/%s/reverse", what, id);
	post(r, path, treasury(), "{}");
}

/*
 * Each reversal undoes one event: the prepayment of an order without an
 * invoice, an order invoice's true-up and its payment, every balance
 * back where it was; and one that would undo an amount owed back that a
 * later payment has netted is refused.
 */
static void
reversals_step_back_one_event(void **state)
{
	struct resp	r;
	long		tx0, cash0;

	order("O-RV1", "O-SUP-RV", 1000000);
	tx0 = txcount();
	prepay(&r, "O-RV1", "O-SCH", "2025-10-08");
	assert_int_equal(r.status, 201);
	client_free(&r);
	reverse(&r, "orders", "O-RV1");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "open");
	assert_int_equal(client_int(r.json, "prepaid"), 0);
	client_free(&r);
	assert_int_equal(txcount(), tx0 + 2);
	assert_int_equal(balance("prepaid:supplier:O-SUP-RV"), 0);
	assert_int_equal(balance("payable:funder:O-SCH:O-SUP-RV"), 0);
	assert_int_equal(balance("fees:supplier:O-SUP-RV"), 0);
	assert_int_equal(client_sql_long("SELECT count(*) FROM "
	    "ledger_transactions WHERE kind = 'reversal' AND "
	    "order_id = 'O-RV1'"), 1);
	reverse(&r, "orders", "O-RV1");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);

	/* Prepaid again, invoiced 1,200,000, trued up, reversed, again. */
	prepay(&r, "O-RV1", "O-SCH", "2025-10-08");
	assert_int_equal(r.status, 201);
	client_free(&r);
	order_invoice("O-SUP-RV-1", "O-SUP-RV", 1200000, "O-RV1");
	settle(&r, "O-SUP-RV-1", "true-up", "2025-10-27");
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "true_up"), 400000);
	client_free(&r);
	reverse(&r, "invoices", "O-SUP-RV-1");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "approved");
	assert_int_equal(client_int(r.json, "outstanding"), 1200000);
	client_free(&r);
	assert_int_equal(balance("prepaid:supplier:O-SUP-RV"), 800000);
	assert_int_equal(balance("payable:funder:O-SCH:O-SUP-RV"), -800000);
	assert_int_equal(balance("payable:supplier:O-SUP-RV"), -1200000);
	assert_int_equal(balance("fees:supplier:O-SUP-RV"), 10258);
	order_status("O-RV1", "invoiced");
	settle(&r, "O-SUP-RV-1", "true-up", "2025-10-27");
	assert_int_equal(r.status, 201);
	client_free(&r);

	cash0 = balance("cash");
	settle(&r, "O-SUP-RV-1", "pay", "2025-12-19");
	assert_int_equal(r.status, 200);
	client_free(&r);
	order_status("O-RV1", "settled");
	reverse(&r, "orders", "O-RV1");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	reverse(&r, "invoices", "O-SUP-RV-1");
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "status"), "advanced");
	client_free(&r);
	order_status("O-RV1", "invoiced");
	assert_int_equal(balance("cash"), cash0);
	assert_int_equal(balance("payable:funder:O-SCH:O-SUP-RV"), -1200000);
	settle(&r, "O-SUP-RV-1", "pay", "2025-12-19");
	assert_int_equal(r.status, 200);
	client_free(&r);
	assert_int_equal(balance("payable:funder:O-SCH:O-SUP-RV"), 0);
	assert_int_equal(balance("cash"), cash0 - 1200000);

	/* 300,000 owed back on W1, 200,000 of it netted at W2's true-up. */
	order("O-RW1", "O-SUP-RV", 1000000);
	order("O-RW2", "O-SUP-RV", 1000000);
	prepay(&r, "O-RW1", "O-SCH", "2025-10-08");
	client_free(&r);
	prepay(&r, "O-RW2", "O-SCH", "2025-10-08");
	client_free(&r);
	order_invoice("O-SUP-RV-W1", "O-SUP-RV", 500000, "O-RW1");
	order_invoice("O-SUP-RV-W2", "O-SUP-RV", 1000000, "O-RW2");
	settle(&r, "O-SUP-RV-W1", "true-up", "2025-10-27");
	assert_int_equal(client_int(r.json, "owed_back"), 300000);
	client_free(&r);
	settle(&r, "O-SUP-RV-W2", "true-up", "2025-10-27");
	assert_int_equal(client_int(r.json, "netted"), 200000);
	client_free(&r);
	assert_int_equal(owed_back("O-SUP-RV", treasury()), 100000);
	tx0 = txcount();
	reverse(&r, "invoices", "O-SUP-RV-W1");
	client_assert_error(&r, 409, "invalid_transition");
	client_free(&r);
	assert_int_equal(txcount(), tx0);
	reverse(&r, "invoices", "O-SUP-RV-W2");
	assert_int_equal(r.status, 200);
	client_free(&r);
	assert_int_equal(owed_back("O-SUP-RV", treasury()), 300000);
	reverse(&r, "invoices", "O-SUP-RV-W1");
	assert_int_equal(r.status, 200);
	client_free(&r);
	assert_int_equal(owed_back("O-SUP-RV", treasury()), 0);
	assert_int_equal(balance("prepaid:supplier:O-SUP-RV"), 1600000);
	assert_int_equal(balance("payable:supplier:O-SUP-RV"), -1500000);
}

#define RACERS	20

struct racer {
	int	 n;
	long	 status;
	char	 code[64];
};

static void *
race(void *arg)
{
	struct racer	*x = arg;
	struct resp	 r;
	char		 path[96], idem[64];
	const char	*code;

	snprintf(path, sizeof(path), "/v1/orders/O-CC-%02d/prepayment", x->n);
	snprintf(idem, sizeof(idem), "o-cc-%02d", x->n);
	post_idem(&r, path, idem, "{\"scheme_id\":\"O-SCH-FAC\","
	    "\"paid_on\":\"2025-10-08\"}");
	x->status = r.status;
	if (r.json != NULL && (code = client_str(client_item(r.json,
	    "error"), "code")) != NULL)
		snprintf(x->code, sizeof(x->code), "%s", code);
	client_free(&r);
	return (NULL);
}

/* A facility of 4,000,000 holds five prepayments of 800,000 of twenty. */
static void
concurrent_prepayments_respect_the_facility(void **state)
{
	struct racer	x[RACERS];
	pthread_t	th[RACERS];
	char		id[32];
	int		i, ok = 0, over = 0;

	for (i = 0; i < RACERS; i++) {
		snprintf(id, sizeof(id), "O-CC-%02d", i);
		order(id, "O-SUP-CC", 1000000);
	}
	memset(x, 0, sizeof(x));
	for (i = 0; i < RACERS; i++) {
		x[i].n = i;
		assert_int_equal(pthread_create(&th[i], NULL, race, &x[i]), 0);
	}
	for (i = 0; i < RACERS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < RACERS; i++) {
		if (x[i].status == 201)
			ok++;
		else if (x[i].status == 409 &&
		    strcmp(x[i].code, "over_cap") == 0)
			over++;
		else
			fail_msg("racer %d: %ld %s", i, x[i].status, x[i].code);
	}
	assert_int_equal(ok, 5);
	assert_int_equal(over, RACERS - 5);
	assert_int_equal(balance("payable:funder:O-SCH-FAC:O-SUP-CC"),
	    -4000000);
	assert_int_equal(client_sql_long("SELECT count(*) FROM orders WHERE "
	    "id LIKE 'O-CC-%' AND status = 'prepaid'"), 5);
	/* The scheme's total, which the caps read, is its accounts' sum. */
	assert_int_equal(client_sql_long("SELECT funder_payable FROM "
	    "ledger_scheme_outstanding WHERE scheme_id = 'O-SCH-FAC'"),
	    -4000000);
	assert_int_equal(client_sql_long("SELECT count(*) FROM "
	    "ledger_scheme_outstanding o FULL JOIN (SELECT scheme_id, "
	    "sum(balance) AS s FROM ledger_accounts WHERE kind = "
	    "'funder_payable' GROUP BY scheme_id) a USING (scheme_id) "
	    "WHERE o.funder_payable IS DISTINCT FROM a.s"), 0);
}

struct trueup {
	int		 n;
	long		 status;
	long long	 netted;
	long long	 funded;
};

static void *
true_up_one(void *arg)
{
	struct trueup	*x = arg;
	struct resp	 r;
	char		 path[96], idem[64];

	snprintf(path, sizeof(path), "/v1/invoices/O-SUP-N-%d/true-up", x->n);
	snprintf(idem, sizeof(idem), "o-n-%d", x->n);
	post_idem(&r, path, idem, "{\"paid_on\":\"2025-10-27\"}");
	x->status = r.status;
	if (r.status == 201) {
		x->netted = client_int(r.json, "netted");
		x->funded = client_int(r.json, "true_up");
	}
	client_free(&r);
	return (NULL);
}

/*
 * O-SUP-N owes back 300,000; four true-ups of 200,000 each at once net
 * exactly 300,000 between them, and the funder pays the other 500,000.
 */
static void
concurrent_true_ups_net_what_is_owed_once(void **state)
{
	struct trueup	 x[4];
	pthread_t	 th[4];
	struct resp	 r;
	char		 id[32], inv[32];
	long long	 netted = 0, funded = 0;
	int		 i;

	order("O-N0", "O-SUP-N", 1000000);
	prepay(&r, "O-N0", "O-SCH", "2025-10-08");
	client_free(&r);
	order_invoice("O-SUP-N-0", "O-SUP-N", 500000, "O-N0");
	settle(&r, "O-SUP-N-0", "true-up", "2025-10-27");
	assert_int_equal(client_int(r.json, "owed_back"), 300000);
	client_free(&r);
	for (i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "O-N%d", i + 1);
		snprintf(inv, sizeof(inv), "O-SUP-N-%d", i + 1);
		order(id, "O-SUP-N", 1000000);
		prepay(&r, id, "O-SCH", "2025-10-08");
		assert_int_equal(r.status, 201);
		client_free(&r);
		order_invoice(inv, "O-SUP-N", 1000000, id);
	}
	memset(x, 0, sizeof(x));
	for (i = 0; i < 4; i++) {
		x[i].n = i + 1;
		assert_int_equal(pthread_create(&th[i], NULL, true_up_one,
		    &x[i]), 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 4; i++) {
		assert_int_equal(x[i].status, 201);
		assert_int_equal(x[i].netted + x[i].funded, 200000);
		netted += x[i].netted;
		funded += x[i].funded;
	}
	assert_int_equal(netted, 300000);
	assert_int_equal(funded, 500000);
	assert_int_equal(balance("receivable:supplier:O-SUP-N"), 0);
	assert_int_equal(balance("payable:supplier:O-SUP-N"), 0);
	assert_int_equal(balance("payable:funder:O-SCH:O-SUP-N"),
	    -(5 * 800000 + 500000));
}

static void
suppliers_see_only_their_own(void **state)
{
	struct resp	 r, missing;
	const cJSON	*it;
	int		 n = 0;

	order("O-V1", "O-SUP-A", 5000);
	order("O-V2", "O-SUP-B", 5000);
	client_get(&r, "/v1/orders/O-V1", sup_key);
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "supplier_id"), "O-SUP-A");
	client_free(&r);

	client_get(&r, "/v1/orders/O-V1", other_key);
	client_get(&missing, "/v1/orders/O-NO-SUCH", other_key);
	client_assert_error(&r, 404, "not_found");
	assert_string_equal(strchr(r.body, '{'), strchr(missing.body, '{'));
	client_free(&r);
	client_free(&missing);

	client_get(&r, "/v1/orders?supplier_id=O-SUP-A", other_key);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);

	client_get(&r, "/v1/orders?limit=1000", sup_key);
	assert_int_equal(r.status, 200);
	cJSON_ArrayForEach(it, client_item(r.json, "items")) {
		assert_string_equal(client_str(it, "supplier_id"), "O-SUP-A");
		n++;
	}
	assert_true(n >= 1);
	client_free(&r);

	/* Treasury filters, pages and reads CSV. */
	client_get(&r, "/v1/orders?supplier_id=O-SUP-B&limit=1", treasury());
	assert_int_equal(r.status, 200);
	assert_int_equal(cJSON_GetArraySize(client_item(r.json, "items")), 1);
	assert_true(cJSON_IsString(client_item(r.json, "next_cursor")));
	client_free(&r);
	client_get(&r, "/v1/orders?supplier_id=O-SUP-B&status=open",
	    treasury());
	assert_int_equal(r.status, 200);
	assert_int_equal(cJSON_GetArraySize(client_item(r.json, "items")), 1);
	assert_string_equal(client_str(cJSON_GetArrayItem(client_item(r.json,
	    "items"), 0), "id"), "O-V2");
	client_free(&r);
	client_get(&r, "/v1/orders?status=bogus", treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_call_with(&r, "GET", "/v1/orders?supplier_id=O-SUP-B",
	    treasury(), NULL, NULL, 0, "Accept: text/csv");
	assert_int_equal(r.status, 200);
	assert_true(strncmp(r.body, "id,supplier_id,amount,currency,"
	    "order_date,delivery_date,status,", 52) == 0);
	assert_non_null(strstr(r.body, "\r\nO-V2,O-SUP-B,5000,GBP,"
	    "2025-10-01,2025-10-20,open,"));
	client_free(&r);
}

static void
roles_are_enforced(void **state)
{
	static const char *const posts[] = {
		"/v1/orders", "/v1/orders/O-V1/prepayment",
		"/v1/orders/O-V1/reverse", "/v1/invoices/O-SUP-A-1/true-up",
	};
	struct resp	r;
	size_t		i;

	for (i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
		client_post_json(&r, posts[i], sup_key, "{}");
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
		client_post_json(&r, posts[i], gov_key, "{}");
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
		client_post_json(&r, posts[i], NULL, "{}");
		assert_int_equal(r.status, 401);
		client_free(&r);
	}
	client_get(&r, "/v1/orders", gov_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_get(&r, "/v1/orders/O-V1", gov_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_get(&r, "/v1/orders/O-V1", NULL);
	assert_int_equal(r.status, 401);
	client_free(&r);
	/* Unknown fields and bad values are 422, and write nothing. */
	post(&r, "/v1/orders", treasury(), "{\"id\":\"O-BAD\",\"supplier_id\":"
	    "\"O-SUP-A\",\"amount\":0,\"currency\":\"EUR\",\"order_date\":"
	    "\"2025-10-21\",\"delivery_date\":\"2025-10-20\",\"x\":1}");
	client_assert_error(&r, 422, "validation_failed");
	assert_int_equal(cJSON_GetArraySize(client_item(client_item(r.json,
	    "error"), "details")), 4);
	client_free(&r);
	post(&r, "/v1/orders", treasury(), "{\"id\":\"O-BAD\",\"supplier_id\":"
	    "\"O-NO-SUCH\",\"amount\":5,\"currency\":\"GBP\",\"order_date\":"
	    "\"2025-10-01\",\"delivery_date\":\"2025-10-20\"}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	assert_int_equal(client_sql_long("SELECT count(*) FROM orders WHERE "
	    "id = 'O-BAD'"), 0);
}

static void
service_role_cannot_write_orders(void **state)
{
	static const char *const sql[] = {
		"UPDATE orders SET prepaid = 1",
		"INSERT INTO orders (id, supplier_id, amount, currency, "
		    "order_date, delivery_date) VALUES ('O-Z', 'O-SUP-A', 1, "
		    "'GBP', '2025-10-01', '2025-10-01')",
		"DELETE FROM orders",
		"UPDATE invoices SET order_id = NULL",
	};
	char	cmd[1024];
	size_t	i;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s -c \"%s\" >/dev/null 2>&1",
		    client_env("TIDEOVER_PSQL_APP"), sql[i]);
		assert_int_not_equal(system(cmd), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(life_cycle_larger_invoice, verified),
		cmocka_unit_test_teardown(
		    smaller_invoice_is_owed_back_and_netted, verified),
		cmocka_unit_test_teardown(
		    owed_back_is_netted_from_invoice_payments, verified),
		cmocka_unit_test_teardown(refusals_change_nothing, verified),
		cmocka_unit_test_teardown(retries_pay_nothing_twice, verified),
		cmocka_unit_test_teardown(reversals_step_back_one_event,
		    verified),
		cmocka_unit_test_teardown(
		    concurrent_prepayments_respect_the_facility, verified),
		cmocka_unit_test_teardown(
		    concurrent_true_ups_net_what_is_owed_once, verified),
		cmocka_unit_test_teardown(suppliers_see_only_their_own,
		    verified),
		cmocka_unit_test_teardown(roles_are_enforced, verified),
		cmocka_unit_test_teardown(service_role_cannot_write_orders,
		    verified),
	};

	return (cmocka_run_group_tests_name("api_orders", tests, setup,
	    teardown));
}
