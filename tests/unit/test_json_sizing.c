/*
 * The facility sizing codecs and store: the create request checked with
 * every problem at once and its defaults; the points written for storage
 * and read back in one fixed field order, as JSON and as CSV; a stored
 * row decoded (a null answer kept as none); and a stored scheme turned
 * into the engine's, every rule carried, the order basis among them.
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
#include "core/date.h"
#include "json/json.h"
#include "json/json_sizing.h"
#include "store/store_sizing.h"

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
	cJSON				*body;
	struct json_sizing_request	 r;
	int				 rc;
	char				 details[2048];
};

static void
req_decode(struct req *q, const char *text)
{
	cJSON	*d;

	q->body = cJSON_Parse(text);
	assert_true(cJSON_IsObject(q->body));
	d = json_details_new();
	q->rc = json_sizing_request_decode(q->body, &q->r, d);
	snprintf(q->details, sizeof(q->details), "%s", printed(d));
}

static void
request_defaults_and_target(void **state)
{
	struct req	q;

	(void)state;
	req_decode(&q, "{\"run_id\":41,\"scheme_id\":\"S-1\","
	    "\"outage_days\":37}");
	assert_int_equal(q.rc, 0);
	assert_int_equal(q.r.run_id, 41);
	assert_string_equal(q.r.scheme_id, "S-1");
	assert_int_equal(q.r.outage_days, 37);
	assert_int_equal(q.r.steps, 20);
	assert_int_equal(q.r.has_target, 0);
	cJSON_Delete(q.body);

	req_decode(&q, "{\"run_id\":1,\"scheme_id\":\"S-1\",\"outage_days\":0,"
	    "\"steps\":200,\"target_suppliers_below\":0}");
	assert_int_equal(q.rc, 0);
	assert_int_equal(q.r.steps, 200);
	assert_int_equal(q.r.has_target, 1);
	assert_int_equal(q.r.target, 0);
	cJSON_Delete(q.body);

	req_decode(&q, "{\"run_id\":1,\"scheme_id\":\"S-1\",\"outage_days\":0,"
	    "\"steps\":1,\"target_suppliers_below\":null}");
	assert_int_equal(q.rc, 0);
	assert_int_equal(q.r.steps, 1);
	assert_int_equal(q.r.has_target, 0);
	cJSON_Delete(q.body);
}

static void
request_problems_all_at_once(void **state)
{
	struct req	q;

	(void)state;
	req_decode(&q, "{\"run_id\":0,\"scheme_id\":\"\",\"outage_days\":731,"
	    "\"steps\":0,\"target_suppliers_below\":-1,\"limit\":5}");
	assert_int_equal(q.rc, -1);
	assert_non_null(strstr(q.details, "\"field\":\"limit\""));
	assert_non_null(strstr(q.details, "\"field\":\"run_id\""));
	assert_non_null(strstr(q.details, "\"field\":\"scheme_id\""));
	assert_non_null(strstr(q.details, "\"field\":\"outage_days\""));
	assert_non_null(strstr(q.details, "\"field\":\"steps\""));
	assert_non_null(strstr(q.details,
	    "\"field\":\"target_suppliers_below\""));
	cJSON_Delete(q.body);

	req_decode(&q, "{\"run_id\":\"1\",\"scheme_id\":\"S-1\","
	    "\"outage_days\":1.5,\"steps\":201}");
	assert_int_equal(q.rc, -1);
	assert_non_null(strstr(q.details, "\"field\":\"run_id\","
	    "\"problem\":\"must be an integer\""));
	assert_non_null(strstr(q.details, "\"field\":\"outage_days\","
	    "\"problem\":\"must be an integer\""));
	assert_non_null(strstr(q.details, "\"field\":\"steps\","
	    "\"problem\":\"must be between 1 and 200\""));
	cJSON_Delete(q.body);

	req_decode(&q, "{}");
	assert_int_equal(q.rc, -1);
	assert_non_null(strstr(q.details, "\"field\":\"run_id\","
	    "\"problem\":\"is required\""));
	assert_null(strstr(q.details, "\"field\":\"steps\""));
	cJSON_Delete(q.body);
}

static void
points_stored_read_and_csv(void **state)
{
	struct model_sizing_point	 pts[2];
	struct store_sizing		 s;
	struct buf			 b;
	struct csv			 c;
	char				*text, *csv;
	size_t				 len;

	(void)state;
	memset(pts, 0, sizeof(pts));
	pts[1].facility_limit = 9007199254740000LL;
	pts[1].point.suppliers_below = 3;
	pts[1].point.employees_at_risk = 40;
	pts[1].point.funding_gap = 5;
	pts[1].point.early_paid = 6;
	pts[1].point.fees = 7;
	pts[1].point.oem_cost = 8;
	pts[1].point.peak_facility_use = 9;
	pts[1].point.outage_days = 12;	/* not a point's field */
	text = json_sizing_points(pts, 2);
	assert_string_equal(text, "[{\"facility_limit\":0,\"suppliers_below\":0,"
	    "\"employees_at_risk\":0,\"funding_gap\":0,\"early_paid\":0,"
	    "\"fees\":0,\"oem_cost\":0,\"peak_facility_use\":0},"
	    "{\"facility_limit\":9007199254740000,\"suppliers_below\":3,"
	    "\"employees_at_risk\":40,\"funding_gap\":5,\"early_paid\":6,"
	    "\"fees\":7,\"oem_cost\":8,\"peak_facility_use\":9}]");

	memset(&s, 0, sizeof(s));
	s.id = 7;
	s.run_id = 41;
	s.scheme_id = "S-1";
	s.outage_days = 37;
	s.steps = 1;
	s.target = 3;
	s.unlimited_peak = 9007199254740000LL;
	s.smallest = MODEL_NONE;
	s.created_at = "2026-03-06T09:20:31.200415Z";
	s.points = text;
	assert_string_equal(printed(json_sizing_encode(&s, 0)), "{\"id\":7,"
	    "\"run_id\":41,\"scheme_id\":\"S-1\",\"outage_days\":37,"
	    "\"steps\":1,\"unlimited_peak\":9007199254740000,"
	    "\"target_suppliers_below\":3,\"smallest_sufficient_limit\":null,"
	    "\"created_at\":\"2026-03-06T09:20:31.200415Z\"}");
	s.smallest = 0;
	assert_non_null(strstr(printed(json_sizing_encode(&s, 1)),
	    "\"smallest_sufficient_limit\":0,\"created_at\":"
	    "\"2026-03-06T09:20:31.200415Z\",\"points\":[{\"facility_limit\""
	    ":0,"));

	buf_init(&b);
	csv_init(&c, &b);
	assert_int_equal(json_sizing_csv(&c, text), 0);
	csv = buf_release(&b, &len);
	assert_string_equal(csv, "facility_limit,suppliers_below,"
	    "employees_at_risk,funding_gap,early_paid,fees,oem_cost,"
	    "peak_facility_use\r\n0,0,0,0,0,0,0,0\r\n"
	    "9007199254740000,3,40,5,6,7,8,9\r\n");
	free(csv);

	/* What does not decode is refused, never half printed. */
	s.points = "[{\"facility_limit\":1}]";
	assert_null(json_sizing_encode(&s, 1));
	s.points = "{}";
	assert_null(json_sizing_encode(&s, 1));
	s.points = NULL;
	assert_null(json_sizing_encode(&s, 1));
	buf_init(&b);
	csv_init(&c, &b);
	assert_int_equal(json_sizing_csv(&c, "[1]"), -1);
	buf_cleanup(&b);
	free(text);
}

