/*
 * Order-stage schemes (prepayment at the order, true-up at the invoice),
 * facility sizing and outage probabilities: hand-computed cases to the
 * penny, the spec's order-basis figures that do not depend on the supply
 * network, and properties over random inputs against a day-by-day
 * reading of the spec written here independently of the engine.
 * TIDEOVER_PROP_CASES sets how many random inputs each property sees.
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
#define MAXI	24
#define MAXH	100
#define MAXP	4096

struct fx {
	struct model_supplier	 sup[MAXS];
	char			 sid[MAXS][8];
	struct model_invoice	 inv[MAXI];
	char			 iid[MAXI][8];
	int64_t			 ramp[12];
	struct model_scheme	 scheme;
	struct model_link	 link[2];
	struct model_input	 in;
	uint64_t		 seed;
};

struct trace {
	int64_t			 liq[MAXH + 200];
	struct model_payment	 pay[MAXP];
	size_t			 npay;
};

static int32_t
day(const char *s)
{
	int32_t	d;

	assert_int_equal(date_parse(s, &d), 0);
	return (d);
}

static struct model *
fx_model(const struct fx *f, int threads, int reference)
{
	struct model_opts	 o;
	struct model_error	 e;
	struct model		*m;

	memset(&o, 0, sizeof(o));
	o.threads = threads;
	o.reference = reference;
	m = model_alloc(&f->in, &o, &e);
	if (m == NULL)
		fail_msg("seed %llu: %s %zu %s: %s",
		    (unsigned long long)f->seed, e.object, e.index, e.field,
		    e.problem);
	return (m);
}

static void
on_pay(void *arg, const struct model_payment *p)
{
	struct trace	*t = arg;

	assert_true(t->npay < MAXP);
	t->pay[t->npay++] = *p;
}

static void
on_day(void *arg, int64_t d, int64_t liq)
{
	struct trace	*t = arg;

	t->liq[d] = liq;
}

static void
fx_trace(const struct fx *f, size_t s, int64_t L, struct trace *t,
    struct model_result *r)
{
	struct model_trace	 tr;
	struct model_error	 e;
	struct model		*m;

	memset(t, 0, sizeof(*t));
	memset(&tr, 0, sizeof(tr));
	tr.payment = on_pay;
	tr.day = on_day;
	tr.arg = t;
	m = fx_model(f, 1, 0);
	assert_int_equal(model_trace(m, s, L, &tr, r, &e), 0);
	model_free(m);
}

/* The first payment of that kind for delivery day u, or NULL. */
static const struct model_payment *
find_pay(const struct trace *t, enum model_pay_kind kind, int64_t u)
{
	size_t	i;

	for (i = 0; i < t->npay; i++)
		if (t->pay[i].kind == kind && t->pay[i].approved_day == u)
			return (&t->pay[i]);
	return (NULL);
}

static size_t
count_kind(const struct trace *t, enum model_pay_kind kind)
{
	size_t	i, n = 0;

	for (i = 0; i < t->npay; i++)
		n += t->pay[i].kind == kind;
	return (n);
}

/*
 * One supplier delivering 100,000 a day on 10 days' terms, H = 12, no
 * stop; an order-basis scheme effective on day 0, lag 1, ordered 3 days
 * ahead, invoiced 2 days after delivery, 80 % prepaid at 36.5 % a year
 * on 365 days (a fee of 1 per 1,000 a day), borne by the supplier.
 */
static void
fx_small(struct fx *f)
{
	struct model_supplier	*p = &f->sup[0];
	struct model_scheme	*k = &f->scheme;

	memset(f, 0, sizeof(*f));
	p->id = "X";
	p->tier = 1;
	p->employees = 10;
	p->cash = 1000000;
	p->fixed_daily_costs = 100000;
	p->oem_daily_sales = 100000;
	p->payment_terms_days = 10;
	p->scheme_opt_in = 1;
	f->in.suppliers = f->sup;
	f->in.nsuppliers = 1;
	f->in.invoices = f->inv;
	f->in.scenario.start_date = day("2025-09-01");
	f->in.scenario.horizon_days = 12;
	f->in.scheme = k;
	k->effective_from = f->in.scenario.start_date;
	k->payment_lag_days = 1;
	k->advance_rate_bps = 8000;
	k->annual_rate_bps = 3650;
	k->day_count_basis = 365;
	k->fee_bearer = MODEL_FEE_SUPPLIER;
	k->eligible_tiers = 1U << 1;
	k->basis = MODEL_BASIS_ORDER;
	k->has_order_lead_days = 1;
	k->order_lead_days = 3;
	k->has_true_up_lag_days = 1;
	k->true_up_lag_days = 2;
}

/*
 * E = max(u - 3, 0) + 1, T = u + 2, P = u + 10: every delivery u =
 * 0..11 is prepaid 80,000 on E less 80 a day to P, and trued up 20,000
 * on T less 160 (8 days to P). Deliveries 0..3 are prepaid on day 1 (fees
 * 720, 800, 880, 960), each later one on u - 2 (fee 960).
 */
static void
prepayment_and_true_up_to_the_penny(void **state)
{
	struct fx			 f;
	struct trace			 t;
	struct model_result		 r;
	struct model_point		 pt;
	struct model			*m;
	struct model_error		 e;
	const struct model_payment	*p;

	(void)state;
	fx_small(&f);
	m = fx_model(&f, 1, 0);
	assert_int_equal(model_run(m, 0, &r, &pt, &e), 0);
	model_free(m);
	assert_int_equal(r.early_paid, 1200000);
	assert_int_equal(r.fees, 720 + 800 + 880 + 9 * 960 + 12 * 160);
	assert_int_equal(pt.peak_facility_use, 1200000);	/* day 9 */
	assert_int_equal(pt.oem_cost, 0);
	/* 900,000 on day 0, then 1,116,640 on day 1, -1,120 a day to 9. */
	assert_int_equal(r.lowest_liquidity, 900000);
	assert_int_equal(r.lowest_liquidity_day, 0);
	assert_int_equal(r.breach_day, MODEL_NONE);

	fx_trace(&f, 0, 0, &t, &r);
	assert_int_equal(t.liq[1], 1116640);
	assert_int_equal(t.liq[9], 1107680);
	assert_int_equal(t.liq[11], 947360);
	assert_int_equal(count_kind(&t, MODEL_PAY_PREPAYMENT), 12);
	/* True-ups of 10 and 11 fall on days 12 and 13: past H. */
	assert_int_equal(count_kind(&t, MODEL_PAY_TRUE_UP), 10);
	assert_int_equal(count_kind(&t, MODEL_PAY_MATURITY), 0);
	assert_int_equal(count_kind(&t, MODEL_PAY_REMAINDER), 0);
	assert_non_null(p = find_pay(&t, MODEL_PAY_PREPAYMENT, 2));
	assert_int_equal(p->day, 1);
	assert_int_equal(p->gross, 80000);
	assert_int_equal(p->fee, 880);
	assert_int_equal(p->net, 79120);
	assert_int_equal(p->invoice, MODEL_NONE);
	assert_non_null(p = find_pay(&t, MODEL_PAY_PREPAYMENT, 7));
	assert_int_equal(p->day, 5);
	assert_int_equal(p->fee, 960);
	assert_non_null(p = find_pay(&t, MODEL_PAY_TRUE_UP, 7));
	assert_int_equal(p->day, 9);
	assert_int_equal(p->gross, 20000);
	assert_int_equal(p->fee, 160);
	assert_int_equal(p->net, 19840);

	/* The OEM bears the fee: the same fees, the payments whole. */
	f.scheme.fee_bearer = MODEL_FEE_OEM;
	m = fx_model(&f, 1, 0);
	assert_int_equal(model_run(m, 0, &r, &pt, &e), 0);
	model_free(m);
	assert_int_equal(r.fees, 12960);
	assert_int_equal(pt.oem_cost, 12960);
	fx_trace(&f, 0, 0, &t, &r);
	assert_non_null(p = find_pay(&t, MODEL_PAY_TRUE_UP, 7));
	assert_int_equal(p->fee, 0);
	assert_int_equal(p->net, 20000);
	/* 1,000,000 + 12 * 80,000 + 10 * 20,000 - 12 * 100,000 */
	assert_int_equal(t.liq[11], 960000);
}

