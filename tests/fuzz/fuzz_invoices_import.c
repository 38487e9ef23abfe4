/*
 * Invoice imports (src/json/json_invoices.c): POST /v1/invoices/import
 * as CSV and as NDJSON, each file through both, line by line the way
 * http_invoices.c reads them (a header row, json_invoice_from_csv, then
 * json_invoice_decode as for treasury). A CSV record becomes an object
 * only when it has the header's number of fields, with a member only of
 * a header name and an integer only for "amount"; each line's decode
 * keeps the details contract and tags its details with the line.
 */
#include "core/csv.h"
#include "core/lines.h"
#include "json/json.h"
#include "json/json_invoices.h"
#include "fuzz.h"

/* Details beyond this many end an import, as DETAILS_MAX does. */
#define DETAILS_MAX	1000

static void
check_line(cJSON *obj, int line, cJSON *details)
{
	struct json_invoice	 inv;
	const cJSON		*e, *l;
	int			 n, rc, i;

	n = cJSON_GetArraySize(details);
	rc = json_invoice_decode(obj, 1, "GBP", &inv, details);
	fuzz_check_details(rc, details, n);
	json_details_line(details, n, line);
	i = 0;
	cJSON_ArrayForEach(e, details) {
		if (i++ < n)
			continue;
		l = cJSON_GetObjectItemCaseSensitive(e, "line");
		FUZZ_CHECK(cJSON_IsNumber(l) && l->valuedouble == line);
	}
	cJSON_Delete(obj);
}

static void
check_object(const cJSON *obj, const struct csv_record *head,
    const struct csv_record *rec)
{
	const cJSON	*m;
	int		 i, members;

	members = 0;
	for (i = 0; i < rec->n; i++)
		members += rec->fields[i][0] != '\0';
	FUZZ_CHECK(cJSON_GetArraySize(obj) == members);
	cJSON_ArrayForEach(m, obj) {
		for (i = 0; i < head->n; i++)
			if (strcmp(head->fields[i], m->string) == 0)
				break;
		FUZZ_CHECK(i < head->n);
		FUZZ_CHECK(cJSON_IsString(m) || (cJSON_IsNumber(m) &&
		    strcmp(m->string, "amount") == 0));
	}
}

static void
import_csv(const char *body, size_t len)
{
	struct csv_reader	 r;
	struct csv_record	 rec, head;
	const char		*err;
	cJSON			*obj, *details;
	int			 got, n;

	details = json_details_new();
	csv_reader_init(&r, body, len);
	csv_record_init(&rec);
	csv_record_init(&head);
	if (csv_read(&r, &head, &err) != 1)
		goto out;
	while ((got = csv_read(&r, &rec, &err)) != 0) {
		if (got == -1)
			continue;
		n = cJSON_GetArraySize(details);
		obj = json_invoice_from_csv(head.fields, head.n, rec.fields,
		    rec.n, details, rec.line);
		FUZZ_CHECK((obj == NULL) == (rec.n != head.n));
		FUZZ_CHECK(cJSON_GetArraySize(details) == n + (obj == NULL));
		if (obj == NULL)
			continue;
		check_object(obj, &head, &rec);
		check_line(obj, rec.line, details);
		if (cJSON_GetArraySize(details) > DETAILS_MAX)
			break;
	}
out:
	csv_record_cleanup(&rec);
	csv_record_cleanup(&head);
	cJSON_Delete(details);
}

static void
import_ndjson(const char *body, size_t len)
{
	struct lines	 lines;
	const char	*s;
	size_t		 l;
	cJSON		*obj, *details;

	details = json_details_new();
	lines_init(&lines, body, len);
	while (lines_next(&lines, &s, &l)) {
		if (json_parse_object(s, l, &obj) != JSON_OK)
			continue;
		check_line(obj, lines.line, details);
		if (cJSON_GetArraySize(details) > DETAILS_MAX)
			break;
	}
	cJSON_Delete(details);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*body;

	/* A copy of its own size, so that ASan sees a read past the end. */
	if ((body = malloc(size + 1)) == NULL)
		abort();
	memcpy(body, data, size);
	import_csv(body, size);
	import_ndjson(body, size);
	free(body);
	return (0);
}
