/*
 * The stress run codec: the create request checked with every problem at
 * once, the curve written for storage with exact integers, a run read
 * back from its jsonb in one fixed field order (or refused when what was
 * stored does not decode), and the per-supplier report as JSON and as
 * CSV with the same columns, nulls where the model has none.
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
#include "json/json_runs.h"

/* j printed and deleted; the text lasts until the next call. */
static const char *
printed(cJSON *j)
{
	static char	 out[8192];
	char		*s;
	size_t		 len;

	assert_non_null(j);
	s = json_print(j, &len);
	assert_true(len < sizeof(out));
	memcpy(out, s, len + 1);
	cJSON_free(s);
	cJSON_Delete(j);
	return (out);
}

struct req {
	cJSON			*body;
	struct json_run_request	 r;
	int			 rc;
	char			 details[1024];
};

/* Decode text; the details are kept as their JSON text. */
static void
req_decode(struct req *q, const char *text)
{
	cJSON	*d;

	q->body = cJSON_Parse(text);
	assert_true(cJSON_IsObject(q->body));
	d = json_details_new();
	q->rc = json_run_request_decode(q->body, &q->r, d);
	snprintf(q->details, sizeof(q->details), "%s", printed(d));
}

static void
a_request_decodes_to_its_values(void **state)
{
	struct req	q;

	req_decode(&q, "{\"scenario_id\":\"jlr-2025\","
	    "\"scheme_id\":\"jlr-2025-restart\",\"max_outage_days\":37}");
	assert_int_equal(q.rc, 0);
	assert_string_equal(q.details, "[]");
	assert_string_equal(q.r.scenario_id, "jlr-2025");
	assert_string_equal(q.r.scheme_id, "jlr-2025-restart");
	assert_int_equal(q.r.max_outage_days, 37);
	cJSON_Delete(q.body);

	/* No scheme: absent or null alike. */
	req_decode(&q, "{\"scenario_id\":\"s\",\"max_outage_days\":0}");
	assert_int_equal(q.rc, 0);
	assert_null(q.r.scheme_id);
	assert_int_equal(q.r.max_outage_days, 0);
	cJSON_Delete(q.body);
	req_decode(&q, "{\"scenario_id\":\"s\",\"scheme_id\":null,"
	    "\"max_outage_days\":730}");
	assert_int_equal(q.rc, 0);
	assert_null(q.r.scheme_id);
	assert_int_equal(q.r.max_outage_days, MODEL_HORIZON_MAX);
	cJSON_Delete(q.body);
}

static void
each_bad_field_is_one_detail(void **state)
{
	static const struct {
		const char	*body, *details;
	} c[] = {
		{ "{\"scenario_id\":\"s\",\"max_outage_days\":731}",
		  "[{\"field\":\"max_outage_days\","
		  "\"problem\":\"must be between 0 and 730\"}]" },
		{ "{\"scenario_id\":\"s\",\"max_outage_days\":-1}",
		  "[{\"field\":\"max_outage_days\","
		  "\"problem\":\"must be between 0 and 730\"}]" },
		{ "{\"scenario_id\":\"s\",\"max_outage_days\":1.5}",
		  "[{\"field\":\"max_outage_days\","
		  "\"problem\":\"must be an integer\"}]" },
		{ "{\"scenario_id\":\"s\",\"max_outage_days\":\"30\"}",
		  "[{\"field\":\"max_outage_days\","
		  "\"problem\":\"must be an integer\"}]" },
		{ "{\"scenario_id\":\"s\"}",
		  "[{\"field\":\"max_outage_days\",\"problem\":\"is required\"}]" },
		{ "{\"max_outage_days\":1}",
		  "[{\"field\":\"scenario_id\",\"problem\":\"is required\"}]" },
		{ "{\"scenario_id\":null,\"max_outage_days\":1}",
		  "[{\"field\":\"scenario_id\",\"problem\":\"must be a string\"}]" },
		{ "{\"scenario_id\":\"s\",\"scheme_id\":\"\",\"max_outage_days\":1}",
		  "[{\"field\":\"scheme_id\","
		  "\"problem\":\"must be 1 to 64 letters, digits or . _ -\"}]" },
		{ "{\"scenario_id\":\"s\",\"scheme_id\":5,\"max_outage_days\":1}",
		  "[{\"field\":\"scheme_id\",\"problem\":\"must be a string\"}]" },
		{ "{\"scenario_id\":\"s\",\"scheme_id\":false,"
		  "\"max_outage_days\":1}",
		  "[{\"field\":\"scheme_id\",\"problem\":\"must be a string\"}]" },
		{ "{\"scenario_id\":\"s\",\"max_outage_days\":1,\"threads\":2}",
		  "[{\"field\":\"threads\",\"problem\":\"unknown field\"}]" },
		{ "{\"scenario_id\":\"s\",\"max_outage_days\":1,"
		  "\"max_outage_days\":2}",
		  "[{\"field\":\"max_outage_days\","
		  "\"problem\":\"field given more than once\"}]" },
	};
	struct req	q;
	size_t		i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		req_decode(&q, c[i].body);
		assert_int_equal(q.rc, -1);
		assert_string_equal(q.details, c[i].details);
		cJSON_Delete(q.body);
	}
}

