/*
 * The foundation against the real server: health, the error model, every
 * way authentication can fail, role checks, request limits, API keys and
 * the audit trail, and the database going away and coming back.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "client.h"

static const char *
treasury(void)
{
	return (client_env("TIDEOVER_TREASURY_KEY"));
}

static long
key_count(void)
{
	return (client_sql_long("SELECT count(*) FROM api_keys"));
}

static const char *
str(const cJSON *j, const char *name)
{
	const cJSON	*m;

	m = cJSON_GetObjectItemCaseSensitive(j, name);
	return (cJSON_IsString(m) ? m->valuestring : NULL);
}

static int
setup(void **state)
{
	/* Supplier keys need their supplier. */
	return (client_sql("INSERT INTO suppliers (id, name, tier, region, "
	    "sector, employees, currency, cash, credit_available, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days) VALUES ('F-SUP-1', "
	    "'Foundation', 1, 'Wales', 'glass', 5, 'GBP', 0, 0, 0, 0, 0, 0, "
	    "60) ON CONFLICT DO NOTHING") == 0 ? 0 : -1);
}

static void
health_answers_ok(void **state)
{
	struct resp	r;

	client_get(&r, "/v1/health", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "status"), "ok");
	assert_string_equal(str(r.json, "database"), "ok");
	assert_non_null(str(r.json, "version"));
	assert_int_equal(strlen(r.request_id), 32);
	assert_non_null(strstr(r.content_type, "application/json"));
	client_free(&r);
}

static void
request_ids_differ(void **state)
{
	struct resp	a, b;

	client_get(&a, "/v1/health", NULL);
	client_get(&b, "/v1/api-keys", NULL);
	assert_true(a.request_id[0] != '\0' && b.request_id[0] != '\0');
	assert_string_not_equal(a.request_id, b.request_id);
	client_free(&a);
	client_free(&b);
}

static void
auth_missing_key_is_401(void **state)
{
	struct resp	r;

	client_get(&r, "/v1/api-keys", NULL);
	client_assert_error(&r, 401, "unauthorized");
	assert_memory_equal(r.www_authenticate, "Bearer", 6);
	client_free(&r);
}

static void
auth_malformed_keys_are_401(void **state)
{
	static const char *const bad[] = {
		"garbage",
		"tdo_",
		"tdo_0123456789abcdef_short",
		"tdo_0123456789ABCDEF_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"xyz_0123456789abcdef_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"tdo_0123456789abcdef_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa*",
	};
	struct resp	r;
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		client_get(&r, "/v1/api-keys", bad[i]);
		client_assert_error(&r, 401, "unauthorized");
		assert_memory_equal(r.www_authenticate, "Bearer", 6);
		client_free(&r);
	}
}

static void
auth_wrong_scheme_is_401(void **state)
{
	struct resp	 r;
	char		 cmd[512];

	/* curl through the client always says Bearer: build one by hand. */
	snprintf(cmd, sizeof(cmd), "curl -s -o /dev/null -w '%%{http_code}' "
	    "-H 'Authorization: Basic %s' %s/v1/api-keys | grep -qx 401",
	    treasury(), client_env("TIDEOVER_URL"));
	assert_int_equal(system(cmd), 0);
	(void)r;
}

