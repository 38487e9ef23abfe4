/*
 * /v1/scenarios and /v1/scenarios/{id}: treasury creates production-stop
 * scenarios with their outage announcements; treasury and government
 * read them. A scenario never changes once created (a stress run must be
 * able to say what it assumed), so PATCH, PUT and DELETE get 405.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cursor.h"
#include "http/api.h"
#include "json/json.h"
#include "json/json_scenarios.h"
#include "store/store_scenarios.h"

int	http_scenarios(struct http_request *);
int	http_scenarios_item(struct http_request *);

#define READERS	(ROLE_TREASURY | ROLE_GOVERNMENT)

/*
 * POST /v1/scenarios. Ids are chosen by the client, so a repeat is
 * recognised by id: the same fields again is 200, other fields 409.
 */
static enum api_result
scenario_create(struct api_ctx *ctx)
{
	struct store_scenario	*want, *have;
	struct buf		 row;
	cJSON			*details;
	int			 created;

	if (ctx->step == 0) {
		/* Room for the request and for the stored scenario. */
		want = api_data(ctx, 2 * sizeof(*want), free);
		details = json_details_new();
		if (json_scenario_create_decode(ctx->json, want, details) == -1)
			return (api_invalid(ctx, details));
		cJSON_Delete(details);
		api_resource(ctx, "scenario:%s", want->id);

		buf_init(&row);
		json_scenario_row(&row, want);
		store_scenario_create(&ctx->q, row.data);
		buf_cleanup(&row);
		return (api_query(ctx));
	}

	have = (struct store_scenario *)ctx->data + 1;
	if (store_scenario_create_decode(&ctx->rows, &created, have) == -1)
		return (api_db_error(ctx));
	details = json_details_new();
	json_scenario_diff(ctx->data, have, details);
	return (api_created(ctx, created, json_scenario_encode(have), details,
	    "a scenario with this id exists with other fields; scenarios "
	    "cannot be changed"));
}

/* A scenario spans a row per announcement. */
static cJSON *
scenario_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	struct store_scenario	*s;
	cJSON			*j = NULL;

	if ((s = malloc(sizeof(*s))) == NULL)
		abort();
	if (store_scenario_decode(r, row, 0, s) == 0) {
		snprintf(key, len, "%s", s->id);
		j = json_scenario_encode(s);
	}
	free(s);
	return (j);
}

/* GET /v1/scenarios, in id order. */
static const struct api_listing scenario_listing = {
	.after_key = store_scenario_list, .item = scenario_item
};

/* GET /v1/scenarios/{id}. */
static enum api_result
scenario_get(struct api_ctx *ctx)
{
	struct store_scenario	*s;
	char			 id[JSON_ID_MAX + 1];
	int			 row;

	if (api_path_id(ctx, "/v1/scenarios/", NULL, id,
	    sizeof(id)) != API_NEXT)
		return (API_REPLY);
	if (!json_is_id(id))
		return (api_not_found(ctx));
	if (ctx->step == 0) {
		store_scenario_get(&ctx->q, id);
		return (api_query(ctx));
	}

	if (ctx->rows.nrows == 0)
		return (api_not_found(ctx));
	if ((s = malloc(sizeof(*s))) == NULL)
		abort();
	ctx->data = s;
	ctx->data_free = free;
	row = 0;
	if (store_scenario_decode(&ctx->rows, &row, 0, s) == -1)
		return (api_db_error(ctx));
	return (api_reply(ctx, 200, json_scenario_encode(s)));
}

static const char *const list_params[] = { "limit", "cursor", NULL };

static const struct api_op scenarios_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = READERS, .params = list_params,
	    .step = api_list_step, .list = &scenario_listing },
	{ .method = HTTP_METHOD_POST, .roles = ROLE_TREASURY,
	    .body = API_BODY_JSON, .step = scenario_create },
};

static const struct api_op item_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = READERS, .step = scenario_get },
};

int
http_scenarios(struct http_request *req)
{
	return (api_run(req, API_OPS(scenarios_ops)));
}

int
http_scenarios_item(struct http_request *req)
{
	return (api_run(req, API_OPS(item_ops)));
}
