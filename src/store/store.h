/*
 * All SQL of the service. Each query has a send half, which fills a
 * db_query, and a decode half, which reads db_rows into a struct whose
 * strings are borrowed from the rows (valid until the rows are cleaned).
 */
#ifndef STORE_H
#define STORE_H

#include <stdint.h>

#include "store/db.h"

/* RFC 3339 UTC timestamps, formatted by the database. */
#define STORE_TS(col) \
	"to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/* store_health.c */
void	store_health_ping(struct db_query *);

/* store_keys.c */
struct store_key {
	int64_t		 seq;
	const char	*id;
	const char	*role;
	const char	*supplier_id;
	const char	*label;
	const char	*secret_hash;		/* hex */
	const char	*created_at;
	const char	*revoked_at;
};

void	store_key_lookup(struct db_query *, const char *);
int	store_key_lookup_decode(const struct db_rows *, struct store_key *);
void	store_key_insert(struct db_query *, const char *, const char *,
	    const char *, const char *, const char *);
void	store_key_list(struct db_query *, int64_t, int);
int	store_key_decode(const struct db_rows *, int, struct store_key *);
void	store_key_revoke(struct db_query *, const char *);

/* store_idempotency.c */
void	store_idempotency_find(struct db_query *, const char *, const char *,
	    const char *);

/* store_audit.c */
struct store_audit {
	int64_t		 seq;
	const char	*at;
	const char	*key_id;
	const char	*role;
	const char	*request_id;
	const char	*method;
	const char	*path;
	const char	*resource;
	int64_t		 outcome;
};

void	store_audit_insert(struct db_query *, const struct store_audit *);
void	store_audit_list(struct db_query *, int64_t, int);
int	store_audit_decode(const struct db_rows *, int, struct store_audit *);

#endif
