/*
 * The liquidity model's public face (see model.h): preparing the inputs
 * once (orders by id, invoices grouped by supplier), running one outage
 * length, sweeping a range of them, and tracing one supplier.
 *
 * Work is split over threads by suppliers, or by outage lengths when a
 * facility limit couples the suppliers. Every thread sums integers into its
 * own 128-bit accumulators, merged at the end, so the answer does not
 * depend on the number of threads or on which thread did what.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/model_impl.h"
#include "core/scheme.h"

#define THREADS_MAX	64
#define CHUNK		64	/* suppliers per unit: a word of decision bits */

struct acc {
	int64_t		 below;
	__int128	 emp;
	__int128	 gap;
	__int128	 ep;
	__int128	 fees;
};

struct worker {
	struct model		*m;
	struct job		*job;
	int			 id;
	struct model_scratch	 sc;
	struct acc		*acc;		/* per L of the job */
	int64_t			*tot;		/* per (L, day): outstanding */
	int64_t			*openall;
	int64_t			*outall;
	uint64_t		*rowbits;	/* JOB_DECIDED: see rows_bits */
	int			 err;
};

enum job_kind {
	JOB_SUPPLIERS,		/* chunks of suppliers, each for every L */
	JOB_DECIDE,		/* facility decisions, one L per unit */
	JOB_DECIDED		/* chunks of suppliers, given the decisions */
};

struct job {
	enum job_kind		 kind;
	int64_t			 L;		/* model_run */
	int64_t			 max;		/* model_sweep */
	int			 sweep;
	int64_t			 L0;		/* facility batch: first L */
	size_t			 nL;		/* ... and how many */
	struct model_decisions	*decs;		/* ... one per L */
	const struct model_decisions *snap;
	struct model_result	*res;
	struct model_result	*all;		/* sweep: (max + 1) x ns, or NULL */
	int64_t			*breaks;
	const struct model_decisions *dec;
	atomic_size_t		 next;
	atomic_size_t		 done;
	size_t			 units;
	size_t			 progress_base;	/* units done in earlier jobs */
	size_t			 progress_total;
};

void
model_error_set(struct model_error *e, enum model_errcode code,
    const char *object, size_t index, const char *id, const char *field,
    const char *fmt, ...)
{
	va_list	ap;

	if (e == NULL)
		return;
	memset(e, 0, sizeof(*e));
	e->code = code;
	e->object = object;
	e->index = index;
	snprintf(e->id, sizeof(e->id), "%s", id != NULL ? id : "");
	snprintf(e->field, sizeof(e->field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(e->problem, sizeof(e->problem), fmt, ap);
	va_end(ap);
}

int
model_scratch_init(const struct model *m, struct model_scratch *sc)
{
	size_t	H = (size_t)m->H + 1, R = (size_t)m->nramp + 1;

	memset(sc, 0, sizeof(*sc));
	sc->rec = calloc(H, sizeof(int64_t));
	sc->repay = calloc(H, sizeof(int64_t));
	sc->sr = calloc(R, sizeof(int64_t));
	sc->vr = calloc(R, sizeof(int64_t));
	sc->cinf = calloc(H, sizeof(int64_t));
	sc->pmin = calloc(H, sizeof(int64_t));
	sc->pminday = calloc(H, sizeof(int64_t));
	sc->ob = calloc(H, sizeof(int64_t));
	sc->qs = calloc(H, sizeof(int64_t));
	sc->advcum = calloc(H, sizeof(int64_t));
	sc->feecum = calloc(H, sizeof(int64_t));
	sc->diff = calloc(H, sizeof(int64_t));
	sc->adv = calloc(H, sizeof(int64_t));
	sc->net = calloc(H, sizeof(int64_t));
	sc->fee = calloc(H, sizeof(int64_t));
	sc->rmq = calloc(H * MODEL_RMQ_LEVELS, sizeof(int64_t));
	if (sc->rec == NULL || sc->repay == NULL || sc->sr == NULL ||
	    sc->vr == NULL || sc->cinf == NULL || sc->pmin == NULL ||
	    sc->pminday == NULL ||
	    sc->ob == NULL || sc->qs == NULL || sc->advcum == NULL ||
	    sc->feecum == NULL || sc->diff == NULL || sc->adv == NULL ||
	    sc->net == NULL || sc->fee == NULL || sc->rmq == NULL) {
		model_scratch_cleanup(sc);
		return (-1);
	}
	return (0);
}

void
model_scratch_cleanup(struct model_scratch *sc)
{
	free(sc->rec);
	free(sc->repay);
	free(sc->sr);
	free(sc->vr);
	free(sc->cinf);
	free(sc->pmin);
	free(sc->pminday);
	free(sc->ob);
	free(sc->qs);
	free(sc->advcum);
	free(sc->feecum);
	free(sc->diff);
	free(sc->adv);
	free(sc->net);
	free(sc->fee);
	free(sc->rmq);
	free(sc->pays);
	memset(sc, 0, sizeof(*sc));
}

struct skey {
	const char	*id;
	size_t		 idx;
};

static int
skey_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct skey *)a)->id,
	    ((const struct skey *)b)->id));
}

