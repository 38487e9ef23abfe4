/*
 * The supplier codec: create and patch bodies by the liquidity model's
 * rules, every problem at once, the jsonb rows for the database, records
 * out as JSON and CSV, both import formats with every bad line reported,
 * and the store layer's decoding of supplier rows.
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
#include "json/json_suppliers.h"
#include "store/store_suppliers.h"

#define GOOD \
	"\"id\":\"SUP-A\",\"name\":\"Acme Pressings\",\"tier\":1," \
	"\"region\":\"West Midlands\",\"sector\":\"metal\",\"employees\":120," \
	"\"currency\":\"GBP\",\"cash\":10000000,\"credit_available\":0," \
	"\"fixed_daily_costs\":200000,\"oem_daily_sales\":500000," \
	"\"variable_cost_bps\":6000,\"other_daily_receipts\":0," \
	"\"payment_terms_days\":30"

#define HEADER \
	"id,name,tier,region,sector,employees,currency,cash," \
	"credit_available,fixed_daily_costs,oem_daily_sales," \
	"variable_cost_bps,other_daily_receipts,payment_terms_days"

static cJSON *
parse(const char *s)
{
	cJSON	*j;

	/* cJSON's own parse: the codec's checks, also of 1.5 and 1e3. */
	assert_non_null(j = cJSON_ParseWithLength(s, strlen(s)));
	return (j);
}

/* The problem reported for field (and line, when > 0), or NULL. */
static const char *
problem_at(const cJSON *details, const char *field, int line)
{
	const cJSON	*d, *f, *l;

	cJSON_ArrayForEach(d, details) {
		f = cJSON_GetObjectItem(d, "field");
		l = cJSON_GetObjectItem(d, "line");
		if (field == NULL ? !cJSON_IsNull(f) : (!cJSON_IsString(f) ||
		    strcmp(f->valuestring, field) != 0))
			continue;
		if (line > 0 && (!cJSON_IsNumber(l) || l->valueint != line))
			continue;
		return (cJSON_GetObjectItem(d, "problem")->valuestring);
	}
	return (NULL);
}

static const char *
problem(const cJSON *details, const char *field)
{
	return (problem_at(details, field, 0));
}

/* Decode a create body; returns the decoder's result. */
static int
create(const char *body, struct store_supplier *s, cJSON **j, cJSON **d)
{
	*j = parse(body);
	*d = json_details_new();
	return (json_supplier_create_decode(*j, "GBP", s, *d));
}

/* GOOD with one field replaced by value (JSON text). */
static int
create_with(const char *field, const char *value, struct store_supplier *s,
    cJSON **j, cJSON **d)
{
	cJSON	*v;

	*j = parse("{" GOOD "}");
	assert_non_null(v = cJSON_Parse(value));
	cJSON_DeleteItemFromObjectCaseSensitive(*j, field);
	cJSON_AddItemToObject(*j, field, v);
	*d = json_details_new();
	return (json_supplier_create_decode(*j, "GBP", s, *d));
}

static void
done(cJSON *j, cJSON *d)
{
	cJSON_Delete(j);
	cJSON_Delete(d);
}

static void
create_accepts_a_whole_supplier(void **state)
{
	struct store_supplier	 s;
	cJSON			*j, *d;

	assert_int_equal(create("{" GOOD "}", &s, &j, &d), 0);
	assert_int_equal(cJSON_GetArraySize(d), 0);
	assert_string_equal(s.id, "SUP-A");
	assert_string_equal(s.name, "Acme Pressings");
	assert_int_equal(s.tier, 1);
	assert_string_equal(s.region, "West Midlands");
	assert_int_equal(s.employees, 120);
	assert_string_equal(s.currency, "GBP");
	assert_int_equal(s.cash, 10000000);
	assert_int_equal(s.fixed_daily_costs, 200000);
	assert_int_equal(s.oem_daily_sales, 500000);
	assert_int_equal(s.variable_cost_bps, 6000);
	assert_int_equal(s.payment_terms_days, 30);
	/* The model's defaults. */
	assert_int_equal(s.min_liquidity, 0);
	assert_false(s.scheme_opt_in);
	done(j, d);

	assert_int_equal(create("{" GOOD ",\"min_liquidity\":-5,"
	    "\"scheme_opt_in\":true,\"cash\":-9007199254740991}", &s, &j, &d),
	    -1);
	/* cash given twice: the first one counts, the repeat is refused. */
	assert_string_equal(problem(d, "cash"), "field given more than once");
	done(j, d);

	assert_int_equal(create("{\"id\":\"SUP-B\",\"name\":\"B\",\"tier\":3,"
	    "\"region\":\"r\",\"sector\":\"s\",\"employees\":0,"
	    "\"currency\":\"GBP\",\"cash\":-9007199254740991,"
	    "\"credit_available\":9007199254740991,\"min_liquidity\":-5,"
	    "\"fixed_daily_costs\":0,\"oem_daily_sales\":0,"
	    "\"variable_cost_bps\":10000,\"other_daily_receipts\":0,"
	    "\"payment_terms_days\":365,\"scheme_opt_in\":true}", &s, &j, &d),
	    0);
	assert_int_equal(s.cash, -9007199254740991LL);
	assert_int_equal(s.credit_available, 9007199254740991LL);
	assert_int_equal(s.min_liquidity, -5);
	assert_true(s.scheme_opt_in);
	done(j, d);
}

