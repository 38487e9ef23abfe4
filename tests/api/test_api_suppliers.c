/*
 * Suppliers against the real server: creation and its idempotency by id,
 * validation, the record with its ledger summary, filtered and paged
 * lists (JSON and CSV), patches and the history they leave, the access
 * matrix of the three roles, and bulk imports that write all or nothing.
 * Every supplier here has an id and region of this run's own, because the
 * server and database are shared with the other test programs.
 */
#include <sys/wait.h>

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

static char	prefix[32];	/* this run's ids start with it */

/* A formatted string on the heap; caller frees. */
static char *
xprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		abort();
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return (s);
}

static const char *
treasury(void)
{
	return (client_env("TIDEOVER_TREASURY_KEY"));
}

/* This run's id for name, in a static buffer per slot. */
static const char *
sid(const char *name)
{
	static char	buf[8][192];
	static int	slot;

	slot = (slot + 1) % 8;
	snprintf(buf[slot], sizeof(buf[slot]), "%s%s", prefix, name);
	return (buf[slot]);
}

/* A whole supplier body; caller frees. */
static char *
body(const char *id, int tier, const char *region, const char *sector,
    long cash)
{
	return (xprintf("{\"id\":\"%s\",\"name\":\"Supplier %s\","
	    "\"tier\":%d,\"region\":\"%s\",\"sector\":\"%s\","
	    "\"employees\":42,\"currency\":\"GBP\",\"cash\":%ld,"
	    "\"credit_available\":100000,\"fixed_daily_costs\":20000,"
	    "\"oem_daily_sales\":50000,\"variable_cost_bps\":6000,"
	    "\"other_daily_receipts\":1000,\"payment_terms_days\":60}",
	    id, id, tier, region, sector, cash));
}

static void
create(const char *id, int tier, const char *region, const char *sector)
{
	struct resp	 r;
	char		*b;

	b = body(id, tier, region, sector, 500000);
	client_post_json(&r, "/v1/suppliers", treasury(), b);
	assert_int_equal(r.status, 201);
	client_free(&r);
	free(b);
}

static long
count_like(const char *table, const char *like)
{
	char	sql[512];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE %s LIKE "
	    "'%s%%'", table, strcmp(table, "suppliers") == 0 ? "id" :
	    "supplier_id", like);
	return (client_sql_long(sql));
}

static const cJSON *
detail(const struct resp *r, const char *field, int line)
{
	const cJSON	*d, *f, *l;

	d = client_item(client_item(r->json, "error"), "details");
	cJSON_ArrayForEach(f, d) {
		if (field == NULL ? !cJSON_IsNull(client_item(f, "field")) :
		    (client_str(f, "field") == NULL ||
		    strcmp(client_str(f, "field"), field) != 0))
			continue;
		l = client_item(f, "line");
		if (line > 0 && (!cJSON_IsNumber(l) || l->valueint != line))
			continue;
		if (client_str(f, "problem") != NULL)
			return (f);
	}
	return (NULL);
}

static void
patch(struct resp *r, const char *id, const char *key, const char *json)
{
	char	path[256];

	snprintf(path, sizeof(path), "/v1/suppliers/%s", id);
	client_call(r, "PATCH", path, key, "application/json", json,
	    strlen(json));
}

static void
get(struct resp *r, const char *id, const char *key)
{
	char	path[256];

	snprintf(path, sizeof(path), "/v1/suppliers/%s", id);
	client_get(r, path, key);
}

static int
setup(void **state)
{
	snprintf(prefix, sizeof(prefix), "TS%ld-", (long)getpid());
	return (0);
}