int
model_find_supplier(const struct model *m, const char *id, size_t *out)
{
	size_t	lo = 0, hi = m->ns, mid;
	int	r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(m->in.suppliers[m->by_rank[mid]].id, id);
		if (r == 0) {
			*out = m->by_rank[mid];
			return (0);
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (-1);
}

/*
 * Each supplier's open invoices, in the order (due date, id): a counting
 * sort by supplier that carries the due dates along, then an insertion
 * sort of each supplier's few invoices on those, reading the invoices
 * themselves (scattered over memory) only to break a tie on the id. The
 * amounts are then copied into that order too, so that a supplier's
 * invoices are read in sequence every time it is computed.
 */
static void
group_invoices(struct model *m, const size_t *inv_sup, size_t *fill)
{
	const struct model_invoice	*inv = m->in.invoices;
	int64_t				 d, *due = m->inv_due;
	size_t				 i, j, k, s, lo;

	for (i = 0; i < m->ni; i++)
		m->inv_off[inv_sup[i] + 1]++;
	for (s = 0; s < m->ns; s++) {
		m->inv_off[s + 1] += m->inv_off[s];
		fill[s] = m->inv_off[s];
	}
	for (i = 0; i < m->ni; i++) {
		j = fill[inv_sup[i]]++;
		m->inv_idx[j] = i;
		due[j] = inv[i].due_date;
	}
	for (s = 0; s < m->ns; s++) {
		lo = m->inv_off[s];
		for (i = lo + 1; i < m->inv_off[s + 1]; i++) {
			k = m->inv_idx[i];
			d = due[i];
			for (j = i; j > lo && (d < due[j - 1] || (d == due[j - 1] &&
			    strcmp(inv[k].id, inv[m->inv_idx[j - 1]].id) < 0));
			    j--) {
				m->inv_idx[j] = m->inv_idx[j - 1];
				due[j] = due[j - 1];
			}
			m->inv_idx[j] = k;
			due[j] = d;
		}
	}
	for (i = 0; i < m->ni; i++) {
		due[i] -= m->in.scenario.start_date;
		m->inv_amt[i] = inv[m->inv_idx[i]].outstanding;
	}
}

static int
prepare(struct model *m, const size_t *inv_sup)
{
	const struct model_scheme	*sch = &m->scheme;
	const struct model_supplier	*p;
	struct skey			*sk;
	size_t				*fill;
	size_t				 i, s;

	m->by_rank = calloc(m->ns + 1, sizeof(*m->by_rank));
	m->rank = calloc(m->ns + 1, sizeof(*m->rank));
	m->inv_off = calloc(m->ns + 2, sizeof(*m->inv_off));
	m->inv_idx = calloc(m->ni + 1, sizeof(*m->inv_idx));
	m->inv_due = calloc(m->ni + 1, sizeof(*m->inv_due));
	m->inv_amt = calloc(m->ni + 1, sizeof(*m->inv_amt));
	m->elig = calloc(m->ns + 1, sizeof(*m->elig));
	m->sfull = calloc(m->ns + 1, sizeof(*m->sfull));
	sk = calloc(m->ns + 1, sizeof(*sk));
	fill = calloc(m->ns + 1, sizeof(*fill));
	if (m->by_rank == NULL || m->rank == NULL || m->inv_off == NULL ||
	    m->inv_idx == NULL || m->inv_due == NULL || m->inv_amt == NULL ||
	    m->elig == NULL ||
	    m->sfull == NULL || sk == NULL || fill == NULL) {
		free(sk);
		free(fill);
		return (-1);
	}
	for (i = 0; i < m->ns; i++) {
		sk[i].id = m->in.suppliers[i].id;
		sk[i].idx = i;
	}
	qsort(sk, m->ns, sizeof(*sk), skey_cmp);
	for (i = 0; i < m->ns; i++) {
		m->by_rank[i] = sk[i].idx;
		m->rank[sk[i].idx] = (uint32_t)i;
	}
	free(sk);

	group_invoices(m, inv_sup, fill);
	free(fill);

	for (s = 0; s < m->ns; s++) {
		p = &m->in.suppliers[s];
		m->sfull[s] = p->oem_daily_sales;
		m->elig[s] = m->has_scheme && scheme_eligible(sch, p->tier,
		    p->employees, p->scheme_opt_in) == 0;
	}

	if (m->nl > 0)
		return (model_net_prepare(m));
	m->fast = !m->reference && (!m->has_scheme ||
	    (!sch->has_per_supplier_cap && !sch->has_facility_limit)) &&
	    !model_order(m);
	if (m->has_scheme && sch->has_facility_limit &&
	    model_facility_init(m) == -1)
		return (-1);
	return (0);
}

/* The threads asked for: 0 is one per online CPU. */
static int
opts_threads(const struct model_opts *opts)
{
	long	cpus;
	int	n = opts != NULL ? opts->threads : 0;

	if (n <= 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		n = cpus > 0 ? (int)cpus : 1;
	}
	return (n > THREADS_MAX ? THREADS_MAX : n);
}

struct model *
model_alloc(const struct model_input *in, const struct model_opts *opts,
    struct model_error *err)
{
	struct model	*m;
	size_t		 n, *inv_sup, *lends;

	inv_sup = calloc(in->ninvoices + 1, sizeof(*inv_sup));
	lends = calloc(2 * in->nlinks + 1, sizeof(*lends));
	if (inv_sup == NULL || lends == NULL) {
		free(inv_sup);
		free(lends);
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		return (NULL);
	}
	if (model_validate_map(in, err, 1, &n, inv_sup, lends,
	    opts_threads(opts)) == -1) {
		free(inv_sup);
		free(lends);
		return (NULL);
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		free(inv_sup);
		free(lends);
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		return (NULL);
	}
	m->in = *in;
	m->nl = in->nlinks;
	m->lends = lends;
	m->ns = in->nsuppliers;
	m->ni = in->ninvoices;
	m->H = in->scenario.horizon_days;
	m->F = in->scenario.payment_freeze_days;
	m->nramp = (int64_t)in->scenario.ramp_len;
	m->ramp = in->scenario.ramp_bps;
	if (in->scheme != NULL) {
		m->has_scheme = 1;
		m->scheme = *in->scheme;
		m->e = (int64_t)m->scheme.effective_from -
		    in->scenario.start_date;
		m->lag = m->scheme.payment_lag_days;
		m->E0 = (m->e > 0 ? m->e : 0) + m->lag;
	} else
		m->E0 = m->H;
	m->threads = opts_threads(opts);
	if (opts != NULL) {
		m->reference = opts->reference;
		m->progress = opts->progress;
		m->progress_arg = opts->progress_arg;
	}
	if (prepare(m, inv_sup) == -1) {
		free(inv_sup);
		model_free(m);
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		return (NULL);
	}
	free(inv_sup);
	return (m);
}

void
model_free(struct model *m)
{
	size_t	i;

	if (m == NULL)
		return;
	free(m->lends);
	free(m->cl_off);
	free(m->cl_idx);
	free(m->cl_sel);
	free(m->cl_rank);
	free(m->cl_ds);
	free(m->cl_T);
	free(m->lpos);
	free(m->sl_off);
	free(m->sl_idx);
	free(m->cust);
	free(m->allf);
	free(m->e0c);
	free(m->by_rank);
	free(m->rank);
	free(m->inv_off);
	free(m->inv_idx);
	free(m->inv_due);
	free(m->inv_amt);
	free(m->elig);
	free(m->sfull);
	free(m->elig_rank);
	free(m->elig_terms);
	free(m->term_pos);
	free(m->term_adv);
	free(m->term_cand);
	free(m->term_T);
	free(m->term_oem);
	free(m->term_tree);
	free(m->term_gend);
	free(m->eval_order);
	for (i = 0; i < m->nlvl; i++) {
		free(m->lvl[i].pre);
		free(m->lvl[i].cand);
	}
	free(m->lvl);
	free(m->ramp_lvl);
	free(m->ocand);
	free(m);
}

static void
acc_add(struct acc *a, const struct model_supplier *p,
    const struct model_result *r)
{
	if (r->breach_day != MODEL_NONE) {
		a->below++;
		a->emp += p->employees;
	}
	a->gap += r->funding_gap;
	a->ep += r->early_paid;
	a->fees += r->fees;
}

static int
narrow(__int128 v, int64_t *out)
{
	if (v > INT64_MAX || v < INT64_MIN)
		return (-1);
	*out = (int64_t)v;
	return (0);
}

static int
acc_point(const struct model *m, const struct acc *a, int64_t L,
    struct model_point *pt)
{
	memset(pt, 0, sizeof(*pt));
	pt->outage_days = L;
	pt->suppliers_below = a->below;
	if (narrow(a->emp, &pt->employees_at_risk) == -1 ||
	    narrow(a->gap, &pt->funding_gap) == -1 ||
	    narrow(a->ep, &pt->early_paid) == -1 ||
	    narrow(a->fees, &pt->fees) == -1)
		return (-1);
	if (m->has_scheme && m->scheme.fee_bearer == MODEL_FEE_OEM)
		pt->oem_cost = pt->fees;
	return (0);
}

static void
worker_cleanup(struct worker *w)
{
	model_scratch_cleanup(&w->sc);
	free(w->acc);
	free(w->tot);
	free(w->openall);
	free(w->outall);
	free(w->rowbits);
}

static size_t
job_nL(const struct job *job)
{
	if (job->kind == JOB_DECIDED)
		return (job->nL);
	return (job->sweep ? (size_t)job->max + 1 : 1);
}

static int
worker_init(struct model *m, struct job *job, struct worker *w, int id)
{
	size_t	nL = job_nL(job), H = (size_t)m->H;

	memset(w, 0, sizeof(*w));
	w->m = m;
	w->job = job;
	w->id = id;
	if (model_scratch_init(m, &w->sc) == -1)
		return (-1);
	w->acc = calloc(nL, sizeof(*w->acc));
	w->tot = calloc(nL * H + 1, sizeof(*w->tot));
	w->openall = calloc(H + 1, sizeof(*w->openall));
	w->outall = calloc(H + 1, sizeof(*w->outall));
	if (w->acc == NULL || w->tot == NULL || w->openall == NULL ||
	    w->outall == NULL)
		return (-1);
	if (job->kind == JOB_DECIDED && (w->rowbits = calloc(nL * 64 *
	    ((H + 63) / 64), sizeof(*w->rowbits))) == NULL)
		return (-1);
	return (0);
}

static void
progress(struct worker *w)
{
	struct job	*job = w->job;
	size_t		 done;

	done = atomic_fetch_add(&job->done, 1) + 1;
	if (w->id == 0 && w->m->progress != NULL)
		w->m->progress(w->m->progress_arg, job->progress_base + done,
		    job->progress_total > 0 ? job->progress_total : job->units);
}

/* Suppliers [a, b) for every L of the sweep, or for the one L of a run. */
static void
suppliers_unit(struct worker *w, size_t a, size_t b)
{
	struct model		*m = w->m;
	struct job		*job = w->job;
	struct model_result	 r, *rp;
	int64_t			 L, Lmin, Lmax, brk;
	size_t			 s, H = (size_t)m->H;
	int			 fast;

	Lmin = job->sweep ? 0 : job->L;
	Lmax = job->sweep ? job->max : job->L;
	for (s = a; s < b; s++) {
		model_sim_prepare(m, &w->sc, s);
		fast = job->sweep && m->fast;
		if (fast)
			model_fast_prepare(m, &w->sc, s, NULL, w->openall,
			    w->outall);
		brk = MODEL_NONE;
		for (L = Lmin; L <= Lmax; L++) {
			if (!job->sweep)
				rp = &job->res[s];
			else if (job->all != NULL)
				rp = &job->all[(size_t)L * m->ns + s];
			else
				rp = &r;
			/* The days of a result cost a pass: only when kept. */
			if (fast)
				model_fast_eval(m, &w->sc, s, L, NULL, NULL,
				    m->has_scheme ?
				    w->tot + (size_t)(L - Lmin) * H : NULL,
				    job->all != NULL, rp);
			else
				model_sim_supplier(m, &w->sc, s, L, job->dec,
				    m->has_scheme && job->dec == NULL ?
				    w->tot + (size_t)(L - Lmin) * H : NULL, rp);
			acc_add(&w->acc[L - Lmin], &m->in.suppliers[s], rp);
			if (brk == MODEL_NONE && rp->breach_day != MODEL_NONE)
				brk = L;
		}
		if (job->breaks != NULL)
			job->breaks[s] = brk;
	}
}

/* a[d] bit r becomes a[r] bit d: a 64 x 64 bit matrix transposed. */
static void
transpose64(uint64_t a[64])
{
	uint64_t	m = 0x00000000ffffffffULL, t;
	int		j, k;

	for (j = 32; j != 0; j >>= 1, m ^= m << j) {
		for (k = 0; k < 64; k = ((k | j) + 1) & ~j) {
			t = ((a[k] >> j) ^ a[k | j]) & m;
			a[k | j] ^= t;
			a[k] ^= t << j;
		}
	}
}

/*
 * The decisions of rows [a, a + 64) for every length of the batch, turned
 * from bits by day into bits by row: w->rowbits[(k * 64 + r) * words] is
 * row a + r's first word for the batch's length k.
 */
static void
rows_bits(struct worker *w, size_t a)
{
	struct model	*m = w->m;
	struct job	*job = w->job;
	uint64_t	 blk[64];
	size_t		 k, wd, d, r, day, words = ((size_t)m->H + 63) / 64;

	for (k = 0; k < job->nL; k++) {
		for (wd = 0; wd < words; wd++) {
			for (d = 0; d < 64; d++) {
				day = wd * 64 + d;
				blk[d] = day < (size_t)m->H ? job->decs[k].proj[
				    day * job->decs[k].words + a / 64] : 0;
			}
			transpose64(blk);
			for (r = 0; r < 64; r++)
				w->rowbits[(k * 64 + r) * words + wd] = blk[r];
		}
	}
}

/*
 * Positions [a, b) of m->eval_order (a multiple of 64: rows in whole
 * words of decision bits) for a batch of outage lengths whose facility
 * decisions are made: the shifted sums with the accepted advances as
 * corrections (the reference goes day by day).
 */
static void
decided_unit(struct worker *w, size_t a, size_t b)
{
	struct model		*m = w->m;
	struct job		*job = w->job;
	struct model_result	 r, *rp;
	const uint64_t		*bits;
	int64_t			 L;
	size_t			 i, s, k, words = ((size_t)m->H + 63) / 64;
	int			 prepared, rows;

	rows = a < m->nelig;
	if (rows)
		rows_bits(w, a);
	for (i = a; i < b; i++) {
		s = m->eval_order[i];
		model_sim_prepare(m, &w->sc, s);
		prepared = 0;
		for (k = 0; k < job->nL; k++) {
			L = job->L0 + (int64_t)k;
			rp = job->all != NULL ?
			    &job->all[(size_t)L * m->ns + s] : &r;
			bits = rows ?
			    &w->rowbits[(k * 64 + i - a) * words] : NULL;
			if (!m->reference && !model_order(m)) {
				if (!prepared)
					model_fast_prepare(m, &w->sc, s,
					    job->snap, NULL, NULL);
				prepared = 1;
				model_fast_eval(m, &w->sc, s, L, &job->decs[k],
				    bits, NULL, job->all != NULL, rp);
			} else
				model_sim_supplier(m, &w->sc, s, L,
				    &job->decs[k], NULL, rp);
			acc_add(&w->acc[k], &m->in.suppliers[s], rp);
			if (rp->breach_day != MODEL_NONE &&
			    job->breaks[s] == MODEL_NONE)
				job->breaks[s] = L;
		}
	}
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	struct job	*job = w->job;
	size_t		 u, a, b;

	while ((u = atomic_fetch_add(&job->next, 1)) < job->units) {
		a = u * CHUNK;
		b = a + CHUNK < w->m->ns ? a + CHUNK : w->m->ns;
		switch (job->kind) {
		case JOB_SUPPLIERS:
			suppliers_unit(w, a, b);
			break;
		case JOB_DECIDE:
			/* The reference decides every L from day 0. */
			if (model_facility_decide(w->m, job->L0 + (int64_t)u,
			    w->m->reference ? NULL : job->snap,
			    &job->decs[u]) == -1)
				w->err = MODEL_ERR_NOMEM;
			break;
		case JOB_DECIDED:
			decided_unit(w, a, b);
			break;
		}
		if (w->sc.ovf && w->err == 0)
			w->err = MODEL_ERR_OVERFLOW;
		if (w->sc.nomem && w->err == 0)
			w->err = MODEL_ERR_NOMEM;
		progress(w);
	}
	return (NULL);
}

/*
 * Run the job on up to m->threads threads, the caller's among them. A
 * thread that cannot be started only means fewer hands: the units are
 * taken from a shared counter, so the work is done all the same.
 */
static int
run_job(struct model *m, struct job *job, struct worker **wp, int *nwp,
    struct model_error *err)
{
	struct worker	*w;
	pthread_t	 tid[THREADS_MAX];
	int		 n, i, started[THREADS_MAX];

	*wp = NULL;
	*nwp = 0;
	n = m->threads;
	if ((size_t)n > job->units)
		n = job->units > 0 ? (int)job->units : 1;
	if ((w = calloc((size_t)n, sizeof(*w))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (worker_init(m, job, &w[i], i) == -1) {
			while (i >= 0)
				worker_cleanup(&w[i--]);
			free(w);
			goto nomem;
		}
	}
	for (i = 1; i < n; i++)
		started[i] = pthread_create(&tid[i], NULL, worker_main,
		    &w[i]) == 0;
	worker_main(&w[0]);
	for (i = 1; i < n; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
	}
	*wp = w;
	*nwp = n;
	for (i = 0; i < n; i++) {
		if (w[i].err != 0) {
			model_error_set(err, (enum model_errcode)w[i].err,
			    "run", 0, "", "", "%s", w[i].err == MODEL_ERR_NOMEM ?
			    "out of memory" : "figures too large for 64-bit "
			    "money");
			return (-1);
		}
	}
	return (0);
nomem:
	model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
	    "out of memory");
	return (-1);
}

static void
workers_free(struct worker *w, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		worker_cleanup(&w[i]);
	free(w);
}

static int
range_error(struct model_error *err, const char *field, int64_t v,
    int64_t hi)
{
	model_error_set(err, MODEL_ERR_INVALID, "run", 0, "", field,
	    "must be between 0 and %lld, got %lld", (long long)hi,
	    (long long)v);
	return (-1);
}

/* Largest sum over threads of tot[L][t], over the days t. */
static int
peak_of(const struct model *m, struct worker *w, int nw, size_t row,
    int64_t *out)
{
	__int128	sum, best = 0;
	size_t		t, H = (size_t)m->H;
	int		i;

	for (t = 0; t < H; t++) {
		sum = 0;
		for (i = 0; i < nw; i++)
			sum += w[i].tot[row * H + t];
		if (sum > best)
			best = sum;
	}
	return (narrow(best, out));
}

/* Version 1's paths leave the network's fields alone: they are 0. */
static void
clear_net(struct model_result *res, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		res[i].contagion = 0;
		res[i].overdue_receivables = 0;
		res[i].overdue_payables = 0;
	}
}