static void
create_reports_every_problem_at_once(void **state)
{
	struct store_supplier	 s;
	cJSON			*j, *d;

	assert_int_equal(create("{\"id\":\"a b\",\"name\":\"\",\"tier\":4,"
	    "\"region\":7,\"employees\":-1,\"currency\":\"EUR\","
	    "\"cash\":1.5,\"credit_available\":-1,\"min_liquidity\":\"0\","
	    "\"fixed_daily_costs\":-1,\"oem_daily_sales\":-1,"
	    "\"variable_cost_bps\":10001,\"other_daily_receipts\":-1,"
	    "\"payment_terms_days\":366,\"scheme_opt_in\":\"yes\","
	    "\"seq\":1,\"admin\":true}", &s, &j, &d), -1);
	assert_non_null(problem(d, "id"));
	assert_string_equal(problem(d, "name"), "must not be empty");
	assert_string_equal(problem(d, "tier"), "must be between 1 and 3");
	assert_string_equal(problem(d, "region"), "must be a string");
	assert_string_equal(problem(d, "sector"), "is required");
	assert_string_equal(problem(d, "employees"),
	    "must be between 0 and 2147483647");
	assert_string_equal(problem(d, "currency"),
	    "must be GBP, the currency of this deployment");
	assert_string_equal(problem(d, "cash"), "must be an integer");
	assert_non_null(problem(d, "credit_available"));
	assert_string_equal(problem(d, "min_liquidity"), "must be an integer");
	assert_non_null(problem(d, "fixed_daily_costs"));
	assert_non_null(problem(d, "oem_daily_sales"));
	assert_string_equal(problem(d, "variable_cost_bps"),
	    "must be between 0 and 10000");
	assert_non_null(problem(d, "other_daily_receipts"));
	assert_string_equal(problem(d, "payment_terms_days"),
	    "must be between 0 and 365");
	assert_string_equal(problem(d, "scheme_opt_in"),
	    "must be true or false");
	assert_string_equal(problem(d, "seq"), "unknown field");
	assert_string_equal(problem(d, "admin"), "unknown field");
	assert_int_equal(cJSON_GetArraySize(d), 18);
	done(j, d);

	assert_int_equal(create("{}", &s, &j, &d), -1);
	assert_int_equal(cJSON_GetArraySize(d), 14);
	assert_string_equal(problem(d, "payment_terms_days"), "is required");
	assert_null(problem(d, "min_liquidity"));
	assert_null(problem(d, "scheme_opt_in"));
	done(j, d);
}

static void
create_money_is_exact_or_refused(void **state)
{
	struct store_supplier	 s;
	cJSON			*j, *d;

	assert_int_equal(create_with("cash", "9007199254740992", &s, &j, &d),
	    -1);
	assert_string_equal(problem(d, "cash"), "must be between "
	    "-9007199254740991 and 9007199254740991");
	done(j, d);
	assert_int_equal(create_with("min_liquidity", "1e3", &s, &j, &d), 0);
	assert_int_equal(s.min_liquidity, 1000);
	done(j, d);
	assert_int_equal(create_with("employees", "2147483648", &s, &j, &d),
	    -1);
	done(j, d);
}

