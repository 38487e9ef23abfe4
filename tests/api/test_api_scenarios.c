/*
 * Scenarios against the real server: creation with announcements and
 * their outage lengths, idempotency by id, validation listing every
 * problem, reads by treasury and government, 403 for suppliers, paging,
 * and immutability (405 on every method that would change one).
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

/* The jlr-2025 shape under this run's id; relief varies the fields. */
static void
body(char *b, size_t len, const char *id, int relief)
{
	snprintf(b, len, "{\"id\":\"%s\",\"name\":\"Cyber stop\","
	    "\"start_date\":\"2025-09-01\",\"horizon_days\":120,"
	    "\"ramp_bps\":[2500,5000,7500],\"payment_freeze_days\":21,"
	    "\"fixed_cost_relief_bps\":%d,\"announcements\":["
	    "{\"announced_on\":\"2025-09-16\",\"restart_date\":\"2025-09-24\","
	    "\"note\":\"extended\"},"
	    "{\"announced_on\":\"2025-09-23\",\"restart_date\":\"2025-10-01\","
	    "\"note\":\"extended again\"},"
	    "{\"announced_on\":\"2025-10-07\",\"restart_date\":\"2025-10-08\"}"
	    "]}", id, relief);
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

	snprintf(prefix, sizeof(prefix), "TSN%ld-", (long)getpid());
	snprintf(sql, sizeof(sql), "INSERT INTO suppliers (id, name, tier, "
	    "region, sector, employees, currency, cash, credit_available, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days) VALUES ('%sSUP', "
	    "'Reader', 1, 'Wales', 'glass', 5, 'GBP', 0, 0, 0, 0, 0, 0, 60)",
	    prefix);
	if (client_sql(sql) != 0)
		return (-1);
	supplier_key = NULL;
	gov_key = NULL;
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
check_jlr(const cJSON *s, const char *id, int relief)
{
	const cJSON	*ann, *a, *ramp;

	assert_string_equal(client_str(s, "id"), id);
	assert_string_equal(client_str(s, "name"), "Cyber stop");
	assert_string_equal(client_str(s, "start_date"), "2025-09-01");
	assert_int_equal(client_int(s, "horizon_days"), 120);
	ramp = client_item(s, "ramp_bps");
	assert_int_equal(cJSON_GetArraySize(ramp), 3);
	assert_int_equal(cJSON_GetArrayItem(ramp, 2)->valuedouble, 7500);
	assert_int_equal(client_int(s, "payment_freeze_days"), 21);
	assert_int_equal(client_int(s, "fixed_cost_relief_bps"), relief);
	assert_non_null(client_str(s, "created_at"));
	ann = client_item(s, "announcements");
	assert_int_equal(cJSON_GetArraySize(ann), 3);
	a = cJSON_GetArrayItem(ann, 0);
	assert_string_equal(client_str(a, "announced_on"), "2025-09-16");
	assert_string_equal(client_str(a, "restart_date"), "2025-09-24");
	assert_string_equal(client_str(a, "note"), "extended");
	assert_int_equal(client_int(a, "outage_days"), 23);
	assert_int_equal(client_int(cJSON_GetArrayItem(ann, 1),
	    "outage_days"), 30);
	a = cJSON_GetArrayItem(ann, 2);
	assert_int_equal(client_int(a, "outage_days"), 37);
	assert_string_equal(client_str(a, "note"), "");
}

static void
create_repeat_and_conflict(void **state)
{
	struct resp	 r;
	char		 b[2048], path[256];
	const char	*id = sid("JLR");

	body(b, sizeof(b), id, 2500);
	client_post_json(&r, "/v1/scenarios", treasury(), b);
	assert_int_equal(r.status, 201);
	assert_true(r.request_id[0] != '\0');
	check_jlr(r.json, id, 2500);
	client_free(&r);

	/* The same again: 200 with the stored scenario. */
	client_post_json(&r, "/v1/scenarios", treasury(), b);
	assert_int_equal(r.status, 200);
	check_jlr(r.json, id, 2500);
	client_free(&r);

	/* Another field: 409 naming it, nothing changed. */
	body(b, sizeof(b), id, 0);
	client_post_json(&r, "/v1/scenarios", treasury(), b);
	client_assert_error(&r, 409, "conflict");
	assert_non_null(detail(&r, "fixed_cost_relief_bps"));
	client_free(&r);

	snprintf(path, sizeof(path), "/v1/scenarios/%s", id);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	check_jlr(r.json, id, 2500);
	client_free(&r);
}

/* Defaults: horizon 180, no ramp, no freeze, no relief, no announcements. */
static void
defaults(void **state)
{
	struct resp	 r;
	char		 b[512];

	snprintf(b, sizeof(b), "{\"id\":\"%s\",\"name\":\"Bare\","
	    "\"start_date\":\"2025-09-01\"}", sid("BARE"));
	client_post_json(&r, "/v1/scenarios", treasury(), b);
	assert_int_equal(r.status, 201);
	assert_int_equal(client_int(r.json, "horizon_days"), 180);
	assert_int_equal(cJSON_GetArraySize(client_item(r.json, "ramp_bps")),
	    0);
	assert_int_equal(client_int(r.json, "payment_freeze_days"), 0);
	assert_int_equal(client_int(r.json, "fixed_cost_relief_bps"), 0);
	assert_int_equal(cJSON_GetArraySize(client_item(r.json,
	    "announcements")), 0);
	client_free(&r);
}

static long
count_like(const char *id)
{
	char	sql[256];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM scenarios WHERE id "
	    "LIKE '%s%%'", id);
	return (client_sql_long(sql));
}

