/*
 * A stress run's inputs_digest: the hex BLAKE2b-256 (crypto_generichash,
 * no key) of its input's canonical encoding (src/core/run_digest.h).
 */
#ifndef DIGEST_H
#define DIGEST_H

#include "core/run_digest.h"

void	digest_run_input(const struct run_digest_input *, char *);

#endif
