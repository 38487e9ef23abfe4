/*
 * The liquidity model: the spec's worked example to the penny, and one
 * hand-computed case per rule. Figures in comments are the hand
 * computation the assertion checks.
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

#define MAXS	8
#define MAXI	64

struct fx {
	struct model_supplier	 sup[MAXS];
	struct model_invoice	 inv[MAXI];
	char			 invid[MAXI][16];
	int64_t			 ramp[16];
	struct model_scheme	 scheme;
	struct model_input	 in;
	int			 threads;
	int			 reference;
};

static int32_t
day(const char *s)
{
	int32_t	d;

	assert_int_equal(date_parse(s, &d), 0);
	return (d);
}

/* SUP-A of the worked example. */
static void
sup_a(struct model_supplier *s)
{
	memset(s, 0, sizeof(*s));
	s->id = "SUP-A";
	s->tier = 1;
	s->employees = 120;
	s->cash = 10000000;
	s->fixed_daily_costs = 200000;
	s->oem_daily_sales = 500000;
	s->variable_cost_bps = 6000;
	s->payment_terms_days = 30;
	s->scheme_opt_in = 1;
}

static void
fx_example(struct fx *f)
{
	int	k;

	memset(f, 0, sizeof(*f));
	sup_a(&f->sup[0]);
	for (k = 0; k < 30; k++) {
		snprintf(f->invid[k], sizeof(f->invid[k]), "INV-%03d", k);
		f->inv[k].id = f->invid[k];
		f->inv[k].supplier_id = "SUP-A";
		f->inv[k].outstanding = 500000;
		f->inv[k].due_date = day("2025-09-01") + k;
	}
	for (k = 0; k < 7; k++)
		f->ramp[k] = 5000;
	f->in.suppliers = f->sup;
	f->in.nsuppliers = 1;
	f->in.invoices = f->inv;
	f->in.ninvoices = 30;
	f->in.scenario.start_date = day("2025-09-01");
	f->in.scenario.horizon_days = 120;
	f->in.scenario.ramp_bps = f->ramp;
	f->in.scenario.ramp_len = 7;
}

static void
fx_example_scheme(struct fx *f)
{
	fx_example(f);
	f->scheme.effective_from = day("2025-10-07");
	f->scheme.payment_lag_days = 2;
	f->scheme.advance_rate_bps = 9000;
	f->scheme.annual_rate_bps = 650;
	f->scheme.day_count_basis = 365;
	f->scheme.fee_bearer = MODEL_FEE_SUPPLIER;
	f->scheme.eligible_tiers = (1U << 1) | (1U << 2);
	f->scheme.requires_opt_in = 1;
	f->scheme.has_facility_limit = 1;
	f->scheme.facility_limit = 5000000;
	f->in.scheme = &f->scheme;
}

static struct model *
fx_model(struct fx *f)
{
	struct model_opts	 o;
	struct model_error	 e;
	struct model		*m;

	memset(&o, 0, sizeof(o));
	o.threads = f->threads > 0 ? f->threads : 1;
	o.reference = f->reference;
	m = model_alloc(&f->in, &o, &e);
	if (m == NULL)
		fail_msg("model_alloc: %s %zu %s: %s", e.object, e.index,
		    e.field, e.problem);
	return (m);
}

/* Supplier 0's result for outage length L, and the curve point. */
static struct model_result
run1(struct fx *f, int64_t L, struct model_point *pt)
{
	struct model		*m;
	struct model_result	 r[MAXS];
	struct model_point	 p;
	struct model_error	 e;

	m = fx_model(f);
	assert_int_equal(model_run(m, L, r, &p, &e), 0);
	if (pt != NULL)
		*pt = p;
	model_free(m);
	return (r[0]);
}

static int64_t
breaks1(struct fx *f, int64_t max, size_t s)
{
	struct model		*m;
	struct model_point	 curve[800];
	int64_t			 brk[MAXS];
	struct model_error	 e;

	m = fx_model(f);
	assert_int_equal(model_sweep(m, max, curve, brk, &e), 0);
	model_free(m);
	return (brk[s]);
}


/* A plain supplier: nothing but what each case sets. */
static void
fx_plain(struct fx *f, int64_t H)
{
	memset(f, 0, sizeof(*f));
	f->sup[0].id = "S1";
	f->sup[0].tier = 1;
	f->in.suppliers = f->sup;
	f->in.nsuppliers = 1;
	f->in.invoices = f->inv;
	f->in.scenario.start_date = day("2025-01-01");
	f->in.scenario.horizon_days = H;
	f->in.scenario.ramp_bps = f->ramp;
}

static void
fx_invoice(struct fx *f, const char *sup, int64_t amount, int64_t due)
{
	size_t	i = f->in.ninvoices++;

	snprintf(f->invid[i], sizeof(f->invid[i]), "I%02zu", i);
	f->inv[i].id = f->invid[i];
	f->inv[i].supplier_id = sup;
	f->inv[i].outstanding = amount;
	f->inv[i].due_date = f->in.scenario.start_date + (int32_t)due;
}

