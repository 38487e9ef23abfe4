/*
 * /v1/stress-runs: treasury runs the liquidity model over outage lengths
 * 0..max on a snapshot of today's data, reads the curve and the
 * per-supplier report for any length (JSON or CSV), and publishes runs.
 *
 * A run first reads the longest outage length of its scenario's outage
 * probabilities (a range short of it is refused before anything is
 * written), copies its inputs in the database (one statement, which also
 * answers with the open invoices), reads the run's row and its suppliers,
 * and hands the engine to a Kore task: the sweep, which also keeps every
 * supplier's result for every outage length, takes long enough that the
 * worker's event loop must not wait for it. The task also decodes and
 * sorts the snapshot, and hands over the query that stores its invoices
 * (api_task_signal), which the request sends while the engine runs; then
 * it sleeps until the task's end wakes it, holding no database connection
 * meanwhile, and the results (with the expected figures and breach
 * probabilities the outage probabilities give, when there are any) are
 * stored in one statement together with the idempotent reply.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/cursor.h"
#include "core/model.h"
#include "crypto/digest.h"
#include "http/api.h"

#include "json/json.h"
#include "json/json_runs.h"
#include "store/store_error.h"
#include "store/store_runs.h"
#include "store/store_scenarios.h"

int	http_stress_runs(struct http_request *);
int	http_stress_run(struct http_request *);
int	http_stress_run_suppliers(struct http_request *);
int	http_stress_run_publish(struct http_request *);

#define RUNS_PREFIX	"/v1/stress-runs/"

/*
 * A run being made: the snapshot, the engine's results, the reply. While
 * the task runs, the worker reads only what the task has handed over:
 * `keep` once it has signalled, everything once the task has finished.
 */
struct job {
	struct api_task		 t;		/* first: the task entry casts */
	int			 ok;		/* the engine finished */
	int			 load_ok;	/* the snapshot decoded */
	struct model_error	 err;

	int64_t			 id;
	struct db_rows		 run_rows;
	struct store_run	 run;
	struct db_rows		 sup_rows;
	struct db_rows		 inv_rows;
	struct db_rows		 link_rows;
	struct store_run_input	 input;
	struct db_query		 keep;		/* the invoices, to store */

	struct json_run_request	 req;		/* from the body */
	struct model_point	*curve;
	int64_t			*breaks;
	struct model_result	*results;
	struct model_expected	 expected;	/* with input.nprob */
	int64_t			*breach_bps;
	char			*expected_text;
	char			 digest[STORE_RUN_DIGEST_HEX];
	char			*curve_text;
	char			*response;

	/* Milliseconds per phase, logged once the run is stored. */
	double			 t0;
	double			 ms[6];
	double			 load_ms;	/* parts of the task's phase */
	double			 digest_ms;
};

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

/* Close the phase that just ended. */
static void
job_lap(struct job *j, int phase)
{
	double	t;

	t = now_ms();
	j->ms[phase] = t - j->t0;
	j->t0 = t;
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
	db_query_reset(&j->keep);
	free(j->curve);
	free(j->breaks);
	free(j->results);
	free(j->breach_bps);
	free(j->expected_text);
	free(j->curve_text);
	free(j->response);
	free(j);
}

static void
job_alloc_results(struct job *j)
{
	size_t	n, nl;

	n = j->input.in.nsuppliers;
	nl = (size_t)j->run.max_outage_days + 1;
	if ((j->curve = calloc(nl, sizeof(*j->curve))) == NULL ||
	    (j->breaks = calloc(n ? n : 1, sizeof(*j->breaks))) == NULL ||
	    (j->results = calloc(n ? n * nl : 1, sizeof(*j->results))) == NULL ||
	    (j->breach_bps = calloc(n ? n : 1, sizeof(*j->breach_bps))) == NULL)
		abort();
}

/*
 * The task, in a Kore task thread, touching only the job: decode the
 * snapshot and sort its invoices, hand the worker the query that stores
 * them (which runs meanwhile), then the digest and one sweep for the
 * curve, breaks_at_outage_days and every supplier's figures for every
 * outage length, and from those what the scenario's outage probabilities
 * give. The worker's event loop does none of this work.
 */
