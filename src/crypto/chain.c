/*
 * Hash chain step (see chain.h).
 */
#include <sodium.h>

#include "core/journal.h"
#include "crypto/chain.h"

/* The core's chain rules (journal_seal, journal_verify) take this hash. */
_Static_assert(CHAIN_HASH_LEN == JOURNAL_HASH_LEN, "one hash length");
_Static_assert(crypto_hash_sha256_BYTES == CHAIN_HASH_LEN, "SHA-256");

int
chain_hash(int seal, const unsigned char *prev, const char *canonical,
    size_t len, unsigned char *out)
{
	crypto_generichash_state	b2;
	crypto_hash_sha256_state	s2;

	switch (seal) {
	case JOURNAL_SEAL_V1:
		crypto_generichash_init(&b2, NULL, 0, CHAIN_HASH_LEN);
		crypto_generichash_update(&b2, prev, CHAIN_HASH_LEN);
		crypto_generichash_update(&b2,
		    (const unsigned char *)canonical, len);
		crypto_generichash_final(&b2, out, CHAIN_HASH_LEN);
		return (0);
	case JOURNAL_SEAL_V2:
		/* What sha256(prev || bytes) gives in the database. */
		crypto_hash_sha256_init(&s2);
		crypto_hash_sha256_update(&s2, prev, CHAIN_HASH_LEN);
		crypto_hash_sha256_update(&s2,
		    (const unsigned char *)canonical, len);
		crypto_hash_sha256_final(&s2, out);
		return (0);
	default:
		return (-1);
	}
}
