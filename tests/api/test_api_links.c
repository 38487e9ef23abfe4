/*
 * Links against the real server: one link created, replaced, repeated and
 * deleted with the history and audit each leaves; imports in CSV and
 * NDJSON that write all or nothing, every bad line reported with its
 * line; every link listed, filtered, paged and as CSV; a firm's customers
 * and suppliers, which a supplier key reads for itself only; the access
 * matrix of the three roles; the grants; and links in a stress run's
 * snapshot and digest.
 *
 * Every supplier here has an id of this run's own, because the server and
 * database are shared with the other test programs; links join only this
 * program's suppliers, so no other program's figures move.
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
	static char	buf[16][192];
	static int	slot;

	slot = (slot + 1) % 16;
	snprintf(buf[slot], sizeof(buf[slot]), "%s%s", prefix, name);
	return (buf[slot]);
}

/* A supplier of this run, by the API. */
static void
firm(const char *id, const char *name, int tier)
{
	struct resp	 r;
	char		*b;

	b = xprintf("{\"id\":\"%s\",\"name\":\"%s\",\"tier\":%d,"
	    "\"region\":\"Links\",\"sector\":\"glass\",\"employees\":12,"
	    "\"currency\":\"GBP\",\"cash\":900000,"
	    "\"credit_available\":0,\"fixed_daily_costs\":1000,"
	    "\"oem_daily_sales\":0,\"variable_cost_bps\":5000,"
	    "\"other_daily_receipts\":0,\"payment_terms_days\":60}", id, name,
	    tier);
	client_post_json(&r, "/v1/suppliers", treasury(), b);
	assert_true(r.status == 201 || r.status == 200);
	client_free(&r);
	free(b);
}

static void
put(struct resp *r, const char *key, const char *s, const char *c,
    const char *json)
{
	char	path[512];

	snprintf(path, sizeof(path), "/v1/suppliers/%s/customers/%s", s, c);
	client_call(r, "PUT", path, key, "application/json", json,
	    strlen(json));
}

static void
del(struct resp *r, const char *key, const char *s, const char *c)
{
	char	path[512];

	snprintf(path, sizeof(path), "/v1/suppliers/%s/customers/%s", s, c);
	client_call(r, "DELETE", path, key, NULL, NULL, 0);
}

static void
import(struct resp *r, const char *ctype, const char *file)
{
	client_call(r, "POST", "/v1/links/import", treasury(), ctype, file,
	    strlen(file));
}

static long
sqlf(const char *fmt, ...)
{
	char	q[2048];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	return (client_sql_long(q));
}

/* This run's links, or its link history rows. */
static long
links_like(const char *table)
{
	return (sqlf("SELECT count(*) FROM %s WHERE supplier_id LIKE '%s%%'",
	    table, prefix));
}

static const cJSON *
details(const struct resp *r)
{
	return (client_item(client_item(r->json, "error"), "details"));
}

/* The detail on field (NULL: a null field) of line (0: any line). */
static const cJSON *
detail(const struct resp *r, const char *field, int line)
{
	const cJSON	*f, *l;

	cJSON_ArrayForEach(f, details(r)) {
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

static const char *
problem(const struct resp *r, const char *field, int line)
{
	const cJSON	*d;

	assert_non_null(d = detail(r, field, line));
	return (client_str(d, "problem"));
}

static int
setup(void **state)
{
	snprintf(prefix, sizeof(prefix), "TL%ld-", (long)getpid());
	return (0);
}

static void
put_creates_replaces_and_repeats(void **state)
{
	struct resp	 r;
	const char	*a = sid("PUT-A"), *b = sid("PUT-B");
	char		 rid[80];

	firm(a, "Put seller", 2);
	firm(b, "Put buyer", 1);

	put(&r, treasury(), a, b, "{\"daily_sales\":200000,"
	    "\"payment_terms_days\":30}");
	assert_int_equal(r.status, 201);
	assert_string_equal(client_str(r.json, "supplier_id"), a);
	assert_string_equal(client_str(r.json, "customer_id"), b);
	assert_int_equal(client_int(r.json, "daily_sales"), 200000);
	assert_int_equal(client_int(r.json, "payment_terms_days"), 30);
	assert_non_null(client_str(r.json, "created_at"));
	assert_non_null(client_str(r.json, "updated_at"));
	snprintf(rid, sizeof(rid), "%s", r.request_id);
	client_free(&r);
	/* Its history row: nothing before, this key and request. */
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "supplier_id = '%s' AND customer_id = '%s' AND request_id = '%s' "
	    "AND old_daily_sales IS NULL AND new_daily_sales = 200000 AND "
	    "new_payment_terms_days = 30 AND key_id IS NOT NULL", a, b, rid),
	    1);
	/* ... and its audit record, with the link as its resource. */
	assert_int_equal(sqlf("SELECT count(*) FROM audit_log WHERE "
	    "request_id = '%s' AND method = 'PUT' AND outcome = 201 AND "
	    "resource = 'link:%s:%s'", rid, a, b), 1);

	/* The same again: 200, nothing written. */
	put(&r, treasury(), a, b, "{\"payment_terms_days\":30,"
	    "\"daily_sales\":200000}");
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "daily_sales"), 200000);
	client_free(&r);
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "supplier_id = '%s'", a), 1);

	/* Other figures: 200, replaced, what it was kept. */
	put(&r, treasury(), a, b, "{\"daily_sales\":150000,"
	    "\"payment_terms_days\":45}");
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "daily_sales"), 150000);
	assert_int_equal(client_int(r.json, "payment_terms_days"), 45);
	snprintf(rid, sizeof(rid), "%s", r.request_id);
	client_free(&r);
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "supplier_id = '%s' AND request_id = '%s' AND "
	    "old_daily_sales = 200000 AND old_payment_terms_days = 30 AND "
	    "new_daily_sales = 150000 AND new_payment_terms_days = 45", a,
	    rid), 1);
	assert_int_equal(sqlf("SELECT daily_sales FROM links WHERE "
	    "supplier_id = '%s' AND customer_id = '%s'", a, b), 150000);

	/* The other way round is another link. */
	put(&r, treasury(), b, a, "{\"daily_sales\":0,"
	    "\"payment_terms_days\":0}");
	assert_int_equal(r.status, 201);
	client_free(&r);

	/* Deleted: 204, then 404; what it was kept. */
	del(&r, treasury(), a, b);
	assert_int_equal(r.status, 204);
	assert_int_equal(r.len, 0);
	snprintf(rid, sizeof(rid), "%s", r.request_id);
	client_free(&r);
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "supplier_id = '%s' AND request_id = '%s' AND "
	    "old_daily_sales = 150000 AND new_daily_sales IS NULL", a, rid),
	    1);
	assert_int_equal(sqlf("SELECT count(*) FROM audit_log WHERE "
	    "request_id = '%s' AND method = 'DELETE' AND outcome = 204", rid),
	    1);
	del(&r, treasury(), a, b);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	assert_int_equal(sqlf("SELECT count(*) FROM links WHERE "
	    "supplier_id = '%s'", a), 0);
	assert_int_equal(sqlf("SELECT count(*) FROM links WHERE "
	    "supplier_id = '%s'", b), 1);
}

