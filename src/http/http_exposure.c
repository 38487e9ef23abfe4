/*
 * /v1/exposure and /v1/exposure/public-key: the government's aggregate
 * view of a stress run, grouped by region, sector, tier or size band,
 * under disclosure control (core/exposure.h), and the key that verifies
 * it. Every reply that is not an error carries
 *
 *	X-Signature: ed25519 <base64 of the signature of the body's bytes>
 *
 * made with the service's signing key over the exact buffer sent, so a
 * figure can be proved to come from this service, whoever passes it on.
 *
 * Government keys see published runs only: an unpublished run is 404,
 * exactly like a missing one. Treasury may read any finished run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/exposure.h"
#include "crypto/keys.h"
#include "http/api.h"
#include "json/json_exposure.h"
#include "config.h"
#include "store/store_exposure.h"

int	http_exposure(struct http_request *);
int	http_exposure_public_key(struct http_request *);

#define READERS	(ROLE_TREASURY | ROLE_GOVERNMENT)

/* How each group_by picks a supplier's key. */
static const char	*key_region(const struct store_exposure_line *);
static const char	*key_sector(const struct store_exposure_line *);
static const char	*key_tier(const struct store_exposure_line *);
static const char	*key_size_band(const struct store_exposure_line *);

static const struct {
	const char	*name;
	const char	*(*key)(const struct store_exposure_line *);
} groupings[] = {
	{ "region",	key_region },
	{ "sector",	key_sector },
	{ "tier",	key_tier },
	{ "size_band",	key_size_band },
};

static const char *
key_region(const struct store_exposure_line *l)
{
	return (l->region);
}

static const char *
key_sector(const struct store_exposure_line *l)
{
	return (l->sector);
}

static const char *
key_tier(const struct store_exposure_line *l)
{
	return (l->tier);
}

static const char *
key_size_band(const struct store_exposure_line *l)
{
	return (exposure_size_band(l->employees));
}

/* What the report carries from its first query to its second. */
struct report {
	size_t		 grouping;
	int64_t		 outage_days;	/* -1: the run's default */
	struct store_exposure_run run;
};

/* Send body (ours, len bytes) signed. */
static enum api_result
signed_reply(struct api_ctx *ctx, const char *type, char *body, size_t len)
{
	unsigned char	sig[crypto_sign_BYTES];
	char		b64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES,
			    sodium_base64_VARIANT_ORIGINAL)];

	keys_sign(config_get()->sign_secret, body, len, sig);
	sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig),
	    sodium_base64_VARIANT_ORIGINAL);
	ctx->header_name = "x-signature";
	snprintf(ctx->header_value, sizeof(ctx->header_value), "ed25519 %s",
	    b64);
	return (api_reply_raw(ctx, 200, type, body, len));
}

static enum api_result
report_begin(struct api_ctx *ctx)
{
	struct report	*rp;
	const char	*s;
	int64_t		 run;

	rp = api_data(ctx, sizeof(*rp), free);

	s = uri_query_get(&ctx->query, "group_by");
	for (rp->grouping = 0; s != NULL &&
	    rp->grouping < sizeof(groupings) / sizeof(groupings[0]);
	    rp->grouping++) {
		if (strcmp(groupings[rp->grouping].name, s) == 0)
			break;
	}
	if (s == NULL)
		rp->grouping = 0;
	else if (rp->grouping == sizeof(groupings) / sizeof(groupings[0]))
		return (api_bad_request(ctx, "group_by must be region, "
		    "sector, tier or size_band"));
	if (api_run_params(ctx, &run, &rp->outage_days) != API_NEXT)
		return (API_REPLY);
	store_exposure_run(&ctx->q, run,
	    ctx->key.role != ROLE_TREASURY);
	return (api_query(ctx));
}

