/*
 * The link codec: PUT bodies and import lines by the model's ranges, every
 * problem at once; records out as JSON and CSV (a firm's lists with the
 * other end's name); both import formats with every bad line reported, a
 * pair given twice against its first line, integer cells as strict as
 * JSON's; and the store layer's decoding of link rows.
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
#include "json/json_links.h"
#include "store/store_links.h"

#define HEADER	"supplier_id,customer_id,daily_sales,payment_terms_days\n"

static cJSON *
parse(const char *s)
{
	cJSON	*j;

	assert_int_equal(json_parse_object(s, strlen(s), &j), JSON_OK);
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

static void
put_takes_the_figures_only(void **state)
{
	struct json_link	 l;
	cJSON			*j, *d;

	j = parse("{\"daily_sales\":10000000000000,\"payment_terms_days\":365}");
	d = json_details_new();
	assert_int_equal(json_link_put_decode(j, &l, d), 0);
	assert_int_equal(l.daily_sales, 10000000000000LL);
	assert_int_equal(l.payment_terms_days, 365);
	assert_int_equal(cJSON_GetArraySize(d), 0);
	cJSON_Delete(j);

	/* Out of range, not an integer, an end in the body: all at once. */
	j = parse("{\"daily_sales\":10000000000001,\"payment_terms_days\":1.5,"
	    "\"supplier_id\":\"A\"}");
	assert_int_equal(json_link_put_decode(j, &l, d), -1);
	assert_string_equal(problem_at(d, "daily_sales", 0),
	    "must be between 0 and 10000000000000");
	assert_string_equal(problem_at(d, "payment_terms_days", 0),
	    "must be an integer");
	assert_string_equal(problem_at(d, "supplier_id", 0), "unknown field");
	assert_int_equal(cJSON_GetArraySize(d), 3);
	cJSON_Delete(j);
	cJSON_Delete(d);

	j = parse("{\"daily_sales\":-1,\"payment_terms_days\":366,"
	    "\"daily_sales\":2}");
	d = json_details_new();
	assert_int_equal(json_link_put_decode(j, &l, d), -1);
	assert_non_null(problem_at(d, "payment_terms_days", 0));
	assert_string_equal(problem_at(d, "daily_sales", 0),
	    "field given more than once");
	cJSON_Delete(j);
	cJSON_Delete(d);

	j = parse("{}");
	d = json_details_new();
	assert_int_equal(json_link_put_decode(j, &l, d), -1);
	assert_string_equal(problem_at(d, "daily_sales", 0), "is required");
	assert_string_equal(problem_at(d, "payment_terms_days", 0),
	    "is required");
	cJSON_Delete(j);
	cJSON_Delete(d);
}

static void
a_link_names_two_firms(void **state)
{
	struct json_link	 l;
	cJSON			*j, *d;

	j = parse("{\"supplier_id\":\"T2-B\",\"customer_id\":\"T1-A\","
	    "\"daily_sales\":0,\"payment_terms_days\":0}");
	d = json_details_new();
	assert_int_equal(json_link_decode(j, &l, d), 0);
	assert_string_equal(l.supplier_id, "T2-B");
	assert_string_equal(l.customer_id, "T1-A");
	cJSON_Delete(j);

	j = parse("{\"supplier_id\":\"T2-B\",\"customer_id\":\"T2-B\","
	    "\"daily_sales\":1,\"payment_terms_days\":1}");
	assert_int_equal(json_link_decode(j, &l, d), -1);
	assert_string_equal(problem_at(d, "customer_id", 0),
	    "must not be the supplier itself");
	assert_int_equal(cJSON_GetArraySize(d), 1);
	cJSON_Delete(j);
	cJSON_Delete(d);

	j = parse("{\"supplier_id\":\"a b\",\"customer_id\":7,"
	    "\"daily_sales\":1,\"payment_terms_days\":1}");
	d = json_details_new();
	assert_int_equal(json_link_decode(j, &l, d), -1);
	assert_non_null(problem_at(d, "supplier_id", 0));
	assert_string_equal(problem_at(d, "customer_id", 0),
	    "must be a string");
	cJSON_Delete(j);
	cJSON_Delete(d);
}

