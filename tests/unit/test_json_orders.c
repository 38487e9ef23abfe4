/*
 * The purchase order codec: a create body decoded to exact values or
 * refused with every problem at once, records out as exact JSON, and
 * CSV rows with the JSON record's columns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/csv.h"
#include "json/json.h"
#include "json/json_orders.h"

static int
decode(const char *text, struct json_order *o, cJSON **body,
    cJSON **details)
{
	*body = cJSON_Parse(text);
	assert_non_null(*body);
	*details = json_details_new();
	return (json_order_decode(*body, "GBP", o, *details));
}

static void
a_valid_order_decodes_to_exact_values(void **state)
{
	struct json_order	 o;
	cJSON			*body, *details;

	assert_int_equal(decode("{\"id\":\"PO-1\",\"supplier_id\":\"SUP-A\","
	    "\"amount\":1000000,\"currency\":\"GBP\",\"order_date\":"
	    "\"2025-10-01\",\"delivery_date\":\"2025-10-20\"}", &o, &body,
	    &details), 0);
	assert_string_equal(o.id, "PO-1");
	assert_string_equal(o.supplier_id, "SUP-A");
	assert_int_equal(o.amount, 1000000);
	assert_string_equal(o.order_date, "2025-10-01");
	assert_string_equal(o.delivery_date, "2025-10-20");
	assert_int_equal(cJSON_GetArraySize(details), 0);
	cJSON_Delete(body);
	cJSON_Delete(details);
}

static const char *
problem(const cJSON *details, const char *field)
{
	const cJSON	*d, *f;

	cJSON_ArrayForEach(d, details) {
		f = cJSON_GetObjectItemCaseSensitive(d, "field");
		if (cJSON_IsString(f) && strcmp(f->valuestring, field) == 0)
			return (cJSON_GetObjectItemCaseSensitive(d,
			    "problem")->valuestring);
	}
	return (NULL);
}

static void
every_problem_is_named_at_once(void **state)
{
	struct json_order	 o;
	cJSON			*body, *details;

	assert_int_equal(decode("{\"id\":\"PO 1\",\"amount\":0,\"currency\":"
	    "\"EUR\",\"order_date\":\"2025-10-21\",\"delivery_date\":"
	    "\"2025-10-20\",\"invoice_id\":\"X\"}", &o, &body, &details), -1);
	assert_non_null(problem(details, "id"));
	assert_non_null(problem(details, "supplier_id"));
	assert_non_null(problem(details, "amount"));
	assert_string_equal(problem(details, "currency"),
	    "must be GBP, the deployment currency");
	assert_string_equal(problem(details, "delivery_date"),
	    "must not be before order_date");
	assert_non_null(problem(details, "invoice_id"));
	cJSON_Delete(body);
	cJSON_Delete(details);

	assert_int_equal(decode("{\"id\":\"PO-1\",\"supplier_id\":\"S\","
	    "\"amount\":1,\"currency\":\"GBP\",\"order_date\":\"2025-02-30\","
	    "\"delivery_date\":\"2025-10-20\"}", &o, &body, &details), -1);
	assert_string_equal(problem(details, "order_date"),
	    "must be a date, YYYY-MM-DD");
	cJSON_Delete(body);
	cJSON_Delete(details);
}

static struct store_order
prepaid_order(void)
{
	struct store_order	o;

	memset(&o, 0, sizeof(o));
	o.id = "PO-1";
	o.supplier_id = "SUP-A";
	o.amount = 1000000;
	o.currency = "GBP";
	o.order_date = "2025-10-01";
	o.delivery_date = "2025-10-20";
	o.status = "prepaid";
	o.scheme_id = "S1";
	o.prepaid = 800000;
	o.prepaid_fee = 10258;
	o.prepaid_on = "2025-10-08";
	o.expected_due = "2025-12-19";
	o.funded = 800000;
	o.created_at = "2025-10-01T08:00:00.000000Z";
	o.updated_at = "2025-10-08T09:00:00.000000Z";
	return (o);
}

static void
records_encode_exactly(void **state)
{
	struct store_order	 o = prepaid_order();
	cJSON			*j;
	char			*text;

	j = json_order_encode(&o);
	text = json_print(j, NULL);
	assert_string_equal(text, "{\"id\":\"PO-1\",\"supplier_id\":\"SUP-A\","
	    "\"amount\":1000000,\"currency\":\"GBP\",\"order_date\":"
	    "\"2025-10-01\",\"delivery_date\":\"2025-10-20\",\"status\":"
	    "\"prepaid\",\"scheme_id\":\"S1\",\"prepaid\":800000,"
	    "\"prepaid_fee\":10258,\"prepaid_on\":\"2025-10-08\","
	    "\"expected_due_date\":\"2025-12-19\",\"invoice_id\":null,"
	    "\"true_up\":0,\"true_up_fee\":0,\"true_up_on\":null,\"netted\":0,"
	    "\"owed_back\":0,\"funded\":800000,\"settled_on\":null,"
	    "\"created_at\":\"2025-10-01T08:00:00.000000Z\",\"updated_at\":"
	    "\"2025-10-08T09:00:00.000000Z\"}");
	cJSON_free(text);
	cJSON_Delete(j);
}

static void
csv_rows_have_the_json_columns(void **state)
{
	struct store_order	 o = prepaid_order();
	struct buf		 b;
	struct csv		 c;

	buf_init(&b);
	csv_init(&c, &b);
	json_order_csv_header(&c);
	json_order_csv_row(&c, &o);
	buf_append(&b, "", 1);
	assert_string_equal(b.data, "id,supplier_id,amount,currency,"
	    "order_date,delivery_date,status,scheme_id,prepaid,prepaid_fee,"
	    "prepaid_on,expected_due_date,invoice_id,true_up,true_up_fee,"
	    "true_up_on,netted,owed_back,funded,settled_on,created_at,"
	    "updated_at\r\n"
	    "PO-1,SUP-A,1000000,GBP,2025-10-01,2025-10-20,prepaid,S1,800000,"
	    "10258,2025-10-08,2025-12-19,,0,0,,0,0,800000,,"
	    "2025-10-01T08:00:00.000000Z,2025-10-08T09:00:00.000000Z\r\n");
	buf_cleanup(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_valid_order_decodes_to_exact_values),
		cmocka_unit_test(every_problem_is_named_at_once),
		cmocka_unit_test(records_encode_exactly),
		cmocka_unit_test(csv_rows_have_the_json_columns),
	};

	return (cmocka_run_group_tests_name("json_orders", tests, NULL,
	    NULL));
}