/*
 * The invoice arrives on P or later (true-up lag 10: T = u + 10 = P):
 * only the prepayment is funded and the OEM pays the rest at P.
 */
static void
true_up_at_maturity_is_the_oems(void **state)
{
	struct fx			 f;
	struct trace			 t;
	struct model_result		 r;
	struct model_point		 pt;
	struct model			*m;
	struct model_error		 e;
	const struct model_payment	*p;

	(void)state;
	fx_small(&f);
	f.scheme.true_up_lag_days = 10;
	m = fx_model(&f, 1, 0);
	assert_int_equal(model_run(m, 0, &r, &pt, &e), 0);
	model_free(m);
	assert_int_equal(r.early_paid, 12 * 80000);
	assert_int_equal(r.fees, 720 + 800 + 880 + 9 * 960);
	assert_int_equal(pt.peak_facility_use, 960000);
	fx_trace(&f, 0, 0, &t, &r);
	assert_int_equal(count_kind(&t, MODEL_PAY_TRUE_UP), 0);
	/* Remainders of deliveries 0 and 1 on days 10 and 11. */
	assert_int_equal(count_kind(&t, MODEL_PAY_REMAINDER), 2);
	assert_non_null(p = find_pay(&t, MODEL_PAY_REMAINDER, 1));
	assert_int_equal(p->day, 11);
	assert_int_equal(p->gross, 20000);
	assert_int_equal(p->fee, 0);
}

/*
 * What is funded counts against the caps from E to P. Per-supplier cap
 * 350,000: deliveries 0..2 (100,000 each) fit on day 1, 3 does not, and
 * nothing more fits before delivery 0 is repaid on day 10, when nothing
 * is offered any more. A facility limit does the same across suppliers.
 */
static void
funded_amount_against_the_caps(void **state)
{
	struct fx		 f;
	struct trace		 t;
	struct model_result	 r;
	struct model_point	 pt;
	struct model		*m;
	struct model_error	 e;
	int			 ref;

	(void)state;
	for (ref = 0; ref <= 1; ref++) {
		fx_small(&f);
		f.scheme.has_per_supplier_cap = 1;
		f.scheme.per_supplier_cap = 350000;
		m = fx_model(&f, 1, ref);
		assert_int_equal(model_run(m, 0, &r, &pt, &e), 0);
		model_free(m);
		assert_int_equal(r.early_paid, 300000);
		assert_int_equal(r.fees, 720 + 800 + 880 + 3 * 160);
		assert_int_equal(pt.peak_facility_use, 300000);

		fx_small(&f);
		f.scheme.has_facility_limit = 1;
		f.scheme.facility_limit = 350000;
		m = fx_model(&f, 1, ref);
		assert_int_equal(model_run(m, 0, &r, &pt, &e), 0);
		model_free(m);
		assert_int_equal(r.early_paid, 300000);
		assert_int_equal(pt.peak_facility_use, 300000);
	}
	fx_trace(&f, 0, 0, &t, &r);
	assert_int_equal(count_kind(&t, MODEL_PAY_PREPAYMENT), 3);
	/* Rejected deliveries are paid whole at P: 3..11 lands on 13..21. */
	assert_int_equal(count_kind(&t, MODEL_PAY_MATURITY), 0);
	assert_null(find_pay(&t, MODEL_PAY_PREPAYMENT, 3));
}

/* Open invoices were ordered before the scheme: paid at maturity. */
static void
open_invoices_are_paid_at_maturity(void **state)
{
	struct fx			 f;
	struct trace			 t;
	struct model_result		 r;
	const struct model_payment	*p;

	(void)state;
	fx_small(&f);
	f.inv[0].id = "INV-1";
	f.inv[0].supplier_id = "X";
	f.inv[0].outstanding = 500000;
	f.inv[0].due_date = f.in.scenario.start_date + 4;
	f.in.ninvoices = 1;
	fx_trace(&f, 0, 0, &t, &r);
	assert_int_equal(r.early_paid, 1200000);
	assert_non_null(p = find_pay(&t, MODEL_PAY_MATURITY, MODEL_NONE));
	assert_int_equal(p->invoice, 0);
	assert_int_equal(p->day, 4);
	assert_int_equal(p->gross, 500000);
	assert_int_equal(t.liq[11], 947360 + 500000);
}

/*
 * The spec's order-basis example, T1-A: 60 open invoices of 500,000 due
 * day k, 500,000 a day on 60 days' terms, H = 120, seven days of 50 %
 * ramp, F = 21; 80 % prepaid at the order 14 days ahead, trued up the
 * day after delivery, 6.5 % on 365 days, the OEM bearing the fee. The
 * funded amounts, fees and peak do not depend on T1-A's own suppliers
 * (no cap binds), so they are checked here without the network.
 */
static void
spec_order_basis_example_t1a_figures(void **state)
{
	struct fx		 f;
	struct model_supplier	*p = &f.sup[0];
	struct model_scheme	*k = &f.scheme;
	struct model_result	 r;
	struct model_point	 pt;
	struct model		*m;
	struct model_error	 e;
	size_t			 i;
	int			 ref;

	(void)state;
	memset(&f, 0, sizeof(f));
	p->id = "T1-A";
	p->tier = 1;
	p->employees = 400;
	p->cash = 3000000;
	p->fixed_daily_costs = 150000;
	p->oem_daily_sales = 500000;
	p->variable_cost_bps = 2000;
	p->payment_terms_days = 60;
	p->scheme_opt_in = 1;
	f.in.suppliers = f.sup;
	f.in.nsuppliers = 1;
	f.in.scenario.start_date = day("2025-09-01");
	f.in.scenario.horizon_days = 120;
	for (i = 0; i < 7; i++)
		f.ramp[i] = 5000;
	f.in.scenario.ramp_bps = f.ramp;
	f.in.scenario.ramp_len = 7;
	f.in.scenario.payment_freeze_days = 21;
	f.in.scheme = k;
	k->effective_from = day("2025-09-01");
	k->advance_rate_bps = 8000;
	k->annual_rate_bps = 650;
	k->day_count_basis = 365;
	k->fee_bearer = MODEL_FEE_OEM;
	k->eligible_tiers = 1U << 1;
	k->basis = MODEL_BASIS_ORDER;
	k->has_order_lead_days = 1;
	k->order_lead_days = 14;
	k->has_true_up_lag_days = 1;
	k->true_up_lag_days = 1;
	for (ref = 0; ref <= 1; ref++) {
		m = fx_model(&f, 2, ref);
		assert_int_equal(model_run(m, 21, &r, &pt, &e), 0);
		model_free(m);
		assert_int_equal(pt.early_paid, 47750000);
		assert_int_equal(pt.fees, 603751);
		assert_int_equal(pt.oem_cost, 603751);
		assert_int_equal(pt.peak_facility_use, 37000000);
		/* A facility of exactly the peak changes nothing. */
		k->has_facility_limit = 1;
		k->facility_limit = 37000000;
		m = fx_model(&f, 2, ref);
		assert_int_equal(model_run(m, 21, &r, &pt, &e), 0);
		model_free(m);
		assert_int_equal(pt.early_paid, 47750000);
		assert_int_equal(pt.fees, 603751);
		assert_int_equal(pt.peak_facility_use, 37000000);
		k->has_facility_limit = 0;
	}
}

