/*
 * /v1/exposure, /v1/exposure/curve, /v1/stress-runs/{id}/tiers and
 * /v1/exposure/public-key: the government's aggregate view of a stress
 * run, grouped by region, sector, tier or size band, at one outage
 * length or at all of them, under one disclosure control
 * (core/exposure.h) over every grouping, every outage length and the
 * published runs of the run's scenario; and the key that verifies it.
 * The per-tier table is shown to treasury uncontrolled. Every reply that
 * is not an error carries
 *
 *	X-Signature: ed25519 <base64 of the signature of the body's bytes>
 *
 * made with the service's signing key over the exact buffer sent, so a
 * figure can be proved to come from this service, whoever passes it on.
 *
 * Government keys see published runs only: an unpublished run is 404,
 * exactly like a missing one. Treasury may read any finished run.
 *
 * A reply is built from the run's family, which does not change until
 * another run of its scenario is published, so each worker keeps the
 * bodies it built (core/reply_cache.h) under everything they depend on:
 * the kind of report, grouping, outage length, format, whether it is
 * controlled, the run, the family's version (read with the run on every
 * call, after the reader's role and the run's visibility are checked)
 * and the smallest group shown. A cached body is signed as it is sent,
 * like any other.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/exposure.h"
#include "core/reply_cache.h"
#include "crypto/keys.h"
#include "http/api.h"
#include "json/json_exposure.h"
#include "config.h"
#include "store/store_exposure.h"

int	http_exposure(struct http_request *);
int	http_exposure_curve(struct http_request *);
int	http_exposure_public_key(struct http_request *);
int	http_stress_run_tiers(struct http_request *);

#define READERS	(ROLE_TREASURY | ROLE_GOVERNMENT)

/* The groupings, in the release's order: a key per supplier for each. */
static const char *const groupings[] = {
	"region", "sector", "tier", "size_band"
};
#define NGROUPINGS	(sizeof(groupings) / sizeof(groupings[0]))
#define TIER		2

/* The worker's cache of replies: a demo curve is about 40 KB. */
#define CACHE_REPLIES	64
#define CACHE_BYTES	(16 * 1024 * 1024)

static struct reply_cache	cache;

enum kind {
	KIND_EXPOSURE,		/* one grouping at one L */
	KIND_CURVE,		/* one grouping at every L */
	KIND_TIERS,		/* per tier at one L */
};

/*
 * What the report carries from one query to the next. The release is
 * built in a Kore task (it takes a second on a national family): the
 * worker goes on serving while it runs.
 */
struct report {
	struct api_task			 t;	/* first: the task entry casts */
	enum kind			 kind;
	size_t				 grouping;
	int64_t				 outage_days;	/* -1: default */
	struct store_exposure_run	 run;
	struct store_exposure_results	*fam;		/* as published */
	size_t				 nfam;
	size_t				 self;		/* the run's place */
	struct db_rows			 members;
	int				 csv;
	int				 controlled;
	int				 fail;
	char				*body;		/* the task's reply */
	size_t				 len;
	char				 key[160];	/* in the cache */
};

static void
report_free(void *p)
{
	struct report	*rp = p;
	size_t		 i;

	if (rp == NULL)
		return;
	if (api_task_release(&rp->t) == -1)
		return;		/* still the task's (api.h) */
	db_rows_cleanup(&rp->members);
	free(rp->body);
	for (i = 0; i < rp->nfam; i++)
		store_exposure_results_cleanup(&rp->fam[i]);
	free(rp->fam);
	free(rp);
}

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
report_begin(struct api_ctx *ctx, enum kind kind)
{
	struct report	*rp;
	const char	*s;
	char		 id[24], *end;
	int64_t		 run;

	rp = api_data(ctx, sizeof(*rp), report_free);
	db_rows_init(&rp->members);
	rp->kind = kind;
	if (kind == KIND_TIERS) {
		if (api_path_id(ctx, "/v1/stress-runs/", "/tiers", id,
		    sizeof(id)) != API_NEXT)
			return (API_REPLY);
		if (id[0] < '1' || id[0] > '9' ||
		    (run = strtoll(id, &end, 10)) <= 0 || *end != '\0')
			return (api_not_found(ctx));
		s = uri_query_get(&ctx->query, "outage_days");
		if (uri_query_uint(s, 999999999, &rp->outage_days) == -1)
			return (api_bad_request(ctx, "outage_days is "
			    "required: an integer from 0 to the run's "
			    "max_outage_days"));
		rp->grouping = TIER;
	} else {
		s = uri_query_get(&ctx->query, "group_by");
		for (rp->grouping = 0; s != NULL &&
		    rp->grouping < NGROUPINGS; rp->grouping++) {
			if (strcmp(groupings[rp->grouping], s) == 0)
				break;
		}
		if (s == NULL)
			rp->grouping = 0;
		else if (rp->grouping == NGROUPINGS)
			return (api_bad_request(ctx, "group_by must be "
			    "region, sector, tier or size_band"));
		if (api_run_params(ctx, &run, &rp->outage_days) != API_NEXT)
			return (API_REPLY);
	}
	store_exposure_run(&ctx->q, run,
	    ctx->key.role != ROLE_TREASURY);
	return (api_query(ctx));
}