/*
 * The network for one L: its counterfactual, then the run itself, each
 * supplier's contagion the difference of their breaches. With ts < ns
 * the run traces supplier ts through tr (its payments left in *n).
 */
static int
net_both(struct model *m, struct model_net *n, int64_t L, size_t ts,
    const struct model_trace *tr, struct model_result *res,
    struct model_point *pt, struct model_error *err)
{
	struct model_result	*cfr;
	struct model_point	 tmp;
	size_t			 s;
	int			 rc = -1, bound;

	if ((cfr = calloc(m->ns + 1, sizeof(*cfr))) == NULL) {
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		return (-1);
	}
	if (pt == NULL)
		pt = &tmp;
	/* A run in which every customer paid in full is its counterfactual. */
	if ((bound = model_net_run(n, L, 0, ts, tr, res, pt, err)) == -1 ||
	    (bound && model_net_run(n, L, 1, m->ns, NULL, cfr, NULL,
	    err) == -1))
		goto out;
	for (s = 0; s < m->ns && bound; s++)
		if (res[s].breach_day != MODEL_NONE &&
		    cfr[s].breach_day == MODEL_NONE) {
			res[s].contagion = 1;
			pt->suppliers_below_contagion++;
		}
	rc = 0;
out:
	free(cfr);
	return (rc);
}

