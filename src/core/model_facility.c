/*
 * The facility limit couples suppliers: whether one supplier's candidate is
 * accepted depends on every candidate taken before it. This file replays
 * the model's global order for one outage length (days in order; on each
 * day repayments first, then candidates by (P, supplier id, open before
 * projected, (due date, invoice id) or approval day)) and records each
 * decision as one bit, so that every supplier can then be computed on its
 * own, in parallel, by model_sim.c with exactly those decisions.
 *
 * Only the acceptance state is simulated here (totals outstanding, not
 * cash), one pass over (day, supplier) with no allocation per day.
 */
#include <stdlib.h>
#include <string.h>

#include "core/model_impl.h"

struct tkey {
	int64_t		 T;
	uint32_t	 rank;
	size_t		 sup;
};

static int
tkey_cmp(const void *a, const void *b)
{
	const struct tkey	*x = a, *y = b;

	if (x->T != y->T)
		return (x->T < y->T ? -1 : 1);
	return (x->rank < y->rank ? -1 : x->rank > y->rank);
}

static int
ocand_cmp(const void *a, const void *b)
{
	const struct model_ocand	*x = a, *y = b;

	if (x->P != y->P)
		return (x->P < y->P ? -1 : 1);
	if (x->rank != y->rank)
		return (x->rank < y->rank ? -1 : 1);
	return (x->pos < y->pos ? -1 : x->pos > y->pos);
}

static int	rows_init(struct model *);
static int	levels_init(struct model *);
static int	open_candidates(struct model *);

/* The orders that do not depend on L, built once per model. */
int
model_facility_init(const struct model *cm)
{
	struct model		*m = (struct model *)cm;
	struct tkey		*tk;
	size_t			 i, s;

	m->elig_rank = calloc(m->ns + 1, sizeof(*m->elig_rank));
	m->elig_terms = calloc(m->ns + 1, sizeof(*m->elig_terms));
	m->term_T = calloc(m->ns + 1, sizeof(*m->term_T));
	m->term_pos = calloc(m->ns + 1, sizeof(*m->term_pos));
	m->term_adv = calloc(m->ns + 1, sizeof(*m->term_adv));
	m->term_cand = calloc(m->ns + 1, sizeof(*m->term_cand));
	m->term_oem = calloc(m->ns + 1, sizeof(*m->term_oem));
	for (m->term_leaves = 1; m->term_leaves < m->ns; m->term_leaves *= 2)
		;
	m->term_tree = calloc(2 * m->term_leaves, sizeof(*m->term_tree));
	tk = calloc(m->ns + 1, sizeof(*tk));
	if (m->elig_rank == NULL || m->elig_terms == NULL || tk == NULL ||
	    m->term_T == NULL || m->term_oem == NULL || m->term_pos == NULL ||
	    m->term_adv == NULL || m->term_cand == NULL ||
	    m->term_tree == NULL) {
		free(tk);
		return (-1);
	}
	m->nelig = 0;
	for (i = 0; i < m->ns; i++) {
		s = m->by_rank[i];
		if (!m->elig[s])
			continue;
		m->elig_rank[m->nelig] = s;
		tk[m->nelig].T = m->in.suppliers[s].payment_terms_days;
		tk[m->nelig].rank = m->rank[s];
		tk[m->nelig].sup = s;
		m->nelig++;
	}
	qsort(tk, m->nelig, sizeof(*tk), tkey_cmp);
	for (i = 0; i < m->nelig; i++) {
		m->elig_terms[i] = tk[i].sup;
		m->term_pos[tk[i].sup] = i;
		m->term_T[i] = tk[i].T;
		m->term_oem[i] = m->in.suppliers[tk[i].sup].oem_daily_sales;
		/* At full production, the same every day and every L. */
		m->term_adv[i] = model_bps(m->term_oem[i],
		    m->scheme.advance_rate_bps);
		m->term_cand[i] = m->term_oem[i] > 0 &&
		    m->term_oem[i] >= m->scheme.min_invoice_amount &&
		    m->term_T[i] > m->lag;
	}
	/* Least sales per subtree; padding leaves never fit. */
	for (i = 0; i < m->term_leaves; i++)
		m->term_tree[m->term_leaves + i] = i < m->nelig ?
		    m->term_oem[i] : INT64_MAX;
	for (i = m->term_leaves; i-- > 1;)
		m->term_tree[i] = m->term_tree[2 * i] < m->term_tree[2 * i + 1] ?
		    m->term_tree[2 * i] : m->term_tree[2 * i + 1];
	free(tk);

	if (rows_init(m) == -1 || levels_init(m) == -1)
		return (-1);
	return (open_candidates(m));
}

