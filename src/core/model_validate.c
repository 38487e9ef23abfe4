/*
 * Validation of the model's inputs: every problem is reported with the
 * object, its index and id, the field and what is wrong, so that the
 * service can list them all in one 422 and the CLI can point at the line.
 */
#include <sys/types.h>

#include <pthread.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/model_impl.h"

/* Day numbers of 0001-01-01 and 9999-12-31: the dates date_parse accepts. */
#define DAY_MIN		(-719162)
#define DAY_MAX		2932896

struct ctx {
	struct model_error	*errs;
	size_t			 max;
	size_t			 n;
};

/*
 * Ids to indices: open addressing over a power-of-two table, so that
 * 1.5 million invoices find their supplier in linear time instead of
 * a binary search each. A slot keeps 32 more bits of the hash, so a probe
 * that meets another id is settled without reading that id; the ids
 * themselves are copied into one array, so confirming a match reads it
 * rather than the records. Lookups go in batches whose slots are
 * prefetched first: the table is far larger than the caches, and the
 * misses then overlap instead of following one another.
 */
struct islot {
	uint32_t	 idx;		/* index + 1; 0 is empty */
	uint32_t	 tag;		/* the hash's high half */
};

struct idset {
	struct islot	*slot;
	const char	**ids;		/* by index */
	size_t		 mask;
};

#define BATCH	16	/* lookups whose slots are fetched together */

static uint64_t
hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ (h >> 29));
}

static int
idset_init(struct idset *t, const void *base, size_t n, size_t stride,
    size_t off)
{
	const char	*id;
	size_t		 cap = 16, i;

	while (cap < 2 * n)
		cap *= 2;
	t->slot = calloc(cap, sizeof(*t->slot));
	t->ids = calloc(n + 1, sizeof(*t->ids));
	t->mask = cap - 1;
	if (t->slot == NULL || t->ids == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		memcpy(&id, (const char *)base + i * stride + off, sizeof(id));
		t->ids[i] = id != NULL ? id : "";
	}
	return (0);
}

static void
idset_cleanup(struct idset *t)
{
	free(t->slot);
	free(t->ids);
}

/* The index of a record with this id and hash, or -1. */
static ssize_t
idset_find(const struct idset *t, const char *id, uint64_t h)
{
	const struct islot	*sl;
	uint32_t		 tag = (uint32_t)(h >> 32);

	for (h &= t->mask; (sl = &t->slot[h])->idx != 0; h = (h + 1) & t->mask)
		if (sl->tag == tag && strcmp(t->ids[sl->idx - 1], id) == 0)
			return ((ssize_t)sl->idx - 1);
	return (-1);
}

/* Add record i; if its id is taken, the index that has it, else -1. */
static ssize_t
idset_add(struct idset *t, size_t i, uint64_t h)
{
	struct islot	*sl;
	const char	*id = t->ids[i];
	uint32_t	 tag = (uint32_t)(h >> 32);

	for (h &= t->mask; (sl = &t->slot[h])->idx != 0; h = (h + 1) & t->mask)
		if (sl->tag == tag && strcmp(t->ids[sl->idx - 1], id) == 0)
			return ((ssize_t)sl->idx - 1);
	sl->idx = (uint32_t)i + 1;
	sl->tag = tag;
	return (-1);
}

/* Hash ids[0..n) into h and prefetch their slots. */
static void
idset_prefetch(const struct idset *t, const char *const *ids, size_t n,
    uint64_t *h)
{
	size_t	k;

	for (k = 0; k < n; k++) {
		h[k] = hash(ids[k]);
		__builtin_prefetch(&t->slot[h[k] & t->mask], 1);
	}
}

static void
report(struct ctx *c, enum model_errcode code, const char *object,
    size_t index, const char *id, const char *field, const char *fmt, ...)
{
	struct model_error	*e;
	va_list			 ap;

	if (c->n < c->max) {
		e = &c->errs[c->n];
		model_error_set(e, code, object, index, id, field, "%s", "");
		va_start(ap, fmt);
		vsnprintf(e->problem, sizeof(e->problem), fmt, ap);
		va_end(ap);
	}
	c->n++;
}

