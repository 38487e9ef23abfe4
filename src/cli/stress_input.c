/*
 * tideover-stress input: one JSON document into the model's structs.
 * Strict, because an analyst's typo should be an error and not a silently
 * ignored field: unknown fields are refused (except a supplier's
 * descriptive name, region, sector and currency), numbers must be
 * integers, dates YYYY-MM-DD. Every problem is collected, not just the
 * first; ranges are left to model_validate so the rules live in one place.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "cli/stress.h"

/* Integers a double holds exactly: cJSON keeps numbers as doubles. */
#define EXACT_MAX	9007199254740991.0

static const char *const top_fields[] = {
	"suppliers", "invoices", "links", "scenario", "scheme",
	"max_outage_days", "outage_days", NULL
};
static const char *const link_fields[] = {
	"supplier_id", "customer_id", "daily_sales", "payment_terms_days",
	NULL
};
static const char *const supplier_fields[] = {
	"id", "tier", "employees", "cash", "credit_available",
	"min_liquidity", "fixed_daily_costs", "oem_daily_sales",
	"variable_cost_bps", "other_daily_receipts", "payment_terms_days",
	"scheme_opt_in", "name", "region", "sector", "currency", NULL
};
static const char *const invoice_fields[] = {
	"id", "supplier_id", "due_date", "outstanding", "amount", NULL
};
static const char *const scenario_fields[] = {
	"start_date", "horizon_days", "ramp_bps", "payment_freeze_days",
	"fixed_cost_relief_bps", "outage_probabilities", NULL
};
static const char *const probability_fields[] = {
	"outage_days", "probability_bps", NULL
};
static const char *const scheme_fields[] = {
	"effective_from", "payment_lag_days", "advance_rate_bps",
	"annual_rate_bps", "day_count_basis", "fee_bearer", "eligible_tiers",
	"max_employees", "min_invoice_amount", "requires_opt_in",
	"per_supplier_cap", "facility_limit", "covers", "basis",
	"order_lead_days", "true_up_lag_days", NULL
};

static void
problem_vadd(struct stress_problems *p, const char *file, int line,
    const char *field, const char *fmt, va_list ap)
{
	struct stress_problem	*v;
	size_t			 n;

	if (p->n == p->max) {
		n = p->max == 0 ? 16 : p->max * 2;
		if ((v = reallocarray(p->v, n, sizeof(*v))) == NULL)
			return;		/* the first problems are kept */
		p->v = v;
		p->max = n;
	}
	v = &p->v[p->n++];
	snprintf(v->field, sizeof(v->field), "%s", field);
	snprintf(v->file, sizeof(v->file), "%s", file);
	v->line = line;
	vsnprintf(v->problem, sizeof(v->problem), fmt, ap);
}

void
stress_problem_add(struct stress_problems *p, const char *field,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	problem_vadd(p, "", 0, field, fmt, ap);
	va_end(ap);
}

/* A problem in one of the CSV input's files, at a line when line > 0. */
void
stress_problem_file(struct stress_problems *p, const char *file, int line,
    const char *field, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	problem_vadd(p, file, line, field, fmt, ap);
	va_end(ap);
}

static void
path(char *buf, size_t len, const char *prefix, const char *name)
{
	if (prefix[0] == '\0')
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s.%s", prefix, name);
}

static void
check_fields(const cJSON *obj, const char *const *allowed,
    const char *prefix, struct stress_problems *p)
{
	const cJSON	*c;
	char		 f[96];
	size_t		 i;

	cJSON_ArrayForEach(c, obj) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(c->string, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			path(f, sizeof(f), prefix, c->string);
			stress_problem_add(p, f, "is not a known field");
		}
	}
}

/* 1 when present and valid, 0 when absent (or null), -1 when invalid. */
static int
get_int(const cJSON *obj, const char *name, int required,
    const char *prefix, int64_t *out, struct stress_problems *p)
{
	const cJSON	*v;
	char		 f[96];
	double		 d;

	path(f, sizeof(f), prefix, name);
	v = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			stress_problem_add(p, f, "is required");
		return (0);
	}
	d = v->valuedouble;
	if (!cJSON_IsNumber(v) || d != floor(d) || fabs(d) > EXACT_MAX) {
		stress_problem_add(p, f, "must be an integer (at most 2^53 "
		    "in size)");
		return (-1);
	}
	*out = (int64_t)d;
	return (1);
}