static void
put_refuses_what_cannot_be(void **state)
{
	struct resp	 r;
	const char	*a = sid("BAD-A"), *b = sid("BAD-B");
	const char	*ok = "{\"daily_sales\":1,\"payment_terms_days\":1}";
	static const char *const numbers[] = {
		"01", "-0", "1.0", "1e3", "1.9999999999999999", "\"5\"",
		"true", "null", "-1", "10000000000001",
	};
	char		 b2[256];
	size_t		 i;

	firm(a, "Bad seller", 2);
	firm(b, "Bad buyer", 1);

	/* Unknown either end: 404; an id that cannot be one, too. */
	put(&r, treasury(), a, sid("NOBODY"), ok);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	put(&r, treasury(), sid("NOBODY"), b, ok);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	put(&r, treasury(), a, "no%20such", ok);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);

	/* To itself, with bad fields besides: every problem at once. */
	put(&r, treasury(), a, a, "{\"daily_sales\":-5,"
	    "\"payment_terms_days\":366,\"tier\":1}");
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(problem(&r, "customer_id", 0),
	    "must not be the supplier itself");
	assert_non_null(detail(&r, "daily_sales", 0));
	assert_non_null(detail(&r, "payment_terms_days", 0));
	assert_string_equal(problem(&r, "tier", 0), "unknown field");
	assert_int_equal(cJSON_GetArraySize(details(&r)), 4);
	client_free(&r);
	put(&r, treasury(), a, b, "{}");
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(problem(&r, "daily_sales", 0), "is required");
	assert_string_equal(problem(&r, "payment_terms_days", 0),
	    "is required");
	client_free(&r);
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		snprintf(b2, sizeof(b2), "{\"daily_sales\":%s,"
		    "\"payment_terms_days\":30}", numbers[i]);
		put(&r, treasury(), a, b, b2);
		client_assert_error(&r, 422, "validation_failed");
		assert_non_null(detail(&r, "daily_sales", 0));
		assert_int_equal(cJSON_GetArraySize(details(&r)), 1);
		client_free(&r);
	}
	/* At the top of the range it is taken: the test can fail. */
	put(&r, treasury(), a, b, "{\"daily_sales\":10000000000000,"
	    "\"payment_terms_days\":365}");
	assert_int_equal(r.status, 201);
	client_free(&r);
	put(&r, treasury(), a, b, "not json");
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_call(&r, "PUT", "/v1/suppliers/x/customers/y", treasury(),
	    "text/plain", "{}", 2);
	client_assert_error(&r, 415, "unsupported_media_type");
	client_free(&r);
	client_call(&r, "GET", "/v1/links/import", treasury(), NULL, NULL, 0);
	assert_int_equal(r.status, 405);
	client_free(&r);
	assert_int_equal(sqlf("SELECT count(*) FROM links WHERE "
	    "supplier_id = '%s'", a), 1);
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "supplier_id = '%s'", a), 1);
}

/* Four firms of this run, ready for the import tests: I-S0..I-S3. */
static void
import_firms(void)
{
	char	id[64], name[64];
	int	i;

	for (i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "I-S%d", i);
		snprintf(name, sizeof(name), "Import firm %d", i);
		firm(sid(id), name, i % 3 + 1);
	}
}

