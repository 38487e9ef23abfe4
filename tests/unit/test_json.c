/*
 * The JSON helpers every codec uses, and the API key codec: strict
 * parsing, exact integers, and one detail per problem.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/role.h"
#include "json/json.h"
#include "json/json_keys.h"

static cJSON *
parse(const char *s)
{
	cJSON	*j;

	assert_int_equal(json_parse_object(s, strlen(s), &j), JSON_OK);
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
	};

	return (cmocka_run_group_tests_name("json", tests, NULL, NULL));
}
