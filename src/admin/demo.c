/*
 * tideover-demo: writes the demo data set, a synthetic supply chain shaped
 * like Jaguar Land Rover's in the production stop of September 2025, into
 * a directory, as the files ops/demo loads through the API:
 *
 *   suppliers.csv                  POST /v1/suppliers/import
 *   invoices.csv                   POST /v1/invoices/import (approved)
 *   links.csv                      POST /v1/links/import
 *   scheme-jlr-2025-restart.json   POST /v1/schemes
 *   scheme-all-tiers-day-1.json    POST /v1/schemes
 *   scheme-jlr-2025-orders.json    POST /v1/schemes
 *   scenario-jlr-2025.json         POST /v1/scenarios
 *   demo-supplier                  the id of the supplier the demo gives
 *                                  a key to
 *
 * and a summary of what it wrote on stdout.
 *
 *   tideover-demo [-s seed] directory
 *   tideover-demo get file name
 *   tideover-demo headline label=file ...
 *   tideover-demo sizing file
 *
 * The last two read the server's replies for ops/demo, which is plain sh:
 * get prints one top-level string or integer member of a JSON object
 * (a key, a run id); headline prints, from stress runs' replies, how many
 * suppliers fall below their threshold at each announced outage length
 * (and, when the scenario weighs outage lengths, how many are expected
 * to); sizing prints a facility sizing's points and its answer.
 *
 * The output depends only on the seed: one PRNG stream (xoshiro256**,
 * seeded through splitmix64), drawn in a fixed order, and integer
 * arithmetic throughout, so every machine writes the same bytes. Money is
 * in pence and never passes through floating point.
 *
 * Parameters (the tables below hold the numbers):
 *
 * Suppliers. 5,000: 1,000 tier 1, 2,500 tier 2, 1,500 tier 3, with ids
 * T1-0001.., T2-0001.., T3-0001.. . Region by the weights of regions[],
 * about a third in the West Midlands, where JLR's plants and most of its
 * supply base are. Sector by per-tier weights in sectors[]: tier 1s
 * deliver modules (seating, electronics, trim, glass), tier 3s the
 * processes behind them (machining, tooling, castings, fasteners).
 *
 * Employees. A size band first (bands[], per tier), then a headcount
 * inside it, skewed towards the band's lower end as real firm sizes are:
 * micro 1-9, small 10-49, medium 50-249, large 250-999. The tier weights
 * are chosen so that the whole chain employs about 120,000 people (the
 * government's figure), tier 1s being the larger firms. Currency GBP.
 *
 * Costs and sales, per calendar day, all derived from the headcount:
 *   fixed_daily_costs = employees x pay x (1 + overhead), pay 95-130
 *       pounds per employee-day with on-costs, overhead (rent, leases,
 *       debt service) 20-60 % of payroll;
 *   variable costs 6000-8500 bps of sales for tier 1s (modules are
 *       mostly bought-in parts), 4000-7500 for tiers 2 and 3 (materials
 *       and energy), before purchases from modelled suppliers;
 *   a margin of 2-8 % of revenue, so revenue = fixed / (1 - variable -
 *       margin) and a firm makes that margin in normal times;
 *   the share of revenue that goes into the JLR chain: all of it for a
 *       firm without other customers, else 40-90 % (tier 1), 30-85 %
 *       (tier 2), 20-80 % (tier 3); 50 %, 60 % and 70 % of firms have
 *       other customers. A tier 1 sells it to the OEM (oem_daily_sales);
 *       tiers 2 and 3 sell it to their customers (below);
 *   other_daily_receipts = the other customers' revenue less its variable
 *       costs: net cash that the stop does not touch.
 *
 * Cash. cash = days x daily outflows (fixed costs plus variable costs on
 * all revenue), days drawn from the piecewise-linear quantile function
 * buffer_q[]: the JPMorgan Chase Institute's median of 27 days of
 * outflows taken literally, with about 44 % of firms below 15 days. The
 * two figures of the domain note (median 27, half under 15) cannot both
 * hold exactly; we keep the median and make the share under 15 days
 * large. Tier 1s sit higher in the distribution and tier 3s lower.
 * Committed credit lines for 40 %, 20 % and 10 % of the tiers, worth 5-20
 * days of outflows. min_liquidity 0, except for 25 % of firms whose bank
 * covenant or next payroll run sets a threshold of two days' fixed costs.
 *
 * The network (links.csv). Each tier 2 sells into the chain through 1-4
 * tier 1 customers, and 15 % of tier 2s also sell 20-50 % of it to the
 * OEM directly; each tier 3 through 1-3 tier 2 customers; the amounts
 * shared by random weights, each link on 30, 45, 60, 75 or 90-day terms.
 * A customer's purchases replace that much of its variable costs
 * (variable_cost_bps falls by what it buys as a share of its own sales
 * into the chain, never below 5 %), so every firm keeps its margin at
 * full production; customers are drawn among those whose variable costs
 * can still take the purchase, and what none can take is sold outside
 * the chain (other_daily_receipts). About 9,300 links.
 *
 * Terms and schemes. 60-day payment terms with the OEM (JLR's
 * standard). Scheme opt-in: 85 % of tier 1s, 35 % of tier 2s, 20 % of
 * tier 3s.
 *
 * Invoices. Open approved invoices on the OEM for the 60 days of
 * deliveries before 1 September 2025 (3 July to 31 August), by every
 * firm that sells to the OEM, every day; each invoice is the day's
 * oem_daily_sales, issued on its delivery day and due 60 days later, so
 * they fall due from 1 September to 30 October. About 84,000 lines.
 * Invoices between firms are the model's own: it projects the pipeline
 * of each link from its terms.
 *
 * The demo supplier, T2-0001, is fixed rather than drawn: Tipton Castings
 * Ltd, a 38-person tier 2 foundry in the West Midlands with 9 days of
 * cash, no credit line and no scheme opt-in: the firm the restart scheme
 * does not reach.
 *
 * Scenario jlr-2025: start 2025-09-01 (the first day of the stop), a
 * horizon of 180 days; the three announcements extending the stop
 * (restarts 24 September, 1 October and 8 October: outages of 23, 30 and
 * 37 days); a ramp of 42 days rising linearly from 2000 to 10000 bps (the
 * phased restart, about six weeks); a payment freeze of 21 days, the
 * three weeks before the manual payment process paid suppliers again;
 * fixed cost relief of 2000 bps for workers laid off or stood down on
 * reduced pay.
 *
 * Schemes. jlr-2025-restart: JLR's scheme of 7 October: tier 1 only,
 * invoices on the OEM only, opt-in required, full advance two days after
 * approval or effect, 6.5 % a year on a 365-day basis paid by JLR,
 * facility limit 500 million pounds. all-tiers-day-1, the
 * counterfactual: deep-tier financing (covers all: every firm's invoices
 * on its customers too), every tier from the first day of the stop, no
 * opt-in, the same full advance and lag, a market rate of 12 % a year
 * paid by the supplier, no facility limit. jlr-2025-orders: the scheme
 * as JLR described it on 7 October, a majority prepayment shortly after
 * the point of order and a true-up when the invoice is received: tier 1
 * only, opt-in required, 80 % prepaid two days after the order (or after
 * 7 October for orders placed before), orders placed 60 days ahead of
 * delivery (the scheme paid "as much as 120 days earlier" than 60-day
 * terms: 60 days of lead time and 60 of terms), the invoice received on
 * the day of delivery, 6.5 % a year paid by JLR, a 500 million pound
 * facility.
 *
 * The scenario also carries what the board might have believed about
 * the restart when the stop began: 20 % each that the first two dates
 * would hold, 35 % on the third, 25 % on a later restart, 22 October
 * (52 days); its outage_probabilities give each run its expected
 * figures.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "core/date.h"

#define DEMO_SEED		UINT64_C(20250831)
#define START_DATE		"2025-09-01"
#define HISTORY_DAYS		60	/* days of open invoices before start */
#define TERMS_DAYS		60
#define RAMP_DAYS		42
#define RAMP_FROM_BPS		2000
#define FREEZE_DAYS		21
#define RELIEF_BPS		2000
#define HORIZON_DAYS		180
#define DEMO_SUPPLIER		"T2-0001"
#define VARIABLE_FLOOR_BPS	500	/* energy, consumables: never bought */
#define DIRECT_T2_PCT		15	/* tier 2s that also sell to the OEM */
#define MAX_LINKS		4

