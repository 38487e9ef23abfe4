/*
 * Audit record codec (see json_audit.h).
 */
#include "json/json.h"
#include "json/json_audit.h"

cJSON *
json_audit_encode(const struct store_audit *a)
{
	cJSON	*j;

	j = cJSON_CreateObject();
	json_add_int64(j, "seq", a->seq);
	json_add_string_or_null(j, "time", a->at);
	json_add_string_or_null(j, "key_id", a->key_id);
	json_add_string_or_null(j, "role", a->role);
	json_add_string_or_null(j, "request_id", a->request_id);
	json_add_string_or_null(j, "method", a->method);
	json_add_string_or_null(j, "path", a->path);
	json_add_string_or_null(j, "resource", a->resource);
	json_add_int64(j, "outcome", a->outcome);
	return (j);
}
