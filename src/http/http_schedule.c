/*
 * GET /v1/suppliers/{id}/schedule: placeholder until stress runs land.
 */
#include "http/api.h"

int	http_schedule(struct http_request *);

static int
schedule_get(struct api_ctx *ctx)
{
	return (api_not_found(ctx));
}

static const struct api_op schedule_ops[] = {
	{ HTTP_METHOD_GET, ROLE_TREASURY | ROLE_SUPPLIER, API_BODY_NONE, NULL,
	    schedule_get },
};

int
http_schedule(struct http_request *req)
{
	return (api_run(req, schedule_ops,
	    sizeof(schedule_ops) / sizeof(schedule_ops[0])));
}
