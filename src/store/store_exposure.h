/*
 * The SQL behind /v1/exposure (and the run look-up the payment schedule
 * shares with it): which finished stress run a reader may see, the
 * outage length to report by default, and the results of the run's
 * family (the run and the published runs of its scenario, which the
 * disclosure control covers together) at every outage length: one row
 * per run with its result arrays, one row per supplier of each run. The
 * supplier ids read are used only to compare populations across runs;
 * no reply carries one.
 */
#ifndef STORE_EXPOSURE_H
#define STORE_EXPOSURE_H

#include <stdint.h>

#include "store/db.h"
#include "store/store_scenarios.h"

/* A run as a report sees it. */
struct store_exposure_run {
	int64_t		 id;
	int		 published;
	int64_t		 max_outage_days;
	int64_t		 default_outage_days;	/* see store_exposure_run */
	size_t		 nprob;			/* 0: no outage probabilities */
	int64_t		 prob_days[STORE_SCENARIO_PROB_MAX];
	int64_t		 prob_bps[STORE_SCENARIO_PROB_MAX];
	char		 family[33];	/* the family's version, hex */
};

void	store_exposure_run(struct db_query *, int64_t, int);
int	store_exposure_run_decode(const struct db_rows *,
	    struct store_exposure_run *);
/* One run of the family: its results, supplier-major, n * nl each. */
struct store_exposure_results {
	int64_t		 run_id;
	int64_t		*announced;	/* outage lengths, latest first */
	size_t		 nannounced;
	size_t		 n;
	size_t		 nl;
	int64_t		*funding_gap;
	int64_t		*overdue;
	int64_t		*contagion;	/* 0 or 1 */
};

/* One supplier of a run of the family; strings borrow from the rows. */
struct store_exposure_member {
	int64_t		 run_id;
	const char	*supplier_id;
	const char	*region;
	const char	*sector;
	const char	*tier;
	int64_t		 employees;
};

void	store_exposure_family(struct db_query *, int64_t);
int	store_exposure_results_decode(const struct db_rows *, int,
	    struct store_exposure_results *);
void	store_exposure_results_cleanup(struct store_exposure_results *);
void	store_exposure_members(struct db_query *, int64_t);
int	store_exposure_member_decode(const struct db_rows *, int,
	    struct store_exposure_member *);
int	store_exposure_array_parse(const char *, size_t, int64_t *);

#endif
