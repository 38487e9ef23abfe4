/*
 * One supplier, one outage length, day by day: the liquidity model read
 * literally. It is the reference the faster paths are tested against, the
 * path used for the chosen outage length (it yields breach and lowest days)
 * and for traces, and the only path when a cap couples a supplier's
 * candidates together.
 */
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/model_impl.h"

/* This supplier's sales and variable costs per production level. */
void
model_sim_prepare(const struct model *m, struct model_scratch *sc, size_t s)
{
	const struct model_supplier	*p = &m->in.suppliers[s];
	int64_t				 k;

	sc->sfull = p->oem_daily_sales;
	sc->vfull = model_bps(sc->sfull, p->variable_cost_bps);
	sc->frelief = model_bps(p->fixed_daily_costs,
	    MODEL_BPS_MAX - m->in.scenario.fixed_cost_relief_bps);
	for (k = 0; k < m->nramp; k++) {
		sc->sr[k] = model_bps(p->oem_daily_sales, m->ramp[k]);
		sc->vr[k] = model_bps(sc->sr[k], p->variable_cost_bps);
	}
}

/* sales(u) for outage length L. */
int64_t
model_sim_sales(const struct model *m, const struct model_scratch *sc,
    int64_t L, int64_t u)
{
	if (L == 0)
		return (sc->sfull);
	if (u < L)
		return (0);
	return (u - L < m->nramp ? sc->sr[u - L] : sc->sfull);
}

static int64_t
variable(const struct model *m, const struct model_scratch *sc, int64_t L,
    int64_t t)
{
	if (L == 0)
		return (sc->vfull);
	if (t < L)
		return (0);
	return (t - L < m->nramp ? sc->vr[t - L] : sc->vfull);
}

/*
 * fee = rhe(advance * annual_rate_bps * days, 10000 * basis). In 64 bits
 * when the product fits, which is every realistic case; the divisor is a
 * constant per branch so the division is a multiplication.
 */
int64_t
model_sim_fee(const struct model *m, int64_t adv, int64_t days, int *ovf)
{
	int64_t	p, q, r, d, v;

	if (__builtin_mul_overflow(adv, m->scheme.annual_rate_bps, &p) ||
	    __builtin_mul_overflow(p, days, &p) || p < 0) {
		if (money_fee(adv, m->scheme.annual_rate_bps, days,
		    m->scheme.day_count_basis, &v) == -1) {
			*ovf = 1;
			return (0);
		}
		return (v);
	}
	if (m->scheme.day_count_basis == 365) {
		d = 3650000;
		q = p / 3650000;
		r = p % 3650000;
	} else {
		d = 3600000;
		q = p / 3600000;
		r = p % 3600000;
	}
	if (2 * r > d || (2 * r == d && (q & 1) != 0))
		q++;
	return (q);
}

static void
pay(struct model_scratch *sc, int64_t H, int64_t day, int64_t inv,
    int64_t u, enum model_pay_kind kind, int64_t gross, int64_t fee)
{
	struct model_payment	*p;
	size_t			 n;

	if (sc->trace == NULL || day >= H || sc->nomem)
		return;
	if (sc->npays == sc->maxpays) {
		n = sc->maxpays == 0 ? 64 : sc->maxpays * 2;
		p = reallocarray(sc->pays, n, sizeof(*p));
		if (p == NULL) {
			sc->nomem = 1;
			return;
		}
		sc->pays = p;
		sc->maxpays = n;
	}
	p = &sc->pays[sc->npays++];
	p->day = day;
	p->invoice = inv;
	p->approved_day = u;
	p->customer = MODEL_NONE;
	p->kind = kind;
	p->gross = gross;
	p->fee = fee;
	p->net = gross - fee;
}

struct supp {
	const struct model		*m;
	struct model_scratch		*sc;
	const struct model_decisions	*dec;
	size_t				 s;
	int64_t				 H;
	int64_t				 out;		/* advances outstanding */
	int64_t				 ep;
	int64_t				 fees;
	int				 capped;
	int64_t				 cap;
	/* The last advance and fee: at full production, every day's. */
	int64_t				 mamt;
	int64_t				 mdays;
	int64_t				 madv;
	int64_t				 mfee;
	/* Order basis: the same, both parts of the fee. */
	int64_t				 oamt;
	int64_t				 odays;
	int64_t				 otdays;
	int64_t				 oadv;
	int64_t				 ofee;
	int64_t				 otfee;
};