/* A scheme open to everyone from day 0, no caps, fee 1/1000 per day. */
static void
fx_scheme(struct fx *f)
{
	memset(&f->scheme, 0, sizeof(f->scheme));
	f->scheme.effective_from = f->in.scenario.start_date;
	f->scheme.payment_lag_days = 1;
	f->scheme.advance_rate_bps = 8000;
	f->scheme.annual_rate_bps = 3650;
	f->scheme.day_count_basis = 365;
	f->scheme.eligible_tiers = 0xe;
	f->in.scheme = &f->scheme;
}

struct rec {
	int64_t			liq[800];
	int64_t			ndays;
	struct model_payment	pay[256];
	size_t			npay;
};

static void
rec_pay(void *arg, const struct model_payment *p)
{
	struct rec	*r = arg;

	assert_true(r->npay < 256);
	r->pay[r->npay++] = *p;
}

static void
rec_day(void *arg, int64_t t, int64_t liq)
{
	struct rec	*r = arg;

	assert_int_equal(t, r->ndays);
	r->liq[r->ndays++] = liq;
}

/* Trace supplier s at L, and check it agrees with model_run. */
static struct model_result
trace1(struct fx *f, size_t s, int64_t L, struct rec *r)
{
	struct model		*m;
	struct model_trace	 tr;
	struct model_result	 res, all[MAXS];
	struct model_error	 e;

	memset(r, 0, sizeof(*r));
	memset(&tr, 0, sizeof(tr));
	tr.payment = rec_pay;
	tr.day = rec_day;
	tr.arg = r;
	m = fx_model(f);
	assert_int_equal(model_trace(m, s, L, &tr, &res, &e), 0);
	assert_int_equal(model_run(m, L, all, NULL, &e), 0);
	assert_memory_equal(&res, &all[s], sizeof(res));
	model_free(m);
	assert_int_equal(r->ndays, f->in.scenario.horizon_days);
	return (res);
}

static void
assert_series(const struct rec *r, const int64_t *want, int64_t n)
{
	int64_t	t;

	for (t = 0; t < n; t++) {
		if (r->liq[t] != want[t])
			fail_msg("day %lld: liquidity %lld, want %lld",
			    (long long)t, (long long)r->liq[t],
			    (long long)want[t]);
	}
}

static void
assert_pay(const struct model_payment *p, int64_t day, int64_t inv,
    enum model_pay_kind kind, int64_t gross, int64_t fee)
{
	assert_int_equal(p->day, day);
	assert_int_equal(p->invoice, inv);
	assert_int_equal(p->kind, kind);
	assert_int_equal(p->gross, gross);
	assert_int_equal(p->fee, fee);
	assert_int_equal(p->net, gross - fee);
}

static void
worked_example_no_stop(void **state)
{
	struct fx		f;
	struct model_result	r;

	fx_example(&f);
	r = run1(&f, 0, NULL);
	assert_int_equal(r.breach_day, MODEL_NONE);
	assert_int_equal(r.lowest_liquidity, 10000000);
	assert_int_equal(r.lowest_liquidity_day, 0);
	assert_int_equal(r.funding_gap, 0);
}

static void
worked_example_three_weeks(void **state)
{
	struct fx		f;
	struct model_result	r;

	fx_example(&f);
	r = run1(&f, 21, NULL);
	assert_int_equal(r.breach_day, MODEL_NONE);
	assert_int_equal(r.lowest_liquidity, 5100000);
	assert_int_equal(r.lowest_liquidity_day, 57);
	assert_int_equal(r.funding_gap, 0);
}

static void
worked_example_sixty_days(void **state)
{
	struct fx		f;
	struct model_result	r;
	struct model_point	p;

	fx_example(&f);
	r = run1(&f, 60, &p);
	assert_int_equal(r.breach_day, 88);
	assert_int_equal(r.lowest_liquidity, -2700000);
	assert_int_equal(r.lowest_liquidity_day, 96);
	assert_int_equal(r.funding_gap, 2700000);
	assert_int_equal(p.suppliers_below, 1);
	assert_int_equal(p.employees_at_risk, 120);
	assert_int_equal(p.funding_gap, 2700000);
	assert_int_equal(p.early_paid, 0);
	assert_int_equal(p.peak_facility_use, 0);
}

static void
worked_example_sweep_breaks_at_47(void **state)
{
	struct fx	f;

	fx_example(&f);
	assert_int_equal(breaks1(&f, 60, 0), 47);
	f.reference = 1;
	assert_int_equal(breaks1(&f, 60, 0), 47);
}

