/*
 * Payment schedules against the real server: a supplier with two open
 * invoices and steady fixed costs, a published stress run, and the
 * schedule hand-computed from the liquidity model; the access rules
 * (treasury any, a supplier only its own, another's id 404 like a
 * missing one, government 403) and parameter checks; and many schedules
 * at once on a large run, which must leave the database connections to
 * the other requests while their traces run.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "client.h"

static char	 prefix[32];
static char	*own_key, *other_key, *gov_key;
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
 * Supplier S: cash 1,000,000, fixed costs 10,000 a day, no sales, two
 * open invoices of 50,000 due on days 5 and 10. Horizon 30 days.
 */
static int
setup(void **state)
{
	char	b[1024], path[128];
	int	i;

	snprintf(prefix, sizeof(prefix), "TSH%ld-", (long)getpid());
	for (i = 0; i < 2; i++) {
		snprintf(b, sizeof(b), "{\"id\":\"%s%s\",\"name\":\"Firm\","
		    "\"tier\":2,\"region\":\"Wales\",\"sector\":\"glass\","
		    "\"employees\":12,\"currency\":\"GBP\",\"cash\":1000000,"
		    "\"credit_available\":0,\"fixed_daily_costs\":10000,"
		    "\"oem_daily_sales\":0,\"variable_cost_bps\":0,"
		    "\"other_daily_receipts\":0,\"payment_terms_days\":60}",
		    prefix, i ? "OTHER" : "S");
		post_ok("/v1/suppliers", b, NULL);
	}
	for (i = 0; i < 2; i++) {
		snprintf(b, sizeof(b), "{\"id\":\"%sS-INV%d\","
		    "\"supplier_id\":\"%sS\",\"amount\":50000,"
		    "\"currency\":\"GBP\",\"issue_date\":\"2025-08-01\","
		    "\"due_date\":\"2025-09-%02d\",\"status\":\"approved\"}",
		    prefix, i, prefix, i ? 11 : 6);
		post_ok("/v1/invoices", b, NULL);
	}
	snprintf(b, sizeof(b), "{\"id\":\"%sSC\",\"name\":\"Short\","
	    "\"start_date\":\"2025-09-01\",\"horizon_days\":30,"
	    "\"announcements\":[{\"announced_on\":\"2025-09-02\","
	    "\"restart_date\":\"2025-09-08\"}]}", prefix);
	post_ok("/v1/scenarios", b, NULL);
	snprintf(b, sizeof(b), "{\"scenario_id\":\"%sSC\",\"scheme_id\":null,"
	    "\"max_outage_days\":20}", prefix);
	post_ok("/v1/stress-runs", b, &run_id);
	snprintf(path, sizeof(path), "/v1/stress-runs/%ld/publish", run_id);
	post_ok(path, "{}", NULL);

	snprintf(b, sizeof(b), "%sS", prefix);
	own_key = client_new_key("supplier", b);
	snprintf(b, sizeof(b), "%sOTHER", prefix);
	other_key = client_new_key("supplier", b);
	gov_key = client_new_key("government", NULL);
	return (0);
}

static int
teardown(void **state)
{
	free(own_key);
	free(other_key);
	free(gov_key);
	return (0);
}

