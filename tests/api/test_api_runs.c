/*
 * Stress runs against the real server: the liquidity model's worked
 * example end to end (no scheme; payment freeze and cost relief; a scheme
 * with a facility limit) to the penny; snapshots that do not change when
 * the data does; a digest that follows the inputs; the supplier report's
 * order, pages, filter and CSV; publishing; validation; the access matrix.
 *
 * Fixtures go straight into the database under R- ids. Other test
 * programs share it, so nothing here assumes a table is empty: figures
 * are read per supplier, and the scheme case is made so that no other
 * supplier can be eligible (a start date a century ahead, no employees
 * allowed, a minimum invoice amount), since a facility limit is shared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "client.h"

static char	*sup_key;
static char	*gov_key;

static const char *
treasury(void)
{
	return (client_env("TIDEOVER_TREASURY_KEY"));
}

static void
sql(const char *fmt, ...)
{
	char	q[8192];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	assert_int_equal(client_sql(q), 0);
}

/* The worked example's supplier, under another id and head count. */
static void
supplier(const char *id, int employees)
{
	sql("INSERT INTO suppliers (id, name, tier, region, sector, employees, "
	    "currency, cash, credit_available, min_liquidity, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days, scheme_opt_in) VALUES "
	    "('%s', 'Runs, %s', 1, 'West Midlands', 'castings', %d, 'GBP', "
	    "10000000, 0, 0, 200000, 500000, 6000, 0, 30, true) "
	    "ON CONFLICT DO NOTHING", id, id, employees);
}

/* Thirty open invoices of 500,000, due start + k. */
static void
invoices(const char *sup, const char *start)
{
	sql("INSERT INTO invoices (id, supplier_id, amount, currency, "
	    "issue_date, due_date, status, created_at, updated_at) "
	    "SELECT '%s-INV-' || lpad(k::text, 3, '0'), '%s', 500000, 'GBP', "
	    "DATE '%s' - 30, DATE '%s' + k, 'approved', now(), now() "
	    "FROM generate_series(0, 29) k ON CONFLICT DO NOTHING",
	    sup, sup, start, start);
}

static void
scenario(const char *id, const char *start, int freeze, int relief)
{
	sql("INSERT INTO scenarios (id, name, start_date, horizon_days, "
	    "ramp_bps, payment_freeze_days, fixed_cost_relief_bps) VALUES "
	    "('%s', 'Runs test', '%s', 120, "
	    "'{5000,5000,5000,5000,5000,5000,5000}', %d, %d) "
	    "ON CONFLICT DO NOTHING", id, start, freeze, relief);
}

static int
setup(void **state)
{
	curl_global_init(CURL_GLOBAL_ALL);
	supplier("R-SUP-A", 120);
	invoices("R-SUP-A", "2025-09-01");
	supplier("R-SUP-S", 0);
	invoices("R-SUP-S", "2125-09-01");
	scenario("R-SCN-1", "2025-09-01", 0, 0);
	sql("INSERT INTO scenario_announcements (scenario_id, n, announced_on, "
	    "restart_date, note) VALUES "
	    "('R-SCN-1', 0, '2025-09-16', '2025-09-24', 'first'), "
	    "('R-SCN-1', 1, '2025-09-23', '2025-10-01', 'second') "
	    "ON CONFLICT DO NOTHING");
	scenario("R-SCN-2", "2025-09-01", 10, 2500);
	scenario("R-SCN-3", "2125-09-01", 0, 0);
	sql("INSERT INTO schemes (id, name, effective_from, payment_lag_days, "
	    "advance_rate_bps, annual_rate_bps, day_count_basis, fee_bearer, "
	    "eligible_tiers, max_employees, min_invoice_amount, "
	    "requires_opt_in, per_supplier_cap, facility_limit) VALUES "
	    "('R-SCH', 'Runs test', '2125-10-07', 2, 9000, 650, 365, "
	    "'supplier', '{1,2}', 0, 250000, true, NULL, 5000000) "
	    "ON CONFLICT DO NOTHING");
	sup_key = client_new_key("supplier", "R-SUP-A");
	gov_key = client_new_key("government", NULL);
	return (0);
}

static int
teardown(void **state)
{
	free(sup_key);
	free(gov_key);
	curl_global_cleanup();
	return (0);
}

/* POST a run; its id, with the 201 body in *out if wanted. */
static long long
run(const char *scenario_id, const char *scheme, int max, struct resp *out)
{
	struct resp	r;
	char		body[256];
	long long	id;

	snprintf(body, sizeof(body), "{\"scenario_id\":\"%s\",\"scheme_id\":"
	    "%s%s%s,\"max_outage_days\":%d}", scenario_id,
	    scheme ? "\"" : "", scheme ? scheme : "null", scheme ? "\"" : "",
	    max);
	client_post_json(&r, "/v1/stress-runs", treasury(), body);
	if (r.status != 201)
		fprintf(stderr, "POST /v1/stress-runs: %ld %s\n", r.status,
		    r.body ? r.body : "");
	assert_int_equal(r.status, 201);
	id = client_int(r.json, "id");
	if (out != NULL)
		*out = r;
	else
		client_free(&r);
	return (id);
}

/* One supplier's line of the report, found by paging through it. */
static cJSON *
line_of(long long id, int L, const char *supplier)
{
	struct resp	 r;
	const cJSON	*items, *it, *next;
	cJSON		*found = NULL;
	char		 path[1024], cursor[600] = "";

	for (;;) {
		snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
		    "outage_days=%d&limit=1000%s%s", id, L,
		    cursor[0] ? "&cursor=" : "", cursor);
		client_get(&r, path, treasury());
		assert_int_equal(r.status, 200);
		items = client_item(r.json, "items");
		cJSON_ArrayForEach(it, items) {
			if (strcmp(client_str(it, "supplier_id"),
			    supplier) == 0)
				found = cJSON_Duplicate(it, 1);
		}
		next = client_item(r.json, "next_cursor");
		if (found != NULL || !cJSON_IsString(next)) {
			client_free(&r);
			break;
		}
		snprintf(cursor, sizeof(cursor), "%s", next->valuestring);
		client_free(&r);
	}
	assert_non_null(found);
	return (found);
}

