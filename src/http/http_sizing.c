/*
 * /v1/facility-sizing: how big must a scheme's facility be, for one
 * outage length, on a finished stress run's snapshot. Treasury only.
 *
 * The sizing runs on the run's own snapshot (its suppliers, open
 * invoices, links and scenario, never today's data), with the scheme
 * named in the request as it is stored, whatever scheme the run itself
 * had. The request reads the run's row and the scheme (an unknown
 * either, or an outage length beyond the run's, is 422 with the field,
 * as a stress run's unknown scenario is), then the snapshot, and hands
 * the engine to a Kore task, as a stress run does: the grid's K + 1
 * runs of the model take long enough on a large snapshot that the
 * worker's event loop must not wait for them. The request sleeps
 * meanwhile, holding no database connection; then it takes the
 * sizing's id, prints the reply once, and stores both in one call.
 *
 * A sizing never changes once stored; GET reads it back, in the same
 * bytes, and `Accept: text/csv` gives its points.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/model.h"
#include "http/api.h"

#include "json/json.h"
#include "json/json_sizing.h"
#include "store/store_error.h"
#include "store/store_runs.h"
#include "store/store_schemes.h"
#include "store/store_sizing.h"

int	http_sizings(struct http_request *);
int	http_sizing(struct http_request *);

#define SIZING_PREFIX	"/v1/facility-sizing/"

/*
 * A sizing being made. While the task runs, the worker touches none of
 * it; once it has ended, the results are the worker's.
 */
struct job {
	struct api_task			 t;	/* first: the task entry casts */
	int				 ok;	/* the engine finished */
	int				 load_ok;	/* the snapshot decoded */
	struct model_error		 err;

	struct json_sizing_request	 r;
	char				 scheme_id[JSON_ID_MAX + 1];
	struct db_rows			 run_rows;
	struct store_run		 run;
	int				 has_run;
	struct model_scheme		 scheme;
	int				 has_scheme;
	struct db_rows			 sup_rows;
	struct db_rows			 inv_rows;
	struct db_rows			 link_rows;
	struct store_run_input		 input;

	struct model_sizing_point	*pts;
	struct model_sizing		 z;
	char				*points;
	char				*response;
	double				 t0;
	double				 engine_ms;
};

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

static void
job_free(void *p)
{
	struct job	*j = p;

	if (j == NULL)
		return;
	if (api_task_release(&j->t) == -1)
		return;		/* still the task's (api.h) */
	db_rows_cleanup(&j->run_rows);
	db_rows_cleanup(&j->sup_rows);
	db_rows_cleanup(&j->inv_rows);
	db_rows_cleanup(&j->link_rows);
	store_run_input_cleanup(&j->input);
	free(j->pts);
	free(j->points);
	free(j->response);
	free(j);
}

/*
 * The task, touching only the job: decode the snapshot, put the
 * requested scheme in the run's place, and size the facility.
 */
