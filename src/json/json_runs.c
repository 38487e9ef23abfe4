/*
 * Stress run bodies (see json_runs.h).
 */
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "json/json_runs.h"
#include "store/store_scenarios.h"

static const char *const request_fields[] = {
	"scenario_id", "scheme_id", "max_outage_days", NULL
};

/* The curve's fields, in the order every reply prints them. */
static const struct {
	const char	*name;
	size_t		 off;
	int		 network;	/* absent from runs made before links: 0 */
} curve_fields[] = {
	{ "outage_days", offsetof(struct model_point, outage_days) },
	{ "suppliers_below", offsetof(struct model_point, suppliers_below) },
	{ "employees_at_risk",
	    offsetof(struct model_point, employees_at_risk) },
	{ "funding_gap", offsetof(struct model_point, funding_gap) },
	{ "early_paid", offsetof(struct model_point, early_paid) },
	{ "fees", offsetof(struct model_point, fees) },
	{ "peak_facility_use",
	    offsetof(struct model_point, peak_facility_use) },
	{ "oem_cost", offsetof(struct model_point, oem_cost) },
	{ "suppliers_below_contagion",
	    offsetof(struct model_point, suppliers_below_contagion), 1 },
	{ "overdue_trade_credit",
	    offsetof(struct model_point, overdue_trade_credit), 1 },
	{ "funder_overdue", offsetof(struct model_point, funder_overdue), 1 },
};
#define NCURVE	(sizeof(curve_fields) / sizeof(curve_fields[0]))

/* The expected figures, in the order every reply prints them. */
static const char *const expected_fields[] = {
	"suppliers_below", "employees_at_risk", "funding_gap", "oem_cost", NULL
};

static const char *const announcement_dates[] = {
	"announced_on", "restart_date", NULL
};

/*
 * The report's columns, JSON and CSV alike. Kinds: s string, i integer,
 * n integer or null (MODEL_NONE), d string or null, b boolean (0 or 1).
 */
static const struct {
	const char	*name;
	char		 kind;
	size_t		 off;
} supplier_cols[] = {
	{ "supplier_id", 's', offsetof(struct store_run_supplier, supplier_id) },
	{ "name", 's', offsetof(struct store_run_supplier, name) },
	{ "tier", 'i', offsetof(struct store_run_supplier, tier) },
	{ "region", 's', offsetof(struct store_run_supplier, region) },
	{ "sector", 's', offsetof(struct store_run_supplier, sector) },
	{ "employees", 'i', offsetof(struct store_run_supplier, employees) },
	{ "breach_day", 'n', offsetof(struct store_run_supplier, breach_day) },
	{ "breach_date", 'd', offsetof(struct store_run_supplier, breach_date) },
	{ "lowest_liquidity", 'i',
	    offsetof(struct store_run_supplier, lowest_liquidity) },
	{ "lowest_liquidity_date", 'd',
	    offsetof(struct store_run_supplier, lowest_liquidity_date) },
	{ "funding_gap", 'i', offsetof(struct store_run_supplier, funding_gap) },
	{ "early_paid", 'i', offsetof(struct store_run_supplier, early_paid) },
	{ "fees", 'i', offsetof(struct store_run_supplier, fees) },
	{ "breaks_at_outage_days", 'n',
	    offsetof(struct store_run_supplier, breaks_at_outage_days) },
	{ "contagion", 'b', offsetof(struct store_run_supplier, contagion) },
	{ "overdue_receivables", 'i',
	    offsetof(struct store_run_supplier, overdue_receivables) },
	{ "overdue_payables", 'i',
	    offsetof(struct store_run_supplier, overdue_payables) },
	{ "breach_probability_bps", 'n',
	    offsetof(struct store_run_supplier, breach_probability_bps) },
};
#define NCOLS	(sizeof(supplier_cols) / sizeof(supplier_cols[0]))

/* {scenario_id, scheme_id (or null), max_outage_days}; 0 or -1. */
int
json_run_request_decode(const cJSON *j, struct json_run_request *r,
    cJSON *details)
{
	const cJSON	*m;
	int		 bad;

	memset(r, 0, sizeof(*r));
	bad = json_check_fields(j, request_fields, details);
	if (json_get_id(j, "scenario_id", 1, &r->scenario_id, details) != 1)
		bad++;
	m = cJSON_GetObjectItemCaseSensitive(j, "scheme_id");
	if (m != NULL && !cJSON_IsNull(m) &&
	    json_get_id(j, "scheme_id", 1, &r->scheme_id, details) != 1)
		bad++;
	/* The horizon bounds it further; the database knows the horizon. */
	if (json_get_int64(j, "max_outage_days", 1, 0, MODEL_HORIZON_MAX,
	    &r->max_outage_days, details) != 1)
		bad++;
	return (bad ? -1 : 0);
}

