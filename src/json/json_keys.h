/*
 * API key bodies: the create request in, key records out.
 */
#ifndef JSON_KEYS_H
#define JSON_KEYS_H

#include <cjson/cJSON.h>

#include "store/store.h"

#define JSON_KEY_LABEL_MAX	200

struct json_key_create {
	int		 role;
	const char	*supplier_id;
	const char	*label;
};

int	 json_key_create_decode(const cJSON *, struct json_key_create *,
	    cJSON *);
cJSON	*json_key_encode(const struct store_key *);

#endif