static void
expect_error(const struct fx *f, const char *field, const char *problem)
{
	struct model_error	 errs[8];
	size_t			 n, i;

	assert_int_equal(model_validate(&f->in, errs, 8, &n), -1);
	for (i = 0; i < n && i < 8; i++)
		if (strcmp(errs[i].field, field) == 0 &&
		    strstr(errs[i].problem, problem) != NULL) {
			assert_string_equal(errs[i].object, "scheme");
			return;
		}
	fail_msg("no error on %s (%s): first %s: %s", field, problem,
	    n > 0 ? errs[0].field : "", n > 0 ? errs[0].problem : "");
}

static void
basis_fields_are_validated(void **state)
{
	struct fx		 f;
	struct model_error	 errs[8];
	size_t			 n;

	(void)state;
	fx_small(&f);
	assert_int_equal(model_validate(&f.in, errs, 8, &n), 0);

	f.scheme.has_order_lead_days = 0;
	expect_error(&f, "order_lead_days", "is required when basis is order");
	fx_small(&f);
	f.scheme.has_true_up_lag_days = 0;
	expect_error(&f, "true_up_lag_days", "is required when basis is order");
	fx_small(&f);
	f.scheme.order_lead_days = 366;
	expect_error(&f, "order_lead_days",
	    "must be between 0 and 365, got 366");
	fx_small(&f);
	f.scheme.true_up_lag_days = -1;
	expect_error(&f, "true_up_lag_days",
	    "must be between 0 and 365, got -1");
	fx_small(&f);
	f.scheme.covers = MODEL_COVERS_ALL;
	expect_error(&f, "covers", "must be oem when basis is order");
	fx_small(&f);
	f.scheme.basis = (enum model_basis)7;
	expect_error(&f, "basis", "must be invoice or order");

	/* The invoice basis takes neither. */
	fx_small(&f);
	f.scheme.basis = MODEL_BASIS_INVOICE;
	expect_error(&f, "order_lead_days",
	    "is only allowed when basis is order");
	expect_error(&f, "true_up_lag_days",
	    "is only allowed when basis is order");
	f.scheme.has_order_lead_days = 0;
	f.scheme.has_true_up_lag_days = 0;
	assert_int_equal(model_validate(&f.in, errs, 8, &n), 0);

	/* On a supply network too. */
	fx_small(&f);
	f.sup[1] = f.sup[0];
	f.sup[1].id = "Y";
	f.in.nsuppliers = 2;
	f.link[0].supplier_id = "Y";
	f.link[0].customer_id = "X";
	f.link[0].daily_sales = 1000;
	f.link[0].payment_terms_days = 5;
	f.in.links = f.link;
	f.in.nlinks = 1;
	assert_int_equal(model_validate(&f.in, errs, 8, &n), 0);
	f.scheme.covers = MODEL_COVERS_ALL;
	expect_error(&f, "covers", "must be oem when basis is order");
	f.scheme.covers = MODEL_COVERS_OEM;
	f.scheme.basis = MODEL_BASIS_INVOICE;
	f.scheme.has_order_lead_days = 0;
	f.scheme.has_true_up_lag_days = 0;
	assert_int_equal(model_validate(&f.in, errs, 8, &n), 0);
}

/* A zero-initialised scheme is the invoice basis, as before. */
static void
zero_scheme_is_the_invoice_basis(void **state)
{
	struct model_scheme	 k;

	(void)state;
	memset(&k, 0, sizeof(k));
	assert_int_equal(k.basis, MODEL_BASIS_INVOICE);
	assert_int_equal(MODEL_BASIS_INVOICE, 0);
	assert_int_equal(k.covers, MODEL_COVERS_OEM);
	/* Trace kinds keep their numbers. */
	assert_int_equal(MODEL_PAY_DEEP_TIER, 4);
	assert_int_equal(MODEL_PAY_PREPAYMENT, 5);
	assert_int_equal(MODEL_PAY_TRUE_UP, 6);
}

/* ---- Properties against the spec read day by day. ---- */

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (*s);
}

static int64_t
between(uint64_t *s, int64_t lo, int64_t hi)
{
	return (lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1)));
}

static int
cases(void)
{
	const char	*v = getenv("TIDEOVER_PROP_CASES");

	return (v != NULL && atoi(v) > 0 ? atoi(v) : 120);
}

/* caps: 0 none, 1 per supplier, 2 facility, 3 both, -1 any. */
static void
fx_random(struct fx *f, uint64_t seed, int caps)
{
	uint64_t		 s = seed * 2654435761ULL + 88172645463325252ULL;
	struct model_supplier	*p;
	struct model_scheme	*k = &f->scheme;
	size_t			 i, n;
	int64_t			 H;

	memset(f, 0, sizeof(*f));
	f->seed = seed;
	f->in.suppliers = f->sup;
	f->in.invoices = f->inv;
	f->in.scenario.start_date = 20000;
	H = between(&s, 1, MAXH);
	f->in.scenario.horizon_days = H;
	f->in.scenario.ramp_len = (size_t)between(&s, 0, 12);
	for (i = 0; i < f->in.scenario.ramp_len; i++)
		f->ramp[i] = between(&s, 0, 10000);
	f->in.scenario.ramp_bps = f->ramp;
	f->in.scenario.payment_freeze_days = between(&s, 0, 3) == 0 ?
	    between(&s, 0, H < 20 ? H : 20) : 0;
	f->in.scenario.fixed_cost_relief_bps = between(&s, 0, 1) ?
	    between(&s, 0, 10000) : 0;
	n = (size_t)between(&s, 1, MAXS);
	f->in.nsuppliers = n;
	for (i = 0; i < n; i++) {
		p = &f->sup[i];
		snprintf(f->sid[i], sizeof(f->sid[i]), "S%02d",
		    (int)((i * 7 + seed) % 97));
		p->id = f->sid[i];
		p->tier = between(&s, 1, 3);
		p->employees = between(&s, 0, 300);
		p->cash = between(&s, -200000, 3000000);
		p->credit_available = between(&s, 0, 1) ?
		    between(&s, 0, 500000) : 0;
		p->min_liquidity = between(&s, 0, 1) ?
		    between(&s, 0, 400000) : 0;
		p->fixed_daily_costs = between(&s, 0, 60000);
		p->oem_daily_sales = between(&s, 0, 4) ?
		    between(&s, 0, 200000) : 0;
		p->variable_cost_bps = between(&s, 0, 10000);
		p->other_daily_receipts = between(&s, 0, 1) ?
		    between(&s, 0, 20000) : 0;
		p->payment_terms_days = between(&s, 0, 3) ?
		    between(&s, 0, 60) : between(&s, 0, 365);
		p->scheme_opt_in = (int)between(&s, 0, 1);
	}
	f->in.ninvoices = (size_t)between(&s, 0, MAXI);
	for (i = 0; i < f->in.ninvoices; i++) {
		snprintf(f->iid[i], sizeof(f->iid[i]), "I%03d",
		    (int)((i * 13 + seed) % 997));
		f->inv[i].id = f->iid[i];
		f->inv[i].supplier_id = f->sid[between(&s, 0, (int64_t)n - 1)];
		f->inv[i].outstanding = between(&s, 1, 800000);
		f->inv[i].due_date = f->in.scenario.start_date +
		    (int32_t)between(&s, -20, H + 20);
	}
	f->in.scheme = k;
	k->effective_from = f->in.scenario.start_date +
	    (int32_t)between(&s, -5, 25);
	k->payment_lag_days = between(&s, 0, 5);
	k->advance_rate_bps = between(&s, 1, 10000);
	k->annual_rate_bps = between(&s, 0, 20000);
	k->day_count_basis = between(&s, 0, 1) ? 360 : 365;
	k->fee_bearer = between(&s, 0, 1) ? MODEL_FEE_OEM : MODEL_FEE_SUPPLIER;
	/* Mostly eligible: the caps have something to bind. */
	k->eligible_tiers = between(&s, 0, 3) ? 0xeU :
	    (unsigned int)between(&s, 0, 7) << 1;
	k->has_max_employees = between(&s, 0, 3) == 0;
	k->max_employees = between(&s, 0, 300);
	k->min_invoice_amount = between(&s, 0, 2) == 0 ?
	    between(&s, 0, 150000) : 0;
	k->requires_opt_in = between(&s, 0, 2) == 0;
	k->basis = MODEL_BASIS_ORDER;
	k->has_order_lead_days = 1;
	k->order_lead_days = between(&s, 0, 5) ? between(&s, 0, 30) :
	    between(&s, 0, 365);
	k->has_true_up_lag_days = 1;
	k->true_up_lag_days = between(&s, 0, 3) ? between(&s, 0, 10) :
	    between(&s, 0, 90);
	if (caps < 0)
		caps = (int)between(&s, 0, 3);
	k->has_per_supplier_cap = (caps & 1) != 0;
	k->per_supplier_cap = between(&s, 0, 2500000);
	k->has_facility_limit = (caps & 2) != 0;
	k->facility_limit = between(&s, 0, 6000000);
}

