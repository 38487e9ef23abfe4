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

static enum api_result
audit_list(struct api_ctx *ctx)
{
	struct store_audit	 a;
	cJSON			*root, *items;
	char			 cur[CURSOR_KEY_MAX], *end, last[24];
	int			 limit, i;
	int64_t			 before;

	if (api_page(ctx, &limit, cur, sizeof(cur)) != API_NEXT)
		return (API_REPLY);
	if (ctx->step == 0) {
		before = 0;
		if (cur[0] != '\0') {
			before = strtoll(cur, &end, 10);
			if (*end != '\0' || before < 1)
				return (api_error(ctx, 400, "bad_request",
				    "malformed cursor", NULL));
		}
		store_audit_list(&ctx->q, before, limit + 1);
		return (api_query(ctx));
	}

	items = api_list(&root);
	for (i = 0; i < ctx->rows.nrows && i < limit; i++) {
		if (store_audit_decode(&ctx->rows, i, &a) == -1) {
			cJSON_Delete(root);
			return (api_db_error(ctx));
		}
		cJSON_AddItemToArray(items, json_audit_encode(&a));
		snprintf(last, sizeof(last), "%" PRId64, a.seq);
	}
	if (ctx->rows.nrows > limit)
		api_list_next(root, last);
	return (api_reply(ctx, 200, root));
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