static void
create_text_is_checked(void **state)
{
	struct store_supplier	 s;
	cJSON			*j, *d;
	char			 value[1024];
	int			 i;

	/* 200 two-byte characters: a name may hold them, a region not. */
	value[0] = '"';
	for (i = 0; i < 200; i++)
		memcpy(value + 1 + 2 * i, "\xc3\xa9", 2);
	memcpy(value + 401, "\"", 2);
	assert_int_equal(create_with("name", value, &s, &j, &d), 0);
	assert_int_equal(strlen(s.name), 400);
	done(j, d);
	assert_int_equal(create_with("region", value, &s, &j, &d), -1);
	assert_string_equal(problem(d, "region"),
	    "must be at most 100 characters");
	done(j, d);
	memcpy(value + 401, "x\"", 3);
	assert_int_equal(create_with("name", value, &s, &j, &d), -1);
	assert_string_equal(problem(d, "name"),
	    "must be at most 200 characters");
	done(j, d);

	assert_int_equal(create_with("sector", "\"a\\tb\"", &s, &j, &d), -1);
	assert_string_equal(problem(d, "sector"),
	    "must not contain control characters");
	done(j, d);
	assert_int_equal(create_with("name", "\"\"", &s, &j, &d), -1);
	assert_string_equal(problem(d, "name"), "must not be empty");
	done(j, d);
	/* Cut short, overlong, a surrogate: none of them is UTF-8. */
	assert_int_equal(create_with("name", "\"Acme\xc3\"", &s, &j, &d), -1);
	assert_string_equal(problem(d, "name"), "must be valid UTF-8");
	done(j, d);
	assert_int_equal(create_with("name", "\"\xc0\xaf\"", &s, &j, &d), -1);
	assert_string_equal(problem(d, "name"), "must be valid UTF-8");
	done(j, d);
	assert_int_equal(create_with("name", "\"\xed\xa0\x80\"", &s, &j, &d),
	    -1);
	assert_string_equal(problem(d, "name"), "must be valid UTF-8");
	done(j, d);
	assert_int_equal(create_with("name", "\"\xf0\x9f\x9a\x97 \u00e9\"",
	    &s, &j, &d), 0);
	done(j, d);
}

static void
create_ids_are_checked(void **state)
{
	struct store_supplier	 s;
	cJSON			*j, *d;

	assert_int_equal(create_with("id", "\"import\"", &s, &j, &d), -1);
	assert_string_equal(problem(d, "id"), "is reserved");
	done(j, d);
	j = parse("{\"id\":\"import\"}");
	d = json_details_new();
	json_supplier_create_decode(j, "GBP", &s, d);
	assert_string_equal(problem(d, "id"), "is reserved");
	assert_null(s.id);
	done(j, d);
	j = parse("{\"id\":\"a/b\"}");
	d = json_details_new();
	json_supplier_create_decode(j, "GBP", &s, d);
	assert_non_null(problem(d, "id"));
	assert_null(s.id);
	done(j, d);
	j = parse("{\"currency\":\"GBP\"}");
	d = json_details_new();
	json_supplier_create_decode(j, "EUR", &s, d);
	assert_string_equal(problem(d, "currency"),
	    "must be EUR, the currency of this deployment");
	done(j, d);
}

static void
patch_by_treasury(void **state)
{
	struct json_supplier_patch	 p;
	cJSON				*j, *d;
	struct buf			 b;

	j = parse("{\"tier\":2,\"name\":\"New\",\"cash\":-3,"
	    "\"scheme_opt_in\":true}");
	d = json_details_new();
	assert_int_equal(json_supplier_patch_decode(j, "GBP",
	    JSON_SUPPLIER_TREASURY, &p, d), 0);
	assert_int_equal(p.s.tier, 2);
	assert_string_equal(p.s.name, "New");
	buf_init(&b);
	json_supplier_row(&b, &p.s, p.given);
	assert_string_equal(b.data, "{\"name\":\"New\",\"tier\":2,\"cash\":-3,"
	    "\"scheme_opt_in\":true}");
	buf_cleanup(&b);
	done(j, d);

	/* Nothing to change is a valid, empty patch. */
	j = parse("{}");
	d = json_details_new();
	assert_int_equal(json_supplier_patch_decode(j, "GBP",
	    JSON_SUPPLIER_TREASURY, &p, d), 0);
	assert_int_equal(p.given, 0);
	done(j, d);

	j = parse("{\"id\":\"SUP-A\",\"tier\":null,\"currency\":\"USD\","
	    "\"colour\":\"red\",\"payment_terms_days\":400,\"name\":\"ok\"}");
	d = json_details_new();
	assert_int_equal(json_supplier_patch_decode(j, "GBP",
	    JSON_SUPPLIER_TREASURY, &p, d), -1);
	assert_string_equal(problem(d, "id"), "cannot be changed");
	assert_string_equal(problem(d, "tier"), "must be an integer");
	assert_non_null(problem(d, "currency"));
	assert_string_equal(problem(d, "colour"), "unknown field");
	assert_non_null(problem(d, "payment_terms_days"));
	assert_null(problem(d, "name"));
	assert_int_equal(cJSON_GetArraySize(d), 5);
	done(j, d);
}