/*
 * Where each row's terms group ends (a run of acceptances is repaid on
 * one day per group), and the order the decided suppliers are computed
 * in: the rows, 64 to a word of decision bits, then the ineligible.
 */
static int
rows_init(struct model *m)
{
	size_t	i, s, n;

	m->term_words = m->nelig / 64 + 1;
	m->term_gend = calloc(m->nelig + 1, sizeof(*m->term_gend));
	m->eval_order = calloc(m->ns + 1, sizeof(*m->eval_order));
	if (m->term_gend == NULL || m->eval_order == NULL)
		return (-1);
	for (i = m->nelig; i-- > 0;)
		m->term_gend[i] = i + 1 < m->nelig &&
		    m->term_T[i + 1] == m->term_T[i] ? m->term_gend[i + 1] :
		    i + 1;
	for (i = 0; i < m->nelig; i++)
		m->eval_order[i] = m->elig_terms[i];
	for (s = 0, n = m->nelig; s < m->ns; s++)
		if (!m->elig[s])
			m->eval_order[n++] = s;
	return (0);
}

/*
 * The tables of one production level; 1 when its advances sum past
 * 64 bits, and runs cannot be summed at that level.
 */
static int
level_build(const struct model *m, struct model_level *lv, int64_t level)
{
	int64_t	amt, adv;
	size_t	i;
	int	cand;

	lv->level = level;
	lv->pre = calloc(m->nelig + 1, sizeof(*lv->pre));
	lv->cand = calloc(m->term_words, sizeof(*lv->cand));
	if (lv->pre == NULL || lv->cand == NULL)
		return (-1);
	for (i = 0; i < m->nelig; i++) {
		amt = level == MODEL_BPS_MAX ? m->term_oem[i] :
		    model_bps(m->term_oem[i], level);
		cand = amt > 0 && amt >= m->scheme.min_invoice_amount &&
		    m->term_T[i] > m->lag;
		adv = cand ? model_bps(amt, m->scheme.advance_rate_bps) : 0;
		if (__builtin_add_overflow(lv->pre[i], adv, &lv->pre[i + 1]))
			return (1);
		if (cand)
			lv->cand[i / 64] |= 1ULL << (i % 64);
	}
	return (0);
}

/*
 * Tables for full production and each distinct level of the ramp, up to
 * LEVELS_MAX of them; a level without one is decided row by row.
 */
#define LEVELS_MAX	64

static int
levels_init(struct model *m)
{
	struct model_level	*lv;
	int64_t			 k, level;
	size_t			 j;
	int			 rc;

	m->full_lvl = -1;
	m->ramp_lvl = calloc((size_t)m->nramp + 1, sizeof(*m->ramp_lvl));
	m->lvl = calloc(LEVELS_MAX, sizeof(*m->lvl));
	if (m->ramp_lvl == NULL || m->lvl == NULL)
		return (-1);
	for (k = 0; k < m->nramp; k++)
		m->ramp_lvl[k] = -1;
	/* The reference decides row by row, for the runs to be held to. */
	if (m->reference)
		return (0);
	/* Full production first: no lower level sums to more. */
	for (k = -1; k < m->nramp; k++) {
		level = k < 0 ? MODEL_BPS_MAX : m->ramp[k];
		for (j = 0; j < m->nlvl && m->lvl[j].level != level; j++)
			;
		if (j == m->nlvl) {
			if (m->nlvl == LEVELS_MAX || level == 0)
				continue;
			lv = &m->lvl[m->nlvl];
			if ((rc = level_build(m, lv, level)) != 0) {
				free(lv->pre);
				free(lv->cand);
				memset(lv, 0, sizeof(*lv));
				/* Too large at full production: row by row. */
				return (rc == -1 ? -1 : 0);
			}
			m->nlvl++;
		}
		if (k < 0)
			m->full_lvl = (int)j;
		else
			m->ramp_lvl[k] = (int)j;
	}
	return (0);
}

/*
 * The open candidates in the order (P, supplier id, due date, invoice id):
 * listed supplier by supplier in id order, each supplier's invoices
 * already by (due date, id), then placed by a stable counting sort on P,
 * which has at most H + 1 values.
 */