/* A candidate early payment on day t: accept it or pay it whole at P. */
static void
offer(struct supp *x, int64_t t, int64_t inv, int64_t u, int64_t amt,
    int64_t P)
{
	const struct model	*m = x->m;
	struct model_scratch	*sc = x->sc;
	int64_t			 adv, fee, sfee, sum;
	int			 accept;

	if (amt != x->mamt || P - t != x->mdays) {
		x->mamt = amt;
		x->mdays = P - t;
		x->madv = model_bps(amt, m->scheme.advance_rate_bps);
		x->mfee = model_sim_fee(m, x->madv, P - t, &sc->ovf);
	}
	adv = x->madv;
	fee = x->mfee;
	if (x->dec != NULL) {
		if (inv >= 0)
			accept = (x->dec->open[inv / 64] >> (inv % 64)) & 1;
		else
			accept = model_proj_test(m, x->dec, x->s, u);
	} else if (x->capped)
		accept = !__builtin_add_overflow(x->out, adv, &sum) &&
		    sum <= x->cap;
	else
		accept = 1;
	if (!accept) {
		if (P < x->H)
			sc->rec[P] += amt;
		pay(sc, x->H, P, inv, u, MODEL_PAY_MATURITY, amt, 0);
		return;
	}
	x->out += adv;
	x->ep += adv;
	x->fees += fee;
	sfee = m->scheme.fee_bearer == MODEL_FEE_OEM ? 0 : fee;
	sc->rec[t] += adv - sfee;
	pay(sc, x->H, t, inv, u, MODEL_PAY_EARLY, adv, sfee);
	if (P < x->H) {
		sc->repay[P] += adv;
		sc->rec[P] += amt - adv;
		pay(sc, x->H, P, inv, u, MODEL_PAY_REMAINDER, amt - adv, 0);
	}
}

/*
 * Day E0: every open candidate and every projected one approved on or
 * before the effective day, merged by P; on equal P open invoices go
 * first, each list already being in the model's order.
 */
static void
offer_first_day(struct supp *x, int64_t L, int64_t T)
{
	const struct model	*m = x->m;
	int64_t			 E0 = m->E0, F = m->F, H = x->H;
	int64_t			 Po, Pp, u, ulast, amt;
	size_t			 j, end;

	j = m->inv_off[x->s];
	end = m->inv_off[x->s + 1];
	u = 0;
	ulast = m->e > 0 ? m->e : 0;
	if (ulast > H - 1)
		ulast = H - 1;
	Po = Pp = amt = 0;
	for (;;) {
		/* Next open candidate. */
		for (; j < end; j++) {
			Po = m->inv_due[j] > F ? m->inv_due[j] : F;
			if (m->inv_amt[j] >= m->scheme.min_invoice_amount &&
			    E0 < Po)
				break;
		}
		/* Next projected candidate. */
		for (; u <= ulast; u++) {
			amt = model_sim_sales(m, x->sc, L, u);
			Pp = u + T > F ? u + T : F;
			if (amt > 0 && amt >= m->scheme.min_invoice_amount &&
			    E0 < Pp)
				break;
		}
		if (j < end && (u > ulast || Po <= Pp)) {
			offer(x, E0, (int64_t)m->inv_idx[j], MODEL_NONE,
			    m->inv_amt[j], Po);
			j++;
		} else if (u <= ulast) {
			offer(x, E0, MODEL_NONE, u, amt, Pp);
			u++;
		} else
			break;
	}
}

/*
 * Order basis: whether the delivery of day u is a candidate, and on
 * which day E it is offered and P it matures.
 */
static int
order_candidate(const struct supp *x, int64_t L, int64_t T, int64_t u,
    int64_t *amt, int64_t *E, int64_t *P)
{
	const struct model	*m = x->m;

	*amt = model_sim_sales(m, x->sc, L, u);
	*P = u + T > m->F ? u + T : m->F;
	*E = model_order_early(m, u);
	return (*amt > 0 && *amt >= m->scheme.min_invoice_amount &&
	    *E < *P && *E < x->H);
}

/*
 * Order basis: the candidate delivered on day u, offered on day t = E.
 * Accepted, the prepayment is paid on E and the rest on the true-up day
 * when it comes before P (both funded, the fee in two parts), else by
 * the OEM at P; what is funded is outstanding from E to P.
 */