static int
job_run(struct kore_task *t)
{
	struct job		*j = (struct job *)t;
	struct model_opts	 opts;
	double			 t0;

	if (store_run_input_load(&j->input, &j->run, &j->sup_rows,
	    &j->inv_rows) == -1 ||
	    store_run_input_links(&j->input, &j->link_rows) == -1)
		return (KORE_RESULT_ERROR);
	j->load_ok = 1;
	j->input.in.scheme = &j->scheme;
	if ((j->pts = calloc((size_t)j->r.steps + 1, sizeof(*j->pts))) == NULL)
		abort();
	t0 = now_ms();
	memset(&opts, 0, sizeof(opts));
	opts.threads = 0;
	if (model_size_facility(&j->input.in, &opts, j->r.outage_days,
	    j->r.steps, j->r.has_target, j->r.target, j->pts, &j->z,
	    &j->err) == 0)
		j->ok = 1;
	j->engine_ms = now_ms() - t0;
	return (j->ok ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}

enum {
	CREATE_BEGIN,
	CREATE_RUN,
	CREATE_SCHEME,
	CREATE_SUPPLIERS,
	CREATE_INVOICES,
	CREATE_LINKS,
	CREATE_ENGINE,
	CREATE_RESERVED,
	CREATE_STORED,
};

/* Keep the last result: the next query would clean it up. */
static void
keep_rows(struct api_ctx *ctx, struct db_rows *to)
{
	db_rows_cleanup(to);
	*to = ctx->rows;
	db_rows_init(&ctx->rows);
}

/* The engine refused the snapshot: say which record and why. */
static enum api_result
engine_failed(struct api_ctx *ctx, struct job *j)
{
	cJSON	*details;

	if (j->err.code != MODEL_ERR_INVALID &&
	    j->err.code != MODEL_ERR_OVERFLOW) {
		kore_log(LOG_ERR, "request %s: engine error %d: %s",
		    ctx->request_id, (int)j->err.code, j->err.problem);
		return (api_error(ctx, 500, "internal", "internal error; quote "
		    "the request id to the operator", NULL));
	}
	details = json_details_new();
	json_detail(details, j->err.field, 0, "%s%s%s: %s",
	    j->err.object ? j->err.object : "input", j->err.id[0] ? " " : "",
	    j->err.id, j->err.problem);
	return (api_invalid(ctx, details));
}

/*
 * The run's row and the scheme are back: every field that names nothing,
 * or an outage length the run did not cover, is one 422 detail.
 */
static enum api_result
check_references(struct api_ctx *ctx, struct job *j)
{
	struct store_scheme	 st;
	cJSON			*details;
	int			 bad = 0;

	details = json_details_new();
	if (!j->has_run) {
		json_detail(details, "run_id", 0, "no such stress run");
		bad++;
	} else if (j->r.outage_days > j->run.max_outage_days) {
		json_detail(details, "outage_days", 0, "must not exceed the "
		    "run's max_outage_days (%" PRId64 ")",
		    j->run.max_outage_days);
		bad++;
	}
	if (ctx->rows.nrows != 1) {
		json_detail(details, "scheme_id", 0, "no such scheme");
		bad++;
	} else {
		if (store_scheme_decode(&ctx->rows, 0, 0, &st) == -1 ||
		    store_sizing_scheme(&st, &j->scheme) == -1) {
			cJSON_Delete(details);
			return (api_db_error(ctx));
		}
		j->has_scheme = 1;
	}
	if (bad)
		return (api_invalid(ctx, details));
	cJSON_Delete(details);
	return (API_NEXT);
}

/* The reply, printed once: sent now and stored for a replay. */
static int
job_response(struct job *j, struct store_sizing *s)
{
	cJSON	*body;
	char	*text;
	size_t	 len;

	if ((body = json_sizing_encode(s, 1)) == NULL)
		return (-1);
	text = json_print(body, &len);
	cJSON_Delete(body);
	if ((j->response = malloc(len + 1)) == NULL)
		abort();
	memcpy(j->response, text, len + 1);
	cJSON_free(text);
	return (0);
}

static enum api_result
sizing_stored(struct api_ctx *ctx, struct job *j)
{
	struct store_sizing		 s;
	struct store_sizing_write	 w;
	const char			*created_at;

	memset(&s, 0, sizeof(s));
	if (store_sizing_reserve_decode(&ctx->rows, &s.id, &created_at) == -1)
		return (api_db_error(ctx));
	api_resource(ctx, "facility-sizing:%" PRId64, s.id);
	s.run_id = j->r.run_id;
	s.scheme_id = j->r.scheme_id;
	s.outage_days = j->z.outage_days;
	s.steps = j->z.steps;
	s.target = j->z.target;
	s.unlimited_peak = j->z.uncapped_peak;
	s.smallest = j->z.facility_limit;
	s.created_at = created_at;
	if ((j->points = json_sizing_points(j->pts,
	    (size_t)j->z.steps + 1)) == NULL)
		abort();
	s.points = j->points;
	if (job_response(j, &s) == -1)
		return (api_db_error(ctx));
	memset(&w, 0, sizeof(w));
	w.sizing = &s;
	w.created_at = created_at;
	w.key_id = ctx->key.id;
	w.idem_key = ctx->idem_key;
	w.request_hash = ctx->request_hash;
	w.status = 201;
	w.response = j->response;
	store_sizing_store(&ctx->q, &w);
	return (api_query_errors(ctx));
}

static enum api_result
sizing_create(struct api_ctx *ctx)
{
	struct job		*j = ctx->data;
	struct json_sizing_request r;
	cJSON			*details;
	char			*copy;
	enum api_result		 res;

	switch (ctx->step) {
	case CREATE_BEGIN:
		details = json_details_new();
		if (json_sizing_request_decode(ctx->json, &r, details) == -1)
			return (api_invalid(ctx, details));
		cJSON_Delete(details);
		j = api_data(ctx, sizeof(*j), job_free);
		j->r = r;
		/* The body goes with the request; the job keeps its own. */
		snprintf(j->scheme_id, sizeof(j->scheme_id), "%s",
		    r.scheme_id);
		j->r.scheme_id = j->scheme_id;
		db_rows_init(&j->run_rows);
		db_rows_init(&j->sup_rows);
		db_rows_init(&j->inv_rows);
		db_rows_init(&j->link_rows);
		store_run_input_init(&j->input);
		j->t0 = now_ms();
		store_run_get(&ctx->q, j->r.run_id, 1);
		return (api_query(ctx));
	case CREATE_RUN:
		keep_rows(ctx, &j->run_rows);
		if (j->run_rows.nrows == 1) {
			if (store_run_decode(&j->run_rows, 0, &j->run) == -1)
				return (api_db_error(ctx));
			j->has_run = 1;
		}
		store_scheme_get(&ctx->q, j->r.scheme_id);
		return (api_query(ctx));
	case CREATE_SCHEME:
		if ((res = check_references(ctx, j)) != API_NEXT)
			return (res);
		store_run_inputs_suppliers(&ctx->q, j->r.run_id);
		return (api_query(ctx));
	case CREATE_SUPPLIERS:
		keep_rows(ctx, &j->sup_rows);
		store_run_inputs_invoices(&ctx->q, j->r.run_id);
		return (api_query(ctx));
	case CREATE_INVOICES:
		keep_rows(ctx, &j->inv_rows);
		store_run_inputs_links(&ctx->q, j->r.run_id);
		return (api_query(ctx));
	case CREATE_LINKS:
		keep_rows(ctx, &j->link_rows);
		return (api_task_start(ctx, &j->t, job_run));
	case CREATE_ENGINE:
		if (!j->load_ok)
			return (api_db_error(ctx));
		if (!j->ok)
			return (engine_failed(ctx, j));
		store_sizing_reserve(&ctx->q);
		return (api_query(ctx));
	case CREATE_RESERVED:
		return (sizing_stored(ctx, j));
	default:
		/* The same key stored first by a concurrent repeat. */
		if (ctx->idem_key != NULL &&
		    store_error(&ctx->rows) == STORE_ERR_DUPLICATE)
			return (api_retry(ctx));
		if (ctx->rows.failed)
			return (api_db_error(ctx));
		kore_log(LOG_INFO, "facility sizing on run %" PRId64 ": %zu "
		    "suppliers, %zu invoices, L %" PRId64 ", %" PRId64
		    " steps: engine %.0f ms, in all %.0f ms", j->r.run_id,
		    j->input.in.nsuppliers, j->input.in.ninvoices,
		    j->z.outage_days, j->z.steps, j->engine_ms,
		    now_ms() - j->t0);
		if ((copy = strdup(j->response)) == NULL)
			abort();
		return (api_reply_raw(ctx, 201, "application/json", copy,
		    strlen(copy)));
	}
}

/* GET /v1/facility-sizing[?run_id=]: newest first, without points. */

static cJSON *
sizing_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	struct store_sizing	s;

	if (store_sizing_decode(r, (*row)++, &s) == -1)
		return (NULL);
	snprintf(key, len, "%" PRId64, s.id);
	return (json_sizing_encode(&s, 0));
}