static enum api_result
report_lines(struct api_ctx *ctx)
{
	struct report	*rp = ctx->data;

	switch (store_exposure_run_decode(&ctx->rows, &rp->run)) {
	case 0:
		return (api_not_found(ctx));
	case -1:
		return (api_db_error(ctx));
	}
	if (api_run_outage(ctx, &rp->outage_days, rp->run.default_outage_days,
	    rp->run.max_outage_days) != API_NEXT)
		return (API_REPLY);
	store_exposure_lines(&ctx->q, rp->run.id, rp->outage_days);
	return (api_query(ctx));
}

static enum api_result
report_reply(struct api_ctx *ctx)
{
	struct report			*rp = ctx->data;
	struct exposure_rules		 rules;
	struct exposure_table		 t;
	struct exposure_row		*rows;
	struct store_exposure_line	 l;
	struct json_exposure_head	 h;
	struct buf			 b;
	char				*body;
	size_t				 len;
	int				 i, csv;

	if ((rows = calloc(ctx->rows.nrows ? ctx->rows.nrows : 1,
	    sizeof(*rows))) == NULL)
		abort();
	for (i = 0; i < ctx->rows.nrows; i++) {
		if (store_exposure_line_decode(&ctx->rows, i, &l) == -1) {
			free(rows);
			return (api_db_error(ctx));
		}
		rows[i].key = groupings[rp->grouping].key(&l);
		rows[i].employees = l.employees;
		rows[i].breached = l.funding_gap > 0;
		rows[i].funding_gap = l.funding_gap;
	}
	rules.min_cell_size = config_get()->min_cell_size;
	rules.dominance_bps = EXPOSURE_DOMINANCE_BPS;
	if (exposure_build(rows, (size_t)ctx->rows.nrows, &rules, &t) == -1) {
		free(rows);
		kore_log(LOG_ERR, "request %s: exposure of run %" PRId64
		    " does not add up", ctx->request_id, rp->run.id);
		return (api_error(ctx, 500, "internal", "internal error; "
		    "quote the request id to the operator", NULL));
	}

	/* Printed once: the bytes signed are the bytes sent. */
	buf_init(&b);
	csv = api_wants_csv(ctx);
	if (csv) {
		json_exposure_csv(&b, &t);
	} else {
		h.run_id = rp->run.id;
		h.outage_days = rp->outage_days;
		h.group_by = groupings[rp->grouping].name;
		h.min_cell_size = rules.min_cell_size;
		json_exposure_body(&b, &h, &t);
	}
	exposure_table_cleanup(&t);
	free(rows);
	body = buf_release(&b, &len);
	return (signed_reply(ctx, csv ? "text/csv; charset=utf-8" :
	    "application/json", body, len));
}

/* GET /v1/exposure: find the run, read its lines, group and sign. */
static enum api_result
exposure_get(struct api_ctx *ctx)
{
	switch (ctx->step) {
	case 0:
		return (report_begin(ctx));
	case 1:
		return (report_lines(ctx));
	default:
		return (report_reply(ctx));
	}
}

/* GET /v1/exposure/public-key. */
static enum api_result
public_key_get(struct api_ctx *ctx)
{
	char	b64[sodium_base64_ENCODED_LEN(KEYS_SIGN_PUBLIC_LEN,
		    sodium_base64_VARIANT_ORIGINAL)];
	struct buf	b;
	char		*body;
	size_t		 len;

	sodium_bin2base64(b64, sizeof(b64), config_get()->sign_public,
	    KEYS_SIGN_PUBLIC_LEN, sodium_base64_VARIANT_ORIGINAL);
	buf_init(&b);
	buf_printf(&b, "{\"algorithm\":\"ed25519\",\"public_key\":\"%s\"}",
	    b64);
	body = buf_release(&b, &len);
	return (signed_reply(ctx, "application/json", body, len));
}

static const char *const exposure_params[] = {
	"run", "outage_days", "group_by", NULL
};

static const struct api_op exposure_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = READERS,
	    .params = exposure_params, .step = exposure_get },
};

static const struct api_op public_key_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = READERS, .step = public_key_get },
};

int
http_exposure(struct http_request *req)
{
	return (api_run(req, API_OPS(exposure_ops)));
}

int
http_exposure_public_key(struct http_request *req)
{
	return (api_run(req, API_OPS(public_key_ops)));
}