static int64_t
point_field(const struct model_point *p, size_t i)
{
	int64_t	v;

	memcpy(&v, (const char *)p + curve_fields[i].off, sizeof(v));
	return (v);
}

/* The curve as JSON text, to be stored (malloc'd, NUL-terminated). */
char *
json_run_curve(const struct model_point *curve, size_t n)
{
	cJSON	*a, *o;
	char	*s;
	size_t	 i, k;

	a = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		for (k = 0; k < NCURVE; k++)
			json_add_int64(o, curve_fields[k].name,
			    point_field(&curve[i], k));
		cJSON_AddItemToArray(a, o);
	}
	s = json_print(a, NULL);
	cJSON_Delete(a);
	return (s);
}

/* Integers from stored jsonb are exact: the service wrote them. */
static int
copy_int(cJSON *to, const cJSON *from, const char *name)
{
	const cJSON	*m;

	m = cJSON_GetObjectItemCaseSensitive(from, name);
	if (!cJSON_IsNumber(m))
		return (-1);
	json_add_int64(to, name, (int64_t)m->valuedouble);
	return (0);
}

static cJSON *
curve_encode(const char *text)
{
	const cJSON	*p;
	cJSON		*in, *out, *o;
	size_t		 k;

	if ((in = cJSON_Parse(text)) == NULL || !cJSON_IsArray(in)) {
		cJSON_Delete(in);
		return (NULL);
	}
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(p, in) {
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(out, o);
		for (k = 0; k < NCURVE; k++) {
			if (curve_fields[k].network &&
			    cJSON_GetObjectItemCaseSensitive(p,
			    curve_fields[k].name) == NULL) {
				json_add_int64(o, curve_fields[k].name, 0);
				continue;
			}
			if (copy_int(o, p, curve_fields[k].name) == -1) {
				cJSON_Delete(in);
				cJSON_Delete(out);
				return (NULL);
			}
		}
	}
	cJSON_Delete(in);
	return (out);
}

static cJSON *
announcements_encode(const char *text)
{
	const cJSON	*p, *m;
	cJSON		*in, *out, *o;
	size_t		 k;

	if ((in = cJSON_Parse(text)) == NULL || !cJSON_IsArray(in)) {
		cJSON_Delete(in);
		return (NULL);
	}
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(p, in) {
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(out, o);
		for (k = 0; announcement_dates[k] != NULL; k++) {
			m = cJSON_GetObjectItemCaseSensitive(p,
			    announcement_dates[k]);
			if (!cJSON_IsString(m))
				goto bad;
			cJSON_AddStringToObject(o, announcement_dates[k],
			    m->valuestring);
		}
		if (copy_int(o, p, "outage_days") == -1)
			goto bad;
	}
	cJSON_Delete(in);
	return (out);
bad:
	cJSON_Delete(in);
	cJSON_Delete(out);
	return (NULL);
}

/* The stored expected figures (jsonb text), or null when there are none. */
static cJSON *
expected_encode(const char *text, int *bad)
{
	cJSON	*in, *out;
	size_t	 k;

	*bad = 0;
	if (text == NULL)
		return (cJSON_CreateNull());
	if ((in = cJSON_Parse(text)) == NULL || !cJSON_IsObject(in)) {
		cJSON_Delete(in);
		*bad = 1;
		return (NULL);
	}
	out = cJSON_CreateObject();
	for (k = 0; expected_fields[k] != NULL; k++) {
		if (copy_int(out, in, expected_fields[k]) == -1) {
			cJSON_Delete(in);
			cJSON_Delete(out);
			*bad = 1;
			return (NULL);
		}
	}
	cJSON_Delete(in);
	return (out);
}

/* The scenario's probabilities ("30:6000,45:4000"), or null. */
static cJSON *
probabilities_encode(const char *text, int *bad)
{
	struct model_outage_prob	*pr;
	cJSON				*out, *o;
	size_t				 n, i;

	*bad = 0;
	if (text == NULL)
		return (cJSON_CreateNull());
	if ((pr = calloc(STORE_SCENARIO_PROB_MAX, sizeof(*pr))) == NULL)
		abort();
	if (store_scenario_prob_decode(text, pr, STORE_SCENARIO_PROB_MAX,
	    &n) == -1) {
		free(pr);
		*bad = 1;
		return (NULL);
	}
	out = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		json_add_int64(o, "outage_days", pr[i].outage_days);
		json_add_int64(o, "probability_bps", pr[i].probability_bps);
		cJSON_AddItemToArray(out, o);
	}
	free(pr);
	return (out);
}

