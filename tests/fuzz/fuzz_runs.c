/*
 * Stress run requests (src/json/json_runs.c): the decoder of POST
 * /v1/stress-runs. It keeps the details contract; a request that decodes
 * names a scenario by a valid id, a scheme by a valid id or not at all
 * (null or absent), and an outage within the model's horizon.
 */
#include "core/model.h"
#include "json/json.h"
#include "json/json_runs.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_run_request	 r;
	const cJSON		*m;
	cJSON			*j, *d;
	int			 rc;

	if (json_parse_object((const char *)data, size, &j) != JSON_OK)
		return (0);
	d = json_details_new();
	rc = json_run_request_decode(j, &r, d);
	fuzz_check_details(rc, d, 0);
	cJSON_Delete(d);
	if (rc == 0) {
		FUZZ_CHECK(r.scenario_id != NULL && json_is_id(r.scenario_id));
		m = cJSON_GetObjectItemCaseSensitive(j, "scheme_id");
		if (m == NULL || cJSON_IsNull(m))
			FUZZ_CHECK(r.scheme_id == NULL);
		else
			FUZZ_CHECK(r.scheme_id != NULL &&
			    json_is_id(r.scheme_id));
		FUZZ_CHECK(r.max_outage_days >= 0 &&
		    r.max_outage_days <= MODEL_HORIZON_MAX);
	}
	cJSON_Delete(j);
	return (0);
}
