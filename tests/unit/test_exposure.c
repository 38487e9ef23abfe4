/*
 * Exposure disclosure control: size bands at their edges, grouping and
 * totals, each suppression rule on a hand-computed table, and a seeded
 * property over random tables: no figure shown and no difference between
 * the totals and the groups shown describes fewer than min_cell_size
 * suppliers or is dominated by one, and the contract's rules hold exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/exposure.h"

static const struct exposure_rules	contract = { 5, 0 };
static const struct exposure_rules	service = { 5, EXPOSURE_DOMINANCE_BPS };

/* One supplier of a one-grouping table at one outage length. */
struct exposure_row {
	const char	*key;
	int64_t		 employees;
	int		 breached;
	int64_t		 funding_gap;
};

/* n rows of one key, each with these employees, the first b breached. */
static size_t
fill(struct exposure_row *r, size_t at, const char *key, int n, int b,
    int64_t employees, int64_t gap)
{
	int	i;

	for (i = 0; i < n; i++) {
		r[at + i].key = key;
		r[at + i].employees = employees;
		r[at + i].breached = i < b;
		r[at + i].funding_gap = i < b ? gap : 0;
	}
	return (at + (size_t)n);
}

/* Ids for up to 4096 suppliers. */
static const char *
sid(size_t i)
{
	static char	ids[4096][24];

	i %= 4096;
	snprintf(ids[i], sizeof(ids[i]), "S%zu", i);
	return (ids[i]);
}

/* The release of one run of one grouping at one L, and its table. */
static int
exposure_build(const struct exposure_row *r, size_t n,
    const struct exposure_rules *rules, struct exposure_table *t)
{
	struct exposure_supplier	*s;
	struct exposure_result		*x;
	struct exposure_run		 run;
	struct exposure_release		 rel;
	size_t				 i;
	int				 rc;

	s = calloc(n + 1, sizeof(*s));
	x = calloc(n + 1, sizeof(*x));
	for (i = 0; i < n; i++) {
		s[i].id = sid(i);
		s[i].key[0] = r[i].key;
		s[i].employees = r[i].employees;
		x[i].funding_gap = r[i].breached ? (r[i].funding_gap > 0 ?
		    r[i].funding_gap : 1) : 0;
		if (r[i].funding_gap < 0)
			x[i].funding_gap = -1;
	}
	run.s = s;
	run.n = n;
	run.r = x;
	run.nl = 1;
	memset(t, 0, sizeof(*t));
	rc = exposure_release_build(&run, 1, 1, rules, &rel);
	if (rc == 0)
		rc = exposure_table_build(&rel, &run, 0, 0, t);
	exposure_release_cleanup(&rel);
	free(s);
	free(x);
	return (rc);
}

static const struct exposure_group *
group(const struct exposure_table *t, const char *key)
{
	size_t	i;

	for (i = 0; i < t->ngroups; i++) {
		if (strcmp(t->groups[i].key, key) == 0)
			return (&t->groups[i]);
	}
	fail_msg("no group %s", key);
	return (NULL);
}

static void
size_bands_at_their_edges(void **state)
{
	assert_string_equal(exposure_size_band(0), "micro");
	assert_string_equal(exposure_size_band(9), "micro");
	assert_string_equal(exposure_size_band(10), "small");
	assert_string_equal(exposure_size_band(49), "small");
	assert_string_equal(exposure_size_band(50), "medium");
	assert_string_equal(exposure_size_band(249), "medium");
	assert_string_equal(exposure_size_band(250), "large");
	assert_string_equal(exposure_size_band(120000), "large");
}

/* Nothing small: every group shown, in key order, totals the sum. */
static void
groups_and_totals(void **state)
{
	struct exposure_row	r[32];
	struct exposure_table	t;
	size_t			n;
	const struct exposure_group *g;

	n = fill(r, 0, "Wales", 6, 6, 40, 1000);
	n = fill(r, n, "North West", 5, 0, 20, 0);
	n = fill(r, n, "West Midlands", 7, 7, 100, 250);
	assert_int_equal(exposure_build(r, n, &service, &t), 0);
	assert_int_equal(t.ngroups, 3);
	assert_string_equal(t.groups[0].key, "North West");
	assert_string_equal(t.groups[1].key, "Wales");
	assert_string_equal(t.groups[2].key, "West Midlands");
	g = group(&t, "Wales");
	assert_false(exposure_group_suppressed(g));
	assert_int_equal(g->f.suppliers, 6);
	assert_int_equal(g->f.suppliers_below, 6);
	assert_int_equal(g->f.employees, 240);
	assert_int_equal(g->f.employees_at_risk, 240);
	assert_int_equal(g->f.funding_gap, 6000);
	g = group(&t, "West Midlands");
	assert_int_equal(g->f.employees_at_risk, 700);
	assert_int_equal(g->f.funding_gap, 1750);
	assert_false(t.totals_suppressed);
	assert_int_equal(t.totals.suppliers, 18);
	assert_int_equal(t.totals.suppliers_below, 13);
	assert_int_equal(t.totals.employees, 240 + 100 + 700);
	assert_int_equal(t.totals.employees_at_risk, 240 + 700);
	assert_int_equal(t.totals.funding_gap, 7750);
	exposure_table_cleanup(&t);
}

/*
 * One group below the minimum (C, 3 suppliers): the smallest other group
 * goes too. A and D both have 6; A wins the tie by key. Totals stay, and
 * totals minus the shown groups is C + A: 9 suppliers.
 */
static void
one_small_group_takes_the_smallest_other(void **state)
{
	struct exposure_row	r[64];
	struct exposure_table	t;
	size_t			n;

	n = fill(r, 0, "D", 6, 0, 30, 10);
	n = fill(r, n, "C", 3, 0, 30, 10);
	n = fill(r, n, "B", 9, 0, 30, 10);
	n = fill(r, n, "A", 6, 0, 30, 10);
	assert_int_equal(exposure_build(r, n, &contract, &t), 0);
	assert_int_equal(group(&t, "C")->reason, EXPOSURE_SMALL);
	assert_int_equal(group(&t, "A")->reason, EXPOSURE_COMPLEMENT);
	assert_int_equal(group(&t, "B")->reason, EXPOSURE_SHOWN);
	assert_int_equal(group(&t, "D")->reason, EXPOSURE_SHOWN);
	assert_false(t.totals_suppressed);
	assert_int_equal(t.totals.suppliers, 24);
	assert_int_equal(t.totals.suppliers_below, 0);
	exposure_table_cleanup(&t);
}

