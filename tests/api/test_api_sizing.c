/*
 * Facility sizing against the real server: every point of a grid held
 * to the engine's model_size_facility run here, in the test, on the same
 * suppliers and invoices, including a grid where a larger facility
 * leaves more suppliers below; the stored sizing read back in the same
 * bytes, listed, filtered and as CSV; validation; idempotency; the
 * access matrix.
 *
 * Fixtures go straight into the database under Z- ids, as in the stress
 * run tests. Other test programs share the database, and a run's
 * snapshot holds every supplier, so the scheme is made so that only the
 * two Z- suppliers can be eligible (a start date a century ahead, a
 * minimum invoice amount none of the others reaches): everyone else's
 * figures are the same at every limit of the grid, and the counts are
 * compared as those of the Z- suppliers plus that same base.
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
#include "core/date.h"
#include "core/model.h"

#define START	"2125-03-03"

static char	*sup_key;
static char	*gov_key;
static long long run_id;	/* on Z-SCN, max_outage_days 5 */

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

/*
 * The crowding case of the engine's unit tests: A (cash 100m, 100
 * employees) has an invoice of 6m due on day 5, B (cash 1m, 30
 * employees, costs 500,000 a day) one of 4m due on day 8; both are
 * offered on day 0, A's first. The uncapped peak is 10m; with ten steps
 * the limits are whole millions: below 4m neither fits and B breaches,
 * at 4m and 5m only B's fits and B holds, from 6m A's fits first and
 * crowds B's out, and at 10m both fit.
 */
struct fixture {
	struct model_supplier	 sup[2];
	struct model_invoice	 inv[2];
	struct model_scheme	 scheme;
	struct model_input	 in;
};

static void
fixture(struct fixture *f)
{
	int32_t	start;

	memset(f, 0, sizeof(*f));
	assert_int_equal(date_parse(START, &start), 0);
	f->sup[0].id = "Z-A";
	f->sup[0].tier = 1;
	f->sup[0].employees = 100;
	f->sup[0].cash = 100000000;
	f->sup[0].payment_terms_days = 60;
	f->sup[0].scheme_opt_in = 1;
	f->sup[1].id = "Z-B";
	f->sup[1].tier = 1;
	f->sup[1].employees = 30;
	f->sup[1].cash = 1000000;
	f->sup[1].fixed_daily_costs = 500000;
	f->sup[1].payment_terms_days = 60;
	f->sup[1].scheme_opt_in = 1;
	f->inv[0].id = "Z-A-1";
	f->inv[0].supplier_id = "Z-A";
	f->inv[0].outstanding = 6000000;
	f->inv[0].due_date = start + 5;
	f->inv[1].id = "Z-B-1";
	f->inv[1].supplier_id = "Z-B";
	f->inv[1].outstanding = 4000000;
	f->inv[1].due_date = start + 8;
	f->in.suppliers = f->sup;
	f->in.nsuppliers = 2;
	f->in.invoices = f->inv;
	f->in.ninvoices = 2;
	f->in.scenario.start_date = start;
	f->in.scenario.horizon_days = 10;
	f->in.scheme = &f->scheme;
	f->scheme.effective_from = start;
	f->scheme.advance_rate_bps = 10000;
	f->scheme.annual_rate_bps = 650;
	f->scheme.day_count_basis = 365;
	f->scheme.fee_bearer = MODEL_FEE_OEM;
	f->scheme.eligible_tiers = 1U << 1;
	f->scheme.has_max_employees = 1;
	f->scheme.max_employees = 100;
	f->scheme.min_invoice_amount = 3500000;
	f->scheme.requires_opt_in = 1;
}

static void
supplier(const char *id, int employees, long long cash, long long fixed)
{
	sql("INSERT INTO suppliers (id, name, tier, region, sector, employees, "
	    "currency, cash, credit_available, min_liquidity, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days, scheme_opt_in) VALUES "
	    "('%s', 'Sizing, %s', 1, 'West Midlands', 'castings', %d, 'GBP', "
	    "%lld, 0, 0, %lld, 0, 0, 0, 60, true) ON CONFLICT DO NOTHING",
	    id, id, employees, cash, fixed);
}

