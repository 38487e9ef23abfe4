/*
 * The network's fast sweep: the same figures as model_net.c's day-by-day
 * runs, every outage length, when no cap couples the scheme's decisions
 * (no scheme, or an invoice-basis one without per_supplier_cap and
 * facility_limit).
 *
 * The counterfactual is a version-1-like problem: when every customer
 * pays in full on the due day, a firm's link receipts and payments are
 * scheduled flows like its OEM receipts, and each firm can be computed on
 * its own. Its daily flows for L are those of L = H (production stopped
 * the whole horizon) on the days before L and, from L on, those plus a
 * part that depends only on t - L (the ramp, variable costs, projected
 * invoices, their advances): that part is the difference between the
 * flows for the first "regular" length and those for L = H, so each firm
 * is built twice and then scanned once per L from day L, the days before
 * L being a prefix shared by every L. Lengths before the first regular
 * one (L = 0, a restart before the scheme's effective day, projected
 * invoices held to the end of the freeze) are built whole.
 *
 * The run itself differs from the counterfactual only where a customer
 * pays short. A customer that never pays short in the counterfactual
 * (its liquidity at the close of day t-1 always covers what falls due on
 * day t) pays in full in the run too, as long as its own customers do;
 * so every firm outside the closure C of the customers that pay short in
 * the counterfactual under "is a seller to" behaves in the run exactly as
 * in the counterfactual, day by day. Only C is run day by day
 * (model_net_run_within), the customers outside it paying its firms on
 * the due day. The funder's claims in arrears are the only difference
 * in the facility's use (the advances are the same in both runs).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/model_impl.h"

#define CHUNK	64	/* firms per unit of the first phase */

/* A firm's flows by day: one array of H per kind. */
enum {
	X_FL,		/* net cash flow */
	X_DD,		/* what falls due to its sellers */
	X_OD,		/* change in advances outstanding */
	X_EP,		/* advances paid on the day */
	X_FE,		/* their fees */
	X_N
};

struct fsweep {
	struct model		*m;
	int64_t			 L0;
	int64_t			 L1;
	size_t			 nL;
	int64_t			 Lreg;		/* first regular length */
	struct model_point	*curve;		/* nL */
	struct model_result	*all;		/* nL x ns, or NULL */
	int64_t			*cflo;		/* nL x ns when all is NULL */
	uint64_t		*shortb;	/* nL x words: pays short */
	size_t			 words;
	int64_t			*tot;		/* nL x H: outstanding, merged */
	__int128		*ep;		/* nL, merged */
	__int128		*fees;
	int64_t			*brk;		/* per thread: ns each */
	atomic_size_t		 next;
	atomic_int		 failed;
	pthread_mutex_t		 mtx;
	struct model_error	 err;
	int			 phase;
};

struct fworker {
	struct fsweep	*sw;
	int		 id;
	pthread_t	 tid;
	/* Phase 1. */
	int64_t		*st[X_N];	/* L = H */
	int64_t		*rl[X_N];	/* the part relative to L */
	int64_t		*x[X_N];	/* one length built whole */
	int64_t		*pc;		/* prefix of L = H: cash */
	int64_t		*plo;
	int64_t		*ploday;
	int64_t		*pbr;
	int64_t		*psh;
	int64_t		*pout;
	int64_t		*tot;		/* nL x H */
	__int128	*ep;
	__int128	*fees;
	int		 ovf;
	/* Phase 2. */
	struct model_net	*n;
	struct model_net	*stop;		/* the stopped run, or NULL */
	int			 stopped;	/* ... begun */
	uint8_t			*in;
	size_t			*sim;
	size_t			*cus;
	uint8_t			*seen;
	struct model_result	*res;
	int64_t			*fdelta;
};

static int64_t
level(const struct model *m, int64_t L, int64_t t)
{
	if (L == 0)
		return (MODEL_BPS_MAX);
	if (t < L)
		return (0);
	return (t - L < m->nramp ? m->ramp[t - L] : MODEL_BPS_MAX);
}