static void
worked_example_freeze_and_relief(void **state)
{
	struct fx		f;
	struct model_result	r;

	fx_example(&f);
	f.in.scenario.payment_freeze_days = 10;
	f.in.scenario.fixed_cost_relief_bps = 2500;
	r = run1(&f, 21, NULL);
	assert_int_equal(r.breach_day, MODEL_NONE);
	assert_int_equal(r.lowest_liquidity, 6150000);
	assert_int_equal(r.lowest_liquidity_day, 57);
	r = run1(&f, 60, NULL);
	assert_int_equal(r.breach_day, MODEL_NONE);
	assert_int_equal(r.lowest_liquidity, 300000);
	assert_int_equal(r.lowest_liquidity_day, 96);
	assert_int_equal(breaks1(&f, 60, 0), MODEL_NONE);
}

static void
worked_example_scheme(void **state)
{
	struct fx		f;
	struct model_result	r;
	struct model_point	p;

	fx_example_scheme(&f);
	r = run1(&f, 21, &p);
	assert_int_equal(r.early_paid, 19125000);
	assert_int_equal(r.fees, 89197);
	assert_int_equal(p.peak_facility_use, 4950000);
	assert_int_equal(r.lowest_liquidity, 9960803);
	assert_int_equal(r.lowest_liquidity_day, 119);
	assert_int_equal(r.breach_day, MODEL_NONE);
	r = run1(&f, 60, &p);
	assert_int_equal(r.early_paid, 10125000);
	assert_int_equal(r.fees, 50490);
	assert_int_equal(r.lowest_liquidity, 2199510);
	assert_int_equal(r.lowest_liquidity_day, 118);
	assert_int_equal(r.breach_day, MODEL_NONE);
}

static void
ramp_after_restart_with_rounded_variable_costs(void **state)
{
	static const int64_t	want[] = {
		0, 0, 0, 167, 500, 1000, 1667, 2334, 3001, 3668
	};
	struct fx		f;
	struct rec		r;
	struct model_result	res;

	fx_plain(&f, 10);
	f.sup[0].oem_daily_sales = 1000;
	f.sup[0].variable_cost_bps = 3333;	/* 83.325, 166.65, 249.975, 333.3 */
	f.ramp[0] = 2500;
	f.ramp[1] = 5000;
	f.ramp[2] = 7500;
	f.in.scenario.ramp_len = 3;
	res = trace1(&f, 0, 3, &r);
	assert_series(&r, want, 10);
	assert_int_equal(res.lowest_liquidity, 0);
	assert_int_equal(res.lowest_liquidity_day, 0);
	assert_int_equal(r.npay, 7);
	assert_pay(&r.pay[0], 3, MODEL_NONE, MODEL_PAY_MATURITY, 250, 0);
	assert_int_equal(r.pay[0].approved_day, 3);
	assert_pay(&r.pay[2], 5, MODEL_NONE, MODEL_PAY_MATURITY, 750, 0);
	assert_pay(&r.pay[6], 9, MODEL_NONE, MODEL_PAY_MATURITY, 1000, 0);
}

static void
no_stop_means_no_ramp(void **state)
{
	struct fx	f;
	struct rec	r;
	int64_t		t;

	fx_plain(&f, 10);
	f.sup[0].oem_daily_sales = 1000;
	f.sup[0].variable_cost_bps = 3333;
	f.ramp[0] = 0;
	f.ramp[1] = 0;
	f.in.scenario.ramp_len = 2;
	(void)trace1(&f, 0, 0, &r);
	for (t = 0; t < 10; t++)
		assert_int_equal(r.liq[t], 667 * (t + 1));
}

static void
freeze_pays_overdue_and_frozen_invoices_on_day_F(void **state)
{
	static const int64_t	want[] = {
		0, 0, 0, 1300, 1400, 1550, 1650, 1750
	};
	struct fx		f;
	struct rec		r;

	fx_plain(&f, 8);
	f.sup[0].oem_daily_sales = 100;
	f.sup[0].payment_terms_days = 1;
	f.in.scenario.payment_freeze_days = 3;
	fx_invoice(&f, "S1", 700, -2);		/* overdue */
	fx_invoice(&f, "S1", 300, 1);
	fx_invoice(&f, "S1", 50, 5);
	(void)trace1(&f, 0, 0, &r);
	assert_series(&r, want, 8);
	assert_int_equal(r.npay, 10);
	assert_pay(&r.pay[0], 3, 0, MODEL_PAY_MATURITY, 700, 0);
	assert_pay(&r.pay[1], 3, 1, MODEL_PAY_MATURITY, 300, 0);
	assert_pay(&r.pay[2], 3, MODEL_NONE, MODEL_PAY_MATURITY, 100, 0);
	assert_int_equal(r.pay[2].approved_day, 0);
	assert_int_equal(r.pay[4].approved_day, 2);
	assert_pay(&r.pay[6], 5, 2, MODEL_PAY_MATURITY, 50, 0);
}