static void
records_out(void **state)
{
	struct store_link	 l = {
		.supplier_id = "T2-B", .customer_id = "T1-A", .name = "=Acme",
		.daily_sales = 9007199254740993LL, .payment_terms_days = 30,
		.created_at = "2025-09-01T00:00:00.000000Z",
		.updated_at = "2025-09-02T00:00:00.000000Z",
	};
	struct buf		 b;
	struct csv		 c;
	cJSON			*j;
	char			*s;

	/* Exact beyond 2^53: printed from the integer. */
	j = json_link_encode(&l);
	s = json_print(j, NULL);
	assert_string_equal(s, "{\"supplier_id\":\"T2-B\","
	    "\"customer_id\":\"T1-A\",\"daily_sales\":9007199254740993,"
	    "\"payment_terms_days\":30,"
	    "\"created_at\":\"2025-09-01T00:00:00.000000Z\","
	    "\"updated_at\":\"2025-09-02T00:00:00.000000Z\"}");
	free(s);
	cJSON_Delete(j);
	j = json_link_party_encode(&l, JSON_LINK_CUSTOMERS);
	s = json_print(j, NULL);
	assert_string_equal(s, "{\"supplier_id\":\"T2-B\","
	    "\"customer_id\":\"T1-A\",\"customer_name\":\"=Acme\","
	    "\"daily_sales\":9007199254740993,\"payment_terms_days\":30}");
	free(s);
	cJSON_Delete(j);
	j = json_link_party_encode(&l, JSON_LINK_SUPPLIERS);
	assert_string_equal(cJSON_GetObjectItem(j, "supplier_name")->
	    valuestring, "=Acme");
	assert_null(cJSON_GetObjectItem(j, "customer_name"));
	cJSON_Delete(j);

	/* CSV: the same columns; a formula's cell opens as text. */
	buf_init(&b);
	csv_init(&c, &b);
	json_link_csv_header(&c, 0);
	json_link_csv_row(&c, &l, 0);
	json_link_csv_header(&c, JSON_LINK_SUPPLIERS);
	json_link_csv_row(&c, &l, JSON_LINK_SUPPLIERS);
	buf_puts(&b, "");
	assert_string_equal(b.data,
	    "supplier_id,customer_id,daily_sales,payment_terms_days,"
	    "created_at,updated_at\r\n"
	    "T2-B,T1-A,9007199254740993,30,2025-09-01T00:00:00.000000Z,"
	    "2025-09-02T00:00:00.000000Z\r\n"
	    "supplier_id,customer_id,supplier_name,daily_sales,"
	    "payment_terms_days\r\n"
	    "T2-B,T1-A,\"'=Acme\",9007199254740993,30\r\n");
	buf_cleanup(&b);
}

/* Run an import; its result, and the rows parsed (or NULL). */
static int
import(const char *body, int csv, cJSON **rows, int *n, cJSON **details)
{
	struct buf	b;
	int		r;

	*details = json_details_new();
	if (csv)
		r = json_link_import_csv(body, strlen(body), &b, n, *details);
	else
		r = json_link_import_ndjson(body, strlen(body), &b, n,
		    *details);
	*rows = NULL;
	if (r == 0) {
		assert_non_null(*rows = cJSON_ParseWithLength(b.data, b.len));
		buf_cleanup(&b);
	} else {
		assert_null(b.data);
		assert_int_equal(*n, 0);
	}
	return (r);
}