static void
patch_by_the_supplier_is_its_declaration_only(void **state)
{
	static const char *const mine[] = {
		"cash", "credit_available", "fixed_daily_costs",
		"other_daily_receipts",
	};
	static const char *const theirs[] = {
		"name", "tier", "region", "sector", "employees", "currency",
		"min_liquidity", "oem_daily_sales", "variable_cost_bps",
		"payment_terms_days",
	};
	struct json_supplier_patch	 p;
	cJSON				*j, *d;
	char				 body[128];
	size_t				 i;

	j = parse("{\"cash\":1,\"credit_available\":2,"
	    "\"fixed_daily_costs\":3,\"other_daily_receipts\":4,"
	    "\"scheme_opt_in\":true}");
	d = json_details_new();
	assert_int_equal(json_supplier_patch_decode(j, "GBP",
	    JSON_SUPPLIER_OWN, &p, d), 0);
	assert_int_equal(p.s.other_daily_receipts, 4);
	assert_true(p.s.scheme_opt_in);
	done(j, d);

	for (i = 0; i < sizeof(mine) / sizeof(mine[0]); i++) {
		snprintf(body, sizeof(body), "{\"%s\":-1}", mine[i]);
		j = parse(body);
		d = json_details_new();
		/* Only cash may go below zero. */
		assert_int_equal(json_supplier_patch_decode(j, "GBP",
		    JSON_SUPPLIER_OWN, &p, d), i == 0 ? 0 : -1);
		done(j, d);
	}
	for (i = 0; i < sizeof(theirs) / sizeof(theirs[0]); i++) {
		snprintf(body, sizeof(body), "{\"cash\":1,\"%s\":1}", theirs[i]);
		j = parse(body);
		d = json_details_new();
		assert_int_equal(json_supplier_patch_decode(j, "GBP",
		    JSON_SUPPLIER_OWN, &p, d), -1);
		assert_string_equal(problem(d, theirs[i]),
		    "only treasury may change this field");
		assert_int_equal(cJSON_GetArraySize(d), 1);
		done(j, d);
	}
	j = parse("{\"id\":\"SUP-A\"}");
	d = json_details_new();
	assert_int_equal(json_supplier_patch_decode(j, "GBP",
	    JSON_SUPPLIER_OWN, &p, d), -1);
	assert_string_equal(problem(d, "id"), "cannot be changed");
	done(j, d);
}

static void
row_diff_and_encode(void **state)
{
	struct store_supplier		 s, t;
	struct store_supplier_ledger	 l = { 1, 2, 3, 4, 5, 6 };
	struct buf			 b;
	cJSON				*j, *d, *row, *out;
	char				*text;

	assert_int_equal(create("{" GOOD "}", &s, &j, &d), 0);
	buf_init(&b);
	json_supplier_row(&b, &s, JSON_SUPPLIER_ALL);
	row = cJSON_Parse(b.data);
	assert_non_null(row);
	assert_int_equal(cJSON_GetArraySize(row), JSON_SUPPLIER_NFIELDS);
	assert_int_equal(cJSON_GetObjectItem(row, "cash")->valuedouble,
	    10000000);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(row, "scheme_opt_in")));
	cJSON_Delete(row);
	buf_cleanup(&b);

	t = s;
	assert_int_equal(json_supplier_diff(&s, &t, d), 0);
	t.name = "Other";
	t.cash = 1;
	t.scheme_opt_in = 1;
	assert_int_equal(json_supplier_diff(&s, &t, d), 3);
	assert_string_equal(problem(d, "name"),
	    "differs from the existing supplier");
	assert_non_null(problem(d, "cash"));
	assert_non_null(problem(d, "scheme_opt_in"));

	s.created_at = "2025-09-01T00:00:00.000000Z";
	s.updated_at = NULL;
	s.cash = INT64_MAX;
	out = json_supplier_encode(&s);
	json_supplier_ledger_add(out, &l);
	text = json_print(out, NULL);
	assert_non_null(strstr(text, "\"cash\":9223372036854775807,"));
	assert_non_null(strstr(text, "\"created_at\":"
	    "\"2025-09-01T00:00:00.000000Z\",\"updated_at\":null,"
	    "\"ledger\":{\"receivable_outstanding\":1,\"paid_to_date\":2,"
	    "\"early_paid_to_date\":3,\"fees_to_date\":4,"
	    "\"prepaid_outstanding\":5,\"owed_back\":6}}"));
	assert_memory_equal(text, "{\"id\":\"SUP-A\",\"name\":", 20);
	free(text);
	cJSON_Delete(out);
	done(j, d);
}

