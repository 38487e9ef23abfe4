/*
 * Engine benchmark: a national-scale supply chain from a fixed seed
 * (100,000 suppliers, 1,500,000 open invoices, 180-day horizon), swept over
 * outage lengths 0..120 and run once more for the chosen length, as
 * tideover-stress does. Three cases: no scheme; a scheme without facility
 * limit; a scheme whose facility limit binds. Then the same firms as a
 * supply network, two links per firm on average (each tier-2 firm sells
 * to 1-4 tier-1 firms, each tier-3 to 1-3 tier-2), without a scheme and
 * with a deep-tier scheme (covers = all), over L 0..BENCH_NET_MAX (5);
 * and, with BENCH_NATIONAL=1, the same network with every firm
 * profitable at full production over L 0..120 (BENCH_REFERENCE=1: also
 * by the day-by-day reference). Each case runs in its own child process
 * so that its peak RSS is its own.
 *
 * Prints one line per case: name, wall and CPU seconds, peak RSS in MiB,
 * and a checksum of the results so that a faster engine can be seen to
 * give the same answer. Doubles are for timing only.
 *
 * usage: bench-engine [suppliers invoices]
 */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/model.h"

#define HORIZON		180
#define MAX_OUTAGE	120
#define CHOSEN		60

struct chain {
	struct model_supplier	*sup;
	struct model_invoice	*inv;
	char			*sid;		/* 8 bytes per supplier */
	char			*iid;		/* 9 bytes per invoice */
	int64_t			 ramp[14];
	struct model_scheme	 scheme;
	struct model_link	*link;
	struct model_input	 in;
};

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (*s);
}

static int64_t
between(uint64_t *s, int64_t lo, int64_t hi)
{
	return (lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1)));
}

static void
chain_make(struct chain *c, size_t ns, size_t ni)
{
	static const int64_t	terms[] = { 30, 45, 60, 60, 90 };
	struct model_supplier	*p;
	uint64_t		 s = 0x9e3779b97f4a7c15ULL;
	int32_t			 start;
	size_t			 i, k;
	int64_t			 tier;

	memset(c, 0, sizeof(*c));
	c->sup = calloc(ns, sizeof(*c->sup));
	c->inv = calloc(ni, sizeof(*c->inv));
	c->sid = calloc(ns, 8);
	c->iid = calloc(ni, 9);
	if (c->sup == NULL || c->inv == NULL || c->sid == NULL ||
	    c->iid == NULL) {
		perror("calloc");
		exit(1);
	}
	(void)date_parse("2025-09-01", &start);
	for (i = 0; i < ns; i++) {
		p = &c->sup[i];
		/* Ids not in index order, so the id sort does real work. */
		snprintf(c->sid + 8 * i, 8, "S%06u",
		    (unsigned int)((i * 7919) % ns % 1000000));
		p->id = c->sid + 8 * i;
		tier = between(&s, 0, 9);
		p->tier = tier == 0 ? 1 : tier < 4 ? 2 : 3;
		p->employees = between(&s, 1, p->tier == 1 ? 5000 : 400);
		p->oem_daily_sales = between(&s, 20000, 2000000);
		p->variable_cost_bps = between(&s, 3000, 8000);
		p->fixed_daily_costs = p->oem_daily_sales *
		    between(&s, 10, 40) / 100;
		p->cash = p->oem_daily_sales * between(&s, 5, 120);
		p->credit_available = between(&s, 0, 2) == 0 ? 0 :
		    p->oem_daily_sales * between(&s, 0, 30);
		p->min_liquidity = between(&s, 0, 3) == 0 ?
		    p->fixed_daily_costs * 5 : 0;
		p->other_daily_receipts = p->oem_daily_sales *
		    between(&s, 0, 30) / 100;
		p->payment_terms_days = terms[between(&s, 0, 4)];
		p->scheme_opt_in = between(&s, 0, 9) < 7;
	}
	for (k = 0; k < ni; k++) {
		i = (size_t)between(&s, 0, (int64_t)ns - 1);
		p = &c->sup[i];
		snprintf(c->iid + 9 * k, 9, "I%07u", (unsigned int)(k % 10000000));
		c->inv[k].id = c->iid + 9 * k;
		c->inv[k].supplier_id = p->id;
		c->inv[k].outstanding = p->oem_daily_sales *
		    between(&s, 50, 300) / 100;
		c->inv[k].due_date = start +
		    (int32_t)between(&s, -5, p->payment_terms_days);
	}
	for (k = 0; k < 14; k++)
		c->ramp[k] = 2000 + 500 * (int64_t)k;
	c->in.suppliers = c->sup;
	c->in.nsuppliers = ns;
	c->in.invoices = c->inv;
	c->in.ninvoices = ni;
	c->in.scenario.start_date = start;
	c->in.scenario.horizon_days = HORIZON;
	c->in.scenario.ramp_bps = c->ramp;
	c->in.scenario.ramp_len = 14;
	c->in.scenario.payment_freeze_days = 5;
	c->in.scenario.fixed_cost_relief_bps = 2000;

	c->scheme.effective_from = start;
	c->scheme.payment_lag_days = 3;
	c->scheme.advance_rate_bps = 9000;
	c->scheme.annual_rate_bps = 650;
	c->scheme.day_count_basis = 365;
	c->scheme.fee_bearer = MODEL_FEE_SUPPLIER;
	c->scheme.eligible_tiers = (1U << 2) | (1U << 3);
	c->scheme.requires_opt_in = 1;
}

