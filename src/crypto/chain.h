/*
 * The journal's hash chain: a hash over the previous hash and a
 * transaction's canonical bytes (src/core/journal.h), by the seal the
 * transaction names: BLAKE2b-256 for seal 1, SHA-256 for seal 2.
 */
#ifndef CHAIN_H
#define CHAIN_H

#include <stddef.h>

#define CHAIN_HASH_LEN	32

int	chain_hash(int, const unsigned char *, const char *, size_t,
	    unsigned char *);

#endif