static int
open_candidates(struct model *m)
{
	struct model_ocand	*tmp;
	size_t			*at, i, s, j, n;
	int64_t			 P;

	n = 0;
	if (m->E0 < m->H) {
		for (i = 0; i < m->nelig; i++) {
			s = m->elig_rank[i];
			n += m->inv_off[s + 1] - m->inv_off[s];
		}
	}
	m->ocand = calloc(n + 1, sizeof(*m->ocand));
	tmp = calloc(n + 1, sizeof(*tmp));
	at = calloc((size_t)m->H + 2, sizeof(*at));
	if (m->ocand == NULL || tmp == NULL || at == NULL) {
		free(tmp);
		free(at);
		return (-1);
	}
	m->nocand = 0;
	for (i = 0; i < m->nelig && m->E0 < m->H; i++) {
		s = m->elig_rank[i];
		for (j = m->inv_off[s]; j < m->inv_off[s + 1]; j++) {
			P = m->inv_due[j] > m->F ? m->inv_due[j] : m->F;
			if (m->inv_amt[j] <
			    m->scheme.min_invoice_amount || m->E0 >= P)
				continue;
			/* Past the horizon: one bucket, sorted below. */
			tmp[m->nocand].P = P;
			tmp[m->nocand].rank = m->rank[s];
			tmp[m->nocand].sup = (uint32_t)s;
			tmp[m->nocand].pos = j;
			tmp[m->nocand].inv = m->inv_idx[j];
			at[(P < m->H ? P : m->H) + 1]++;
			m->nocand++;
		}
	}
	for (i = 1; i <= (size_t)m->H + 1; i++)
		at[i] += at[i - 1];
	for (i = 0; i < m->nocand; i++)
		m->ocand[at[tmp[i].P < m->H ? tmp[i].P : m->H]++] = tmp[i];
	j = at[m->H - 1];	/* where the last bucket starts */
	qsort(m->ocand + j, m->nocand - j, sizeof(*m->ocand), ocand_cmp);
	free(tmp);
	free(at);
	return (0);
}

int
model_facility_decisions_alloc(const struct model *m,
    struct model_decisions *d)
{
	memset(d, 0, sizeof(*d));
	d->words = m->term_words;
	d->open = calloc(m->ni / 64 + 1, sizeof(*d->open));
	d->proj = calloc((size_t)m->H * d->words + 1, sizeof(*d->proj));
	d->rtot = calloc((size_t)m->H + 1, sizeof(*d->rtot));
	d->pat = calloc((size_t)m->H + MODEL_TERMS_MAX + 2, sizeof(*d->pat));
	d->prtot = calloc((size_t)m->H + 1, sizeof(*d->prtot));
	if (d->open == NULL || d->proj == NULL || d->rtot == NULL ||
	    d->pat == NULL || d->prtot == NULL)
		goto fail;
	if (!m->scheme.has_per_supplier_cap)
		return (0);
	/* Per-supplier state only when a per-supplier cap needs it. */
	d->sout = calloc(m->ns + 1, sizeof(*d->sout));
	d->ocur = calloc(m->ns + 1, sizeof(*d->ocur));
	d->ucur = calloc(m->ns + 1, sizeof(*d->ucur));
	if (d->sout == NULL || d->ocur == NULL || d->ucur == NULL)
		goto fail;
	return (0);
fail:
	model_facility_decisions_free(d);
	return (-1);
}

void
model_facility_decisions_free(struct model_decisions *d)
{
	free(d->open);
	free(d->proj);
	free(d->rtot);
	free(d->sout);
	free(d->ocur);
	free(d->ucur);
	free(d->plist);
	free(d->ptmp);
	free(d->pat);
	free(d->prtot);
	memset(d, 0, sizeof(*d));
}

struct dctx {
	const struct model	*m;
	struct model_decisions	*d;
	int64_t			 L;
	int64_t			 total;
	int64_t			 rate;
	int			 capped;
	size_t			 ofirst;	/* day E0's first open to offer */
};

static int64_t
sales(const struct model *m, size_t s, int64_t L, int64_t u)
{
	if (L == 0)
		return (m->sfull[s]);
	if (u < L)
		return (0);
	if (u - L < m->nramp)
		return (model_bps(m->in.suppliers[s].oem_daily_sales,
		    m->ramp[u - L]));
	return (m->sfull[s]);
}

/* Repay supplier s's advances due by day t: both lists are in P order. */
static void
repay_supplier(struct dctx *x, size_t s, int64_t t)
{
	const struct model	*m = x->m;
	struct model_decisions	*d = x->d;
	int64_t			 T, P, u;
	size_t			 j, inv;

	while (d->ocur[s] < m->inv_off[s + 1]) {
		j = d->ocur[s];
		P = m->inv_due[j] > m->F ? m->inv_due[j] : m->F;
		if (P > t)
			break;
		inv = m->inv_idx[j];
		if ((d->open[inv / 64] >> (inv % 64)) & 1)
			d->sout[s] -= model_bps(m->inv_amt[j],
			    x->rate);
		d->ocur[s]++;
	}
	T = m->in.suppliers[s].payment_terms_days;
	while (d->ucur[s] < m->H) {
		u = d->ucur[s];
		P = u + T > m->F ? u + T : m->F;
		if (P > t)
			break;
		if (model_proj_test(m, d, s, u))
			d->sout[s] -= model_bps(sales(m, s, x->L, u), x->rate);
		d->ucur[s]++;
	}
}

