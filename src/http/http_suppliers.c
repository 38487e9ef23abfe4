/*
 * /v1/suppliers, /v1/suppliers/import and /v1/suppliers/{id}: treasury
 * creates, imports, lists and updates suppliers; a supplier reads its own
 * record with its ledger summary and updates its liquidity declaration.
 * A supplier key naming any other supplier gets exactly the 404 of a
 * supplier that does not exist, decided before the database is asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/cursor.h"
#include "http/api.h"
#include "json/json.h"
#include "json/json_suppliers.h"
#include "config.h"
#include "store/store_error.h"
#include "store/store_suppliers.h"

int	http_suppliers(struct http_request *);
int	http_suppliers_import(struct http_request *);
int	http_suppliers_item(struct http_request *);

/*
 * The {id} of the path when this key may see that supplier; otherwise the
 * request is answered 404 and -1 returned. An id that cannot exist is not
 * looked up.
 */
static int
supplier_path(struct api_ctx *ctx, char *id, size_t len)
{
	if (api_path_id(ctx, "/v1/suppliers/", NULL, id, len) != API_NEXT)
		return (-1);
	if (!json_is_id(id) || (ctx->key.role == ROLE_SUPPLIER &&
	    (ctx->key.supplier_id == NULL ||
	    strcmp(id, ctx->key.supplier_id) != 0))) {
		api_not_found(ctx);
		return (-1);
	}
	return (0);
}

/*
 * POST /v1/suppliers. Ids are chosen by the client, so a repeat is
 * recognised by id: the same fields again is 200, other fields 409.
 */
static enum api_result
supplier_create(struct api_ctx *ctx)
{
	struct store_supplier	*want, have;
	struct buf		 row;
	cJSON			*details;
	int			 created;

	if (ctx->step == 0) {
		want = api_data(ctx, sizeof(*want), free);
		details = json_details_new();
		if (json_supplier_create_decode(ctx->json,
		    config_get()->currency, want, details) == -1)
			return (api_invalid(ctx, details));
		cJSON_Delete(details);
		api_resource(ctx, "supplier:%s", want->id);

		buf_init(&row);
		json_supplier_row(&row, want, JSON_SUPPLIER_ALL);
		store_supplier_create(&ctx->q, row.data);
		buf_cleanup(&row);
		return (api_query(ctx));
	}

	if (store_supplier_create_decode(&ctx->rows, &created, &have) == -1)
		return (api_db_error(ctx));
	details = json_details_new();
	json_supplier_diff(ctx->data, &have, details);
	return (api_created(ctx, created, json_supplier_encode(&have), details,
	    "a supplier with this id exists with other fields"));
}

/* The page as CSV; the next page's cursor goes in X-Next-Cursor. */
static enum api_result
supplier_list_csv(struct api_ctx *ctx, int limit)
{
	struct store_supplier	 s;
	struct buf		 b;
	struct csv		 c;
	char			 next[CURSOR_MAX + 2], *body;
	const char		*last;
	size_t			 len;
	int			 i;

	buf_init(&b);
	csv_init(&c, &b);
	json_supplier_csv_header(&c);
	last = NULL;
	for (i = 0; i < ctx->rows.nrows && i < limit; i++) {
		if (store_supplier_decode(&ctx->rows, i, 0, &s) == -1) {
			buf_cleanup(&b);
			return (api_db_error(ctx));
		}
		json_supplier_csv_row(&c, &s);
		last = s.id;
	}
	if (ctx->rows.nrows > limit && last != NULL &&
	    cursor_encode(last, next, sizeof(next)) == 0)
		http_response_header(ctx->req, "x-next-cursor", next);
	body = buf_release(&b, &len);
	return (api_reply_raw(ctx, 200, "text/csv; charset=utf-8", body, len));
}

static cJSON *
supplier_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	struct store_supplier	s;

	if (store_supplier_decode(r, (*row)++, 0, &s) == -1)
		return (NULL);
	snprintf(key, len, "%s", s.id);
	return (json_supplier_encode(&s));
}

/* GET /v1/suppliers: in id order, filtered by tier, region and sector. */
static enum api_result
supplier_list(struct api_ctx *ctx)
{
	struct store_supplier_filter	 f;
	const char			*tier;
	char				 cur[CURSOR_KEY_MAX];
	int				 limit;

	if (api_page(ctx, &limit, cur, sizeof(cur)) != API_NEXT)
		return (API_REPLY);
	if (ctx->step == 0) {
		memset(&f, 0, sizeof(f));
		if ((tier = uri_query_get(&ctx->query, "tier")) != NULL) {
			if (strlen(tier) != 1 || tier[0] < '1' || tier[0] > '3')
				return (api_bad_request(ctx,
				    "tier must be 1, 2 or 3"));
			f.tier = tier[0] - '0';
		}
		f.region = uri_query_get(&ctx->query, "region");
		f.sector = uri_query_get(&ctx->query, "sector");
		store_supplier_list(&ctx->q, &f, cur, limit + 1);
		return (api_query_errors(ctx));
	}

	if (ctx->rows.failed)
		return (api_db_error(ctx));
	if (api_wants_csv(ctx))
		return (supplier_list_csv(ctx, limit));
	return (api_reply_page(ctx, limit, supplier_item));
}