static void
import_csv_and_ndjson_upsert(void **state)
{
	struct resp	 r;
	char		*f, rid[80];

	import_firms();
	f = xprintf("supplier_id,customer_id,daily_sales,payment_terms_days\r\n"
	    "%sI-S1,%sI-S0,100,30\r\n"
	    "%sI-S2,%sI-S1,200,45\r\n"
	    "%sI-S3,%sI-S1,300,60\r\n", prefix, prefix, prefix, prefix, prefix,
	    prefix);
	import(&r, "text/csv", f);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 3);
	assert_int_equal(client_int(r.json, "updated"), 0);
	client_free(&r);
	free(f);
	assert_int_equal(sqlf("SELECT count(*) FROM links WHERE supplier_id "
	    "LIKE '%sI-%%'", prefix), 3);
	assert_int_equal(sqlf("SELECT daily_sales FROM links WHERE "
	    "supplier_id = '%sI-S2' AND customer_id = '%sI-S1'", prefix,
	    prefix), 200);
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "supplier_id LIKE '%sI-%%' AND old_daily_sales IS NULL", prefix),
	    3);

	/* Columns in any order; one changed, one the same, one new. */
	f = xprintf("{\"payment_terms_days\":45,\"daily_sales\":250,"
	    "\"customer_id\":\"%sI-S1\",\"supplier_id\":\"%sI-S2\"}\n"
	    "\n"
	    "{\"supplier_id\":\"%sI-S3\",\"customer_id\":\"%sI-S1\","
	    "\"daily_sales\":300,\"payment_terms_days\":60}\r\n"
	    "{\"supplier_id\":\"%sI-S0\",\"customer_id\":\"%sI-S3\","
	    "\"daily_sales\":0,\"payment_terms_days\":0}", prefix, prefix,
	    prefix, prefix, prefix, prefix);
	import(&r, "application/x-ndjson", f);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 1);
	assert_int_equal(client_int(r.json, "updated"), 2);
	snprintf(rid, sizeof(rid), "%s", r.request_id);
	client_free(&r);
	free(f);
	assert_int_equal(sqlf("SELECT count(*) FROM links WHERE supplier_id "
	    "LIKE '%sI-%%'", prefix), 4);
	/* History only for what changed, with this request. */
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "request_id = '%s'", rid), 2);
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "request_id = '%s' AND supplier_id = '%sI-S2' AND "
	    "old_daily_sales = 200 AND new_daily_sales = 250", rid, prefix),
	    1);
	assert_int_equal(sqlf("SELECT count(*) FROM audit_log WHERE "
	    "request_id = '%s' AND resource = 'links:import' AND "
	    "outcome = 200", rid), 1);
}

#define LINKS_HEADER	"supplier_id,customer_id,daily_sales,payment_terms_days\n"

static void
import_refuses_every_bad_line_at_once(void **state)
{
	struct resp	 r;
	char		*f;
	long		 before, hist;

	import_firms();
	before = links_like("links");
	hist = links_like("link_history");

	/*
	 * Line 2 is good; 3 links to itself; 4 repeats 2's pair; 5 to 9
	 * hold numbers that are not integer literals or out of range; 10 has
	 * a field too few; 11 an id that cannot be one; 12 an empty figure.
	 */
	f = xprintf(LINKS_HEADER
	    "%sI-S0,%sI-S1,10,30\n"
	    "%sI-S2,%sI-S2,10,30\n"
	    "%sI-S0,%sI-S1,11,31\n"
	    "%sI-S1,%sI-S0,01,30\n"
	    "%sI-S1,%sI-S2,-0,30\n"
	    "%sI-S1,%sI-S3,10,1.0\n"
	    "%sI-S2,%sI-S0,10000000000001,30\n"
	    "%sI-S2,%sI-S1,10,366\n"
	    "%sI-S2,%sI-S3,10\n"
	    "no such,%sI-S3,10,30\n"
	    "%sI-S3,%sI-S0,,30\n",
	    prefix, prefix, prefix, prefix, prefix, prefix, prefix, prefix,
	    prefix, prefix, prefix, prefix, prefix, prefix, prefix, prefix,
	    prefix, prefix, prefix, prefix, prefix);
	import(&r, "text/csv", f);
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(problem(&r, "customer_id", 3),
	    "must not be the supplier itself");
	assert_string_equal(problem(&r, "customer_id", 4),
	    "repeats the pair of line 2");
	assert_string_equal(problem(&r, "daily_sales", 5),
	    "must be an integer");
	assert_string_equal(problem(&r, "daily_sales", 6),
	    "must be an integer");
	assert_string_equal(problem(&r, "payment_terms_days", 7),
	    "must be an integer");
	assert_non_null(detail(&r, "daily_sales", 8));
	assert_non_null(detail(&r, "payment_terms_days", 9));
	assert_non_null(detail(&r, NULL, 10));
	assert_non_null(detail(&r, "supplier_id", 11));
	assert_string_equal(problem(&r, "daily_sales", 12), "is required");
	assert_int_equal(cJSON_GetArraySize(details(&r)), 10);
	assert_null(detail(&r, NULL, 2));
	client_free(&r);
	free(f);

	/* Ids that name no supplier, either end: their lines, nothing kept. */
	f = xprintf(LINKS_HEADER
	    "%sI-S0,%sI-S2,10,30\n"
	    "%sNOBODY,%sI-S2,10,30\n"
	    "%sI-S3,%sI-S2,10,30\n"
	    "%sI-S3,%sNOBODY-ELSE,10,30\n", prefix, prefix, prefix, prefix,
	    prefix, prefix, prefix, prefix);
	import(&r, "text/csv", f);
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(problem(&r, "supplier_id", 3), "no such supplier");
	assert_string_equal(problem(&r, "customer_id", 5), "no such supplier");
	assert_int_equal(cJSON_GetArraySize(details(&r)), 2);
	assert_non_null(strstr(r.body, "nothing was written"));
	client_free(&r);
	free(f);

	/* The same in NDJSON, with a line that is not JSON. */
	f = xprintf("{\"supplier_id\":\"%sI-S0\",\"customer_id\":\"%sI-S2\","
	    "\"daily_sales\":10,\"payment_terms_days\":30}\n"
	    "{not json\n"
	    "{\"supplier_id\":\"%sI-S0\",\"customer_id\":\"%sI-S3\","
	    "\"daily_sales\":1.5,\"payment_terms_days\":30,\"x\":1}\n",
	    prefix, prefix, prefix, prefix);
	import(&r, "application/x-ndjson", f);
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail(&r, NULL, 2));
	assert_string_equal(problem(&r, "daily_sales", 3),
	    "must be an integer");
	assert_string_equal(problem(&r, "x", 3), "unknown field");
	assert_int_equal(cJSON_GetArraySize(details(&r)), 3);
	client_free(&r);
	free(f);

	/* A header that is not the links': every problem with it. */
	import(&r, "text/csv", "supplier_id,customer_id,daily_sales,"
	    "daily_sales,colour\nA,B,1,1,red\n");
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(problem(&r, "daily_sales", 1),
	    "column given more than once");
	assert_string_equal(problem(&r, "colour", 1), "unknown column");
	assert_string_equal(problem(&r, "payment_terms_days", 1),
	    "column is missing");
	client_free(&r);
	import(&r, "text/csv", LINKS_HEADER);
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(problem(&r, NULL, 0), "the file holds no link");
	client_free(&r);
	client_call(&r, "POST", "/v1/links/import", treasury(),
	    "application/json", "{}", 2);
	client_assert_error(&r, 415, "unsupported_media_type");
	client_free(&r);

	assert_int_equal(links_like("links"), before);
	assert_int_equal(links_like("link_history"), hist);
}

