/*
 * The supply network (the model's version 2): the spec's worked example
 * of three tiers to the penny (no scheme, a deep-tier scheme, both outage
 * lengths), the pro-rata sharing of a short payment, the validation of
 * links, and the trace of customer payments and deep-tier advances.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/model.h"

#define NS	3

struct fx {
	struct model_supplier	 sup[NS + 2];
	struct model_invoice	 inv[64];
	char			 invid[64][16];
	struct model_link	 link[8];
	int64_t			 ramp[7];
	struct model_scheme	 scheme;
	struct model_input	 in;
};

static int32_t
day(const char *s)
{
	int32_t	d;

	assert_int_equal(date_parse(s, &d), 0);
	return (d);
}

static void
firm(struct model_supplier *s, const char *id, int64_t tier, int64_t emp,
    int64_t cash, int64_t fixed, int64_t oem, int64_t vbps)
{
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->tier = tier;
	s->employees = emp;
	s->cash = cash;
	s->fixed_daily_costs = fixed;
	s->oem_daily_sales = oem;
	s->variable_cost_bps = vbps;
	s->payment_terms_days = 60;
	s->scheme_opt_in = 1;
}

/* The spec's version 2 worked example. */
static void
fx_example(struct fx *f)
{
	int	k;

	memset(f, 0, sizeof(*f));
	firm(&f->sup[0], "T1-A", 1, 400, 3000000, 150000, 500000, 2000);
	firm(&f->sup[1], "T2-B", 2, 60, 800000, 60000, 0, 3000);
	firm(&f->sup[2], "T3-C", 3, 12, 150000, 20000, 0, 4000);
	f->link[0] = (struct model_link){ "T2-B", "T1-A", 200000, 30 };
	f->link[1] = (struct model_link){ "T3-C", "T2-B", 50000, 45 };
	for (k = 0; k < 60; k++) {
		snprintf(f->invid[k], sizeof(f->invid[k]), "A-%03d", k);
		f->inv[k].id = f->invid[k];
		f->inv[k].supplier_id = "T1-A";
		f->inv[k].outstanding = 500000;
		f->inv[k].due_date = day("2025-09-01") + k;
	}
	for (k = 0; k < 7; k++)
		f->ramp[k] = 5000;
	f->in.suppliers = f->sup;
	f->in.nsuppliers = NS;
	f->in.invoices = f->inv;
	f->in.ninvoices = 60;
	f->in.links = f->link;
	f->in.nlinks = 2;
	f->in.scenario.start_date = day("2025-09-01");
	f->in.scenario.horizon_days = 120;
	f->in.scenario.ramp_bps = f->ramp;
	f->in.scenario.ramp_len = 7;
	f->in.scenario.payment_freeze_days = 21;
}

/* The deep-tier scheme of the worked example. */
static void
fx_deep(struct fx *f)
{
	struct model_scheme	*s = &f->scheme;

	memset(s, 0, sizeof(*s));
	s->effective_from = day("2025-09-01");
	s->payment_lag_days = 2;
	s->advance_rate_bps = 9000;
	s->annual_rate_bps = 650;
	s->day_count_basis = 365;
	s->fee_bearer = MODEL_FEE_OEM;
	s->eligible_tiers = 1U << 2 | 1U << 3;
	s->has_facility_limit = 1;
	s->facility_limit = 4000000;
	s->covers = MODEL_COVERS_ALL;
	f->in.scheme = s;
}

static struct model *
alloc(struct fx *f, int threads)
{
	struct model_opts	 o;
	struct model_error	 e;
	struct model		*m;

	memset(&o, 0, sizeof(o));
	o.threads = threads;
	m = model_alloc(&f->in, &o, &e);
	if (m == NULL)
		fail_msg("%s %s: %s", e.object, e.field, e.problem);
	return (m);
}

static void
run(struct fx *f, int64_t L, struct model_result *r, struct model_point *pt)
{
	struct model		*m = alloc(f, 1);
	struct model_error	 e;

	assert_int_equal(model_run(m, L, r, pt, &e), 0);
	model_free(m);
}

static void
check(const struct model_result *r, int64_t breach, int64_t lo, int64_t loday)
{
	assert_int_equal(r->breach_day, breach);
	assert_int_equal(r->lowest_liquidity, lo);
	assert_int_equal(r->lowest_liquidity_day, loday);
	assert_int_equal(r->funding_gap, lo < 0 ? -lo : 0);
}

