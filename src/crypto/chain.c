/*
 * Hash chain step (see chain.h).
 */
#include <sodium.h>

#include "core/journal.h"
#include "crypto/chain.h"

/* The core's chain rules (journal_seal, journal_verify) take this hash. */
_Static_assert(CHAIN_HASH_LEN == JOURNAL_HASH_LEN, "one hash length");

void
chain_hash(const unsigned char *prev, const char *canonical, size_t len,
    unsigned char *out)
{
	crypto_generichash_state	st;

	crypto_generichash_init(&st, NULL, 0, CHAIN_HASH_LEN);
	crypto_generichash_update(&st, prev, CHAIN_HASH_LEN);
	crypto_generichash_update(&st, (const unsigned char *)canonical, len);
	crypto_generichash_final(&st, out, CHAIN_HASH_LEN);
}
