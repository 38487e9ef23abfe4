/*
 * The supply network (the model's version 2): every firm of the input day
 * by day at once, because a customer pays its suppliers out of what it
 * has, so one firm's day depends on its customers' previous close.
 *
 * Each day t, in the model's order: (1) the OEM repays the funder for the
 * advances whose P is t; (2) every customer pays what falls due and what
 * it still owes, capped by its liquidity at the close of day t-1 (in the
 * counterfactual, in full), shared pro rata by the largest remainder when
 * the cap binds, its payments to the funder reducing what is outstanding;
 * (3) that day's early-payment candidates are decided in the model's
 * order, OEM and link invoices together; (4) every firm closes. Without
 * caps the order in (3) decides nothing: the candidates are then taken as
 * they are found, unless a trace wants its payments in that order.
 *
 * This is the reference for every network. model_net_run_within runs
 * the same days for a part of the network that holds every seller of its
 * firms, the rest paying it as in the counterfactual: model_net_fast.c's
 * sweep.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/model_impl.h"

/* Most entries of a network's table of own flows on the ramp days. */
#define KRAMP_MAX	((size_t)1 << 22)

/* One early-payment candidate of a day. */
struct net_cand {
	int64_t		 P;
	uint32_t	 rank;		/* the seller's */
	uint8_t		 ch;		/* 0 open, 1 projected, 2 link */
	int64_t		 k1;		/* position, u, or the customer's rank */
	int64_t		 k2;		/* link: the delivery day */
	size_t		 s;
	size_t		 ref;		/* open: invoice index; link: link */
	int64_t		 u;		/* projected: approval day */
	int64_t		 amt;
};

/* One creditor of a customer whose payments are shared out. */
struct share {
	size_t		 l;
	int		 kind;
	uint32_t	 rank;
	int64_t		 o;
	int64_t		 x;
	__int128	 r;
};

struct model_net {
	const struct model	*m;
	size_t			 ns;
	size_t			 nl;
	int64_t			 H;
	int			 deep;		/* link invoices may be advanced */

	int64_t			*c;		/* cash at the last close */
	/* By day, then firm or link: a day's row is read in sequence. */
	int64_t			*rec;		/* H x ns: from the OEM, funder */
	int64_t			*repay;		/* H x ns: the OEM repays */
	int64_t			*fdue;		/* H x nl (by lpos): funder's claims */
	int			 clean;		/* ... all zero: rows are cleared
						   as their day closes */
	int			 keep;		/* ... unless kept for cf_breaches */
	int			 bound;		/* a customer could not pay */
	int64_t			*arr;		/* 2 per link (by lpos): arrears */
	int64_t			*fromc;		/* today, from customers */
	int64_t			*topay;		/* today, to creditors */
	int64_t			*sout;		/* advances outstanding */
	int64_t			*frel;		/* fixed costs while stopped */
	int64_t			*lfull;		/* link sales at full production */
	/* A day's own flows, stopped and at full production, and credit. */
	int64_t			*kstop;
	int64_t			*kfull;
	int64_t			*kramp;		/* nramp x ns, or NULL: see
						   own_flow */
	size_t			*ef;		/* firms in the scheme, by index */
	size_t			*er;		/* ... by id */
	size_t			*et;		/* ... by (terms, id) */
	size_t			 nef;
	/*
	 * Deep tier: the eligible firms' OEM channel (s < ns) and their
	 * links (ns + l) by (terms, seller id, channel, customer id).
	 */
	size_t			*dslot;
	size_t			 ndslot;
	int64_t			*credit;
	int64_t			*minl;		/* min_liquidity */
	int64_t			*dmax;		/* most a customer owes a day */
	uint8_t			*owing;		/* ... it owes arrears */
	/* Its links' least and largest terms: nothing falls due between. */
	int64_t			*tmin;
	int64_t			*tmax;
	int64_t			*lv;		/* level(t) of the run */
	int64_t			 farr;		/* funder's claims in arrears */
	int64_t			*fdelta;	/* ... after each day's step (2) */
	int			 direct;	/* candidates taken as found */
	int64_t			 tnext;		/* stopped run: next day */

	/*
	 * The firms run (sim), the customers that pay (cus) and which firms
	 * are run (in, NULL for all). A customer that is not run pays its
	 * sellers that are in full on the due day.
	 */
	const uint8_t		*in;
	const size_t		*sim;
	size_t			 nsim;
	const size_t		*cus;
	size_t			 ncus;
	int64_t			 total;
	int64_t			 peak;

	int64_t			*lo;
	int64_t			*loday;
	int64_t			*breach;
	int64_t			*ep;
	int64_t			*fees;

	struct net_cand		*cand;
	size_t			 ncand;
	size_t			 maxcand;
	struct share		*sh;
	size_t			 maxsh;

	struct model_link_result *lres;		/* per input link, or NULL */

	size_t			 ts;		/* traced supplier, or ns */
	const struct model_trace *tr;
	struct model_payment	*pays;
	size_t			 npays;
	size_t			 maxpays;
	int			 nomem;
	int			 ovf;
};

static int
key_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* A deep-tier slot of model_net_alloc's order. */
struct slot {
	int64_t		 d;		/* terms */
	uint32_t	 rank;		/* the seller's */
	uint8_t		 ch;
	uint32_t	 k1;		/* link: the customer's rank */
	size_t		 v;
};

static int
slot_cmp(const void *a, const void *b)
{
	const struct slot	*x = a, *y = b;

	if (x->d != y->d)
		return (x->d < y->d ? -1 : 1);
	if (x->rank != y->rank)
		return (x->rank < y->rank ? -1 : 1);
	if (x->ch != y->ch)
		return (x->ch < y->ch ? -1 : 1);
	return (x->k1 < y->k1 ? -1 : x->k1 > y->k1);
}

/*
 * Group the links by one end (by: 0 the seller, 1 the customer), each
 * group in the order of the other end's id: a customer's creditors by
 * seller (the pro-rata ties), a seller's links by customer (the candidate
 * order).
 */
static int
group_links(struct model *m, int by, size_t *off, size_t *idx)
{
	uint64_t	*key;
	size_t		*fill, i, l, s;

	key = calloc(m->nl + 1, sizeof(*key));
	fill = calloc(m->ns + 1, sizeof(*fill));
	if (key == NULL || fill == NULL) {
		free(key);
		free(fill);
		return (-1);
	}
	for (l = 0; l < m->nl; l++) {
		off[m->lends[2 * l + (size_t)by] + 1]++;
		key[l] = (uint64_t)m->rank[m->lends[2 * l + (size_t)!by]] << 32 |
		    l;
	}
	for (s = 0; s < m->ns; s++)
		off[s + 1] += off[s];
	qsort(key, m->nl, sizeof(*key), key_cmp);
	for (i = 0; i < m->nl; i++) {
		l = (size_t)(key[i] & 0xffffffffU);
		s = m->lends[2 * l + (size_t)by];
		idx[off[s] + fill[s]++] = l;
	}
	free(key);
	free(fill);
	return (0);
}

static int	e0_prepare(struct model *);

int
model_net_prepare(struct model *m)
{
	size_t	i, l;

	m->net = 1;
	m->cl_off = calloc(m->ns + 2, sizeof(*m->cl_off));
	m->sl_off = calloc(m->ns + 2, sizeof(*m->sl_off));
	m->cl_idx = calloc(m->nl + 1, sizeof(*m->cl_idx));
	m->sl_idx = calloc(m->nl + 1, sizeof(*m->sl_idx));
	if (m->cl_off == NULL || m->sl_off == NULL || m->cl_idx == NULL ||
	    m->sl_idx == NULL)
		return (-1);
	if (group_links(m, 0, m->sl_off, m->sl_idx) == -1 ||
	    group_links(m, 1, m->cl_off, m->cl_idx) == -1)
		return (-1);
	/* What a customer's day reads, in the order it reads it. */
	m->cl_sel = calloc(m->nl + 1, sizeof(*m->cl_sel));
	m->cl_ds = calloc(m->nl + 1, sizeof(*m->cl_ds));
	m->cl_T = calloc(m->nl + 1, sizeof(*m->cl_T));
	m->lpos = calloc(m->nl + 1, sizeof(*m->lpos));
	m->cl_rank = calloc(m->nl + 1, sizeof(*m->cl_rank));
	if (m->cl_sel == NULL || m->cl_ds == NULL || m->cl_T == NULL ||
	    m->lpos == NULL || m->cl_rank == NULL)
		return (-1);
	for (i = 0; i < m->nl; i++) {
		l = m->cl_idx[i];
		m->cl_sel[i] = m->lends[2 * l];
		m->cl_rank[i] = m->rank[m->lends[2 * l]];
		m->cl_ds[i] = m->in.links[l].daily_sales;
		m->cl_T[i] = m->in.links[l].payment_terms_days;
		m->lpos[l] = i;
	}
	m->cust = calloc(m->ns + 1, sizeof(*m->cust));
	m->allf = calloc(m->ns + 1, sizeof(*m->allf));
	if (m->cust == NULL || m->allf == NULL)
		return (-1);
	for (i = 0; i < m->ns; i++) {
		m->allf[i] = i;
		if (m->cl_off[i] < m->cl_off[i + 1])
			m->cust[m->ncust++] = i;
	}
	return (e0_prepare(m));
}