static void
check_schedule(const cJSON *j, long outage)
{
	const cJSON	*p, *l;
	char		 inv[96];

	assert_int_equal(client_int(j, "run_id"), run_id);
	assert_int_equal(client_int(j, "outage_days"), outage);
	p = client_item(j, "payments");
	assert_int_equal(cJSON_GetArraySize(p), 2);
	/* A schedule names the invoice by its global id, supplier~number. */
	snprintf(inv, sizeof(inv), "%sS~%sS-INV0", prefix, prefix);
	assert_string_equal(client_str(cJSON_GetArrayItem(p, 0), "invoice_id"),
	    inv);
	assert_string_equal(client_str(cJSON_GetArrayItem(p, 0), "date"),
	    "2025-09-06");
	assert_string_equal(client_str(cJSON_GetArrayItem(p, 0), "kind"),
	    "maturity");
	assert_int_equal(client_int(cJSON_GetArrayItem(p, 0), "gross"), 50000);
	assert_int_equal(client_int(cJSON_GetArrayItem(p, 0), "fee"), 0);
	assert_int_equal(client_int(cJSON_GetArrayItem(p, 0), "net"), 50000);
	assert_string_equal(client_str(cJSON_GetArrayItem(p, 1), "date"),
	    "2025-09-11");
	l = client_item(j, "liquidity");
	assert_int_equal(cJSON_GetArraySize(l), 30);
	/* Day 0: 1,000,000 - 10,000; day 5: - 60,000 + 50,000. */
	assert_string_equal(client_str(cJSON_GetArrayItem(l, 0), "date"),
	    "2025-09-01");
	assert_int_equal(client_int(cJSON_GetArrayItem(l, 0), "liquidity"),
	    990000);
	assert_int_equal(client_int(cJSON_GetArrayItem(l, 5), "liquidity"),
	    990000);
	assert_int_equal(client_int(cJSON_GetArrayItem(l, 29), "liquidity"),
	    800000);
	assert_true(cJSON_IsNull(client_item(j, "breach_date")));
	assert_int_equal(client_int(j, "lowest_liquidity"), 800000);
	assert_string_equal(client_str(j, "lowest_liquidity_date"),
	    "2025-09-30");
	assert_int_equal(client_int(j, "funding_gap"), 0);
}

static void
own_and_treasury(void **state)
{
	struct resp	r;
	char		path[256];

	/* Default outage: the announcement's, 7 days. */
	snprintf(path, sizeof(path), "/v1/suppliers/%sS/schedule", prefix);
	client_get(&r, path, own_key);
	assert_int_equal(r.status, 200);
	check_schedule(r.json, 7);
	client_free(&r);

	snprintf(path, sizeof(path), "/v1/suppliers/%sS/schedule?run=%ld"
	    "&outage_days=20", prefix, run_id);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	check_schedule(r.json, 20);
	client_free(&r);
}

static void
access_rules(void **state)
{
	struct resp	r;
	char		path[256];

	snprintf(path, sizeof(path), "/v1/suppliers/%sS/schedule", prefix);
	client_get(&r, path, other_key);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, "/v1/suppliers/NO-SUCH-SUPPLIER-X/schedule", other_key);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, "/v1/suppliers/NO-SUCH-SUPPLIER-X/schedule",
	    treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, path, gov_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_get(&r, path, NULL);
	client_assert_error(&r, 401, "unauthorized");
	client_free(&r);

	snprintf(path, sizeof(path), "/v1/suppliers/%sS/schedule?"
	    "outage_days=21&run=%ld", prefix, run_id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/suppliers/%sS/schedule?run=x",
	    prefix);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/suppliers/%sS/schedule?run="
	    "999999999", prefix);
	client_get(&r, path, own_key);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
}

/*
 * Twenty-four schedules of a large run at once: one loads the snapshot
 * in a Kore task, which takes a while, and the others sleep until it is
 * in the worker's cache, then trace in turn. None may hold a database
 * connection meanwhile: a worker has 8, and at least 12 of the calls
 * reach one worker, so sleepers holding connections would leave the
 * loader none and every call would hang. Requests that need the
 * database, made meanwhile, are answered before the last schedule is
 * done. The schedules all succeed and agree with each other.
 */
#define LOAD_INVOICES	60000
#define LOAD_CALLS	24
#define LOAD_PROBES	2
#define LOAD_SETTLE_US	50000

struct shot {
	char		 path[160];
	long		 status;
	char		*body;
	double		 done;
};

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static void *
fire(void *arg)
{
	struct shot	*s = arg;
	struct resp	 r;

	client_get(&r, s->path, treasury());
	s->status = r.status;
	s->body = strdup(r.body != NULL ? r.body : "");
	s->done = now_s();
	client_free(&r);
	return (NULL);
}

