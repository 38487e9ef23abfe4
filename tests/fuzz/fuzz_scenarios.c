/*
 * Scenario bodies (src/json/json_scenarios.c): the decoder of POST
 * /v1/scenarios, announcements and all. It keeps the details contract;
 * a scenario that decodes keeps the model's rules (dates, a horizon of 1
 * to 730 days that holds the freeze and every restart, ramps and counts
 * within their arrays, outage probabilities of distinct lengths within
 * the horizon summing to 10000), and the jsonb row written for the
 * database decodes to the same scenario.
 */
#include "core/buf.h"
#include "core/date.h"
#include "json/json.h"
#include "json/json_scenarios.h"
#include "fuzz.h"

static void
check_scenario(const struct store_scenario *s)
{
	const struct store_announcement	*a;
	int32_t				 start, on, restart;
	int64_t				 sum = 0;
	size_t				 k, m;
	int				 i;

	FUZZ_CHECK(s->id != NULL && json_is_id(s->id));
	FUZZ_CHECK(s->name != NULL);
	FUZZ_CHECK(s->start_date != NULL && date_parse(s->start_date,
	    &start) == 0);
	FUZZ_CHECK(s->horizon_days >= 1 && s->horizon_days <= 730);
	FUZZ_CHECK(s->nramp >= 0 && s->nramp <= STORE_SCENARIO_RAMP_MAX);
	for (i = 0; i < s->nramp; i++)
		FUZZ_CHECK(s->ramp_bps[i] >= 0 && s->ramp_bps[i] <= 10000);
	FUZZ_CHECK(s->payment_freeze_days >= 0 &&
	    s->payment_freeze_days <= s->horizon_days);
	FUZZ_CHECK(s->fixed_cost_relief_bps >= 0 &&
	    s->fixed_cost_relief_bps <= 10000);
	FUZZ_CHECK(s->nann >= 0 && s->nann <= STORE_SCENARIO_ANN_MAX);
	for (i = 0; i < s->nann; i++) {
		a = &s->ann[i];
		FUZZ_CHECK(a->announced_on != NULL &&
		    date_parse(a->announced_on, &on) == 0);
		FUZZ_CHECK(a->restart_date != NULL &&
		    date_parse(a->restart_date, &restart) == 0);
		FUZZ_CHECK(restart >= start && restart - start <=
		    s->horizon_days);
		FUZZ_CHECK(a->note != NULL);
	}
	FUZZ_CHECK(s->nprob <= STORE_SCENARIO_PROB_MAX);
	for (k = 0; k < s->nprob; k++) {
		FUZZ_CHECK(s->prob[k].outage_days >= 0 &&
		    s->prob[k].outage_days <= s->horizon_days);
		FUZZ_CHECK(s->prob[k].probability_bps >= 1 &&
		    s->prob[k].probability_bps <= 10000);
		for (m = 0; m < k; m++)
			FUZZ_CHECK(s->prob[m].outage_days !=
			    s->prob[k].outage_days);
		sum += s->prob[k].probability_bps;
	}
	FUZZ_CHECK(s->nprob == 0 || sum == 10000);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_scenario	*s, *again;
	struct buf		 b;
	cJSON			*j, *j2, *d;
	int			 rc;

	if (json_parse_object((const char *)data, size, &j) != JSON_OK)
		return (0);
	/* On the heap, so that ASan sees a write past the arrays. */
	if ((s = malloc(sizeof(*s))) == NULL ||
	    (again = malloc(sizeof(*again))) == NULL)
		abort();
	d = json_details_new();
	rc = json_scenario_create_decode(j, s, d);
	fuzz_check_details(rc, d, 0);
	cJSON_Delete(d);
	if (rc == 0) {
		check_scenario(s);
		buf_init(&b);
		json_scenario_row(&b, s);
		FUZZ_CHECK(json_parse_object(b.data, b.len, &j2) == JSON_OK);
		d = json_details_new();
		FUZZ_CHECK(json_scenario_create_decode(j2, again, d) == 0);
		FUZZ_CHECK(json_scenario_diff(s, again, d) == 0);
		cJSON_Delete(d);
		cJSON_Delete(j2);
		buf_cleanup(&b);
	}
	free(again);
	free(s);
	cJSON_Delete(j);
	return (0);
}
