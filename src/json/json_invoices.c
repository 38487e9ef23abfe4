/*
 * Invoice codecs (see json_invoices.h). Import lines in CSV are turned
 * into the same JSON objects an NDJSON line would be, so one decoder
 * validates both, and both report problems by line.
 */
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/date.h"
#include "json/json.h"
#include "json/json_invoices.h"

static const char *const fields[] = {
	"id", "supplier_id", "amount", "currency", "issue_date", "due_date",
	"status", "order_id", NULL
};

static int
date_field(const cJSON *j, const char *name, const char **out,
    int32_t *days, cJSON *details)
{
	char	buf[11];

	if (json_get_string(j, name, 1, 10, out, details) != 1)
		return (-1);
	if (date_parse(*out, days) == -1) {
		json_detail(details, name, 0, "must be a date, YYYY-MM-DD");
		return (-1);
	}
	date_format(*days, buf);
	if (strcmp(buf, *out) != 0) {
		json_detail(details, name, 0, "must be a date, YYYY-MM-DD");
		return (-1);
	}
	return (0);
}

/*
 * A new invoice. allow_status: the caller may set "submitted" or
 * "approved" (treasury); otherwise "status" is refused.
 */
int
json_invoice_decode(const cJSON *j, int allow_status, const char *currency,
    struct json_invoice *inv, cJSON *details)
{
	int32_t	issue, due;
	int	n, r, dates;

	memset(inv, 0, sizeof(*inv));
	n = cJSON_GetArraySize(details);
	json_check_fields(j, fields, details);
	/* "import" would be shadowed by the route /v1/invoices/import. */
	if (json_get_id(j, "id", 1, &inv->id, details) == 1 &&
	    strcmp(inv->id, "import") == 0)
		json_detail(details, "id", 0, "import is reserved");
	json_get_id(j, "supplier_id", 1, &inv->supplier_id, details);
	json_get_int64(j, "amount", 1, 1, JSON_INT_MAX, &inv->amount, details);
	r = json_get_string(j, "currency", 1, 3, &inv->currency, details);
	if (r == 1 && strcmp(inv->currency, currency) != 0) {
		json_detail(details, "currency", 0, "must be %s, the "
		    "deployment currency", currency);
	}
	dates = date_field(j, "issue_date", &inv->issue_date, &issue,
	    details) == 0;
	dates &= date_field(j, "due_date", &inv->due_date, &due,
	    details) == 0;
	if (dates && due < issue)
		json_detail(details, "due_date", 0, "must not be before "
		    "issue_date");

	json_get_id(j, "order_id", 0, &inv->order_id, details);
	r = json_get_string(j, "status", 0, 16, &inv->status, details);
	if (r == 1 && !allow_status) {
		json_detail(details, "status", 0, "may not be set by a "
		    "supplier: invoices start submitted");
	} else if (r == 1 && strcmp(inv->status, "submitted") != 0 &&
	    strcmp(inv->status, "approved") != 0) {
		json_detail(details, "status", 0, "must be submitted or "
		    "approved");
	}
	return (cJSON_GetArraySize(details) == n ? 0 : -1);
}

cJSON *
json_invoice_encode(const struct store_invoice *inv)
{
	cJSON	*j;

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "id", inv->id);
	cJSON_AddStringToObject(j, "supplier_id", inv->supplier_id);
	json_add_int64(j, "amount", inv->amount);
	json_add_int64(j, "outstanding", store_invoice_outstanding(inv));
	cJSON_AddStringToObject(j, "currency", inv->currency);
	cJSON_AddStringToObject(j, "issue_date", inv->issue_date);
	cJSON_AddStringToObject(j, "due_date", inv->due_date);
	cJSON_AddStringToObject(j, "status", inv->status);
	json_add_string_or_null(j, "reject_reason", inv->reject_reason);
	json_add_string_or_null(j, "scheme_id", inv->scheme_id);
	json_add_int64(j, "advance", inv->advance);
	json_add_int64(j, "fee", inv->fee);
	json_add_string_or_null(j, "advanced_on", inv->advanced_on);
	json_add_string_or_null(j, "paid_on", inv->paid_on);
	json_add_string_or_null(j, "created_at", inv->created_at);
	json_add_string_or_null(j, "updated_at", inv->updated_at);
	/* Only an order's invoice has one. */
	if (inv->order_id != NULL)
		cJSON_AddStringToObject(j, "order_id", inv->order_id);
	return (j);
}