static int64_t
t_rhe(__int128 n, int64_t d)
{
	__int128	q = n / d, r = n % d;

	if (2 * r > d || (2 * r == d && (q & 1) != 0))
		q++;
	return ((int64_t)q);
}

static int64_t
t_level(const struct fx *f, int64_t L, int64_t t)
{
	if (L == 0)
		return (10000);
	if (t < L)
		return (0);
	if ((size_t)(t - L) < f->in.scenario.ramp_len)
		return (f->ramp[t - L]);
	return (10000);
}

struct ocand {
	int64_t	 E, P, T, u, amt, adv, fin;
	size_t	 s;
	int	 accepted;
};

static const struct fx	*ocmp_fx;

static int
ocand_cmp(const void *a, const void *b)
{
	const struct ocand	*x = a, *y = b;
	int			 c;

	if (x->E != y->E)
		return (x->E < y->E ? -1 : 1);
	if (x->P != y->P)
		return (x->P < y->P ? -1 : 1);
	if ((c = strcmp(ocmp_fx->sup[x->s].id, ocmp_fx->sup[y->s].id)) != 0)
		return (c);
	return (x->u < y->u ? -1 : x->u > y->u);
}

/*
 * The spec, literally: every supplier's every day, the candidates of all
 * suppliers in one list sorted by (E, P, supplier id, u), each day's
 * repayments before its candidates.
 */
static void
oracle(const struct fx *f, int64_t L, struct model_result *res,
    struct model_point *pt)
{
	static struct ocand	 c[MAXS * MAXH];
	static int64_t		 rec[MAXS][MAXH];
	const struct model_scheme *k = &f->scheme;
	const struct model_supplier *p;
	int64_t			 H = f->in.scenario.horizon_days;
	int64_t			 F = f->in.scenario.payment_freeze_days;
	int64_t			 e = k->effective_from - f->in.scenario.start_date;
	int64_t			 sout[MAXS], total = 0, peak = 0, ep[MAXS];
	int64_t			 fees[MAXS], u, t, P, E, amt, o, f1, f2, cash;
	int64_t			 lo, loday, br, thr, fixed, sales;
	size_t			 n = 0, i, j, s;
	int			 elig;

	memset(rec, 0, sizeof(rec));
	memset(sout, 0, sizeof(sout));
	memset(ep, 0, sizeof(ep));
	memset(fees, 0, sizeof(fees));
	for (i = 0; i < f->in.ninvoices; i++) {
		for (s = 0; strcmp(f->sup[s].id, f->inv[i].supplier_id); s++)
			;
		P = f->inv[i].due_date - f->in.scenario.start_date;
		P = P > F ? P : F;
		if (P < H)
			rec[s][P] += f->inv[i].outstanding;
	}
	for (s = 0; s < f->in.nsuppliers; s++) {
		p = &f->sup[s];
		elig = (k->eligible_tiers & (1U << p->tier)) != 0 &&
		    (!k->has_max_employees || p->employees <= k->max_employees) &&
		    (!k->requires_opt_in || p->scheme_opt_in);
		for (u = 0; u < H; u++) {
			amt = t_rhe((__int128)p->oem_daily_sales *
			    t_level(f, L, u), 10000);
			if (amt == 0)
				continue;
			P = u + p->payment_terms_days;
			P = P > F ? P : F;
			/* An order before day 0 counts as on day 0. */
			o = u - k->order_lead_days;
			o = o > 0 ? o : 0;
			E = (o > e ? o : e) + k->payment_lag_days;
			if (elig && amt >= k->min_invoice_amount && E < P &&
			    E < H) {
				c[n].E = E;
				c[n].P = P;
				c[n].u = u;
				c[n].s = s;
				c[n].amt = amt;
				c[n].adv = t_rhe((__int128)amt *
				    k->advance_rate_bps, 10000);
				c[n].T = u + k->true_up_lag_days;
				if (c[n].T < E)
					c[n].T = E;
				c[n].fin = c[n].T < P ? amt : c[n].adv;
				c[n].accepted = 0;
				n++;
			} else if (P < H)
				rec[s][P] += amt;
		}
	}
	ocmp_fx = f;
	qsort(c, n, sizeof(*c), ocand_cmp);
	for (t = 0, j = 0; t < H; t++) {
		for (i = 0; i < j; i++)
			if (c[i].accepted && c[i].P == t) {
				total -= c[i].fin;
				sout[c[i].s] -= c[i].fin;
			}
		for (; j < n && c[j].E == t; j++) {
			s = c[j].s;
			if ((k->has_per_supplier_cap &&
			    sout[s] + c[j].fin > k->per_supplier_cap) ||
			    (k->has_facility_limit &&
			    total + c[j].fin > k->facility_limit)) {
				if (c[j].P < H)
					rec[s][c[j].P] += c[j].amt;
				continue;
			}
			c[j].accepted = 1;
			total += c[j].fin;
			sout[s] += c[j].fin;
			ep[s] += c[j].fin;
			f1 = t_rhe((__int128)c[j].adv * k->annual_rate_bps *
			    (c[j].P - c[j].E), 10000 * k->day_count_basis);
			f2 = c[j].T < c[j].P ? t_rhe((__int128)(c[j].amt -
			    c[j].adv) * k->annual_rate_bps * (c[j].P - c[j].T),
			    10000 * k->day_count_basis) : 0;
			fees[s] += f1 + f2;
			if (k->fee_bearer == MODEL_FEE_OEM)
				f1 = f2 = 0;
			rec[s][t] += c[j].adv - f1;
			if (c[j].T < c[j].P) {
				if (c[j].T < H)
					rec[s][c[j].T] += c[j].amt - c[j].adv - f2;
			} else if (c[j].P < H)
				rec[s][c[j].P] += c[j].amt - c[j].adv;
		}
		if (total > peak)
			peak = total;
	}
	memset(pt, 0, sizeof(*pt));
	pt->outage_days = L;
	pt->peak_facility_use = peak;
	for (s = 0; s < f->in.nsuppliers; s++) {
		p = &f->sup[s];
		cash = p->cash;
		lo = INT64_MAX;
		loday = 0;
		br = MODEL_NONE;
		thr = p->min_liquidity;
		for (t = 0; t < H; t++) {
			fixed = t < L ? t_rhe((__int128)p->fixed_daily_costs *
			    (10000 - f->in.scenario.fixed_cost_relief_bps),
			    10000) : p->fixed_daily_costs;
			sales = t_rhe((__int128)p->oem_daily_sales *
			    t_level(f, L, t), 10000);
			cash += p->other_daily_receipts + rec[s][t] - fixed -
			    t_rhe((__int128)sales * p->variable_cost_bps,
			    10000);
			if (cash + p->credit_available < lo) {
				lo = cash + p->credit_available;
				loday = t;
			}
			if (br == MODEL_NONE &&
			    cash + p->credit_available < thr)
				br = t;
		}
		memset(&res[s], 0, sizeof(res[s]));
		res[s].breach_day = br;
		res[s].lowest_liquidity = lo;
		res[s].lowest_liquidity_day = loday;
		res[s].funding_gap = thr - lo > 0 ? thr - lo : 0;
		res[s].early_paid = ep[s];
		res[s].fees = fees[s];
		if (br != MODEL_NONE) {
			pt->suppliers_below++;
			pt->employees_at_risk += p->employees;
		}
		pt->funding_gap += res[s].funding_gap;
		pt->early_paid += ep[s];
		pt->fees += fees[s];
	}
	if (k->fee_bearer == MODEL_FEE_OEM)
		pt->oem_cost = pt->fees;
}

