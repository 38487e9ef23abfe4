/*
 * Invoices: their rows, the state a transition is computed from, and the
 * calls of the database functions that change them (see store_invoices.h).
 */
#include <string.h>

#include "core/date.h"
#include "core/scheme.h"
#include "store/store.h"
#include "store/store_invoices.h"

#define INVOICE_COLUMNS(t) \
	t ".id, " t ".supplier_id, " t ".amount, " t ".currency, " \
	t ".issue_date, " t ".due_date, " t ".status, " t ".reject_reason, " \
	t ".scheme_id, " t ".advance, " t ".fee, " t ".advanced_on, " \
	t ".paid_on, " STORE_TS(t ".created_at") ", " \
	STORE_TS(t ".updated_at") ", " t ".order_id"

/* Columns col .. col + STORE_INVOICE_NCOLS - 1 of a row. */
int
store_invoice_decode(const struct db_rows *r, int row, int col,
    struct store_invoice *inv)
{
	memset(inv, 0, sizeof(*inv));
	if (r->ncols < col + STORE_INVOICE_NCOLS)
		return (-1);
	inv->id = db_rows_get(r, row, col);
	inv->supplier_id = db_rows_get(r, row, col + 1);
	inv->currency = db_rows_get(r, row, col + 3);
	inv->issue_date = db_rows_get(r, row, col + 4);
	inv->due_date = db_rows_get(r, row, col + 5);
	inv->status = db_rows_get(r, row, col + 6);
	inv->reject_reason = db_rows_get(r, row, col + 7);
	inv->scheme_id = db_rows_get(r, row, col + 8);
	inv->advanced_on = db_rows_get(r, row, col + 11);
	inv->paid_on = db_rows_get(r, row, col + 12);
	inv->created_at = db_rows_get(r, row, col + 13);
	inv->updated_at = db_rows_get(r, row, col + 14);
	inv->order_id = db_rows_get(r, row, col + 15);
	if (inv->id == NULL || db_rows_int64(r, row, col + 2,
	    &inv->amount) == -1 || db_rows_int64(r, row, col + 9,
	    &inv->advance) == -1 || db_rows_int64(r, row, col + 10,
	    &inv->fee) == -1)
		return (-1);
	return (0);
}

/* What the OEM still owes the supplier on this invoice. */
int64_t
store_invoice_outstanding(const struct store_invoice *inv)
{
	if (strcmp(inv->status, "paid") == 0 ||
	    strcmp(inv->status, "rejected") == 0)
		return (0);
	if (strcmp(inv->status, "advanced") == 0)
		return (inv->amount - inv->advance);
	return (inv->amount);
}