/*
 * One bad line in a thousand: nothing of the other 999 is written; the
 * same file without it writes every link.
 */
static char *
thousand(int bad, size_t *len)
{
	char	*f;
	size_t	 cap, off;
	int	 i, seller;

	cap = 128 * 1024;
	if ((f = malloc(cap)) == NULL)
		abort();
	off = (size_t)snprintf(f, cap, LINKS_HEADER);
	for (i = 0; i < 1000; i++) {
		/* 40 sellers, each with 25 distinct customers, never itself. */
		seller = i / 25;
		off += (size_t)snprintf(f + off, cap - off,
		    "%sAON-%02d,%sAON-%02d,%d,%d\n", prefix, seller, prefix,
		    (seller + 1 + i % 25) % 40, i * 7,
		    i == bad ? 366 : i % 366);
	}
	*len = off;
	return (f);
}

static void
import_is_all_or_nothing(void **state)
{
	struct resp	 r;
	char		 id[64], name[64], *f;
	size_t		 len;
	int		 i;

	for (i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "AON-%02d", i);
		snprintf(name, sizeof(name), "All or nothing %d", i);
		firm(sid(id), name, 2);
	}
	/* Row 617 is line 619 (after the header, from 1). */
	f = thousand(617, &len);
	client_call(&r, "POST", "/v1/links/import", treasury(), "text/csv",
	    f, len);
	client_assert_error(&r, 422, "validation_failed");
	assert_string_equal(problem(&r, "payment_terms_days", 619),
	    "must be between 0 and 365");
	assert_int_equal(cJSON_GetArraySize(details(&r)), 1);
	client_free(&r);
	free(f);
	assert_int_equal(sqlf("SELECT count(*) FROM links WHERE supplier_id "
	    "LIKE '%sAON-%%'", prefix), 0);
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "supplier_id LIKE '%sAON-%%'", prefix), 0);

	f = thousand(-1, &len);
	client_call(&r, "POST", "/v1/links/import", treasury(), "text/csv",
	    f, len);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 1000);
	assert_int_equal(client_int(r.json, "updated"), 0);
	client_free(&r);
	free(f);
	assert_int_equal(sqlf("SELECT count(*) FROM links WHERE supplier_id "
	    "LIKE '%sAON-%%'", prefix), 1000);
	assert_int_equal(sqlf("SELECT daily_sales FROM links WHERE "
	    "supplier_id = '%sAON-24' AND customer_id = '%sAON-26'", prefix,
	    prefix), 601 * 7);
}

/*
 * Writers at once: eight PUTs of one new pair make it once (one 201, one
 * history row); eight imports of the same twenty pairs, each with figures
 * of its own and its lines in an order of its own, all land, and each
 * whole: the links end with one file's figures, not a mix.
 */
static void
concurrent_writers(void **state)
{
	struct resp	 r;
	const char	*a = sid("PAIR-A"), *b = sid("PAIR-B");
	char		 id[64], *f;
	pid_t		 pids[8];
	size_t		 off;
	int		 i, k, st, created;

	firm(a, "Race seller", 2);
	firm(b, "Race buyer", 1);
	for (i = 0; i < 8; i++) {
		if ((pids[i] = fork()) == 0) {
			put(&r, treasury(), a, b, "{\"daily_sales\":77,"
			    "\"payment_terms_days\":7}");
			_exit(r.status == 201 ? 0 : r.status == 200 ? 2 : 1);
		}
		assert_true(pids[i] > 0);
	}
	created = 0;
	for (i = 0; i < 8; i++) {
		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) != 1);
		created += WEXITSTATUS(st) == 0;
	}
	assert_int_equal(created, 1);
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "supplier_id = '%s'", a), 1);

	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "RACE-%d", i);
		firm(sid(id), "Race firm", 2);
	}
	for (i = 0; i < 8; i++) {
		if ((pids[i] = fork()) != 0) {
			assert_true(pids[i] > 0);
			continue;
		}
		if ((f = malloc(8192)) == NULL)
			abort();
		off = (size_t)snprintf(f, 8192, LINKS_HEADER);
		/* The 20 pairs of five firms, from a place of its own. */
		for (k = 0; k < 20; k++) {
			int	p = (k + 3 * i) % 20;

			off += (size_t)snprintf(f + off, 8192 - off,
			    "%sRACE-%d,%sRACE-%d,%d,%d\n", prefix, p / 4,
			    prefix, (p / 4 + 1 + p % 4) % 5, 1000 + i, i);
		}
		import(&r, "text/csv", f);
		_exit(r.status == 200 ? 0 : 1);
	}
	for (i = 0; i < 8; i++) {
		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_int_equal(sqlf("SELECT count(*) FROM links WHERE supplier_id "
	    "LIKE '%sRACE-_'", prefix), 20);
	assert_int_equal(sqlf("SELECT count(DISTINCT (daily_sales, "
	    "payment_terms_days)) FROM links WHERE supplier_id LIKE "
	    "'%sRACE-_'", prefix), 1);
	assert_int_equal(sqlf("SELECT count(*) FROM links WHERE supplier_id "
	    "LIKE '%sRACE-_' AND daily_sales = 1000 + payment_terms_days",
	    prefix), 20);
	/* Each link was created once, whoever came first. */
	assert_int_equal(sqlf("SELECT count(*) FROM link_history WHERE "
	    "supplier_id LIKE '%sRACE-_' AND old_daily_sales IS NULL",
	    prefix), 20);
}