static void
result_equal(const struct fx *f, int64_t L, size_t s, const char *what,
    const struct model_result *a, const struct model_result *b)
{
	if (a->breach_day != b->breach_day ||
	    a->lowest_liquidity != b->lowest_liquidity ||
	    a->lowest_liquidity_day != b->lowest_liquidity_day ||
	    a->funding_gap != b->funding_gap ||
	    a->early_paid != b->early_paid || a->fees != b->fees)
		fail_msg("seed %llu L %lld supplier %zu (%s): breach %lld/%lld "
		    "lowest %lld/%lld on %lld/%lld early %lld/%lld fees "
		    "%lld/%lld", (unsigned long long)f->seed, (long long)L, s,
		    what, (long long)a->breach_day, (long long)b->breach_day,
		    (long long)a->lowest_liquidity,
		    (long long)b->lowest_liquidity,
		    (long long)a->lowest_liquidity_day,
		    (long long)b->lowest_liquidity_day,
		    (long long)a->early_paid, (long long)b->early_paid,
		    (long long)a->fees, (long long)b->fees);
}

static void
point_equal(const struct fx *f, const char *what,
    const struct model_point *a, const struct model_point *b)
{
	if (a->outage_days != b->outage_days ||
	    a->suppliers_below != b->suppliers_below ||
	    a->employees_at_risk != b->employees_at_risk ||
	    a->funding_gap != b->funding_gap ||
	    a->early_paid != b->early_paid || a->fees != b->fees ||
	    a->peak_facility_use != b->peak_facility_use ||
	    a->oem_cost != b->oem_cost)
		fail_msg("seed %llu L %lld (%s): below %lld/%lld early "
		    "%lld/%lld fees %lld/%lld peak %lld/%lld",
		    (unsigned long long)f->seed, (long long)a->outage_days,
		    what, (long long)a->suppliers_below,
		    (long long)b->suppliers_below, (long long)a->early_paid,
		    (long long)b->early_paid, (long long)a->fees,
		    (long long)b->fees, (long long)a->peak_facility_use,
		    (long long)b->peak_facility_use);
}

/*
 * On every L: the sweep (fast path, two threads), the day-by-day
 * reference sweep, and a run of that L all equal the spec read
 * literally, without caps, with a per-supplier cap, with a facility
 * limit and with both; and the caps do bind in many of the cases.
 */
static void
sweep_equals_reference_and_spec_on_every_L(void **state)
{
	static struct model_result	 all[2][(MAXH + 1) * MAXS];
	static struct model_point	 curve[2][MAXH + 1];
	struct model_result		 ores[MAXS], rres[MAXS];
	struct model_point		 opt, rpt;
	int64_t				 brk[2][MAXS], L, H, ob;
	struct fx			 f;
	struct model			*m;
	struct model_error		 e;
	size_t				 s;
	int				 i, caps, ref, bound[4] = { 0 };
	uint64_t			 early_capped, early_free;

	(void)state;
	for (caps = 0; caps < 4; caps++) {
		for (i = 0; i < cases(); i++) {
			fx_random(&f, (uint64_t)(i + 1 + caps * 100000), caps);
			H = f.in.scenario.horizon_days;
			for (ref = 0; ref <= 1; ref++) {
				m = fx_model(&f, ref ? 1 : 2, ref);
				assert_int_equal(model_sweep_results(m, H,
				    curve[ref], brk[ref], all[ref], &e), 0);
				model_free(m);
			}
			early_capped = early_free = 0;
			for (L = 0; L <= H; L++) {
				oracle(&f, L, ores, &opt);
				point_equal(&f, "sweep", &curve[0][L], &opt);
				point_equal(&f, "reference", &curve[1][L],
				    &opt);
				for (s = 0; s < f.in.nsuppliers; s++) {
					result_equal(&f, L, s, "sweep",
					    &all[0][L * f.in.nsuppliers + s],
					    &ores[s]);
					result_equal(&f, L, s, "reference",
					    &all[1][L * f.in.nsuppliers + s],
					    &ores[s]);
				}
				early_capped += (uint64_t)opt.early_paid;
			}
			for (s = 0; s < f.in.nsuppliers; s++) {
				ob = MODEL_NONE;
				for (L = 0; L <= H && ob == MODEL_NONE; L++)
					if (all[1][L * f.in.nsuppliers +
					    s].breach_day != MODEL_NONE)
						ob = L;
				assert_int_equal(brk[0][s], ob);
				assert_int_equal(brk[1][s], ob);
			}
			/* One L by model_run, on one thread. */
			L = (int64_t)((uint64_t)i % (uint64_t)(H + 1));
			m = fx_model(&f, 1, 0);
			assert_int_equal(model_run(m, L, rres, &rpt, &e), 0);
			model_free(m);
			oracle(&f, L, ores, &opt);
			point_equal(&f, "run", &rpt, &opt);
			for (s = 0; s < f.in.nsuppliers; s++)
				result_equal(&f, L, s, "run", &rres[s],
				    &ores[s]);
			if (caps == 0)
				continue;
			f.scheme.has_per_supplier_cap = 0;
			f.scheme.has_facility_limit = 0;
			for (L = 0; L <= H; L++) {
				oracle(&f, L, ores, &opt);
				early_free += (uint64_t)opt.early_paid;
			}
			bound[caps] += early_free > early_capped;
		}
	}
	/* The caps bind in at least a third of the capped cases. */
	for (caps = 1; caps < 4; caps++)
		if (bound[caps] * 3 < cases())
			fail_msg("caps %d bound in %d of %d cases", caps,
			    bound[caps], cases());
}

