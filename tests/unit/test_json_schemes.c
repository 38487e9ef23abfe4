/*
 * The scheme codec: every scheme field of the liquidity model checked by
 * its rules with every problem reported at once, strict dates, the tier
 * set, optional limits, the jsonb row for the database, the comparison
 * behind idempotent re-creation, and the store layer's decoding.
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
#include "json/json.h"
#include "json/json_schemes.h"
#include "store/store_schemes.h"

/* The liquidity model's worked example. */
#define GOOD \
	"{\"id\":\"SCH-1\",\"name\":\"Restart bridge\"," \
	"\"effective_from\":\"2025-10-07\",\"payment_lag_days\":2," \
	"\"advance_rate_bps\":9000,\"annual_rate_bps\":650," \
	"\"day_count_basis\":365,\"fee_bearer\":\"supplier\"," \
	"\"eligible_tiers\":[2,1],\"requires_opt_in\":true," \
	"\"facility_limit\":5000000}"

static cJSON *
parse(const char *s)
{
	cJSON	*j;

	/* cJSON's own parse: the codec's checks, also of 1.5 and 1e3. */
	assert_non_null(j = cJSON_ParseWithLength(s, strlen(s)));
	return (j);
}

static const char *
problem(const cJSON *details, const char *field)
{
	const cJSON	*d, *f;

	cJSON_ArrayForEach(d, details) {
		f = cJSON_GetObjectItem(d, "field");
		if (cJSON_IsString(f) && strcmp(f->valuestring, field) == 0)
			return (cJSON_GetObjectItem(d, "problem")->valuestring);
	}
	return (NULL);
}

/* GOOD with field set to value (JSON text), or removed when NULL. */
static int
decode_with(const char *field, const char *value, struct store_scheme *s,
    cJSON **j, cJSON **d)
{
	cJSON	*v;

	*j = parse(GOOD);
	if (field != NULL)
		cJSON_DeleteItemFromObjectCaseSensitive(*j, field);
	if (field != NULL && value != NULL) {
		assert_non_null(v = cJSON_Parse(value));
		cJSON_AddItemToObject(*j, field, v);
	}
	*d = json_details_new();
	return (json_scheme_create_decode(*j, s, *d));
}

static void
done(cJSON *j, cJSON *d)
{
	cJSON_Delete(j);
	cJSON_Delete(d);
}

static void
accepts_the_worked_example(void **state)
{
	struct store_scheme	 s;
	cJSON			*j, *d;

	assert_int_equal(decode_with(NULL, NULL, &s, &j, &d), 0);
	assert_string_equal(s.id, "SCH-1");
	assert_string_equal(s.effective_from, "2025-10-07");
	assert_int_equal(s.payment_lag_days, 2);
	assert_int_equal(s.advance_rate_bps, 9000);
	assert_int_equal(s.annual_rate_bps, 650);
	assert_int_equal(s.day_count_basis, 365);
	assert_string_equal(s.fee_bearer, "supplier");
	assert_int_equal(s.eligible_tiers,
	    STORE_SCHEME_TIER(1) | STORE_SCHEME_TIER(2));
	assert_true(s.requires_opt_in);
	assert_false(s.has_max_employees);
	assert_false(s.has_per_supplier_cap);
	assert_true(s.has_facility_limit);
	assert_int_equal(s.facility_limit, 5000000);
	assert_int_equal(s.min_invoice_amount, 0);
	done(j, d);
}

static void
optional_fields_have_defaults(void **state)
{
	struct store_scheme	 s;
	cJSON			*j, *d;

	/* Opt-in is required unless said otherwise: the cautious default. */
	assert_int_equal(decode_with("requires_opt_in", NULL, &s, &j, &d), 0);
	assert_true(s.requires_opt_in);
	done(j, d);
	assert_int_equal(decode_with("requires_opt_in", "false", &s, &j, &d),
	    0);
	assert_false(s.requires_opt_in);
	done(j, d);
	/* null, like absence, is "no limit". */
	assert_int_equal(decode_with("facility_limit", "null", &s, &j, &d), 0);
	assert_false(s.has_facility_limit);
	done(j, d);
	assert_int_equal(decode_with("max_employees", "249", &s, &j, &d), 0);
	assert_true(s.has_max_employees);
	assert_int_equal(s.max_employees, 249);
	done(j, d);
	assert_int_equal(decode_with("per_supplier_cap", "0", &s, &j, &d), 0);
	assert_true(s.has_per_supplier_cap);
	assert_int_equal(s.per_supplier_cap, 0);
	done(j, d);
	assert_int_equal(decode_with("fee_bearer", "\"oem\"", &s, &j, &d), 0);
	done(j, d);
	assert_int_equal(decode_with("day_count_basis", "360", &s, &j, &d), 0);
	done(j, d);
}

