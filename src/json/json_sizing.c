/*
 * Facility sizing bodies (see json_sizing.h).
 */
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "json/json_sizing.h"

static const char *const request_fields[] = {
	"run_id", "scheme_id", "outage_days", "steps",
	"target_suppliers_below", NULL
};

/* A point's fields, in the order every reply and the CSV print them. */
static const struct {
	const char	*name;
	size_t		 off;
} point_fields[] = {
	{ "facility_limit", offsetof(struct model_sizing_point,
	    facility_limit) },
	{ "suppliers_below", offsetof(struct model_sizing_point,
	    point.suppliers_below) },
	{ "employees_at_risk", offsetof(struct model_sizing_point,
	    point.employees_at_risk) },
	{ "funding_gap", offsetof(struct model_sizing_point,
	    point.funding_gap) },
	{ "early_paid", offsetof(struct model_sizing_point,
	    point.early_paid) },
	{ "fees", offsetof(struct model_sizing_point, point.fees) },
	{ "oem_cost", offsetof(struct model_sizing_point, point.oem_cost) },
	{ "peak_facility_use", offsetof(struct model_sizing_point,
	    point.peak_facility_use) },
};
#define NPOINT	(sizeof(point_fields) / sizeof(point_fields[0]))

/*
 * {run_id, scheme_id, outage_days, steps?, target_suppliers_below?}; 0
 * or -1 with every problem in details. A null target is no target.
 */
int
json_sizing_request_decode(const cJSON *j, struct json_sizing_request *r,
    cJSON *details)
{
	const cJSON	*m;
	int		 bad;

	memset(r, 0, sizeof(*r));
	bad = json_check_fields(j, request_fields, details);
	if (json_get_int64(j, "run_id", 1, 1, INT64_MAX, &r->run_id,
	    details) != 1)
		bad++;
	if (json_get_id(j, "scheme_id", 1, &r->scheme_id, details) != 1)
		bad++;
	/* The run's max_outage_days bounds it further. */
	if (json_get_int64(j, "outage_days", 1, 0, MODEL_HORIZON_MAX,
	    &r->outage_days, details) != 1)
		bad++;
	r->steps = MODEL_SIZING_STEPS_DEFAULT;
	if (json_get_int64(j, "steps", 0, 1, MODEL_SIZING_STEPS_MAX,
	    &r->steps, details) == -1)
		bad++;
	m = cJSON_GetObjectItemCaseSensitive(j, "target_suppliers_below");
	if (m != NULL && !cJSON_IsNull(m)) {
		if (json_get_int64(j, "target_suppliers_below", 1, 0,
		    INT32_MAX, &r->target, details) != 1)
			bad++;
		else
			r->has_target = 1;
	}
	return (bad ? -1 : 0);
}

static int64_t
point_field(const struct model_sizing_point *p, size_t i)
{
	int64_t	v;

	memcpy(&v, (const char *)p + point_fields[i].off, sizeof(v));
	return (v);
}

/* The points as JSON text, to be stored (malloc'd, NUL-terminated). */
char *
json_sizing_points(const struct model_sizing_point *pts, size_t n)
{
	cJSON	*a, *o;
	char	*s;
	size_t	 i, k;

	a = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		for (k = 0; k < NPOINT; k++)
			json_add_int64(o, point_fields[k].name,
			    point_field(&pts[i], k));
		cJSON_AddItemToArray(a, o);
	}
	s = json_print(a, NULL);
	cJSON_Delete(a);
	return (s);
}

/* Integers from stored jsonb are exact: the service wrote them. */
static int
point_int(const cJSON *p, size_t k, int64_t *v)
{
	const cJSON	*m;

	m = cJSON_GetObjectItemCaseSensitive(p, point_fields[k].name);
	if (!cJSON_IsNumber(m))
		return (-1);
	*v = (int64_t)m->valuedouble;
	return (0);
}

static cJSON *
points_parse(const char *text)
{
	cJSON	*in;

	if ((in = cJSON_Parse(text)) == NULL || !cJSON_IsArray(in)) {
		cJSON_Delete(in);
		return (NULL);
	}
	return (in);
}

static cJSON *
points_encode(const char *text)
{
	const cJSON	*p;
	cJSON		*in, *out, *o;
	int64_t		 v;
	size_t		 k;

	if ((in = points_parse(text)) == NULL)
		return (NULL);
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(p, in) {
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(out, o);
		for (k = 0; k < NPOINT; k++) {
			if (point_int(p, k, &v) == -1) {
				cJSON_Delete(in);
				cJSON_Delete(out);
				return (NULL);
			}
			json_add_int64(o, point_fields[k].name, v);
		}
	}
	cJSON_Delete(in);
	return (out);
}

/* A sizing; with_points adds its grid (NULL if the stored text is bad). */
cJSON *
json_sizing_encode(const struct store_sizing *s, int with_points)
{
	cJSON	*o, *pts;

	o = cJSON_CreateObject();
	json_add_int64(o, "id", s->id);
	json_add_int64(o, "run_id", s->run_id);
	cJSON_AddStringToObject(o, "scheme_id", s->scheme_id);
	json_add_int64(o, "outage_days", s->outage_days);
	json_add_int64(o, "steps", s->steps);
	json_add_int64(o, "unlimited_peak", s->unlimited_peak);
	json_add_int64(o, "target_suppliers_below", s->target);
	if (s->smallest == MODEL_NONE)
		cJSON_AddNullToObject(o, "smallest_sufficient_limit");
	else
		json_add_int64(o, "smallest_sufficient_limit", s->smallest);
	cJSON_AddStringToObject(o, "created_at", s->created_at);
	if (with_points) {
		if (s->points == NULL ||
		    (pts = points_encode(s->points)) == NULL) {
			cJSON_Delete(o);
			return (NULL);
		}
		cJSON_AddItemToObject(o, "points", pts);
	}
	return (o);
}

/* The stored points as CSV, header first; -1 if the text is bad. */
int
json_sizing_csv(struct csv *c, const char *text)
{
	const char	*names[NPOINT + 1];
	const cJSON	*p;
	cJSON		*in;
	int64_t		 v[NPOINT];
	size_t		 k;

	if (text == NULL || (in = points_parse(text)) == NULL)
		return (-1);
	for (k = 0; k < NPOINT; k++)
		names[k] = point_fields[k].name;
	names[NPOINT] = NULL;
	csv_header(c, names);
	cJSON_ArrayForEach(p, in) {
		for (k = 0; k < NPOINT; k++) {
			if (point_int(p, k, &v[k]) == -1) {
				cJSON_Delete(in);
				return (-1);
			}
		}
		for (k = 0; k < NPOINT; k++)
			csv_int64(c, v[k]);
		csv_end_row(c);
	}
	cJSON_Delete(in);
	return (0);
}
