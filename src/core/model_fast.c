/*
 * The sweep's fast path: one supplier, every outage length, given the
 * acceptance decisions (all accepted without caps; from model_facility.c
 * with a facility limit).
 *
 * Days t < L look the same for every L (production stopped, no invoice of
 * the restart paid yet, since every projected payment lands on or after
 * its approval day u >= L), so their cash and running minimum are computed
 * once. On days t >= L, flows tied to the calendar (other receipts, full
 * fixed costs, open invoices) are summed once as ob[t], and flows tied to
 * the restart (ramp, variable costs, projected invoices, their advances
 * and fees, on u + lag and u + T) are summed once relative to L as
 * qs[t - L].
 *
 * Then c_L(t) = cinf(L - 1) - ob(L - 1) + ob(t) + qs(t - L) + corr_L(t)
 * (cash in place of the first two for L = 0), and the lowest liquidity
 * for one L is a single pass of loads, adds and minimums with no
 * rounding, branching or allocation, or without corrections a lookup in
 * a range-minimum table. The corrections corr_L are zero in the plain
 * case; they are kept as second differences, a few entries each, where
 * the shifted sums are not the model:
 *
 *  - with a facility limit the sums are prepared as if no projected
 *    invoice were advanced, and each accepted advance adds its net on
 *    u + lag and takes the advance back on u + T; for lengths up to the
 *    effective day, the open invoices whose decision differs from the
 *    snapshot's are corrected too;
 *  - an invoice approved on u < max(e, F - T) (a restart before the
 *    scheme's effective day, or a maturity held to the end of the freeze)
 *    is advanced on E = max(u, e) + lag and paid on P = max(u + T, F):
 *    its shifted flows are taken out and its real ones put in;
 *  - for L = 0 (no stop, no ramp) the ramp days' sales and variable costs
 *    are full ones, corrected the same way.
 *
 * model_sim.c computes the same numbers day by day; the tests hold the
 * two to the penny.
 */
#include <string.h>

#include "core/money.h"
#include "core/model_impl.h"

/*
 * From day xs on no open invoice pays, so ob[x] = ob[xs] + alpha (x - xs)
 * and, for x >= max(L, xs), ob[x] + qs[x - L] = ob[xs] - alpha xs +
 * alpha L + h[x - L] with h[i] = qs[i] + alpha i, the same h for every
 * L. A table of range minimums of h (row k: minimums of 2^k entries)
 * then gives that part of the lowest liquidity for any L in two loads;
 * only the days before xs are scanned. Every term is bounded by the
 * supplier's overflow bound (model_validate.c), so nothing here can
 * overflow, and the minimum is the same integer the scan finds.
 */
typedef int64_t	v4i64 __attribute__((vector_size(32)));

/* d[i] = min(a[i], b[i]) for i < n, four at a time with AVX2. */
__attribute__((target("avx2")))
static void
min2_avx2(int64_t *d, const int64_t *a, const int64_t *b, int64_t n)
{
	v4i64	va, vb, lt;
	int64_t	i;

	for (i = 0; i + 4 <= n; i += 4) {
		memcpy(&va, a + i, sizeof(va));
		memcpy(&vb, b + i, sizeof(vb));
		lt = va < vb;
		va = (va & lt) | (vb & ~lt);
		memcpy(d + i, &va, sizeof(va));
	}
	for (; i < n; i++)
		d[i] = a[i] < b[i] ? a[i] : b[i];
}

static void
rmq_build(struct model_scratch *sc, int64_t H)
{
	int64_t	*r = sc->rmq, i, k, w, n;
	int	 avx2 = __builtin_cpu_supports("avx2");

	for (i = 0; i < H; i++)
		r[i] = sc->qs[i] + sc->alpha * i;
	for (k = 1, w = 1; 2 * w <= H; k++, w *= 2) {
		n = H - 2 * w + 1;
		if (avx2) {
			min2_avx2(r + k * H, r + (k - 1) * H,
			    r + (k - 1) * H + w, n);
			continue;
		}
		for (i = 0; i < n; i++)
			r[k * H + i] = r[(k - 1) * H + i] <
			    r[(k - 1) * H + i + w] ? r[(k - 1) * H + i] :
			    r[(k - 1) * H + i + w];
	}
}