/* Two small groups, 3 + 4 = 7 together: nothing else needs to go. */
static void
two_small_groups_protect_each_other(void **state)
{
	struct exposure_row	r[64];
	struct exposure_table	t;
	size_t			n;

	n = fill(r, 0, "A", 3, 0, 30, 10);
	n = fill(r, n, "B", 4, 0, 30, 10);
	n = fill(r, n, "C", 5, 0, 30, 10);
	n = fill(r, n, "D", 8, 0, 30, 10);
	assert_int_equal(exposure_build(r, n, &contract, &t), 0);
	assert_int_equal(group(&t, "A")->reason, EXPOSURE_SMALL);
	assert_int_equal(group(&t, "B")->reason, EXPOSURE_SMALL);
	assert_int_equal(group(&t, "C")->reason, EXPOSURE_SHOWN);
	assert_int_equal(group(&t, "D")->reason, EXPOSURE_SHOWN);
	assert_false(t.totals_suppressed);
	exposure_table_cleanup(&t);
}

/*
 * Two tiny groups, 1 + 2 = 3 together: totals minus the shown groups
 * would describe three firms, so the smallest shown group goes too.
 */
static void
tiny_groups_together_still_need_a_complement(void **state)
{
	struct exposure_row	r[64];
	struct exposure_table	t;
	size_t			n;

	n = fill(r, 0, "A", 1, 0, 30, 10);
	n = fill(r, n, "B", 2, 0, 30, 10);
	n = fill(r, n, "C", 7, 0, 30, 10);
	n = fill(r, n, "D", 5, 0, 30, 10);
	assert_int_equal(exposure_build(r, n, &contract, &t), 0);
	assert_int_equal(group(&t, "A")->reason, EXPOSURE_SMALL);
	assert_int_equal(group(&t, "B")->reason, EXPOSURE_SMALL);
	assert_int_equal(group(&t, "D")->reason, EXPOSURE_COMPLEMENT);
	assert_int_equal(group(&t, "C")->reason, EXPOSURE_SHOWN);
	assert_false(t.totals_suppressed);
	exposure_table_cleanup(&t);
}

/* Only two groups, one small: both go, and the totals (all of it) stay. */
static void
the_only_other_group_goes_and_totals_stay(void **state)
{
	struct exposure_row	r[64];
	struct exposure_table	t;
	size_t			n;

	n = fill(r, 0, "A", 2, 0, 30, 10);
	n = fill(r, n, "B", 10, 0, 30, 10);
	assert_int_equal(exposure_build(r, n, &contract, &t), 0);
	assert_int_equal(group(&t, "A")->reason, EXPOSURE_SMALL);
	assert_int_equal(group(&t, "B")->reason, EXPOSURE_COMPLEMENT);
	assert_false(t.totals_suppressed);
	assert_int_equal(t.totals.suppliers, 12);
	exposure_table_cleanup(&t);
}

/* One group in all, and it is small: the totals are that group. */
static void
a_lone_small_group_takes_the_totals(void **state)
{
	struct exposure_row	r[8];
	struct exposure_table	t;
	size_t			n;

	n = fill(r, 0, "A", 4, 0, 30, 10);
	assert_int_equal(exposure_build(r, n, &contract, &t), 0);
	assert_int_equal(t.ngroups, 1);
	assert_int_equal(group(&t, "A")->reason, EXPOSURE_SMALL);
	assert_true(t.totals_suppressed);
	exposure_table_cleanup(&t);
}

/* A lone group of enough suppliers is shown, totals too. */
static void
a_lone_large_group_is_shown(void **state)
{
	struct exposure_row	r[8];
	struct exposure_table	t;
	size_t			n;

	n = fill(r, 0, "A", 5, 0, 30, 10);
	assert_int_equal(exposure_build(r, n, &contract, &t), 0);
	assert_int_equal(group(&t, "A")->reason, EXPOSURE_SHOWN);
	assert_false(t.totals_suppressed);
	exposure_table_cleanup(&t);
}

/*
 * Dominance: in B one firm of 1,000 employees among five of 10 has
 * 1000 / 1040 = 96 % of the headcount. Off under the contract's rules
 * alone; under the service's, B is suppressed and, being the only one,
 * takes the smallest other group (A, 5) with it. A + B hold 1,090
 * employees, the large firm 92 %: still dominated, so C goes as well.
 */
static void
a_dominated_group_is_suppressed(void **state)
{
	struct exposure_row	r[400];
	struct exposure_table	t;
	size_t			n;

	n = fill(r, 0, "A", 5, 0, 10, 0);
	n = fill(r, n, "B", 5, 0, 10, 0);
	r[n - 1].employees = 1000;
	n = fill(r, n, "C", 6, 0, 10, 0);
	n = fill(r, n, "D", 300, 0, 10, 0);
	assert_int_equal(exposure_build(r, n, &contract, &t), 0);
	assert_int_equal(group(&t, "B")->reason, EXPOSURE_SHOWN);
	exposure_table_cleanup(&t);

	assert_int_equal(exposure_build(r, n, &service, &t), 0);
	assert_int_equal(group(&t, "B")->reason, EXPOSURE_DOMINATED);
	assert_int_equal(group(&t, "A")->reason, EXPOSURE_COMPLEMENT);
	assert_int_equal(group(&t, "C")->reason, EXPOSURE_COMPLEMENT);
	assert_int_equal(group(&t, "D")->reason, EXPOSURE_SHOWN);
	assert_false(t.totals_suppressed);	/* 1000 of 4,150 */
	exposure_table_cleanup(&t);
}

static void
bad_input_is_refused(void **state)
{
	struct exposure_row		r[2];
	struct exposure_table		t;
	struct exposure_rules		bad = { 0, 0 };

	fill(r, 0, "A", 2, 2, INT64_MAX, 1);
	assert_int_equal(exposure_build(r, 2, &contract, &t), -1);
	assert_int_equal(t.ngroups, 0);
	fill(r, 0, "A", 1, 0, 1, 0);
	assert_int_equal(exposure_build(r, 1, &bad, &t), -1);
	r[0].key = NULL;
	assert_int_equal(exposure_build(r, 1, &contract, &t), -1);
	assert_int_equal(exposure_build(r, 0, &contract, &t), 0);
	assert_int_equal(t.ngroups, 0);
	assert_false(t.totals_suppressed && t.totals.suppliers != 0);
	exposure_table_cleanup(&t);
}