static void
set(struct db_rows *r, int col, const char *v)
{
	assert_int_equal(db_rows_set(r, 0, col, v, v ? strlen(v) : 0), 0);
}

static void
row_decoded(void **state)
{
	static const char *const cells[] = {
		"7", "41", "S-1", "37", "20", "2", "1000", NULL, "[]",
		"2026-03-06T09:20:31.200415Z"
	};
	struct store_sizing	s;
	struct db_rows		r;
	int			i;

	(void)state;
	db_rows_init(&r);
	assert_int_equal(db_rows_alloc(&r, 1, 10), 0);
	for (i = 0; i < 10; i++)
		set(&r, i, cells[i]);
	assert_int_equal(store_sizing_decode(&r, 0, &s), 0);
	assert_int_equal(s.id, 7);
	assert_int_equal(s.run_id, 41);
	assert_string_equal(s.scheme_id, "S-1");
	assert_int_equal(s.outage_days, 37);
	assert_int_equal(s.steps, 20);
	assert_int_equal(s.target, 2);
	assert_int_equal(s.unlimited_peak, 1000);
	assert_int_equal(s.smallest, MODEL_NONE);
	assert_string_equal(s.points, "[]");
	set(&r, 7, "500");
	assert_int_equal(store_sizing_decode(&r, 0, &s), 0);
	assert_int_equal(s.smallest, 500);
	set(&r, 7, "x");
	assert_int_equal(store_sizing_decode(&r, 0, &s), -1);
	set(&r, 7, NULL);
	set(&r, 2, NULL);
	assert_int_equal(store_sizing_decode(&r, 0, &s), -1);
	assert_int_equal(store_sizing_decode(&r, 1, &s), -1);
	db_rows_cleanup(&r);
}

