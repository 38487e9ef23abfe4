/*
 * API key requests (src/json/json_keys.c): the decoder of POST
 * /v1/api-keys. It keeps the details contract; a key that decodes has
 * one of the three roles, a supplier id exactly when it is a supplier's
 * key, and a label that is empty or valid text.
 */
#include "core/role.h"
#include "json/json.h"
#include "json/json_keys.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_key_create	 k;
	cJSON			*j, *d;
	int			 rc;

	if (json_parse_object((const char *)data, size, &j) != JSON_OK)
		return (0);
	d = json_details_new();
	rc = json_key_create_decode(j, &k, d);
	fuzz_check_details(rc, d, 0);
	if (rc == 0) {
		FUZZ_CHECK(k.role == ROLE_TREASURY || k.role == ROLE_SUPPLIER ||
		    k.role == ROLE_GOVERNMENT);
		FUZZ_CHECK(role_name(k.role) != NULL &&
		    role_parse(role_name(k.role)) == k.role);
		FUZZ_CHECK((k.role == ROLE_SUPPLIER) == (k.supplier_id != NULL));
		FUZZ_CHECK(k.supplier_id == NULL || json_is_id(k.supplier_id));
		FUZZ_CHECK(k.label != NULL);
		FUZZ_CHECK(k.label[0] == '\0' || json_text_check("label",
		    k.label, JSON_KEY_LABEL_MAX, d) == 0);
	}
	cJSON_Delete(d);
	cJSON_Delete(j);
	return (0);
}
