/*
 * Outage probabilities against the real server: a scenario keeps them
 * (every refusal listed, nothing written), a run's range must hold every
 * length they name, a run's expected figures to the unit against its own
 * curve, each supplier's breach probability against its report at each
 * length, the report sorted by it (JSON pages and CSV), and government's
 * expected firms and jobs at risk per group under the exposure's
 * disclosure control, signed.
 *
 * Other test programs share the database: a run snapshots every supplier
 * there is, so figures are read for this program's suppliers, or
 * computed from what the same run publishes elsewhere.
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
#include <curl/curl.h>
#include <sodium.h>

#include "client.h"

static char		 prefix[32];
static char		*sup_key;
static char		*gov_key;
static unsigned char	 public_key[crypto_sign_PUBLICKEYBYTES];

/* The run scenario's distribution. */
static const int	 dist_days[] = { 23, 50, 60 };
static const int	 dist_bps[] = { 5000, 3000, 2000 };
#define NDIST	3

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

/* rhe(n, d): n / d rounded half to even, d > 0, as the model's. */
static long long
rhe(long long n, long long d)
{
	long long	q, r;

	q = n / d;
	r = n % d;
	if (r < 0) {
		q--;
		r += d;
	}
	if (2 * r > d || (2 * r == d && (q & 1)))
		q++;
	return (q);
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

/* A supplier of the runs worked example, with its cash, and invoices. */
static void
firm(const char *name, long long cash)
{
	sql("INSERT INTO suppliers (id, name, tier, region, sector, employees, "
	    "currency, cash, credit_available, min_liquidity, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days, scheme_opt_in) VALUES "
	    "('%s', 'Outage %s', 1, 'West Midlands', 'castings', 100, 'GBP', "
	    "%lld, 0, 0, 200000, 500000, 6000, 0, 30, true)", sid(name), name,
	    cash);
	sql("INSERT INTO invoices (id, supplier_id, amount, currency, "
	    "issue_date, due_date, status, created_at, updated_at) "
	    "SELECT '%s-INV-' || lpad(k::text, 3, '0'), '%s', 500000, 'GBP', "
	    "DATE '2025-09-01' - 30, DATE '2025-09-01' + k, 'approved', now(), "
	    "now() FROM generate_series(0, 29) k", sid(name), sid(name));
}

/* POST a scenario; extra is more fields, "" for none. */
static void
scenario(struct resp *r, const char *id, const char *extra)
{
	char	b[4096];

	snprintf(b, sizeof(b), "{\"id\":\"%s\",\"name\":\"Outage test\","
	    "\"start_date\":\"2025-09-01\",\"horizon_days\":120,"
	    "\"ramp_bps\":[5000,5000,5000,5000,5000,5000,5000]%s%s}", id,
	    *extra ? "," : "", extra);
	client_post_json(r, "/v1/scenarios", treasury(), b);
}

static const char *
dist_json(void)
{
	static char	b[256];

	snprintf(b, sizeof(b), "\"outage_probabilities\":["
	    "{\"outage_days\":%d,\"probability_bps\":%d},"
	    "{\"outage_days\":%d,\"probability_bps\":%d},"
	    "{\"outage_days\":%d,\"probability_bps\":%d}]",
	    dist_days[0], dist_bps[0], dist_days[1], dist_bps[1],
	    dist_days[2], dist_bps[2]);
	return (b);
}

static int
setup(void **state)
{
	struct resp	 r;
	const char	*pk;
	size_t		 len;

	(void)state;
	if (sodium_init() == -1)
		return (-1);
	curl_global_init(CURL_GLOBAL_ALL);
	snprintf(prefix, sizeof(prefix), "TOP%ld-", (long)getpid());
	/* Three firms breaking at different lengths, one never. */
	firm("A", 10000000);
	firm("B", 7000000);
	firm("C", 4000000);
	firm("D", 90000000);
	scenario(&r, sid("SC"), dist_json());
	if (r.status != 201)
		return (-1);
	client_free(&r);
	scenario(&r, sid("SC0"), "");
	if (r.status != 201)
		return (-1);
	client_free(&r);
	sup_key = client_new_key("supplier", sid("A"));
	gov_key = client_new_key("government", NULL);

	client_get(&r, "/v1/exposure/public-key", gov_key);
	if (r.status != 200 || (pk = client_str(r.json, "public_key")) ==
	    NULL || sodium_base642bin(public_key, sizeof(public_key), pk,
	    strlen(pk), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) !=
	    0 || len != sizeof(public_key))
		return (-1);
	client_free(&r);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	free(sup_key);
	free(gov_key);
	curl_global_cleanup();
	return (0);
}

/* A scenario reads back with its probabilities in the order given. */
static void
scenario_keeps_them(void **state)
{
	struct resp	 r;
	const cJSON	*p, *e;
	char		 path[256];
	int		 i;

	(void)state;
	snprintf(path, sizeof(path), "/v1/scenarios/%s", sid("SC"));
	client_get(&r, path, gov_key);
	assert_int_equal(r.status, 200);
	p = client_item(r.json, "outage_probabilities");
	assert_int_equal(cJSON_GetArraySize(p), NDIST);
	for (i = 0; i < NDIST; i++) {
		e = cJSON_GetArrayItem(p, i);
		assert_int_equal(client_int(e, "outage_days"), dist_days[i]);
		assert_int_equal(client_int(e, "probability_bps"),
		    dist_bps[i]);
	}
	client_free(&r);

	snprintf(path, sizeof(path), "/v1/scenarios/%s", sid("SC0"));
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsNull(client_item(r.json,
	    "outage_probabilities")));
	client_free(&r);

	/* The same again is 200; other probabilities, 409 naming them. */
	scenario(&r, sid("SC"), dist_json());
	assert_int_equal(r.status, 200);
	client_free(&r);
	scenario(&r, sid("SC"), "\"outage_probabilities\":["
	    "{\"outage_days\":23,\"probability_bps\":10000}]");
	client_assert_error(&r, 409, "conflict");
	assert_non_null(detail(&r, "outage_probabilities"));
	client_free(&r);
	scenario(&r, sid("SC0"), dist_json());
	client_assert_error(&r, 409, "conflict");
	client_free(&r);
}

