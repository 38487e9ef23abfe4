/*
 * Parsing and formatting of API key strings (see token.h). Only the shape
 * is checked here; whether a key exists is for the store to say.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/token.h"

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

int
token_parse(const char *s, struct token *t)
{
	size_t	i;

	if (s == NULL || strlen(s) != TOKEN_LEN)
		return (-1);
	if (strncmp(s, TOKEN_PREFIX, 4) != 0 || s[4 + TOKEN_KID_LEN] != '_')
		return (-1);
	for (i = 0; i < TOKEN_KID_LEN; i++) {
		if (!is_hex((unsigned char)s[4 + i]))
			return (-1);
	}
	for (i = 0; i < TOKEN_SECRET_LEN; i++) {
		if (!is_b64url((unsigned char)s[4 + TOKEN_KID_LEN + 1 + i]))
			return (-1);
	}
	memcpy(t->kid, s + 4, TOKEN_KID_LEN);
	t->kid[TOKEN_KID_LEN] = '\0';
	memcpy(t->secret, s + 4 + TOKEN_KID_LEN + 1, TOKEN_SECRET_LEN);
	t->secret[TOKEN_SECRET_LEN] = '\0';
	return (0);
}

/* An Authorization header value: the scheme is case-insensitive. */
int
token_parse_bearer(const char *h, struct token *t)
{
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return (-1);
	h += 7;
	while (*h == ' ')
		h++;
	return (token_parse(h, t));
}

int
token_format(const char *kid, const char *secret, char *out, size_t len)
{
	int	n;

	n = snprintf(out, len, "%s%s_%s", TOKEN_PREFIX, kid, secret);
	return (n < 0 || (size_t)n >= len ? -1 : 0);
}
