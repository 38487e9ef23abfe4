/*
 * Exposure queries (see store_exposure.h), on the stress run tables of
 * sql/0005_stress_runs.sql.
 */
#include <errno.h>
#include <stdlib.h>
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
 *
 * The family's version: a digest of the ids, inputs digests and
 * publication times of the runs store_exposure_family reads for this
 * run. Their results and suppliers never change once they are finished,
 * so a release built from a family is the same as long as this is; a
 * publication in the scenario, or a database rebuilt under the service,
 * changes it.
 */
void
store_exposure_run(struct db_query *q, int64_t id, int published_only)
{
	db_query_init(q, "SELECT r.id, r.published, r.max_outage_days, "
	    "coalesce((SELECT (a.e ->> 'outage_days')::integer "
	    "FROM jsonb_array_elements(r.announcements) WITH ORDINALITY "
	    "a(e, n) ORDER BY a.e ->> 'announced_on' DESC, a.n DESC LIMIT 1), "
	    "r.max_outage_days), "
	    STORE_SCENARIO_PROBS("r.outage_probabilities") ", "
	    "(SELECT md5(string_agg(f.id || ' ' || f.inputs_digest || ' ' || "
	    "coalesce(f.published_at::text, '-'), ',' ORDER BY f.id)) "
	    "FROM stress_runs f WHERE f.scenario_id = r.scenario_id AND "
	    "f.finished_at IS NOT NULL AND (f.published OR f.id = r.id)) "
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
	struct model_outage_prob	*pr;
	const char			*family;
	size_t				 i;

	memset(run, 0, sizeof(*run));
	if (r->nrows == 0)
		return (0);
	if (r->nrows != 1 || r->ncols != 6 ||
	    db_rows_int64(r, 0, 0, &run->id) == -1 ||
	    db_rows_int64(r, 0, 2, &run->max_outage_days) == -1 ||
	    db_rows_int64(r, 0, 3, &run->default_outage_days) == -1 ||
	    (family = db_rows_get(r, 0, 5)) == NULL ||
	    strlen(family) != sizeof(run->family) - 1)
		return (-1);
	memcpy(run->family, family, sizeof(run->family));
	run->published = db_rows_bool(r, 0, 1);
	if ((pr = calloc(STORE_SCENARIO_PROB_MAX, sizeof(*pr))) == NULL)
		abort();
	if (store_scenario_prob_decode(db_rows_get(r, 0, 4), pr,
	    STORE_SCENARIO_PROB_MAX, &run->nprob) == -1) {
		free(pr);
		return (-1);
	}
	for (i = 0; i < run->nprob; i++) {
		run->prob_days[i] = pr[i].outage_days;
		run->prob_bps[i] = pr[i].probability_bps;
	}
	free(pr);
	if (run->default_outage_days < 0 ||
	    run->default_outage_days > run->max_outage_days)
		run->default_outage_days = run->max_outage_days;
	return (1);
}

/*
 * The family of a run: the run itself and the other finished, published
 * runs of its scenario, in the order they were published (an unpublished
 * run last), so that the release is the same whichever of them is read
 * and can be built as the family grew; each with its announced outage
 * lengths (latest
 * announcement first, as a list "23,30"), and its result arrays at every
 * outage length, as text ([supplier][L + 1], row-major). A run without
 * links has no contagion or overdue arrays: empty text.
 */
void
store_exposure_family(struct db_query *q, int64_t run)
{
	db_query_init(q, "SELECT f.id, f.max_outage_days, "
	    "cardinality(r.funding_gap), r.funding_gap::text, "
	    "coalesce(r.contagion::text, ''), "
	    "coalesce(r.overdue_receivables::text, ''), "
	    "coalesce((SELECT string_agg(a.e ->> 'outage_days', ',' "
	    "ORDER BY a.e ->> 'announced_on' DESC, a.n DESC) "
	    "FROM jsonb_array_elements(f.announcements) WITH ORDINALITY "
	    "a(e, n)), '') "
	    "FROM stress_runs t JOIN stress_runs f "
	    "ON f.scenario_id = t.scenario_id AND f.finished_at IS NOT NULL "
	    "AND (f.published OR f.id = t.id) "
	    "JOIN stress_run_results r ON r.run_id = f.id WHERE t.id = $1 "
	    "ORDER BY f.published_at NULLS LAST, f.id");
	db_query_int64(q, run);
}

/*
 * A PostgreSQL array of integers or booleans as text, "{{1,2},{3,4}}",
 * into exactly n values (t is 1, f is 0). 0, or -1 when it is not that.
 */
int
store_exposure_array_parse(const char *s, size_t n, int64_t *v)
{
	size_t		 i;
	char		*end;
	long long	 x;

	i = 0;
	while (*s != '\0') {
		if (*s == '{' || *s == '}' || *s == ',') {
			s++;
			continue;
		}
		if (i == n)
			return (-1);
		if (*s == 't' || *s == 'f') {
			v[i++] = *s == 't';
			s++;
			continue;
		}
		errno = 0;
		x = strtoll(s, &end, 10);
		if (end == s || errno == ERANGE)
			return (-1);
		v[i++] = x;
		s = end;
	}
	return (i == n ? 0 : -1);
}

int
store_exposure_results_decode(const struct db_rows *r, int row,
    struct store_exposure_results *x)
{
	const char	*s;
	int64_t		 max, cells;
	size_t		 i;

	memset(x, 0, sizeof(*x));
	if (r->ncols != 7 || db_rows_int64(r, row, 0, &x->run_id) == -1 ||
	    db_rows_int64(r, row, 1, &max) == -1 || max < 0 ||
	    db_rows_int64(r, row, 2, &cells) == -1 || cells < 0 ||
	    cells % (max + 1) != 0)
		return (-1);
	x->nl = (size_t)max + 1;
	x->n = (size_t)cells / x->nl;
	if ((x->funding_gap = calloc((size_t)cells + 1, 8)) == NULL ||
	    (x->overdue = calloc((size_t)cells + 1, 8)) == NULL ||
	    (x->contagion = calloc((size_t)cells + 1, 8)) == NULL)
		abort();
	if ((s = db_rows_get(r, row, 3)) == NULL ||
	    store_exposure_array_parse(s, (size_t)cells, x->funding_gap) == -1)
		goto fail;
	if ((s = db_rows_get(r, row, 4)) == NULL || (*s != '\0' &&
	    store_exposure_array_parse(s, (size_t)cells, x->contagion) == -1))
		goto fail;
	if ((s = db_rows_get(r, row, 5)) == NULL || (*s != '\0' &&
	    store_exposure_array_parse(s, (size_t)cells, x->overdue) == -1))
		goto fail;
	if ((s = db_rows_get(r, row, 6)) == NULL)
		goto fail;
	for (x->nannounced = *s != '\0', i = 0; s[i] != '\0'; i++)
		x->nannounced += s[i] == ',';
	if ((x->announced = calloc(x->nannounced + 1, 8)) == NULL)
		abort();
	if (x->nannounced > 0 && store_exposure_array_parse(s,
	    x->nannounced, x->announced) == -1)
		goto fail;
	return (0);
fail:
	store_exposure_results_cleanup(x);
	return (-1);
}

void
store_exposure_results_cleanup(struct store_exposure_results *x)
{
	free(x->funding_gap);
	free(x->overdue);
	free(x->contagion);
	free(x->announced);
	memset(x, 0, sizeof(*x));
}

/* Every supplier of every run of the family, in the family's order. */
void
store_exposure_members(struct db_query *q, int64_t run)
{
	db_query_init(q, "SELECT f.id, s.supplier_id, s.region, s.sector, "
	    "s.tier::text, s.employees "
	    "FROM stress_runs t JOIN stress_runs f "
	    "ON f.scenario_id = t.scenario_id AND f.finished_at IS NOT NULL "
	    "AND (f.published OR f.id = t.id) "
	    "JOIN stress_run_results r ON r.run_id = f.id "
	    "JOIN stress_run_inputs_suppliers s ON s.run_id = f.id "
	    "WHERE t.id = $1 ORDER BY f.published_at NULLS LAST, f.id, s.n");
	db_query_int64(q, run);
}

int
store_exposure_member_decode(const struct db_rows *r, int row,
    struct store_exposure_member *m)
{
	memset(m, 0, sizeof(*m));
	if (r->ncols != 6)
		return (-1);
	m->supplier_id = db_rows_get(r, row, 1);
	m->region = db_rows_get(r, row, 2);
	m->sector = db_rows_get(r, row, 3);
	m->tier = db_rows_get(r, row, 4);
	if (m->supplier_id == NULL || m->region == NULL || m->sector == NULL ||
	    m->tier == NULL || db_rows_int64(r, row, 0, &m->run_id) == -1 ||
	    db_rows_int64(r, row, 5, &m->employees) == -1)
		return (-1);
	return (0);
}