/* The expected figures as the run stores them (jsonb text, malloc'd). */
char *
json_run_expected(const struct model_expected *e)
{
	cJSON	*o;
	char	*s;

	o = cJSON_CreateObject();
	json_add_int64(o, "suppliers_below", e->suppliers_below);
	json_add_int64(o, "employees_at_risk", e->employees_at_risk);
	json_add_int64(o, "funding_gap", e->funding_gap);
	json_add_int64(o, "oem_cost", e->oem_cost);
	s = json_print(o, NULL);
	cJSON_Delete(o);
	return (s);
}

/*
 * A finished run. with_curve 0 leaves the curve out (lists); NULL when
 * the stored curve or announcements do not decode.
 */
cJSON *
json_run_encode(const struct store_run *run, int with_curve)
{
	cJSON	*j, *curve = NULL, *ann, *ex, *pr;
	int	 bad1, bad2;

	if ((ann = announcements_encode(run->announcements)) == NULL)
		return (NULL);
	ex = expected_encode(run->expected, &bad1);
	pr = probabilities_encode(run->outage_probabilities, &bad2);
	if (bad1 || bad2 || (with_curve && (run->curve == NULL ||
	    (curve = curve_encode(run->curve)) == NULL))) {
		cJSON_Delete(ann);
		cJSON_Delete(ex);
		cJSON_Delete(pr);
		return (NULL);
	}
	j = cJSON_CreateObject();
	json_add_int64(j, "id", run->id);
	cJSON_AddStringToObject(j, "scenario_id", run->scenario_id);
	json_add_string_or_null(j, "scheme_id", run->scheme_id);
	json_add_int64(j, "max_outage_days", run->max_outage_days);
	cJSON_AddStringToObject(j, "created_at", run->created_at);
	json_add_string_or_null(j, "inputs_digest", run->inputs_digest);
	cJSON_AddBoolToObject(j, "published", run->published);
	if (curve != NULL)
		cJSON_AddItemToObject(j, "curve", curve);
	cJSON_AddItemToObject(j, "announcements", ann);
	cJSON_AddItemToObject(j, "outage_probabilities", pr);
	cJSON_AddItemToObject(j, "expected", ex);
	return (j);
}

static const char *
col_str(const struct store_run_supplier *s, size_t i)
{
	const char	*v;

	memcpy(&v, (const char *)s + supplier_cols[i].off, sizeof(v));
	return (v);
}

static int64_t
col_int(const struct store_run_supplier *s, size_t i)
{
	int64_t	v;

	memcpy(&v, (const char *)s + supplier_cols[i].off, sizeof(v));
	return (v);
}

cJSON *
json_run_supplier_encode(const struct store_run_supplier *s)
{
	cJSON	*j;
	size_t	 i;

	j = cJSON_CreateObject();
	for (i = 0; i < NCOLS; i++) {
		switch (supplier_cols[i].kind) {
		case 's':
		case 'd':
			json_add_string_or_null(j, supplier_cols[i].name,
			    col_str(s, i));
			break;
		case 'b':
			cJSON_AddBoolToObject(j, supplier_cols[i].name,
			    col_int(s, i) != 0);
			break;
		case 'n':
			if (col_int(s, i) == MODEL_NONE) {
				cJSON_AddNullToObject(j, supplier_cols[i].name);
				break;
			}
			/* FALLTHROUGH */
		default:
			json_add_int64(j, supplier_cols[i].name, col_int(s, i));
			break;
		}
	}
	return (j);
}

void
json_run_supplier_csv_header(struct csv *c)
{
	const char	*names[NCOLS + 1];
	size_t		 i;

	for (i = 0; i < NCOLS; i++)
		names[i] = supplier_cols[i].name;
	names[NCOLS] = NULL;
	csv_header(c, names);
}

/* Null is an empty field. */
void
json_run_supplier_csv(struct csv *c, const struct store_run_supplier *s)
{
	size_t	i;

	for (i = 0; i < NCOLS; i++) {
		switch (supplier_cols[i].kind) {
		case 's':
		case 'd':
			if (col_str(s, i) == NULL)
				csv_null(c);
			else
				csv_field(c, col_str(s, i));
			break;
		case 'b':
			csv_field(c, col_int(s, i) != 0 ? "true" : "false");
			break;
		case 'n':
			if (col_int(s, i) == MODEL_NONE) {
				csv_null(c);
				break;
			}
			/* FALLTHROUGH */
		default:
			csv_int64(c, col_int(s, i));
			break;
		}
	}
	csv_end_row(c);
}