static int
job_run(struct kore_task *t)
{
	struct job		*j = (struct job *)t;
	struct run_digest_input	 digest;
	struct model_opts	 opts;
	struct model		*m;
	double			 t0;

	t0 = now_ms();
	if (store_run_input_load(&j->input, &j->run, &j->sup_rows,
	    &j->inv_rows) == -1 ||
	    store_run_input_links(&j->input, &j->link_rows) == -1)
		return (KORE_RESULT_ERROR);
	j->load_ok = 1;
	job_alloc_results(j);
	store_run_keep_invoices(&j->keep, j->id, &j->input);
	j->load_ms = now_ms() - t0;
	api_task_signal(&j->t);

	t0 = now_ms();
	store_run_input_digest_input(&j->input, &j->run, &digest);
	digest_run_input(&digest, j->digest);
	j->digest_ms = now_ms() - t0;

	/* One engine thread per CPU, beside the worker's event loop. */
	memset(&opts, 0, sizeof(opts));
	opts.threads = 0;
	if ((m = model_alloc(&j->input.in, &opts, &j->err)) == NULL)
		return (KORE_RESULT_ERROR);
	if (model_sweep_results(m, j->run.max_outage_days, j->curve,
	    j->breaks, j->results, &j->err) == 0 &&
	    (j->input.nprob == 0 || model_outage_figures(j->input.prob,
	    j->input.nprob, j->curve, j->results, j->input.in.nsuppliers,
	    j->run.max_outage_days, &j->expected, j->breach_bps,
	    &j->err) == 0))
		j->ok = 1;
	model_free(m);
	return (j->ok ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}

enum {
	CREATE_CHECK,
	CREATE_BEGIN,
	CREATE_RUN,
	CREATE_SUPPLIERS,
	CREATE_LINKS,
	CREATE_ENGINE,
	CREATE_KEEP,
	CREATE_KEPT,
	CREATE_STORED,
};

static int
run_id(struct api_ctx *ctx, const char *suffix, int64_t *id)
{
	char	s[24], *end;

	if (api_path_id(ctx, RUNS_PREFIX, suffix, s, sizeof(s)) != API_NEXT)
		return (-1);
	if (s[0] < '1' || s[0] > '9' ||
	    (*id = strtoll(s, &end, 10)) <= 0 || *end != '\0') {
		api_not_found(ctx);
		return (-1);
	}
	return (0);
}

/* What stress_run_begin refused, as 422 details. */
static const struct {
	enum store_error	 error;
	const char		*field;
	const char		*problem;
} begin_errors[] = {
	{ STORE_ERR_NO_SCENARIO, "scenario_id", "no such scenario" },
	{ STORE_ERR_NO_SCHEME, "scheme_id", "no such scheme" },
	{ STORE_ERR_BEYOND_HORIZON, "max_outage_days", "must not exceed the "
	    "scenario's horizon_days" },
};

static enum api_result
begin_failed(struct api_ctx *ctx)
{
	cJSON	*details;
	size_t	 i;

	for (i = 0; i < sizeof(begin_errors) / sizeof(begin_errors[0]); i++) {
		if (store_error(&ctx->rows) == begin_errors[i].error) {
			details = json_details_new();
			json_detail(details, begin_errors[i].field, 0, "%s",
			    begin_errors[i].problem);
			return (api_invalid(ctx, details));
		}
	}
	return (api_db_error(ctx));
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

/* The reply, printed once: sent now and stored for a replay. */
static int
job_response(struct job *j)
{
	cJSON	*body;
	char	*s;
	size_t	 len;

	j->curve_text = json_run_curve(j->curve,
	    (size_t)j->run.max_outage_days + 1);
	j->run.curve = j->curve_text;
	if (j->input.nprob > 0) {
		j->expected_text = json_run_expected(&j->expected);
		j->run.expected = j->expected_text;
	}
	j->run.inputs_digest = j->digest;
	if ((body = json_run_encode(&j->run, 1)) == NULL)
		return (-1);
	s = json_print(body, &len);
	cJSON_Delete(body);
	if ((j->response = malloc(len + 1)) == NULL)
		abort();
	memcpy(j->response, s, len + 1);
	cJSON_free(s);
	return (0);
}

static enum api_result
run_create(struct api_ctx *ctx)
{
	struct job			*j = ctx->data;
	struct json_run_request		 r;
	struct store_run_results	 res;
	cJSON				*details;
	char				*copy;
	int64_t				 longest;

	switch (ctx->step) {
	case CREATE_CHECK:
		details = json_details_new();
		if (json_run_request_decode(ctx->json, &r, details) == -1)
			return (api_invalid(ctx, details));
		cJSON_Delete(details);
		j = api_data(ctx, sizeof(*j), job_free);
		db_rows_init(&j->run_rows);
		db_rows_init(&j->sup_rows);
		db_rows_init(&j->inv_rows);
		db_rows_init(&j->link_rows);
		store_run_input_init(&j->input);
		j->req = r;
		j->t0 = now_ms();
		/* Scenarios never change: what is read now holds at begin. */
		store_scenario_outage_max(&ctx->q, r.scenario_id);
		return (api_query(ctx));
	case CREATE_BEGIN:
		if (store_scenario_outage_max_decode(&ctx->rows, &longest) == -1)
			return (api_db_error(ctx));
		if (longest > j->req.max_outage_days) {
			details = json_details_new();
			json_detail(details, "max_outage_days", 0, "must be at "
			    "least %" PRId64 ", the longest outage length in "
			    "the scenario's outage_probabilities", longest);
			return (api_invalid(ctx, details));
		}
		store_run_begin(&ctx->q, j->req.scenario_id, j->req.scheme_id,
		    j->req.max_outage_days);
		return (api_query_errors(ctx));
	case CREATE_RUN:
		if (ctx->rows.failed)
			return (begin_failed(ctx));
		if (store_run_begin_id(&ctx->rows, &j->id) == -1)
			return (api_db_error(ctx));
		j->inv_rows = ctx->rows;
		db_rows_init(&ctx->rows);
		api_resource(ctx, "stress-run:%" PRId64, j->id);
		job_lap(j, 0);
		store_run_get(&ctx->q, j->id, 0);
		return (api_query(ctx));
	case CREATE_SUPPLIERS:
		j->run_rows = ctx->rows;
		db_rows_init(&ctx->rows);
		if (store_run_decode(&j->run_rows, 0, &j->run) == -1)
			return (api_db_error(ctx));
		store_run_inputs_suppliers(&ctx->q, j->id);
		return (api_query(ctx));
	case CREATE_LINKS:
		j->sup_rows = ctx->rows;
		db_rows_init(&ctx->rows);
		store_run_inputs_links(&ctx->q, j->id);
		return (api_query(ctx));
	case CREATE_ENGINE:
		j->link_rows = ctx->rows;
		db_rows_init(&ctx->rows);
		job_lap(j, 1);
		return (api_task_start(ctx, &j->t, job_run));
	case CREATE_KEEP:
		/* The task has signalled that the snapshot loaded, or ended. */
		if (!j->load_ok)
			return (api_db_error(ctx));
		ctx->q = j->keep;
		memset(&j->keep, 0, sizeof(j->keep));
		return (api_query(ctx));
	case CREATE_KEPT:
		return (api_task_wait(ctx, &j->t));
	case CREATE_STORED:
		job_lap(j, 2);
		if (!j->ok)
			return (engine_failed(ctx, j));
		if (job_response(j) == -1)
			return (api_db_error(ctx));
		memset(&res, 0, sizeof(res));
		res.id = j->id;
		res.digest = j->digest;
		res.curve = j->curve_text;
		res.input = &j->input;
		res.breaks = j->breaks;
		res.results = j->results;
		if (j->input.nprob > 0) {
			res.expected = j->expected_text;
			res.breach_bps = j->breach_bps;
		}
		res.max_outage_days = j->run.max_outage_days;
		res.key_id = ctx->key.id;
		res.idem_key = ctx->idem_key;
		res.request_hash = ctx->request_hash;
		res.status = 201;
		res.response = j->response;
		job_lap(j, 3);
		store_run_finish(&ctx->q, &res);
		return (api_query_errors(ctx));
	default:
		/* The same key stored first by a concurrent repeat. */
		if (ctx->idem_key != NULL &&
		    store_error(&ctx->rows) == STORE_ERR_DUPLICATE)
			return (api_retry(ctx));
		if (ctx->rows.failed)
			return (api_db_error(ctx));
		job_lap(j, 4);
		kore_log(LOG_INFO, "stress run %" PRId64 ": %zu suppliers, %zu "
		    "invoices, %zu links, L 0..%" PRId64 ": snapshot %.0f ms, "
		    "read %.0f ms, load %.0f ms, digest %.0f ms, engine %.0f ms, "
		    "reply %.0f ms, store %.0f ms",
		    j->id, j->input.in.nsuppliers, j->input.in.ninvoices,
		    j->input.in.nlinks,
		    j->run.max_outage_days, j->ms[0], j->ms[1], j->load_ms,
		    j->digest_ms, j->ms[2] - j->load_ms - j->digest_ms,
		    j->ms[3], j->ms[4]);
		if ((copy = strdup(j->response)) == NULL)
			abort();
		return (api_reply_raw(ctx, 201, "application/json", copy,
		    strlen(copy)));
	}
}

static cJSON *
run_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	struct store_run	run;

	if (store_run_decode(r, (*row)++, &run) == -1)
		return (NULL);
	snprintf(key, len, "%" PRId64, run.id);
	return (json_run_encode(&run, 0));
}

/* GET /v1/stress-runs: finished runs, newest first, without curves. */
static const struct api_listing run_listing = {
	.after_seq = store_run_list, .seq_min = 1, .item = run_item
};

static enum api_result
run_reply(struct api_ctx *ctx)
{
	struct store_run	 run;
	cJSON			*j;

	if (ctx->rows.nrows != 1)
		return (api_not_found(ctx));
	if (store_run_decode(&ctx->rows, 0, &run) == -1 ||
	    (j = json_run_encode(&run, 1)) == NULL)
		return (api_db_error(ctx));
	return (api_reply(ctx, 200, j));
}

/* GET /v1/stress-runs/{id} */
static enum api_result
run_get(struct api_ctx *ctx)
{
	int64_t	id;

	if (ctx->step == 0) {
		if (run_id(ctx, NULL, &id) == -1)
			return (API_REPLY);
		store_run_get(&ctx->q, id, 1);
		return (api_query(ctx));
	}
	return (run_reply(ctx));
}

/*
 * POST /v1/stress-runs/{id}/publish: publishing again changes nothing.
 * The body, when there is one, must be an empty object: publishing takes
 * no options, and an unknown field is refused like anywhere else.
 */
static const char *const publish_fields[] = { NULL };

static enum api_result
run_publish(struct api_ctx *ctx)
{
	cJSON	*details;
	int64_t	 id;

	switch (ctx->step) {
	case 0:
		if (run_id(ctx, "/publish", &id) == -1)
			return (API_REPLY);
		if (ctx->json != NULL) {
			details = json_details_new();
			if (json_check_fields(ctx->json, publish_fields,
			    details) > 0)
				return (api_invalid(ctx, details));
			cJSON_Delete(details);
		}
		api_resource(ctx, "stress-run:%" PRId64, id);
		store_run_publish(&ctx->q, id);
		return (api_query(ctx));
	case 1:
		if (ctx->rows.nrows != 1 ||
		    db_rows_int64(&ctx->rows, 0, 0, &id) == -1)
			return (api_not_found(ctx));
		store_run_get(&ctx->q, id, 1);
		return (api_query(ctx));
	default:
		return (run_reply(ctx));
	}
}

/*
 * GET /v1/stress-runs/{id}/suppliers?outage_days=L[&below=true]
 * [&contagion=true][&sort=breach_day|breach_probability]
 */

struct report {
	int64_t			id;
	int64_t			L;
	int			below;
	int			contagion;
	enum store_run_sort	sort;
};

static const struct {
	const char		*name;
	enum store_run_sort	 sort;
} sorts[] = {
	{ "breach_day", STORE_RUN_SORT_BREACH_DAY },
	{ "breach_probability", STORE_RUN_SORT_BREACH_PROBABILITY },
};

static void
report_free(void *p)
{
	free(p);
}

static enum api_result
report_params(struct api_ctx *ctx, struct report *rp)
{
	const char	*s;
	size_t		 i;

	s = uri_query_get(&ctx->query, "outage_days");
	if (uri_query_uint(s, MODEL_HORIZON_MAX, &rp->L) == -1)
		return (api_bad_request(ctx, "outage_days is required: an "
		    "integer from 0 to the run's max_outage_days"));
	s = uri_query_get(&ctx->query, "below");
	if (s != NULL && strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
		return (api_bad_request(ctx, "below must be true or false"));
	rp->below = s != NULL && strcmp(s, "true") == 0;
	s = uri_query_get(&ctx->query, "contagion");
	if (s != NULL && strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
		return (api_bad_request(ctx,
		    "contagion must be true or false"));
	rp->contagion = s != NULL && strcmp(s, "true") == 0;
	s = uri_query_get(&ctx->query, "sort");
	for (i = 0; s != NULL && i < sizeof(sorts) / sizeof(sorts[0]); i++) {
		if (strcmp(s, sorts[i].name) == 0)
			break;
	}
	if (s != NULL && i == sizeof(sorts) / sizeof(sorts[0]))
		return (api_bad_request(ctx, "sort must be breach_day or "
		    "breach_probability"));
	rp->sort = s != NULL ? sorts[i].sort : STORE_RUN_SORT_BREACH_DAY;
	return (API_NEXT);
}

static enum api_result
report_page(struct api_ctx *ctx, enum store_run_sort sort, int limit)
{
	struct store_run_supplier	 s;
	struct buf			 b;
	struct csv			 c;
	cJSON				*root = NULL, *items = NULL;
	char				 key[CURSOR_KEY_MAX], next[CURSOR_MAX + 2];
	char				*body;
	size_t				 len;
	int				 i, csv;

	csv = api_wants_csv(ctx);
	if (csv) {
		buf_init(&b);
		csv_init(&c, &b);
		json_run_supplier_csv_header(&c);
	} else
		items = api_list(&root);
	key[0] = '\0';
	for (i = 0; i < ctx->rows.nrows && i < limit; i++) {
		if (store_run_supplier_decode(&ctx->rows, i, &s) == -1) {
			if (csv)
				buf_cleanup(&b);
			else
				cJSON_Delete(root);
			return (api_db_error(ctx));
		}
		if (csv)
			json_run_supplier_csv(&c, &s);
		else
			cJSON_AddItemToArray(items,
			    json_run_supplier_encode(&s));
		store_run_cursor_make(&s, sort, key, sizeof(key));
	}
	if (!csv) {
		if (ctx->rows.nrows > limit)
			api_list_next(root, key);
		return (api_reply(ctx, 200, root));
	}
	/* CSV has no envelope: the next page's cursor is a header. */
	if (ctx->rows.nrows > limit &&
	    cursor_encode(key, next, sizeof(next)) == 0)
		http_response_header(ctx->req, "x-next-cursor", next);
	body = buf_release(&b, &len);
	return (api_reply_raw(ctx, 200, "text/csv; charset=utf-8", body, len));
}

static enum api_result
run_suppliers(struct api_ctx *ctx)
{
	struct report	*rp = ctx->data;
	struct store_run run;
	const char	*after_id;
	char		 cur[CURSOR_KEY_MAX];
	int64_t		 after_day;
	int		 limit;

	if (api_page(ctx, &limit, cur, sizeof(cur)) != API_NEXT)
		return (API_REPLY);
	switch (ctx->step) {
	case 0:
		rp = api_data(ctx, sizeof(*rp), report_free);
		if (run_id(ctx, "/suppliers", &rp->id) == -1)
			return (API_REPLY);
		if (report_params(ctx, rp) != API_NEXT)
			return (API_REPLY);
		store_run_get(&ctx->q, rp->id, 1);
		return (api_query(ctx));
	case 1:
		if (ctx->rows.nrows != 1)
			return (api_not_found(ctx));
		if (store_run_decode(&ctx->rows, 0, &run) == -1)
			return (api_db_error(ctx));
		if (rp->L > run.max_outage_days)
			return (api_bad_request(ctx, "outage_days must be "
			    "from 0 to the run's max_outage_days"));
		if (store_run_cursor_parse(cur, &after_day, &after_id) == -1)
			return (api_bad_request(ctx, "malformed cursor"));
		store_run_suppliers(&ctx->q, rp->id, rp->L, rp->below,
		    rp->contagion, rp->sort, after_day, after_id, limit + 1);
		return (api_query(ctx));
	default:
		return (report_page(ctx, rp->sort, limit));
	}
}

static const char *const page_params[] = { "limit", "cursor", NULL };
static const char *const report_qs[] = {
	"outage_days", "below", "contagion", "sort", "limit", "cursor", NULL
};

static const struct api_op runs_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY,
	    .params = page_params, .step = api_list_step,
	    .list = &run_listing },
	{ .method = HTTP_METHOD_POST, .roles = ROLE_TREASURY,
	    .body = API_BODY_JSON, .step = run_create, .idempotent = 1,
	    .expensive = 1 },
};
static const struct api_op run_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY, .step = run_get },
};
static const struct api_op suppliers_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY,
	    .params = report_qs, .step = run_suppliers },
};
static const struct api_op publish_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = ROLE_TREASURY,
	    .body = API_BODY_JSON_OPTIONAL, .step = run_publish },
};

int
http_stress_runs(struct http_request *req)
{
	return (api_run(req, API_OPS(runs_ops)));
}

int
http_stress_run(struct http_request *req)
{
	return (api_run(req, API_OPS(run_ops)));
}

int
http_stress_run_suppliers(struct http_request *req)
{
	return (api_run(req, API_OPS(suppliers_ops)));
}

int
http_stress_run_publish(struct http_request *req)
{
	return (api_run(req, API_OPS(publish_ops)));
}