/* Take or refuse one advance; returns whether it was taken. */
static int
take(struct dctx *x, size_t s, int64_t t, int64_t adv, int64_t P)
{
	const struct model	*m = x->m;
	int64_t			 sum;

	if (x->capped) {
		repay_supplier(x, s, t);
		if (__builtin_add_overflow(x->d->sout[s], adv, &sum) ||
		    sum > m->scheme.per_supplier_cap)
			return (0);
	}
	if (__builtin_add_overflow(x->total, adv, &sum) ||
	    sum > m->scheme.facility_limit)
		return (0);
	x->total = sum;
	if (P < m->H)
		x->d->rtot[P] += adv;
	if (x->capped)
		x->d->sout[s] += adv;
	return (1);
}

static void
offer_projected(struct dctx *x, size_t s, int64_t t, int64_t u, int64_t P)
{
	const struct model	*m = x->m;
	int64_t			 amt;

	amt = sales(m, s, x->L, u);
	if (amt == 0 || amt < m->scheme.min_invoice_amount || t >= P)
		return;
	if (take(x, s, t, model_bps(amt, x->rate), P))
		model_proj_set(x->d, m->term_pos[s], u);
}

static void
offer_open(struct dctx *x, const struct model_ocand *o, int64_t t)
{
	const struct model	*m = x->m;

	if (take(x, o->sup, t,
	    model_bps(m->inv_amt[o->pos], x->rate), o->P))
		x->d->open[o->inv / 64] |= 1ULL << (o->inv % 64);
}

/*
 * Day E0: the open candidates (sorted once) merged with the projected
 * ones approved up to the effective day, which exist only for small L.
 * Those are listed by supplier in id order and by u, then placed by a
 * stable counting sort on P (at most H + MODEL_TERMS_MAX values), which
 * gives the order (P, supplier id, u) without comparisons.
 */
static int
first_day(struct dctx *x)
{
	const struct model	*m = x->m;
	struct model_decisions	*d = x->d;
	struct model_pcand	*pc, *tmp;
	int64_t			 u, ulast, amt, P, T;
	size_t			 i, j, s, n = 0, need, nP;

	ulast = m->e > 0 ? m->e : 0;
	if (ulast > m->H - 1)
		ulast = m->H - 1;
	u = x->L == 0 ? 0 : x->L;
	if (u <= ulast) {
		need = m->nelig * (size_t)(ulast - u + 1);
		if (need > d->nplist) {
			pc = reallocarray(d->plist, need, sizeof(*pc));
			if (pc == NULL)
				return (-1);
			d->plist = pc;
			tmp = reallocarray(d->ptmp, need, sizeof(*tmp));
			if (tmp == NULL)
				return (-1);
			d->ptmp = tmp;
			d->nplist = need;
		}
		tmp = d->ptmp;
		nP = (size_t)m->H + MODEL_TERMS_MAX + 1;
		memset(d->pat, 0, (nP + 1) * sizeof(*d->pat));
		for (i = 0; i < m->nelig; i++) {
			s = m->elig_rank[i];
			T = m->in.suppliers[s].payment_terms_days;
			for (u = x->L == 0 ? 0 : x->L; u <= ulast; u++) {
				amt = sales(m, s, x->L, u);
				P = u + T > m->F ? u + T : m->F;
				if (amt == 0 ||
				    amt < m->scheme.min_invoice_amount ||
				    m->E0 >= P)
					continue;
				tmp[n].P = P;
				tmp[n].rank = m->rank[s];
				tmp[n].sup = (uint32_t)s;
				tmp[n].u = u;
				d->pat[P + 1]++;
				n++;
			}
		}
		for (i = 1; i <= nP; i++)
			d->pat[i] += d->pat[i - 1];
		for (i = 0; i < n; i++)
			d->plist[d->pat[tmp[i].P]++] = tmp[i];
	}
	for (i = x->ofirst, j = 0; i < m->nocand || j < n;) {
		if (i < m->nocand && (j == n || m->ocand[i].P < d->plist[j].P ||
		    (m->ocand[i].P == d->plist[j].P &&
		    m->ocand[i].rank <= d->plist[j].rank))) {
			offer_open(x, &m->ocand[i], m->E0);
			i++;
		} else {
			offer_projected(x, d->plist[j].sup, m->E0,
			    d->plist[j].u, d->plist[j].P);
			j++;
		}
	}
	return (0);
}

/* The advance on a day at this production level, for these full sales. */
static int64_t
advance_at(const struct dctx *x, int64_t oem, int64_t level)
{
	if (oem == INT64_MAX)
		return (INT64_MAX);
	return (model_bps(level == MODEL_BPS_MAX ? oem :
	    model_bps(oem, level), x->rate));
}

