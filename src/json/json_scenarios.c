/*
 * Scenario codecs (see json_scenarios.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/model.h"
#include "json/json.h"
#include "json/json_scenarios.h"

/* Day numbers of valid dates (years 1 to 9999) never come near it. */
#define NO_DATE	INT32_MIN

static const char *const fields[] = {
	"id", "name", "start_date", "horizon_days", "ramp_bps",
	"payment_freeze_days", "fixed_cost_relief_bps", "announcements",
	"outage_probabilities", NULL
};

static const char *const ann_fields[] = {
	"announced_on", "restart_date", "note", NULL
};

static const char *const prob_fields[] = {
	"outage_days", "probability_bps", NULL
};

/* An empty text is allowed only where min is 0 (an announcement's note). */
static void
text_get(const cJSON *j, const char *name, int required, int min, int max,
    const char **out, cJSON *details)
{
	const char	*v;

	if (json_get_string(j, name, required, SIZE_MAX, &v, details) != 1)
		return;
	if ((min == 0 && *v == '\0') ||
	    json_text_check(name, v, max, details) == 0)
		*out = v;
}

/* A date field: 1 with *days when valid. */
static int
date_get(const cJSON *j, const char *name, const char **out, int32_t *days,
    cJSON *details)
{
	const char	*v;

	if (json_get_string(j, name, 1, SIZE_MAX, &v, details) != 1)
		return (0);
	if (date_parse(v, days) == -1) {
		json_detail(details, name, 0, "must be a date, YYYY-MM-DD");
		return (0);
	}
	*out = v;
	return (1);
}

static void
ramp_get(const cJSON *j, struct store_scenario *s, cJSON *details)
{
	const cJSON	*m, *e;

	m = cJSON_GetObjectItemCaseSensitive(j, "ramp_bps");
	if (m == NULL)
		return;
	if (!cJSON_IsArray(m)) {
		json_detail(details, "ramp_bps", 0,
		    "must be an array of basis points");
		return;
	}
	if (cJSON_GetArraySize(m) > STORE_SCENARIO_RAMP_MAX) {
		json_detail(details, "ramp_bps", 0,
		    "must have at most %d entries", STORE_SCENARIO_RAMP_MAX);
		return;
	}
	cJSON_ArrayForEach(e, m) {
		if (!cJSON_IsNumber(e) || e->valuedouble < 0 ||
		    e->valuedouble > 10000 ||
		    (double)(int64_t)e->valuedouble != e->valuedouble) {
			json_detail(details, "ramp_bps", 0, "must hold only "
			    "integers from 0 to 10000");
			s->nramp = 0;
			return;
		}
		s->ramp_bps[s->nramp++] = (int64_t)e->valuedouble;
	}
}

/* Name the details added since from after array[i]. */
static void
details_prefix(cJSON *details, int from, const char *array, int i)
{
	cJSON		*d, *f;
	char		 name[96];

	for (; from < cJSON_GetArraySize(details); from++) {
		d = cJSON_GetArrayItem(details, from);
		f = cJSON_GetObjectItemCaseSensitive(d, "field");
		snprintf(name, sizeof(name), "%s[%d]%s%s", array, i,
		    cJSON_IsString(f) ? "." : "",
		    cJSON_IsString(f) ? f->valuestring : "");
		cJSON_ReplaceItemInObjectCaseSensitive(d, "field",
		    cJSON_CreateString(name));
	}
}

/*
 * The announcements, each checked against the scenario: restart on or
 * after the start, within the horizon. start is NO_DATE and horizon -1
 * when they were themselves invalid, and those checks are skipped.
 */