/*
 * Links down the tiers: a tier-2 firm sells 1-4 links to tier-1
 * customers, a tier-3 firm 1-3 to tier-2, each about a fifth of its own
 * sales a day, on 30 to 90 days; a pair is drawn once at most.
 */
static void
chain_links(struct chain *c)
{
	static const int64_t	 terms[] = { 30, 45, 60, 75, 90 };
	uint64_t		 s = 0x2545f4914f6cdd1dULL;
	size_t			*byt[4], nt[4] = { 0 }, ns = c->in.nsuppliers;
	size_t			 i, k, n, nl = 0, cus, max;
	const struct model_supplier *p;
	int64_t			 t, want;

	for (t = 1; t <= 3; t++)
		if ((byt[t] = calloc(ns + 1, sizeof(size_t))) == NULL)
			exit(1);
	for (i = 0; i < ns; i++)
		byt[c->sup[i].tier][nt[c->sup[i].tier]++] = i;
	max = 4 * ns;
	if ((c->link = calloc(max, sizeof(*c->link))) == NULL)
		exit(1);
	for (i = 0; i < ns; i++) {
		p = &c->sup[i];
		if (p->tier == 1 || nt[p->tier - 1] == 0)
			continue;
		want = p->tier == 2 ? between(&s, 1, 4) : between(&s, 1, 3);
		for (k = 0; k < (size_t)want; k++) {
			cus = byt[p->tier - 1][between(&s, 0,
			    (int64_t)nt[p->tier - 1] - 1)];
			for (n = nl; n > 0 && n + 4 > nl; n--)
				if (c->link[n - 1].supplier_id == p->id &&
				    c->link[n - 1].customer_id == c->sup[cus].id)
					break;
			if (n > 0 && n + 4 > nl)
				continue;	/* drawn twice */
			c->link[nl].supplier_id = p->id;
			c->link[nl].customer_id = c->sup[cus].id;
			c->link[nl].daily_sales = p->oem_daily_sales / 5 /
			    want;
			c->link[nl].payment_terms_days =
			    terms[between(&s, 0, 4)];
			nl++;
		}
	}
	for (t = 1; t <= 3; t++)
		free(byt[t]);
	c->in.links = c->link;
	c->in.nlinks = nl;
}