static void
overdue_invoice_without_freeze_is_paid_on_day_0(void **state)
{
	struct fx	f;
	struct rec	r;

	fx_plain(&f, 3);
	fx_invoice(&f, "S1", 700, -30);
	(void)trace1(&f, 0, 0, &r);
	assert_int_equal(r.liq[0], 700);
	assert_int_equal(r.npay, 1);
	assert_pay(&r.pay[0], 0, 0, MODEL_PAY_MATURITY, 700, 0);
}

static void
fixed_cost_relief_while_stopped(void **state)
{
	static const int64_t	want[] = { 834, 668, 335, 2 };
	struct fx		f;
	struct rec		r;

	fx_plain(&f, 4);
	f.sup[0].cash = 1000;
	f.sup[0].fixed_daily_costs = 333;	/* relieved: 166.5 to 166 */
	f.in.scenario.fixed_cost_relief_bps = 5000;
	(void)trace1(&f, 0, 2, &r);
	assert_series(&r, want, 4);
}

static void
invoice_due_beyond_horizon_is_not_paid(void **state)
{
	static const int64_t	want[] = { 0, 0, 0, 0, 500 };
	struct fx		f;
	struct rec		r;
	struct model_result	res;

	fx_plain(&f, 5);
	f.sup[0].min_liquidity = 1;
	fx_invoice(&f, "S1", 1000, 5);
	fx_invoice(&f, "S1", 500, 4);
	res = trace1(&f, 0, 5, &r);
	assert_series(&r, want, 5);
	assert_int_equal(r.npay, 1);
	assert_int_equal(res.breach_day, 0);
	assert_int_equal(res.funding_gap, 1);
	assert_int_equal(res.lowest_liquidity_day, 0);
}

static void
early_payment_without_caps(void **state)
{
	struct fx		f;
	struct rec		r;
	struct model_result	res;
	struct model_point	p;
	int64_t			t;

	fx_plain(&f, 12);
	fx_scheme(&f);
	fx_invoice(&f, "S1", 10000, 10);
	/* E = 1, advance 8,000, fee rhe(8000 x 3650 x 9, 3,650,000) = 72. */
	res = trace1(&f, 0, 12, &r);
	assert_int_equal(r.npay, 2);
	assert_pay(&r.pay[0], 1, 0, MODEL_PAY_EARLY, 8000, 72);
	assert_pay(&r.pay[1], 10, 0, MODEL_PAY_REMAINDER, 2000, 0);
	assert_int_equal(res.early_paid, 8000);
	assert_int_equal(res.fees, 72);
	for (t = 0; t < 12; t++)
		assert_int_equal(r.liq[t], t < 1 ? 0 : t < 10 ? 7928 : 9928);
	(void)run1(&f, 12, &p);
	assert_int_equal(p.peak_facility_use, 8000);
	assert_int_equal(p.oem_cost, 0);
}

static void
basis_360_charges_more(void **state)
{
	struct fx		f;
	struct model_result	res;

	fx_plain(&f, 12);
	fx_scheme(&f);
	f.scheme.day_count_basis = 360;
	fx_invoice(&f, "S1", 10000, 10);
	/* rhe(8000 x 3650 x 9, 3,600,000) = 73 */
	res = run1(&f, 0, NULL);
	assert_int_equal(res.fees, 73);
}

static void
fee_borne_by_oem(void **state)
{
	struct fx		f;
	struct rec		r;
	struct model_result	res;
	struct model_point	p;

	fx_plain(&f, 12);
	fx_scheme(&f);
	f.scheme.fee_bearer = MODEL_FEE_OEM;
	fx_invoice(&f, "S1", 10000, 10);
	res = trace1(&f, 0, 0, &r);
	assert_pay(&r.pay[0], 1, 0, MODEL_PAY_EARLY, 8000, 0);
	assert_int_equal(r.liq[1], 8000);
	assert_int_equal(res.fees, 72);
	(void)run1(&f, 0, &p);
	assert_int_equal(p.fees, 72);
	assert_int_equal(p.oem_cost, 72);
}

static void
ineligible_supplier_and_small_invoice_paid_at_maturity(void **state)
{
	struct fx		f;
	struct model_result	res;

	fx_plain(&f, 12);
	fx_scheme(&f);
	fx_invoice(&f, "S1", 10000, 10);
	f.scheme.requires_opt_in = 1;
	res = run1(&f, 0, NULL);
	assert_int_equal(res.early_paid, 0);
	f.sup[0].scheme_opt_in = 1;
	f.scheme.min_invoice_amount = 10001;
	res = run1(&f, 0, NULL);
	assert_int_equal(res.early_paid, 0);
	f.scheme.min_invoice_amount = 10000;
	f.scheme.has_max_employees = 1;
	f.sup[0].employees = 10;
	f.scheme.max_employees = 9;
	res = run1(&f, 0, NULL);
	assert_int_equal(res.early_paid, 0);
	f.scheme.max_employees = 10;
	f.scheme.eligible_tiers = 1U << 2;
	res = run1(&f, 0, NULL);
	assert_int_equal(res.early_paid, 0);
	f.scheme.eligible_tiers = 1U << 1;
	res = run1(&f, 0, NULL);
	assert_int_equal(res.early_paid, 8000);
}

