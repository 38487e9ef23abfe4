/*
 * GET /v1/suppliers/{id}/schedule: every payment one supplier receives
 * within the horizon under a stress run, dated, with its invoice (null
 * for projected deliveries), kind, gross, fee and net; its daily
 * projected liquidity; breach date, lowest liquidity and funding gap.
 *
 * The figures are recomputed with the engine's trace from the run's own
 * snapshot, never from today's data, so they match the run's stored
 * results. The whole snapshot is needed, not only this supplier's: with
 * a facility limit, whether an advance is granted depends on everyone.
 *
 * A finished run's snapshot never changes, so the worker keeps it,
 * decoded and prepared for the engine (store/run_cache.h), keyed by the
 * run's id and its inputs_digest, read with the run's row on every
 * call. A call on a run in the cache reads that one row and traces its
 * supplier; only the first call of a run (in each worker) reads and
 * decodes the snapshot, and calls for that run meanwhile sleep until it
 * is done rather than read it too. Both give the same bytes.
 *
 * Loading the snapshot and tracing take long enough on a large run that
 * they happen in a Kore task, as a stress run's engine does, while the
 * request sleeps, holding no database connection.
 *
 * Treasury reads any finished run; a supplier only its own schedule, and
 * only from published runs. Another supplier's id is 404, exactly like an
 * id that does not exist. Government keys may not call it.
 *
 * GET /v1/stress-runs/{id}/suppliers/{supplier_id}/contagion (treasury)
 * reads the same snapshot the same way and answers the path of a
 * cascade at one outage length: each customer that paid the supplier
 * late, with what it still owed at the horizon and on how many days it
 * owed arrears, and the same for each such customer's own customers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/model.h"
#include "http/api.h"
#include "json/json.h"
#include "store/run_cache.h"
#include "store/store_exposure.h"
#include "store/store_runs.h"

int	http_schedule(struct http_request *);
int	http_contagion(struct http_request *);

#define RUNS_PREFIX	"/v1/stress-runs/"

/* What the task found; the worker turns it into the reply. */
enum trace_outcome {
	TRACE_OK,
	TRACE_NO_SUPPLIER,	/* not in the run's snapshot */
	TRACE_BAD_SNAPSHOT,	/* does not decode */
	TRACE_ENGINE,		/* the engine refused it: err */
};

/* The steps of schedule_get; a run in the cache skips the snapshot. */
enum {
	STEP_BEGIN,
	STEP_RUN,		/* the run, as the key may see it */
	STEP_ROW,		/* its row: in the cache, or read the snapshot */
	STEP_SUPPLIERS,
	STEP_INVOICES,
	STEP_LINKS,		/* all read: load and trace in a task */
	STEP_TRACED,
};

struct schedule {
	struct api_task			 t;	/* first: the task entry casts */
	enum trace_outcome		 outcome;
	struct model_error		 err;
	cJSON				*reply;
	struct db_rows			 inv_rows;
	struct db_rows			 link_rows;

	char				 id[JSON_ID_MAX + 1];
	int64_t				 outage_days;	/* -1: default */
	int				 on_time;	/* customers pay in full */
	struct store_exposure_run	 run;
	struct db_rows			 run_rows;
	struct db_rows			 sup_rows;
	struct run_cache_entry		*entry;	/* held: a reference */
	int				 fresh;	/* entry loaded by this call */
	int				 row_kept;	/* run_rows is the run's */
	struct http_request		*req;
	struct run_cache_entry		*awaited;	/* loaded by another */
	TAILQ_ENTRY(schedule)		 wait_list;
	int32_t				 start_day;
	cJSON				*payments;
	cJSON				*liquidity;

	int				 (*work)(struct kore_task *);
	struct model_result		*res;	/* the cascade's */
	struct model_link_result	*lres;
};

static int	schedule_trace(struct kore_task *);
static int	cascade_trace(struct kore_task *);

/* The worker's: see store/run_cache.h. */
static struct run_cache	cache;