/* Traces: what reaches the supplier is the funded amounts less fees. */
static void
trace_payments_add_up(void **state)
{
	struct fx		 f;
	struct trace		 t;
	struct model_result	 r, ores[MAXS];
	struct model_point	 opt;
	int64_t			 L, net, ep, H;
	size_t			 s, j;
	int			 i;

	(void)state;
	for (i = 0; i < cases(); i++) {
		fx_random(&f, (uint64_t)(i + 7777), -1);
		H = f.in.scenario.horizon_days;
		L = (int64_t)((uint64_t)i % (uint64_t)(H + 1));
		oracle(&f, L, ores, &opt);
		for (s = 0; s < f.in.nsuppliers; s++) {
			fx_trace(&f, s, L, &t, &r);
			/* With the facility's decisions for every supplier. */
			result_equal(&f, L, s, "trace", &r, &ores[s]);
			assert_int_equal(t.liq[r.lowest_liquidity_day],
			    r.lowest_liquidity);
			net = ep = 0;
			for (j = 0; j < t.npay; j++) {
				assert_int_equal(t.pay[j].net,
				    t.pay[j].gross - t.pay[j].fee);
				assert_true(t.pay[j].day < H);
				if (t.pay[j].kind == MODEL_PAY_PREPAYMENT) {
					assert_true(find_pay(&t,
					    MODEL_PAY_MATURITY,
					    t.pay[j].approved_day) == NULL);
					ep += t.pay[j].gross;
				}
				if (t.pay[j].kind == MODEL_PAY_TRUE_UP)
					ep += t.pay[j].gross;
				assert_true(t.pay[j].kind != MODEL_PAY_EARLY);
				net += t.pay[j].net;
			}
			/* True-ups past H are not traced: at most. */
			assert_true(ep <= r.early_paid);
		}
	}
}

/* ---- Facility sizing. ---- */

/*
 * Two suppliers, invoice basis, no fee. A (cash 100m) has an open
 * invoice of 6m due day 5; B (cash 1m, costs 500,000 a day) one of 4m
 * due day 8: both offered on day 0, A first (smaller P). Uncapped peak
 * U = 10m; K = 10 gives limits of k millions. Below 4m neither fits and
 * B breaches on day 2; at 4m and 5m only B's fits and B survives; from
 * 6m A's fits first and crowds B's out; at 10m both fit.
 */
static void
fx_crowding(struct fx *f)
{
	struct model_scheme	*k = &f->scheme;

	memset(f, 0, sizeof(*f));
	f->sup[0].id = "A";
	f->sup[0].tier = 1;
	f->sup[0].employees = 100;
	f->sup[0].cash = 100000000;
	f->sup[1].id = "B";
	f->sup[1].tier = 1;
	f->sup[1].employees = 30;
	f->sup[1].cash = 1000000;
	f->sup[1].fixed_daily_costs = 500000;
	f->in.suppliers = f->sup;
	f->in.nsuppliers = 2;
	f->inv[0].id = "A-1";
	f->inv[0].supplier_id = "A";
	f->inv[0].outstanding = 6000000;
	f->inv[1].id = "B-1";
	f->inv[1].supplier_id = "B";
	f->inv[1].outstanding = 4000000;
	f->in.invoices = f->inv;
	f->in.ninvoices = 2;
	f->in.scenario.start_date = day("2025-09-01");
	f->inv[0].due_date = f->in.scenario.start_date + 5;
	f->inv[1].due_date = f->in.scenario.start_date + 8;
	f->in.scenario.horizon_days = 10;
	f->in.scheme = k;
	k->effective_from = f->in.scenario.start_date;
	k->advance_rate_bps = 10000;
	k->day_count_basis = 365;
	k->fee_bearer = MODEL_FEE_OEM;
	k->eligible_tiers = 1U << 1;
}

static void
sizing_is_not_monotone_and_every_point_is_run(void **state)
{
	static const int64_t	 below[11] = {
		1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0
	};
	struct model_sizing_point pts[MODEL_SIZING_STEPS_MAX + 1];
	struct model_sizing	 z;
	struct model_error	 e;
	struct fx		 f;
	int64_t			 k;

	(void)state;
	fx_crowding(&f);
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 10, 0, 0, pts,
	    &z, &e), 0);
	assert_int_equal(z.uncapped_peak, 10000000);
	assert_int_equal(z.steps, 10);
	for (k = 0; k <= 10; k++) {
		assert_int_equal(pts[k].facility_limit, k * 1000000);
		assert_int_equal(pts[k].point.outage_days, 0);
		assert_int_equal(pts[k].point.suppliers_below, below[k]);
		assert_int_equal(pts[k].point.employees_at_risk,
		    below[k] * 30);
	}
	assert_int_equal(pts[5].point.early_paid, 4000000);
	assert_int_equal(pts[6].point.early_paid, 6000000);
	assert_int_equal(pts[6].point.peak_facility_use, 6000000);
	assert_int_equal(pts[10].point.early_paid, 10000000);
	/* B: 1m - 500,000 a day breaches on day 2, lowest -3m on day 7. */
	assert_int_equal(pts[6].point.funding_gap, 3000000);
	/* Default target: the count at g_K, 0: the smallest is 4m. */
	assert_int_equal(z.target, 0);
	assert_int_equal(z.answer, 4);
	assert_int_equal(z.facility_limit, 4000000);
	/* At most one below: no facility at all. */
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 10, 1, 1, pts,
	    &z, &e), 0);
	assert_int_equal(z.answer, 0);
	assert_int_equal(z.facility_limit, 0);

	/* A grid that steps over the window: K = 4 gives 0, 2.5m, 5m... */
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 4, 0, 0, pts,
	    &z, &e), 0);
	assert_int_equal(pts[1].facility_limit, 2500000);
	assert_int_equal(pts[2].point.suppliers_below, 0);	/* 5m */
	assert_int_equal(pts[3].point.suppliers_below, 1);	/* 7.5m */
	assert_int_equal(z.facility_limit, 5000000);
	/* K = 3: 0, 3,333,333, 6,666,667, 10m (rounded half to even). */
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 3, 0, 0, pts,
	    &z, &e), 0);
	assert_int_equal(pts[1].facility_limit, 3333333);
	assert_int_equal(pts[2].facility_limit, 6666667);
	assert_int_equal(z.answer, 3);

	/* The input's own limit is ignored for U. */
	f.scheme.has_facility_limit = 1;
	f.scheme.facility_limit = 1;
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 10, 0, 0, pts,
	    &z, &e), 0);
	assert_int_equal(z.uncapped_peak, 10000000);
	assert_int_equal(z.facility_limit, 4000000);
}