/* An accepted advance of amt, paid on E and due on P. */
static void
advance(const struct model *m, int64_t **x, int64_t E, int64_t P,
    int64_t amt, int *ovf)
{
	int64_t	adv, fee, sfee;

	adv = model_bps(amt, m->scheme.advance_rate_bps);
	fee = model_sim_fee(m, adv, P - E, ovf);
	sfee = m->scheme.fee_bearer == MODEL_FEE_OEM ? 0 : fee;
	x[X_FL][E] += adv - sfee;
	x[X_EP][E] += adv;
	x[X_FE][E] += fee;
	x[X_OD][E] += adv;
	if (P < m->H) {
		x[X_FL][P] += amt - adv;
		x[X_OD][P] -= adv;
	}
}

/*
 * Firm s's counterfactual flows for outage length L, day by day, as the
 * model states them: its own costs, the OEM's invoices (early or at
 * maturity), its link invoices as seller (deep tier: early or at the due
 * day, paid in full by the customer) and as customer (paid in full on
 * the due day).
 */
static void
build(const struct model *m, size_t s, int64_t L, int64_t **x, int *ovf)
{
	const struct model_supplier	*p = &m->in.suppliers[s];
	const struct model_link		*lk;
	int64_t				 H = m->H, F = m->F, t, u, k, lvl;
	int64_t				 sales, amt, P, E, T, frel, lsum, min;
	size_t				 i, j;
	int				 elig, deep;

	for (i = 0; i < X_N; i++)
		memset(x[i], 0, (size_t)H * sizeof(int64_t));
	elig = m->has_scheme && m->elig[s] && m->E0 < H;
	deep = elig && m->scheme.covers == MODEL_COVERS_ALL;
	min = m->has_scheme ? m->scheme.min_invoice_amount : 0;
	frel = model_bps(p->fixed_daily_costs,
	    MODEL_BPS_MAX - m->in.scenario.fixed_cost_relief_bps);
	lsum = 0;
	for (i = m->sl_off[s]; i < m->sl_off[s + 1]; i++)
		lsum += m->in.links[m->sl_idx[i]].daily_sales;
	for (t = 0; t < H; t++) {
		if (t < L) {
			x[X_FL][t] = p->other_daily_receipts - frel;
			continue;
		}
		lvl = level(m, L, t);
		if (lvl == MODEL_BPS_MAX)
			sales = p->oem_daily_sales + lsum;
		else {
			sales = model_bps(p->oem_daily_sales, lvl);
			for (i = m->sl_off[s]; i < m->sl_off[s + 1]; i++)
				sales += model_bps(
				    m->in.links[m->sl_idx[i]].daily_sales, lvl);
		}
		x[X_FL][t] = p->other_daily_receipts - p->fixed_daily_costs -
		    model_bps(sales, p->variable_cost_bps);
	}
	for (j = m->inv_off[s]; j < m->inv_off[s + 1]; j++) {
		amt = m->inv_amt[j];
		P = m->inv_due[j] > F ? m->inv_due[j] : F;
		if (elig && amt >= min && m->E0 < P)
			advance(m, x, m->E0, P, amt, ovf);
		else if (P < H)
			x[X_FL][P] += amt;
	}
	T = p->payment_terms_days;
	for (u = L == 0 ? 0 : L; u < H; u++) {
		amt = model_bps(p->oem_daily_sales, level(m, L, u));
		if (amt == 0)
			continue;
		P = u + T > F ? u + T : F;
		E = (u > m->e ? u : m->e) + m->lag;
		if (elig && amt >= min && E < P && E < H)
			advance(m, x, E, P, amt, ovf);
		else if (P < H)
			x[X_FL][P] += amt;
	}
	for (i = m->sl_off[s]; i < m->sl_off[s + 1]; i++) {
		lk = &m->in.links[m->sl_idx[i]];
		T = lk->payment_terms_days;
		if (lk->daily_sales == 0)
			continue;
		/* Due past the horizon, it may still be advanced within it. */
		for (k = 0; k < T; k++) {
			if (deep && lk->daily_sales >= min && m->E0 < k)
				advance(m, x, m->E0, k, lk->daily_sales, ovf);
			else if (k < H)
				x[X_FL][k] += lk->daily_sales;
			else
				break;
		}
		for (u = L == 0 ? 0 : L; u < H; u++) {
			amt = model_bps(lk->daily_sales, level(m, L, u));
			if (amt == 0)
				continue;
			P = u + T;
			E = (u > m->e ? u : m->e) + m->lag;
			if (deep && amt >= min && E < P && E < H)
				advance(m, x, E, P, amt, ovf);
			else if (P < H)
				x[X_FL][P] += amt;
		}
	}
	for (i = m->cl_off[s]; i < m->cl_off[s + 1]; i++) {
		T = m->cl_T[i];
		if (m->cl_ds[i] == 0)
			continue;
		for (k = 0; k < T && k < H; k++) {
			x[X_DD][k] += m->cl_ds[i];
			x[X_FL][k] -= m->cl_ds[i];
		}
		for (u = L == 0 ? 0 : L; u + T < H; u++) {
			amt = model_bps(m->cl_ds[i], level(m, L, u));
			x[X_DD][u + T] += amt;
			x[X_FL][u + T] -= amt;
		}
	}
}