/* Schedules asleep until another request has loaded their run. */
static TAILQ_HEAD(, schedule)	waiting = TAILQ_HEAD_INITIALIZER(waiting);

/* The entry's loader is done, or gone: its waiters look again. */
static void
wake_waiters(struct run_cache_entry *e)
{
	struct schedule	*w, *next;

	for (w = TAILQ_FIRST(&waiting); w != NULL; w = next) {
		next = TAILQ_NEXT(w, wait_list);
		if (w->awaited != e)
			continue;
		TAILQ_REMOVE(&waiting, w, wait_list);
		w->awaited = NULL;
		http_request_wakeup(w->req);
	}
}

/* A load that ends, however: the cache keeps it if it is whole. */
static void
load_end(struct schedule *s, int keep)
{
	if (!s->fresh || !s->entry->loading)
		return;
	run_cache_load_end(&cache, s->entry);
	if (keep)
		run_cache_put(&cache, s->entry);
	wake_waiters(s->entry);
}

static const char *const kinds[] = {
	[MODEL_PAY_MATURITY] = "maturity",
	[MODEL_PAY_EARLY] = "early",
	[MODEL_PAY_REMAINDER] = "remainder",
	[MODEL_PAY_CUSTOMER] = "customer",
	[MODEL_PAY_DEEP_TIER] = "deep_tier",
	[MODEL_PAY_PREPAYMENT] = "prepayment",
	[MODEL_PAY_TRUE_UP] = "true_up",
};

static void
schedule_free(void *arg)
{
	struct schedule	*s = arg;

	if (s == NULL)
		return;
	free(s->res);
	free(s->lres);
	if (s->awaited != NULL)
		TAILQ_REMOVE(&waiting, s, wait_list);
	/* Whoever waits for this load must not wait for ever. */
	load_end(s, 0);
	if (api_task_release(&s->t) == -1)
		return;		/* still the task's (api.h) */
	cJSON_Delete(s->reply);
	db_rows_cleanup(&s->inv_rows);
	db_rows_cleanup(&s->link_rows);
	db_rows_cleanup(&s->run_rows);
	db_rows_cleanup(&s->sup_rows);
	run_cache_release(&cache, s->entry);
	cJSON_Delete(s->payments);
	cJSON_Delete(s->liquidity);
	free(s);
}

static void
add_date(cJSON *o, const char *name, int32_t day)
{
	char	d[DATE_LEN + 1];

	date_format(day, d);
	cJSON_AddStringToObject(o, name, d);
}

static void
on_payment(void *arg, const struct model_payment *p)
{
	struct schedule	*s = arg;
	cJSON		*o;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	add_date(o, "date", s->start_day + (int32_t)p->day);
	json_add_string_or_null(o, "invoice_id", p->invoice == MODEL_NONE ?
	    NULL : s->entry->in.invoices[p->invoice].id);
	cJSON_AddStringToObject(o, "kind", kinds[p->kind]);
	if (p->customer != MODEL_NONE)
		cJSON_AddStringToObject(o, "customer_id",
		    s->entry->in.in.suppliers[p->customer].id);
	json_add_int64(o, "gross", p->gross);
	json_add_int64(o, "fee", p->fee);
	json_add_int64(o, "net", p->net);
	cJSON_AddItemToArray(s->payments, o);
}

static void
on_day(void *arg, int64_t t, int64_t liquidity)
{
	struct schedule	*s = arg;
	cJSON		*o;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	add_date(o, "date", s->start_day + (int32_t)t);
	json_add_int64(o, "liquidity", liquidity);
	cJSON_AddItemToArray(s->liquidity, o);
}

/* The request's state, either endpoint's. */
static struct schedule *
schedule_new(struct api_ctx *ctx)
{
	struct schedule	*s;

	s = api_data(ctx, sizeof(*s), schedule_free);
	s->req = ctx->req;
	db_rows_init(&s->run_rows);
	db_rows_init(&s->sup_rows);
	db_rows_init(&s->inv_rows);
	db_rows_init(&s->link_rows);
	return (s);
}

