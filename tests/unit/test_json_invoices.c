/*
 * The invoice codec: a create body or import line decoded to exact
 * values or refused with every problem at once, status by who asks,
 * amounts from 1 to 2^53 - 1, strict dates in order, records out as
 * exact JSON, and CSV records turned into the objects the decoder reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json/json.h"
#include "json/json_invoices.h"

#define VALID \
	"{\"id\":\"INV-2025-0001\",\"supplier_id\":\"SUP-A\"," \
	"\"amount\":120000,\"currency\":\"GBP\"," \
	"\"issue_date\":\"2025-08-01\",\"due_date\":\"2025-09-30\"}"

struct dec {
	cJSON			*body;
	cJSON			*details;
	struct json_invoice	 inv;
};

/*
 * The body decoded as treasury (1) or a supplier (0) would send it. The
 * object is decoded as it is, never printed and parsed again: cJSON
 * prints doubles to 15 significant digits, which would round 2^53 - 1.
 */
static int
dec_obj(struct dec *x, cJSON *body, int treasury)
{
	assert_true(cJSON_IsObject(body));
	x->body = body;
	x->details = json_details_new();
	return (json_invoice_decode(x->body, treasury, "GBP", &x->inv,
	    x->details));
}

static int
dec(struct dec *x, const char *text, int treasury)
{
	return (dec_obj(x, cJSON_Parse(text), treasury));
}

static void
dec_end(struct dec *x)
{
	cJSON_Delete(x->body);
	cJSON_Delete(x->details);
}

/* Every detail as "field: problem", in order, joined by "; ". */
static const char *
said(const cJSON *details)
{
	static char	 out[4096];
	const cJSON	*d, *f;
	size_t		 n = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(d, details) {
		f = cJSON_GetObjectItem(d, "field");
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s: %s",
		    n > 0 ? "; " : "", cJSON_IsString(f) ? f->valuestring : "-",
		    cJSON_GetObjectItem(d, "problem")->valuestring);
		assert_true(n < sizeof(out));
	}
	return (out);
}

/* VALID with field set to value (JSON text), or taken out when NULL. */
static int
dec_with(struct dec *x, const char *field, const char *value, int treasury)
{
	cJSON	*v;

	v = cJSON_Parse(VALID);
	cJSON_DeleteItemFromObjectCaseSensitive(v, field);
	if (value != NULL)
		cJSON_AddItemToObject(v, field, cJSON_Parse(value));
	return (dec_obj(x, v, treasury));
}

static void
a_valid_body_decodes_to_its_values(void **state)
{
	struct dec	x;

	assert_int_equal(dec(&x, VALID, 0), 0);
	assert_string_equal(said(x.details), "");
	assert_string_equal(x.inv.id, "INV-2025-0001");
	assert_string_equal(x.inv.supplier_id, "SUP-A");
	assert_int_equal(x.inv.amount, 120000);
	assert_string_equal(x.inv.currency, "GBP");
	assert_string_equal(x.inv.issue_date, "2025-08-01");
	assert_string_equal(x.inv.due_date, "2025-09-30");
	assert_null(x.inv.status);
	dec_end(&x);
}

static void
treasury_may_set_submitted_or_approved_only(void **state)
{
	static const struct {
		const char	*status;
		int		 treasury;
		const char	*said;		/* "": accepted */
	} c[] = {
		{ "\"approved\"", 1, "" },
		{ "\"submitted\"", 1, "" },
		{ "\"paid\"", 1, "status: must be submitted or approved" },
		{ "\"advanced\"", 1, "status: must be submitted or approved" },
		{ "\"Approved\"", 1, "status: must be submitted or approved" },
		{ "\"\"", 1, "status: must be submitted or approved" },
		{ "\"submitted-and-approved\"", 1,
		    "status: must be at most 16 bytes" },
		{ "1", 1, "status: must be a string" },
		{ "null", 1, "status: must be a string" },
		{ "\"submitted\"", 0, "status: may not be set by a supplier: "
		    "invoices start submitted" },
		{ "\"approved\"", 0, "status: may not be set by a supplier: "
		    "invoices start submitted" },
	};
	struct dec	x;
	size_t		i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(dec_with(&x, "status", c[i].status,
		    c[i].treasury), c[i].said[0] == '\0' ? 0 : -1);
		assert_string_equal(said(x.details), c[i].said);
		if (c[i].said[0] == '\0')
			assert_string_equal(x.inv.status, c[i].status[1] == 'a' ?
			    "approved" : "submitted");
		dec_end(&x);
	}
}