static void
invoice(const char *id, const char *sup, long long amount, int due)
{
	sql("INSERT INTO invoices (id, supplier_id, amount, currency, "
	    "issue_date, due_date, status, created_at, updated_at) VALUES "
	    "('%s', '%s', %lld, 'GBP', DATE '" START "' - 30, "
	    "DATE '" START "' + %d, 'approved', now(), now()) "
	    "ON CONFLICT DO NOTHING", id, sup, amount, due);
}

static int
setup(void **state)
{
	struct resp	r;

	curl_global_init(CURL_GLOBAL_ALL);
	supplier("Z-A", 100, 100000000, 0);
	supplier("Z-B", 30, 1000000, 500000);
	invoice("Z-A-1", "Z-A", 6000000, 5);
	invoice("Z-B-1", "Z-B", 4000000, 8);
	sql("INSERT INTO scenarios (id, name, start_date, horizon_days, "
	    "ramp_bps, payment_freeze_days, fixed_cost_relief_bps) VALUES "
	    "('Z-SCN', 'Sizing test', '" START "', 10, '{}', 0, 0) "
	    "ON CONFLICT DO NOTHING");
	sql("INSERT INTO schemes (id, name, effective_from, payment_lag_days, "
	    "advance_rate_bps, annual_rate_bps, day_count_basis, fee_bearer, "
	    "eligible_tiers, max_employees, min_invoice_amount, "
	    "requires_opt_in, per_supplier_cap, facility_limit) VALUES "
	    "('Z-SCH', 'Sizing test', '" START "', 0, 10000, 650, 365, 'oem', "
	    "'{1}', 100, 3500000, true, NULL, NULL), "
	    "('Z-SCH-CAP', 'Sizing test, capped', '" START "', 0, 10000, 650, "
	    "365, 'oem', '{1}', 100, 3500000, true, NULL, 1) "
	    "ON CONFLICT DO NOTHING");
	sup_key = client_new_key("supplier", "Z-A");
	gov_key = client_new_key("government", NULL);
	/* The run has no scheme: a sizing takes its own. */
	client_post_json(&r, "/v1/stress-runs", treasury(),
	    "{\"scenario_id\":\"Z-SCN\",\"scheme_id\":null,"
	    "\"max_outage_days\":5}");
	assert_int_equal(r.status, 201);
	run_id = client_int(r.json, "id");
	client_free(&r);
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

/* POST a sizing; 201 expected, the body kept in *out. */
static void
size(struct resp *out, const char *scheme, int L, const char *more)
{
	char	body[512];

	snprintf(body, sizeof(body), "{\"run_id\":%lld,\"scheme_id\":\"%s\","
	    "\"outage_days\":%d%s}", run_id, scheme, L, more);
	client_post_json(out, "/v1/facility-sizing", treasury(), body);
	if (out->status != 201)
		fprintf(stderr, "POST /v1/facility-sizing: %ld %s\n",
		    out->status, out->body ? out->body : "");
	assert_int_equal(out->status, 201);
}

/*
 * Every point of the server's grid against the engine's on the two Z-
 * suppliers: limits, money and the OEM's cost exactly, counts and the
 * funding gap as the engine's plus one base, the same at every point.
 * The base (other programs' suppliers below) comes back in *base.
 */
static void
assert_points(const cJSON *j, const struct model_sizing_point *pts,
    const struct model_sizing *z, long long *base)
{
	const cJSON	*a, *p;
	long long	 b_below, b_emp, b_gap;
	int		 k;

	assert_int_equal(client_int(j, "run_id"), run_id);
	assert_int_equal(client_int(j, "outage_days"), z->outage_days);
	assert_int_equal(client_int(j, "steps"), z->steps);
	assert_int_equal(client_int(j, "unlimited_peak"), z->uncapped_peak);
	a = client_item(j, "points");
	assert_int_equal(cJSON_GetArraySize(a), z->steps + 1);
	p = cJSON_GetArrayItem(a, (int)z->steps);
	b_below = client_int(p, "suppliers_below") -
	    pts[z->steps].point.suppliers_below;
	b_emp = client_int(p, "employees_at_risk") -
	    pts[z->steps].point.employees_at_risk;
	b_gap = client_int(p, "funding_gap") - pts[z->steps].point.funding_gap;
	assert_true(b_below >= 0 && b_emp >= 0 && b_gap >= 0);
	for (k = 0; k <= z->steps; k++) {
		p = cJSON_GetArrayItem(a, k);
		assert_int_equal(client_int(p, "facility_limit"),
		    pts[k].facility_limit);
		assert_int_equal(client_int(p, "suppliers_below"),
		    b_below + pts[k].point.suppliers_below);
		assert_int_equal(client_int(p, "employees_at_risk"),
		    b_emp + pts[k].point.employees_at_risk);
		assert_int_equal(client_int(p, "funding_gap"),
		    b_gap + pts[k].point.funding_gap);
		assert_int_equal(client_int(p, "early_paid"),
		    pts[k].point.early_paid);
		assert_int_equal(client_int(p, "fees"), pts[k].point.fees);
		assert_int_equal(client_int(p, "oem_cost"),
		    pts[k].point.oem_cost);
		assert_int_equal(client_int(p, "peak_facility_use"),
		    pts[k].point.peak_facility_use);
	}
	assert_int_equal(client_int(j, "target_suppliers_below"),
	    b_below + z->target);
	if (z->facility_limit == MODEL_NONE)
		assert_true(cJSON_IsNull(client_item(j,
		    "smallest_sufficient_limit")));
	else
		assert_int_equal(client_int(j, "smallest_sufficient_limit"),
		    z->facility_limit);
	*base = b_below;
}

static void
grid_against_the_engine(void **state)
{
	static const int64_t	 below[11] = {
		1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0
	};
	struct model_sizing_point pts[MODEL_SIZING_STEPS_MAX + 1];
	struct model_sizing	 z;
	struct model_error	 e;
	struct fixture		 f;
	struct resp		 r;
	const cJSON		*a;
	long long		 base, base2;
	char			 more[64];
	int			 k;

	fixture(&f);
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 10, 0, 0, pts,
	    &z, &e), 0);
	/* The engine's answer is the hand-made one: not monotone. */
	assert_int_equal(z.uncapped_peak, 10000000);
	for (k = 0; k <= 10; k++) {
		assert_int_equal(pts[k].facility_limit, k * 1000000);
		assert_int_equal(pts[k].point.suppliers_below, below[k]);
	}
	assert_int_equal(z.facility_limit, 4000000);
	/* 4m for 8 days at 6.5 %, the OEM's: rhe(4m * 650 * 8, 3,650,000). */
	assert_int_equal(pts[4].point.fees, 5699);
	assert_int_equal(pts[4].point.oem_cost, 5699);

	size(&r, "Z-SCH", 0, ",\"steps\":10");
	assert_points(r.json, pts, &z, &base);
	assert_string_equal(client_str(r.json, "scheme_id"), "Z-SCH");
	/* A larger facility leaves more below: 5m holds B, 6m does not. */
	a = client_item(r.json, "points");
	assert_true(client_int(cJSON_GetArrayItem(a, 6), "suppliers_below") >
	    client_int(cJSON_GetArrayItem(a, 5), "suppliers_below"));
	client_free(&r);

	/* A target of one more below: no facility at all is enough. */
	snprintf(more, sizeof(more), ",\"steps\":10,"
	    "\"target_suppliers_below\":%lld", base + 1);
	size(&r, "Z-SCH", 0, more);
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 10, 1, 1, pts,
	    &z, &e), 0);
	assert_points(r.json, pts, &z, &base2);
	assert_int_equal(base2, base);
	assert_int_equal(client_int(r.json, "smallest_sufficient_limit"), 0);
	client_free(&r);

	/* At most the base: only the whole facility, on three steps. */
	snprintf(more, sizeof(more), ",\"steps\":3,"
	    "\"target_suppliers_below\":%lld", base);
	size(&r, "Z-SCH", 0, more);
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 3, 1, 0, pts,
	    &z, &e), 0);
	assert_int_equal(z.facility_limit, 10000000);
	assert_points(r.json, pts, &z, &base2);
	client_free(&r);
	/* Fewer than the base: no limit is enough. */
	if (base > 0) {
		snprintf(more, sizeof(more), ",\"steps\":3,"
		    "\"target_suppliers_below\":%lld", base - 1);
		size(&r, "Z-SCH", 0, more);
		assert_true(cJSON_IsNull(client_item(r.json,
		    "smallest_sufficient_limit")));
		client_free(&r);
	}

	/* Twenty steps by default, at another length; rounded limits. */
	size(&r, "Z-SCH", 3, "");
	assert_int_equal(model_size_facility(&f.in, NULL, 3, 20, 0, 0, pts,
	    &z, &e), 0);
	assert_int_equal(client_int(r.json, "steps"), 20);
	assert_points(r.json, pts, &z, &base2);
	client_free(&r);
	size(&r, "Z-SCH", 0, ",\"steps\":3");
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 3, 0, 0, pts,
	    &z, &e), 0);
	assert_int_equal(pts[1].facility_limit, 3333333);
	assert_int_equal(pts[2].facility_limit, 6666667);
	assert_points(r.json, pts, &z, &base2);
	client_free(&r);

	/* The scheme's own limit does not bound the grid. */
	size(&r, "Z-SCH-CAP", 0, ",\"steps\":10");
	f.scheme.has_facility_limit = 1;
	f.scheme.facility_limit = 1;
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 10, 0, 0, pts,
	    &z, &e), 0);
	assert_int_equal(z.uncapped_peak, 10000000);
	assert_points(r.json, pts, &z, &base2);
	client_free(&r);
}