static void
assert_null_field(const cJSON *j, const char *name)
{
	assert_true(cJSON_IsNull(client_item(j, name)));
}

static void
assert_line(long long id, int L, const char *sup, long long breach,
    long long lowest, long long day, const char *day_date)
{
	cJSON	*l;

	l = line_of(id, L, sup);
	if (breach < 0) {
		assert_null_field(l, "breach_day");
		assert_null_field(l, "breach_date");
	} else
		assert_int_equal(client_int(l, "breach_day"), breach);
	assert_int_equal(client_int(l, "lowest_liquidity"), lowest);
	/* The day itself is not a field of the report: its date is. */
	(void)day;
	assert_string_equal(client_str(l, "lowest_liquidity_date"), day_date);
	assert_int_equal(client_int(l, "funding_gap"),
	    lowest < 0 ? -lowest : 0);
	cJSON_Delete(l);
}

static void
worked_example(void **state)
{
	struct resp	 r;
	const cJSON	*curve, *ann, *a;
	cJSON		*l;
	long long	 id;

	id = run("R-SCN-1", NULL, 60, &r);
	assert_string_equal(client_str(r.json, "scenario_id"), "R-SCN-1");
	assert_true(cJSON_IsNull(client_item(r.json, "scheme_id")));
	assert_int_equal(client_int(r.json, "max_outage_days"), 60);
	assert_false(cJSON_IsTrue(client_item(r.json, "published")));
	assert_int_equal(strlen(client_str(r.json, "inputs_digest")), 64);
	assert_non_null(client_str(r.json, "created_at"));
	curve = client_item(r.json, "curve");
	assert_int_equal(cJSON_GetArraySize(curve), 61);
	assert_int_equal(client_int(cJSON_GetArrayItem(curve, 47),
	    "outage_days"), 47);
	assert_non_null(client_item(cJSON_GetArrayItem(curve, 0),
	    "peak_facility_use"));
	assert_non_null(client_item(cJSON_GetArrayItem(curve, 0),
	    "oem_cost"));
	ann = client_item(r.json, "announcements");
	assert_int_equal(cJSON_GetArraySize(ann), 2);
	a = cJSON_GetArrayItem(ann, 0);
	assert_string_equal(client_str(a, "announced_on"), "2025-09-16");
	assert_string_equal(client_str(a, "restart_date"), "2025-09-24");
	assert_int_equal(client_int(a, "outage_days"), 23);
	assert_int_equal(client_int(cJSON_GetArrayItem(ann, 1),
	    "outage_days"), 30);
	client_free(&r);

	assert_line(id, 0, "R-SUP-A", -1, 10000000, 0, "2025-09-01");
	assert_line(id, 21, "R-SUP-A", -1, 5100000, 57, "2025-10-28");
	assert_line(id, 60, "R-SUP-A", 88, -2700000, 96, "2025-12-06");
	l = line_of(id, 60, "R-SUP-A");
	assert_string_equal(client_str(l, "breach_date"), "2025-11-28");
	assert_int_equal(client_int(l, "funding_gap"), 2700000);
	assert_int_equal(client_int(l, "breaks_at_outage_days"), 47);
	assert_int_equal(client_int(l, "tier"), 1);
	assert_int_equal(client_int(l, "employees"), 120);
	assert_string_equal(client_str(l, "name"), "Runs, R-SUP-A");
	assert_string_equal(client_str(l, "region"), "West Midlands");
	assert_string_equal(client_str(l, "sector"), "castings");
	assert_int_equal(client_int(l, "early_paid"), 0);
	assert_int_equal(client_int(l, "fees"), 0);
	cJSON_Delete(l);
	l = line_of(id, 46, "R-SUP-A");
	assert_null_field(l, "breach_day");
	cJSON_Delete(l);
}

static void
worked_example_freeze_and_relief(void **state)
{
	cJSON		*l;
	long long	 id;

	id = run("R-SCN-2", NULL, 60, NULL);
	assert_line(id, 21, "R-SUP-A", -1, 6150000, 57, "2025-10-28");
	assert_line(id, 60, "R-SUP-A", -1, 300000, 96, "2025-12-06");
	l = line_of(id, 60, "R-SUP-A");
	assert_null_field(l, "breaks_at_outage_days");
	cJSON_Delete(l);
}

static void
worked_example_scheme(void **state)
{
	struct resp	 r;
	const cJSON	*curve;
	cJSON		*l;
	long long	 id;

	id = run("R-SCN-3", "R-SCH", 60, &r);
	assert_string_equal(client_str(r.json, "scheme_id"), "R-SCH");
	curve = client_item(r.json, "curve");
	/* Nobody else can be eligible: the facility is R-SUP-S's alone. */
	assert_int_equal(client_int(cJSON_GetArrayItem(curve, 21),
	    "peak_facility_use"), 4950000);
	assert_int_equal(client_int(cJSON_GetArrayItem(curve, 21),
	    "early_paid"), 19125000);
	assert_int_equal(client_int(cJSON_GetArrayItem(curve, 21), "fees"),
	    89197);
	assert_int_equal(client_int(cJSON_GetArrayItem(curve, 21),
	    "oem_cost"), 0);
	client_free(&r);

	l = line_of(id, 21, "R-SUP-S");
	assert_int_equal(client_int(l, "early_paid"), 19125000);
	assert_int_equal(client_int(l, "fees"), 89197);
	assert_int_equal(client_int(l, "lowest_liquidity"), 9960803);
	assert_string_equal(client_str(l, "lowest_liquidity_date"),
	    "2125-12-29");
	assert_null_field(l, "breach_day");
	cJSON_Delete(l);
	l = line_of(id, 60, "R-SUP-S");
	assert_int_equal(client_int(l, "early_paid"), 10125000);
	assert_int_equal(client_int(l, "fees"), 50490);
	assert_int_equal(client_int(l, "lowest_liquidity"), 2199510);
	assert_string_equal(client_str(l, "lowest_liquidity_date"),
	    "2125-12-28");
	assert_null_field(l, "breach_day");
	assert_null_field(l, "breaks_at_outage_days");
	cJSON_Delete(l);
}