/* GET path as treasury; the items array's size. */
static int
items(struct resp *r, const char *path, const char *key)
{
	client_get(r, path, key);
	assert_int_equal(r->status, 200);
	return (cJSON_GetArraySize(client_item(r->json, "items")));
}

static void
every_link_filtered_paged_and_csv(void **state)
{
	struct resp	 r, h;
	const cJSON	*it;
	char		 path[1024], cursor[600], minus[64];
	const char	*s1, *s2, *s3;
	int		 n, pages;

	s1 = sid("LST-1");
	s2 = sid("LST-2");
	/* An id a spreadsheet would run as a formula. */
	snprintf(minus, sizeof(minus), "-%sLST-3", prefix);
	s3 = minus;
	firm(s1, "List one", 1);
	firm(s2, "List two", 2);
	firm(s3, "List three", 3);
	put(&r, treasury(), s2, s1, "{\"daily_sales\":21,"
	    "\"payment_terms_days\":30}");
	client_free(&r);
	put(&r, treasury(), s3, s2, "{\"daily_sales\":32,"
	    "\"payment_terms_days\":40}");
	client_free(&r);
	put(&r, treasury(), s3, s1, "{\"daily_sales\":31,"
	    "\"payment_terms_days\":50}");
	client_free(&r);

	snprintf(path, sizeof(path), "/v1/links?supplier_id=%s", s3);
	assert_int_equal(items(&r, path, treasury()), 2);
	/* In pair order: the customers' ids, ascending. */
	it = cJSON_GetArrayItem(client_item(r.json, "items"), 0);
	assert_string_equal(client_str(it, "customer_id"), s1);
	assert_int_equal(client_int(it, "daily_sales"), 31);
	assert_int_equal(client_int(it, "payment_terms_days"), 50);
	assert_non_null(client_str(it, "updated_at"));
	assert_true(cJSON_IsNull(client_item(r.json, "next_cursor")));
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/links?customer_id=%s", s1);
	n = items(&r, path, treasury());
	assert_int_equal(n, 2);
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/links?customer_id=%s&tier=2", s1);
	assert_int_equal(items(&r, path, treasury()), 1);
	it = cJSON_GetArrayItem(client_item(r.json, "items"), 0);
	assert_string_equal(client_str(it, "supplier_id"), s2);
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/links?supplier_id=%s&customer_id=%s",
	    s3, s2);
	assert_int_equal(items(&r, path, treasury()), 1);
	client_free(&r);

	/* Page by page, one at a time, each link once. */
	snprintf(path, sizeof(path), "/v1/links?customer_id=%s&limit=1", s1);
	pages = 0;
	cursor[0] = '\0';
	do {
		char	p2[2048];

		snprintf(p2, sizeof(p2), "%s%s%s", path, cursor[0] ?
		    "&cursor=" : "", cursor);
		assert_int_equal(items(&r, p2, treasury()), 1);
		pages++;
		it = client_item(r.json, "next_cursor");
		cursor[0] = '\0';
		if (cJSON_IsString(it))
			snprintf(cursor, sizeof(cursor), "%s", it->valuestring);
		client_free(&r);
	} while (cursor[0] != '\0' && pages < 10);
	assert_int_equal(pages, 2);

	/* Every link of the service is there, treasury's whole network. */
	n = 0;
	cursor[0] = '\0';
	do {
		char	p2[2048];

		snprintf(p2, sizeof(p2), "/v1/links?limit=1000%s%s",
		    cursor[0] ? "&cursor=" : "", cursor);
		n += items(&r, p2, treasury());
		it = client_item(r.json, "next_cursor");
		cursor[0] = '\0';
		if (cJSON_IsString(it))
			snprintf(cursor, sizeof(cursor), "%s", it->valuestring);
		client_free(&r);
	} while (cursor[0] != '\0');
	assert_int_equal(n, client_sql_long("SELECT count(*) FROM links"));

	client_get(&r, "/v1/links?tier=4", treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_get(&r, "/v1/links?cursor=zzz", treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_get(&r, "/v1/links?limit=0", treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
	client_get(&r, "/v1/links?colour=red", treasury());
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);

	/* CSV: the record's columns; an id starting with - neutralised. */
	snprintf(path, sizeof(path), "/v1/links?supplier_id=%s", s3);
	client_call_with(&h, "GET", path, treasury(), NULL, NULL, 0,
	    "Accept: text/csv");
	assert_int_equal(h.status, 200);
	assert_non_null(strstr(h.content_type, "text/csv"));
	snprintf(path, sizeof(path), "supplier_id,customer_id,daily_sales,"
	    "payment_terms_days,created_at,updated_at\r\n");
	assert_memory_equal(h.body, path, strlen(path));
	snprintf(path, sizeof(path), "\r\n\"'%s\",%s,31,50,", s3, s1);
	assert_non_null(strstr(h.body, path));
	snprintf(path, sizeof(path), "\r\n\"'%s\",%s,32,40,", s3, s2);
	assert_non_null(strstr(h.body, path));
	client_free(&h);
	/* CSV pages carry their cursor in X-Next-Cursor. */
	snprintf(path, sizeof(path), "/v1/links?supplier_id=%s&limit=1", s3);
	client_call_with(&h, "GET", path, treasury(), NULL, NULL, 0,
	    "Accept: text/csv");
	assert_int_equal(h.status, 200);
	assert_true(h.next_cursor[0] != '\0');
	client_free(&h);
}

/* A 404 body, kept; the reply freed. */
static char *
error_body(struct resp *r)
{
	char	*b;

	assert_int_equal(r->status, 404);
	assert_non_null(b = strdup(r->body));
	client_free(r);
	return (b);
}

static void
firm_lists_and_the_supplier_key(void **state)
{
	struct resp	 r, h;
	const cJSON	*it;
	char		 path[512], *key, *other, *missing;
	const char	*me = sid("OWN-ME"), *cust = sid("OWN-CUST");
	const char	*sup = sid("OWN-SUP"), *them = sid("OWN-THEM");
	const char	*lone = sid("OWN-LONE");

	firm(me, "Own firm", 2);
	firm(cust, "=HYPERLINK(\\\"x\\\")", 1);
	firm(sup, "Own supplier", 3);
	firm(them, "Someone else", 2);
	firm(lone, "No links", 2);
	put(&r, treasury(), me, cust, "{\"daily_sales\":500,"
	    "\"payment_terms_days\":30}");
	client_free(&r);
	put(&r, treasury(), sup, me, "{\"daily_sales\":70,"
	    "\"payment_terms_days\":45}");
	client_free(&r);
	/* Links between other firms, one of them its customer. */
	put(&r, treasury(), them, cust, "{\"daily_sales\":9,"
	    "\"payment_terms_days\":9}");
	client_free(&r);
	put(&r, treasury(), sup, them, "{\"daily_sales\":8,"
	    "\"payment_terms_days\":8}");
	client_free(&r);
	key = client_new_key("supplier", me);

	snprintf(path, sizeof(path), "/v1/suppliers/%s/customers", me);
	assert_int_equal(items(&r, path, key), 1);
	it = cJSON_GetArrayItem(client_item(r.json, "items"), 0);
	assert_string_equal(client_str(it, "supplier_id"), me);
	assert_string_equal(client_str(it, "customer_id"), cust);
	assert_string_equal(client_str(it, "customer_name"),
	    "=HYPERLINK(\"x\")");
	assert_int_equal(client_int(it, "daily_sales"), 500);
	assert_int_equal(client_int(it, "payment_terms_days"), 30);
	assert_null(client_item(it, "supplier_name"));
	assert_int_equal(cJSON_GetArraySize(it), 5);
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/suppliers/%s/suppliers", me);
	assert_int_equal(items(&r, path, key), 1);
	it = cJSON_GetArrayItem(client_item(r.json, "items"), 0);
	assert_string_equal(client_str(it, "supplier_id"), sup);
	assert_string_equal(client_str(it, "customer_id"), me);
	assert_string_equal(client_str(it, "supplier_name"), "Own supplier");
	assert_int_equal(client_int(it, "daily_sales"), 70);
	assert_int_equal(cJSON_GetArraySize(it), 5);
	client_free(&r);
	/* Treasury reads the same; a firm with no link has empty lists. */
	snprintf(path, sizeof(path), "/v1/suppliers/%s/customers", them);
	assert_int_equal(items(&r, path, treasury()), 1);
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/suppliers/%s/suppliers", lone);
	assert_int_equal(items(&r, path, treasury()), 0);
	assert_true(cJSON_IsNull(client_item(r.json, "next_cursor")));
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/suppliers/%s/customers", lone);
	assert_int_equal(items(&r, path, treasury()), 0);
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/suppliers/%s/customers",
	    sid("NOBODY"));
	client_get(&r, path, treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);

	/* Its customers as CSV: the name a spreadsheet would run, quoted. */
	snprintf(path, sizeof(path), "/v1/suppliers/%s/customers", me);
	client_call_with(&h, "GET", path, key, NULL, NULL, 0,
	    "Accept: text/csv");
	assert_int_equal(h.status, 200);
	snprintf(path, sizeof(path), "supplier_id,customer_id,customer_name,"
	    "daily_sales,payment_terms_days\r\n%s,%s,"
	    "\"'=HYPERLINK(\"\"x\"\")\",500,30\r\n", me, cust);
	assert_string_equal(h.body, path);
	client_free(&h);

	/*
	 * Another firm's lists, and a missing firm's: the same 404 to the
	 * byte, whether that firm has links or not.
	 */
	snprintf(path, sizeof(path), "/v1/suppliers/%s/customers", them);
	client_get(&r, path, key);
	other = error_body(&r);
	snprintf(path, sizeof(path), "/v1/suppliers/%s/customers",
	    sid("NOBODY"));
	client_get(&r, path, key);
	missing = error_body(&r);
	assert_string_equal(other, missing);
	free(other);
	snprintf(path, sizeof(path), "/v1/suppliers/%s/suppliers", cust);
	client_get(&r, path, key);
	other = error_body(&r);
	assert_string_equal(other, missing);
	free(other);
	snprintf(path, sizeof(path), "/v1/suppliers/%s/suppliers", lone);
	client_get(&r, path, key);
	other = error_body(&r);
	assert_string_equal(other, missing);
	free(other);
	free(missing);

	/* Nothing that lists or writes links is open to it. */
	client_get(&r, "/v1/links", key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	snprintf(path, sizeof(path), "/v1/links?supplier_id=%s", me);
	client_get(&r, path, key);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	put(&r, key, me, cust, "{\"daily_sales\":1,\"payment_terms_days\":1}");
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	del(&r, key, me, cust);
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	client_call(&r, "POST", "/v1/links/import", key, "text/csv",
	    LINKS_HEADER, strlen(LINKS_HEADER));
	client_assert_error(&r, 403, "forbidden");
	client_free(&r);
	assert_int_equal(sqlf("SELECT daily_sales FROM links WHERE "
	    "supplier_id = '%s' AND customer_id = '%s'", me, cust), 500);
	free(key);
}

/*
 * Who may call what: treasury everything; a supplier its own two lists
 * (above); government nothing, whatever firm it names; no key, 401.
 */
static void
access_matrix(void **state)
{
	static const struct {
		const char	*method;
		const char	*path;	/* %s: a firm of this run */
	} calls[] = {
		{ "GET", "/v1/links" },
		{ "GET", "/v1/links?tier=1" },
		{ "POST", "/v1/links/import" },
		{ "PUT", "/v1/suppliers/%s/customers/%s" },
		{ "DELETE", "/v1/suppliers/%s/customers/%s" },
		{ "GET", "/v1/suppliers/%s/customers" },
		{ "GET", "/v1/suppliers/%s/suppliers" },
	};
	struct resp	 r;
	char		 path[512], *gov, *sup;
	const char	*a = sid("ACC-A"), *b = sid("ACC-B");
	const char	*body = "{\"daily_sales\":1,\"payment_terms_days\":1}";
	const char	*b0, *t;
	size_t		 i;

	firm(a, "Access A", 1);
	firm(b, "Access B", 2);
	put(&r, treasury(), b, a, "{\"daily_sales\":3,"
	    "\"payment_terms_days\":3}");
	assert_int_equal(r.status, 201);
	client_free(&r);
	gov = client_new_key("government", NULL);
	sup = client_new_key("supplier", a);
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		snprintf(path, sizeof(path), calls[i].path, b, a);
		/* Bodies only where the method has one. */
		b0 = calls[i].method[0] == 'P' ? body : NULL;
		t = b0 == NULL ? NULL : strcmp(calls[i].method, "POST") == 0 ?
		    "text/csv" : "application/json";
		client_call(&r, calls[i].method, path, gov, t, b0,
		    b0 ? strlen(b0) : 0);
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
		client_call(&r, calls[i].method, path, NULL, t, b0,
		    b0 ? strlen(b0) : 0);
		client_assert_error(&r, 401, "unauthorized");
		client_free(&r);
		/* A supplier: only a firm's lists, and only its own. */
		client_call(&r, calls[i].method, path, sup, t, b0,
		    b0 ? strlen(b0) : 0);
		if (strstr(calls[i].path, "/customers") != NULL &&
		    strcmp(calls[i].method, "GET") == 0)
			client_assert_error(&r, 404, "not_found");
		else if (strstr(calls[i].path, "/suppliers/%s/suppliers") !=
		    NULL)
			client_assert_error(&r, 404, "not_found");
		else
			client_assert_error(&r, 403, "forbidden");
		client_free(&r);
	}
	/* Its own: 200. */
	snprintf(path, sizeof(path), "/v1/suppliers/%s/suppliers", a);
	assert_int_equal(items(&r, path, sup), 1);
	client_free(&r);
	/* Treasury: everything. */
	snprintf(path, sizeof(path), "/v1/suppliers/%s/customers", b);
	assert_int_equal(items(&r, path, treasury()), 1);
	client_free(&r);
	assert_true(items(&r, "/v1/links", treasury()) >= 1);
	client_free(&r);
	del(&r, treasury(), b, a);
	assert_int_equal(r.status, 204);
	client_free(&r);
	client_call(&r, "PATCH", "/v1/links", treasury(), "application/json",
	    "{}", 2);
	assert_int_equal(r.status, 405);
	client_free(&r);
	client_call(&r, "POST", "/v1/suppliers/x/customers", treasury(),
	    "application/json", "{}", 2);
	assert_int_equal(r.status, 405);
	client_free(&r);
	free(gov);
	free(sup);
}