/*
 * The same network as a national economy would hold it: every firm
 * profitable at full production. A tier-1 firm sells the OEM at least
 * two thirds more than it buys from its suppliers; each firm earns a
 * margin of 2 to 12 % of what it sells after its fixed costs and its
 * purchases, its variable costs being the rest; it holds 20 to 120 days
 * of fixed costs in cash. Then only a long stop makes a customer pay
 * short.
 */
static void
chain_national(struct chain *c)
{
	uint64_t		 s = 0x41c64e6d3039ULL;
	size_t			 ns = c->in.nsuppliers, i, l, cus, sel;
	int64_t			*buy, *sell, rev, var, profit;
	struct model_supplier	*p;
	char			*id0 = c->sid;

	buy = calloc(ns + 1, sizeof(*buy));
	sell = calloc(ns + 1, sizeof(*sell));
	if (buy == NULL || sell == NULL)
		exit(1);
	/* Ids are "S%06u" of (i * 7919) % ns at sid + 8 i: find by pointer. */
	for (l = 0; l < c->in.nlinks; l++) {
		sel = (size_t)(c->link[l].supplier_id - id0) / 8;
		cus = (size_t)(c->link[l].customer_id - id0) / 8;
		sell[sel] += c->link[l].daily_sales;
		buy[cus] += c->link[l].daily_sales;
	}
	for (i = 0; i < ns; i++) {
		p = &c->sup[i];
		if (p->oem_daily_sales < buy[i] * 5 / 3)
			p->oem_daily_sales = buy[i] * 5 / 3;
		rev = p->oem_daily_sales + sell[i];
		profit = rev * between(&s, 200, 1200) / 10000;
		p->fixed_daily_costs = rev * between(&s, 10, 25) / 100;
		var = rev - p->fixed_daily_costs - buy[i] - profit;
		if (var < 0) {
			p->fixed_daily_costs += var;
			var = 0;
		}
		p->variable_cost_bps = var * 10000 / rev;
		p->cash = p->fixed_daily_costs * between(&s, 20, 120);
		p->other_daily_receipts = 0;
	}
	free(buy);
	free(sell);
}

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

/* Runs in a child: sweep, run the chosen L, print the figures. */
static int
bench_case(const char *name, const struct chain *c, int threads,
    int reference, int64_t max)
{
	struct model_opts	 o;
	struct model_error	 e;
	struct model_point	*curve, pt;
	struct model_result	*res;
	struct rusage		 ru0, ru1;
	struct model		*m;
	int64_t			*brk;
	uint64_t		 sum = 0;
	double			 w0, w1, cpu;
	size_t			 i;
	int64_t			 L;

	curve = calloc(MAX_OUTAGE + 1, sizeof(*curve));
	res = calloc(c->in.nsuppliers, sizeof(*res));
	brk = calloc(c->in.nsuppliers, sizeof(*brk));
	if (curve == NULL || res == NULL || brk == NULL)
		return (1);
	memset(&o, 0, sizeof(o));
	o.threads = threads;
	o.reference = reference;
	getrusage(RUSAGE_SELF, &ru0);
	w0 = wall();
	if ((m = model_alloc(&c->in, &o, &e)) == NULL ||
	    model_sweep(m, max, curve, brk, &e) == -1 ||
	    model_run(m, CHOSEN, res, &pt, &e) == -1) {
		fprintf(stderr, "%s: %s %zu %s: %s\n", name, e.object,
		    e.index, e.field, e.problem);
		return (1);
	}
	w1 = wall();
	getrusage(RUSAGE_SELF, &ru1);
	cpu = seconds(ru1.ru_utime) - seconds(ru0.ru_utime) +
	    seconds(ru1.ru_stime) - seconds(ru0.ru_stime);
	for (L = 0; L <= MAX_OUTAGE; L++)
		sum = sum * 31 + (uint64_t)curve[L].funding_gap +
		    (uint64_t)curve[L].suppliers_below * 7 +
		    (uint64_t)curve[L].fees * 13 +
		    (uint64_t)curve[L].peak_facility_use;
	for (i = 0; i < c->in.nsuppliers; i++)
		sum = sum * 31 + (uint64_t)res[i].lowest_liquidity +
		    (uint64_t)brk[i];
	printf("case=%s wall_s=%.3f cpu_s=%.3f peak_rss_mib=%.1f "
	    "below_at_%d=%lld contagion_at_%d=%lld peak_use_at_%d=%lld "
	    "checksum=%016llx\n",
	    name, w1 - w0, cpu, ru1.ru_maxrss / 1024.0, CHOSEN,
	    (long long)curve[CHOSEN].suppliers_below, CHOSEN,
	    (long long)curve[CHOSEN].suppliers_below_contagion, CHOSEN,
	    (long long)curve[CHOSEN].peak_facility_use,
	    (unsigned long long)sum);
	fflush(stdout);
	model_free(m);
	return (0);
}

