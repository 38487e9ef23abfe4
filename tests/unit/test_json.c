/*
 * The JSON helpers every codec uses, and the API key codec: strict
 * parsing, exact integers, and one detail per problem.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/role.h"
#include "json/json.h"
#include "json/json_keys.h"

/*
 * cJSON's own parse: the field readers are held to their rules also for
 * what json_parse_object refuses before them (1.5, 1e3), since the
 * command-line tool's input reaches them through cJSON alone.
 */
static cJSON *
parse(const char *s)
{
	cJSON	*j;

	assert_non_null(j = cJSON_ParseWithLength(s, strlen(s)));
	return (j);
}

static int
parse_text(const char *s, cJSON **j)
{
	return (json_parse_object(s, strlen(s), j));
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

static void
parse_is_strict(void **state)
{
	cJSON	*j;

	assert_int_equal(json_parse_object("{}", 2, &j), JSON_OK);
	cJSON_Delete(j);
	assert_int_equal(json_parse_object(" {\"a\":1} \n", 10, &j), JSON_OK);
	cJSON_Delete(j);
	assert_int_equal(json_parse_object("", 0, &j), JSON_MALFORMED);
	assert_int_equal(json_parse_object("{} {}", 5, &j), JSON_MALFORMED);
	assert_int_equal(json_parse_object("{\"a\":}", 6, &j), JSON_MALFORMED);
	assert_int_equal(json_parse_object("{}\0", 3, &j), JSON_MALFORMED);
	assert_int_equal(json_parse_object("[1]", 3, &j), JSON_NOT_OBJECT);
	assert_int_equal(json_parse_object("12", 2, &j), JSON_NOT_OBJECT);
	assert_null(j);
}

static void
integers_are_exact_or_refused(void **state)
{
	cJSON	*j, *d;
	int64_t	 v;

	j = parse("{\"a\":9007199254740991,\"b\":9007199254740992,"
	    "\"c\":1.5,\"d\":-9007199254740991,\"e\":\"1\",\"f\":1e3,"
	    "\"g\":-1}");
	d = json_details_new();
	assert_int_equal(json_get_int64(j, "a", 1, 0, INT64_MAX, &v, d), 1);
	assert_int_equal(v, 9007199254740991LL);
	assert_int_equal(json_get_int64(j, "b", 1, 0, INT64_MAX, &v, d), -1);
	assert_int_equal(json_get_int64(j, "c", 1, 0, INT64_MAX, &v, d), -1);
	assert_string_equal(problem(d, "c"), "must be an integer");
	assert_int_equal(json_get_int64(j, "d", 1, INT64_MIN, 0, &v, d), 1);
	assert_int_equal(v, -9007199254740991LL);
	assert_int_equal(json_get_int64(j, "e", 1, 0, 10, &v, d), -1);
	assert_int_equal(json_get_int64(j, "f", 1, 0, 1000, &v, d), 1);
	assert_int_equal(v, 1000);
	assert_int_equal(json_get_int64(j, "g", 1, 0, 10, &v, d), -1);
	assert_string_equal(problem(d, "g"), "must be between 0 and 10");
	assert_int_equal(json_get_int64(j, "z", 0, 0, 10, &v, d), 0);
	assert_int_equal(json_get_int64(j, "y", 1, 0, 10, &v, d), 0);
	assert_string_equal(problem(d, "y"), "is required");
	assert_int_equal(cJSON_GetArraySize(d), 5);
	cJSON_Delete(d);
	cJSON_Delete(j);
}

static void
int64_output_is_exact(void **state)
{
	cJSON	*j;
	char	*s;

	j = cJSON_CreateObject();
	json_add_int64(j, "max", INT64_MAX);
	json_add_int64(j, "min", INT64_MIN);
	json_add_int64(j, "odd", 9007199254740993LL);
	s = json_print(j, NULL);
	assert_string_equal(s, "{\"max\":9223372036854775807,"
	    "\"min\":-9223372036854775808,\"odd\":9007199254740993}");
	free(s);
	cJSON_Delete(j);
}

static void
unknown_and_repeated_fields(void **state)
{
	static const char *const allowed[] = { "a", "b", NULL };
	cJSON	*j, *d;

	j = parse("{\"a\":1,\"c\":2,\"a\":3,\"d\":{}}");
	d = json_details_new();
	assert_int_equal(json_check_fields(j, allowed, d), 3);
	assert_string_equal(problem(d, "c"), "unknown field");
	assert_string_equal(problem(d, "d"), "unknown field");
	assert_string_equal(problem(d, "a"), "field given more than once");
	cJSON_Delete(d);
	cJSON_Delete(j);
}

static void
error_body_shape(void **state)
{
	cJSON	*d, *j;
	char	*s;
	size_t	 len;

	d = json_details_new();
	json_detail(d, "amount", 3, "must be %s", "positive");
	s = json_error_body("validation_failed", "bad", d, &len);
	assert_string_equal(s, "{\"error\":{\"code\":\"validation_failed\","
	    "\"message\":\"bad\",\"details\":[{\"field\":\"amount\","
	    "\"line\":3,\"problem\":\"must be positive\"}]}}");
	assert_int_equal(len, strlen(s));
	free(s);
	s = json_error_body("not_found", "no", NULL, NULL);
	j = cJSON_Parse(s);
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(j, "error"), "details")));
	cJSON_Delete(j);
	free(s);
	cJSON_Delete(d);
}

