/*
 * Schemes against the real server: creation with every field of the
 * liquidity model, idempotency by id, validation, reads by all three
 * roles, paging, and immutability (405 on every method that would change
 * one, and no UPDATE or DELETE for the service role in the database).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "client.h"

static char	 prefix[32];
static char	*supplier_key;
static char	*gov_key;

static const char *
treasury(void)
{
	return (client_env("TIDEOVER_TREASURY_KEY"));
}

static const char *
sid(const char *name)
{
	static char	buf[8][192];
	static int	slot;

	slot = (slot + 1) % 8;
	snprintf(buf[slot], sizeof(buf[slot]), "%s%s", prefix, name);
	return (buf[slot]);
}

/* The liquidity model's worked example under this run's id. */
static void
body(char *b, size_t len, const char *id, int rate)
{
	snprintf(b, len, "{\"id\":\"%s\",\"name\":\"Restart bridge\","
	    "\"effective_from\":\"2025-10-07\",\"payment_lag_days\":2,"
	    "\"advance_rate_bps\":9000,\"annual_rate_bps\":%d,"
	    "\"day_count_basis\":365,\"fee_bearer\":\"supplier\","
	    "\"eligible_tiers\":[2,1],\"requires_opt_in\":true,"
	    "\"facility_limit\":5000000}", id, rate);
}

static long
count_like(const char *id)
{
	char	sql[256];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM schemes WHERE id "
	    "LIKE '%s%%'", id);
	return (client_sql_long(sql));
}

static const cJSON *
detail(const struct resp *r, const char *field)
{
	const cJSON	*d, *f;

	d = client_item(client_item(r->json, "error"), "details");
	cJSON_ArrayForEach(f, d) {
		if (client_str(f, "field") != NULL &&
		    strcmp(client_str(f, "field"), field) == 0 &&
		    client_str(f, "problem") != NULL)
			return (f);
	}
	return (NULL);
}

static int
setup(void **state)
{
	char	sql[1024];

	snprintf(prefix, sizeof(prefix), "TSC%ld-", (long)getpid());
	/* A supplier key needs its supplier. */
	snprintf(sql, sizeof(sql), "INSERT INTO suppliers (id, name, tier, "
	    "region, sector, employees, currency, cash, credit_available, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days) VALUES ('%sSUP', "
	    "'Reader', 1, 'Wales', 'glass', 5, 'GBP', 0, 0, 0, 0, 0, 0, 60)",
	    prefix);
	if (client_sql(sql) != 0)
		return (-1);
	return (0);
}

static void
keys(void)
{
	if (supplier_key == NULL)
		supplier_key = client_new_key("supplier", sid("SUP"));
	if (gov_key == NULL)
		gov_key = client_new_key("government", NULL);
}

static void
create_repeat_and_conflict(void **state)
{
	struct resp	 r;
	const cJSON	*tiers;
	char		 b[1024];
	const char	*id = sid("BRIDGE");

	body(b, sizeof(b), id, 650);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "id"), id);
	assert_string_equal(client_str(r.json, "effective_from"),
	    "2025-10-07");
	assert_int_equal(client_int(r.json, "payment_lag_days"), 2);
	assert_int_equal(client_int(r.json, "advance_rate_bps"), 9000);
	assert_int_equal(client_int(r.json, "annual_rate_bps"), 650);
	assert_int_equal(client_int(r.json, "day_count_basis"), 365);
	assert_string_equal(client_str(r.json, "fee_bearer"), "supplier");
	tiers = client_item(r.json, "eligible_tiers");
	assert_int_equal(cJSON_GetArraySize(tiers), 2);
	assert_int_equal(cJSON_GetArrayItem(tiers, 0)->valueint, 1);
	assert_int_equal(cJSON_GetArrayItem(tiers, 1)->valueint, 2);
	assert_true(cJSON_IsNull(client_item(r.json, "max_employees")));
	assert_int_equal(client_int(r.json, "min_invoice_amount"), 0);
	assert_true(cJSON_IsTrue(client_item(r.json, "requires_opt_in")));
	assert_true(cJSON_IsNull(client_item(r.json, "per_supplier_cap")));
	assert_int_equal(client_int(r.json, "facility_limit"), 5000000);
	assert_non_null(client_str(r.json, "created_at"));
	client_free(&r);

	/* The same fields again (tiers in any order): 200. */
	client_post_json(&r, "/v1/schemes", treasury(), b);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "annual_rate_bps"), 650);
	client_free(&r);

	/* Another rate under the same id: 409, and nothing changes. */
	body(b, sizeof(b), id, 700);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	client_assert_error(&r, 409, "conflict");
	assert_non_null(detail(&r, "annual_rate_bps"));
	client_free(&r);
	assert_int_equal(count_like(id), 1);
	assert_int_equal(client_sql_long("SELECT count(*) FROM schemes WHERE "
	    "annual_rate_bps = 700 AND id LIKE 'TSC%'"), 0);
}