static void
announcements_get(const cJSON *j, struct store_scenario *s, int32_t start,
    int64_t horizon, cJSON *details)
{
	struct store_announcement	*a;
	const cJSON			*m, *e;
	int32_t				 on, restart;
	int				 i, from, ok;

	m = cJSON_GetObjectItemCaseSensitive(j, "announcements");
	if (m == NULL)
		return;
	if (!cJSON_IsArray(m)) {
		json_detail(details, "announcements", 0,
		    "must be an array of announcements");
		return;
	}
	if (cJSON_GetArraySize(m) > STORE_SCENARIO_ANN_MAX) {
		json_detail(details, "announcements", 0,
		    "must have at most %d entries", STORE_SCENARIO_ANN_MAX);
		return;
	}
	i = 0;
	cJSON_ArrayForEach(e, m) {
		from = cJSON_GetArraySize(details);
		a = &s->ann[s->nann++];
		a->note = "";
		if (!cJSON_IsObject(e)) {
			json_detail(details, NULL, 0, "must be an object");
			details_prefix(details, from, "announcements", i++);
			continue;
		}
		json_check_fields(e, ann_fields, details);
		date_get(e, "announced_on", &a->announced_on, &on, details);
		ok = date_get(e, "restart_date", &a->restart_date, &restart,
		    details);
		text_get(e, "note", 0, 0, 500, &a->note, details);
		if (ok && start != NO_DATE && restart < start)
			json_detail(details, "restart_date", 0,
			    "must not be before start_date");
		else if (ok && start != NO_DATE && horizon != -1 &&
		    restart - start > horizon)
			json_detail(details, "restart_date", 0,
			    "must be at most horizon_days after start_date");
		details_prefix(details, from, "announcements", i++);
	}
}

/*
 * The outage probabilities: each entry's own problems, then, when every
 * entry is well formed, the model's rules over all of them (distinct
 * lengths within the horizon, summing to 10000), each problem a detail.
 * horizon is -1 when it was itself invalid: the lengths are then held
 * to the model's longest horizon.
 */
static void
probabilities_get(const cJSON *j, struct store_scenario *s, int64_t horizon,
    cJSON *details)
{
	struct model_outage_prob	*p;
	struct model_error		 errs[16];
	const cJSON			*m, *e;
	size_t				 nerrs, k;
	int				 i, from, bad;

	m = cJSON_GetObjectItemCaseSensitive(j, "outage_probabilities");
	if (m == NULL || cJSON_IsNull(m))
		return;
	if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) == 0) {
		json_detail(details, "outage_probabilities", 0, "must be a "
		    "non-empty array of {outage_days, probability_bps}");
		return;
	}
	if (cJSON_GetArraySize(m) > STORE_SCENARIO_PROB_MAX) {
		json_detail(details, "outage_probabilities", 0,
		    "must have at most %d entries", STORE_SCENARIO_PROB_MAX);
		return;
	}
	i = 0;
	bad = 0;
	cJSON_ArrayForEach(e, m) {
		from = cJSON_GetArraySize(details);
		p = &s->prob[s->nprob++];
		if (!cJSON_IsObject(e))
			json_detail(details, NULL, 0, "must be an object");
		else {
			json_check_fields(e, prob_fields, details);
			json_get_int64(e, "outage_days", 1, 0,
			    MODEL_HORIZON_MAX, &p->outage_days, details);
			json_get_int64(e, "probability_bps", 1, 1,
			    MODEL_BPS_MAX, &p->probability_bps, details);
		}
		bad += cJSON_GetArraySize(details) > from;
		details_prefix(details, from, "outage_probabilities", i++);
	}
	if (bad > 0)
		return;
	if (model_outage_check(s->prob, s->nprob, horizon == -1 ?
	    MODEL_HORIZON_MAX : horizon, errs, sizeof(errs) / sizeof(errs[0]),
	    &nerrs) == 0)
		return;
	for (k = 0; k < nerrs && k < sizeof(errs) / sizeof(errs[0]); k++)
		json_detail(details, errs[k].field, 0, "%s", errs[k].problem);
}

