/*
 * Properties of the liquidity model over many random supply chains
 * (seeded, so a failure names a reproducible case). TIDEOVER_PROP_CASES
 * sets how many chains each property sees; the default keeps the suite
 * fast under ASan too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/model.h"

#define MAXS	10
#define MAXI	48
#define MAXH	120
#define MAXP	2048
#define MAXL	24

struct chain {
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

/* Uniform in [lo, hi]. */
static int64_t
between(uint64_t *s, int64_t lo, int64_t hi)
{
	return (lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1)));
}

static int
cases(void)
{
	const char	*v = getenv("TIDEOVER_PROP_CASES");

	return (v != NULL && atoi(v) > 0 ? atoi(v) : 150);
}

static void
chain_make(struct chain *c, uint64_t seed)
{
	uint64_t		 s = seed * 2654435761ULL + 88172645463325252ULL;
	struct model_supplier	*p;
	struct model_scheme	*k = &c->scheme;
	size_t			 i, n;
	int64_t			 H;

	memset(c, 0, sizeof(*c));
	c->seed = seed;
	c->in.suppliers = c->sup;
	c->in.invoices = c->inv;
	c->in.scenario.start_date = 20000;
	H = between(&s, 1, MAXH);
	c->in.scenario.horizon_days = H;
	c->in.scenario.ramp_len = (size_t)between(&s, 0, 12);
	for (i = 0; i < c->in.scenario.ramp_len; i++)
		c->ramp[i] = between(&s, 0, 10000);
	c->in.scenario.ramp_bps = c->ramp;
	c->in.scenario.payment_freeze_days = between(&s, 0, 3) == 0 ?
	    between(&s, 0, H < 20 ? H : 20) : 0;
	c->in.scenario.fixed_cost_relief_bps = between(&s, 0, 1) ?
	    between(&s, 0, 10000) : 0;
	n = (size_t)between(&s, 1, MAXS);
	c->in.nsuppliers = n;
	for (i = 0; i < n; i++) {
		p = &c->sup[i];
		/* Ids in an order unrelated to their index. */
		snprintf(c->sid[i], sizeof(c->sid[i]), "S%02d",
		    (int)((i * 7 + seed) % 97));
		p->id = c->sid[i];
		p->tier = between(&s, 1, 3);
		p->employees = between(&s, 0, 300);
		p->cash = between(&s, -200000, 3000000);
		p->credit_available = between(&s, 0, 1) ?
		    between(&s, 0, 500000) : 0;
		p->min_liquidity = between(&s, 0, 1) ? between(&s, 0, 400000) : 0;
		p->fixed_daily_costs = between(&s, 0, 60000);
		p->oem_daily_sales = between(&s, 0, 4) ? between(&s, 0, 200000) :
		    0;
		p->variable_cost_bps = between(&s, 0, 10000);
		p->other_daily_receipts = between(&s, 0, 1) ?
		    between(&s, 0, 20000) : 0;
		p->payment_terms_days = between(&s, 0, 3) ?
		    between(&s, 0, 60) : between(&s, 0, 365);
		p->scheme_opt_in = (int)between(&s, 0, 1);
	}
	c->in.ninvoices = (size_t)between(&s, 0, MAXI);
	for (i = 0; i < c->in.ninvoices; i++) {
		snprintf(c->iid[i], sizeof(c->iid[i]), "I%03d",
		    (int)((i * 13 + seed) % 997));
		c->inv[i].id = c->iid[i];
		c->inv[i].supplier_id = c->sid[between(&s, 0, (int64_t)n - 1)];
		c->inv[i].outstanding = between(&s, 1, 800000);
		c->inv[i].due_date = c->in.scenario.start_date +
		    (int32_t)between(&s, -20, H + 20);
	}
	if (between(&s, 0, 9) < 3)
		return;
	c->in.scheme = k;
	k->effective_from = c->in.scenario.start_date +
	    (int32_t)between(&s, -5, 25);
	k->payment_lag_days = between(&s, 0, 5);
	k->advance_rate_bps = between(&s, 1, 10000);
	k->annual_rate_bps = between(&s, 0, 20000);
	k->day_count_basis = between(&s, 0, 1) ? 360 : 365;
	k->fee_bearer = between(&s, 0, 1) ? MODEL_FEE_OEM : MODEL_FEE_SUPPLIER;
	k->eligible_tiers = (unsigned int)between(&s, 0, 7) << 1;
	k->has_max_employees = (int)between(&s, 0, 1);
	k->max_employees = between(&s, 0, 300);
	k->min_invoice_amount = between(&s, 0, 1) ? between(&s, 0, 200000) : 0;
	k->requires_opt_in = (int)between(&s, 0, 1);
	k->has_per_supplier_cap = between(&s, 0, 2) == 0;
	k->per_supplier_cap = between(&s, 0, 2000000);
	k->has_facility_limit = between(&s, 0, 2) == 0;
	k->facility_limit = between(&s, 0, 4000000);
}

static struct model *
chain_model(const struct chain *c, int threads, int reference)
{
	struct model_opts	 o;
	struct model_error	 e;
	struct model		*m;

	memset(&o, 0, sizeof(o));
	o.threads = threads;
	o.reference = reference;
	m = model_alloc(&c->in, &o, &e);
	if (m == NULL)
		fail_msg("seed %llu: %s %zu %s: %s",
		    (unsigned long long)c->seed, e.object, e.index, e.field,
		    e.problem);
	return (m);
}

static void
chain_run(const struct chain *c, int threads, int64_t L,
    struct model_result *r, struct model_point *p)
{
	struct model		*m;
	struct model_error	 e;

	m = chain_model(c, threads, 0);
	assert_int_equal(model_run(m, L, r, p, &e), 0);
	model_free(m);
}

static void
chain_sweep(const struct chain *c, int threads, int reference,
    struct model_point *curve, int64_t *brk)
{
	struct model		*m;
	struct model_error	 e;