/* The table's first row: the cascade at L = 0. */
static void
worked_example_no_outage(void **state)
{
	struct fx		 f;
	struct model_result	 r[NS];
	struct model_point	 pt;

	fx_example(&f);
	run(&f, 0, r, &pt);
	check(&r[0], 6, -3650000, 20);
	assert_int_equal(r[0].contagion, 0);
	check(&r[1], 12, -1090000, 21);
	assert_int_equal(r[1].contagion, 1);
	check(&r[2], 20, -120000, 22);
	assert_int_equal(r[2].contagion, 1);
	assert_int_equal(pt.suppliers_below, 3);
	assert_int_equal(pt.suppliers_below_contagion, 2);
	assert_int_equal(pt.employees_at_risk, 472);
	assert_int_equal(pt.funding_gap, 3650000 + 1090000 + 120000);
	/* Everyone has caught up by day 119: nothing is overdue. */
	assert_int_equal(pt.overdue_trade_credit, 0);
	assert_int_equal(pt.funder_overdue, 0);
}

/* The second row: L = 45, and what is still owed at the horizon. */
static void
worked_example_45_days(void **state)
{
	struct fx		 f;
	struct model_result	 r[NS];
	struct model_point	 pt;

	fx_example(&f);
	run(&f, 45, r, &pt);
	check(&r[0], 8, -1950000, 20);
	assert_int_equal(r[0].overdue_payables, 950000);
	assert_int_equal(r[0].overdue_receivables, 0);
	check(&r[1], 62, -1680000, 81);
	assert_int_equal(r[1].overdue_receivables, 950000);
	assert_int_equal(r[1].overdue_payables, 1045000);
	check(&r[2], 84, -1150000, 118);
	assert_int_equal(r[2].overdue_receivables, 1045000);
	assert_int_equal(pt.overdue_trade_credit, 1995000);
	assert_int_equal(pt.suppliers_below, 3);
}

/*
 * The path of the cascade, per link. At L = 0 T1-A pays T2-B nothing on
 * days 7..21 (fifteen days in arrears) and catches up on day 22; at
 * L = 45 the table's overdue amounts are what each link still owes.
 * Either way each link's overdue sums to its ends' overdue figures and
 * the results are model_run's.
 */
static void
links_show_who_paid_whom_late(void **state)
{
	struct fx			 f;
	struct model			*m;
	struct model_result		 r[NS], want[NS];
	struct model_link_result	 lr[2];
	struct model_error		 e;
	int64_t				 L;

	fx_example(&f);
	m = alloc(&f, 1);
	assert_int_equal(model_run_links(m, 0, r, lr, &e), 0);
	assert_int_equal(lr[0].late_days, 15);
	assert_int_equal(lr[0].overdue, 0);
	assert_true(lr[1].late_days > 0);
	assert_int_equal(lr[1].overdue, 0);
	assert_int_equal(model_run_links(m, 45, r, lr, &e), 0);
	assert_int_equal(lr[0].overdue, 950000);
	assert_int_equal(lr[1].overdue, 1045000);
	assert_true(lr[0].late_days > 0 && lr[0].late_days <= 120);
	for (L = 0; L <= 60; L += 15) {
		assert_int_equal(model_run_links(m, L, r, lr, &e), 0);
		assert_int_equal(model_run(m, L, want, NULL, &e), 0);
		assert_memory_equal(r, want, sizeof(r));
		assert_int_equal(lr[0].overdue, r[1].overdue_receivables);
		assert_int_equal(lr[1].overdue, r[2].overdue_receivables);
		assert_int_equal(lr[0].overdue, r[0].overdue_payables);
		assert_int_equal(lr[1].overdue, r[1].overdue_payables);
		assert_true(lr[0].overdue == 0 || lr[0].late_days > 0);
		assert_true(lr[1].overdue == 0 || lr[1].late_days > 0);
	}
	assert_int_equal(model_run_links(m, 121, r, lr, &e), -1);
	model_free(m);
}