/*
 * Deep tier: every channel of a later day's candidates, in the order
 * (terms, seller id, channel, customer id). After day E0 each seller
 * offers at most its one projected OEM invoice and one invoice per link,
 * all of the same delivery day u, so their order (P, seller id, channel,
 * customer id) is this one but for the OEM invoices held to the end of
 * the freeze (see deep_cands).
 */
static int
deep_slots(struct model_net *n)
{
	const struct model	*m = n->m;
	struct slot		*sl;
	size_t			 r, s, i, l, k = 0;

	n->ndslot = n->nef;
	for (r = 0; r < n->nef; r++) {
		s = n->er[r];
		n->ndslot += m->sl_off[s + 1] - m->sl_off[s];
	}
	sl = calloc(n->ndslot + 1, sizeof(*sl));
	n->dslot = calloc(n->ndslot + 1, sizeof(*n->dslot));
	if (sl == NULL || n->dslot == NULL) {
		free(sl);
		return (-1);
	}
	for (r = 0; r < n->nef; r++) {
		s = n->er[r];
		sl[k].d = m->in.suppliers[s].payment_terms_days;
		sl[k].rank = m->rank[s];
		sl[k].ch = 1;
		sl[k].v = s;
		k++;
		for (i = m->sl_off[s]; i < m->sl_off[s + 1]; i++) {
			l = m->sl_idx[i];
			sl[k].d = m->in.links[l].payment_terms_days;
			sl[k].rank = m->rank[s];
			sl[k].ch = 2;
			sl[k].k1 = m->rank[m->lends[2 * l + 1]];
			sl[k].v = n->ns + l;
			k++;
		}
	}
	qsort(sl, n->ndslot, sizeof(*sl), slot_cmp);
	for (k = 0; k < n->ndslot; k++)
		n->dslot[k] = sl[k].v;
	free(sl);
	return (0);
}

struct model_net *
model_net_alloc(const struct model *m)
{
	const struct model_supplier	*p;
	struct model_net		*n;
	size_t				 H = (size_t)m->H, s, l, r;
	int64_t				 v, t;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return (NULL);
	n->m = m;
	n->ns = m->ns;
	n->nl = m->nl;
	n->H = m->H;
	n->deep = m->has_scheme && m->scheme.covers == MODEL_COVERS_ALL;
	n->c = calloc(n->ns + 1, sizeof(int64_t));
	n->rec = calloc(n->ns * H + 1, sizeof(int64_t));
	n->repay = m->has_scheme ? calloc(n->ns * H + 1, sizeof(int64_t)) :
	    NULL;
	n->fdue = n->deep ? calloc(n->nl * H + 1, sizeof(int64_t)) : NULL;
	n->arr = calloc(2 * n->nl + 1, sizeof(int64_t));
	n->fromc = calloc(n->ns + 1, sizeof(int64_t));
	n->topay = calloc(n->ns + 1, sizeof(int64_t));
	n->sout = calloc(n->ns + 1, sizeof(int64_t));
	n->frel = calloc(n->ns + 1, sizeof(int64_t));
	n->lfull = calloc(n->ns + 1, sizeof(int64_t));
	n->lo = calloc(n->ns + 1, sizeof(int64_t));
	n->loday = calloc(n->ns + 1, sizeof(int64_t));
	n->breach = calloc(n->ns + 1, sizeof(int64_t));
	n->ep = calloc(n->ns + 1, sizeof(int64_t));
	n->fees = calloc(n->ns + 1, sizeof(int64_t));
	n->kstop = calloc(n->ns + 1, sizeof(int64_t));
	n->kfull = calloc(n->ns + 1, sizeof(int64_t));
	n->credit = calloc(n->ns + 1, sizeof(int64_t));
	n->minl = calloc(n->ns + 1, sizeof(int64_t));
	n->dmax = calloc(n->ns + 1, sizeof(int64_t));
	n->owing = calloc(n->ns + 1, 1);
	n->tmin = calloc(n->ns + 1, sizeof(int64_t));
	n->tmax = calloc(n->ns + 1, sizeof(int64_t));
	n->lv = calloc(H + 1, sizeof(int64_t));
	n->fdelta = calloc(H + 1, sizeof(int64_t));
	if (n->c == NULL || n->rec == NULL ||
	    (m->has_scheme && n->repay == NULL) || n->kstop == NULL ||
	    n->kfull == NULL || n->credit == NULL || n->minl == NULL || n->dmax == NULL ||
	    n->owing == NULL || n->lv == NULL || n->tmin == NULL ||
	    n->tmax == NULL || n->fdelta == NULL ||
	    (n->deep && n->fdue == NULL) || n->arr == NULL ||
	    n->fromc == NULL || n->topay == NULL || n->sout == NULL ||
	    n->frel == NULL || n->lfull == NULL || n->lo == NULL ||
	    n->loday == NULL || n->breach == NULL || n->ep == NULL ||
	    n->fees == NULL) {
		model_net_free(n);
		return (NULL);
	}
	for (s = 0; s < n->ns; s++) {
		n->frel[s] = model_bps(m->in.suppliers[s].fixed_daily_costs,
		    MODEL_BPS_MAX - m->in.scenario.fixed_cost_relief_bps);
		for (l = m->sl_off[s]; l < m->sl_off[s + 1]; l++)
			n->lfull[s] += m->in.links[m->sl_idx[l]].daily_sales;
		p = &m->in.suppliers[s];
		n->kstop[s] = p->other_daily_receipts - n->frel[s];
		n->kfull[s] = p->other_daily_receipts - p->fixed_daily_costs -
		    model_bps(p->oem_daily_sales + n->lfull[s],
		    p->variable_cost_bps);
		n->credit[s] = p->credit_available;
		n->minl[s] = p->min_liquidity;
		n->tmin[s] = MODEL_TERMS_MAX + 1;
		for (l = m->cl_off[s]; l < m->cl_off[s + 1]; l++) {
			n->dmax[s] += m->cl_ds[l];
			if (m->cl_ds[l] == 0)
				continue;
			if (m->cl_T[l] < n->tmin[s])
				n->tmin[s] = m->cl_T[l];
			if (m->cl_T[l] > n->tmax[s])
				n->tmax[s] = m->cl_T[l];
		}
	}
	n->ef = calloc(n->ns + 1, sizeof(*n->ef));
	n->er = calloc(n->ns + 1, sizeof(*n->er));
	n->et = calloc(n->ns + 1, sizeof(*n->et));
	if (n->ef == NULL || n->er == NULL || n->et == NULL) {
		model_net_free(n);
		return (NULL);
	}
	for (s = 0, r = 0; s < n->ns && m->has_scheme; s++) {
		if (m->elig[s])
			n->ef[n->nef++] = s;
		if (m->elig[m->by_rank[s]])
			n->er[r++] = m->by_rank[s];
	}
	/* By terms, each terms in id order: a counting sort of er. */
	for (t = 0, r = 0; t <= MODEL_TERMS_MAX && r < n->nef; t++)
		for (l = 0; l < n->nef; l++)
			if (m->in.suppliers[n->er[l]].payment_terms_days == t)
				n->et[r++] = n->er[l];
	if (n->deep && deep_slots(n) == -1) {
		model_net_free(n);
		return (NULL);
	}
	/*
	 * Every run of every L has the same ramp days: each firm's own
	 * flows on them are worked out once (when they fit in KRAMP_MAX).
	 */
	if (m->nramp > 0 && (size_t)m->nramp <= KRAMP_MAX / (n->ns + 1)) {
		if ((n->kramp = calloc((size_t)m->nramp * n->ns + 1,
		    sizeof(int64_t))) == NULL) {
			model_net_free(n);
			return (NULL);
		}
		for (r = 0; r < (size_t)m->nramp; r++)
			for (s = 0; s < n->ns; s++) {
				p = &m->in.suppliers[s];
				v = model_bps(p->oem_daily_sales, m->ramp[r]);
				for (l = m->sl_off[s]; l < m->sl_off[s + 1];
				    l++)
					v += model_bps(m->in.links[
					    m->sl_idx[l]].daily_sales,
					    m->ramp[r]);
				n->kramp[r * n->ns + s] =
				    p->other_daily_receipts -
				    p->fixed_daily_costs -
				    model_bps(v, p->variable_cost_bps);
			}
	}
	n->in = NULL;
	n->sim = m->allf;
	n->nsim = m->ns;
	n->cus = m->cust;
	n->ncus = m->ncust;
	return (n);
}

void
model_net_free(struct model_net *n)
{
	if (n == NULL)
		return;
	free(n->c);
	free(n->rec);
	free(n->repay);
	free(n->fdue);
	free(n->arr);
	free(n->fromc);
	free(n->topay);
	free(n->sout);
	free(n->frel);
	free(n->lfull);
	free(n->lo);
	free(n->loday);
	free(n->breach);
	free(n->ep);
	free(n->fees);
	free(n->kstop);
	free(n->kfull);
	free(n->kramp);
	free(n->ef);
	free(n->er);
	free(n->et);
	free(n->dslot);
	free(n->credit);
	free(n->minl);
	free(n->dmax);
	free(n->owing);
	free(n->tmin);
	free(n->tmax);
	free(n->lv);
	free(n->fdelta);
	free(n->cand);
	free(n->sh);
	free(n->pays);
	free(n);
}

