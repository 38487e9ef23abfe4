/*
 * Exposure against the real server, on stress runs crafted in the
 * database (so that every group size is chosen): the contract's primary
 * and secondary suppression, totals, grouping by region, tier and size
 * band, CSV, defaults for run and outage length, the Ed25519 signature
 * over the exact body (it verifies with the published key; one changed
 * byte breaks it), the role rules, and that nothing a government key can
 * reach names a supplier.
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

static char	 prefix[32];
static char	*supplier_key;
static char	*gov_key;
static long	 run_published;		/* the crafted run, published */
static long	 run_hidden;		/* the same, never published */
static long	 run_before;		/* another scenario's, published */
static long	 run_after;		/* its next, with one more firm */
static unsigned char	 public_key[crypto_sign_PUBLICKEYBYTES];

static const char *
treasury(void)
{
	return (client_env("TIDEOVER_TREASURY_KEY"));
}

/* A reply with its X-Signature, which client.c does not keep. */
/* A signed GET: the client keeps X-Signature; csv asks for text/csv. */
static void
sget(struct resp *r, const char *path, const char *key, int csv)
{
	client_call_with(r, "GET", path, key, NULL, NULL, 0,
	    csv ? "Accept: text/csv" : NULL);
}

/* 0 when the X-Signature verifies over these bytes. */
static int
verify(const struct resp *r, const char *body, size_t len)
{
	unsigned char	sig[crypto_sign_BYTES];
	size_t		siglen;

	if (strncmp(r->signature, "ed25519 ", 8) != 0)
		return (-1);
	if (sodium_base642bin(sig, sizeof(sig), r->signature + 8,
	    strlen(r->signature + 8), NULL, &siglen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || siglen != sizeof(sig))
		return (-1);
	return (crypto_sign_verify_detached(sig, (const unsigned char *)body,
	    len, public_key));
}

/*
 * A finished run of the given scenario with crafted suppliers: per
 * region, n suppliers of e employees, the first b of them with a funding
 * gap of 1,000 from outage length 10 on. L runs 0..30.
 */
static long
craft_run(const char *scenario, int published, int extra)
{
	char	sql[4096];
	long	id;

	snprintf(sql, sizeof(sql), "INSERT INTO stress_runs (scenario_id, "
	    "max_outage_days, start_date, horizon_days, ramp_bps, "
	    "payment_freeze_days, fixed_cost_relief_bps, announcements) "
	    "VALUES ('%s', 30, '2025-09-01', 120, '{}', 0, 0, "
	    "jsonb_build_array(jsonb_build_object('announced_on', "
	    "'2025-09-16', 'restart_date', '2025-09-24', 'outage_days', 23), "
	    "jsonb_build_object('announced_on', '2025-09-10', 'restart_date', "
	    "'2025-09-29', 'outage_days', 28))) RETURNING id", scenario);
	id = client_sql_long(sql);
	assert_true(id > 0);

	/* Suppliers at their positions n, in id order (bytes). */
	snprintf(sql, sizeof(sql), "INSERT INTO stress_run_inputs_suppliers "
	    "SELECT %ld, '%s' || g.r || '-' || i, 'Secret Firm %s' || g.r || "
	    "i, 1 + i %% 3, g.r, 'castings', g.e, 0, 0, 0, 0, 0, 0, 0, 60, "
	    "true, row_number() OVER (ORDER BY convert_to('%s' || g.r || "
	    "'-' || i, 'UTF8')) FROM (VALUES ('North', 6, 5, 20), "
	    "('South', 3, 1, 20), ('East', 7, 0, 20), ('West', %d, %d, 20)) "
	    "g(r, n, b, e), generate_series(1, g.n) i", id, prefix, prefix,
	    prefix, 9 + extra, 6 + extra);
	assert_int_equal(client_sql(sql), 0);
	snprintf(sql, sizeof(sql), "INSERT INTO stress_run_results "
	    "SELECT %ld, array_agg(ARRAY(SELECT CASE WHEN k.gap AND l >= 10 "
	    "THEN 60 END FROM generate_series(0, 30) l) ORDER BY s.n), "
	    "array_agg(ARRAY(SELECT CASE WHEN k.gap AND l >= 10 THEN -1000 "
	    "ELSE 5 END FROM generate_series(0, 30) l) ORDER BY s.n), "
	    "array_agg(array_fill(60, ARRAY[31]) ORDER BY s.n), "
	    "array_agg(ARRAY(SELECT CASE WHEN k.gap AND l >= 10 THEN 1000 "
	    "ELSE 0 END FROM generate_series(0, 30) l) ORDER BY s.n), "
	    "array_agg(array_fill(0, ARRAY[31]) ORDER BY s.n), "
	    "array_agg(array_fill(0, ARRAY[31]) ORDER BY s.n) "
	    "FROM stress_run_inputs_suppliers s JOIN (SELECT '%s' || g.r || "
	    "'-' || i AS id, i <= g.b AS gap FROM (VALUES ('North', 6, 5), "
	    "('South', 3, 1), ('East', 7, 0), ('West', %d, %d)) g(r, n, b), "
	    "generate_series(1, g.n) i) k ON k.id = s.supplier_id "
	    "WHERE s.run_id = %ld", id, prefix, 9 + extra, 6 + extra, id);
	assert_int_equal(client_sql(sql), 0);
	/* Finished (and published) last, as stress_run_finish would. */
	snprintf(sql, sizeof(sql), "UPDATE stress_runs SET finished_at = "
	    "now(), inputs_digest = repeat('a', 64), curve = '[]', "
	    "breaks_at_outage_days = (SELECT array_agg(CASE WHEN x.bd IS NOT "
	    "NULL THEN 10 END ORDER BY x.n) FROM stress_run_results r, "
	    "unnest(r.breach_day[:][31:31]) WITH ORDINALITY AS x(bd, n) "
	    "WHERE r.run_id = %ld), published = %s, "
	    "published_at = %s WHERE id = %ld", id,
	    published ? "true" : "false", published ? "now()" : "NULL", id);
	assert_int_equal(client_sql(sql), 0);
	return (id);
}

static int
setup(void **state)
{
	struct resp	 r;
	struct resp	 cr;
	char		 sql[1024], b[512];
	const char	*pk;
	size_t		 len;

	if (sodium_init() == -1)
		return (-1);
	snprintf(prefix, sizeof(prefix), "TEX%ld-", (long)getpid());
	snprintf(sql, sizeof(sql), "INSERT INTO suppliers (id, name, tier, "
	    "region, sector, employees, currency, cash, credit_available, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days) VALUES ('%sSUP', "
	    "'Reader', 1, 'Wales', 'glass', 5, 'GBP', 0, 0, 0, 0, 0, 0, 60)",
	    prefix);
	if (client_sql(sql) != 0)
		return (-1);
	snprintf(b, sizeof(b), "%sSUP", prefix);
	supplier_key = client_new_key("supplier", b);
	gov_key = client_new_key("government", NULL);

	snprintf(b, sizeof(b), "{\"id\":\"%sSC\",\"name\":\"Exposure\","
	    "\"start_date\":\"2025-09-01\",\"horizon_days\":120}", prefix);
	client_post_json(&cr, "/v1/scenarios", treasury(), b);
	if (cr.status != 201)
		return (-1);
	client_free(&cr);
	snprintf(b, sizeof(b), "{\"id\":\"%sSC2\",\"name\":\"Exposure 2\","
	    "\"start_date\":\"2025-09-01\",\"horizon_days\":120}", prefix);
	client_post_json(&cr, "/v1/scenarios", treasury(), b);
	if (cr.status != 201)
		return (-1);
	client_free(&cr);
	snprintf(b, sizeof(b), "%sSC2", prefix);
	run_before = craft_run(b, 1, 0);
	run_after = craft_run(b, 1, 1);
	snprintf(b, sizeof(b), "%sSC", prefix);
	run_hidden = craft_run(b, 0, 0);
	run_published = craft_run(b, 1, 0);

	sget(&r, "/v1/exposure/public-key", gov_key, 0);
	if (r.status != 200 || r.json == NULL)
		return (-1);
	pk = client_str(r.json, "public_key");
	if (pk == NULL || strcmp(client_str(r.json, "algorithm"),
	    "ed25519") != 0 || sodium_base642bin(public_key,
	    sizeof(public_key), pk, strlen(pk), NULL, &len, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || len != 32)
		return (-1);
	client_free(&r);
	return (0);
}

static int
teardown(void **state)
{
	free(supplier_key);
	free(gov_key);
	return (0);
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
shown(const cJSON *g, long n, long below, long emp, long risk, long gap)
{
	assert_true(cJSON_IsFalse(client_item(g, "suppressed")));
	assert_true(cJSON_IsFalse(client_item(g, "at_risk_suppressed")));
	assert_int_equal(client_int(g, "suppliers"), n);
	assert_int_equal(client_int(g, "suppliers_below"), below);
	assert_int_equal(client_int(g, "employees"), emp);
	assert_int_equal(client_int(g, "employees_at_risk"), risk);
	assert_int_equal(client_int(g, "funding_gap"), gap);
}

static const char *const	 risk_figures[] = { "suppliers_below",
    "employees_at_risk", "funding_gap", "suppliers_below_contagion",
    "overdue_trade_credit" };

static void
hidden(const cJSON *g)
{
	size_t	i;

	assert_true(cJSON_IsTrue(client_item(g, "suppressed")));
	assert_true(cJSON_IsTrue(client_item(g, "at_risk_suppressed")));
	assert_true(cJSON_IsNull(client_item(g, "suppliers")));
	assert_true(cJSON_IsNull(client_item(g, "employees")));
	for (i = 0; i < sizeof(risk_figures) / sizeof(risk_figures[0]); i++)
		assert_true(cJSON_IsNull(client_item(g, risk_figures[i])));
}

/* The population shown, the at-risk part hidden. */
static void
risk_hidden(const cJSON *g, long n, long emp)
{
	size_t	i;

	assert_true(cJSON_IsFalse(client_item(g, "suppressed")));
	assert_true(cJSON_IsTrue(client_item(g, "at_risk_suppressed")));
	assert_int_equal(client_int(g, "suppliers"), n);
	assert_int_equal(client_int(g, "employees"), emp);
	for (i = 0; i < sizeof(risk_figures) / sizeof(risk_figures[0]); i++)
		assert_true(cJSON_IsNull(client_item(g, risk_figures[i])));
}

/* No supplier id or name anywhere in what a government key read. */
static void
anonymous(const char *body)
{
	assert_null(strstr(body, prefix));
	assert_null(strstr(body, "Secret Firm"));
}

/*
 * South (3) is below the minimum of 5, so the smallest other group,
 * North (6), goes with it: totals minus East and West are then nine
 * suppliers, six of them below, not three and one. Totals cover all 25.
 */
static void
suppression_and_totals(void **state)
{
	struct resp	 r;
	char		 path[256];
	const cJSON	*t;

	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&outage_days=20"
	    "&group_by=region", run_published);
	sget(&r, path, gov_key, 0);
	assert_int_equal(r.status, 200);
	anonymous(r.body);
	assert_int_equal(client_int(r.json, "run_id"), run_published);
	assert_int_equal(client_int(r.json, "outage_days"), 20);
	assert_string_equal(client_str(r.json, "group_by"), "region");
	assert_int_equal(client_int(r.json, "min_cell_size"), 5);
	assert_int_equal(cJSON_GetArraySize(client_item(r.json, "groups")), 4);
	/* In key order. */
	assert_string_equal(client_str(cJSON_GetArrayItem(client_item(r.json,
	    "groups"), 0), "key"), "East");
	hidden(group(r.json, "South"));
	hidden(group(r.json, "North"));
	shown(group(r.json, "East"), 7, 0, 140, 0, 0);
	shown(group(r.json, "West"), 9, 6, 180, 120, 6000);
	assert_int_equal(client_int(group(r.json, "West"),
	    "suppliers_below_contagion"), 0);
	assert_int_equal(client_int(group(r.json, "West"),
	    "overdue_trade_credit"), 0);
	t = client_item(r.json, "totals");
	assert_int_equal(client_int(t, "suppliers"), 25);
	assert_int_equal(client_int(t, "suppliers_below"), 12);
	assert_int_equal(client_int(t, "employees"), 500);
	assert_int_equal(client_int(t, "employees_at_risk"), 240);
	assert_int_equal(client_int(t, "funding_gap"), 12000);
	client_free(&r);

	/* Before the breaches start nobody is below. */
	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&outage_days=9",
	    run_published);
	sget(&r, path, gov_key, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(client_item(r.json, "totals"),
	    "suppliers_below"), 0);
	shown(group(r.json, "West"), 9, 0, 180, 0, 0);
	client_free(&r);
}

/*
 * Tiers: 1 + i % 3 spreads each region over the three tiers. At L = 20
 * tier 1 has 8 suppliers, 3 below (North 3, West 3 and 6); tier 2 has
 * 9, 5 below; tier 3 has 8, 4 below. An at-risk part of three or four
 * firms below is suppressed: tiers 1 and 3 show their suppliers and
 * employees only; together they hold 7 below, enough.
 */
static void
tiers_and_size_bands(void **state)
{
	struct resp	 r;
	char		 path[256];

	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&outage_days=20"
	    "&group_by=tier", run_published);
	sget(&r, path, gov_key, 0);
	assert_int_equal(r.status, 200);
	anonymous(r.body);
	assert_int_equal(cJSON_GetArraySize(client_item(r.json, "groups")), 3);
	risk_hidden(group(r.json, "1"), 8, 160);
	shown(group(r.json, "2"), 9, 5, 180, 100, 5000);
	risk_hidden(group(r.json, "3"), 8, 160);
	client_free(&r);

	/* Everyone has 20 employees: one band, "small", all 25. */
	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&outage_days=20"
	    "&group_by=size_band", run_published);
	sget(&r, path, gov_key, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(cJSON_GetArraySize(client_item(r.json, "groups")), 1);
	shown(group(r.json, "small"), 25, 12, 500, 240, 12000);
	client_free(&r);
}

