/*
 * Stress runs: the SQL behind /v1/stress-runs (sql/0005_stress_runs.sql,
 * sql/0006_stress_run_results.sql and the migrations after them, such as
 * sql/0018_outage_probabilities.sql), and the decoding of a run's
 * stored snapshot back into exactly the struct model_input its results
 * were computed from (put together by core/run_input.c).
 *
 * Loading a run's input, for any reader (four queries, any order):
 *
 *	store_run_get(q, id, 1)              -> store_run_decode(rows, 0, &run)
 *	store_run_inputs_suppliers(q, id)    -> keep the rows (sup)
 *	store_run_inputs_invoices(q, id)     -> keep the rows (inv)
 *	store_run_inputs_links(q, id)        -> keep the rows (links)
 *	store_run_input_init(&in);
 *	store_run_input_load(&in, &run, &sup, &inv)   takes the rows over
 *	store_run_input_links(&in, &links)   then the links, likewise
 *	model_alloc(&in.in, ...), model_run / model_trace ...
 *	store_run_input_cleanup(&in);
 *
 * Its digest: store_run_input_digest_input(&in, &run, &d), then
 * digest_run_input(&d, hex) (crypto/digest.h); d borrows from both.
 *
 * The run's strings (run.*) borrow from its rows, which must outlive the
 * run; the loaded input owns the two snapshot results it was given (its
 * model_input points into them) and nothing of the run's rows.
 *
 * Making a run: store_run_begin's rows are the invoice rows (inv) of the
 * new run, whose id store_run_begin_id reads; then the run, its
 * suppliers and links as above, the load and the engine (in a task) with
 * store_run_keep_invoices meanwhile, and store_run_finish.
 */
#ifndef STORE_RUNS_H
#define STORE_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/run_digest.h"
#include "store/db.h"

#define STORE_RUN_DIGEST_HEX	RUN_DIGEST_HEX

/* One run's row: its parameters, the scenario and scheme it copied. */
struct store_run {
	int64_t		 id;
	const char	*scenario_id;
	const char	*scheme_id;		/* NULL: no scheme */
	int64_t		 max_outage_days;
	const char	*created_at;		/* RFC 3339 UTC */
	const char	*inputs_digest;		/* NULL: not finished */
	int		 published;
	const char	*curve;			/* jsonb text, NULL: unfinished */
	const char	*announcements;		/* jsonb text */
	const char	*announced;		/* "on,restart;on,restart" or NULL */

	const char	*start_date;		/* YYYY-MM-DD */
	int64_t		 horizon_days;
	const char	*ramp_bps;		/* "5000,5000" */
	int64_t		 payment_freeze_days;
	int64_t		 fixed_cost_relief_bps;

	/* The scheme; meaningful only with scheme_id. */
	const char	*s_effective_from;
	int64_t		 s_payment_lag_days;
	int64_t		 s_advance_rate_bps;
	int64_t		 s_annual_rate_bps;
	int64_t		 s_day_count_basis;
	const char	*s_fee_bearer;		/* "supplier" or "oem" */
	const char	*s_eligible_tiers;	/* "1,2" */
	int		 s_has_max_employees;
	int64_t		 s_max_employees;
	int64_t		 s_min_invoice_amount;
	int		 s_requires_opt_in;
	int		 s_has_per_supplier_cap;
	int64_t		 s_per_supplier_cap;
	int		 s_has_facility_limit;
	int64_t		 s_facility_limit;
	const char	*s_covers;		/* "oem", "all"; NULL: "oem" */
	const char	*s_basis;	/* "invoice", "order"; NULL: "invoice" */
	int		 s_has_order_lead_days;
	int64_t		 s_order_lead_days;
	int		 s_has_true_up_lag_days;
	int64_t		 s_true_up_lag_days;

	/* The scenario's outage probabilities and what they gave. */
	const char	*outage_probabilities;	/* "30:6000,45:4000" or NULL */
	const char	*expected;		/* jsonb text, or NULL */
};

/*
 * A run's snapshot as the engine's input. in.suppliers[i] is the
 * supplier of names[i], regions[i], sectors[i]; suppliers are in id
 * order (bytes), invoices too. Everything points into memory owned here.
 */
