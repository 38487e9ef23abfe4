/*
 * Input benchmark: what POST /v1/stress-runs asks of the engine, on one
 * input in tideover-stress's JSON format. The document is decoded once
 * (not timed); then, RUNS times, model_alloc and model_sweep_results over
 * 0..max_outage_days with every supplier's result of every length kept,
 * into freshly allocated arrays as the service's job does, and
 * model_free. Prints each run's wall and CPU time, the medians, the load
 * average, and a checksum over the whole answer (every curve field,
 * breaks_at_outage_days, every result field of every length and
 * supplier), which must be the same in every run and before and after
 * any change to the engine.
 *
 * Not run by make bench (no such input is in the tree): build it with
 * make build/bench-input and run it on a tideover-stress document, e.g.
 * the demo data set's suppliers, open invoices, scenario jlr-2025 and a
 * scheme exported from a make run instance:
 *
 *	build/bench-input chain.json
 *
 * BENCH_RUNS sets the number of runs (5), BENCH_THREADS the engine's
 * threads (0: one per CPU, as the service), BENCH_REFERENCE=1 the
 * day-by-day reference. BENCH_SIZING=L runs a facility sizing of the
 * input's scheme at outage length L instead (BENCH_STEPS steps, 20), as
 * POST /v1/facility-sizing does, its checksum over every point.
 *
 * usage: bench-input file.json
 */
#include <sys/resource.h>
#include <sys/time.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/stress.h"

#define RUNS_MAX	101

static double
seconds(struct timeval tv)
{
	return (tv.tv_sec + tv.tv_usec / 1e6);
}

static double
wall(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static double
cpu(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return (seconds(ru.ru_utime) + seconds(ru.ru_stime));
}

/* FNV-1a over the value's eight bytes, low byte first. */
static uint64_t
mix(uint64_t h, int64_t v)
{
	uint64_t	u = (uint64_t)v;
	int		i;

	for (i = 0; i < 8; i++) {
		h ^= (u >> (8 * i)) & 0xff;
		h *= 0x100000001b3ULL;
	}
	return (h);
}

static uint64_t
checksum(const struct model_point *curve, const int64_t *breaks,
    const struct model_result *res, size_t nL, size_t ns)
{
	const struct model_point	*p;
	const struct model_result	*r;
	uint64_t			 h = 0xcbf29ce484222325ULL;
	size_t				 i;

	for (i = 0; i < nL; i++) {
		p = &curve[i];
		h = mix(h, p->outage_days);
		h = mix(h, p->suppliers_below);
		h = mix(h, p->employees_at_risk);
		h = mix(h, p->funding_gap);
		h = mix(h, p->early_paid);
		h = mix(h, p->fees);
		h = mix(h, p->peak_facility_use);
		h = mix(h, p->oem_cost);
	}
	for (i = 0; i < ns; i++)
		h = mix(h, breaks[i]);
	for (i = 0; i < nL * ns; i++) {
		r = &res[i];
		h = mix(h, r->breach_day);
		h = mix(h, r->lowest_liquidity);
		h = mix(h, r->lowest_liquidity_day);
		h = mix(h, r->funding_gap);
		h = mix(h, r->early_paid);
		h = mix(h, r->fees);
	}
	return (h);
}

/* One run as the service's job does it; its checksum, or 0 on failure. */
static int
run_once(const struct stress_input *si, int threads, int reference,
    double *w, double *c, double *a, uint64_t *sum)
{
	struct model_opts	 opts;
	struct model_error	 err;
	struct model_point	*curve;
	struct model_result	*res;
	struct model		*m;
	int64_t			*breaks;
	size_t			 nL, ns = si->in.nsuppliers;
	double			 w0, c0;
	int			 rc = -1;

	nL = (size_t)si->max_outage_days + 1;
	curve = calloc(nL, sizeof(*curve));
	breaks = calloc(ns + 1, sizeof(*breaks));
	res = calloc(ns * nL + 1, sizeof(*res));
	if (curve == NULL || breaks == NULL || res == NULL) {
		fprintf(stderr, "bench-input: out of memory\n");
		goto out;
	}
	memset(&opts, 0, sizeof(opts));
	opts.threads = threads;
	opts.reference = reference;
	w0 = wall();
	c0 = cpu();
	m = model_alloc(&si->in, &opts, &err);
	*a = wall() - w0;
	if (m == NULL || model_sweep_results(m, si->max_outage_days, curve, breaks, res,
	    &err) == -1) {
		fprintf(stderr, "bench-input: %s %zu %s: %s\n", err.object,
		    err.index, err.field, err.problem);
		model_free(m);
		goto out;
	}
	model_free(m);
	*w = wall() - w0;
	*c = cpu() - c0;
	*sum = checksum(curve, breaks, res, nL, ns);
	rc = 0;
out:
	free(curve);
	free(breaks);
	free(res);
	return (rc);
}

/* One facility sizing at L on the given steps; its checksum. */
static int
sizing_once(const struct stress_input *si, int threads, int reference,
    int64_t L, int64_t steps, double *w, double *c, double *a,
    uint64_t *sum)
{
	struct model_opts		 opts;
	struct model_error		 err;
	struct model_sizing		 out;
	struct model_sizing_point	*pts;
	struct model_point		*curve;
	double				 w0, c0;
	int64_t				 k;
	int				 rc = -1;

	if ((pts = calloc((size_t)steps + 1, sizeof(*pts))) == NULL ||
	    (curve = calloc((size_t)steps + 1, sizeof(*curve))) == NULL) {
		free(pts);
		fprintf(stderr, "bench-input: out of memory\n");
		return (-1);
	}
	memset(&opts, 0, sizeof(opts));
	opts.threads = threads;
	opts.reference = reference;
	w0 = wall();
	c0 = cpu();
	if (model_size_facility(&si->in, &opts, L, steps, 0, 0, pts, &out,
	    &err) == -1) {
		fprintf(stderr, "bench-input: %s %zu %s: %s\n", err.object,
		    err.index, err.field, err.problem);
		goto out;
	}
	*w = wall() - w0;
	*c = cpu() - c0;
	*a = 0;
	for (k = 0; k <= steps; k++)
		curve[k] = pts[k].point;
	*sum = checksum(curve, NULL, NULL, (size_t)steps + 1, 0);
	*sum = mix(*sum, out.uncapped_peak);
	*sum = mix(*sum, out.answer);
	for (k = 0; k <= steps; k++) {
		*sum = mix(*sum, pts[k].facility_limit);
		*sum = mix(*sum, pts[k].point.suppliers_below_contagion);
		*sum = mix(*sum, pts[k].point.overdue_trade_credit);
		*sum = mix(*sum, pts[k].point.funder_overdue);
	}
	rc = 0;
out:
	free(pts);
	free(curve);
	return (rc);
}

static int
dcmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) == -1 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) == -1 ||
	    (buf = malloc((size_t)n + 1)) == NULL) {
		if (f != NULL)
			fclose(f);
		return (NULL);
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return (NULL);
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return (buf);
}