/*
 * The curve: every L of the run, one pattern for all of them (North and
 * South hidden at L = 0 too, where nobody is below), signed; CSV with
 * its context in every row.
 */
static void
curve(void **state)
{
	struct resp	 r;
	char		 path[256], line[256];
	const cJSON	*c, *p;

	snprintf(path, sizeof(path), "/v1/exposure/curve?run=%ld"
	    "&group_by=region", run_published);
	sget(&r, path, gov_key, 0);
	assert_int_equal(r.status, 200);
	anonymous(r.body);
	assert_int_equal(verify(&r, r.body, r.len), 0);
	assert_int_equal(client_int(r.json, "run_id"), run_published);
	assert_string_equal(client_str(r.json, "group_by"), "region");
	c = client_item(r.json, "curve");
	assert_int_equal(cJSON_GetArraySize(c), 31);
	p = cJSON_GetArrayItem(c, 0);
	assert_int_equal(client_int(p, "outage_days"), 0);
	hidden(group(p, "North"));
	hidden(group(p, "South"));
	shown(group(p, "West"), 9, 0, 180, 0, 0);
	p = cJSON_GetArrayItem(c, 20);
	assert_int_equal(client_int(p, "outage_days"), 20);
	hidden(group(p, "North"));
	shown(group(p, "West"), 9, 6, 180, 120, 6000);
	assert_int_equal(client_int(client_item(p, "totals"),
	    "funding_gap"), 12000);
	client_free(&r);

	sget(&r, path, gov_key, 1);
	assert_int_equal(r.status, 200);
	assert_int_equal(verify(&r, r.body, r.len), 0);
	snprintf(line, sizeof(line), "\r\n%ld,20,region,West,9,6,180,120,"
	    "6000,0,0,false,false\r\n", run_published);
	assert_non_null(strstr(r.body, line));
	assert_int_equal(strncmp(r.body, "run_id,outage_days,group_by,key,",
	    32), 0);
	client_free(&r);

	/* The curve of an unpublished run is no run for government. */
	snprintf(path, sizeof(path), "/v1/exposure/curve?run=%ld",
	    run_hidden);
	client_get(&r, path, gov_key);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, "/v1/exposure/curve?group_by=x", gov_key);
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_get(&r, "/v1/exposure/curve", supplier_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
}