static long
load_run(void)
{
	struct resp	 r;
	char		 b[1024], *csv;
	size_t		 len, off, cap;
	long		 id;
	int		 i;

	snprintf(b, sizeof(b), "{\"id\":\"%sLOAD\",\"name\":\"Firm\","
	    "\"tier\":1,\"region\":\"Wales\",\"sector\":\"glass\","
	    "\"employees\":400,\"currency\":\"GBP\",\"cash\":90000000,"
	    "\"credit_available\":0,\"fixed_daily_costs\":100000,"
	    "\"oem_daily_sales\":0,\"variable_cost_bps\":0,"
	    "\"other_daily_receipts\":0,\"payment_terms_days\":60}", prefix);
	post_ok("/v1/suppliers", b, NULL);

	cap = 128 + (size_t)LOAD_INVOICES * 96;
	if ((csv = malloc(cap)) == NULL)
		fail();
	off = (size_t)snprintf(csv, cap,
	    "id,supplier_id,amount,currency,issue_date,due_date\r\n");
	for (i = 0; i < LOAD_INVOICES; i++)
		off += (size_t)snprintf(csv + off, cap - off,
		    "%sL%06d,%sLOAD,%d,GBP,2025-08-01,2025-09-%02d\r\n",
		    prefix, i, prefix, 100 + i % 900, 2 + i % 28);
	len = off;
	client_call(&r, "POST", "/v1/invoices/import", treasury(), "text/csv",
	    csv, len);
	free(csv);
	if (r.status != 200)
		fprintf(stderr, "import: %ld %s\n", r.status, r.body);
	assert_int_equal(r.status, 200);
	client_free(&r);

	snprintf(b, sizeof(b), "{\"scenario_id\":\"%sSC\",\"scheme_id\":null,"
	    "\"max_outage_days\":20}", prefix);
	post_ok("/v1/stress-runs", b, &id);
	return (id);
}

static void
many_schedules_leave_connections_free(void **state)
{
	struct shot	 calls[LOAD_CALLS], probes[LOAD_PROBES];
	pthread_t	 th[LOAD_CALLS];
	double		 last_call;
	long		 id;
	int		 i;

	id = load_run();
	memset(calls, 0, sizeof(calls));
	memset(probes, 0, sizeof(probes));
	for (i = 0; i < LOAD_CALLS; i++) {
		snprintf(calls[i].path, sizeof(calls[i].path),
		    "/v1/suppliers/%sLOAD/schedule?run=%ld&outage_days=20",
		    prefix, id);
		assert_int_equal(pthread_create(&th[i], NULL, fire,
		    &calls[i]), 0);
	}
	/* The traces are under way: what needs the database still goes. */
	usleep(LOAD_SETTLE_US);
	for (i = 0; i < LOAD_PROBES; i++) {
		snprintf(probes[i].path, sizeof(probes[i].path),
		    "/v1/scenarios/%sSC", prefix);
		fire(&probes[i]);
	}
	last_call = 0;
	for (i = 0; i < LOAD_CALLS; i++) {
		pthread_join(th[i], NULL);
		if (calls[i].done > last_call)
			last_call = calls[i].done;
	}
	for (i = 0; i < LOAD_PROBES; i++) {
		assert_int_equal(probes[i].status, 200);
		free(probes[i].body);
	}
	fprintf(stderr, "probe %+.3f s from the last schedule's end\n",
	    probes[LOAD_PROBES - 1].done - last_call);
	assert_true(probes[LOAD_PROBES - 1].done < last_call);
	for (i = 0; i < LOAD_CALLS; i++) {
		assert_int_equal(calls[i].status, 200);
		assert_string_equal(calls[i].body, calls[0].body);
	}
	for (i = 0; i < LOAD_CALLS; i++)
		free(calls[i].body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_and_treasury),
		cmocka_unit_test(access_rules),
		cmocka_unit_test(many_schedules_leave_connections_free),
	};

	return (cmocka_run_group_tests_name("api_schedule", tests, setup,
	    teardown));
}
