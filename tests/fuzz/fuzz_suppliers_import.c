/*
 * Supplier imports (src/json/json_suppliers.c): POST
 * /v1/suppliers/import as CSV and as NDJSON, each file through both
 * readers. An import either fails with every problem in the details and
 * no rows, or succeeds without details and with a jsonb array of as
 * many rows as it counted, each of which decodes as a supplier of its
 * own, with no id twice.
 */
#include "core/buf.h"
#include "json/json.h"
#include "json/json_suppliers.h"
#include "fuzz.h"

typedef int	(*import_fn)(const char *, size_t, const char *,
		    struct buf *, int *, cJSON *);

static void
check_rows(const struct buf *rows, int n)
{
	struct store_supplier	 s;
	const cJSON		*row, *id, *prev;
	cJSON			*a, *d;
	int			 i;

	FUZZ_CHECK(rows->data != NULL);
	FUZZ_CHECK((a = cJSON_ParseWithLength(rows->data, rows->len)) != NULL);
	FUZZ_CHECK(cJSON_IsArray(a));
	FUZZ_CHECK(cJSON_GetArraySize(a) == n);
	i = 0;
	cJSON_ArrayForEach(row, a) {
		d = json_details_new();
		FUZZ_CHECK(json_supplier_create_decode(row, "GBP", &s, d) == 0);
		cJSON_Delete(d);
		id = cJSON_GetObjectItemCaseSensitive(row, "id");
		FUZZ_CHECK(cJSON_IsString(id));
		/* Quadratic, but a fuzzed file holds a handful of rows. */
		for (prev = a->child; prev != row; prev = prev->next)
			FUZZ_CHECK(strcmp(cJSON_GetObjectItemCaseSensitive(prev,
			    "id")->valuestring, id->valuestring) != 0);
		i++;
	}
	FUZZ_CHECK(i == n);
	cJSON_Delete(a);
}

static void
check_import(import_fn import, const char *body, size_t len)
{
	struct buf	 rows;
	cJSON		*d, *line;
	const cJSON	*e;
	int		 rc, n;

	d = json_details_new();
	n = -1;
	rc = import(body, len, "GBP", &rows, &n, d);
	fuzz_check_details(rc, d, 0);
	FUZZ_CHECK(n >= 0);
	if (rc == 0) {
		FUZZ_CHECK(n > 0);
		check_rows(&rows, n);
	} else {
		/* Nothing is kept of a bad file. */
		FUZZ_CHECK(rows.data == NULL && rows.len == 0);
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
	check_import(json_supplier_import_csv, body, size);
	check_import(json_supplier_import_ndjson, body, size);
	free(body);
	return (0);
}
