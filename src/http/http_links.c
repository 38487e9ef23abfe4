/*
 * The supply network's links: /v1/links and /v1/links/import (treasury
 * lists and imports every link), /v1/suppliers/{id}/customers/{customer_id}
 * (treasury creates, replaces and deletes one), and a firm's own lists,
 * /v1/suppliers/{id}/customers and /v1/suppliers/{id}/suppliers, which a
 * supplier key may read for its own id only. A supplier key naming any
 * other firm gets exactly the 404 of a firm that does not exist, decided
 * before the database is asked, and learns nothing of links between
 * other firms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/cursor.h"
#include "http/api.h"
#include "json/json.h"
#include "json/json_links.h"
#include "store/store_error.h"
#include "store/store_links.h"

int	http_links(struct http_request *);
int	http_links_import(struct http_request *);
int	http_links_item(struct http_request *);
int	http_links_customers(struct http_request *);
int	http_links_suppliers(struct http_request *);

#define SUPPLIERS_PREFIX	"/v1/suppliers/"
#define CUSTOMERS_INFIX		"/customers/"

/*
 * The two ids of /v1/suppliers/{id}/customers/{customer_id}, each cut
 * out and checked by uri_path_id: 0, or -1 with the request answered 404
 * (a path that cannot name a link is not looked up).
 */
static int
link_path(struct api_ctx *ctx, char *supplier, char *customer, size_t len)
{
	const char	*path = ctx->req->path, *rest;

	if (strncmp(path, SUPPLIERS_PREFIX, strlen(SUPPLIERS_PREFIX)) != 0 ||
	    (rest = strchr(path + strlen(SUPPLIERS_PREFIX), '/')) == NULL ||
	    strncmp(rest, CUSTOMERS_INFIX, strlen(CUSTOMERS_INFIX)) != 0 ||
	    uri_path_id(path, SUPPLIERS_PREFIX, rest, supplier, len) == -1 ||
	    uri_path_id(rest, CUSTOMERS_INFIX, NULL, customer, len) == -1 ||
	    !json_is_id(supplier) || !json_is_id(customer)) {
		api_not_found(ctx);
		return (-1);
	}
	return (0);
}

/*
 * The {id} of a firm's list when this key may see that firm; otherwise
 * the request is answered 404 and -1 returned.
 */