static void
range(struct ctx *c, const char *object, size_t index, const char *id,
    const char *field, int64_t v, int64_t lo, int64_t hi)
{
	if (v < lo || v > hi)
		report(c, MODEL_ERR_INVALID, object, index, id, field,
		    "must be between %lld and %lld, got %lld", (long long)lo,
		    (long long)hi, (long long)v);
}

static void
nonneg(struct ctx *c, const char *object, size_t index, const char *id,
    const char *field, int64_t v)
{
	if (v < 0)
		report(c, MODEL_ERR_INVALID, object, index, id, field,
		    "must be >= 0, got %lld", (long long)v);
}

static void
check_scenario(struct ctx *c, const struct model_scenario *sc)
{
	char	field[48];
	size_t	i;

	range(c, "scenario", 0, "", "start_date", sc->start_date, DAY_MIN,
	    DAY_MAX);
	range(c, "scenario", 0, "", "horizon_days", sc->horizon_days, 1,
	    MODEL_HORIZON_MAX);
	if (sc->ramp_len > MODEL_RAMP_MAX)
		report(c, MODEL_ERR_INVALID, "scenario", 0, "", "ramp_bps",
		    "must have at most %d entries, got %zu", MODEL_RAMP_MAX,
		    sc->ramp_len);
	else if (sc->ramp_len > 0 && sc->ramp_bps == NULL)
		report(c, MODEL_ERR_INVALID, "scenario", 0, "", "ramp_bps",
		    "is missing");
	else {
		for (i = 0; i < sc->ramp_len; i++) {
			snprintf(field, sizeof(field), "ramp_bps[%zu]", i);
			range(c, "scenario", 0, "", field, sc->ramp_bps[i], 0,
			    MODEL_BPS_MAX);
		}
	}
	if (sc->horizon_days >= 1 && sc->horizon_days <= MODEL_HORIZON_MAX)
		range(c, "scenario", 0, "", "payment_freeze_days",
		    sc->payment_freeze_days, 0, sc->horizon_days);
	else
		range(c, "scenario", 0, "", "payment_freeze_days",
		    sc->payment_freeze_days, 0, MODEL_HORIZON_MAX);
	range(c, "scenario", 0, "", "fixed_cost_relief_bps",
	    sc->fixed_cost_relief_bps, 0, MODEL_BPS_MAX);
}

/* One of the order basis's day counts: required with it, else refused. */
static void
basis_days(struct ctx *c, int order, const char *field, int has, int64_t v)
{
	if (order && !has)
		report(c, MODEL_ERR_INVALID, "scheme", 0, "", field,
		    "is required when basis is order");
	else if (!order && has)
		report(c, MODEL_ERR_INVALID, "scheme", 0, "", field,
		    "is only allowed when basis is order");
	else if (order)
		range(c, "scheme", 0, "", field, v, 0, MODEL_TERMS_MAX);
}

static void
check_basis(struct ctx *c, const struct model_scheme *s)
{
	int	order = s->basis == MODEL_BASIS_ORDER;

	if (s->basis != MODEL_BASIS_INVOICE && !order) {
		report(c, MODEL_ERR_INVALID, "scheme", 0, "", "basis",
		    "must be invoice or order");
		return;
	}
	basis_days(c, order, "order_lead_days", s->has_order_lead_days,
	    s->order_lead_days);
	basis_days(c, order, "true_up_lag_days", s->has_true_up_lag_days,
	    s->true_up_lag_days);
	if (order && s->covers == MODEL_COVERS_ALL)
		report(c, MODEL_ERR_INVALID, "scheme", 0, "", "covers",
		    "must be oem when basis is order: an order-basis scheme "
		    "pays the OEM's deliveries only");
}