static void
stored_listed_and_csv(void **state)
{
	struct resp	 r, g, c;
	const cJSON	*items, *it, *pts, *p;
	char		 path[128], line[256], *s, *nl;
	long long	 id, id2;
	int		 k, found;

	size(&r, "Z-SCH", 1, ",\"steps\":4");
	id = client_int(r.json, "id");
	assert_true(id > 0);
	assert_non_null(client_str(r.json, "created_at"));

	/* Read back: the same bytes. */
	snprintf(path, sizeof(path), "/v1/facility-sizing/%lld", id);
	client_get(&g, path, treasury());
	assert_int_equal(g.status, 200);
	assert_int_equal(g.len, r.len);
	assert_memory_equal(g.body, r.body, r.len);
	client_free(&g);

	/* The points as CSV, in the JSON's order and names. */
	client_call_with(&c, "GET", path, treasury(), NULL, NULL, 0,
	    "Accept: text/csv");
	assert_int_equal(c.status, 200);
	assert_non_null(strstr(c.content_type, "text/csv"));
	s = c.body;
	assert_non_null(nl = strstr(s, "\r\n"));
	assert_true((size_t)(nl - s) < sizeof(line));
	memcpy(line, s, (size_t)(nl - s));
	line[nl - s] = '\0';
	assert_string_equal(line, "facility_limit,suppliers_below,"
	    "employees_at_risk,funding_gap,early_paid,fees,oem_cost,"
	    "peak_facility_use");
	pts = client_item(r.json, "points");
	for (k = 0; k < cJSON_GetArraySize(pts); k++) {
		p = cJSON_GetArrayItem(pts, k);
		s = nl + 2;
		assert_non_null(nl = strstr(s, "\r\n"));
		memcpy(line, s, (size_t)(nl - s));
		line[nl - s] = '\0';
		snprintf(path, sizeof(path), "%lld,%lld,%lld,%lld,%lld,%lld,"
		    "%lld,%lld", client_int(p, "facility_limit"),
		    client_int(p, "suppliers_below"),
		    client_int(p, "employees_at_risk"),
		    client_int(p, "funding_gap"), client_int(p, "early_paid"),
		    client_int(p, "fees"), client_int(p, "oem_cost"),
		    client_int(p, "peak_facility_use"));
		assert_string_equal(line, path);
	}
	assert_string_equal(nl + 2, "");
	client_free(&c);
	client_free(&r);

	/* Listed newest first, without points; filtered by run; paged. */
	size(&r, "Z-SCH", 2, ",\"steps\":2");
	id2 = client_int(r.json, "id");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/facility-sizing?run_id=%lld&limit=1",
	    run_id);
	client_get(&g, path, treasury());
	assert_int_equal(g.status, 200);
	items = client_item(g.json, "items");
	assert_int_equal(cJSON_GetArraySize(items), 1);
	it = cJSON_GetArrayItem(items, 0);
	assert_int_equal(client_int(it, "id"), id2);
	assert_null(cJSON_GetObjectItemCaseSensitive(it, "points"));
	assert_int_equal(client_int(it, "outage_days"), 2);
	assert_true(cJSON_IsString(client_item(g.json, "next_cursor")));
	snprintf(path, sizeof(path), "/v1/facility-sizing?run_id=%lld&"
	    "limit=1000&cursor=%s", run_id,
	    client_str(g.json, "next_cursor"));
	client_free(&g);
	client_get(&g, path, treasury());
	assert_int_equal(g.status, 200);
	found = 0;
	cJSON_ArrayForEach(it, client_item(g.json, "items")) {
		assert_int_equal(client_int(it, "run_id"), run_id);
		assert_true(client_int(it, "id") < id2);
		if (client_int(it, "id") == id)
			found = 1;
	}
	assert_true(found);
	client_free(&g);
	/* Another run's sizings are not this one's. */
	client_get(&g, "/v1/facility-sizing?run_id=999999999", treasury());
	assert_int_equal(g.status, 200);
	assert_int_equal(cJSON_GetArraySize(client_item(g.json, "items")), 0);
	client_free(&g);
	client_get(&g, "/v1/facility-sizing?run_id=x", treasury());
	client_assert_error(&g, 400, "bad_request");
	client_free(&g);
	client_get(&g, "/v1/facility-sizing?cursor=%21", treasury());
	client_assert_error(&g, 400, "bad_request");
	client_free(&g);

	/* Unknown ids. */
	client_get(&g, "/v1/facility-sizing/999999999", treasury());
	client_assert_error(&g, 404, "not_found");
	client_free(&g);
	client_get(&g, "/v1/facility-sizing/0x1", treasury());
	client_assert_error(&g, 404, "not_found");
	client_free(&g);
}

