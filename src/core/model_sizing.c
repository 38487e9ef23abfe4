/*
 * Treasury's two questions on top of the model: how big must the facility
 * be (a grid of limits, every one run, since a larger limit can leave more
 * suppliers below), and what to expect when the restart date is uncertain
 * (figures weighted by the probability of each outage length).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/money.h"
#include "core/model_impl.h"

/*
 * The grid's runs. The figures at one limit depend on the limit only
 * where the engine decides what the facility takes, so one model with a
 * limit serves every point, its limit set before each run: the same
 * figures as a model made afresh for each limit, without K + 1 times
 * the model's set-up. The points are shared out over threads, each with
 * its own model, taking the next point from a common counter; each
 * point is written by the one thread that ran it, so the results do not
 * depend on the number of threads. Each model runs on one thread: the
 * points are the coarser, better unit.
 */
#define SIZING_THREADS_MAX	16

struct grid {
	const struct model_input	*in;	/* the scheme with a limit */
	const struct model_opts		*opts;
	int64_t				 L;
	int64_t				 steps;
	struct model_sizing_point	*pts;
	pthread_mutex_t			 lock;
	int64_t				 next;	/* the next point to run */
	int64_t				 failed; /* lowest failed k, or -1 */
	struct model_error		 err;	/* ... its error */
};

struct grid_worker {
	struct grid	*g;
	pthread_t	 tid;
	int		 started;
};

static void
grid_fail(struct grid *g, int64_t k, const struct model_error *err)
{
	pthread_mutex_lock(&g->lock);
	if (g->failed == -1 || k < g->failed) {
		g->failed = k;
		g->err = *err;
	}
	pthread_mutex_unlock(&g->lock);
}