/*
 * The first supplier at or after position from, in (terms, id) order, whose
 * advance could fit in room: a descent of the tree of least sales, since
 * the advance grows with sales. nelig when there is none.
 */
static size_t
first_fit(const struct dctx *x, size_t node, size_t lo, size_t hi,
    size_t from, int64_t level, int64_t room)
{
	const struct model	*m = x->m;
	size_t			 mid, r;

	if (hi <= from || advance_at(x, m->term_tree[node], level) > room)
		return (m->nelig);
	if (hi - lo == 1)
		return (lo < m->nelig ? lo : m->nelig);
	mid = lo + (hi - lo) / 2;
	r = first_fit(x, 2 * node, lo, mid, from, level, room);
	if (r < m->nelig)
		return (r);
	return (first_fit(x, 2 * node + 1, mid, hi, from, level, room));
}

/* Rows [i, j) that are candidates, in one day's row of decision bits. */
static void
bits_fill(uint64_t *row, const uint64_t *cand, size_t i, size_t j)
{
	size_t		w = i / 64, we = (j - 1) / 64;
	uint64_t	first = ~0ULL << (i % 64);
	uint64_t	last = ~0ULL >> (63 - (j - 1) % 64);

	if (w == we) {
		row[w] |= first & last & cand[w];
		return;
	}
	row[w] |= first & cand[w];
	for (w++; w < we; w++)
		row[w] |= cand[w];
	row[we] |= last & cand[we];
}

/* Accept rows [i, j) of approval day u: they all fit. */
static void
run_take(struct dctx *x, const struct model_level *lv, int64_t u, size_t i,
    size_t j)
{
	const struct model	*m = x->m;
	int64_t			 P, sum;
	size_t			 g, e;

	x->total += lv->pre[j] - lv->pre[i];
	for (g = i; g < j; g = e) {
		e = m->term_gend[g] < j ? m->term_gend[g] : j;
		sum = lv->pre[e] - lv->pre[g];
		P = u + m->term_T[g];
		if (P < m->H)
			x->d->rtot[P] += sum;
	}
	bits_fill(x->d->proj + (size_t)u * x->d->words, lv->cand, i, j);
}

/*
 * Without caps, a day's candidates from row i on are taken greedily: each
 * one that fits in what is left of the facility. The longest run of rows
 * that all fit is found by galloping over the level's prefix sums, and the
 * row after it, which does not fit, sends the search through the tree to
 * the next row that could: the same decisions as row by row, in a few
 * steps per run instead of one per row.
 */
static void
accept_runs(struct dctx *x, const struct model_level *lv, int64_t u,
    size_t i)
{
	const struct model	*m = x->m;
	const int64_t		*pre = lv->pre;
	int64_t			 room;
	size_t			 n = m->nelig, lo, hi, mid, step;

	while (i < n) {
		room = m->scheme.facility_limit - x->total;
		lo = i;
		for (step = 1; lo + step <= n && pre[lo + step] - pre[i] <= room;
		    step *= 2)
			lo += step;
		hi = lo + step <= n ? lo + step : n + 1;
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (pre[mid] - pre[i] <= room)
				lo = mid;
			else
				hi = mid;
		}
		if (lo > i)
			run_take(x, lv, u, i, lo);
		if (lo == n)
			return;
		i = first_fit(x, 1, 0, m->term_leaves, lo + 1, lv->level,
		    m->scheme.facility_limit - x->total);
	}
}

/*
 * A later day t: at most one projected candidate per supplier, approved on
 * u = t - lag, paid on P = max(u + T, F). Suppliers whose P is clipped to F
 * come first, by id; the rest in (terms, id) order, which is (P, id).
 *
 * When an advance does not fit in what is left of the facility, the next
 * supplier that could fit is found in the tree of least sales instead of
 * refusing the others one by one: with a binding limit a day then costs
 * what it accepts, not one step per supplier.
 */