/* The rules' own checks, restated independently of the implementation. */
struct sums {
	int64_t	suppliers, employees, largest, below, at_risk, largest_at_risk;
	int64_t	gap, largest_gap;
};

static void
sums_add(struct sums *x, const struct exposure_row *r)
{
	int64_t	g;

	x->suppliers++;
	x->employees += r->employees;
	if (r->employees > x->largest)
		x->largest = r->employees;
	if (!r->breached)
		return;
	x->below++;
	x->at_risk += r->employees;
	if (r->employees > x->largest_at_risk)
		x->largest_at_risk = r->employees;
	g = r->funding_gap > 0 ? r->funding_gap : 1;
	x->gap += g;
	if (g > x->largest_gap)
		x->largest_gap = g;
}

static int
dom(int64_t largest, int64_t sum, const struct exposure_rules *rules)
{
	return (rules->dominance_bps > 0 && sum > 0 &&
	    largest * 10000 > rules->dominance_bps * sum);
}

static int
safe_population(const struct sums *x, const struct exposure_rules *rules)
{
	return (x->suppliers >= rules->min_cell_size &&
	    !dom(x->largest, x->employees, rules));
}

static int
safe_risk(const struct sums *x, const struct exposure_rules *rules)
{
	if (x->below > 0 && x->below < rules->min_cell_size)
		return (0);
	return (!dom(x->largest_at_risk, x->at_risk, rules) &&
	    !dom(x->largest_gap, x->gap, rules));
}

static void
check_table(const struct exposure_row *r, size_t n,
    const struct exposure_table *t, const struct exposure_rules *rules)
{
	struct sums	x, all, hid, rhid;
	size_t		i, j, nsup, nrsup, nsmall;
	long		smallest;

	/* Every shown group is safe, from the rows themselves. */
	nsup = nrsup = nsmall = 0;
	memset(&all, 0, sizeof(all));
	memset(&hid, 0, sizeof(hid));
	memset(&rhid, 0, sizeof(rhid));
	for (j = 0; j < n; j++)
		sums_add(&all, &r[j]);
	for (i = 0; i < t->ngroups; i++) {
		memset(&x, 0, sizeof(x));
		for (j = 0; j < n; j++) {
			if (strcmp(r[j].key, t->groups[i].key) != 0)
				continue;
			sums_add(&x, &r[j]);
			if (exposure_group_suppressed(&t->groups[i]))
				sums_add(&hid, &r[j]);
			if (exposure_group_risk_suppressed(&t->groups[i]))
				sums_add(&rhid, &r[j]);
		}
		assert_int_equal(t->groups[i].f.suppliers, x.suppliers);
		assert_int_equal(t->groups[i].f.suppliers_below, x.below);
		assert_int_equal(t->groups[i].f.funding_gap, x.gap);
		/* The contract's primary rule, exactly. */
		if (x.suppliers < rules->min_cell_size)
			assert_int_equal(t->groups[i].reason, EXPOSURE_SMALL);
		if (!exposure_group_suppressed(&t->groups[i]))
			assert_true(safe_population(&x, rules));
		if (!exposure_group_risk_suppressed(&t->groups[i]))
			assert_true(safe_risk(&x, rules));
		if (exposure_group_suppressed(&t->groups[i]))
			nsup++;
		if (exposure_group_risk_suppressed(&t->groups[i]))
			nrsup++;
		if (t->groups[i].reason == EXPOSURE_SMALL ||
		    t->groups[i].reason == EXPOSURE_DOMINATED)
			nsmall++;
	}

	/* The contract's secondary rule, exactly. */
	if (nsmall == 1) {
		smallest = -1;
		for (i = 0; i < t->ngroups; i++) {
			if (t->groups[i].reason == EXPOSURE_SMALL ||
			    t->groups[i].reason == EXPOSURE_DOMINATED)
				continue;
			if (smallest == -1 || t->groups[i].f.suppliers <
			    t->groups[smallest].f.suppliers)
				smallest = (long)i;
		}
		if (smallest != -1)
			assert_true(exposure_group_suppressed(
			    &t->groups[smallest]));
	}

	/* Totals minus the shown groups: the suppressed ones, together. */
	if (!t->totals_suppressed) {
		assert_true(n == 0 || safe_population(&all, rules));
		assert_true(nsup != 1);
		if (nsup > 0)
			assert_true(safe_population(&hid, rules));
	}
	if (!t->totals_risk_suppressed) {
		assert_true(safe_risk(&all, rules));
		assert_true(nrsup != 1);
		if (nrsup > 0)
			assert_true(safe_risk(&rhid, rules));
	}
}

static void
property_nothing_isolates_a_few(void **state)
{
	static const char *const	 keys[] = {
		"A", "B", "C", "D", "E", "F", "G", "H"
	};
	struct exposure_row		 r[200];
	struct exposure_table		 t;
	struct exposure_rules		 rules;
	size_t				 n, i, nkeys;
	int				 iter;

	srand(20251007);
	for (iter = 0; iter < 20000; iter++) {
		nkeys = 1 + (size_t)(rand() % 8);
		n = (size_t)(rand() % 60);
		memset(&rules, 0, sizeof(rules));
		rules.min_cell_size = 1 + rand() % 10;
		rules.dominance_bps = iter % 2 ? EXPOSURE_DOMINANCE_BPS :
		    (iter % 4 ? 0 : 5000 + rand() % 5001);
		for (i = 0; i < n; i++) {
			/* Skewed keys, so that small groups are common. */
			r[i].key = keys[(size_t)(rand() % (int)nkeys) *
			    (size_t)(rand() % (int)nkeys) / nkeys];
			r[i].employees = rand() % 4 == 0 ? rand() % 5000 :
			    rand() % 60;
			r[i].breached = rand() % 3 == 0;
			r[i].funding_gap = r[i].breached ? rand() % 100000 : 0;
		}
		assert_int_equal(exposure_build(r, n, &rules, &t), 0);
		check_table(r, n, &t, &rules);
		exposure_table_cleanup(&t);
	}
}

