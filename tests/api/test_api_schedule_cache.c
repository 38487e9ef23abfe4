/*
 * The worker's cache of stress run snapshots behind payment schedules,
 * against the real server, on one connection (so one worker): a run
 * under a scheme whose facility limit couples every supplier. The first
 * call loads the snapshot, later ones are served from the cache with
 * the same bytes; the snapshot is then changed behind the service's
 * back (as no writer can), which a cached reply does not see, until the
 * run's inputs_digest changes too, as when the database is rebuilt
 * under a running service: the next call loads afresh. A run that is
 * gone is 404, whatever the cache holds.
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
static char	*key;
static long	 run_id;

static const char *
treasury(void)
{
	return (client_env("TIDEOVER_TREASURY_KEY"));
}

static void
post_ok(const char *path, const char *body, long *id)
{
	struct resp	r;

	client_post_json(&r, path, treasury(), body);
	if (r.status != 201 && r.status != 200)
		fprintf(stderr, "%s: %ld %s\n", path, r.status, r.body);
	assert_true(r.status == 201 || r.status == 200);
	if (id != NULL)
		*id = (long)client_int(r.json, "id");
	client_free(&r);
}

/*
 * Suppliers A and B, each with cash 1,000,000, fixed costs 10,000 a
 * day and two invoices of 50,000 due late in September; a scheme from
 * 2 September advancing 90 % within a facility of 100,000, shared by
 * every tier 1 supplier in the run's snapshot (the other tests' too).
 */
static int
setup(void **state)
{
	char	b[1024];
	int	i, j;

	snprintf(prefix, sizeof(prefix), "TSC%ld-", (long)getpid());
	for (i = 0; i < 2; i++) {
		snprintf(b, sizeof(b), "{\"id\":\"%s%c\",\"name\":\"Firm\","
		    "\"tier\":1,\"region\":\"Wales\",\"sector\":\"glass\","
		    "\"employees\":12,\"currency\":\"GBP\",\"cash\":1000000,"
		    "\"credit_available\":0,\"fixed_daily_costs\":10000,"
		    "\"oem_daily_sales\":0,\"variable_cost_bps\":0,"
		    "\"other_daily_receipts\":0,\"payment_terms_days\":60}",
		    prefix, 'A' + i);
		post_ok("/v1/suppliers", b, NULL);
		for (j = 0; j < 2; j++) {
			snprintf(b, sizeof(b), "{\"id\":\"%s%c-INV%d\","
			    "\"supplier_id\":\"%s%c\",\"amount\":50000,"
			    "\"currency\":\"GBP\",\"issue_date\":\"2025-08-01\","
			    "\"due_date\":\"2025-09-%02d\","
			    "\"status\":\"approved\"}", prefix, 'A' + i, j,
			    prefix, 'A' + i, 20 + 5 * j);
			post_ok("/v1/invoices", b, NULL);
		}
	}
	snprintf(b, sizeof(b), "{\"id\":\"%sSCH\",\"name\":\"Bridge\","
	    "\"effective_from\":\"2025-09-02\",\"payment_lag_days\":1,"
	    "\"advance_rate_bps\":9000,\"annual_rate_bps\":650,"
	    "\"day_count_basis\":365,\"fee_bearer\":\"supplier\","
	    "\"eligible_tiers\":[1],\"requires_opt_in\":false,"
	    "\"facility_limit\":100000}", prefix);
	post_ok("/v1/schemes", b, NULL);
	snprintf(b, sizeof(b), "{\"id\":\"%sSC\",\"name\":\"Short\","
	    "\"start_date\":\"2025-09-01\",\"horizon_days\":30,"
	    "\"announcements\":[{\"announced_on\":\"2025-09-02\","
	    "\"restart_date\":\"2025-09-08\"}]}", prefix);
	post_ok("/v1/scenarios", b, NULL);
	snprintf(b, sizeof(b), "{\"scenario_id\":\"%sSC\",\"scheme_id\":"
	    "\"%sSCH\",\"max_outage_days\":20}", prefix, prefix);
	post_ok("/v1/stress-runs", b, &run_id);
	/* Its own key: the shared treasury key's budget is the others'. */
	key = client_new_key("treasury", NULL);
	return (0);
}