/*
 * Per tier: government sees the exposure's control (the at-risk parts
 * of tiers 1 and 3 hidden), treasury every figure; government reads
 * published runs only.
 */
static void
tiers(void **state)
{
	struct resp	 r;
	char		 path[256];
	const cJSON	*t;

	snprintf(path, sizeof(path), "/v1/stress-runs/%ld/tiers?"
	    "outage_days=20", run_published);
	sget(&r, path, gov_key, 0);
	assert_int_equal(r.status, 200);
	anonymous(r.body);
	assert_int_equal(verify(&r, r.body, r.len), 0);
	t = client_item(r.json, "tiers");
	assert_int_equal(cJSON_GetArraySize(t), 3);
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 0), "tier"), 1);
	assert_true(cJSON_IsFalse(client_item(cJSON_GetArrayItem(t, 0),
	    "suppressed")));
	assert_true(cJSON_IsTrue(client_item(cJSON_GetArrayItem(t, 0),
	    "at_risk_suppressed")));
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 0), "suppliers"), 8);
	assert_true(cJSON_IsNull(client_item(cJSON_GetArrayItem(t, 0),
	    "funding_gap")));
	assert_true(cJSON_IsNull(client_item(cJSON_GetArrayItem(t, 2),
	    "suppliers_below")));
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 1), "suppliers"), 9);
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 1),
	    "suppliers_below"), 5);
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 1),
	    "employees_at_risk"), 100);
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 1),
	    "funding_gap"), 5000);
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 1),
	    "suppliers_below_contagion"), 0);
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 1),
	    "overdue_trade_credit"), 0);
	client_free(&r);

	sget(&r, path, treasury(), 0);
	assert_int_equal(r.status, 200);
	t = client_item(r.json, "tiers");
	assert_true(cJSON_IsFalse(client_item(cJSON_GetArrayItem(t, 0),
	    "at_risk_suppressed")));
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 0),
	    "suppliers_below"), 3);
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 0),
	    "funding_gap"), 3000);
	assert_int_equal(client_int(cJSON_GetArrayItem(t, 2),
	    "suppliers_below"), 4);
	client_free(&r);

	snprintf(path, sizeof(path), "/v1/stress-runs/%ld/tiers?"
	    "outage_days=20", run_hidden);
	client_get(&r, path, gov_key);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	sget(&r, path, treasury(), 0);
	assert_int_equal(r.status, 200);
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%ld/tiers",
	    run_published);
	client_get(&r, path, gov_key);
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%ld/tiers?"
	    "outage_days=31", run_published);
	client_get(&r, path, gov_key);
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/stress-runs/%ld/tiers?"
	    "outage_days=20", run_published);
	client_get(&r, path, supplier_key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_get(&r, "/v1/stress-runs/x1/tiers?outage_days=1", gov_key);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
}