static enum api_result
sizing_list(struct api_ctx *ctx)
{
	const char	*v;
	int64_t		 run = 0, before;
	int		 limit;

	if (api_page_seq(ctx, &limit, &before, 1) != API_NEXT)
		return (API_REPLY);
	if (ctx->step > 0)
		return (api_reply_page(ctx, limit, sizing_item));
	v = uri_query_get(&ctx->query, "run_id");
	if (v != NULL && (uri_query_uint(v, INT64_MAX, &run) == -1 ||
	    run == 0))
		return (api_bad_request(ctx, "run_id must be a stress run id"));
	store_sizing_list(&ctx->q, run, before, limit + 1);
	return (api_query(ctx));
}

/* GET /v1/facility-sizing/{id}, JSON or its points as CSV. */
static enum api_result
sizing_get(struct api_ctx *ctx)
{
	struct store_sizing	 s;
	struct buf		 b;
	struct csv		 c;
	cJSON			*o;
	char			 id[24], *end, *body;
	size_t			 len;
	int64_t			 n;

	if (ctx->step == 0) {
		if (api_path_id(ctx, SIZING_PREFIX, NULL, id, sizeof(id)) !=
		    API_NEXT)
			return (API_REPLY);
		if (id[0] < '1' || id[0] > '9' ||
		    (n = strtoll(id, &end, 10)) <= 0 || *end != '\0')
			return (api_not_found(ctx));
		store_sizing_get(&ctx->q, n);
		return (api_query(ctx));
	}
	if (ctx->rows.nrows != 1)
		return (api_not_found(ctx));
	if (store_sizing_decode(&ctx->rows, 0, &s) == -1)
		return (api_db_error(ctx));
	if (api_wants_csv(ctx)) {
		buf_init(&b);
		csv_init(&c, &b);
		if (json_sizing_csv(&c, s.points) == -1) {
			buf_cleanup(&b);
			return (api_db_error(ctx));
		}
		body = buf_release(&b, &len);
		return (api_reply_raw(ctx, 200, "text/csv; charset=utf-8",
		    body, len));
	}
	if ((o = json_sizing_encode(&s, 1)) == NULL)
		return (api_db_error(ctx));
	return (api_reply(ctx, 200, o));
}

static const char *const list_params[] = {
	"run_id", "limit", "cursor", NULL
};

static const struct api_op sizings_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY,
	    .params = list_params, .step = sizing_list },
	{ .method = HTTP_METHOD_POST, .roles = ROLE_TREASURY,
	    .body = API_BODY_JSON, .step = sizing_create, .idempotent = 1,
	    .expensive = 1 },
};
static const struct api_op sizing_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY,
	    .step = sizing_get },
};

int
http_sizings(struct http_request *req)
{
	return (api_run(req, API_OPS(sizings_ops)));
}

int
http_sizing(struct http_request *req)
{
	return (api_run(req, API_OPS(sizing_ops)));
}