static void
csv_output_has_the_json_names(void **state)
{
	struct store_supplier	 s;
	struct buf		 b;
	struct csv		 c;
	cJSON			*j, *d;

	assert_int_equal(create_with("name", "\"Acme, \\\"Ltd\\\"\"", &s, &j,
	    &d), 0);
	s.created_at = "c";
	s.updated_at = "u";
	buf_init(&b);
	csv_init(&c, &b);
	json_supplier_csv_header(&c);
	json_supplier_csv_row(&c, &s);
	assert_string_equal(b.data, "id,name,tier,region,sector,employees,"
	    "currency,cash,credit_available,min_liquidity,fixed_daily_costs,"
	    "oem_daily_sales,variable_cost_bps,other_daily_receipts,"
	    "payment_terms_days,scheme_opt_in,created_at,updated_at\r\n"
	    "SUP-A,\"Acme, \"\"Ltd\"\"\",1,West Midlands,metal,120,GBP,"
	    "10000000,0,0,200000,500000,6000,0,30,false,c,u\r\n");
	buf_cleanup(&b);
	done(j, d);
}

/* Run an import; returns its result, the rows parsed (or NULL). */
static int
import(const char *body, int csv, cJSON **rows, cJSON **details)
{
	struct buf	b;
	int		r, n;

	*details = json_details_new();
	if (csv)
		r = json_supplier_import_csv(body, strlen(body), "GBP", &b, &n,
		    *details);
	else
		r = json_supplier_import_ndjson(body, strlen(body), "GBP", &b,
		    &n, *details);
	*rows = NULL;
	if (r == 0) {
		*rows = cJSON_Parse(b.data);
		assert_non_null(*rows);
		assert_int_equal(cJSON_GetArraySize(*rows), n);
		buf_cleanup(&b);
	} else {
		assert_null(b.data);
	}
	return (r);
}

static void
csv_import_of_good_lines(void **state)
{
	cJSON		*rows, *d, *r;
	const char	*body =
	    "\xef\xbb\xbf" "payment_terms_days,id,name,tier,region,sector,"
	    "employees,currency,cash,credit_available,fixed_daily_costs,"
	    "oem_daily_sales,variable_cost_bps,other_daily_receipts,"
	    "scheme_opt_in,min_liquidity\r\n"
	    "60,S-1,\"Smith, Sons & \"\"Co\"\"\",2,Wales,glass,9,GBP,-5,0,1,"
	    "2,3,4,TRUE,\r\n"
	    "\r\n"
	    "0,S-2,\"Two, \"\"2\"\"\",3,Wales,glass,0,GBP,0,0,0,0,0,0,,7\n";

	assert_int_equal(import(body, 1, &rows, &d), 0);
	assert_int_equal(cJSON_GetArraySize(rows), 2);
	r = cJSON_GetArrayItem(rows, 0);
	assert_string_equal(cJSON_GetObjectItem(r, "id")->valuestring, "S-1");
	assert_string_equal(cJSON_GetObjectItem(r, "name")->valuestring,
	    "Smith, Sons & \"Co\"");
	assert_int_equal(cJSON_GetObjectItem(r, "cash")->valuedouble, -5);
	assert_int_equal(cJSON_GetObjectItem(r, "payment_terms_days")->valueint,
	    60);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "scheme_opt_in")));
	assert_int_equal(cJSON_GetObjectItem(r, "min_liquidity")->valueint, 0);
	r = cJSON_GetArrayItem(rows, 1);
	assert_string_equal(cJSON_GetObjectItem(r, "name")->valuestring,
	    "Two, \"2\"");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r, "scheme_opt_in")));
	assert_int_equal(cJSON_GetObjectItem(r, "min_liquidity")->valueint, 7);
	cJSON_Delete(rows);
	cJSON_Delete(d);
}

