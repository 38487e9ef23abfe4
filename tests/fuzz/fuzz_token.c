/*
 * API key strings (src/core/token.c): token_parse_bearer reads every
 * Authorization header. A key that parses is exactly the text that
 * token_format makes of its parts, and token_format never writes past
 * the buffer it is given.
 */
#include <strings.h>

#include "core/token.h"
#include "fuzz.h"

static int
is_hex(int c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
}

static int
is_b64url(int c)
{
	return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_');
}

static void
check_token(const char *s, const struct token *t)
{
	char	*out;
	size_t	 i;

	FUZZ_CHECK(strlen(t->kid) == TOKEN_KID_LEN);
	FUZZ_CHECK(strlen(t->secret) == TOKEN_SECRET_LEN);
	for (i = 0; i < TOKEN_KID_LEN; i++)
		FUZZ_CHECK(is_hex((unsigned char)t->kid[i]));
	for (i = 0; i < TOKEN_SECRET_LEN; i++)
		FUZZ_CHECK(is_b64url((unsigned char)t->secret[i]));

	/* Exactly the room it needs, on the heap so ASan sees one more. */
	if ((out = malloc(TOKEN_LEN + 1)) == NULL)
		abort();
	FUZZ_CHECK(token_format(t->kid, t->secret, out, TOKEN_LEN + 1) == 0);
	FUZZ_CHECK(strcmp(out, s) == 0);
	FUZZ_CHECK(token_format(t->kid, t->secret, out, TOKEN_LEN) == -1);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct token	 t;
	const char	*rest;
	char		*s;

	s = fuzz_cstr(data, size);
	if (token_parse(s, &t) == 0)
		check_token(s, &t);

	if (token_parse_bearer(s, &t) == 0) {
		FUZZ_CHECK(strncasecmp(s, "Bearer ", 7) == 0);
		for (rest = s + 7; *rest == ' '; rest++)
			;
		check_token(rest, &t);
	} else if (strncasecmp(s, "Bearer ", 7) == 0) {
		for (rest = s + 7; *rest == ' '; rest++)
			;
		FUZZ_CHECK(token_parse(rest, &t) == -1);
	}
	free(s);
	return (0);
}