#define NTIERS			3
#define NBANDS			4

static const int tier_count[NTIERS] = { 1000, 2500, 1500 };

/* Per tier, in percent. */
static const int p_other[NTIERS] = { 50, 60, 70 };
static const int share_lo[NTIERS] = { 4000, 3000, 2000 };
static const int share_hi[NTIERS] = { 9000, 8500, 8000 };
static const int p_credit[NTIERS] = { 40, 20, 10 };
static const int p_opt_in[NTIERS] = { 85, 35, 20 };
static const int p_min_liquidity = 25;
/* Variable costs, bps of sales, before purchases from modelled suppliers. */
static const int variable_lo[NTIERS] = { 6000, 4000, 4000 };
static const int variable_hi[NTIERS] = { 8500, 7500, 7500 };

/* Size bands: per-tier weights (percent) and headcount ranges. */
static const struct band {
	const char	*name;
	int		 lo, hi;
	int		 weight[NTIERS];
} bands[NBANDS] = {
	{ "micro",	1,	9,	{ 10, 55, 72 } },
	{ "small",	10,	49,	{ 54, 40, 27 } },
	{ "medium",	50,	249,	{ 33, 5, 1 } },
	{ "large",	250,	999,	{ 3, 0, 0 } },
};

/*
 * Days of cash, in hundredths of a day, at quantile u (basis points of
 * the population): linear between the points.
 */
static const struct { int u, days; } buffer_q[] = {
	{ 0, 200 }, { 2500, 800 }, { 4500, 1500 }, { 5000, 2700 },
	{ 7500, 5500 }, { 9000, 9500 }, { 10000, 18000 },
};

/* Where each tier's quantiles start and end in buffer_q. */
static const int buffer_u_lo[NTIERS] = { 800, 0, 0 };
static const int buffer_u_hi[NTIERS] = { 10000, 10000, 9500 };

static const struct region {
	const char	*name;
	int		 weight;
	const char	*towns[4];
} regions[] = {
	{ "West Midlands", 36,
	    { "Tipton", "Coventry", "Telford", "Halesowen" } },
	{ "North West", 10, { "Halewood", "Warrington", "Bolton", "Crewe" } },
	{ "East Midlands", 9, { "Derby", "Leicester", "Hinckley", "Corby" } },
	{ "South East", 8, { "Oxford", "Reading", "Banbury", "Slough" } },
	{ "Yorkshire and The Humber", 7,
	    { "Sheffield", "Rotherham", "Leeds", "Hull" } },
	{ "South West", 6, { "Swindon", "Gloucester", "Bristol", "Yeovil" } },
	{ "Wales", 6, { "Bridgend", "Llanelli", "Wrexham", "Newport" } },
	{ "North East", 5,
	    { "Sunderland", "Washington", "Durham", "Darlington" } },
	{ "East of England", 5,
	    { "Luton", "Peterborough", "Ipswich", "Norwich" } },
	{ "Scotland", 4, { "Livingston", "Motherwell", "Dundee", "Paisley" } },
	{ "London", 2, { "Dagenham", "Enfield", "Park Royal", "Croydon" } },
	{ "Northern Ireland", 2,
	    { "Belfast", "Lisburn", "Antrim", "Craigavon" } },
};