static void
check_scheme(struct ctx *c, const struct model_scheme *s)
{
	range(c, "scheme", 0, "", "effective_from", s->effective_from,
	    DAY_MIN, DAY_MAX);
	range(c, "scheme", 0, "", "payment_lag_days", s->payment_lag_days, 0,
	    MODEL_LAG_MAX);
	range(c, "scheme", 0, "", "advance_rate_bps", s->advance_rate_bps, 1,
	    MODEL_BPS_MAX);
	range(c, "scheme", 0, "", "annual_rate_bps", s->annual_rate_bps, 0,
	    MODEL_ANNUAL_RATE_MAX);
	if (s->day_count_basis != 360 && s->day_count_basis != 365)
		report(c, MODEL_ERR_INVALID, "scheme", 0, "",
		    "day_count_basis", "must be 360 or 365, got %lld",
		    (long long)s->day_count_basis);
	if (s->fee_bearer != MODEL_FEE_SUPPLIER &&
	    s->fee_bearer != MODEL_FEE_OEM)
		report(c, MODEL_ERR_INVALID, "scheme", 0, "", "fee_bearer",
		    "must be supplier or oem");
	if ((s->eligible_tiers & ~0xeU) != 0)
		report(c, MODEL_ERR_INVALID, "scheme", 0, "", "eligible_tiers",
		    "tiers must be 1, 2 or 3");
	if (s->has_max_employees)
		nonneg(c, "scheme", 0, "", "max_employees", s->max_employees);
	nonneg(c, "scheme", 0, "", "min_invoice_amount",
	    s->min_invoice_amount);
	if (s->has_per_supplier_cap)
		nonneg(c, "scheme", 0, "", "per_supplier_cap",
		    s->per_supplier_cap);
	if (s->has_facility_limit)
		nonneg(c, "scheme", 0, "", "facility_limit", s->facility_limit);
	if (s->covers != MODEL_COVERS_OEM && s->covers != MODEL_COVERS_ALL)
		report(c, MODEL_ERR_INVALID, "scheme", 0, "", "covers",
		    "must be oem or all");
	check_basis(c, s);
}

static void
check_supplier(struct ctx *c, const struct model_supplier *s, size_t i)
{
	const char	*id = s->id != NULL ? s->id : "";

	if (s->id == NULL || s->id[0] == '\0')
		report(c, MODEL_ERR_INVALID, "supplier", i, id, "id",
		    "must not be empty");
	range(c, "supplier", i, id, "tier", s->tier, 1, 3);
	nonneg(c, "supplier", i, id, "employees", s->employees);
	nonneg(c, "supplier", i, id, "credit_available", s->credit_available);
	nonneg(c, "supplier", i, id, "fixed_daily_costs", s->fixed_daily_costs);
	nonneg(c, "supplier", i, id, "oem_daily_sales", s->oem_daily_sales);
	range(c, "supplier", i, id, "variable_cost_bps", s->variable_cost_bps,
	    0, MODEL_BPS_MAX);
	nonneg(c, "supplier", i, id, "other_daily_receipts",
	    s->other_daily_receipts);
	range(c, "supplier", i, id, "payment_terms_days",
	    s->payment_terms_days, 0, MODEL_TERMS_MAX);
}

static void
check_invoice(struct ctx *c, const struct model_invoice *v, size_t i)
{
	const char	*id = v->id != NULL ? v->id : "";

	if (v->id == NULL || v->id[0] == '\0')
		report(c, MODEL_ERR_INVALID, "invoice", i, id, "id",
		    "must not be empty");
	if (v->outstanding <= 0)
		report(c, MODEL_ERR_INVALID, "invoice", i, id, "outstanding",
		    "must be > 0, got %lld", (long long)v->outstanding);
	range(c, "invoice", i, id, "due_date", v->due_date, DAY_MIN, DAY_MAX);
}