static void
later_day(struct dctx *x, int64_t t)
{
	const struct model	*m = x->m;
	int64_t			 u, clip, level, amt, adv, P;
	size_t			 i, s;
	int			 k;

	u = t - m->lag;
	if (u >= m->H || (x->L > 0 && u < x->L))
		return;
	if (x->L == 0 || u - x->L >= m->nramp)
		level = MODEL_BPS_MAX;
	else
		level = m->ramp[u - x->L];
	if (level == 0)
		return;
	clip = m->F - u;	/* suppliers with T <= clip are paid on F */
	i = 0;
	if (m->nelig > 0 && m->term_T[0] <= clip) {
		for (i = 0; i < m->nelig; i++) {
			s = m->elig_rank[i];
			if (m->in.suppliers[s].payment_terms_days <= clip)
				offer_projected(x, s, t, u, m->F);
		}
		for (i = 0; i < m->nelig && m->term_T[i] <= clip; i++)
			;
	}
	if (!x->capped) {
		k = x->L == 0 || u - x->L >= m->nramp ? m->full_lvl :
		    m->ramp_lvl[u - x->L];
		if (k >= 0) {
			accept_runs(x, &m->lvl[k], u, i);
			return;
		}
	}
	if (level == MODEL_BPS_MAX && !x->capped) {
		/* The common day, kept tight: full production, no cap. */
		while (i < m->nelig) {
			if (!m->term_cand[i]) {
				i++;
				continue;
			}
			adv = m->term_adv[i];
			if (m->scheme.facility_limit - x->total < adv) {
				i = first_fit(x, 1, 0, m->term_leaves, i + 1,
				    level, m->scheme.facility_limit - x->total);
				continue;
			}
			x->total += adv;
			P = u + m->term_T[i];
			if (P < m->H)
				x->d->rtot[P] += adv;
			model_proj_set(x->d, i, u);
			i++;
		}
		return;
	}
	while (i < m->nelig) {
		P = u + m->term_T[i];
		if (t >= P) {
			i++;
			continue;
		}
		amt = level == MODEL_BPS_MAX ? m->term_oem[i] :
		    model_bps(m->term_oem[i], level);
		if (amt == 0 || amt < m->scheme.min_invoice_amount) {
			i++;
			continue;
		}
		s = m->elig_terms[i];
		adv = model_bps(amt, x->rate);
		if (m->scheme.facility_limit - x->total < adv) {
			i = first_fit(x, 1, 0, m->term_leaves, i + 1, level,
			    m->scheme.facility_limit - x->total);
			continue;
		}
		/* Row i is supplier s's: in day order, rows are in sequence. */
		if (take(x, s, t, adv, P))
			model_proj_set(x->d, i, u);
		i++;
	}
}

/* Days from..to (inclusive) of the global order, for outage length L. */
static int
days(struct dctx *x, int64_t from, int64_t to)
{
	const struct model	*m = x->m;
	struct model_decisions	*d = x->d;
	int64_t			 t, e0;

	e0 = m->e > 0 ? m->e : 0;
	for (t = from; t <= to; t++) {
		x->total -= d->rtot[t];
		if (t == m->E0) {
			if (first_day(x) == -1)
				return (-1);
		} else if (t > m->E0 && t - m->lag > e0)
			later_day(x, t);
		if (x->total > d->peak)
			d->peak = x->total;
	}
	d->total = x->total;
	d->tdone = to;
	return (0);
}

static void
clear(const struct model *m, struct model_decisions *d)
{
	size_t	s;

	memset(d->open, 0, (m->ni / 64 + 1) * sizeof(*d->open));
	memset(d->proj, 0, ((size_t)m->H * d->words + 1) * sizeof(*d->proj));
	memset(d->rtot, 0, ((size_t)m->H + 1) * sizeof(*d->rtot));
	if (m->scheme.has_per_supplier_cap) {
		memset(d->sout, 0, (m->ns + 1) * sizeof(*d->sout));
		memset(d->ucur, 0, (m->ns + 1) * sizeof(*d->ucur));
		for (s = 0; s < m->ns; s++)
			d->ocur[s] = m->inv_off[s];
	}
	d->peak = 0;
	d->total = 0;
	d->tdone = -1;
}

/*
 * What the lengths up to the effective day share: nothing is offered
 * before day E0, and on day E0 the open candidates whose P is below any
 * projected candidate's come first, whatever L. Their decisions are the
 * snapshot's; the total and repayments by day after them are kept in
 * d->ptotal and d->prtot, and d->popen says where they end. Without a
 * per-supplier cap only (else popen is 0: decided from day 0).
 */
static void
open_prefix(const struct model *m, struct model_decisions *d)
{
	const struct model_ocand	*o;
	int64_t				 Pfloor, P, adv;
	size_t				 i, s;

	d->popen = 0;
	d->ptotal = 0;
	memset(d->prtot, 0, ((size_t)m->H + 1) * sizeof(*d->prtot));
	if (m->scheme.has_per_supplier_cap || m->E0 >= m->H)
		return;
	/* Projected candidates are approved on u >= 0: P >= max(T, F). */
	Pfloor = INT64_MAX;
	for (i = 0; i < m->nelig; i++) {
		s = m->elig_rank[i];
		P = m->in.suppliers[s].payment_terms_days;
		P = P > m->F ? P : m->F;
		Pfloor = P < Pfloor ? P : Pfloor;
	}
	for (i = 0; i < m->nocand && m->ocand[i].P < Pfloor; i++) {
		o = &m->ocand[i];
		if (((d->open[o->inv / 64] >> (o->inv % 64)) & 1) == 0)
			continue;
		adv = model_bps(m->inv_amt[o->pos], m->scheme.advance_rate_bps);
		d->ptotal += adv;
		if (o->P < m->H)
			d->prtot[o->P] += adv;
	}
	d->popen = i;
}