static void
every_problem_at_once(void **state)
{
	struct req	q;

	req_decode(&q, "{\"scenario_id\":\"a:b\",\"scheme_id\":\"x y\","
	    "\"max_outage_days\":731,\"threads\":4,\"L\":1}");
	assert_int_equal(q.rc, -1);
	assert_string_equal(q.details,
	    "[{\"field\":\"threads\",\"problem\":\"unknown field\"},"
	    "{\"field\":\"L\",\"problem\":\"unknown field\"},"
	    "{\"field\":\"scenario_id\","
	    "\"problem\":\"must be 1 to 64 letters, digits or . _ -\"},"
	    "{\"field\":\"scheme_id\","
	    "\"problem\":\"must be 1 to 64 letters, digits or . _ -\"},"
	    "{\"field\":\"max_outage_days\","
	    "\"problem\":\"must be between 0 and 730\"}]");
	cJSON_Delete(q.body);

	req_decode(&q, "{}");
	assert_int_equal(q.rc, -1);
	assert_string_equal(q.details,
	    "[{\"field\":\"scenario_id\",\"problem\":\"is required\"},"
	    "{\"field\":\"max_outage_days\",\"problem\":\"is required\"}]");
	cJSON_Delete(q.body);
}

static void
the_stored_curve_is_exact_in_fixed_order(void **state)
{
	static const struct model_point	 p[2] = {
		{ 0, 3, 120, 500000, 0, 0, 0, 0 },
		{ 37, 1, 2, INT64_MAX, 9007199254740993LL, 5, INT64_MIN, -7 },
	};
	char				*s;

	s = json_run_curve(p, 2);
	assert_string_equal(s, "[{\"outage_days\":0,\"suppliers_below\":3,"
	    "\"employees_at_risk\":120,\"funding_gap\":500000,"
	    "\"early_paid\":0,\"fees\":0,\"peak_facility_use\":0,"
	    "\"oem_cost\":0,\"suppliers_below_contagion\":0,\"overdue_trade_credit\":0,\"funder_overdue\":0},"
	    "{\"outage_days\":37,\"suppliers_below\":1,"
	    "\"employees_at_risk\":2,\"funding_gap\":9223372036854775807,"
	    "\"early_paid\":9007199254740993,\"fees\":5,"
	    "\"peak_facility_use\":-9223372036854775808,\"oem_cost\":-7,"
	    "\"suppliers_below_contagion\":0,\"overdue_trade_credit\":0,\"funder_overdue\":0}]");
	free(s);
	s = json_run_curve(p, 0);
	assert_string_equal(s, "[]");
	free(s);
}

/*
 * As PostgreSQL prints jsonb: keys by length, then bytes. A curve stored
 * before links existed: the network's fields read back as 0.
 */
#define STORED_CURVE \
	"[{\"fees\": 0, \"oem_cost\": 0, \"early_paid\": 0, " \
	"\"funding_gap\": 500000, \"outage_days\": 0, " \
	"\"suppliers_below\": 3, \"employees_at_risk\": 120, " \
	"\"peak_facility_use\": 0}, {\"fees\": 12, \"oem_cost\": 4, " \
	"\"early_paid\": 900, \"funding_gap\": 1, \"outage_days\": 1, " \
	"\"suppliers_below\": 1, \"employees_at_risk\": 10, " \
	"\"peak_facility_use\": 900}]"
#define STORED_ANN \
	"[{\"outage_days\": 23, \"announced_on\": \"2025-09-01\", " \
	"\"restart_date\": \"2025-09-24\"}, {\"outage_days\": 30, " \
	"\"announced_on\": \"2025-09-16\", \"restart_date\": \"2025-10-01\"}]"

