/*
 * The API tests' HTTP client (see client.h). The server's address and a
 * treasury key come from the environment set by tests/api/run.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "client.h"

const char *
client_env(const char *name)
{
	const char	*v;

	if ((v = getenv(name)) == NULL || *v == '\0') {
		fprintf(stderr, "%s is not set: run through tests/api/run.sh\n",
		    name);
		exit(1);
	}
	return (v);
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct resp	*r = arg;
	char		*nb;

	if ((nb = realloc(r->body, r->len + size * n + 1)) == NULL)
		abort();
	r->body = nb;
	memcpy(r->body + r->len, p, size * n);
	r->len += size * n;
	r->body[r->len] = '\0';
	return (size * n);
}

static void
header_value(const char *line, size_t len, const char *name, char *out,
    size_t outlen)
{
	size_t	nlen = strlen(name);

	if (len <= nlen + 1 || strncasecmp(line, name, nlen) != 0 ||
	    line[nlen] != ':')
		return;
	line += nlen + 1;
	len -= nlen + 1;
	while (len > 0 && *line == ' ') {
		line++;
		len--;
	}
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	snprintf(out, outlen, "%.*s", (int)len, line);
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct resp	*r = arg;

	header_value(p, size * n, "x-request-id", r->request_id,
	    sizeof(r->request_id));
	header_value(p, size * n, "www-authenticate", r->www_authenticate,
	    sizeof(r->www_authenticate));
	header_value(p, size * n, "content-type", r->content_type,
	    sizeof(r->content_type));
	header_value(p, size * n, "allow", r->allow, sizeof(r->allow));
	header_value(p, size * n, "x-signature", r->signature,
	    sizeof(r->signature));
	header_value(p, size * n, "x-next-cursor", r->next_cursor,
	    sizeof(r->next_cursor));
	header_value(p, size * n, "retry-after", r->retry_after,
	    sizeof(r->retry_after));
	return (size * n);
}

/*
 * One request. auth is the whole Authorization value's key part (sent as
 * "Bearer <auth>"), or NULL for none; ctype NULL sends no Content-Type.
 */
void
client_call(struct resp *r, const char *method, const char *path,
    const char *auth, const char *ctype, const char *body, size_t len)
{
	client_call_with(r, method, path, auth, ctype, body, len, NULL);
}

static void	perform(CURL *, struct resp *, const char *, const char *,
		    const char *, const char *, const char *, size_t,
		    const char *);

/* The same, with one more request header ("Accept: text/csv", ...). */
void
client_call_with(struct resp *r, const char *method, const char *path,
    const char *auth, const char *ctype, const char *body, size_t len,
    const char *extra)
{
	CURL	*c;

	if ((c = curl_easy_init()) == NULL)
		abort();
	perform(c, r, method, path, auth, ctype, body, len, extra);
	curl_easy_cleanup(c);
}

/*
 * Calls on one connection, kept open between them: a connection belongs
 * to one Kore worker, so every call of a conn reaches the same one.
 */
void
client_conn_open(struct client_conn *k)
{
	if ((k->curl = curl_easy_init()) == NULL)
		abort();
}

void
client_conn_get(struct client_conn *k, struct resp *r, const char *path,
    const char *auth)
{
	long	n;

	curl_easy_reset(k->curl);
	perform(k->curl, r, "GET", path, auth, NULL, NULL, 0, NULL);
	/* A second connection would be another worker's, maybe. */
	curl_easy_getinfo(k->curl, CURLINFO_NUM_CONNECTS, &n);
	k->connects += n;
}

void
client_conn_close(struct client_conn *k)
{
	curl_easy_cleanup(k->curl);
	k->curl = NULL;
}

static void
perform(CURL *c, struct resp *r, const char *method, const char *path,
    const char *auth, const char *ctype, const char *body, size_t len,
    const char *extra)
{
	struct curl_slist	*h = NULL;
	char			 url[2048], line[2048];
	CURLcode		 rc;

	memset(r, 0, sizeof(*r));
	snprintf(url, sizeof(url), "%s%s", client_env("TIDEOVER_URL"), path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	/* A stress run over a whole supply chain takes a few seconds. */
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (auth != NULL) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s", auth);
		h = curl_slist_append(h, line);
	}
	if (ctype != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s", ctype);
		h = curl_slist_append(h, line);
	} else {
		h = curl_slist_append(h, "Content-Type:");
	}
	h = curl_slist_append(h, "Expect:");
	if (extra != NULL)
		h = curl_slist_append(h, extra);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
	} else if (strcmp(method, "POST") == 0 ||
	    strcmp(method, "PATCH") == 0 || strcmp(method, "PUT") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)0);
	}
	if (strcmp(method, "GET") == 0)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);

	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		fprintf(stderr, "%s %s: %s\n", method, path,
		    curl_easy_strerror(rc));
		r->status = -1;
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	}
	curl_slist_free_all(h);
	if (r->body != NULL)
		r->json = cJSON_Parse(r->body);
}