static long
scenarios_like(const char *id)
{
	char	q[512];

	snprintf(q, sizeof(q), "SELECT count(*) FROM scenarios "
	    "WHERE id LIKE '%s%%'", id);
	return (client_sql_long(q));
}

/* Every problem of the probabilities at once; nothing written. */
static void
scenario_refusals(void **state)
{
	struct resp	 r;

	(void)state;
	scenario(&r, sid("BAD1"), "\"outage_probabilities\":["
	    "{\"outage_days\":23,\"probability_bps\":0},"
	    "{\"outage_days\":1.5,\"probability_bps\":100},"
	    "{\"outage_days\":\"30\",\"probability_bps\":100,\"p\":1},"
	    "{\"probability_bps\":100}, 7]");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "outage_probabilities[0].probability_bps"));
	assert_non_null(detail(&r, "outage_probabilities[1].outage_days"));
	assert_non_null(detail(&r, "outage_probabilities[2].outage_days"));
	assert_non_null(detail(&r, "outage_probabilities[2].p"));
	assert_non_null(detail(&r, "outage_probabilities[3].outage_days"));
	assert_non_null(detail(&r, "outage_probabilities[4]"));
	assert_int_equal(cJSON_GetArraySize(client_item(client_item(r.json,
	    "error"), "details")), 6);
	client_free(&r);

	/* Distinct, within the horizon (120), together with the sum. */
	scenario(&r, sid("BAD2"), "\"outage_probabilities\":["
	    "{\"outage_days\":23,\"probability_bps\":4000},"
	    "{\"outage_days\":23,\"probability_bps\":3000},"
	    "{\"outage_days\":121,\"probability_bps\":3000}]");
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(client_str(detail(&r,
	    "outage_probabilities[1].outage_days"), "problem"),
	    "duplicates outage_probabilities[0] (23 days)");
	assert_string_equal(client_str(detail(&r,
	    "outage_probabilities[2].outage_days"), "problem"),
	    "must be between 0 and 120, got 121");
	client_free(&r);

	scenario(&r, sid("BAD3"), "\"outage_probabilities\":["
	    "{\"outage_days\":23,\"probability_bps\":4000},"
	    "{\"outage_days\":30,\"probability_bps\":5999}]");
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(client_str(detail(&r, "outage_probabilities"),
	    "problem"), "must sum to 10000, got 9999");
	client_free(&r);

	scenario(&r, sid("BAD4"), "\"outage_probabilities\":[]");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "outage_probabilities"));
	client_free(&r);

	/* 1e3 is not an integer in a body, whatever it equals. */
	scenario(&r, sid("BAD5"), "\"outage_probabilities\":["
	    "{\"outage_days\":23,\"probability_bps\":1e4}]");
	assert_true(r.status == 400 || r.status == 422);
	client_free(&r);

	assert_int_equal(scenarios_like(sid("BAD")), 0);
}