/* level(t) for outage length L. */
static int64_t
level(const struct model *m, int64_t L, int64_t t)
{
	if (L == 0)
		return (MODEL_BPS_MAX);
	if (t < L)
		return (0);
	return (t - L < m->nramp ? m->ramp[t - L] : MODEL_BPS_MAX);
}

static void	pay_record(struct model_net *, int64_t, size_t, int64_t,
		    int64_t, enum model_pay_kind, int64_t, int64_t, int64_t);

/* A payment to the traced supplier, if it is one; nothing otherwise. */
static inline void
pay(struct model_net *n, int64_t day, size_t s, int64_t inv, int64_t u,
    enum model_pay_kind kind, int64_t customer, int64_t gross, int64_t fee)
{
	if (s == n->ts)
		pay_record(n, day, s, inv, u, kind, customer, gross, fee);
}

static void
pay_record(struct model_net *n, int64_t day, size_t s, int64_t inv,
    int64_t u, enum model_pay_kind kind, int64_t customer, int64_t gross,
    int64_t fee)
{
	struct model_payment	*p;
	size_t			 k;

	if (day >= n->H || n->nomem)
		return;
	if (n->npays == n->maxpays) {
		k = n->maxpays == 0 ? 64 : n->maxpays * 2;
		if ((p = reallocarray(n->pays, k, sizeof(*p))) == NULL) {
			n->nomem = 1;
			return;
		}
		n->pays = p;
		n->maxpays = k;
	}
	p = &n->pays[n->npays++];
	p->day = day;
	p->invoice = inv;
	p->approved_day = u;
	p->kind = kind;
	p->customer = customer;
	p->gross = gross;
	p->fee = fee;
	p->net = gross - fee;
}

/*
 * What a link invoice due on day t amounts to (pipeline or projected),
 * from the run's levels by day.
 */
static inline int64_t
due(const struct model_net *n, int64_t ds, int64_t T, int64_t t)
{
	int64_t	lvl;

	if (t < T)
		return (ds);
	lvl = n->lv[t - T];
	if (lvl == MODEL_BPS_MAX)
		return (ds);
	return (lvl == 0 ? 0 : model_bps(ds, lvl));
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct net_cand	*x = a, *y = b;

	if (x->P != y->P)
		return (x->P < y->P ? -1 : 1);
	if (x->rank != y->rank)
		return (x->rank < y->rank ? -1 : 1);
	if (x->ch != y->ch)
		return (x->ch < y->ch ? -1 : 1);
	if (x->k1 != y->k1)
		return (x->k1 < y->k1 ? -1 : 1);
	return (x->k2 < y->k2 ? -1 : x->k2 > y->k2);
}

static void	offer(struct model_net *, const struct net_cand *, int64_t);

/*
 * A candidate of day t: offered at once when nothing caps the scheme and
 * nothing is traced (then the order decides nothing), else kept to be
 * offered in the model's order.
 */
static void
cand_add(struct model_net *n, int64_t t, int64_t P, size_t s, uint8_t ch,
    int64_t k1, int64_t k2, size_t ref, int64_t u, int64_t amt)
{
	struct net_cand	*c, one;
	size_t		 k;

	if (n->direct)
		c = &one;
	else {
		if (n->ncand == n->maxcand) {
			k = n->maxcand == 0 ? 256 : n->maxcand * 2;
			if ((c = reallocarray(n->cand, k, sizeof(*c))) ==
			    NULL) {
				n->nomem = 1;
				return;
			}
			n->cand = c;
			n->maxcand = k;
		}
		c = &n->cand[n->ncand++];
	}
	c->P = P;
	c->rank = n->m->rank[s];
	c->ch = ch;
	c->k1 = k1;
	c->k2 = k2;
	c->s = s;
	c->ref = ref;
	c->u = u;
	c->amt = amt;
	if (n->direct)
		offer(n, c, t);
}

/* Whether an invoice of this amount, due on P, is a candidate on day E. */
static int
candidate(const struct model *m, int64_t amt, int64_t E, int64_t P)
{
	return (amt > 0 && amt >= m->scheme.min_invoice_amount && E < P &&
	    E < m->H);
}

/*
 * Order basis: day t's candidates of seller s, the OEM's projected
 * invoices only. Day E0 offers every delivery up to day e0 +
 * order_lead_days (an order placed before the effective day counts as
 * placed on it), each later day the one delivery ordered
 * payment_lag_days before. They are the OEM's projected channel by u,
 * so that the day's order (P, seller id, channel, u) is version 1's
 * (P, id, u): an order-basis scheme has no open or link candidates.
 */
static void
order_cands(struct model_net *n, size_t s, int64_t L, int64_t t)
{
	const struct model		*m = n->m;
	const struct model_supplier	*p = &m->in.suppliers[s];
	int64_t				 u, ua, ub, amt, P;

	if (t == m->E0) {
		ua = L;
		ub = (m->e > 0 ? m->e : 0) + m->scheme.order_lead_days;
	} else
		ua = ub = t - m->lag + m->scheme.order_lead_days;
	if (ub > m->H - 1)
		ub = m->H - 1;
	for (u = ua; u <= ub; u++) {
		amt = model_bps(p->oem_daily_sales, level(m, L, u));
		P = u + p->payment_terms_days;
		P = P > m->F ? P : m->F;
		if (candidate(m, amt, t, P))
			cand_add(n, t, P, s, 1, u, 0, 0, u, amt);
	}
}

/*
 * Day t's candidates of seller s: on day E0 every invoice approved by the
 * effective day (open ones, the link pipeline, projected ones with
 * u <= max(e, 0)), on a later day those approved payment_lag_days before.
 * With lonly, only those that depend on L: day E0's projected ones.
 */
static void
seller_cands(struct model_net *n, size_t s, int64_t L, int64_t t, int lonly)
{
	const struct model		*m = n->m;
	const struct model_supplier	*p = &m->in.suppliers[s];
	const struct model_link		*lk;
	int64_t				 e0 = m->e > 0 ? m->e : 0, u, ua, ub;
	int64_t				 P, amt, k, T;
	size_t				 j, i, l;

	if (model_order(m)) {
		order_cands(n, s, L, t);
		return;
	}
	if (t == m->E0) {
		for (j = m->inv_off[s]; j < m->inv_off[s + 1] && !lonly; j++) {
			P = m->inv_due[j] > m->F ? m->inv_due[j] : m->F;
			if (candidate(m, m->inv_amt[j], t, P))
				cand_add(n, t, P, s, 0, (int64_t)j, 0,
				    m->inv_idx[j], MODEL_NONE, m->inv_amt[j]);
		}
		ua = 0;
		ub = e0;
	} else {
		ua = ub = t - m->lag;
		if (ua <= e0)
			return;
	}
	if (ub > m->H - 1)
		ub = m->H - 1;
	for (u = ua; u <= ub; u++) {
		amt = model_bps(p->oem_daily_sales, level(m, L, u));
		P = u + p->payment_terms_days;
		P = P > m->F ? P : m->F;
		if (candidate(m, amt, t, P))
			cand_add(n, t, P, s, 1, u, 0, 0, u, amt);
	}
	if (!n->deep)
		return;
	for (i = m->sl_off[s]; i < m->sl_off[s + 1]; i++) {
		l = m->sl_idx[i];
		lk = &m->in.links[l];
		T = lk->payment_terms_days;
		if (t == m->E0 && !lonly)
			for (k = 0; k < T; k++)
				if (candidate(m, lk->daily_sales, t, k))
					cand_add(n, t, k, s, 2,
					    m->rank[m->lends[2 * l + 1]], k - T,
					    l, k - T, lk->daily_sales);
		for (u = ua; u <= ub; u++) {
			amt = model_bps(lk->daily_sales, level(m, L, u));
			if (candidate(m, amt, t, u + T))
				cand_add(n, t, u + T, s, 2,
				    m->rank[m->lends[2 * l + 1]], u, l, u, amt);
		}
	}
}

/* Whether the caps leave room for v more outstanding for seller s. */
static int
caps_allow(const struct model_net *n, size_t s, int64_t v)
{
	const struct model_scheme	*sch = &n->m->scheme;
	int64_t				 sum;

	if (sch->has_per_supplier_cap &&
	    (__builtin_add_overflow(n->sout[s], v, &sum) ||
	    sum > sch->per_supplier_cap))
		return (0);
	if (sch->has_facility_limit &&
	    (__builtin_add_overflow(n->total, v, &sum) ||
	    sum > sch->facility_limit))
		return (0);
	return (1);
}

/*
 * Order basis: the delivery of day c->u, offered on its early day t.
 * Accepted, the prepayment is paid on t and the rest on the true-up day
 * when that comes before P (both funded, the fee in two parts), else by
 * the OEM at P; the funded amount is what the caps check and what is
 * outstanding from t until the OEM repays the funder at P. Rejected,
 * the invoice is paid whole at P.
 */