static void
every_problem_is_reported_at_once(void **state)
{
	struct dec	x;

	assert_int_equal(dec(&x, "{\"id\":\"import\",\"supplier_id\":\"a/b\","
	    "\"amount\":0,\"currency\":\"EUR\",\"issue_date\":\"2025-02-29\","
	    "\"due_date\":\"2025-13-01\",\"status\":\"paid\",\"note\":\"x\","
	    "\"seq\":1}", 1), -1);
	assert_string_equal(said(x.details),
	    "note: unknown field; seq: unknown field; "
	    "id: import is reserved; "
	    "supplier_id: must be 1 to 64 letters, digits or . _ -; "
	    "amount: must be between 1 and 9007199254740991; "
	    "currency: must be GBP, the deployment currency; "
	    "issue_date: must be a date, YYYY-MM-DD; "
	    "due_date: must be a date, YYYY-MM-DD; "
	    "status: must be submitted or approved");
	dec_end(&x);

	assert_int_equal(dec(&x, "{}", 1), -1);
	assert_string_equal(said(x.details), "id: is required; "
	    "supplier_id: is required; amount: is required; "
	    "currency: is required; issue_date: is required; "
	    "due_date: is required");
	dec_end(&x);

	/* Wrong types, each named. */
	assert_int_equal(dec(&x, "{\"id\":1,\"supplier_id\":[],"
	    "\"amount\":\"120000\",\"currency\":null,\"issue_date\":20250801,"
	    "\"due_date\":{},\"status\":true}", 1), -1);
	assert_string_equal(said(x.details), "id: must be a string; "
	    "supplier_id: must be a string; amount: must be an integer; "
	    "currency: must be a string; issue_date: must be a string; "
	    "due_date: must be a string; status: must be a string");
	dec_end(&x);

	/* A repeated field is refused even when both copies are valid. */
	assert_int_equal(dec(&x, "{\"id\":\"I\",\"supplier_id\":\"S\","
	    "\"amount\":1,\"amount\":1,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-08-01\",\"due_date\":\"2025-08-01\"}", 0),
	    -1);
	assert_string_equal(said(x.details),
	    "amount: field given more than once");
	dec_end(&x);
}

/* Details already there (earlier import lines) are not this body's. */
static void
only_new_details_count(void **state)
{
	struct json_invoice	 inv;
	cJSON			*j, *d;

	d = json_details_new();
	json_detail(d, "id", 3, "an earlier line");
	j = cJSON_Parse(VALID);
	assert_int_equal(json_invoice_decode(j, 0, "GBP", &inv, d), 0);
	assert_int_equal(cJSON_GetArraySize(d), 1);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"id\":\"I\"}");
	assert_int_equal(json_invoice_decode(j, 0, "GBP", &inv, d), -1);
	assert_int_equal(cJSON_GetArraySize(d), 6);
	cJSON_Delete(j);
	cJSON_Delete(d);
}

static void
amounts_are_whole_pence_from_1_to_2_pow_53_less_1(void **state)
{
	static const struct {
		const char	*amount;
		int64_t		 want;		/* 0: refused */
		const char	*said;
	} c[] = {
		{ "1", 1, "" },
		{ "9007199254740991", INT64_C(9007199254740991), "" },
		{ "100.0", 100, "" },
		{ "1e3", 1000, "" },
		{ "0", 0, "amount: must be between 1 and 9007199254740991" },
		{ "-1", 0, "amount: must be between 1 and 9007199254740991" },
		{ "9007199254740992", 0,
		    "amount: must be between 1 and 9007199254740991" },
		{ "1e300", 0, "amount: must be between 1 and 9007199254740991" },
		{ "0.5", 0, "amount: must be an integer" },
		{ "120000.01", 0, "amount: must be an integer" },
		{ "\"120000\"", 0, "amount: must be an integer" },
		{ "true", 0, "amount: must be an integer" },
		{ "null", 0, "amount: must be an integer" },
	};
	struct dec	x;
	size_t		i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(dec_with(&x, "amount", c[i].amount, 0),
		    c[i].want ? 0 : -1);
		assert_string_equal(said(x.details), c[i].said);
		if (c[i].want)
			assert_int_equal(x.inv.amount, c[i].want);
		dec_end(&x);
	}
}

