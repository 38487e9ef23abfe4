/*
 * The liquidity model (liquidity-model.md, version 1): supplier cash runway
 * during a production stop, with and without an early-payment scheme.
 *
 * A pure library shared by the service, tideover-stress, the tests and the
 * benchmark. The caller fills the input arrays (which must outlive the
 * model: strings and arrays are referenced, not copied), validates them,
 * allocates a model, runs one outage length or sweeps a range of them, and
 * reads the result arrays it passed in. All money is int64_t minor units;
 * every figure is exact (rounding half to even) and an overflow is an
 * error, never a wrapped value.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

#define MODEL_HORIZON_MAX	730
#define MODEL_RAMP_MAX		365
#define MODEL_TERMS_MAX		365
/* The spec only says >= 0; a bound keeps day arithmetic exact. */
#define MODEL_LAG_MAX		36500
#define MODEL_ANNUAL_RATE_MAX	100000
#define MODEL_BPS_MAX		10000
/*
 * The most a supplier's daily figures may be in the service (10^13 minor
 * units, 100 bn a day), its stocks being within 2^53: then no supplier's
 * figures can overflow the model under any scenario and scheme within
 * their ranges, so one supplier's declaration never stops a run.
 */
#define MODEL_DAILY_MAX		10000000000000LL
/* A day or an outage length that is null. */
#define MODEL_NONE		(-1)

struct model_supplier {
	const char	*id;		/* unique; ordered by bytes */
	int64_t		 tier;		/* 1, 2 or 3 */
	int64_t		 employees;
	int64_t		 cash;
	int64_t		 credit_available;
	int64_t		 min_liquidity;
	int64_t		 fixed_daily_costs;
	int64_t		 oem_daily_sales;
	int64_t		 variable_cost_bps;
	int64_t		 other_daily_receipts;
	int64_t		 payment_terms_days;
	int		 scheme_opt_in;
};

/*
 * A supply link: supplier_id sells to customer_id (both suppliers of the
 * input, different, one link per pair), daily_sales a day at full
 * production, paid payment_terms_days after delivery out of what the
 * customer has.
 */
struct model_link {
	const char	*supplier_id;	/* the seller */
	const char	*customer_id;	/* the buyer */
	int64_t		 daily_sales;
	int64_t		 payment_terms_days;	/* 0..365 */
};

struct model_invoice {
	const char	*id;		/* unique */
	const char	*supplier_id;
	int64_t		 outstanding;	/* > 0 */
	int32_t		 due_date;	/* day number (date_parse) */
};

struct model_scenario {
	int32_t		 start_date;	/* day number */
	int64_t		 horizon_days;	/* H, 1..730 */
	const int64_t	*ramp_bps;	/* R: levels after the restart */
	size_t		 ramp_len;	/* at most 365 */
	int64_t		 payment_freeze_days;	/* F, 0..H */
	int64_t		 fixed_cost_relief_bps;
};

/* Which invoices a scheme may pay early: the OEM's, or link ones too. */
enum model_covers {
	MODEL_COVERS_OEM,
	MODEL_COVERS_ALL
};

enum model_fee_bearer {
	MODEL_FEE_SUPPLIER,
	MODEL_FEE_OEM
};

struct model_scheme {
	int32_t		 effective_from;	/* day number */
	int64_t		 payment_lag_days;
	int64_t		 advance_rate_bps;	/* 1..10000 */
	int64_t		 annual_rate_bps;	/* 0..100000 */
	int64_t		 day_count_basis;	/* 360 or 365 */
	enum model_fee_bearer fee_bearer;
	unsigned int	 eligible_tiers;	/* 1 << tier, per tier */
	int		 has_max_employees;
	int64_t		 max_employees;
	int64_t		 min_invoice_amount;
	int		 requires_opt_in;
	int		 has_per_supplier_cap;
	int64_t		 per_supplier_cap;
	int		 has_facility_limit;
	int64_t		 facility_limit;
	enum model_covers covers;		/* 0: the OEM's invoices only */
};

struct model_input {
	const struct model_supplier	*suppliers;
	size_t				 nsuppliers;
	const struct model_invoice	*invoices;
	size_t				 ninvoices;
	struct model_scenario		 scenario;
	const struct model_scheme	*scheme;	/* NULL: no scheme */
	const struct model_link		*links;
	size_t				 nlinks;
};

enum model_errcode {
	MODEL_ERR_INVALID = 1,	/* an input is out of its domain */
	MODEL_ERR_OVERFLOW,	/* figures too large for 64-bit money */
	MODEL_ERR_NOMEM,
	MODEL_ERR_THREAD
};

/* One problem: which object (and its index and id), which field, what. */
struct model_error {
	enum model_errcode	 code;
	/* "supplier", "invoice", "link", "scenario", "scheme" or "run" */
	const char		*object;
	size_t			 index;		/* in its input array, else 0 */
	char			 id[64];	/* its id, truncated, or "" */
	char			 field[48];	/* "tier", "ramp_bps[3]", ... */
	char			 problem[96];	/* "must be between 0 and 3, ..." */
};

