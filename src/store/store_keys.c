/*
 * API keys (see store.h). Secrets are never here: only the keyed hash,
 * in hex, goes in and out.
 */
#include <string.h>

#include "store/store.h"

#define KEY_COLUMNS \
	"seq, id, role, supplier_id, label, encode(secret_hash, 'hex'), " \
	STORE_TS("created_at") ", " STORE_TS("revoked_at")

void
store_key_lookup(struct db_query *q, const char *id)
{
	db_query_init(q, "SELECT " KEY_COLUMNS " FROM api_keys WHERE id = $1");
	db_query_text(q, id);
}

/* 1: found, 0: no such key. */
int
store_key_lookup_decode(const struct db_rows *r, struct store_key *k)
{
	if (r->nrows != 1)
		return (0);
	return (store_key_decode(r, 0, k) == 0);
}

void
store_key_insert(struct db_query *q, const char *id, const char *hash_hex,
    const char *role, const char *supplier_id, const char *label)
{
	db_query_init(q,
	    "INSERT INTO api_keys (id, secret_hash, role, supplier_id, label) "
	    "VALUES ($1, decode($2, 'hex'), $3, $4, $5) "
	    "RETURNING " KEY_COLUMNS);
	db_query_text(q, id);
	db_query_text(q, hash_hex);
	db_query_text(q, role);
	db_query_text(q, supplier_id);
	db_query_text(q, label);
}

/* Keys in creation order, after the cursor's sequence number. */
void
store_key_list(struct db_query *q, int64_t after, int limit)
{
	db_query_init(q, "SELECT " KEY_COLUMNS " FROM api_keys "
	    "WHERE seq > $1 ORDER BY seq LIMIT $2");
	db_query_int64(q, after);
	db_query_int64(q, limit);
}

int
store_key_decode(const struct db_rows *r, int row, struct store_key *k)
{
	memset(k, 0, sizeof(*k));
	if (r->ncols != 8 || db_rows_int64(r, row, 0, &k->seq) == -1)
		return (-1);
	k->id = db_rows_get(r, row, 1);
	k->role = db_rows_get(r, row, 2);
	k->supplier_id = db_rows_get(r, row, 3);
	k->label = db_rows_get(r, row, 4);
	k->secret_hash = db_rows_get(r, row, 5);
	k->created_at = db_rows_get(r, row, 6);
	k->revoked_at = db_rows_get(r, row, 7);
	return (k->id == NULL || k->role == NULL ? -1 : 0);
}

/* Revoking twice keeps the first revocation time. */
void
store_key_revoke(struct db_query *q, const char *id)
{
	db_query_init(q, "UPDATE api_keys "
	    "SET revoked_at = coalesce(revoked_at, now()) "
	    "WHERE id = $1 RETURNING id");
	db_query_text(q, id);
}