/*
 * Days 0..E0 with no projected candidate: what every outage length past
 * the effective day shares, since before the restart only open invoices
 * are offered. Decided once, copied per L.
 */
int
model_facility_snapshot(const struct model *m, struct model_decisions *d)
{
	struct dctx	x;

	clear(m, d);
	if (model_order(m))
		return (0);	/* decided from day 0 per length */
	memset(&x, 0, sizeof(x));
	x.m = m;
	x.d = d;
	x.L = m->H + 1;
	x.rate = m->scheme.advance_rate_bps;
	x.capped = m->scheme.has_per_supplier_cap;
	if (days(&x, 0, m->E0 < m->H ? m->E0 : m->H - 1) == -1)
		return (-1);
	open_prefix(m, d);
	return (0);
}

/*
 * A length up to the effective day from the snapshot's open prefix: its
 * open decisions kept, the later ones' cleared, the state after them
 * restored, then the rest of day E0 and the days after it.
 */
static int
decide_from_prefix(struct dctx *x, const struct model_decisions *snap)
{
	const struct model	*m = x->m;
	struct model_decisions	*d = x->d;
	size_t			 i, inv;

	memcpy(d->open, snap->open, (m->ni / 64 + 1) * sizeof(*d->open));
	for (i = snap->popen; i < m->nocand; i++) {
		inv = m->ocand[i].inv;
		d->open[inv / 64] &= ~(1ULL << (inv % 64));
	}
	memset(d->proj, 0, ((size_t)m->H * d->words + 1) * sizeof(*d->proj));
	memcpy(d->rtot, snap->prtot, ((size_t)m->H + 1) * sizeof(*d->rtot));
	d->peak = 0;
	x->total = snap->ptotal;
	x->ofirst = snap->popen;
	return (days(x, m->E0, m->H - 1));
}

/*
 * Order basis. What a delivery funds: all of it when the true-up comes
 * before P, else the prepayment; 0 when it is no candidate on day t.
 */
static int64_t
order_funded(const struct dctx *x, size_t s, int64_t t, int64_t u,
    int64_t *P)
{
	const struct model	*m = x->m;
	int64_t			 amt, T = m->in.suppliers[s].payment_terms_days;

	*P = u + T > m->F ? u + T : m->F;
	if (u < 0 || u >= m->H)
		return (0);
	amt = sales(m, s, x->L, u);
	if (amt == 0 || amt < m->scheme.min_invoice_amount || t >= *P)
		return (0);
	if (model_order_true_up(m, u, t) < *P)
		return (amt);
	return (model_bps(amt, x->rate));
}

/* Order basis: repay supplier s's funded deliveries due by day t. */
static void
order_repay(struct dctx *x, size_t s, int64_t t)
{
	const struct model	*m = x->m;
	struct model_decisions	*d = x->d;
	int64_t			 P, E, u, T;

	T = m->in.suppliers[s].payment_terms_days;
	while (d->ucur[s] < m->H) {
		u = d->ucur[s];
		P = u + T > m->F ? u + T : m->F;
		if (P > t)
			break;
		if (model_proj_test(m, d, s, u)) {
			E = model_order_early(m, u);
			d->sout[s] -= order_funded(x, s, E, u, &P);
		}
		d->ucur[s]++;
	}
}

static void
order_offer(struct dctx *x, size_t s, int64_t t, int64_t u)
{
	const struct model	*m = x->m;
	int64_t			 fin, P, sum;

	if ((fin = order_funded(x, s, t, u, &P)) == 0)
		return;
	if (x->capped) {
		order_repay(x, s, t);
		if (__builtin_add_overflow(x->d->sout[s], fin, &sum) ||
		    sum > m->scheme.per_supplier_cap)
			return;
	}
	if (__builtin_add_overflow(x->total, fin, &sum) ||
	    sum > m->scheme.facility_limit)
		return;
	x->total = sum;
	if (P < m->H)
		x->d->rtot[P] += fin;
	if (x->capped)
		x->d->sout[s] += fin;
	model_proj_set(x->d, m->term_pos[s], u);
}

/*
 * Order basis, day E0: every delivery up to day ulast, in the order (P,
 * supplier id, u) without sorting. P = max(u + T, F): those paid at the
 * end of the freeze come first, by id and u; then each later P, by id,
 * has at most one delivery per supplier, u = P - T.
 */