static void
csv_import_reports_every_bad_line(void **state)
{
	cJSON		*rows, *d;
	const char	*body =
	    HEADER "\n"
	    "A,a,1,r,s,1,GBP,0,0,0,0,0,0,30\n"		/* 2: good */
	    "B,b,4,r,s,1,EUR,x,0,0,0,0,0,30\n"		/* 3: three faults */
	    "C,c,1,r,s,1,GBP,0,0,0,0,0,0,30\n"		/* 4: good */
	    "A,a,1,r,s,1,GBP,0,0,0,0,0,0,30\n"		/* 5: repeats 2 */
	    "D,d,1,r,s,1,GBP,0,0,0,0\n"			/* 6: short */
	    "E,e,1,r,s,1.5,GBP,0,0,0,0,0,0,99999999999999999\n"	/* 7 */
	    "G,\"two\nlines\",1,r,s,1,GBP,0,0,0,0,0,0,30\n"	/* 8, 9 */
	    "F,\"f,1,r,s\n";				/* 10: no quote */

	assert_int_equal(import(body, 1, &rows, &d), -1);
	assert_string_equal(problem_at(d, "tier", 3),
	    "must be between 1 and 3");
	assert_non_null(problem_at(d, "currency", 3));
	assert_string_equal(problem_at(d, "cash", 3), "must be an integer");
	assert_string_equal(problem_at(d, "id", 5), "repeats the id of line 2");
	assert_string_equal(problem_at(d, NULL, 6),
	    "has 11 fields where the header has 14");
	assert_string_equal(problem_at(d, "employees", 7),
	    "must be an integer");
	assert_string_equal(problem_at(d, "payment_terms_days", 7),
	    "must be an integer");
	assert_string_equal(problem_at(d, "name", 8),
	    "must not contain control characters");
	assert_string_equal(problem_at(d, NULL, 10),
	    "unterminated quoted field");
	assert_null(problem_at(d, NULL, 2));
	assert_null(problem_at(d, NULL, 4));
	assert_int_equal(cJSON_GetArraySize(d), 9);
	cJSON_Delete(d);
}

/* A cell is an integer only as JSON writes one: no sign, space, zero pad. */
static void
csv_integers_are_strict(void **state)
{
	cJSON		*rows, *d;
	const char	*body =
	    HEADER "\n"
	    "A,a,01,r,s,1,GBP,0,0,0,0,0,0,30\n"
	    "B,b,1,r,s,+1,GBP,0,0,0,0,0,0,30\n"
	    "C,c,1,r,s,1,GBP,-01,0,0,0,0,0,30\n"
	    "D,d,1,r,s,1,GBP,0,0,0,0,0,0, 30\n"
	    "E,e,1,r,s,1,GBP,-0,0,0,0,0,0,1.\n";

	assert_int_equal(import(body, 1, &rows, &d), -1);
	assert_string_equal(problem_at(d, "tier", 2), "must be an integer");
	assert_string_equal(problem_at(d, "employees", 3),
	    "must be an integer");
	assert_string_equal(problem_at(d, "cash", 4), "must be an integer");
	assert_string_equal(problem_at(d, "payment_terms_days", 5),
	    "must be an integer");
	assert_string_equal(problem_at(d, "payment_terms_days", 6),
	    "must be an integer");
	assert_null(problem_at(d, "cash", 6));
	assert_int_equal(cJSON_GetArraySize(d), 5);
	cJSON_Delete(d);
}

static void
csv_import_checks_the_header(void **state)
{
	cJSON	*rows, *d;

	assert_int_equal(import("id,name,tier,colour,tier\nA,a,1,red,1\n", 1,
	    &rows, &d), -1);
	assert_string_equal(problem_at(d, "colour", 1), "unknown column");
	assert_string_equal(problem_at(d, "tier", 1),
	    "column given more than once");
	assert_string_equal(problem_at(d, "payment_terms_days", 1),
	    "column is missing");
	/* The lines are not read against a header that is wrong. */
	assert_null(problem_at(d, NULL, 2));
	cJSON_Delete(d);

	assert_int_equal(import("", 1, &rows, &d), -1);
	assert_string_equal(problem(d, NULL), "the file has no header row");
	cJSON_Delete(d);
	assert_int_equal(import(HEADER "\r\n\r\n", 1, &rows, &d), -1);
	assert_string_equal(problem(d, NULL), "the file holds no supplier");
	cJSON_Delete(d);
}