struct model_opts {
	int	 threads;	/* 0: one per online CPU */
	int	 reference;	/* 1: day by day only (for tests) */
	/* Called from one thread now and then during a sweep; may be NULL. */
	void	(*progress)(void *, size_t done, size_t total);
	void	*progress_arg;
};

/* Per supplier, for one outage length. Days are offsets from start_date. */
struct model_result {
	int64_t	 breach_day;		/* MODEL_NONE: never breached */
	int64_t	 lowest_liquidity;
	int64_t	 lowest_liquidity_day;
	int64_t	 funding_gap;
	int64_t	 early_paid;
	int64_t	 fees;
	/* Version 2: breaches only because customers paid late. */
	int64_t	 contagion;		/* 0 or 1 */
	int64_t	 overdue_receivables;	/* customers owe it, end of H-1 */
	int64_t	 overdue_payables;	/* it owes its creditors then */
};

/*
 * Per link, for one L (the path of a cascade): what the customer still
 * owed the seller (kind 0) at the end of day H-1, and on how many days
 * it owed the seller arrears after paying what it could.
 */
struct model_link_result {
	int64_t	 overdue;
	int64_t	 late_days;
};

/* Per outage length: one point of the curve. */
struct model_point {
	int64_t	 outage_days;
	int64_t	 suppliers_below;
	int64_t	 employees_at_risk;
	int64_t	 funding_gap;
	int64_t	 early_paid;
	int64_t	 fees;
	int64_t	 peak_facility_use;
	int64_t	 oem_cost;
	int64_t	 suppliers_below_contagion;
	int64_t	 overdue_trade_credit;	/* sum of overdue_receivables */
	int64_t	 funder_overdue;	/* customers owe the funder then */
};

enum model_pay_kind {
	MODEL_PAY_MATURITY,
	MODEL_PAY_EARLY,
	MODEL_PAY_REMAINDER,
	MODEL_PAY_CUSTOMER,	/* a customer paying what it owes */
	MODEL_PAY_DEEP_TIER	/* the funder's advance on a link invoice */
};

/*
 * One payment to a supplier. fee is what the supplier bears (0 when the
 * OEM bears it), so net = gross - fee always.
 */
struct model_payment {
	int64_t			 day;
	int64_t			 invoice;	/* input index, or MODEL_NONE */
	int64_t			 approved_day;	/* projected: the day u of sales */
	enum model_pay_kind	 kind;
	/* The customer paying or whose invoice is advanced, or MODEL_NONE. */
	int64_t			 customer;
	int64_t			 gross;
	int64_t			 fee;
	int64_t			 net;
};

struct model_trace {
	/* Payments in day order; within a day in processing order. */
	void	(*payment)(void *, const struct model_payment *);
	/* Every day t = 0..H-1 with that day's closing liquidity. */
	void	(*day)(void *, int64_t, int64_t);
	void	*arg;
	/*
	 * 1: every customer pays in full on the due day (the counterfactual),
	 * the view a supplier may be shown of itself: a modelled late
	 * payment would tell it treasury's projection of its customer.
	 * Without links it changes nothing.
	 */
	int	 on_time;
};

struct model;

/* model_validate.c: every problem, up to the array's size; the count. */
int		 model_validate(const struct model_input *, struct model_error *,
		    size_t, size_t *);

/*
 * model.c. model_alloc validates (first problem in the error) and
 * prepares; model_run fills one result per supplier (in input order) and
 * the curve point for one outage length; model_sweep fills the curve for
 * L = 0..max (max + 1 points) and each supplier's breaks_at_outage_days
 * (MODEL_NONE if it never breaches); model_sweep_results does the same
 * and also fills results, (max + 1) rows of one result per supplier (in
 * input order), row L equal to what model_run(L) gives; model_trace reports one supplier's
 * payments and daily liquidity for one L, with the facility's global
 * decisions applied. All return 0, or -1 with the error filled in.
 */
struct model	*model_alloc(const struct model_input *,
		    const struct model_opts *, struct model_error *);
void		 model_free(struct model *);
int		 model_find_supplier(const struct model *, const char *,
		    size_t *);
int		 model_run(struct model *, int64_t, struct model_result *,
		    struct model_point *, struct model_error *);
int		 model_sweep(struct model *, int64_t, struct model_point *,
		    int64_t *, struct model_error *);
int		 model_sweep_results(struct model *, int64_t,
		    struct model_point *, int64_t *, struct model_result *,
		    struct model_error *);
int		 model_trace(struct model *, size_t, int64_t,
		    const struct model_trace *, struct model_result *,
		    struct model_error *);
/*
 * model_run_links: model_run's results (contagion included) and one
 * result per link, in input order; without links, model_run's alone.
 */
int		 model_run_links(struct model *, int64_t,
		    struct model_result *, struct model_link_result *,
		    struct model_error *);

#endif
