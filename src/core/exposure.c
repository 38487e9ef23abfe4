/*
 * Exposure grouping and disclosure control (see exposure.h). Pure: rows
 * in, a table out, no I/O, so every rule is unit-tested by hand and by
 * property.
 */
#include <stdlib.h>
#include <string.h>

#include "core/exposure.h"

/* Size bands, UK and EU: the first whose bound the headcount is under. */
static const struct {
	int64_t		 below;
	const char	*name;
} bands[] = {
	{ 10,		"micro" },
	{ 50,		"small" },
	{ 250,		"medium" },
	{ INT64_MAX,	"large" },
};

const char *
exposure_size_band(int64_t employees)
{
	size_t	i;

	for (i = 0; i < sizeof(bands) / sizeof(bands[0]) - 1; i++) {
		if (employees < bands[i].below)
			return (bands[i].name);
	}
	return (bands[i].name);
}

int
exposure_group_suppressed(const struct exposure_group *g)
{
	return (g->reason != EXPOSURE_SHOWN);
}

static int
add(int64_t *sum, int64_t v)
{
	if (v > 0 ? *sum > INT64_MAX - v : *sum < INT64_MIN - v)
		return (-1);
	*sum += v;
	return (0);
}

static int
figures_add_row(struct exposure_figures *f, const struct exposure_row *r)
{
	f->suppliers++;
	if (add(&f->employees, r->employees) == -1)
		return (-1);
	if (r->employees > f->largest)
		f->largest = r->employees;
	if (!r->breached)
		return (0);
	f->suppliers_below++;
	if (add(&f->employees_at_risk, r->employees) == -1 ||
	    add(&f->funding_gap, r->funding_gap) == -1)
		return (-1);
	return (0);
}

static int
figures_add(struct exposure_figures *f, const struct exposure_figures *g)
{
	f->suppliers += g->suppliers;
	f->suppliers_below += g->suppliers_below;
	if (g->largest > f->largest)
		f->largest = g->largest;
	if (add(&f->employees, g->employees) == -1 ||
	    add(&f->employees_at_risk, g->employees_at_risk) == -1 ||
	    add(&f->funding_gap, g->funding_gap) == -1)
		return (-1);
	return (0);
}

/* Rule 2: largest * 10000 > k * employees, without overflow. */
static int
dominated(const struct exposure_figures *f,
    const struct exposure_rules *rules)
{
	if (rules->dominance_bps == 0 || f->employees <= 0)
		return (0);
	return ((__int128)f->largest * 10000 >
	    (__int128)rules->dominance_bps * f->employees);
}

/* Rules 1 and 2 on one set of figures: 0 when it may be shown. */
static int
unsafe(const struct exposure_figures *f, const struct exposure_rules *rules)
{
	if (f->suppliers < rules->min_cell_size)
		return (EXPOSURE_SMALL);
	if (dominated(f, rules))
		return (EXPOSURE_DOMINATED);
	return (0);
}

static int
row_cmp(const void *a, const void *b)
{
	const struct exposure_row *const	*x = a, *const *y = b;

	return (strcmp((*x)->key, (*y)->key));
}

/* The smallest group still shown (fewest suppliers, then key), or -1. */
static long
smallest_shown(const struct exposure_table *t)
{
	size_t	i;
	long	best;

	best = -1;
	for (i = 0; i < t->ngroups; i++) {
		if (t->groups[i].reason != EXPOSURE_SHOWN)
			continue;
		/* Groups are in key order: the first of a size wins ties. */
		if (best == -1 ||
		    t->groups[i].f.suppliers < t->groups[best].f.suppliers)
			best = (long)i;
	}
	return (best);
}

/* Rule 3: 0 when the suppressed groups, taken together, are safe. */
static int
complement_unsafe(const struct exposure_table *t,
    const struct exposure_rules *rules, int *err)
{
	struct exposure_figures	u;
	size_t			i, n;

	memset(&u, 0, sizeof(u));
	for (i = 0, n = 0; i < t->ngroups; i++) {
		if (t->groups[i].reason == EXPOSURE_SHOWN)
			continue;
		n++;
		if (figures_add(&u, &t->groups[i].f) == -1)
			*err = 1;
	}
	if (n == 0)
		return (0);
	return (n == 1 || unsafe(&u, rules) != 0);
}

/*
 * Group the rows by key and apply the rules. 0, or -1 when a sum would
 * overflow, a row has no key or the rules are out of range; the table
 * is then empty.
 */
int
exposure_build(const struct exposure_row *rows, size_t n,
    const struct exposure_rules *rules, struct exposure_table *t)
{
	const struct exposure_row	**order;
	struct exposure_group		 *g;
	size_t				  i;
	long				  s;
	int				  err;

	memset(t, 0, sizeof(*t));
	if (rules->min_cell_size < 1 || rules->dominance_bps < 0 ||
	    rules->dominance_bps > 10000)
		return (-1);
	if ((order = calloc(n ? n : 1, sizeof(*order))) == NULL ||
	    (t->groups = calloc(n ? n : 1, sizeof(*t->groups))) == NULL)
		abort();
	err = 0;
	for (i = 0; i < n; i++) {
		if (rows[i].key == NULL || rows[i].employees < 0 ||
		    rows[i].funding_gap < 0)
			err = 1;
		order[i] = &rows[i];
	}
	if (err)
		goto fail;
	qsort(order, n, sizeof(*order), row_cmp);

	for (i = 0; i < n; i++) {
		if (t->ngroups == 0 ||
		    strcmp(t->groups[t->ngroups - 1].key, order[i]->key) != 0) {
			g = &t->groups[t->ngroups++];
			g->key = order[i]->key;
		}
		if (figures_add_row(&t->groups[t->ngroups - 1].f,
		    order[i]) == -1 || figures_add_row(&t->totals,
		    order[i]) == -1)
			goto fail;
	}

	/* Rules 1 and 2. */
	for (i = 0; i < t->ngroups; i++)
		t->groups[i].reason = unsafe(&t->groups[i].f, rules);

	/* Rule 3, starting with the contract's single-cell case. */
	while (complement_unsafe(t, rules, &err) &&
	    (s = smallest_shown(t)) != -1)
		t->groups[s].reason = EXPOSURE_COMPLEMENT;
	if (err)
		goto fail;

	/* Rule 4. */
	t->totals_suppressed = unsafe(&t->totals, rules) != 0 ||
	    complement_unsafe(t, rules, &err);
	if (err)
		goto fail;
	free(order);
	return (0);
fail:
	free(order);
	exposure_table_cleanup(t);
	return (-1);
}

void
exposure_table_cleanup(struct exposure_table *t)
{
	free(t->groups);
	memset(t, 0, sizeof(*t));
}
