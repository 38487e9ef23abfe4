/*
 * API key codecs (see json_keys.h).
 */
#include <string.h>

#include "core/role.h"
#include "json/json.h"
#include "json/json_keys.h"

static const char *const create_fields[] = {
	"role", "supplier_id", "label", NULL
};

/* 0 when valid; otherwise details say why. */
int
json_key_create_decode(const cJSON *j, struct json_key_create *k,
    cJSON *details)
{
	const char	*role;
	int		 r;

	memset(k, 0, sizeof(*k));
	k->label = "";
	json_check_fields(j, create_fields, details);

	r = json_get_string(j, "role", 1, 32, &role, details);
	if (r == 1 && (k->role = role_parse(role)) == 0) {
		json_detail(details, "role", 0,
		    "must be treasury, supplier or government");
	}
	r = json_get_id(j, "supplier_id", 0, &k->supplier_id, details);
	if (k->role == ROLE_SUPPLIER && r == 0) {
		json_detail(details, "supplier_id", 0,
		    "is required for a supplier key");
	} else if (k->role != 0 && k->role != ROLE_SUPPLIER && r == 1) {
		json_detail(details, "supplier_id", 0,
		    "is only allowed for a supplier key");
	}
	if (json_get_string(j, "label", 0, JSON_KEY_LABEL_MAX * 4, &k->label,
	    details) == 1 && k->label[0] != '\0')
		json_text_check("label", k->label, JSON_KEY_LABEL_MAX, details);

	return (cJSON_GetArraySize(details) == 0 ? 0 : -1);
}

cJSON *
json_key_encode(const struct store_key *k)
{
	cJSON	*j;

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "id", k->id);
	cJSON_AddStringToObject(j, "role", k->role);
	json_add_string_or_null(j, "supplier_id", k->supplier_id);
	json_add_string_or_null(j, "label", k->label);
	json_add_string_or_null(j, "created_at", k->created_at);
	json_add_string_or_null(j, "revoked_at", k->revoked_at);
	return (j);
}
