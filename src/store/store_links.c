/*
 * Links (see store_links.h).
 */
#include <string.h>

#include "store/store.h"
#include "store/store_links.h"

/* A link's columns, in store_link_decode's order, from alias p. */
#define LINK_COLUMNS(p) \
	p "supplier_id, " p "customer_id, " p "daily_sales, " \
	p "payment_terms_days, " STORE_TS(p "created_at") ", " \
	STORE_TS(p "updated_at")

#define LINK_NCOLS	6

static const struct {
	const char		*name;
	enum store_link_put	 outcome;
} outcomes[] = {
	{ "created", STORE_LINK_CREATED },
	{ "replaced", STORE_LINK_REPLACED },
	{ "identical", STORE_LINK_IDENTICAL },
	{ "no_supplier", STORE_LINK_NO_SUPPLIER },
	{ "no_customer", STORE_LINK_NO_CUSTOMER },
};

/* The row at columns col.. col + LINK_NCOLS - 1. */
static int
link_decode(const struct db_rows *r, int row, int col, struct store_link *l)
{
	memset(l, 0, sizeof(*l));
	if (r->ncols < col + LINK_NCOLS)
		return (-1);
	l->supplier_id = db_rows_get(r, row, col);
	l->customer_id = db_rows_get(r, row, col + 1);
	l->created_at = db_rows_get(r, row, col + 4);
	l->updated_at = db_rows_get(r, row, col + 5);
	if (l->supplier_id == NULL || l->customer_id == NULL ||
	    l->created_at == NULL || l->updated_at == NULL ||
	    db_rows_int64(r, row, col + 2, &l->daily_sales) == -1 ||
	    db_rows_int64(r, row, col + 3, &l->payment_terms_days) == -1)
		return (-1);
	return (0);
}

/* Create or replace one link; key_id and request_id go into its history. */
void
store_link_put(struct db_query *q, const char *supplier, const char *customer,
    int64_t daily_sales, int64_t terms, const char *key_id,
    const char *request_id)
{
	db_query_init(q, "SELECT p.outcome, " LINK_COLUMNS("(p.link).")
	    " FROM link_put($1, $2, $3::bigint, $4::integer, $5, $6) p");
	db_query_text(q, supplier);
	db_query_text(q, customer);
	db_query_int64(q, daily_sales);
	db_query_int64(q, terms);
	db_query_text(q, key_id);
	db_query_text(q, request_id);
}

/* The link is set unless the outcome is no supplier or no customer. */
int
store_link_put_decode(const struct db_rows *r, enum store_link_put *outcome,
    struct store_link *l)
{
	const char	*s;
	size_t		 i;

	memset(l, 0, sizeof(*l));
	if (r->nrows != 1 || r->ncols != 1 + LINK_NCOLS ||
	    (s = db_rows_get(r, 0, 0)) == NULL)
		return (-1);
	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
		if (strcmp(s, outcomes[i].name) == 0)
			break;
	}
	if (i == sizeof(outcomes) / sizeof(outcomes[0]))
		return (-1);
	*outcome = outcomes[i].outcome;
	if (*outcome == STORE_LINK_NO_SUPPLIER ||
	    *outcome == STORE_LINK_NO_CUSTOMER)
		return (0);
	return (link_decode(r, 0, 1, l));
}

void
store_link_delete(struct db_query *q, const char *supplier,
    const char *customer, const char *key_id, const char *request_id)
{
	db_query_init(q, "SELECT link_delete($1, $2, $3, $4)");
	db_query_text(q, supplier);
	db_query_text(q, customer);
	db_query_text(q, key_id);
	db_query_text(q, request_id);
}

/* 1: deleted, 0: no such link, -1: not the rows asked for. */
int
store_link_delete_decode(const struct db_rows *r)
{
	if (r->nrows != 1 || r->ncols != 1 || db_rows_get(r, 0, 0) == NULL)
		return (-1);
	return (db_rows_bool(r, 0, 0));
}

/* rows: a jsonb array of links with their lines; taken over by the query. */
void
store_link_import(struct db_query *q, struct buf *rows, const char *key_id,
    const char *request_id)
{
	db_query_init(q, "SELECT o_line, o_field, o_created, o_updated "
	    "FROM link_import($1::jsonb, $2, $3)");
	db_query_buf(q, rows);
	db_query_text(q, key_id);
	db_query_text(q, request_id);
}

/*
 * 1: written, with the counts; 0: nothing written, each row an end that
 * names no supplier (store_link_import_unknown); -1: not the rows asked
 * for.
 */