static void
per_supplier_cap_rejects_then_takes_a_smaller_one(void **state)
{
	struct fx		f;
	struct rec		r;
	struct model_result	res;
	struct model_point	p;

	fx_plain(&f, 12);
	fx_scheme(&f);
	f.scheme.has_per_supplier_cap = 1;
	f.scheme.per_supplier_cap = 10000;
	fx_invoice(&f, "S1", 10000, 5);		/* advance 8,000 */
	fx_invoice(&f, "S1", 5000, 6);		/* 4,000: 12,000 > cap */
	fx_invoice(&f, "S1", 2000, 7);		/* 1,600: 9,600 */
	res = trace1(&f, 0, 0, &r);
	assert_int_equal(res.early_paid, 9600);
	assert_int_equal(res.fees, 32 + 10);	/* 8000 x 4 / 1000; 9.6 */
	assert_int_equal(r.npay, 5);
	assert_pay(&r.pay[0], 1, 0, MODEL_PAY_EARLY, 8000, 32);
	assert_pay(&r.pay[1], 1, 2, MODEL_PAY_EARLY, 1600, 10);
	assert_pay(&r.pay[2], 5, 0, MODEL_PAY_REMAINDER, 2000, 0);
	assert_pay(&r.pay[3], 6, 1, MODEL_PAY_MATURITY, 5000, 0);
	assert_pay(&r.pay[4], 7, 2, MODEL_PAY_REMAINDER, 400, 0);
	(void)run1(&f, 0, &p);
	assert_int_equal(p.peak_facility_use, 9600);
}

static void
facility_limit_in_order_of_P_then_supplier_id(void **state)
{
	struct fx		f;
	struct model		*m;
	struct model_result	r[MAXS];
	struct model_point	p;
	struct model_error	e;

	fx_plain(&f, 12);
	fx_scheme(&f);
	f.sup[1] = f.sup[0];
	f.sup[1].id = "S2";
	f.in.nsuppliers = 2;
	f.scheme.has_facility_limit = 1;
	f.scheme.facility_limit = 10000;
	fx_invoice(&f, "S1", 10000, 5);		/* first: 8,000 */
	fx_invoice(&f, "S2", 5000, 5);		/* 4,000: over the limit */
	fx_invoice(&f, "S2", 2000, 7);		/* 1,600: 9,600 */
	m = fx_model(&f);
	assert_int_equal(model_run(m, 0, r, &p, &e), 0);
	model_free(m);
	assert_int_equal(r[0].early_paid, 8000);
	assert_int_equal(r[1].early_paid, 1600);
	assert_int_equal(p.early_paid, 9600);
	assert_int_equal(p.peak_facility_use, 9600);

	/* Renamed so that it sorts after S2: S2 goes first at P = 5. */
	f.sup[0].id = "Z1";
	f.inv[0].supplier_id = "Z1";
	m = fx_model(&f);
	assert_int_equal(model_run(m, 0, r, &p, &e), 0);
	model_free(m);
	assert_int_equal(r[0].early_paid, 0);
	assert_int_equal(r[1].early_paid, 5600);
	assert_int_equal(p.peak_facility_use, 5600);
}

static void
facility_repays_before_taking_new_candidates(void **state)
{
	struct fx		f;
	struct model_result	res;
	struct model_point	p;

	fx_plain(&f, 8);
	fx_scheme(&f);
	f.sup[0].oem_daily_sales = 1000;
	f.sup[0].payment_terms_days = 2;
	f.scheme.payment_lag_days = 0;
	f.scheme.advance_rate_bps = 10000;
	f.scheme.annual_rate_bps = 0;
	f.scheme.has_facility_limit = 1;
	f.scheme.facility_limit = 2000;
	/* Every day's advance fits: the one from two days ago is repaid. */
	res = run1(&f, 0, &p);
	assert_int_equal(res.early_paid, 8000);
	assert_int_equal(p.peak_facility_use, 2000);
	/* One short: every other day, u = 0, 2, 4, 6. */
	f.scheme.facility_limit = 1999;
	res = run1(&f, 0, &p);
	assert_int_equal(res.early_paid, 4000);
	assert_int_equal(p.peak_facility_use, 1000);
	assert_int_equal(res.fees, 0);
}