/* The least h[i] for lo <= i < hi (lo < hi). */
static int64_t
rmq_min(const struct model_scratch *sc, int64_t H, int64_t lo, int64_t hi)
{
	const int64_t	*r = sc->rmq;
	int64_t		 k = 63 - __builtin_clzll((uint64_t)(hi - lo));
	int64_t		 a = r[k * H + lo], b = r[k * H + hi - (1LL << k)];

	return (a < b ? a : b);
}

/*
 * Prepare the sums for supplier s (model_sim_prepare first). Without
 * decisions every candidate is accepted, and each day's outstanding
 * advances are added to openall (calendar days, open invoices) and outall
 * (days after the restart, projected invoices), from which the caller
 * builds the curve's peak facility use. With decisions (dec, for the open
 * invoices; the same for every L past the effective day) projected
 * invoices are left unadvanced and their advances kept aside.
 */
void
model_fast_prepare(const struct model *m, struct model_scratch *sc, size_t s,
    const struct model_decisions *dec, int64_t *openall, int64_t *outall)
{
	const struct model_supplier	*p = &m->in.suppliers[s];
	int64_t				 H = m->H, F = m->F, T, P, t, c, o, q;
	int64_t				 amt, adv, fee, net, run, ac, fc;
	int64_t				*rec = sc->rec, *outd = sc->repay;
	int64_t				 fadv = 0, ffee = 0, fnet = 0;
	int				 elig, okproj, cand;
	size_t				 j, inv;
	int				 accept;

	T = p->payment_terms_days;
	elig = m->elig[s] && m->E0 < H;
	memset(rec, 0, H * sizeof(*rec));
	memset(outd, 0, H * sizeof(*outd));
	sc->open_ep = sc->open_fees = 0;
	sc->snap = dec;

	/* Open invoices: the same payments whatever L is. */
	for (j = m->inv_off[s]; j < m->inv_off[s + 1]; j++) {
		inv = m->inv_idx[j];
		amt = m->inv_amt[j];
		P = m->inv_due[j] > F ? m->inv_due[j] : F;
		accept = elig && amt >= m->scheme.min_invoice_amount &&
		    m->E0 < P;
		if (accept && dec != NULL)
			accept = (dec->open[inv / 64] >> (inv % 64)) & 1;
		if (accept) {
			adv = model_bps(amt, m->scheme.advance_rate_bps);
			fee = model_sim_fee(m, adv, P - m->E0, &sc->ovf);
			net = m->scheme.fee_bearer == MODEL_FEE_OEM ?
			    adv : adv - fee;
			rec[m->E0] += net;
			outd[m->E0] += adv;
			if (P < H) {
				rec[P] += amt - adv;
				outd[P] -= adv;
			}
			sc->open_ep += adv;
			sc->open_fees += fee;
		} else if (P < H)
			rec[P] += amt;
	}
	c = p->cash;
	o = 0;
	run = 0;
	sc->binf = H;
	sc->xs = 0;
	sc->alpha = p->other_daily_receipts - p->fixed_daily_costs;
	for (t = 0; t < H; t++) {
		if (rec[t] != 0)
			sc->xs = t;
		c += p->other_daily_receipts - sc->frelief + rec[t];
		sc->cinf[t] = c;
		if (t == 0 || c < sc->pmin[t - 1]) {
			sc->pmin[t] = c;
			sc->pminday[t] = t;
		} else {
			sc->pmin[t] = sc->pmin[t - 1];
			sc->pminday[t] = sc->pminday[t - 1];
		}
		if (sc->binf == H && c < p->min_liquidity - p->credit_available)
			sc->binf = t;
		o += p->other_daily_receipts - p->fixed_daily_costs + rec[t];
		sc->ob[t] = o;
		run += outd[t];
		if (openall != NULL && run != 0 &&
		    __builtin_add_overflow(openall[t], run, &openall[t]))
			sc->ovf = 1;
	}

	/* Projected invoices, relative to the restart: i = u - L. */
	memset(rec, 0, H * sizeof(*rec));
	memset(outd, 0, H * sizeof(*outd));
	okproj = elig && m->lag < T;
	ac = fc = 0;
	for (t = 0; t < H; t++) {
		amt = t < m->nramp ? sc->sr[t] : sc->sfull;
		cand = amt > 0 && okproj && amt >= m->scheme.min_invoice_amount;
		/* Past the ramp every day is the same: compute it once. */
		if (!cand)
			adv = fee = net = 0;
		else if (t <= m->nramp) {
			adv = model_bps(amt, m->scheme.advance_rate_bps);
			fee = model_sim_fee(m, adv, T - m->lag, &sc->ovf);
			net = m->scheme.fee_bearer == MODEL_FEE_OEM ?
			    adv : adv - fee;
			fadv = adv;
			ffee = fee;
			fnet = net;
		} else {
			adv = fadv;
			fee = ffee;
			net = fnet;
		}
		if (dec != NULL) {
			/* Paid whole; advances are corrections per L. */
			sc->adv[t] = adv;
			sc->fee[t] = fee;
			sc->net[t] = net;
			if (amt > 0 && t + T < H)
				rec[t + T] += amt;
			continue;
		}
		if (cand) {
			if (t + m->lag < H) {
				rec[t + m->lag] += net;
				outd[t + m->lag] += adv;
			}
			if (t + T < H) {
				rec[t + T] += amt - adv;
				outd[t + T] -= adv;
			}
		} else if (amt > 0 && t + T < H)
			rec[t + T] += amt;
		ac += adv;
		fc += fee;
		sc->advcum[t] = ac;
		sc->feecum[t] = fc;
	}
	q = 0;
	run = 0;
	for (t = 0; t < H; t++) {
		q += rec[t] - (t < m->nramp ? sc->vr[t] : sc->vfull);
		sc->qs[t] = q;
		run += outd[t];
		if (outall != NULL && run != 0 &&
		    __builtin_add_overflow(outall[t], run, &outall[t]))
			sc->ovf = 1;
	}
	rmq_build(sc, H);
}