	m = chain_model(c, threads, reference);
	assert_int_equal(model_sweep(m, c->in.scenario.horizon_days, curve,
	    brk, &e), 0);
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
chain_trace(const struct chain *c, size_t s, int64_t L, struct trace *t)
{
	struct model		*m;
	struct model_trace	 tr;
	struct model_error	 e;

	memset(t, 0, sizeof(*t));
	memset(&tr, 0, sizeof(tr));
	tr.payment = on_pay;
	tr.day = on_day;
	tr.arg = t;
	m = chain_model(c, 1, 0);
	assert_int_equal(model_trace(m, s, L, &tr, NULL, &e), 0);
	model_free(m);
}

static int64_t
pick_L(const struct chain *c)
{
	return ((int64_t)((c->seed * 31) %
	    (uint64_t)(c->in.scenario.horizon_days + 1)));
}

static void
fast_sweep_equals_day_by_day_and_threads_agree(void **state)
{
	struct chain		c;
	struct model_point	a[MAXH + 1], b[MAXH + 1], d[MAXH + 1];
	int64_t			ba[MAXS], bb[MAXS], bd[MAXS];
	int			i;

	for (i = 0; i < cases(); i++) {
		chain_make(&c, (uint64_t)i + 1);
		chain_sweep(&c, 1, 1, a, ba);
		chain_sweep(&c, 1, 0, b, bb);
		chain_sweep(&c, 2, 0, d, bd);
		if (memcmp(a, b, sizeof(a[0]) *
		    (size_t)(c.in.scenario.horizon_days + 1)) != 0)
			fail_msg("seed %d: fast curve differs", i + 1);
		assert_memory_equal(a, d, sizeof(a[0]) *
		    (size_t)(c.in.scenario.horizon_days + 1));
		assert_memory_equal(ba, bb, sizeof(ba[0]) * c.in.nsuppliers);
		assert_memory_equal(ba, bd, sizeof(ba[0]) * c.in.nsuppliers);
	}
}

static void
threaded_run_equals_single_threaded(void **state)
{
	struct chain		c;
	struct model_result	a[MAXS], b[MAXS];
	struct model_point	pa, pb;
	int			i;

	for (i = 0; i < cases(); i++) {
		chain_make(&c, (uint64_t)i + 1000);
		chain_run(&c, 1, pick_L(&c), a, &pa);
		chain_run(&c, 2, pick_L(&c), b, &pb);
		assert_memory_equal(a, b, sizeof(a[0]) * c.in.nsuppliers);
		assert_memory_equal(&pa, &pb, sizeof(pa));
	}
}

static void
funding_gap_added_to_cash_removes_the_breach(void **state)
{
	struct chain		c;
	struct model_result	a[MAXS], b[MAXS];
	size_t			s, n;
	int			i;

	for (i = 0, n = 0; i < cases(); i++) {
		chain_make(&c, (uint64_t)i + 2000);
		chain_run(&c, 1, pick_L(&c), a, NULL);
		for (s = 0; s < c.in.nsuppliers; s++)
			c.sup[s].cash += a[s].funding_gap;
		chain_run(&c, 1, pick_L(&c), b, NULL);
		for (s = 0; s < c.in.nsuppliers; s++) {
			assert_int_equal(b[s].breach_day, MODEL_NONE);
			assert_int_equal(b[s].lowest_liquidity,
			    a[s].lowest_liquidity + a[s].funding_gap);
			assert_int_equal(b[s].funding_gap, 0);
			n += a[s].funding_gap > 0;
		}
	}
	assert_true(n > 0);	/* the property was exercised */
}

/*
 * A scheme paying every invoice in full, at no fee, from day 0, to every
 * supplier, can only bring cash forward. The guard: the scheme must
 * actually have paid early, and lifted liquidity above the scheme-free
 * run on some day, for at least half the suppliers traced (nearly all
 * do). Without it an engine that ignored schemes (b == a everywhere)
 * would pass.
 */
static void
generous_scheme_never_lowers_liquidity(void **state)
{
	struct chain	c;
	struct trace	a, b;
	size_t		s, k, traced = 0, early = 0, lifted = 0;
	int64_t		t, L;
	int		i, paid, above;

	for (i = 0; i < cases() / 3; i++) {
		chain_make(&c, (uint64_t)i + 3000);
		L = pick_L(&c);
		c.in.scheme = NULL;
		memset(&c.scheme, 0, sizeof(c.scheme));
		c.scheme.effective_from = c.in.scenario.start_date;
		c.scheme.advance_rate_bps = 10000;
		c.scheme.day_count_basis = 365;
		c.scheme.eligible_tiers = 0xe;
		for (s = 0; s < c.in.nsuppliers; s++) {
			c.in.scheme = NULL;
			chain_trace(&c, s, L, &a);
			c.in.scheme = &c.scheme;
			chain_trace(&c, s, L, &b);
			above = 0;
			for (t = 0; t < c.in.scenario.horizon_days; t++) {
				assert_true(b.liq[t] >= a.liq[t]);
				above |= b.liq[t] > a.liq[t];
			}
			for (k = 0, paid = 0; k < b.npay; k++)
				paid |= b.pay[k].kind == MODEL_PAY_EARLY &&
				    b.pay[k].gross > 0;
			traced++;
			early += paid;
			lifted += above;
		}
	}
	assert_true(early > 0 && lifted > 0);
	assert_true(early * 2 >= traced);
	assert_true(lifted * 2 >= traced);
}

/* Each day's outstanding advances per supplier, rebuilt from the trace. */
static void
outstanding_by_day(const struct trace *t, int64_t H, int64_t *out)
{
	size_t	i, j;
	int64_t	d, end;

	for (i = 0; i < t->npay; i++) {
		if (t->pay[i].kind != MODEL_PAY_EARLY)
			continue;
		end = H;
		for (j = 0; j < t->npay; j++)
			if (t->pay[j].kind == MODEL_PAY_REMAINDER &&
			    t->pay[j].invoice == t->pay[i].invoice &&
			    t->pay[j].approved_day == t->pay[i].approved_day)
				end = t->pay[j].day;
		for (d = t->pay[i].day; d < end; d++)
			out[d] += t->pay[i].gross;
	}
}

static void
caps_and_facility_limit_are_never_exceeded(void **state)
{
	struct chain		c;
	struct trace		t;
	struct model_result	r[MAXS];
	struct model_point	p;
	int64_t			own[MAXH], all[MAXH], L, d, peak;
	size_t			s;
	int			i, n = 0;

	for (i = 0; i < cases(); i++) {
		chain_make(&c, (uint64_t)i + 4000);
		if (c.in.scheme == NULL)
			continue;
		L = pick_L(&c);
		chain_run(&c, 2, L, r, &p);
		memset(all, 0, sizeof(all));
		for (s = 0; s < c.in.nsuppliers; s++) {
			memset(own, 0, sizeof(own));
			chain_trace(&c, s, L, &t);
			outstanding_by_day(&t, c.in.scenario.horizon_days, own);
			for (d = 0; d < c.in.scenario.horizon_days; d++) {
				if (c.scheme.has_per_supplier_cap)
					assert_true(own[d] <=
					    c.scheme.per_supplier_cap);
				all[d] += own[d];
			}
		}
		peak = 0;
		for (d = 0; d < c.in.scenario.horizon_days; d++) {
			if (c.scheme.has_facility_limit)
				assert_true(all[d] <= c.scheme.facility_limit);
			peak = all[d] > peak ? all[d] : peak;
		}
		assert_int_equal(peak, p.peak_facility_use);
		n += peak > 0;
	}
	assert_true(n > 0);
}

/*
 * A limit equal to the peak the facility reached without one binds
 * nowhere. The guards: the uncapped peak must be above 0 in a quarter of
 * the schemed cases (about half are; at peak 0 the limit is 0 and it says
 * nothing about limits that bind), and a limit one below that peak must
 * change the run; otherwise an engine that ignored schemes, or ignored
 * facility limits, would pass.
 */
static void
facility_limit_at_the_uncapped_peak_changes_nothing(void **state)
{
	struct chain		c;
	struct model_result	a[MAXS], b[MAXS];
	struct model_point	pa, pb;
	int64_t			L;
	int			i, schemed = 0, used = 0;

	for (i = 0; i < cases(); i++) {
		chain_make(&c, (uint64_t)i + 5000);
		if (c.in.scheme == NULL)
			continue;
		L = pick_L(&c);
		c.scheme.has_facility_limit = 0;
		chain_run(&c, 1, L, a, &pa);
		c.scheme.has_facility_limit = 1;
		c.scheme.facility_limit = pa.peak_facility_use;
		chain_run(&c, 1, L, b, &pb);
		assert_memory_equal(a, b, sizeof(a[0]) * c.in.nsuppliers);
		assert_memory_equal(&pa, &pb, sizeof(pa));
		schemed++;
		if (pa.peak_facility_use == 0)
			continue;
		used++;
		c.scheme.facility_limit = pa.peak_facility_use - 1;
		chain_run(&c, 1, L, b, &pb);
		if (pb.peak_facility_use >= pa.peak_facility_use)
			fail_msg("seed %d: a limit of %lld left the peak at %lld",
			    i + 5000, (long long)c.scheme.facility_limit,
			    (long long)pb.peak_facility_use);
	}
	assert_true(used > 0);
	assert_true(used * 4 >= schemed);
}

static void
receipts_equal_invoices_paid_less_fees(void **state)
{
	struct chain	c;
	struct trace	a, b;
	int64_t		L, paid, got, fees;
	size_t		s, j, k;
	int		i, matured, n = 0;

	for (i = 0; i < cases(); i++) {
		chain_make(&c, (uint64_t)i + 6000);
		if (c.in.scheme == NULL)
			continue;
		L = pick_L(&c);
		for (s = 0; s < c.in.nsuppliers; s++) {
			chain_trace(&c, s, L, &b);
			matured = 1;
			got = fees = 0;
			for (j = 0; j < b.npay; j++) {
				got += b.pay[j].net;
				fees += b.pay[j].fee;
				if (b.pay[j].kind != MODEL_PAY_EARLY)
					continue;
				for (k = 0; k < b.npay; k++)
					if (b.pay[k].kind ==
					    MODEL_PAY_REMAINDER &&
					    b.pay[k].invoice ==
					    b.pay[j].invoice &&
					    b.pay[k].approved_day ==
					    b.pay[j].approved_day)
						break;
				matured &= k < b.npay;
			}
			if (!matured)
				continue;
			c.in.scheme = NULL;
			chain_trace(&c, s, L, &a);
			c.in.scheme = &c.scheme;
			for (paid = 0, j = 0; j < a.npay; j++)
				paid += a.pay[j].gross;
			assert_int_equal(got, paid - fees);
			n += fees > 0;
		}
	}
	assert_true(n > 0);
}

static void
results_do_not_depend_on_input_order(void **state)
{
	struct chain		c, d;
	struct model_result	a[MAXS], b[MAXS];
	struct model_point	pa, pb, ca[MAXH + 1], cb[MAXH + 1];
	int64_t			ba[MAXS], bb[MAXS], L;
	size_t			s, n, ni, j;
	int			i;

	for (i = 0; i < cases(); i++) {
		chain_make(&c, (uint64_t)i + 7000);
		L = pick_L(&c);
		/* Reverse both arrays; the ids travel with their records. */
		d = c;
		n = c.in.nsuppliers;
		ni = c.in.ninvoices;
		for (s = 0; s < n; s++)
			d.sup[s] = c.sup[n - 1 - s];
		for (j = 0; j < ni; j++)
			d.inv[j] = c.inv[ni - 1 - j];
		d.in.suppliers = d.sup;
		d.in.invoices = d.inv;
		d.in.scheme = c.in.scheme != NULL ? &d.scheme : NULL;
		chain_run(&c, 1, L, a, &pa);
		chain_run(&d, 1, L, b, &pb);
		assert_memory_equal(&pa, &pb, sizeof(pa));
		chain_sweep(&c, 1, 0, ca, ba);
		chain_sweep(&d, 1, 0, cb, bb);
		assert_memory_equal(ca, cb, sizeof(ca[0]) *
		    (size_t)(c.in.scenario.horizon_days + 1));
		for (s = 0; s < n; s++) {
			assert_memory_equal(&a[s], &b[n - 1 - s], sizeof(a[s]));
			assert_int_equal(ba[s], bb[n - 1 - s]);
		}
	}
}

/*
 * Every supplier's result for every L from one sweep, on the fast paths
 * and on the reference, against model_run(L) one length at a time; the
 * curve and breaks as model_sweep's. Each chain also without its scheme,
 * so the plain case is seen as often as the capped and facility ones.
 */
static void
sweep_results_equal_runs(void **state)
{
	struct chain		 c;
	struct model		*m;
	struct model_error	 e;
	struct model_result	*fast, *ref, r[MAXS];
	struct model_point	 ca[MAXH + 1], cb[MAXH + 1], cc[MAXH + 1];
	int64_t			 ba[MAXS], bb[MAXS], bc[MAXS], L, H;
	size_t			 n;
	int			 i, v;

	fast = calloc((MAXH + 1) * MAXS, sizeof(*fast));
	ref = calloc((MAXH + 1) * MAXS, sizeof(*ref));
	assert_non_null(fast);
	assert_non_null(ref);
	for (i = 0; i < cases(); i++) {
		for (v = 0; v < 2; v++) {
			chain_make(&c, (uint64_t)i + 9000);
			if (v == 1)
				c.in.scheme = NULL;
			H = c.in.scenario.horizon_days;
			n = c.in.nsuppliers;
			m = chain_model(&c, 2, 0);
			assert_int_equal(model_sweep_results(m, H, ca, ba, fast,
			    &e), 0);
			model_free(m);
			m = chain_model(&c, 1, 1);
			assert_int_equal(model_sweep_results(m, H, cb, bb, ref,
			    &e), 0);
			model_free(m);
			chain_sweep(&c, 2, 0, cc, bc);
			assert_memory_equal(ca, cc, sizeof(ca[0]) * (size_t)(H + 1));
			assert_memory_equal(cb, cc, sizeof(cb[0]) * (size_t)(H + 1));
			assert_memory_equal(ba, bc, sizeof(ba[0]) * n);
			assert_memory_equal(bb, bc, sizeof(bb[0]) * n);
			m = chain_model(&c, 1, 0);
			for (L = 0; L <= H; L++) {
				assert_int_equal(model_run(m, L, r, NULL, &e), 0);
				if (memcmp(r, fast + (size_t)L * n,
				    sizeof(r[0]) * n) != 0)
					fail_msg("seed %d%s, L %lld: sweep "
					    "results differ from the run",
					    i + 9000, v ? " (no scheme)" : "",
					    (long long)L);
				if (memcmp(r, ref + (size_t)L * n,
				    sizeof(r[0]) * n) != 0)
					fail_msg("seed %d%s, L %lld: reference "
					    "results differ from the run",
					    i + 9000, v ? " (no scheme)" : "",
					    (long long)L);
			}
			model_free(m);
		}
	}
	free(fast);
	free(ref);
}

/*
 * A binding facility limit over a few hundred suppliers, so that a day's
 * acceptances span several words of decision bits and end in runs cut
 * anywhere: every supplier's result for every L from the sweep (decisions
 * taken in runs, read back transposed) against the reference (decisions
 * row by row, cash day by day), to the penny, and model_run against both.
 */
#define BIGS	400
#define BIGI	1200

static void
facility_runs_over_many_suppliers_equal_reference(void **state)
{
	struct model_supplier	*sup;
	struct model_invoice	*inv;
	struct model_scheme	 k;
	struct model_input	 in;
	struct model		*m;
	struct model_error	 e;
	struct model_result	*fast, *ref, *r;
	struct model_point	 ca[MAXH + 1], cb[MAXH + 1], pt;
	char			(*sid)[8], (*iid)[8];
	int64_t			 ramp[12], ba[BIGS], bb[BIGS], H, L, total;
	uint64_t		 x;
	size_t			 i, n, ni;
	int			 c, runs = cases() / 15 + 2;

	sup = calloc(BIGS, sizeof(*sup));
	inv = calloc(BIGI, sizeof(*inv));
	sid = calloc(BIGS, sizeof(*sid));
	iid = calloc(BIGI, sizeof(*iid));
	fast = calloc((MAXH + 1) * BIGS, sizeof(*fast));
	ref = calloc((MAXH + 1) * BIGS, sizeof(*ref));
	r = calloc(BIGS, sizeof(*r));
	assert_true(sup != NULL && inv != NULL && sid != NULL && iid != NULL &&
	    fast != NULL && ref != NULL && r != NULL);
	for (c = 0; c < runs; c++) {
		x = (uint64_t)c * 7919 + 12345;
		memset(&in, 0, sizeof(in));
		memset(&k, 0, sizeof(k));
		H = between(&x, 20, MAXH);
		n = (size_t)between(&x, 65, BIGS);
		ni = (size_t)between(&x, 0, BIGI);
		in.scenario.start_date = 20000;
		in.scenario.horizon_days = H;
		in.scenario.ramp_len = (size_t)between(&x, 0, 12);
		for (i = 0; i < in.scenario.ramp_len; i++)
			ramp[i] = between(&x, 0, 3) == 0 ? 10000 :
			    between(&x, 0, 10000);
		in.scenario.ramp_bps = ramp;
		in.scenario.payment_freeze_days = between(&x, 0, 3) == 0 ?
		    between(&x, 0, 15) : 0;
		in.scenario.fixed_cost_relief_bps = between(&x, 0, 5000);
		total = 0;
		for (i = 0; i < n; i++) {
			snprintf(sid[i], sizeof(sid[i]), "S%04d",
			    (int)((i * 37 + (size_t)c) % 9973));
			sup[i].id = sid[i];
			sup[i].tier = between(&x, 1, 3);
			sup[i].employees = between(&x, 0, 300);
			sup[i].cash = between(&x, -100000, 3000000);
			sup[i].credit_available = between(&x, 0, 200000);
			sup[i].min_liquidity = between(&x, 0, 1) ?
			    between(&x, 0, 300000) : 0;
			sup[i].fixed_daily_costs = between(&x, 0, 60000);
			sup[i].oem_daily_sales = between(&x, 0, 9) ?
			    between(&x, 1, 200000) : 0;
			sup[i].variable_cost_bps = between(&x, 0, 10000);
			sup[i].other_daily_receipts = between(&x, 0, 20000);
			/* A few terms, so that groups of rows share them. */
			sup[i].payment_terms_days = 5 * between(&x, 0, 12);
			sup[i].scheme_opt_in = between(&x, 0, 4) != 0;
			total += sup[i].oem_daily_sales;
		}
		for (i = 0; i < ni; i++) {
			snprintf(iid[i], sizeof(iid[i]), "I%05d",
			    (int)((i * 13 + (size_t)c) % 99991));
			inv[i].id = iid[i];
			inv[i].supplier_id = sid[between(&x, 0, (int64_t)n - 1)];
			inv[i].outstanding = between(&x, 1, 600000);
			inv[i].due_date = in.scenario.start_date +
			    (int32_t)between(&x, -10, H + 10);
		}
		in.suppliers = sup;
		in.nsuppliers = n;
		in.invoices = inv;
		in.ninvoices = ni;
		in.scheme = &k;
		k.effective_from = in.scenario.start_date +
		    (int32_t)between(&x, -5, 20);
		k.payment_lag_days = between(&x, 0, 5);
		k.advance_rate_bps = between(&x, 1, 10000);
		k.annual_rate_bps = between(&x, 0, 20000);
		k.day_count_basis = between(&x, 0, 1) ? 360 : 365;
		k.fee_bearer = between(&x, 0, 1) ? MODEL_FEE_OEM :
		    MODEL_FEE_SUPPLIER;
		k.eligible_tiers = between(&x, 0, 3) ? 0xe : 0x6;
		k.min_invoice_amount = between(&x, 0, 1) ?
		    between(&x, 0, 50000) : 0;
		k.requires_opt_in = (int)between(&x, 0, 1);
		k.has_facility_limit = 1;
		/* From a day's sales or less to a month's: it binds. */
		k.facility_limit = total / 100 * between(&x, 1, 3000) / 100;

		memset(&e, 0, sizeof(e));
		m = model_alloc(&in, &(struct model_opts){ .threads = 2 }, &e);
		if (m == NULL)
			fail_msg("case %d: %s %s", c, e.field, e.problem);
		assert_int_equal(model_sweep_results(m, H, ca, ba, fast, &e), 0);
		for (L = 0; L <= H; L += 1 + H / 5) {
			assert_int_equal(model_run(m, L, r, &pt, &e), 0);
			assert_memory_equal(r, fast + (size_t)L * n,
			    n * sizeof(*r));
			assert_int_equal(pt.peak_facility_use,
			    ca[L].peak_facility_use);
		}
		model_free(m);
		m = model_alloc(&in, &(struct model_opts){ .threads = 1,
		    .reference = 1 }, &e);
		assert_non_null(m);
		assert_int_equal(model_sweep_results(m, H, cb, bb, ref, &e), 0);
		model_free(m);
		for (L = 0; L <= H; L++)
			if (memcmp(fast + (size_t)L * n, ref + (size_t)L * n,
			    n * sizeof(*r)) != 0)
				fail_msg("case %d, L %lld: results differ from "
				    "the reference", c, (long long)L);
		assert_memory_equal(ca, cb, (size_t)(H + 1) * sizeof(ca[0]));
		assert_memory_equal(ba, bb, n * sizeof(ba[0]));
		assert_true(ca[H / 2].peak_facility_use <= k.facility_limit);
	}
	free(sup);
	free(inv);
	free(sid);
	free(iid);
	free(fast);
	free(ref);
	free(r);
}

/*
 * Outage lengths that end before the scheme's effective day, or whose
 * invoices mature inside the payment freeze, on the fast path (shifted
 * sums with those invoices' flows corrected) against the day-by-day
 * reference, to the penny: every result of every L, the curve and the
 * breaks. The chains have the effective day well after the start, long
 * freezes with short terms, ramps, and half the time a facility limit
 * that binds (sometimes with per-supplier caps too); the other half no
 * limit, with or without a scheme.
 */
#define IRRS	80
#define IRRI	240

static void
restart_before_effective_day_equals_reference(void **state)
{
	struct model_supplier	*sup;
	struct model_invoice	*inv;
	struct model_scheme	 k;
	struct model_input	 in;
	struct model		*m;
	struct model_error	 e;
	struct model_result	*fast, *ref;
	struct model_point	 ca[MAXH + 1], cb[MAXH + 1];
	char			(*sid)[8], (*iid)[8];
	int64_t			 ramp[12], ba[IRRS], bb[IRRS], H, L, total;
	int64_t			 minT, reach;
	uint64_t		 x;
	size_t			 i, n, ni;
	int			 c, kind, irregular = 0;

	sup = calloc(IRRS, sizeof(*sup));
	inv = calloc(IRRI, sizeof(*inv));
	sid = calloc(IRRS, sizeof(*sid));
	iid = calloc(IRRI, sizeof(*iid));
	fast = calloc((MAXH + 1) * IRRS, sizeof(*fast));
	ref = calloc((MAXH + 1) * IRRS, sizeof(*ref));
	assert_true(sup != NULL && inv != NULL && sid != NULL && iid != NULL &&
	    fast != NULL && ref != NULL);
	for (c = 0; c < cases(); c++) {
		x = (uint64_t)c * 104729 + 777;
		memset(&in, 0, sizeof(in));
		memset(&k, 0, sizeof(k));
		H = between(&x, 10, MAXH);
		n = (size_t)between(&x, 1, IRRS);
		ni = (size_t)between(&x, 0, IRRI);
		in.scenario.start_date = 20000;
		in.scenario.horizon_days = H;
		in.scenario.ramp_len = (size_t)between(&x, 0, 12);
		for (i = 0; i < in.scenario.ramp_len; i++)
			ramp[i] = between(&x, 0, 4) == 0 ? 0 :
			    between(&x, 0, 10000);
		in.scenario.ramp_bps = ramp;
		in.scenario.payment_freeze_days = between(&x, 0, 1) ?
		    between(&x, 0, H) : 0;
		in.scenario.fixed_cost_relief_bps = between(&x, 0, 10000);
		total = 0;
		minT = MODEL_TERMS_MAX;
		for (i = 0; i < n; i++) {
			snprintf(sid[i], sizeof(sid[i]), "S%04d",
			    (int)((i * 31 + (size_t)c) % 9973));
			sup[i].id = sid[i];
			sup[i].tier = between(&x, 1, 3);
			sup[i].employees = between(&x, 0, 300);
			sup[i].cash = between(&x, -100000, 3000000);
			sup[i].credit_available = between(&x, 0, 200000);
			sup[i].min_liquidity = between(&x, 0, 1) ?
			    between(&x, 0, 300000) : 0;
			sup[i].fixed_daily_costs = between(&x, 0, 60000);
			sup[i].oem_daily_sales = between(&x, 0, 9) ?
			    between(&x, 1, 200000) : 0;
			sup[i].variable_cost_bps = between(&x, 0, 10000);
			sup[i].other_daily_receipts = between(&x, 0, 20000);
			/* Short terms too, so maturities fall in the freeze. */
			sup[i].payment_terms_days = between(&x, 0, 2) == 0 ?
			    between(&x, 0, 10) : between(&x, 0, 90);
			sup[i].scheme_opt_in = between(&x, 0, 4) != 0;
			total += sup[i].oem_daily_sales;
			if (sup[i].payment_terms_days < minT)
				minT = sup[i].payment_terms_days;
		}
		for (i = 0; i < ni; i++) {
			snprintf(iid[i], sizeof(iid[i]), "I%05d",
			    (int)((i * 17 + (size_t)c) % 99991));
			inv[i].id = iid[i];
			inv[i].supplier_id = sid[between(&x, 0, (int64_t)n - 1)];
			inv[i].outstanding = between(&x, 1, 600000);
			inv[i].due_date = in.scenario.start_date +
			    (int32_t)between(&x, -10, H + 10);
		}
		in.suppliers = sup;
		in.nsuppliers = n;
		in.invoices = inv;
		in.ninvoices = ni;
		kind = (int)between(&x, 0, 5);
		if (kind > 0) {
			in.scheme = &k;
			/* Mostly well after the start: restarts come first. */
			k.effective_from = in.scenario.start_date +
			    (int32_t)between(&x, -3, H / 2 + 5);
			k.payment_lag_days = between(&x, 0, 6);
			k.advance_rate_bps = between(&x, 1, 10000);
			k.annual_rate_bps = between(&x, 0, 20000);
			k.day_count_basis = between(&x, 0, 1) ? 360 : 365;
			k.fee_bearer = between(&x, 0, 1) ? MODEL_FEE_OEM :
			    MODEL_FEE_SUPPLIER;
			k.eligible_tiers = between(&x, 0, 3) ? 0xe : 0x6;
			k.min_invoice_amount = between(&x, 0, 1) ?
			    between(&x, 0, 50000) : 0;
			k.requires_opt_in = (int)between(&x, 0, 1);
			k.has_max_employees = between(&x, 0, 3) == 0;
			k.max_employees = between(&x, 0, 300);
		}
		if (kind >= 3) {
			k.has_facility_limit = 1;
			k.facility_limit = total / 100 *
			    between(&x, 1, 3000) / 100;
			k.has_per_supplier_cap = kind == 5;
			k.per_supplier_cap = between(&x, 0, 2000000);
		}

		memset(&e, 0, sizeof(e));
		m = model_alloc(&in, &(struct model_opts){ .threads = 2 }, &e);
		if (m == NULL)
			fail_msg("case %d: %s %s", c, e.field, e.problem);
		assert_int_equal(model_sweep_results(m, H, ca, ba, fast, &e), 0);
		model_free(m);
		m = model_alloc(&in, &(struct model_opts){ .threads = 1,
		    .reference = 1 }, &e);
		assert_non_null(m);
		assert_int_equal(model_sweep_results(m, H, cb, bb, ref, &e), 0);
		model_free(m);
		for (L = 0; L <= H; L++) {
			if (memcmp(fast + (size_t)L * n, ref + (size_t)L * n,
			    n * sizeof(*fast)) != 0)
				fail_msg("case %d, L %lld: results differ from "
				    "the reference", c, (long long)L);
			if (memcmp(&ca[L], &cb[L], sizeof(ca[L])) != 0)
				fail_msg("case %d, L %lld: curve differs from "
				    "the reference", c, (long long)L);
		}
		assert_memory_equal(ba, bb, n * sizeof(ba[0]));
		/* Lengths before the last irregular approval day. */
		reach = in.scenario.payment_freeze_days - minT;
		if (in.scheme != NULL && k.effective_from -
		    in.scenario.start_date > reach)
			reach = k.effective_from - in.scenario.start_date;
		irregular += reach > 1;
	}
	assert_true(irregular > cases() / 3);
	free(sup);
	free(inv);
	free(sid);
	free(iid);
	free(fast);
	free(ref);
}

/*
 * Random links between the chain's suppliers (cycles included, one link
 * per pair), carrying nothing when zero, and a scheme that may cover
 * them.
 */
static void
chain_links(struct chain *c, int zero)
{
	uint64_t	 s = c->seed * 40503ULL + 977ULL;
	size_t		 n = c->in.nsuppliers, i, k, a, b, nl = 0;
	int		 taken;

	if (n < 2)
		return;
	for (i = 0; i < MAXL && nl < n * (n - 1); i++) {
		if (between(&s, 0, 3) == 0 && nl > 0)
			continue;
		a = (size_t)between(&s, 0, (int64_t)n - 1);
		b = (size_t)between(&s, 0, (int64_t)n - 2);
		b += b >= a;
		for (k = 0, taken = 0; k < nl; k++)
			taken |= c->link[k].supplier_id == c->sid[a] &&
			    c->link[k].customer_id == c->sid[b];
		if (taken)
			continue;
		c->link[nl].supplier_id = c->sid[a];
		c->link[nl].customer_id = c->sid[b];
		c->link[nl].daily_sales = zero ? 0 : between(&s, 0, 4) ?
		    between(&s, 1, 150000) : 0;
		c->link[nl].payment_terms_days = between(&s, 0, 4) ?
		    between(&s, 0, 60) : between(&s, 0, 365);
		nl++;
	}
	c->in.links = c->link;
	c->in.nlinks = nl;
	if (c->in.scheme != NULL && !zero)
		c->scheme.covers = between(&s, 0, 1) ? MODEL_COVERS_ALL :
		    MODEL_COVERS_OEM;
}

static void
chain_sweep_results_ref(const struct chain *c, int threads, int reference,
    struct model_point *curve, int64_t *brk, struct model_result *all)
{
	struct model		*m;
	struct model_error	 e;