/* The 422's details name exactly these fields, in this order. */
static void
refused(const char *body, const char *const *fields)
{
	struct resp	 r;
	const cJSON	*d, *it;
	int		 n = 0;

	client_post_json(&r, "/v1/facility-sizing", treasury(), body);
	if (r.status != 422)
		fprintf(stderr, "%s: %ld %s\n", body, r.status,
		    r.body ? r.body : "");
	client_assert_error(&r, 422, "validation_failed");
	d = cJSON_GetObjectItemCaseSensitive(client_item(r.json, "error"),
	    "details");
	cJSON_ArrayForEach(it, d) {
		assert_non_null(fields[n]);
		assert_string_equal(client_str(it, "field"), fields[n]);
		n++;
	}
	assert_null(fields[n]);
	client_free(&r);
}

static void
refused_requests(void **state)
{
	static const char *const steps[] = { "steps", NULL };
	static const char *const L[] = { "outage_days", NULL };
	static const char *const scheme[] = { "scheme_id", NULL };
	static const char *const run[] = { "run_id", NULL };
	static const char *const both[] = { "run_id", "scheme_id", NULL };
	static const char *const target[] = { "target_suppliers_below", NULL };
	static const char *const unknown[] = { "facility_limit", NULL };
	static const char *const all[] = {
		"run_id", "scheme_id", "outage_days", NULL
	};
	struct resp	 r;
	char		 b[512];
	long long	 before;

	before = client_sql_long("SELECT count(*) FROM facility_sizings");
#define R(fmt, f) do {							\
	snprintf(b, sizeof(b), fmt, run_id);				\
	refused(b, f);							\
} while (0)
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":0,"
	    "\"steps\":0}", steps);
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":0,"
	    "\"steps\":201}", steps);
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":0,"
	    "\"steps\":\"20\"}", steps);
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":0,"
	    "\"steps\":2.5}", steps);
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":0,"
	    "\"steps\":true}", steps);
	/* Beyond the run's five days, though within the horizon's ten. */
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":6}", L);
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":-1}", L);
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":\"1\"}",
	    L);
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-NONE\",\"outage_days\":0}",
	    scheme);
	R("{\"run_id\":%lld,\"scheme_id\":7,\"outage_days\":0}", scheme);
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":0,"
	    "\"target_suppliers_below\":-1}", target);
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":0,"
	    "\"target_suppliers_below\":\"1\"}", target);
	R("{\"run_id\":%lld,\"scheme_id\":\"Z-SCH\",\"outage_days\":0,"
	    "\"facility_limit\":5}", unknown);