/*
 * The at-risk part of a cell: six suppliers, one below. Showing the cell
 * would show that firm's employees and gap, so it goes, with the
 * smallest other group (B); A and B together still hold one firm below,
 * so the smallest group shown (C) goes too. A cell with none below may
 * be shown (its zeros describe no firm's figures), and so is one with
 * five below.
 */
static void
one_firm_below_is_not_shown(void **state)
{
	struct exposure_row	r[64];
	struct exposure_table	t;
	size_t			n;

	n = fill(r, 0, "A", 6, 1, 30, 900);
	n = fill(r, n, "B", 7, 0, 30, 0);
	n = fill(r, n, "C", 8, 5, 30, 100);
	n = fill(r, n, "D", 9, 5, 30, 100);
	assert_int_equal(exposure_build(r, n, &service, &t), 0);
	/* Every population is shown... */
	assert_int_equal(group(&t, "A")->reason, EXPOSURE_SHOWN);
	assert_int_equal(group(&t, "A")->f.suppliers, 6);
	/* ... and the at-risk parts of A, B and C are not. */
	assert_int_equal(group(&t, "A")->risk_reason, EXPOSURE_SMALL);
	assert_int_equal(group(&t, "B")->risk_reason, EXPOSURE_COMPLEMENT);
	assert_int_equal(group(&t, "C")->risk_reason, EXPOSURE_COMPLEMENT);
	assert_int_equal(group(&t, "D")->risk_reason, EXPOSURE_SHOWN);
	assert_int_equal(group(&t, "D")->f.funding_gap, 500);
	assert_false(t.totals_suppressed);
	assert_false(t.totals_risk_suppressed);
	exposure_table_cleanup(&t);

	/* With A's firm one of five below, A is shown. */
	fill(r, 0, "A", 6, 5, 30, 900);
	assert_int_equal(exposure_build(r, n, &service, &t), 0);
	assert_false(exposure_group_risk_suppressed(group(&t, "A")));
	assert_false(exposure_group_risk_suppressed(group(&t, "B")));
	assert_int_equal(t.totals.suppliers_below, 15);
	exposure_table_cleanup(&t);
}

/* One firm's gap of 91 % of the cell's: dominance on the at-risk part. */
static void
a_dominant_gap_is_suppressed(void **state)
{
	struct exposure_row	r[64];
	struct exposure_table	t;
	size_t			n;

	n = fill(r, 0, "A", 6, 6, 30, 10);
	r[0].funding_gap = 600;		/* 600 of 650 */
	n = fill(r, n, "B", 7, 0, 30, 0);
	n = fill(r, n, "C", 8, 8, 30, 100);
	assert_int_equal(exposure_build(r, n, &service, &t), 0);
	assert_int_equal(group(&t, "A")->reason, EXPOSURE_SHOWN);
	assert_int_equal(group(&t, "A")->risk_reason, EXPOSURE_DOMINATED);
	assert_true(exposure_group_risk_suppressed(group(&t, "B")));
	exposure_table_cleanup(&t);
	assert_int_equal(exposure_build(r, n, &contract, &t), 0);
	assert_false(exposure_group_risk_suppressed(group(&t, "A")));
	exposure_table_cleanup(&t);
}

/* A run of suppliers with two groupings at one or more L. */
struct net {
	struct exposure_supplier	s[256];
	struct exposure_result		r[256 * 4];
	size_t				n, nl;
};

static void
net_add(struct net *x, size_t count, const char *k0, const char *k1,
    int64_t employees, const int64_t *gap)
{
	size_t	i, L;

	for (i = 0; i < count; i++) {
		x->s[x->n].id = sid(x->n + 1000);
		x->s[x->n].key[0] = k0;
		x->s[x->n].key[1] = k1;
		x->s[x->n].employees = employees;
		for (L = 0; L < x->nl; L++)
			x->r[x->n * x->nl + L].funding_gap = gap[L];
		x->n++;
	}
}

static struct exposure_run
net_run(const struct net *x)
{
	struct exposure_run	run;

	run.s = x->s;
	run.n = x->n;
	run.r = x->r;
	run.nl = x->nl;
	return (run);
}

static const struct exposure_group *
cell(const struct exposure_release *rel, const struct exposure_run *run,
    size_t g, size_t L, const char *key, struct exposure_table *t)
{
	assert_int_equal(exposure_table_build(rel, run, g, L, t), 0);
	return (group(t, key));
}

/*
 * Crossing two groupings: region N holds one firm in castings (F, 40
 * employees, gap 300) and five in plastics; region S only castings
 * (five). Every group has five or more firms below, none dominant; yet
 * N + castings - totals is F alone, to the penny. The release must not
 * let the three be read together.
 */
static void
crossing_two_groupings_does_not_isolate_a_firm(void **state)
{
	static struct net		x;
	struct exposure_run		run;
	struct exposure_release		rel;
	struct exposure_table		tn, tc, tp;
	const struct exposure_group	*n, *c, *p;
	const int64_t			 g300[] = { 300 }, g100[] = { 100 };
	const int64_t			 g0[] = { 0 };
	size_t				 i;

	memset(&x, 0, sizeof(x));
	x.nl = 1;
	net_add(&x, 1, "N", "castings", 40, g300);
	net_add(&x, 5, "N", "plastics", 30, g100);
	net_add(&x, 5, "S", "castings", 30, g100);
	net_add(&x, 5, "N", "plastics", 30, g0);
	net_add(&x, 5, "S", "castings", 30, g0);
	run = net_run(&x);

	assert_int_equal(exposure_release_build(&run, 1, 2, &service, &rel),
	    0);
	n = cell(&rel, &run, 0, 0, "N", &tn);
	c = cell(&rel, &run, 1, 0, "castings", &tc);
	p = cell(&rel, &run, 1, 0, "plastics", &tp);
	/* Each alone would pass rules 1 and 2. */
	assert_int_equal(n->f.suppliers_below, 6);
	assert_int_equal(c->f.suppliers_below, 6);
	assert_int_equal(tn.totals.suppliers_below, 11);
	/* But not all three at-risk parts can be shown. */
	assert_true(exposure_group_risk_suppressed(n) ||
	    exposure_group_risk_suppressed(c) || tn.totals_risk_suppressed);
	/* Nor N with plastics: N - plastics is F too. */
	assert_true(exposure_group_risk_suppressed(n) ||
	    exposure_group_risk_suppressed(p));
	/* Its headcount, 40, is not the difference of any two shown. */
	for (i = 0; i < rel.ncells; i++)
		assert_true(rel.risk[i] == EXPOSURE_SHOWN ||
		    rel.risk[i] == EXPOSURE_COMPLEMENT);
	exposure_table_cleanup(&tn);
	exposure_table_cleanup(&tc);
	exposure_table_cleanup(&tp);

	/* One grouping at a time, nothing was suppressed. */
	exposure_release_cleanup(&rel);
	assert_int_equal(exposure_release_build(&run, 1, 1, &service, &rel),
	    0);
	for (i = 0; i < rel.ncells; i++) {
		assert_int_equal(rel.cells[i].reason, EXPOSURE_SHOWN);
		assert_int_equal(rel.risk[i], EXPOSURE_SHOWN);
	}
	exposure_release_cleanup(&rel);
}