struct store_run_input {
	struct model_input	 in;
	struct model_supplier	*suppliers;
	struct model_invoice	*invoices;	/* in id order (bytes) */
	size_t			*invoice_supplier; /* its index in suppliers */
	const char		**names;
	const char		**regions;
	const char		**sectors;
	int64_t			 ramp[MODEL_RAMP_MAX];
	struct model_scheme	 scheme;
	int32_t			 start_day;
	struct run_announcement	*announcements;
	size_t			 nannouncements;
	struct model_link	*links;		/* by (seller, customer) n */
	struct model_outage_prob *prob;		/* as the scenario gave them */
	size_t			 nprob;		/* 0: none */
	struct db_rows		 sup_rows;
	struct db_rows		 inv_rows;
	struct db_rows		 link_rows;
};

/* One supplier's line of the report for one outage length. */
struct store_run_supplier {
	const char	*supplier_id;
	const char	*name;
	int64_t		 tier;
	const char	*region;
	const char	*sector;
	int64_t		 employees;
	int64_t		 breach_day;		/* MODEL_NONE: null */
	const char	*breach_date;		/* NULL: null */
	int64_t		 lowest_liquidity;
	int64_t		 lowest_liquidity_day;
	const char	*lowest_liquidity_date;
	int64_t		 funding_gap;
	int64_t		 early_paid;
	int64_t		 fees;
	int64_t		 breaks_at_outage_days;	/* MODEL_NONE: null */
	int64_t		 contagion;		/* 0 or 1 */
	int64_t		 overdue_receivables;
	int64_t		 overdue_payables;
	int64_t		 breach_probability_bps; /* MODEL_NONE: null */
};

/* What a finished run stores: results[L * nsuppliers + i]. */
struct store_run_results {
	int64_t				 id;
	const char			*digest;
	const char			*curve;		/* JSON text */
	const struct store_run_input	*input;
	const int64_t			*breaks;	/* per supplier */
	const struct model_result	*results;
	const char			*expected;	/* JSON text, NULL: none */
	const int64_t			*breach_bps;	/* per supplier */
	int64_t				 max_outage_days;
	const char			*key_id;
	const char			*idem_key;	/* NULL: none */
	const char			*request_hash;	/* hex */
	int				 status;
	const char			*response;
};

void	store_run_begin(struct db_query *, const char *, const char *,
	    int64_t);
int	store_run_begin_id(const struct db_rows *, int64_t *);
void	store_run_get(struct db_query *, int64_t, int);
void	store_run_list(struct db_query *, int64_t, int);
int	store_run_decode(const struct db_rows *, int, struct store_run *);
void	store_run_inputs_suppliers(struct db_query *, int64_t);
void	store_run_inputs_invoices(struct db_query *, int64_t);
void	store_run_inputs_links(struct db_query *, int64_t);
void	store_run_finish(struct db_query *, const struct store_run_results *);
void	store_run_keep_invoices(struct db_query *, int64_t,
	    const struct store_run_input *);
void	store_run_publish(struct db_query *, int64_t);
/* The report's orders. */
enum store_run_sort {
	STORE_RUN_SORT_BREACH_DAY,		/* none last, then id */
	STORE_RUN_SORT_BREACH_PROBABILITY,	/* highest first, then id */
};

void	store_run_suppliers(struct db_query *, int64_t, int64_t, int, int,
	    enum store_run_sort, int64_t, const char *, int);
int	store_run_supplier_decode(const struct db_rows *, int,
	    struct store_run_supplier *);
int	store_run_cursor_parse(const char *, int64_t *, const char **);
void	store_run_cursor_make(const struct store_run_supplier *,
	    enum store_run_sort, char *, size_t);

void	store_run_input_init(struct store_run_input *);
void	store_run_input_cleanup(struct store_run_input *);
int	store_run_input_load(struct store_run_input *, const struct store_run *,
	    struct db_rows *, struct db_rows *);
int	store_run_input_links(struct store_run_input *, struct db_rows *);
void	store_run_input_digest_input(const struct store_run_input *,
	    const struct store_run *, struct run_digest_input *);

#endif