static char *
get_body(const char *path)
{
	struct resp	 r;
	char		*s;

	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	s = strdup(r.body);
	client_free(&r);
	return (s);
}

static void
results_never_change(void **state)
{
	struct resp	 r;
	char		 path[256], *run_before, *rep_before, *s;
	char		 digest[65], digest2[65];
	long long	 id, id2;

	id = run("R-SCN-1", NULL, 30, &r);
	snprintf(digest, sizeof(digest), "%s",
	    client_str(r.json, "inputs_digest"));
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld", id);
	run_before = get_body(path);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=30&limit=1000", id);
	rep_before = get_body(path);

	/* The same inputs again: the same digest. */
	id2 = run("R-SCN-1", NULL, 30, &r);
	assert_string_equal(client_str(r.json, "inputs_digest"), digest);
	client_free(&r);
	assert_true(id2 > id);

	/* The data changes; the run does not. */
	sql("UPDATE suppliers SET cash = 1 WHERE id = 'R-SUP-A'");
	sql("UPDATE invoices SET amount = 400000 "
	    "WHERE id = 'R-SUP-A-INV-005'");
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld", id);
	s = get_body(path);
	assert_string_equal(s, run_before);
	free(s);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=30&limit=1000", id);
	s = get_body(path);
	assert_string_equal(s, rep_before);
	free(s);

	/* A run of the changed data has another digest. */
	run("R-SCN-1", NULL, 30, &r);
	snprintf(digest2, sizeof(digest2), "%s",
	    client_str(r.json, "inputs_digest"));
	client_free(&r);
	assert_string_not_equal(digest2, digest);

	/* One field back: still different; both back: the first again. */
	sql("UPDATE suppliers SET cash = 10000000 WHERE id = 'R-SUP-A'");
	run("R-SCN-1", NULL, 30, &r);
	assert_string_not_equal(client_str(r.json, "inputs_digest"), digest);
	client_free(&r);
	sql("UPDATE invoices SET amount = 500000 "
	    "WHERE id = 'R-SUP-A-INV-005'");
	run("R-SCN-1", NULL, 30, &r);
	assert_string_equal(client_str(r.json, "inputs_digest"), digest);
	client_free(&r);

	/* Another scenario is another input. */
	run("R-SCN-2", NULL, 30, &r);
	assert_string_not_equal(client_str(r.json, "inputs_digest"), digest);
	client_free(&r);

	/*
	 * The snapshot holds the figures as they were, the invoices in id
	 * order (bytes), each with its supplier's position.
	 */
	snprintf(path, sizeof(path), "SELECT x.amount FROM "
	    "stress_run_inputs_invoices i, unnest(i.invoice_ids, "
	    "i.outstanding) x(id, amount) WHERE i.run_id = %lld "
	    "AND x.id = 'R-SUP-A-INV-005'", id);
	assert_int_equal(client_sql_long(path), 500000);
	snprintf(path, sizeof(path), "SELECT cash FROM "
	    "stress_run_inputs_suppliers WHERE run_id = %lld "
	    "AND supplier_id = 'R-SUP-A'", id);
	assert_int_equal(client_sql_long(path), 10000000);
	snprintf(path, sizeof(path), "SELECT count(*) FROM (SELECT u.x, "
	    "lag(u.x) OVER (ORDER BY u.o) AS p FROM stress_run_inputs_invoices "
	    "i, unnest(i.invoice_ids) WITH ORDINALITY u(x, o) "
	    "WHERE i.run_id = %lld) z WHERE z.p >= z.x", id);
	assert_int_equal(client_sql_long(path), 0);
	snprintf(path, sizeof(path), "SELECT count(*) FROM "
	    "stress_run_inputs_invoices i, unnest(i.supplier_n, "
	    "i.invoice_ids) x(n, id) JOIN stress_run_inputs_suppliers s "
	    "ON s.run_id = %lld AND s.n = x.n WHERE i.run_id = %lld "
	    "AND x.id = 'R-SUP-A-INV-005' AND s.supplier_id = 'R-SUP-A'",
	    id, id);
	assert_int_equal(client_sql_long(path), 1);

	/* Even the database owner cannot rewrite a result or a snapshot. */
	snprintf(path, sizeof(path), "UPDATE stress_run_results SET "
	    "fees = fees WHERE run_id = %lld", id);
	assert_int_not_equal(client_sql(path), 0);
	snprintf(path, sizeof(path), "UPDATE stress_run_inputs_invoices SET "
	    "outstanding = outstanding WHERE run_id = %lld", id);
	assert_int_not_equal(client_sql(path), 0);
	free(run_before);
	free(rep_before);
}

/* (breach day or "none last", supplier id) strictly increasing. */
static int
before(const cJSON *a, const cJSON *b)
{
	const cJSON	*da = client_item(a, "breach_day");
	const cJSON	*db = client_item(b, "breach_day");
	double		 x, y;

	x = cJSON_IsNull(da) ? 1e18 : da->valuedouble;
	y = cJSON_IsNull(db) ? 1e18 : db->valuedouble;
	if (x != y)
		return (x < y);
	return (strcmp(client_str(a, "supplier_id"),
	    client_str(b, "supplier_id")) < 0);
}

