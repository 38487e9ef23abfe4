/*
 * inputs_digest (see digest.h): the core writes the bytes, a block at a
 * time, and they are hashed as they come.
 */
#include <sodium.h>

#include "crypto/digest.h"

static void
update(void *st, const void *p, size_t len)
{
	crypto_generichash_update(st, p, len);
}

/* hex: RUN_DIGEST_HEX bytes. */
void
digest_run_input(const struct run_digest_input *d, char *hex)
{
	crypto_generichash_state	st;
	unsigned char			h[crypto_generichash_BYTES];

	_Static_assert(sizeof(h) * 2 + 1 == RUN_DIGEST_HEX, "hex length");
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	run_digest_encode(d, update, &st);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(hex, RUN_DIGEST_HEX, h, sizeof(h));
}