static void
every_problem_at_once(void **state)
{
	struct store_scheme	 s;
	cJSON			*j, *d;

	j = parse("{\"id\":\"\",\"name\":\"\",\"effective_from\":\"2025-02-29\","
	    "\"payment_lag_days\":-1,\"advance_rate_bps\":0,"
	    "\"annual_rate_bps\":100001,\"day_count_basis\":364,"
	    "\"fee_bearer\":\"bank\",\"eligible_tiers\":[1,1],"
	    "\"max_employees\":-1,\"min_invoice_amount\":-1,"
	    "\"requires_opt_in\":\"yes\",\"per_supplier_cap\":\"1\","
	    "\"facility_limit\":1.5,\"rate\":3}");
	d = json_details_new();
	assert_int_equal(json_scheme_create_decode(j, &s, d), -1);
	assert_non_null(problem(d, "id"));
	assert_string_equal(problem(d, "name"), "must not be empty");
	assert_string_equal(problem(d, "effective_from"),
	    "must be a date, YYYY-MM-DD");
	assert_string_equal(problem(d, "payment_lag_days"),
	    "must be between 0 and 365");
	assert_string_equal(problem(d, "advance_rate_bps"),
	    "must be between 1 and 10000");
	assert_string_equal(problem(d, "annual_rate_bps"),
	    "must be between 0 and 100000");
	assert_string_equal(problem(d, "day_count_basis"),
	    "must be 360 or 365");
	assert_string_equal(problem(d, "fee_bearer"),
	    "must be supplier or oem");
	assert_string_equal(problem(d, "eligible_tiers"),
	    "must not name a tier twice");
	assert_non_null(problem(d, "max_employees"));
	assert_non_null(problem(d, "min_invoice_amount"));
	assert_string_equal(problem(d, "requires_opt_in"),
	    "must be true or false");
	assert_string_equal(problem(d, "per_supplier_cap"),
	    "must be an integer");
	assert_string_equal(problem(d, "facility_limit"), "must be an integer");
	assert_string_equal(problem(d, "rate"), "unknown field");
	assert_int_equal(cJSON_GetArraySize(d), 15);
	done(j, d);

	j = parse("{}");
	d = json_details_new();
	assert_int_equal(json_scheme_create_decode(j, &s, d), -1);
	/* Nine required; the rest have defaults. */
	assert_int_equal(cJSON_GetArraySize(d), 9);
	assert_string_equal(problem(d, "eligible_tiers"), "is required");
	assert_null(problem(d, "facility_limit"));
	done(j, d);
}

static void
dates_are_strict(void **state)
{
	static const char *const good[] = {
		"\"2024-02-29\"", "\"2000-02-29\"", "\"0001-01-01\"",
		"\"9999-12-31\"", "\"2025-04-30\"",
	};
	static const char *const bad[] = {
		"\"2025-02-29\"", "\"1900-02-29\"", "\"2025-04-31\"",
		"\"2025-13-01\"", "\"2025-00-10\"", "\"2025-01-00\"",
		"\"0000-01-01\"", "\"2025-1-01\"", "\" 2025-01-01\"",
		"\"2025-01-01T00:00:00Z\"", "\"2025/01/01\"", "\"2025-01-0a\"",
		"20250101", "\"\"",
	};
	struct store_scheme	 s;
	cJSON			*j, *d;
	size_t			 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(decode_with("effective_from", good[i], &s, &j,
		    &d), 0);
		done(j, d);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(decode_with("effective_from", bad[i], &s, &j,
		    &d), -1);
		assert_non_null(problem(d, "effective_from"));
		assert_int_equal(cJSON_GetArraySize(d), 1);
		done(j, d);
	}
}