/*
 * Across outage lengths. Population: a group suppressed at one length is
 * suppressed at every one (P, 3 firms). At risk: G's firms fall at
 * L = 1 (2), 2 (4 more), 3 (1 more) and 4 (4 more). At L = 1 two below
 * are too few, in G and in the totals (I, with none below, stays); L = 2
 * shows six; L = 3 would differ from L = 2 by one firm, so G's at-risk
 * part goes (rule 6), with H's as its complement and the totals' (also
 * one firm from L = 2); L = 4 differs from L = 2 by five: shown.
 */
static void
differencing_two_lengths_isolates_no_firm(void **state)
{
	static struct net		x;
	struct exposure_run		run;
	struct exposure_release		rel;
	struct exposure_table		t;
	const int64_t			 l1[] = { 0, 9, 9, 9, 9 };
	const int64_t			 l2[] = { 0, 0, 9, 9, 9 };
	const int64_t			 l3[] = { 0, 0, 0, 9, 9 };
	const int64_t			 l4[] = { 0, 0, 0, 0, 9 };
	const int64_t			 never[] = { 0, 0, 0, 0, 0 };
	size_t				 L;

	memset(&x, 0, sizeof(x));
	x.nl = 5;
	net_add(&x, 2, "G", "a", 30, l1);
	net_add(&x, 4, "G", "a", 30, l2);
	net_add(&x, 1, "G", "a", 30, l3);
	net_add(&x, 4, "G", "a", 30, l4);
	net_add(&x, 1, "G", "a", 30, never);
	net_add(&x, 6, "H", "a", 30, never);
	net_add(&x, 7, "I", "a", 30, never);
	net_add(&x, 3, "P", "a", 30, never);
	run = net_run(&x);
	assert_int_equal(exposure_release_build(&run, 1, 1, &service, &rel),
	    0);
	for (L = 0; L < 5; L++) {
		/* P and its complement H, whole, at every L. */
		assert_int_equal(cell(&rel, &run, 0, L, "P", &t)->reason,
		    EXPOSURE_SMALL);
		assert_int_equal(group(&t, "H")->reason, EXPOSURE_COMPLEMENT);
		assert_int_equal(group(&t, "G")->reason, EXPOSURE_SHOWN);
		assert_int_equal(group(&t, "I")->reason, EXPOSURE_SHOWN);
		switch (L) {
		case 0:
		case 2:
		case 4:
			assert_false(exposure_group_risk_suppressed(group(&t,
			    "G")));
			assert_false(t.totals_risk_suppressed);
			assert_int_equal(group(&t, "G")->f.suppliers_below,
			    L == 0 ? 0 : L == 2 ? 6 : 11);
			break;
		case 1:
			assert_int_equal(group(&t, "G")->risk_reason,
			    EXPOSURE_SMALL);
			assert_false(exposure_group_risk_suppressed(group(&t,
			    "I")));
			assert_true(t.totals_risk_suppressed);
			break;
		case 3:
			assert_int_equal(group(&t, "G")->risk_reason,
			    EXPOSURE_STEP);
			assert_true(exposure_group_risk_suppressed(group(&t,
			    "H")));
			assert_true(t.totals_risk_suppressed);
			break;
		}
		exposure_table_cleanup(&t);
	}
	exposure_release_cleanup(&rel);
}

/*
 * Across runs of one scenario: the second adds one firm to region W.
 * Totals of the second minus totals of the first would be that firm;
 * W of the second minus W of the first too. Both are suppressed, in both
 * runs (one release). An at-risk part suppressed in one run only (X: two
 * below in the first run, none in the second) is suppressed in both.
 */
static void
differencing_two_runs_isolates_no_firm(void **state)
{
	static struct net		a, b;
	struct exposure_run		runs[2];
	struct exposure_release		rel;
	struct exposure_table		t;
	const int64_t			 g10[] = { 10 }, g0[] = { 0 };
	const int64_t			 g99[] = { 99 };

	memset(&a, 0, sizeof(a));
	a.nl = 1;
	net_add(&a, 6, "W", "a", 30, g10);
	net_add(&a, 6, "V", "a", 30, g10);
	net_add(&a, 6, "U", "a", 30, g0);
	net_add(&a, 2, "X", "a", 30, g10);
	net_add(&a, 4, "X", "a", 30, g0);
	net_add(&a, 9, "Y", "a", 30, g0);
	b = a;
	/* Run 2: X's firms do not fall; one more firm in W. */
	b.r[18].funding_gap = b.r[19].funding_gap = 0;
	net_add(&b, 1, "W", "a", 30, g99);
	runs[0] = net_run(&b);
	runs[1] = net_run(&a);

	/* Alone, run 2 shows everything. */
	assert_int_equal(exposure_release_build(runs, 1, 1, &service, &rel),
	    0);
	assert_false(exposure_group_suppressed(cell(&rel, &runs[0], 0, 0,
	    "W", &t)));
	assert_false(t.totals_suppressed);
	assert_int_equal(group(&t, "W")->f.suppliers, 7);
	exposure_table_cleanup(&t);
	exposure_release_cleanup(&rel);

	assert_int_equal(exposure_release_build(runs, 2, 1, &service, &rel),
	    0);
	assert_int_equal(cell(&rel, &runs[0], 0, 0, "W", &t)->reason,
	    EXPOSURE_CHANGED);
	assert_true(t.totals_suppressed);
	/* X: none below in run 2, but two in run 1. */
	assert_int_equal(group(&t, "X")->f.suppliers_below, 0);
	assert_false(exposure_group_suppressed(group(&t, "X")));
	assert_true(exposure_group_risk_suppressed(group(&t, "X")));
	exposure_table_cleanup(&t);
	assert_true(exposure_group_suppressed(cell(&rel, &runs[1], 0, 0,
	    "W", &t)));
	assert_true(exposure_group_risk_suppressed(group(&t, "X")));
	assert_true(t.totals_suppressed);
	exposure_table_cleanup(&t);
	exposure_release_cleanup(&rel);
}

