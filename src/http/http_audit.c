/*
 * GET /v1/audit: treasury reads the trail of every write, newest first.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/cursor.h"
#include "http/api.h"
#include "json/json_audit.h"
#include "store/store.h"

int	http_audit(struct http_request *);

static cJSON *
audit_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	struct store_audit	a;

	if (store_audit_decode(r, (*row)++, &a) == -1)
		return (NULL);
	snprintf(key, len, "%" PRId64, a.seq);
	return (json_audit_encode(&a));
}

static const struct api_listing audit_listing = {
	.after_seq = store_audit_list, .seq_min = 1, .item = audit_item
};

static const char *const params[] = { "limit", "cursor", NULL };

static const struct api_op ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY, .params = params,
	    .step = api_list_step, .list = &audit_listing },
};

int
http_audit(struct http_request *req)
{
	return (api_run(req, API_OPS(ops)));
}