/* Run: the latest published; outage length: the latest announcement's. */
static void
defaults(void **state)
{
	struct resp	 r;

	sget(&r, "/v1/exposure", gov_key, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "run_id"), run_published);
	assert_int_equal(client_int(r.json, "outage_days"), 23);
	assert_string_equal(client_str(r.json, "group_by"), "region");
	client_free(&r);
}

static void
signature_verifies_and_breaks(void **state)
{
	struct resp	 r;
	char		 path[256], *copy;

	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&outage_days=20",
	    run_published);
	sget(&r, path, gov_key, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(verify(&r, r.body, r.len), 0);
	if ((copy = malloc(r.len)) == NULL)
		abort();
	memcpy(copy, r.body, r.len);
	copy[r.len / 2] ^= 0x01;
	assert_int_not_equal(verify(&r, copy, r.len), 0);
	copy[r.len / 2] ^= 0x01;
	copy[0] = ' ';
	assert_int_not_equal(verify(&r, copy, r.len), 0);
	free(copy);
	client_free(&r);

	/* CSV is signed the same way. */
	sget(&r, path, treasury(), 1);
	assert_int_equal(r.status, 200);
	assert_int_equal(verify(&r, r.body, r.len), 0);
	client_free(&r);

	/* And so is the key itself. */
	sget(&r, "/v1/exposure/public-key", treasury(), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(verify(&r, r.body, r.len), 0);
	client_free(&r);
}

static void
csv(void **state)
{
	struct resp	 r;
	char		 path[256], want[1024];

	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&outage_days=20",
	    run_published);
	sget(&r, path, gov_key, 1);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "text/csv"));
	anonymous(r.body);
	/* The context is in every row, under the signature. */
	snprintf(want, sizeof(want),
	    "run_id,outage_days,group_by,key,suppliers,suppliers_below,"
	    "employees,employees_at_risk,funding_gap,"
	    "suppliers_below_contagion,overdue_trade_credit,suppressed,"
	    "at_risk_suppressed,expected_suppliers_below,"
	    "expected_employees_at_risk\r\n"
	    "%ld,20,region,East,7,0,140,0,0,0,0,false,false,,\r\n"
	    "%ld,20,region,North,,,,,,,,true,true,,\r\n"
	    "%ld,20,region,South,,,,,,,,true,true,,\r\n"
	    "%ld,20,region,West,9,6,180,120,6000,0,0,false,false,,\r\n",
	    run_published, run_published, run_published, run_published);
	assert_string_equal(r.body, want);
	assert_int_equal(verify(&r, r.body, r.len), 0);
	client_free(&r);
}