static void
ids_and_currency_are_checked(void **state)
{
	static const char	 id64[] = "\"" "0123456789012345678901234567890"
	    "123456789012345678901234567890123" "\"";
	static const char	 id65[] = "\"" "0123456789012345678901234567890"
	    "1234567890123456789012345678901234" "\"";
	static const struct {
		const char	*field, *value, *said;
	} c[] = {
		{ "id", id64, "" },
		{ "id", "\"a.b_c-D\"", "" },
		{ "id", "\"importer\"", "" },
		{ "id", id65, "id: must be at most 64 bytes" },
		{ "id", "\"\"", "id: must be 1 to 64 letters, digits or . _ -" },
		{ "id", "\"INV:1\"", "id: must be 1 to 64 letters, digits or . _ -" },
		{ "id", "\"INV 1\"", "id: must be 1 to 64 letters, digits or . _ -" },
		{ "id", "\"import\"", "id: import is reserved" },
		{ "supplier_id", NULL, "supplier_id: is required" },
		{ "supplier_id", "\"import\"", "" },
		{ "currency", "\"gbp\"",
		    "currency: must be GBP, the deployment currency" },
		{ "currency", "\"GB\"",
		    "currency: must be GBP, the deployment currency" },
		{ "currency", "\"GBPX\"", "currency: must be at most 3 bytes" },
	};
	struct dec	x;
	size_t		i;

	assert_int_equal(strlen(id64), 66);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(dec_with(&x, c[i].field, c[i].value, 0),
		    c[i].said[0] == '\0' ? 0 : -1);
		if (strcmp(said(x.details), c[i].said) != 0)
			fail_msg("%s=%s: \"%s\"", c[i].field, c[i].value,
			    said(x.details));
		dec_end(&x);
	}
}

static void
dates_are_strict_and_due_not_before_issue(void **state)
{
	static const struct {
		const char	*issue, *due, *said;
	} c[] = {
		{ "2025-08-01", "2025-08-01", "" },
		{ "2024-02-29", "2024-03-01", "" },
		{ "0001-01-01", "9999-12-31", "" },
		{ "2025-08-02", "2025-08-01",
		    "due_date: must not be before issue_date" },
		{ "9999-12-31", "0001-01-01",
		    "due_date: must not be before issue_date" },
		{ "2025-02-29", "2025-01-01",
		    "issue_date: must be a date, YYYY-MM-DD" },
		{ "2025-08-01", "2025-04-31",
		    "due_date: must be a date, YYYY-MM-DD" },
		{ "2025-8-01", "2025-08-01",
		    "issue_date: must be a date, YYYY-MM-DD" },
		{ "2025/08/01", "2025-08-01",
		    "issue_date: must be a date, YYYY-MM-DD" },
		{ "0000-01-01", "2025-08-01",
		    "issue_date: must be a date, YYYY-MM-DD" },
		{ "", "2025-08-01", "issue_date: must be a date, YYYY-MM-DD" },
		{ "2025-08-01", "2025-08-01T00:00:00Z",
		    "due_date: must be at most 10 bytes" },
	};
	struct dec	x;
	char		body[256];
	size_t		i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(body, sizeof(body), "{\"id\":\"I\",\"supplier_id\":"
		    "\"S\",\"amount\":5,\"currency\":\"GBP\",\"issue_date\":"
		    "\"%s\",\"due_date\":\"%s\"}", c[i].issue, c[i].due);
		assert_int_equal(dec(&x, body, 0),
		    c[i].said[0] == '\0' ? 0 : -1);
		assert_string_equal(said(x.details), c[i].said);
		if (c[i].said[0] == '\0') {
			assert_string_equal(x.inv.issue_date, c[i].issue);
			assert_string_equal(x.inv.due_date, c[i].due);
		}
		dec_end(&x);
	}
}

