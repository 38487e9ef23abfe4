/*
 * The journal: the SQL behind /v1/ledger (its head, accounts,
 * transactions, postings and totals).
 */
#ifndef STORE_LEDGER_H
#define STORE_LEDGER_H

#include <stdint.h>

#include "store/db.h"

struct store_account {
	const char	*name;
	const char	*kind;
	const char	*supplier_id;
	const char	*scheme_id;
	const char	*currency;
	int64_t		 balance;
};

/* A journal transaction's stored fields. */
struct store_tx {
	int64_t		 seq;
	const char	*kind;
	const char	*invoice_id;
	const char	*order_id;	/* NULL: names no order */
	const char	*scheme_id;
	const char	*effective_on;
	const char	*at;
	const char	*prev_hash;
	const char	*hash;
	int64_t		 postings;
	int64_t		 seal;		/* how it was sealed: journal.h */
};

struct store_posting {
	int64_t		 tx_seq;
	const char	*account;
	const char	*currency;
	int64_t		 amount;
	const char	*invoice_id;
};

void	store_ledger_head(struct db_query *);
void	store_ledger_head_supplier(struct db_query *, const char *);
void	store_account_list(struct db_query *, const char *, int);
void	store_account_get(struct db_query *, const char *);
int	store_account_decode(const struct db_rows *, int,
	    struct store_account *);
void	store_tx_list(struct db_query *, const char *, int64_t, int64_t, int);
int	store_tx_decode(const struct db_rows *, int, struct store_tx *);
void	store_posting_list(struct db_query *, int64_t, int64_t, int);
void	store_posting_list_of(struct db_query *, const int64_t *, int, int);
int	store_posting_decode(const struct db_rows *, int,
	    struct store_posting *);
void	store_ledger_totals(struct db_query *);

#endif