#undef R
	refused("{\"run_id\":999999999,\"scheme_id\":\"Z-SCH\","
	    "\"outage_days\":0}", run);
	refused("{\"run_id\":999999999,\"scheme_id\":\"Z-NONE\","
	    "\"outage_days\":0}", both);
	refused("{\"run_id\":\"1\",\"scheme_id\":\"Z-SCH\","
	    "\"outage_days\":0}", run);
	refused("{\"run_id\":0,\"scheme_id\":\"Z-SCH\",\"outage_days\":0}",
	    run);
	refused("{}", all);

	client_post_json(&r, "/v1/facility-sizing", treasury(), "{\"run_id\":");
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_call(&r, "POST", "/v1/facility-sizing", treasury(),
	    "text/plain", "x", 1);
	client_assert_error(&r, 415, "unsupported_media_type");
	client_free(&r);
	client_call(&r, "DELETE", "/v1/facility-sizing", treasury(), NULL,
	    NULL, 0);
	assert_int_equal(r.status, 405);
	client_free(&r);
	/* Nothing was written. */
	assert_int_equal(client_sql_long("SELECT count(*) FROM "
	    "facility_sizings"), before);
}

static void
created_once_per_idempotency_key(void **state)
{
	struct resp	 a, b;
	char		 body[256], other[256];
	long long	 before;

	snprintf(body, sizeof(body), "{\"run_id\":%lld,\"scheme_id\":"
	    "\"Z-SCH\",\"outage_days\":0,\"steps\":5}", run_id);
	snprintf(other, sizeof(other), "{\"run_id\":%lld,\"scheme_id\":"
	    "\"Z-SCH\",\"outage_days\":0,\"steps\":6}", run_id);
	before = client_sql_long("SELECT count(*) FROM facility_sizings");
	client_call_with(&a, "POST", "/v1/facility-sizing", treasury(),
	    "application/json", body, strlen(body), "Idempotency-Key: Z-idem");
	assert_int_equal(a.status, 201);
	client_call_with(&b, "POST", "/v1/facility-sizing", treasury(),
	    "application/json", body, strlen(body), "Idempotency-Key: Z-idem");
	assert_int_equal(b.status, 201);
	assert_int_equal(b.len, a.len);
	assert_memory_equal(b.body, a.body, a.len);
	client_free(&b);
	client_call_with(&b, "POST", "/v1/facility-sizing", treasury(),
	    "application/json", other, strlen(other),
	    "Idempotency-Key: Z-idem");
	client_assert_error(&b, 409, "idempotency_conflict");
	client_free(&b);
	assert_int_equal(client_sql_long("SELECT count(*) FROM "
	    "facility_sizings"), before + 1);
	/* Without a key, another sizing. */
	client_post_json(&b, "/v1/facility-sizing", treasury(), body);
	assert_int_equal(b.status, 201);
	assert_true(client_int(b.json, "id") != client_int(a.json, "id"));
	client_free(&b);
	client_free(&a);
	/* Stored sizings never change. */
	assert_int_not_equal(client_sql("UPDATE facility_sizings SET steps = "
	    "steps"), 0);
	assert_int_not_equal(client_sql("DELETE FROM facility_sizings"), 0);
}

static void
access_matrix(void **state)
{
	const char	*keys[2] = { sup_key, gov_key };
	struct resp	 r;
	char		 body[256], path[64];
	long long	 id;
	int		 i;

	snprintf(body, sizeof(body), "{\"run_id\":%lld,\"scheme_id\":"
	    "\"Z-SCH\",\"outage_days\":0,\"steps\":1}", run_id);
	size(&r, "Z-SCH", 0, ",\"steps\":1");
	id = client_int(r.json, "id");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/facility-sizing/%lld", id);
	for (i = 0; i < 2; i++) {
		client_post_json(&r, "/v1/facility-sizing", keys[i], body);
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
		client_get(&r, "/v1/facility-sizing", keys[i]);
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
		client_get(&r, path, keys[i]);
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
	}
	client_get(&r, path, NULL);
	client_assert_error(&r, 401, "unauthorized");
	client_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grid_against_the_engine),
		cmocka_unit_test(stored_listed_and_csv),
		cmocka_unit_test(refused_requests),
		cmocka_unit_test(created_once_per_idempotency_key),
		cmocka_unit_test(access_matrix),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
