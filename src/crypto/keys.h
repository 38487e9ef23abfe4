/*
 * Server secrets and API key material, on libsodium. The server key (a
 * BLAKE2b key) lives in DATA_DIR/keys/server.key, created on first use
 * with mode 0600; API key secrets are stored only as its keyed hash.
 */
#ifndef KEYS_H
#define KEYS_H

#include <stddef.h>

#include "core/token.h"

#define KEYS_SERVER_LEN		32
#define KEYS_HASH_LEN		32
#define KEYS_SIGN_SEED_LEN	32
#define KEYS_SIGN_PUBLIC_LEN	32
#define KEYS_SIGN_SECRET_LEN	64
#define KEYS_SIGNATURE_LEN	64

int	keys_init(void);
int	keys_file(const char *, const char *, unsigned char *, size_t,
	    char *, size_t);
void	keys_token_new(struct token *);
void	keys_secret_hash(const unsigned char *, const char *,
	    unsigned char *);
int	keys_hash_equal(const unsigned char *, const unsigned char *);
void	keys_sign_keypair(const unsigned char *, unsigned char *,
	    unsigned char *);
void	keys_sign(const unsigned char *, const void *, size_t,
	    unsigned char *);
int	keys_hex_decode(const char *, unsigned char *, size_t);
void	keys_hex_encode(const unsigned char *, size_t, char *);

#endif
