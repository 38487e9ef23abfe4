/*
 * Audit records out.
 */
#ifndef JSON_AUDIT_H
#define JSON_AUDIT_H

#include <cjson/cJSON.h>

#include "store/store.h"

cJSON	*json_audit_encode(const struct store_audit *);

#endif