/* The service's role may write links only as the functions do. */
static void
service_role_cannot_rewrite_history(void **state)
{
	static const char *const refused[] = {
		"DELETE FROM link_history",
		"UPDATE link_history SET new_daily_sales = 0",
		"UPDATE links SET supplier_id = customer_id",
		"UPDATE links SET created_at = now()",
		"INSERT INTO links (supplier_id, customer_id, daily_sales, "
		    "payment_terms_days, created_at) VALUES ('a', 'b', 0, 0, "
		    "now())",
	};
	char	cmd[1024];
	size_t	i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s -c \"%s\" >/dev/null 2>&1",
		    client_env("TIDEOVER_PSQL_APP"), refused[i]);
		assert_int_not_equal(system(cmd), 0);
	}
	/* What the functions need it has: the test can fail. */
	snprintf(cmd, sizeof(cmd), "%s -c \"UPDATE links SET updated_at = "
	    "updated_at WHERE false\" >/dev/null 2>&1",
	    client_env("TIDEOVER_PSQL_APP"));
	assert_int_equal(system(cmd), 0);
}

/* A stress run of scenario, no scheme, L 0..max; its inputs_digest. */
static long long
run(const char *scenario, int max, char *digest, size_t len)
{
	struct resp	r;
	char		body[256];
	long long	id;

	snprintf(body, sizeof(body), "{\"scenario_id\":\"%s\","
	    "\"scheme_id\":null,\"max_outage_days\":%d}", scenario, max);
	client_post_json(&r, "/v1/stress-runs", treasury(), body);
	if (r.status != 201)
		fprintf(stderr, "POST /v1/stress-runs: %ld %s\n", r.status,
		    r.body ? r.body : "");
	assert_int_equal(r.status, 201);
	id = client_int(r.json, "id");
	snprintf(digest, len, "%s", client_str(r.json, "inputs_digest"));
	client_free(&r);
	return (id);
}