static void
auth_unknown_key_is_401(void **state)
{
	struct resp	r;

	client_get(&r, "/v1/api-keys",
	    "tdo_0123456789abcdef_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	client_assert_error(&r, 401, "unauthorized");
	client_free(&r);
}

static void
auth_wrong_secret_is_401(void **state)
{
	struct resp	 r;
	char		*key;

	if ((key = strdup(treasury())) == NULL)
		abort();
	key[strlen(key) - 1] = key[strlen(key) - 1] == 'A' ? 'B' : 'A';
	client_get(&r, "/v1/api-keys", key);
	client_assert_error(&r, 401, "unauthorized");
	client_free(&r);
	free(key);
}

static void
revoked_key_is_401_at_once(void **state)
{
	struct resp	 r;
	char		*key, *id, path[64];

	key = client_new_key("treasury", NULL);
	id = client_key_id(key);
	client_get(&r, "/v1/api-keys", key);
	assert_int_equal(r.status, 200);
	client_free(&r);

	snprintf(path, sizeof(path), "/v1/api-keys/%s", id);
	client_call(&r, "DELETE", path, treasury(), NULL, NULL, 0);
	assert_int_equal(r.status, 204);
	assert_true(r.request_id[0] != '\0');
	client_free(&r);

	client_get(&r, "/v1/api-keys", key);
	client_assert_error(&r, 401, "unauthorized");
	assert_non_null(strstr(str(cJSON_GetObjectItem(r.json, "error"),
	    "message"), "revoked"));
	client_free(&r);

	/* Revoking again changes nothing and still succeeds. */
	client_call(&r, "DELETE", path, treasury(), NULL, NULL, 0);
	assert_int_equal(r.status, 204);
	client_free(&r);
	free(key);
	free(id);
}

/* Every key can ask what it is; none learns anything of another. */
static void
me_says_what_the_key_is(void **state)
{
	static const char *const roles[3] = { "treasury", "government",
	    "supplier" };
	struct resp	 r;
	char		*key, *id, path[64];
	int		 i;

	for (i = 0; i < 3; i++) {
		key = client_new_key(roles[i], i == 2 ? "F-SUP-1" : NULL);
		id = client_key_id(key);
		client_get(&r, "/v1/me", key);
		assert_int_equal(r.status, 200);
		assert_string_equal(str(r.json, "role"), roles[i]);
		assert_string_equal(str(r.json, "key_id"), id);
		if (i == 2)
			assert_string_equal(str(r.json, "supplier_id"),
			    "F-SUP-1");
		else
			assert_true(cJSON_IsNull(cJSON_GetObjectItem(r.json,
			    "supplier_id")));
		assert_int_equal(cJSON_GetArraySize(r.json), 3);
		client_free(&r);
		client_call(&r, "POST", "/v1/me", key, "application/json",
		    "{}", 2);
		assert_int_equal(r.status, 405);
		client_free(&r);
		snprintf(path, sizeof(path), "/v1/api-keys/%s", id);
		client_call(&r, "DELETE", path, treasury(), NULL, NULL, 0);
		assert_int_equal(r.status, 204);
		client_free(&r);
		client_get(&r, "/v1/me", key);
		client_assert_error(&r, 401, "unauthorized");
		client_free(&r);
		free(key);
		free(id);
	}
	client_get(&r, "/v1/me", NULL);
	client_assert_error(&r, 401, "unauthorized");
	client_free(&r);
}

static void
revoking_unknown_key_is_404(void **state)
{
	struct resp	r;

	client_call(&r, "DELETE", "/v1/api-keys/0000000000000000", treasury(),
	    NULL, NULL, 0);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
	client_call(&r, "DELETE", "/v1/api-keys/not%2Fa-key", treasury(),
	    NULL, NULL, 0);
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
}

static void
other_roles_are_403(void **state)
{
	const char	*roles[2] = { "government", "supplier" };
	struct resp	 r;
	char		*key;
	int		 i;
	long		 before;

	for (i = 0; i < 2; i++) {
		key = client_new_key(roles[i], i == 1 ? "F-SUP-1" : NULL);
		before = key_count();

		client_get(&r, "/v1/api-keys", key);
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
		client_get(&r, "/v1/audit", key);
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
		client_post_json(&r, "/v1/api-keys", key,
		    "{\"role\":\"treasury\"}");
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);
		client_call(&r, "DELETE", "/v1/api-keys/0000000000000000",
		    key, NULL, NULL, 0);
		client_assert_error(&r, 403, "forbidden");
		client_free(&r);

		assert_int_equal(key_count(), before);
		free(key);
	}
}

static void
bad_json_is_400_and_writes_nothing(void **state)
{
	static const char *const bodies[] = {
		"{", "", "[]", "\"role\"", "{\"role\":\"treasury\"} x",
		"{\"role\":\"treasury\",}",
	};
	struct resp	r;
	long		before;
	size_t		i;

	before = key_count();
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		client_post_json(&r, "/v1/api-keys", treasury(), bodies[i]);
		client_assert_error(&r, 400, "bad_request");
		client_free(&r);
	}
	assert_int_equal(key_count(), before);
}

/*
 * What cJSON alone would take and C would misread changes nothing: a
 * number not written as an integer literal (rounded, or not JSON) is a
 * 422 on its field, with the body's other problems; U+0000 in a string
 * or a key (the text would end there) and a raw NUL byte in any body, an
 * import's included, are 400.
 */
