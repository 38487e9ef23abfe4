/*
 * Scenarios (see store_scenarios.h).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_scenarios.h"

/*
 * A scenario's columns and one announcement's, from aliases s and a, in
 * the order store_scenario_decode reads them. Dates as YYYY-MM-DD
 * whatever the DateStyle, the ramp as "5000,7500", the outage
 * probabilities as STORE_SCENARIO_PROBS gives them.
 */
#define SCENARIO_COLUMNS \
	"s.id, s.name, to_char(s.start_date, 'YYYY-MM-DD'), " \
	"s.horizon_days, array_to_string(s.ramp_bps, ','), " \
	"s.payment_freeze_days, s.fixed_cost_relief_bps, " \
	STORE_TS("s.created_at") ", " \
	"to_char(a.announced_on, 'YYYY-MM-DD'), " \
	"to_char(a.restart_date, 'YYYY-MM-DD'), a.note, " \
	STORE_SCENARIO_PROBS("s.outage_probabilities")

/* "" or "0,5000,10000" into s->ramp_bps; -1 when malformed. */
static int
ramp_decode(const char *p, struct store_scenario *s)
{
	char	*end;
	long	 v;

	s->nramp = 0;
	if (p == NULL)
		return (-1);
	while (*p != '\0') {
		if (s->nramp == STORE_SCENARIO_RAMP_MAX || *p < '0' || *p > '9')
			return (-1);
		v = strtol(p, &end, 10);
		if (v > 10000 || (*end != ',' && *end != '\0'))
			return (-1);
		s->ramp_bps[s->nramp++] = v;
		p = *end == ',' ? end + 1 : end;
	}
	return (0);
}

/*
 * "30:6000,45:4000" (STORE_SCENARIO_PROBS) into at most max entries; NULL
 * is none. -1 when malformed.
 */
int
store_scenario_prob_decode(const char *p, struct model_outage_prob *pr,
    size_t max, size_t *n)
{
	char	*end;
	long	 v;

	*n = 0;
	while (p != NULL && *p != '\0') {
		if (*n == max || *p < '0' || *p > '9')
			return (-1);
		v = strtol(p, &end, 10);
		if (*end != ':' || end[1] < '0' || end[1] > '9')
			return (-1);
		pr[*n].outage_days = v;
		v = strtol(end + 1, &end, 10);
		if (*end != ',' && *end != '\0')
			return (-1);
		pr[(*n)++].probability_bps = v;
		p = *end == ',' ? end + 1 : end;
	}
	return (0);
}

/*
 * The scenario starting at *row (from column col), with its announcements
 * on the following rows of the same id; *row moves past them.
 */
int
store_scenario_decode(const struct db_rows *r, int *row, int col,
    struct store_scenario *s)
{
	struct store_announcement	*a;
	int				 i;

	memset(s, 0, sizeof(*s));
	i = *row;
	if (r->ncols < col + STORE_SCENARIO_NCOLS || i >= r->nrows)
		return (-1);
	s->id = db_rows_get(r, i, col + 0);
	s->name = db_rows_get(r, i, col + 1);
	s->start_date = db_rows_get(r, i, col + 2);
	s->created_at = db_rows_get(r, i, col + 7);
	if (s->id == NULL || s->name == NULL || s->start_date == NULL ||
	    s->created_at == NULL ||
	    db_rows_int64(r, i, col + 3, &s->horizon_days) == -1 ||
	    ramp_decode(db_rows_get(r, i, col + 4), s) == -1 ||
	    db_rows_int64(r, i, col + 5, &s->payment_freeze_days) == -1 ||
	    db_rows_int64(r, i, col + 6, &s->fixed_cost_relief_bps) == -1 ||
	    store_scenario_prob_decode(db_rows_get(r, i, col + 11), s->prob,
	    STORE_SCENARIO_PROB_MAX, &s->nprob) == -1)
		return (-1);
	for (; i < r->nrows; i++) {
		if (db_rows_get(r, i, col) == NULL ||
		    strcmp(db_rows_get(r, i, col), s->id) != 0)
			break;
		if (db_rows_get(r, i, col + 8) == NULL)
			continue;
		if (s->nann == STORE_SCENARIO_ANN_MAX)
			return (-1);
		a = &s->ann[s->nann++];
		a->announced_on = db_rows_get(r, i, col + 8);
		a->restart_date = db_rows_get(r, i, col + 9);
		a->note = db_rows_get(r, i, col + 10);
		if (a->restart_date == NULL || a->note == NULL)
			return (-1);
	}
	*row = i;
	return (0);
}

/* row: the scenario as jsonb (json_scenario_row). */
void
store_scenario_create(struct db_query *q, const char *row)
{
	db_query_init(q, "SELECT s.created, " SCENARIO_COLUMNS
	    " FROM scenario_create($1::jsonb) s, "
	    "LATERAL (SELECT s.announced_on, s.restart_date, s.note) a");
	db_query_text(q, row);
}

/* *created: 1 when new, 0 when the returned scenario already existed. */
int
store_scenario_create_decode(const struct db_rows *r, int *created,
    struct store_scenario *s)
{
	int	row;

	if (r->nrows < 1 || r->ncols != 1 + STORE_SCENARIO_NCOLS)
		return (-1);
	*created = db_rows_bool(r, 0, 0);
	row = 0;
	if (store_scenario_decode(r, &row, 1, s) == -1 || row != r->nrows)
		return (-1);
	return (0);
}

void
store_scenario_get(struct db_query *q, const char *id)
{
	db_query_init(q, "SELECT " SCENARIO_COLUMNS " FROM scenarios s "
	    "LEFT JOIN scenario_announcements a ON a.scenario_id = s.id "
	    "WHERE s.id = $1 ORDER BY a.n");
	db_query_text(q, id);
}

/* Up to limit scenarios in id order after the cursor's id. */
void
store_scenario_list(struct db_query *q, const char *after, int limit)
{
	db_query_init(q, "SELECT " SCENARIO_COLUMNS " FROM (SELECT * FROM "
	    "scenarios WHERE id > $1 ORDER BY id LIMIT $2) s "
	    "LEFT JOIN scenario_announcements a ON a.scenario_id = s.id "
	    "ORDER BY s.id, a.n");
	db_query_text(q, after);
	db_query_int64(q, limit);
}

/*
 * The longest outage length the scenario's probabilities name: one row,
 * null when it has none; no row when there is no such scenario.
 */
void
store_scenario_outage_max(struct db_query *q, const char *id)
{
	db_query_init(q, "SELECT (SELECT max((e ->> 'outage_days')::integer) "
	    "FROM jsonb_array_elements(s.outage_probabilities) e) "
	    "FROM scenarios s WHERE s.id = $1");
	db_query_text(q, id);
}

/* *max: the length, or -1 when none (or no such scenario). */
int
store_scenario_outage_max_decode(const struct db_rows *r, int64_t *max)
{
	*max = -1;
	if (r->nrows == 0 || db_rows_get(r, 0, 0) == NULL)
		return (0);
	if (r->nrows != 1 || r->ncols != 1)
		return (-1);
	return (db_rows_int64(r, 0, 0, max));
}