/* Deep tier at L = 0: the lower tiers never breach. */
static void
worked_example_deep_tier_no_outage(void **state)
{
	struct fx		 f;
	struct model_result	 r[NS];
	struct model_point	 pt;

	fx_example(&f);
	fx_deep(&f);
	run(&f, 0, r, &pt);
	assert_int_equal(r[1].breach_day, -1);
	assert_int_equal(r[1].lowest_liquidity, 830000);
	assert_int_equal(r[1].lowest_liquidity_day, 0);
	assert_int_equal(r[2].breach_day, -1);
	assert_int_equal(r[2].lowest_liquidity, 160000);
	assert_int_equal(r[2].lowest_liquidity_day, 0);
	assert_int_equal(pt.early_paid, 19035000);
	assert_int_equal(r[1].early_paid, 13860000);
	assert_int_equal(r[2].early_paid, 5175000);
	assert_int_equal(pt.fees, 93239);
	assert_int_equal(pt.oem_cost, 93239);
	assert_int_equal(pt.peak_facility_use, 3960000);
	assert_int_equal(pt.suppliers_below, 1);
}

/* Deep tier at L = 45: the funder is owed what T1-A could not pay. */
static void
worked_example_deep_tier_45_days(void **state)
{
	struct fx		 f;
	struct model_result	 r[NS];
	struct model_point	 pt;

	fx_example(&f);
	fx_deep(&f);
	run(&f, 45, r, &pt);
	assert_int_equal(pt.suppliers_below, 1);
	assert_int_equal(pt.early_paid, 13387500);
	assert_int_equal(pt.fees, 59337);
	assert_int_equal(pt.funder_overdue, 748745);
	assert_int_equal(pt.overdue_trade_credit, 201255);
	assert_int_equal(r[1].overdue_receivables, 201255);
}

/* The sweep agrees with model_run at every L, on any number of threads. */
static void
sweep_equals_runs(void **state)
{
	struct fx		 f;
	struct model		*m1, *m2;
	struct model_error	 e;
	struct model_point	 c1[61], c2[61], pt;
	struct model_result	 all1[61 * NS], all2[61 * NS], r[NS];
	int64_t			 b1[NS], b2[NS], L;
	int			 deep;

	for (deep = 0; deep < 2; deep++) {
		fx_example(&f);
		if (deep)
			fx_deep(&f);
		m1 = alloc(&f, 1);
		m2 = alloc(&f, 3);
		assert_int_equal(model_sweep_results(m1, 60, c1, b1, all1, &e),
		    0);
		assert_int_equal(model_sweep_results(m2, 60, c2, b2, all2, &e),
		    0);
		assert_memory_equal(c1, c2, sizeof(c1));
		assert_memory_equal(all1, all2, sizeof(all1));
		assert_memory_equal(b1, b2, sizeof(b1));
		for (L = 0; L <= 60; L++) {
			assert_int_equal(model_run(m1, L, r, &pt, &e), 0);
			assert_memory_equal(&pt, &c1[L], sizeof(pt));
			assert_memory_equal(r, &all1[L * NS], sizeof(r));
		}
		assert_int_equal(model_sweep(m1, 60, c2, b2, &e), 0);
		assert_memory_equal(c1, c2, sizeof(c1));
		assert_memory_equal(b1, b2, sizeof(b1));
		if (!deep) {
			/* Every firm breaches already at L = 0. */
			assert_int_equal(b1[0], 0);
			assert_int_equal(b1[1], 0);
			assert_int_equal(b1[2], 0);
		}
		model_free(m1);
		model_free(m2);
	}
}

struct rec {
	struct model_payment	 p[512];
	size_t			 n;
	int64_t			 liq[120];
	size_t			 ndays;
};

static void
rec_pay(void *arg, const struct model_payment *p)
{
	struct rec	*r = arg;

	assert_true(r->n < 512);
	r->p[r->n++] = *p;
}

static void
rec_day(void *arg, int64_t t, int64_t liq)
{
	struct rec	*r = arg;

	assert_int_equal((int64_t)r->ndays, t);
	r->liq[r->ndays++] = liq;
}

/*
 * T2-B's trace at L = 0: T1-A pays it in full on days 0..6, nothing on
 * days 7..21 (its liquidity was negative the day before), then its
 * arrears and what falls due; every payment names the customer, and what
 * it receives adds up to the liquidity the trace reports.
 */