static void
a_record_encodes_to_exact_json(void **state)
{
	struct store_invoice	 inv = {
		.id = "INV-1", .supplier_id = "SUP-A", .amount = 120000,
		.currency = "GBP", .issue_date = "2025-08-01",
		.due_date = "2025-09-30", .status = "advanced",
		.scheme_id = "SCH-1", .advance = 108000, .fee = 1234,
		.advanced_on = "2025-09-03",
		.created_at = "2025-09-01T10:00:00.000000Z",
	};
	cJSON			*j;
	char			*text;

	j = json_invoice_encode(&inv);
	text = json_print(j, NULL);
	assert_string_equal(text, "{\"id\":\"INV-1\",\"supplier_id\":\"SUP-A\","
	    "\"global_id\":\"INV-1\",\"amount\":120000,\"outstanding\":12000,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-08-01\",\"due_date\":\"2025-09-30\","
	    "\"status\":\"advanced\",\"reject_reason\":null,"
	    "\"scheme_id\":\"SCH-1\",\"advance\":108000,\"fee\":1234,"
	    "\"advanced_on\":\"2025-09-03\",\"paid_on\":null,"
	    "\"created_at\":\"2025-09-01T10:00:00.000000Z\","
	    "\"updated_at\":null}");
	cJSON_free(text);
	cJSON_Delete(j);

	/* A number of its supplier's: the number, and the global id. */
	inv.id = "SUP-A~INV-1";
	inv.number = "INV-1";
	j = json_invoice_encode(&inv);
	text = json_print(j, NULL);
	assert_non_null(strstr(text, "{\"id\":\"INV-1\",\"supplier_id\":"
	    "\"SUP-A\",\"global_id\":\"SUP-A~INV-1\",\"amount\""));
	cJSON_free(text);
	cJSON_Delete(j);
	inv.id = "INV-1";
	inv.number = NULL;

	/* Beyond 2^53 still exact: printed from the integer. */
	inv.status = "rejected";
	inv.reject_reason = "duplicate \"of\" INV-0";
	inv.amount = INT64_MAX;
	inv.advance = 0;
	inv.fee = INT64_MIN;
	inv.scheme_id = NULL;
	inv.advanced_on = NULL;
	j = json_invoice_encode(&inv);
	text = json_print(j, NULL);
	assert_non_null(strstr(text, "\"amount\":9223372036854775807,"
	    "\"outstanding\":0,"));
	assert_non_null(strstr(text, "\"status\":\"rejected\","
	    "\"reject_reason\":\"duplicate \\\"of\\\" INV-0\","
	    "\"scheme_id\":null,\"advance\":0,\"fee\":-9223372036854775808,"
	    "\"advanced_on\":null,"));
	cJSON_free(text);
	cJSON_Delete(j);
}

static const char *const header[] = {
	"id", "supplier_id", "amount", "currency", "issue_date", "due_date",
	"status",
};

/* One CSV record of line 12 under header, as from_csv makes it. */
static cJSON *
csv_record(const char *const *values, int n, cJSON *details)
{
	return (json_invoice_from_csv(header, 7, values, n, details, 12));
}

/* The member's JSON text is want: the type from_csv chose shows. */
static void
member_is(const cJSON *j, const char *name, const char *want)
{
	char	*text;

	text = json_print(cJSON_GetObjectItemCaseSensitive(j, name), NULL);
	assert_string_equal(text, want);
	cJSON_free(text);
}

static void
csv_records_become_the_objects_the_decoder_reads(void **state)
{
	const char	*v[7] = { "INV-1", "007", "120000", "GBP",
	    "2025-08-01", "2025-09-30", "" };
	struct dec	 x;
	cJSON		*d, *j;
	char		*text;

	d = json_details_new();
	/* Integers only in the amount column; empty fields left out. */
	j = csv_record(v, 7, d);
	text = json_print(j, NULL);
	assert_string_equal(text, "{\"id\":\"INV-1\",\"supplier_id\":\"007\","
	    "\"amount\":120000,\"currency\":\"GBP\","
	    "\"issue_date\":\"2025-08-01\",\"due_date\":\"2025-09-30\"}");
	cJSON_free(text);
	assert_int_equal(dec_obj(&x, j, 1), 0);
	assert_int_equal(x.inv.amount, 120000);
	assert_string_equal(x.inv.supplier_id, "007");
	assert_null(x.inv.status);
	dec_end(&x);

	/* The largest amount arrives exact. */
	v[6] = "approved";
	v[2] = "9007199254740991";
	assert_int_equal(dec_obj(&x, csv_record(v, 7, d), 1), 0);
	assert_int_equal(x.inv.amount, INT64_C(9007199254740991));
	assert_string_equal(x.inv.status, "approved");
	dec_end(&x);

	/* A negative one is a number the decoder refuses by range. */
	v[2] = "-9007199254740991";
	j = csv_record(v, 7, d);
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(j, "amount")));
	assert_true(cJSON_GetObjectItem(j, "amount")->valuedouble ==
	    -9007199254740991.0);
	assert_int_equal(dec_obj(&x, j, 1), -1);
	assert_string_equal(said(x.details),
	    "amount: must be between 1 and 9007199254740991");
	dec_end(&x);
	assert_int_equal(cJSON_GetArraySize(d), 0);
	cJSON_Delete(d);
}

