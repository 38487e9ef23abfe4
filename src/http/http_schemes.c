/*
 * /v1/schemes and /v1/schemes/{id}: treasury creates financing schemes,
 * every role reads them. A scheme never changes once created: the only
 * methods on /v1/schemes/{id} are reads, so PATCH, PUT and DELETE get 405.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cursor.h"
#include "http/api.h"
#include "json/json.h"
#include "json/json_schemes.h"
#include "store/store_schemes.h"

int	http_schemes(struct http_request *);
int	http_schemes_item(struct http_request *);

/*
 * POST /v1/schemes. Ids are chosen by the client, so a repeat is
 * recognised by id: the same fields again is 200, other fields 409.
 */
static enum api_result
scheme_create(struct api_ctx *ctx)
{
	struct store_scheme	*want, have;
	struct buf		 row;
	cJSON			*details;
	int			 created;

	if (ctx->step == 0) {
		want = api_data(ctx, sizeof(*want), free);
		details = json_details_new();
		if (json_scheme_create_decode(ctx->json, want, details) == -1)
			return (api_invalid(ctx, details));
		cJSON_Delete(details);
		api_resource(ctx, "scheme:%s", want->id);

		buf_init(&row);
		json_scheme_row(&row, want);
		store_scheme_create(&ctx->q, row.data);
		buf_cleanup(&row);
		return (api_query(ctx));
	}

	if (store_scheme_create_decode(&ctx->rows, &created, &have) == -1)
		return (api_db_error(ctx));
	/* What differs from the stored record (moot if this made it). */
	details = json_details_new();
	json_scheme_diff(ctx->data, &have, details);
	return (api_created(ctx, created, json_scheme_encode(&have), details,
	    "a scheme with this id exists with other fields; schemes cannot "
	    "be changed"));
}

/* A page's scheme, and its id as the key to go on from. */
static cJSON *
scheme_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	struct store_scheme	s;
	int			ok;

	ok = store_scheme_decode(r, (*row)++, 0, &s) == 0 &&
	    snprintf(key, len, "%s", s.id) > 0;
	return (ok ? json_scheme_encode(&s) : NULL);
}

/* GET /v1/schemes, in id order. */
static const struct api_listing scheme_listing = {
	.after_key = store_scheme_list, .item = scheme_item
};

/* GET /v1/schemes/{id}. */
static enum api_result
scheme_get(struct api_ctx *ctx)
{
	struct store_scheme	s;
	char			id[JSON_ID_MAX + 1];

	if (api_path_id(ctx, "/v1/schemes/", NULL, id, sizeof(id)) != API_NEXT)
		return (API_REPLY);
	if (!json_is_id(id))
		return (api_not_found(ctx));
	if (ctx->step == 0) {
		store_scheme_get(&ctx->q, id);
		return (api_query(ctx));
	}

	if (ctx->rows.nrows == 0)
		return (api_not_found(ctx));
	if (store_scheme_decode(&ctx->rows, 0, 0, &s) == -1)
		return (api_db_error(ctx));
	return (api_reply(ctx, 200, json_scheme_encode(&s)));
}

static const char *const list_params[] = { "limit", "cursor", NULL };

static const struct api_op schemes_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_ALL, .params = list_params,
	    .step = api_list_step, .list = &scheme_listing },
	{ .method = HTTP_METHOD_POST, .roles = ROLE_TREASURY,
	    .body = API_BODY_JSON, .step = scheme_create },
};

static const struct api_op item_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_ALL, .step = scheme_get },
};

int
http_schemes(struct http_request *req)
{
	return (api_run(req, API_OPS(schemes_ops)));
}

int
http_schemes_item(struct http_request *req)
{
	return (api_run(req, API_OPS(item_ops)));
}