/*
 * Two published runs of one scenario, the second with one more firm in
 * West: the difference of their totals, or of their West, would be that
 * firm. Both are suppressed in both runs; East, the same firms in each,
 * is shown in each.
 */
static void
differencing_runs(void **state)
{
	struct resp	 r;
	char		 path[256];
	long		 runs[2];
	int		 i;

	runs[0] = run_before;
	runs[1] = run_after;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/v1/exposure?run=%ld&"
		    "outage_days=20&group_by=region", runs[i]);
		sget(&r, path, gov_key, 0);
		assert_int_equal(r.status, 200);
		hidden(group(r.json, "West"));
		hidden(group(r.json, "South"));
		shown(group(r.json, "East"), 7, 0, 140, 0, 0);
		assert_true(cJSON_IsNull(client_item(client_item(r.json,
		    "totals"), "suppliers")));
		assert_true(cJSON_IsNull(client_item(client_item(r.json,
		    "totals"), "funding_gap")));
		client_free(&r);
	}

	/* The run alone (treasury's unpublished run is in no family). */
	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&outage_days=20",
	    run_published);
	sget(&r, path, gov_key, 0);
	shown(group(r.json, "West"), 9, 6, 180, 120, 6000);
	client_free(&r);
}

static void
roles_and_runs(void **state)
{
	struct resp	 r;
	struct resp	 e;
	char		 path[256];

	/* Government: an unpublished run is no run. Treasury reads it. */
	snprintf(path, sizeof(path), "/v1/exposure?run=%ld", run_hidden);
	client_get(&e, path, gov_key);
	client_assert_error(&e, 404, "not_found");
	client_free(&e);
	sget(&r, path, treasury(), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "run_id"), run_hidden);
	assert_int_equal(verify(&r, r.body, r.len), 0);
	client_free(&r);
	client_get(&e, "/v1/exposure?run=999999999", gov_key);
	client_assert_error(&e, 404, "not_found");
	client_free(&e);
	client_get(&e, "/v1/exposure?run=999999999", treasury());
	client_assert_error(&e, 404, "not_found");
	client_free(&e);

	/* Suppliers may not; nor may anyone without a key. */
	client_get(&e, "/v1/exposure", supplier_key);
	client_assert_error(&e, 403, "forbidden");
	client_free(&e);
	client_get(&e, "/v1/exposure/public-key", supplier_key);
	client_assert_error(&e, 403, "forbidden");
	client_free(&e);
	client_get(&e, "/v1/exposure", NULL);
	client_assert_error(&e, 401, "unauthorized");
	client_free(&e);
	client_call(&e, "POST", "/v1/exposure", gov_key, NULL, NULL, 0);
	client_assert_error(&e, 405, "method_not_allowed");
	client_free(&e);

	/* Bad parameters. */
	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&outage_days=31",
	    run_published);
	client_get(&e, path, gov_key);
	client_assert_error(&e, 400, "bad_request");
	client_free(&e);
	client_get(&e, "/v1/exposure?group_by=supplier", gov_key);
	client_assert_error(&e, 400, "bad_request");
	client_free(&e);
	client_get(&e, "/v1/exposure?outage_days=-1", gov_key);
	client_assert_error(&e, 400, "bad_request");
	client_free(&e);
	client_get(&e, "/v1/exposure?run=abc", gov_key);
	client_assert_error(&e, 400, "bad_request");
	client_free(&e);
	client_get(&e, "/v1/exposure?supplier_id=x", gov_key);
	client_assert_error(&e, 400, "bad_request");
	client_free(&e);
	/* Errors are not signed. */
	sget(&r, "/v1/exposure?group_by=x", gov_key, 0);
	assert_int_equal(r.status, 400);
	assert_string_equal(r.signature, "");
	client_free(&r);
}