static int
in_child(const char *name, const struct chain *c, int threads, int reference,
    int64_t max)
{
	const char	*only = getenv("BENCH_CASE");
	pid_t		 pid;
	int		 status;

	/* BENCH_CASE=name runs that case alone, e.g. under a profiler. */
	if (only != NULL && strcmp(only, name) != 0)
		return (0);
	fflush(stdout);
	if ((pid = fork()) == -1) {
		perror("fork");
		return (1);
	}
	if (pid == 0)
		_exit(bench_case(name, c, threads, reference, max));
	if (waitpid(pid, &status, 0) == -1)
		return (1);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

int
main(int argc, char *argv[])
{
	struct chain	c;
	size_t		ns = 100000, ni = 1500000;
	int		threads = 0, rc = 0;
	int64_t		netmax;
	const char	*t;

	if (argc == 3) {
		ns = strtoul(argv[1], NULL, 10);
		ni = strtoul(argv[2], NULL, 10);
	}
	if ((t = getenv("BENCH_THREADS")) != NULL)
		threads = atoi(t);
	chain_make(&c, ns, ni);

	rc |= in_child("no_scheme", &c, threads, 0, MAX_OUTAGE);
	c.in.scheme = &c.scheme;
	rc |= in_child("scheme", &c, threads, 0, MAX_OUTAGE);
	c.scheme.has_facility_limit = 1;
	c.scheme.facility_limit = 1500000000000LL;	/* 15bn pence: binds */
	rc |= in_child("scheme_facility_limit", &c, threads, 0, MAX_OUTAGE);

	/*
	 * These firms' figures were drawn without their links: many cannot
	 * pay their suppliers even without a stop, so nearly the whole
	 * network is run day by day for every L. BENCH_NET_MAX bounds the
	 * range (the whole of it takes minutes).
	 */
	chain_links(&c);
	netmax = getenv("BENCH_NET_MAX") != NULL ?
	    atoi(getenv("BENCH_NET_MAX")) : 5;
	c.in.scheme = NULL;
	rc |= in_child("network", &c, threads, 0, netmax);
	c.in.scheme = &c.scheme;
	c.scheme.has_facility_limit = 0;
	c.scheme.covers = MODEL_COVERS_ALL;
	rc |= in_child("network_deep_tier", &c, threads, 0, netmax);

	/*
	 * The national case: the same network, every firm profitable at
	 * full production, L 0..120 with the counterfactual. It takes
	 * minutes (BENCH_NATIONAL=1), the day-by-day reference on the same
	 * input more (BENCH_REFERENCE=1 as well).
	 */
	if (getenv("BENCH_NATIONAL") == NULL)
		return (rc);
	chain_national(&c);
	c.in.scheme = NULL;
	rc |= in_child("network_national", &c, threads, 0, MAX_OUTAGE);
	if (getenv("BENCH_REFERENCE") != NULL)
		rc |= in_child("network_national_reference", &c, threads, 1,
		    MAX_OUTAGE);
	return (rc);
}
