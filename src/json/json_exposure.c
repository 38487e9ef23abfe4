/*
 * Exposure codecs (see json_exposure.h).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/csv.h"
#include "json/json.h"
#include "json/json_exposure.h"

#define NFIG	7

/* The figures of a group or of the totals, in the contract's order. */
static const char *const figure_names[NFIG + 1] = {
	"suppliers", "suppliers_below", "employees", "employees_at_risk",
	"funding_gap", "suppliers_below_contagion", "overdue_trade_credit",
	NULL
};

/* The per-tier table's: no population headcount. */
static const char *const tier_names[] = {
	"suppliers", "suppliers_below", "suppliers_below_contagion",
	"employees_at_risk", "funding_gap", "overdue_trade_credit", NULL
};

static void
figures_values(const struct exposure_figures *f, int64_t v[NFIG])
{
	v[0] = f->suppliers;
	v[1] = f->suppliers_below;
	v[2] = f->employees;
	v[3] = f->employees_at_risk;
	v[4] = f->funding_gap;
	v[5] = f->suppliers_below_contagion;
	v[6] = f->overdue_trade_credit;
}

static int64_t
figure(const struct exposure_figures *f, const char *name)
{
	int64_t	v[NFIG];
	int	i;

	figures_values(f, v);
	for (i = 0; i < NFIG; i++) {
		if (strcmp(figure_names[i], name) == 0)
			return (v[i]);
	}
	abort();
}

/* Whether a figure is of the at-risk part of a cell. */
static int
at_risk(const char *name)
{
	return (strcmp(name, "suppliers") != 0 &&
	    strcmp(name, "employees") != 0);
}

/* hidden: 0 shown, 1 the at-risk part hidden, 2 the whole cell. */
static int
hidden_level(int whole, int risk)
{
	return (whole ? 2 : risk ? 1 : 0);
}

static int
figure_hidden(const char *name, int hidden)
{
	return (hidden == 2 || (hidden == 1 && at_risk(name)));
}

static int
group_hidden(const struct exposure_group *g, int controlled)
{
	if (!controlled)
		return (0);
	return (hidden_level(exposure_group_suppressed(g),
	    exposure_group_risk_suppressed(g)));
}

static void
figures_add(cJSON *o, const char *const *names,
    const struct exposure_figures *f, int hidden)
{
	int	i;

	for (i = 0; names[i] != NULL; i++) {
		if (figure_hidden(names[i], hidden))
			cJSON_AddNullToObject(o, names[i]);
		else
			json_add_int64(o, names[i], figure(f, names[i]));
	}
}

/* The expected figures, or nulls. */
static void
expected_add(cJSON *o, const struct exposure_expected *e)
{
	if (e == NULL || !e->shown) {
		cJSON_AddNullToObject(o, "expected_suppliers_below");
		cJSON_AddNullToObject(o, "expected_employees_at_risk");
		return;
	}
	json_add_int64(o, "expected_suppliers_below", e->suppliers_below);
	json_add_int64(o, "expected_employees_at_risk", e->employees_at_risk);
}

static void
expected_csv(struct csv *c, const struct exposure_expected *e)
{
	if (e == NULL || !e->shown) {
		csv_null(c);
		csv_null(c);
		return;
	}
	csv_int64(c, e->suppliers_below);
	csv_int64(c, e->employees_at_risk);
}

static cJSON *
groups_array(const struct exposure_table *t,
    const struct json_exposure_expected *ex, int with_expected)
{
	cJSON	*groups, *g;
	size_t	 i;
	int	 hidden;

	if ((groups = cJSON_CreateArray()) == NULL)
		abort();
	for (i = 0; i < t->ngroups; i++) {
		if ((g = cJSON_CreateObject()) == NULL)
			abort();
		hidden = hidden_level(exposure_group_suppressed(&t->groups[i]),
		    exposure_group_risk_suppressed(&t->groups[i]));
		cJSON_AddStringToObject(g, "key", t->groups[i].key);
		figures_add(g, figure_names, &t->groups[i].f, hidden);
		cJSON_AddBoolToObject(g, "suppressed", hidden == 2);
		cJSON_AddBoolToObject(g, "at_risk_suppressed", hidden != 0);
		if (with_expected)
			expected_add(g, ex != NULL ? &ex->groups[i] : NULL);
		cJSON_AddItemToArray(groups, g);
	}
	return (groups);
}