static int
net_run(struct model *m, int64_t L, struct model_result *res,
    struct model_point *pt, struct model_error *err)
{
	struct model_net	*n;
	struct model_result	*own = NULL;
	struct model_point	 tmp;
	int			 rc;

	if (model_net_fast_ok(m))
		return (model_net_fast_sweep(m, L, L, pt != NULL ? pt : &tmp,
		    NULL, res, err));
	n = model_net_alloc(m);
	if (res == NULL)
		res = own = calloc(m->ns + 1, sizeof(*own));
	if (n == NULL || res == NULL) {
		model_net_free(n);
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		return (-1);
	}
	rc = net_both(m, n, L, m->ns, NULL, res, pt, err);
	model_net_free(n);
	free(own);
	return (rc);
}

int
model_run_links(struct model *m, int64_t L, struct model_result *res,
    struct model_link_result *lres, struct model_error *err)
{
	struct model_net	*n;
	int			 rc;

	if (L < 0 || L > m->H)
		return (range_error(err, "outage_days", L, m->H));
	if (!m->net)
		return (model_run(m, L, res, NULL, err));
	if ((n = model_net_alloc(m)) == NULL) {
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		return (-1);
	}
	model_net_links(n, lres);
	rc = net_both(m, n, L, m->ns, NULL, res, NULL, err);
	model_net_free(n);
	return (rc);
}