static void
a_run_reads_back_in_one_field_order(void **state)
{
	struct store_run	run;

	memset(&run, 0, sizeof(run));
	run.id = 42;
	run.scenario_id = "jlr-2025";
	run.scheme_id = "jlr-2025-restart";
	run.max_outage_days = 1;
	run.created_at = "2025-09-02T08:00:00.000000Z";
	run.inputs_digest = "00ff";
	run.published = 1;
	run.curve = STORED_CURVE;
	run.announcements = STORED_ANN;
	assert_string_equal(printed(json_run_encode(&run, 1)),
	    "{\"id\":42,\"scenario_id\":\"jlr-2025\","
	    "\"scheme_id\":\"jlr-2025-restart\",\"max_outage_days\":1,"
	    "\"created_at\":\"2025-09-02T08:00:00.000000Z\","
	    "\"inputs_digest\":\"00ff\",\"published\":true,"
	    "\"curve\":[{\"outage_days\":0,\"suppliers_below\":3,"
	    "\"employees_at_risk\":120,\"funding_gap\":500000,"
	    "\"early_paid\":0,\"fees\":0,\"peak_facility_use\":0,"
	    "\"oem_cost\":0,\"suppliers_below_contagion\":0,\"overdue_trade_credit\":0,\"funder_overdue\":0},"
	    "{\"outage_days\":1,\"suppliers_below\":1,"
	    "\"employees_at_risk\":10,\"funding_gap\":1,\"early_paid\":900,"
	    "\"fees\":12,\"peak_facility_use\":900,\"oem_cost\":4,"
	    "\"suppliers_below_contagion\":0,\"overdue_trade_credit\":0,\"funder_overdue\":0}],"
	    "\"announcements\":[{\"announced_on\":\"2025-09-01\","
	    "\"restart_date\":\"2025-09-24\",\"outage_days\":23},"
	    "{\"announced_on\":\"2025-09-16\",\"restart_date\":\"2025-10-01\","
	    "\"outage_days\":30}],\"outage_probabilities\":null,"
	    "\"expected\":null}");

	/* The outage probabilities and their expected figures, in order. */
	run.outage_probabilities = "30:6000,23:4000";
	run.expected = "{\"oem_cost\": 4, \"funding_gap\": 123456789012, "
	    "\"suppliers_below\": 2, \"employees_at_risk\": 70}";
	assert_non_null(strstr(printed(json_run_encode(&run, 1)),
	    "\"outage_days\":30}],\"outage_probabilities\":["
	    "{\"outage_days\":30,\"probability_bps\":6000},"
	    "{\"outage_days\":23,\"probability_bps\":4000}],"
	    "\"expected\":{\"suppliers_below\":2,\"employees_at_risk\":70,"
	    "\"funding_gap\":123456789012,\"oem_cost\":4}}"));
	run.expected = "{\"suppliers_below\": 2}";
	assert_null(json_run_encode(&run, 1));
	run.expected = NULL;
	run.outage_probabilities = "30:6000,x";
	assert_null(json_run_encode(&run, 1));
	run.outage_probabilities = NULL;

	/* Lists leave the curve out; an unfinished run has no digest. */
	run.curve = NULL;
	run.inputs_digest = NULL;
	run.scheme_id = NULL;
	run.published = 0;
	run.announcements = "[]";
	assert_string_equal(printed(json_run_encode(&run, 0)),
	    "{\"id\":42,\"scenario_id\":\"jlr-2025\",\"scheme_id\":null,"
	    "\"max_outage_days\":1,"
	    "\"created_at\":\"2025-09-02T08:00:00.000000Z\","
	    "\"inputs_digest\":null,\"published\":false,"
	    "\"announcements\":[],\"outage_probabilities\":null,"
	    "\"expected\":null}");
}