static void
tiers_are_a_set(void **state)
{
	static const struct {
		const char	*value;
		int		 bits;		/* 0: refused */
	} cases[] = {
		{ "[1]", 1 << 1 },
		{ "[3,1]", (1 << 1) | (1 << 3) },
		{ "[1,2,3]", (1 << 1) | (1 << 2) | (1 << 3) },
		{ "[]", 0 },
		{ "[0]", 0 },
		{ "[4]", 0 },
		{ "[1.5]", 0 },
		{ "[\"1\"]", 0 },
		{ "[2,2]", 0 },
		{ "2", 0 },
		{ "null", 0 },
	};
	struct store_scheme	 s;
	cJSON			*j, *d;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(decode_with("eligible_tiers", cases[i].value,
		    &s, &j, &d), cases[i].bits ? 0 : -1);
		if (cases[i].bits)
			assert_int_equal(s.eligible_tiers, cases[i].bits);
		else
			assert_non_null(problem(d, "eligible_tiers"));
		done(j, d);
	}
}

/* covers: oem by default, all for deep tier, nothing else. */
static void
covers_is_oem_or_all(void **state)
{
	struct store_scheme	 s;
	cJSON			*j, *d;

	assert_int_equal(decode_with(NULL, NULL, &s, &j, &d), 0);
	assert_string_equal(s.covers, "oem");
	done(j, d);
	assert_int_equal(decode_with("covers", "\"all\"", &s, &j, &d), 0);
	assert_string_equal(s.covers, "all");
	done(j, d);
	assert_int_equal(decode_with("covers", "\"tier-2\"", &s, &j, &d), -1);
	assert_string_equal(problem(d, "covers"), "must be oem or all");
	done(j, d);
	assert_int_equal(decode_with("covers", "true", &s, &j, &d), -1);
	assert_non_null(problem(d, "covers"));
	done(j, d);
}

static void
basis_and_its_day_counts(void **state)
{
	struct store_scheme	 s;
	cJSON			*j, *d;

	assert_int_equal(decode_with(NULL, NULL, &s, &j, &d), 0);
	assert_string_equal(s.basis, "invoice");
	assert_false(s.has_order_lead_days);
	assert_false(s.has_true_up_lag_days);
	done(j, d);
	assert_int_equal(decode_with("basis", "\"order\"", &s, &j, &d), -1);
	assert_string_equal(problem(d, "order_lead_days"),
	    "is required when basis is order");
	assert_string_equal(problem(d, "true_up_lag_days"),
	    "is required when basis is order");
	assert_int_equal(cJSON_GetArraySize(d), 2);
	done(j, d);
	assert_int_equal(decode_with("order_lead_days", "14", &s, &j, &d), -1);
	assert_string_equal(problem(d, "order_lead_days"),
	    "is only allowed when basis is order");
	assert_int_equal(cJSON_GetArraySize(d), 1);
	done(j, d);
	/* null is absent, as in a reply posted back. */
	assert_int_equal(decode_with("true_up_lag_days", "null", &s, &j, &d),
	    0);
	done(j, d);
	assert_int_equal(decode_with("basis", "\"purchase\"", &s, &j, &d),
	    -1);
	assert_string_equal(problem(d, "basis"), "must be invoice or order");
	done(j, d);
}