static void
csv_import_of_good_lines(void **state)
{
	cJSON		*rows, *d;
	const cJSON	*row;
	int		 n;

	assert_int_equal(import("\xef\xbb\xbf"
	    "payment_terms_days,customer_id,supplier_id,daily_sales\r\n"
	    "30,T1-A,T2-B,200000\r\n"
	    "\r\n"
	    "45,T2-B,T3-C,0\r\n"
	    "0,T3-C,T2-B,-0\r\n", 1, &rows, &n, &d), -1);
	/* -0 is not an integer as JSON writes one; the rest is fine. */
	assert_string_equal(problem_at(d, "daily_sales", 5),
	    "must be an integer");
	assert_int_equal(cJSON_GetArraySize(d), 1);
	cJSON_Delete(d);

	assert_int_equal(import("payment_terms_days,customer_id,supplier_id,"
	    "daily_sales\r\n"
	    "30,T1-A,T2-B,200000\r\n"
	    "\r\n"
	    "45,T2-B,T3-C,0\r\n"
	    "\"0\",\"T3-C\",\"T2-B\",10000000000000\n", 1, &rows, &n, &d), 0);
	assert_int_equal(n, 3);
	assert_int_equal(cJSON_GetArraySize(rows), 3);
	row = cJSON_GetArrayItem(rows, 0);
	assert_int_equal(cJSON_GetObjectItem(row, "line")->valueint, 2);
	assert_string_equal(cJSON_GetObjectItem(row, "supplier_id")->
	    valuestring, "T2-B");
	assert_string_equal(cJSON_GetObjectItem(row, "customer_id")->
	    valuestring, "T1-A");
	assert_int_equal(cJSON_GetObjectItem(row, "daily_sales")->valuedouble,
	    200000);
	row = cJSON_GetArrayItem(rows, 1);
	assert_int_equal(cJSON_GetObjectItem(row, "line")->valueint, 4);
	row = cJSON_GetArrayItem(rows, 2);
	assert_int_equal(cJSON_GetObjectItem(row, "line")->valueint, 5);
	assert_true(cJSON_GetObjectItem(row, "daily_sales")->valuedouble ==
	    10000000000000.0);
	cJSON_Delete(rows);
	cJSON_Delete(d);
}

static void
csv_import_reports_every_bad_line(void **state)
{
	static const struct {
		const char	*cell;
		const char	*problem;
	} cells[] = {
		{ "01", "must be an integer" },
		{ "+1", "must be an integer" },
		{ "1.", "must be an integer" },
		{ "1e3", "must be an integer" },
		{ " 1", "must be an integer" },
		{ "0x10", "must be an integer" },
		{ "-1", "must be between 0 and 10000000000000" },
		{ "10000000000001", "must be between 0 and 10000000000000" },
		{ "99999999999999999999",
		    "must be between 0 and 10000000000000" },
		{ "-99999999999999999999",
		    "must be between 0 and 10000000000000" },
		{ "", "is required" },
	};
	cJSON	*rows, *d;
	char	 body[512];
	size_t	 i;
	int	 n;

	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		snprintf(body, sizeof(body), HEADER "A,B,1,1\nA,C,%s,1\n",
		    cells[i].cell);
		assert_int_equal(import(body, 1, &rows, &n, &d), -1);
		assert_string_equal(problem_at(d, "daily_sales", 3),
		    cells[i].problem);
		assert_int_equal(cJSON_GetArraySize(d), 1);
		cJSON_Delete(d);
	}

	/* Each kind of problem on its own line, all reported. */
	assert_int_equal(import(HEADER
	    "A,B,1,1\n"
	    "A,A,1,1\n"
	    "B,A,1,1\n"
	    "A,B,2,2\n"
	    "A,B,3,3\n"
	    "C,D,1\n"
	    "C,\"D\"x,1,1\n"
	    "C,D,1,366\n"
	    "C/,D,1,1\n", 1, &rows, &n, &d), -1);
	assert_string_equal(problem_at(d, "customer_id", 3),
	    "must not be the supplier itself");
	assert_string_equal(problem_at(d, "customer_id", 5),
	    "repeats the pair of line 2");
	assert_string_equal(problem_at(d, "customer_id", 6),
	    "repeats the pair of line 2");
	assert_non_null(problem_at(d, NULL, 7));
	assert_non_null(problem_at(d, NULL, 8));
	assert_string_equal(problem_at(d, "payment_terms_days", 9),
	    "must be between 0 and 365");
	assert_non_null(problem_at(d, "supplier_id", 10));
	assert_null(problem_at(d, NULL, 2));
	assert_null(problem_at(d, "customer_id", 4));
	assert_int_equal(cJSON_GetArraySize(d), 7);
	cJSON_Delete(d);
}