static const struct sector {
	const char	*name;
	const char	*trade[2];
	int		 weight[NTIERS];
} sectors[] = {
	{ "castings", { "Castings", "Foundry" }, { 5, 9, 10 } },
	{ "forgings", { "Forgings", "Forge" }, { 4, 7, 7 } },
	{ "machining", { "Precision", "Machining" }, { 8, 15, 18 } },
	{ "pressings", { "Pressings", "Stampings" }, { 8, 10, 6 } },
	{ "plastics and trim", { "Plastics", "Trim" }, { 12, 10, 7 } },
	{ "electronics", { "Electronics", "Controls" }, { 11, 6, 4 } },
	{ "seating", { "Seating", "Interiors" }, { 7, 3, 1 } },
	{ "glass", { "Glass", "Glazing" }, { 3, 2, 1 } },
	{ "rubber and seals", { "Rubber", "Seals" }, { 5, 5, 4 } },
	{ "fasteners", { "Fasteners", "Fixings" }, { 3, 6, 9 } },
	{ "tooling", { "Tooling", "Toolmakers" }, { 4, 8, 12 } },
	{ "paint and coatings", { "Coatings", "Finishing" }, { 5, 6, 8 } },
	{ "logistics", { "Logistics", "Transport" }, { 15, 7, 6 } },
	{ "engineering services", { "Engineering", "Technical" },
	    { 10, 6, 7 } },
};

#define NREGIONS	(sizeof(regions) / sizeof(regions[0]))
#define NSECTORS	(sizeof(sectors) / sizeof(sectors[0]))

static const char *const announcements[][3] = {
	{ "2025-09-16", "2025-09-24",
	    "Production stop extended to at least 24 September" },
	{ "2025-09-23", "2025-10-01",
	    "Production stop extended to at least 1 October" },
	{ "2025-10-07", "2025-10-08",
	    "Phased restart of manufacturing from 8 October" },
};

/* What is believed of the outage's length: days, basis points. */
static const int outage_probabilities[][2] = {
	{ 23, 2000 }, { 30, 2000 }, { 37, 3500 }, { 52, 2500 },
};

struct supplier {
	char		 id[16];
	char		 name[80];
	int		 tier;
	const char	*region;
	const char	*sector;
	int		 band;
	int64_t		 employees;
	int64_t		 cash;
	int64_t		 credit;
	int64_t		 min_liquidity;
	int64_t		 fixed;
	int64_t		 oem_sales;
	int64_t		 chain;		/* sales into the chain, a day */
	int64_t		 budget;	/* purchases it can still take */
	int64_t		 bought;	/* from its modelled suppliers */
	int64_t		 variable_bps;
	int64_t		 other;
	int		 opt_in;
	int		 days100;	/* days of outflows, hundredths */
};

struct rng {
	uint64_t	s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	z;

	z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return (z ^ (z >> 31));
}

static void
rng_init(struct rng *r, uint64_t seed)
{
	int	i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return ((x << k) | (x >> (64 - k)));
}

/* xoshiro256** */
static uint64_t
rng_next(struct rng *r)
{
	uint64_t	result, t;

	result = rotl(r->s[1] * 5, 7) * 9;
	t = r->s[1] << 17;
	r->s[2] ^= r->s[0];
	r->s[3] ^= r->s[1];
	r->s[1] ^= r->s[2];
	r->s[0] ^= r->s[3];
	r->s[2] ^= t;
	r->s[3] = rotl(r->s[3], 45);
	return (result);
}

/* Uniform in 0..n-1, without modulo bias (n > 0). */
static int64_t
rng_below(struct rng *r, int64_t n)
{
	uint64_t	x, lim;

	lim = UINT64_MAX - UINT64_MAX % (uint64_t)n;
	do {
		x = rng_next(r);
	} while (x >= lim);
	return ((int64_t)(x % (uint64_t)n));
}

/* Uniform in lo..hi. */
static int64_t
rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	return (lo + rng_below(r, hi - lo + 1));
}

/* An index drawn by integer weights; the tier picks the weight column. */
static int
pick_region(struct rng *r)
{
	size_t	i;
	int	total, x;

	total = 0;
	for (i = 0; i < NREGIONS; i++)
		total += regions[i].weight;
	x = (int)rng_below(r, total);
	for (i = 0; x >= regions[i].weight; i++)
		x -= regions[i].weight;
	return ((int)i);
}

static int
pick_sector(struct rng *r, int tier)
{
	size_t	i;
	int	total, x;

	total = 0;
	for (i = 0; i < NSECTORS; i++)
		total += sectors[i].weight[tier - 1];
	x = (int)rng_below(r, total);
	for (i = 0; x >= sectors[i].weight[tier - 1]; i++)
		x -= sectors[i].weight[tier - 1];
	return ((int)i);
}

static int
pick_band(struct rng *r, int tier)
{
	int	i, total, x;

	total = 0;
	for (i = 0; i < NBANDS; i++)
		total += bands[i].weight[tier - 1];
	x = (int)rng_below(r, total);
	for (i = 0; x >= bands[i].weight[tier - 1]; i++)
		x -= bands[i].weight[tier - 1];
	return (i);
}

/*
 * A headcount in the band, the smaller of two uniform draws: firm sizes
 * crowd at the lower end of each band.
 */
static int64_t
draw_employees(struct rng *r, int band)
{
	int64_t	a, b, n;

	n = bands[band].hi - bands[band].lo + 1;
	a = rng_below(r, n);
	b = rng_below(r, n);
	return (bands[band].lo + (b < a ? b : a));
}

