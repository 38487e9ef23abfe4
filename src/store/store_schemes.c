/*
 * Schemes (see store_schemes.h).
 */
#include <string.h>

#include "core/scheme.h"
#include "store/store.h"
#include "store/store_schemes.h"

/*
 * A scheme's columns, in struct store_scheme's order, from alias p. The
 * tiers come as "1,2", dates as YYYY-MM-DD whatever the DateStyle.
 */
#define SCHEME_COLUMNS(p) \
	p "id, " p "name, to_char(" p "effective_from, 'YYYY-MM-DD'), " \
	p "payment_lag_days, " p "advance_rate_bps, " p "annual_rate_bps, " \
	p "day_count_basis, " p "fee_bearer, " \
	"array_to_string(" p "eligible_tiers, ','), " p "max_employees, " \
	p "min_invoice_amount, " p "requires_opt_in, " \
	p "per_supplier_cap, " p "facility_limit, " STORE_TS(p "created_at") \
	", " p "covers, " p "basis, " p "order_lead_days, " \
	p "true_up_lag_days"

static int
optional_int64(const struct db_rows *r, int row, int col, int *has,
    int64_t *v)
{
	*has = db_rows_get(r, row, col) != NULL;
	*v = 0;
	if (*has && db_rows_int64(r, row, col, v) == -1)
		return (-1);
	return (0);
}

int
store_scheme_decode(const struct db_rows *r, int row, int col,
    struct store_scheme *s)
{
	memset(s, 0, sizeof(*s));
	if (r->ncols < col + STORE_SCHEME_NCOLS)
		return (-1);
	s->id = db_rows_get(r, row, col + 0);
	s->name = db_rows_get(r, row, col + 1);
	s->effective_from = db_rows_get(r, row, col + 2);
	s->fee_bearer = db_rows_get(r, row, col + 7);
	s->requires_opt_in = db_rows_bool(r, row, col + 11);
	s->created_at = db_rows_get(r, row, col + 14);
	s->covers = db_rows_get(r, row, col + 15);
	s->basis = db_rows_get(r, row, col + 16);
	if (s->id == NULL || s->name == NULL || s->effective_from == NULL ||
	    s->fee_bearer == NULL || s->covers == NULL || s->basis == NULL ||
	    db_rows_int64(r, row, col + 3, &s->payment_lag_days) == -1 ||
	    db_rows_int64(r, row, col + 4, &s->advance_rate_bps) == -1 ||
	    db_rows_int64(r, row, col + 5, &s->annual_rate_bps) == -1 ||
	    db_rows_int64(r, row, col + 6, &s->day_count_basis) == -1 ||
	    scheme_tiers_parse(db_rows_get(r, row, col + 8),
	    &s->eligible_tiers) == -1 ||
	    optional_int64(r, row, col + 9, &s->has_max_employees,
	    &s->max_employees) == -1 ||
	    db_rows_int64(r, row, col + 10, &s->min_invoice_amount) == -1 ||
	    optional_int64(r, row, col + 12, &s->has_per_supplier_cap,
	    &s->per_supplier_cap) == -1 ||
	    optional_int64(r, row, col + 13, &s->has_facility_limit,
	    &s->facility_limit) == -1 ||
	    optional_int64(r, row, col + 17, &s->has_order_lead_days,
	    &s->order_lead_days) == -1 ||
	    optional_int64(r, row, col + 18, &s->has_true_up_lag_days,
	    &s->true_up_lag_days) == -1)
		return (-1);
	return (0);
}

/* row: the scheme as a jsonb object (json_scheme_row). */
void
store_scheme_create(struct db_query *q, const char *row)
{
	db_query_init(q, "SELECT c.created, " SCHEME_COLUMNS("s.")
	    " FROM scheme_create($1::jsonb) c, "
	    "LATERAL (SELECT (c.scheme).*) s");
	db_query_text(q, row);
}

/* *created: 1 when new, 0 when the returned scheme already existed. */
int
store_scheme_create_decode(const struct db_rows *r, int *created,
    struct store_scheme *s)
{
	if (r->nrows != 1 || r->ncols != 1 + STORE_SCHEME_NCOLS)
		return (-1);
	*created = db_rows_bool(r, 0, 0);
	return (store_scheme_decode(r, 0, 1, s));
}

void
store_scheme_get(struct db_query *q, const char *id)
{
	db_query_init(q, "SELECT " SCHEME_COLUMNS("") " FROM schemes "
	    "WHERE id = $1");
	db_query_text(q, id);
}

/* Schemes in id order after the cursor's id ("" for the first page). */
void
store_scheme_list(struct db_query *q, const char *after, int limit)
{
	db_query_init(q, "SELECT " SCHEME_COLUMNS("") " FROM schemes "
	    "WHERE id > $1 ORDER BY id LIMIT $2");
	db_query_text(q, after);
	db_query_int64(q, limit);
}
