/*
 * Exposure queries (see store_exposure.h), on the stress run tables of
 * sql/0005_stress_runs.sql.
 */
#include <string.h>

#include "store/store.h"
#include "store/store_exposure.h"

/*
 * The finished run with this id (id < 0: the latest published one, by
 * publication time, then id), or no row. With published_only, an
 * unpublished run is no run. Unfinished runs are never seen.
 *
 * The default outage length is that of the latest announcement (by
 * announced_on, then announcement order) when the run has results for
 * it, else the run's maximum.
 */
void
store_exposure_run(struct db_query *q, int64_t id, int published_only)
{
	db_query_init(q, "SELECT r.id, r.published, r.max_outage_days, "
	    "coalesce((SELECT (a.e ->> 'outage_days')::integer "
	    "FROM jsonb_array_elements(r.announcements) WITH ORDINALITY "
	    "a(e, n) ORDER BY a.e ->> 'announced_on' DESC, a.n DESC LIMIT 1), "
	    "r.max_outage_days) "
	    "FROM stress_runs r WHERE r.finished_at IS NOT NULL AND "
	    "CASE WHEN $1::bigint < 0 THEN r.published "
	    "ELSE r.id = $1::bigint AND (r.published OR NOT $2::boolean) END "
	    "ORDER BY r.published_at DESC NULLS LAST, r.id DESC LIMIT 1");
	db_query_int64(q, id);
	db_query_bool(q, published_only);
}

/* 1 with the run, 0 when there is none, -1 when the row is malformed. */
int
store_exposure_run_decode(const struct db_rows *r,
    struct store_exposure_run *run)
{
	memset(run, 0, sizeof(*run));
	if (r->nrows == 0)
		return (0);
	if (r->nrows != 1 || r->ncols != 4 ||
	    db_rows_int64(r, 0, 0, &run->id) == -1 ||
	    db_rows_int64(r, 0, 2, &run->max_outage_days) == -1 ||
	    db_rows_int64(r, 0, 3, &run->default_outage_days) == -1)
		return (-1);
	run->published = db_rows_bool(r, 0, 1);
	if (run->default_outage_days < 0 ||
	    run->default_outage_days > run->max_outage_days)
		run->default_outage_days = run->max_outage_days;
	return (1);
}

/*
 * Every supplier of the run with its funding gap at outage length L. A
 * supplier breaches exactly when its funding gap is positive: both mean
 * its lowest liquidity fell below its minimum.
 */
void
store_exposure_lines(struct db_query *q, int64_t run, int64_t outage)
{
	db_query_init(q, "SELECT s.region, s.sector, s.tier::text, "
	    "s.employees, x.g "
	    "FROM stress_run_results r, "
	    "unnest(r.funding_gap[:][$2::integer + 1:$2::integer + 1]) "
	    "WITH ORDINALITY AS x(g, n) "
	    "JOIN stress_run_inputs_suppliers s "
	    "ON s.run_id = $1 AND s.n = x.n WHERE r.run_id = $1");
	db_query_int64(q, run);
	db_query_int64(q, outage);
}

int
store_exposure_line_decode(const struct db_rows *r, int row,
    struct store_exposure_line *l)
{
	memset(l, 0, sizeof(*l));
	if (r->ncols != 5)
		return (-1);
	l->region = db_rows_get(r, row, 0);
	l->sector = db_rows_get(r, row, 1);
	l->tier = db_rows_get(r, row, 2);
	if (l->region == NULL || l->sector == NULL || l->tier == NULL ||
	    db_rows_int64(r, row, 3, &l->employees) == -1 ||
	    db_rows_int64(r, row, 4, &l->funding_gap) == -1)
		return (-1);
	return (0);
}