static void
check_link(struct ctx *c, const struct model_link *l, size_t i)
{
	const char	*id = l->supplier_id != NULL ? l->supplier_id : "";

	if (l->daily_sales < 0 || l->daily_sales > MODEL_DAILY_MAX)
		report(c, MODEL_ERR_INVALID, "link", i, id, "daily_sales",
		    "must be between 0 and %lld, got %lld",
		    (long long)MODEL_DAILY_MAX, (long long)l->daily_sales);
	range(c, "link", i, id, "payment_terms_days", l->payment_terms_days,
	    0, MODEL_TERMS_MAX);
}

static __int128
wabs(__int128 v)
{
	return (v < 0 ? -v : v);
}

/*
 * A bound on every partial sum a supplier's liquidity can reach, so that
 * the day loops can add without checks: if four times the bound fits in
 * 64 bits, nothing the model computes for this supplier can overflow.
 */
static int
supplier_bound(const struct model_input *in, size_t s, __int128 open,
    __int128 openfee, __int128 linked)
{
	const struct model_supplier	*p = &in->suppliers[s];
	const struct model_scheme	*sch = in->scheme;
	__int128			 b, H, days;

	H = in->scenario.horizon_days;
	b = wabs(p->cash) + wabs(p->credit_available) +
	    wabs(p->min_liquidity);
	b += H * ((__int128)wabs(p->other_daily_receipts) +
	    wabs(p->fixed_daily_costs) + 2 * (__int128)wabs(p->oem_daily_sales));
	b += open + openfee + linked;
	if (sch != NULL && sch->day_count_basis > 0) {
		days = p->payment_terms_days > in->scenario.payment_freeze_days ?
		    p->payment_terms_days : in->scenario.payment_freeze_days;
		b += H * ((__int128)wabs(p->oem_daily_sales) *
		    wabs(sch->annual_rate_bps) * days /
		    (10000 * (__int128)sch->day_count_basis) + 1);
	}
	return (b <= INT64_MAX / 4 ? 0 : -1);
}

/* Unique invoice ids; reports in index order. */
static void
uniq_invoices(struct ctx *c, struct idset *it, const struct model_input *in)
{
	uint64_t	h[BATCH];
	size_t		i, k, nb;
	ssize_t		f;

	for (i = 0; i < in->ninvoices; i += nb) {
		nb = in->ninvoices - i < BATCH ? in->ninvoices - i : BATCH;
		idset_prefetch(it, it->ids + i, nb, h);
		for (k = 0; k < nb; k++) {
			if (it->ids[i + k][0] == '\0')
				continue;
			if ((f = idset_add(it, i + k, h[k])) != -1)
				report(c, MODEL_ERR_INVALID, "invoice", i + k,
				    it->ids[i + k], "id",
				    "duplicates invoice %zu", (size_t)f);
		}
	}
}

/*
 * A bound on the fee of an open invoice, for the overflow check: the
 * quotient in 64 bits when the product fits, which is every realistic
 * case, since a 128-bit division is a slow library call.
 */
static __int128
open_fee_bound(__int128 amt, __int128 rate, int64_t days, int64_t basis)
{
	int64_t	n;

	if (amt <= INT64_MAX && rate <= INT64_MAX &&
	    !__builtin_mul_overflow((int64_t)amt, (int64_t)rate, &n) &&
	    !__builtin_mul_overflow(n, days, &n))
		return ((__int128)(n / (10000 * basis)) + 1);
	return (amt * rate * days / (10000 * (__int128)basis) + 1);
}

struct owed {
	__int128	*open;
	__int128	*openfee;
	__int128	*linked;	/* what links can move, either side */
};

