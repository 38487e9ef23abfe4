/*
 * Exposure codecs (see json_exposure.h).
 */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "core/csv.h"
#include "json/json.h"
#include "json/json_exposure.h"

/* The figures of a group or of the totals, in the contract's order. */
static const char *const figure_names[] = {
	"suppliers", "suppliers_below", "employees", "employees_at_risk",
	"funding_gap", NULL
};

static void
figures_values(const struct exposure_figures *f, int64_t v[5])
{
	v[0] = f->suppliers;
	v[1] = f->suppliers_below;
	v[2] = f->employees;
	v[3] = f->employees_at_risk;
	v[4] = f->funding_gap;
}

static void
figures_add(cJSON *o, const struct exposure_figures *f, int hidden)
{
	int64_t	v[5];
	int	i;

	figures_values(f, v);
	for (i = 0; figure_names[i] != NULL; i++) {
		if (hidden)
			cJSON_AddNullToObject(o, figure_names[i]);
		else
			json_add_int64(o, figure_names[i], v[i]);
	}
}

void
json_exposure_body(struct buf *b, const struct json_exposure_head *h,
    const struct exposure_table *t)
{
	cJSON	*root, *groups, *g, *totals;
	size_t	 i;
	int	 hidden;

	if ((root = cJSON_CreateObject()) == NULL)
		abort();
	json_add_int64(root, "run_id", h->run_id);
	json_add_int64(root, "outage_days", h->outage_days);
	cJSON_AddStringToObject(root, "group_by", h->group_by);
	json_add_int64(root, "min_cell_size", h->min_cell_size);
	groups = cJSON_AddArrayToObject(root, "groups");
	for (i = 0; i < t->ngroups; i++) {
		if ((g = cJSON_CreateObject()) == NULL)
			abort();
		hidden = exposure_group_suppressed(&t->groups[i]);
		cJSON_AddStringToObject(g, "key", t->groups[i].key);
		figures_add(g, &t->groups[i].f, hidden);
		cJSON_AddBoolToObject(g, "suppressed", hidden);
		cJSON_AddItemToArray(groups, g);
	}
	totals = cJSON_AddObjectToObject(root, "totals");
	figures_add(totals, &t->totals, t->totals_suppressed);
	json_print_buf(b, root);
	cJSON_Delete(root);
}

void
json_exposure_csv(struct buf *b, const struct exposure_table *t)
{
	static const char *const	 header[] = {
		"key", "suppliers", "suppliers_below", "employees",
		"employees_at_risk", "funding_gap", "suppressed", NULL
	};
	struct csv			 c;
	int64_t				 v[5];
	size_t				 i;
	int				 k, hidden;

	csv_init(&c, b);
	csv_header(&c, header);
	for (i = 0; i < t->ngroups; i++) {
		hidden = exposure_group_suppressed(&t->groups[i]);
		figures_values(&t->groups[i].f, v);
		csv_field(&c, t->groups[i].key);
		for (k = 0; k < 5; k++) {
			if (hidden)
				csv_null(&c);
			else
				csv_int64(&c, v[k]);
		}
		csv_field(&c, hidden ? "true" : "false");
		csv_end_row(&c);
	}
}