/* The first outage length from which every firm's flows shift with L. */
static int64_t
first_regular(const struct model *m)
{
	int64_t	r = 1;

	if (m->F > r)
		r = m->F;
	if (m->has_scheme && m->e > r)
		r = m->e;
	return (r);
}

static int
worker_alloc(struct fworker *w, const struct model *m, size_t nL)
{
	size_t	H = (size_t)m->H + 1, i;

	for (i = 0; i < X_N; i++) {
		w->st[i] = calloc(H, sizeof(int64_t));
		w->rl[i] = calloc(H, sizeof(int64_t));
		w->x[i] = calloc(H, sizeof(int64_t));
		if (w->st[i] == NULL || w->rl[i] == NULL || w->x[i] == NULL)
			return (-1);
	}
	w->pc = calloc(H, sizeof(int64_t));
	w->plo = calloc(H, sizeof(int64_t));
	w->ploday = calloc(H, sizeof(int64_t));
	w->pbr = calloc(H, sizeof(int64_t));
	w->psh = calloc(H, sizeof(int64_t));
	w->pout = calloc(H, sizeof(int64_t));
	w->tot = calloc(nL * H, sizeof(int64_t));
	w->ep = calloc(nL, sizeof(__int128));
	w->fees = calloc(nL, sizeof(__int128));
	if (w->pc == NULL || w->plo == NULL || w->ploday == NULL ||
	    w->pbr == NULL || w->psh == NULL || w->pout == NULL ||
	    w->tot == NULL || w->ep == NULL || w->fees == NULL)
		return (-1);
	return (0);
}

static void
worker_free(struct fworker *w)
{
	size_t	i;

	for (i = 0; i < X_N; i++) {
		free(w->st[i]);
		free(w->rl[i]);
		free(w->x[i]);
	}
	free(w->pc);
	free(w->plo);
	free(w->ploday);
	free(w->pbr);
	free(w->psh);
	free(w->pout);
	free(w->tot);
	free(w->ep);
	free(w->fees);
	model_net_free(w->n);
	model_net_free(w->stop);
	free(w->in);
	free(w->sim);
	free(w->cus);
	free(w->seen);
	free(w->res);
	free(w->fdelta);
}

/* Where a scan stands after a day. */
struct scan {
	int64_t	c;
	int64_t	liq;
	int64_t	lo;
	int64_t	loday;
	int64_t	breach;
	int64_t	shortday;
	int64_t	out;
};

static inline void
scan_day(struct scan *sc, const struct model_supplier *p, int64_t t,
    int64_t fl, int64_t dd)
{
	if (sc->shortday == MODEL_NONE && dd > 0 && sc->liq < dd)
		sc->shortday = t;
	sc->c += fl;
	sc->liq = sc->c + p->credit_available;
	if (sc->liq < sc->lo) {
		sc->lo = sc->liq;
		sc->loday = t;
	}
	if (sc->breach == MODEL_NONE && sc->liq < p->min_liquidity)
		sc->breach = t;
}

