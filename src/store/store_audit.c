/*
 * The audit trail of writes (see store.h). The service may only insert
 * and read it; the table's grants deny UPDATE and DELETE.
 */
#include <string.h>

#include "store/store.h"

void
store_audit_insert(struct db_query *q, const struct store_audit *a)
{
	db_query_init(q, "INSERT INTO audit_log "
	    "(key_id, role, request_id, method, path, resource, outcome) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7)");
	db_query_text(q, a->key_id);
	db_query_text(q, a->role);
	db_query_text(q, a->request_id);
	db_query_text(q, a->method);
	db_query_text(q, a->path);
	db_query_text(q, a->resource);
	db_query_int64(q, a->outcome);
}

/* Newest first, before the cursor's sequence number (0: from the top). */
void
store_audit_list(struct db_query *q, int64_t before, int limit)
{
	db_query_init(q, "SELECT seq, " STORE_TS("at") ", key_id, role, "
	    "request_id, method, path, resource, outcome FROM audit_log "
	    "WHERE $1::bigint = 0 OR seq < $1::bigint "
	    "ORDER BY seq DESC LIMIT $2");
	db_query_int64(q, before);
	db_query_int64(q, limit);
}

int
store_audit_decode(const struct db_rows *r, int row, struct store_audit *a)
{
	memset(a, 0, sizeof(*a));
	if (r->ncols != 9 || db_rows_int64(r, row, 0, &a->seq) == -1 ||
	    db_rows_int64(r, row, 8, &a->outcome) == -1)
		return (-1);
	a->at = db_rows_get(r, row, 1);
	a->key_id = db_rows_get(r, row, 2);
	a->role = db_rows_get(r, row, 3);
	a->request_id = db_rows_get(r, row, 4);
	a->method = db_rows_get(r, row, 5);
	a->path = db_rows_get(r, row, 6);
	a->resource = db_rows_get(r, row, 7);
	return (0);
}