void
store_invoice_state(struct db_query *q, const char *invoice,
    const char *scheme)
{
	db_query_init(q, "SELECT h.seq, encode(h.hash, 'hex'), "
	    INVOICE_COLUMNS("i") ", "
	    "s.tier, s.employees, s.scheme_opt_in, "
	    "sc.id, sc.effective_from, sc.advance_rate_bps, "
	    "sc.annual_rate_bps, sc.day_count_basis, sc.fee_bearer, "
	    "array_to_string(sc.eligible_tiers, ','), sc.max_employees, "
	    "sc.min_invoice_amount, sc.requires_opt_in, sc.per_supplier_cap, "
	    "sc.facility_limit, u.used, u.mine, sc.basis, "
	    "o.status, o.prepaid, o.funded, o.prepaid_on, o.scheme_id, "
	    "o.netted, o.true_up, o.true_up_fee, o.owed_back, "
	    "coalesce((SELECT r.balance FROM ledger_accounts r WHERE r.name = "
	    "'receivable:supplier:' || i.supplier_id), 0), i.netted "
	    "FROM ledger_head h "
	    "LEFT JOIN invoices i ON i.id = $1 "
	    "LEFT JOIN orders o ON o.id = i.order_id "
	    "LEFT JOIN suppliers s ON s.id = i.supplier_id "
	    "LEFT JOIN schemes sc ON sc.id = coalesce($2, i.scheme_id, "
	    "o.scheme_id) "
	    "CROSS JOIN LATERAL (SELECT coalesce(-sum(a.balance), 0) AS used, "
	    "coalesce(-sum(a.balance) FILTER "
	    "(WHERE a.supplier_id = i.supplier_id), 0) AS mine "
	    "FROM ledger_accounts a WHERE a.kind = 'funder_payable' "
	    "AND a.scheme_id = coalesce($2, o.scheme_id)) u");
	db_query_text(q, invoice);
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
store_invoice_state_decode(const struct db_rows *r,
    struct store_invoice_state *st)
{
	struct model_scheme	*sc = &st->scheme;
	int			 c = 2 + STORE_INVOICE_NCOLS, dummy;

	memset(st, 0, sizeof(*st));
	if (r->nrows != 1 || r->ncols != c + 29 ||
	    db_rows_int64(r, 0, 0, &st->head_seq) == -1)
		return (-1);
	st->head_hash = db_rows_get(r, 0, 1);
	st->found = db_rows_get(r, 0, 2) != NULL;
	if (!st->found)
		return (0);
	if (store_invoice_decode(r, 0, 2, &st->inv) == -1 ||
	    db_rows_int64(r, 0, c, &st->tier) == -1 ||
	    db_rows_int64(r, 0, c + 1, &st->employees) == -1)
		return (-1);
	st->opt_in = db_rows_bool(r, 0, c + 2);
	st->scheme_found = db_rows_get(r, 0, c + 3) != NULL;
	if (db_rows_int64(r, 0, c + 15, &st->facility_used) == -1 ||
	    db_rows_int64(r, 0, c + 16, &st->supplier_used) == -1 ||
	    db_rows_int64(r, 0, c + 27, &st->owed_back) == -1)
		return (-1);
	if ((st->order_status = db_rows_get(r, 0, c + 18)) != NULL &&
	    (db_rows_int64(r, 0, c + 19, &st->order_prepaid) == -1 ||
	    db_rows_int64(r, 0, c + 20, &st->order_funded) == -1 ||
	    db_rows_int64(r, 0, c + 23, &st->order_netted) == -1 ||
	    db_rows_int64(r, 0, c + 24, &st->order_true_up) == -1 ||
	    db_rows_int64(r, 0, c + 25, &st->order_true_up_fee) == -1 ||
	    db_rows_int64(r, 0, c + 26, &st->order_owed_back) == -1))
		return (-1);
	if (st->found && db_rows_int64(r, 0, c + 28, &st->netted) == -1)
		return (-1);
	st->order_prepaid_on = db_rows_get(r, 0, c + 21);
	st->order_scheme = db_rows_get(r, 0, c + 22);
	if (!st->scheme_found)
		return (0);
	st->effective_from = db_rows_get(r, 0, c + 4);
	st->fee_bearer = db_rows_get(r, 0, c + 8);
	sc->fee_bearer = st->fee_bearer != NULL &&
	    strcmp(st->fee_bearer, "oem") == 0 ? MODEL_FEE_OEM :
	    MODEL_FEE_SUPPLIER;
	sc->requires_opt_in = db_rows_bool(r, 0, c + 12);
	sc->basis = db_rows_get(r, 0, c + 17) != NULL &&
	    strcmp(db_rows_get(r, 0, c + 17), "order") == 0 ?
	    MODEL_BASIS_ORDER : MODEL_BASIS_INVOICE;
	if (db_rows_int64(r, 0, c + 5, &sc->advance_rate_bps) == -1 ||
	    db_rows_int64(r, 0, c + 6, &sc->annual_rate_bps) == -1 ||
	    db_rows_int64(r, 0, c + 7, &sc->day_count_basis) == -1 ||
	    scheme_tiers_parse(db_rows_get(r, 0, c + 9),
	    &sc->eligible_tiers) == -1 ||
	    opt_int64(r, c + 10, &sc->has_max_employees,
	    &sc->max_employees) == -1 ||
	    opt_int64(r, c + 11, &dummy, &sc->min_invoice_amount) == -1 ||
	    opt_int64(r, c + 13, &sc->has_per_supplier_cap,
	    &sc->per_supplier_cap) == -1 ||
	    opt_int64(r, c + 14, &sc->has_facility_limit,
	    &sc->facility_limit) == -1)
		return (-1);
	return (0);
}

/* One invoice; with a supplier id, only if it is that supplier's. */
void
store_invoice_get(struct db_query *q, const char *id, const char *supplier)
{
	db_query_init(q, "SELECT " INVOICE_COLUMNS("i") " FROM invoices i "
	    "WHERE i.id = $1 AND ($2::text IS NULL OR i.supplier_id = $2)");
	db_query_text(q, id);
	db_query_text(q, supplier);
}

void
store_invoice_list(struct db_query *q, const char *supplier,
    const char *status, const char *due_from, const char *due_to,
    const char *after, int limit)
{
	db_query_init(q, "SELECT " INVOICE_COLUMNS("i") " FROM invoices i "
	    "WHERE ($1::text IS NULL OR i.supplier_id = $1) "
	    "AND ($2::text IS NULL OR i.status = $2) "
	    "AND ($3::date IS NULL OR i.due_date >= $3) "
	    "AND ($4::date IS NULL OR i.due_date <= $4) "
	    "AND i.id > $5 ORDER BY i.id LIMIT $6");
	db_query_text(q, supplier);
	db_query_text(q, status);
	db_query_text(q, due_from);
	db_query_text(q, due_to);
	db_query_text(q, after);
	db_query_int64(q, limit);
}

static void	post_params(struct db_query *, const struct store_post *, int);
static void	idem_params(struct db_query *, const struct store_post *);

/* The time, then the postings as three (or four) parallel arrays. */
static void
post_params(struct db_query *q, const struct store_post *p, int invoices)
{
	struct buf	accounts, currencies, amounts, inv;
	size_t		i;

	db_query_text(q, p->at);
	db_array_begin(&accounts);
	db_array_begin(&currencies);
	db_array_begin(&amounts);
	db_array_begin(&inv);
	for (i = 0; p->tx != NULL && i < p->tx->n; i++) {
		db_array_text(&accounts, p->tx->p[i].account);
		db_array_text(&currencies, p->tx->p[i].currency);
		db_array_int64(&amounts, p->tx->p[i].amount);
		if (invoices)
			db_array_text(&inv, p->tx->p[i].invoice);
	}
	db_array_end(&accounts);
	db_array_end(&currencies);
	db_array_end(&amounts);
	db_array_end(&inv);
	db_query_buf(q, &accounts);
	db_query_buf(q, &currencies);
	db_query_buf(q, &amounts);
	if (invoices)
		db_query_buf(q, &inv);
	else
		buf_cleanup(&inv);
}

static void
idem_params(struct db_query *q, const struct store_post *p)
{
	db_query_text(q, p->key_id);
	db_query_text(q, p->idem_key);
	db_query_text(q, p->request_hash);
	db_query_int64(q, p->status);
	db_query_text(q, p->response);
}

/*
 * The payment at maturity ("pay") of an invoice of no order while its
 * supplier owes back, `netted` of it netted, or its reversal
 * ("reverse"), of the invoice as it was read in st.
 */
void
store_invoice_pay_netted(struct db_query *q, const char *op,
    const struct store_invoice_state *st, const char *on, int64_t netted,
    const struct store_post *p)
{
	db_query_init(q, "SELECT invoice_pay_netted($1, $2, $3, $4, $5, $6, "
	    "$7, $8, $9, $10, $11, $12, $13, decode($14, 'hex'), $15, $16)");
	db_query_text(q, op);
	db_query_text(q, st->inv.id);
	db_query_text(q, st->inv.status);
	db_query_int64(q, st->inv.advance);
	db_query_int64(q, st->owed_back);
	db_query_text(q, on);
	db_query_int64(q, netted);
	post_params(q, p, 0);
	idem_params(q, p);
}

/*
 * The same two halves for the other writes that post (orders): the
 * time and the postings, then the Idempotency-Key and its reply.
 */
void
store_post_params(struct db_query *q, const struct store_post *p)
{
	post_params(q, p, 0);
}

void
store_post_idem(struct db_query *q, const struct store_post *p)
{
	idem_params(q, p);
}

/* One row: 'created' or 'same'. */
void
store_invoice_create(struct db_query *q, const char *id, const char *supplier,
    int64_t amount, const char *currency, const char *issue, const char *due,
    const char *status, const struct store_post *p)
{
	db_query_init(q, "SELECT invoice_create($1, $2, $3, $4, $5, $6, $7, "
	    "$8, $9, $10, $11, $12, $13, decode($14, 'hex'), $15, $16)");
	db_query_text(q, id);
	db_query_text(q, supplier);
	db_query_int64(q, amount);
	db_query_text(q, currency);
	db_query_text(q, issue);
	db_query_text(q, due);
	db_query_text(q, status);
	post_params(q, p, 0);
	idem_params(q, p);
}

/*
 * A transition of the invoice `seen`, as it was read: the database
 * refuses it (TD001) if its status, advance, fee or scheme has changed
 * since, as the postings were computed from them.
 */
void
store_invoice_transition(struct db_query *q, const char *op,
    const struct store_invoice *seen, const char *const *from,
    const char *scheme, const char *on, int64_t advance, int64_t fee,
    const struct store_post *p)
{
	struct buf	b;

	db_query_init(q, "SELECT invoice_transition($1, $2, $3, $4, $5, $6, "
	    "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
	    "decode($18, 'hex'), $19, $20)");
	db_query_text(q, op);
	db_query_text(q, seen->id);
	db_array_begin(&b);
	for (; *from != NULL; from++)
		db_array_text(&b, *from);
	db_array_end(&b);
	db_query_buf(q, &b);
	db_query_text(q, seen->status);
	db_query_int64(q, seen->advance);
	db_query_int64(q, seen->fee);
	db_query_text(q, seen->scheme_id);
	db_query_text(q, scheme);
	db_query_text(q, on);
	db_query_int64(q, advance);
	db_query_int64(q, fee);
	post_params(q, p, 0);
	idem_params(q, p);
}

void
store_invoice_reject(struct db_query *q, const char *id, const char *reason,
    const char *at)
{
	db_query_init(q, "SELECT invoice_reject($1, $2, $3)");
	db_query_text(q, id);
	db_query_text(q, reason);
	db_query_text(q, at);
}


/*
 * An import's columns as binary arrays: a million lines are memory copies
 * here and in the server, with no literal to escape, format or parse. The
 * dates were checked by the decoder; one that does not parse is sent as
 * NULL, which the table refuses.
 */
static void
import_date(struct db_binarray *a, const char *s)
{
	int32_t	day;

	if (date_parse(s, &day) == -1)
		db_binarray_null(a);
	else
		db_binarray_date(a, day);
}

static void
import_arrays(struct db_query *q, const struct store_invoice_new *rows,
    const int *skip, int n)
{
	struct db_binarray	ids, sup, amt, iss, due;
	size_t			hint = n > 0 ? (size_t)n : 0;
	int			i;

	db_binarray_begin(&ids, DB_OID_TEXT, hint * 2);
	db_binarray_begin(&sup, DB_OID_TEXT, hint);
	db_binarray_begin(&amt, DB_OID_INT8, hint);
	db_binarray_begin(&iss, DB_OID_DATE, hint);
	db_binarray_begin(&due, DB_OID_DATE, hint);
	for (i = 0; i < n; i++) {
		if (skip != NULL && skip[i])
			continue;
		db_binarray_text(&ids, rows[i].id);
		db_binarray_text(&sup, rows[i].supplier_id);
		db_binarray_int(&amt, rows[i].amount);
		import_date(&iss, rows[i].issue_date);
		import_date(&due, rows[i].due_date);
	}
	db_query_binarray(q, &ids, 0);
	db_query_binarray(q, &sup, 0);
	db_query_binarray(q, &amt, 0);
	db_query_binarray(q, &iss, 0);
	db_query_binarray(q, &due, 0);
}

/*
 * The lines of an import that cannot simply be inserted: (ordinal from 1,
 * supplier known, invoice exists, existing one identical).
 */
void
store_invoice_import_check(struct db_query *q,
    const struct store_invoice_new *rows, int n)
{
	db_query_init(q, "SELECT u.n, s.id IS NOT NULL, i.id IS NOT NULL, "
	    "coalesce(i.supplier_id = u.supplier AND i.amount = u.amount AND "
	    "i.issue_date = u.issue AND i.due_date = u.due AND "
	    "i.status IN ('approved', 'advanced', 'paid'), false) "
	    "FROM unnest($1::text[], $2::text[], $3::bigint[], $4::date[], "
	    "$5::date[]) WITH ORDINALITY AS u(id, supplier, amount, issue, "
	    "due, n) "
	    "LEFT JOIN suppliers s ON s.id = u.supplier "
	    "LEFT JOIN invoices i ON i.id = u.id "
	    "WHERE s.id IS NULL OR i.id IS NOT NULL ORDER BY u.n");
	import_arrays(q, rows, NULL, n);
}

void
store_invoice_import(struct db_query *q, const struct store_invoice_new *rows,
    const int *skip, int n, const char *currency, const struct store_post *p)
{
	db_query_init(q, "SELECT invoice_import($1, $2, $3, $6, $4, $5, $7, "
	    "$8, $9, $10, $11, $12, $13, decode($14, 'hex'), $15, $16)");
	import_arrays(q, rows, skip, n);
	db_query_text(q, currency);
	post_params(q, p, 1);
	idem_params(q, p);
}
