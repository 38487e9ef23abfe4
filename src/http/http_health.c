/*
 * GET /v1/health: no key needed; 200 while the database answers, 503
 * while it does not. Monitors poll it, so it is one cheap query, given
 * up after TIDEOVER_DB_HEALTH_TIMEOUT_MS, and none at all while the
 * worker knows the database to be down (http/dbwatch.c).
 */
#include "http/api.h"
#include "config.h"
#include "store/store.h"

int	http_health(struct http_request *);

static enum api_result
health(struct api_ctx *ctx)
{
	cJSON	*j;
	int	 up;

	if (ctx->step == 0) {
		store_health_ping(&ctx->q);
		return (api_query_errors(ctx));
	}
	up = !ctx->rows.failed;
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "status", up ? "ok" : "unavailable");
	cJSON_AddStringToObject(j, "database", up ? "ok" : "unavailable");
	cJSON_AddStringToObject(j, "version", CONFIG_VERSION);
	return (api_reply(ctx, up ? 200 : 503, j));
}

static const struct api_op ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = 0, .step = health,
	    .health = 1 },
};

int
http_health(struct http_request *req)
{
	return (api_run(req, API_OPS(ops)));
}