/* Firm s's counterfactual for L, its flows from the arrays of w. */
static void
firm_L(struct fworker *w, size_t s, int64_t L, int whole)
{
	struct fsweep			*sw = w->sw;
	const struct model		*m = sw->m;
	const struct model_supplier	*p = &m->in.suppliers[s];
	struct model_result		*r;
	struct scan			 sc;
	int64_t				 H = m->H, t, t0, fl, dd, od, *tot;
	__int128			 ep = 0, fees = 0;
	size_t				 k = (size_t)(L - sw->L0);
	int				 scheme = m->has_scheme;

	tot = w->tot + k * (size_t)H;
	memset(&sc, 0, sizeof(sc));
	sc.c = p->cash;
	sc.liq = p->cash + p->credit_available;
	sc.lo = INT64_MAX;
	sc.breach = sc.shortday = MODEL_NONE;
	t0 = 0;
	if (!whole && L > 0) {
		/* The days before L: the prefix of L = H. */
		t0 = L;
		sc.c = w->pc[L - 1];
		sc.liq = sc.c + p->credit_available;
		sc.lo = w->plo[L - 1];
		sc.loday = w->ploday[L - 1];
		sc.breach = w->pbr[L - 1];
		sc.shortday = w->psh[L - 1];
		sc.out = w->pout[L - 1];
		if (scheme)
			for (t = 0; t < L; t++) {
				ep += w->st[X_EP][t];
				fees += w->st[X_FE][t];
				if (w->pout[t] != 0 && __builtin_add_overflow(
				    tot[t], w->pout[t], &tot[t]))
					w->ovf = 1;
			}
	}
	for (t = t0; t < H; t++) {
		if (whole) {
			fl = w->x[X_FL][t];
			dd = w->x[X_DD][t];
		} else {
			fl = w->st[X_FL][t] + w->rl[X_FL][t - L];
			dd = w->st[X_DD][t] + w->rl[X_DD][t - L];
		}
		scan_day(&sc, p, t, fl, dd);
		if (!scheme)
			continue;
		if (whole) {
			od = w->x[X_OD][t];
			ep += w->x[X_EP][t];
			fees += w->x[X_FE][t];
		} else {
			od = w->st[X_OD][t] + w->rl[X_OD][t - L];
			ep += w->st[X_EP][t] + w->rl[X_EP][t - L];
			fees += w->st[X_FE][t] + w->rl[X_FE][t - L];
		}
		sc.out += od;
		if (sc.out != 0 &&
		    __builtin_add_overflow(tot[t], sc.out, &tot[t]))
			w->ovf = 1;
	}
	w->ep[k] += ep;
	w->fees[k] += fees;
	if (sc.shortday != MODEL_NONE)
		sw->shortb[k * sw->words + s / 64] |= 1ULL << (s % 64);
	if (sw->all != NULL) {
		r = &sw->all[k * m->ns + s];
		memset(r, 0, sizeof(*r));
		r->breach_day = sc.breach;
		r->lowest_liquidity = sc.lo;
		r->lowest_liquidity_day = sc.loday;
		r->funding_gap = p->min_liquidity - sc.lo > 0 ?
		    p->min_liquidity - sc.lo : 0;
		r->early_paid = (int64_t)ep;
		r->fees = (int64_t)fees;
	} else
		sw->cflo[k * m->ns + s] = sc.lo;
}

/* Phase 1: firms [a, b), every L of the sweep, in the counterfactual. */
static void
firms_unit(struct fworker *w, size_t a, size_t b)
{
	struct fsweep			*sw = w->sw;
	const struct model		*m = sw->m;
	const struct model_supplier	*p;
	struct scan			 sc;
	int64_t				 H = m->H, L, t, i;
	size_t				 s, k;
	int				 shifted;

	for (s = a; s < b; s++) {
		p = &m->in.suppliers[s];
		shifted = sw->Lreg <= sw->L1;
		if (shifted) {
			build(m, s, H, w->st, &w->ovf);
			build(m, s, sw->Lreg, w->x, &w->ovf);
			for (k = 0; k < X_N; k++)
				for (i = 0; i + sw->Lreg < H; i++)
					w->rl[k][i] = w->x[k][sw->Lreg + i] -
					    w->st[k][sw->Lreg + i];
			memset(&sc, 0, sizeof(sc));
			sc.c = p->cash;
			sc.liq = p->cash + p->credit_available;
			sc.lo = INT64_MAX;
			sc.breach = sc.shortday = MODEL_NONE;
			for (t = 0; t < H; t++) {
				scan_day(&sc, p, t, w->st[X_FL][t],
				    w->st[X_DD][t]);
				sc.out += w->st[X_OD][t];
				w->pc[t] = sc.c;
				w->plo[t] = sc.lo;
				w->ploday[t] = sc.loday;
				w->pbr[t] = sc.breach;
				w->psh[t] = sc.shortday;
				w->pout[t] = sc.out;
			}
		}
		for (L = sw->L0; L <= sw->L1; L++) {
			if (shifted && L >= sw->Lreg)
				firm_L(w, s, L, 0);
			else {
				build(m, s, L, w->x, &w->ovf);
				firm_L(w, s, L, 1);
			}
		}
	}
}