static void
offer_order(struct model_net *n, const struct net_cand *c, int64_t t)
{
	const struct model		*m = n->m;
	const struct model_scheme	*sch = &m->scheme;
	int64_t				 adv, rest, fin, fee1, fee2, sfee1, sfee2;
	int64_t				 tu, H = n->H;
	size_t				 s = c->s;
	int				 funded;

	adv = model_bps(c->amt, sch->advance_rate_bps);
	rest = c->amt - adv;
	tu = model_order_true_up(m, c->u, t);
	funded = tu < c->P;
	fin = funded ? c->amt : adv;
	if (!caps_allow(n, s, fin)) {
		if (c->P < H)
			n->rec[(size_t)c->P * n->ns + s] += c->amt;
		pay(n, c->P, s, MODEL_NONE, c->u, MODEL_PAY_MATURITY,
		    MODEL_NONE, c->amt, 0);
		return;
	}
	fee1 = model_sim_fee(m, adv, c->P - t, &n->ovf);
	fee2 = funded ? model_sim_fee(m, rest, c->P - tu, &n->ovf) : 0;
	sfee1 = sch->fee_bearer == MODEL_FEE_OEM ? 0 : fee1;
	sfee2 = sch->fee_bearer == MODEL_FEE_OEM ? 0 : fee2;
	n->sout[s] += fin;
	n->total += fin;
	n->ep[s] += fin;
	n->fees[s] += fee1 + fee2;
	n->rec[(size_t)t * n->ns + s] += adv - sfee1;
	pay(n, t, s, MODEL_NONE, c->u, MODEL_PAY_PREPAYMENT, MODEL_NONE, adv,
	    sfee1);
	if (funded) {
		if (tu < H)
			n->rec[(size_t)tu * n->ns + s] += rest - sfee2;
		pay(n, tu, s, MODEL_NONE, c->u, MODEL_PAY_TRUE_UP, MODEL_NONE,
		    rest, sfee2);
	} else if (c->P < H) {
		n->rec[(size_t)c->P * n->ns + s] += rest;
		pay(n, c->P, s, MODEL_NONE, c->u, MODEL_PAY_REMAINDER,
		    MODEL_NONE, rest, 0);
	}
	if (c->P < H)
		n->repay[(size_t)c->P * n->ns + s] += fin;
}

/* One candidate of day t: accepted if the caps allow, else paid at P. */
static void
offer(struct model_net *n, const struct net_cand *c, int64_t t)
{
	const struct model	*m = n->m;
	const struct model_scheme *sch = &m->scheme;
	int64_t			 adv, fee, sfee, H = n->H, cus;
	size_t			 s = c->s;

	if (model_order(m)) {
		offer_order(n, c, t);
		return;
	}
	adv = model_bps(c->amt, sch->advance_rate_bps);
	cus = c->ch == 2 ? (int64_t)m->lends[2 * c->ref + 1] : MODEL_NONE;
	if (!caps_allow(n, s, adv)) {
		if (c->ch == 2)
			return;		/* owed whole to the seller */
		if (c->P < H)
			n->rec[(size_t)c->P * n->ns + s] += c->amt;
		pay(n, c->P, s, c->ch == 0 ? (int64_t)c->ref : MODEL_NONE,
		    c->u, MODEL_PAY_MATURITY, MODEL_NONE, c->amt, 0);
		return;
	}
	fee = model_sim_fee(m, adv, c->P - t, &n->ovf);
	sfee = sch->fee_bearer == MODEL_FEE_OEM ? 0 : fee;
	n->sout[s] += adv;
	n->total += adv;
	n->ep[s] += adv;
	n->fees[s] += fee;
	n->rec[(size_t)t * n->ns + s] += adv - sfee;
	if (c->ch == 2) {
		pay(n, t, s, MODEL_NONE, c->u, MODEL_PAY_DEEP_TIER, cus, adv,
		    sfee);
		if (c->P < H)
			n->fdue[(size_t)c->P * n->nl + m->lpos[c->ref]] += adv;
		return;
	}
	pay(n, t, s, c->ch == 0 ? (int64_t)c->ref : MODEL_NONE, c->u,
	    MODEL_PAY_EARLY, MODEL_NONE, adv, sfee);
	if (c->P < H) {
		n->repay[(size_t)c->P * n->ns + s] += adv;
		n->rec[(size_t)c->P * n->ns + s] += c->amt - adv;
		pay(n, c->P, s, c->ch == 0 ? (int64_t)c->ref : MODEL_NONE,
		    c->u, MODEL_PAY_REMAINDER, MODEL_NONE, c->amt - adv, 0);
	}
}

/* One of day E0's candidates that do not depend on L. */
static int
e0_add(struct model *m, size_t *max, int64_t P, size_t s, uint8_t ch,
    int64_t k1, int64_t k2, size_t ref, int64_t u, int64_t amt)
{
	struct net_cand	*c;
	size_t		 k;

	if (m->ne0c == *max) {
		k = *max == 0 ? 256 : *max * 2;
		if ((c = reallocarray(m->e0c, k, sizeof(*c))) == NULL)
			return (-1);
		m->e0c = c;
		*max = k;
	}
	c = &m->e0c[m->ne0c++];
	c->P = P;
	c->rank = m->rank[s];
	c->ch = ch;
	c->k1 = k1;
	c->k2 = k2;
	c->s = s;
	c->ref = ref;
	c->u = u;
	c->amt = amt;
	return (0);
}

/*
 * With a cap every run sorts day E0's candidates. Most of them, the open
 * invoices and the link pipelines, are the same in every run of every L:
 * they are found and sorted once here, and each run sorts only its
 * projected ones and merges the two (decide).
 */
static int
e0_prepare(struct model *m)
{
	const struct model_scheme	*sch = &m->scheme;
	const struct model_link		*lk;
	size_t				 s, j, i, l, max = 0;
	int64_t				 P, k, T;

	if (!m->has_scheme || model_order(m) || m->E0 >= m->H ||
	    (!sch->has_per_supplier_cap && !sch->has_facility_limit))
		return (0);
	for (s = 0; s < m->ns; s++) {
		if (!m->elig[s])
			continue;
		for (j = m->inv_off[s]; j < m->inv_off[s + 1]; j++) {
			P = m->inv_due[j] > m->F ? m->inv_due[j] : m->F;
			if (candidate(m, m->inv_amt[j], m->E0, P) &&
			    e0_add(m, &max, P, s, 0, (int64_t)j, 0,
			    m->inv_idx[j], MODEL_NONE, m->inv_amt[j]) == -1)
				return (-1);
		}
		if (sch->covers != MODEL_COVERS_ALL)
			continue;
		for (i = m->sl_off[s]; i < m->sl_off[s + 1]; i++) {
			l = m->sl_idx[i];
			lk = &m->in.links[l];
			T = lk->payment_terms_days;
			for (k = 0; k < T; k++)
				if (candidate(m, lk->daily_sales, m->E0, k) &&
				    e0_add(m, &max, k, s, 2,
				    m->rank[m->lends[2 * l + 1]], k - T, l,
				    k - T, lk->daily_sales) == -1)
					return (-1);
		}
	}
	if (m->e0c == NULL && (m->e0c = calloc(1, sizeof(*m->e0c))) == NULL)
		return (-1);
	qsort(m->e0c, m->ne0c, sizeof(*m->e0c), cand_cmp);
	return (0);
}

/*
 * Day E0 with the candidates of e0_prepare: the run's own (projected
 * invoices) found and sorted, then both offered in the model's order.
 */
static void
e0_decide(struct model_net *n, int64_t L, int64_t t)
{
	const struct model	*m = n->m;
	const struct net_cand	*a;
	size_t			 r, s, i = 0, k = 0;

	for (r = 0; r < n->nef; r++) {
		s = n->er[r];
		if (n->in == NULL || n->in[s])
			seller_cands(n, s, L, t, 1);
	}
	if (n->nomem)
		return;
	if (n->ncand > 1)
		qsort(n->cand, n->ncand, sizeof(*n->cand), cand_cmp);
	while (i < m->ne0c || k < n->ncand) {
		a = i < m->ne0c ? &m->e0c[i] : NULL;
		if (a != NULL && n->in != NULL && !n->in[a->s]) {
			i++;
			continue;
		}
		if (a != NULL && (k == n->ncand ||
		    cand_cmp(a, &n->cand[k]) < 0)) {
			offer(n, a, t);
			i++;
		} else
			offer(n, &n->cand[k++], t);
	}
}

/* The terms of a deep-tier slot. */
static inline int64_t
slot_terms(const struct model_net *n, size_t v)
{
	const struct model	*m = n->m;

	return (v < n->ns ? m->in.suppliers[v].payment_terms_days :
	    m->in.links[v - n->ns].payment_terms_days);
}

/* A deep-tier slot's candidate of day t, delivered on u at level lvl. */
static void
slot_cand(struct model_net *n, size_t v, int64_t t, int64_t u, int64_t lvl)
{
	const struct model		*m = n->m;
	const struct model_link		*lk;
	int64_t				 amt, P;
	size_t				 s, l;

	if (v < n->ns) {
		s = v;
		if (n->in != NULL && !n->in[s])
			return;
		amt = model_bps(m->in.suppliers[s].oem_daily_sales, lvl);
		P = u + m->in.suppliers[s].payment_terms_days;
		P = P > m->F ? P : m->F;
		if (candidate(m, amt, t, P))
			cand_add(n, t, P, s, 1, u, 0, 0, u, amt);
		return;
	}
	l = v - n->ns;
	lk = &m->in.links[l];
	s = m->lends[2 * l];
	if (n->in != NULL && !n->in[s])
		return;
	amt = model_bps(lk->daily_sales, lvl);
	if (candidate(m, amt, t, u + lk->payment_terms_days))
		cand_add(n, t, u + lk->payment_terms_days, s, 2,
		    m->rank[m->lends[2 * l + 1]], u, l, u, amt);
}