static void
ndjson_import(void **state)
{
	cJSON		*rows, *d;
	const char	*good =
	    "{" GOOD "}\r\n"
	    "\n"
	    "   \n"
	    "{" GOOD ",\"id\":\"SUP-B\"}";
	const char	*bad =
	    "{" GOOD "}\n"				/* 1: good */
	    "[1,2]\n"					/* 2 */
	    "{" GOOD ",\n"				/* 3 */
	    "{\"id\":\"SUP-A\"}\n"			/* 4 */
	    "{" GOOD "} {}\n";				/* 5 */

	assert_int_equal(import(good, 0, &rows, &d), -1);
	/* GOOD names id first, so the second line repeats it. */
	assert_string_equal(problem_at(d, "id", 4),
	    "field given more than once");
	cJSON_Delete(d);

	assert_int_equal(import("{" GOOD "}\r\n\n  \n{\"id\":\"SUP-B\","
	    "\"name\":\"B\",\"tier\":2,\"region\":\"r\",\"sector\":\"s\","
	    "\"employees\":1,\"currency\":\"GBP\",\"cash\":0,"
	    "\"credit_available\":0,\"fixed_daily_costs\":0,"
	    "\"oem_daily_sales\":0,\"variable_cost_bps\":0,"
	    "\"other_daily_receipts\":0,\"payment_terms_days\":10}", 0, &rows,
	    &d), 0);
	assert_int_equal(cJSON_GetArraySize(rows), 2);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 1),
	    "payment_terms_days")->valueint, 10);
	cJSON_Delete(rows);
	cJSON_Delete(d);

	assert_int_equal(import(bad, 0, &rows, &d), -1);
	assert_string_equal(problem_at(d, NULL, 2), "must be a JSON object");
	assert_string_equal(problem_at(d, NULL, 3), "is not valid JSON");
	assert_string_equal(problem_at(d, "id", 4), "repeats the id of line 1");
	assert_string_equal(problem_at(d, "name", 4), "is required");
	assert_string_equal(problem_at(d, NULL, 5), "is not valid JSON");
	assert_null(problem_at(d, NULL, 1));
	cJSON_Delete(d);

	/* A number is an integer literal: 1e1 is not taken for 10. */
	assert_int_equal(import("{\"id\":\"SUP-C\",\"tier\":1e1}", 0, &rows,
	    &d), -1);
	assert_string_equal(problem_at(d, "tier", 1), "must be an integer");
	cJSON_Delete(d);

	assert_int_equal(import("\n\n", 0, &rows, &d), -1);
	assert_string_equal(problem(d, NULL), "the file holds no supplier");
	cJSON_Delete(d);
}

/* Many lines: rows span many blocks and come out as one exact array. */
static void
large_import_is_one_array(void **state)
{
	struct buf	 in;
	cJSON		*rows, *d;
	int		 i;

	buf_init(&in);
	buf_puts(&in, HEADER ",min_liquidity,scheme_opt_in\n");
	for (i = 0; i < 10000; i++)
		buf_printf(&in, "BIG-%05d,\"Supplier, %d\",%d,R%d,S%d,%d,GBP,"
		    "%d,%d,%d,%d,%d,0,%d,0,%s\n", i, i, i % 3 + 1, i % 7,
		    i % 5, i % 300, i * 100, i, i * 3, i * 5, i % 10001,
		    i % 366, i % 2 ? "true" : "false");
	assert_int_equal(import(in.data, 1, &rows, &d), 0);
	assert_int_equal(cJSON_GetArraySize(rows), 10000);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 9999),
	    "id")->valuestring, "BIG-09999");
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 9999),
	    "payment_terms_days")->valueint, 9999 % 366);
	cJSON_Delete(rows);
	cJSON_Delete(d);

	/* One repeated id among them, reported against the first. */
	memcpy(strstr(in.data, "BIG-05000"), "BIG-00017", 9);
	assert_int_equal(import(in.data, 1, &rows, &d), -1);
	assert_int_equal(cJSON_GetArraySize(d), 1);
	assert_string_equal(problem_at(d, "id", 5002),
	    "repeats the id of line 19");
	cJSON_Delete(d);
	buf_cleanup(&in);
}