static int
buffer_days100(int u)
{
	size_t	i;
	int	du, dd;

	for (i = 1; u > buffer_q[i].u; i++)
		;
	du = buffer_q[i].u - buffer_q[i - 1].u;
	dd = buffer_q[i].days - buffer_q[i - 1].days;
	return (buffer_q[i - 1].days + (u - buffer_q[i - 1].u) * dd / du);
}

/* a * b / c, rounded half up; the operands stay far below 2^63. */
static int64_t
muldiv(int64_t a, int64_t b, int64_t c)
{
	return ((a * b + c / 2) / c);
}

/*
 * The money of a supplier from its headcount and draws; shared by the
 * drawn suppliers and the fixed demo supplier.
 */
static void
supplier_money(struct supplier *s, int64_t pay, int64_t overhead_bps,
    int64_t margin_bps, int64_t share_bps, int64_t credit_days100,
    int has_min)
{
	int64_t	revenue, oem, outflows;

	s->fixed = muldiv(s->employees * pay, 10000 + overhead_bps, 10000);
	revenue = muldiv(s->fixed, 10000, 10000 - s->variable_bps -
	    margin_bps);
	oem = muldiv(revenue, share_bps, 10000);
	s->oem_sales = oem;
	s->chain = oem;
	/* Purchases replace variable costs, down to 5 % of sales. */
	s->budget = muldiv(oem, s->variable_bps - VARIABLE_FLOOR_BPS, 10000);
	s->other = muldiv(revenue - oem, 10000 - s->variable_bps, 10000);
	outflows = s->fixed + muldiv(revenue, s->variable_bps, 10000);
	s->cash = muldiv(outflows, s->days100, 100);
	s->credit = muldiv(outflows, credit_days100, 100);
	s->min_liquidity = has_min ? 2 * s->fixed : 0;
}

static void
supplier_draw(struct rng *r, int tier, int n, struct supplier *s)
{
	static const char *const suffix[] = { "Ltd", "Limited", "UK Ltd",
	    "Group Ltd" };
	const struct region	*reg;
	const struct sector	*sec;
	int64_t			 pay, overhead, margin, share, credit_days;
	int			 u, has_min;

	memset(s, 0, sizeof(*s));
	s->tier = tier;
	snprintf(s->id, sizeof(s->id), "T%d-%04d", tier, n);
	reg = &regions[pick_region(r)];
	sec = &sectors[pick_sector(r, tier)];
	s->region = reg->name;
	s->sector = sec->name;
	s->band = pick_band(r, tier);
	s->employees = draw_employees(r, s->band);
	pay = rng_range(r, 9500, 13000);
	overhead = rng_range(r, 2000, 6000);
	s->variable_bps = rng_range(r, variable_lo[tier - 1],
	    variable_hi[tier - 1]);
	margin = rng_range(r, 200, 800);
	if (rng_below(r, 100) < p_other[tier - 1])
		share = rng_range(r, share_lo[tier - 1], share_hi[tier - 1]);
	else
		share = 10000;
	u = (int)rng_below(r, 10000);
	u = buffer_u_lo[tier - 1] + u * (buffer_u_hi[tier - 1] -
	    buffer_u_lo[tier - 1]) / 10000;
	s->days100 = buffer_days100(u);
	credit_days = 0;
	if (rng_below(r, 100) < p_credit[tier - 1])
		credit_days = rng_range(r, 500, 2000);
	has_min = rng_below(r, 100) < p_min_liquidity;
	s->opt_in = rng_below(r, 100) < p_opt_in[tier - 1];
	snprintf(s->name, sizeof(s->name), "%s %s %s",
	    reg->towns[rng_below(r, 4)], sec->trade[rng_below(r, 2)],
	    suffix[s->band == 3 ? 3 : rng_below(r, 3)]);
	supplier_money(s, pay, overhead, margin, share, credit_days, has_min);
}

/* The supplier whose key the demo prints: fixed, so its story is too. */
static void
supplier_demo(struct supplier *s)
{
	memset(s, 0, sizeof(*s));
	s->tier = 2;
	snprintf(s->id, sizeof(s->id), "%s", DEMO_SUPPLIER);
	snprintf(s->name, sizeof(s->name), "Tipton Castings Ltd");
	s->region = "West Midlands";
	s->sector = "castings";
	s->band = 1;
	s->employees = 38;
	s->variable_bps = 5500;
	s->days100 = 900;
	s->opt_in = 0;
	/* 110 pounds a day, 30 % overhead, 4 % margin, 85 % into JLR. */
	supplier_money(s, 11000, 3000, 400, 8500, 0, 0);
}

static FILE *
out_open(const char *dir, const char *name)
{
	char	path[4096];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "tideover-demo: %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	return (f);
}

static void
out_close(FILE *f, const char *name)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "tideover-demo: cannot write %s\n", name);
		exit(1);
	}
}

/* Per tier: the most customers a firm has one tier up (tier 1: none). */
static const int max_customers[NTIERS] = { 0, 4, 3 };
static const int link_terms[] = { 30, 45, 60, 75, 90 };

struct link {
	int		 seller;	/* indices into the suppliers */
	int		 customer;
	int64_t		 daily_sales;
	int		 terms;
};

struct network {
	struct link	*v;
	size_t		 n, cap;
};

/*
 * A customer one tier up for amount a, not already one of the seller's:
 * drawn at random among those whose budget still takes a; when 64 draws
 * find none, the one with the most budget left.
 */
