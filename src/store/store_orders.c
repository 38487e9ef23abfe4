/*
 * Purchase orders: their rows, the state a prepayment is computed from,
 * and the calls of the database functions that change them (see
 * store_orders.h).
 */
#include <string.h>

#include "core/scheme.h"
#include "store/store.h"
#include "store/store_orders.h"

#define ORDER_COLUMNS(t) \
	t ".id, " t ".supplier_id, " t ".amount, " t ".currency, " \
	t ".order_date, " t ".delivery_date, " t ".status, " t ".scheme_id, " \
	t ".prepaid, " t ".prepaid_fee, " t ".prepaid_on, " \
	t ".expected_due, " t ".invoice_id, " t ".true_up, " \
	t ".true_up_fee, " t ".true_up_on, " t ".netted, " t ".owed_back, " \
	t ".funded, " t ".settled_on, " STORE_TS(t ".created_at") ", " \
	STORE_TS(t ".updated_at")

/* Columns col .. col + STORE_ORDER_NCOLS - 1 of a row. */
int
store_order_decode(const struct db_rows *r, int row, int col,
    struct store_order *o)
{
	memset(o, 0, sizeof(*o));
	if (r->ncols < col + STORE_ORDER_NCOLS)
		return (-1);
	o->id = db_rows_get(r, row, col);
	o->supplier_id = db_rows_get(r, row, col + 1);
	o->currency = db_rows_get(r, row, col + 3);
	o->order_date = db_rows_get(r, row, col + 4);
	o->delivery_date = db_rows_get(r, row, col + 5);
	o->status = db_rows_get(r, row, col + 6);
	o->scheme_id = db_rows_get(r, row, col + 7);
	o->prepaid_on = db_rows_get(r, row, col + 10);
	o->expected_due = db_rows_get(r, row, col + 11);
	o->invoice_id = db_rows_get(r, row, col + 12);
	o->true_up_on = db_rows_get(r, row, col + 15);
	o->settled_on = db_rows_get(r, row, col + 19);
	o->created_at = db_rows_get(r, row, col + 20);
	o->updated_at = db_rows_get(r, row, col + 21);
	if (o->id == NULL || o->status == NULL ||
	    db_rows_int64(r, row, col + 2, &o->amount) == -1 ||
	    db_rows_int64(r, row, col + 8, &o->prepaid) == -1 ||
	    db_rows_int64(r, row, col + 9, &o->prepaid_fee) == -1 ||
	    db_rows_int64(r, row, col + 13, &o->true_up) == -1 ||
	    db_rows_int64(r, row, col + 14, &o->true_up_fee) == -1 ||
	    db_rows_int64(r, row, col + 16, &o->netted) == -1 ||
	    db_rows_int64(r, row, col + 17, &o->owed_back) == -1 ||
	    db_rows_int64(r, row, col + 18, &o->funded) == -1)
		return (-1);
	return (0);
}

/* One order; with a supplier id, only if it is that supplier's. */
void
store_order_get(struct db_query *q, const char *id, const char *supplier)
{
	db_query_init(q, "SELECT " ORDER_COLUMNS("o") " FROM orders o "
	    "WHERE o.id = $1 AND ($2::text IS NULL OR o.supplier_id = $2)");
	db_query_text(q, id);
	db_query_text(q, supplier);
}

void
store_order_list(struct db_query *q, const char *supplier,
    const char *status, const char *after, int limit)
{
	db_query_init(q, "SELECT " ORDER_COLUMNS("o") " FROM orders o "
	    "WHERE ($1::text IS NULL OR o.supplier_id = $1) "
	    "AND ($2::text IS NULL OR o.status = $2) "
	    "AND o.id > $3 ORDER BY o.id LIMIT $4");
	db_query_text(q, supplier);
	db_query_text(q, status);
	db_query_text(q, after);
	db_query_int64(q, limit);
}