static void
validation_lists_every_problem(void **state)
{
	struct resp	 r;
	char		 b[2048];

	snprintf(b, sizeof(b), "{\"id\":\"%s\",\"name\":\"\","
	    "\"start_date\":\"2025-02-30\",\"horizon_days\":731,"
	    "\"ramp_bps\":[5000,10001],\"payment_freeze_days\":-1,"
	    "\"fixed_cost_relief_bps\":10001,\"colour\":\"red\","
	    "\"announcements\":[{\"announced_on\":\"x\","
	    "\"restart_date\":\"2025-09-01\",\"extra\":1},7]}", sid("BAD"));
	client_post_json(&r, "/v1/scenarios", treasury(), b);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "name"));
	assert_non_null(detail(&r, "start_date"));
	assert_non_null(detail(&r, "horizon_days"));
	assert_non_null(detail(&r, "ramp_bps"));
	assert_non_null(detail(&r, "payment_freeze_days"));
	assert_non_null(detail(&r, "fixed_cost_relief_bps"));
	assert_non_null(detail(&r, "colour"));
	assert_non_null(detail(&r, "announcements[0].announced_on"));
	assert_non_null(detail(&r, "announcements[0].extra"));
	assert_non_null(detail(&r, "announcements[1]"));
	client_free(&r);

	/* Restarts against the start and the horizon; freeze past it. */
	snprintf(b, sizeof(b), "{\"id\":\"%s\",\"name\":\"n\","
	    "\"start_date\":\"2025-09-01\",\"horizon_days\":30,"
	    "\"payment_freeze_days\":31,\"announcements\":["
	    "{\"announced_on\":\"2025-08-20\",\"restart_date\":\"2025-08-31\"},"
	    "{\"announced_on\":\"2025-08-20\",\"restart_date\":\"2025-10-01\"},"
	    "{\"announced_on\":\"2025-08-20\",\"restart_date\":\"2025-10-02\"},"
	    "{\"announced_on\":\"2025-08-20\",\"restart_date\":\"2025-09-01\","
	    "\"note\":5}]}", sid("BAD"));
	client_post_json(&r, "/v1/scenarios", treasury(), b);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "payment_freeze_days"));
	assert_non_null(detail(&r, "announcements[0].restart_date"));
	assert_null(detail(&r, "announcements[1].restart_date"));
	assert_non_null(detail(&r, "announcements[2].restart_date"));
	assert_non_null(detail(&r, "announcements[3].note"));
	assert_int_equal(cJSON_GetArraySize(client_item(client_item(r.json,
	    "error"), "details")), 4);
	client_free(&r);

	/* Missing fields, a ramp too long, a bad id. */
	client_post_json(&r, "/v1/scenarios", treasury(), "{}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "id"));
	assert_non_null(detail(&r, "name"));
	assert_non_null(detail(&r, "start_date"));
	client_free(&r);

	client_post_json(&r, "/v1/scenarios", treasury(), "{\"id\":\"a b\","
	    "\"name\":\"n\",\"start_date\":\"2025-09-01\",\"ramp_bps\":7,"
	    "\"announcements\":{}}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "id"));
	assert_non_null(detail(&r, "ramp_bps"));
	assert_non_null(detail(&r, "announcements"));
	client_free(&r);

	client_post_json(&r, "/v1/scenarios", treasury(), "{\"id\":");
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);

	assert_int_equal(count_like(sid("BAD")), 0);
}