static int
firm_path(struct api_ctx *ctx, const char *suffix, char *id, size_t len)
{
	if (api_path_id(ctx, SUPPLIERS_PREFIX, suffix, id, len) != API_NEXT)
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
 * PUT /v1/suppliers/{id}/customers/{customer_id}: 201 when the link is
 * new, 200 when it replaced one or was already so (nothing written then).
 * The change and its history row (this key, this request) are one
 * statement.
 */
static enum api_result
link_put(struct api_ctx *ctx)
{
	struct json_link		 l;
	struct store_link		 have;
	enum store_link_put		 outcome;
	cJSON				*details;
	char				 s[JSON_ID_MAX + 1], c[JSON_ID_MAX + 1];

	if (link_path(ctx, s, c, sizeof(s)) == -1)
		return (API_REPLY);
	if (ctx->step == 0) {
		api_resource(ctx, "link:%s:%s", s, c);
		details = json_details_new();
		if (strcmp(s, c) == 0)
			json_detail(details, "customer_id", 0,
			    "must not be the supplier itself");
		if (json_link_put_decode(ctx->json, &l, details) == -1 ||
		    cJSON_GetArraySize(details) > 0)
			return (api_invalid(ctx, details));
		cJSON_Delete(details);
		store_link_put(&ctx->q, s, c, l.daily_sales,
		    l.payment_terms_days, ctx->key.id, ctx->request_id);
		return (api_query_errors(ctx));
	}

	if (store_error(&ctx->rows) == STORE_ERR_CONTENTION)
		return (api_retry(ctx));
	if (ctx->rows.failed ||
	    store_link_put_decode(&ctx->rows, &outcome, &have) == -1)
		return (api_db_error(ctx));
	switch (outcome) {
	case STORE_LINK_NO_SUPPLIER:
	case STORE_LINK_NO_CUSTOMER:
		return (api_not_found(ctx));
	case STORE_LINK_CREATED:
		return (api_reply(ctx, 201, json_link_encode(&have)));
	default:
		return (api_reply(ctx, 200, json_link_encode(&have)));
	}
}

/* DELETE /v1/suppliers/{id}/customers/{customer_id}: 204, or 404. */
static enum api_result
link_delete(struct api_ctx *ctx)
{
	char	s[JSON_ID_MAX + 1], c[JSON_ID_MAX + 1];

	if (link_path(ctx, s, c, sizeof(s)) == -1)
		return (API_REPLY);
	if (ctx->step == 0) {
		api_resource(ctx, "link:%s:%s", s, c);
		store_link_delete(&ctx->q, s, c, ctx->key.id, ctx->request_id);
		return (api_query(ctx));
	}

	switch (store_link_delete_decode(&ctx->rows)) {
	case 1:
		return (api_reply_empty(ctx, 204));
	case 0:
		return (api_not_found(ctx));
	default:
		return (api_db_error(ctx));
	}
}

/*
 * POST /v1/links/import: every line is checked before anything is
 * written; then the whole file goes to the database as one statement,
 * which writes nothing when an end names no supplier and says which.
 */
static enum api_result
link_import(struct api_ctx *ctx)
{
	struct buf	 rows;
	const char	*field;
	cJSON		*details, *j;
	int64_t		 created, updated;
	int		 i, n, r, line;

	if (ctx->step == 0) {
		api_resource(ctx, "links:import");
		details = json_details_new();
		if (ctx->body_type == API_TYPE_CSV)
			r = json_link_import_csv(ctx->body, ctx->body_len,
			    &rows, &n, details);
		else
			r = json_link_import_ndjson(ctx->body, ctx->body_len,
			    &rows, &n, details);
		if (r == -1)
			return (api_error(ctx, 422, "validation_failed",
			    "the file has invalid lines; nothing was written",
			    details));
		cJSON_Delete(details);
		store_link_import(&ctx->q, &rows, ctx->key.id,
		    ctx->request_id);
		return (api_query_errors(ctx));
	}

	/* Row locks are taken in pair order, but a deadlock is retried. */
	if (store_error(&ctx->rows) == STORE_ERR_CONTENTION)
		return (api_retry(ctx));
	if (ctx->rows.failed)
		return (api_db_error(ctx));
	switch (store_link_import_decode(&ctx->rows, &created, &updated)) {
	case 1:
		if ((j = cJSON_CreateObject()) == NULL)
			abort();
		json_add_int64(j, "created", created);
		json_add_int64(j, "updated", updated);
		return (api_reply(ctx, 200, j));
	case 0:
		details = json_details_new();
		for (i = 0; i < ctx->rows.nrows; i++) {
			if (store_link_import_unknown(&ctx->rows, i, &line,
			    &field) == -1) {
				cJSON_Delete(details);
				return (api_db_error(ctx));
			}
			json_detail(details, field, line, "no such supplier");
		}
		return (api_error(ctx, 422, "validation_failed",
		    "the file has invalid lines; nothing was written",
		    details));
	default:
		return (api_db_error(ctx));
	}
}

/* A page of every link: its sort key is the pair, "supplier customer". */
static void
pair_key(const struct store_link *l, char *key, size_t len)
{
	snprintf(key, len, "%s %s", l->supplier_id, l->customer_id);
}

static cJSON *
link_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	struct store_link	l;

	if (store_link_decode(r, (*row)++, &l) == -1)
		return (NULL);
	pair_key(&l, key, len);
	return (json_link_encode(&l));
}

/*
 * A page of links as CSV, which (the record's columns, 0) or a firm's
 * list; the next page's cursor goes in X-Next-Cursor.
 */
static enum api_result
links_csv(struct api_ctx *ctx, int limit, int which)
{
	struct store_link	 l;
	struct buf		 b;
	struct csv		 c;
	char			 key[CURSOR_KEY_MAX], next[CURSOR_MAX + 2];
	char			*body;
	size_t			 len;
	int			 i, rc;

	buf_init(&b);
	csv_init(&c, &b);
	json_link_csv_header(&c, which);
	key[0] = '\0';
	for (i = 0; i < ctx->rows.nrows && i < limit; i++) {
		if (which == 0)
			rc = store_link_decode(&ctx->rows, i, &l) == 0 ? 1 : -1;
		else
			rc = store_link_of_decode(&ctx->rows, i, &l);
		if (rc == 0 && ctx->rows.nrows == 1)
			break;
		if (rc != 1) {
			buf_cleanup(&b);
			return (api_db_error(ctx));
		}
		json_link_csv_row(&c, &l, which);
		if (which == 0)
			pair_key(&l, key, sizeof(key));
		else
			snprintf(key, sizeof(key), "%s", which ==
			    STORE_LINK_CUSTOMERS ? l.customer_id :
			    l.supplier_id);
	}
	if (ctx->rows.nrows > limit && key[0] != '\0' &&
	    cursor_encode(key, next, sizeof(next)) == 0)
		http_response_header(ctx->req, "x-next-cursor", next);
	body = buf_release(&b, &len);
	return (api_reply_raw(ctx, 200, "text/csv; charset=utf-8", body, len));
}

/*
 * GET /v1/links: every link in pair order, filtered by either end and by
 * the seller's tier.
 */