/* 0 when valid; otherwise details say why, every problem at once. */
int
json_scenario_create_decode(const cJSON *j, struct store_scenario *s,
    cJSON *details)
{
	int32_t	start;
	int64_t	horizon;
	int	before;

	before = cJSON_GetArraySize(details);
	memset(s, 0, sizeof(*s));
	s->horizon_days = 180;
	json_check_fields(j, fields, details);

	json_get_id(j, "id", 1, &s->id, details);
	text_get(j, "name", 1, 1, 200, &s->name, details);
	if (!date_get(j, "start_date", &s->start_date, &start, details))
		start = NO_DATE;
	horizon = -1;
	if (json_get_int64(j, "horizon_days", 0, 1, 730, &s->horizon_days,
	    details) != -1)
		horizon = s->horizon_days;
	ramp_get(j, s, details);
	if (json_get_int64(j, "payment_freeze_days", 0, 0, 730,
	    &s->payment_freeze_days, details) == 1 && horizon != -1 &&
	    s->payment_freeze_days > horizon)
		json_detail(details, "payment_freeze_days", 0,
		    "must not exceed horizon_days");
	json_get_int64(j, "fixed_cost_relief_bps", 0, 0, 10000,
	    &s->fixed_cost_relief_bps, details);
	announcements_get(j, s, start, horizon, details);
	probabilities_get(j, s, horizon, details);
	return (cJSON_GetArraySize(details) == before ? 0 : -1);
}

/* Every field but created_at and the outage lengths. */
static cJSON *
scenario_object(const struct store_scenario *s, int outage)
{
	const struct store_announcement	*a;
	cJSON				*o, *arr, *e;
	int32_t				 start, restart;
	size_t				 k;
	int				 i;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	json_add_string_or_null(o, "id", s->id);
	json_add_string_or_null(o, "name", s->name);
	json_add_string_or_null(o, "start_date", s->start_date);
	json_add_int64(o, "horizon_days", s->horizon_days);
	arr = cJSON_AddArrayToObject(o, "ramp_bps");
	for (i = 0; i < s->nramp; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(
		    (double)s->ramp_bps[i]));
	json_add_int64(o, "payment_freeze_days", s->payment_freeze_days);
	json_add_int64(o, "fixed_cost_relief_bps", s->fixed_cost_relief_bps);
	arr = cJSON_AddArrayToObject(o, "announcements");
	for (i = 0; i < s->nann; i++) {
		a = &s->ann[i];
		if ((e = cJSON_CreateObject()) == NULL)
			abort();
		json_add_string_or_null(e, "announced_on", a->announced_on);
		json_add_string_or_null(e, "restart_date", a->restart_date);
		json_add_string_or_null(e, "note", a->note);
		if (outage && date_parse(s->start_date, &start) == 0 &&
		    date_parse(a->restart_date, &restart) == 0)
			json_add_int64(e, "outage_days", restart - start);
		cJSON_AddItemToArray(arr, e);
	}
	if (s->nprob == 0) {
		cJSON_AddNullToObject(o, "outage_probabilities");
		return (o);
	}
	arr = cJSON_AddArrayToObject(o, "outage_probabilities");
	for (k = 0; k < s->nprob; k++) {
		if ((e = cJSON_CreateObject()) == NULL)
			abort();
		json_add_int64(e, "outage_days", s->prob[k].outage_days);
		json_add_int64(e, "probability_bps",
		    s->prob[k].probability_bps);
		cJSON_AddItemToArray(arr, e);
	}
	return (o);
}

void
json_scenario_row(struct buf *b, const struct store_scenario *s)
{
	cJSON	*o;

	o = scenario_object(s, 0);
	json_print_buf(b, o);
	cJSON_Delete(o);
}

/* The number of fields of want that differ from have, each a detail. */
int
json_scenario_diff(const struct store_scenario *want,
    const struct store_scenario *have, cJSON *details)
{
	return (json_diff(scenario_object(want, 0), scenario_object(have, 0),
	    "scenario", details));
}

cJSON *
json_scenario_encode(const struct store_scenario *s)
{
	cJSON	*o;

	o = scenario_object(s, 1);
	json_add_string_or_null(o, "created_at", s->created_at);
	return (o);
}