/*
 * Publishing a run can take suppression away unless the release builds
 * on the one before it. Run 1 alone: X has one firm below, so X's
 * at-risk part goes with its complement, Y's (the smallest). Runs 1 and
 * 2: W has four below and V two in run 2, so X's, W's and V's parts go
 * and together need no complement; Y's would be shown, and with run 1's
 * W and V (shown before) X would follow from run 1's totals. Built on
 * the first release, Y stays suppressed.
 */
static void
a_publication_takes_no_suppression_away(void **state)
{
	static struct net		a, b;
	struct exposure_run		runs[2];
	struct exposure_release		rel1, rel2;
	struct exposure_rules		rules = service;
	struct exposure_table		t;
	const int64_t			 g10[] = { 10 }, g0[] = { 0 };

	memset(&a, 0, sizeof(a));
	a.nl = 1;
	net_add(&a, 1, "X", "a", 30, g10);	/* 0 */
	net_add(&a, 5, "X", "a", 30, g0);
	net_add(&a, 5, "Y", "a", 30, g10);	/* 6 */
	net_add(&a, 7, "Z", "a", 30, g10);	/* 11 */
	net_add(&a, 6, "W", "a", 30, g10);	/* 18 */
	net_add(&a, 4, "W", "a", 30, g0);
	net_add(&a, 6, "V", "a", 30, g0);	/* 28 */
	b = a;
	b.r[0].funding_gap = 0;			/* X: none below */
	b.r[18].funding_gap = b.r[19].funding_gap = 0;	/* W: four */
	b.r[28].funding_gap = b.r[29].funding_gap = 10;	/* V: two */
	runs[0] = net_run(&a);
	runs[1] = net_run(&b);

	assert_int_equal(exposure_release_build(runs, 1, 1, &rules, &rel1),
	    0);
	assert_int_equal(cell(&rel1, &runs[0], 0, 0, "X", &t)->risk_reason,
	    EXPOSURE_SMALL);
	assert_int_equal(group(&t, "Y")->risk_reason, EXPOSURE_COMPLEMENT);
	assert_false(exposure_group_risk_suppressed(group(&t, "W")));
	assert_false(t.totals_risk_suppressed);
	exposure_table_cleanup(&t);

	/* Without the first release, Y would be shown. */
	assert_int_equal(exposure_release_build(runs, 2, 1, &rules, &rel2),
	    0);
	assert_true(exposure_group_risk_suppressed(cell(&rel2, &runs[0], 0,
	    0, "W", &t)));
	assert_false(exposure_group_risk_suppressed(group(&t, "Y")));
	exposure_table_cleanup(&t);
	exposure_release_cleanup(&rel2);

	rules.prior = &rel1;
	assert_int_equal(exposure_release_build(runs, 2, 1, &rules, &rel2),
	    0);
	assert_true(exposure_group_risk_suppressed(cell(&rel2, &runs[0], 0,
	    0, "Y", &t)));
	assert_true(exposure_group_risk_suppressed(group(&t, "X")));
	assert_true(exposure_group_risk_suppressed(group(&t, "W")));
	exposure_table_cleanup(&t);
	exposure_release_cleanup(&rel2);
	exposure_release_cleanup(&rel1);
}

/*
 * A seeded property over random runs of up to three groupings and three
 * outage lengths, checked with code of its own: every cell shown passes
 * rules 1 and 2 in its layer; no crossing of the groupings, and no
 * grouping's suppressed cells together, that fails them can be derived
 * from the cells shown (by rank over GF(10^9 + 7), plain elimination
 * over suppliers); and two lengths at which an at-risk part is shown
 * differ by none or by at least min_cell_size firms below.
 */
#define PMOD	1000000007ULL
#define PN	40
#define PL	3

struct pnet {
	struct exposure_supplier	 s[PN];
	struct exposure_result		 r[PN * PL];
	size_t				 n;
};

static uint64_t
pinv(uint64_t a)
{
	uint64_t	r = 1, e = PMOD - 2;

	while (e) {
		if (e & 1)
			r = r * a % PMOD;
		a = a * a % PMOD;
		e >>= 1;
	}
	return (r);
}

/* The rank of rows x n over GF(PMOD); m is destroyed. */
static size_t
prank(uint64_t *m, size_t rows, size_t n)
{
	size_t		 rank = 0, c, r, j, i;
	uint64_t	 inv, f, t;

	for (c = 0; c < n && rank < rows; c++) {
		for (r = rank; r < rows && m[r * n + c] == 0; r++)
			;
		if (r == rows)
			continue;
		for (j = 0; j < n; j++) {
			t = m[r * n + j];
			m[r * n + j] = m[rank * n + j];
			m[rank * n + j] = t;
		}
		inv = pinv(m[rank * n + c]);
		for (j = 0; j < n; j++)
			m[rank * n + j] = m[rank * n + j] * inv % PMOD;
		for (i = 0; i < rows; i++) {
			if (i == rank || m[i * n + c] == 0)
				continue;
			f = m[i * n + c];
			for (j = 0; j < n; j++)
				m[i * n + j] = (m[i * n + j] + PMOD -
				    f * m[rank * n + j] % PMOD) % PMOD;
		}
		rank++;
	}
	return (rank);
}

static int
pmember(const struct pnet *x, const struct exposure_release *rel, size_t c,
    size_t i)
{
	size_t	g = rel->cells[c].grouping;

	return (g == rel->nkeys || strcmp(x->s[i].key[g],
	    rel->cells[c].key) == 0);
}