static int
customer_pick(struct rng *r, struct supplier *s, int lo, int count,
    const int *taken, int ntaken, int64_t a)
{
	int	c, best, i, k, tries;

	for (tries = 0; tries < 64; tries++) {
		c = lo + (int)rng_below(r, count);
		for (k = 0; k < ntaken && taken[k] != c; k++)
			;
		if (k == ntaken && s[c].budget >= a)
			return (c);
	}
	best = -1;
	for (i = lo; i < lo + count; i++) {
		for (k = 0; k < ntaken && taken[k] != i; k++)
			;
		if (k == ntaken && (best == -1 || s[i].budget > s[best].budget))
			best = i;
	}
	return (best);
}

static void
network_add(struct network *net, int seller, int customer, int64_t sales,
    int terms)
{
	if (net->n == net->cap) {
		net->cap = net->cap ? net->cap * 2 : 4096;
		if ((net->v = reallocarray(net->v, net->cap,
		    sizeof(*net->v))) == NULL)
			abort();
	}
	net->v[net->n].seller = seller;
	net->v[net->n].customer = customer;
	net->v[net->n].daily_sales = sales;
	net->v[net->n].terms = terms;
	net->n++;
}

/*
 * The supply network, drawn after every firm so that the firms stay as
 * they were drawn. A tier 2 or tier 3 firm's sales into the chain go to
 * 1..max_customers customers one tier up, shared by random weights, each
 * link on terms from link_terms; DIRECT_T2_PCT % of tier 2s also sell
 * 20-50 % of them to the OEM directly. A customer's purchases replace
 * part of its variable costs (variable_cost_bps falls by what it buys,
 * as a share of its own sales into the chain, never below
 * VARIABLE_FLOOR_BPS), so every firm keeps its margin at full production.
 */
static void
network_draw(struct rng *r, struct supplier *s, const int *first,
    struct network *net)
{
	int64_t	rest, a, left, w[MAX_LINKS], wsum;
	int	taken[MAX_LINKS], tier, i, k, nk, c, terms;

	for (tier = 2; tier <= NTIERS; tier++) {
		for (i = first[tier - 1]; i < first[tier - 1] +
		    tier_count[tier - 1]; i++) {
			rest = s[i].chain;
			if (tier == 2 && rng_below(r, 100) < DIRECT_T2_PCT)
				s[i].oem_sales = muldiv(rest,
				    rng_range(r, 2000, 5000), 10000);
			else
				s[i].oem_sales = 0;
			rest -= s[i].oem_sales;
			nk = (int)rng_range(r, 1, max_customers[tier - 1]);
			wsum = 0;
			for (k = 0; k < nk; k++)
				wsum += w[k] = rng_range(r, 1, 100);
			for (k = 0; k < nk; k++) {
				a = k == nk - 1 ? rest : rest * w[k] / wsum;
				rest -= a;
				wsum -= w[k];
				terms = link_terms[rng_below(r, (int64_t)
				    (sizeof(link_terms) / sizeof(link_terms[0])))];
				if (a <= 0)
					continue;
				c = customer_pick(r, s, first[tier - 2],
				    tier_count[tier - 2], taken, k, a);
				taken[k] = c;
				/*
				 * What no customer can take is sold outside
				 * the chain: net receipts the stop spares.
				 */
				if (s[c].budget < a) {
					left = a - (s[c].budget > 0 ?
					    s[c].budget : 0);
					a -= left;
					s[i].chain -= left;
					s[i].other += muldiv(left, 10000 -
					    s[i].variable_bps, 10000);
				}
				if (a == 0)
					continue;
				s[c].budget -= a;
				s[c].bought += a;
				network_add(net, i, c, a, terms);
			}
		}
		/* The next tier sells to these, at what they now sell. */
		for (i = first[tier - 1]; i < first[tier - 1] +
		    tier_count[tier - 1]; i++)
			s[i].budget = muldiv(s[i].chain, s[i].variable_bps -
			    VARIABLE_FLOOR_BPS, 10000);
	}
	for (i = 0; i < first[NTIERS - 1]; i++) {
		if (s[i].bought == 0)
			continue;
		s[i].variable_bps -= muldiv(s[i].bought, 10000, s[i].chain);
		if (s[i].variable_bps < 0)
			s[i].variable_bps = 0;
	}
}

static void
write_links(const char *dir, const struct supplier *s,
    const struct network *net)
{
	FILE	*f;
	size_t	 i;

	f = out_open(dir, "links.csv");
	fprintf(f, "supplier_id,customer_id,daily_sales,payment_terms_days\n");
	for (i = 0; i < net->n; i++)
		fprintf(f, "%s,%s,%" PRId64 ",%d\n", s[net->v[i].seller].id,
		    s[net->v[i].customer].id, net->v[i].daily_sales,
		    net->v[i].terms);
	out_close(f, "links.csv");
}

static void
write_suppliers(const char *dir, const struct supplier *s, int n)
{
	FILE	*f;
	int	 i;

	f = out_open(dir, "suppliers.csv");
	fprintf(f, "id,name,tier,region,sector,employees,currency,cash,"
	    "credit_available,min_liquidity,fixed_daily_costs,"
	    "oem_daily_sales,variable_cost_bps,other_daily_receipts,"
	    "payment_terms_days,scheme_opt_in\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "%s,%s,%d,%s,%s,%" PRId64 ",GBP,%" PRId64 ",%"
		    PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
		    ",%" PRId64 ",%d,%s\n", s[i].id, s[i].name, s[i].tier,
		    s[i].region, s[i].sector, s[i].employees, s[i].cash,
		    s[i].credit, s[i].min_liquidity, s[i].fixed,
		    s[i].oem_sales, s[i].variable_bps, s[i].other, TERMS_DAYS,
		    s[i].opt_in ? "true" : "false");
	}
	out_close(f, "suppliers.csv");
}