static long
runs_of(const char *scenario_id)
{
	char	q[512];

	snprintf(q, sizeof(q), "SELECT count(*) FROM stress_runs "
	    "WHERE scenario_id = '%s'", scenario_id);
	return (client_sql_long(q));
}

static long long
run(const char *scenario_id, int max, struct resp *out)
{
	struct resp	 r;
	char		 body[256];
	long long	 id;

	snprintf(body, sizeof(body), "{\"scenario_id\":\"%s\","
	    "\"max_outage_days\":%d}", scenario_id, max);
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

/* A range short of a length given is 422, and no run is begun. */
static void
run_range_holds_every_length(void **state)
{
	struct resp	 r;

	(void)state;
	client_post_json(&r, "/v1/stress-runs", treasury(), "{\"scenario_id\":"
	    "\"nonexistent-outage\",\"max_outage_days\":10}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "scenario_id"));
	client_free(&r);

	client_post_json(&r, "/v1/stress-runs", treasury(), "{\"scenario_id\":"
	    "\"x\"}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);

	{
		char	body[256];

		snprintf(body, sizeof(body), "{\"scenario_id\":\"%s\","
		    "\"max_outage_days\":59}", sid("SC"));
		client_post_json(&r, "/v1/stress-runs", treasury(), body);
	}
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(client_str(detail(&r, "max_outage_days"),
	    "problem"), "must be at least 60, the longest outage length in "
	    "the scenario's outage_probabilities");
	client_free(&r);
	assert_int_equal(runs_of(sid("SC")), 0);
}

/* The report's line for a supplier at L, by paging. */
static cJSON *
line_of(long long id, int L, const char *supplier)
{
	struct resp	 r;
	const cJSON	*it, *next;
	cJSON		*found = NULL;
	char		 path[1024], cursor[600] = "";

	for (;;) {
		snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
		    "outage_days=%d&limit=1000%s%s", id, L,
		    cursor[0] ? "&cursor=" : "", cursor);
		client_get(&r, path, treasury());
		assert_int_equal(r.status, 200);
		cJSON_ArrayForEach(it, client_item(r.json, "items")) {
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
expected_from_curve(const cJSON *rj)
{
	static const char *const	 names[] = { "suppliers_below",
	    "employees_at_risk", "funding_gap", "oem_cost" };
	const cJSON	*curve, *ex;
	long long	 sum;
	size_t		 k;
	int		 i;

	curve = client_item(rj, "curve");
	ex = client_item(rj, "expected");
	assert_true(cJSON_IsObject(ex));
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		for (i = 0, sum = 0; i < NDIST; i++)
			sum += dist_bps[i] * client_int(cJSON_GetArrayItem(
			    curve, dist_days[i]), names[k]);
		assert_int_equal(client_int(ex, names[k]), rhe(sum, 10000));
	}
}

/*
 * The expected figures from the run's own curve; each firm's breach
 * probability from its lines at the lengths weighted; a run without
 * probabilities has nulls.
 */
static void
expected_and_breach_probabilities(void **state)
{
	static const char *const	 firms[] = { "A", "B", "C", "D" };
	struct resp	 r;
	const cJSON	*p;
	cJSON		*l;
	char		 path[256];
	long long	 id, id0, want;
	size_t		 k;
	int		 i, some = 0;

	(void)state;
	id = run(sid("SC"), 60, &r);
	expected_from_curve(r.json);
	p = client_item(r.json, "outage_probabilities");
	assert_int_equal(cJSON_GetArraySize(p), NDIST);
	assert_int_equal(client_int(cJSON_GetArrayItem(p, 2),
	    "outage_days"), 60);
	/* Nothing below at 0, something at 60: the figures are not 0. */
	assert_true(client_int(client_item(r.json, "expected"),
	    "suppliers_below") > 0);
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld", id);
	client_get(&r, path, treasury());
	assert_int_equal(r.status, 200);
	expected_from_curve(r.json);
	client_free(&r);

	for (k = 0; k < sizeof(firms) / sizeof(firms[0]); k++) {
		for (i = 0, want = 0; i < NDIST; i++) {
			l = line_of(id, dist_days[i], sid(firms[k]));
			if (!cJSON_IsNull(client_item(l, "breach_day")))
				want += dist_bps[i];
			cJSON_Delete(l);
		}
		/* The same on every length's report. */
		l = line_of(id, 0, sid(firms[k]));
		assert_int_equal(client_int(l, "breach_probability_bps"),
		    want);
		cJSON_Delete(l);
		l = line_of(id, 37, sid(firms[k]));
		assert_int_equal(client_int(l, "breach_probability_bps"),
		    want);
		cJSON_Delete(l);
		some += want > 0 && want < 10000;
	}
	/* The fixture has firms that breach at some lengths, not all. */
	assert_true(some > 0);
	l = line_of(id, 0, sid("D"));
	assert_int_equal(client_int(l, "breach_probability_bps"), 0);
	cJSON_Delete(l);
	l = line_of(id, 0, sid("C"));
	assert_int_equal(client_int(l, "breach_probability_bps"), 10000);
	cJSON_Delete(l);

	id0 = run(sid("SC0"), 60, &r);
	assert_true(cJSON_IsNull(client_item(r.json, "expected")));
	assert_true(cJSON_IsNull(client_item(r.json,
	    "outage_probabilities")));
	client_free(&r);
	l = line_of(id0, 60, sid("A"));
	assert_true(cJSON_IsNull(client_item(l, "breach_probability_bps")));
	cJSON_Delete(l);

}

/* Pages of ?sort=breach_probability: highest first, then by id. */
static void
sorted_by_breach_probability(void **state)
{
	struct resp	 r, h;
	const cJSON	*it, *next;
	char		 path[1024], cursor[600] = "", last[256] = "";
	char		 line[512];
	long long	 id, bp, prev = 10001;
	int		 n = 0, pages = 0, mine = 0;

	(void)state;
	id = run(sid("SC"), 60, NULL);
	for (;;) {
		snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
		    "outage_days=23&sort=breach_probability&limit=3%s%s", id,
		    cursor[0] ? "&cursor=" : "", cursor);
		client_get(&r, path, treasury());
		assert_int_equal(r.status, 200);
		pages++;
		cJSON_ArrayForEach(it, client_item(r.json, "items")) {
			bp = client_int(it, "breach_probability_bps");
			assert_true(bp <= prev);
			if (bp == prev)
				assert_true(strcmp(client_str(it,
				    "supplier_id"), last) > 0);
			prev = bp;
			snprintf(last, sizeof(last), "%s",
			    client_str(it, "supplier_id"));
			mine += strncmp(last, prefix, strlen(prefix)) == 0;
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
	assert_int_equal(mine, 4);
	assert_true(pages > 1);
	assert_true(n >= 4);

	/* CSV: the same first rows, the column last. */
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=23&sort=breach_probability&limit=1000", id);
	client_call_with(&h, "GET", path, treasury(), NULL, NULL, 0,
	    "Accept: text/csv");
	assert_int_equal(h.status, 200);
	assert_non_null(strstr(h.body, ",overdue_payables,"
	    "breach_probability_bps\r\n"));
	client_get(&r, path, treasury());
	it = cJSON_GetArrayItem(client_item(r.json, "items"), 0);
	snprintf(line, sizeof(line), "\r\n%s,", client_str(it,
	    "supplier_id"));
	assert_true(strstr(h.body, line) == strchr(h.body, '\r'));
	client_free(&r);
	client_free(&h);

	/* An unknown order is 400; a supplier may not read the report. */
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=23&sort=risk", id);
	client_get(&r, path, treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%lld/suppliers?"
	    "outage_days=23&sort=breach_probability", id);
	client_get(&r, path, sup_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
}

/*
 * A run crafted in the database, so that every group is chosen: per
 * region, n suppliers of 20 employees, the first b of them with a gap of
 * 1,000 from outage length `from` on; L 0..30. Its scenario's
 * probabilities come with it, as a run's snapshot keeps them.
 */
#define CRAFT_REGIONS \
	"(VALUES ('North', 6, 5, 10), ('South', 3, 1, 10), " \
	"('East', 7, 0, 10), ('West', 9, 6, 10), ('Mid', 8, 2, 20))"

static long
craft_run(const char *scenario_id)
{
	char	q[4096];
	long	id;

	snprintf(q, sizeof(q), "INSERT INTO stress_runs (scenario_id, "
	    "max_outage_days, start_date, horizon_days, ramp_bps, "
	    "payment_freeze_days, fixed_cost_relief_bps, announcements) "
	    "VALUES ('%s', 30, '2025-09-01', 120, '{}', 0, 0, '[]') "
	    "RETURNING id", scenario_id);
	id = client_sql_long(q);
	assert_true(id > 0);
	sql("INSERT INTO stress_run_inputs_suppliers "
	    "SELECT %ld, '%sX' || g.r || '-' || i, 'Secret Firm', 1, g.r, "
	    "'castings', 20, 0, 0, 0, 0, 0, 0, 0, 60, true, "
	    "row_number() OVER (ORDER BY convert_to('%sX' || g.r || '-' || i, "
	    "'UTF8')) FROM " CRAFT_REGIONS " g(r, n, b, f), "
	    "generate_series(1, g.n) i", id, prefix, prefix);
	sql("INSERT INTO stress_run_results (run_id, breach_day, "
	    "lowest_liquidity, lowest_liquidity_day, funding_gap, early_paid, "
	    "fees) SELECT %ld, array_agg(ARRAY(SELECT CASE WHEN k.gap AND "
	    "l >= k.f THEN 60 END FROM generate_series(0, 30) l) ORDER BY s.n), "
	    "array_agg(ARRAY(SELECT CASE WHEN k.gap AND l >= k.f THEN -1000 "
	    "ELSE 5 END FROM generate_series(0, 30) l) ORDER BY s.n), "
	    "array_agg(array_fill(60, ARRAY[31]) ORDER BY s.n), "
	    "array_agg(ARRAY(SELECT CASE WHEN k.gap AND l >= k.f THEN 1000 "
	    "ELSE 0 END FROM generate_series(0, 30) l) ORDER BY s.n), "
	    "array_agg(array_fill(0, ARRAY[31]) ORDER BY s.n), "
	    "array_agg(array_fill(0, ARRAY[31]) ORDER BY s.n) "
	    "FROM stress_run_inputs_suppliers s JOIN (SELECT '%sX' || g.r || "
	    "'-' || i AS id, i <= g.b AS gap, g.f FROM " CRAFT_REGIONS
	    " g(r, n, b, f), generate_series(1, g.n) i) k "
	    "ON k.id = s.supplier_id WHERE s.run_id = %ld", id, prefix, id);
	sql("UPDATE stress_runs SET finished_at = now(), inputs_digest = "
	    "repeat('a', 64), curve = '[]', breaks_at_outage_days = "
	    "(SELECT array_agg(NULL::integer ORDER BY s.n) FROM "
	    "stress_run_inputs_suppliers s WHERE s.run_id = %ld), "
	    "published = true, published_at = now() WHERE id = %ld", id, id);
	return (id);
}

static int
verify(const struct resp *r)
{
	unsigned char	sig[crypto_sign_BYTES];
	size_t		siglen;

	if (strncmp(r->signature, "ed25519 ", 8) != 0)
		return (-1);
	if (sodium_base642bin(sig, sizeof(sig), r->signature + 8,
	    strlen(r->signature + 8), NULL, &siglen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || siglen != sizeof(sig))
		return (-1);
	return (crypto_sign_verify_detached(sig,
	    (const unsigned char *)r->body, r->len, public_key));
}

static const cJSON *
group(const cJSON *j, const char *key)
{
	const cJSON	*g;

	cJSON_ArrayForEach(g, client_item(j, "groups")) {
		if (strcmp(client_str(g, "key"), key) == 0)
			return (g);
	}
	fail_msg("no group %s", key);
	return (NULL);
}

static void
sget(struct resp *r, const char *path, int csv)
{
	client_call_with(r, "GET", path, gov_key, NULL, NULL, 0,
	    csv ? "Accept: text/csv" : NULL);
	assert_int_equal(r->status, 200);
	assert_int_equal(verify(r), 0);
	assert_null(strstr(r->body, prefix));
	assert_null(strstr(r->body, "Secret Firm"));
}

/*
 * Government's expected firms and jobs at risk per group: from the
 * figures the same release publishes at each length weighted, null
 * where a group is suppressed or its at-risk part withheld at any of
 * them. North and South are suppressed whole, Mid's two firms below
 * from day 20 on are withheld at 25 (and so its expected figures), West
 * has rhe(0.25 * 0 + 0.25 * 6 + 0.5 * 6) = rhe(4.5) = 4 firms.
 */
static void
exposure_expected_per_group(void **state)
{
	static const char *const	 keys[] = { "North", "South", "East",
	    "West", "Mid" };
	static const int		 days[] = { 5, 15, 25 };
	static const int		 bps[] = { 2500, 2500, 5000 };
	struct resp	 at[3], r;
	const cJSON	*g, *e;
	char		 path[256], b[512];
	long long	 below, emp;
	long		 id;
	size_t		 k;
	int		 i, shown;

	(void)state;
	snprintf(b, sizeof(b), "\"outage_probabilities\":[{\"outage_days\":5,\"probability_bps\":"
	    "2500},{\"outage_days\":15,\"probability_bps\":2500},"
	    "{\"outage_days\":25,\"probability_bps\":5000}]");
	scenario(&r, sid("SCX"), b);
	assert_int_equal(r.status, 201);
	client_free(&r);
	id = craft_run(sid("SCX"));

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/v1/exposure?run=%ld&group_by="
		    "region&outage_days=%d", id, days[i]);
		sget(&at[i], path, 0);
	}
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		for (i = 0, shown = 1, below = 0, emp = 0; i < 3; i++) {
			g = group(at[i].json, keys[k]);
			if (cJSON_IsTrue(client_item(g, "at_risk_suppressed"))) {
				shown = 0;
				continue;
			}
			below += bps[i] * client_int(g, "suppliers_below");
			emp += bps[i] * client_int(g, "employees_at_risk");
		}
		for (i = 0; i < 3; i++) {
			g = group(at[i].json, keys[k]);
			if (!shown) {
				assert_true(cJSON_IsNull(client_item(g,
				    "expected_suppliers_below")));
				assert_true(cJSON_IsNull(client_item(g,
				    "expected_employees_at_risk")));
				continue;
			}
			assert_int_equal(client_int(g,
			    "expected_suppliers_below"), rhe(below, 10000));
			assert_int_equal(client_int(g,
			    "expected_employees_at_risk"), rhe(emp, 10000));
		}
	}
	/* The totals likewise. */
	for (i = 0, shown = 1, below = 0, emp = 0; i < 3; i++) {
		e = client_item(at[i].json, "totals");
		if (cJSON_IsNull(client_item(e, "suppliers_below"))) {
			shown = 0;
			continue;
		}
		below += bps[i] * client_int(e, "suppliers_below");
		emp += bps[i] * client_int(e, "employees_at_risk");
	}
	e = client_item(at[0].json, "totals");
	if (shown)
		assert_int_equal(client_int(e, "expected_suppliers_below"),
		    rhe(below, 10000));
	else
		assert_true(cJSON_IsNull(client_item(e,
		    "expected_suppliers_below")));

	/* The body names the distribution, under the signature. */
	e = client_item(at[1].json, "outage_probabilities");
	assert_int_equal(cJSON_GetArraySize(e), 3);
	assert_int_equal(client_int(cJSON_GetArrayItem(e, 2), "outage_days"),
	    25);
	assert_int_equal(client_int(cJSON_GetArrayItem(e, 2),
	    "probability_bps"), 5000);

	/* The cases the fixture was made for. */
	g = group(at[0].json, "West");
	assert_int_equal(client_int(g, "expected_suppliers_below"), 4);
	assert_int_equal(client_int(g, "expected_employees_at_risk"), 90);
	assert_true(cJSON_IsTrue(client_item(group(at[0].json, "South"),
	    "suppressed")));
	assert_true(cJSON_IsNull(client_item(group(at[0].json, "South"),
	    "expected_suppliers_below")));
	assert_true(cJSON_IsFalse(client_item(group(at[0].json, "Mid"),
	    "at_risk_suppressed")));
	assert_true(cJSON_IsTrue(client_item(group(at[2].json, "Mid"),
	    "at_risk_suppressed")));
	assert_true(cJSON_IsNull(client_item(group(at[0].json, "Mid"),
	    "expected_suppliers_below")));
	assert_int_equal(client_int(group(at[0].json, "East"),
	    "expected_suppliers_below"), 0);
	for (i = 0; i < 3; i++)
		client_free(&at[i]);

	/* CSV: the two columns last, signed like the rest. */
	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&group_by=region"
	    "&outage_days=5", id);
	sget(&r, path, 1);
	assert_non_null(strstr(r.body, ",suppressed,at_risk_suppressed,"
	    "expected_suppliers_below,expected_employees_at_risk\r\n"));
	snprintf(b, sizeof(b), "\r\n%ld,5,region,West,9,0,180,0,0,0,0,false,"
	    "false,4,90\r\n", id);
	assert_non_null(strstr(r.body, b));
	snprintf(b, sizeof(b), "\r\n%ld,5,region,South,,,,,,,,true,true,,"
	    "\r\n", id);
	assert_non_null(strstr(r.body, b));
	client_free(&r);

	/* A run without probabilities: nulls. */
	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&group_by=region"
	    "&outage_days=5", craft_run(sid("SC0")));
	sget(&r, path, 0);
	assert_true(cJSON_IsNull(client_item(r.json, "outage_probabilities")));
	assert_true(cJSON_IsNull(client_item(group(r.json, "West"),
	    "expected_suppliers_below")));
	assert_true(cJSON_IsNull(client_item(client_item(r.json, "totals"),
	    "expected_employees_at_risk")));
	client_free(&r);

	/* Suppliers never read exposure. */
	client_get(&r, path, sup_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scenario_keeps_them),
		cmocka_unit_test(scenario_refusals),
		cmocka_unit_test(run_range_holds_every_length),
		cmocka_unit_test(expected_and_breach_probabilities),
		cmocka_unit_test(sorted_by_breach_probability),
		cmocka_unit_test(exposure_expected_per_group),
	};

	return (cmocka_run_group_tests_name("api_outage", tests, setup,
	    teardown));
}
