/*
 * Links: the SQL behind /v1/links and a firm's customers and suppliers.
 * Writes are calls of the functions in sql/0014_links_api.sql, each one
 * statement, so a change and its link_history row commit together. Rows
 * read come back as struct store_link, its strings borrowed from the
 * db_rows.
 */
#ifndef STORE_LINKS_H
#define STORE_LINKS_H

#include <stdint.h>

#include "core/buf.h"
#include "store/db.h"

/* Which of a firm's links: those it sells on, or those it buys on. */
#define STORE_LINK_CUSTOMERS	1
#define STORE_LINK_SUPPLIERS	2

struct store_link {
	const char	*supplier_id;
	const char	*customer_id;
	const char	*name;		/* the other end's, in a firm's lists */
	int64_t		 daily_sales;
	int64_t		 payment_terms_days;
	const char	*created_at;	/* NULL in a firm's lists */
	const char	*updated_at;
};

enum store_link_put {
	STORE_LINK_CREATED,
	STORE_LINK_REPLACED,
	STORE_LINK_IDENTICAL,
	STORE_LINK_NO_SUPPLIER,
	STORE_LINK_NO_CUSTOMER,
};

struct store_link_filter {
	const char	*supplier_id;	/* NULL: any */
	const char	*customer_id;	/* NULL: any */
	int64_t		 tier;		/* of the seller; 0: any */
};

void	store_link_put(struct db_query *, const char *, const char *, int64_t,
	    int64_t, const char *, const char *);
int	store_link_put_decode(const struct db_rows *, enum store_link_put *,
	    struct store_link *);
void	store_link_delete(struct db_query *, const char *, const char *,
	    const char *, const char *);
int	store_link_delete_decode(const struct db_rows *);
void	store_link_import(struct db_query *, struct buf *, const char *,
	    const char *);
int	store_link_import_decode(const struct db_rows *, int64_t *,
	    int64_t *);
int	store_link_import_unknown(const struct db_rows *, int, int *,
	    const char **);
void	store_link_list(struct db_query *, const struct store_link_filter *,
	    const char *, const char *, int);
int	store_link_decode(const struct db_rows *, int, struct store_link *);
void	store_link_of(struct db_query *, const char *, int, const char *,
	    int);
int	store_link_of_decode(const struct db_rows *, int, struct store_link *);

#endif