/* Invoices name a known supplier; sum what each supplier is owed. */
static void
map_invoices(struct ctx *c, const struct idset *st,
    const struct model_input *in, struct owed *ow, size_t *inv_sup)
{
	const struct model_scheme	*sch = in->scheme;
	const struct model_invoice	*v;
	const char			*sid[BATCH], *look[BATCH], *prev = NULL;
	uint64_t			 h[BATCH];
	ssize_t				 sup[BATCH], prevf = -1;
	int				 same[BATCH];
	int64_t				 start, P, E0, F;
	ssize_t				 f;
	size_t				 i, k, nb, nh;

	start = in->scenario.start_date;
	F = in->scenario.payment_freeze_days;
	E0 = 0;
	if (sch != NULL)
		E0 = ((int64_t)sch->effective_from - start > 0 ?
		    (int64_t)sch->effective_from - start : 0) +
		    sch->payment_lag_days;
	for (i = 0; i < in->ninvoices; i += nb) {
		nb = in->ninvoices - i < BATCH ? in->ninvoices - i : BATCH;
		/*
		 * A supplier's invoices mostly come one after another, often
		 * sharing its id string: those are not looked up again.
		 */
		for (k = 0, nh = 0; k < nb; k++) {
			v = &in->invoices[i + k];
			sid[k] = v->supplier_id != NULL ? v->supplier_id : "";
			same[k] = prev != NULL && (sid[k] == prev ||
			    strcmp(sid[k], prev) == 0);
			prev = sid[k];
			if (!same[k])
				look[nh++] = sid[k];
		}
		idset_prefetch(st, look, nh, h);
		for (k = 0, nh = 0; k < nb; k++) {
			v = &in->invoices[i + k];
			f = same[k] ? prevf : idset_find(st, sid[k], h[nh++]);
			prevf = f;
			if (f == -1) {
				report(c, MODEL_ERR_INVALID, "invoice", i + k,
				    v->id != NULL ? v->id : "", "supplier_id",
				    "names no supplier in the input");
				sup[k] = -1;
				continue;
			}
			sup[k] = f;
			if (inv_sup != NULL)
				inv_sup[i + k] = (size_t)f;
			/* The sums are scattered too: fetch them early. */
			__builtin_prefetch(&ow->open[f], 1);
			__builtin_prefetch(&ow->openfee[f], 1);
		}
		for (k = 0; k < nb; k++) {
			if ((f = sup[k]) == -1)
				continue;
			v = &in->invoices[i + k];
			ow->open[f] += wabs(v->outstanding);
			if (sch == NULL || sch->day_count_basis <= 0)
				continue;
			P = (int64_t)v->due_date - start;
			P = P > F ? P : F;
			if (P > E0)
				ow->openfee[f] += open_fee_bound(
				    wabs(v->outstanding),
				    wabs(sch->annual_rate_bps), P - E0,
				    sch->day_count_basis);
		}
	}
}

struct uniq_arg {
	struct ctx			*c;
	struct idset			*it;
	const struct model_input	*in;
};

static void *
uniq_main(void *arg)
{
	struct uniq_arg	*a = arg;

	uniq_invoices(a->c, a->it, a->in);
	return (NULL);
}

/* Reports of b after those of a, as if they had been made in that order. */
static void
ctx_append(struct ctx *a, const struct ctx *b)
{
	size_t	k;

	for (k = 0; k < b->n && k < b->max; k++)
		if (a->n + k < a->max)
			a->errs[a->n + k] = b->errs[k];
	a->n += b->n;
}

/*
 * The two passes over the invoices, on two threads when allowed: they
 * share only what they read, and the second one's reports are kept apart
 * and appended, so the reports come out as from the single thread.
 */
static void
invoices_pass(struct ctx *c, struct idset *st, struct idset *it,
    const struct model_input *in, struct owed *ow, size_t *inv_sup,
    int threads)
{
	struct uniq_arg	 ua;
	struct ctx	 c2;
	pthread_t	 tid;

	memset(&c2, 0, sizeof(c2));
	c2.max = c->max > c->n ? c->max - c->n : 0;
	if (threads < 2 || in->ninvoices < 65536 || (c2.max > 0 &&
	    (c2.errs = calloc(c2.max, sizeof(*c2.errs))) == NULL)) {
		uniq_invoices(c, it, in);
		map_invoices(c, st, in, ow, inv_sup);
		return;
	}
	ua.c = c;
	ua.it = it;
	ua.in = in;
	if (pthread_create(&tid, NULL, uniq_main, &ua) != 0) {
		free(c2.errs);
		uniq_invoices(c, it, in);
		map_invoices(c, st, in, ow, inv_sup);
		return;
	}
	map_invoices(&c2, st, in, ow, inv_sup);
	pthread_join(tid, NULL);
	ctx_append(c, &c2);
	free(c2.errs);
}