static int
teardown(void **state)
{
	free(key);
	return (0);
}

/* The schedule of supplier c on conn k: status 200, the body in r. */
static void
schedule(struct client_conn *k, struct resp *r, char c)
{
	char	path[256];

	snprintf(path, sizeof(path), "/v1/suppliers/%s%c/schedule?run=%ld"
	    "&outage_days=7", prefix, c, run_id);
	client_conn_get(k, r, path, key);
	if (r->status != 200)
		fprintf(stderr, "%s: %ld %s\n", path, r->status, r->body);
	assert_int_equal(r->status, 200);
}

static void
assert_same_bytes(const struct resp *a, const struct resp *b)
{
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->body, b->body, a->len);
}

/* The first day's closing liquidity in a schedule. */
static long long
day0(const struct resp *r)
{
	return (client_int(cJSON_GetArrayItem(client_item(r->json,
	    "liquidity"), 0), "liquidity"));
}

/* SQL as the administrator, past the tables' guards: %ld is the run. */
static void
sql_ok(const char *fmt)
{
	char	stmt[512], sql[640];

	snprintf(stmt, sizeof(stmt), fmt, run_id);
	snprintf(sql, sizeof(sql), "SET session_replication_role = replica; "
	    "%s", stmt);
	assert_int_equal(client_sql(sql), 0);
}

static void
cached_replies_are_the_same_bytes(void **state)
{
	struct client_conn	 k = { 0 };
	struct resp		 first, again, other, later, fresh;

	client_conn_open(&k);
	schedule(&k, &first, 'A');		/* loads the snapshot */
	schedule(&k, &again, 'A');		/* from the cache */
	assert_same_bytes(&first, &again);
	assert_int_equal(cJSON_GetArraySize(client_item(first.json,
	    "payments")), 2);
	assert_int_equal(day0(&first), 990000);
	schedule(&k, &other, 'B');
	assert_true(other.len != first.len ||
	    memcmp(other.body, first.body, first.len) != 0);

	/*
	 * The snapshot changed where no writer may: the cached reply is
	 * still the run's, not re-read.
	 */
	sql_ok("UPDATE stress_run_inputs_suppliers SET cash = 5000000 "
	    "WHERE run_id = %ld AND supplier_id LIKE '%%A'");
	schedule(&k, &later, 'A');
	assert_same_bytes(&first, &later);
	client_free(&later);

	/* The run's digest changed as well: the entry is stale. */
	sql_ok("UPDATE stress_runs SET inputs_digest = repeat('0', 64) "
	    "WHERE id = %ld");
	schedule(&k, &fresh, 'A');
	assert_int_equal(day0(&fresh), 4990000);
	schedule(&k, &later, 'A');
	assert_same_bytes(&fresh, &later);
	client_free(&later);

	/* Gone from the database: 404, not the cached run. */
	sql_ok("DELETE FROM stress_runs WHERE id = %ld");
	{
		char	path[256];

		snprintf(path, sizeof(path), "/v1/suppliers/%sA/schedule?"
		    "run=%ld&outage_days=7", prefix, run_id);
		client_conn_get(&k, &later, path, key);
		client_assert_error(&later, 404, "not_found");
		client_free(&later);
	}
	assert_int_equal(k.connects, 1);
	client_conn_close(&k);
	client_free(&first);
	client_free(&again);
	client_free(&other);
	client_free(&fresh);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cached_replies_are_the_same_bytes),
	};

	return (cmocka_run_group_tests_name("api_schedule_cache", tests, setup,
	    teardown));
}