static size_t
prows(const struct pnet *x, const struct exposure_release *rel,
    const int *shown, uint64_t *m)
{
	size_t	c, i, rows = 0;

	for (c = 0; c < rel->ncells; c++) {
		if (!shown[c])
			continue;
		for (i = 0; i < x->n; i++)
			m[rows * x->n + i] = (uint64_t)pmember(x, rel, c, i);
		rows++;
	}
	return (rows);
}

/* Is the set of suppliers in the span of the shown cells? */
static int
pderivable(const struct pnet *x, const struct exposure_release *rel,
    const int *shown, const unsigned char *in)
{
	static uint64_t	 m[16 * PN];
	size_t		 rows, r1, i;

	rows = prows(x, rel, shown, m);
	r1 = prank(m, rows, x->n);
	rows = prows(x, rel, shown, m);
	for (i = 0; i < x->n; i++)
		m[rows * x->n + i] = in[i];
	return (prank(m, rows + 1, x->n) == r1);
}

static void
psums(const struct pnet *x, const unsigned char *in, size_t L,
    struct sums *out)
{
	struct exposure_row	row;
	size_t			i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < x->n; i++) {
		if (!in[i])
			continue;
		row.key = "";
		row.employees = x->s[i].employees;
		row.breached = x->r[i * PL + L].funding_gap > 0;
		row.funding_gap = x->r[i * PL + L].funding_gap;
		sums_add(out, &row);
	}
}

static int
punsafe(const struct pnet *x, const unsigned char *in, int risk, size_t L,
    const struct exposure_rules *rules)
{
	struct sums	f;

	psums(x, in, L, &f);
	return (risk ? !safe_risk(&f, rules) : !safe_population(&f, rules));
}

static void
property_no_unsafe_set_is_derivable(void **state)
{
	static const char *const	 keys[3][3] = {
		{ "a", "b", "c" }, { "p", "q", "r" }, { "x", "y", "z" }
	};
	static struct pnet		 x;
	struct exposure_run		 run;
	struct exposure_release		 rel;
	struct exposure_rules		 rules;
	unsigned char			 in[PN];
	int				 shown[16], risk, any;
	size_t				 iter, i, g, L, M, c, nk, mask, combo;
	size_t				 ncombo, d, k, diff, start;

	srand(4242);
	for (iter = 0; iter < 400; iter++) {
		memset(&x, 0, sizeof(x));
		x.n = 5 + (size_t)rand() % (PN - 5);
		nk = 1 + (size_t)rand() % 3;
		memset(&rules, 0, sizeof(rules));
		rules.min_cell_size = 2 + rand() % 4;
		rules.dominance_bps = iter % 2 ? EXPOSURE_DOMINANCE_BPS : 0;
		for (i = 0; i < x.n; i++) {
			x.s[i].id = sid(i);
			for (g = 0; g < nk; g++)
				x.s[i].key[g] = keys[g][(size_t)rand() %
				    (1 + (size_t)rand() % 3)];
			x.s[i].employees = rand() % 8 == 0 ? rand() % 3000 :
			    1 + rand() % 40;
			start = (size_t)rand() % (PL + 2);
			for (L = 0; L < PL; L++)
				x.r[i * PL + L].funding_gap = L >= start ?
				    1 + rand() % 1000 : 0;
		}
		run.s = x.s;
		run.n = x.n;
		run.r = x.r;
		run.nl = PL;
		assert_int_equal(exposure_release_build(&run, 1, nk, &rules,
		    &rel), 0);
		assert_true(rel.ncells <= 16);
		for (risk = 0; risk < 2; risk++)
		for (L = 0; L < (risk ? PL : 1); L++) {
			for (c = 0; c < rel.ncells; c++)
				shown[c] = risk ? rel.risk[c * rel.nl + L] ==
				    EXPOSURE_SHOWN : rel.cells[c].reason ==
				    EXPOSURE_SHOWN;
			/* Every crossing, each cell and the whole included. */
			for (mask = 0; mask < ((size_t)1 << nk); mask++) {
				for (d = 0, ncombo = 1; d < nk; d++)
					if (mask & ((size_t)1 << d))
						ncombo *= 3;
				for (combo = 0; combo < ncombo; combo++) {
					any = 0;
					for (i = 0; i < x.n; i++) {
						in[i] = 1;
						for (d = 0, k = combo; d < nk;
						    d++) {
							if (!(mask &
							    ((size_t)1 << d)))
								continue;
							if (strcmp(x.s[i].key[d],
							    keys[d][k % 3]) != 0)
								in[i] = 0;
							k /= 3;
						}
						any |= in[i];
					}
					if (!any || !punsafe(&x, in, risk, L,
					    &rules))
						continue;
					assert_false(pderivable(&x, &rel,
					    shown, in));
				}
			}
			/* Each grouping's suppressed cells together. */
			for (g = 0; g < nk; g++) {
				any = 0;
				for (i = 0; i < x.n; i++) {
					in[i] = 0;
					for (c = 0; c + 1 < rel.ncells; c++)
						if (rel.cells[c].grouping == g &&
						    !shown[c] &&
						    pmember(&x, &rel, c, i))
							in[i] = 1;
					any |= in[i];
				}
				if (any && punsafe(&x, in, risk, L, &rules))
					assert_false(pderivable(&x, &rel,
					    shown, in));
			}
		}
		/* Two lengths of an at-risk part shown: none or n apart. */
		for (c = 0; c < rel.ncells; c++) {
			for (L = 0; L < PL; L++)
			for (M = 0; M < L; M++) {
				if (rel.risk[c * rel.nl + L] != EXPOSURE_SHOWN ||
				    rel.risk[c * rel.nl + M] != EXPOSURE_SHOWN)
					continue;
				for (i = 0, diff = 0; i < x.n; i++)
					if (pmember(&x, &rel, c, i) &&
					    (x.r[i * PL + L].funding_gap > 0) !=
					    (x.r[i * PL + M].funding_gap > 0))
						diff++;
				assert_true(diff == 0 ||
				    (int64_t)diff >= rules.min_cell_size);
			}
		}
		exposure_release_cleanup(&rel);
	}
}

/*
 * A run of one grouping over nl lengths: per group key[g], n[g] suppliers
 * of 20 employees, the first below[g][L] of them below at L.
 */
