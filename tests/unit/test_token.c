/*
 * API key strings and role names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/role.h"
#include "core/token.h"

#define KID	"0123456789abcdef"
#define SECRET	"AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde"

static void
token_round_trip(void **state)
{
	struct token	t;
	char		s[TOKEN_LEN + 1];

	assert_int_equal(strlen(SECRET), TOKEN_SECRET_LEN);
	assert_int_equal(token_format(KID, SECRET, s, sizeof(s)), 0);
	assert_string_equal(s, "tdo_" KID "_" SECRET);
	assert_int_equal(token_parse(s, &t), 0);
	assert_string_equal(t.kid, KID);
	assert_string_equal(t.secret, SECRET);
	assert_int_equal(token_format(KID, SECRET, s, sizeof(s) - 1), -1);
}

static void
token_rejects_malformed(void **state)
{
	struct token	t;

	assert_int_equal(token_parse(NULL, &t), -1);
	assert_int_equal(token_parse("", &t), -1);
	assert_int_equal(token_parse("tdo_" KID "_" SECRET "x", &t), -1);
	assert_int_equal(token_parse("tdo_" KID "-" SECRET, &t), -1);
	assert_int_equal(token_parse("TDO_" KID "_" SECRET, &t), -1);
	assert_int_equal(token_parse("tdo_0123456789ABCDEF_" SECRET, &t), -1);
	assert_int_equal(token_parse("tdo_" KID "_"
	    "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd=", &t), -1);
	assert_int_equal(token_parse("tdo_" KID "_"
	    "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abc d", &t), -1);
}

static void
bearer_header(void **state)
{
	struct token	t;

	assert_int_equal(token_parse_bearer("Bearer tdo_" KID "_" SECRET, &t),
	    0);
	assert_string_equal(t.kid, KID);
	assert_int_equal(token_parse_bearer("bearer  tdo_" KID "_" SECRET, &t),
	    0);
	assert_int_equal(token_parse_bearer("Basic tdo_" KID "_" SECRET, &t),
	    -1);
	assert_int_equal(token_parse_bearer("Bearer", &t), -1);
	assert_int_equal(token_parse_bearer(NULL, &t), -1);
}

static void
roles(void **state)
{
	assert_int_equal(role_parse("treasury"), ROLE_TREASURY);
	assert_int_equal(role_parse("supplier"), ROLE_SUPPLIER);
	assert_int_equal(role_parse("government"), ROLE_GOVERNMENT);
	assert_int_equal(role_parse("Treasury"), 0);
	assert_int_equal(role_parse(""), 0);
	assert_int_equal(role_parse(NULL), 0);
	assert_string_equal(role_name(ROLE_SUPPLIER), "supplier");
	assert_null(role_name(0));
	assert_null(role_name(ROLE_ALL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(token_round_trip),
		cmocka_unit_test(token_rejects_malformed),
		cmocka_unit_test(bearer_header),
		cmocka_unit_test(roles),
	};

	return (cmocka_run_group_tests_name("token", tests, NULL, NULL));
}