/* Returns the number of invoices; adds their amounts to *total. */
static long
write_invoices(const char *dir, const struct supplier *s, int n,
    int32_t start, int64_t *total)
{
	FILE	*f;
	char	 issue[DATE_LEN + 1], due[DATE_LEN + 1], compact[9];
	int32_t	 d;
	long	 count;
	int	 i;

	f = out_open(dir, "invoices.csv");
	fprintf(f, "id,supplier_id,amount,currency,issue_date,due_date\n");
	count = 0;
	*total = 0;
	for (i = 0; i < n; i++) {
		if (s[i].oem_sales == 0)
			continue;	/* it sells through its customers */
		for (d = start - HISTORY_DAYS; d < start; d++) {
			date_format(d, issue);
			date_format(d + TERMS_DAYS, due);
			issue[DATE_LEN] = due[DATE_LEN] = '\0';
			snprintf(compact, sizeof(compact), "%.4s%.2s%.2s",
			    issue, issue + 5, issue + 8);
			fprintf(f, "%s-%s,%s,%" PRId64 ",GBP,%s,%s\n",
			    s[i].id, compact, s[i].id, s[i].oem_sales,
			    issue, due);
			*total += s[i].oem_sales;
			count++;
		}
	}
	out_close(f, "invoices.csv");
	return (count);
}

static void
write_scenario(const char *dir)
{
	FILE	*f;
	size_t	 i;
	int	 k;

	f = out_open(dir, "scenario-jlr-2025.json");
	fprintf(f, "{\"id\":\"jlr-2025\",\"name\":\"JLR production stop, "
	    "September 2025\",\"start_date\":\"%s\",\"horizon_days\":%d,"
	    "\"ramp_bps\":[", START_DATE, HORIZON_DAYS);
	/* Linear from RAMP_FROM_BPS on the first day to full output. */
	for (k = 0; k < RAMP_DAYS; k++)
		fprintf(f, "%s%d", k ? "," : "", RAMP_FROM_BPS +
		    ((10000 - RAMP_FROM_BPS) * k + (RAMP_DAYS - 1) / 2) /
		    (RAMP_DAYS - 1));
	fprintf(f, "],\"payment_freeze_days\":%d,\"fixed_cost_relief_bps\":"
	    "%d,\"announcements\":[", FREEZE_DAYS, RELIEF_BPS);
	for (i = 0; i < sizeof(announcements) / sizeof(announcements[0]);
	    i++)
		fprintf(f, "%s{\"announced_on\":\"%s\",\"restart_date\":\"%s\","
		    "\"note\":\"%s\"}", i ? "," : "", announcements[i][0],
		    announcements[i][1], announcements[i][2]);
	fprintf(f, "],\"outage_probabilities\":[");
	for (i = 0; i < sizeof(outage_probabilities) /
	    sizeof(outage_probabilities[0]); i++)
		fprintf(f, "%s{\"outage_days\":%d,\"probability_bps\":%d}",
		    i ? "," : "", outage_probabilities[i][0],
		    outage_probabilities[i][1]);
	fprintf(f, "]}\n");
	out_close(f, "scenario-jlr-2025.json");
}

static void
write_schemes(const char *dir)
{
	FILE	*f;

	f = out_open(dir, "scheme-jlr-2025-restart.json");
	fprintf(f, "{\"id\":\"jlr-2025-restart\",\"name\":\"JLR restart "
	    "supplier financing, 7 October 2025\",\"effective_from\":"
	    "\"2025-10-07\",\"payment_lag_days\":2,\"advance_rate_bps\":10000,"
	    "\"annual_rate_bps\":650,\"day_count_basis\":365,\"fee_bearer\":"
	    "\"oem\",\"eligible_tiers\":[1],\"min_invoice_amount\":0,"
	    "\"requires_opt_in\":true,\"facility_limit\":50000000000}\n");
	out_close(f, "scheme-jlr-2025-restart.json");

	f = out_open(dir, "scheme-all-tiers-day-1.json");
	fprintf(f, "{\"id\":\"all-tiers-day-1\",\"name\":\"Counterfactual: "
	    "every tier from the first day, at a market rate\","
	    "\"effective_from\":\"%s\",\"payment_lag_days\":2,"
	    "\"advance_rate_bps\":10000,\"annual_rate_bps\":1200,"
	    "\"day_count_basis\":365,\"fee_bearer\":\"supplier\","
	    "\"eligible_tiers\":[1,2,3],\"min_invoice_amount\":0,"
	    "\"requires_opt_in\":false,\"covers\":\"all\"}\n", START_DATE);
	out_close(f, "scheme-all-tiers-day-1.json");

	f = out_open(dir, "scheme-jlr-2025-orders.json");
	fprintf(f, "{\"id\":\"jlr-2025-orders\",\"name\":\"JLR supplier "
	    "prepayment at order, true-up at invoice, 7 October 2025\","
	    "\"effective_from\":\"2025-10-07\",\"payment_lag_days\":2,"
	    "\"advance_rate_bps\":8000,\"annual_rate_bps\":650,"
	    "\"day_count_basis\":365,\"fee_bearer\":\"oem\","
	    "\"eligible_tiers\":[1],\"min_invoice_amount\":0,"
	    "\"requires_opt_in\":true,\"facility_limit\":50000000000,"
	    "\"basis\":\"order\",\"order_lead_days\":60,"
	    "\"true_up_lag_days\":0}\n");
	out_close(f, "scheme-jlr-2025-orders.json");
}

static int
cmp_int(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return ((x > y) - (x < y));
}