static void
order_first_day(struct dctx *x, int64_t t, int64_t ulast)
{
	const struct model	*m = x->m;
	int64_t			 p, u, T, pmax;
	size_t			 i, s;

	for (i = 0; i < m->nelig; i++) {
		s = m->elig_rank[i];
		T = m->in.suppliers[s].payment_terms_days;
		for (u = 0; u <= ulast && u + T <= m->F; u++)
			order_offer(x, s, t, u);
	}
	/* term_T is in ascending order: its last is the longest terms. */
	pmax = m->nelig > 0 ? ulast + m->term_T[m->nelig - 1] : 0;
	for (p = m->F + 1; p <= pmax; p++)
		for (i = 0; i < m->nelig; i++) {
			s = m->elig_rank[i];
			u = p - m->in.suppliers[s].payment_terms_days;
			if (u >= 0 && u <= ulast)
				order_offer(x, s, t, u);
		}
}

/*
 * Order basis, a later day: delivery u of every supplier. Those paid at
 * the end of the freeze by id, then the rest by (terms, id), which is
 * their order by (P, id).
 */
static void
order_later_day(struct dctx *x, int64_t t, int64_t u)
{
	const struct model	*m = x->m;
	size_t			 i, s;

	for (i = 0; i < m->nelig; i++) {
		s = m->elig_rank[i];
		if (u + m->in.suppliers[s].payment_terms_days <= m->F)
			order_offer(x, s, t, u);
	}
	for (i = 0; i < m->nelig; i++) {
		if (u + m->term_T[i] > m->F)
			order_offer(x, m->elig_terms[i], t, u);
	}
}

/*
 * Order basis, one outage length from day 0: each day's repayments, then
 * its candidates by (P, supplier id, delivery day). Day E0 offers every
 * delivery up to day e0 + order_lead_days, each later day one delivery
 * per supplier.
 */
static int
order_decide(const struct model *m, int64_t L, struct model_decisions *d)
{
	struct dctx	 x;
	int64_t		 t, u, ulast;

	memset(&x, 0, sizeof(x));
	x.m = m;
	x.d = d;
	x.L = L;
	x.rate = m->scheme.advance_rate_bps;
	x.capped = m->scheme.has_per_supplier_cap;
	clear(m, d);
	ulast = (m->e > 0 ? m->e : 0) + m->scheme.order_lead_days;
	if (ulast > m->H - 1)
		ulast = m->H - 1;
	for (t = 0; t < m->H; t++) {
		x.total -= d->rtot[t];
		if (t == m->E0)
			order_first_day(&x, t, ulast);
		else if (t > m->E0 &&
		    (u = t - m->lag + m->scheme.order_lead_days) < m->H)
			order_later_day(&x, t, u);
		if (x.total > d->peak)
			d->peak = x.total;
	}
	d->odiff = 0;
	d->total = x.total;
	d->tdone = m->H - 1;
	return (0);
}

int
model_facility_decide(const struct model *m, int64_t L,
    const struct model_decisions *snap, struct model_decisions *d)
{
	struct dctx	x;
	int64_t		e0;

	if (model_order(m))
		return (order_decide(m, L, d));
	memset(&x, 0, sizeof(x));
	x.m = m;
	x.d = d;
	x.L = L;
	x.rate = m->scheme.advance_rate_bps;
	x.capped = m->scheme.has_per_supplier_cap;
	e0 = m->e > 0 ? m->e : 0;
	if (snap == NULL || L <= e0 || L == 0) {
		if (snap != NULL && snap->popen > 0) {
			if (decide_from_prefix(&x, snap) == -1)
				return (-1);
		} else {
			clear(m, d);
			if (days(&x, 0, m->H - 1) == -1)
				return (-1);
		}
		/* Whether model_fast_eval must correct the open invoices. */
		d->odiff = snap != NULL && memcmp(d->open, snap->open,
		    (m->ni / 64 + 1) * sizeof(*d->open)) != 0;
		return (0);
	}
	d->odiff = 0;
	memcpy(d->open, snap->open, (m->ni / 64 + 1) * sizeof(*d->open));
	memset(d->proj, 0, ((size_t)m->H * d->words + 1) * sizeof(*d->proj));
	memcpy(d->rtot, snap->rtot, ((size_t)m->H + 1) * sizeof(*d->rtot));
	if (x.capped) {
		memcpy(d->sout, snap->sout, (m->ns + 1) * sizeof(*d->sout));
		memcpy(d->ocur, snap->ocur, (m->ns + 1) * sizeof(*d->ocur));
		memcpy(d->ucur, snap->ucur, (m->ns + 1) * sizeof(*d->ucur));
	}
	d->peak = snap->peak;
	x.total = snap->total;
	return (days(&x, snap->tdone + 1, m->H - 1));
}