struct lpair {
	uint64_t	 ends;		/* seller << 32 | customer */
	size_t		 i;
};

static int
lpair_cmp(const void *a, const void *b)
{
	const struct lpair	*x = a, *y = b;

	if (x->ends != y->ends)
		return (x->ends < y->ends ? -1 : 1);
	return (x->i < y->i ? -1 : x->i > y->i);
}

/*
 * Links name two different known suppliers, one link per pair; each end
 * is mapped (ends[2i] the seller, ends[2i + 1] the customer) and a bound
 * on what the link can move through either firm is added to both: every
 * invoice of the pipeline and the horizon and its advance's fee, twice.
 * Reports come in link order.
 */
static void
map_links(struct ctx *c, const struct idset *st, const struct model_input *in,
    struct owed *ow, size_t *ends)
{
	const struct model_scheme	*sch = in->scheme;
	const struct model_link		*l;
	struct lpair			*pr;
	size_t				*dup;
	const char			*sid, *cid;
	ssize_t				 a, b;
	size_t				 i, k, np = 0;
	__int128			 amt, fee;

	pr = calloc(in->nlinks + 1, sizeof(*pr));
	dup = calloc(in->nlinks + 1, sizeof(*dup));
	if (pr == NULL || dup == NULL) {
		report(c, MODEL_ERR_NOMEM, "run", 0, "", "", "out of memory");
		goto out;
	}
	for (i = 0; i < in->nlinks; i++) {
		l = &in->links[i];
		sid = l->supplier_id != NULL ? l->supplier_id : "";
		cid = l->customer_id != NULL ? l->customer_id : "";
		a = idset_find(st, sid, hash(sid));
		b = idset_find(st, cid, hash(cid));
		if (a == -1)
			report(c, MODEL_ERR_INVALID, "link", i, sid,
			    "supplier_id", "names no supplier in the input");
		if (b == -1)
			report(c, MODEL_ERR_INVALID, "link", i, sid,
			    "customer_id", "names no supplier in the input");
		if (a != -1 && a == b)
			report(c, MODEL_ERR_INVALID, "link", i, sid,
			    "customer_id", "is the supplier itself");
		if (a == -1 || b == -1 || a == b)
			continue;
		pr[np].ends = (uint64_t)a << 32 | (uint64_t)b;
		pr[np++].i = i;
		if (ends != NULL) {
			ends[2 * i] = (size_t)a;
			ends[2 * i + 1] = (size_t)b;
		}
		amt = wabs(l->daily_sales) * ((__int128)in->scenario.horizon_days
		    + wabs(l->payment_terms_days));
		fee = 0;
		if (sch != NULL && sch->day_count_basis > 0)
			fee = amt * wabs(sch->annual_rate_bps) *
			    (wabs(l->payment_terms_days) + 1) /
			    (10000 * (__int128)sch->day_count_basis) + 1;
		ow->linked[a] += 2 * (amt + fee);
		ow->linked[b] += 2 * amt;
	}
	qsort(pr, np, sizeof(*pr), lpair_cmp);
	for (k = 1; k < np; k++)
		if (pr[k].ends == pr[k - 1].ends)
			dup[pr[k].i] = (dup[pr[k - 1].i] != 0 ?
			    dup[pr[k - 1].i] : pr[k - 1].i + 1);
	for (i = 0; i < in->nlinks; i++)
		if (dup[i] != 0)
			report(c, MODEL_ERR_INVALID, "link", i,
			    in->links[i].supplier_id, "customer_id",
			    "duplicates link %zu", dup[i] - 1);
out:
	free(pr);
	free(dup);
}