/*
 * A reply read again on the same worker comes from its cache: the same
 * bytes under the same signature, which verifies, also while the family's
 * results cannot be read at all (an uncached report then fails); and the
 * curve likewise.
 */
static void
cached_replies_are_the_same_signed_bytes(void **state)
{
	static const char *const	 kinds[] = { "/v1/exposure?run=%ld&"
	    "outage_days=20&group_by=sector", "/v1/exposure/curve?run=%ld&"
	    "group_by=size_band" };
	struct client_conn		 k = { 0 };
	struct resp			 a, b;
	char				 path[256];
	size_t				 i;

	client_conn_open(&k);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), kinds[i], run_published);
		client_conn_get(&k, &a, path, gov_key);
		assert_int_equal(a.status, 200);
		assert_int_equal(verify(&a, a.body, a.len), 0);
		assert_int_equal(client_sql("REVOKE SELECT ON "
		    "stress_run_results FROM tideover_app"), 0);
		client_conn_get(&k, &b, path, gov_key);
		assert_int_equal(b.status, 200);
		assert_int_equal(b.len, a.len);
		assert_memory_equal(b.body, a.body, a.len);
		assert_string_equal(b.signature, a.signature);
		assert_int_equal(verify(&b, b.body, b.len), 0);
		client_free(&b);
		/* Another grouping was never built: it needs the results. */
		snprintf(path, sizeof(path), "/v1/exposure?run=%ld&"
		    "outage_days=21&group_by=tier", run_published);
		client_conn_get(&k, &b, path, gov_key);
		assert_int_not_equal(b.status, 200);
		client_free(&b);
		assert_int_equal(client_sql("GRANT SELECT ON "
		    "stress_run_results TO tideover_app"), 0);
		client_free(&a);
	}
	assert_int_equal(k.connects, 1);
	client_conn_close(&k);
}