static void
roles(void **state)
{
	struct resp	 r;
	char		 b[2048], path[256];

	keys();
	body(b, sizeof(b), sid("ROLES"), 0);
	client_post_json(&r, "/v1/scenarios", gov_key, b);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_post_json(&r, "/v1/scenarios", supplier_key, b);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_post_json(&r, "/v1/scenarios", NULL, b);
	client_assert_error(&r, 401, "unauthorized");
	client_free(&r);
	assert_int_equal(count_like(sid("ROLES")), 0);

	client_post_json(&r, "/v1/scenarios", treasury(), b);
	assert_int_equal(r.status, 201);
	client_free(&r);

	snprintf(path, sizeof(path), "/v1/scenarios/%s", sid("ROLES"));
	client_get(&r, path, gov_key);
	assert_int_equal(r.status, 200);
	check_jlr(r.json, sid("ROLES"), 0);
	client_free(&r);
	client_get(&r, path, supplier_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_get(&r, "/v1/scenarios", supplier_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_get(&r, "/v1/scenarios", gov_key);
	assert_int_equal(r.status, 200);
	client_free(&r);

	client_get(&r, "/v1/scenarios/no-such-scenario-here", treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, "/v1/scenarios/bad%20id", gov_key);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
}

static void
immutable(void **state)
{
	static const char *const	 methods[] = { "PATCH", "PUT", "DELETE" };
	struct resp			 r;
	char				 b[2048], path[256];
	size_t				 i;

	body(b, sizeof(b), sid("FIXED"), 0);
	client_post_json(&r, "/v1/scenarios", treasury(), b);
	assert_int_equal(r.status, 201);
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/scenarios/%s", sid("FIXED"));
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		client_call(&r, methods[i], path, treasury(),
		    "application/json", "{\"name\":\"x\"}", 12);
		client_assert_error(&r, 405, "method_not_allowed");
		assert_non_null(strstr(r.allow, "GET"));
		client_free(&r);
	}
	client_call(&r, "DELETE", "/v1/scenarios", treasury(), NULL, NULL, 0);
	client_assert_error(&r, 405, "method_not_allowed");
	client_free(&r);
	/* Nor can the service itself change one behind the API's back. */
	snprintf(b, sizeof(b), "%s -c \"UPDATE scenarios SET horizon_days = "
	    "1 WHERE id = '%s'\" >/dev/null 2>&1",
	    client_env("TIDEOVER_PSQL_APP"), sid("FIXED"));
	assert_int_not_equal(system(b), 0);
	snprintf(b, sizeof(b), "%s -c \"DELETE FROM scenario_announcements "
	    "WHERE scenario_id = '%s'\" >/dev/null 2>&1",
	    client_env("TIDEOVER_PSQL_APP"), sid("FIXED"));
	assert_int_not_equal(system(b), 0);
}

/* Pages of one, in id order, reach every scenario of this run. */
static void
paging(void **state)
{
	struct resp	 r;
	char		 b[2048], path[512];
	const char	*next;
	const cJSON	*it;
	int		 i, mine;
	char		 last[128];

	for (i = 0; i < 3; i++) {
		snprintf(last, sizeof(last), "PAGE%d", i);
		body(b, sizeof(b), sid(last), i);
		client_post_json(&r, "/v1/scenarios", treasury(), b);
		assert_int_equal(r.status, 201);
		client_free(&r);
	}
	snprintf(path, sizeof(path), "/v1/scenarios?limit=1");
	mine = 0;
	last[0] = '\0';
	for (i = 0; i < 1000; i++) {
		client_get(&r, path, treasury());
		assert_int_equal(r.status, 200);
		assert_true(cJSON_GetArraySize(client_item(r.json,
		    "items")) <= 1);
		cJSON_ArrayForEach(it, client_item(r.json, "items")) {
			assert_true(strcmp(client_str(it, "id"), last) > 0);
			snprintf(last, sizeof(last), "%s",
			    client_str(it, "id"));
			if (strncmp(last, sid("PAGE"), strlen(sid("PAGE"))) ==
			    0) {
				mine++;
				assert_int_equal(cJSON_GetArraySize(
				    client_item(it, "announcements")), 3);
			}
		}
		next = client_str(r.json, "next_cursor");
		if (next == NULL) {
			client_free(&r);
			break;
		}
		snprintf(path, sizeof(path), "/v1/scenarios?limit=1&cursor=%s",
		    next);
		client_free(&r);
	}
	assert_int_equal(mine, 3);

	client_get(&r, "/v1/scenarios?limit=0", treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_get(&r, "/v1/scenarios?cursor=%%%", treasury());
	assert_int_equal(r.status, 400);
	client_free(&r);
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
		cmocka_unit_test(defaults),
		cmocka_unit_test(validation_lists_every_problem),
		cmocka_unit_test(roles),
		cmocka_unit_test(immutable),
		cmocka_unit_test(paging),
	};

	return (cmocka_run_group_tests_name("api_scenarios", tests, setup,
	    teardown));
}