/* Amounts that are not plain decimal integers stay text and are refused. */
static void
csv_amounts_that_are_not_integers_are_refused(void **state)
{
	static const char *const bad[] = {
		"12x", "1.5", "1e3", "0x10", "9007199254740992",
		"-9007199254740992", "99999999999999999999", "\xc2\xa3" "5",
		"5 ", "-", "01", "-01", "+500", "1.", " 5", "007",
	};
	const char	*v[7] = { "INV-1", "SUP-A", NULL, "GBP", "2025-08-01",
	    "2025-09-30", "" };
	struct dec	 x;
	cJSON		*d, *j;
	char		 want[128];
	size_t		 i;

	d = json_details_new();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v[2] = bad[i];
		j = csv_record(v, 7, d);
		snprintf(want, sizeof(want), "\"%s\"", bad[i]);
		member_is(j, "amount", want);
		assert_int_equal(dec_obj(&x, j, 1), -1);
		assert_string_equal(said(x.details),
		    "amount: must be an integer");
		dec_end(&x);
	}
	/* An empty amount is a missing one. */
	v[2] = "";
	j = csv_record(v, 7, d);
	assert_null(cJSON_GetObjectItem(j, "amount"));
	assert_int_equal(dec_obj(&x, j, 1), -1);
	assert_string_equal(said(x.details), "amount: is required");
	dec_end(&x);
	assert_int_equal(cJSON_GetArraySize(d), 0);
	cJSON_Delete(d);
}

static void
csv_records_of_the_wrong_width_are_reported_by_line(void **state)
{
	const char	*v[8] = { "INV-1", "SUP-A", "5", "GBP", "2025-08-01",
	    "2025-09-30", "", "extra" };
	cJSON		*d;
	char		*text;

	d = json_details_new();
	assert_null(csv_record(v, 6, d));
	assert_null(csv_record(v, 8, d));
	text = json_print(d, NULL);
	assert_string_equal(text, "[{\"field\":null,\"line\":12,"
	    "\"problem\":\"has 6 fields, the header has 7\"},"
	    "{\"field\":null,\"line\":12,"
	    "\"problem\":\"has 8 fields, the header has 7\"}]");
	cJSON_free(text);
	cJSON_Delete(d);
}

/* A header naming a column twice gives a body the decoder refuses. */
static void
csv_header_repeats_and_unknowns_reach_the_decoder(void **state)
{
	static const char *const h[] = {
		"id", "supplier_id", "amount", "currency", "issue_date",
		"due_date", "amount", "colour",
	};
	static const char *const v[] = {
		"INV-1", "SUP-A", "5", "GBP", "2025-08-01", "2025-09-30", "6",
		"red",
	};
	struct dec	 x;
	cJSON		*d, *j;

	d = json_details_new();
	j = json_invoice_from_csv(h, 8, v, 8, d, 2);
	assert_int_equal(dec_obj(&x, j, 1), -1);
	assert_string_equal(said(x.details),
	    "amount: field given more than once; colour: unknown field");
	/* The first amount counts. */
	assert_int_equal(x.inv.amount, 5);
	dec_end(&x);
	assert_int_equal(cJSON_GetArraySize(d), 0);
	cJSON_Delete(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_valid_body_decodes_to_its_values),
		cmocka_unit_test(treasury_may_set_submitted_or_approved_only),
		cmocka_unit_test(every_problem_is_reported_at_once),
		cmocka_unit_test(only_new_details_count),
		cmocka_unit_test(amounts_are_whole_pence_from_1_to_2_pow_53_less_1),
		cmocka_unit_test(ids_and_currency_are_checked),
		cmocka_unit_test(dates_are_strict_and_due_not_before_issue),
		cmocka_unit_test(a_record_encodes_to_exact_json),
		cmocka_unit_test(csv_records_become_the_objects_the_decoder_reads),
		cmocka_unit_test(csv_amounts_that_are_not_integers_are_refused),
		cmocka_unit_test(csv_records_of_the_wrong_width_are_reported_by_line),
		cmocka_unit_test(csv_header_repeats_and_unknowns_reach_the_decoder),
	};

	return (cmocka_run_group_tests_name("json_invoices", tests, NULL,
	    NULL));
}