int
model_run(struct model *m, int64_t L, struct model_result *res,
    struct model_point *pt, struct model_error *err)
{
	struct model_decisions	 dec;
	struct model_point	 tmp;
	struct job		 job;
	struct worker		*w = NULL;
	struct acc		 sum;
	int			 facility, nw = 0, i, rc = -1;

	if (L < 0 || L > m->H)
		return (range_error(err, "outage_days", L, m->H));
	if (m->net)
		return (net_run(m, L, res, pt, err));
	facility = m->has_scheme && m->scheme.has_facility_limit;
	memset(&dec, 0, sizeof(dec));
	memset(&job, 0, sizeof(job));
	if (facility) {
		if (model_facility_decisions_alloc(m, &dec) == -1 ||
		    model_facility_decide(m, L, NULL, &dec) == -1) {
			model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
			    "out of memory");
			goto out;
		}
		job.dec = &dec;
	}
	job.L = L;
	job.res = res;
	job.units = (m->ns + CHUNK - 1) / CHUNK;
	if (run_job(m, &job, &w, &nw, err) == -1)
		goto out;
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < nw; i++) {
		sum.below += w[i].acc[0].below;
		sum.emp += w[i].acc[0].emp;
		sum.gap += w[i].acc[0].gap;
		sum.ep += w[i].acc[0].ep;
		sum.fees += w[i].acc[0].fees;
	}
	if (pt == NULL)
		pt = &tmp;
	if (acc_point(m, &sum, L, pt) == -1 || (!facility && m->has_scheme &&
	    peak_of(m, w, nw, 0, &pt->peak_facility_use) == -1)) {
		model_error_set(err, MODEL_ERR_OVERFLOW, "run", 0, "", "",
		    "totals too large for 64-bit money");
		goto out;
	}
	if (facility)
		pt->peak_facility_use = dec.peak;
	if (res != NULL)
		clear_net(res, m->ns);
	rc = 0;