static enum api_result
schedule_begin(struct api_ctx *ctx)
{
	struct schedule	*s;
	const char	*v;
	int64_t		 run;

	s = schedule_new(ctx);
	if (api_path_id(ctx, "/v1/suppliers/", "/schedule", s->id,
	    sizeof(s->id)) != API_NEXT)
		return (API_REPLY);
	if (!json_is_id(s->id))
		return (api_not_found(ctx));
	/* Another supplier's schedule does not exist, as far as it knows. */
	if (ctx->key.role == ROLE_SUPPLIER && (ctx->key.supplier_id == NULL ||
	    strcmp(ctx->key.supplier_id, s->id) != 0))
		return (api_not_found(ctx));

	if (api_run_params(ctx, &run, &s->outage_days) != API_NEXT)
		return (API_REPLY);
	/*
	 * A supplier sees itself with its customers paying on time: a
	 * modelled late payment would tell it treasury's projection of
	 * another firm. Treasury sees the run as modelled, or asks.
	 */
	v = uri_query_get(&ctx->query, "customers_pay_on_time");
	if (v != NULL && strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
		return (api_bad_request(ctx,
		    "customers_pay_on_time must be true or false"));
	s->on_time = ctx->key.role == ROLE_SUPPLIER ||
	    (v != NULL && strcmp(v, "true") == 0);
	s->work = schedule_trace;
	store_exposure_run(&ctx->q, run, ctx->key.role != ROLE_TREASURY);
	return (api_query(ctx));
}

/* /v1/stress-runs/{run}/suppliers/{id}/contagion: the run and the id. */
static int
cascade_path(const char *path, int64_t *run, char *id, size_t len)
{
	const char	*p = path + strlen(RUNS_PREFIX), *slash;
	char		 digits[24], prefix[64];
	size_t		 n;

	if (strncmp(path, RUNS_PREFIX, strlen(RUNS_PREFIX)) != 0 ||
	    (slash = strchr(p, '/')) == NULL)
		return (-1);
	if ((n = (size_t)(slash - p)) == 0 || n >= sizeof(digits))
		return (-1);
	memcpy(digits, p, n);
	digits[n] = '\0';
	if (uri_query_uint(digits, INT64_MAX, run) == -1 || *run == 0)
		return (-1);
	snprintf(prefix, sizeof(prefix), "%s%s/suppliers/", RUNS_PREFIX,
	    digits);
	return (uri_path_id(path, prefix, "/contagion", id, len));
}

static enum api_result
cascade_begin(struct api_ctx *ctx)
{
	struct schedule	*s;
	const char	*v;
	int64_t		 run;

	s = schedule_new(ctx);
	if (cascade_path(ctx->req->path, &run, s->id, sizeof(s->id)) == -1 ||
	    !json_is_id(s->id))
		return (api_not_found(ctx));
	s->outage_days = -1;
	if ((v = uri_query_get(&ctx->query, "outage_days")) != NULL &&
	    uri_query_uint(v, 999999999, &s->outage_days) == -1)
		return (api_bad_request(ctx, "outage_days must be a whole "
		    "number of days"));
	s->work = cascade_trace;
	store_exposure_run(&ctx->q, run, 0);
	return (api_query(ctx));
}

/* Keep the last result: the next query would clean it up. */
static void
keep_rows(struct api_ctx *ctx, struct db_rows *to)
{
	db_rows_cleanup(to);
	*to = ctx->rows;
	db_rows_init(&ctx->rows);
}

/*
 * In the task: the snapshot into the new entry unless it came from the
 * cache, and the supplier's index in it. -1 with the outcome set.
 */
static int
entry_ready(struct schedule *s, size_t *idx)
{
	struct run_cache_entry	*e = s->entry;
	struct store_run	 run;

	if (s->fresh) {
		s->outcome = TRACE_BAD_SNAPSHOT;
		if (store_run_decode(&s->run_rows, 0, &run) == -1)
			return (-1);
		switch (run_cache_entry_prepare(e, &run, &s->sup_rows,
		    &s->inv_rows, &s->link_rows, &s->err)) {
		case RUN_CACHE_PREPARED:
			break;
		case RUN_CACHE_BAD_SNAPSHOT:
			return (-1);
		case RUN_CACHE_ENGINE:
			s->outcome = TRACE_ENGINE;
			return (-1);
		}
	}
	s->start_day = e->in.start_day;
	if (model_find_supplier(e->model, s->id, idx) == -1) {
		s->outcome = TRACE_NO_SUPPLIER;
		return (-1);
	}
	s->outcome = TRACE_ENGINE;
	return (0);
}

/* The task: trace the supplier, build the reply. */
static int
schedule_trace(struct kore_task *t)
{
	struct schedule		*s = (struct schedule *)t;
	struct run_cache_entry	*e = s->entry;
	struct model_result	 res;
	struct model_trace	 tr;
	cJSON			*o;
	size_t			 idx;
	int			 rc;

	if (entry_ready(s, &idx) == -1)
		return (KORE_RESULT_ERROR);
	s->payments = cJSON_CreateArray();
	s->liquidity = cJSON_CreateArray();
	memset(&tr, 0, sizeof(tr));
	tr.payment = on_payment;
	tr.day = on_day;
	tr.arg = s;
	tr.on_time = s->on_time;
	pthread_mutex_lock(&e->lock);
	rc = model_trace(e->model, idx, s->outage_days, &tr, &res, &s->err);
	pthread_mutex_unlock(&e->lock);
	if (rc == -1)
		return (KORE_RESULT_ERROR);

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	cJSON_AddStringToObject(o, "supplier_id", s->id);
	json_add_int64(o, "run_id", s->run.id);
	json_add_int64(o, "outage_days", s->outage_days);
	cJSON_AddBoolToObject(o, "customers_pay_on_time", s->on_time);
	cJSON_AddItemToObject(o, "payments", s->payments);
	cJSON_AddItemToObject(o, "liquidity", s->liquidity);
	s->payments = s->liquidity = NULL;
	if (res.breach_day == MODEL_NONE)
		cJSON_AddNullToObject(o, "breach_date");
	else
		add_date(o, "breach_date", s->start_day +
		    (int32_t)res.breach_day);
	json_add_int64(o, "lowest_liquidity", res.lowest_liquidity);
	add_date(o, "lowest_liquidity_date", s->start_day +
	    (int32_t)res.lowest_liquidity_day);
	json_add_int64(o, "funding_gap", res.funding_gap);
	s->reply = o;
	s->outcome = TRACE_OK;
	return (KORE_RESULT_OK);
}


/* One firm of a cascade: who it is, and whether and when it breached. */
static cJSON *
firm(const struct schedule *s, size_t i)
{
	const struct run_cache_entry	*e = s->entry;
	const struct model_result	*r = &s->res[i];
	cJSON				*o;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	cJSON_AddStringToObject(o, "name", e->in.names[i]);
	json_add_int64(o, "tier", e->in.in.suppliers[i].tier);
	if (r->breach_day == MODEL_NONE) {
		cJSON_AddNullToObject(o, "breach_day");
		cJSON_AddNullToObject(o, "breach_date");
	} else {
		json_add_int64(o, "breach_day", r->breach_day);
		add_date(o, "breach_date", s->start_day +
		    (int32_t)r->breach_day);
	}
	cJSON_AddBoolToObject(o, "contagion", r->contagion != 0);
	return (o);
}

/*
 * The customers that paid seller late (owed it arrears on some day), in
 * the snapshot's link order (by customer id); with depth > 1, each with
 * those that paid it late in turn.
 */
static cJSON *
paid_late(const struct schedule *s, size_t seller, int depth)
{
	const struct model	*m = s->entry->model;
	const struct model_link	*l;
	const struct model_input *in = &s->entry->in.in;
	cJSON			*a, *o;
	size_t			 k, c, sel;

	if ((a = cJSON_CreateArray()) == NULL)
		abort();
	for (k = 0; k < in->nlinks; k++) {
		l = &in->links[k];
		if (s->lres[k].late_days == 0 ||
		    model_find_supplier(m, l->supplier_id, &sel) == -1 ||
		    sel != seller ||
		    model_find_supplier(m, l->customer_id, &c) == -1)
			continue;
		o = firm(s, c);
		cJSON_AddStringToObject(o, "customer_id", l->customer_id);
		json_add_int64(o, "overdue_to_supplier", s->lres[k].overdue);
		json_add_int64(o, "paid_late_days", s->lres[k].late_days);
		if (depth > 1)
			cJSON_AddItemToObject(o, "paid_late_by",
			    paid_late(s, c, depth - 1));
		cJSON_AddItemToArray(a, o);
	}
	return (a);
}

/* The task: the run at L with its links' outcomes; the reply. */
static int
cascade_trace(struct kore_task *t)
{
	struct schedule		*s = (struct schedule *)t;
	struct run_cache_entry	*e = s->entry;
	cJSON			*o;
	size_t			 idx;
	int			 rc;

	if (entry_ready(s, &idx) == -1)
		return (KORE_RESULT_ERROR);
	s->res = calloc(e->in.in.nsuppliers + 1, sizeof(*s->res));
	s->lres = calloc(e->in.in.nlinks + 1, sizeof(*s->lres));
	if (s->res == NULL || s->lres == NULL) {
		s->err.code = MODEL_ERR_NOMEM;
		snprintf(s->err.problem, sizeof(s->err.problem),
		    "out of memory");
		return (KORE_RESULT_ERROR);
	}
	pthread_mutex_lock(&e->lock);
	rc = model_run_links(e->model, s->outage_days, s->res, s->lres,
	    &s->err);
	pthread_mutex_unlock(&e->lock);
	if (rc == -1)
		return (KORE_RESULT_ERROR);

	o = firm(s, idx);
	cJSON_AddStringToObject(o, "supplier_id", s->id);
	json_add_int64(o, "run_id", s->run.id);
	json_add_int64(o, "outage_days", s->outage_days);
	json_add_int64(o, "overdue_receivables",
	    s->res[idx].overdue_receivables);
	json_add_int64(o, "overdue_payables", s->res[idx].overdue_payables);
	cJSON_AddItemToObject(o, "customers", paid_late(s, idx, 2));
	s->reply = o;
	s->outcome = TRACE_OK;
	return (KORE_RESULT_OK);
}

static enum api_result
schedule_reply(struct api_ctx *ctx)
{
	struct schedule	*s = ctx->data;
	cJSON		*o;

	/* A snapshot that loaded is kept, whether or not it has the id. */
	if (s->fresh && (s->outcome == TRACE_OK ||
	    s->outcome == TRACE_NO_SUPPLIER)) {
		kore_log(LOG_INFO, "request %s: run %" PRId64 " snapshot "
		    "loaded, %zu rows", ctx->request_id, s->run.id,
		    s->entry->rows);
		load_end(s, 1);
	}

	switch (s->outcome) {
	case TRACE_OK:
		o = s->reply;
		s->reply = NULL;
		return (api_reply(ctx, 200, o));
	case TRACE_NO_SUPPLIER:
		/* Not in the run's snapshot: as for an unknown id. */
		return (api_not_found(ctx));
	case TRACE_BAD_SNAPSHOT:
		return (api_db_error(ctx));
	default:
		kore_log(LOG_ERR, "request %s: trace of run %" PRId64 ": %s %s",
		    ctx->request_id, s->run.id, s->err.field, s->err.problem);
		return (api_error(ctx, 500, "internal", "internal error; "
		    "quote the request id to the operator", NULL));
	}
}

/* Trace in a task; the step after it replies. */
static enum api_result
trace_start(struct api_ctx *ctx)
{
	struct schedule	*s = ctx->data;

	ctx->step = STEP_TRACED - 1;
	return (api_task_start(ctx, &s->t, s->work));
}

/*
 * The run's row is back: its entry in the cache, or the wait for another
 * request loading it, or a new entry to load from the snapshot, read
 * next. After a wait (API_WAIT: the same step again), the row is kept.
 */
static enum api_result
schedule_row(struct api_ctx *ctx)
{
	struct schedule		*s = ctx->data;
	struct store_run	 run;
	struct run_cache_entry	*e;

	if (!s->row_kept) {
		if (ctx->rows.nrows != 1)
			return (api_not_found(ctx));
		keep_rows(ctx, &s->run_rows);
		s->row_kept = 1;
	}
	if (store_run_decode(&s->run_rows, 0, &run) == -1 ||
	    run.inputs_digest == NULL)
		return (api_db_error(ctx));
	if (!cache.ready)
		run_cache_init(&cache, RUN_CACHE_ROWS_MAX);
	if ((s->entry = run_cache_get(&cache, run.id,
	    run.inputs_digest)) != NULL)
		return (trace_start(ctx));
	if ((e = run_cache_loading(&cache, run.id,
	    run.inputs_digest)) != NULL) {
		s->awaited = e;
		TAILQ_INSERT_TAIL(&waiting, s, wait_list);
		http_request_sleep(ctx->req);
		return (API_WAIT);
	}
	s->entry = run_cache_entry_alloc(run.id, run.inputs_digest);
	s->fresh = 1;
	run_cache_load_begin(&cache, s->entry);
	store_run_inputs_suppliers(&ctx->q, s->run.id);
	return (api_query(ctx));
}

/* Find the run, then read it and, unless cached, its snapshot; trace. */
static enum api_result
schedule_get(struct api_ctx *ctx)
{
	struct schedule	*s = ctx->data;

	switch (ctx->step) {
	case STEP_BEGIN:
		if (strncmp(ctx->req->path, RUNS_PREFIX,
		    strlen(RUNS_PREFIX)) == 0)
			return (cascade_begin(ctx));
		return (schedule_begin(ctx));
	case STEP_RUN:
		switch (store_exposure_run_decode(&ctx->rows, &s->run)) {
		case 0:
			return (api_not_found(ctx));
		case -1:
			return (api_db_error(ctx));
		}
		if (api_run_outage(ctx, &s->outage_days,
		    s->run.default_outage_days, s->run.max_outage_days) !=
		    API_NEXT)
			return (API_REPLY);
		store_run_get(&ctx->q, s->run.id, 1);
		return (api_query(ctx));
	case STEP_ROW:
		return (schedule_row(ctx));
	case STEP_SUPPLIERS:
		keep_rows(ctx, &s->sup_rows);
		store_run_inputs_invoices(&ctx->q, s->run.id);
		return (api_query(ctx));
	case STEP_INVOICES:
		keep_rows(ctx, &s->inv_rows);
		store_run_inputs_links(&ctx->q, s->run.id);
		return (api_query(ctx));
	case STEP_LINKS:
		keep_rows(ctx, &s->link_rows);
		return (trace_start(ctx));
	default:
		return (schedule_reply(ctx));
	}
}

static const char *const schedule_params[] = {
	"run", "outage_days", "customers_pay_on_time", NULL
};

static const struct api_op schedule_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY | ROLE_SUPPLIER,
	    .params = schedule_params, .step = schedule_get, .expensive = 1 },
};

int
http_schedule(struct http_request *req)
{
	return (api_run(req, API_OPS(schedule_ops)));
}

static const char *const cascade_params[] = { "outage_days", NULL };

static const struct api_op cascade_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY,
	    .params = cascade_params, .step = schedule_get, .expensive = 1 },
};

int
http_contagion(struct http_request *req)
{
	return (api_run(req, API_OPS(cascade_ops)));
}