/* The curve written and read back is the same text. */
static void
a_written_curve_reads_back_the_same(void **state)
{
	struct model_point	 p[3];
	struct store_run	 run;
	const char		*out;
	char			*curve, want[2048];
	size_t			 i;

	for (i = 0; i < 3; i++) {
		p[i].outage_days = (int64_t)i;
		p[i].suppliers_below = 100 + (int64_t)i;
		p[i].employees_at_risk = 2000 + (int64_t)i;
		p[i].funding_gap = INT64_C(4503599627370496) + (int64_t)i;
		p[i].early_paid = -(int64_t)i;
		p[i].fees = 7;
		p[i].peak_facility_use = INT64_C(9007199254740991);
		p[i].oem_cost = 0;
		p[i].suppliers_below_contagion = 50 + (int64_t)i;
		p[i].overdue_trade_credit = INT64_C(9007199254740991) - (int64_t)i;
		p[i].funder_overdue = (int64_t)i;
	}
	curve = json_run_curve(p, 3);
	memset(&run, 0, sizeof(run));
	run.scenario_id = "s";
	run.created_at = "c";
	run.curve = curve;
	run.announcements = "[]";
	out = printed(json_run_encode(&run, 1));
	snprintf(want, sizeof(want), ",\"curve\":%s,", curve);
	if (strstr(out, want) == NULL)
		fail_msg("%s", out);
	free(curve);
}

static void
a_run_whose_stored_json_does_not_decode_is_refused(void **state)
{
	static const struct {
		const char	*curve, *announcements;
	} bad[] = {
		{ NULL, STORED_ANN },
		{ "", STORED_ANN },
		{ "{}", STORED_ANN },
		{ "[1]", STORED_ANN },
		{ "[{\"outage_days\": 0}]", STORED_ANN },
		{ "[{\"fees\": \"0\", \"oem_cost\": 0, \"early_paid\": 0, "
		  "\"funding_gap\": 0, \"outage_days\": 0, "
		  "\"suppliers_below\": 0, \"employees_at_risk\": 0, "
		  "\"peak_facility_use\": 0}]", STORED_ANN },
		{ STORED_CURVE, NULL },
		{ STORED_CURVE, "null" },
		{ STORED_CURVE, "{}" },
		{ STORED_CURVE, "[{\"outage_days\": 23, "
		  "\"announced_on\": \"2025-09-01\"}]" },
		{ STORED_CURVE, "[{\"announced_on\": \"2025-09-01\", "
		  "\"restart_date\": \"2025-09-24\"}]" },
		{ STORED_CURVE, "[{\"outage_days\": \"23\", "
		  "\"announced_on\": \"2025-09-01\", "
		  "\"restart_date\": \"2025-09-24\"}]" },
		{ STORED_CURVE, "[{\"outage_days\": 23, "
		  "\"announced_on\": 20250901, "
		  "\"restart_date\": \"2025-09-24\"}]" },
		{ STORED_CURVE, "[7]" },
	};
	struct store_run	 run;
	cJSON			*j;
	size_t			 i;

	memset(&run, 0, sizeof(run));
	run.scenario_id = "s";
	run.created_at = "c";
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run.curve = bad[i].curve;
		run.announcements = bad[i].announcements;
		if ((j = json_run_encode(&run, 1)) != NULL)
			fail_msg("case %zu decoded: %s", i, printed(j));
	}
	/* Without the curve, only the announcements must decode. */
	run.curve = "garbage";
	run.announcements = STORED_ANN;
	assert_non_null(j = json_run_encode(&run, 0));
	cJSON_Delete(j);
}

static const struct store_run_supplier breached = {
	.supplier_id = "SUP-A", .name = "Acme, \"Ltd\"", .tier = 1,
	.region = "West Midlands", .sector = "metal", .employees = 120,
	.breach_day = 12, .breach_date = "2025-09-13",
	.lowest_liquidity = -250000, .lowest_liquidity_day = 30,
	.lowest_liquidity_date = "2025-10-01", .funding_gap = 250000,
	.early_paid = 0, .fees = 0, .breaks_at_outage_days = 9,
	.contagion = 1, .overdue_receivables = 9007199254740993LL,
	.overdue_payables = 0, .breach_probability_bps = 4000,
};

static const struct store_run_supplier safe = {
	.supplier_id = "SUP-B", .name = "", .tier = 3, .region = "Wales",
	.sector = "glass", .employees = 0, .breach_day = MODEL_NONE,
	.breach_date = NULL, .lowest_liquidity = INT64_MIN,
	.lowest_liquidity_day = 0, .lowest_liquidity_date = "2025-09-01",
	.funding_gap = 0, .early_paid = INT64_MAX, .fees = 1,
	.breaks_at_outage_days = MODEL_NONE,
	.breach_probability_bps = MODEL_NONE,
};