/*
 * Deep tier, a day t after E0: the candidates of seller_cands, found in
 * the model's order without sorting. They are all of the day u = t -
 * lag, so P = u + terms but for the OEM invoices with u + terms <= F,
 * held to F. In the slots' order (terms, seller id, channel, customer
 * id) come first the link invoices due before F, then those due on F
 * merged by (seller id, channel, customer id) with the held OEM
 * invoices (taken by id), then every slot due after F.
 */
static void
deep_cands(struct model_net *n, int64_t L, int64_t t)
{
	const struct model	*m = n->m;
	int64_t			 u = t - m->lag, e0 = m->e > 0 ? m->e : 0;
	int64_t			 G, lvl, d;
	size_t			 i = 0, j, r = 0, v, s;

	if (u <= e0 || (lvl = level(m, L, u)) == 0)
		return;
	G = m->F - u;
	for (; i < n->ndslot && (d = slot_terms(n, n->dslot[i])) < G; i++)
		if (n->dslot[i] >= n->ns)
			slot_cand(n, n->dslot[i], t, u, lvl);
	for (j = i; j < n->ndslot && slot_terms(n, n->dslot[j]) == G; j++)
		;
	/* Due on F: the held OEM invoices (channel 1) and the links. */
	for (;;) {
		while (r < n->nef &&
		    m->in.suppliers[n->er[r]].payment_terms_days > G)
			r++;
		while (i < j && n->dslot[i] < n->ns)
			i++;
		if (r == n->nef && i == j)
			break;
		s = r < n->nef ? n->er[r] : n->ns;
		v = i < j ? n->dslot[i] : n->ns;
		if (i == j || (r < n->nef && m->rank[s] <=
		    m->rank[m->lends[2 * (v - n->ns)]])) {
			slot_cand(n, s, t, u, lvl);
			r++;
		} else {
			slot_cand(n, v, t, u, lvl);
			i++;
		}
	}
	for (; i < n->ndslot; i++)
		slot_cand(n, n->dslot[i], t, u, lvl);
}

/*
 * Step (3): day t's candidates, in the model's order. Without a cap
 * every candidate is accepted and the order decides nothing: they are
 * taken as they are found, unless a trace wants its payments in order.
 */
static void
decide(struct model_net *n, int64_t L, int64_t t)
{
	const struct model	*m = n->m;
	size_t			 r, s, k;
	int64_t			 u;

	n->ncand = 0;
	if (n->direct) {
		for (k = 0; k < n->nef; k++) {
			s = n->ef[k];
			if (n->in == NULL || n->in[s])
				seller_cands(n, s, L, t, 0);
		}
		return;
	}
	if (t == m->E0 && m->e0c != NULL && !m->net_sorted) {
		e0_decide(n, L, t);
		return;
	}
	if (t > m->E0 && n->deep && !model_order(m) && !m->net_sorted)
		deep_cands(n, L, t);
	else if (t > m->E0 && !n->deep) {
		/*
		 * After day E0, without link candidates: at most one
		 * delivery u per seller, the same u for all, P = max(u +
		 * terms, F). Those paid at the end of the freeze come first
		 * by id, then the others by (terms, id): already the order
		 * (P, id).
		 */
		u = model_order(m) ? t - m->lag + m->scheme.order_lead_days :
		    t - m->lag;
		for (r = 0; r < n->nef; r++) {
			s = n->er[r];
			if ((n->in == NULL || n->in[s]) &&
			    u + m->in.suppliers[s].payment_terms_days <= m->F)
				seller_cands(n, s, L, t, 0);
		}
		for (r = 0; r < n->nef; r++) {
			s = n->et[r];
			if ((n->in == NULL || n->in[s]) &&
			    u + m->in.suppliers[s].payment_terms_days > m->F)
				seller_cands(n, s, L, t, 0);
		}
	} else {
		for (r = 0; r < n->nef; r++) {
			s = n->er[r];
			if (n->in == NULL || n->in[s])
				seller_cands(n, s, L, t, 0);
		}
		if (n->ncand > 1)
			qsort(n->cand, n->ncand, sizeof(*n->cand), cand_cmp);
	}
	if (n->nomem || n->ncand == 0)
		return;
	for (k = 0; k < n->ncand; k++)
		offer(n, &n->cand[k], t);
}

static int
share_cmp(const void *a, const void *b)
{
	const struct share	*x = a, *y = b;

	if (x->r != y->r)
		return (x->r > y->r ? -1 : 1);
	if (x->rank != y->rank)
		return (x->rank < y->rank ? -1 : 1);
	return (x->kind - y->kind);
}

/*
 * p of D shared out: floor(p * o / D) each, the pennies left one each to
 * the largest remainders (ties by seller id, then kind).
 */
static void
prorata(struct share *sh, size_t k, int64_t p, int64_t D)
{
	struct share	tmp;
	__int128	q;
	int64_t		left = p, v;
	size_t		i, j;

	for (i = 0; i < k; i++) {
		if (__builtin_mul_overflow(p, sh[i].o, &v)) {
			q = (__int128)p * sh[i].o;
			sh[i].x = (int64_t)(q / D);
			sh[i].r = q % D;
		} else {
			sh[i].x = v / D;
			sh[i].r = v % D;
		}
		left -= sh[i].x;
	}
	if (left == 0)
		return;
	/* share_cmp is a total order: any sort gives the same shares. */
	if (k > 24)
		qsort(sh, k, sizeof(*sh), share_cmp);
	else
		for (i = 1; i < k; i++) {
			tmp = sh[i];
			for (j = i; j > 0 && share_cmp(&tmp, &sh[j - 1]) < 0; j--)
				sh[j] = sh[j - 1];
			sh[j] = tmp;
		}
	for (i = 0; i < k && left > 0; i++, left--)
		sh[i].x++;
}

/*
 * Step (2): customer j pays what it owes, as far as it can. What falls due
 * is read once; only a customer that cannot pay in full shares it out.
 */
static void
customer_pays(struct model_net *n, size_t j, int64_t L, int64_t t, int cf)
{
	const struct model	*m = n->m;
	struct share		*sh;
	int64_t			*fd = NULL, *arr = n->arr, f, o, D = 0, cap, p;
	size_t			 i, a = m->cl_off[j], b = m->cl_off[j + 1], k = 0;
	size_t			 seller;
	int			 kind;

	if (n->fdue != NULL)
		fd = n->fdue + (size_t)t * n->nl;
	/*
	 * Owing nothing overdue and able to pay the most that can fall due
	 * on a day (every link at full production), it pays as it reads.
	 */
	if (!n->owing[j] && fd == NULL && (cf || n->c[j] + n->credit[j] >=
	    n->dmax[j])) {
		for (i = a; i < b; i++) {
			if ((f = due(n, m->cl_ds[i], m->cl_T[i], t)) == 0)
				continue;
			seller = m->cl_sel[i];
			n->fromc[seller] += f;
			pay(n, t, seller, MODEL_NONE, MODEL_NONE,
			    MODEL_PAY_CUSTOMER, (int64_t)j, f, 0);
			D += f;
		}
		n->topay[j] = D;
		return;
	}
	n->owing[j] = 0;
	for (i = a; i < b; i++) {
		f = fd != NULL ? fd[i] : 0;
		/* Kind 0 owes the due less the funder's part: arrears plus. */
		if (f != 0) {
			fd[i] = 0;
			n->farr += f;
		}
		arr[2 * i] += due(n, m->cl_ds[i], m->cl_T[i], t) - f;
		arr[2 * i + 1] += f;
		D += arr[2 * i] + arr[2 * i + 1];
	}
	if (D == 0)
		return;
	cap = n->c[j] + n->credit[j];
	cap = cap > 0 ? cap : 0;
	p = cf || cap >= D ? D : cap;
	n->topay[j] = p;
	if (p == D) {
		for (i = a; i < b; i++) {
			seller = m->cl_sel[i];
			if (arr[2 * i] > 0) {
				n->fromc[seller] += arr[2 * i];
				pay(n, t, seller, MODEL_NONE, MODEL_NONE,
				    MODEL_PAY_CUSTOMER, (int64_t)j, arr[2 * i], 0);
			}
			arr[2 * i] = 0;
			if (fd == NULL)
				continue;
			n->sout[seller] -= arr[2 * i + 1];
			n->total -= arr[2 * i + 1];
			n->farr -= arr[2 * i + 1];
			arr[2 * i + 1] = 0;
		}
		return;
	}
	n->bound = 1;
	n->owing[j] = 1;
	if (2 * (b - a) > n->maxsh) {
		if ((sh = reallocarray(n->sh, 2 * (b - a), sizeof(*sh))) ==
		    NULL) {
			n->nomem = 1;
			return;
		}
		n->sh = sh;
		n->maxsh = 2 * (b - a);
	}
	sh = n->sh;
	for (i = a; i < b; i++)
		for (kind = 0; kind < 2; kind++)
			if ((o = arr[2 * i + (size_t)kind]) > 0) {
				sh[k].l = i;
				sh[k].kind = kind;
				sh[k].rank = m->cl_rank[i];
				sh[k++].o = o;
			}
	prorata(sh, k, p, D);
	for (i = 0; i < k; i++) {
		seller = m->cl_sel[sh[i].l];
		arr[2 * sh[i].l + (size_t)sh[i].kind] -= sh[i].x;
		if (sh[i].x == 0)
			continue;
		if (sh[i].kind == 0) {
			n->fromc[seller] += sh[i].x;
			pay(n, t, seller, MODEL_NONE, MODEL_NONE,
			    MODEL_PAY_CUSTOMER, (int64_t)j, sh[i].x, 0);
		} else {
			n->sout[seller] -= sh[i].x;
			n->total -= sh[i].x;
			n->farr -= sh[i].x;
		}
	}
}