/*
 * Phase 2, one L: the customers that pay short in the counterfactual,
 * the closure of their sellers, that closure run day by day, and the
 * curve's point from the run's results there and the counterfactual's
 * elsewhere.
 */
static int
length_unit(struct fworker *w, int64_t L, struct model_error *err)
{
	struct fsweep			*sw = w->sw;
	const struct model		*m = sw->m;
	const struct model_supplier	*p;
	const struct model_result	*r;
	struct model_point		*pt;
	struct model_result		 cf;
	size_t				 k = (size_t)(L - sw->L0), ns = m->ns;
	size_t				 s, nsim = 0, ncus = 0, h, i, x, cu;
	const uint64_t			*sb = sw->shortb + k * sw->words;
	int64_t				 otc = 0, fo = 0, t, v, best, lo;
	int64_t				*tot = sw->tot + k * (size_t)m->H;
	int64_t				*brk = sw->brk + (size_t)w->id * ns;
	__int128			 emp = 0, gap = 0;
	int64_t				 below = 0, cont = 0;
	int				 any = 0, breach, cfbreach;

	for (i = 0; i < sw->words; i++)
		any |= sb[i] != 0;
	if (any) {
		memset(w->in, 0, ns);
		for (s = 0; s < ns; s++)
			if ((sb[s / 64] >> (s % 64)) & 1) {
				w->in[s] = 1;
				w->sim[nsim++] = s;
			}
		/* Every seller of a firm in is in. */
		for (h = 0; h < nsim; h++) {
			x = w->sim[h];
			for (i = m->cl_off[x]; i < m->cl_off[x + 1]; i++)
				if (!w->in[m->cl_sel[i]]) {
					w->in[m->cl_sel[i]] = 1;
					w->sim[nsim++] = m->cl_sel[i];
				}
		}
		/* In index order, as the reference runs them. */
		for (h = 0, nsim = 0; h < ns; h++)
			if (w->in[h])
				w->sim[nsim++] = h;
		memset(w->seen, 0, ns);
		for (h = 0; h < nsim; h++) {
			x = w->sim[h];
			for (i = m->sl_off[x]; i < m->sl_off[x + 1]; i++) {
				cu = m->lends[2 * m->sl_idx[i] + 1];
				w->seen[cu] = 1;
			}
		}
		for (h = 0; h < ns; h++)
			if (w->seen[h])
				w->cus[ncus++] = h;
		/* The days before L are shared: see model_net_stop_begin. */
		if (w->stop != NULL && L >= 1 && L < m->H) {
			if (!w->stopped)
				model_net_stop_begin(w->stop);
			w->stopped = 1;
			if (model_net_stop_to(w->stop, L) == -1) {
				model_error_set(err, MODEL_ERR_NOMEM, "run", 0,
				    "", "", "out of memory");
				return (-1);
			}
			if (model_net_run_from(w->n, L, w->stop, w->in, w->sim,
			    nsim, w->cus, ncus, w->res, w->fdelta, &otc, &fo,
			    err) == -1)
				return (-1);
		} else if (model_net_run_within(w->n, L, w->in, w->sim, nsim,
		    w->cus, ncus, w->res, w->fdelta, &otc, &fo, err) == -1)
			return (-1);
	}

	pt = &sw->curve[k];
	memset(pt, 0, sizeof(*pt));
	pt->outage_days = L;
	for (s = 0; s < ns; s++) {
		p = &m->in.suppliers[s];
		if (sw->all != NULL) {
			cf = sw->all[k * ns + s];
			lo = cf.lowest_liquidity;
		} else
			lo = sw->cflo[k * ns + s];
		cfbreach = lo < p->min_liquidity;
		if (any && w->in[s]) {
			r = &w->res[s];
			lo = r->lowest_liquidity;
			breach = r->breach_day != MODEL_NONE;
			if (breach && !cfbreach) {
				w->res[s].contagion = 1;
				cont++;
			}
			if (sw->all != NULL)
				sw->all[k * ns + s] = *r;
		} else
			breach = cfbreach;
		if (breach) {
			below++;
			emp += p->employees;
			if (brk[s] == MODEL_NONE || L < brk[s])
				brk[s] = L;
		}
		if (p->min_liquidity - lo > 0)
			gap += (__int128)p->min_liquidity - lo;
	}
	pt->suppliers_below = below;
	pt->suppliers_below_contagion = cont;
	pt->overdue_trade_credit = otc;
	pt->funder_overdue = fo;
	if (m->has_scheme) {
		best = 0;
		for (t = 0; t < m->H; t++) {
			if (__builtin_add_overflow(tot[t], any ? w->fdelta[t] :
			    0, &v))
				goto ovf;
			best = v > best ? v : best;
		}
		pt->peak_facility_use = best;
	}
	if (emp > INT64_MAX || gap > INT64_MAX || sw->ep[k] > INT64_MAX ||
	    sw->fees[k] > INT64_MAX)
		goto ovf;
	pt->employees_at_risk = (int64_t)emp;
	pt->funding_gap = (int64_t)gap;
	pt->early_paid = (int64_t)sw->ep[k];
	pt->fees = (int64_t)sw->fees[k];
	if (m->has_scheme && m->scheme.fee_bearer == MODEL_FEE_OEM)
		pt->oem_cost = pt->fees;
	return (0);
ovf:
	model_error_set(err, MODEL_ERR_OVERFLOW, "run", 0, "", "",
	    "totals too large for 64-bit money");
	return (-1);
}