static void
report_order_and_pages(void **state)
{
	struct resp	 all, r;
	const cJSON	*items, *next, *it;
	cJSON		*prev = NULL;
	char		 path[1024], cursor[600] = "";
	long long	 id;
	int		 n = 0, total, below = 0;

	id = run("R-SCN-1", NULL, 60, NULL);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=60&limit=1000", id);
	client_get(&all, path, treasury());
	assert_int_equal(all.status, 200);
	total = cJSON_GetArraySize(client_item(all.json, "items"));
	assert_true(total >= 2);
	assert_true(total < 1000);

	/* Pages of two, stitched, are the whole list in order. */
	for (;;) {
		snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
		    "outage_days=60&limit=2%s%s", id,
		    cursor[0] ? "&cursor=" : "", cursor);
		client_get(&r, path, treasury());
		assert_int_equal(r.status, 200);
		items = client_item(r.json, "items");
		assert_true(cJSON_GetArraySize(items) <= 2);
		cJSON_ArrayForEach(it, items) {
			assert_string_equal(client_str(it, "supplier_id"),
			    client_str(cJSON_GetArrayItem(client_item(all.json,
			    "items"), n), "supplier_id"));
			if (prev != NULL)
				assert_true(before(prev, it));
			cJSON_Delete(prev);
			prev = cJSON_Duplicate(it, 1);
			if (!cJSON_IsNull(client_item(it, "breach_day")))
				below++;
			n++;
		}
		next = client_item(r.json, "next_cursor");
		if (!cJSON_IsString(next)) {
			client_free(&r);
			break;
		}
		snprintf(cursor, sizeof(cursor), "%s", next->valuestring);
		client_free(&r);
	}
	cJSON_Delete(prev);
	assert_int_equal(n, total);
	client_free(&all);

	/* below=true: exactly the suppliers with a breach, R-SUP-A first. */
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=60&below=true&limit=1000", id);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	items = client_item(r.json, "items");
	assert_int_equal(cJSON_GetArraySize(items), below);
	n = 0;
	cJSON_ArrayForEach(it, items) {
		assert_false(cJSON_IsNull(client_item(it, "breach_day")));
		if (strcmp(client_str(it, "supplier_id"), "R-SUP-A") == 0)
			n++;
	}
	assert_int_equal(n, 1);
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=0&below=false&limit=1", id);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	client_free(&r);
}

static void
report_csv(void **state)
{
	static const char	*header = "supplier_id,name,tier,region,"
	    "sector,employees,breach_day,breach_date,lowest_liquidity,"
	    "lowest_liquidity_date,funding_gap,early_paid,fees,"
	    "breaks_at_outage_days,contagion,overdue_receivables,"
	    "overdue_payables,breach_probability_bps\r\n";
	struct resp	 h;
	struct resp	 r;
	char		 path[1024];
	const char	*p;
	long long	 id;
	int		 lines;

	id = run("R-SCN-1", NULL, 60, NULL);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=60&below=true&limit=1", id);
	client_call_with(&h, "GET", path, treasury(), NULL, NULL, 0,
	    "Accept: text/csv");
	assert_int_equal(h.status, 200);
	assert_non_null(strstr(h.content_type, "text/csv"));
	assert_true(strncmp(h.body, header, strlen(header)) == 0);
	for (lines = 0, p = h.body; (p = strstr(p, "\r\n")) != NULL; p += 2)
		lines++;
	assert_int_equal(lines, 2);
	client_free(&h);

	/* The same page as the JSON, R-SUP-A's line with its quoted name. */
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=60&below=true&limit=1000", id);
	client_call_with(&h, "GET", path, treasury(), NULL, NULL, 0,
	    "Accept: text/csv");
	assert_int_equal(h.status, 200);
	assert_non_null(strstr(h.body, "\r\nR-SUP-A,\"Runs, R-SUP-A\","
	    "1,West Midlands,castings,120,88,2025-11-28,-2700000,2025-12-06,"
	    "2700000,0,0,47,false,0,0,\r\n"));
	assert_string_equal(h.next_cursor, "");
	client_free(&h);

	/* A CSV page with more to come names the next page's cursor. */
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=0&limit=1", id);
	client_call_with(&h, "GET", path, treasury(), NULL, NULL, 0,
	    "Accept: text/csv");
	assert_int_equal(h.status, 200);
	client_get(&r, path, treasury());
	assert_string_equal(h.next_cursor, client_str(r.json, "next_cursor"));
	client_free(&r);
	client_free(&h);
}

static void
list_get_and_publish(void **state)
{
	struct resp	 r, one;
	char		 path[256];
	long long	 id, id2;

	id = run("R-SCN-1", NULL, 5, NULL);
	id2 = run("R-SCN-2", NULL, 5, NULL);

	/* Newest first, by id; pages follow on. */
	client_get(&r, "/v1/stress-runs?limit=1", treasury());
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(cJSON_GetArrayItem(client_item(r.json,
	    "items"), 0), "id"), id2);
	assert_true(cJSON_IsString(client_item(r.json, "next_cursor")));
	snprintf(path, sizeof(path), "/v1/stress-runs?limit=1&cursor=%s",
	    client_str(r.json, "next_cursor"));
	client_free(&r);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(cJSON_GetArrayItem(client_item(r.json,
	    "items"), 0), "id"), id);
	client_free(&r);

	/* GET is the 201's body; publishing twice is fine. */
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld", id);
	client_get(&one, path, treasury());
	assert_int_equal(one.status, 200);
	assert_false(cJSON_IsTrue(client_item(one.json, "published")));
	assert_int_equal(cJSON_GetArraySize(client_item(one.json, "curve")), 6);
	client_free(&one);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/publish", id);
	client_call(&r, "POST", path, treasury(), NULL, NULL, 0);
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsTrue(client_item(r.json, "published")));
	assert_int_equal(client_int(r.json, "id"), id);
	client_free(&r);
	client_call(&r, "POST", path, treasury(), NULL, NULL, 0);
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsTrue(client_item(r.json, "published")));
	client_free(&r);
	/* Publishing takes no options: an empty object, or nothing. */
	client_post_json(&r, path, treasury(), "{}");
	assert_int_equal(r.status, 200);
	client_free(&r);
	client_post_json(&r, path, treasury(), "{\"published\":false}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld", id);
	client_get(&one, path, treasury());
	assert_true(cJSON_IsTrue(client_item(one.json, "published")));
	client_free(&one);

	client_call(&r, "POST", "/v1/stress-runs/999999999/publish",
	    treasury(), NULL, NULL, 0);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
}