/*
 * Step (2) for a customer that is not run: it pays its sellers that are
 * run in full on the due day, as in the counterfactual (its sellers that
 * are not run are no concern of this run).
 */
static void
outside_pays(struct model_net *n, size_t j, int64_t L, int64_t t)
{
	const struct model	*m = n->m;
	int64_t			*fd = NULL, f, d;
	size_t			 i, seller;

	if (n->fdue != NULL)
		fd = n->fdue + (size_t)t * n->nl;
	for (i = m->cl_off[j]; i < m->cl_off[j + 1]; i++) {
		seller = m->cl_sel[i];
		if (!n->in[seller])
			continue;
		f = 0;
		if (fd != NULL && fd[i] != 0) {
			f = fd[i];
			fd[i] = 0;
		}
		d = due(n, m->cl_ds[i], m->cl_T[i], t) - f;
		if (d > 0) {
			n->fromc[seller] += d;
			pay(n, t, seller, MODEL_NONE, MODEL_NONE,
			    MODEL_PAY_CUSTOMER, (int64_t)j, d, 0);
		}
		if (f != 0) {
			n->sout[seller] -= f;
			n->total -= f;
		}
	}
}

/* What seller s makes for its customers on day t (for variable costs). */
static int64_t
link_sales(const struct model_net *n, size_t s, int64_t lvl)
{
	const struct model	*m = n->m;
	int64_t			 v = 0;
	size_t			 i;

	if (lvl == MODEL_BPS_MAX)
		return (n->lfull[s]);
	if (lvl == 0)
		return (0);
	for (i = m->sl_off[s]; i < m->sl_off[s + 1]; i++)
		v += model_bps(m->in.links[m->sl_idx[i]].daily_sales, lvl);
	return (v);
}

/* The OEM's invoices that are no candidate: paid whole at P. */
static void
oem_maturities(struct model_net *n, size_t s, int64_t L, int open)
{
	const struct model		*m = n->m;
	const struct model_supplier	*p = &m->in.suppliers[s];
	int64_t				 H = n->H, P, E, u, amt;
	int				 elig = m->has_scheme && m->elig[s];
	int				 order = model_order(m);
	size_t				 j;

	/* Open invoices were ordered before an order-basis scheme. */
	for (j = open ? m->inv_off[s] : m->inv_off[s + 1];
	    j < m->inv_off[s + 1]; j++) {
		P = m->inv_due[j] > m->F ? m->inv_due[j] : m->F;
		if (elig && !order && candidate(m, m->inv_amt[j], m->E0, P))
			continue;
		if (P < H)
			n->rec[(size_t)P * n->ns + s] += m->inv_amt[j];
		pay(n, P, s, (int64_t)m->inv_idx[j], MODEL_NONE,
		    MODEL_PAY_MATURITY, MODEL_NONE, m->inv_amt[j], 0);
	}
	if (p->oem_daily_sales == 0)
		return;		/* no projected invoice on the OEM */
	for (u = L == 0 ? 0 : L; u < H; u++) {
		amt = model_bps(p->oem_daily_sales, level(m, L, u));
		if (amt == 0)
			continue;
		P = u + p->payment_terms_days;
		P = P > m->F ? P : m->F;
		if (order)
			E = model_order_early(m, u);
		else
			E = (u > m->e ? u : m->e) + m->lag;
		if (elig && candidate(m, amt, E, P))
			continue;
		if (P < H)
			n->rec[(size_t)P * n->ns + s] += amt;
		pay(n, P, s, MODEL_NONE, u, MODEL_PAY_MATURITY, MODEL_NONE,
		    amt, 0);
	}
}

void
model_net_payments(const struct model_net *n,
    const struct model_payment **pays, size_t *npays)
{
	*pays = n->pays;
	*npays = n->npays;
}

/* The next run (not a counterfactual) fills one result per link. */
void
model_net_links(struct model_net *n, struct model_link_result *lres)
{
	n->lres = lres;
}

static int
narrow(__int128 v, int64_t *out)
{
	if (v > INT64_MAX || v < INT64_MIN)
		return (-1);
	*out = (int64_t)v;
	return (0);
}

/*
 * A firm's own flows of day t (level lvl): other receipts less fixed
 * and variable costs, the latter on its OEM and link sales.
 */
static inline int64_t
own_flow(const struct model_net *n, size_t s, int64_t L, int64_t t,
    int64_t lvl)
{
	const struct model_supplier	*p;

	if (t < L)
		return (n->kstop[s]);
	if (lvl == MODEL_BPS_MAX)
		return (n->kfull[s]);
	if (n->kramp != NULL)
		return (n->kramp[(size_t)(t - L) * n->ns + s]);
	p = &n->m->in.suppliers[s];
	return (p->other_daily_receipts - p->fixed_daily_costs -
	    model_bps(model_bps(p->oem_daily_sales, lvl) +
	    link_sales(n, s, lvl), p->variable_cost_bps));
}

/* Day t of a run: steps (1) to (4) for the firms run. */
static void
net_day(struct model_net *n, int64_t L, int cf, int64_t t)
{
	const struct model		*m = n->m;
	const struct model_trace	*tr = n->tr;
	size_t				 s, i, k, j, ts = n->ts;
	int64_t				 lvl, liq, v, day, *rec;

	/* Only the firms in the scheme have advances to repay. */
	if (m->has_scheme)
		for (k = 0; k < n->nef; k++) {
			s = n->ef[k];
			if (n->in != NULL && !n->in[s])
				continue;
			v = n->repay[(size_t)t * n->ns + s];
			n->repay[(size_t)t * n->ns + s] = 0;
			n->sout[s] -= v;
			n->total -= v;
		}
	for (k = 0; k < n->ncus; k++) {
		j = n->cus[k];
		/*
		 * Past every pipeline and before any link's first
		 * invoice of the restart falls due, nothing does.
		 */
		if (L > 0 && n->fdue == NULL && !n->owing[j] &&
		    t >= n->tmax[j] && t < L + n->tmin[j])
			continue;
		if (n->in == NULL || n->in[j])
			customer_pays(n, j, L, t, cf);
		else
			outside_pays(n, j, L, t);
	}
	if (n->lres != NULL && !cf)
		for (i = 0; i < n->nl; i++)
			if (n->arr[2 * m->lpos[i]] > 0)
				n->lres[i].late_days++;
	n->fdelta[t] = n->farr;
	if (m->has_scheme && t >= m->E0) {
		decide(n, L, t);
		if (n->total > n->peak)
			n->peak = n->total;
	}
	lvl = level(m, L, t);
	rec = n->rec + (size_t)t * n->ns;
	for (k = 0; k < n->nsim; k++) {
		s = n->sim[k];
		day = own_flow(n, s, L, t, lvl);
		n->c[s] += day + rec[s] + n->fromc[s] - n->topay[s];
		if (!n->keep)
			rec[s] = 0;
		n->fromc[s] = n->topay[s] = 0;
		liq = n->c[s] + n->credit[s];
		if (liq < n->lo[s]) {
			n->lo[s] = liq;
			n->loday[s] = t;
		}
		if (n->breach[s] == MODEL_NONE && liq < n->minl[s])
			n->breach[s] = t;
		if (s == ts && tr != NULL && tr->day != NULL)
			tr->day(tr->arg, t, liq);
	}
}

/* Before day 0 of a run: the firms run start from their inputs. */
static void
net_init(struct model_net *n, int64_t L, int cf, size_t ts,
    const struct model_trace *tr)
{
	const struct model		*m = n->m;
	const struct model_scheme	*sch = &m->scheme;
	size_t				 H = (size_t)n->H, s, i, k, j;
	int64_t				 t;

	n->ts = ts;
	n->tr = tr;
	if (ts < n->ns)
		n->npays = 0;
	n->nomem = n->ovf = 0;
	n->total = n->peak = 0;
	n->farr = 0;
	n->direct = m->has_scheme && !sch->has_per_supplier_cap &&
	    !sch->has_facility_limit && ts >= n->ns;
	if (!n->clean) {
		memset(n->rec, 0, n->ns * H * sizeof(int64_t));
		if (n->repay != NULL)
			memset(n->repay, 0, n->ns * H * sizeof(int64_t));
		if (n->fdue != NULL)
			memset(n->fdue, 0, n->nl * H * sizeof(int64_t));
	}
	n->clean = 0;
	n->bound = 0;
	for (k = 0; k < n->ncus; k++) {
		j = n->cus[k];
		n->owing[j] = 0;
		for (i = m->cl_off[j]; i < m->cl_off[j + 1]; i++)
			n->arr[2 * i] = n->arr[2 * i + 1] = 0;
	}
	for (t = 0; t < n->H; t++)
		n->lv[t] = level(m, L, t);
	if (n->lres != NULL && !cf)
		memset(n->lres, 0, n->nl * sizeof(*n->lres));
	for (k = 0; k < n->nsim; k++) {
		s = n->sim[k];
		n->c[s] = m->in.suppliers[s].cash;
		n->lo[s] = INT64_MAX;
		n->loday[s] = 0;
		n->breach[s] = MODEL_NONE;
		n->fromc[s] = n->topay[s] = 0;
		n->sout[s] = n->ep[s] = n->fees[s] = 0;
		oem_maturities(n, s, L, 1);
	}

}

