/*
 * API keys as clients send them: "tdo_" + a 16 hex digit public key id +
 * "_" + a 43 character base64url secret. Parsing is pure so that every
 * malformed form can be tested without a server.
 */
#ifndef TOKEN_H
#define TOKEN_H

#include <stddef.h>

#define TOKEN_PREFIX		"tdo_"
#define TOKEN_KID_LEN		16
#define TOKEN_SECRET_LEN	43
#define TOKEN_LEN		(4 + TOKEN_KID_LEN + 1 + TOKEN_SECRET_LEN)

struct token {
	char	kid[TOKEN_KID_LEN + 1];
	char	secret[TOKEN_SECRET_LEN + 1];
};

int	token_parse(const char *, struct token *);
int	token_parse_bearer(const char *, struct token *);
int	token_format(const char *, const char *, char *, size_t);

#endif
