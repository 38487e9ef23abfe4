/*
 * Idempotency keys (see store.h). Keys are stored by the same database
 * function that makes the change they guard, in its transaction; here
 * they are only looked up.
 */
#include "store/store.h"

/* A row (status, response) for a repeat, none for a new key; TD003 when
 * the key was used with another request. */
void
store_idempotency_find(struct db_query *q, const char *key_id,
    const char *key, const char *request_hash_hex)
{
	db_query_init(q, "SELECT status, response FROM "
	    "idempotency_find($1, $2, decode($3, 'hex')) "
	    "WHERE status IS NOT NULL");
	db_query_text(q, key_id);
	db_query_text(q, key);
	db_query_text(q, request_hash_hex);
}