static void
csv_import_checks_the_header(void **state)
{
	cJSON	*rows, *d;
	int	 n;

	assert_int_equal(import("supplier_id,customer_id,colour,"
	    "customer_id,\xff\n" "A,B,red,B,x\n", 1, &rows, &n, &d), -1);
	assert_string_equal(problem_at(d, "colour", 1), "unknown column");
	assert_string_equal(problem_at(d, "customer_id", 1),
	    "column given more than once");
	assert_string_equal(problem_at(d, "daily_sales", 1),
	    "column is missing");
	assert_string_equal(problem_at(d, "payment_terms_days", 1),
	    "column is missing");
	/* A name that is not text is not echoed. */
	assert_string_equal(problem_at(d, NULL, 1), "unknown column");
	assert_int_equal(cJSON_GetArraySize(d), 5);
	cJSON_Delete(d);

	assert_int_equal(import("", 1, &rows, &n, &d), -1);
	assert_string_equal(problem_at(d, NULL, 0),
	    "the file has no header row");
	cJSON_Delete(d);
	assert_int_equal(import(HEADER "\r\n\r\n", 1, &rows, &n, &d), -1);
	assert_string_equal(problem_at(d, NULL, 0), "the file holds no link");
	cJSON_Delete(d);
}

static void
ndjson_import(void **state)
{
	cJSON		*rows, *d;
	int		 n;

	assert_int_equal(import("{\"supplier_id\":\"A\",\"customer_id\":\"B\","
	    "\"daily_sales\":5,\"payment_terms_days\":6}\r\n\n  \n"
	    "{\"supplier_id\":\"B\",\"customer_id\":\"A\","
	    "\"daily_sales\":7,\"payment_terms_days\":8}", 0, &rows, &n, &d),
	    0);
	assert_int_equal(n, 2);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 1),
	    "line")->valueint, 4);
	cJSON_Delete(rows);
	cJSON_Delete(d);

	assert_int_equal(import("{\"supplier_id\":\"A\",\"customer_id\":\"B\","
	    "\"daily_sales\":5,\"payment_terms_days\":6}\n"
	    "[1]\n"
	    "{nope\n"
	    "{\"supplier_id\":\"A\",\"customer_id\":\"B\","
	    "\"daily_sales\":01,\"payment_terms_days\":6}\n"
	    "{\"supplier_id\":\"A\",\"customer_id\":\"B\","
	    "\"daily_sales\":1,\"payment_terms_days\":6,\"line\":9}\n"
	    "{\"supplier_id\":\"B\",\"customer_id\":\"A\","
	    "\"daily_sales\":1.0,\"payment_terms_days\":6}\n"
	    "{\"supplier_id\":\"A\",\"customer_id\":\"B\","
	    "\"daily_sales\":1,\"payment_terms_days\":6}\n", 0, &rows, &n,
	    &d), -1);
	assert_string_equal(problem_at(d, NULL, 2), "must be a JSON object");
	assert_string_equal(problem_at(d, NULL, 3), "is not valid JSON");
	assert_string_equal(problem_at(d, "daily_sales", 4),
	    "must be an integer");
	assert_string_equal(problem_at(d, "line", 5), "unknown field");
	assert_string_equal(problem_at(d, "daily_sales", 6),
	    "must be an integer");
	assert_string_equal(problem_at(d, "customer_id", 7),
	    "repeats the pair of line 1");
	assert_int_equal(cJSON_GetArraySize(d), 6);
	cJSON_Delete(d);
}