static int
get_bool(const cJSON *obj, const char *name, const char *prefix, int *out,
    struct stress_problems *p)
{
	const cJSON	*v;
	char		 f[96];

	v = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (!cJSON_IsBool(v)) {
		path(f, sizeof(f), prefix, name);
		stress_problem_add(p, f, "must be true or false");
		return (-1);
	}
	*out = cJSON_IsTrue(v);
	return (1);
}

static const char *
get_string(const cJSON *obj, const char *name, int required,
    const char *prefix, struct stress_problems *p)
{
	const cJSON	*v;
	char		 f[96];

	path(f, sizeof(f), prefix, name);
	v = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			stress_problem_add(p, f, "is required");
		return (NULL);
	}
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
		stress_problem_add(p, f, "must be a non-empty string");
		return (NULL);
	}
	return (v->valuestring);
}

static int
get_date(const cJSON *obj, const char *name, const char *prefix,
    int32_t *out, struct stress_problems *p)
{
	const char	*s;
	char		 f[96];

	if ((s = get_string(obj, name, 1, prefix, p)) == NULL)
		return (-1);
	if (date_parse(s, out) == -1) {
		path(f, sizeof(f), prefix, name);
		stress_problem_add(p, f, "must be a date, YYYY-MM-DD");
		return (-1);
	}
	return (0);
}

/* A member that must be an object or an array (is says which). */
static const cJSON *
get_member(const cJSON *obj, const char *name, int required,
    cJSON_bool (*is)(const cJSON * const), const char *kind,
    struct stress_problems *p)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			stress_problem_add(p, name, "is required");
		return (NULL);
	}
	if (!is(v)) {
		stress_problem_add(p, name, "must be %s", kind);
		return (NULL);
	}
	return (v);
}

static const cJSON *
get_object(const cJSON *obj, const char *name, int required,
    struct stress_problems *p)
{
	return (get_member(obj, name, required, cJSON_IsObject, "an object",
	    p));
}

static const cJSON *
get_array(const cJSON *obj, const char *name, int required,
    struct stress_problems *p)
{
	return (get_member(obj, name, required, cJSON_IsArray, "an array",
	    p));
}

static void
descriptive(const cJSON *obj, const char *name, const char *prefix,
    struct stress_problems *p)
{
	(void)get_string(obj, name, 0, prefix, p);
}

static void
supplier(const cJSON *j, const char *pre, struct model_supplier *s,
    struct stress_problems *p)
{
	s->id = get_string(j, "id", 1, pre, p);
	get_int(j, "tier", 1, pre, &s->tier, p);
	get_int(j, "employees", 1, pre, &s->employees, p);
	get_int(j, "cash", 1, pre, &s->cash, p);
	get_int(j, "credit_available", 1, pre, &s->credit_available, p);
	get_int(j, "min_liquidity", 0, pre, &s->min_liquidity, p);
	get_int(j, "fixed_daily_costs", 1, pre, &s->fixed_daily_costs, p);
	get_int(j, "oem_daily_sales", 1, pre, &s->oem_daily_sales, p);
	get_int(j, "variable_cost_bps", 1, pre, &s->variable_cost_bps, p);
	get_int(j, "other_daily_receipts", 1, pre, &s->other_daily_receipts,
	    p);
	get_int(j, "payment_terms_days", 1, pre, &s->payment_terms_days, p);
	get_bool(j, "scheme_opt_in", pre, &s->scheme_opt_in, p);
	descriptive(j, "name", pre, p);
	descriptive(j, "region", pre, p);
	descriptive(j, "sector", pre, p);
	descriptive(j, "currency", pre, p);
	check_fields(j, supplier_fields, pre, p);
}

static void
invoice(const cJSON *j, const char *pre, struct model_invoice *v,
    struct stress_problems *p)
{
	char	f[96];
	int	a, o;

