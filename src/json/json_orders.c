/*
 * Purchase order codecs (see json_orders.h). The CSV columns are the
 * JSON record's fields, in the same order.
 */
#include <string.h>

#include "core/date.h"
#include "json/json.h"
#include "json/json_orders.h"

static const char *const fields[] = {
	"id", "supplier_id", "amount", "currency", "order_date",
	"delivery_date", NULL
};

static int
date_field(const cJSON *j, const char *name, const char **out,
    int32_t *days, cJSON *details)
{
	char	buf[11];

	if (json_get_string(j, name, 1, 10, out, details) != 1)
		return (-1);
	if (date_parse(*out, days) == -1 || (date_format(*days, buf),
	    strcmp(buf, *out) != 0)) {
		json_detail(details, name, 0, "must be a date, YYYY-MM-DD");
		return (-1);
	}
	return (0);
}

/* A new order: every field required, in the deployment currency. */
int
json_order_decode(const cJSON *j, const char *currency, struct json_order *o,
    cJSON *details)
{
	int32_t	ordered, delivered;
	int	n, dates;

	memset(o, 0, sizeof(*o));
	n = cJSON_GetArraySize(details);
	json_check_fields(j, fields, details);
	json_get_id(j, "id", 1, &o->id, details);
	json_get_id(j, "supplier_id", 1, &o->supplier_id, details);
	json_get_int64(j, "amount", 1, 1, JSON_INT_MAX, &o->amount, details);
	if (json_get_string(j, "currency", 1, 3, &o->currency, details) == 1 &&
	    strcmp(o->currency, currency) != 0)
		json_detail(details, "currency", 0, "must be %s, the "
		    "deployment currency", currency);
	dates = date_field(j, "order_date", &o->order_date, &ordered,
	    details) == 0;
	dates &= date_field(j, "delivery_date", &o->delivery_date,
	    &delivered, details) == 0;
	if (dates && delivered < ordered)
		json_detail(details, "delivery_date", 0, "must not be before "
		    "order_date");
	return (cJSON_GetArraySize(details) == n ? 0 : -1);
}

cJSON *
json_order_encode(const struct store_order *o)
{
	cJSON	*j;

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "id", o->id);
	cJSON_AddStringToObject(j, "supplier_id", o->supplier_id);
	json_add_int64(j, "amount", o->amount);
	cJSON_AddStringToObject(j, "currency", o->currency);
	cJSON_AddStringToObject(j, "order_date", o->order_date);
	cJSON_AddStringToObject(j, "delivery_date", o->delivery_date);
	cJSON_AddStringToObject(j, "status", o->status);
	json_add_string_or_null(j, "scheme_id", o->scheme_id);
	json_add_int64(j, "prepaid", o->prepaid);
	json_add_int64(j, "prepaid_fee", o->prepaid_fee);
	json_add_string_or_null(j, "prepaid_on", o->prepaid_on);
	json_add_string_or_null(j, "expected_due_date", o->expected_due);
	json_add_string_or_null(j, "invoice_id", o->invoice_id);
	json_add_int64(j, "true_up", o->true_up);
	json_add_int64(j, "true_up_fee", o->true_up_fee);
	json_add_string_or_null(j, "true_up_on", o->true_up_on);
	json_add_int64(j, "netted", o->netted);
	json_add_int64(j, "owed_back", o->owed_back);
	json_add_int64(j, "funded", o->funded);
	json_add_string_or_null(j, "settled_on", o->settled_on);
	json_add_string_or_null(j, "created_at", o->created_at);
	json_add_string_or_null(j, "updated_at", o->updated_at);
	return (j);
}

static const char *const csv_columns[] = {
	"id", "supplier_id", "amount", "currency", "order_date",
	"delivery_date", "status", "scheme_id", "prepaid", "prepaid_fee",
	"prepaid_on", "expected_due_date", "invoice_id", "true_up",
	"true_up_fee", "true_up_on", "netted", "owed_back", "funded",
	"settled_on", "created_at", "updated_at", NULL
};

void
json_order_csv_header(struct csv *c)
{
	csv_header(c, csv_columns);
}

static void
field_or_null(struct csv *c, const char *s)
{
	if (s == NULL)
		csv_null(c);
	else
		csv_field(c, s);
}

void
json_order_csv_row(struct csv *c, const struct store_order *o)
{
	csv_field(c, o->id);
	csv_field(c, o->supplier_id);
	csv_int64(c, o->amount);
	csv_field(c, o->currency);
	csv_field(c, o->order_date);
	csv_field(c, o->delivery_date);
	csv_field(c, o->status);
	field_or_null(c, o->scheme_id);
	csv_int64(c, o->prepaid);
	csv_int64(c, o->prepaid_fee);
	field_or_null(c, o->prepaid_on);
	field_or_null(c, o->expected_due);
	field_or_null(c, o->invoice_id);
	csv_int64(c, o->true_up);
	csv_int64(c, o->true_up_fee);
	field_or_null(c, o->true_up_on);
	csv_int64(c, o->netted);
	csv_int64(c, o->owed_back);
	csv_int64(c, o->funded);
	field_or_null(c, o->settled_on);
	field_or_null(c, o->created_at);
	field_or_null(c, o->updated_at);
	csv_end_row(c);
}