static void
row_diff_and_encode(void **state)
{
	struct store_scheme	 s, t;
	struct buf		 b;
	cJSON			*j, *d, *out;
	char			*text;

	assert_int_equal(decode_with(NULL, NULL, &s, &j, &d), 0);
	buf_init(&b);
	json_scheme_row(&b, &s);
	assert_string_equal(b.data, "{\"id\":\"SCH-1\","
	    "\"name\":\"Restart bridge\",\"effective_from\":\"2025-10-07\","
	    "\"payment_lag_days\":2,\"advance_rate_bps\":9000,"
	    "\"annual_rate_bps\":650,\"day_count_basis\":365,"
	    "\"fee_bearer\":\"supplier\",\"eligible_tiers\":[1,2],"
	    "\"max_employees\":null,\"min_invoice_amount\":0,"
	    "\"requires_opt_in\":true,\"per_supplier_cap\":null,"
	    "\"facility_limit\":5000000,\"covers\":\"oem\","
	    "\"basis\":\"invoice\",\"order_lead_days\":null,"
	    "\"true_up_lag_days\":null}");
	buf_cleanup(&b);

	t = s;
	assert_int_equal(json_scheme_diff(&s, &t, d), 0);
	t.eligible_tiers = STORE_SCHEME_TIER(1);
	t.has_facility_limit = 0;
	t.annual_rate_bps = 651;
	assert_int_equal(json_scheme_diff(&s, &t, d), 3);
	assert_string_equal(problem(d, "eligible_tiers"),
	    "differs from the existing scheme");
	assert_non_null(problem(d, "facility_limit"));
	assert_non_null(problem(d, "annual_rate_bps"));
	t = s;
	t.covers = "all";
	assert_int_equal(json_scheme_diff(&s, &t, d), 1);
	assert_non_null(problem(d, "covers"));
	t = s;
	t.basis = "order";
	t.has_order_lead_days = 1;
	t.order_lead_days = 14;
	assert_int_equal(json_scheme_diff(&s, &t, d), 2);
	assert_non_null(problem(d, "basis"));
	assert_non_null(problem(d, "order_lead_days"));

	s.created_at = "2025-09-01T00:00:00.000000Z";
	out = json_scheme_encode(&s);
	text = json_print(out, NULL);
	assert_non_null(strstr(text, "\"facility_limit\":5000000,"
	    "\"covers\":\"oem\",\"basis\":\"invoice\","
	    "\"order_lead_days\":null,\"true_up_lag_days\":null,"
	    "\"created_at\":\"2025-09-01T00:00:00.000000Z\"}"));
	free(text);
	cJSON_Delete(out);
	done(j, d);
}

static void
store_rows_decode(void **state)
{
	static const char *const cells[] = {
		"f", "SCH-1", "Bridge", "2025-10-07", "2", "9000", "650", "365",
		"oem", "1,3", NULL, "0", "t", "100", NULL, "c", "all",
		"order", "60", "2",
	};
	struct store_scheme	s;
	struct db_rows		r;
	struct db_query		q;
	int			i, created;

	db_rows_init(&r);
	db_rows_alloc(&r, 1, 20);
	for (i = 0; i < 20; i++) {
		if (cells[i] != NULL)
			db_rows_set(&r, 0, i, cells[i], strlen(cells[i]));
	}
	assert_int_equal(store_scheme_create_decode(&r, &created, &s), 0);
	assert_false(created);
	assert_string_equal(s.fee_bearer, "oem");
	assert_string_equal(s.covers, "all");
	assert_string_equal(s.basis, "order");
	assert_true(s.has_order_lead_days);
	assert_int_equal(s.order_lead_days, 60);
	assert_true(s.has_true_up_lag_days);
	assert_int_equal(s.true_up_lag_days, 2);
	assert_int_equal(s.eligible_tiers,
	    STORE_SCHEME_TIER(1) | STORE_SCHEME_TIER(3));
	assert_false(s.has_max_employees);
	assert_true(s.has_per_supplier_cap);
	assert_int_equal(s.per_supplier_cap, 100);
	assert_false(s.has_facility_limit);
	assert_true(s.requires_opt_in);
	db_rows_set(&r, 0, 9, "", 0);
	assert_int_equal(store_scheme_create_decode(&r, &created, &s), -1);
	db_rows_set(&r, 0, 9, "1,4", 3);
	assert_int_equal(store_scheme_create_decode(&r, &created, &s), -1);
	db_rows_cleanup(&r);

	store_scheme_list(&q, "SCH-1", 101);
	assert_int_equal(q.nparams, 2);
	assert_string_equal(q.values[0], "SCH-1");
	db_query_reset(&q);
	store_scheme_get(&q, "x'; DROP TABLE schemes; --");
	assert_null(strstr(q.sql, "DROP"));
	db_query_reset(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_the_worked_example),
		cmocka_unit_test(optional_fields_have_defaults),
		cmocka_unit_test(every_problem_at_once),
		cmocka_unit_test(dates_are_strict),
		cmocka_unit_test(tiers_are_a_set),
		cmocka_unit_test(covers_is_oem_or_all),
		cmocka_unit_test(basis_and_its_day_counts),
		cmocka_unit_test(row_diff_and_encode),
		cmocka_unit_test(store_rows_decode),
	};

	return (cmocka_run_group_tests_name("json_schemes", tests, NULL, NULL));
}