static void
validation_lists_every_problem(void **state)
{
	struct resp	r;
	char		b[1024];

	snprintf(b, sizeof(b), "{\"id\":\"%s\",\"name\":\"x\","
	    "\"effective_from\":\"2025-02-29\",\"payment_lag_days\":-1,"
	    "\"advance_rate_bps\":0,\"annual_rate_bps\":100001,"
	    "\"day_count_basis\":364,\"fee_bearer\":\"bank\","
	    "\"eligible_tiers\":[],\"max_employees\":-1,"
	    "\"min_invoice_amount\":-1,\"requires_opt_in\":\"no\","
	    "\"per_supplier_cap\":-1,\"facility_limit\":1.5,"
	    "\"funder\":\"x\"}", sid("BAD"));
	client_post_json(&r, "/v1/schemes", treasury(), b);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "effective_from"));
	assert_non_null(detail(&r, "payment_lag_days"));
	assert_non_null(detail(&r, "advance_rate_bps"));
	assert_non_null(detail(&r, "annual_rate_bps"));
	assert_non_null(detail(&r, "day_count_basis"));
	assert_non_null(detail(&r, "fee_bearer"));
	assert_non_null(detail(&r, "eligible_tiers"));
	assert_non_null(detail(&r, "max_employees"));
	assert_non_null(detail(&r, "min_invoice_amount"));
	assert_non_null(detail(&r, "requires_opt_in"));
	assert_non_null(detail(&r, "per_supplier_cap"));
	assert_non_null(detail(&r, "facility_limit"));
	assert_non_null(detail(&r, "funder"));
	assert_int_equal(cJSON_GetArraySize(client_item(client_item(r.json,
	    "error"), "details")), 13);
	client_free(&r);
	assert_int_equal(count_like(sid("BAD")), 0);
}

/*
 * The order basis: its two day counts come with it and only with it, it
 * finances the OEM's own suppliers only, and a scheme without it is
 * invoice-basis.
 */