static const char *
report_type(const struct report *rp)
{
	return (rp->csv ? "text/csv; charset=utf-8" : "application/json");
}

/* The run is known and may be read: a reply built before, or its family. */
static enum api_result
report_family(struct api_ctx *ctx)
{
	struct report			*rp = ctx->data;
	const struct reply_cache_entry	*e;
	char				*body;

	switch (store_exposure_run_decode(&ctx->rows, &rp->run)) {
	case 0:
		return (api_not_found(ctx));
	case -1:
		return (api_db_error(ctx));
	}
	if (rp->kind != KIND_CURVE && api_run_outage(ctx, &rp->outage_days,
	    rp->run.default_outage_days, rp->run.max_outage_days) != API_NEXT)
		return (API_REPLY);
	rp->csv = api_wants_csv(ctx);
	rp->controlled = ctx->key.role != ROLE_TREASURY;
	snprintf(rp->key, sizeof(rp->key), "%d %zu %" PRId64 " %d %d %"
	    PRId64 " %s %ld", (int)rp->kind, rp->grouping,
	    rp->kind == KIND_CURVE ? (int64_t)-1 : rp->outage_days, rp->csv,
	    rp->controlled, rp->run.id, rp->run.family,
	    config_get()->min_cell_size);
	if (!cache.ready)
		reply_cache_init(&cache, CACHE_REPLIES, CACHE_BYTES);
	if ((e = reply_cache_get(&cache, rp->key)) != NULL) {
		if ((body = malloc(e->len + 1)) == NULL)
			abort();
		memcpy(body, e->body, e->len + 1);
		return (signed_reply(ctx, report_type(rp), body, e->len));
	}
	store_exposure_family(&ctx->q, rp->run.id);
	return (api_query(ctx));
}

static enum api_result
report_members(struct api_ctx *ctx)
{
	struct report	*rp = ctx->data;
	int		 i;

	if (ctx->rows.nrows < 1)
		return (api_db_error(ctx));
	rp->fam = calloc((size_t)ctx->rows.nrows, sizeof(*rp->fam));
	if (rp->fam == NULL)
		abort();
	for (i = 0; i < ctx->rows.nrows; i++) {
		if (store_exposure_results_decode(&ctx->rows, i,
		    &rp->fam[i]) == -1)
			return (api_db_error(ctx));
		rp->nfam++;
	}
	for (rp->self = 0; rp->self < rp->nfam &&
	    rp->fam[rp->self].run_id != rp->run.id; rp->self++)
		;
	if (rp->self == rp->nfam ||
	    (int64_t)rp->fam[rp->self].nl != rp->run.max_outage_days + 1)
		return (api_db_error(ctx));
	store_exposure_members(&ctx->q, rp->run.id);
	return (api_query(ctx));
}

/* The family's suppliers and results as the core takes them. */
static int
family_runs(struct report *rp, const struct db_rows *rows,
    struct exposure_run *runs, struct exposure_supplier **sp,
    struct exposure_result **rp_)
{
	struct store_exposure_member	 m;
	struct store_exposure_results	*x;
	struct exposure_supplier	*s;
	struct exposure_result		*r;
	size_t				 k, i, at, total;
	int				 row;