static void
trace_names_the_paying_customer(void **state)
{
	struct fx		 f;
	struct model		*m;
	struct model_trace	 tr;
	struct model_result	 res, r[NS];
	struct model_error	 e;
	struct rec		*rc;
	int64_t			 t, got[120], cash, c;
	size_t			 i;

	rc = calloc(1, sizeof(*rc));
	fx_example(&f);
	m = alloc(&f, 1);
	memset(&tr, 0, sizeof(tr));
	tr.payment = rec_pay;
	tr.day = rec_day;
	tr.arg = rc;
	assert_int_equal(model_trace(m, 1, 0, &tr, &res, &e), 0);
	assert_int_equal(model_run(m, 0, r, NULL, &e), 0);
	assert_memory_equal(&res, &r[1], sizeof(res));
	assert_int_equal(rc->ndays, 120);
	memset(got, 0, sizeof(got));
	for (i = 0; i < rc->n; i++) {
		assert_int_equal(rc->p[i].kind, MODEL_PAY_CUSTOMER);
		assert_int_equal(rc->p[i].customer, 0);
		assert_int_equal(rc->p[i].fee, 0);
		if (i > 0)
			assert_true(rc->p[i].day > rc->p[i - 1].day);
		got[rc->p[i].day] += rc->p[i].gross;
	}
	for (t = 0; t < 7; t++)
		assert_int_equal(got[t], 200000);
	for (t = 7; t < 22; t++)
		assert_int_equal(got[t], 0);
	/* Day 22: fifteen days of arrears and that day's invoice. */
	assert_int_equal(got[22], 16 * 200000);
	/* Cash: 800,000, less 60,000 + 60,000 a day, less what it pays C. */
	cash = 800000;
	for (t = 0; t < 120; t++) {
		c = rc->liq[t] - cash;
		cash = rc->liq[t];
		assert_true(c <= got[t] - 120000);
	}
	assert_int_equal(rc->liq[21], -1090000);
	free(rc);
	model_free(m);
}

/*
 * The on-time view: T2-B's customer pays it every day in full, it never
 * breaches (its counterfactual), whatever T1-A's own liquidity.
 */
static void
on_time_trace_is_the_counterfactual(void **state)
{
	struct fx		 f;
	struct model		*m;
	struct model_trace	 tr;
	struct model_result	 res;
	struct model_error	 e;
	struct rec		*rc;
	size_t			 i;
	int64_t			 t, got[120];

	rc = calloc(1, sizeof(*rc));
	fx_example(&f);
	m = alloc(&f, 1);
	memset(&tr, 0, sizeof(tr));
	tr.payment = rec_pay;
	tr.day = rec_day;
	tr.arg = rc;
	tr.on_time = 1;
	assert_int_equal(model_trace(m, 1, 0, &tr, &res, &e), 0);
	assert_int_equal(res.breach_day, MODEL_NONE);
	assert_int_equal(res.contagion, 0);
	assert_int_equal(res.overdue_receivables, 0);
	memset(got, 0, sizeof(got));
	for (i = 0; i < rc->n; i++)
		got[rc->p[i].day] += rc->p[i].gross;
	for (t = 0; t < 120; t++)
		assert_int_equal(got[t], 200000);
	/* +30,000 a day: 800,000 + 30,000 (t + 1). */
	assert_int_equal(rc->liq[119], 800000 + 30000 * 120);
	free(rc);
	model_free(m);
}

/* Deep tier: T3-C's advances come from the funder on T2-B's invoices. */
static void
trace_reports_deep_tier_advances(void **state)
{
	struct fx		 f;
	struct model		*m;
	struct model_trace	 tr;
	struct model_result	 res;
	struct model_error	 e;
	struct rec		*rc;
	int64_t			 adv = 0;
	size_t			 i, n = 0;

	rc = calloc(1, sizeof(*rc));
	fx_example(&f);
	fx_deep(&f);
	m = alloc(&f, 1);
	memset(&tr, 0, sizeof(tr));
	tr.payment = rec_pay;
	tr.day = rec_day;
	tr.arg = rc;
	assert_int_equal(model_trace(m, 2, 0, &tr, &res, &e), 0);
	for (i = 0; i < rc->n; i++) {
		assert_int_equal(rc->p[i].customer, 1);
		if (rc->p[i].kind != MODEL_PAY_DEEP_TIER)
			continue;
		n++;
		adv += rc->p[i].gross;
		assert_int_equal(rc->p[i].gross, 45000);
		assert_int_equal(rc->p[i].fee, 0);	/* the OEM bears it */
		assert_true(rc->p[i].day >= 2);
	}
	assert_true(n > 0);
	assert_int_equal(adv, res.early_paid);
	assert_int_equal(res.early_paid, 5175000);
	free(rc);
	model_free(m);
}