	v->id = get_string(j, "id", 1, pre, p);
	v->supplier_id = get_string(j, "supplier_id", 1, pre, p);
	get_date(j, "due_date", pre, &v->due_date, p);
	o = get_int(j, "outstanding", 0, pre, &v->outstanding, p);
	a = get_int(j, "amount", 0, pre, &v->outstanding, p);
	if (o != 0 && a != 0) {
		path(f, sizeof(f), pre, "amount");
		stress_problem_add(p, f, "give outstanding or amount, not both");
	} else if (o == 0 && a == 0) {
		path(f, sizeof(f), pre, "outstanding");
		stress_problem_add(p, f, "is required (or amount)");
	}
	check_fields(j, invoice_fields, pre, p);
}

static void
link(const cJSON *j, const char *pre, struct model_link *l,
    struct stress_problems *p)
{
	l->supplier_id = get_string(j, "supplier_id", 1, pre, p);
	l->customer_id = get_string(j, "customer_id", 1, pre, p);
	get_int(j, "daily_sales", 1, pre, &l->daily_sales, p);
	get_int(j, "payment_terms_days", 1, pre, &l->payment_terms_days, p);
	check_fields(j, link_fields, pre, p);
}

/*
 * What is believed of the outage's length, [{outage_days,
 * probability_bps}]; the model checks the lengths and the sum.
 */
static void
probabilities(const cJSON *j, struct stress_input *si,
    struct stress_problems *p)
{
	const cJSON	*r, *e;
	char		 pre[96];
	size_t		 i, n;

	r = cJSON_GetObjectItemCaseSensitive(j, "outage_probabilities");
	if (r == NULL || cJSON_IsNull(r))
		return;
	if (!cJSON_IsArray(r) || cJSON_GetArraySize(r) == 0) {
		stress_problem_add(p, "scenario.outage_probabilities",
		    "must be a non-empty array of {outage_days, "
		    "probability_bps}");
		return;
	}
	n = (size_t)cJSON_GetArraySize(r);
	if ((si->probs = calloc(n, sizeof(*si->probs))) == NULL) {
		stress_problem_add(p, "scenario.outage_probabilities",
		    "out of memory");
		return;
	}
	si->nprobs = n;
	i = 0;
	cJSON_ArrayForEach(e, r) {
		snprintf(pre, sizeof(pre), "scenario.outage_probabilities[%zu]",
		    i);
		if (!cJSON_IsObject(e))
			stress_problem_add(p, pre, "must be an object");
		else {
			get_int(e, "outage_days", 1, pre,
			    &si->probs[i].outage_days, p);
			get_int(e, "probability_bps", 1, pre,
			    &si->probs[i].probability_bps, p);
			check_fields(e, probability_fields, pre, p);
		}
		i++;
	}
}

static void
scenario(const cJSON *j, struct stress_input *si, struct stress_problems *p)
{
	struct model_scenario	*sc = &si->in.scenario;
	const cJSON		*r, *e;
	char			 f[96];
	size_t			 i, n;

	get_date(j, "start_date", "scenario", &sc->start_date, p);
	sc->horizon_days = 180;
	get_int(j, "horizon_days", 0, "scenario", &sc->horizon_days, p);
	get_int(j, "payment_freeze_days", 0, "scenario",
	    &sc->payment_freeze_days, p);
	get_int(j, "fixed_cost_relief_bps", 0, "scenario",
	    &sc->fixed_cost_relief_bps, p);
	check_fields(j, scenario_fields, "scenario", p);
	probabilities(j, si, p);
	r = cJSON_GetObjectItemCaseSensitive(j, "ramp_bps");
	if (r == NULL || cJSON_IsNull(r))
		return;
	if (!cJSON_IsArray(r)) {
		stress_problem_add(p, "scenario.ramp_bps",
		    "must be an array of basis points");
		return;
	}
	n = (size_t)cJSON_GetArraySize(r);
	if ((si->ramp = calloc(n + 1, sizeof(*si->ramp))) == NULL) {
		stress_problem_add(p, "scenario.ramp_bps", "out of memory");
		return;
	}
	i = 0;
	cJSON_ArrayForEach(e, r) {
		snprintf(f, sizeof(f), "scenario.ramp_bps[%zu]", i);
		if (!cJSON_IsNumber(e) || e->valuedouble !=
		    floor(e->valuedouble) || fabs(e->valuedouble) > EXACT_MAX)
			stress_problem_add(p, f, "must be an integer");
		else
			si->ramp[i] = (int64_t)e->valuedouble;
		i++;
	}
	sc->ramp_bps = si->ramp;
	sc->ramp_len = n;
}

