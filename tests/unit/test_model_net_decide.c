/*
 * The network's early-payment decisions in the model's order without
 * sorting: day E0's candidates that do not depend on L sorted once per
 * model and merged with each run's own, and the deep tier's later days
 * found in order. Over random networks (cycles, freezes, effective days
 * before and after the start, caps and facility limits binding and not,
 * deep tier and not, order basis) every figure of every L, the traces
 * and the per-link results equal those of the engine sorting every
 * day's candidates as found, on one thread and two. TIDEOVER_PROP_CASES
 * sets how many networks each property sees.
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
#include "core/model_impl.h"

#define MAXS	12
#define MAXI	60
#define MAXH	100
#define MAXL	40
#define MAXP	8192

struct net {
	struct model_supplier	 sup[MAXS];
	char			 sid[MAXS][8];
	struct model_invoice	 inv[MAXI];
	char			 iid[MAXI][8];
	int64_t			 ramp[10];
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

/*
 * A random network with a scheme: terms often shared (so that many
 * candidates tie on P), a freeze that holds some invoices, caps that
 * bind on some days and not others.
 */
static void
net_make(struct net *c, uint64_t seed)
{
	uint64_t		 s = seed * 2654435761ULL + 1442695040889ULL;
	struct model_supplier	*p;
	struct model_scheme	*k = &c->scheme;
	size_t			 i, j, n, nl = 0, a, b;
	int64_t			 H;
	int			 taken;

	memset(c, 0, sizeof(*c));
	c->seed = seed;
	c->in.suppliers = c->sup;
	c->in.invoices = c->inv;
	c->in.scenario.start_date = 20000;
	H = between(&s, 1, MAXH);
	c->in.scenario.horizon_days = H;
	c->in.scenario.ramp_len = (size_t)between(&s, 0, 10);
	for (i = 0; i < c->in.scenario.ramp_len; i++)
		c->ramp[i] = between(&s, 0, 10000);
	c->in.scenario.ramp_bps = c->ramp;
	c->in.scenario.payment_freeze_days = between(&s, 0, 1) ?
	    between(&s, 0, H < 40 ? H : 40) : 0;
	c->in.scenario.fixed_cost_relief_bps = between(&s, 0, 10000);
	n = (size_t)between(&s, 2, MAXS);
	c->in.nsuppliers = n;
	for (i = 0; i < n; i++) {
		p = &c->sup[i];
		/* Ids in an order unrelated to their index. */
		snprintf(c->sid[i], sizeof(c->sid[i]), "N%02d",
		    (int)((i * 7 + seed) % 97));
		p->id = c->sid[i];
		p->tier = between(&s, 1, 3);
		p->employees = between(&s, 0, 300);
		p->cash = between(&s, -200000, 2000000);
		p->credit_available = between(&s, 0, 300000);
		p->min_liquidity = between(&s, 0, 1) ? between(&s, 0, 300000) :
		    0;
		p->fixed_daily_costs = between(&s, 0, 50000);
		p->oem_daily_sales = between(&s, 0, 5) ?
		    between(&s, 0, 200000) : 0;
		p->variable_cost_bps = between(&s, 0, 10000);
		p->other_daily_receipts = between(&s, 0, 20000);
		p->payment_terms_days = between(&s, 0, 3) ?
		    10 * between(&s, 0, 6) : between(&s, 0, 120);
		p->scheme_opt_in = (int)between(&s, 0, 3) != 0;
	}
	c->in.ninvoices = (size_t)between(&s, 0, MAXI);
	for (i = 0; i < c->in.ninvoices; i++) {
		snprintf(c->iid[i], sizeof(c->iid[i]), "I%03d",
		    (int)((i * 13 + seed) % 997));
		c->inv[i].id = c->iid[i];
		c->inv[i].supplier_id = c->sid[between(&s, 0, (int64_t)n - 1)];
		c->inv[i].outstanding = between(&s, 1, 600000);
		c->inv[i].due_date = c->in.scenario.start_date +
		    (int32_t)between(&s, -20, H + 20);
	}
	for (i = 0; i < MAXL && nl < n * (n - 1); i++) {
		a = (size_t)between(&s, 0, (int64_t)n - 1);
		b = (size_t)between(&s, 0, (int64_t)n - 2);
		b += b >= a;
		for (j = 0, taken = 0; j < nl; j++)
			taken |= c->link[j].supplier_id == c->sid[a] &&
			    c->link[j].customer_id == c->sid[b];
		if (taken)
			continue;
		c->link[nl].supplier_id = c->sid[a];
		c->link[nl].customer_id = c->sid[b];
		c->link[nl].daily_sales = between(&s, 0, 5) ?
		    between(&s, 1, 150000) : 0;
		c->link[nl].payment_terms_days = between(&s, 0, 3) ?
		    10 * between(&s, 0, 6) : between(&s, 0, 120);
		nl++;
	}
	c->in.links = c->link;
	c->in.nlinks = nl;
	c->in.scheme = k;
	k->effective_from = c->in.scenario.start_date +
	    (int32_t)between(&s, -5, 30);
	k->payment_lag_days = between(&s, 0, 5);
	k->advance_rate_bps = between(&s, 1, 10000);
	k->annual_rate_bps = between(&s, 0, 20000);
	k->day_count_basis = between(&s, 0, 1) ? 360 : 365;
	k->fee_bearer = between(&s, 0, 1) ? MODEL_FEE_OEM : MODEL_FEE_SUPPLIER;
	k->eligible_tiers = between(&s, 0, 3) ? 0xe :
	    (unsigned int)between(&s, 1, 7) << 1;
	k->has_max_employees = between(&s, 0, 3) == 0;
	k->max_employees = between(&s, 0, 300);
	k->min_invoice_amount = between(&s, 0, 2) == 0 ?
	    between(&s, 0, 100000) : 0;
	k->requires_opt_in = (int)between(&s, 0, 1);
	k->covers = between(&s, 0, 3) ? MODEL_COVERS_ALL : MODEL_COVERS_OEM;
	k->has_per_supplier_cap = between(&s, 0, 2) == 0;
	k->per_supplier_cap = between(&s, 0, 3000000);
	k->has_facility_limit = !k->has_per_supplier_cap ||
	    between(&s, 0, 1);
	k->facility_limit = between(&s, 0, 1) ? between(&s, 0, 3000000) :
	    between(&s, 0, 30000000);
	if (between(&s, 0, 4) == 0) {
		k->basis = MODEL_BASIS_ORDER;
		k->covers = MODEL_COVERS_OEM;
		k->has_order_lead_days = k->has_true_up_lag_days = 1;
		k->order_lead_days = between(&s, 0, 40);
		k->true_up_lag_days = between(&s, 0, 10);
	}
	/* Some runs uncapped: only a trace then sorts. */
	if (between(&s, 0, 5) == 0)
		k->has_per_supplier_cap = k->has_facility_limit = 0;
}