int
main(int argc, char *argv[])
{
	struct stress_input	 si;
	struct stress_problems	 probs;
	double			 ws[RUNS_MAX], cs[RUNS_MAX], as[RUNS_MAX];
	double			 load[3];
	uint64_t		 sum, first = 0;
	const char		*e;
	char			*text;
	size_t			 len;
	int64_t			 sizing = -1, steps = 20;
	int			 runs = 5, threads = 0, reference = 0, i, rc;
	int			 differ = 0;

	if (argc != 2) {
		fputs("usage: bench-input file.json\n", stderr);
		return (2);
	}
	if ((e = getenv("BENCH_RUNS")) != NULL)
		runs = atoi(e);
	if (runs < 1 || runs > RUNS_MAX)
		runs = 5;
	if ((e = getenv("BENCH_THREADS")) != NULL)
		threads = atoi(e);
	if ((e = getenv("BENCH_REFERENCE")) != NULL)
		reference = atoi(e);
	if ((e = getenv("BENCH_SIZING")) != NULL)
		sizing = atoll(e);
	if ((e = getenv("BENCH_STEPS")) != NULL)
		steps = atoll(e);
	if ((text = slurp(argv[1], &len)) == NULL) {
		perror(argv[1]);
		return (1);
	}
	memset(&probs, 0, sizeof(probs));
	if (stress_input_decode(text, len, &si, &probs) == -1) {
		fprintf(stderr, "%s: %s %s\n", argv[1],
		    probs.n > 0 ? probs.v[0].field : "",
		    probs.n > 0 ? probs.v[0].problem : "cannot decode");
		return (2);
	}
	for (i = 0; i < runs; i++) {
		if (sizing >= 0)
			rc = sizing_once(&si, threads, reference, sizing,
			    steps, &ws[i], &cs[i], &as[i], &sum);
		else
			rc = run_once(&si, threads, reference, &ws[i], &cs[i],
			    &as[i], &sum);
		if (rc == -1)
			return (1);
		if (i == 0)
			first = sum;
		differ |= sum != first;
		printf("run=%d wall_ms=%.1f cpu_ms=%.1f alloc_ms=%.1f "
		    "checksum=%016llx\n", i + 1, ws[i] * 1e3, cs[i] * 1e3,
		    as[i] * 1e3, (unsigned long long)sum);
	}
	qsort(ws, (size_t)runs, sizeof(*ws), dcmp);
	qsort(cs, (size_t)runs, sizeof(*cs), dcmp);
	if (getloadavg(load, 3) != 3)
		load[0] = load[1] = load[2] = -1;
	printf("input=%s suppliers=%zu invoices=%zu max_outage_days=%lld "
	    "median_wall_ms=%.1f median_cpu_ms=%.1f load=%.2f,%.2f,%.2f "
	    "checksum=%016llx%s\n", argv[1], si.in.nsuppliers,
	    si.in.ninvoices, (long long)si.max_outage_days,
	    ws[(runs - 1) / 2] * 1e3, cs[(runs - 1) / 2] * 1e3,
	    load[0], load[1], load[2], (unsigned long long)first,
	    differ ? " RESULTS DIFFER BETWEEN RUNS" : "");
	free(text);
	free(probs.v);
	stress_input_cleanup(&si);
	return (differ);
}