/* Four days at a time where the processor has AVX2. */
__attribute__((target("avx2")))
static int64_t
suffix_min_avx2(const int64_t *a, const int64_t *b, int64_t n)
{
	v4i64	lo = { INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX };
	v4i64	va, vb, v, lt;
	int64_t	i, k, m;

	for (i = 0; i + 4 <= n; i += 4) {
		memcpy(&va, a + i, sizeof(va));
		memcpy(&vb, b + i, sizeof(vb));
		v = va + vb;
		lt = v < lo;
		lo = (v & lt) | (lo & ~lt);
	}
	m = INT64_MAX;
	for (k = 0; k < 4; k++)
		m = lo[k] < m ? lo[k] : m;
	for (; i < n; i++)
		m = a[i] + b[i] < m ? a[i] + b[i] : m;
	return (m);
}

/* The lowest of ob[x] + qs[x - L] over x in [L, H): the sweep's hot loop. */
static int64_t
suffix_min(const int64_t *a, const int64_t *b, int64_t n)
{
	int64_t	i, v, lo = INT64_MAX;

	if (__builtin_cpu_supports("avx2"))
		return (suffix_min_avx2(a, b, n));
	for (i = 0; i < n; i++) {
		v = a[i] + b[i];
		lo = v < lo ? v : lo;
	}
	return (lo);
}

/* The first bit at or after pos that equals want, or end. */
static int64_t
next_bit(const uint64_t *bits, int64_t pos, int64_t end, int want)
{
	uint64_t	w;
	int64_t		k;

	for (k = pos / 64; k * 64 < end; k++) {
		w = want ? bits[k] : ~bits[k];
		if (k == pos / 64)
			w &= ~0ULL << (pos % 64);
		if (w != 0)
			return (k * 64 + __builtin_ctzll(w) < end ?
			    k * 64 + __builtin_ctzll(w) : end);
	}
	return (end);
}

/*
 * A receipt of v from day x to day y - 1, as second differences in
 * sc->diff, which is all zeros until a length's first correction.
 */
static void
span(struct model_scratch *sc, int64_t H, int64_t x, int64_t y, int64_t v)
{
	if (x >= H)
		return;
	sc->diff[x] += v;
	if (y < H)
		sc->diff[y] -= v;
	sc->dirty = 1;
}

/*
 * The first i in [lo, hi) with h[i] <= y, or hi: skip whole blocks of
 * the table whose least value is above y, the largest first, so that
 * the distance skipped is built bit by bit.
 */