static struct model *
net_model(const struct net *c, int threads, int sorted)
{
	struct model_opts	 o;
	struct model_error	 e;
	struct model		*m;

	memset(&o, 0, sizeof(o));
	o.threads = threads;
	m = model_alloc(&c->in, &o, &e);
	if (m == NULL)
		fail_msg("seed %llu: %s %zu %s: %s",
		    (unsigned long long)c->seed, e.object, e.index, e.field,
		    e.problem);
	m->net_sorted = sorted;
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
	((struct trace *)arg)->liq[d] = liq;
}

static void
net_trace(const struct net *c, int sorted, size_t s, int64_t L,
    struct trace *t, struct model_result *r)
{
	struct model		*m;
	struct model_trace	 tr;
	struct model_error	 e;

	memset(t, 0, sizeof(*t));
	memset(&tr, 0, sizeof(tr));
	tr.payment = on_pay;
	tr.day = on_day;
	tr.arg = t;
	m = net_model(c, 1, sorted);
	assert_int_equal(model_trace(m, s, L, &tr, r, &e), 0);
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
 * Every L of the sweep (every result, the curve, the breaks) on one
 * thread and two, every run of model_run with the per-link results, and
 * one supplier's trace: the same with the candidates found in order as
 * with every day's candidates sorted.
 */
static void
decisions_in_order_equal_sorted(void **state)
{
	struct net			 c;
	struct model			*m;
	struct model_error		 e;
	struct model_point		 ca[MAXH + 1], cb[MAXH + 1], pa, pb;
	struct model_result		*ra, *rb, xa[MAXS], xb[MAXS];
	struct model_link_result	 la[MAXL], lb[MAXL];
	struct trace			*ta, *tb;
	int64_t				 ba[MAXS], bb[MAXS], H, L;
	size_t				 n, k, s;
	int				 i, th, deep = 0, bound = 0, held = 0;

	(void)state;
	ra = calloc((MAXH + 1) * MAXS, sizeof(*ra));
	rb = calloc((MAXH + 1) * MAXS, sizeof(*rb));
	ta = calloc(1, sizeof(*ta));
	tb = calloc(1, sizeof(*tb));
	assert_non_null(ra);
	assert_non_null(rb);
	assert_non_null(ta);
	assert_non_null(tb);
	for (i = 0; i < cases(); i++) {
		net_make(&c, (uint64_t)i + 31000);
		H = c.in.scenario.horizon_days;
		n = c.in.nsuppliers;
		m = net_model(&c, 1, 1);
		assert_int_equal(model_sweep_results(m, H, ca, ba, ra, &e),
		    0);
		model_free(m);
		for (th = 1; th <= 2; th++) {
			memset(cb, 0, sizeof(cb));
			m = net_model(&c, th, 0);
			assert_int_equal(model_sweep_results(m, H, cb, bb, rb,
			    &e), 0);
			model_free(m);
			for (L = 0; L <= H; L++) {
				if (memcmp(&ca[L], &cb[L], sizeof(ca[L])) != 0)
					fail_msg("seed %d, %d threads, L %lld: "
					    "curves differ", i + 31000, th,
					    (long long)L);
				if (memcmp(ra + (size_t)L * n, rb + (size_t)L *
				    n, sizeof(ra[0]) * n) != 0)
					fail_msg("seed %d, %d threads, L %lld: "
					    "results differ", i + 31000, th,
					    (long long)L);
			}
			assert_memory_equal(ba, bb, sizeof(ba[0]) * n);
		}
		for (L = 0; L <= H; L += 1 + H / 7) {
			m = net_model(&c, 1, 1);
			assert_int_equal(model_run(m, L, xa, &pa, &e), 0);
			assert_int_equal(model_run_links(m, L, xa, la, &e), 0);
			model_free(m);
			m = net_model(&c, 1, 0);
			assert_int_equal(model_run(m, L, xb, &pb, &e), 0);
			assert_int_equal(model_run_links(m, L, xb, lb, &e), 0);
			model_free(m);
			if (memcmp(&pa, &pb, sizeof(pa)) != 0)
				fail_msg("seed %d, L %lld: points differ",
				    i + 31000, (long long)L);
			assert_memory_equal(xa, xb, sizeof(xa[0]) * n);
			if (c.in.nlinks > 0)
				assert_memory_equal(la, lb, sizeof(la[0]) *
				    c.in.nlinks);
			if (pa.peak_facility_use > 0 &&
			    c.scheme.has_facility_limit &&
			    pa.peak_facility_use + 100000 >
			    c.scheme.facility_limit)
				bound++;
		}
		L = (int64_t)((c.seed * 31) % (uint64_t)(H + 1));
		s = (size_t)i % n;
		net_trace(&c, 1, s, L, ta, xa);
		net_trace(&c, 0, s, L, tb, xb);
		assert_memory_equal(ta->liq, tb->liq, sizeof(ta->liq[0]) *
		    (size_t)H);
		assert_memory_equal(xa, xb, sizeof(xa[0]) * n);
		assert_int_equal(ta->npay, tb->npay);
		for (k = 0; k < ta->npay; k++)
			pay_equal(&ta->pay[k], &tb->pay[k]);
		deep += c.scheme.covers == MODEL_COVERS_ALL && c.in.nlinks > 0;
		held += c.in.scenario.payment_freeze_days > 0;
	}
	/* The cases cover what they are meant to. */
	assert_true(deep > cases() / 3);
	assert_true(bound > cases() / 10);
	assert_true(held > cases() / 4);
	free(ra);
	free(rb);
	free(ta);
	free(tb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decisions_in_order_equal_sorted),
	};

	return (cmocka_run_group_tests_name("network decisions in order",
	    tests, NULL, NULL));
}