/*
 * A short payment shared by the largest remainder: customer J has 100
 * and owes 3 suppliers 100 each on day 0, so each gets 33 and the penny
 * left goes to the first by id (equal remainders).
 */
static void
short_payment_is_shared_by_largest_remainder(void **state)
{
	struct fx		 f;
	struct model		*m;
	struct model_trace	 tr;
	struct model_error	 e;
	struct rec		*rc;
	const char		*ids[3] = { "S-Z", "S-A", "S-M" };
	int64_t			 want[3] = { 33, 34, 33 };
	size_t			 i, k;

	for (k = 0; k < 3; k++) {
		rc = calloc(1, sizeof(*rc));
		memset(&f, 0, sizeof(f));
		firm(&f.sup[0], "J", 1, 1, 100, 0, 0, 0);
		for (i = 0; i < 3; i++) {
			firm(&f.sup[i + 1], ids[i], 2, 1, 0, 0, 0, 0);
			f.link[i] = (struct model_link){ ids[i], "J", 100, 1 };
		}
		f.in.suppliers = f.sup;
		f.in.nsuppliers = 4;
		f.in.links = f.link;
		f.in.nlinks = 3;
		f.in.scenario.start_date = day("2025-09-01");
		f.in.scenario.horizon_days = 1;
		m = alloc(&f, 1);
		memset(&tr, 0, sizeof(tr));
		tr.payment = rec_pay;
		tr.day = rec_day;
		tr.arg = rc;
		assert_int_equal(model_trace(m, k + 1, 0, &tr, NULL, &e), 0);
		assert_int_equal(rc->n, 1);
		assert_int_equal(rc->p[0].gross, want[k]);
		assert_int_equal(rc->liq[0], want[k]);
		model_free(m);
		free(rc);
	}
}

/* Unknown ids, self-links, duplicate pairs and ranges, all at once. */
static void
links_are_validated(void **state)
{
	struct fx		 f;
	struct model_error	 e[16];
	size_t			 n;

	fx_example(&f);
	f.link[2] = (struct model_link){ "T9-X", "T1-A", 1, 30 };
	f.link[3] = (struct model_link){ "T2-B", "T2-B", 1, 30 };
	f.link[4] = (struct model_link){ "T2-B", "T1-A", 1, 30 };
	f.link[5] = (struct model_link){ "T3-C", "T1-A", -1, 366 };
	f.link[6] = (struct model_link){ "T3-C", "T9-Y", 1, 0 };
	f.in.nlinks = 7;
	assert_int_equal(model_validate(&f.in, e, 16, &n), -1);
	assert_int_equal(n, 6);
	assert_string_equal(e[0].object, "link");
	assert_int_equal(e[0].index, 5);
	assert_string_equal(e[0].field, "daily_sales");
	assert_int_equal(e[1].index, 5);
	assert_string_equal(e[1].field, "payment_terms_days");
	assert_int_equal(e[2].index, 2);
	assert_string_equal(e[2].field, "supplier_id");
	assert_string_equal(e[2].problem, "names no supplier in the input");
	assert_int_equal(e[3].index, 3);
	assert_string_equal(e[3].problem, "is the supplier itself");
	assert_int_equal(e[4].index, 6);
	assert_string_equal(e[4].field, "customer_id");
	assert_int_equal(e[5].index, 4);
	assert_string_equal(e[5].problem, "duplicates link 0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worked_example_no_outage),
		cmocka_unit_test(worked_example_45_days),
		cmocka_unit_test(worked_example_deep_tier_no_outage),
		cmocka_unit_test(worked_example_deep_tier_45_days),
		cmocka_unit_test(sweep_equals_runs),
		cmocka_unit_test(links_show_who_paid_whom_late),
		cmocka_unit_test(trace_names_the_paying_customer),
		cmocka_unit_test(trace_reports_deep_tier_advances),
		cmocka_unit_test(on_time_trace_is_the_counterfactual),
		cmocka_unit_test(short_payment_is_shared_by_largest_remainder),
		cmocka_unit_test(links_are_validated),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