static int64_t
rmq_first_le(const struct model_scratch *sc, int64_t H, int64_t lo,
    int64_t hi, int64_t y)
{
	const int64_t	*r = sc->rmq;
	int64_t		 k;

	if (lo >= hi || rmq_min(sc, H, lo, hi) > y)
		return (hi);
	for (k = 63 - __builtin_clzll((uint64_t)(hi - lo)); k >= 0; k--)
		if (lo + (1LL << k) <= hi && r[k * H + lo] > y)
			lo += 1LL << k;
	return (lo);
}

static int64_t	first_le(const int64_t *, const int64_t *, const int64_t *,
		    int64_t, int64_t);

/*
 * The first i >= from with ob[L + i] + qs[i] <= x, or H - L: the days
 * before xs scanned, the rest found in the range-minimum table.
 */
static int64_t
shifted_first(const struct model_scratch *sc, int64_t H, int64_t L,
    int64_t from, int64_t x)
{
	int64_t	n = H - L, e = sc->xs - L, i;

	if (from < e) {
		e = e < n ? e : n;
		i = from + first_le(sc->ob + L + from, sc->qs + from, NULL,
		    e - from, x);
		if (i < e)
			return (i);
		from = e;
	}
	return (rmq_first_le(sc, H, from, n, x - (sc->ob[sc->xs] -
	    sc->alpha * sc->xs + sc->alpha * L)));
}

/* The lowest of ob[x] + qs[x - L] over x in [L, H), L < H. */
static int64_t
shifted_min(const struct model_scratch *sc, int64_t H, int64_t L)
{
	int64_t	lo = INT64_MAX, v, from;

	if (sc->xs > L)
		lo = suffix_min(sc->ob + L, sc->qs, sc->xs - L);
	if (sc->xs < H) {
		from = sc->xs > L ? sc->xs : L;
		v = sc->ob[sc->xs] - sc->alpha * sc->xs + sc->alpha * L +
		    rmq_min(sc, H, from - L, H - L);
		lo = v < lo ? v : lo;
	}
	return (lo);
}

/*
 * The accepted advances of supplier s for outage length L, of invoices
 * approved from day u0 on, as second differences of the corrections by
 * day, in sc->diff[L..H-1], adding them to the early-paid and fee sums.
 * bits: the supplier's decisions, a bit per approval day. Past the ramp
 * every day's advance is the same, so a run of accepted days is four
 * entries, not two per day.
 */
static void
corrections(const struct model *m, struct model_scratch *sc, size_t s,
    int64_t L, int64_t u0, const uint64_t *bits, int64_t *ep, int64_t *fees)
{
	int64_t		 H = m->H, T, u, v, i, lag = m->lag, rend;

	T = m->in.suppliers[s].payment_terms_days;
	if (!m->elig[s] || u0 >= H)
		return;		/* no row: never a candidate */
	rend = L + m->nramp < H ? L + m->nramp : H;
	if (rend < u0)
		rend = u0;
	for (u = next_bit(bits, u0, rend, 1); u < rend;
	    u = next_bit(bits, u + 1, rend, 1)) {
		i = u - L;
		span(sc, H, u + lag, u + lag + 1, sc->net[i]);
		span(sc, H, u + T, u + T + 1, -sc->adv[i]);
		*ep += sc->adv[i];
		*fees += sc->fee[i];
	}
	i = m->nramp;
	for (u = next_bit(bits, rend, H, 1); u < H;
	    u = next_bit(bits, v, H, 1)) {
		v = next_bit(bits, u, H, 0);
		span(sc, H, u + lag, v + lag, sc->net[i]);
		span(sc, H, u + T, v + T, -sc->adv[i]);
		*ep += sc->adv[i] * (v - u);
		*fees += sc->fee[i] * (v - u);
	}
}

/* A payment of v on day x alone. */
static void
point(struct model_scratch *sc, int64_t H, int64_t x, int64_t v)
{
	span(sc, H, x, x + 1, v);
}

/* v outstanding from day x to day y - 1, as first differences of tot. */
static void
owed(struct model_scratch *sc, int64_t *tot, int64_t H, int64_t x,
    int64_t y, int64_t v)
{
	if (tot == NULL || x >= H)
		return;
	if (__builtin_add_overflow(tot[x], v, &tot[x]))
		sc->ovf = 1;
	if (y < H && __builtin_sub_overflow(tot[y], v, &tot[y]))
		sc->ovf = 1;
}

/* The first approval day whose flows the shifted sums have right. */
static int64_t
regular_from(const struct model *m, size_t s)
{
	int64_t	T = m->in.suppliers[s].payment_terms_days;

	return (m->e > m->F - T ? m->e : m->F - T);
}