static void
summary(const struct supplier *s, int n, long invoices, int64_t invoiced)
{
	int64_t	employees, tier_emp[NTIERS], sales;
	int	*days, tier_n[NTIERS], band_n[NBANDS], under15, opt, i;

	memset(tier_emp, 0, sizeof(tier_emp));
	memset(tier_n, 0, sizeof(tier_n));
	memset(band_n, 0, sizeof(band_n));
	employees = sales = 0;
	under15 = opt = 0;
	if ((days = calloc((size_t)n, sizeof(*days))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		employees += s[i].employees;
		tier_emp[s[i].tier - 1] += s[i].employees;
		tier_n[s[i].tier - 1]++;
		band_n[s[i].band]++;
		sales += s[i].oem_sales;
		days[i] = s[i].days100;
		under15 += s[i].days100 < 1500;
		opt += s[i].opt_in;
	}
	qsort(days, (size_t)n, sizeof(*days), cmp_int);
	printf("suppliers: %d (tier 1 %d, tier 2 %d, tier 3 %d)\n", n,
	    tier_n[0], tier_n[1], tier_n[2]);
	printf("employees: %" PRId64 " (tier 1 %" PRId64 ", tier 2 %" PRId64
	    ", tier 3 %" PRId64 ")\n", employees, tier_emp[0], tier_emp[1],
	    tier_emp[2]);
	printf("size bands: micro %d, small %d, medium %d, large %d\n",
	    band_n[0], band_n[1], band_n[2], band_n[3]);
	printf("days of cash: median %d.%02d, under 15 days %d (%d.%d %%)\n",
	    days[n / 2] / 100, days[n / 2] % 100, under15,
	    under15 * 100 / n, under15 * 1000 / n % 10);
	printf("scheme opt-in: %d\n", opt);
	printf("OEM sales: %" PRId64 " pence a day\n", sales);
	printf("invoices: %ld, %" PRId64 " pence open\n", invoices, invoiced);
	free(days);
}

static void
usage(void)
{
	fprintf(stderr, "usage: tideover-demo [-s seed] directory\n"
	    "       tideover-demo get file name\n"
	    "       tideover-demo headline label=file ...\n"
	    "       tideover-demo sizing file\n");
	exit(2);
}

/* The JSON object in a file (a server's reply); exits when it is not. */
static cJSON *
reply_read(const char *path)
{
	FILE	*f;
	cJSON	*j;
	char	*buf;
	size_t	 len, cap, n;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "tideover-demo: %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	len = 0;
	cap = 65536;
	if ((buf = malloc(cap + 1)) == NULL)
		abort();
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			if ((buf = realloc(buf, cap + 1)) == NULL)
				abort();
		}
	}
	fclose(f);
	buf[len] = '\0';
	j = cJSON_Parse(buf);
	free(buf);
	if (!cJSON_IsObject(j)) {
		fprintf(stderr, "tideover-demo: %s: not a JSON object\n",
		    path);
		exit(1);
	}
	return (j);
}

static int
cmd_get(int argc, char **argv)
{
	cJSON	*j, *m;
	int	 rc;

	if (argc != 4)
		usage();
	j = reply_read(argv[2]);
	m = cJSON_GetObjectItemCaseSensitive(j, argv[3]);
	rc = 0;
	if (cJSON_IsString(m))
		printf("%s\n", m->valuestring);
	else if (cJSON_IsNumber(m))
		printf("%.0f\n", m->valuedouble);
	else if (cJSON_IsBool(m))
		printf("%s\n", cJSON_IsTrue(m) ? "true" : "false");
	else {
		fprintf(stderr, "tideover-demo: %s: no %s\n", argv[2],
		    argv[3]);
		rc = 1;
	}
	cJSON_Delete(j);
	return (rc);
}

/* An integer member of an object, or -1 when absent. */
static double
member_num(const cJSON *o, const char *name)
{
	const cJSON	*m;

	m = cJSON_GetObjectItemCaseSensitive(o, name);
	return (cJSON_IsNumber(m) ? m->valuedouble : -1);
}

/* The curve's entry for outage length L. */
static const cJSON *
curve_at(const cJSON *run, int l)
{
	const cJSON	*curve, *e;

	curve = cJSON_GetObjectItemCaseSensitive(run, "curve");
	cJSON_ArrayForEach(e, curve) {
		if (member_num(e, "outage_days") == l)
			return (e);
	}
	return (NULL);
}

/*
 * The headline: for each run (a row) and each outage length announced in
 * the first run's scenario (a column), the suppliers below their
 * threshold, how many of them only because their customers paid them
 * late (contagion), their employees, and the most the scheme's facility
 * had out at once (what it must be sized for), in millions of pounds. No column
 * for L = 0: with the payment freeze but no stop, suppliers keep paying
 * for materials with nothing coming in, which answers another question.
 */