static enum api_result
link_list(struct api_ctx *ctx)
{
	struct store_link_filter	 f;
	const char			*tier;
	char				 cur[CURSOR_KEY_MAX], *sep;
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
		f.supplier_id = uri_query_get(&ctx->query, "supplier_id");
		f.customer_id = uri_query_get(&ctx->query, "customer_id");
		/* A cursor holds a pair; "" and "" is before them all. */
		sep = "";
		if (cur[0] != '\0') {
			if ((sep = strchr(cur, ' ')) == NULL)
				return (api_bad_request(ctx,
				    "malformed cursor"));
			*sep++ = '\0';
		}
		store_link_list(&ctx->q, &f, cur, sep, limit + 1);
		return (api_query_errors(ctx));
	}

	if (ctx->rows.failed)
		return (api_db_error(ctx));
	if (api_wants_csv(ctx))
		return (links_csv(ctx, limit, 0));
	return (api_reply_page(ctx, limit, link_item));
}

static cJSON *
firm_item(const struct db_rows *r, int *row, char *key, size_t len,
    int which)
{
	struct store_link	l;

	if (store_link_of_decode(r, (*row)++, &l) != 1)
		return (NULL);
	snprintf(key, len, "%s", which == STORE_LINK_CUSTOMERS ?
	    l.customer_id : l.supplier_id);
	return (json_link_party_encode(&l, which));
}

static cJSON *
customer_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	return (firm_item(r, row, key, len, STORE_LINK_CUSTOMERS));
}

static cJSON *
supplier_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	return (firm_item(r, row, key, len, STORE_LINK_SUPPLIERS));
}

/*
 * A firm's customers or suppliers, in the other end's id order. No row
 * is no such firm; one row without a link, a firm with none (here).
 */
static enum api_result
firm_list(struct api_ctx *ctx, int which)
{
	struct store_link	 l;
	cJSON			*root;
	char			 id[JSON_ID_MAX + 1], cur[CURSOR_KEY_MAX];
	int			 limit;

	if (firm_path(ctx, which == STORE_LINK_CUSTOMERS ? "/customers" :
	    "/suppliers", id, sizeof(id)) == -1)
		return (API_REPLY);
	if (api_page(ctx, &limit, cur, sizeof(cur)) != API_NEXT)
		return (API_REPLY);
	if (ctx->step == 0) {
		store_link_of(&ctx->q, id, which, cur, limit + 1);
		return (api_query(ctx));
	}

	if (ctx->rows.nrows == 0)
		return (api_not_found(ctx));
	if (api_wants_csv(ctx))
		return (links_csv(ctx, limit, which));
	if (ctx->rows.nrows == 1 &&
	    store_link_of_decode(&ctx->rows, 0, &l) == 0) {
		(void)api_list(&root);
		return (api_reply(ctx, 200, root));
	}
	return (api_reply_page(ctx, limit, which == STORE_LINK_CUSTOMERS ?
	    customer_item : supplier_item));
}

static enum api_result
customers_list(struct api_ctx *ctx)
{
	return (firm_list(ctx, STORE_LINK_CUSTOMERS));
}

static enum api_result
suppliers_list(struct api_ctx *ctx)
{
	return (firm_list(ctx, STORE_LINK_SUPPLIERS));
}

static const char *const list_params[] = {
	"supplier_id", "customer_id", "tier", "limit", "cursor", NULL
};

static const char *const page_params[] = {
	"limit", "cursor", NULL
};

static const struct api_op links_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY,
	    .params = list_params, .step = link_list },
};

static const struct api_op import_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = ROLE_TREASURY,
	    .body = API_BODY_IMPORT, .step = link_import },
};

static const struct api_op item_ops[] = {
	{ .method = HTTP_METHOD_PUT, .roles = ROLE_TREASURY,
	    .body = API_BODY_JSON, .step = link_put },
	{ .method = HTTP_METHOD_DELETE, .roles = ROLE_TREASURY,
	    .step = link_delete },
};

static const struct api_op customers_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY | ROLE_SUPPLIER,
	    .params = page_params, .step = customers_list },
};

static const struct api_op suppliers_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY | ROLE_SUPPLIER,
	    .params = page_params, .step = suppliers_list },
};

int
http_links(struct http_request *req)
{
	return (api_run(req, API_OPS(links_ops)));
}

int
http_links_import(struct http_request *req)
{
	return (api_run(req, API_OPS(import_ops)));
}

int
http_links_item(struct http_request *req)
{
	return (api_run(req, API_OPS(item_ops)));
}

int
http_links_customers(struct http_request *req)
{
	return (api_run(req, API_OPS(customers_ops)));
}

int
http_links_suppliers(struct http_request *req)
{
	return (api_run(req, API_OPS(suppliers_ops)));
}