static void
created_once_per_idempotency_key(void **state)
{
	struct resp	a, b;
	const char	*body = "{\"scenario_id\":\"R-SCN-1\",\"scheme_id\":null,"
	    "\"max_outage_days\":3}", *other;

	other = "{\"scenario_id\":\"R-SCN-1\",\"max_outage_days\":4}";
	client_call_with(&a, "POST", "/v1/stress-runs", treasury(),
	    "application/json", body, strlen(body), "Idempotency-Key: R-idem-1");
	assert_int_equal(a.status, 201);
	client_call_with(&b, "POST", "/v1/stress-runs", treasury(),
	    "application/json", body, strlen(body), "Idempotency-Key: R-idem-1");
	assert_int_equal(b.status, 201);
	assert_string_equal(a.body, b.body);
	client_free(&b);
	client_call_with(&b, "POST", "/v1/stress-runs", treasury(),
	    "application/json", other, strlen(other),
	    "Idempotency-Key: R-idem-1");
	assert_int_equal(b.status, 409);
	client_free(&a);
	client_free(&b);
}

static void
refused_requests(void **state)
{
	struct resp	r;
	char		path[256];
	long long	id;

	client_post_json(&r, "/v1/stress-runs", treasury(),
	    "{\"scenario_id\":\"R-NONE\",\"max_outage_days\":3}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	client_post_json(&r, "/v1/stress-runs", treasury(),
	    "{\"scenario_id\":\"R-SCN-1\",\"scheme_id\":\"R-NONE\","
	    "\"max_outage_days\":3}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	client_post_json(&r, "/v1/stress-runs", treasury(),
	    "{\"scenario_id\":\"R-SCN-1\",\"max_outage_days\":121}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	client_post_json(&r, "/v1/stress-runs", treasury(),
	    "{\"scenario_id\":\"R-SCN-1\",\"max_outage_days\":3,\"x\":1}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	client_post_json(&r, "/v1/stress-runs", treasury(),
	    "{\"scenario_id\":\"R-SCN-1\"}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);

	id = run("R-SCN-1", NULL, 10, NULL);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers", id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=11", id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=-1", id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=1&below=yes", id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=1&cursor=zzz", id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_get(&r, "/v1/stress-runs/999999999/suppliers?outage_days=1",
	    treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, "/v1/stress-runs/abc", treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, "/v1/stress-runs/999999999", treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
}

static void
access_matrix(void **state)
{
	static const struct {
		const char	*method;
		const char	*path;
	} calls[] = {
		{ "GET", "/v1/stress-runs" },
		{ "POST", "/v1/stress-runs" },
		{ "GET", "/v1/stress-runs/%lld" },
		{ "GET", "/v1/stress-runs/%lld/suppliers?outage_days=1" },
		{ "GET", "/v1/stress-runs/%lld/suppliers/R-S1/contagion" },
		{ "POST", "/v1/stress-runs/%lld/publish" },
	};
	const char	*keys[2];
	struct resp	 r;
	char		 path[256];
	const char	*body = "{\"scenario_id\":\"R-SCN-1\","
	    "\"max_outage_days\":1}";
	long long	 id;
	size_t		 i, k;

	id = run("R-SCN-1", NULL, 1, NULL);
	keys[0] = sup_key;
	keys[1] = gov_key;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		snprintf(path, sizeof(path), calls[i].path, id);
		for (k = 0; k < 2; k++) {
			client_call(&r, calls[i].method, path, keys[k],
			    "application/json", body, strlen(body));
			client_assert_error(&r, 403, "forbidden");
			client_free(&r);
		}
		client_call(&r, calls[i].method, path, NULL,
		    "application/json", body, strlen(body));
		client_assert_error(&r, 401, "unauthorized");
		client_free(&r);
	}
	client_call(&r, "DELETE", "/v1/stress-runs", treasury(), NULL, NULL,
	    0);
	assert_int_equal(r.status, 405);
	client_free(&r);
}

/* A firm of the version 2 worked example, OEM terms 60, opted in. */
static void
firm(const char *id, int tier, int employees, long long cash, long long fixed,
    long long oem, int vbps)
{
	sql("INSERT INTO suppliers (id, name, tier, region, sector, employees, "
	    "currency, cash, credit_available, min_liquidity, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days, scheme_opt_in) VALUES "
	    "('%s', 'Network, %s', %d, 'West Midlands', 'castings', %d, "
	    "'GBP', %lld, 0, 0, %lld, %lld, %d, 0, 60, true) "
	    "ON CONFLICT DO NOTHING", id, id, tier, employees, cash, fixed,
	    oem, vbps);
}

static void
line_network(long long id, int L, const char *sup, int contagion,
    long long receivables, long long payables)
{
	cJSON	*l;

	l = line_of(id, L, sup);
	assert_int_equal(cJSON_IsTrue(client_item(l, "contagion")), contagion);
	assert_true(cJSON_IsBool(client_item(l, "contagion")));
	assert_int_equal(client_int(l, "overdue_receivables"), receivables);
	assert_int_equal(client_int(l, "overdue_payables"), payables);
	cJSON_Delete(l);
}

/*
 * The worked example's three firms, T1-A's invoices, the links (through
 * treasury's import, as treasury does it) and the scenario.
 */
