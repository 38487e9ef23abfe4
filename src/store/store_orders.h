/*
 * Purchase orders: the SQL behind /v1/orders and the prepayment of an
 * order. Writes are calls of the database functions in
 * sql/0017_orders.sql, each one statement, so an order's change and its
 * journal transaction commit together, sealed under the chain lock.
 */
#ifndef STORE_ORDERS_H
#define STORE_ORDERS_H

#include <stdint.h>

#include "core/model.h"
#include "store/db.h"
#include "store/store_invoices.h"

struct store_order {
	const char	*id;
	const char	*supplier_id;
	int64_t		 amount;
	const char	*currency;
	const char	*order_date;
	const char	*delivery_date;
	const char	*status;	/* open, prepaid, invoiced, settled */
	const char	*scheme_id;
	int64_t		 prepaid;
	int64_t		 prepaid_fee;
	const char	*prepaid_on;
	const char	*expected_due;
	const char	*invoice_id;
	int64_t		 true_up;
	int64_t		 true_up_fee;
	const char	*true_up_on;
	int64_t		 netted;
	int64_t		 owed_back;
	int64_t		 funded;
	const char	*settled_on;
	const char	*created_at;
	const char	*updated_at;
};

#define STORE_ORDER_NCOLS	22

/* What a prepayment needs, read in one statement. */
struct store_order_state {
	int			 found;
	struct store_order	 ord;
	int64_t			 tier;
	int64_t			 employees;
	int			 opt_in;
	int64_t			 payment_terms_days;
	int			 scheme_found;
	const char		*basis;		/* "invoice" or "order" */
	const char		*effective_from;
	const char		*fee_bearer;
	struct model_scheme	 scheme;	/* as store_invoice_state's */
	int64_t			 facility_used;
	int64_t			 supplier_used;
};

int	store_order_decode(const struct db_rows *, int, int,
	    struct store_order *);
void	store_order_get(struct db_query *, const char *, const char *);
void	store_order_list(struct db_query *, const char *, const char *,
	    const char *, int);
void	store_order_create(struct db_query *, const char *, const char *,
	    int64_t, const char *, const char *, const char *, const char *);
void	store_order_state(struct db_query *, const char *, const char *);
int	store_order_state_decode(const struct db_rows *,
	    struct store_order_state *);
void	store_order_prepay(struct db_query *, const struct store_order *,
	    const char *, const char *, const char *, int64_t, int64_t,
	    const struct store_post *);
void	store_order_prepay_reverse(struct db_query *,
	    const struct store_order *, const struct store_post *);
void	store_order_invoice_create(struct db_query *, const char *,
	    const char *, int64_t, const char *, const char *, const char *,
	    const char *, const char *, const struct store_post *);
void	store_order_invoice_settle(struct db_query *, const char *,
	    const struct store_invoice_state *, const char *, int64_t, int64_t,
	    int64_t, int64_t, int64_t, const struct store_post *);

#endif