static void
fail(struct fsweep *sw, const struct model_error *err)
{
	pthread_mutex_lock(&sw->mtx);
	if (!atomic_load(&sw->failed))
		sw->err = *err;
	atomic_store(&sw->failed, 1);
	pthread_mutex_unlock(&sw->mtx);
}

static void *
worker_main(void *arg)
{
	struct fworker		*w = arg;
	struct fsweep		*sw = w->sw;
	const struct model	*m = sw->m;
	struct model_error	 err;
	size_t			 u, a, b, units;

	if (sw->phase == 1) {
		units = (m->ns + CHUNK - 1) / CHUNK;
		while (!atomic_load(&sw->failed) &&
		    (u = atomic_fetch_add(&sw->next, 1)) < units) {
			a = u * CHUNK;
			b = a + CHUNK < m->ns ? a + CHUNK : m->ns;
			firms_unit(w, a, b);
		}
		if (w->ovf) {
			model_error_set(&err, MODEL_ERR_OVERFLOW, "run", 0, "",
			    "", "figures too large for 64-bit money");
			fail(sw, &err);
		}
		return (NULL);
	}
	while (!atomic_load(&sw->failed) &&
	    (u = atomic_fetch_add(&sw->next, 1)) < sw->nL) {
		if (length_unit(w, sw->L0 + (int64_t)u, &err) == -1)
			fail(sw, &err);
		if (w->id == 0 && m->progress != NULL)
			m->progress(m->progress_arg, u + 1, sw->nL);
	}
	return (NULL);
}

/* Run the phase on nt threads, the caller's among them. */
static void
run_phase(struct fsweep *sw, struct fworker *w, int nt, int phase)
{
	int	i, started[64];

	sw->phase = phase;
	atomic_store(&sw->next, 0);
	for (i = 1; i < nt; i++)
		started[i] = pthread_create(&w[i].tid, NULL, worker_main,
		    &w[i]) == 0;
	worker_main(&w[0]);
	for (i = 1; i < nt; i++)
		if (started[i])
			pthread_join(w[i].tid, NULL);
}

/* Whether the fast sweep gives the reference's figures for this input. */
int
model_net_fast_ok(const struct model *m)
{
	return (!m->reference && !model_order(m) && (!m->has_scheme ||
	    (!m->scheme.has_per_supplier_cap &&
	    !m->scheme.has_facility_limit)));
}

/*
 * Lengths L0..L1: curve[L - L0], breaks (the first L of the range with a
 * breach, or NULL), all (rows L - L0 of one result per supplier, or
 * NULL).
 */
int
model_net_fast_sweep(struct model *m, int64_t L0, int64_t L1,
    struct model_point *curve, int64_t *breaks, struct model_result *all,
    struct model_error *err)
{
	struct fsweep	 sw;
	struct fworker	*w = NULL;
	size_t		 ns = m->ns, H = (size_t)m->H, nL, s, k, t;
	int		 nt, i, rc = -1;