static cJSON *
totals_object(const struct exposure_table *t,
    const struct json_exposure_expected *ex, int with_expected)
{
	cJSON	*o;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	figures_add(o, figure_names, &t->totals,
	    hidden_level(t->totals_suppressed, t->totals_risk_suppressed));
	if (with_expected)
		expected_add(o, ex != NULL ? &ex->totals : NULL);
	return (o);
}

void
json_exposure_body(struct buf *b, const struct json_exposure_head *h,
    const struct exposure_table *t, const struct json_exposure_expected *ex)
{
	cJSON	*root, *probs, *p;
	size_t	 i;

	if ((root = cJSON_CreateObject()) == NULL)
		abort();
	json_add_int64(root, "run_id", h->run_id);
	json_add_int64(root, "outage_days", h->outage_days);
	cJSON_AddStringToObject(root, "group_by", h->group_by);
	json_add_int64(root, "min_cell_size", h->min_cell_size);
	if (h->nprob == 0)
		cJSON_AddNullToObject(root, "outage_probabilities");
	else {
		probs = cJSON_AddArrayToObject(root, "outage_probabilities");
		for (i = 0; i < h->nprob; i++) {
			if ((p = cJSON_CreateObject()) == NULL)
				abort();
			json_add_int64(p, "outage_days", h->prob_days[i]);
			json_add_int64(p, "probability_bps", h->prob_bps[i]);
			cJSON_AddItemToArray(probs, p);
		}
	}
	cJSON_AddItemToObject(root, "groups", groups_array(t, ex, 1));
	cJSON_AddItemToObject(root, "totals", totals_object(t, ex, 1));
	json_print_buf(b, root);
	cJSON_Delete(root);
}

/* The CSV header: context, key, figures, suppressed[, expected]. */
static void
csv_head(struct csv *c, const char *keyname, const char *const *names,
    int with_expected)
{
	const char	*h[16];
	size_t		 i, k;

	k = 0;
	h[k++] = "run_id";
	h[k++] = "outage_days";
	h[k++] = "group_by";
	h[k++] = keyname;
	for (i = 0; names[i] != NULL; i++)
		h[k++] = names[i];
	h[k++] = "suppressed";
	h[k++] = "at_risk_suppressed";
	if (with_expected) {
		h[k++] = "expected_suppliers_below";
		h[k++] = "expected_employees_at_risk";
	}
	h[k] = NULL;
	csv_header(c, h);
}

/*
 * One row; key NULL for the totals (an empty key field). ex is the row's
 * expected figures when the table has those columns (with_expected).
 */
static void
csv_row(struct csv *c, const struct json_exposure_head *h, int64_t outage,
    const char *key, const char *const *names,
    const struct exposure_figures *f, int hidden, int with_expected,
    const struct exposure_expected *ex)
{
	size_t	i;

	csv_int64(c, h->run_id);
	csv_int64(c, outage);
	csv_field(c, h->group_by);
	if (key == NULL)
		csv_null(c);
	else
		csv_field(c, key);
	for (i = 0; names[i] != NULL; i++) {
		if (figure_hidden(names[i], hidden))
			csv_null(c);
		else
			csv_int64(c, figure(f, names[i]));
	}
	csv_field(c, hidden == 2 ? "true" : "false");
	csv_field(c, hidden != 0 ? "true" : "false");
	if (with_expected)
		expected_csv(c, ex);
	csv_end_row(c);
}

