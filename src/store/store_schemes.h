/*
 * Schemes: the SQL behind /v1/schemes. A scheme is written once, by one
 * call of scheme_create (sql/0002_suppliers_schemes.sql), and never
 * changed; the service role may not update or delete one.
 */
#ifndef STORE_SCHEMES_H
#define STORE_SCHEMES_H

#include <stdint.h>

#include "store/db.h"

/* eligible_tiers: bit t set when tier t (1..3) is eligible. */
#define STORE_SCHEME_TIER(t)	(1 << (t))

struct store_scheme {
	const char	*id;
	const char	*name;
	const char	*effective_from;	/* YYYY-MM-DD */
	int64_t		 payment_lag_days;
	int64_t		 advance_rate_bps;
	int64_t		 annual_rate_bps;
	int64_t		 day_count_basis;
	const char	*fee_bearer;
	unsigned int	 eligible_tiers;
	int		 has_max_employees;
	int64_t		 max_employees;
	int64_t		 min_invoice_amount;
	int		 requires_opt_in;
	int		 has_per_supplier_cap;
	int64_t		 per_supplier_cap;
	int		 has_facility_limit;
	int64_t		 facility_limit;
	const char	*created_at;
	const char	*covers;		/* "oem" or "all" (deep tier) */
	const char	*basis;			/* "invoice" or "order" */
	int		 has_order_lead_days;	/* both with basis "order" */
	int64_t		 order_lead_days;
	int		 has_true_up_lag_days;
	int64_t		 true_up_lag_days;
};

#define STORE_SCHEME_NCOLS	19

int	store_scheme_decode(const struct db_rows *, int, int,
	    struct store_scheme *);
void	store_scheme_create(struct db_query *, const char *);
int	store_scheme_create_decode(const struct db_rows *, int *,
	    struct store_scheme *);
void	store_scheme_get(struct db_query *, const char *);
void	store_scheme_list(struct db_query *, const char *, int);

#endif