static void
horizon_of_one_day_with_terms_zero(void **state)
{
	struct fx		f;
	struct model_result	res;

	fx_plain(&f, 1);
	f.sup[0].cash = 100;
	f.sup[0].other_daily_receipts = 10;
	f.sup[0].fixed_daily_costs = 30;
	f.sup[0].oem_daily_sales = 50;
	f.sup[0].variable_cost_bps = 5000;
	res = run1(&f, 0, NULL);	/* 100 + 10 + 50 - 30 - 25 */
	assert_int_equal(res.lowest_liquidity, 105);
	res = run1(&f, 1, NULL);	/* 100 + 10 - 30 */
	assert_int_equal(res.lowest_liquidity, 80);
	assert_int_equal(res.lowest_liquidity_day, 0);
	assert_int_equal(breaks1(&f, 1, 0), MODEL_NONE);
}

static void
credit_counts_as_liquidity(void **state)
{
	struct fx		f;
	struct model_result	res;

	fx_plain(&f, 3);
	f.sup[0].cash = -500;
	f.sup[0].credit_available = 400;
	f.sup[0].min_liquidity = -50;
	res = run1(&f, 0, NULL);
	assert_int_equal(res.lowest_liquidity, -100);
	assert_int_equal(res.breach_day, 0);
	assert_int_equal(res.funding_gap, 50);
}

static int
has_error(const struct model_error *e, size_t n, const char *object,
    size_t index, const char *field)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(e[i].object, object) == 0 && e[i].index == index &&
		    strcmp(e[i].field, field) == 0 &&
		    e[i].code == MODEL_ERR_INVALID && e[i].problem[0] != '\0')
			return (1);
	return (0);
}

static void
validation_reports_every_problem_precisely(void **state)
{
	struct fx		f;
	struct model_error	e[32];
	size_t			n;
	struct model		*m;
	int64_t			ramp[400];

	fx_example_scheme(&f);
	f.sup[1] = f.sup[0];			/* duplicate id */
	f.sup[2] = f.sup[0];
	f.sup[2].id = "SUP-C";
	f.sup[2].payment_terms_days = 366;
	f.sup[2].tier = 4;
	f.sup[2].variable_cost_bps = 10001;
	f.sup[2].credit_available = -1;
	f.sup[2].oem_daily_sales = -5;
	f.in.nsuppliers = 3;
	f.inv[3].supplier_id = "NOBODY";
	f.inv[4].outstanding = 0;
	f.in.scenario.horizon_days = 731;
	memset(ramp, 0, sizeof(ramp));
	ramp[2] = 10001;
	f.in.scenario.ramp_bps = ramp;
	f.in.scenario.ramp_len = 5;
	f.scheme.day_count_basis = 364;
	f.scheme.advance_rate_bps = 0;
	assert_int_equal(model_validate(&f.in, e, 32, &n), -1);
	assert_true(has_error(e, n, "supplier", 1, "id"));
	assert_string_equal(e[0].object, "scenario");
	assert_true(has_error(e, n, "supplier", 2, "payment_terms_days"));
	assert_true(has_error(e, n, "supplier", 2, "tier"));
	assert_true(has_error(e, n, "supplier", 2, "variable_cost_bps"));
	assert_true(has_error(e, n, "supplier", 2, "credit_available"));
	assert_true(has_error(e, n, "supplier", 2, "oem_daily_sales"));
	assert_true(has_error(e, n, "invoice", 3, "supplier_id"));
	assert_true(has_error(e, n, "invoice", 4, "outstanding"));
	assert_true(has_error(e, n, "scenario", 0, "horizon_days"));
	assert_true(has_error(e, n, "scenario", 0, "ramp_bps[2]"));
	assert_true(has_error(e, n, "scheme", 0, "day_count_basis"));
	assert_true(has_error(e, n, "scheme", 0, "advance_rate_bps"));
	assert_int_equal(n, 12);
	assert_string_equal(e[n - 1].id, "INV-003");
	for (n = 0; n < 12; n++)
		if (strcmp(e[n].field, "payment_terms_days") == 0)
			assert_string_equal(e[n].problem,
			    "must be between 0 and 365, got 366");

	/* Only the first fits, but all are counted; model_alloc says no. */
	assert_int_equal(model_validate(&f.in, e, 1, &n), -1);
	assert_int_equal(n, 12);
	m = model_alloc(&f.in, NULL, e);
	assert_null(m);
	assert_int_equal(e[0].code, MODEL_ERR_INVALID);

	/* Too long a ramp; freeze past the horizon. */
	fx_example(&f);
	f.in.scenario.ramp_bps = ramp;
	f.in.scenario.ramp_len = 366;
	f.in.scenario.payment_freeze_days = 121;
	assert_int_equal(model_validate(&f.in, e, 32, &n), -1);
	assert_int_equal(n, 2);
	assert_true(has_error(e, n, "scenario", 0, "ramp_bps"));
	assert_true(has_error(e, n, "scenario", 0, "payment_freeze_days"));
}

/*
 * Enough invoices for validation to run on two threads: model_alloc's
 * first problem is the one model_validate reports first, whatever the
 * defect and however many threads; a valid input allocates.
 */
