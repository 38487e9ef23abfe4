/*
 * The health check's query: a round trip that proves the service can
 * reach its database as its own role.
 */
#include "store/store.h"

void
store_health_ping(struct db_query *q)
{
	db_query_init(q, "SELECT 1");
}