static void
network_fixture(void)
{
	struct resp	 r;
	const char	*links = "supplier_id,customer_id,daily_sales,"
	    "payment_terms_days\nN-T2-B,N-T1-A,200000,30\n"
	    "N-T3-C,N-T2-B,50000,45\n";

	firm("N-T1-A", 1, 400, 3000000, 150000, 500000, 2000);
	firm("N-T2-B", 2, 60, 800000, 60000, 0, 3000);
	firm("N-T3-C", 3, 12, 150000, 20000, 0, 4000);
	sql("INSERT INTO invoices (id, supplier_id, amount, currency, "
	    "issue_date, due_date, status, created_at, updated_at) "
	    "SELECT 'N-A-' || lpad(k::text, 3, '0'), 'N-T1-A', 500000, 'GBP', "
	    "DATE '2025-09-01' - 60, DATE '2025-09-01' + k, 'approved', now(), "
	    "now() FROM generate_series(0, 59) k ON CONFLICT DO NOTHING");
	client_call(&r, "POST", "/v1/links/import", treasury(), "text/csv",
	    links, strlen(links));
	assert_int_equal(r.status, 200);
	client_free(&r);
	sql("INSERT INTO scenarios (id, name, start_date, horizon_days, "
	    "ramp_bps, payment_freeze_days, fixed_cost_relief_bps) VALUES "
	    "('R-SCN-N', 'Network', '2025-09-01', 120, "
	    "'{5000,5000,5000,5000,5000,5000,5000}', 21, 0) "
	    "ON CONFLICT DO NOTHING");
}

/*
 * The model's version 2 worked example through the service: three tiers
 * linked by treasury's import, a run whose snapshot holds the links, each
 * firm's breach, contagion and overdue trade credit to the penny, the
 * report filtered by contagion, and a digest that follows the links.
 */
static void
network_worked_example(void **state)
{
	struct resp	 r;
	const cJSON	*it, *pt;
	char		 path[256], digest[65], *key, *mine, *mine2, *s;
	long long	 id, id2;
	int		 b, c, a, n;

	network_fixture();
	id = run("R-SCN-N", NULL, 45, &r);
	snprintf(digest, sizeof(digest), "%s",
	    client_str(r.json, "inputs_digest"));
	pt = cJSON_GetArrayItem(client_item(r.json, "curve"), 0);
	assert_true(client_int(pt, "suppliers_below_contagion") >= 2);
	assert_non_null(client_item(pt, "overdue_trade_credit"));
	assert_non_null(client_item(pt, "funder_overdue"));
	pt = cJSON_GetArrayItem(client_item(r.json, "curve"), 45);
	assert_true(client_int(pt, "overdue_trade_credit") >= 1995000);
	client_free(&r);
	snprintf(path, sizeof(path), "SELECT cardinality(supplier_n) FROM "
	    "stress_run_inputs_links WHERE run_id = %lld", id);
	assert_true(client_sql_long(path) >= 2);

	assert_line(id, 0, "N-T1-A", 6, -3650000, 20, "2025-09-21");
	assert_line(id, 0, "N-T2-B", 12, -1090000, 21, "2025-09-22");
	assert_line(id, 0, "N-T3-C", 20, -120000, 22, "2025-09-23");
	line_network(id, 0, "N-T1-A", 0, 0, 0);
	line_network(id, 0, "N-T2-B", 1, 0, 0);
	line_network(id, 0, "N-T3-C", 1, 0, 0);
	assert_line(id, 45, "N-T1-A", 8, -1950000, 20, "2025-09-21");
	assert_line(id, 45, "N-T2-B", 62, -1680000, 81, "2025-11-21");
	assert_line(id, 45, "N-T3-C", 84, -1150000, 118, "2025-12-28");
	line_network(id, 45, "N-T1-A", 0, 0, 950000);
	line_network(id, 45, "N-T2-B", 0, 950000, 1045000);
	line_network(id, 45, "N-T3-C", 0, 1045000, 0);

	/* Only contagion breaches: B and C, not A. */
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=0&contagion=true&limit=1000", id);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	a = b = c = 0;
	cJSON_ArrayForEach(it, client_item(r.json, "items")) {
		assert_true(cJSON_IsTrue(client_item(it, "contagion")));
		a += strcmp(client_str(it, "supplier_id"), "N-T1-A") == 0;
		b += strcmp(client_str(it, "supplier_id"), "N-T2-B") == 0;
		c += strcmp(client_str(it, "supplier_id"), "N-T3-C") == 0;
	}
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(c, 1);
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=0&contagion=yes", id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);

	/* A link's terms are an input: the digest follows them. */
	s = "{\"daily_sales\":200000,\"payment_terms_days\":31}";
	client_call(&r, "PUT", "/v1/suppliers/N-T2-B/customers/N-T1-A",
	    treasury(), "application/json", s, strlen(s));
	assert_int_equal(r.status, 200);
	client_free(&r);
	run("R-SCN-N", NULL, 0, &r);
	assert_string_not_equal(client_str(r.json, "inputs_digest"), digest);
	client_free(&r);
	s = "{\"daily_sales\":200000,\"payment_terms_days\":30}";
	client_call(&r, "PUT", "/v1/suppliers/N-T2-B/customers/N-T1-A",
	    treasury(), "application/json", s, strlen(s));
	assert_int_equal(r.status, 200);
	client_free(&r);
	run("R-SCN-N", NULL, 0, &r);
	assert_string_equal(client_str(r.json, "inputs_digest"), digest);
	client_free(&r);

	/*
	 * T2-B's own key sees its customer paying on time (T1-A's modelled
	 * distress is not its to know); treasury sees the run as modelled,
	 * and the on-time view when it asks.
	 */
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/publish", id);
	client_post_json(&r, path, treasury(), "{}");
	assert_int_equal(r.status, 200);
	client_free(&r);
	key = client_new_key("supplier", "N-T2-B");
	snprintf(path, sizeof(path), "/v1/suppliers/N-T2-B/schedule?run=%lld"
	    "&outage_days=0", id);
	client_get(&r, path, key);
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsTrue(client_item(r.json, "customers_pay_on_time")));
	assert_true(cJSON_IsNull(client_item(r.json, "breach_date")));
	n = 0;
	cJSON_ArrayForEach(it, client_item(r.json, "payments")) {
		assert_string_equal(client_str(it, "kind"), "customer");
		assert_string_equal(client_str(it, "customer_id"), "N-T1-A");
		assert_int_equal(client_int(it, "gross"), 200000);
		n++;
	}
	assert_int_equal(n, 120);
	mine = cJSON_PrintUnformatted(client_item(r.json, "liquidity"));
	client_free(&r);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	assert_false(cJSON_IsTrue(client_item(r.json, "customers_pay_on_time")));
	assert_string_equal(client_str(r.json, "breach_date"), "2025-09-13");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/suppliers/N-T2-B/schedule?run=%lld"
	    "&outage_days=0&customers_pay_on_time=true", id);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsTrue(client_item(r.json, "customers_pay_on_time")));
	s = cJSON_PrintUnformatted(client_item(r.json, "liquidity"));
	assert_string_equal(s, mine);
	free(s);
	client_free(&r);

	/* Its customer not in distress at all: the same schedule, byte for byte. */
	sql("UPDATE suppliers SET cash = 900000000 WHERE id = 'N-T1-A'");
	id2 = run("R-SCN-N", NULL, 0, NULL);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/publish", id2);
	client_post_json(&r, path, treasury(), "{}");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/suppliers/N-T2-B/schedule?run=%lld"
	    "&outage_days=0", id2);
	client_get(&r, path, key);
	assert_int_equal(r.status, 200);
	s = cJSON_PrintUnformatted(client_item(r.json, "liquidity"));
	assert_string_equal(s, mine);
	free(s);
	s = cJSON_PrintUnformatted(client_item(r.json, "payments"));
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/suppliers/N-T2-B/schedule?run=%lld"
	    "&outage_days=0", id);
	client_get(&r, path, key);
	mine2 = cJSON_PrintUnformatted(client_item(r.json, "payments"));
	assert_string_equal(s, mine2);
	client_free(&r);
	free(s);
	free(mine2);
	free(mine);
	sql("UPDATE suppliers SET cash = 3000000 WHERE id = 'N-T1-A'");
	/* T2-B's key learns nothing of T1-A's schedule. */
	client_get(&r, "/v1/suppliers/N-T1-A/schedule?outage_days=0", key);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	free(key);

	/* The snapshot's links never change, even for the owner. */
	snprintf(path, sizeof(path), "UPDATE stress_run_inputs_links SET "
	    "daily_sales = daily_sales WHERE run_id = %lld", id);
	assert_int_not_equal(client_sql(path), 0);
}


