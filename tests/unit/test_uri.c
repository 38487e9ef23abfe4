/*
 * Query strings and path ids: what clients send, taken apart exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/uri.h"

static void
query_parses_and_decodes(void **state)
{
	struct uri_query	q;

	assert_int_equal(uri_query_parse("limit=10&cursor=a%2Fb&x=a+b&e=&f",
	    &q), 0);
	assert_int_equal(q.n, 5);
	assert_string_equal(uri_query_get(&q, "limit"), "10");
	assert_string_equal(uri_query_get(&q, "cursor"), "a/b");
	assert_string_equal(uri_query_get(&q, "x"), "a b");
	assert_string_equal(uri_query_get(&q, "e"), "");
	assert_string_equal(uri_query_get(&q, "f"), "");
	assert_null(uri_query_get(&q, "g"));
	uri_query_cleanup(&q);
}

static void
query_empty_and_null(void **state)
{
	struct uri_query	q;

	assert_int_equal(uri_query_parse(NULL, &q), 0);
	assert_int_equal(q.n, 0);
	assert_int_equal(uri_query_parse("", &q), 0);
	assert_int_equal(q.n, 0);
	assert_int_equal(uri_query_parse("&&a=1&", &q), 0);
	assert_int_equal(q.n, 1);
	uri_query_cleanup(&q);
}

static void
query_rejects_bad_input(void **state)
{
	struct uri_query	q;
	char			many[256];
	int			i, off;

	assert_int_equal(uri_query_parse("a=1&a=2", &q), -1);
	assert_int_equal(uri_query_parse("a=%zz", &q), -1);
	assert_int_equal(uri_query_parse("a=%4", &q), -1);
	assert_int_equal(uri_query_parse("a=%", &q), -1);
	assert_int_equal(uri_query_parse("a=%00", &q), -1);
	for (i = 0, off = 0; i < URI_MAXPARAMS + 1; i++)
		off += snprintf(many + off, sizeof(many) - off, "p%d=1&", i);
	assert_int_equal(uri_query_parse(many, &q), -1);
}

static void
query_check_names_the_unknown(void **state)
{
	static const char *const allowed[] = { "limit", "cursor", NULL };
	struct uri_query	 q;
	const char		*bad = NULL;

	assert_int_equal(uri_query_parse("limit=1&cursor=x", &q), 0);
	assert_int_equal(uri_query_check(&q, allowed, &bad), 0);
	uri_query_cleanup(&q);
	assert_int_equal(uri_query_parse("limit=1&colour=red", &q), 0);
	assert_int_equal(uri_query_check(&q, allowed, &bad), -1);
	assert_string_equal(bad, "colour");
	assert_int_equal(uri_query_check(&q, NULL, &bad), -1);
	uri_query_cleanup(&q);
}

static void
path_ids(void **state)
{
	char	id[32];

	assert_int_equal(uri_path_id("/v1/invoices/INV-1/approve",
	    "/v1/invoices/", "/approve", id, sizeof(id)), 0);
	assert_string_equal(id, "INV-1");
	assert_int_equal(uri_path_id("/v1/api-keys/abc", "/v1/api-keys/",
	    NULL, id, sizeof(id)), 0);
	assert_string_equal(id, "abc");
	assert_int_equal(uri_path_id("/v1/suppliers/SUP%20A", "/v1/suppliers/",
	    NULL, id, sizeof(id)), 0);
	assert_string_equal(id, "SUP A");
	/* '+' is literal in a path. */
	assert_int_equal(uri_path_id("/v1/suppliers/A+B", "/v1/suppliers/",
	    NULL, id, sizeof(id)), 0);
	assert_string_equal(id, "A+B");
}

static void
path_ids_rejected(void **state)
{
	char	id[8];

	assert_int_equal(uri_path_id("/v1/api-keys/", "/v1/api-keys/", NULL,
	    id, sizeof(id)), -1);
	assert_int_equal(uri_path_id("/v1/api-keys/a/b", "/v1/api-keys/",
	    NULL, id, sizeof(id)), -1);
	assert_int_equal(uri_path_id("/v1/api-keys/a%2Fb", "/v1/api-keys/",
	    NULL, id, sizeof(id)), -1);
	assert_int_equal(uri_path_id("/v1/api-keys/a%00", "/v1/api-keys/",
	    NULL, id, sizeof(id)), -1);
	assert_int_equal(uri_path_id("/v1/invoices/x/pay", "/v1/invoices/",
	    "/approve", id, sizeof(id)), -1);
	assert_int_equal(uri_path_id("/v1/invoices//approve", "/v1/invoices/",
	    "/approve", id, sizeof(id)), -1);
	assert_int_equal(uri_path_id("/v2/api-keys/a", "/v1/api-keys/", NULL,
	    id, sizeof(id)), -1);
	/* Too long for the buffer. */
	assert_int_equal(uri_path_id("/v1/api-keys/12345678", "/v1/api-keys/",
	    NULL, id, sizeof(id)), -1);
	assert_int_equal(uri_path_id("/v1/api-keys/1234567", "/v1/api-keys/",
	    NULL, id, sizeof(id)), 0);
}

static void
query_uint_bounds(void **state)
{
	int64_t	v = -7;

	assert_int_equal(uri_query_uint("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(uri_query_uint("10", 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(uri_query_uint("007", 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(uri_query_uint("999999999", 999999999, &v), 0);
	assert_int_equal(v, 999999999);
	assert_int_equal(uri_query_uint("9223372036854775807", INT64_MAX,
	    &v), 0);
	assert_true(v == INT64_MAX);

	v = -7;
	assert_int_equal(uri_query_uint("11", 10, &v), -1);
	assert_int_equal(uri_query_uint("7", 5, &v), -1);
	assert_int_equal(uri_query_uint("1000000000", 999999999, &v), -1);
	assert_int_equal(uri_query_uint("9223372036854775808", INT64_MAX,
	    &v), -1);
	assert_int_equal(uri_query_uint("99999999999999999999", INT64_MAX,
	    &v), -1);
	assert_int_equal(uri_query_uint("", 10, &v), -1);
	assert_int_equal(uri_query_uint(NULL, 10, &v), -1);
	assert_int_equal(uri_query_uint("-1", 10, &v), -1);
	assert_int_equal(uri_query_uint("+1", 10, &v), -1);
	assert_int_equal(uri_query_uint(" 1", 10, &v), -1);
	assert_int_equal(uri_query_uint("1 ", 10, &v), -1);
	assert_int_equal(uri_query_uint("1.0", 10, &v), -1);
	assert_int_equal(uri_query_uint("0x1", 10, &v), -1);
	/* A refused value leaves *v as it was. */
	assert_int_equal(v, -7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(query_parses_and_decodes),
		cmocka_unit_test(query_empty_and_null),
		cmocka_unit_test(query_rejects_bad_input),
		cmocka_unit_test(query_check_names_the_unknown),
		cmocka_unit_test(path_ids),
		cmocka_unit_test(path_ids_rejected),
		cmocka_unit_test(query_uint_bounds),
	};

	return (cmocka_run_group_tests_name("uri", tests, NULL, NULL));
}