#define NUMBER_BODY \
	"{\"id\":\"F-NUM\",\"name\":\"n\",\"tier\":2,\"region\":\"r\"," \
	"\"sector\":\"s\",\"employees\":3,\"currency\":\"GBP\"," \
	"\"cash\":%s,\"credit_available\":0,\"fixed_daily_costs\":1," \
	"\"oem_daily_sales\":0,\"variable_cost_bps\":0," \
	"\"other_daily_receipts\":0,\"payment_terms_days\":30}"

static void
lenient_numbers_and_nul_change_nothing(void **state)
{
	static const char *const numbers[] = {
		"01", "-01", "-0", "1.", "1.0", "1.9999999999999999", "1e3",
		"1E3",
	};
	static const char *const nul[] = {
		"{\"name\":\"abc\\u0000def\"}", "{\"X\\u0000Y\":1}",
	};
	static const char	 csv[] = "id,supplier_id,amount,currency,"
	    "issue_date,due_date\n"
	    "F-NUL-1,L-SUP-A,1\0" "00,GBP,2025-09-01,2025-10-01\n";
	struct resp		 r;
	const cJSON		*d;
	char			 b[1024];
	long			 suppliers, invoices;
	size_t			 i;

	suppliers = client_sql_long("SELECT count(*) FROM suppliers");
	invoices = client_sql_long("SELECT count(*) FROM invoices");
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		snprintf(b, sizeof(b), NUMBER_BODY, numbers[i]);
		client_post_json(&r, "/v1/suppliers", treasury(), b);
		client_assert_error(&r, 422, "validation_failed");
		d = client_item(client_item(r.json, "error"), "details");
		assert_int_equal(cJSON_GetArraySize(d), 1);
		assert_string_equal(str(cJSON_GetArrayItem(d, 0), "field"),
		    "cash");
		client_free(&r);
	}
	/* The same body with a plain integer is taken: the test can fail. */
	snprintf(b, sizeof(b), NUMBER_BODY, "1000");
	client_post_json(&r, "/v1/suppliers", treasury(), b);
	assert_int_equal(r.status, 201);
	client_free(&r);
	for (i = 0; i < sizeof(nul) / sizeof(nul[0]); i++) {
		client_post_json(&r, "/v1/suppliers", treasury(), nul[i]);
		client_assert_error(&r, 400, "bad_request");
		assert_non_null(strstr(r.body, "U+0000"));
		client_free(&r);
	}
	client_call(&r, "POST", "/v1/invoices/import", treasury(), "text/csv",
	    csv, sizeof(csv) - 1);
	client_assert_error(&r, 400, "bad_request");
	assert_non_null(strstr(r.body, "NUL"));
	client_free(&r);
	assert_int_equal(client_sql_long("SELECT count(*) FROM suppliers"),
	    suppliers + 1);
	assert_int_equal(client_sql_long("SELECT count(*) FROM invoices"),
	    invoices);
}

/*
 * A sequence cursor is a bigint through to the database: past 2^31 it
 * pages (empty here), past 2^63 it is malformed; never a 500.
 */
static void
large_cursors_page_or_are_400(void **state)
{
	static const char *const fine[] = {
		"/v1/audit?cursor=cMjE0NzQ4MzY0OA",		/* 2^31 */
		"/v1/audit?cursor=cOTIyMzM3MjAzNjg1NDc3NTgwNw",	/* 2^63 - 1 */
		"/v1/api-keys?cursor=cMjE0NzQ4MzY0OA",
		"/v1/stress-runs?cursor=cMjE0NzQ4MzY0OA",
	};
	struct resp	r;
	size_t		i;

	for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		client_get(&r, fine[i], treasury());
		if (r.status != 200)
			fprintf(stderr, "%s: %ld %s\n", fine[i], r.status,
			    r.body);
		assert_int_equal(r.status, 200);
		client_free(&r);
	}
	client_get(&r, "/v1/audit?cursor=cOTIyMzM3MjAzNjg1NDc3NTgwOA",
	    treasury());					/* 2^63 */
	client_assert_error(&r, 400, "bad_request");
	client_free(&r);
}

/*
 * Bytes that are not UTF-8 in a field name or a query parameter's name
 * are refused without being echoed: the reply stays valid JSON text, and
 * a write refused this way is audited like any other.
 */