static void *
grid_main(void *arg)
{
	struct grid_worker	*w = arg;
	struct grid		*g = w->g;
	struct model_opts	 o;
	struct model_result	*res;
	struct model_error	 err;
	struct model		*m;
	int64_t			 k;

	memset(&o, 0, sizeof(o));
	if (g->opts != NULL)
		o = *g->opts;
	o.threads = 1;
	o.progress = NULL;
	memset(&err, 0, sizeof(err));
	if ((res = calloc(g->in->nsuppliers + 1, sizeof(*res))) == NULL) {
		model_error_set(&err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		grid_fail(g, 0, &err);
		return (NULL);
	}
	if ((m = model_alloc(g->in, &o, &err)) == NULL) {
		grid_fail(g, 0, &err);
		free(res);
		return (NULL);
	}
	for (;;) {
		pthread_mutex_lock(&g->lock);
		k = g->failed == -1 && g->next <= g->steps ? g->next++ : -1;
		pthread_mutex_unlock(&g->lock);
		if (k == -1)
			break;
		m->scheme.facility_limit = g->pts[k].facility_limit;
		if (model_run(m, g->L, res, &g->pts[k].point, &err) == -1) {
			grid_fail(g, k, &err);
			break;
		}
	}
	model_free(m);
	free(res);
	return (NULL);
}

static int
grid_threads(const struct model_opts *opts, int64_t points)
{
	long	cpus;
	int	n = opts != NULL ? opts->threads : 0;

	if (n <= 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		n = cpus > 0 ? (int)cpus : 1;
	}
	if (n > SIZING_THREADS_MAX)
		n = SIZING_THREADS_MAX;
	if (n > points)
		n = (int)points;
	return (n);
}

/* Every point of the grid, the limits in pts already. */
static int
grid_run(const struct model_input *in, const struct model_opts *opts,
    int64_t L, int64_t steps, struct model_sizing_point *pts,
    struct model_error *err)
{
	struct grid_worker	 w[SIZING_THREADS_MAX];
	struct grid		 g;
	int			 n, i;

	memset(&g, 0, sizeof(g));
	g.in = in;
	g.opts = opts;
	g.L = L;
	g.steps = steps;
	g.pts = pts;
	g.failed = -1;
	if (pthread_mutex_init(&g.lock, NULL) != 0) {
		model_error_set(err, MODEL_ERR_THREAD, "run", 0, "", "",
		    "cannot make a lock");
		return (-1);
	}
	n = grid_threads(opts, steps + 1);
	memset(w, 0, sizeof(w));
	/* A thread that cannot start only means fewer hands. */
	for (i = 1; i < n; i++) {
		w[i].g = &g;
		w[i].started = pthread_create(&w[i].tid, NULL, grid_main,
		    &w[i]) == 0;
	}
	w[0].g = &g;
	grid_main(&w[0]);
	for (i = 1; i < n; i++) {
		if (w[i].started)
			pthread_join(w[i].tid, NULL);
	}
	pthread_mutex_destroy(&g.lock);
	if (g.failed != -1) {
		*err = g.err;
		return (-1);
	}
	return (0);
}

/* The uncapped run: one model, its own threads as the options say. */
static int
run_at(const struct model_input *in, const struct model_opts *opts,
    int64_t L, struct model_point *pt, struct model_error *err)
{
	struct model		*m;
	struct model_result	*res;
	int			 rc;

	if ((res = calloc(in->nsuppliers + 1, sizeof(*res))) == NULL) {
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		return (-1);
	}
	if ((m = model_alloc(in, opts, err)) == NULL) {
		free(res);
		return (-1);
	}
	rc = model_run(m, L, res, pt, err);
	model_free(m);
	free(res);
	return (rc);
}

int
model_size_facility(const struct model_input *in,
    const struct model_opts *opts, int64_t L, int64_t steps, int has_target,
    int64_t target, struct model_sizing_point *pts, struct model_sizing *out,
    struct model_error *err)
{
	struct model_input	 cin;
	struct model_scheme	 sch;
	struct model_point	 pt;
	int64_t			 k, g;

	memset(out, 0, sizeof(*out));
	if (steps == 0)
		steps = MODEL_SIZING_STEPS_DEFAULT;
	if (in->scheme == NULL) {
		model_error_set(err, MODEL_ERR_INVALID, "scheme", 0, "", "",
		    "facility sizing needs a scheme");
		return (-1);
	}
	if (steps < 1 || steps > MODEL_SIZING_STEPS_MAX) {
		model_error_set(err, MODEL_ERR_INVALID, "run", 0, "", "steps",
		    "must be between 1 and %d, got %lld",
		    MODEL_SIZING_STEPS_MAX, (long long)steps);
		return (-1);
	}
	if (has_target && target < 0) {
		model_error_set(err, MODEL_ERR_INVALID, "run", 0, "",
		    "max_suppliers_below", "must be >= 0, got %lld",
		    (long long)target);
		return (-1);
	}
	if (L < 0 || L > in->scenario.horizon_days) {
		model_error_set(err, MODEL_ERR_INVALID, "run", 0, "",
		    "outage_days", "must be between 0 and %lld, got %lld",
		    (long long)in->scenario.horizon_days, (long long)L);
		return (-1);
	}
	cin = *in;
	sch = *in->scheme;
	cin.scheme = &sch;
	sch.has_facility_limit = 0;
	sch.facility_limit = 0;
	if (run_at(&cin, opts, L, &pt, err) == -1)
		return (-1);
	out->outage_days = L;
	out->steps = steps;
	out->uncapped_peak = pt.peak_facility_use;
	for (k = 0; k <= steps; k++) {
		if (money_rhe((money_wide)out->uncapped_peak * k, steps,
		    &g) == -1) {
			model_error_set(err, MODEL_ERR_OVERFLOW, "run", 0, "",
			    "", "figures too large for 64-bit money");
			return (-1);
		}
		memset(&pts[k], 0, sizeof(pts[k]));
		pts[k].facility_limit = g;
	}
	sch.has_facility_limit = 1;
	sch.facility_limit = out->uncapped_peak;
	if (grid_run(&cin, opts, L, steps, pts, err) == -1)
		return (-1);
	out->target = has_target ? target : pts[steps].point.suppliers_below;
	out->answer = MODEL_NONE;
	out->facility_limit = MODEL_NONE;
	for (k = 0; k <= steps; k++)
		if (pts[k].point.suppliers_below <= out->target) {
			out->answer = k;
			out->facility_limit = pts[k].facility_limit;
			break;
		}
	return (0);
}

struct ereport {
	struct model_error	*errs;
	size_t			 max;
	size_t			 n;
};

static void
ereport(struct ereport *r, const char *field, const char *fmt, long long a,
    long long b)
{
	if (r->n < r->max)
		model_error_set(&r->errs[r->n], MODEL_ERR_INVALID, "scenario",
		    0, "", field, fmt, a, b);
	r->n++;
}

int
model_outage_check(const struct model_outage_prob *pr, size_t n,
    int64_t max, struct model_error *errs, size_t maxerrs, size_t *nerrs)
{
	struct ereport	 r;
	size_t		 first[MODEL_HORIZON_MAX + 1], i;
	char		 field[80];
	money_wide	 sum = 0;
	int64_t		 L;

	memset(&r, 0, sizeof(r));
	r.errs = errs;
	r.max = maxerrs;
	for (L = 0; L <= MODEL_HORIZON_MAX; L++)
		first[L] = SIZE_MAX;
	if (max < 0 || max > MODEL_HORIZON_MAX)
		max = MODEL_HORIZON_MAX;
	for (i = 0; i < n; i++) {
		L = pr[i].outage_days;
		snprintf(field, sizeof(field),
		    "outage_probabilities[%zu].outage_days", i);
		if (L < 0 || L > max)
			ereport(&r, field, "must be between 0 and %lld, got "
			    "%lld", (long long)max, (long long)L);
		else if (first[L] != SIZE_MAX)
			ereport(&r, field, "duplicates "
			    "outage_probabilities[%lld] (%lld days)",
			    (long long)first[L], (long long)L);
		else
			first[L] = i;
		snprintf(field, sizeof(field),
		    "outage_probabilities[%zu].probability_bps", i);
		if (pr[i].probability_bps < 1 ||
		    pr[i].probability_bps > MODEL_BPS_MAX)
			ereport(&r, field, "must be between 1 and %lld, got "
			    "%lld", (long long)MODEL_BPS_MAX,
			    (long long)pr[i].probability_bps);
		else
			sum += pr[i].probability_bps;
	}
	if (r.n == 0 && sum != MODEL_BPS_MAX)
		ereport(&r, "outage_probabilities", "must sum to %lld, got "
		    "%lld", (long long)MODEL_BPS_MAX, (long long)sum);
	if (nerrs != NULL)
		*nerrs = r.n;
	return (r.n == 0 ? 0 : -1);
}

/* The weighted sums, narrowed once at the end: rhe(sum, 10000). */
struct wsum {
	money_wide	 below;
	money_wide	 emp;
	money_wide	 gap;
	money_wide	 oem;
};

static void
wsum_add(struct wsum *w, int64_t p, const struct model_point *pt)
{
	w->below += (money_wide)p * pt->suppliers_below;
	w->emp += (money_wide)p * pt->employees_at_risk;
	w->gap += (money_wide)p * pt->funding_gap;
	w->oem += (money_wide)p * pt->oem_cost;
}

static int
wsum_done(const struct wsum *w, struct model_expected *ex,
    struct model_error *err)
{
	if (money_rhe(w->below, MODEL_BPS_MAX, &ex->suppliers_below) == -1 ||
	    money_rhe(w->emp, MODEL_BPS_MAX, &ex->employees_at_risk) == -1 ||
	    money_rhe(w->gap, MODEL_BPS_MAX, &ex->funding_gap) == -1 ||
	    money_rhe(w->oem, MODEL_BPS_MAX, &ex->oem_cost) == -1) {
		model_error_set(err, MODEL_ERR_OVERFLOW, "run", 0, "", "",
		    "figures too large for 64-bit money");
		return (-1);
	}
	return (0);
}

int
model_outage_figures(const struct model_outage_prob *pr, size_t n,
    const struct model_point *curve, const struct model_result *res,
    size_t ns, int64_t max, struct model_expected *ex, int64_t *bps,
    struct model_error *err)
{
	struct wsum	 w;
	size_t		 i, s;
	int64_t		 L;

	if (model_outage_check(pr, n, max, err, 1, NULL) == -1)
		return (-1);
	memset(&w, 0, sizeof(w));
	for (s = 0; s < ns && bps != NULL; s++)
		bps[s] = 0;
	for (i = 0; i < n; i++) {
		L = pr[i].outage_days;
		wsum_add(&w, pr[i].probability_bps, &curve[L]);
		for (s = 0; s < ns && bps != NULL; s++)
			if (res[(size_t)L * ns + s].breach_day != MODEL_NONE)
				bps[s] += pr[i].probability_bps;
	}
	return (wsum_done(&w, ex, err));
}

int
model_outage(struct model *m, const struct model_outage_prob *pr, size_t n,
    struct model_expected *ex, int64_t *bps, struct model_error *err)
{
	struct model_result	*res;
	struct model_point	 pt;
	struct wsum		 w;
	size_t			 i, s;
	int			 rc = -1;

	if (model_outage_check(pr, n, m->H, err, 1, NULL) == -1)
		return (-1);
	if ((res = calloc(m->ns + 1, sizeof(*res))) == NULL) {
		model_error_set(err, MODEL_ERR_NOMEM, "run", 0, "", "",
		    "out of memory");
		return (-1);
	}
	memset(&w, 0, sizeof(w));
	for (s = 0; s < m->ns && bps != NULL; s++)
		bps[s] = 0;
	for (i = 0; i < n; i++) {
		if (model_run(m, pr[i].outage_days, res, &pt, err) == -1)
			goto out;
		wsum_add(&w, pr[i].probability_bps, &pt);
		for (s = 0; s < m->ns && bps != NULL; s++)
			if (res[s].breach_day != MODEL_NONE)
				bps[s] += pr[i].probability_bps;
	}
	rc = wsum_done(&w, ex, err);
out:
	free(res);
	return (rc);
}