static int64_t
net_of(const struct model *m, int64_t adv, int64_t fee)
{
	return (m->scheme.fee_bearer == MODEL_FEE_OEM ? adv : adv - fee);
}

/*
 * Invoices approved on days u in [L, regular_from): the restart came
 * before the effective day (the advance waits for E = max(u, e) + lag)
 * or the maturity u + T falls in the freeze (paid on P = F). For L = 0
 * (no stop, so no ramp either) also the days of the ramp, whose sales
 * are full, not the ramp's the sums have, and their variable costs.
 * Each invoice's flows as the shifted sums have them (whole on u + T
 * with a facility, else advanced on u + lag when a candidate) are taken
 * out, and those of the day-by-day path put in: advanced when it is a
 * candidate there and, with a facility, the decision bit says so. tot,
 * when not NULL, gets the change in outstanding advances, for the
 * curve's peak use.
 */
static void
irregular(const struct model *m, struct model_scratch *sc, size_t s,
    int64_t L, const uint64_t *bits, int facility, int64_t *tot,
    int64_t *ep, int64_t *fees)
{
	const struct model_supplier	*p = &m->in.suppliers[s];
	int64_t				 H = m->H, F = m->F, min;
	int64_t				 T, lag = m->lag, u, uend, amt, adv;
	int64_t				 was, fee, P, E;
	int				 elig, cand, rel;

	T = p->payment_terms_days;
	min = m->scheme.min_invoice_amount;
	elig = m->elig[s] && m->E0 < H;
	/* Without the scheme only the freeze moves a payment. */
	uend = elig ? regular_from(m, s) : F - T;
	if (L == 0) {
		uend = uend > m->nramp ? uend : m->nramp;
		for (u = 0; u < m->nramp && u < H; u++)
			if (sc->vr[u] != sc->vfull)
				point(sc, H, u, sc->vr[u] - sc->vfull);
	}
	uend = uend < H ? uend : H;
	for (u = L; u < uend; u++) {
		was = u - L < m->nramp ? sc->sr[u - L] : sc->sfull;
		amt = L == 0 ? sc->sfull : was;
		P = u + T > F ? u + T : F;
		E = (u > m->e ? u : m->e) + lag;
		cand = elig && amt > 0 && amt >= min && E < P && E < H;
		if (cand && facility)
			cand = bits != NULL && ((bits[u / 64] >> (u % 64)) & 1);
		rel = !facility && elig && lag < T && was > 0 && was >= min;
		/* Paid whole on u + T both ways: nothing to correct. */
		if (!cand && !rel && P == u + T && amt == was)
			continue;
		if (rel) {
			adv = model_bps(was, m->scheme.advance_rate_bps);
			fee = model_sim_fee(m, adv, T - lag, &sc->ovf);
			point(sc, H, u + lag, -net_of(m, adv, fee));
			point(sc, H, u + T, adv - was);
			owed(sc, tot, H, u + lag, u + T, -adv);
			if (u + lag < H) {
				*ep -= adv;
				*fees -= fee;
			}
		} else if (was > 0)
			point(sc, H, u + T, -was);
		if (!cand) {
			if (amt > 0)
				point(sc, H, P, amt);
			continue;
		}
		adv = model_bps(amt, m->scheme.advance_rate_bps);
		fee = model_sim_fee(m, adv, P - E, &sc->ovf);
		point(sc, H, E, net_of(m, adv, fee));
		point(sc, H, P, amt - adv);
		owed(sc, tot, H, E, P, adv);
		*ep += adv;
		*fees += fee;
	}
}

/*
 * With a facility, for a length up to the effective day, decided from
 * day 0: the open invoices whose decision is not the snapshot's that
 * model_fast_prepare used. Their flows are on E0 and P, both at or after
 * L, since L <= e0 here.
 */