/*
 * One CSV record as a JSON object: each header name with its field, the
 * integer columns as numbers when they are plain decimal integers (else
 * as text, which the decoder then refuses), empty fields left out. A
 * record with the wrong number of fields is reported here.
 */
cJSON *
json_invoice_from_csv(const char *const *header, int ncols,
    const char *const *values, int nvalues, cJSON *details, int line)
{
	cJSON		*j;
	int64_t		 v;
	int		 i;

	if (nvalues != ncols) {
		json_detail(details, NULL, line, "has %d fields, the header "
		    "has %d", nvalues, ncols);
		return (NULL);
	}
	j = cJSON_CreateObject();
	for (i = 0; i < ncols; i++) {
		if (values[i][0] == '\0')
			continue;
		if (strcmp(header[i], "amount") == 0 &&
		    json_cell_integer(values[i], &v) == 0) {
			cJSON_AddNumberToObject(j, header[i], (double)v);
			continue;
		}
		cJSON_AddStringToObject(j, header[i], values[i]);
	}
	return (j);
}

/*
 * One line of an invoice import: the decoder's checks, and imported
 * invoices are approved; the new details carry the line. 0 when good.
 */
int
json_invoice_import_decode(const cJSON *obj, const char *currency, int line,
    struct json_invoice *in, cJSON *details)
{
	int	n;

	n = cJSON_GetArraySize(details);
	if (json_invoice_decode(obj, 1, currency, in, details) == 0 &&
	    in->status != NULL && strcmp(in->status, "approved") != 0)
		json_detail(details, "status", 0, "imported invoices are "
		    "approved");
	else if (in->order_id != NULL)
		json_detail(details, "order_id", 0, "an order's invoice is "
		    "created on its own, not imported");
	json_details_line(details, n, line);
	return (cJSON_GetArraySize(details) > n ? -1 : 0);
}

/*
 * Every record of an invoice import in CSV (a header row first, which
 * must name an id column) as the object the decoder reads, handed to fn
 * with its line; fn owns it. A record that cannot be read is a detail of
 * its line. Stops once details holds more than max (0: never).
 */
void
json_invoice_csv_each(const char *body, size_t len, cJSON *details, int max,
    void (*fn)(void *, cJSON *, int, cJSON *), void *arg)
{
	struct csv_reader	 r;
	struct csv_record	 rec, head;
	const char		*err;
	cJSON			*obj;
	int			 got, i;

	csv_reader_init(&r, body, len);
	csv_record_init(&rec);
	csv_record_init(&head);
	if ((got = csv_read(&r, &head, &err)) != 1) {
		json_detail(details, NULL, 1, "%s", got == 0 ?
		    "a header row is required" : err);
		goto out;
	}
	/* The header's names are kept in head's storage until the end. */
	for (;;) {
		if ((got = csv_read(&r, &rec, &err)) == 0)
			break;
		if (got == -1) {
			json_detail(details, NULL, r.line - 1, "%s", err);
			continue;
		}
		obj = json_invoice_from_csv(head.fields, head.n, rec.fields,
		    rec.n, details, rec.line);
		if (obj != NULL)
			fn(arg, obj, rec.line, details);
		if (max > 0 && cJSON_GetArraySize(details) > max)
			break;
	}
	for (i = 0; i < head.n; i++) {
		if (strcmp(head.fields[i], "id") == 0)
			break;
	}
	if (i == head.n)
		json_detail(details, "id", 1, "the header has no id column");
out:
	csv_record_cleanup(&rec);
	csv_record_cleanup(&head);
}