/*
 * One run of the network for outage length L: the counterfactual when cf
 * (every customer pays in full on the due day), of the firms n->sim
 * (every firm, or those of model_net_run_within). Fills one result per
 * firm run (contagion left 0) and, for every firm, the point
 * (suppliers_below_contagion left 0); traces supplier ts (ns: none, and
 * the payments of the last traced run are kept) through tr. Returns 1
 * when some customer could not pay in full: otherwise the run was its
 * own counterfactual.
 */
static int	net_finish(struct model_net *, int64_t, int,
		    struct model_result *, struct model_point *,
		    struct model_error *);

static int
run(struct model_net *n, int64_t L, int cf, size_t ts,
    const struct model_trace *tr, struct model_result *res,
    struct model_point *pt, struct model_error *err)
{
	int64_t	t;

	net_init(n, L, cf, ts, tr);
	for (t = 0; t < n->H; t++) {
		net_day(n, L, cf, t);
		if (n->nomem)
			break;
	}
	return (net_finish(n, L, cf, res, pt, err));
}

/* After the last day: the results of the firms run, and the point. */
static int
net_finish(struct model_net *n, int64_t L, int cf, struct model_result *res,
    struct model_point *pt, struct model_error *err)
{
	const struct model		*m = n->m;
	const struct model_supplier	*p;
	size_t				 s, i, k;
	int64_t				 rs, rp;
	__int128			 emp = 0, gap = 0, ep = 0, fees = 0;
	__int128			 otc = 0, fo = 0;
	int64_t				 below = 0;

	n->clean = !n->nomem && !n->keep;
	if (n->nomem) {
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		return (-1);
	}
	if (n->ovf) {
		model_error_set(err, MODEL_ERR_OVERFLOW, "run", 0, "", "",
		    "figures too large for 64-bit money");
		return (-1);
	}

	if (n->lres != NULL && !cf)
		for (i = 0; i < n->nl; i++)
			n->lres[i].overdue = n->arr[2 * m->lpos[i]];
	for (k = 0; k < n->nsim; k++) {
		s = n->sim[k];
		p = &m->in.suppliers[s];
		rs = rp = 0;
		for (i = m->sl_off[s]; i < m->sl_off[s + 1]; i++)
			rs += n->arr[2 * m->lpos[m->sl_idx[i]]];
		for (i = m->cl_off[s]; i < m->cl_off[s + 1]; i++) {
			rp += n->arr[2 * i] + n->arr[2 * i + 1];
			fo += n->arr[2 * i + 1];
		}
		otc += rs;
		if (res != NULL) {
			memset(&res[s], 0, sizeof(res[s]));
			res[s].breach_day = n->breach[s];
			res[s].lowest_liquidity = n->lo[s];
			res[s].lowest_liquidity_day = n->loday[s];
			res[s].funding_gap = p->min_liquidity - n->lo[s] > 0 ?
			    p->min_liquidity - n->lo[s] : 0;
			res[s].early_paid = n->ep[s];
			res[s].fees = n->fees[s];
			res[s].overdue_receivables = rs;
			res[s].overdue_payables = rp;
		}
		if (n->breach[s] != MODEL_NONE) {
			below++;
			emp += p->employees;
		}
		if (p->min_liquidity - n->lo[s] > 0)
			gap += (__int128)p->min_liquidity - n->lo[s];
		ep += n->ep[s];
		fees += n->fees[s];
	}
	if (pt != NULL) {
		memset(pt, 0, sizeof(*pt));
		pt->outage_days = L;
		pt->suppliers_below = below;
		pt->peak_facility_use = n->peak;
		if (narrow(emp, &pt->employees_at_risk) == -1 ||
		    narrow(gap, &pt->funding_gap) == -1 ||
		    narrow(ep, &pt->early_paid) == -1 ||
		    narrow(fees, &pt->fees) == -1 ||
		    narrow(otc, &pt->overdue_trade_credit) == -1 ||
		    narrow(fo, &pt->funder_overdue) == -1) {
			model_error_set(err, MODEL_ERR_OVERFLOW, "run", 0, "",
			    "", "totals too large for 64-bit money");
			return (-1);
		}
		if (m->has_scheme && m->scheme.fee_bearer == MODEL_FEE_OEM)
			pt->oem_cost = pt->fees;
	}
	return (n->bound);
}

/* Every firm: the reference. */
int
model_net_run(struct model_net *n, int64_t L, int cf, size_t ts,
    const struct model_trace *tr, struct model_result *res,
    struct model_point *pt, struct model_error *err)
{
	n->in = NULL;
	n->sim = n->m->allf;
	n->nsim = n->m->ns;
	n->cus = n->m->cust;
	n->ncus = n->m->ncust;
	return (run(n, L, 0 != cf, ts, tr, res, pt, err));
}

/*
 * The run itself (not the counterfactual) of the firms in (nsim of them,
 * listed in sim), which must hold every seller of each of them: the
 * others are taken to be as in the counterfactual, so that their
 * customers pay them in full on the due day (cus lists the customers to
 * process: those in, and those outside with a seller in). Fills res for
 * the firms in, the funder's claims in arrears after each day's payments
 * (fdelta, H entries) and, at the end, what is overdue to sellers (otc)
 * and to the funder (fo).
 */
int
model_net_run_within(struct model_net *n, int64_t L, const uint8_t *in,
    const size_t *sim, size_t nsim, const size_t *cus, size_t ncus,
    struct model_result *res, int64_t *fdelta, int64_t *otc, int64_t *fo,
    struct model_error *err)
{
	struct model_point	pt;
	int			rc;

	n->in = in;
	n->sim = sim;
	n->nsim = nsim;
	n->cus = cus;
	n->ncus = ncus;
	rc = run(n, L, 0, n->ns, NULL, res, &pt, err);
	n->in = NULL;
	n->sim = n->m->allf;
	n->nsim = n->m->ns;
	n->cus = n->m->cust;
	n->ncus = n->m->ncust;
	if (rc == -1)
		return (-1);
	if (fdelta != NULL)
		memcpy(fdelta, n->fdelta, (size_t)n->H * sizeof(*fdelta));
	*otc = pt.overdue_trade_credit;
	*fo = pt.funder_overdue;
	return (rc);
}

/*
 * The run with production stopped the whole horizon (L = H), every firm,
 * day by day on demand: its days before L are those of the run of every
 * length L >= 1 (nothing before L depends on L), so that a sweep runs
 * them once (model_net_stop_to) and each length from day L on
 * (model_net_run_from).
 */
void
model_net_stop_begin(struct model_net *n)
{
	n->in = NULL;
	n->sim = n->m->allf;
	n->nsim = n->m->ns;
	n->cus = n->m->cust;
	n->ncus = n->m->ncust;
	net_init(n, n->H, 0, n->ns, NULL);
	n->tnext = 0;
}

/* The stopped run's days up to d - 1; -1 when out of memory. */
int
model_net_stop_to(struct model_net *n, int64_t d)
{
	while (n->tnext < d && !n->nomem)
		net_day(n, n->H, 0, n->tnext++);
	return (n->nomem ? -1 : 0);
}

/*
 * As model_net_run_within for 1 <= L < H without deep-tier financing,
 * the days before L taken from the stopped run, which has run them
 * (stop->tnext == L): the firms in start day L where it ends day L - 1,
 * their receipts still to come (open invoices, the scheme's remainders)
 * as it has them, and the projected invoices of L added.
 */