/*
 * A publication in the scenario changes every release of its family, so
 * what was cached for the first run is not what is sent after it: West,
 * shown while the run was alone, is hidden once a run with one more firm
 * in West is published beside it.
 */
static void
a_publication_is_not_hidden_by_the_cache(void **state)
{
	struct client_conn	 k = { 0 };
	struct resp		 r, cr;
	char			 path[256], b[256];
	long			 first;

	snprintf(b, sizeof(b), "{\"id\":\"%sSC3\",\"name\":\"Exposure 3\","
	    "\"start_date\":\"2025-09-01\",\"horizon_days\":120}", prefix);
	client_post_json(&cr, "/v1/scenarios", treasury(), b);
	assert_int_equal(cr.status, 201);
	client_free(&cr);
	snprintf(b, sizeof(b), "%sSC3", prefix);
	first = craft_run(b, 1, 0);
	snprintf(path, sizeof(path), "/v1/exposure?run=%ld&outage_days=20&"
	    "group_by=region", first);
	client_conn_open(&k);
	client_conn_get(&k, &r, path, gov_key);
	assert_int_equal(r.status, 200);
	shown(group(r.json, "West"), 9, 6, 180, 120, 6000);
	client_free(&r);
	client_conn_get(&k, &r, path, gov_key);
	shown(group(r.json, "West"), 9, 6, 180, 120, 6000);
	client_free(&r);

	(void)craft_run(b, 1, 1);
	client_conn_get(&k, &r, path, gov_key);
	assert_int_equal(r.status, 200);
	hidden(group(r.json, "West"));
	shown(group(r.json, "East"), 7, 0, 140, 0, 0);
	assert_int_equal(verify(&r, r.body, r.len), 0);
	client_free(&r);
	assert_int_equal(k.connects, 1);
	client_conn_close(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(suppression_and_totals),
		cmocka_unit_test(tiers_and_size_bands),
		cmocka_unit_test(curve),
		cmocka_unit_test(tiers),
		cmocka_unit_test(defaults),
		cmocka_unit_test(signature_verifies_and_breaks),
		cmocka_unit_test(csv),
		cmocka_unit_test(differencing_runs),
		cmocka_unit_test(roles_and_runs),
		cmocka_unit_test(cached_replies_are_the_same_signed_bytes),
		cmocka_unit_test(a_publication_is_not_hidden_by_the_cache),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return (cmocka_run_group_tests_name("api_exposure", tests, setup,
	    teardown));
}