static void
order_basis(void **state)
{
	struct resp	 r;
	char		 b[1024], base[512];
	const char	*id = sid("ORDER");

	snprintf(base, sizeof(base), "\"name\":\"Prepay\","
	    "\"effective_from\":\"2025-10-07\",\"payment_lag_days\":2,"
	    "\"advance_rate_bps\":8000,\"annual_rate_bps\":500,"
	    "\"day_count_basis\":365,\"fee_bearer\":\"oem\","
	    "\"eligible_tiers\":[1]");
	snprintf(b, sizeof(b), "{\"id\":\"%s\",%s,\"basis\":\"order\","
	    "\"order_lead_days\":30,\"true_up_lag_days\":3}", id, base);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "basis"), "order");
	assert_int_equal(client_int(r.json, "order_lead_days"), 30);
	assert_int_equal(client_int(r.json, "true_up_lag_days"), 3);
	assert_string_equal(client_str(r.json, "covers"), "oem");
	client_free(&r);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	assert_int_equal(r.status, 200);
	client_free(&r);

	/* Another lead time under the same id: 409. */
	snprintf(b, sizeof(b), "{\"id\":\"%s\",%s,\"basis\":\"order\","
	    "\"order_lead_days\":31,\"true_up_lag_days\":3}", id, base);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	client_assert_error(&r, 409, "conflict");
	assert_non_null(detail(&r, "order_lead_days"));
	client_free(&r);

	/* The invoice basis by default, its day counts null. */
	snprintf(b, sizeof(b), "{\"id\":\"%s\",%s}", sid("INVOICE"), base);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "basis"), "invoice");
	assert_true(cJSON_IsNull(client_item(r.json, "order_lead_days")));
	assert_true(cJSON_IsNull(client_item(r.json, "true_up_lag_days")));
	client_free(&r);

	/* The order basis without its day counts. */
	snprintf(b, sizeof(b), "{\"id\":\"%s\",%s,\"basis\":\"order\"}",
	    sid("NODAYS"), base);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "order_lead_days"));
	assert_non_null(detail(&r, "true_up_lag_days"));
	client_free(&r);

	/* Day counts without the order basis; a basis that is neither. */
	snprintf(b, sizeof(b), "{\"id\":\"%s\",%s,\"order_lead_days\":30,"
	    "\"true_up_lag_days\":null}", sid("DAYS"), base);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "order_lead_days"));
	assert_int_equal(cJSON_GetArraySize(client_item(client_item(r.json,
	    "error"), "details")), 1);
	client_free(&r);
	snprintf(b, sizeof(b), "{\"id\":\"%s\",%s,\"basis\":\"po\"}",
	    sid("PO"), base);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "basis"));
	client_free(&r);

	/* Out of range, and on every tier's invoices. */
	snprintf(b, sizeof(b), "{\"id\":\"%s\",%s,\"basis\":\"order\","
	    "\"order_lead_days\":366,\"true_up_lag_days\":-1,"
	    "\"covers\":\"all\"}", sid("DEEP"), base);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "order_lead_days"));
	assert_non_null(detail(&r, "true_up_lag_days"));
	assert_non_null(detail(&r, "covers"));
	assert_int_equal(cJSON_GetArraySize(client_item(client_item(r.json,
	    "error"), "details")), 3);
	client_free(&r);
	assert_int_equal(count_like(sid("NODAYS")) + count_like(sid("DAYS")) +
	    count_like(sid("PO")) + count_like(sid("DEEP")), 0);

	/* The database holds the same rules. */
	assert_int_not_equal(client_sql("INSERT INTO schemes (id, name, "
	    "effective_from, payment_lag_days, advance_rate_bps, "
	    "annual_rate_bps, day_count_basis, fee_bearer, eligible_tiers, "
	    "basis) VALUES ('TSC-SQL', 'x', '2025-10-07', 0, 1, 0, 365, "
	    "'oem', '{1}', 'order')"), 0);
}

static void
every_role_reads(void **state)
{
	const char	*who[3];
	struct resp	 r;
	char		 b[1024], path[256];
	int		 i;
	const char	*id = sid("READ");

	keys();
	who[0] = treasury();
	who[1] = supplier_key;
	who[2] = gov_key;
	body(b, sizeof(b), id, 500);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	assert_int_equal(r.status, 201);
	client_free(&r);

	snprintf(path, sizeof(path), "/v1/schemes/%s", id);
	for (i = 0; i < 3; i++) {
		client_get(&r, path, who[i]);
		assert_int_equal(r.status, 200);
		assert_string_equal(client_str(r.json, "id"), id);
		assert_int_equal(client_int(r.json, "annual_rate_bps"), 500);
		client_free(&r);
		client_get(&r, "/v1/schemes?limit=1000", who[i]);
		assert_int_equal(r.status, 200);
		assert_true(cJSON_GetArraySize(client_item(r.json, "items")) >=
		    1);
		client_free(&r);
		client_get(&r, "/v1/schemes/NO-SUCH-SCHEME", who[i]);
		client_assert_error(&r, 404, "not_found");
		client_free(&r);
	}
}

