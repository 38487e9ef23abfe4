/*
 * Facility sizing requests (src/json/json_sizing.c): the decoder of POST
 * /v1/facility-sizing. It keeps the details contract; a request that
 * decodes names a positive run id, a scheme by a valid id, an outage
 * within the model's horizon, steps within the grid's bounds (20 when
 * absent), and a target of at least 0 exactly when one was given.
 */
#include "core/model.h"
#include "json/json.h"
#include "json/json_sizing.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_sizing_request	 r;
	const cJSON			*m;
	cJSON				*j, *d;
	int				 rc;

	if (json_parse_object((const char *)data, size, &j) != JSON_OK)
		return (0);
	d = json_details_new();
	rc = json_sizing_request_decode(j, &r, d);
	fuzz_check_details(rc, d, 0);
	cJSON_Delete(d);
	if (rc == 0) {
		FUZZ_CHECK(r.run_id >= 1);
		FUZZ_CHECK(r.scheme_id != NULL && json_is_id(r.scheme_id));
		FUZZ_CHECK(r.outage_days >= 0 &&
		    r.outage_days <= MODEL_HORIZON_MAX);
		FUZZ_CHECK(r.steps >= 1 && r.steps <= MODEL_SIZING_STEPS_MAX);
		if (cJSON_GetObjectItemCaseSensitive(j, "steps") == NULL)
			FUZZ_CHECK(r.steps == MODEL_SIZING_STEPS_DEFAULT);
		m = cJSON_GetObjectItemCaseSensitive(j,
		    "target_suppliers_below");
		FUZZ_CHECK(r.has_target == (m != NULL && !cJSON_IsNull(m)));
		FUZZ_CHECK(!r.has_target || r.target >= 0);
	}
	cJSON_Delete(j);
	return (0);
}
