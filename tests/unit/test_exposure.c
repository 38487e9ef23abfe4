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

	n = fill(r, 0, "Wales", 6, 2, 40, 1000);
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
	assert_int_equal(g->f.suppliers_below, 2);
	assert_int_equal(g->f.employees, 240);
	assert_int_equal(g->f.employees_at_risk, 80);
	assert_int_equal(g->f.funding_gap, 2000);
	g = group(&t, "West Midlands");
	assert_int_equal(g->f.employees_at_risk, 700);
	assert_int_equal(g->f.funding_gap, 1750);
	assert_false(t.totals_suppressed);
	assert_int_equal(t.totals.suppliers, 18);
	assert_int_equal(t.totals.suppliers_below, 9);
	assert_int_equal(t.totals.employees, 240 + 100 + 700);
	assert_int_equal(t.totals.employees_at_risk, 80 + 700);
	assert_int_equal(t.totals.funding_gap, 3750);
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

	n = fill(r, 0, "D", 6, 1, 30, 10);
	n = fill(r, n, "C", 3, 3, 30, 10);
	n = fill(r, n, "B", 9, 0, 30, 10);
	n = fill(r, n, "A", 6, 0, 30, 10);
	assert_int_equal(exposure_build(r, n, &contract, &t), 0);
	assert_int_equal(group(&t, "C")->reason, EXPOSURE_SMALL);
	assert_int_equal(group(&t, "A")->reason, EXPOSURE_COMPLEMENT);
	assert_int_equal(group(&t, "B")->reason, EXPOSURE_SHOWN);
	assert_int_equal(group(&t, "D")->reason, EXPOSURE_SHOWN);
	assert_false(t.totals_suppressed);
	assert_int_equal(t.totals.suppliers, 24);
	assert_int_equal(t.totals.suppliers_below, 4);
	exposure_table_cleanup(&t);
}

/* Two small groups, 3 + 4 = 7 together: nothing else needs to go. */
static void
two_small_groups_protect_each_other(void **state)
{
	struct exposure_row	r[64];
	struct exposure_table	t;
	size_t			n;

	n = fill(r, 0, "A", 3, 1, 30, 10);
	n = fill(r, n, "B", 4, 1, 30, 10);
	n = fill(r, n, "C", 5, 1, 30, 10);
	n = fill(r, n, "D", 8, 1, 30, 10);
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

	n = fill(r, 0, "A", 1, 1, 30, 10);
	n = fill(r, n, "B", 2, 1, 30, 10);
	n = fill(r, n, "C", 7, 1, 30, 10);
	n = fill(r, n, "D", 5, 1, 30, 10);
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

	n = fill(r, 0, "A", 2, 1, 30, 10);
	n = fill(r, n, "B", 10, 1, 30, 10);
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

	n = fill(r, 0, "A", 4, 1, 30, 10);
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

	n = fill(r, 0, "A", 5, 1, 30, 10);
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
static int
safe(int64_t suppliers, int64_t employees, int64_t largest,
    const struct exposure_rules *rules)
{
	if (suppliers < rules->min_cell_size)
		return (0);
	if (rules->dominance_bps > 0 && employees > 0 &&
	    largest * 10000 > rules->dominance_bps * employees)
		return (0);
	return (1);
}

static void
check_table(const struct exposure_row *r, size_t n,
    const struct exposure_table *t, const struct exposure_rules *rules)
{
	int64_t		suppliers, employees, largest, below;
	size_t		i, j, nsup, nsmall;
	long		smallest;

	/* Every shown group is safe, from the rows themselves. */
	nsup = nsmall = 0;
	for (i = 0; i < t->ngroups; i++) {
		suppliers = employees = largest = below = 0;
		for (j = 0; j < n; j++) {
			if (strcmp(r[j].key, t->groups[i].key) != 0)
				continue;
			suppliers++;
			employees += r[j].employees;
			below += r[j].breached;
			if (r[j].employees > largest)
				largest = r[j].employees;
		}
		assert_int_equal(t->groups[i].f.suppliers, suppliers);
		assert_int_equal(t->groups[i].f.suppliers_below, below);
		/* The contract's primary rule, exactly. */
		if (suppliers < rules->min_cell_size)
			assert_int_equal(t->groups[i].reason, EXPOSURE_SMALL);
		if (!exposure_group_suppressed(&t->groups[i]))
			assert_true(safe(suppliers, employees, largest,
			    rules));
		if (exposure_group_suppressed(&t->groups[i]))
			nsup++;
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
	if (t->totals_suppressed)
		return;
	assert_true(safe(t->totals.suppliers, t->totals.employees,
	    t->totals.largest, rules));
	if (nsup == 0)
		return;
	assert_true(nsup >= 2);
	suppliers = employees = largest = 0;
	for (i = 0; i < t->ngroups; i++) {
		if (!exposure_group_suppressed(&t->groups[i]))
			continue;
		suppliers += t->groups[i].f.suppliers;
		employees += t->groups[i].f.employees;
		if (t->groups[i].f.largest > largest)
			largest = t->groups[i].f.largest;
	}
	assert_true(safe(suppliers, employees, largest, rules));
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
		cmocka_unit_test(property_nothing_isolates_a_few),
	};

	return (cmocka_run_group_tests_name("exposure", tests, NULL, NULL));
}