void
client_get(struct resp *r, const char *path, const char *key)
{
	client_call(r, "GET", path, key, NULL, NULL, 0);
}

void
client_post_json(struct resp *r, const char *path, const char *key,
    const char *json)
{
	client_call(r, "POST", path, key, "application/json", json,
	    strlen(json));
}

void
client_free(struct resp *r)
{
	cJSON_Delete(r->json);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* The contract's error shape, with this status and code. */
void
client_assert_error(const struct resp *r, long status, const char *code)
{
	const cJSON	*err, *c, *m, *d;

	assert_int_equal(r->status, status);
	assert_true(r->request_id[0] != '\0');
	assert_non_null(strstr(r->content_type, "application/json"));
	assert_non_null(r->json);
	err = cJSON_GetObjectItemCaseSensitive(r->json, "error");
	assert_true(cJSON_IsObject(err));
	c = cJSON_GetObjectItemCaseSensitive(err, "code");
	m = cJSON_GetObjectItemCaseSensitive(err, "message");
	d = cJSON_GetObjectItemCaseSensitive(err, "details");
	assert_true(cJSON_IsString(c));
	assert_string_equal(c->valuestring, code);
	assert_true(cJSON_IsString(m) && m->valuestring[0] != '\0');
	assert_true(cJSON_IsArray(d));
}

/* A new key of this role, made by the treasury key; caller frees. */
char *
client_new_key(const char *role, const char *supplier)
{
	struct resp	 r;
	char		 body[512];
	const cJSON	*k;
	char		*key;

	if (supplier != NULL)
		snprintf(body, sizeof(body), "{\"role\":\"%s\","
		    "\"supplier_id\":\"%s\",\"label\":\"test\"}", role,
		    supplier);
	else
		snprintf(body, sizeof(body), "{\"role\":\"%s\","
		    "\"label\":\"test\"}", role);
	client_post_json(&r, "/v1/api-keys",
	    client_env("TIDEOVER_TREASURY_KEY"), body);
	assert_int_equal(r.status, 201);
	k = cJSON_GetObjectItemCaseSensitive(r.json, "key");
	assert_true(cJSON_IsString(k));
	if ((key = strdup(k->valuestring)) == NULL)
		abort();
	client_free(&r);
	return (key);
}

/* The public id inside a key ("tdo_<id>_<secret>"). */
char *
client_key_id(const char *key)
{
	char	*id;

	if ((id = strndup(key + 4, 16)) == NULL)
		abort();
	return (id);
}

/* One number from the database, read as its administrator. */
long
client_sql_long(const char *sql)
{
	char	 cmd[4096], line[64];
	FILE	*p;
	long	 v;

	snprintf(cmd, sizeof(cmd), "%s -c \"%s\"",
	    client_env("TIDEOVER_PSQL"), sql);
	if ((p = popen(cmd, "r")) == NULL)
		abort();
	if (fgets(line, sizeof(line), p) == NULL)
		line[0] = '\0';
	pclose(p);
	v = strtol(line, NULL, 10);
	return (v);
}

int
client_system(const char *envname)
{
	return (system(client_env(envname)));
}

/* Run SQL as the database's administrator; 0 on success. */
int
client_sql(const char *sql)
{
	char	cmd[8192];

	snprintf(cmd, sizeof(cmd), "%s -v ON_ERROR_STOP=1 -c \"%s\" "
	    ">/dev/null 2>&1", client_env("TIDEOVER_PSQL"), sql);
	return (system(cmd));
}

const cJSON *
client_item(const cJSON *j, const char *name)
{
	return (cJSON_GetObjectItemCaseSensitive(j, name));
}

/* A JSON integer member, exactly (the tests' values stay below 2^53). */
long long
client_int(const cJSON *j, const char *name)
{
	const cJSON	*m = client_item(j, name);

	assert_true(cJSON_IsNumber(m));
	return ((long long)m->valuedouble);
}

const char *
client_str(const cJSON *j, const char *name)
{
	const cJSON	*m = client_item(j, name);

	return (cJSON_IsString(m) ? m->valuestring : NULL);
}