static void
create_repeat_and_conflict(void **state)
{
	struct resp	 r;
	char		*b, *other;
	const char	*id = sid("CREATE");

	b = body(id, 2, "Wales", "glass", 750000);
	client_post_json(&r, "/v1/suppliers", treasury(), b);
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "id"), id);
	assert_int_equal(client_int(r.json, "tier"), 2);
	assert_int_equal(client_int(r.json, "cash"), 750000);
	assert_int_equal(client_int(r.json, "min_liquidity"), 0);
	assert_true(cJSON_IsFalse(client_item(r.json, "scheme_opt_in")));
	assert_string_equal(client_str(r.json, "currency"), "GBP");
	assert_non_null(client_str(r.json, "created_at"));
	client_free(&r);

	/* The same again: 200 and the record, nothing new. */
	client_post_json(&r, "/v1/suppliers", treasury(), b);
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "id"), id);
	assert_int_equal(client_int(r.json, "cash"), 750000);
	client_free(&r);

	/* Other fields under the same id: 409, and the record stays. */
	other = body(id, 2, "Wales", "glass", 1);
	client_post_json(&r, "/v1/suppliers", treasury(), other);
	client_assert_error(&r, 409, "conflict");
	assert_non_null(detail(&r, "cash", 0));
	assert_null(detail(&r, "name", 0));
	client_free(&r);
	get(&r, id, treasury());
	assert_int_equal(client_int(r.json, "cash"), 750000);
	client_free(&r);
	assert_int_equal(count_like("suppliers", id), 1);
	free(b);
	free(other);
}

static void
create_validation_lists_every_problem(void **state)
{
	struct resp	 r;
	char		 b[1024];

	snprintf(b, sizeof(b), "{\"id\":\"%s\",\"tier\":4,\"currency\":\"EUR\","
	    "\"employees\":-1,\"cash\":1.5,\"credit_available\":-1,"
	    "\"variable_cost_bps\":10001,\"payment_terms_days\":366,"
	    "\"balance\":7}", sid("INVALID"));
	client_post_json(&r, "/v1/suppliers", treasury(), b);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "tier", 0));
	assert_non_null(detail(&r, "currency", 0));
	assert_non_null(detail(&r, "employees", 0));
	assert_non_null(detail(&r, "cash", 0));
	assert_non_null(detail(&r, "credit_available", 0));
	assert_non_null(detail(&r, "variable_cost_bps", 0));
	assert_non_null(detail(&r, "payment_terms_days", 0));
	assert_non_null(detail(&r, "balance", 0));
	assert_non_null(detail(&r, "name", 0));
	assert_non_null(detail(&r, "fixed_daily_costs", 0));
	client_free(&r);
	assert_int_equal(count_like("suppliers", sid("INVALID")), 0);

	client_post_json(&r, "/v1/suppliers", treasury(), "[1]");
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_call(&r, "POST", "/v1/suppliers", treasury(), "text/csv", "a",
	    1);
	client_assert_error(&r, 415, "unsupported_media_type");
	client_free(&r);
}