static void
key_create_codec(void **state)
{
	struct json_key_create	 k;
	cJSON			*j, *d;

	j = parse("{\"role\":\"supplier\",\"supplier_id\":\"SUP-1\","
	    "\"label\":\"ops\"}");
	d = json_details_new();
	assert_int_equal(json_key_create_decode(j, &k, d), 0);
	assert_int_equal(k.role, ROLE_SUPPLIER);
	assert_string_equal(k.supplier_id, "SUP-1");
	assert_string_equal(k.label, "ops");
	cJSON_Delete(d);
	cJSON_Delete(j);

	j = parse("{\"role\":\"treasury\"}");
	d = json_details_new();
	assert_int_equal(json_key_create_decode(j, &k, d), 0);
	assert_null(k.supplier_id);
	assert_string_equal(k.label, "");
	cJSON_Delete(d);
	cJSON_Delete(j);

	j = parse("{\"role\":\"government\",\"supplier_id\":\"\","
	    "\"x\":1}");
	d = json_details_new();
	assert_int_equal(json_key_create_decode(j, &k, d), -1);
	assert_non_null(problem(d, "x"));
	assert_non_null(problem(d, "supplier_id"));
	cJSON_Delete(d);
	cJSON_Delete(j);

	j = parse("{}");
	d = json_details_new();
	assert_int_equal(json_key_create_decode(j, &k, d), -1);
	assert_string_equal(problem(d, "role"), "is required");
	cJSON_Delete(d);
	cJSON_Delete(j);
}

/*
 * Numbers are integer literals and text holds no U+0000, which cJSON
 * alone would let through: a number written otherwise is refused as not
 * an integer by the field's reader, with the body's other problems; a
 * U+0000 refuses the whole body.
 */
static void
strict_numbers_and_text(void **state)
{
	static const struct {
		const char	*text;
		int		 whole;		/* a's reader takes it */
	} cases[] = {
		{ "{\"a\":1}", 1 },
		{ "{\"a\":0}", 1 },
		{ "{\"a\":-7}", 1 },
		{ "{\"s\":\"01 1e3\",\"x\":[1.5,2],\"a\":12}", 1 },
		{ "{\"a\":01}", 0 },
		{ "{\"a\":-01}", 0 },
		{ "{\"a\":-0}", 0 },
		{ "{\"a\":1.0}", 0 },
		{ "{\"a\":1.}", 0 },
		{ "{\"a\":1.9999999999999999}", 0 },
		{ "{\"a\":1e3}", 0 },
		{ "{\"a\":1E3}", 0 },
		{ "{\"x\":{\"y\":[3,4e0]},\"a\":5e-0}", 0 },
	};
	cJSON	*j, *d;
	int64_t	 v;
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(json_parse_object(cases[i].text,
		    strlen(cases[i].text), &j), JSON_OK);
		d = json_details_new();
		assert_int_equal(json_get_int64(j, "a", 1, -100, 100000, &v,
		    d), cases[i].whole ? 1 : -1);
		if (!cases[i].whole)
			assert_string_equal(problem(d, "a"),
			    "must be an integer");
		cJSON_Delete(d);
		cJSON_Delete(j);
	}
	/* The numbers before a are counted in order, nested ones too. */
	assert_int_equal(parse_text("{\"x\":[1.5,{\"y\":2}],\"a\":3}", &j), JSON_OK);
	d = json_details_new();
	assert_int_equal(json_get_int64(j, "a", 1, 0, 9, &v, d), 1);
	assert_int_equal(v, 3);
	cJSON_Delete(d);
	cJSON_Delete(j);

	assert_int_equal(parse_text("{\"a\":\"abc\\u0000def\"}", &j), JSON_NUL_TEXT);
	assert_null(j);
	assert_int_equal(parse_text("{\"X\\u0000Y\":1}", &j),
	    JSON_NUL_TEXT);
	assert_int_equal(parse_text("{\"a\":\"\\\\u0000\"}", &j), JSON_OK);
	cJSON_Delete(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_is_strict),
		cmocka_unit_test(integers_are_exact_or_refused),
		cmocka_unit_test(int64_output_is_exact),
		cmocka_unit_test(unknown_and_repeated_fields),
		cmocka_unit_test(error_body_shape),
		cmocka_unit_test(key_create_codec),
		cmocka_unit_test(strict_numbers_and_text),
	};

	return (cmocka_run_group_tests_name("json", tests, NULL, NULL));
}
