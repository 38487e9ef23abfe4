/*
 * Every path no route claims: a 404 in the contract's error shape, so
 * clients never see anything but JSON errors from the API.
 */
#include "http/api.h"

int	http_notfound(struct http_request *);

static int
notfound(struct api_ctx *ctx)
{
	return (api_not_found(ctx));
}

static const struct api_op ops[] = {
	{ HTTP_METHOD_GET, 0, API_BODY_NONE, NULL, notfound },
	{ HTTP_METHOD_POST, 0, API_BODY_NONE, NULL, notfound },
	{ HTTP_METHOD_PUT, 0, API_BODY_NONE, NULL, notfound },
	{ HTTP_METHOD_PATCH, 0, API_BODY_NONE, NULL, notfound },
	{ HTTP_METHOD_DELETE, 0, API_BODY_NONE, NULL, notfound },
};

int
http_notfound(struct http_request *req)
{
	return (api_run(req, ops, sizeof(ops) / sizeof(ops[0])));
}