/*
 * Validate, and map each invoice to its supplier's index (inv_sup, when
 * not NULL) since finding suppliers is most of the work; the passes over
 * the invoices on two threads when threads allows.
 */
int
model_validate_map(const struct model_input *in, struct model_error *errs,
    size_t maxerrs, size_t *nerrs, size_t *inv_sup, size_t *link_ends,
    int threads)
{
	struct ctx		 c;
	struct idset		 st, it;
	struct owed		 ow;
	uint64_t		 h;
	ssize_t			 f;
	size_t			 i;

	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	memset(&it, 0, sizeof(it));
	memset(&ow, 0, sizeof(ow));
	c.errs = errs;
	c.max = maxerrs;
	check_scenario(&c, &in->scenario);
	if (in->scheme != NULL)
		check_scheme(&c, in->scheme);
	for (i = 0; i < in->nsuppliers; i++)
		check_supplier(&c, &in->suppliers[i], i);
	for (i = 0; i < in->ninvoices; i++)
		check_invoice(&c, &in->invoices[i], i);
	if (in->nlinks > 0 && in->links == NULL)
		report(&c, MODEL_ERR_INVALID, "run", 0, "", "links",
		    "is missing");
	else
		for (i = 0; i < in->nlinks; i++)
			check_link(&c, &in->links[i], i);
	if (in->nsuppliers >= UINT32_MAX || in->ninvoices >= UINT32_MAX ||
	    in->nlinks >= UINT32_MAX) {
		report(&c, MODEL_ERR_INVALID, "run", 0, "", "",
		    "too many suppliers or invoices");
		goto out;
	}

	ow.open = calloc(in->nsuppliers + 1, sizeof(*ow.open));
	ow.openfee = calloc(in->nsuppliers + 1, sizeof(*ow.openfee));
	ow.linked = calloc(in->nsuppliers + 1, sizeof(*ow.linked));
	if (ow.open == NULL || ow.openfee == NULL || ow.linked == NULL ||
	    idset_init(&st, in->suppliers, in->nsuppliers,
	    sizeof(*in->suppliers), offsetof(struct model_supplier, id)) == -1 ||
	    idset_init(&it, in->invoices, in->ninvoices,
	    sizeof(*in->invoices), offsetof(struct model_invoice, id)) == -1) {
		report(&c, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		goto out;
	}

	/* Unique ids. */
	for (i = 0; i < in->nsuppliers; i++) {
		if (st.ids[i][0] == '\0')
			continue;
		h = hash(st.ids[i]);
		if ((f = idset_add(&st, i, h)) != -1)
			report(&c, MODEL_ERR_INVALID, "supplier", i,
			    st.ids[i], "id", "duplicates supplier %zu",
			    (size_t)f);
	}
	invoices_pass(&c, &st, &it, in, &ow, inv_sup, threads);
	if (in->nlinks > 0 && in->links != NULL)
		map_links(&c, &st, in, &ow, link_ends);
	if (c.n == 0) {
		for (i = 0; i < in->nsuppliers; i++) {
			if (ow.open[i] > INT64_MAX || ow.openfee[i] > INT64_MAX ||
			    ow.linked[i] > INT64_MAX ||
			    supplier_bound(in, i, ow.open[i],
			    ow.openfee[i], ow.linked[i]) == -1)
				report(&c, MODEL_ERR_OVERFLOW, "supplier", i,
				    in->suppliers[i].id, "",
				    "figures too large: liquidity could "
				    "exceed 64-bit money");
		}
	}
out:
	idset_cleanup(&st);
	idset_cleanup(&it);
	free(ow.open);
	free(ow.openfee);
	free(ow.linked);
	if (nerrs != NULL)
		*nerrs = c.n;
	return (c.n == 0 ? 0 : -1);
}

int
model_validate(const struct model_input *in, struct model_error *errs,
    size_t maxerrs, size_t *nerrs)
{
	return (model_validate_map(in, errs, maxerrs, nerrs, NULL, NULL, 1));
}
