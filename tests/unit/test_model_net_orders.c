/*
 * Order-stage schemes (prepayment at the order, true-up at the invoice)
 * on a supply network: links that carry nothing give version 1's
 * order-basis figures on every L, a hand-built chain where a tier-1
 * firm's prepayments stop the cascade to its tier-2 seller (every figure
 * worked by hand), money conservation and threads over random networks,
 * the kinds a trace reports, and the spec's version 2 example. TIDEOVER_PROP_CASES sets how many random
 * inputs each property sees.
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
#define MAXL	16

struct fx {
	struct model_supplier	 sup[MAXS];
	char			 sid[MAXS][8];
	struct model_invoice	 inv[MAXI];
	char			 iid[MAXI][8];
	int64_t			 ramp[12];
	struct model_scheme	 scheme;
	struct model_link	 link[MAXL];
	struct model_input	 in;
	uint64_t		 seed;
};

struct trace {
	int64_t			 liq[MAXH];
	struct model_payment	 pay[MAXP];
	size_t			 npay;
};

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

	return (v != NULL && atoi(v) > 0 ? atoi(v) : 100);
}

/*
 * A random input with an order-basis scheme. caps: 0 none, 1 per
 * supplier, 2 facility, 3 both, -1 any.
 */
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
	n = (size_t)between(&s, 2, MAXS);
	f->in.nsuppliers = n;
	for (i = 0; i < n; i++) {
		p = &f->sup[i];
		/* Ids in an order unrelated to their index. */
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

/*
 * Random links between the suppliers (cycles included, one link per
 * pair), carrying nothing when zero.
 */
static void
fx_links(struct fx *f, int zero)
{
	uint64_t	 s = f->seed * 40503ULL + 977ULL;
	size_t		 n = f->in.nsuppliers, i, k, a, b, nl = 0;
	int		 taken;

	for (i = 0; i < MAXL && nl < n * (n - 1); i++) {
		if (between(&s, 0, 3) == 0 && nl > 0)
			continue;
		a = (size_t)between(&s, 0, (int64_t)n - 1);
		b = (size_t)between(&s, 0, (int64_t)n - 2);
		b += b >= a;
		for (k = 0, taken = 0; k < nl; k++)
			taken |= f->link[k].supplier_id == f->sid[a] &&
			    f->link[k].customer_id == f->sid[b];
		if (taken)
			continue;
		f->link[nl].supplier_id = f->sid[a];
		f->link[nl].customer_id = f->sid[b];
		f->link[nl].daily_sales = zero ? 0 : between(&s, 0, 4) ?
		    between(&s, 1, 150000) : 0;
		f->link[nl].payment_terms_days = between(&s, 0, 4) ?
		    between(&s, 0, 60) : between(&s, 0, 365);
		nl++;
	}
	f->in.links = f->link;
	f->in.nlinks = nl;
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
fx_sweep(const struct fx *f, int threads, int reference,
    struct model_point *curve, int64_t *brk, struct model_result *all)
{
	struct model		*m;
	struct model_error	 e;

	m = fx_model(f, threads, reference);
	if (model_sweep_results(m, f->in.scenario.horizon_days, curve, brk,
	    all, &e) != 0)
		fail_msg("seed %llu: %s", (unsigned long long)f->seed,
		    e.problem);
	model_free(m);
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
	((struct trace *)arg)->liq[d] = liq;
}

static void
fx_trace(const struct fx *f, size_t s, int64_t L, struct trace *t,
    struct model_result *r)
{
	struct model		*m;
	struct model_trace	 tr;
	struct model_error	 e;

	memset(t, 0, sizeof(*t));
	memset(&tr, 0, sizeof(tr));
	tr.payment = on_pay;
	tr.day = on_day;
	tr.arg = t;
	m = fx_model(f, 1, 0);
	assert_int_equal(model_trace(m, s, L, &tr, r, &e), 0);
	model_free(m);
}

static int64_t
pick_L(const struct fx *f)
{
	return ((int64_t)((f->seed * 31) %
	    (uint64_t)(f->in.scenario.horizon_days + 1)));
}

static void
pay_equal(const struct model_payment *a, const struct model_payment *b)
{
	assert_int_equal(a->day, b->day);
	assert_int_equal(a->invoice, b->invoice);
	assert_int_equal(a->approved_day, b->approved_day);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->customer, b->customer);
	assert_int_equal(a->gross, b->gross);
	assert_int_equal(a->fee, b->fee);
	assert_int_equal(a->net, b->net);
}

/* rhe(a * bps, 10000), the test's own. */
static int64_t
t_bps(int64_t a, int64_t bps)
{
	__int128	p = (__int128)a * bps;
	int64_t		q = (int64_t)(p / 10000), r = (int64_t)(p % 10000);

	if (r > 5000 || (r == 5000 && (q & 1) != 0))
		q++;
	return (q);
}

static int64_t
t_level(const struct fx *f, int64_t L, int64_t t)
{
	if (L == 0 || t - L >= (int64_t)f->in.scenario.ramp_len)
		return (10000);
	return (t < L ? 0 : f->ramp[t - L]);
}

/*
 * (a) Links that carry nothing leave every figure as version 1 computes
 * an order-basis scheme: the network's day-by-day path (one thread and
 * two) against version 1's paths, every result and curve figure of every
 * L, breaks_at_outage_days and one supplier's trace, without caps, with
 * a per-supplier cap, a facility limit and both.
 */
static void
zero_sales_links_give_flat_order_figures(void **state)
{
	static struct model_result	 ra[(MAXH + 1) * MAXS];
	static struct model_result	 rb[(MAXH + 1) * MAXS];
	struct model_point		 ca[MAXH + 1], cb[MAXH + 1];
	struct model_result		 r;
	struct trace			*ta, *tb;
	struct fx			 f;
	int64_t				 ba[MAXS], bb[MAXS], H, L;
	size_t				 n, s, k;
	int				 i, caps, th, paid = 0;

	(void)state;
	ta = calloc(1, sizeof(*ta));
	tb = calloc(1, sizeof(*tb));
	assert_non_null(ta);
	assert_non_null(tb);
	for (caps = 0; caps < 4; caps++)
		for (i = 0; i < cases(); i++) {
			fx_random(&f, (uint64_t)(i + 1 + caps * 100000), caps);
			H = f.in.scenario.horizon_days;
			n = f.in.nsuppliers;
			fx_sweep(&f, 1, 0, ca, ba, ra);
			L = pick_L(&f);
			s = (size_t)i % n;
			fx_trace(&f, s, L, ta, &r);
			fx_links(&f, 1);
			assert_true(f.in.nlinks > 0);
			for (th = 1; th <= 2; th++) {
				fx_sweep(&f, th, 0, cb, bb, rb);
				if (memcmp(ca, cb, sizeof(ca[0]) *
				    (size_t)(H + 1)) != 0)
					fail_msg("seed %llu: curves differ",
					    (unsigned long long)f.seed);
				assert_memory_equal(ba, bb, sizeof(ba[0]) * n);
				if (memcmp(ra, rb, sizeof(ra[0]) * n *
				    (size_t)(H + 1)) != 0)
					fail_msg("seed %llu: results differ",
					    (unsigned long long)f.seed);
			}
			fx_trace(&f, s, L, tb, &r);
			assert_memory_equal(ta->liq, tb->liq,
			    sizeof(ta->liq[0]) * (size_t)H);
			assert_int_equal(ta->npay, tb->npay);
			for (k = 0; k < ta->npay; k++) {
				pay_equal(&ta->pay[k], &tb->pay[k]);
				paid += tb->pay[k].kind ==
				    MODEL_PAY_PREPAYMENT;
			}
		}
	/* The scheme pays in many of the cases. */
	assert_true(paid > cases());
	free(ta);
	free(tb);
}

/*
 * The hand-built chain. A (tier 1, 200 employees, cash 300,000, fixed
 * 50,000 a day) sells 100,000 a day to the OEM on 20 days; B (tier 2, 30
 * employees, cash 150,000, fixed 20,000 a day) sells 40,000 a day to A
 * on 5 days. No variable costs, no open invoices, no freeze, no ramp:
 * H = 40, L = 10. The scheme: tier 1, effective on the start date, lag
 * 0, order lead 10, true-up lag 0, advance 8000, rate 3650 on basis 365
 * (a fee of 1 per 1,000 a day), the OEM bears the fee, facility limit
 * 5,000,000 (never reached).
 */
static void
fx_chain(struct fx *f, int scheme)
{
	memset(f, 0, sizeof(*f));
	f->in.suppliers = f->sup;
	f->in.nsuppliers = 2;
	f->in.scenario.start_date = 20000;
	f->in.scenario.horizon_days = 40;
	f->sup[0].id = "A";
	f->sup[0].tier = 1;
	f->sup[0].employees = 200;
	f->sup[0].cash = 300000;
	f->sup[0].fixed_daily_costs = 50000;
	f->sup[0].oem_daily_sales = 100000;
	f->sup[0].payment_terms_days = 20;
	f->sup[0].scheme_opt_in = 1;
	f->sup[1].id = "B";
	f->sup[1].tier = 2;
	f->sup[1].employees = 30;
	f->sup[1].cash = 150000;
	f->sup[1].fixed_daily_costs = 20000;
	f->sup[1].payment_terms_days = 60;
	f->sup[1].scheme_opt_in = 1;
	f->link[0].supplier_id = "B";
	f->link[0].customer_id = "A";
	f->link[0].daily_sales = 40000;
	f->link[0].payment_terms_days = 5;
	f->in.links = f->link;
	f->in.nlinks = 1;
	if (!scheme)
		return;
	f->in.scheme = &f->scheme;
	f->scheme.effective_from = 20000;
	f->scheme.advance_rate_bps = 8000;
	f->scheme.annual_rate_bps = 3650;
	f->scheme.day_count_basis = 365;
	f->scheme.fee_bearer = MODEL_FEE_OEM;
	f->scheme.eligible_tiers = 1U << 1;
	f->scheme.has_facility_limit = 1;
	f->scheme.facility_limit = 5000000;
	f->scheme.basis = MODEL_BASIS_ORDER;
	f->scheme.has_order_lead_days = 1;
	f->scheme.order_lead_days = 10;
	f->scheme.has_true_up_lag_days = 1;
	f->scheme.true_up_lag_days = 0;
}

static void
check(const struct model_result *r, int64_t breach, int64_t lo,
    int64_t loday, int64_t gap, int64_t ep, int64_t fees, int contagion,
    int64_t orec, int64_t opay)
{
	assert_int_equal(r->breach_day, breach);
	assert_int_equal(r->lowest_liquidity, lo);
	assert_int_equal(r->lowest_liquidity_day, loday);
	assert_int_equal(r->funding_gap, gap);
	assert_int_equal(r->early_paid, ep);
	assert_int_equal(r->fees, fees);
	assert_int_equal(r->contagion, contagion);
	assert_int_equal(r->overdue_receivables, orec);
	assert_int_equal(r->overdue_payables, opay);
}

/*
 * (b) Without the scheme A is paid nothing until day 30 (its first
 * restart invoice): it pays B's pipeline on days 0..2 (close 210,000,
 * 120,000, 30,000), 30,000 of 40,000 on day 3 and nothing after; it
 * breaches on day 3 (-50,000) and falls 50,000 a day, 90,000 a day from
 * day 15 when B's restart invoices fall due unpaid, to -1,350,000 on day
 * 29, then gains 50,000 a day. B receives 40,000 on days 0..2 and 30,000
 * on day 3, closing 220,000 on day 3, then loses 20,000 a day: 0 on day
 * 14, a breach on day 15, -500,000 on day 39; paid in full it never
 * breaches, so its breach is contagion. A still owes B 10,000 + 40,000
 * (days 3, 4) and 25 restart invoices of 40,000: 1,050,000.
 *
 * With the scheme, delivery u = 10..39 (ordered on u - 10) is prepaid
 * 80,000 on day u - 10 and trued up 20,000 on day u, 30 deliveries of
 * 100,000 funded: early_paid 3,000,000, fees 30 x (80,000 x 30 / 1,000
 * + 20,000 x 20 / 1,000) = 84,000. A's days: -10,000 (0..4), +30,000
 * (5..9), +50,000 (10..14), +10,000 (15..29), -70,000 (30..39, nothing
 * left to prepay): lowest 100,000 on day 39, and it always pays B in
 * full. B: +20,000 (0..4), -20,000 (5..14), +20,000 after: lowest 50,000
 * on day 14. Each delivery is outstanding from u - 10 to u + 20: all 30
 * on day 29, the peak of 3,000,000.
 */
static void
prepayment_stops_the_cascade_to_tier_2(void **state)
{
	struct fx		 f;
	struct model		*m;
	struct model_error	 e;
	struct model_result	 r[2];
	struct model_point	 pt;
	int			 sch;

	(void)state;
	for (sch = 0; sch <= 1; sch++) {
		fx_chain(&f, sch);
		m = fx_model(&f, 1, 0);
		assert_int_equal(model_run(m, 10, r, &pt, &e), 0);
		model_free(m);
		assert_int_equal(pt.outage_days, 10);
		if (!sch) {
			check(&r[0], 3, -1350000, 29, 1350000, 0, 0, 0, 0,
			    1050000);
			check(&r[1], 15, -500000, 39, 500000, 0, 0, 1,
			    1050000, 0);
			assert_int_equal(pt.suppliers_below, 2);
			assert_int_equal(pt.employees_at_risk, 230);
			assert_int_equal(pt.funding_gap, 1850000);
			assert_int_equal(pt.early_paid, 0);
			assert_int_equal(pt.fees, 0);
			assert_int_equal(pt.peak_facility_use, 0);
			assert_int_equal(pt.oem_cost, 0);
			assert_int_equal(pt.suppliers_below_contagion, 1);
			assert_int_equal(pt.overdue_trade_credit, 1050000);
			assert_int_equal(pt.funder_overdue, 0);
			continue;
		}
		check(&r[0], MODEL_NONE, 100000, 39, 0, 3000000, 84000, 0, 0,
		    0);
		check(&r[1], MODEL_NONE, 50000, 14, 0, 0, 0, 0, 0, 0);
		assert_int_equal(pt.suppliers_below, 0);
		assert_int_equal(pt.employees_at_risk, 0);
		assert_int_equal(pt.funding_gap, 0);
		assert_int_equal(pt.early_paid, 3000000);
		assert_int_equal(pt.fees, 84000);
		assert_int_equal(pt.peak_facility_use, 3000000);
		assert_int_equal(pt.oem_cost, 84000);
		assert_int_equal(pt.suppliers_below_contagion, 0);
		assert_int_equal(pt.overdue_trade_credit, 0);
		assert_int_equal(pt.funder_overdue, 0);

		/*
		 * A facility of 1,000,000 holds ten deliveries: u = 10..19
		 * on days 0..9. Nothing is repaid before day 30 (P of
		 * u = 10), so u = 20..39, offered on days 10..29, are
		 * refused (paid whole at P = 40..59, past the horizon);
		 * after day 29 nothing is left to offer: ten funded.
		 */
		f.scheme.facility_limit = 1000000;
		m = fx_model(&f, 1, 0);
		assert_int_equal(model_run(m, 10, r, &pt, &e), 0);
		model_free(m);
		assert_int_equal(pt.early_paid, 1000000);
		assert_int_equal(pt.fees, 28000);
		assert_int_equal(pt.peak_facility_use, 1000000);
	}
}

/*
 * (d) What a trace of the chain reports: A's prepayments (kind
 * prepayment on day u - 10, 80,000, the fee the OEM's) and true-ups
 * (kind true_up on day u, 20,000), nothing paid at maturity; with the
 * true-up lag at 25 the invoice comes after P, so the rest is the OEM's
 * remainder at P = u + 20, and the supplier bearing the fee pays 2,400
 * of each prepayment (80,000 for 30 days). B's trace names A as the
 * customer paying. The on-time trace is the counterfactual's.
 */
static void
trace_reports_prepayments_and_true_ups(void **state)
{
	struct fx		 f;
	struct trace		*t;
	struct model_result	 r;
	const struct model_payment *p;
	size_t			 k, npre, ntu, nrem, ncus;

	(void)state;
	t = calloc(1, sizeof(*t));
	assert_non_null(t);
	fx_chain(&f, 1);
	fx_trace(&f, 0, 10, t, &r);
	assert_int_equal(r.early_paid, 3000000);
	assert_int_equal(t->liq[39], 100000);
	assert_int_equal(t->liq[4], 250000);
	npre = ntu = 0;
	for (k = 0; k < t->npay; k++) {
		p = &t->pay[k];
		assert_int_equal(p->customer, MODEL_NONE);
		assert_int_equal(p->invoice, MODEL_NONE);
		assert_int_equal(p->fee, 0);
		assert_int_equal(p->net, p->gross);
		if (p->kind == MODEL_PAY_PREPAYMENT) {
			assert_int_equal(p->day, p->approved_day - 10);
			assert_int_equal(p->gross, 80000);
			assert_int_equal(p->approved_day, (int64_t)npre + 10);
			npre++;
		} else if (p->kind == MODEL_PAY_TRUE_UP) {
			assert_int_equal(p->day, p->approved_day);
			assert_int_equal(p->gross, 20000);
			ntu++;
		} else
			fail_msg("payment of kind %d on day %lld", p->kind,
			    (long long)p->day);
		if (k > 0)
			assert_true(p->day >= t->pay[k - 1].day);
	}
	assert_int_equal(npre, 30);
	assert_int_equal(ntu, 30);

	/* B is paid by its customer A, in full on the due day. */
	fx_trace(&f, 1, 10, t, &r);
	ncus = 0;
	for (k = 0; k < t->npay; k++) {
		p = &t->pay[k];
		assert_int_equal(p->kind, MODEL_PAY_CUSTOMER);
		assert_int_equal(p->customer, 0);
		assert_int_equal(p->gross, 40000);
		ncus++;
	}
	assert_int_equal(ncus, 5 + 25);
	assert_int_equal(t->liq[14], 50000);

	/* True-up after P: the OEM's remainder; the supplier's fee. */
	fx_chain(&f, 1);
	f.scheme.true_up_lag_days = 25;
	f.scheme.fee_bearer = MODEL_FEE_SUPPLIER;
	fx_trace(&f, 0, 10, t, &r);
	assert_int_equal(r.early_paid, 30 * 80000);
	assert_int_equal(r.fees, 30 * 2400);
	npre = nrem = 0;
	for (k = 0; k < t->npay; k++) {
		p = &t->pay[k];
		if (p->kind == MODEL_PAY_PREPAYMENT) {
			assert_int_equal(p->gross, 80000);
			assert_int_equal(p->fee, 2400);
			assert_int_equal(p->net, 77600);
			npre++;
		} else if (p->kind == MODEL_PAY_REMAINDER) {
			assert_int_equal(p->day, p->approved_day + 20);
			assert_int_equal(p->gross, 20000);
			assert_int_equal(p->fee, 0);
			nrem++;
		} else
			fail_msg("payment of kind %d on day %lld", p->kind,
			    (long long)p->day);
	}
	/* Remainders of u = 10..19 fall within the horizon. */
	assert_int_equal(npre, 30);
	assert_int_equal(nrem, 10);
	free(t);
}

/*
 * (c) Money is conserved on random networks with an order-basis scheme:
 * each firm's closing liquidity on day H-1 is its opening liquidity plus
 * its other receipts, less its fixed and variable costs (variable costs
 * on its OEM and link sales, as the spec defines them), plus what its
 * trace says it was paid, less what it paid its sellers (their traces'
 * customer payments naming it); every delivery and open invoice due
 * within the horizon is paid exactly its amount, whole or in parts; what
 * falls due on the links is what was paid or is still overdue; the caps
 * hold.
 */
static void
money_is_conserved_on_a_network(void **state)
{
	struct fx		 f;
	struct trace		*t;
	struct model		*m;
	struct model_error	 e;
	struct model_result	 r[MAXS], tr;
	struct model_point	 pt;
	const struct model_supplier *p;
	const struct model_link	*lk;
	int64_t			 H, L, d, u, lvl, sales, lsales, amt, P;
	int64_t			 got[MAXS], paidout[MAXS], flow[MAXS];
	int64_t			 due, cus, sum, ep, open;
	size_t			 s, j, l, k, ns;
	int			 i, prepaid = 0, short_paid = 0;

	(void)state;
	t = calloc(MAXS, sizeof(*t));
	assert_non_null(t);
	for (i = 0; i < cases(); i++) {
		fx_random(&f, (uint64_t)i + 31000, -1);
		fx_links(&f, 0);
		H = f.in.scenario.horizon_days;
		ns = f.in.nsuppliers;
		L = pick_L(&f);
		m = fx_model(&f, 1, 0);
		assert_int_equal(model_run(m, L, r, &pt, &e), 0);
		model_free(m);
		if (f.scheme.has_facility_limit)
			assert_true(pt.peak_facility_use <=
			    f.scheme.facility_limit);
		for (s = 0; s < ns; s++) {
			fx_trace(&f, s, L, &t[s], &tr);
			assert_memory_equal(&tr, &r[s], sizeof(tr));
			got[s] = paidout[s] = 0;
		}
		cus = 0;
		for (s = 0; s < ns; s++)
			for (k = 0; k < t[s].npay; k++) {
				assert_int_equal(t[s].pay[k].net,
				    t[s].pay[k].gross - t[s].pay[k].fee);
				assert_true(t[s].pay[k].day < H);
				got[s] += t[s].pay[k].net;
				if (t[s].pay[k].kind != MODEL_PAY_CUSTOMER)
					continue;
				paidout[t[s].pay[k].customer] +=
				    t[s].pay[k].gross;
				cus += t[s].pay[k].gross;
				assert_true(t[s].pay[k].kind !=
				    MODEL_PAY_EARLY);
				assert_true(t[s].pay[k].kind !=
				    MODEL_PAY_DEEP_TIER);
			}

		for (s = 0; s < ns; s++) {
			p = &f.sup[s];
			flow[s] = p->cash + p->credit_available;
			for (d = 0; d < H; d++) {
				lvl = t_level(&f, L, d);
				sales = t_bps(p->oem_daily_sales, lvl);
				for (l = 0, lsales = 0; l < f.in.nlinks; l++)
					if (f.link[l].supplier_id == p->id)
						lsales += t_bps(
						    f.link[l].daily_sales, lvl);
				flow[s] += p->other_daily_receipts -
				    (d < L ? t_bps(p->fixed_daily_costs,
				    10000 -
				    f.in.scenario.fixed_cost_relief_bps) :
				    p->fixed_daily_costs) -
				    t_bps(sales + lsales, p->variable_cost_bps);
			}
			flow[s] += got[s] - paidout[s];
			if (flow[s] != t[s].liq[H - 1])
				fail_msg("seed %llu supplier %zu: closes at "
				    "%lld, flows give %lld",
				    (unsigned long long)f.seed, s,
				    (long long)t[s].liq[H - 1],
				    (long long)flow[s]);

			/* Each delivery due within H: paid its amount. */
			ep = 0;
			for (u = 0; u < H; u++) {
				amt = t_bps(p->oem_daily_sales,
				    t_level(&f, L, u));
				P = u + p->payment_terms_days;
				if (P < f.in.scenario.payment_freeze_days)
					P = f.in.scenario.payment_freeze_days;
				for (k = 0, sum = 0; k < t[s].npay; k++)
					if (t[s].pay[k].approved_day == u &&
					    t[s].pay[k].kind !=
					    MODEL_PAY_CUSTOMER)
						sum += t[s].pay[k].gross;
				if (P < H)
					assert_int_equal(sum, amt);
				else
					assert_true(sum <= amt);
			}
			for (k = 0; k < t[s].npay; k++)
				if (t[s].pay[k].kind == MODEL_PAY_PREPAYMENT ||
				    t[s].pay[k].kind == MODEL_PAY_TRUE_UP)
					ep += t[s].pay[k].gross;
			assert_true(ep <= r[s].early_paid);
			prepaid += ep > 0;

			/* Open invoices: never a candidate. */
			for (j = 0; j < f.in.ninvoices; j++) {
				if (f.inv[j].supplier_id != p->id)
					continue;
				P = f.inv[j].due_date -
				    f.in.scenario.start_date;
				if (P < f.in.scenario.payment_freeze_days)
					P = f.in.scenario.payment_freeze_days;
				for (k = 0, open = 0; k < t[s].npay; k++)
					if (t[s].pay[k].invoice ==
					    (int64_t)j) {
						assert_int_equal(
						    t[s].pay[k].kind,
						    MODEL_PAY_MATURITY);
						assert_int_equal(
						    t[s].pay[k].day, P);
						open += t[s].pay[k].gross;
					}
				assert_int_equal(open, P < H ?
				    f.inv[j].outstanding : 0);
			}
		}

		/* The links: paid to the sellers or still overdue. */
		for (l = 0, due = 0; l < f.in.nlinks; l++) {
			lk = &f.link[l];
			for (d = 0; d < lk->payment_terms_days && d < H; d++)
				due += lk->daily_sales;
			for (u = 0; u + lk->payment_terms_days < H; u++)
				due += t_bps(lk->daily_sales,
				    t_level(&f, L, u));
		}
		assert_int_equal(due, cus + pt.overdue_trade_credit);
		assert_int_equal(pt.funder_overdue, 0);
		short_paid += pt.overdue_trade_credit > 0;
	}
	assert_true(prepaid > cases() / 4);
	assert_true(short_paid > cases() / 10);
	free(t);
}

/*
 * (c) The sweep on random networks with an order-basis scheme: two
 * threads give what one gives, the reference option changes nothing,
 * model_run(L) gives row L, breaks_at_outage_days is the first L with a
 * breach, and a contagion breach is one with its count on the curve.
 */
static void
network_order_sweep_runs_and_threads_agree(void **state)
{
	static struct model_result	 ra[(MAXH + 1) * MAXS];
	static struct model_result	 rb[(MAXH + 1) * MAXS];
	struct model_point		 ca[MAXH + 1], cb[MAXH + 1], pt;
	struct model_result		 r[MAXS];
	struct model			*m;
	struct model_error		 e;
	struct fx			 f;
	int64_t				 ba[MAXS], bb[MAXS], H, L, first, n2;
	size_t				 n, s;
	int				 i, ref, contagion = 0, early = 0;

	(void)state;
	for (i = 0; i < cases(); i++) {
		fx_random(&f, (uint64_t)i + 32000, -1);
		fx_links(&f, 0);
		H = f.in.scenario.horizon_days;
		n = f.in.nsuppliers;
		fx_sweep(&f, 1, 0, ca, ba, ra);
		for (ref = 0; ref <= 1; ref++) {
			fx_sweep(&f, 2, ref, cb, bb, rb);
			assert_memory_equal(ca, cb, sizeof(ca[0]) *
			    (size_t)(H + 1));
			assert_memory_equal(ba, bb, sizeof(ba[0]) * n);
			assert_memory_equal(ra, rb, sizeof(ra[0]) * n *
			    (size_t)(H + 1));
		}
		m = fx_model(&f, 2, 0);
		L = pick_L(&f);
		assert_int_equal(model_run(m, L, r, &pt, &e), 0);
		assert_memory_equal(&pt, &ca[L], sizeof(pt));
		assert_memory_equal(r, ra + (size_t)L * n, sizeof(r[0]) * n);
		model_free(m);
		for (s = 0; s < n; s++) {
			for (L = 0, first = MODEL_NONE; L <= H; L++)
				if (first == MODEL_NONE &&
				    ra[(size_t)L * n + s].breach_day !=
				    MODEL_NONE)
					first = L;
			assert_int_equal(ba[s], first);
		}
		for (L = 0; L <= H; L++) {
			for (s = 0, n2 = 0; s < n; s++) {
				n2 += ra[(size_t)L * n + s].contagion;
				if (ra[(size_t)L * n + s].contagion)
					assert_int_not_equal(
					    ra[(size_t)L * n + s].breach_day,
					    MODEL_NONE);
			}
			assert_int_equal(ca[L].suppliers_below_contagion, n2);
			contagion += n2 > 0;
			early += ca[L].early_paid > 0;
		}
	}
	assert_true(contagion > 0);
	assert_true(early > cases());
}

/*
 * The spec's version 2 worked example with its order-basis scheme
 * (effective 2025-09-01, lag 0, advance 8000, rate 650 on basis 365, the
 * OEM bearing the fee, tier 1, order lead 14, true-up lag 1) at L = 21:
 * T1-A never breaches (lowest 50,000 on day 10), early_paid 47,750,000,
 * fees 603,751, peak facility use 37,000,000; T2-B still breaches on day
 * 50 (lowest -240,000 on day 57), as without a scheme.
 */
static void
spec_order_basis_example_on_the_network(void **state)
{
	struct fx		 f;
	struct model		*m;
	struct model_error	 e;
	struct model_invoice	 inv[60];
	char			 iid[60][8];
	struct model_result	 r[3], w[3];
	struct model_point	 pt, wpt;
	int32_t			 start;
	int			 k;

	(void)state;
	assert_int_equal(date_parse("2025-09-01", &start), 0);
	memset(&f, 0, sizeof(f));
	f.in.suppliers = f.sup;
	f.in.nsuppliers = 3;
	f.sup[0] = (struct model_supplier){ .id = "T1-A", .tier = 1,
	    .employees = 400, .cash = 3000000, .fixed_daily_costs = 150000,
	    .oem_daily_sales = 500000, .variable_cost_bps = 2000,
	    .payment_terms_days = 60, .scheme_opt_in = 1 };
	f.sup[1] = (struct model_supplier){ .id = "T2-B", .tier = 2,
	    .employees = 60, .cash = 800000, .fixed_daily_costs = 60000,
	    .variable_cost_bps = 3000, .payment_terms_days = 60,
	    .scheme_opt_in = 1 };
	f.sup[2] = (struct model_supplier){ .id = "T3-C", .tier = 3,
	    .employees = 12, .cash = 150000, .fixed_daily_costs = 20000,
	    .variable_cost_bps = 4000, .payment_terms_days = 60,
	    .scheme_opt_in = 1 };
	f.link[0] = (struct model_link){ "T2-B", "T1-A", 200000, 30 };
	f.link[1] = (struct model_link){ "T3-C", "T2-B", 50000, 45 };
	f.in.links = f.link;
	f.in.nlinks = 2;
	for (k = 0; k < 60; k++) {
		snprintf(iid[k], sizeof(iid[k]), "A-%03d", k);
		inv[k].id = iid[k];
		inv[k].supplier_id = "T1-A";
		inv[k].outstanding = 500000;
		inv[k].due_date = start + k;
	}
	f.in.invoices = inv;
	f.in.ninvoices = 60;
	f.in.scenario.start_date = start;
	f.in.scenario.horizon_days = 120;
	for (k = 0; k < 7; k++)
		f.ramp[k] = 5000;
	f.in.scenario.ramp_bps = f.ramp;
	f.in.scenario.ramp_len = 7;
	f.in.scenario.payment_freeze_days = 21;

	/* Without a scheme first. */
	m = fx_model(&f, 1, 0);
	assert_int_equal(model_run(m, 21, w, &wpt, &e), 0);
	model_free(m);
	assert_int_not_equal(w[0].breach_day, MODEL_NONE);

	f.in.scheme = &f.scheme;
	f.scheme.effective_from = start;
	f.scheme.advance_rate_bps = 8000;
	f.scheme.annual_rate_bps = 650;
	f.scheme.day_count_basis = 365;
	f.scheme.fee_bearer = MODEL_FEE_OEM;
	f.scheme.eligible_tiers = 1U << 1;
	f.scheme.basis = MODEL_BASIS_ORDER;
	f.scheme.has_order_lead_days = 1;
	f.scheme.order_lead_days = 14;
	f.scheme.has_true_up_lag_days = 1;
	f.scheme.true_up_lag_days = 1;
	m = fx_model(&f, 1, 0);
	assert_int_equal(model_run(m, 21, r, &pt, &e), 0);
	model_free(m);
	assert_int_equal(r[0].breach_day, MODEL_NONE);
	assert_int_equal(r[0].lowest_liquidity, 50000);
	assert_int_equal(r[0].lowest_liquidity_day, 10);
	assert_int_equal(r[0].early_paid, 47750000);
	assert_int_equal(r[0].fees, 603751);
	assert_int_equal(pt.early_paid, 47750000);
	assert_int_equal(pt.fees, 603751);
	assert_int_equal(pt.oem_cost, 603751);
	assert_int_equal(pt.peak_facility_use, 37000000);
	assert_int_equal(r[1].breach_day, 50);
	assert_int_equal(r[1].lowest_liquidity, -240000);
	assert_int_equal(r[1].lowest_liquidity_day, 57);
	assert_int_equal(r[1].contagion, 0);
	assert_int_equal(w[1].breach_day, 50);
	assert_int_equal(w[1].lowest_liquidity, -240000);
	assert_int_equal(w[1].lowest_liquidity_day, 57);
	assert_int_equal(pt.suppliers_below, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zero_sales_links_give_flat_order_figures),
		cmocka_unit_test(prepayment_stops_the_cascade_to_tier_2),
		cmocka_unit_test(trace_reports_prepayments_and_true_ups),
		cmocka_unit_test(money_is_conserved_on_a_network),
		cmocka_unit_test(network_order_sweep_runs_and_threads_agree),
		cmocka_unit_test(spec_order_basis_example_on_the_network),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