static void
record_has_its_ledger_summary(void **state)
{
	struct resp	 r;
	const cJSON	*l;
	const char	*id = sid("LEDGER");

	create(id, 1, "Wales", "glass");
	get(&r, id, treasury());
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "id"), id);
	assert_int_equal(client_int(r.json, "oem_daily_sales"), 50000);
	l = client_item(r.json, "ledger");
	assert_true(cJSON_IsObject(l));
	assert_int_equal(client_int(l, "receivable_outstanding"), 0);
	assert_int_equal(client_int(l, "paid_to_date"), 0);
	assert_int_equal(client_int(l, "early_paid_to_date"), 0);
	assert_int_equal(client_int(l, "fees_to_date"), 0);
	client_free(&r);

	get(&r, sid("NO-SUCH"), treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, "/v1/suppliers/bad%20id", treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_get(&r, "/v1/suppliers/", treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
}

/* Every id the list returns for this query, in order, page by page. */
static int
walk(const char *query, int limit, char ids[][96], int max)
{
	struct resp	 r;
	const cJSON	*it, *next;
	char		 path[1024];
	int		 n, pages;

	snprintf(path, sizeof(path), "/v1/suppliers?%s&limit=%d", query,
	    limit);
	for (n = 0, pages = 0; pages < 100; pages++) {
		client_get(&r, path, treasury());
		assert_int_equal(r.status, 200);
		assert_true(cJSON_GetArraySize(client_item(r.json, "items")) <=
		    limit);
		cJSON_ArrayForEach(it, client_item(r.json, "items")) {
			assert_true(n < max);
			snprintf(ids[n++], 96, "%s", client_str(it, "id"));
		}
		next = client_item(r.json, "next_cursor");
		if (cJSON_IsNull(next)) {
			client_free(&r);
			return (n);
		}
		assert_true(cJSON_IsString(next));
		snprintf(path, sizeof(path), "/v1/suppliers?%s&limit=%d&"
		    "cursor=%s", query, limit, next->valuestring);
		client_free(&r);
	}
	fail();
	return (-1);
}

static void
list_filters_and_pages(void **state)
{
	struct resp	 r;
	char		 region[64], q[128], ids[16][96];
	int		 i, n;

	snprintf(region, sizeof(region), "%sregion", prefix);
	create(sid("L-3"), 1, region, "glass");
	create(sid("L-1"), 2, region, "glass");
	create(sid("L-5"), 2, region, "plastics");
	create(sid("L-2"), 3, region, "glass");
	create(sid("L-4"), 2, region, "glass");

	snprintf(q, sizeof(q), "region=%s", region);
	n = walk(q, 2, ids, 16);
	assert_int_equal(n, 5);
	for (i = 0; i < 5; i++) {
		snprintf(q, sizeof(q), "L-%d", i + 1);
		assert_string_equal(ids[i], sid(q));
	}
	snprintf(q, sizeof(q), "region=%s&tier=2&sector=glass", region);
	n = walk(q, 1, ids, 16);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], sid("L-1"));
	assert_string_equal(ids[1], sid("L-4"));
	snprintf(q, sizeof(q), "region=%s&sector=none", region);
	assert_int_equal(walk(q, 100, ids, 16), 0);

	client_get(&r, "/v1/suppliers?tier=4", treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_get(&r, "/v1/suppliers?size=big", treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_get(&r, "/v1/suppliers?region=%FF", treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
}

#define CSV_COLUMNS \
	"id,name,tier,region,sector,employees,currency,cash," \
	"credit_available,min_liquidity,fixed_daily_costs,oem_daily_sales," \
	"variable_cost_bps,other_daily_receipts,payment_terms_days," \
	"scheme_opt_in,created_at,updated_at\r\n"

/* GET with Accept: text/csv through curl(1), headers and body in out. */
static void
get_csv(const char *query, char *out, size_t len)
{
	FILE	*p;
	char	 cmd[1024];
	size_t	 n;

	snprintf(cmd, sizeof(cmd), "curl -s -i -H 'Authorization: Bearer %s' "
	    "-H 'Accept: text/csv' '%s/v1/suppliers?%s'", treasury(),
	    client_env("TIDEOVER_URL"), query);
	assert_non_null(p = popen(cmd, "r"));
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
}

static void
list_as_csv(void **state)
{
	char	 region[64], q[128], out[8192], *body, *cur;
	char	*row1, *row2;

	snprintf(region, sizeof(region), "%scsv", prefix);
	create(sid("C-1"), 1, region, "glass");
	create(sid("C-2"), 1, region, "glass");

	snprintf(q, sizeof(q), "region=%s", region);
	get_csv(q, out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 200"));
	assert_non_null(strstr(out, "content-type: text/csv"));
	assert_null(strstr(out, "x-next-cursor"));
	assert_non_null(body = strstr(out, "\r\n\r\n"));
	body += 4;
	assert_memory_equal(body, CSV_COLUMNS, strlen(CSV_COLUMNS));
	row1 = body + strlen(CSV_COLUMNS);
	assert_memory_equal(row1, sid("C-1"), strlen(sid("C-1")));
	assert_non_null(row2 = strstr(row1, "\r\n"));
	row2 += 2;
	assert_memory_equal(row2, sid("C-2"), strlen(sid("C-2")));
	assert_non_null(strstr(row1, ",Supplier "));

	/* A page of one: the next page's cursor comes in a header. */
	snprintf(q, sizeof(q), "region=%s&limit=1", region);
	get_csv(q, out, sizeof(out));
	assert_non_null(cur = strstr(out, "x-next-cursor: "));
	cur += strlen("x-next-cursor: ");
	cur[strcspn(cur, "\r\n")] = '\0';
	snprintf(q, sizeof(q), "region=%s&limit=1&cursor=%s", region, cur);
	get_csv(q, out, sizeof(out));
	assert_non_null(strstr(out, sid("C-2")));
	assert_null(strstr(out, sid("C-1")));
	assert_null(strstr(out, "x-next-cursor"));
}

static void
treasury_patch_keeps_history(void **state)
{
	struct resp	 r;
	char		 sql[512], rid[80];
	const char	*id = sid("PATCH");

	create(id, 1, "Wales", "glass");
	patch(&r, id, treasury(), "{\"cash\":123,\"name\":\"Renamed\","
	    "\"tier\":3,\"scheme_opt_in\":true,\"min_liquidity\":-10}");
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "cash"), 123);
	assert_int_equal(client_int(r.json, "tier"), 3);
	assert_int_equal(client_int(r.json, "min_liquidity"), -10);
	assert_string_equal(client_str(r.json, "name"), "Renamed");
	assert_int_equal(client_int(r.json, "payment_terms_days"), 60);
	snprintf(rid, sizeof(rid), "%s", r.request_id);
	client_free(&r);

	/* One row per model figure changed; the name is not one. */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM supplier_history "
	    "WHERE supplier_id = '%s' AND request_id = '%s'", id, rid);
	assert_int_equal(client_sql_long(sql), 4);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM supplier_history "
	    "WHERE supplier_id = '%s' AND field = 'cash' AND old_value = "
	    "'500000' AND new_value = '123' AND key_id IS NOT NULL", id);
	assert_int_equal(client_sql_long(sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM supplier_history "
	    "WHERE supplier_id = '%s' AND field = 'name'", id);
	assert_int_equal(client_sql_long(sql), 0);

	/* Setting what is already there changes nothing and keeps no row. */
	patch(&r, id, treasury(), "{\"cash\":123}");
	assert_int_equal(r.status, 200);
	client_free(&r);
	assert_int_equal(count_like("supplier_history", id), 4);

	patch(&r, id, treasury(), "{\"id\":\"other\"}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "id", 0));
	client_free(&r);
	patch(&r, id, treasury(), "{\"cash\":null,\"colour\":1,"
	    "\"currency\":\"USD\"}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "cash", 0));
	assert_non_null(detail(&r, "colour", 0));
	assert_non_null(detail(&r, "currency", 0));
	client_free(&r);
	patch(&r, sid("NO-SUCH"), treasury(), "{\"cash\":1}");
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	assert_int_equal(count_like("supplier_history", id), 4);
}

/* Concurrent patches of different fields all land: no lost update. */
static void
concurrent_patches_all_land(void **state)
{
	static const char *const fields[] = {
		"cash", "credit_available", "fixed_daily_costs",
		"oem_daily_sales", "other_daily_receipts", "employees",
		"payment_terms_days", "variable_cost_bps",
	};
	struct resp	 r;
	const char	*id = sid("RACE");
	char		 json[128];
	pid_t		 pids[8];
	int		 i, st;

	create(id, 1, "Wales", "glass");
	for (i = 0; i < 8; i++) {
		if ((pids[i] = fork()) == 0) {
			snprintf(json, sizeof(json), "{\"%s\":%d}", fields[i],
			    300 + i);
			patch(&r, id, treasury(), json);
			_exit(r.status == 200 ? 0 : 1);
		}
		assert_true(pids[i] > 0);
	}
	for (i = 0; i < 8; i++) {
		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	get(&r, id, treasury());
	for (i = 0; i < 8; i++)
		assert_int_equal(client_int(r.json, fields[i]), 300 + i);
	client_free(&r);
	assert_int_equal(count_like("supplier_history", id), 8);
}

/* The whole error body, for comparing two 404s byte for byte. */
static char *
error_body(struct resp *r)
{
	char	*b;

	assert_int_equal(r->status, 404);
	assert_non_null(b = strdup(r->body));
	client_free(r);
	return (b);
}

/*
 * A supplier's declaration is bounded so that the model can always run
 * it: daily figures up to 10^13, stocks up to 2^53 - 1; beyond, 422 and
 * nothing changes.
 */
static void
declarations_stay_within_what_the_model_runs(void **state)
{
	struct resp	 r;
	char		*key;
	const char	*id = sid("BOUND");

	create(id, 1, "Wales", "glass");
	key = client_new_key("supplier", id);
	patch(&r, id, key, "{\"fixed_daily_costs\":10000000000001,"
	    "\"other_daily_receipts\":10000000000001,"
	    "\"cash\":9007199254740992}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "fixed_daily_costs", 0));
	assert_non_null(detail(&r, "other_daily_receipts", 0));
	assert_non_null(detail(&r, "cash", 0));
	client_free(&r);
	get(&r, id, key);
	assert_int_equal(client_int(r.json, "fixed_daily_costs"), 20000);
	client_free(&r);

	patch(&r, id, key, "{\"fixed_daily_costs\":10000000000000,"
	    "\"other_daily_receipts\":10000000000000,"
	    "\"cash\":-9007199254740991,"
	    "\"credit_available\":9007199254740991}");
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "fixed_daily_costs"),
	    10000000000000LL);
	client_free(&r);
	/* Treasury's own figures are bounded the same way. */
	patch(&r, id, treasury(), "{\"oem_daily_sales\":10000000000001}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "oem_daily_sales", 0));
	client_free(&r);
	patch(&r, id, treasury(), "{\"fixed_daily_costs\":20000,"
	    "\"other_daily_receipts\":1000,\"cash\":500000,"
	    "\"credit_available\":100000}");
	assert_int_equal(r.status, 200);
	client_free(&r);
	free(key);
}

static void
supplier_key_sees_only_its_own(void **state)
{
	struct resp	 r;
	char		*key, *missing, *other, *b;
	const char	*mine = sid("OWN-A");
	const char	*theirs = sid("OWN-B");

	create(mine, 1, "Wales", "glass");
	create(theirs, 2, "Wales", "glass");
	key = client_new_key("supplier", mine);

	get(&r, mine, key);
	assert_int_equal(r.status, 200);
	assert_string_equal(client_str(r.json, "id"), mine);
	assert_true(cJSON_IsObject(client_item(r.json, "ledger")));
	client_free(&r);

	/* Another supplier and a missing one: the same 404, to the byte. */
	get(&r, theirs, key);
	other = error_body(&r);
	get(&r, sid("NOBODY"), key);
	missing = error_body(&r);
	assert_string_equal(other, missing);
	free(other);
	free(missing);

	patch(&r, theirs, key, "{\"cash\":1}");
	other = error_body(&r);
	patch(&r, sid("NOBODY"), key, "{\"cash\":1}");
	missing = error_body(&r);
	assert_string_equal(other, missing);
	free(other);
	free(missing);
	/* Even with fields it may not send, it learns nothing more. */
	patch(&r, theirs, key, "{\"tier\":3}");
	other = error_body(&r);
	patch(&r, sid("NOBODY"), key, "{\"tier\":3}");
	missing = error_body(&r);
	assert_string_equal(other, missing);
	free(other);
	free(missing);
	get(&r, theirs, treasury());
	assert_int_equal(client_int(r.json, "cash"), 500000);
	client_free(&r);

	/* Its declaration it may change; anything else is 422. */
	patch(&r, mine, key, "{\"cash\":9,\"credit_available\":8,"
	    "\"fixed_daily_costs\":7,\"other_daily_receipts\":6,"
	    "\"scheme_opt_in\":true}");
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "cash"), 9);
	assert_true(cJSON_IsTrue(client_item(r.json, "scheme_opt_in")));
	client_free(&r);
	assert_int_equal(count_like("supplier_history", mine), 5);
	patch(&r, mine, key, "{\"cash\":10,\"tier\":3,\"name\":\"x\","
	    "\"oem_daily_sales\":1,\"min_liquidity\":0}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "tier", 0));
	assert_non_null(detail(&r, "name", 0));
	assert_non_null(detail(&r, "oem_daily_sales", 0));
	assert_non_null(detail(&r, "min_liquidity", 0));
	assert_null(detail(&r, "cash", 0));
	client_free(&r);
	get(&r, mine, key);
	assert_int_equal(client_int(r.json, "cash"), 9);
	assert_int_equal(client_int(r.json, "tier"), 1);
	client_free(&r);

	/* The treasury-only endpoints are closed to it whatever it names. */
	client_get(&r, "/v1/suppliers", key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	b = body(sid("BY-SUPPLIER"), 1, "Wales", "glass", 1);
	client_post_json(&r, "/v1/suppliers", key, b);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	free(b);
	client_call(&r, "POST", "/v1/suppliers/import", key, "text/csv",
	    "id\n", 3);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	assert_int_equal(count_like("suppliers", sid("BY-SUPPLIER")), 0);
	free(key);
}

static void
government_is_403_everywhere(void **state)
{
	struct resp	 r;
	char		*key, *b;
	const char	*id = sid("GOV");

	create(id, 1, "Wales", "glass");
	key = client_new_key("government", NULL);
	client_get(&r, "/v1/suppliers", key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_get(&r, "/v1/suppliers?tier=1", key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	get(&r, id, key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	get(&r, sid("NOBODY"), key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	patch(&r, id, key, "{\"cash\":1}");
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	b = body(sid("BY-GOV"), 1, "Wales", "glass", 1);
	client_post_json(&r, "/v1/suppliers", key, b);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	free(b);
	client_call(&r, "POST", "/v1/suppliers/import", key,
	    "application/x-ndjson", "{}\n", 3);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	assert_int_equal(count_like("suppliers", sid("BY-GOV")), 0);
	get(&r, id, treasury());
	assert_int_equal(client_int(r.json, "cash"), 500000);
	client_free(&r);
	free(key);
}

#define CSV_HEADER \
	"id,name,tier,region,sector,employees,currency,cash," \
	"credit_available,min_liquidity,fixed_daily_costs,oem_daily_sales," \
	"variable_cost_bps,other_daily_receipts,payment_terms_days," \
	"scheme_opt_in\n"

/* A CSV file of n suppliers named tag-00000...; bad: a line to spoil. */
static char *
csv_file(const char *tag, int n, long cash, int bad, size_t *len)
{
	char	*f;
	size_t	 cap, off;
	int	 i, w;

	cap = 256 + (size_t)n * 256;
	if ((f = malloc(cap)) == NULL)
		abort();
	off = (size_t)snprintf(f, cap, CSV_HEADER);
	for (i = 0; i < n; i++) {
		w = snprintf(f + off, cap - off, "%s%s-%05d,\"Supplier %d, "
		    "Ltd\",%d,%sregion,metal,%d,GBP,%ld,0,0,%d,%d,%d,0,%d,%s\n",
		    prefix, tag, i, i, i % 3 + 1, prefix, i % 500,
		    i % 2 ? cash : 1000, i * 10, i * 20,
		    i == bad ? 10001 : i % 10000, i % 366,
		    i % 2 ? "true" : "false");
		off += (size_t)w;
	}
	*len = off;
	return (f);
}

static void
import_is_all_or_nothing(void **state)
{
	struct resp	 r;
	char		*f;
	size_t		 len;
	char		 id[96];

	/* Line 52 (the 51st supplier) has a bad rate: nothing is written. */
	f = csv_file("BAD", 100, 5, 50, &len);
	client_call(&r, "POST", "/v1/suppliers/import", treasury(), "text/csv",
	    f, len);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "variable_cost_bps", 52));
	assert_int_equal(cJSON_GetArraySize(client_item(client_item(r.json,
	    "error"), "details")), 1);
	client_free(&r);
	free(f);
	assert_int_equal(count_like("suppliers", sid("BAD-")), 0);

	/* Two bad lines and a repeated id: all three reported. */
	f = csv_file("BAD", 100, 5, 10, &len);
	snprintf(id, sizeof(id), "%sBAD-00001", prefix);
	memcpy(strstr(f, sid("BAD-00020")), id, strlen(id));
	memcpy(strstr(f, ",GBP,5,0,0,30,"), ",USD", 4);
	client_call(&r, "POST", "/v1/suppliers/import", treasury(), "text/csv",
	    f, len);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, "variable_cost_bps", 12));
	assert_non_null(detail(&r, "id", 22));
	assert_non_null(detail(&r, "currency", 5));
	client_free(&r);
	free(f);
	assert_int_equal(count_like("suppliers", sid("BAD-")), 0);

	client_call(&r, "POST", "/v1/suppliers/import", treasury(),
	    "application/json", "{}", 2);
	client_assert_error(&r, 415, "unsupported_media_type");
	client_free(&r);
}

static void
import_of_ten_thousand_lines(void **state)
{
	struct resp	 r;
	char		*f, sql[512], rid[80];
	size_t		 len;

	f = csv_file("BIG", 10000, 5, -1, &len);
	client_call(&r, "POST", "/v1/suppliers/import", treasury(), "text/csv",
	    f, len);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 10000);
	assert_int_equal(client_int(r.json, "updated"), 0);
	client_free(&r);
	free(f);
	assert_int_equal(count_like("suppliers", sid("BIG-")), 10000);
	assert_int_equal(count_like("supplier_history", sid("BIG-")), 0);

	/* Again with the odd lines' cash changed: upserted, history kept. */
	f = csv_file("BIG", 10000, 6, -1, &len);
	client_call(&r, "POST", "/v1/suppliers/import", treasury(), "text/csv",
	    f, len);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 0);
	assert_int_equal(client_int(r.json, "updated"), 10000);
	snprintf(rid, sizeof(rid), "%s", r.request_id);
	client_free(&r);
	free(f);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM supplier_history "
	    "WHERE request_id = '%s' AND field = 'cash' AND old_value = '5' "
	    "AND new_value = '6'", rid);
	assert_int_equal(client_sql_long(sql), 5000);
	assert_int_equal(count_like("supplier_history", sid("BIG-")), 5000);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM suppliers WHERE id "
	    "LIKE '%sBIG-%%' AND cash = 6", prefix);
	assert_int_equal(client_sql_long(sql), 5000);
}

