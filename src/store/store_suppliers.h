/*
 * Suppliers: the SQL behind /v1/suppliers. Writes are calls of the
 * functions in sql/0002_suppliers_schemes.sql, each one statement, so a
 * change and its history rows commit together. Rows to write travel as
 * jsonb text built by the codec (json_suppliers.h); rows read come back
 * as struct store_supplier, its strings borrowed from the db_rows.
 */
#ifndef STORE_SUPPLIERS_H
#define STORE_SUPPLIERS_H

#include <stdint.h>

#include "core/buf.h"
#include "store/db.h"

struct store_supplier {
	const char	*id;
	const char	*name;
	int64_t		 tier;
	const char	*region;
	const char	*sector;
	int64_t		 employees;
	const char	*currency;
	int64_t		 cash;
	int64_t		 credit_available;
	int64_t		 min_liquidity;
	int64_t		 fixed_daily_costs;
	int64_t		 oem_daily_sales;
	int64_t		 variable_cost_bps;
	int64_t		 other_daily_receipts;
	int64_t		 payment_terms_days;
	int		 scheme_opt_in;
	const char	*created_at;
	const char	*updated_at;
};

#define STORE_SUPPLIER_NCOLS	18

/* From the journal (ledger_supplier_summary in sql/0017_orders.sql). */
struct store_supplier_ledger {
	int64_t		 receivable_outstanding;
	int64_t		 paid_to_date;
	int64_t		 early_paid_to_date;
	int64_t		 fees_to_date;
	int64_t		 prepaid_outstanding;	/* on orders not invoiced */
	int64_t		 owed_back;		/* netted from its next payments */
};

struct store_supplier_filter {
	int64_t		 tier;		/* 0: any */
	const char	*region;	/* NULL: any */
	const char	*sector;	/* NULL: any */
};

int	store_supplier_decode(const struct db_rows *, int, int,
	    struct store_supplier *);

void	store_supplier_create(struct db_query *, const char *);
int	store_supplier_create_decode(const struct db_rows *, int *,
	    struct store_supplier *);
void	store_supplier_get(struct db_query *, const char *);
int	store_supplier_get_decode(const struct db_rows *,
	    struct store_supplier *, struct store_supplier_ledger *);
void	store_supplier_update(struct db_query *, const char *, const char *,
	    const char *, const char *);
int	store_supplier_update_decode(const struct db_rows *,
	    struct store_supplier *);
void	store_supplier_list(struct db_query *,
	    const struct store_supplier_filter *, const char *, int);
void	store_supplier_import(struct db_query *, struct buf *, const char *,
	    const char *);
int	store_supplier_import_decode(const struct db_rows *, int64_t *,
	    int64_t *);

#endif