static void
open_changes(const struct model *m, struct model_scratch *sc, size_t s,
    const struct model_decisions *dec, int64_t *ep, int64_t *fees)
{
	int64_t	 H = m->H, amt, adv, fee, P, sg;
	size_t	 j, inv;
	int	 a, b;

	for (j = m->inv_off[s]; j < m->inv_off[s + 1]; j++) {
		inv = m->inv_idx[j];
		a = (sc->snap->open[inv / 64] >> (inv % 64)) & 1;
		b = (dec->open[inv / 64] >> (inv % 64)) & 1;
		if (a == b)
			continue;
		sg = b ? 1 : -1;
		amt = m->inv_amt[j];
		P = m->inv_due[j] > m->F ? m->inv_due[j] : m->F;
		adv = model_bps(amt, m->scheme.advance_rate_bps);
		fee = model_sim_fee(m, adv, P - m->E0, &sc->ovf);
		point(sc, H, m->E0, sg * net_of(m, adv, fee));
		point(sc, H, P, -sg * adv);
		*ep += sg * adv;
		*fees += sg * fee;
	}
}

/*
 * Second differences to the corrections themselves, in place: the one
 * serial pass, so that the minimum can then be taken four days at a time.
 */
static void
integrate2(int64_t *d, int64_t n)
{
	int64_t	i, dd = 0, run = 0;

	for (i = 0; i < n; i++) {
		dd += d[i];
		run += dd;
		d[i] = run;
	}
}

__attribute__((target("avx2")))
static int64_t
suffix_min3_avx2(const int64_t *a, const int64_t *b, const int64_t *c,
    int64_t n)
{
	v4i64	lo = { INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX };
	v4i64	va, vb, vc, v, lt;
	int64_t	i, k, m;

	for (i = 0; i + 4 <= n; i += 4) {
		memcpy(&va, a + i, sizeof(va));
		memcpy(&vb, b + i, sizeof(vb));
		memcpy(&vc, c + i, sizeof(vc));
		v = va + vb + vc;
		lt = v < lo;
		lo = (v & lt) | (lo & ~lt);
	}
	m = INT64_MAX;
	for (k = 0; k < 4; k++)
		m = lo[k] < m ? lo[k] : m;
	for (; i < n; i++)
		m = a[i] + b[i] + c[i] < m ? a[i] + b[i] + c[i] : m;
	return (m);
}

/* As suffix_min, with the corrections c added. */
static int64_t
suffix_min3(const int64_t *a, const int64_t *b, const int64_t *c, int64_t n)
{
	int64_t	i, v, lo = INT64_MAX;

	if (__builtin_cpu_supports("avx2"))
		return (suffix_min3_avx2(a, b, c, n));
	for (i = 0; i < n; i++) {
		v = a[i] + b[i] + c[i];
		lo = v < lo ? v : lo;
	}
	return (lo);
}

/*
 * The first i in [0, n) with a[i] + b[i] + c[i] <= x (c may be NULL for
 * zeros), or n: the day a known minimum or a breach is first reached,
 * four days at a time where the processor has AVX2. The scan stops there,
 * so a day found early costs only the days before it.
 */
__attribute__((target("avx2")))
static int64_t
first_le_avx2(const int64_t *a, const int64_t *b, const int64_t *c,
    int64_t n, int64_t x)
{
	v4i64	vx = { x, x, x, x }, va, vb, vc = { 0, 0, 0, 0 }, le;
	int64_t	i, k;

	for (i = 0; i + 4 <= n; i += 4) {
		memcpy(&va, a + i, sizeof(va));
		memcpy(&vb, b + i, sizeof(vb));
		if (c != NULL)
			memcpy(&vc, c + i, sizeof(vc));
		le = va + vb + vc <= vx;
		if ((le[0] | le[1] | le[2] | le[3]) == 0)
			continue;
		for (k = 0; k < 4; k++)
			if (le[k])
				return (i + k);
	}
	for (; i < n; i++)
		if (a[i] + b[i] + (c != NULL ? c[i] : 0) <= x)
			return (i);
	return (n);
}

static int64_t
first_le(const int64_t *a, const int64_t *b, const int64_t *c, int64_t n,
    int64_t x)
{
	int64_t	i;

	if (__builtin_cpu_supports("avx2"))
		return (first_le_avx2(a, b, c, n, x));
	for (i = 0; i < n; i++)
		if (a[i] + b[i] + (c != NULL ? c[i] : 0) <= x)
			return (i);
	return (n);
}

/*
 * The breach and lowest days for length L, given the lowest cash lo and
 * the threshold thr: days before L from the prefix tables (the first
 * breach there, where the running minimum was reached), the rest by
 * looking from L for the first cash <= thr - 1, then for the first
 * equal to lo: in the range-minimum table past xs when there are no
 * corrections, else by a scan. A breach comes no later than the lowest
 * day, and when the lowest is before L neither is looked for.
 */
