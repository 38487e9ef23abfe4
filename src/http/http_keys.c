/*
 * /v1/api-keys and /v1/api-keys/{id}: treasury creates, lists and revokes
 * keys. A new key's secret is shown in the 201 reply and never again.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/cursor.h"
#include "crypto/keys.h"
#include "http/api.h"
#include "json/json.h"
#include "json/json_keys.h"
#include "config.h"
#include "store/store.h"
#include "store/store_error.h"

int	http_keys(struct http_request *);
int	http_key(struct http_request *);
int	http_me(struct http_request *);

struct create {
	struct token	token;
};

static void
create_free(void *p)
{
	if (p != NULL)
		sodium_memzero(p, sizeof(struct create));
	free(p);
}

static enum api_result
key_create(struct api_ctx *ctx)
{
	struct json_key_create	 in;
	struct store_key	 k;
	struct create		*c;
	unsigned char		 hash[KEYS_HASH_LEN];
	char			 hex[KEYS_HASH_LEN * 2 + 1], key[TOKEN_LEN + 1];
	cJSON			*details, *j;

	if (ctx->step == 0) {
		details = json_details_new();
		if (json_key_create_decode(ctx->json, &in, details) == -1)
			return (api_invalid(ctx, details));
		cJSON_Delete(details);

		c = api_data(ctx, sizeof(*c), create_free);
		keys_token_new(&c->token);
		keys_secret_hash(config_get()->server_key, c->token.secret,
		    hash);
		keys_hex_encode(hash, sizeof(hash), hex);
		store_key_insert(&ctx->q, c->token.kid, hex,
		    role_name(in.role), in.supplier_id, in.label);
		api_resource(ctx, "api-key:%s", c->token.kid);
		return (api_query_errors(ctx));
	}

	c = ctx->data;
	if (store_error(&ctx->rows) == STORE_ERR_NO_REFERENCE) {
		details = json_details_new();
		json_detail(details, "supplier_id", 0, "no such supplier");
		return (api_invalid(ctx, details));
	}
	if (ctx->rows.failed)
		return (api_db_error(ctx));
	if (store_key_lookup_decode(&ctx->rows, &k) != 1)
		return (api_db_error(ctx));
	token_format(c->token.kid, c->token.secret, key, sizeof(key));
	j = json_key_encode(&k);
	cJSON_DeleteItemFromObjectCaseSensitive(j, "revoked_at");
	cJSON_AddStringToObject(j, "key", key);
	sodium_memzero(key, sizeof(key));
	return (api_reply(ctx, 201, j));
}

static cJSON *
key_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	struct store_key	k;

	if (store_key_decode(r, (*row)++, &k) == -1)
		return (NULL);
	snprintf(key, len, "%" PRId64, k.seq);
	return (json_key_encode(&k));
}

static const struct api_listing key_listing = {
	.after_seq = store_key_list, .item = key_item
};

static enum api_result
key_revoke(struct api_ctx *ctx)
{
	char	id[TOKEN_KID_LEN + 1];

	if (api_path_id(ctx, "/v1/api-keys/", NULL, id, sizeof(id)) != API_NEXT)
		return (API_REPLY);
	if (ctx->step == 0) {
		api_resource(ctx, "api-key:%s", id);
		store_key_revoke(&ctx->q, id);
		return (api_query(ctx));
	}
	if (ctx->rows.nrows != 1)
		return (api_not_found(ctx));
	return (api_reply_empty(ctx, 204));
}

/*
 * GET /v1/me: what the key itself is, so that a client (the dashboard)
 * learns its role and, for a supplier key, its supplier without probing.
 */
static enum api_result
key_me(struct api_ctx *ctx)
{
	cJSON	*o;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	cJSON_AddStringToObject(o, "key_id", ctx->key.id);
	cJSON_AddStringToObject(o, "role", role_name(ctx->key.role));
	json_add_string_or_null(o, "supplier_id", ctx->key.supplier_id);
	return (api_reply(ctx, 200, o));
}

static const char *const list_params[] = { "limit", "cursor", NULL };

static const struct api_op keys_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY,
	    .params = list_params, .step = api_list_step,
	    .list = &key_listing },
	{ .method = HTTP_METHOD_POST, .roles = ROLE_TREASURY,
	    .body = API_BODY_JSON, .step = key_create },
};

static const struct api_op key_ops[] = {
	{ .method = HTTP_METHOD_DELETE, .roles = ROLE_TREASURY,
	    .step = key_revoke },
};

static const struct api_op me_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_ALL, .step = key_me },
};

int
http_me(struct http_request *req)
{
	return (api_run(req, API_OPS(me_ops)));
}

int
http_keys(struct http_request *req)
{
	return (api_run(req, API_OPS(keys_ops)));
}

int
http_key(struct http_request *req)
{
	return (api_run(req, API_OPS(key_ops)));
}