int
model_net_run_from(struct model_net *n, int64_t L,
    const struct model_net *stop, const uint8_t *in, const size_t *sim,
    size_t nsim, const size_t *cus, size_t ncus, struct model_result *res,
    int64_t *fdelta, int64_t *otc, int64_t *fo, struct model_error *err)
{
	const struct model		*m = n->m;
	const struct model_scheme	*sch = &m->scheme;
	struct model_point		 pt;
	size_t				 H = (size_t)n->H, s, i, k, j, r;
	int64_t				 t;
	int				 rc;

	n->in = in;
	n->sim = sim;
	n->nsim = nsim;
	n->cus = cus;
	n->ncus = ncus;
	n->ts = n->ns;
	n->tr = NULL;
	n->nomem = n->ovf = 0;
	n->total = stop->total;
	n->peak = stop->peak;
	n->farr = stop->farr;
	n->direct = m->has_scheme && !sch->has_per_supplier_cap &&
	    !sch->has_facility_limit;
	if (!n->clean) {
		memset(n->rec, 0, n->ns * H * sizeof(int64_t));
		if (n->repay != NULL)
			memset(n->repay, 0, n->ns * H * sizeof(int64_t));
	}
	n->clean = 0;
	n->bound = 0;
	for (k = 0; k < ncus; k++) {
		j = cus[k];
		n->owing[j] = in[j] ? stop->owing[j] : 0;
		for (i = m->cl_off[j]; i < m->cl_off[j + 1]; i++) {
			n->arr[2 * i] = in[j] ? stop->arr[2 * i] : 0;
			n->arr[2 * i + 1] = in[j] ? stop->arr[2 * i + 1] : 0;
		}
	}
	for (t = 0; t < n->H; t++)
		n->lv[t] = level(m, L, t);
	for (k = 0; k < nsim; k++) {
		s = sim[k];
		n->c[s] = stop->c[s];
		n->lo[s] = stop->lo[s];
		n->loday[s] = stop->loday[s];
		n->breach[s] = stop->breach[s];
		n->sout[s] = stop->sout[s];
		n->ep[s] = stop->ep[s];
		n->fees[s] = stop->fees[s];
		n->fromc[s] = n->topay[s] = 0;
	}
	for (r = (size_t)L * n->ns; r < H * n->ns; r += n->ns)
		for (k = 0; k < nsim; k++) {
			n->rec[r + sim[k]] = stop->rec[r + sim[k]];
			if (n->repay != NULL)
				n->repay[r + sim[k]] = stop->repay[r + sim[k]];
		}
	for (k = 0; k < nsim; k++)
		oem_maturities(n, sim[k], L, 0);
	for (t = 0; t < L; t++)
		n->fdelta[t] = stop->fdelta[t];
	for (t = L; t < n->H; t++) {
		net_day(n, L, 0, t);
		if (n->nomem)
			break;
	}
	rc = net_finish(n, L, 0, res, &pt, err);
	n->in = NULL;
	n->sim = m->allf;
	n->nsim = m->ns;
	n->cus = m->cust;
	n->ncus = m->ncust;
	if (rc == -1)
		return (-1);
	if (fdelta != NULL)
		memcpy(fdelta, n->fdelta, H * sizeof(*fdelta));
	*otc = pt.overdue_trade_credit;
	*fo = pt.funder_overdue;
	return (rc);
}

/*
 * The counterfactual's breach day of each firm that breaches in the run
 * of L just made (res), without running it again, when nothing is
 * advanced on the links: what is outstanding then changes only by the
 * scheme's advances and the OEM's repayments, never by what customers
 * pay, so the scheme decides the same in both runs and the run's
 * receipts from the OEM and the funder (rec, kept by the run: n->keep)
 * are the counterfactual's; there every customer pays what falls due
 * on the due day, so that each firm is on its own. The others' are left
 * alone: only a breach in the run can be contagion.
 */
static void
cf_breaches(const struct model_net *n, int64_t L,
    const struct model_result *res, struct model_result *cfr)
{
	const struct model	*m = n->m;
	const struct model_link	*lk;
	int64_t			 c, t, v, lvl;
	size_t			 s, i;

	for (s = 0; s < n->ns; s++) {
		if (res[s].breach_day == MODEL_NONE)
			continue;
		cfr[s].breach_day = MODEL_NONE;
		c = m->in.suppliers[s].cash;
		for (t = 0; t < n->H; t++) {
			lvl = n->lv[t];
			v = own_flow(n, s, L, t, lvl) +
			    n->rec[(size_t)t * n->ns + s];
			for (i = m->sl_off[s]; i < m->sl_off[s + 1]; i++) {
				lk = &m->in.links[m->sl_idx[i]];
				v += due(n, lk->daily_sales,
				    lk->payment_terms_days, t);
			}
			for (i = m->cl_off[s]; i < m->cl_off[s + 1]; i++)
				v -= due(n, m->cl_ds[i], m->cl_T[i], t);
			c += v;
			if (c + n->credit[s] < n->minl[s]) {
				cfr[s].breach_day = t;
				break;
			}
		}
	}
}

/*
 * The sweep: outage lengths are independent, so each thread takes the
 * next L and runs its counterfactual and the run itself; the answer does
 * not depend on the threads. Without deep-tier financing (and unless
 * the reference is asked for) the counterfactual is not run again:
 * cf_breaches reads it off the run.
 */
struct sweep {
	struct model		*m;
	int64_t			 max;
	struct model_point	*curve;
	struct model_result	*all;		/* (max + 1) x ns, or NULL */
	int64_t			*brk;		/* per thread: ns each */
	atomic_llong		 next;
	atomic_llong		 done;
	atomic_int		 failed;
	pthread_mutex_t		 mtx;
	struct model_error	 err;
};

struct sworker {
	struct sweep	*sw;
	int		 id;
	pthread_t	 tid;
};

static void *
sweep_main(void *arg)
{
	struct sworker		*w = arg;
	struct sweep		*sw = w->sw;
	struct model		*m = sw->m;
	struct model_net	*n;
	struct model_result	*cfr, *res, *own = NULL;
	struct model_error	 err;
	int64_t			 L, *brk = sw->brk + (size_t)w->id * m->ns;
	int64_t			 d;
	size_t			 s;
	int			 bound;

	n = model_net_alloc(m);
	cfr = calloc(m->ns + 1, sizeof(*cfr));
	if (sw->all == NULL)
		own = calloc(m->ns + 1, sizeof(*own));
	if (n == NULL || cfr == NULL || (sw->all == NULL && own == NULL)) {
		model_error_set(&err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		goto fail;
	}
	n->keep = !m->reference && !n->deep;
	while (!atomic_load(&sw->failed) &&
	    (L = atomic_fetch_add(&sw->next, 1)) <= sw->max) {
		res = sw->all != NULL ? sw->all + (size_t)L * m->ns : own;
		if ((bound = model_net_run(n, L, 0, m->ns, NULL, res,
		    &sw->curve[L], &err)) == -1)
			goto fail;
		if (bound && n->keep)
			cf_breaches(n, L, res, cfr);
		else if (bound && model_net_run(n, L, 1, m->ns, NULL, cfr,
		    NULL, &err) == -1)
			goto fail;
		for (s = 0; s < m->ns; s++) {
			if (res[s].breach_day == MODEL_NONE)
				continue;
			if (bound && cfr[s].breach_day == MODEL_NONE) {
				res[s].contagion = 1;
				sw->curve[L].suppliers_below_contagion++;
			}
			if (brk[s] == MODEL_NONE || L < brk[s])
				brk[s] = L;
		}
		d = atomic_fetch_add(&sw->done, 1) + 1;
		if (w->id == 0 && m->progress != NULL)
			m->progress(m->progress_arg, (size_t)d,
			    (size_t)sw->max + 1);
	}
	model_net_free(n);
	free(cfr);
	free(own);
	return (NULL);
fail:
	pthread_mutex_lock(&sw->mtx);
	if (!atomic_load(&sw->failed))
		sw->err = err;
	atomic_store(&sw->failed, 1);
	pthread_mutex_unlock(&sw->mtx);
	model_net_free(n);
	free(cfr);
	free(own);
	return (NULL);
}

int
model_net_sweep(struct model *m, int64_t max, struct model_point *curve,
    int64_t *breaks, struct model_result *all, struct model_error *err)
{
	struct sweep	 sw;
	struct sworker	*w;
	size_t		 s, k;
	int		 nt, i, started = 0;

	nt = m->threads;
	if (nt > max + 1)
		nt = (int)(max + 1);
	if (nt < 1)
		nt = 1;
	memset(&sw, 0, sizeof(sw));
	sw.m = m;
	sw.max = max;
	sw.curve = curve;
	sw.all = all;
	atomic_init(&sw.next, 0);
	atomic_init(&sw.done, 0);
	atomic_init(&sw.failed, 0);
	pthread_mutex_init(&sw.mtx, NULL);
	sw.brk = calloc((size_t)nt * m->ns + 1, sizeof(*sw.brk));
	w = calloc((size_t)nt, sizeof(*w));
	if (sw.brk == NULL || w == NULL) {
		free(sw.brk);
		free(w);
		pthread_mutex_destroy(&sw.mtx);
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		return (-1);
	}
	for (k = 0; k < (size_t)nt * m->ns; k++)
		sw.brk[k] = MODEL_NONE;
	for (i = 0; i < nt; i++) {
		w[i].sw = &sw;
		w[i].id = i;
		if (i > 0 && pthread_create(&w[i].tid, NULL, sweep_main,
		    &w[i]) != 0)
			break;
		if (i > 0)
			started++;
	}
	sweep_main(&w[0]);
	for (i = 1; i <= started; i++)
		pthread_join(w[i].tid, NULL);
	if (!atomic_load(&sw.failed) && breaks != NULL)
		for (s = 0; s < m->ns; s++) {
			breaks[s] = MODEL_NONE;
			for (i = 0; i < nt; i++) {
				k = (size_t)i * m->ns + s;
				if (sw.brk[k] != MODEL_NONE &&
				    (breaks[s] == MODEL_NONE ||
				    sw.brk[k] < breaks[s]))
					breaks[s] = sw.brk[k];
			}
		}
	free(sw.brk);
	free(w);
	pthread_mutex_destroy(&sw.mtx);
	if (atomic_load(&sw.failed)) {
		if (err != NULL)
			*err = sw.err;
		return (-1);
	}
	return (0);
}