static void
offer_order(struct supp *x, int64_t t, int64_t u, int64_t amt, int64_t P)
{
	const struct model	*m = x->m;
	struct model_scratch	*sc = x->sc;
	int64_t			 adv, rest, fin, fee1, fee2, sfee1, sfee2;
	int64_t			 tu, sum;
	int			 accept, funded;

	tu = model_order_true_up(m, u, t);
	funded = tu < P;
	if (amt != x->oamt || P - t != x->odays ||
	    (funded ? P - tu : -1) != x->otdays) {
		x->oamt = amt;
		x->odays = P - t;
		x->otdays = funded ? P - tu : -1;
		x->oadv = model_bps(amt, m->scheme.advance_rate_bps);
		x->ofee = model_sim_fee(m, x->oadv, P - t, &sc->ovf);
		x->otfee = funded ? model_sim_fee(m, amt - x->oadv, P - tu,
		    &sc->ovf) : 0;
	}
	adv = x->oadv;
	rest = amt - adv;
	fin = funded ? amt : adv;
	if (x->dec != NULL)
		accept = model_proj_test(m, x->dec, x->s, u);
	else if (x->capped)
		accept = !__builtin_add_overflow(x->out, fin, &sum) &&
		    sum <= x->cap;
	else
		accept = 1;
	if (!accept) {
		if (P < x->H)
			sc->rec[P] += amt;
		pay(sc, x->H, P, MODEL_NONE, u, MODEL_PAY_MATURITY, amt, 0);
		return;
	}
	fee1 = x->ofee;
	fee2 = x->otfee;
	x->out += fin;
	x->ep += fin;
	x->fees += fee1 + fee2;
	sfee1 = m->scheme.fee_bearer == MODEL_FEE_OEM ? 0 : fee1;
	sfee2 = m->scheme.fee_bearer == MODEL_FEE_OEM ? 0 : fee2;
	sc->rec[t] += adv - sfee1;
	pay(sc, x->H, t, MODEL_NONE, u, MODEL_PAY_PREPAYMENT, adv, sfee1);
	if (funded) {
		if (tu < x->H)
			sc->rec[tu] += rest - sfee2;
		pay(sc, x->H, tu, MODEL_NONE, u, MODEL_PAY_TRUE_UP, rest,
		    sfee2);
	} else if (P < x->H) {
		sc->rec[P] += rest;
		pay(sc, x->H, P, MODEL_NONE, u, MODEL_PAY_REMAINDER, rest, 0);
	}
	if (P < x->H)
		sc->repay[P] += fin;
}

/*
 * Order basis, before the days: open invoices are never candidates (they
 * were ordered before the scheme), nor are deliveries that fail the
 * rules; all of those are paid at P.
 */
static void
order_maturities(struct supp *x, int64_t L, int64_t T, int elig)
{
	const struct model	*m = x->m;
	struct model_scratch	*sc = x->sc;
	int64_t			 H = x->H, P, E, u, amt;
	size_t			 j, s = x->s;

	for (j = m->inv_off[s]; j < m->inv_off[s + 1]; j++) {
		P = m->inv_due[j] > m->F ? m->inv_due[j] : m->F;
		if (P < H)
			sc->rec[P] += m->inv_amt[j];
		pay(sc, H, P, (int64_t)m->inv_idx[j], MODEL_NONE,
		    MODEL_PAY_MATURITY, m->inv_amt[j], 0);
	}
	for (u = L == 0 ? 0 : L; u < H; u++) {
		if ((elig && order_candidate(x, L, T, u, &amt, &E, &P)) ||
		    (amt = model_sim_sales(m, sc, L, u)) == 0)
			continue;
		P = u + T > m->F ? u + T : m->F;
		if (P < H)
			sc->rec[P] += amt;
		pay(sc, H, P, MODEL_NONE, u, MODEL_PAY_MATURITY, amt, 0);
	}
}

/* Order basis: day t's candidates, in the order (P, u). */
static void
order_day(struct supp *x, int64_t L, int64_t T, int64_t t)
{
	const struct model	*m = x->m;
	int64_t			 u, ulast, amt, E, P;

	if (t == m->E0) {
		ulast = (m->e > 0 ? m->e : 0) + m->scheme.order_lead_days;
		for (u = L == 0 ? 0 : L; u <= ulast && u < x->H; u++)
			if (order_candidate(x, L, T, u, &amt, &E, &P))
				offer_order(x, t, u, amt, P);
	} else if (t > m->E0) {
		u = t - m->lag + m->scheme.order_lead_days;
		if (u < x->H && order_candidate(x, L, T, u, &amt, &E, &P))
			offer_order(x, t, u, amt, P);
	}
}