static void
multi_run(struct exposure_run *run, struct exposure_supplier *s,
    struct exposure_result *x, size_t ng, const char *const *key,
    const int *n, const int (*below)[3], size_t nl)
{
	size_t	g, i, L, at = 0;

	for (g = 0; g < ng; g++) {
		for (i = 0; i < (size_t)n[g]; i++, at++) {
			s[at].id = sid(at);
			s[at].key[0] = key[g];
			s[at].employees = 20;
			for (L = 0; L < nl; L++)
				x[at * nl + L].funding_gap =
				    (int)i < below[g][L] ? 100 : 0;
		}
	}
	run->s = s;
	run->n = at;
	run->r = x;
	run->nl = nl;
}

/*
 * Expected figures are rhe of the probability-weighted figures, shown
 * only where the at-risk part is shown at every length weighted.
 */
static void
expected_figures_follow_the_release(void **state)
{
	static const char *const	 key[] = { "A", "B", "C" };
	static const int		 n[] = { 12, 10, 11 };
	static const int		 below[][3] = {
		{ 0, 5, 10 }, { 0, 2, 10 }, { 0, 6, 11 }
	};
	static const struct exposure_rules	 none = { 1, 0 };
	struct exposure_supplier	 s[40];
	struct exposure_result		 x[40 * 3];
	struct exposure_run		 run;
	struct exposure_release		 rel;
	struct exposure_table		 t1;
	struct exposure_expected	 e[3], tot;
	int64_t				 days[2], bps[2];
	size_t				 g;

	(void)state;
	memset(x, 0, sizeof(x));
	multi_run(&run, s, x, 3, key, n, below, 3);

	/* No control: every figure, rounded half to even. */
	assert_int_equal(exposure_release_build(&run, 1, 1, &none, &rel), 0);
	days[0] = 1;
	bps[0] = 2500;
	days[1] = 2;
	bps[1] = 7500;
	assert_int_equal(exposure_expected_build(&rel, &run, 0, days, bps, 2,
	    e, 3, &tot), 0);
	assert_true(e[0].shown);
	/* A: rhe(2500 * 5 + 7500 * 10, 10000) = rhe(8.75) = 9. */
	assert_int_equal(e[0].suppliers_below, 9);
	assert_int_equal(e[0].employees_at_risk, 175);
	/* B: 0.25 * 2 + 0.75 * 10 = 8; C: 1.5 + 8.25 = 9.75 -> 10. */
	assert_int_equal(e[1].suppliers_below, 8);
	assert_int_equal(e[2].suppliers_below, 10);
	assert_int_equal(e[2].employees_at_risk, 195);
	/* Totals: 0.25 * 13 + 0.75 * 31 = 26.5 -> 26 (half to even). */
	assert_true(tot.shown);
	assert_int_equal(tot.suppliers_below, 26);
	assert_int_equal(tot.employees_at_risk, 530);
	/* All weight on L = 0: nothing below. */
	days[0] = 0;
	bps[0] = 10000;
	assert_int_equal(exposure_expected_build(&rel, &run, 0, days, bps, 1,
	    e, 3, &tot), 0);
	assert_true(e[1].shown);
	assert_int_equal(e[1].suppliers_below, 0);
	/* A length beyond the run is refused. */
	days[0] = 3;
	assert_int_equal(exposure_expected_build(&rel, &run, 0, days, bps, 1,
	    e, 3, &tot), -1);
	exposure_release_cleanup(&rel);

	/*
	 * The contract's control: B's two below at L = 1 are withheld (and
	 * a complement with them). Weighted at L = 1, B's expected figures
	 * are not shown; every cell shown at each weighted length has them.
	 */
	assert_int_equal(exposure_release_build(&run, 1, 1, &contract, &rel),
	    0);
	assert_int_equal(exposure_table_build(&rel, &run, 0, 1, &t1), 0);
	assert_true(exposure_group_risk_suppressed(group(&t1, "B")));
	days[0] = 1;
	bps[0] = 5000;
	days[1] = 2;
	bps[1] = 5000;
	assert_int_equal(exposure_expected_build(&rel, &run, 0, days, bps, 2,
	    e, 3, &tot), 0);
	for (g = 0; g < 3; g++) {
		if (exposure_group_risk_suppressed(&t1.groups[g])) {
			assert_false(e[g].shown);
			continue;
		}
		assert_true(e[g].shown);
		assert_int_equal(e[g].suppliers_below, (below[g][1] +
		    below[g][2]) / 2 + ((below[g][1] + below[g][2]) % 4 == 3));
	}
	assert_false(e[1].shown);
	assert_int_equal(tot.shown, !t1.totals_risk_suppressed);
	exposure_table_cleanup(&t1);
	/* Weighted at L = 0 and 2 only, where B is shown, B has them. */
	days[0] = 0;
	assert_int_equal(exposure_expected_build(&rel, &run, 0, days, bps, 2,
	    e, 3, &tot), 0);
	assert_true(e[1].shown);
	assert_int_equal(e[1].suppliers_below, 5);
	assert_int_equal(e[1].employees_at_risk, 100);
	exposure_release_cleanup(&rel);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(size_bands_at_their_edges),
		cmocka_unit_test(groups_and_totals),
		cmocka_unit_test(one_small_group_takes_the_smallest_other),
		cmocka_unit_test(two_small_groups_protect_each_other),
		cmocka_unit_test(tiny_groups_together_still_need_a_complement),
		cmocka_unit_test(the_only_other_group_goes_and_totals_stay),
		cmocka_unit_test(a_lone_small_group_takes_the_totals),
		cmocka_unit_test(a_lone_large_group_is_shown),
		cmocka_unit_test(a_dominated_group_is_suppressed),
		cmocka_unit_test(bad_input_is_refused),
		cmocka_unit_test(one_firm_below_is_not_shown),
		cmocka_unit_test(a_dominant_gap_is_suppressed),
		cmocka_unit_test(crossing_two_groupings_does_not_isolate_a_firm),
		cmocka_unit_test(differencing_two_lengths_isolates_no_firm),
		cmocka_unit_test(differencing_two_runs_isolates_no_firm),
		cmocka_unit_test(a_publication_takes_no_suppression_away),
		cmocka_unit_test(property_nothing_isolates_a_few),
		cmocka_unit_test(property_no_unsafe_set_is_derivable),
		cmocka_unit_test(expected_figures_follow_the_release),
	};

	return (cmocka_run_group_tests_name("exposure", tests, NULL, NULL));
}