static void
list_pages_in_id_order(void **state)
{
	struct resp	 r;
	const cJSON	*it, *next;
	char		 b[1024], path[1024], last[128], name[16];
	int		 i, seen, total, pages;

	for (i = 3; i >= 1; i--) {
		snprintf(name, sizeof(name), "PAGE-%d", i);
		body(b, sizeof(b), sid(name), 100 + i);
		client_post_json(&r, "/v1/schemes", treasury(), b);
		assert_int_equal(r.status, 201);
		client_free(&r);
	}
	last[0] = '\0';
	seen = total = 0;
	snprintf(path, sizeof(path), "/v1/schemes?limit=2");
	for (pages = 0; pages < 1000; pages++) {
		client_get(&r, path, treasury());
		assert_int_equal(r.status, 200);
		cJSON_ArrayForEach(it, client_item(r.json, "items")) {
			/* Strictly increasing by bytes: a stable order. */
			assert_true(strcmp(last, client_str(it, "id")) < 0);
			snprintf(last, sizeof(last), "%s",
			    client_str(it, "id"));
			if (strncmp(last, sid("PAGE-"), strlen(sid("PAGE-")))
			    == 0) {
				assert_int_equal(last[strlen(last) - 1],
				    '1' + seen);
				seen++;
			}
			total++;
		}
		next = client_item(r.json, "next_cursor");
		if (cJSON_IsNull(next)) {
			client_free(&r);
			break;
		}
		snprintf(path, sizeof(path), "/v1/schemes?limit=2&cursor=%s",
		    next->valuestring);
		client_free(&r);
	}
	assert_int_equal(seen, 3);
	assert_int_equal(total, client_sql_long("SELECT count(*) FROM "
	    "schemes"));
}

static void
schemes_are_immutable(void **state)
{
	static const char *const methods[] = { "PATCH", "PUT", "DELETE" };
	struct resp	 r;
	char		 b[1024], path[256], cmd[1024];
	size_t		 i;
	const char	*id = sid("FIXED");

	keys();
	body(b, sizeof(b), id, 650);
	client_post_json(&r, "/v1/schemes", treasury(), b);
	assert_int_equal(r.status, 201);
	client_free(&r);

	snprintf(path, sizeof(path), "/v1/schemes/%s", id);
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		client_call(&r, methods[i], path, treasury(),
		    "application/json", "{\"annual_rate_bps\":1}", 21);
		client_assert_error(&r, 405, "method_not_allowed");
		assert_string_equal(r.allow, "GET");
		client_free(&r);
	}
	client_call(&r, "DELETE", "/v1/schemes", treasury(), NULL, NULL, 0);
	client_assert_error(&r, 405, "method_not_allowed");
	client_free(&r);
	client_get(&r, path, treasury());
	assert_int_equal(client_int(r.json, "annual_rate_bps"), 650);
	client_free(&r);

	/* Only treasury creates them. */
	body(b, sizeof(b), sid("OTHER"), 650);
	client_post_json(&r, "/v1/schemes", supplier_key, b);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_post_json(&r, "/v1/schemes", gov_key, b);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	assert_int_equal(count_like(sid("OTHER")), 0);

	/* Nor can the service itself change one behind the API's back. */
	snprintf(cmd, sizeof(cmd), "%s -c \"UPDATE schemes SET "
	    "annual_rate_bps = 1 WHERE id = '%s'\" >/dev/null 2>&1",
	    client_env("TIDEOVER_PSQL_APP"), id);
	assert_int_not_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s -c \"DELETE FROM schemes WHERE id = "
	    "'%s'\" >/dev/null 2>&1", client_env("TIDEOVER_PSQL_APP"), id);
	assert_int_not_equal(system(cmd), 0);
	assert_int_equal(count_like(id), 1);
}

static int
teardown(void **state)
{
	free(supplier_key);
	free(gov_key);
	return (0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_repeat_and_conflict),
		cmocka_unit_test(validation_lists_every_problem),
		cmocka_unit_test(order_basis),
		cmocka_unit_test(every_role_reads),
		cmocka_unit_test(list_pages_in_id_order),
		cmocka_unit_test(schemes_are_immutable),
	};

	return (cmocka_run_group_tests_name("api_schemes", tests, setup,
	    teardown));
}