static int
cmd_headline(int argc, char **argv)
{
	const cJSON	*ann, *a, *e, *d;
	cJSON		*runs[8];
	const char	*labels[8];
	char		*eq;
	int		 days[16], nruns, ndays, i, k;

	nruns = argc - 2;
	if (nruns < 1 || nruns > 8)
		usage();
	for (i = 0; i < nruns; i++) {
		if ((eq = strchr(argv[i + 2], '=')) == NULL)
			usage();
		*eq = '\0';
		labels[i] = argv[i + 2];
		runs[i] = reply_read(eq + 1);
	}
	ndays = 0;
	ann = cJSON_GetObjectItemCaseSensitive(runs[0], "announcements");
	cJSON_ArrayForEach(a, ann) {
		if (ndays < 16 && member_num(a, "outage_days") >= 0)
			days[ndays++] = (int)member_num(a, "outage_days");
	}

	printf("%-20s", "outage (days)");
	for (k = 0; k < ndays; k++)
		printf(" %14d", days[k]);
	printf("\n%-20s", "restart");
	for (k = 0; k < ndays; k++) {
		a = cJSON_GetArrayItem(ann, k);
		d = cJSON_GetObjectItemCaseSensitive(a, "restart_date");
		printf(" %14s", cJSON_IsString(d) ? d->valuestring : "?");
	}
	printf("\n");
	for (i = 0; i < nruns; i++) {
		printf("%-20s", labels[i]);
		for (k = 0; k < ndays; k++) {
			e = curve_at(runs[i], days[k]);
			printf(" %14.0f", member_num(e, "suppliers_below"));
		}
		printf("\n%-20s", "  by contagion");
		for (k = 0; k < ndays; k++) {
			e = curve_at(runs[i], days[k]);
			printf(" %14.0f", member_num(e,
			    "suppliers_below_contagion"));
		}
		printf("\n%-20s", "  employees");
		for (k = 0; k < ndays; k++) {
			e = curve_at(runs[i], days[k]);
			printf(" %14.0f", member_num(e, "employees_at_risk"));
		}
		printf("\n%-20s", "  facility (GBP m)");
		for (k = 0; k < ndays; k++) {
			e = curve_at(runs[i], days[k]);
			printf(" %14.1f", member_num(e, "peak_facility_use") /
			    1e8);
		}
		printf("\n");
		e = cJSON_GetObjectItemCaseSensitive(runs[i], "expected");
		if (cJSON_IsObject(e))
			printf("%-20s %14.0f suppliers below, %.0f employees "
			    "(weighing the outage lengths)\n", "  expected",
			    member_num(e, "suppliers_below"),
			    member_num(e, "employees_at_risk"));
	}
	for (i = 0; i < nruns; i++)
		cJSON_Delete(runs[i]);
	return (0);
}

/*
 * A facility sizing's reply: each limit of the grid with the suppliers
 * below and the OEM's cost at it, then the smallest limit that leaves no
 * more suppliers below than the target.
 */
static int
cmd_sizing(int argc, char **argv)
{
	const cJSON	*p, *pts;
	cJSON		*j;
	double		 answer;

	if (argc != 3)
		usage();
	j = reply_read(argv[2]);
	printf("facility sizing, scheme %s, outage of %.0f days:\n",
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "scheme_id")) ?
	    cJSON_GetObjectItemCaseSensitive(j, "scheme_id")->valuestring :
	    "?", member_num(j, "outage_days"));
	printf("%20s %16s %16s\n", "facility (GBP m)", "suppliers below",
	    "OEM cost (GBP m)");
	pts = cJSON_GetObjectItemCaseSensitive(j, "points");
	cJSON_ArrayForEach(p, pts) {
		printf("%20.1f %16.0f %16.2f\n",
		    member_num(p, "facility_limit") / 1e8,
		    member_num(p, "suppliers_below"),
		    member_num(p, "oem_cost") / 1e8);
	}
	answer = member_num(j, "smallest_sufficient_limit");
	if (answer < 0)
		printf("no facility on the grid leaves at most %.0f suppliers "
		    "below\n", member_num(j, "target_suppliers_below"));
	else
		printf("smallest sufficient facility: GBP %.1fm (at most %.0f "
		    "suppliers below; unlimited, it would peak at GBP %.1fm)\n",
		    answer / 1e8, member_num(j, "target_suppliers_below"),
		    member_num(j, "unlimited_peak") / 1e8);
	cJSON_Delete(j);
	return (0);
}

int
main(int argc, char **argv)
{
	struct supplier	*s;
	struct network	 net;
	struct rng	 r;
	FILE		*f;
	uint64_t	 seed;
	int64_t		 invoiced;
	int32_t		 start;
	long		 invoices;
	char		*end;
	int		 ch, n, tier, i, k, first[NTIERS];

	if (argc > 1 && strcmp(argv[1], "get") == 0)
		return (cmd_get(argc, argv));
	if (argc > 1 && strcmp(argv[1], "headline") == 0)
		return (cmd_headline(argc, argv));
	if (argc > 1 && strcmp(argv[1], "sizing") == 0)
		return (cmd_sizing(argc, argv));

	seed = DEMO_SEED;
	while ((ch = getopt(argc, argv, "s:")) != -1) {
		switch (ch) {
		case 's':
			errno = 0;
			seed = strtoull(optarg, &end, 10);
			if (errno != 0 || *optarg == '\0' || *end != '\0')
				usage();
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	if (mkdir(argv[optind], 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "tideover-demo: %s: %s\n", argv[optind],
		    strerror(errno));
		return (1);
	}
	if (date_parse(START_DATE, &start) == -1)
		abort();

	n = 0;
	for (tier = 0; tier < NTIERS; tier++)
		n += tier_count[tier];
	if ((s = calloc((size_t)n, sizeof(*s))) == NULL)
		abort();
	rng_init(&r, seed);
	i = 0;
	for (tier = 1; tier <= NTIERS; tier++) {
		first[tier - 1] = i;
		for (k = 1; k <= tier_count[tier - 1]; k++, i++) {
			/* Draw it anyway, so the others do not move. */
			supplier_draw(&r, tier, k, &s[i]);
			if (strcmp(s[i].id, DEMO_SUPPLIER) == 0)
				supplier_demo(&s[i]);
		}
	}

	memset(&net, 0, sizeof(net));
	network_draw(&r, s, first, &net);

	write_suppliers(argv[optind], s, n);
	write_links(argv[optind], s, &net);
	invoices = write_invoices(argv[optind], s, n, start, &invoiced);
	write_scenario(argv[optind]);
	write_schemes(argv[optind]);
	f = out_open(argv[optind], "demo-supplier");
	fprintf(f, "%s\n", DEMO_SUPPLIER);
	out_close(f, "demo-supplier");
	summary(s, n, invoices, invoiced);
	printf("links: %zu\n", net.n);
	free(net.v);
	free(s);
	return (0);
}