/* One row: 'created' or 'same'. */
void
store_order_create(struct db_query *q, const char *id, const char *supplier,
    int64_t amount, const char *currency, const char *order_date,
    const char *delivery_date, const char *at)
{
	db_query_init(q, "SELECT order_create($1, $2, $3, $4, $5, $6, $7)");
	db_query_text(q, id);
	db_query_text(q, supplier);
	db_query_int64(q, amount);
	db_query_text(q, currency);
	db_query_text(q, order_date);
	db_query_text(q, delivery_date);
	db_query_text(q, at);
}

/*
 * The order, its supplier, the scheme and what the scheme's funder has
 * outstanding, in total and with this supplier: a prepayment decides on
 * these alone.
 */
void
store_order_state(struct db_query *q, const char *order, const char *scheme)
{
	db_query_init(q, "SELECT " ORDER_COLUMNS("o") ", "
	    "s.tier, s.employees, s.scheme_opt_in, s.payment_terms_days, "
	    "sc.id, sc.basis, sc.effective_from, sc.advance_rate_bps, "
	    "sc.annual_rate_bps, sc.day_count_basis, sc.fee_bearer, "
	    "array_to_string(sc.eligible_tiers, ','), sc.max_employees, "
	    "sc.min_invoice_amount, sc.requires_opt_in, sc.per_supplier_cap, "
	    "sc.facility_limit, u.used, u.mine "
	    "FROM orders o "
	    "JOIN suppliers s ON s.id = o.supplier_id "
	    "LEFT JOIN schemes sc ON sc.id = coalesce($2, o.scheme_id) "
	    "CROSS JOIN LATERAL (SELECT coalesce(-sum(a.balance), 0) AS used, "
	    "coalesce(-sum(a.balance) FILTER "
	    "(WHERE a.supplier_id = o.supplier_id), 0) AS mine "
	    "FROM ledger_accounts a WHERE a.kind = 'funder_payable' "
	    "AND a.scheme_id = coalesce($2, o.scheme_id)) u WHERE o.id = $1");
	db_query_text(q, order);
	db_query_text(q, scheme);
}

static int
opt_int64(const struct db_rows *r, int col, int *has, int64_t *v)
{
	*has = db_rows_get(r, 0, col) != NULL;
	*v = 0;
	return (*has ? db_rows_int64(r, 0, col, v) : 0);
}

int
store_order_state_decode(const struct db_rows *r,
    struct store_order_state *st)
{
	struct model_scheme	*sc = &st->scheme;
	int			 c = STORE_ORDER_NCOLS, dummy;

	memset(st, 0, sizeof(*st));
	if (r->nrows == 0)
		return (0);
	if (r->nrows != 1 || r->ncols != c + 19 ||
	    store_order_decode(r, 0, 0, &st->ord) == -1 ||
	    db_rows_int64(r, 0, c, &st->tier) == -1 ||
	    db_rows_int64(r, 0, c + 1, &st->employees) == -1 ||
	    db_rows_int64(r, 0, c + 3, &st->payment_terms_days) == -1 ||
	    db_rows_int64(r, 0, c + 17, &st->facility_used) == -1 ||
	    db_rows_int64(r, 0, c + 18, &st->supplier_used) == -1)
		return (-1);
	st->found = 1;
	st->opt_in = db_rows_bool(r, 0, c + 2);
	st->scheme_found = db_rows_get(r, 0, c + 4) != NULL;
	if (!st->scheme_found)
		return (0);
	st->basis = db_rows_get(r, 0, c + 5);
	st->effective_from = db_rows_get(r, 0, c + 6);
	st->fee_bearer = db_rows_get(r, 0, c + 10);
	sc->fee_bearer = st->fee_bearer != NULL &&
	    strcmp(st->fee_bearer, "oem") == 0 ? MODEL_FEE_OEM :
	    MODEL_FEE_SUPPLIER;
	sc->requires_opt_in = db_rows_bool(r, 0, c + 14);
	if (st->basis == NULL ||
	    db_rows_int64(r, 0, c + 7, &sc->advance_rate_bps) == -1 ||
	    db_rows_int64(r, 0, c + 8, &sc->annual_rate_bps) == -1 ||
	    db_rows_int64(r, 0, c + 9, &sc->day_count_basis) == -1 ||
	    scheme_tiers_parse(db_rows_get(r, 0, c + 11),
	    &sc->eligible_tiers) == -1 ||
	    opt_int64(r, c + 12, &sc->has_max_employees,
	    &sc->max_employees) == -1 ||
	    opt_int64(r, c + 13, &dummy, &sc->min_invoice_amount) == -1 ||
	    opt_int64(r, c + 15, &sc->has_per_supplier_cap,
	    &sc->per_supplier_cap) == -1 ||
	    opt_int64(r, c + 16, &sc->has_facility_limit,
	    &sc->facility_limit) == -1)
		return (-1);
	return (0);
}