static cJSON *
cascade(long long id, const char *sup, int L)
{
	struct resp	 r;
	char		 path[256];
	cJSON		*j;

	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers/%s/"
	    "contagion?outage_days=%d", id, sup, L);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	j = cJSON_Duplicate(r.json, 1);
	client_free(&r);
	return (j);
}

/* One firm of a cascade, as the worked example has it. */
static void
cascade_firm(const cJSON *o, const char *id, int tier, int breach,
    long long overdue, int late_days)
{
	char	name[64];

	assert_string_equal(client_str(o, "customer_id"), id);
	snprintf(name, sizeof(name), "Network, %s", id);
	assert_string_equal(client_str(o, "name"), name);
	assert_int_equal(client_int(o, "tier"), tier);
	assert_int_equal(client_int(o, "breach_day"), breach);
	assert_int_equal(client_int(o, "overdue_to_supplier"), overdue);
	if (late_days >= 0)
		assert_int_equal(client_int(o, "paid_late_days"), late_days);
	else
		assert_true(client_int(o, "paid_late_days") > 0);
}

/*
 * The path of a cascade: at L = 0 T2-B breaches only because T1-A paid
 * it nothing for fifteen days; at L = 45 T3-C is still owed 1,045,000 by
 * T2-B, itself owed 950,000 by T1-A. Treasury's alone.
 */