static void
csv_table(struct csv *c, const struct json_exposure_head *h, int64_t outage,
    const struct exposure_table *t, const struct json_exposure_expected *ex,
    int with_expected)
{
	size_t	i;

	for (i = 0; i < t->ngroups; i++)
		csv_row(c, h, outage, t->groups[i].key, figure_names,
		    &t->groups[i].f, group_hidden(&t->groups[i], 1),
		    with_expected, ex != NULL ? &ex->groups[i] : NULL);
}

void
json_exposure_csv(struct buf *b, const struct json_exposure_head *h,
    const struct exposure_table *t, const struct json_exposure_expected *ex)
{
	struct csv	c;

	csv_init(&c, b);
	csv_head(&c, "key", figure_names, 1);
	csv_table(&c, h, h->outage_days, t, ex, 1);
}

/* The curve: t[L] for L = 0 .. nl - 1. */
void
json_exposure_curve(struct buf *b, const struct json_exposure_head *h,
    const struct exposure_table *t, size_t nl)
{
	cJSON	*root, *curve, *p;
	size_t	 L;

	if ((root = cJSON_CreateObject()) == NULL)
		abort();
	json_add_int64(root, "run_id", h->run_id);
	cJSON_AddStringToObject(root, "group_by", h->group_by);
	json_add_int64(root, "min_cell_size", h->min_cell_size);
	curve = cJSON_AddArrayToObject(root, "curve");
	for (L = 0; L < nl; L++) {
		if ((p = cJSON_CreateObject()) == NULL)
			abort();
		json_add_int64(p, "outage_days", (int64_t)L);
		cJSON_AddItemToObject(p, "groups", groups_array(&t[L], NULL,
		    0));
		cJSON_AddItemToObject(p, "totals", totals_object(&t[L], NULL,
		    0));
		cJSON_AddItemToArray(curve, p);
	}
	json_print_buf(b, root);
	cJSON_Delete(root);
}

void
json_exposure_curve_csv(struct buf *b, const struct json_exposure_head *h,
    const struct exposure_table *t, size_t nl)
{
	struct csv	c;
	size_t		L;

	csv_init(&c, b);
	csv_head(&c, "key", figure_names, 0);
	for (L = 0; L < nl; L++)
		csv_table(&c, h, (int64_t)L, &t[L], NULL, 0);
}

/* Per tier; controlled is 0 for treasury, which sees every figure. */
void
json_exposure_tiers(struct buf *b, const struct json_exposure_head *h,
    const struct exposure_table *t, int controlled)
{
	cJSON	*root, *tiers, *g;
	size_t	 i;
	int	 hidden;

	if ((root = cJSON_CreateObject()) == NULL)
		abort();
	json_add_int64(root, "run_id", h->run_id);
	json_add_int64(root, "outage_days", h->outage_days);
	if (controlled)
		json_add_int64(root, "min_cell_size", h->min_cell_size);
	else
		cJSON_AddNullToObject(root, "min_cell_size");
	tiers = cJSON_AddArrayToObject(root, "tiers");
	for (i = 0; i < t->ngroups; i++) {
		if ((g = cJSON_CreateObject()) == NULL)
			abort();
		hidden = group_hidden(&t->groups[i], controlled);
		json_add_int64(g, "tier", strtoll(t->groups[i].key, NULL, 10));
		figures_add(g, tier_names, &t->groups[i].f, hidden);
		cJSON_AddBoolToObject(g, "suppressed", hidden == 2);
		cJSON_AddBoolToObject(g, "at_risk_suppressed", hidden != 0);
		cJSON_AddItemToArray(tiers, g);
	}
	json_print_buf(b, root);
	cJSON_Delete(root);
}

void
json_exposure_tiers_csv(struct buf *b, const struct json_exposure_head *h,
    const struct exposure_table *t, int controlled)
{
	struct csv	c;
	size_t		i;

	csv_init(&c, b);
	csv_head(&c, "tier", tier_names, 0);
	for (i = 0; i < t->ngroups; i++)
		csv_row(&c, h, h->outage_days, t->groups[i].key, tier_names,
		    &t->groups[i].f, group_hidden(&t->groups[i], controlled),
		    0, NULL);
}
