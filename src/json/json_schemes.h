/*
 * Scheme bodies: the create request in (every scheme field of the
 * liquidity model, validated by its rules), records out.
 */
#ifndef JSON_SCHEMES_H
#define JSON_SCHEMES_H

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "store/store_schemes.h"

int	 json_scheme_create_decode(const cJSON *, struct store_scheme *,
	    cJSON *);
void	 json_scheme_row(struct buf *, const struct store_scheme *);
int	 json_scheme_diff(const struct store_scheme *,
	    const struct store_scheme *, cJSON *);
cJSON	*json_scheme_encode(const struct store_scheme *);

#endif