/* The store layer: supplier rows decode into the codec's struct. */
static void
store_rows_decode(void **state)
{
	static const char *const cells[] = {
		"t", "SUP-A", "Acme", "2", "Wales", "glass", "9", "GBP", "-5",
		"0", "7", "1", "2", "3", "4", "60", "t", "c", "u",
	};
	struct store_supplier		s;
	struct store_supplier_ledger	l;
	struct db_rows			r;
	struct db_query			q;
	int				i, created;

	db_rows_init(&r);
	db_rows_alloc(&r, 1, 19);
	for (i = 0; i < 19; i++)
		db_rows_set(&r, 0, i, cells[i], strlen(cells[i]));
	assert_int_equal(store_supplier_create_decode(&r, &created, &s), 0);
	assert_true(created);
	assert_string_equal(s.id, "SUP-A");
	assert_int_equal(s.tier, 2);
	assert_int_equal(s.cash, -5);
	assert_int_equal(s.min_liquidity, 7);
	assert_int_equal(s.payment_terms_days, 60);
	assert_true(s.scheme_opt_in);
	assert_string_equal(s.updated_at, "u");
	db_rows_set(&r, 0, 3, "x", 1);
	assert_int_equal(store_supplier_create_decode(&r, &created, &s), -1);
	db_rows_cleanup(&r);

	db_rows_alloc(&r, 1, 24);
	for (i = 1; i < 19; i++)
		db_rows_set(&r, 0, i - 1, cells[i], strlen(cells[i]));
	for (i = 18; i < 24; i++)
		db_rows_set(&r, 0, i, "11", 2);
	assert_int_equal(store_supplier_get_decode(&r, &s, &l), 1);
	assert_int_equal(l.receivable_outstanding, 11);
	assert_int_equal(l.fees_to_date, 11);
	assert_int_equal(l.prepaid_outstanding, 11);
	assert_int_equal(l.owed_back, 11);
	db_rows_cleanup(&r);
	db_rows_alloc(&r, 0, 24);
	assert_int_equal(store_supplier_get_decode(&r, &s, &l), 0);
	assert_int_equal(store_supplier_update_decode(&r, &s), 0);
	db_rows_cleanup(&r);

	store_supplier_get(&q, "x'; DROP TABLE suppliers; --");
	assert_null(strstr(q.sql, "DROP"));
	assert_int_equal(q.nparams, 1);
	db_query_reset(&q);
}

static void
store_list_filters_are_parameters(void **state)
{
	struct store_supplier_filter	f = { 0, NULL, "glass" };
	struct db_query			q;

	store_supplier_list(&q, &f, "", 101);
	assert_int_equal(q.nparams, 5);
	assert_null(q.values[0]);
	assert_null(q.values[1]);
	assert_string_equal(q.values[2], "glass");
	assert_string_equal(q.values[3], "");
	assert_string_equal(q.values[4], "101");
	db_query_reset(&q);
	f.tier = 3;
	store_supplier_list(&q, &f, "SUP-A", 2);
	assert_string_equal(q.values[0], "3");
	db_query_reset(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_accepts_a_whole_supplier),
		cmocka_unit_test(create_reports_every_problem_at_once),
		cmocka_unit_test(create_money_is_exact_or_refused),
		cmocka_unit_test(create_text_is_checked),
		cmocka_unit_test(create_ids_are_checked),
		cmocka_unit_test(patch_by_treasury),
		cmocka_unit_test(patch_by_the_supplier_is_its_declaration_only),
		cmocka_unit_test(row_diff_and_encode),
		cmocka_unit_test(csv_output_has_the_json_names),
		cmocka_unit_test(csv_import_of_good_lines),
		cmocka_unit_test(csv_import_reports_every_bad_line),
		cmocka_unit_test(csv_integers_are_strict),
		cmocka_unit_test(csv_import_checks_the_header),
		cmocka_unit_test(ndjson_import),
		cmocka_unit_test(large_import_is_one_array),
		cmocka_unit_test(store_rows_decode),
		cmocka_unit_test(store_list_filters_are_parameters),
	};

	return (cmocka_run_group_tests_name("json_suppliers", tests, NULL,
	    NULL));
}