	m = chain_model(c, threads, reference);
	assert_int_equal(model_sweep_results(m, c->in.scenario.horizon_days,
	    curve, brk, all, &e), 0);
	model_free(m);
}

static void
chain_sweep_results(const struct chain *c, int threads,
    struct model_point *curve, int64_t *brk, struct model_result *all)
{
	struct model		*m;
	struct model_error	 e;

	m = chain_model(c, threads, 0);
	assert_int_equal(model_sweep_results(m, c->in.scenario.horizon_days,
	    curve, brk, all, &e), 0);
	model_free(m);
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

/*
 * Links that carry nothing must leave every figure as version 1 computes
 * it: the network's day-by-day path against version 1's paths (fast,
 * facility, day by day), with caps, facility limits and freezes, every
 * result of every L and the traces.
 */
static void
zero_sales_links_give_version_1_figures(void **state)
{
	struct chain		 c;
	struct model_point	 ca[MAXH + 1], cb[MAXH + 1];
	struct model_result	*ra, *rb;
	struct trace		 ta, tb;
	int64_t			 ba[MAXS], bb[MAXS], H, L;
	size_t			 n, s, k;
	int			 i, linked = 0;

	ra = calloc((MAXH + 1) * MAXS, sizeof(*ra));
	rb = calloc((MAXH + 1) * MAXS, sizeof(*rb));
	assert_non_null(ra);
	assert_non_null(rb);
	for (i = 0; i < cases(); i++) {
		chain_make(&c, (uint64_t)i + 12000);
		H = c.in.scenario.horizon_days;
		n = c.in.nsuppliers;
		chain_sweep_results(&c, 1, ca, ba, ra);
		L = pick_L(&c);
		s = (size_t)i % n;
		chain_trace(&c, s, L, &ta);
		chain_links(&c, 1);
		linked += c.in.nlinks > 0;
		chain_sweep_results(&c, 2, cb, bb, rb);
		chain_trace(&c, s, L, &tb);
		if (memcmp(ca, cb, sizeof(ca[0]) * (size_t)(H + 1)) != 0)
			fail_msg("seed %d: curves differ", i + 12000);
		assert_memory_equal(ba, bb, sizeof(ba[0]) * n);
		if (memcmp(ra, rb, sizeof(ra[0]) * n * (size_t)(H + 1)) != 0)
			fail_msg("seed %d: results differ", i + 12000);
		assert_memory_equal(ta.liq, tb.liq, sizeof(ta.liq[0]) *
		    (size_t)H);
		assert_int_equal(ta.npay, tb.npay);
		for (k = 0; k < ta.npay; k++)
			pay_equal(&ta.pay[k], &tb.pay[k]);
	}
	assert_true(linked > cases() / 2);
	free(ra);
	free(rb);
}

/* level(t) of the model, independently: the test's own reading. */
static int64_t
test_level(const struct chain *c, int64_t L, int64_t t)
{
	if (L == 0 || t - L >= (int64_t)c->in.scenario.ramp_len)
		return (10000);
	return (t < L ? 0 : c->ramp[t - L]);
}

static int64_t
test_rhe(int64_t a, int64_t bps)
{
	int64_t	p = a * bps, q = p / 10000, r = p % 10000;

	return (q + (r > 5000 || (r == 5000 && (q & 1) != 0)));
}

/*
 * Money is conserved: what falls due on the links within the horizon is
 * what the sellers received from their customers (their traces), what is
 * still owed them (overdue_trade_credit), and what the funder was paid or
 * is still owed for its advances, which is at most what it advanced.
 */
static void
customers_pay_what_falls_due_or_owe_it(void **state)
{
	struct chain		 c;
	struct model_point	 pt;
	struct model_result	 r[MAXS];
	struct trace		 t;
	const struct model_link	*lk;
	int64_t			 due, got, adv, H, L, u, k, rest;
	size_t			 s, l;
	int			 i, short_paid = 0;

	for (i = 0; i < cases(); i++) {
		chain_make(&c, (uint64_t)i + 13000);
		chain_links(&c, 0);
		H = c.in.scenario.horizon_days;
		L = pick_L(&c);
		chain_run(&c, 1, L, r, &pt);
		for (l = 0, due = 0; l < c.in.nlinks; l++) {
			lk = &c.link[l];
			for (k = 0; k < lk->payment_terms_days && k < H; k++)
				due += lk->daily_sales;
			for (u = 0; u + lk->payment_terms_days < H; u++)
				due += test_rhe(lk->daily_sales,
				    test_level(&c, L, u));
		}
		for (s = 0, got = 0, adv = 0; s < c.in.nsuppliers; s++) {
			chain_trace(&c, s, L, &t);
			for (k = 0; k < (int64_t)t.npay; k++) {
				if (t.pay[k].kind == MODEL_PAY_CUSTOMER)
					got += t.pay[k].gross;
				if (t.pay[k].kind == MODEL_PAY_DEEP_TIER)
					adv += t.pay[k].gross;
			}
		}
		rest = due - got - pt.overdue_trade_credit;
		if (c.in.scheme == NULL ||
		    c.scheme.covers == MODEL_COVERS_OEM) {
			assert_int_equal(adv, 0);
			assert_int_equal(pt.funder_overdue, 0);
			if (rest != 0)
				fail_msg("seed %d: %lld unaccounted", i + 13000,
				    (long long)rest);
		} else {
			assert_true(rest >= pt.funder_overdue);
			assert_true(rest <= adv);
		}
		short_paid += pt.overdue_trade_credit > 0;
	}
	assert_true(short_paid > cases() / 10);
}

/*
 * The network's sweep: two threads give what one gives, model_run(L)
 * gives row L, breaks_at_outage_days is the first L with a breach, a
 * contagion breach is one the counterfactual does not have, and ample
 * credit everywhere leaves no contagion and nothing overdue.
 */
static void
network_sweep_runs_and_threads_agree(void **state)
{
	struct chain		 c;
	struct model		*m;
	struct model_error	 e;
	struct model_point	 ca[MAXH + 1], cb[MAXH + 1], pt;
	struct model_result	*ra, *rb, r[MAXS];
	int64_t			 ba[MAXS], bb[MAXS], H, L, first, n2;
	size_t			 n, s;
	int			 i, contagion = 0;

	ra = calloc((MAXH + 1) * MAXS, sizeof(*ra));
	rb = calloc((MAXH + 1) * MAXS, sizeof(*rb));
	assert_non_null(ra);
	assert_non_null(rb);
	for (i = 0; i < cases(); i++) {
		chain_make(&c, (uint64_t)i + 14000);
		chain_links(&c, 0);
		H = c.in.scenario.horizon_days;
		n = c.in.nsuppliers;
		chain_sweep_results(&c, 1, ca, ba, ra);
		chain_sweep_results(&c, 2, cb, bb, rb);
		assert_memory_equal(ca, cb, sizeof(ca[0]) * (size_t)(H + 1));
		assert_memory_equal(ba, bb, sizeof(ba[0]) * n);
		assert_memory_equal(ra, rb, sizeof(ra[0]) * n * (size_t)(H + 1));
		m = chain_model(&c, 1, 0);
		L = pick_L(&c);
		assert_int_equal(model_run(m, L, r, &pt, &e), 0);
		assert_memory_equal(&pt, &ca[L], sizeof(pt));
		assert_memory_equal(r, ra + (size_t)L * n, sizeof(r[0]) * n);
		model_free(m);
		for (s = 0; s < n; s++) {
			for (L = 0, first = MODEL_NONE; L <= H; L++)
				if (first == MODEL_NONE &&
				    ra[(size_t)L * n + s].breach_day != MODEL_NONE)
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
		}

		/* Ample credit: every customer can always pay. */
		for (s = 0; s < n; s++) {
			c.sup[s].credit_available = 1000000000000LL;
			c.sup[s].min_liquidity = 1000000000000LL;
		}
		chain_sweep_results(&c, 2, cb, bb, rb);
		for (L = 0; L <= H; L++) {
			assert_int_equal(cb[L].suppliers_below_contagion, 0);
			assert_int_equal(cb[L].overdue_trade_credit, 0);
			assert_int_equal(cb[L].funder_overdue, 0);
		}
	}
	assert_true(contagion > 0);
	free(ra);
	free(rb);
}

/*
 * The network's fast sweep against the day-by-day reference, to the
 * penny: every figure of the curve, every supplier's result of every L,
 * breaks_at_outage_days, on one thread and two, model_sweep as well as
 * model_sweep_results, and model_run(L) for one L. Half the chains have
 * their caps taken away, so that the fast sweep (which needs none) is
 * what runs; the others check that a capped scheme still takes the
 * reference. Chains have cycles, customers that cannot pay, deep-tier
 * schemes, freezes and effective days after a restart, and links that
 * carry nothing.
 */
static void
network_fast_sweep_equals_reference(void **state)
{
	struct chain		 c;
	struct model		*m;
	struct model_error	 e;
	struct model_point	 ca[MAXH + 1], cb[MAXH + 1], cc[MAXH + 1], pt;
	struct model_result	*ra, *rb, *rc, r[MAXS];
	int64_t			 ba[MAXS], bb[MAXS], bc[MAXS], H, L;
	size_t			 n;
	int			 i, shortpaid = 0, deep = 0, fast = 0;

	ra = calloc((MAXH + 1) * MAXS, sizeof(*ra));
	rb = calloc((MAXH + 1) * MAXS, sizeof(*rb));
	rc = calloc((MAXH + 1) * MAXS, sizeof(*rc));
	assert_non_null(ra);
	assert_non_null(rb);
	assert_non_null(rc);
	for (i = 0; i < 2 * cases(); i++) {
		chain_make(&c, (uint64_t)i + 15000);
		chain_links(&c, 0);
		if (i % 2 == 0) {
			c.scheme.has_per_supplier_cap = 0;
			c.scheme.has_facility_limit = 0;
			fast++;
		}
		H = c.in.scenario.horizon_days;
		n = c.in.nsuppliers;
		chain_sweep_results_ref(&c, 1, 1, ca, ba, ra);
		chain_sweep_results_ref(&c, 1, 0, cb, bb, rb);
		chain_sweep_results_ref(&c, 2, 0, cc, bc, rc);
		for (L = 0; L <= H; L++) {
			if (memcmp(&ca[L], &cb[L], sizeof(ca[L])) != 0 ||
			    memcmp(&ca[L], &cc[L], sizeof(ca[L])) != 0)
				fail_msg("seed %d, L %lld: curves differ",
				    i + 15000, (long long)L);
			if (memcmp(ra + (size_t)L * n, rb + (size_t)L * n,
			    sizeof(ra[0]) * n) != 0 || memcmp(ra + (size_t)L *
			    n, rc + (size_t)L * n, sizeof(ra[0]) * n) != 0)
				fail_msg("seed %d, L %lld: results differ",
				    i + 15000, (long long)L);
			shortpaid += ca[L].overdue_trade_credit > 0;
		}
		assert_memory_equal(ba, bb, sizeof(ba[0]) * n);
		assert_memory_equal(ba, bc, sizeof(ba[0]) * n);
		deep += c.in.scheme != NULL &&
		    c.scheme.covers == MODEL_COVERS_ALL;
		chain_sweep(&c, 2, 0, cb, bb);
		assert_memory_equal(ca, cb, sizeof(ca[0]) * (size_t)(H + 1));
		assert_memory_equal(ba, bb, sizeof(ba[0]) * n);
		m = chain_model(&c, 1, 0);
		L = pick_L(&c);
		assert_int_equal(model_run(m, L, r, &pt, &e), 0);
		assert_memory_equal(&pt, &ca[L], sizeof(pt));
		assert_memory_equal(r, ra + (size_t)L * n, sizeof(r[0]) * n);
		model_free(m);
	}
	assert_true(shortpaid > 0);
	assert_true(deep > 0);
	assert_true(fast > 0);
	free(ra);
	free(rb);
	free(rc);
}

#define NETS	60
#define NETL	150
#define NETH	90

/*
 * Larger networks down the tiers (and some links back up, so cycles),
 * with a few firms that run short and most that do not: the closure of
 * those that pay short is then a part of the network, not all of it,
 * and the fast sweep runs only that part day by day. Every figure of
 * every L against the reference, on one thread and two.
 */
static void
network_fast_sweep_runs_a_part_like_the_reference(void **state)
{
	static struct model_supplier	 sup[NETS];
	static struct model_link	 link[NETL];
	static struct model_invoice	 inv[NETS];
	static char			 sid[NETS][8], iid[NETS][8];
	static struct model_result	 ra[(NETH + 1) * NETS];
	static struct model_result	 rb[(NETH + 1) * NETS];
	static struct model_result	 rc[(NETH + 1) * NETS];
	struct model_point		 ca[NETH + 1], cb[NETH + 1], cc[NETH + 1];
	struct model_input		 in;
	struct model_scheme		 sch;
	struct model_opts		 o;
	struct model_error		 e;
	struct model			*m;
	int64_t				 ba[NETS], bb[NETS], bc[NETS];
	int64_t				 ramp[5] = { 2000, 4000, 6000, 8000, 9000 };
	uint64_t			 s;
	size_t				 i, k, nl, a, b;
	int				 round, partial = 0, t;

	for (round = 0; round < cases() / 10 + 2; round++) {
		s = (uint64_t)round * 7919ULL + 12345ULL;
		memset(&in, 0, sizeof(in));
		memset(sup, 0, sizeof(sup));
		for (i = 0; i < NETS; i++) {
			snprintf(sid[i], sizeof(sid[i]), "N%03d",
			    (int)((i * 37 + (size_t)round) % 997));
			sup[i].id = sid[i];
			sup[i].tier = i < 10 ? 1 : i < 35 ? 2 : 3;
			sup[i].employees = between(&s, 1, 200);
			sup[i].oem_daily_sales = sup[i].tier == 1 ?
			    between(&s, 50000, 200000) : between(&s, 0, 20000);
			sup[i].fixed_daily_costs = between(&s, 1000, 30000);
			sup[i].variable_cost_bps = between(&s, 1000, 5000);
			sup[i].cash = between(&s, 0, 9) == 0 ?
			    between(&s, -50000, 100000) :
			    between(&s, 500000, 5000000);
			sup[i].credit_available = between(&s, 0, 200000);
			sup[i].min_liquidity = between(&s, 0, 1) ?
			    between(&s, 0, 100000) : 0;
			sup[i].payment_terms_days = between(&s, 10, 60);
			sup[i].scheme_opt_in = (int)between(&s, 0, 1);
			snprintf(iid[i], sizeof(iid[i]), "V%03d", (int)i);
			inv[i].id = iid[i];
			inv[i].supplier_id = sid[i];
			inv[i].outstanding = between(&s, 1000, 300000);
			inv[i].due_date = 30000 + (int32_t)between(&s, -5, 40);
		}
		for (k = 0, nl = 0; k < NETL; k++) {
			/* A seller one tier down, now and then one up. */
			b = (size_t)between(&s, 0, 34);
			a = b < 10 ? (size_t)between(&s, 10, 34) :
			    (size_t)between(&s, 35, NETS - 1);
			if (between(&s, 0, 19) == 0) {
				i = a;
				a = b;
				b = i;
			}
			for (i = 0, t = 0; i < nl; i++)
				t |= link[i].supplier_id == sid[a] &&
				    link[i].customer_id == sid[b];
			if (t || a == b)
				continue;
			link[nl].supplier_id = sid[a];
			link[nl].customer_id = sid[b];
			link[nl].daily_sales = between(&s, 0, 9) == 0 ? 0 :
			    between(&s, 1000, 15000);
			link[nl].payment_terms_days = between(&s, 0, 75);
			nl++;
		}
		in.suppliers = sup;
		in.nsuppliers = NETS;
		in.invoices = inv;
		in.ninvoices = NETS;
		in.links = link;
		in.nlinks = nl;
		in.scenario.start_date = 30000;
		in.scenario.horizon_days = NETH;
		in.scenario.ramp_bps = ramp;
		in.scenario.ramp_len = 5;
		in.scenario.payment_freeze_days = round % 3 == 0 ? 7 : 0;
		in.scenario.fixed_cost_relief_bps = 2500;
		if (round % 2 == 1) {
			memset(&sch, 0, sizeof(sch));
			sch.effective_from = 30000 + (int32_t)(round % 5);
			sch.payment_lag_days = 2;
			sch.advance_rate_bps = 9000;
			sch.annual_rate_bps = 650;
			sch.day_count_basis = 365;
			sch.fee_bearer = round % 4 == 1 ? MODEL_FEE_OEM :
			    MODEL_FEE_SUPPLIER;
			sch.eligible_tiers = (1U << 2) | (1U << 3);
			sch.covers = MODEL_COVERS_ALL;
			in.scheme = &sch;
		}
		memset(&o, 0, sizeof(o));
		o.threads = 1;
		o.reference = 1;
		assert_non_null(m = model_alloc(&in, &o, &e));
		assert_int_equal(model_sweep_results(m, NETH, ca, ba, ra, &e),
		    0);
		model_free(m);
		o.reference = 0;
		assert_non_null(m = model_alloc(&in, &o, &e));
		assert_int_equal(model_sweep_results(m, NETH, cb, bb, rb, &e),
		    0);
		model_free(m);
		o.threads = 2;
		assert_non_null(m = model_alloc(&in, &o, &e));
		assert_int_equal(model_sweep_results(m, NETH, cc, bc, rc, &e),
		    0);
		model_free(m);
		if (memcmp(ca, cb, sizeof(ca)) != 0 ||
		    memcmp(ca, cc, sizeof(ca)) != 0)
			fail_msg("round %d: curves differ", round);
		if (memcmp(ra, rb, sizeof(ra)) != 0 ||
		    memcmp(ra, rc, sizeof(ra)) != 0)
			fail_msg("round %d: results differ", round);
		assert_memory_equal(ba, bb, sizeof(ba));
		assert_memory_equal(ba, bc, sizeof(ba));
		/* Some firm breaches, yet most never pay short. */
		for (t = 0; t <= NETH; t++)
			partial += ca[t].overdue_trade_credit > 0 &&
			    ca[t].suppliers_below < NETS / 2;
	}
	assert_true(partial > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fast_sweep_equals_day_by_day_and_threads_agree),
		cmocka_unit_test(threaded_run_equals_single_threaded),
		cmocka_unit_test(funding_gap_added_to_cash_removes_the_breach),
		cmocka_unit_test(generous_scheme_never_lowers_liquidity),
		cmocka_unit_test(caps_and_facility_limit_are_never_exceeded),
		cmocka_unit_test(facility_limit_at_the_uncapped_peak_changes_nothing),
		cmocka_unit_test(receipts_equal_invoices_paid_less_fees),
		cmocka_unit_test(results_do_not_depend_on_input_order),
		cmocka_unit_test(sweep_results_equal_runs),
		cmocka_unit_test(facility_runs_over_many_suppliers_equal_reference),
		cmocka_unit_test(restart_before_effective_day_equals_reference),
		cmocka_unit_test(zero_sales_links_give_version_1_figures),
		cmocka_unit_test(customers_pay_what_falls_due_or_owe_it),
		cmocka_unit_test(network_sweep_runs_and_threads_agree),
		cmocka_unit_test(network_fast_sweep_equals_reference),
		cmocka_unit_test(network_fast_sweep_runs_a_part_like_the_reference),
	};

	return (cmocka_run_group_tests_name("model properties", tests, NULL,
	    NULL));
}