#define BIGV	70000

static void
large_input_first_problem_is_the_same_on_two_threads(void **state)
{
	struct model_supplier	 sup[3];
	struct model_invoice	*inv;
	struct model_input	 in;
	struct model_error	 e1, e2, ev[1];
	struct model_opts	 o;
	struct model		*m;
	char			(*ids)[12];
	size_t			 i, n;
	int			 d, t;

	inv = calloc(BIGV, sizeof(*inv));
	ids = calloc(BIGV, sizeof(*ids));
	assert_true(inv != NULL && ids != NULL);
	for (d = 0; d < 7; d++) {
		for (i = 0; i < 3; i++)
			sup_a(&sup[i]);
		sup[1].id = "SUP-B";
		sup[2].id = "SUP-C";
		for (i = 0; i < BIGV; i++) {
			snprintf(ids[i], sizeof(ids[i]), "I%07zu", i);
			inv[i].id = ids[i];
			inv[i].supplier_id = sup[i % 3].id;
			inv[i].outstanding = 1000;
			inv[i].due_date = day("2025-09-01") + (int32_t)(i % 50);
		}
		switch (d) {
		case 1:
			inv[60001].id = ids[123];	/* duplicate id */
			break;
		case 2:
			inv[50000].supplier_id = "NOBODY";
			inv[69999].outstanding = 0;
			break;
		case 3:
			inv[40000].id = "";
			inv[40001].id = ids[7];
			break;
		case 4:
			sup[2].id = "SUP-A";		/* duplicate supplier */
			inv[5].due_date = 9999999;
			break;
		case 5:
			sup[1].cash = INT64_MAX / 3;	/* overflow */
			break;
		case 6:
			inv[2].supplier_id = "NOBODY";
			inv[3].id = ids[2];
			break;
		}
		memset(&in, 0, sizeof(in));
		in.suppliers = sup;
		in.nsuppliers = 3;
		in.invoices = inv;
		in.ninvoices = BIGV;
		in.scenario.start_date = day("2025-09-01");
		in.scenario.horizon_days = 60;
		memset(&o, 0, sizeof(o));
		memset(&e1, 0, sizeof(e1));
		memset(&e2, 0, sizeof(e2));
		for (t = 1; t <= 2; t++) {
			o.threads = t;
			m = model_alloc(&in, &o, t == 1 ? &e1 : &e2);
			if (d == 0) {
				assert_non_null(m);
				model_free(m);
			} else
				assert_null(m);
		}
		if (d == 0)
			continue;
		assert_int_equal(model_validate(&in, ev, 1, &n), -1);
		assert_int_equal(e1.code, ev[0].code);
		assert_int_equal(e2.code, ev[0].code);
		assert_string_equal(e1.object, ev[0].object);
		assert_string_equal(e2.object, ev[0].object);
		assert_int_equal(e1.index, ev[0].index);
		assert_int_equal(e2.index, ev[0].index);
		assert_string_equal(e1.field, ev[0].field);
		assert_string_equal(e2.field, ev[0].field);
		assert_string_equal(e2.problem, ev[0].problem);
	}
	free(inv);
	free(ids);
}

static void
outage_lengths_beyond_the_horizon_are_refused(void **state)
{
	struct fx		f;
	struct model		*m;
	struct model_result	r[MAXS];
	struct model_point	c[200];
	int64_t			brk[MAXS];
	struct model_error	e;

	fx_example(&f);
	m = fx_model(&f);
	assert_int_equal(model_run(m, 121, r, NULL, &e), -1);
	assert_int_equal(e.code, MODEL_ERR_INVALID);
	assert_string_equal(e.field, "outage_days");
	assert_int_equal(model_run(m, -1, r, NULL, &e), -1);
	assert_int_equal(model_sweep(m, 121, c, brk, &e), -1);
	assert_string_equal(e.field, "max_outage_days");
	assert_int_equal(model_sweep(m, 120, c, brk, &e), 0);
	assert_int_equal(c[120].outage_days, 120);
	model_free(m);
}

static void
overflow_is_reported_not_wrapped(void **state)
{
	struct fx		f;
	struct model_error	e[4];
	struct model		*m;
	struct model_result	r[MAXS];
	struct model_point	p;
	size_t			n, i;

	fx_plain(&f, 10);
	f.sup[0].cash = INT64_MAX - 5;
	f.sup[0].other_daily_receipts = 10;
	assert_int_equal(model_validate(&f.in, e, 4, &n), -1);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].code, MODEL_ERR_OVERFLOW);
	assert_string_equal(e[0].object, "supplier");
	assert_string_equal(e[0].id, "S1");
	assert_null(model_alloc(&f.in, NULL, e));
	assert_int_equal(e[0].code, MODEL_ERR_OVERFLOW);

	/* Each supplier fits; the curve's total funding gap does not. */
	fx_plain(&f, 10);
	for (i = 0; i < 6; i++) {
		f.sup[i] = f.sup[0];
		f.sup[i].id = i == 0 ? "A" : i == 1 ? "B" : i == 2 ? "C" :
		    i == 3 ? "D" : i == 4 ? "E" : "F";
		f.sup[i].min_liquidity = INT64_MAX / 5;
	}
	f.in.nsuppliers = 6;
	m = fx_model(&f);
	assert_int_equal(model_run(m, 0, r, &p, e), -1);
	assert_int_equal(e[0].code, MODEL_ERR_OVERFLOW);
	model_free(m);
}

