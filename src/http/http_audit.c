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

static enum api_result
audit_list(struct api_ctx *ctx)
{
	int	limit;
	int64_t	before;

	if (api_page_seq(ctx, &limit, &before, 1) != API_NEXT)
		return (API_REPLY);
	if (ctx->step == 0) {
		store_audit_list(&ctx->q, before, limit + 1);
		return (api_query(ctx));
	}
	return (api_reply_page(ctx, limit, audit_item));
}

static const char *const params[] = { "limit", "cursor", NULL };

static const struct api_op ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY, .params = params,
	    .step = audit_list },
};

int
http_audit(struct http_request *req)
{
	return (api_run(req, API_OPS(ops)));
}