static void
sizing_refuses_bad_requests(void **state)
{
	struct model_sizing_point pts[MODEL_SIZING_STEPS_MAX + 2];
	struct model_sizing	 z;
	struct model_error	 e;
	struct fx		 f;

	(void)state;
	fx_crowding(&f);
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 201, 0, 0, pts,
	    &z, &e), -1);
	assert_string_equal(e.field, "steps");
	assert_string_equal(e.problem, "must be between 1 and 200, got 201");
	assert_int_equal(model_size_facility(&f.in, NULL, 11, 10, 0, 0, pts,
	    &z, &e), -1);
	assert_string_equal(e.field, "outage_days");
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 10, 1, -1, pts,
	    &z, &e), -1);
	assert_string_equal(e.field, "max_suppliers_below");
	f.in.scheme = NULL;
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 10, 0, 0, pts,
	    &z, &e), -1);
	assert_string_equal(e.object, "scheme");
	/* Steps 0: the default 20. */
	fx_crowding(&f);
	assert_int_equal(model_size_facility(&f.in, NULL, 0, 0, 0, 0, pts,
	    &z, &e), 0);
	assert_int_equal(z.steps, 20);
	assert_int_equal(pts[8].facility_limit, 4000000);
	assert_int_equal(z.facility_limit, 4000000);
}

/* Random order-basis inputs: g_K's point is the uncapped run's. */
static void
sizing_top_of_grid_is_the_uncapped_run(void **state)
{
	struct model_sizing_point pts[6];
	struct model_sizing	 z;
	struct model_error	 e;
	struct model_result	 r[MAXS];
	struct model_point	 opt;
	struct fx		 f;
	int64_t			 L, k;
	int			 i;

	(void)state;
	for (i = 0; i < cases(); i++) {
		fx_random(&f, (uint64_t)(i + 4242), -1);
		L = (int64_t)((uint64_t)i %
		    (uint64_t)(f.in.scenario.horizon_days + 1));
		assert_int_equal(model_size_facility(&f.in, NULL, L, 5, 0, 0,
		    pts, &z, &e), 0);
		f.scheme.has_facility_limit = 0;
		oracle(&f, L, r, &opt);
		assert_int_equal(z.uncapped_peak, opt.peak_facility_use);
		assert_int_equal(pts[5].facility_limit, opt.peak_facility_use);
		opt.peak_facility_use = pts[5].point.peak_facility_use;
		point_equal(&f, "g_K", &pts[5].point, &opt);
		for (k = 0; k <= 5; k++) {
			assert_true(pts[k].point.peak_facility_use <=
			    pts[k].facility_limit);
			f.scheme.has_facility_limit = 1;
			f.scheme.facility_limit = pts[k].facility_limit;
			oracle(&f, L, r, &opt);
			point_equal(&f, "grid", &pts[k].point, &opt);
		}
		assert_true(z.answer >= 0 && z.answer <= 5);
		assert_true(pts[z.answer].point.suppliers_below <=
		    pts[5].point.suppliers_below);
		for (k = 0; k < z.answer; k++)
			assert_true(pts[k].point.suppliers_below > z.target);
	}
}

/*
 * On a supply network (invoice basis, covering link invoices) sizing
 * runs the network's path: g_K's point is the uncapped run's, and every
 * point keeps within its limit.
 */
static void
sizing_runs_on_a_network(void **state)
{
	struct model_sizing_point pts[5];
	struct model_sizing	 z;
	struct model_error	 e;
	struct model_result	 r[MAXS];
	struct model_point	 pt;
	struct model		*m;
	struct fx		 f;
	int64_t			 L, k;
	int			 i;

	(void)state;
	for (i = 0; i < cases() / 4 + 1; i++) {
		fx_random(&f, (uint64_t)(i + 999), 0);
		if (f.in.nsuppliers < 2)
			continue;
		f.scheme.basis = MODEL_BASIS_INVOICE;
		f.scheme.has_order_lead_days = 0;
		f.scheme.has_true_up_lag_days = 0;
		f.scheme.covers = MODEL_COVERS_ALL;
		f.link[0].supplier_id = f.sup[1].id;
		f.link[0].customer_id = f.sup[0].id;
		f.link[0].daily_sales = 40000;
		f.link[0].payment_terms_days = 20;
		f.in.links = f.link;
		f.in.nlinks = 1;
		L = (int64_t)((uint64_t)i %
		    (uint64_t)(f.in.scenario.horizon_days + 1));
		assert_int_equal(model_size_facility(&f.in, NULL, L, 4, 0, 0,
		    pts, &z, &e), 0);
		m = fx_model(&f, 1, 0);
		assert_int_equal(model_run(m, L, r, &pt, &e), 0);
		model_free(m);
		assert_int_equal(z.uncapped_peak, pt.peak_facility_use);
		assert_int_equal(pts[4].point.suppliers_below,
		    pt.suppliers_below);
		assert_int_equal(pts[4].point.early_paid, pt.early_paid);
		assert_int_equal(pts[4].point.fees, pt.fees);
		for (k = 0; k <= 4; k++)
			assert_true(pts[k].point.peak_facility_use <=
			    pts[k].facility_limit);
	}
}

/* ---- Outage probabilities. ---- */

/*
 * Two suppliers like SUP-A of the version 1 example (24 open invoices
 * for the first; the second with cash it never runs out of), 30 % on
 * 21 days, 50 % on 47, 20 % on 60: the figures are the curve's weighted,
 * from a sweep's results or by running the three lengths, the same.
 */
static void
outage_probabilities_weight_the_curve(void **state)
{
	static const struct model_outage_prob pr[] = {
		{ 21, 3000 }, { 47, 5000 }, { 60, 2000 }
	};
	static struct model_result	 all[121 * 2];
	struct model_point		 curve[121];
	struct model_expected		 ex, ex2;
	struct model_error		 e;
	struct model_supplier		*p;
	struct fx			 f;
	struct model			*m;
	int64_t				 bps[2], bps2[2], want;
	size_t				 i, s;

	(void)state;
	memset(&f, 0, sizeof(f));
	for (i = 0; i < 2; i++) {
		p = &f.sup[i];
		p->tier = 1;
		p->employees = 120;
		p->cash = 10000000;
		p->fixed_daily_costs = 200000;
		p->oem_daily_sales = 500000;
		p->variable_cost_bps = 6000;
		p->payment_terms_days = 30;
	}
	f.sup[0].id = "SUP-A";
	f.sup[1].id = "SUP-B";
	f.sup[1].employees = 7;
	f.sup[1].cash = 1000000000;
	f.in.suppliers = f.sup;
	f.in.nsuppliers = 2;
	f.in.scenario.start_date = day("2025-09-01");
	f.in.scenario.horizon_days = 120;
	for (i = 0; i < 7; i++)
		f.ramp[i] = 5000;
	f.in.scenario.ramp_bps = f.ramp;
	f.in.scenario.ramp_len = 7;
	for (i = 0; i < MAXI; i++) {
		snprintf(f.iid[i], sizeof(f.iid[0]), "I%02zu", i);
		f.inv[i].id = f.iid[i];
		f.inv[i].supplier_id = "SUP-A";
		f.inv[i].outstanding = 500000;
		f.inv[i].due_date = f.in.scenario.start_date + (int32_t)i;
	}
	f.in.invoices = f.inv;
	f.in.ninvoices = MAXI;

	m = fx_model(&f, 2, 0);
	assert_int_equal(model_sweep_results(m, 120, curve, NULL, all, &e), 0);
	assert_int_equal(model_outage(m, pr, 3, &ex, bps, &e), 0);
	model_free(m);
	assert_int_equal(model_outage_figures(pr, 3, curve, all, 2, 120, &ex2,
	    bps2, &e), 0);
	assert_memory_equal(&ex, &ex2, sizeof(ex));
	assert_memory_equal(bps, bps2, sizeof(bps));
	/* SUP-A survives 21 days and not 60; SUP-B survives everything. */
	assert_int_equal(all[21 * 2].breach_day, MODEL_NONE);
	assert_true(all[60 * 2].breach_day != MODEL_NONE);
	assert_true(curve[60].funding_gap > 0);
	assert_int_equal(bps[1], 0);
	want = 2000 + (all[47 * 2].breach_day != MODEL_NONE ? 5000 : 0);
	assert_int_equal(bps[0], want);
	assert_int_equal(ex.suppliers_below, t_rhe(3000 *
	    curve[21].suppliers_below + 5000 * curve[47].suppliers_below +
	    2000 * curve[60].suppliers_below, 10000));
	assert_int_equal(ex.employees_at_risk, t_rhe(3000 *
	    curve[21].employees_at_risk + 5000 * curve[47].employees_at_risk +
	    2000 * curve[60].employees_at_risk, 10000));
	assert_int_equal(ex.funding_gap, t_rhe((__int128)3000 *
	    curve[21].funding_gap + (__int128)5000 * curve[47].funding_gap +
	    (__int128)2000 * curve[60].funding_gap, 10000));
	assert_int_equal(ex.oem_cost, 0);
	for (s = 0; s < 2; s++)
		assert_true(bps[s] >= 0 && bps[s] <= 10000);
}