out:
	if (w != NULL)
		workers_free(w, nw);
	model_facility_decisions_free(&dec);
	return (rc);
}

/*
 * Peak use on the fast path: open advances by day plus shifted projected,
 * plus the corrections of invoices approved before the effective day or
 * paid at the end of the freeze (first differences in tot's row L).
 */
static int
fast_peak(const struct model *m, struct worker *w, int nw, int64_t L,
    int64_t *out)
{
	__int128	sum, best = 0, corr = 0;
	int64_t		t;
	size_t		row = (size_t)L * (size_t)m->H;
	int		i;

	for (t = 0; t < m->H; t++) {
		sum = 0;
		for (i = 0; i < nw; i++) {
			sum += w[i].openall[t];
			if (t >= L)
				sum += w[i].outall[t - L];
			corr += w[i].tot[row + (size_t)t];
		}
		sum += corr;
		if (sum > best)
			best = sum;
	}
	return (narrow(best, out));
}

static void
acc_merge(struct acc *into, const struct acc *a)
{
	into->below += a->below;
	into->emp += a->emp;
	into->gap += a->gap;
	into->ep += a->ep;
	into->fees += a->fees;
}

#define BATCH	64	/* outage lengths decided together */

/*
 * The facility sweep, in batches of outage lengths: decide each length of
 * the batch (one per thread, the days before the restart copied from a
 * snapshot), then compute every supplier for the whole batch (suppliers
 * split over threads). Memory: one set of decision bits per length of the
 * batch, not per length of the sweep.
 */
