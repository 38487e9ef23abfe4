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
	};

	return (cmocka_run_group_tests_name("model", tests, NULL, NULL));
}
