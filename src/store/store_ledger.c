/*
 * The journal: its head, accounts, transactions, postings and totals
 * (see store_ledger.h).
 */
#include <string.h>

#include "store/store.h"
#include "store/store_ledger.h"

void
store_ledger_head(struct db_query *q)
{
	db_query_init(q, "SELECT seq, encode(hash, 'hex') FROM ledger_head");
}

/* The head, and the currency of the supplier (NULL: no such supplier). */
void
store_ledger_head_supplier(struct db_query *q, const char *supplier)
{
	db_query_init(q, "SELECT h.seq, encode(h.hash, 'hex'), s.currency "
	    "FROM ledger_head h LEFT JOIN suppliers s ON s.id = $1");
	db_query_text(q, supplier);
}
#define ACCOUNT_COLUMNS \
	"name, kind, supplier_id, scheme_id, currency, balance"

void
store_account_list(struct db_query *q, const char *after, int limit)
{
	db_query_init(q, "SELECT " ACCOUNT_COLUMNS " FROM ledger_accounts "
	    "WHERE name > $1 ORDER BY name LIMIT $2");
	db_query_text(q, after);
	db_query_int64(q, limit);
}

void
store_account_get(struct db_query *q, const char *name)
{
	db_query_init(q, "SELECT " ACCOUNT_COLUMNS " FROM ledger_accounts "
	    "WHERE name = $1");
	db_query_text(q, name);
}

int
store_account_decode(const struct db_rows *r, int row,
    struct store_account *a)
{
	memset(a, 0, sizeof(*a));
	if (r->ncols != 6 || db_rows_int64(r, row, 5, &a->balance) == -1)
		return (-1);
	a->name = db_rows_get(r, row, 0);
	a->kind = db_rows_get(r, row, 1);
	a->supplier_id = db_rows_get(r, row, 2);
	a->scheme_id = db_rows_get(r, row, 3);
	a->currency = db_rows_get(r, row, 4);
	return (a->name == NULL ? -1 : 0);
}

/*
 * Transactions after seq `after` up to `upto` (0: no bound), oldest
 * first; with an account, only those that post to it.
 */
void
store_tx_list(struct db_query *q, const char *account, int64_t after,
    int64_t upto, int limit)
{
	db_query_init(q, "SELECT t.seq, t.kind, t.invoice_id, t.scheme_id, "
	    "t.effective_on, " STORE_TS("t.at") ", "
	    "encode(t.prev_hash, 'hex'), encode(t.hash, 'hex'), "
	    "(SELECT count(*) FROM ledger_postings p WHERE p.tx_seq = t.seq), "
	    "t.seal, t.order_id FROM ledger_transactions t WHERE t.seq > $1 "
	    "AND ($2::bigint = 0 OR t.seq <= $2::bigint) "
	    "AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM ledger_postings p "
	    "WHERE p.tx_seq = t.seq AND p.account = $3)) "
	    "ORDER BY t.seq LIMIT $4");
	db_query_int64(q, after);
	db_query_int64(q, upto);
	db_query_text(q, account);
	db_query_int64(q, limit);
}

int
store_tx_decode(const struct db_rows *r, int row, struct store_tx *t)
{
	memset(t, 0, sizeof(*t));
	if (r->ncols != 11 || db_rows_int64(r, row, 0, &t->seq) == -1 ||
	    db_rows_int64(r, row, 8, &t->postings) == -1 ||
	    db_rows_int64(r, row, 9, &t->seal) == -1)
		return (-1);
	t->kind = db_rows_get(r, row, 1);
	t->invoice_id = db_rows_get(r, row, 2);
	t->scheme_id = db_rows_get(r, row, 3);
	t->effective_on = db_rows_get(r, row, 4);
	t->at = db_rows_get(r, row, 5);
	t->prev_hash = db_rows_get(r, row, 6);
	t->hash = db_rows_get(r, row, 7);
	t->order_id = db_rows_get(r, row, 10);
	return (t->kind == NULL || t->hash == NULL ? -1 : 0);
}

/*
 * Postings of the transactions after `after` up to `upto`, in order; at
 * most per_tx of each (0: all of them, for the chain check).
 */
void
store_posting_list(struct db_query *q, int64_t after, int64_t upto,
    int per_tx)
{
	db_query_init(q, "SELECT tx_seq, account, currency, amount, "
	    "invoice_id FROM ledger_postings WHERE tx_seq > $1 "
	    "AND tx_seq <= $2 AND ($3::bigint = 0 OR n < $3::bigint) "
	    "ORDER BY tx_seq, n");
	db_query_int64(q, after);
	db_query_int64(q, upto);
	db_query_int64(q, per_tx);
}

/* The same, for the transactions listed (a page of a filtered list). */
void
store_posting_list_of(struct db_query *q, const int64_t *seqs, int n,
    int per_tx)
{
	struct buf	b;
	int		i;

	db_query_init(q, "SELECT tx_seq, account, currency, amount, "
	    "invoice_id FROM ledger_postings WHERE tx_seq = ANY ($1::bigint[]) "
	    "AND ($2::bigint = 0 OR n < $2::bigint) "
	    "ORDER BY tx_seq, n");
	db_array_begin(&b);
	for (i = 0; i < n; i++)
		db_array_int64(&b, seqs[i]);
	db_array_end(&b);
	db_query_buf(q, &b);
	db_query_int64(q, per_tx);
}

int
store_posting_decode(const struct db_rows *r, int row,
    struct store_posting *p)
{
	memset(p, 0, sizeof(*p));
	if (r->ncols != 5 || db_rows_int64(r, row, 0, &p->tx_seq) == -1 ||
	    db_rows_int64(r, row, 3, &p->amount) == -1)
		return (-1);
	p->account = db_rows_get(r, row, 1);
	p->currency = db_rows_get(r, row, 2);
	p->invoice_id = db_rows_get(r, row, 4);
	return (p->account == NULL || p->currency == NULL ? -1 : 0);
}

/*
 * What verify checks besides the chain, in one snapshot: accounts whose
 * stored balance differs from their postings, currencies whose balances
 * do not sum to zero, and postings to accounts that do not exist.
 */
void
store_ledger_totals(struct db_query *q)
{
	db_query_init(q, "SELECT "
	    "(SELECT count(*) FROM ledger_accounts a LEFT JOIN "
	    "(SELECT account, sum(amount) AS s FROM ledger_postings "
	    "GROUP BY account) p ON p.account = a.name "
	    "WHERE a.balance <> coalesce(p.s, 0)), "
	    "(SELECT count(*) FROM (SELECT currency FROM ledger_accounts "
	    "GROUP BY currency HAVING sum(balance) <> 0) c), "
	    "(SELECT count(*) FROM ledger_postings p WHERE NOT EXISTS "
	    "(SELECT 1 FROM ledger_accounts a WHERE a.name = p.account))");
}