static void
scheme(const cJSON *j, struct model_scheme *s, struct stress_problems *p)
{
	const char	*b;
	const cJSON	*t, *e;

	get_date(j, "effective_from", "scheme", &s->effective_from, p);
	get_int(j, "payment_lag_days", 1, "scheme", &s->payment_lag_days, p);
	get_int(j, "advance_rate_bps", 1, "scheme", &s->advance_rate_bps, p);
	get_int(j, "annual_rate_bps", 1, "scheme", &s->annual_rate_bps, p);
	get_int(j, "day_count_basis", 1, "scheme", &s->day_count_basis, p);
	if ((b = get_string(j, "fee_bearer", 1, "scheme", p)) != NULL) {
		if (strcmp(b, "supplier") == 0)
			s->fee_bearer = MODEL_FEE_SUPPLIER;
		else if (strcmp(b, "oem") == 0)
			s->fee_bearer = MODEL_FEE_OEM;
		else
			stress_problem_add(p, "scheme.fee_bearer",
			    "must be supplier or oem");
	}
	s->has_max_employees = get_int(j, "max_employees", 0, "scheme",
	    &s->max_employees, p) == 1;
	get_int(j, "min_invoice_amount", 0, "scheme", &s->min_invoice_amount,
	    p);
	get_bool(j, "requires_opt_in", "scheme", &s->requires_opt_in, p);
	s->has_per_supplier_cap = get_int(j, "per_supplier_cap", 0, "scheme",
	    &s->per_supplier_cap, p) == 1;
	s->has_facility_limit = get_int(j, "facility_limit", 0, "scheme",
	    &s->facility_limit, p) == 1;
	if ((b = get_string(j, "covers", 0, "scheme", p)) != NULL) {
		if (strcmp(b, "oem") == 0)
			s->covers = MODEL_COVERS_OEM;
		else if (strcmp(b, "all") == 0)
			s->covers = MODEL_COVERS_ALL;
		else
			stress_problem_add(p, "scheme.covers",
			    "must be oem or all");
	}
	if ((b = get_string(j, "basis", 0, "scheme", p)) != NULL) {
		if (strcmp(b, "invoice") == 0)
			s->basis = MODEL_BASIS_INVOICE;
		else if (strcmp(b, "order") == 0)
			s->basis = MODEL_BASIS_ORDER;
		else
			stress_problem_add(p, "scheme.basis",
			    "must be invoice or order");
	}
	s->has_order_lead_days = get_int(j, "order_lead_days", 0, "scheme",
	    &s->order_lead_days, p) == 1;
	s->has_true_up_lag_days = get_int(j, "true_up_lag_days", 0, "scheme",
	    &s->true_up_lag_days, p) == 1;
	check_fields(j, scheme_fields, "scheme", p);
	t = cJSON_GetObjectItemCaseSensitive(j, "eligible_tiers");
	if (t == NULL || !cJSON_IsArray(t)) {
		stress_problem_add(p, "scheme.eligible_tiers",
		    t == NULL ? "is required" : "must be an array of tiers");
		return;
	}
	cJSON_ArrayForEach(e, t) {
		if (!cJSON_IsNumber(e) || (e->valuedouble != 1 &&
		    e->valuedouble != 2 && e->valuedouble != 3)) {
			stress_problem_add(p, "scheme.eligible_tiers",
			    "must hold only the tiers 1, 2 and 3");
			return;
		}
		s->eligible_tiers |= 1U << (int)e->valuedouble;
	}
}