/*
 * A supplier at every bound the service lets its figures reach, under
 * the scenario and scheme that make the model's sums largest: it runs.
 */
static void
figures_at_the_service_bounds_always_run(void **state)
{
	struct fx		 f;
	struct model		*m;
	struct model_point	 curve[MODEL_HORIZON_MAX + 1];
	int64_t			 brk[MAXS];
	struct model_error	 e[4];
	size_t			 n;
	const int64_t		 stock = 9007199254740991LL;	/* 2^53 - 1 */

	fx_plain(&f, MODEL_HORIZON_MAX);
	f.in.scenario.payment_freeze_days = MODEL_HORIZON_MAX;
	f.sup[0].cash = -stock;
	f.sup[0].credit_available = stock;
	f.sup[0].min_liquidity = stock;
	f.sup[0].fixed_daily_costs = MODEL_DAILY_MAX;
	f.sup[0].oem_daily_sales = MODEL_DAILY_MAX;
	f.sup[0].other_daily_receipts = MODEL_DAILY_MAX;
	f.sup[0].variable_cost_bps = MODEL_BPS_MAX;
	f.sup[0].payment_terms_days = MODEL_TERMS_MAX;
	f.sup[0].scheme_opt_in = 1;
	fx_invoice(&f, "S1", stock, MODEL_HORIZON_MAX - 1);
	fx_scheme(&f);
	f.scheme.annual_rate_bps = MODEL_ANNUAL_RATE_MAX;
	f.scheme.day_count_basis = 360;
	f.scheme.advance_rate_bps = MODEL_BPS_MAX;
	f.scheme.fee_bearer = MODEL_FEE_OEM;
	assert_int_equal(model_validate(&f.in, e, 4, &n), 0);
	m = fx_model(&f);
	assert_int_equal(model_sweep(m, MODEL_HORIZON_MAX, curve, brk, e), 0);
	assert_int_equal(curve[MODEL_HORIZON_MAX].suppliers_below, 1);
	model_free(m);

	/* Beyond them, the model refuses rather than wrap. */
	f.sup[0].fixed_daily_costs = INT64_MAX / 8;
	assert_int_equal(model_validate(&f.in, e, 4, &n), -1);
	assert_int_equal(e[0].code, MODEL_ERR_OVERFLOW);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worked_example_no_stop),
		cmocka_unit_test(worked_example_three_weeks),
		cmocka_unit_test(worked_example_sixty_days),
		cmocka_unit_test(worked_example_sweep_breaks_at_47),
		cmocka_unit_test(worked_example_freeze_and_relief),
		cmocka_unit_test(worked_example_scheme),
		cmocka_unit_test(ramp_after_restart_with_rounded_variable_costs),
		cmocka_unit_test(no_stop_means_no_ramp),
		cmocka_unit_test(freeze_pays_overdue_and_frozen_invoices_on_day_F),
		cmocka_unit_test(overdue_invoice_without_freeze_is_paid_on_day_0),
		cmocka_unit_test(fixed_cost_relief_while_stopped),
		cmocka_unit_test(invoice_due_beyond_horizon_is_not_paid),
		cmocka_unit_test(early_payment_without_caps),
		cmocka_unit_test(basis_360_charges_more),
		cmocka_unit_test(fee_borne_by_oem),
		cmocka_unit_test(ineligible_supplier_and_small_invoice_paid_at_maturity),
		cmocka_unit_test(per_supplier_cap_rejects_then_takes_a_smaller_one),
		cmocka_unit_test(facility_limit_in_order_of_P_then_supplier_id),
		cmocka_unit_test(facility_repays_before_taking_new_candidates),
		cmocka_unit_test(horizon_of_one_day_with_terms_zero),
		cmocka_unit_test(credit_counts_as_liquidity),
		cmocka_unit_test(validation_reports_every_problem_precisely),
		cmocka_unit_test(large_input_first_problem_is_the_same_on_two_threads),
		cmocka_unit_test(outage_lengths_beyond_the_horizon_are_refused),
		cmocka_unit_test(overflow_is_reported_not_wrapped),
		cmocka_unit_test(figures_at_the_service_bounds_always_run),
	};

	return (cmocka_run_group_tests_name("model", tests, NULL, NULL));
}