int
store_link_import_decode(const struct db_rows *r, int64_t *created,
    int64_t *updated)
{
	if (r->nrows < 1 || r->ncols != 4)
		return (-1);
	if (db_rows_get(r, 0, 0) != NULL)
		return (0);
	if (r->nrows != 1 || db_rows_int64(r, 0, 2, created) == -1 ||
	    db_rows_int64(r, 0, 3, updated) == -1)
		return (-1);
	return (1);
}

/* Row i of an import refused: the line and the field that names nobody. */
int
store_link_import_unknown(const struct db_rows *r, int i, int *line,
    const char **field)
{
	int64_t	n;

	if (i >= r->nrows || db_rows_int64(r, i, 0, &n) == -1 || n < 1 ||
	    n > 0x7fffffff || (*field = db_rows_get(r, i, 1)) == NULL)
		return (-1);
	*line = (int)n;
	return (0);
}

/*
 * Every link in pair order after the cursor's pair ("" and "" for the
 * first page: ids are never empty), filtered by either end and by the
 * seller's tier.
 */
void
store_link_list(struct db_query *q, const struct store_link_filter *f,
    const char *after_supplier, const char *after_customer, int limit)
{
	db_query_init(q, "SELECT " LINK_COLUMNS("l.") " FROM links l "
	    "JOIN suppliers s ON s.id = l.supplier_id "
	    "WHERE ($1::text IS NULL OR l.supplier_id = $1::text) "
	    "AND ($2::text IS NULL OR l.customer_id = $2::text) "
	    "AND ($3::smallint IS NULL OR s.tier = $3::smallint) "
	    "AND (l.supplier_id, l.customer_id) > ($4, $5) "
	    "ORDER BY l.supplier_id, l.customer_id LIMIT $6");
	db_query_text(q, f->supplier_id);
	db_query_text(q, f->customer_id);
	if (f->tier != 0)
		db_query_int64(q, f->tier);
	else
		db_query_null(q);
	db_query_text(q, after_supplier);
	db_query_text(q, after_customer);
	db_query_int64(q, limit);
}

int
store_link_decode(const struct db_rows *r, int row, struct store_link *l)
{
	return (link_decode(r, row, 0, l));
}

/*
 * One firm's links as seller (its customers) or as customer (its
 * suppliers), in the other end's id order after the cursor's. The firm
 * itself is always the first column: no row at all means no such firm,
 * and one row without a link (the rest NULL) a firm with none here.
 */
void
store_link_of(struct db_query *q, const char *id, int which,
    const char *after, int limit)
{
	if (which == STORE_LINK_CUSTOMERS)
		db_query_init(q, "SELECT me.id, l.customer_id, o.name, "
		    "l.daily_sales, l.payment_terms_days FROM suppliers me "
		    "LEFT JOIN links l ON l.supplier_id = me.id "
		    "AND l.customer_id > $2 "
		    "LEFT JOIN suppliers o ON o.id = l.customer_id "
		    "WHERE me.id = $1 ORDER BY l.customer_id LIMIT $3");
	else
		db_query_init(q, "SELECT l.supplier_id, me.id, o.name, "
		    "l.daily_sales, l.payment_terms_days FROM suppliers me "
		    "LEFT JOIN links l ON l.customer_id = me.id "
		    "AND l.supplier_id > $2 "
		    "LEFT JOIN suppliers o ON o.id = l.supplier_id "
		    "WHERE me.id = $1 ORDER BY l.supplier_id LIMIT $3");
	db_query_text(q, id);
	db_query_text(q, after);
	db_query_int64(q, limit);
}

/*
 * Row i of a firm's list: 1 with the link, 0 when the row holds none
 * (the firm has no link here), -1 when it does not decode.
 */
int
store_link_of_decode(const struct db_rows *r, int row, struct store_link *l)
{
	memset(l, 0, sizeof(*l));
	if (r->ncols != 5 || row >= r->nrows)
		return (-1);
	l->supplier_id = db_rows_get(r, row, 0);
	l->customer_id = db_rows_get(r, row, 1);
	l->name = db_rows_get(r, row, 2);
	if (l->supplier_id == NULL || l->customer_id == NULL)
		return (0);
	if (l->name == NULL ||
	    db_rows_int64(r, row, 3, &l->daily_sales) == -1 ||
	    db_rows_int64(r, row, 4, &l->payment_terms_days) == -1)
		return (-1);
	return (1);
}