static void
scheme_as_the_engine_takes_it(void **state)
{
	struct store_scheme	st;
	struct model_scheme	m;
	int32_t			day;

	(void)state;
	memset(&st, 0, sizeof(st));
	st.id = "S-1";
	st.effective_from = "2025-09-01";
	st.payment_lag_days = 2;
	st.advance_rate_bps = 8000;
	st.annual_rate_bps = 650;
	st.day_count_basis = 365;
	st.fee_bearer = "oem";
	st.eligible_tiers = STORE_SCHEME_TIER(1) | STORE_SCHEME_TIER(2);
	st.has_max_employees = 1;
	st.max_employees = 250;
	st.min_invoice_amount = 100;
	st.requires_opt_in = 1;
	st.has_per_supplier_cap = 1;
	st.per_supplier_cap = 5000;
	st.has_facility_limit = 1;
	st.facility_limit = 9000;
	st.covers = "oem";
	st.basis = "order";
	st.has_order_lead_days = 1;
	st.order_lead_days = 14;
	st.has_true_up_lag_days = 1;
	st.true_up_lag_days = 1;
	assert_int_equal(store_sizing_scheme(&st, &m), 0);
	assert_int_equal(date_parse("2025-09-01", &day), 0);
	assert_int_equal(m.effective_from, day);
	assert_int_equal(m.payment_lag_days, 2);
	assert_int_equal(m.advance_rate_bps, 8000);
	assert_int_equal(m.annual_rate_bps, 650);
	assert_int_equal(m.day_count_basis, 365);
	assert_int_equal(m.fee_bearer, MODEL_FEE_OEM);
	assert_int_equal(m.eligible_tiers, (1U << 1) | (1U << 2));
	assert_int_equal(m.has_max_employees, 1);
	assert_int_equal(m.max_employees, 250);
	assert_int_equal(m.min_invoice_amount, 100);
	assert_int_equal(m.requires_opt_in, 1);
	assert_int_equal(m.has_per_supplier_cap, 1);
	assert_int_equal(m.per_supplier_cap, 5000);
	assert_int_equal(m.has_facility_limit, 1);
	assert_int_equal(m.facility_limit, 9000);
	assert_int_equal(m.covers, MODEL_COVERS_OEM);
	assert_int_equal(m.basis, MODEL_BASIS_ORDER);
	assert_int_equal(m.has_order_lead_days, 1);
	assert_int_equal(m.order_lead_days, 14);
	assert_int_equal(m.has_true_up_lag_days, 1);
	assert_int_equal(m.true_up_lag_days, 1);

	st.fee_bearer = "supplier";
	st.covers = "all";
	st.basis = "invoice";
	st.has_order_lead_days = st.has_true_up_lag_days = 0;
	assert_int_equal(store_sizing_scheme(&st, &m), 0);
	assert_int_equal(m.fee_bearer, MODEL_FEE_SUPPLIER);
	assert_int_equal(m.covers, MODEL_COVERS_ALL);
	assert_int_equal(m.basis, MODEL_BASIS_INVOICE);
	assert_int_equal(m.has_order_lead_days, 0);
	st.effective_from = "2025-13-01";
	assert_int_equal(store_sizing_scheme(&st, &m), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_defaults_and_target),
		cmocka_unit_test(request_problems_all_at_once),
		cmocka_unit_test(points_stored_read_and_csv),
		cmocka_unit_test(row_decoded),
		cmocka_unit_test(scheme_as_the_engine_takes_it),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