/* Hand figures: the expected values round half to even. */
static void
outage_expected_figures_by_hand(void **state)
{
	static const struct model_outage_prob pr[] = {
		{ 0, 2500 }, { 2, 2500 }, { 1, 5000 }
	};
	struct model_point	 curve[3];
	struct model_result	 res[3 * 2];
	struct model_expected	 ex;
	struct model_error	 e;
	int64_t			 bps[2];
	size_t			 i;

	(void)state;
	memset(curve, 0, sizeof(curve));
	memset(res, 0, sizeof(res));
	for (i = 0; i < 6; i++)
		res[i].breach_day = MODEL_NONE;
	/* L = 0: none; L = 1: supplier 1; L = 2: both. */
	curve[1].suppliers_below = 1;
	curve[1].employees_at_risk = 3;
	curve[1].funding_gap = 101;
	curve[1].oem_cost = 10;
	res[1 * 2 + 1].breach_day = 5;
	curve[2].suppliers_below = 2;
	curve[2].employees_at_risk = 10;
	curve[2].funding_gap = 1001;
	curve[2].oem_cost = 2;
	res[2 * 2 + 0].breach_day = 9;
	res[2 * 2 + 1].breach_day = 3;
	assert_int_equal(model_outage_figures(pr, 3, curve, res, 2, 2, &ex,
	    bps, &e), 0);
	/* (5000 * 1 + 2500 * 2) / 10000 = 1 */
	assert_int_equal(ex.suppliers_below, 1);
	/* (15000 + 25000) / 10000 = 4 */
	assert_int_equal(ex.employees_at_risk, 4);
	/* (505000 + 2502500) / 10000 = 300.75: 301 */
	assert_int_equal(ex.funding_gap, 301);
	/* (50000 + 5000) / 10000 = 5.5: half to even, 6 */
	assert_int_equal(ex.oem_cost, 6);
	assert_int_equal(bps[0], 2500);
	assert_int_equal(bps[1], 7500);
	curve[2].oem_cost = 0;		/* 5.0 */
	assert_int_equal(model_outage_figures(pr, 3, curve, res, 2, 2, &ex,
	    bps, &e), 0);
	assert_int_equal(ex.oem_cost, 5);
	curve[2].oem_cost = 18;		/* 50000 + 45000: 9.5, to 10 */
	assert_int_equal(model_outage_figures(pr, 3, curve, res, 2, 2, &ex,
	    bps, &e), 0);
	assert_int_equal(ex.oem_cost, 10);
	curve[2].oem_cost = 14;		/* 50000 + 35000: 8.5, to 8 */
	assert_int_equal(model_outage_figures(pr, 3, curve, res, 2, 2, &ex,
	    bps, &e), 0);
	assert_int_equal(ex.oem_cost, 8);
}

static void
outage_probabilities_are_validated(void **state)
{
	struct model_outage_prob pr[3];
	struct model_error	 errs[4];
	size_t			 n;

	(void)state;
	pr[0].outage_days = 10;
	pr[0].probability_bps = 6000;
	pr[1].outage_days = 20;
	pr[1].probability_bps = 4000;
	assert_int_equal(model_outage_check(pr, 2, 60, errs, 4, &n), 0);
	pr[1].probability_bps = 3999;
	assert_int_equal(model_outage_check(pr, 2, 60, errs, 4, &n), -1);
	assert_int_equal(n, 1);
	assert_string_equal(errs[0].object, "scenario");
	assert_string_equal(errs[0].field, "outage_probabilities");
	assert_string_equal(errs[0].problem, "must sum to 10000, got 9999");
	pr[1].probability_bps = 4000;
	pr[1].outage_days = 61;
	assert_int_equal(model_outage_check(pr, 2, 60, errs, 4, &n), -1);
	assert_string_equal(errs[0].field,
	    "outage_probabilities[1].outage_days");
	assert_string_equal(errs[0].problem,
	    "must be between 0 and 60, got 61");
	pr[1].outage_days = 10;
	assert_int_equal(model_outage_check(pr, 2, 60, errs, 4, &n), -1);
	assert_string_equal(errs[0].problem,
	    "duplicates outage_probabilities[0] (10 days)");
	pr[1].outage_days = 20;
	pr[1].probability_bps = 0;
	pr[0].probability_bps = 10000;
	assert_int_equal(model_outage_check(pr, 2, 60, errs, 4, &n), -1);
	assert_string_equal(errs[0].field,
	    "outage_probabilities[1].probability_bps");
	assert_string_equal(errs[0].problem,
	    "must be between 1 and 10000, got 0");
	assert_int_equal(model_outage_check(pr, 0, 60, errs, 4, &n), -1);
	assert_string_equal(errs[0].problem, "must sum to 10000, got 0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prepayment_and_true_up_to_the_penny),
		cmocka_unit_test(true_up_at_maturity_is_the_oems),
		cmocka_unit_test(funded_amount_against_the_caps),
		cmocka_unit_test(open_invoices_are_paid_at_maturity),
		cmocka_unit_test(spec_order_basis_example_t1a_figures),
		cmocka_unit_test(basis_fields_are_validated),
		cmocka_unit_test(zero_scheme_is_the_invoice_basis),
		cmocka_unit_test(sweep_equals_reference_and_spec_on_every_L),
		cmocka_unit_test(trace_payments_add_up),
		cmocka_unit_test(sizing_is_not_monotone_and_every_point_is_run),
		cmocka_unit_test(sizing_refuses_bad_requests),
		cmocka_unit_test(sizing_top_of_grid_is_the_uncapped_run),
		cmocka_unit_test(sizing_runs_on_a_network),
		cmocka_unit_test(outage_probabilities_weight_the_curve),
		cmocka_unit_test(outage_expected_figures_by_hand),
		cmocka_unit_test(outage_probabilities_are_validated),
	};

	return (cmocka_run_group_tests_name("model: order basis, sizing, "
	    "outage probabilities", tests, NULL, NULL));
}