static void
network_cascade(void **state)
{
	struct resp	 r;
	const cJSON	*c, *up;
	cJSON		*j;
	char		 path[256];
	long long	 id;

	network_fixture();
	id = run("R-SCN-N", NULL, 45, NULL);

	j = cascade(id, "N-T2-B", 0);
	assert_string_equal(client_str(j, "supplier_id"), "N-T2-B");
	assert_int_equal(client_int(j, "run_id"), id);
	assert_int_equal(client_int(j, "outage_days"), 0);
	assert_int_equal(client_int(j, "breach_day"), 12);
	assert_string_equal(client_str(j, "breach_date"), "2025-09-13");
	assert_true(cJSON_IsTrue(client_item(j, "contagion")));
	assert_int_equal(cJSON_GetArraySize(client_item(j, "customers")), 1);
	c = cJSON_GetArrayItem(client_item(j, "customers"), 0);
	cascade_firm(c, "N-T1-A", 1, 6, 0, 15);
	assert_false(cJSON_IsTrue(client_item(c, "contagion")));
	/* Nobody sells to the OEM's tier 1 through a link here. */
	assert_int_equal(cJSON_GetArraySize(client_item(c, "paid_late_by")),
	    0);
	cJSON_Delete(j);

	j = cascade(id, "N-T3-C", 45);
	assert_int_equal(client_int(j, "breach_day"), 84);
	assert_false(cJSON_IsTrue(client_item(j, "contagion")));
	assert_int_equal(client_int(j, "overdue_receivables"), 1045000);
	assert_int_equal(cJSON_GetArraySize(client_item(j, "customers")), 1);
	c = cJSON_GetArrayItem(client_item(j, "customers"), 0);
	cascade_firm(c, "N-T2-B", 2, 62, 1045000, -1);
	assert_int_equal(cJSON_GetArraySize(client_item(c, "paid_late_by")),
	    1);
	up = cJSON_GetArrayItem(client_item(c, "paid_late_by"), 0);
	cascade_firm(up, "N-T1-A", 1, 8, 950000, -1);
	assert_null(client_item(up, "paid_late_by"));
	cJSON_Delete(j);

	/* T1-A's customer is the OEM: no link paid it late. */
	j = cascade(id, "N-T1-A", 45);
	assert_int_equal(cJSON_GetArraySize(client_item(j, "customers")), 0);
	assert_int_equal(client_int(j, "overdue_payables"), 950000);
	cJSON_Delete(j);

	/* Out of the run, unknown, or not treasury's key. */
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers/N-T2-B/"
	    "contagion?outage_days=46", id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers/N-T2-B/"
	    "contagion?outage_days=x", id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers/N-NONE/"
	    "contagion", id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, "/v1/stress-runs/999999999/suppliers/N-T2-B/contagion",
	    treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, "/v1/stress-runs/0x1/suppliers/N-T2-B/contagion",
	    treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers/N-T2-B/"
	    "contagion", id);
	client_get(&r, path, sup_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_get(&r, path, gov_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
}

/*
 * An order-basis scheme end to end: the version 2 example's T1-A,
 * prepaid 80 % at the order 14 days ahead and trued up the day after
 * delivery, the OEM bearing the fee. Its own figures do not depend on
 * the other firms in the database (no cap), so they are the engine's:
 * early_paid 47,750,000 and fees 603,751 at L = 21; its schedule shows
 * the first delivery's prepayment and true-up to the penny.
 */
static void
order_basis_run(void **state)
{
	struct resp	 r;
	const cJSON	*p, *pre = NULL, *tru = NULL;
	cJSON		*l;
	char		 path[256];
	long long	 id;

	sql("INSERT INTO suppliers (id, name, tier, region, sector, employees, "
	    "currency, cash, credit_available, min_liquidity, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days, scheme_opt_in) VALUES "
	    "('R-ORD-A', 'Runs, orders', 1, 'West Midlands', 'castings', 400, "
	    "'GBP', 3000000, 0, 0, 150000, 500000, 2000, 0, 60, true) "
	    "ON CONFLICT DO NOTHING");
	sql("INSERT INTO invoices (id, supplier_id, amount, currency, "
	    "issue_date, due_date, status, created_at, updated_at) "
	    "SELECT 'R-ORD-A-' || lpad(k::text, 3, '0'), 'R-ORD-A', 500000, "
	    "'GBP', DATE '2025-09-01' - 60 + k, DATE '2025-09-01' + k, "
	    "'approved', now(), now() FROM generate_series(0, 59) k "
	    "ON CONFLICT DO NOTHING");
	sql("INSERT INTO scenarios (id, name, start_date, horizon_days, "
	    "ramp_bps, payment_freeze_days, fixed_cost_relief_bps) VALUES "
	    "('R-SCN-O', 'Runs test, orders', '2025-09-01', 120, "
	    "'{5000,5000,5000,5000,5000,5000,5000}', 21, 0) "
	    "ON CONFLICT DO NOTHING");
	sql("INSERT INTO schemes (id, name, effective_from, payment_lag_days, "
	    "advance_rate_bps, annual_rate_bps, day_count_basis, fee_bearer, "
	    "eligible_tiers, requires_opt_in, basis, order_lead_days, "
	    "true_up_lag_days) VALUES ('R-SCH-O', 'Runs test, orders', "
	    "'2025-09-01', 0, 8000, 650, 365, 'oem', '{1}', false, 'order', "
	    "14, 1) ON CONFLICT DO NOTHING");

	id = run("R-SCN-O", "R-SCH-O", 30, NULL);
	l = line_of(id, 21, "R-ORD-A");
	assert_int_equal(client_int(l, "early_paid"), 47750000);
	assert_int_equal(client_int(l, "fees"), 603751);
	cJSON_Delete(l);

	/*
	 * The first delivery after the restart, day 21 at half output:
	 * 250,000, ordered on day 7, so 200,000 prepaid on 2025-09-08 and
	 * 50,000 trued up on day 22, 2025-09-23; both due on day 81.
	 */
	snprintf(path, sizeof(path), "/v1/suppliers/R-ORD-A/schedule?run=%lld"
	    "&outage_days=21", id);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	cJSON_ArrayForEach(p, client_item(r.json, "payments")) {
		if (pre == NULL && strcmp(client_str(p, "kind"),
		    "prepayment") == 0)
			pre = p;
		if (tru == NULL && strcmp(client_str(p, "kind"),
		    "true_up") == 0)
			tru = p;
		/* Open invoices were ordered before the scheme existed. */
		if (client_str(p, "invoice_id") != NULL)
			assert_string_equal(client_str(p, "kind"),
			    "maturity");
	}
	assert_non_null(pre);
	assert_non_null(tru);
	assert_string_equal(client_str(pre, "date"), "2025-09-08");
	assert_int_equal(client_int(pre, "gross"), 200000);
	assert_string_equal(client_str(tru, "date"), "2025-09-23");
	assert_int_equal(client_int(tru, "gross"), 50000);
	client_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worked_example),
		cmocka_unit_test(worked_example_freeze_and_relief),
		cmocka_unit_test(worked_example_scheme),
		cmocka_unit_test(results_never_change),
		cmocka_unit_test(report_order_and_pages),
		cmocka_unit_test(report_csv),
		cmocka_unit_test(list_get_and_publish),
		cmocka_unit_test(created_once_per_idempotency_key),
		cmocka_unit_test(refused_requests),
		cmocka_unit_test(access_matrix),
		cmocka_unit_test(network_worked_example),
		cmocka_unit_test(network_cascade),
		cmocka_unit_test(order_basis_run),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