static void
names_that_are_not_text_are_not_echoed(void **state)
{
	static const char	 body[] = "{\"role\":\"treasury\",\"\xff\xfe\":1}";
	struct resp		 r;
	long			 audited;

	audited = client_sql_long("SELECT count(*) FROM audit_log");
	client_post_json(&r, "/v1/api-keys", treasury(), body);
	client_assert_error(&r, 422, "validation_failed");
	assert_null(memchr(r.body, 0xff, r.len));
	assert_non_null(strstr(r.body, "not valid UTF-8"));
	client_free(&r);
	assert_int_equal(client_sql_long("SELECT count(*) FROM audit_log"),
	    audited + 1);

	client_get(&r, "/v1/health?%FF%FE=1", NULL);
	client_assert_error(&r, 400, "bad_request");
	assert_null(memchr(r.body, 0xff, r.len));
	assert_non_null(strstr(r.body, "(not shown)"));
	client_free(&r);
}

static const cJSON *
detail_for(const struct resp *r, const char *field)
{
	const cJSON	*d, *f;

	d = cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "error"),
	    "details");
	cJSON_ArrayForEach(f, d) {
		if (str(f, "field") != NULL &&
		    strcmp(str(f, "field"), field) == 0 &&
		    str(f, "problem") != NULL)
			return (f);
	}
	return (NULL);
}