static int
sweep_facility(struct model *m, int64_t max, struct model_point *curve,
    int64_t *breaks, struct model_result *all, struct acc *acc,
    struct model_error *err)
{
	struct model_decisions	 snap, decs[BATCH];
	struct job		 job;
	struct worker		*w = NULL;
	size_t			 k, nb, chunks;
	int64_t			 L0;
	int			 nw = 0, i, rc = -1;

	memset(&snap, 0, sizeof(snap));
	memset(decs, 0, sizeof(decs));
	for (k = 0; k < BATCH; k++)
		if (model_facility_decisions_alloc(m, &decs[k]) == -1)
			goto nomem;
	if (model_facility_decisions_alloc(m, &snap) == -1 ||
	    model_facility_snapshot(m, &snap) == -1)
		goto nomem;
	chunks = (m->ns + CHUNK - 1) / CHUNK;
	for (L0 = 0; L0 <= max; L0 += BATCH) {
		nb = (size_t)(max - L0 + 1 < BATCH ? max - L0 + 1 : BATCH);
		memset(&job, 0, sizeof(job));
		job.kind = JOB_DECIDE;
		job.L0 = L0;
		job.nL = nb;
		job.decs = decs;
		job.snap = &snap;
		job.units = nb;
		if (run_job(m, &job, &w, &nw, err) == -1)
			goto out;
		workers_free(w, nw);
		w = NULL;

		memset(&job, 0, sizeof(job));
		job.kind = JOB_DECIDED;
		job.L0 = L0;
		job.nL = nb;
		job.decs = decs;
		job.snap = &snap;
		job.breaks = breaks;
		job.all = all;
		job.units = chunks;
		job.progress_base = (size_t)L0 / BATCH * chunks;
		job.progress_total = ((size_t)max / BATCH + 1) * chunks;
		if (run_job(m, &job, &w, &nw, err) == -1)
			goto out;
		for (k = 0; k < nb; k++) {
			for (i = 0; i < nw; i++)
				acc_merge(&acc[L0 + (int64_t)k], &w[i].acc[k]);
			curve[L0 + (int64_t)k].peak_facility_use = decs[k].peak;
		}
		workers_free(w, nw);
		w = NULL;
	}
	rc = 0;
	goto out;
nomem:
	model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
	    "out of memory");
out:
	if (w != NULL)
		workers_free(w, nw);
	for (k = 0; k < BATCH; k++)
		model_facility_decisions_free(&decs[k]);
	model_facility_decisions_free(&snap);
	return (rc);
}

static int
sweep(struct model *m, int64_t max, struct model_point *curve,
    int64_t *breaks, struct model_result *all, struct model_error *err)
{
	struct job	 job;
	struct worker	*w = NULL;
	struct acc	*acc = NULL;
	int64_t		*brk = NULL, L, peak;
	size_t		 s;
	int		 facility, nw = 0, i, rc = -1, bad;

	if (max < 0 || max > m->H)
		return (range_error(err, "max_outage_days", max, m->H));
	if (m->net && model_net_fast_ok(m))
		return (model_net_fast_sweep(m, 0, max, curve, breaks, all,
		    err));
	if (m->net)
		return (model_net_sweep(m, max, curve, breaks, all, err));
	facility = m->has_scheme && m->scheme.has_facility_limit;
	acc = calloc((size_t)max + 1, sizeof(*acc));
	brk = calloc(m->ns + 1, sizeof(*brk));
	if (acc == NULL || brk == NULL) {
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		goto out;
	}
	for (s = 0; s < m->ns; s++)
		brk[s] = MODEL_NONE;
	memset(curve, 0, ((size_t)max + 1) * sizeof(*curve));
	if (facility) {
		if (sweep_facility(m, max, curve, brk, all, acc, err) == -1)
			goto out;
	} else {
		memset(&job, 0, sizeof(job));
		job.kind = JOB_SUPPLIERS;
		job.sweep = 1;
		job.max = max;
		job.breaks = brk;
		job.all = all;
		job.units = (m->ns + CHUNK - 1) / CHUNK;
		if (run_job(m, &job, &w, &nw, err) == -1)
			goto out;
		for (L = 0; L <= max; L++)
			for (i = 0; i < nw; i++)
				acc_merge(&acc[L], &w[i].acc[L]);
	}
	for (L = 0; L <= max; L++) {
		peak = curve[L].peak_facility_use;
		bad = acc_point(m, &acc[L], L, &curve[L]) == -1;
		curve[L].peak_facility_use = peak;
		if (facility || !m->has_scheme)
			;
		else if (m->fast)
			bad |= fast_peak(m, w, nw, L,
			    &curve[L].peak_facility_use) == -1;
		else
			bad |= peak_of(m, w, nw, (size_t)L,
			    &curve[L].peak_facility_use) == -1;
		if (bad) {
			model_error_set(err, MODEL_ERR_OVERFLOW, "run", 0, "",
			    "", "totals too large for 64-bit money");
			goto out;
		}
	}
	if (breaks != NULL)
		memcpy(breaks, brk, m->ns * sizeof(*breaks));
	if (all != NULL)
		clear_net(all, ((size_t)max + 1) * m->ns);
	rc = 0;
out:
	if (w != NULL)
		workers_free(w, nw);
	free(acc);
	free(brk);
	return (rc);
}

