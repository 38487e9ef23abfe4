/*
 * Link bodies (src/json/json_links.c): PUT
 * /v1/suppliers/{id}/customers/{customer_id} and POST /v1/links/import
 * as CSV and as NDJSON, each input through all three. A PUT body that
 * decodes keeps the model's ranges. An import either fails with every
 * problem in the details and no rows, or succeeds without details and
 * with a jsonb array of as many rows as it counted, each of which decodes
 * as a link of its own between two ids, never to itself, with no pair
 * twice, and with the line it came from, in increasing order.
 */
#include "core/buf.h"
#include "core/model.h"
#include "json/json.h"
#include "json/json_links.h"
#include "fuzz.h"

static void
check_figures(const struct json_link *l)
{
	FUZZ_CHECK(l->daily_sales >= 0 && l->daily_sales <= MODEL_DAILY_MAX);
	FUZZ_CHECK(l->payment_terms_days >= 0 &&
	    l->payment_terms_days <= 365);
}

static void
check_put(const char *body, size_t len)
{
	struct json_link	 l;
	cJSON			*j, *d;
	int			 rc;

	if (json_parse_object(body, len, &j) != JSON_OK)
		return;
	d = json_details_new();
	rc = json_link_put_decode(j, &l, d);
	fuzz_check_details(rc, d, 0);
	if (rc == 0)
		check_figures(&l);
	cJSON_Delete(d);
	cJSON_Delete(j);
}

static void
check_rows(const struct buf *rows, int n)
{
	struct json_link	 l;
	const cJSON		*row, *prev, *line;
	cJSON			*a, *d, *copy;
	int			 i, last;

	FUZZ_CHECK(rows->data != NULL);
	FUZZ_CHECK((a = cJSON_ParseWithLength(rows->data, rows->len)) != NULL);
	FUZZ_CHECK(cJSON_IsArray(a));
	FUZZ_CHECK(cJSON_GetArraySize(a) == n);
	i = 0;
	last = 0;
	cJSON_ArrayForEach(row, a) {
		line = cJSON_GetObjectItemCaseSensitive(row, "line");
		FUZZ_CHECK(cJSON_IsNumber(line) && line->valueint > last);
		last = line->valueint;
		/* Without its line it is a link as an import line holds one. */
		FUZZ_CHECK((copy = cJSON_Duplicate(row, 1)) != NULL);
		cJSON_DeleteItemFromObjectCaseSensitive(copy, "line");
		d = json_details_new();
		FUZZ_CHECK(json_link_decode(copy, &l, d) == 0);
		cJSON_Delete(d);
		FUZZ_CHECK(json_is_id(l.supplier_id) &&
		    json_is_id(l.customer_id));
		FUZZ_CHECK(strcmp(l.supplier_id, l.customer_id) != 0);
		check_figures(&l);
		/* Quadratic, but a fuzzed file holds a handful of rows. */
		for (prev = a->child; prev != row; prev = prev->next)
			FUZZ_CHECK(strcmp(cJSON_GetObjectItemCaseSensitive(prev,
			    "supplier_id")->valuestring, l.supplier_id) != 0 ||
			    strcmp(cJSON_GetObjectItemCaseSensitive(prev,
			    "customer_id")->valuestring, l.customer_id) != 0);
		cJSON_Delete(copy);
		i++;
	}
	FUZZ_CHECK(i == n);
	cJSON_Delete(a);
}

typedef int	(*import_fn)(const char *, size_t, struct buf *, int *,
		    cJSON *);

static void
check_import(import_fn import, const char *body, size_t len)
{
	struct buf	 rows;
	cJSON		*d, *line;
	const cJSON	*e;
	int		 rc, n;

	d = json_details_new();
	n = -1;
	rc = import(body, len, &rows, &n, d);
	fuzz_check_details(rc, d, 0);
	FUZZ_CHECK(n >= 0);
	if (rc == 0) {
		FUZZ_CHECK(n > 0);
		check_rows(&rows, n);
	} else {
		/* Nothing is kept of a bad file. */
		FUZZ_CHECK(rows.data == NULL && rows.len == 0 && n == 0);
	}
	/* A detail about a line names one from 1 on. */
	cJSON_ArrayForEach(e, d) {
		line = cJSON_GetObjectItemCaseSensitive(e, "line");
		if (line != NULL)
			FUZZ_CHECK(cJSON_IsNumber(line) &&
			    line->valuedouble >= 1);
	}
	buf_cleanup(&rows);
	cJSON_Delete(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*body;

	/* A copy of its own size, so that ASan sees a read past the end. */
	if ((body = malloc(size + 1)) == NULL)
		abort();
	memcpy(body, data, size);
	check_put(body, size);
	check_import(json_link_import_csv, body, size);
	check_import(json_link_import_ndjson, body, size);
	free(body);
	return (0);
}
