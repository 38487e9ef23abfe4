/*
 * Facility sizings (see store_sizing.h).
 */
#include <string.h>

#include "core/date.h"
#include "store/store.h"
#include "store/store_sizing.h"

#define SIZING_COLUMNS(points) \
	"f.id, f.run_id, f.scheme_id, f.outage_days, f.steps, f.target, " \
	"f.unlimited_peak, f.smallest_sufficient_limit, " points ", " \
	STORE_TS("f.created_at")
#define SIZING_NCOLS	10

/*
 * The scheme as the engine takes it: the same fields, in the same form,
 * as a stress run's copy of a scheme (store_runs.c) becomes.
 */
int
store_sizing_scheme(const struct store_scheme *st, struct model_scheme *s)
{
	memset(s, 0, sizeof(*s));
	if (date_parse(st->effective_from, &s->effective_from) == -1)
		return (-1);
	s->payment_lag_days = st->payment_lag_days;
	s->advance_rate_bps = st->advance_rate_bps;
	s->annual_rate_bps = st->annual_rate_bps;
	s->day_count_basis = st->day_count_basis;
	s->fee_bearer = strcmp(st->fee_bearer, "oem") == 0 ?
	    MODEL_FEE_OEM : MODEL_FEE_SUPPLIER;
	s->eligible_tiers = st->eligible_tiers;
	s->has_max_employees = st->has_max_employees;
	s->max_employees = st->max_employees;
	s->min_invoice_amount = st->min_invoice_amount;
	s->requires_opt_in = st->requires_opt_in;
	s->has_per_supplier_cap = st->has_per_supplier_cap;
	s->per_supplier_cap = st->per_supplier_cap;
	s->has_facility_limit = st->has_facility_limit;
	s->facility_limit = st->facility_limit;
	s->covers = st->covers != NULL && strcmp(st->covers, "all") == 0 ?
	    MODEL_COVERS_ALL : MODEL_COVERS_OEM;
	s->basis = st->basis != NULL && strcmp(st->basis, "order") == 0 ?
	    MODEL_BASIS_ORDER : MODEL_BASIS_INVOICE;
	s->has_order_lead_days = st->has_order_lead_days;
	s->order_lead_days = st->order_lead_days;
	s->has_true_up_lag_days = st->has_true_up_lag_days;
	s->true_up_lag_days = st->true_up_lag_days;
	return (0);
}

void
store_sizing_reserve(struct db_query *q)
{
	db_query_init(q, "SELECT r.o_id, " STORE_TS("r.o_created_at")
	    " FROM facility_sizing_reserve() r");
}

int
store_sizing_reserve_decode(const struct db_rows *r, int64_t *id,
    const char **created_at)
{
	if (r->nrows != 1 || r->ncols != 2 ||
	    db_rows_int64(r, 0, 0, id) == -1 ||
	    (*created_at = db_rows_get(r, 0, 1)) == NULL)
		return (-1);
	return (0);
}

void
store_sizing_store(struct db_query *q, const struct store_sizing_write *w)
{
	const struct store_sizing	*s = w->sizing;

	db_query_init(q, "SELECT facility_sizing_store($1, $2::timestamptz, "
	    "$3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, "
	    "decode($13, 'hex'), $14, $15)");
	db_query_int64(q, s->id);
	db_query_text(q, w->created_at);
	db_query_int64(q, s->run_id);
	db_query_text(q, s->scheme_id);
	db_query_int64(q, s->outage_days);
	db_query_int64(q, s->steps);
	db_query_int64(q, s->target);
	db_query_int64(q, s->unlimited_peak);
	if (s->smallest == MODEL_NONE)
		db_query_null(q);
	else
		db_query_int64(q, s->smallest);
	db_query_text(q, s->points);
	db_query_text(q, w->key_id);
	db_query_text(q, w->idem_key);
	db_query_text(q, w->idem_key != NULL ? w->request_hash : NULL);
	db_query_int64(q, w->status);
	db_query_text(q, w->response);
}

void
store_sizing_get(struct db_query *q, int64_t id)
{
	db_query_init(q, "SELECT " SIZING_COLUMNS("f.points::text")
	    " FROM facility_sizings f WHERE f.id = $1");
	db_query_int64(q, id);
}

/*
 * Sizings newest (highest id) first, below `before` (0: all), of one run
 * (0: every run's); without their points.
 */
void
store_sizing_list(struct db_query *q, int64_t run, int64_t before, int limit)
{
	db_query_init(q, "SELECT " SIZING_COLUMNS("NULL")
	    " FROM facility_sizings f "
	    "WHERE ($1::bigint = 0 OR f.run_id = $1::bigint) AND "
	    "($2::bigint = 0 OR f.id < $2::bigint) "
	    "ORDER BY f.id DESC LIMIT $3");
	db_query_int64(q, run);
	db_query_int64(q, before);
	db_query_int64(q, limit);
}

int
store_sizing_decode(const struct db_rows *r, int row, struct store_sizing *s)
{
	memset(s, 0, sizeof(*s));
	if (r->ncols != SIZING_NCOLS || row >= r->nrows)
		return (-1);
	s->scheme_id = db_rows_get(r, row, 2);
	s->points = db_rows_get(r, row, 8);
	s->created_at = db_rows_get(r, row, 9);
	s->smallest = MODEL_NONE;
	if (s->scheme_id == NULL || s->created_at == NULL ||
	    db_rows_int64(r, row, 0, &s->id) == -1 ||
	    db_rows_int64(r, row, 1, &s->run_id) == -1 ||
	    db_rows_int64(r, row, 3, &s->outage_days) == -1 ||
	    db_rows_int64(r, row, 4, &s->steps) == -1 ||
	    db_rows_int64(r, row, 5, &s->target) == -1 ||
	    db_rows_int64(r, row, 6, &s->unlimited_peak) == -1 ||
	    (db_rows_get(r, row, 7) != NULL &&
	    db_rows_int64(r, row, 7, &s->smallest) == -1))
		return (-1);
	return (0);
}