/* The run's snapshot's link from s to c: its daily sales, or -1. */
static long
snapshot_link(long long run_id, const char *s, const char *c)
{
	return (sqlf("SELECT coalesce((SELECT x.sales FROM "
	    "stress_run_inputs_links l CROSS JOIN LATERAL unnest(l.supplier_n, "
	    "l.customer_n, l.daily_sales) AS x(sn, cn, sales) "
	    "JOIN stress_run_inputs_suppliers a ON a.run_id = l.run_id AND "
	    "a.n = x.sn JOIN stress_run_inputs_suppliers b ON "
	    "b.run_id = l.run_id AND b.n = x.cn WHERE l.run_id = %lld AND "
	    "a.supplier_id = '%s' AND b.supplier_id = '%s'), -1)", run_id, s,
	    c));
}

static void
links_are_in_a_stress_run(void **state)
{
	struct resp	 r;
	char		 d1[65], d2[65], d3[65], *f, scn[96];
	const char	*s = sid("RUN-S"), *c = sid("RUN-C");
	long long	 id1, id2, id3;

	firm(s, "Run seller", 2);
	firm(c, "Run buyer", 1);
	snprintf(scn, sizeof(scn), "%sSCN", prefix);
	assert_int_equal(client_sql(f = xprintf("INSERT INTO scenarios (id, "
	    "name, start_date, horizon_days, ramp_bps, payment_freeze_days, "
	    "fixed_cost_relief_bps) VALUES ('%s', 'Links', '2025-09-01', 60, "
	    "'{5000,5000,5000,5000,5000,5000,5000}', 0, 0) "
	    "ON CONFLICT DO NOTHING", scn)), 0);
	free(f);
	assert_int_equal(client_sql(f = xprintf("INSERT INTO invoices (id, "
	    "supplier_id, amount, currency, issue_date, due_date, status, "
	    "created_at, updated_at) VALUES ('%s-INV', '%s', 1000, 'GBP', "
	    "'2025-08-01', '2025-09-15', 'approved', now(), now()) "
	    "ON CONFLICT DO NOTHING", c, c)), 0);
	free(f);

	f = xprintf(LINKS_HEADER "%s,%s,40000,30\n", s, c);
	import(&r, "text/csv", f);
	assert_int_equal(r.status, 200);
	assert_int_equal(client_int(r.json, "created"), 1);
	client_free(&r);
	free(f);
	id1 = run(scn, 5, d1, sizeof(d1));
	assert_int_equal(snapshot_link(id1, s, c), 40000);
	assert_int_equal(snapshot_link(id1, c, s), -1);

	/* New terms are a new input: the digest follows them... */
	put(&r, treasury(), s, c, "{\"daily_sales\":40000,"
	    "\"payment_terms_days\":31}");
	assert_int_equal(r.status, 200);
	client_free(&r);
	id2 = run(scn, 5, d2, sizeof(d2));
	assert_string_not_equal(d1, d2);
	/* ... and back, it is the first run's again. */
	put(&r, treasury(), s, c, "{\"daily_sales\":40000,"
	    "\"payment_terms_days\":30}");
	client_free(&r);
	id3 = run(scn, 5, d3, sizeof(d3));
	assert_string_equal(d1, d3);
	/* A deleted link is gone from the next run, not from the first. */
	del(&r, treasury(), s, c);
	assert_int_equal(r.status, 204);
	client_free(&r);
	id3 = run(scn, 5, d3, sizeof(d3));
	assert_int_equal(snapshot_link(id3, s, c), -1);
	assert_string_not_equal(d1, d3);
	assert_int_equal(snapshot_link(id1, s, c), 40000);
	assert_int_equal(snapshot_link(id2, s, c), 40000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_creates_replaces_and_repeats),
		cmocka_unit_test(put_refuses_what_cannot_be),
		cmocka_unit_test(import_csv_and_ndjson_upsert),
		cmocka_unit_test(import_refuses_every_bad_line_at_once),
		cmocka_unit_test(import_is_all_or_nothing),
		cmocka_unit_test(concurrent_writers),
		cmocka_unit_test(every_link_filtered_paged_and_csv),
		cmocka_unit_test(firm_lists_and_the_supplier_key),
		cmocka_unit_test(access_matrix),
		cmocka_unit_test(service_role_cannot_rewrite_history),
		cmocka_unit_test(links_are_in_a_stress_run),
	};

	return (cmocka_run_group_tests_name("api_links", tests, setup, NULL));
}