int
model_sweep(struct model *m, int64_t max, struct model_point *curve,
    int64_t *breaks, struct model_error *err)
{
	return (sweep(m, max, curve, breaks, NULL, err));
}

/*
 * The sweep, keeping every supplier's result for every L on the way: the
 * same paths and decisions, the lowest and breach days found by one more
 * pass where the shifted sums are used, instead of max + 1 day-by-day
 * runs.
 */
int
model_sweep_results(struct model *m, int64_t max, struct model_point *curve,
    int64_t *breaks, struct model_result *results, struct model_error *err)
{
	return (sweep(m, max, curve, breaks, results, err));
}

struct pkey {
	struct model_payment	 p;
	size_t			 seq;
};

static int
pkey_cmp(const void *a, const void *b)
{
	const struct pkey	*x = a, *y = b;

	if (x->p.day != y->p.day)
		return (x->p.day < y->p.day ? -1 : 1);
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* Payments in day order, within a day in the order they were made. */
static int
emit(const struct model_trace *tr, const struct model_payment *pays,
    size_t npays)
{
	struct pkey	*pk;
	size_t		 i;

	if ((pk = calloc(npays + 1, sizeof(*pk))) == NULL)
		return (-1);
	for (i = 0; i < npays; i++) {
		pk[i].p = pays[i];
		pk[i].seq = i;
	}
	qsort(pk, npays, sizeof(*pk), pkey_cmp);
	for (i = 0; i < npays && tr != NULL && tr->payment != NULL; i++)
		tr->payment(tr->arg, &pk[i].p);
	free(pk);
	return (0);
}

/* One supplier of the network: every firm is run, one is traced. */
static int
net_trace(struct model *m, size_t s, int64_t L, const struct model_trace *tr,
    struct model_result *res, struct model_error *err)
{
	struct model_net	*n;
	struct model_result	*all;
	const struct model_payment *pays;
	size_t			 npays;
	int			 rc = -1;

	n = model_net_alloc(m);
	all = calloc(m->ns + 1, sizeof(*all));
	if (n == NULL || all == NULL) {
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		goto out;
	}
	if (tr != NULL && tr->on_time) {
		/* The counterfactual alone: no contagion in this view. */
		if (model_net_run(n, L, 1, s, tr, all, NULL, err) == -1)
			goto out;
	} else if (net_both(m, n, L, s, tr, all, NULL, err) == -1)
		goto out;
	if (res != NULL)
		*res = all[s];
	model_net_payments(n, &pays, &npays);
	if (emit(tr, pays, npays) == -1) {
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		goto out;
	}
	rc = 0;
out:
	model_net_free(n);
	free(all);
	return (rc);
}

int
model_trace(struct model *m, size_t s, int64_t L,
    const struct model_trace *tr, struct model_result *res,
    struct model_error *err)
{
	struct model_decisions	 dec;
	struct model_scratch	 sc;
	struct model_result	 tmp;
	int			 rc = -1;

	if (L < 0 || L > m->H)
		return (range_error(err, "outage_days", L, m->H));
	if (s >= m->ns) {
		model_error_set(err, MODEL_ERR_INVALID, "run", 0, "",
		    "supplier", "no such supplier");
		return (-1);
	}
	if (m->net)
		return (net_trace(m, s, L, tr, res, err));
	memset(&dec, 0, sizeof(dec));
	if (model_scratch_init(m, &sc) == -1)
		goto nomem;
	if (m->has_scheme && m->scheme.has_facility_limit &&
	    (model_facility_decisions_alloc(m, &dec) == -1 ||
	    model_facility_decide(m, L, NULL, &dec) == -1))
		goto nomem;
	sc.trace = tr;
	model_sim_prepare(m, &sc, s);
	if (res == NULL)
		res = &tmp;
	model_sim_supplier(m, &sc, s, L, dec.open != NULL ? &dec : NULL, NULL,
	    res);
	clear_net(res, 1);
	if (sc.nomem)
		goto nomem;
	if (sc.ovf) {
		model_error_set(err, MODEL_ERR_OVERFLOW, "run", 0, "", "",
		    "figures too large for 64-bit money");
		goto out;
	}
	if (emit(tr, sc.pays, sc.npays) == -1)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
	    "out of memory");
out:
	model_scratch_cleanup(&sc);
	model_facility_decisions_free(&dec);
	return (rc);
}
