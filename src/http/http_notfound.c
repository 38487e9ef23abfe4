/*
 * Every path no route claims: a 404 in the contract's error shape, so
 * clients never see anything but JSON errors from the API.
 */
#include "http/api.h"

int	http_notfound(struct http_request *);

static enum api_result
notfound(struct api_ctx *ctx)
{
	return (api_not_found(ctx));
}

static const struct api_op ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = 0, .step = notfound },
	{ .method = HTTP_METHOD_POST, .roles = 0, .step = notfound },
	{ .method = HTTP_METHOD_PUT, .roles = 0, .step = notfound },
	{ .method = HTTP_METHOD_PATCH, .roles = 0, .step = notfound },
	{ .method = HTTP_METHOD_DELETE, .roles = 0, .step = notfound },
};

int
http_notfound(struct http_request *req)
{
	return (api_run(req, API_OPS(ops)));
}