static void
store_rows_decode(void **state)
{
	static const char *const put[] = {
		"replaced", "T2-B", "T1-A", "200000", "30", "c", "u",
	};
	static const char *const none[] = {
		"no_customer", NULL, NULL, NULL, NULL, NULL, NULL,
	};
	struct store_link	 l;
	enum store_link_put	 o;
	struct db_rows		 r;
	const char		*field;
	int64_t			 created, updated;
	int			 i, line;

	db_rows_init(&r);
	db_rows_alloc(&r, 1, 7);
	for (i = 0; i < 7; i++)
		db_rows_set(&r, 0, i, put[i], strlen(put[i]));
	assert_int_equal(store_link_put_decode(&r, &o, &l), 0);
	assert_int_equal(o, STORE_LINK_REPLACED);
	assert_string_equal(l.supplier_id, "T2-B");
	assert_int_equal(l.daily_sales, 200000);
	assert_int_equal(l.payment_terms_days, 30);
	assert_string_equal(l.updated_at, "u");
	db_rows_set(&r, 0, 0, "gone", 4);
	assert_int_equal(store_link_put_decode(&r, &o, &l), -1);
	db_rows_cleanup(&r);
	db_rows_alloc(&r, 1, 7);
	db_rows_set(&r, 0, 0, none[0], strlen(none[0]));
	assert_int_equal(store_link_put_decode(&r, &o, &l), 0);
	assert_int_equal(o, STORE_LINK_NO_CUSTOMER);
	db_rows_cleanup(&r);

	db_rows_alloc(&r, 1, 1);
	db_rows_set(&r, 0, 0, "f", 1);
	assert_int_equal(store_link_delete_decode(&r), 0);
	db_rows_set(&r, 0, 0, "t", 1);
	assert_int_equal(store_link_delete_decode(&r), 1);
	db_rows_cleanup(&r);

	/* An import: the counts, or the ends that name nobody. */
	db_rows_alloc(&r, 1, 4);
	db_rows_set(&r, 0, 2, "3", 1);
	db_rows_set(&r, 0, 3, "4", 1);
	assert_int_equal(store_link_import_decode(&r, &created, &updated), 1);
	assert_int_equal(created, 3);
	assert_int_equal(updated, 4);
	db_rows_cleanup(&r);
	db_rows_alloc(&r, 2, 4);
	db_rows_set(&r, 0, 0, "7", 1);
	db_rows_set(&r, 0, 1, "supplier_id", 11);
	db_rows_set(&r, 1, 0, "9", 1);
	db_rows_set(&r, 1, 1, "customer_id", 11);
	assert_int_equal(store_link_import_decode(&r, &created, &updated), 0);
	assert_int_equal(store_link_import_unknown(&r, 1, &line, &field), 0);
	assert_int_equal(line, 9);
	assert_string_equal(field, "customer_id");
	assert_int_equal(store_link_import_unknown(&r, 2, &line, &field), -1);
	db_rows_cleanup(&r);

	/* A firm's list: a lone row without a link is a firm with none. */
	db_rows_alloc(&r, 2, 5);
	db_rows_set(&r, 0, 0, "T2-B", 4);
	db_rows_set(&r, 0, 1, "T1-A", 4);
	db_rows_set(&r, 0, 2, "Acme", 4);
	db_rows_set(&r, 0, 3, "5", 1);
	db_rows_set(&r, 0, 4, "6", 1);
	db_rows_set(&r, 1, 0, "T2-B", 4);
	assert_int_equal(store_link_of_decode(&r, 0, &l), 1);
	assert_string_equal(l.name, "Acme");
	assert_int_equal(l.payment_terms_days, 6);
	assert_null(l.created_at);
	assert_int_equal(store_link_of_decode(&r, 1, &l), 0);
	assert_int_equal(store_link_of_decode(&r, 2, &l), -1);
	db_rows_cleanup(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_takes_the_figures_only),
		cmocka_unit_test(a_link_names_two_firms),
		cmocka_unit_test(records_out),
		cmocka_unit_test(csv_import_of_good_lines),
		cmocka_unit_test(csv_import_reports_every_bad_line),
		cmocka_unit_test(csv_import_checks_the_header),
		cmocka_unit_test(ndjson_import),
		cmocka_unit_test(store_rows_decode),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