static void
import_ndjson_upserts(void **state)
{
	struct resp	 r;
	char		*a, *b, *file;
	const char	*old = sid("ND-OLD");

	create(old, 1, "Wales", "glass");
	a = body(old, 1, "Wales", "glass", 1);
	b = body(sid("ND-NEW"), 3, "Wales", "glass", 2);
	file = xprintf("%s\r\n\n%s\n", a, b);
	client_call(&r, "POST", "/v1/suppliers/import", treasury(),
	    "application/x-ndjson", file, strlen(file));
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 1);
	assert_int_equal(client_int(r.json, "updated"), 1);
	client_free(&r);
	get(&r, old, treasury());
	assert_int_equal(client_int(r.json, "cash"), 1);
	client_free(&r);
	get(&r, sid("ND-NEW"), treasury());
	assert_int_equal(client_int(r.json, "tier"), 3);
	client_free(&r);
	free(file);

	file = xprintf("%s\n{not json\n[1]\n", a);
	client_call(&r, "POST", "/v1/suppliers/import", treasury(),
	    "application/x-ndjson", file, strlen(file));
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, NULL, 2));
	assert_non_null(detail(&r, NULL, 3));
	client_free(&r);
	free(file);
	free(a);
	free(b);
}

static void
service_role_cannot_rewrite_history(void **state)
{
	char	cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s -c 'DELETE FROM supplier_history' "
	    ">/dev/null 2>&1", client_env("TIDEOVER_PSQL_APP"));
	assert_int_not_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s -c \"UPDATE supplier_history SET "
	    "new_value = '0'\" >/dev/null 2>&1",
	    client_env("TIDEOVER_PSQL_APP"));
	assert_int_not_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s -c 'DELETE FROM suppliers' "
	    ">/dev/null 2>&1", client_env("TIDEOVER_PSQL_APP"));
	assert_int_not_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_repeat_and_conflict),
		cmocka_unit_test(create_validation_lists_every_problem),
		cmocka_unit_test(record_has_its_ledger_summary),
		cmocka_unit_test(list_filters_and_pages),
		cmocka_unit_test(list_as_csv),
		cmocka_unit_test(treasury_patch_keeps_history),
		cmocka_unit_test(concurrent_patches_all_land),
		cmocka_unit_test(supplier_key_sees_only_its_own),
		cmocka_unit_test(declarations_stay_within_what_the_model_runs),
		cmocka_unit_test(government_is_403_everywhere),
		cmocka_unit_test(import_is_all_or_nothing),
		cmocka_unit_test(import_of_ten_thousand_lines),
		cmocka_unit_test(import_ndjson_upserts),
		cmocka_unit_test(service_role_cannot_rewrite_history),
	};

	return (cmocka_run_group_tests_name("api_suppliers", tests, setup,
	    NULL));
}