static void
unknown_fields_are_422(void **state)
{
	struct resp	r;
	long		before;

	before = key_count();
	client_post_json(&r, "/v1/api-keys", treasury(),
	    "{\"role\":\"treasury\",\"admin\":true,\"secret_hash\":\"00\"}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail_for(&r, "admin"));
	assert_non_null(detail_for(&r, "secret_hash"));
	client_free(&r);
	assert_int_equal(key_count(), before);
}

static void
invalid_fields_are_422_all_at_once(void **state)
{
	struct resp	r;
	long		before;

	before = key_count();
	client_post_json(&r, "/v1/api-keys", treasury(),
	    "{\"role\":\"boss\",\"label\":7}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail_for(&r, "role"));
	assert_non_null(detail_for(&r, "label"));
	client_free(&r);

	client_post_json(&r, "/v1/api-keys", treasury(),
	    "{\"role\":\"supplier\"}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail_for(&r, "supplier_id"));
	client_free(&r);

	client_post_json(&r, "/v1/api-keys", treasury(),
	    "{\"role\":\"government\",\"supplier_id\":\"F-SUP-1\"}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail_for(&r, "supplier_id"));
	client_free(&r);

	client_post_json(&r, "/v1/api-keys", treasury(),
	    "{\"role\":\"supplier\",\"supplier_id\":\"NO-SUCH-SUP\"}");
	client_assert_error(&r, 422, "validation_failed");
	assert_non_null(detail_for(&r, "supplier_id"));
	client_free(&r);

	client_post_json(&r, "/v1/api-keys", treasury(),
	    "{\"role\":\"treasury\",\"role\":\"treasury\"}");
	client_assert_error(&r, 422, "validation_failed");
	client_free(&r);
	assert_int_equal(key_count(), before);
}

static void
oversized_body_is_413(void **state)
{
	struct resp	 r;
	size_t		 len = 2 * 1024 * 1024;
	char		*body;
	long		 before;

	before = key_count();
	if ((body = malloc(len)) == NULL)
		abort();
	memset(body, ' ', len);
	memcpy(body, "{\"role\":\"treasury\",\"label\":\"x\"}", 31);
	client_call(&r, "POST", "/v1/api-keys", treasury(), "application/json",
	    body, len);
	client_assert_error(&r, 413, "too_large");
	client_free(&r);
	free(body);
	assert_int_equal(key_count(), before);
}

static void
wrong_content_type_is_415(void **state)
{
	struct resp	 r;
	const char	*b = "{\"role\":\"treasury\"}";
	long		 before;

	before = key_count();
	client_call(&r, "POST", "/v1/api-keys", treasury(), "text/plain", b,
	    strlen(b));
	client_assert_error(&r, 415, "unsupported_media_type");
	client_free(&r);
	client_call(&r, "POST", "/v1/api-keys", treasury(), NULL, b,
	    strlen(b));
	client_assert_error(&r, 415, "unsupported_media_type");
	client_free(&r);
	client_call(&r, "POST", "/v1/api-keys", treasury(),
	    "application/json; charset=utf-8", b, strlen(b));
	assert_int_equal(r.status, 201);
	client_free(&r);
	assert_int_equal(key_count(), before + 1);
}

static void
wrong_method_is_405(void **state)
{
	struct resp	r;

	client_call(&r, "PATCH", "/v1/api-keys", treasury(),
	    "application/json", "{}", 2);
	client_assert_error(&r, 405, "method_not_allowed");
	assert_non_null(strstr(r.allow, "GET"));
	assert_non_null(strstr(r.allow, "POST"));
	client_free(&r);
}

static void
unknown_path_is_404(void **state)
{
	struct resp	r;

	client_get(&r, "/v1/no-such-thing", treasury());
	client_assert_error(&r, 404, "not_found");
	client_free(&r);
}

static void
bad_query_is_400(void **state)
{
	static const char *const paths[] = {
		"/v1/api-keys?limit=0", "/v1/api-keys?limit=1001",
		"/v1/api-keys?limit=ten", "/v1/api-keys?cursor=zzz",
		"/v1/api-keys?colour=red", "/v1/api-keys?limit=1&limit=2",
		"/v1/api-keys?limit=%zz",
	};
	struct resp	r;
	size_t		i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		client_get(&r, paths[i], treasury());
		client_assert_error(&r, 400, "bad_request");
		client_free(&r);
	}
}

static void
keys_list_pages_through_every_key(void **state)
{
	struct resp	 r;
	const cJSON	*items, *it, *next;
	char		 path[1024], *made[5];
	int		 i, seen[5] = { 0 }, pages, total;
	long		 count;

	for (i = 0; i < 5; i++)
		made[i] = client_key_id(client_new_key("government", NULL));
	count = key_count();

	snprintf(path, sizeof(path), "/v1/api-keys?limit=2");
	for (pages = 0, total = 0; pages < 1000; pages++) {
		client_get(&r, path, treasury());
		assert_int_equal(r.status, 200);
		items = cJSON_GetObjectItem(r.json, "items");
		assert_true(cJSON_GetArraySize(items) <= 2);
		cJSON_ArrayForEach(it, items) {
			total++;
			assert_null(cJSON_GetObjectItem(it, "key"));
			assert_null(cJSON_GetObjectItem(it, "secret_hash"));
			for (i = 0; i < 5; i++) {
				if (strcmp(str(it, "id"), made[i]) == 0)
					seen[i]++;
			}
		}
		next = cJSON_GetObjectItem(r.json, "next_cursor");
		if (cJSON_IsNull(next)) {
			client_free(&r);
			break;
		}
		assert_true(cJSON_IsString(next));
		snprintf(path, sizeof(path), "/v1/api-keys?limit=2&cursor=%s",
		    next->valuestring);
		client_free(&r);
	}
	assert_int_equal(total, count);
	for (i = 0; i < 5; i++) {
		assert_int_equal(seen[i], 1);
		free(made[i]);
	}
}

static void
new_key_works_and_is_stored_as_keyed_hash(void **state)
{
	struct resp	 r;
	unsigned char	 server[32], want[32];
	char		 path[1024], hex[65], sql[256], *key, *id;
	const char	*secret;
	struct stat	 st;
	FILE		*f;

	key = client_new_key("treasury", NULL);
	id = client_key_id(key);
	secret = key + 4 + 16 + 1;
	client_get(&r, "/v1/audit?limit=1", key);
	assert_int_equal(r.status, 200);
	client_free(&r);

	snprintf(path, sizeof(path), "%s/keys/server.key",
	    client_env("TIDEOVER_DATA_DIR"));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fread(server, 1, sizeof(server), f), sizeof(server));
	fclose(f);

	crypto_generichash(want, sizeof(want), (const unsigned char *)secret,
	    strlen(secret), server, sizeof(server));
	sodium_bin2hex(hex, sizeof(hex), want, sizeof(want));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM api_keys WHERE "
	    "id = '%s' AND secret_hash = decode('%s', 'hex')", id, hex);
	assert_int_equal(client_sql_long(sql), 1);
	free(key);
	free(id);
}

static void
writes_are_audited_reads_are_not(void **state)
{
	struct resp	 r, a;
	const cJSON	*items, *first;
	char		 rid[80], *key, *kid;
	long		 before;

	key = client_new_key("treasury", NULL);
	kid = client_key_id(key);

	before = client_sql_long("SELECT count(*) FROM audit_log");
	client_get(&r, "/v1/api-keys", key);
	client_free(&r);
	assert_int_equal(client_sql_long("SELECT count(*) FROM audit_log"),
	    before);

	client_post_json(&r, "/v1/api-keys", key, "{\"role\":\"nope\"}");
	assert_int_equal(r.status, 422);
	snprintf(rid, sizeof(rid), "%s", r.request_id);
	client_free(&r);

	client_get(&a, "/v1/audit?limit=1", key);
	assert_int_equal(a.status, 200);
	items = cJSON_GetObjectItem(a.json, "items");
	assert_int_equal(cJSON_GetArraySize(items), 1);
	first = cJSON_GetArrayItem(items, 0);
	assert_string_equal(str(first, "request_id"), rid);
	assert_string_equal(str(first, "key_id"), kid);
	assert_string_equal(str(first, "role"), "treasury");
	assert_string_equal(str(first, "method"), "POST");
	assert_string_equal(str(first, "path"), "/v1/api-keys");
	assert_int_equal(cJSON_GetObjectItem(first, "outcome")->valuedouble,
	    422);
	assert_non_null(str(first, "time"));
	client_free(&a);
	free(key);
	free(kid);
}

/*
 * A write whose audit record cannot be written is not answered as a
 * success: the change may stand, so the reply says its outcome is
 * unknown, and the retry is both answered and recorded.
 */
static void
no_success_without_its_audit_record(void **state)
{
	static const char	*b = "{\"id\":\"AUDIT-GAP\",\"name\":\"Gap Ltd\","
	    "\"tier\":1,\"region\":\"West Midlands\",\"sector\":\"castings\","
	    "\"employees\":12,\"currency\":\"GBP\",\"cash\":100000,"
	    "\"credit_available\":0,\"fixed_daily_costs\":1000,"
	    "\"oem_daily_sales\":2000,\"variable_cost_bps\":5000,"
	    "\"other_daily_receipts\":0,\"payment_terms_days\":60}";
	struct resp		 r;
	char			 sql[256];
	long			 audited;

	audited = client_sql_long("SELECT count(*) FROM audit_log");
	assert_int_equal(client_sql("REVOKE INSERT ON audit_log FROM "
	    "tideover_app"), 0);
	client_post_json(&r, "/v1/suppliers", treasury(), b);
	assert_int_equal(client_sql("GRANT INSERT ON audit_log TO "
	    "tideover_app"), 0);
	client_assert_error(&r, 503, "unavailable");
	assert_non_null(strstr(client_str(client_item(r.json, "error"),
	    "message"), "outcome is unknown"));
	client_free(&r);
	/* It was written, and nothing was recorded. */
	assert_int_equal(client_sql_long("SELECT count(*) FROM suppliers "
	    "WHERE id = 'AUDIT-GAP'"), 1);
	assert_int_equal(client_sql_long("SELECT count(*) FROM audit_log"),
	    audited);

	client_post_json(&r, "/v1/suppliers", treasury(), b);
	assert_int_equal(r.status, 200);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE "
	    "request_id = '%s' AND outcome = 200 AND "
	    "resource = 'supplier:AUDIT-GAP'", r.request_id);
	assert_int_equal(client_sql_long(sql), 1);
	client_free(&r);
}