	nL = (size_t)(L1 - L0 + 1);
	nt = m->threads;
	if (nt > 64)
		nt = 64;
	if (nt < 1)
		nt = 1;
	memset(&sw, 0, sizeof(sw));
	sw.m = m;
	sw.L0 = L0;
	sw.L1 = L1;
	sw.nL = nL;
	sw.Lreg = first_regular(m);
	if (sw.Lreg > m->H)
		sw.Lreg = m->H;
	sw.curve = curve;
	sw.all = all;
	sw.words = (ns + 63) / 64;
	atomic_init(&sw.next, 0);
	atomic_init(&sw.failed, 0);
	pthread_mutex_init(&sw.mtx, NULL);
	if (all == NULL)
		sw.cflo = calloc(nL * ns + 1, sizeof(int64_t));
	sw.shortb = calloc(nL * sw.words + 1, sizeof(uint64_t));
	sw.tot = calloc(nL * H + 1, sizeof(int64_t));
	sw.ep = calloc(nL, sizeof(__int128));
	sw.fees = calloc(nL, sizeof(__int128));
	sw.brk = calloc((size_t)nt * ns + 1, sizeof(int64_t));
	w = calloc((size_t)nt, sizeof(*w));
	if ((all == NULL && sw.cflo == NULL) || sw.shortb == NULL ||
	    sw.tot == NULL || sw.ep == NULL || sw.fees == NULL ||
	    sw.brk == NULL || w == NULL)
		goto nomem;
	for (k = 0; k < (size_t)nt * ns; k++)
		sw.brk[k] = MODEL_NONE;
	for (i = 0; i < nt; i++) {
		w[i].sw = &sw;
		w[i].id = i;
		if (worker_alloc(&w[i], m, nL) == -1)
			goto nomem;
	}
	run_phase(&sw, w, nt, 1);
	if (atomic_load(&sw.failed))
		goto failed;
	for (i = 0; i < nt; i++) {
		for (k = 0; k < nL; k++) {
			sw.ep[k] += w[i].ep[k];
			sw.fees[k] += w[i].fees[k];
			for (t = 0; t < H; t++)
				if (__builtin_add_overflow(sw.tot[k * H + t],
				    w[i].tot[k * H + t], &sw.tot[k * H + t])) {
					model_error_set(err, MODEL_ERR_OVERFLOW,
					    "run", 0, "", "", "totals too large "
					    "for 64-bit money");
					goto out;
				}
		}
		/* Phase 1's space is not needed any more. */
		free(w[i].tot);
		w[i].tot = NULL;
		w[i].n = model_net_alloc(m);
		/* Not with deep-tier financing: its claims are not copied. */
		if (sw.nL > 1 && !(m->has_scheme &&
		    m->scheme.covers == MODEL_COVERS_ALL) &&
		    (w[i].stop = model_net_alloc(m)) == NULL)
			goto nomem;
		w[i].in = calloc(ns + 1, 1);
		w[i].seen = calloc(ns + 1, 1);
		w[i].sim = calloc(ns + 1, sizeof(size_t));
		w[i].cus = calloc(ns + 1, sizeof(size_t));
		w[i].res = calloc(ns + 1, sizeof(struct model_result));
		w[i].fdelta = calloc(H + 1, sizeof(int64_t));
		if (w[i].n == NULL || w[i].in == NULL || w[i].seen == NULL ||
		    w[i].sim == NULL || w[i].cus == NULL || w[i].res == NULL ||
		    w[i].fdelta == NULL)
			goto nomem;
	}
	run_phase(&sw, w, nt > (int)nL ? (int)nL : nt, 2);
	if (atomic_load(&sw.failed))
		goto failed;
	if (breaks != NULL)
		for (s = 0; s < ns; s++) {
			breaks[s] = MODEL_NONE;
			for (i = 0; i < nt; i++) {
				k = (size_t)i * ns + s;
				if (sw.brk[k] != MODEL_NONE &&
				    (breaks[s] == MODEL_NONE ||
				    sw.brk[k] < breaks[s]))
					breaks[s] = sw.brk[k];
			}
		}
	rc = 0;
	goto out;
failed:
	if (err != NULL)
		*err = sw.err;
	goto out;
nomem:
	model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
	    "out of memory");
out:
	if (w != NULL)
		for (i = 0; i < nt; i++)
			worker_free(&w[i]);
	free(w);
	free(sw.cflo);
	free(sw.shortb);
	free(sw.tot);
	free(sw.ep);
	free(sw.fees);
	free(sw.brk);
	pthread_mutex_destroy(&sw.mtx);
	return (rc);
}
