/*
 * Suppliers (see store_suppliers.h).
 */
#include <string.h>

#include "store/store.h"
#include "store/store_suppliers.h"

/* A supplier's columns, in struct store_supplier's order, from alias p. */
#define SUPPLIER_COLUMNS(p) \
	p "id, " p "name, " p "tier, " p "region, " p "sector, " \
	p "employees, " p "currency, " p "cash, " p "credit_available, " \
	p "min_liquidity, " p "fixed_daily_costs, " p "oem_daily_sales, " \
	p "variable_cost_bps, " p "other_daily_receipts, " \
	p "payment_terms_days, " p "scheme_opt_in, " \
	STORE_TS(p "created_at") ", " STORE_TS(p "updated_at")

/* The row at columns col.. col + STORE_SUPPLIER_NCOLS - 1. */
int
store_supplier_decode(const struct db_rows *r, int row, int col,
    struct store_supplier *s)
{
	memset(s, 0, sizeof(*s));
	if (r->ncols < col + STORE_SUPPLIER_NCOLS)
		return (-1);
	s->id = db_rows_get(r, row, col + 0);
	s->name = db_rows_get(r, row, col + 1);
	s->region = db_rows_get(r, row, col + 3);
	s->sector = db_rows_get(r, row, col + 4);
	s->currency = db_rows_get(r, row, col + 6);
	s->scheme_opt_in = db_rows_bool(r, row, col + 15);
	s->created_at = db_rows_get(r, row, col + 16);
	s->updated_at = db_rows_get(r, row, col + 17);
	if (s->id == NULL || s->name == NULL || s->region == NULL ||
	    s->sector == NULL || s->currency == NULL ||
	    db_rows_int64(r, row, col + 2, &s->tier) == -1 ||
	    db_rows_int64(r, row, col + 5, &s->employees) == -1 ||
	    db_rows_int64(r, row, col + 7, &s->cash) == -1 ||
	    db_rows_int64(r, row, col + 8, &s->credit_available) == -1 ||
	    db_rows_int64(r, row, col + 9, &s->min_liquidity) == -1 ||
	    db_rows_int64(r, row, col + 10, &s->fixed_daily_costs) == -1 ||
	    db_rows_int64(r, row, col + 11, &s->oem_daily_sales) == -1 ||
	    db_rows_int64(r, row, col + 12, &s->variable_cost_bps) == -1 ||
	    db_rows_int64(r, row, col + 13, &s->other_daily_receipts) == -1 ||
	    db_rows_int64(r, row, col + 14, &s->payment_terms_days) == -1)
		return (-1);
	return (0);
}

/* row: the supplier as a jsonb object (json_supplier_row). */
void
store_supplier_create(struct db_query *q, const char *row)
{
	db_query_init(q, "SELECT c.created, " SUPPLIER_COLUMNS("s.")
	    " FROM supplier_create($1::jsonb) c, "
	    "LATERAL (SELECT (c.supplier).*) s");
	db_query_text(q, row);
}

/* *created: 1 when new, 0 when the returned supplier already existed. */
int
store_supplier_create_decode(const struct db_rows *r, int *created,
    struct store_supplier *s)
{
	if (r->nrows != 1 || r->ncols != 1 + STORE_SUPPLIER_NCOLS)
		return (-1);
	*created = db_rows_bool(r, 0, 0);
	return (store_supplier_decode(r, 0, 1, s));
}

void
store_supplier_get(struct db_query *q, const char *id)
{
	db_query_init(q, "SELECT " SUPPLIER_COLUMNS("s.") ", "
	    "l.receivable_outstanding, l.paid_to_date, "
	    "l.early_paid_to_date, l.fees_to_date, l.prepaid_outstanding, "
	    "l.owed_back FROM suppliers s "
	    "CROSS JOIN LATERAL ledger_supplier_summary(s.id) l "
	    "WHERE s.id = $1");
	db_query_text(q, id);
}

/* 1: found, 0: no such supplier, -1: not the rows asked for. */
int
store_supplier_get_decode(const struct db_rows *r, struct store_supplier *s,
    struct store_supplier_ledger *l)
{
	const int	c = STORE_SUPPLIER_NCOLS;

	if (r->nrows == 0)
		return (0);
	if (r->nrows != 1 || r->ncols != c + 6 ||
	    store_supplier_decode(r, 0, 0, s) == -1 ||
	    db_rows_int64(r, 0, c, &l->receivable_outstanding) == -1 ||
	    db_rows_int64(r, 0, c + 1, &l->paid_to_date) == -1 ||
	    db_rows_int64(r, 0, c + 2, &l->early_paid_to_date) == -1 ||
	    db_rows_int64(r, 0, c + 3, &l->fees_to_date) == -1 ||
	    db_rows_int64(r, 0, c + 4, &l->prepaid_outstanding) == -1 ||
	    db_rows_int64(r, 0, c + 5, &l->owed_back) == -1)
		return (-1);
	return (1);
}

/*
 * patch: a jsonb object of the columns to change. key_id and request_id
 * go into the history rows of whatever model figure changed.
 */
void
store_supplier_update(struct db_query *q, const char *id, const char *patch,
    const char *key_id, const char *request_id)
{
	db_query_init(q, "SELECT " SUPPLIER_COLUMNS("s.")
	    " FROM supplier_update($1, $2::jsonb, $3, $4) s");
	db_query_text(q, id);
	db_query_text(q, patch);
	db_query_text(q, key_id);
	db_query_text(q, request_id);
}

/* 1: updated, 0: no such supplier, -1: not the rows asked for. */
int
store_supplier_update_decode(const struct db_rows *r, struct store_supplier *s)
{
	if (r->nrows == 0)
		return (0);
	if (r->nrows != 1 || store_supplier_decode(r, 0, 0, s) == -1)
		return (-1);
	return (1);
}

/*
 * Suppliers in id order after the cursor's id ("" for the first page).
 * Ids are never empty, so "" is before them all.
 */
void
store_supplier_list(struct db_query *q, const struct store_supplier_filter *f,
    const char *after, int limit)
{
	db_query_init(q, "SELECT " SUPPLIER_COLUMNS("") " FROM suppliers "
	    "WHERE ($1::smallint IS NULL OR tier = $1::smallint) "
	    "AND ($2::text IS NULL OR region = $2::text) "
	    "AND ($3::text IS NULL OR sector = $3::text) "
	    "AND id > $4 ORDER BY id LIMIT $5");
	if (f->tier != 0)
		db_query_int64(q, f->tier);
	else
		db_query_null(q);
	db_query_text(q, f->region);
	db_query_text(q, f->sector);
	db_query_text(q, after);
	db_query_int64(q, limit);
}

/* rows: a jsonb array of whole suppliers; taken over by the query. */
void
store_supplier_import(struct db_query *q, struct buf *rows,
    const char *key_id, const char *request_id)
{
	db_query_init(q, "SELECT created, updated "
	    "FROM supplier_import($1::jsonb, $2, $3)");
	db_query_buf(q, rows);
	db_query_text(q, key_id);
	db_query_text(q, request_id);
}

int
store_supplier_import_decode(const struct db_rows *r, int64_t *created,
    int64_t *updated)
{
	if (r->nrows != 1 || r->ncols != 2 ||
	    db_rows_int64(r, 0, 0, created) == -1 ||
	    db_rows_int64(r, 0, 1, updated) == -1)
		return (-1);
	return (0);
}