/* GET /v1/suppliers/{id}: the record and its position in the journal. */
static enum api_result
supplier_get(struct api_ctx *ctx)
{
	struct store_supplier		 s;
	struct store_supplier_ledger	 l;
	cJSON				*j;
	char				 id[JSON_ID_MAX + 1];

	if (supplier_path(ctx, id, sizeof(id)) == -1)
		return (API_REPLY);
	if (ctx->step == 0) {
		store_supplier_get(&ctx->q, id);
		return (api_query(ctx));
	}

	switch (store_supplier_get_decode(&ctx->rows, &s, &l)) {
	case 0:
		return (api_not_found(ctx));
	case 1:
		break;
	default:
		return (api_db_error(ctx));
	}
	j = json_supplier_encode(&s);
	json_supplier_ledger_add(j, &l);
	return (api_reply(ctx, 200, j));
}

/*
 * PATCH /v1/suppliers/{id}: the fields given change, under the row's
 * lock, and every model figure that changed is kept in its history with
 * this key and request, in the same statement.
 */
static enum api_result
supplier_update(struct api_ctx *ctx)
{
	struct json_supplier_patch	 p;
	struct store_supplier		 s;
	struct buf			 patch;
	cJSON				*details;
	char				 id[JSON_ID_MAX + 1];
	int				 who;

	if (supplier_path(ctx, id, sizeof(id)) == -1)
		return (API_REPLY);
	if (ctx->step == 0) {
		api_resource(ctx, "supplier:%s", id);
		who = ctx->key.role == ROLE_SUPPLIER ? JSON_SUPPLIER_OWN :
		    JSON_SUPPLIER_TREASURY;
		details = json_details_new();
		if (json_supplier_patch_decode(ctx->json,
		    config_get()->currency, who, &p, details) == -1)
			return (api_invalid(ctx, details));
		cJSON_Delete(details);

		buf_init(&patch);
		json_supplier_row(&patch, &p.s, p.given);
		store_supplier_update(&ctx->q, id, patch.data, ctx->key.id,
		    ctx->request_id);
		buf_cleanup(&patch);
		return (api_query(ctx));
	}

	switch (store_supplier_update_decode(&ctx->rows, &s)) {
	case 0:
		return (api_not_found(ctx));
	case 1:
		break;
	default:
		return (api_db_error(ctx));
	}
	return (api_reply(ctx, 200, json_supplier_encode(&s)));
}

/*
 * POST /v1/suppliers/import: every line is checked before anything is
 * written; then the whole file goes to the database as one statement.
 */
static enum api_result
supplier_import(struct api_ctx *ctx)
{
	struct buf	 rows;
	cJSON		*details, *j;
	int64_t		 created, updated;
	int		 n, r;

	if (ctx->step == 0) {
		api_resource(ctx, "suppliers:import");
		details = json_details_new();
		if (ctx->body_type == API_TYPE_CSV)
			r = json_supplier_import_csv(ctx->body, ctx->body_len,
			    config_get()->currency, &rows, &n, details);
		else
			r = json_supplier_import_ndjson(ctx->body,
			    ctx->body_len, config_get()->currency, &rows,
			    &n, details);
		if (r == -1) {
			return (api_error(ctx, 422, "validation_failed",
			    "the file has invalid lines; nothing was written",
			    details));
		}
		cJSON_Delete(details);
		store_supplier_import(&ctx->q, &rows, ctx->key.id,
		    ctx->request_id);
		return (api_query_errors(ctx));
	}

	/* Row locks are taken in id order, but a deadlock is retried anyway. */
	if (store_error(&ctx->rows) == STORE_ERR_CONTENTION)
		return (api_retry(ctx));
	if (ctx->rows.failed)
		return (api_db_error(ctx));
	if (store_supplier_import_decode(&ctx->rows, &created, &updated) == -1)
		return (api_db_error(ctx));
	if ((j = cJSON_CreateObject()) == NULL)
		abort();
	json_add_int64(j, "created", created);
	json_add_int64(j, "updated", updated);
	return (api_reply(ctx, 200, j));
}

static const char *const list_params[] = {
	"tier", "region", "sector", "limit", "cursor", NULL
};

static const struct api_op suppliers_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY,
	    .params = list_params, .step = supplier_list },
	{ .method = HTTP_METHOD_POST, .roles = ROLE_TREASURY,
	    .body = API_BODY_JSON, .step = supplier_create },
};

static const struct api_op import_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = ROLE_TREASURY,
	    .body = API_BODY_IMPORT, .step = supplier_import },
};

static const struct api_op item_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY | ROLE_SUPPLIER,
	    .step = supplier_get },
	{ .method = HTTP_METHOD_PATCH, .roles = ROLE_TREASURY | ROLE_SUPPLIER,
	    .body = API_BODY_JSON, .step = supplier_update },
};

int
http_suppliers(struct http_request *req)
{
	return (api_run(req, API_OPS(suppliers_ops)));
}

int
http_suppliers_import(struct http_request *req)
{
	return (api_run(req, API_OPS(import_ops)));
}

int
http_suppliers_item(struct http_request *req)
{
	return (api_run(req, API_OPS(item_ops)));
}
