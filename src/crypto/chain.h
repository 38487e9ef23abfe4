/*
 * The journal's hash chain: BLAKE2b-256 over the previous hash and a
 * transaction's canonical bytes (src/core/journal.h).
 */
#ifndef CHAIN_H
#define CHAIN_H

#include <stddef.h>

#define CHAIN_HASH_LEN	32

void	chain_hash(const unsigned char *, const char *, size_t,
	    unsigned char *);

#endif