static void
service_role_cannot_rewrite_history(void **state)
{
	char	cmd[2048];

	snprintf(cmd, sizeof(cmd), "%s -c 'DELETE FROM audit_log' "
	    ">/dev/null 2>&1", client_env("TIDEOVER_PSQL_APP"));
	assert_int_not_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s -c \"UPDATE audit_log SET outcome = 200\" "
	    ">/dev/null 2>&1", client_env("TIDEOVER_PSQL_APP"));
	assert_int_not_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s -c \"UPDATE api_keys SET role = "
	    "'treasury'\" >/dev/null 2>&1", client_env("TIDEOVER_PSQL_APP"));
	assert_int_not_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s -c 'DROP TABLE api_keys' "
	    ">/dev/null 2>&1", client_env("TIDEOVER_PSQL_APP"));
	assert_int_not_equal(system(cmd), 0);
}

/* Last: it stops the database under the running server. */
static void
health_follows_the_database(void **state)
{
	struct resp	r;
	int		i;

	assert_int_equal(client_system("TIDEOVER_PG_STOP"), 0);

	client_get(&r, "/v1/health", NULL);
	assert_int_equal(r.status, 503);
	assert_string_equal(str(r.json, "database"), "unavailable");
	client_free(&r);

	client_get(&r, "/v1/api-keys", treasury());
	client_assert_error(&r, 503, "unavailable");
	client_free(&r);

	assert_int_equal(client_system("TIDEOVER_PG_START"), 0);

	/* Dead pooled connections are dropped as they fail, then it heals. */
	for (i = 0; i < 50; i++) {
		client_get(&r, "/v1/health", NULL);
		if (r.status == 200)
			break;
		client_free(&r);
		usleep(100000);
	}
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "database"), "ok");
	client_free(&r);

	for (i = 0; i < 50; i++) {
		client_get(&r, "/v1/api-keys?limit=1", treasury());
		if (r.status == 200)
			break;
		client_free(&r);
		usleep(100000);
	}
	assert_int_equal(r.status, 200);
	client_free(&r);
}

