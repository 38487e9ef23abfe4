/*
 * Invoices: the SQL behind /v1/invoices and its bulk import. Writes are
 * calls of the database functions in sql/0015_seal_in_db.sql, each one
 * statement, so a state change and its postings commit together, and the
 * database seals the journal transaction under the chain lock.
 */
#ifndef STORE_INVOICES_H
#define STORE_INVOICES_H

#include <stdint.h>

#include "core/journal.h"
#include "core/model.h"
#include "store/db.h"

/*
 * An invoice is its supplier's number; id is its global id, what the
 * journal names (sql/0021_invoice_numbers.sql): the number itself for an
 * invoice of before numbers were per supplier, else supplier~number.
 */
#define STORE_INVOICE_REF_MAX	(2 * 64 + 1)

struct store_invoice {
	const char	*id;		/* global */
	const char	*supplier_id;
	int64_t		 amount;
	const char	*currency;
	const char	*issue_date;
	const char	*due_date;
	const char	*status;
	const char	*reject_reason;
	const char	*scheme_id;
	int64_t		 advance;
	int64_t		 fee;
	const char	*advanced_on;
	const char	*paid_on;
	const char	*created_at;
	const char	*updated_at;
	const char	*order_id;	/* NULL: not an order's invoice */
	const char	*number;	/* the supplier's; NULL: id */
};

#define STORE_INVOICE_NCOLS	17

/* What a transition needs, read in one statement. */
struct store_invoice_state {
	int64_t			 head_seq;
	const char		*head_hash;
	int			 found;
	struct store_invoice	 inv;
	int64_t			 tier;
	int64_t			 employees;
	int			 opt_in;
	int			 scheme_found;
	const char		*effective_from;	/* YYYY-MM-DD */
	const char		*fee_bearer;
	/*
	 * The scheme's terms and rules as the engine holds them, but for
	 * effective_from, which is the text above (like the invoice's
	 * dates), and payment_lag_days, which no transition reads.
	 */
	struct model_scheme	 scheme;
	int64_t			 facility_used;
	int64_t			 supplier_used;
	/* An order's invoice: its order as it was read. */
	const char		*order_status;
	const char		*order_scheme;
	int64_t			 order_prepaid;
	int64_t			 order_funded;
	const char		*order_prepaid_on;
	/* What its true-up or payment posted, for a reversal. */
	int64_t			 order_netted;
	int64_t			 order_true_up;
	int64_t			 order_true_up_fee;
	int64_t			 order_owed_back;
	int64_t			 owed_back;	/* by the supplier */
	int64_t			 netted;	/* from it, at its payment */
};

/* A new invoice of an import. */
struct store_invoice_new {
	const char	*id;		/* its number */
	const char	*supplier_id;
	int64_t		 amount;
	const char	*issue_date;
	const char	*due_date;
	const char	*global_id;	/* supplier~number */
};

/* The posting half every write shares; the database seals it. */
struct store_post {
	const char		*at;
	const struct journal_tx	*tx;
	const char		*key_id;
	const char		*idem_key;
	const char		*request_hash;
	int			 status;
	const char		*response;
};

int	store_invoice_decode(const struct db_rows *, int, int,
	    struct store_invoice *);
int64_t	store_invoice_outstanding(const struct store_invoice *);

void	store_invoice_state(struct db_query *, const char *, const char *,
	    const char *);
int	store_invoice_state_decode(const struct db_rows *,
	    struct store_invoice_state *);
void	store_invoice_get(struct db_query *, const char *, const char *);
void	store_invoice_list(struct db_query *, const char *, const char *,
	    const char *, const char *, const char *, int);
void	store_invoice_create(struct db_query *, const char *, const char *,
	    int64_t, const char *, const char *, const char *, const char *,
	    const struct store_post *);
void	store_invoice_transition(struct db_query *, const char *,
	    const struct store_invoice *, const char *const *, const char *,
	    const char *, int64_t, int64_t, const struct store_post *);
void	store_invoice_reject(struct db_query *, const char *, const char *,
	    const char *, const char *);
void	store_invoice_import_check(struct db_query *,
	    const struct store_invoice_new *, int);
void	store_invoice_pay_netted(struct db_query *, const char *,
	    const struct store_invoice_state *, const char *, int64_t,
	    const struct store_post *);
void	store_post_params(struct db_query *, const struct store_post *);
void	store_post_idem(struct db_query *, const struct store_post *);
void	store_invoice_import(struct db_query *,
	    const struct store_invoice_new *, const int *, int, const char *,
	    const struct store_post *);

#endif