/*
 * The prepayment of the order `seen`, as it was read: the database
 * refuses it (TD001) if the order's status has changed since.
 */
void
store_order_prepay(struct db_query *q, const struct store_order *seen,
    const char *scheme, const char *on, const char *expected_due,
    int64_t advance, int64_t fee, const struct store_post *p)
{
	db_query_init(q, "SELECT order_prepay($1, $2, $3, $4, $5, $6, $7, "
	    "$8, $9, $10, $11, $12, $13, decode($14, 'hex'), $15, $16)");
	db_query_text(q, seen->id);
	db_query_text(q, seen->status);
	db_query_text(q, scheme);
	db_query_text(q, on);
	db_query_text(q, expected_due);
	db_query_int64(q, advance);
	db_query_int64(q, fee);
	store_post_params(q, p);
	store_post_idem(q, p);
}

/* The reversal of the prepayment of the order `seen`, as it was read. */
void
store_order_prepay_reverse(struct db_query *q, const struct store_order *seen,
    const struct store_post *p)
{
	db_query_init(q, "SELECT order_prepay_reverse($1, $2, $3, $4, $5, $6, "
	    "$7, $8, decode($9, 'hex'), $10, $11)");
	db_query_text(q, seen->id);
	db_query_text(q, seen->status);
	store_post_params(q, p);
	store_post_idem(q, p);
}

/* One row: 'created' or 'same'. */
void
store_order_invoice_create(struct db_query *q, const char *id,
    const char *supplier, int64_t amount, const char *currency,
    const char *issue, const char *due, const char *status,
    const char *order, const struct store_post *p)
{
	db_query_init(q, "SELECT order_invoice_create($1, $2, $3, $4, $5, $6, "
	    "$7, $8, $9, $10, $11, $12, $13, $14, decode($15, 'hex'), $16, "
	    "$17)");
	db_query_text(q, id);
	db_query_text(q, supplier);
	db_query_int64(q, amount);
	db_query_text(q, currency);
	db_query_text(q, issue);
	db_query_text(q, due);
	db_query_text(q, status);
	db_query_text(q, order);
	store_post_params(q, p);
	store_post_idem(q, p);
}

/*
 * The true-up ("true_up") or maturity payment ("pay") of an order's
 * invoice as it was read in st: the invoice's new advance, the true-up's
 * fee and funded amount, what was netted and what is now owed back on
 * the order.
 */
void
store_order_invoice_settle(struct db_query *q, const char *op,
    const struct store_invoice_state *st, const char *on, int64_t advance,
    int64_t fee, int64_t true_up, int64_t netted, int64_t owed,
    const struct store_post *p)
{
	db_query_init(q, "SELECT order_invoice_settle($1, $2, $3, $4, $5, $6, "
	    "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
	    "decode($20, 'hex'), $21, $22)");
	db_query_text(q, op);
	db_query_text(q, st->inv.id);
	db_query_text(q, st->inv.status);
	db_query_int64(q, st->inv.advance);
	db_query_text(q, st->order_status);
	db_query_int64(q, st->order_funded);
	db_query_int64(q, st->owed_back);
	db_query_text(q, on);
	db_query_int64(q, advance);
	db_query_int64(q, fee);
	db_query_int64(q, true_up);
	db_query_int64(q, netted);
	db_query_int64(q, owed);
	store_post_params(q, p);
	store_post_idem(q, p);
}
