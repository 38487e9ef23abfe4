/*
 * Scenarios: the SQL behind /v1/scenarios. A scenario and its outage
 * announcements are written by one call of scenario_create
 * (sql/0004_scenarios.sql) and never changed.
 *
 * Every query returns one row per announcement with the scenario's
 * columns repeated (one row with null announcement columns when it has
 * none), so a scenario is decoded from a run of consecutive rows.
 * Outage probabilities (sql/0018_outage_probabilities.sql) are optional:
 * nprob 0 is none, and they keep the order they were given in.
 */
#ifndef STORE_SCENARIOS_H
#define STORE_SCENARIOS_H

#include <stdint.h>

#include "core/model.h"
#include "store/db.h"

#define STORE_SCENARIO_RAMP_MAX		365
#define STORE_SCENARIO_ANN_MAX		100
#define STORE_SCENARIO_PROB_MAX		(MODEL_HORIZON_MAX + 1)

struct store_announcement {
	const char	*announced_on;		/* YYYY-MM-DD */
	const char	*restart_date;
	const char	*note;
};

struct store_scenario {
	const char			*id;
	const char			*name;
	const char			*start_date;
	int64_t				 horizon_days;
	int				 nramp;
	int64_t				 ramp_bps[STORE_SCENARIO_RAMP_MAX];
	int64_t				 payment_freeze_days;
	int64_t				 fixed_cost_relief_bps;
	int				 nann;
	struct store_announcement	 ann[STORE_SCENARIO_ANN_MAX];
	size_t				 nprob;
	struct model_outage_prob	 prob[STORE_SCENARIO_PROB_MAX];
	const char			*created_at;
};

#define STORE_SCENARIO_NCOLS	12

/*
 * Outage probabilities stored as jsonb, as text "30:6000,45:4000" in the
 * order given, or NULL when there are none (store_scenario_prob_decode).
 */
#define STORE_SCENARIO_PROBS(col) \
	"(SELECT string_agg((x.p ->> 'outage_days') || ':' || " \
	"(x.p ->> 'probability_bps'), ',' ORDER BY x.o) " \
	"FROM jsonb_array_elements(" col ") WITH ORDINALITY AS x(p, o))"

int	store_scenario_decode(const struct db_rows *, int *, int,
	    struct store_scenario *);
void	store_scenario_create(struct db_query *, const char *);
int	store_scenario_create_decode(const struct db_rows *, int *,
	    struct store_scenario *);
void	store_scenario_get(struct db_query *, const char *);
void	store_scenario_list(struct db_query *, const char *, int);
void	store_scenario_outage_max(struct db_query *, const char *);
int	store_scenario_outage_max_decode(const struct db_rows *, int64_t *);
int	store_scenario_prob_decode(const char *, struct model_outage_prob *,
	    size_t, size_t *);

#endif