	for (k = 0, total = 0; k < rp->nfam; k++)
		total += rp->fam[k].n * rp->fam[k].nl;
	if ((s = calloc((size_t)rows->nrows + 1, sizeof(*s))) == NULL ||
	    (r = calloc(total + 1, sizeof(*r))) == NULL)
		abort();
	*sp = s;
	*rp_ = r;
	row = 0;
	for (k = 0, at = 0; k < rp->nfam; k++) {
		x = &rp->fam[k];
		runs[k].s = &s[row];
		runs[k].n = x->n;
		runs[k].r = &r[at];
		runs[k].nl = x->nl;
		for (i = 0; i < x->n; i++, row++) {
			if (row >= rows->nrows ||
			    store_exposure_member_decode(rows, row,
			    &m) == -1 || m.run_id != x->run_id)
				return (-1);
			s[row].id = m.supplier_id;
			s[row].key[0] = m.region;
			s[row].key[1] = m.sector;
			s[row].key[2] = m.tier;
			s[row].key[3] = exposure_size_band(m.employees);
			s[row].employees = m.employees;
		}
		for (i = 0; i < x->n * x->nl; i++, at++) {
			r[at].funding_gap = x->funding_gap[i];
			r[at].overdue = x->overdue[i];
			r[at].contagion = x->contagion[i] != 0;
		}
	}
	return (row == rows->nrows ? 0 : -1);
}

/* The task: the family's release, the tables asked for, the body. */
static int
report_task(struct kore_task *task)
{
	struct report			*rp = (struct report *)task;
	struct exposure_rules		 rules;
	struct exposure_release		 rel, prior;
	struct exposure_table		*t;
	struct exposure_run		*runs;
	struct exposure_supplier	*s = NULL;
	struct exposure_result		*r = NULL;
	struct exposure_expected	*eg = NULL;
	struct json_exposure_head	 h;
	struct json_exposure_expected	 ex, *exp = NULL;
	struct buf			 b;
	size_t				 L, lo, nt, i, k;
	int				 csv = rp->csv, fail;

	runs = calloc(rp->nfam, sizeof(*runs));
	if (runs == NULL)
		abort();
	if (family_runs(rp, &rp->members, runs, &s, &r) == -1) {
		free(runs);
		free(s);
		free(r);
		rp->fail = 1;
		return (KORE_RESULT_ERROR);
	}
	/*
	 * The release of the family as it grew, one publication at a time,
	 * each built on the one before, so that nothing suppressed before a
	 * publication is shown after it; at each step the lengths announced
	 * in its latest run are decided first.
	 */
	lo = rp->kind == KIND_CURVE ? 0 : (size_t)rp->outage_days;
	nt = rp->kind == KIND_CURVE ? runs[rp->self].nl : 1;
	t = calloc(nt, sizeof(*t));
	if (t == NULL)
		abort();
	memset(&rel, 0, sizeof(rel));
	fail = 0;
	for (k = 1; k <= rp->nfam && !fail; k++) {
		memset(&rules, 0, sizeof(rules));
		rules.min_cell_size = config_get()->min_cell_size;
		rules.dominance_bps = EXPOSURE_DOMINANCE_BPS;
		rules.first = rp->fam[k - 1].announced;
		rules.nfirst = rp->fam[k - 1].nannounced;
		prior = rel;
		rules.prior = k > 1 ? &prior : NULL;
		fail = exposure_release_build(runs, k, NGROUPINGS, &rules,
		    &rel) == -1;
		if (k > 1)
			exposure_release_cleanup(&prior);
	}
	for (i = 0; i < nt && !fail; i++) {
		L = lo + i;
		fail = exposure_table_build(&rel, &runs[rp->self],
		    rp->grouping, L, &t[i]) == -1;
	}
	/* The expected figures, under the same release. */
	memset(&ex, 0, sizeof(ex));
	if (!fail && rp->kind == KIND_EXPOSURE && rp->run.nprob > 0) {
		ex.groups = eg = calloc(t[0].ngroups + 1, sizeof(*eg));
		if (eg == NULL)
			abort();
		fail = exposure_expected_build(&rel, &runs[rp->self],
		    rp->grouping, rp->run.prob_days, rp->run.prob_bps,
		    rp->run.nprob, eg, t[0].ngroups, &ex.totals) == -1;
		exp = &ex;
	}
	if (fail) {
		free(eg);
		for (i = 0; i < nt; i++)
			exposure_table_cleanup(&t[i]);
		free(t);
		exposure_release_cleanup(&rel);
		free(runs);
		free(s);
		free(r);
		rp->fail = 2;
		return (KORE_RESULT_ERROR);
	}

	/* Printed once: the bytes signed are the bytes sent. */
	h.run_id = rp->run.id;
	h.outage_days = rp->kind == KIND_CURVE ? -1 : rp->outage_days;
	h.group_by = groupings[rp->grouping];
	h.min_cell_size = rules.min_cell_size;
	h.prob_days = rp->run.prob_days;
	h.prob_bps = rp->run.prob_bps;
	h.nprob = rp->run.nprob;
	buf_init(&b);
	switch (rp->kind) {
	case KIND_EXPOSURE:
		if (csv)
			json_exposure_csv(&b, &h, &t[0], exp);
		else
			json_exposure_body(&b, &h, &t[0], exp);
		break;
	case KIND_CURVE:
		if (csv)
			json_exposure_curve_csv(&b, &h, t, nt);
		else
			json_exposure_curve(&b, &h, t, nt);
		break;
	case KIND_TIERS:
		if (csv)
			json_exposure_tiers_csv(&b, &h, &t[0],
			    rp->controlled);
		else
			json_exposure_tiers(&b, &h, &t[0], rp->controlled);
		break;
	}
	for (i = 0; i < nt; i++)
		exposure_table_cleanup(&t[i]);
	free(t);
	free(eg);
	exposure_release_cleanup(&rel);
	free(runs);
	free(s);
	free(r);
	rp->body = buf_release(&b, &rp->len);
	return (KORE_RESULT_OK);
}