void
model_sim_supplier(const struct model *m, struct model_scratch *sc,
    size_t s, int64_t L, const struct model_decisions *dec, int64_t *dayout,
    struct model_result *res)
{
	const struct model_supplier	*p = &m->in.suppliers[s];
	struct supp			 x;
	int64_t				 H = m->H, F = m->F, T, t, u, P, E, amt;
	int64_t				 c, lo, loday, breach, thr, daily, e0;
	int				 elig, order;
	size_t				 j;

	T = p->payment_terms_days;
	memset(&x, 0, sizeof(x));
	x.m = m;
	x.sc = sc;
	x.dec = dec;
	x.s = s;
	x.H = H;
	x.mamt = -1;
	x.oamt = -1;
	elig = m->elig[s] && m->E0 < H;
	if (m->has_scheme && dec == NULL && m->scheme.has_per_supplier_cap) {
		x.capped = 1;
		x.cap = m->scheme.per_supplier_cap;
	}
	memset(sc->rec, 0, H * sizeof(*sc->rec));
	memset(sc->repay, 0, H * sizeof(*sc->repay));
	order = model_order(m);
	if (order) {
		order_maturities(&x, L, T, elig);
		goto days;
	}

	/* Invoices that are not candidates are simply paid at P. */
	for (j = m->inv_off[s]; j < m->inv_off[s + 1]; j++) {
		P = m->inv_due[j] > F ? m->inv_due[j] : F;
		if (elig && m->inv_amt[j] >= m->scheme.min_invoice_amount &&
		    m->E0 < P)
			continue;
		if (P < H)
			sc->rec[P] += m->inv_amt[j];
		pay(sc, H, P, (int64_t)m->inv_idx[j], MODEL_NONE,
		    MODEL_PAY_MATURITY, m->inv_amt[j], 0);
	}
	for (u = L == 0 ? 0 : L; u < H; u++) {
		amt = model_sim_sales(m, sc, L, u);
		if (amt == 0)
			continue;
		P = u + T > F ? u + T : F;
		E = (u > m->e ? u : m->e) + m->lag;
		if (elig && amt >= m->scheme.min_invoice_amount && E < P &&
		    E < H)
			continue;
		if (P < H)
			sc->rec[P] += amt;
		pay(sc, H, P, MODEL_NONE, u, MODEL_PAY_MATURITY, amt, 0);
	}

	/* Days in order: repayments, then that day's candidates, then cash. */
days:
	e0 = m->e > 0 ? m->e : 0;
	c = p->cash;
	lo = INT64_MAX;
	loday = 0;
	breach = MODEL_NONE;
	thr = p->min_liquidity - p->credit_available;
	for (t = 0; t < H; t++) {
		x.out -= sc->repay[t];
		if (order) {
			if (elig)
				order_day(&x, L, T, t);
		} else if (elig && t == m->E0)
			offer_first_day(&x, L, T);
		else if (elig && t > m->E0) {
			u = t - m->lag;
			amt = u > e0 && u < H ? model_sim_sales(m, sc, L, u) : 0;
			P = u + T > F ? u + T : F;
			if (amt > 0 && amt >= m->scheme.min_invoice_amount &&
			    t < P)
				offer(&x, t, MODEL_NONE, u, amt, P);
		}
		daily = p->other_daily_receipts + sc->rec[t] -
		    (t < L ? sc->frelief : p->fixed_daily_costs) -
		    variable(m, sc, L, t);
		c += daily;
		if (dayout != NULL &&
		    __builtin_add_overflow(dayout[t], x.out, &dayout[t]))
			sc->ovf = 1;
		if (c < lo) {
			lo = c;
			loday = t;
		}
		if (breach == MODEL_NONE && c < thr)
			breach = t;
		if (sc->trace != NULL && sc->trace->day != NULL)
			sc->trace->day(sc->trace->arg, t,
			    c + p->credit_available);
	}
	res->breach_day = breach;
	res->lowest_liquidity = lo + p->credit_available;
	res->lowest_liquidity_day = loday;
	res->funding_gap = thr - lo > 0 ? thr - lo : 0;
	res->early_paid = x.ep;
	res->fees = x.fees;
}
