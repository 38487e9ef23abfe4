/*
 * Invoice bodies (src/json/json_invoices.c): the decoder of POST
 * /v1/invoices, for treasury (who may set the status) and for a
 * supplier (who may not). It keeps the details contract; an invoice that
 * decodes has an id that is not the import route, a positive amount in
 * the deployment's currency, canonical dates with the due date not
 * before the issue date, and a status treasury may set; what a supplier
 * may send, treasury may too.
 */
#include "core/date.h"
#include "json/json.h"
#include "json/json_invoices.h"
#include "fuzz.h"

static void
check_date(const char *s, int32_t *d)
{
	char	buf[DATE_LEN + 1];

	FUZZ_CHECK(s != NULL && date_parse(s, d) == 0);
	date_format(*d, buf);
	FUZZ_CHECK(strcmp(buf, s) == 0);
}

static void
check_invoice(const struct json_invoice *inv, int allow_status)
{
	int32_t	issue, due;

	FUZZ_CHECK(inv->id != NULL && json_is_id(inv->id));
	FUZZ_CHECK(strcmp(inv->id, "import") != 0);
	FUZZ_CHECK(inv->supplier_id != NULL && json_is_id(inv->supplier_id));
	FUZZ_CHECK(inv->amount >= 1 && inv->amount <= JSON_INT_MAX);
	FUZZ_CHECK(inv->currency != NULL && strcmp(inv->currency, "GBP") == 0);
	check_date(inv->issue_date, &issue);
	check_date(inv->due_date, &due);
	FUZZ_CHECK(due >= issue);
	if (!allow_status)
		FUZZ_CHECK(inv->status == NULL);
	else
		FUZZ_CHECK(inv->status == NULL ||
		    strcmp(inv->status, "submitted") == 0 ||
		    strcmp(inv->status, "approved") == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_invoice	 inv;
	cJSON			*j, *d;
	int			 rc[2], allow;

	if (json_parse_object((const char *)data, size, &j) != JSON_OK)
		return (0);
	for (allow = 0; allow <= 1; allow++) {
		d = json_details_new();
		rc[allow] = json_invoice_decode(j, allow, "GBP", &inv, d);
		fuzz_check_details(rc[allow], d, 0);
		cJSON_Delete(d);
		if (rc[allow] == 0)
			check_invoice(&inv, allow);
	}
	FUZZ_CHECK(rc[0] == -1 || rc[1] == 0);
	cJSON_Delete(j);
	return (0);
}