/* Where the parser stopped, for the analyst's editor. */
static size_t
line_of(const char *text, size_t len, const char *at)
{
	size_t	line = 1;

	if (at == NULL || at < text || at > text + len)
		return (0);
	for (; text < at; text++)
		line += *text == '\n';
	return (line);
}

int
stress_input_decode(const char *text, size_t len, struct stress_input *si,
    struct stress_problems *p)
{
	cJSON	*root;

	memset(si, 0, sizeof(*si));
	if ((root = cJSON_ParseWithLength(text, len)) == NULL) {
		stress_problem_add(p, "", "is not valid JSON (line %zu)",
		    line_of(text, len, cJSON_GetErrorPtr()));
		return (-1);
	}
	return (stress_input_decode_tree(root, si, p));
}

/* As stress_input_decode, from a document already parsed; takes root. */
int
stress_input_decode_tree(cJSON *root, struct stress_input *si,
    struct stress_problems *p)
{
	const cJSON	*a, *e, *o;
	char		 pre[48];
	size_t		 i, n;

	memset(si, 0, sizeof(*si));
	si->root = root;
	if (!cJSON_IsObject(si->root)) {
		cJSON_Delete(si->root);
		si->root = NULL;
		stress_problem_add(p, "", "must be a JSON object");
		return (-1);
	}
	check_fields(si->root, top_fields, "", p);
	if ((a = get_array(si->root, "suppliers", 1, p)) != NULL) {
		n = (size_t)cJSON_GetArraySize(a);
		si->suppliers = calloc(n + 1, sizeof(*si->suppliers));
		if (si->suppliers == NULL)
			return (-1);
		i = 0;
		cJSON_ArrayForEach(e, a) {
			snprintf(pre, sizeof(pre), "suppliers[%zu]", i);
			if (!cJSON_IsObject(e))
				stress_problem_add(p, pre,
				    "must be an object");
			else
				supplier(e, pre, &si->suppliers[i], p);
			i++;
		}
		si->in.suppliers = si->suppliers;
		si->in.nsuppliers = n;
	}
	if ((a = get_array(si->root, "invoices", 0, p)) != NULL) {
		n = (size_t)cJSON_GetArraySize(a);
		si->invoices = calloc(n + 1, sizeof(*si->invoices));
		if (si->invoices == NULL)
			return (-1);
		i = 0;
		cJSON_ArrayForEach(e, a) {
			snprintf(pre, sizeof(pre), "invoices[%zu]", i);
			if (!cJSON_IsObject(e))
				stress_problem_add(p, pre,
				    "must be an object");
			else
				invoice(e, pre, &si->invoices[i], p);
			i++;
		}
		si->in.invoices = si->invoices;
		si->in.ninvoices = n;
	}
	if ((a = get_array(si->root, "links", 0, p)) != NULL) {
		n = (size_t)cJSON_GetArraySize(a);
		si->links = calloc(n + 1, sizeof(*si->links));
		if (si->links == NULL)
			return (-1);
		i = 0;
		cJSON_ArrayForEach(e, a) {
			snprintf(pre, sizeof(pre), "links[%zu]", i);
			if (!cJSON_IsObject(e))
				stress_problem_add(p, pre,
				    "must be an object");
			else
				link(e, pre, &si->links[i], p);
			i++;
		}
		si->in.links = si->links;
		si->in.nlinks = n;
	}
	if ((o = get_object(si->root, "scenario", 1, p)) != NULL)
		scenario(o, si, p);
	if ((o = get_object(si->root, "scheme", 0, p)) != NULL) {
		scheme(o, &si->scheme, p);
		si->in.scheme = &si->scheme;
	}
	get_int(si->root, "max_outage_days", 1, "", &si->max_outage_days, p);
	si->outage_days = si->max_outage_days;
	get_int(si->root, "outage_days", 0, "", &si->outage_days, p);
	return (p->n == 0 ? 0 : -1);
}

void
stress_input_cleanup(struct stress_input *si)
{
	cJSON_Delete(si->root);
	free(si->suppliers);
	free(si->invoices);
	free(si->links);
	free(si->ramp);
	free(si->probs);
	memset(si, 0, sizeof(*si));
}