static void
days_of(const struct model *m, const struct model_scratch *sc, int64_t L,
    int64_t K, int64_t lo, int64_t thr, int corr, struct model_result *res)
{
	const int64_t	*c = corr ? sc->diff + L : NULL;
	int64_t		 H = m->H, n = H - L, i = 0;
	const int64_t	*ob = sc->ob + L;

	res->breach_day = lo < thr ? sc->binf : MODEL_NONE;
	if (L > 0 && sc->pmin[L - 1] == lo) {
		res->lowest_liquidity_day = sc->pminday[L - 1];
		return;
	}
	/* Cash from L on, less K: compare with the bounds less K. */
	if (!corr) {
		if (lo < thr && sc->binf >= L) {
			i = shifted_first(sc, H, L, 0, thr - 1 - K);
			res->breach_day = L + i;
		}
		res->lowest_liquidity_day = L + shifted_first(sc, H, L, i,
		    lo - K);
		return;
	}
	if (lo < thr && sc->binf >= L) {
		i = first_le(ob, sc->qs, c, n, thr - 1 - K);
		res->breach_day = L + i;
	}
	i += first_le(ob + i, sc->qs + i, c + i, n - i, lo - K);
	res->lowest_liquidity_day = L + i;
}

/*
 * Supplier s for outage length L, 0 <= L <= H. With a facility, dec and
 * bits are the decisions for L (those of model_fast_prepare's snapshot for
 * the open invoices unless dec->odiff) and the supplier's projected ones,
 * a bit per approval day; without, tot (or NULL) gets the change in the
 * outstanding advances by day that the shifted sums do not have, as first
 * differences. Days (breach_day, lowest_liquidity_day) are found only
 * when full is set; otherwise breach_day is 0 for a breach and MODEL_NONE
 * without one.
 */
void
model_fast_eval(const struct model *m, struct model_scratch *sc, size_t s,
    int64_t L, const struct model_decisions *dec, const uint64_t *bits,
    int64_t *tot, int full, struct model_result *res)
{
	const struct model_supplier	*p = &m->in.suppliers[s];
	int64_t				 H = m->H, thr, lo, K, smin, k;
	int64_t				 ep, fees, ureg;

	thr = p->min_liquidity - p->credit_available;
	lo = L > 0 ? sc->pmin[L - 1] : INT64_MAX;
	K = 0;
	ep = sc->open_ep;
	fees = sc->open_fees;
	/* From ureg on the sums are right; for L = 0 past the ramp too. */
	ureg = regular_from(m, s);
	if (L == 0 && ureg < m->nramp)
		ureg = m->nramp;
	sc->dirty = 0;
	if (L < H) {
		K = L > 0 ? sc->cinf[L - 1] - sc->ob[L - 1] : p->cash;
		if (dec != NULL) {
			corrections(m, sc, s, L, L > ureg ? L : ureg, bits,
			    &ep, &fees);
			if (dec->odiff)
				open_changes(m, sc, s, dec, &ep, &fees);
		}
		if (L < ureg)
			irregular(m, sc, s, L, bits, dec != NULL, tot, &ep,
			    &fees);
		/* Most suppliers have none: then the table answers. */
		if (sc->dirty) {
			integrate2(sc->diff + L, H - L);
			smin = K + suffix_min3(sc->ob + L, sc->qs,
			    sc->diff + L, H - L);
		} else
			smin = K + shifted_min(sc, H, L);
		if (smin < lo)
			lo = smin;
	}
	if (dec == NULL) {
		k = H - 1 - L - m->lag;
		ep += k >= 0 ? sc->advcum[k] : 0;
		fees += k >= 0 ? sc->feecum[k] : 0;
	}
	res->lowest_liquidity = lo + p->credit_available;
	res->funding_gap = thr - lo > 0 ? thr - lo : 0;
	res->early_paid = ep;
	res->fees = fees;
	if (!full) {
		res->breach_day = lo < thr ? 0 : MODEL_NONE;
		res->lowest_liquidity_day = 0;
	} else
		days_of(m, sc, L, K, lo, thr, sc->dirty, res);
	/* All zeros again for the next length. */
	if (sc->dirty)
		memset(sc->diff + L, 0, (size_t)(H - L + 1) *
		    sizeof(*sc->diff));
}