/*
 * Every code a function in the database raises to the service is in the
 * registry, error_codes, and the journal's append-only trigger raises its
 * own code, not the one that means "no such scenario".
 */
#define RAISED_CODES \
	"FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, " \
	"regexp_matches(p.prosrc, 'ERRCODE = ''(TD[0-9]+)''', 'g') m " \
	"WHERE n.nspname = 'public'"

static void
database_raises_only_registered_codes(void **state)
{
	assert_true(client_sql_long("SELECT count(DISTINCT m[1]) "
	    RAISED_CODES) >= 12);
	assert_int_equal(client_sql_long("SELECT count(*) " RAISED_CODES
	    " AND m[1] NOT IN (SELECT code FROM error_codes)"), 0);
	assert_int_equal(client_sql_long("SELECT count(*) FROM pg_proc "
	    "WHERE proname = 'ledger_append_only' AND "
	    "prosrc LIKE '%ERRCODE = ''TD016''%'"), 1);
	assert_int_equal(client_sql_long("SELECT count(*) FROM error_codes "
	    "WHERE code = 'TD011' AND meaning = 'no such scenario'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(health_answers_ok),
		cmocka_unit_test(request_ids_differ),
		cmocka_unit_test(auth_missing_key_is_401),
		cmocka_unit_test(auth_malformed_keys_are_401),
		cmocka_unit_test(auth_wrong_scheme_is_401),
		cmocka_unit_test(auth_unknown_key_is_401),
		cmocka_unit_test(auth_wrong_secret_is_401),
		cmocka_unit_test(revoked_key_is_401_at_once),
		cmocka_unit_test(revoking_unknown_key_is_404),
		cmocka_unit_test(me_says_what_the_key_is),
		cmocka_unit_test(other_roles_are_403),
		cmocka_unit_test(bad_json_is_400_and_writes_nothing),
		cmocka_unit_test(lenient_numbers_and_nul_change_nothing),
		cmocka_unit_test(large_cursors_page_or_are_400),
		cmocka_unit_test(names_that_are_not_text_are_not_echoed),
		cmocka_unit_test(unknown_fields_are_422),
		cmocka_unit_test(invalid_fields_are_422_all_at_once),
		cmocka_unit_test(oversized_body_is_413),
		cmocka_unit_test(wrong_content_type_is_415),
		cmocka_unit_test(wrong_method_is_405),
		cmocka_unit_test(unknown_path_is_404),
		cmocka_unit_test(bad_query_is_400),
		cmocka_unit_test(keys_list_pages_through_every_key),
		cmocka_unit_test(new_key_works_and_is_stored_as_keyed_hash),
		cmocka_unit_test(writes_are_audited_reads_are_not),
		cmocka_unit_test(no_success_without_its_audit_record),
		cmocka_unit_test(service_role_cannot_rewrite_history),
		cmocka_unit_test(health_follows_the_database),
		cmocka_unit_test(database_raises_only_registered_codes),
	};

	return (cmocka_run_group_tests_name("api_foundation", tests, setup,
	    NULL));
}