static void
a_report_line_encodes_with_nulls_for_none(void **state)
{
	struct store_run_supplier	s;

	assert_string_equal(printed(json_run_supplier_encode(&breached)),
	    "{\"supplier_id\":\"SUP-A\",\"name\":\"Acme, \\\"Ltd\\\"\","
	    "\"tier\":1,\"region\":\"West Midlands\",\"sector\":\"metal\","
	    "\"employees\":120,\"breach_day\":12,"
	    "\"breach_date\":\"2025-09-13\",\"lowest_liquidity\":-250000,"
	    "\"lowest_liquidity_date\":\"2025-10-01\",\"funding_gap\":250000,"
	    "\"early_paid\":0,\"fees\":0,\"breaks_at_outage_days\":9,"
	    "\"contagion\":true,\"overdue_receivables\":9007199254740993,"
	    "\"overdue_payables\":0,\"breach_probability_bps\":4000}");
	assert_string_equal(printed(json_run_supplier_encode(&safe)),
	    "{\"supplier_id\":\"SUP-B\",\"name\":\"\",\"tier\":3,"
	    "\"region\":\"Wales\",\"sector\":\"glass\",\"employees\":0,"
	    "\"breach_day\":null,\"breach_date\":null,"
	    "\"lowest_liquidity\":-9223372036854775808,"
	    "\"lowest_liquidity_date\":\"2025-09-01\",\"funding_gap\":0,"
	    "\"early_paid\":9223372036854775807,\"fees\":1,"
	    "\"breaks_at_outage_days\":null,\"contagion\":false,"
	    "\"overdue_receivables\":0,\"overdue_payables\":0,"
	    "\"breach_probability_bps\":null}");
	/* Day 0 is a day, not none. */
	s = breached;
	s.breach_day = 0;
	s.breaks_at_outage_days = 0;
	assert_non_null(strstr(printed(json_run_supplier_encode(&s)),
	    "\"breach_day\":0,"));
	/* Only the nullable columns: -1 elsewhere is minus one penny. */
	s.lowest_liquidity = MODEL_NONE;
	assert_non_null(strstr(printed(json_run_supplier_encode(&s)),
	    "\"lowest_liquidity\":-1,"));
	assert_non_null(strstr(printed(json_run_supplier_encode(&s)),
	    "\"breaks_at_outage_days\":0,"));
}

static void
the_csv_report_has_the_json_columns(void **state)
{
	struct buf	 b;
	struct csv	 c;
	cJSON		*j;
	const cJSON	*m;
	char		*names, *name, *save;

	buf_init(&b);
	csv_init(&c, &b);
	json_run_supplier_csv_header(&c);
	json_run_supplier_csv(&c, &breached);
	json_run_supplier_csv(&c, &safe);
	assert_string_equal(b.data, "supplier_id,name,tier,region,sector,"
	    "employees,breach_day,breach_date,lowest_liquidity,"
	    "lowest_liquidity_date,funding_gap,early_paid,fees,"
	    "breaks_at_outage_days,contagion,overdue_receivables,"
	    "overdue_payables,breach_probability_bps\r\n"
	    "SUP-A,\"Acme, \"\"Ltd\"\"\",1,West Midlands,metal,120,12,"
	    "2025-09-13,-250000,2025-10-01,250000,0,0,9,true,"
	    "9007199254740993,0,4000\r\n"
	    "SUP-B,\"\",3,Wales,glass,0,,,-9223372036854775808,2025-09-01,0,"
	    "9223372036854775807,1,,false,0,0,\r\n");

	/* The header names are the JSON keys, in the same order. */
	names = strndup(b.data, strcspn(b.data, "\r"));
	j = json_run_supplier_encode(&breached);
	m = j->child;
	for (name = strtok_r(names, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save), m = m->next) {
		assert_non_null(m);
		assert_string_equal(m->string, name);
	}
	assert_null(m);
	cJSON_Delete(j);
	free(names);
	buf_cleanup(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_request_decodes_to_its_values),
		cmocka_unit_test(each_bad_field_is_one_detail),
		cmocka_unit_test(every_problem_at_once),
		cmocka_unit_test(the_stored_curve_is_exact_in_fixed_order),
		cmocka_unit_test(a_run_reads_back_in_one_field_order),
		cmocka_unit_test(a_written_curve_reads_back_the_same),
		cmocka_unit_test(a_run_whose_stored_json_does_not_decode_is_refused),
		cmocka_unit_test(a_report_line_encodes_with_nulls_for_none),
		cmocka_unit_test(the_csv_report_has_the_json_columns),
	};

	return (cmocka_run_group_tests_name("json_runs", tests, NULL, NULL));
}