/* The family's suppliers are in: build the reply in a task. */
static enum api_result
report_build(struct api_ctx *ctx)
{
	struct report	*rp = ctx->data;

	db_rows_cleanup(&rp->members);
	rp->members = ctx->rows;
	db_rows_init(&ctx->rows);
	return (api_task_start(ctx, &rp->t, report_task));
}

static enum api_result
report_reply(struct api_ctx *ctx)
{
	struct report	*rp = ctx->data;
	char		*body;

	switch (rp->fail) {
	case 0:
		break;
	case 1:
		return (api_db_error(ctx));
	default:
		kore_log(LOG_ERR, "request %s: exposure of run %" PRId64
		    " does not add up", ctx->request_id, rp->run.id);
		return (api_error(ctx, 500, "internal", "internal error; "
		    "quote the request id to the operator", NULL));
	}
	body = rp->body;
	rp->body = NULL;
	reply_cache_put(&cache, rp->key, body, rp->len);
	return (signed_reply(ctx, report_type(rp), body, rp->len));
}

static enum api_result
report_step(struct api_ctx *ctx, enum kind kind)
{
	switch (ctx->step) {
	case 0:
		return (report_begin(ctx, kind));
	case 1:
		return (report_family(ctx));
	case 2:
		return (report_members(ctx));
	case 3:
		return (report_build(ctx));
	default:
		return (report_reply(ctx));
	}
}

/* GET /v1/exposure: find the run, read its family, group and sign. */
static enum api_result
exposure_get(struct api_ctx *ctx)
{
	return (report_step(ctx, KIND_EXPOSURE));
}

/* GET /v1/exposure/curve: the same, at every outage length. */
static enum api_result
curve_get(struct api_ctx *ctx)
{
	return (report_step(ctx, KIND_CURVE));
}

/* GET /v1/stress-runs/{id}/tiers?outage_days=L. */
static enum api_result
tiers_get(struct api_ctx *ctx)
{
	return (report_step(ctx, KIND_TIERS));
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

static const char *const curve_params[] = {
	"run", "group_by", NULL
};

static const struct api_op curve_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = READERS,
	    .params = curve_params, .step = curve_get },
};

static const char *const tiers_params[] = {
	"outage_days", NULL
};

static const struct api_op tiers_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = READERS,
	    .params = tiers_params, .step = tiers_get },
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
http_exposure_curve(struct http_request *req)
{
	return (api_run(req, API_OPS(curve_ops)));
}

int
http_stress_run_tiers(struct http_request *req)
{
	return (api_run(req, API_OPS(tiers_ops)));
}

int
http_exposure_public_key(struct http_request *req)
{
	return (api_run(req, API_OPS(public_key_ops)));
}
