/*
 * The request pipeline (see api.h): one Kore state machine shared by
 * every endpoint. Queries are always asynchronous; between them the
 * request sleeps and the worker serves others.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/cursor.h"
#include "core/ratelimit.h"
#include "core/utf8.h"
#include "crypto/keys.h"
#include "http/api.h"
#include "config.h"
#include "http/dbwatch.h"
#include "http/http.h"
#include "json/json.h"
#include "store/store.h"
#include "store/store_error.h"

enum {
	S_BEGIN,
	S_SETUP,
	S_QUERY,
	S_WAIT,
	S_READ,
	S_DONE,
	S_FINISH,
	S_RESUME,
	S_TASK,
};

/* What the query in flight is for. */
enum {
	PHASE_AUTH = 1,
	PHASE_IDEM,
	PHASE_HANDLER,
	PHASE_AUDIT,
};

static int	state_begin(struct http_request *);
static int	state_setup(struct http_request *);
static int	state_query(struct http_request *);
static int	state_wait(struct http_request *);
static int	state_read(struct http_request *);
static int	state_done(struct http_request *);
static int	state_finish(struct http_request *);
static int	state_resume(struct http_request *);
static int	state_task(struct http_request *);

static struct http_state states[] = {
	KORE_HTTP_STATE(state_begin),
	KORE_HTTP_STATE(state_setup),
	KORE_HTTP_STATE(state_query),
	KORE_HTTP_STATE(state_wait),
	KORE_HTTP_STATE(state_read),
	KORE_HTTP_STATE(state_done),
	KORE_HTTP_STATE(state_finish),
	KORE_HTTP_STATE(state_resume),
	KORE_HTTP_STATE(state_task),
};

static const struct {
	int		 method;
	const char	*name;
} methods[] = {
	{ HTTP_METHOD_GET,	"GET" },
	{ HTTP_METHOD_POST,	"POST" },
	{ HTTP_METHOD_PUT,	"PUT" },
	{ HTTP_METHOD_DELETE,	"DELETE" },
	{ HTTP_METHOD_HEAD,	"HEAD" },
	{ HTTP_METHOD_PATCH,	"PATCH" },
	{ HTTP_METHOD_OPTIONS,	"OPTIONS" },
};

/*
 * The worker's pool as far as its requests can tell (Kore keeps its own
 * count to itself): connections made, and those held by a request. With
 * none free and room for more, Kore would connect, blocking the worker;
 * the database is vouched for first (http/dbwatch.c). A wrong count only
 * asks for a probe that was not needed, or skips one.
 */
static int	pool_made;
static int	pool_held;

static const char *
method_name(int m)
{
	size_t	i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (methods[i].method == m)
			return (methods[i].name);
	}
	return ("UNKNOWN");
}

/*
 * Each worker's own buckets per API key (core/ratelimit.h), the key
 * hashed with a secret of the worker's: the limits hold per worker, so
 * a key may make up to `workers` times its budget in all.
 */
static struct ratelimit	limits;
static unsigned char	limits_secret[crypto_shorthash_KEYBYTES];

/* Each worker's: the buckets start full. */
void
http_worker_init(void)
{
	pool_made = 0;
	pool_held = 0;
	ratelimit_init(&limits, config_get()->rate);
	randombytes_buf(limits_secret, sizeof(limits_secret));
}

/*
 * Whether the key presented (whole: its id is no secret, and nobody may
 * spend another's budget by sending its id with a wrong secret) is over
 * its budget for the op's class: then 429 with Retry-After, before the
 * key is looked up or the body read.
 */
static int
rate_limited(struct api_ctx *ctx)
{
	unsigned char	h[crypto_shorthash_BYTES];
	char		whole[TOKEN_KID_LEN + TOKEN_SECRET_LEN];
	uint64_t	key;
	int64_t		wait;

	memcpy(whole, ctx->token.kid, TOKEN_KID_LEN);
	memcpy(whole + TOKEN_KID_LEN, ctx->token.secret, TOKEN_SECRET_LEN);
	crypto_shorthash(h, (const unsigned char *)whole, sizeof(whole),
	    limits_secret);
	sodium_memzero(whole, sizeof(whole));
	memcpy(&key, h, sizeof(key));
	wait = ratelimit_take(&limits, key, ctx->op->expensive ?
	    RATELIMIT_EXPENSIVE : RATELIMIT_ORDINARY,
	    (int64_t)kore_time_ms());
	if (wait == 0)
		return (0);
	ctx->header_name = "retry-after";
	snprintf(ctx->header_value, sizeof(ctx->header_value), "%" PRId64,
	    wait);
	api_error(ctx, 429, "rate_limited", "too many requests with this "
	    "API key; retry after the seconds in Retry-After", NULL);
	return (1);
}

static void	deadline_stop(struct api_ctx *);
static void	conn_drop(struct api_ctx *);
static void	pool_settle(struct api_ctx *);
static void	pool_put(struct api_ctx *, int);

static void
ctx_free(struct http_request *req)
{
	struct api_ctx	*ctx;

	if ((ctx = http_state_get(req)) == NULL)
		return;
	deadline_stop(ctx);
	dbwatch_forget(req);
	/*
	 * Nor leave its connection mid-query in the pool: Kore would cancel
	 * the query (a blocking connect to the server) and wait for it.
	 */
	if (ctx->sql_bound && ctx->sql.state != KORE_PGSQL_STATE_DONE)
		conn_drop(ctx);
	pool_settle(ctx);
	/* Still held: Kore's cleanup of the request hands it back. */
	pool_put(ctx, 1);
	uri_query_cleanup(&ctx->query);
	db_query_reset(&ctx->q);
	db_rows_cleanup(&ctx->rows);
	if (ctx->json != NULL)
		cJSON_Delete(ctx->json);
	if (ctx->data_free != NULL)
		ctx->data_free(ctx->data);
	free(ctx->key.supplier_id);
	free(ctx->idem_key);
	free(ctx->body);
	free(ctx->reply);
	sodium_memzero(&ctx->token, sizeof(ctx->token));
	ctx->json = NULL;
	ctx->data = NULL;
	ctx->data_free = NULL;
	ctx->key.supplier_id = NULL;
	ctx->idem_key = NULL;
	ctx->body = NULL;
	ctx->reply = NULL;
}

/*
 * Run the request through the pipeline with the path's op table (one op
 * per method). Kore calls the route's handler again each time the request
 * wakes; the context made on the first call carries on.
 */
int
api_run(struct http_request *req, const struct api_op *ops, size_t nops)
{
	struct api_ctx	*ctx;

	if (req->hdlr_extra == NULL) {
		ctx = http_state_create(req, sizeof(*ctx), ctx_free);
		ctx->req = req;
		ctx->ops = ops;
		ctx->nops = nops;
	}
	return (http_state_run(states, sizeof(states) / sizeof(states[0]),
	    req));
}

/* Replies. Each sets what state_finish will send, exactly once. */

enum api_result
api_reply_raw(struct api_ctx *ctx, int status, const char *type, char *body,
    size_t len)
{
	free(ctx->reply);
	ctx->status = status;
	ctx->content_type = type;
	ctx->reply = body;
	ctx->reply_len = len;
	return (API_REPLY);
}

/* The JSON reply j, which it frees. */
enum api_result
api_reply(struct api_ctx *ctx, int status, cJSON *j)
{
	char	*s;
	size_t	 len;

	s = json_print(j, &len);
	cJSON_Delete(j);
	return (api_reply_raw(ctx, status, "application/json", s, len));
}

/* A JSON reply already printed (a stored one, sent again). */
enum api_result
api_reply_copy(struct api_ctx *ctx, int status, const char *json)
{
	char	*copy;

	if ((copy = strdup(json)) == NULL)
		abort();
	return (api_reply_raw(ctx, status, "application/json", copy,
	    strlen(copy)));
}

enum api_result
api_reply_empty(struct api_ctx *ctx, int status)
{
	return (api_reply_raw(ctx, status, NULL, NULL, 0));
}

enum api_result
api_error(struct api_ctx *ctx, int status, const char *code,
    const char *message, cJSON *details)
{
	char	*s;
	size_t	 len;

	s = json_error_body(code, message, details, &len);
	if (details != NULL)
		cJSON_Delete(details);
	return (api_reply_raw(ctx, status, "application/json", s, len));
}

/*
 * A create by a client-chosen id, once the stored record is back: 201
 * with it when this request made it, 200 when it was there with the same
 * fields (a repeat), 409 with diffs, the fields that differ, otherwise.
 * Takes both objects.
 */
enum api_result
api_created(struct api_ctx *ctx, int created, cJSON *stored, cJSON *diffs,
    const char *conflict)
{
	if (created || cJSON_GetArraySize(diffs) == 0) {
		cJSON_Delete(diffs);
		return (api_reply(ctx, created ? 201 : 200, stored));
	}
	cJSON_Delete(stored);
	return (api_error(ctx, 409, "conflict", conflict, diffs));
}

enum api_result
api_bad_request(struct api_ctx *ctx, const char *message)
{
	return (api_error(ctx, 400, "bad_request", message, NULL));
}

enum api_result
api_invalid(struct api_ctx *ctx, cJSON *details)
{
	return (api_error(ctx, 422, "validation_failed",
	    "the request has invalid fields", details));
}

enum api_result
api_not_found(struct api_ctx *ctx)
{
	return (api_error(ctx, 404, "not_found", "no such resource", NULL));
}

/*
 * What the client is told of a failed query: the one table from the
 * store's errors to status and code. What is not here is the service's
 * fault (500, logged); a handler that means something else by an error
 * (a 422 detail, a retry) looks at store_error() before calling this.
 */
static const struct {
	enum store_error	 error;
	int			 status;
	const char		*code;
	const char		*message;
} db_errors[] = {
	/* Text from the client (a filter, a cursor) that is not UTF-8. */
	{ STORE_ERR_BAD_ENCODING, 400, "bad_request",
	    "the request holds text that is not valid UTF-8" },
	/*
	 * Figures the client sent, each within range, whose sum would take
	 * a stored balance or total beyond 64 bits: nothing was written.
	 */
	{ STORE_ERR_OUT_OF_RANGE, 422, "validation_failed",
	    "the amounts would take a balance beyond what 64-bit money can "
	    "hold; nothing was written" },
	{ STORE_ERR_UNAVAILABLE, 503, "unavailable",
	    "the database is unavailable; retry later" },
	{ STORE_ERR_CONTENTION, 503, "unavailable",
	    "too much contention; retry later" },
	{ STORE_ERR_NO_INVOICE, 404, "not_found", "no such resource" },
	{ STORE_ERR_BAD_TRANSITION, 409, "invalid_transition",
	    "the invoice is not in a state that allows this" },
	{ STORE_ERR_OVER_CAP, 409, "over_cap", "the advance would exceed "
	    "the scheme's per-supplier cap or facility limit" },
	{ STORE_ERR_INVOICE_DIFFERS, 409, "conflict",
	    "an invoice with this id exists with other fields" },
	{ STORE_ERR_IDEM_REUSED, 409, "idempotency_conflict",
	    "this Idempotency-Key was used with another request" },
};

/* A write that may have committed, and whose reply cannot say so. */
static enum api_result
outcome_unknown(struct api_ctx *ctx)
{
	return (api_error(ctx, 503, "unavailable", "the database is "
	    "unavailable and this write's outcome is unknown; retry later "
	    "with the same Idempotency-Key, which never applies a write "
	    "twice", NULL));
}

enum api_result
api_db_error(struct api_ctx *ctx)
{
	enum store_error	e;
	size_t			i;

	e = store_error(&ctx->rows);
	/*
	 * A write whose connection went away may have committed before the
	 * answer was lost: the client cannot be told that nothing changed.
	 */
	if (e == STORE_ERR_UNAVAILABLE && ctx->phase == PHASE_HANDLER &&
	    ctx->op->method != HTTP_METHOD_GET)
		return (outcome_unknown(ctx));
	for (i = 0; i < sizeof(db_errors) / sizeof(db_errors[0]); i++) {
		if (db_errors[i].error == e)
			return (api_error(ctx, db_errors[i].status,
			    db_errors[i].code, db_errors[i].message, NULL));
	}
	kore_log(LOG_ERR, "request %s: database error %s: %s",
	    ctx->request_id, ctx->rows.sqlstate,
	    ctx->rows.error ? ctx->rows.error : "");
	return (api_error(ctx, 500, "internal",
	    "internal error; quote the request id to the operator", NULL));
}

void
api_resource(struct api_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ctx->resource, sizeof(ctx->resource), fmt, ap);
	va_end(ap);
}

/* Queue ctx->q; database errors are answered by the pipeline. */
enum api_result
api_query(struct api_ctx *ctx)
{
	ctx->q_errors = 0;
	return (API_QUERY);
}

/* Queue ctx->q; the step reads ctx->rows.failed itself. */
enum api_result
api_query_errors(struct api_ctx *ctx)
{
	ctx->q_errors = 1;
	return (API_QUERY);
}

/*
 * Start the handler over from its first step, after what it read went
 * stale (another request posted first). With an idempotency key the
 * stored reply is looked for again first: the winner may have been a
 * retry of this very request.
 */
enum api_result
api_retry(struct api_ctx *ctx)
{
	return (API_RETRY);
}

/*
 * A step's data, zeroed, kept until the request ends or starts over and
 * then freed with data_free.
 */
void *
api_data(struct api_ctx *ctx, size_t size, void (*data_free)(void *))
{
	if ((ctx->data = calloc(1, size)) == NULL)
		abort();
	ctx->data_free = data_free;
	return (ctx->data);
}

/* Helpers for handlers: API_NEXT, or API_REPLY once they answered. */

enum api_result
api_path_id(struct api_ctx *ctx, const char *prefix, const char *suffix,
    char *id, size_t len)
{
	if (uri_path_id(ctx->req->path, prefix, suffix, id, len) == -1)
		return (api_not_found(ctx));
	return (API_NEXT);
}

/* ?limit= and ?cursor=: *limit and key ("" without a cursor). */
enum api_result
api_page(struct api_ctx *ctx, int *limit, char *key, size_t keylen)
{
	const char	*s;
	char		*end;
	long		 v;

	*limit = API_LIMIT_DEFAULT;
	key[0] = '\0';
	if ((s = uri_query_get(&ctx->query, "limit")) != NULL) {
		v = strtol(s, &end, 10);
		if (*s < '0' || *s > '9' || *end != '\0' || v < 1 ||
		    v > API_LIMIT_MAX)
			return (api_bad_request(ctx,
			    "limit must be an integer from 1 to 1000"));
		*limit = (int)v;
	}
	if ((s = uri_query_get(&ctx->query, "cursor")) != NULL &&
	    cursor_decode(s, key, keylen) == -1)
		return (api_bad_request(ctx, "malformed cursor"));
	return (API_NEXT);
}

/*
 * ?run= and ?outage_days= of the readers of a finished run (schedules and
 * exposure): each -1 when not given, for the latest run and its default.
 */
#define API_COUNT_MAX	999999999

enum api_result
api_run_params(struct api_ctx *ctx, int64_t *run, int64_t *outage_days)
{
	const char	*s;

	*run = *outage_days = -1;
	if ((s = uri_query_get(&ctx->query, "outage_days")) != NULL &&
	    uri_query_uint(s, API_COUNT_MAX, outage_days) == -1)
		return (api_bad_request(ctx, "outage_days must be a whole "
		    "number of days"));
	if ((s = uri_query_get(&ctx->query, "run")) != NULL &&
	    (uri_query_uint(s, API_COUNT_MAX, run) == -1 || *run == 0))
		return (api_bad_request(ctx, "run must be a stress run id"));
	return (API_NEXT);
}

/* Once the run is known: its default outage, or the one asked within it. */
enum api_result
api_run_outage(struct api_ctx *ctx, int64_t *outage_days, int64_t dflt,
    int64_t max)
{
	char	msg[96];

	if (*outage_days == -1)
		*outage_days = dflt;
	if (*outage_days > max) {
		snprintf(msg, sizeof(msg), "outage_days must be from 0 to "
		    "%" PRId64 " for this run", max);
		return (api_bad_request(ctx, msg));
	}
	return (API_NEXT);
}

/*
 * A page of a list in sequence order: ?limit= and a cursor that holds a
 * sequence number of at least min; *seq is 0 without a cursor.
 */
enum api_result
api_page_seq(struct api_ctx *ctx, int *limit, int64_t *seq, int64_t min)
{
	char	cur[CURSOR_KEY_MAX];

	if (api_page(ctx, limit, cur, sizeof(cur)) != API_NEXT)
		return (API_REPLY);
	*seq = 0;
	if (cur[0] != '\0' && (uri_query_uint(cur, INT64_MAX, seq) == -1 ||
	    *seq < min))
		return (api_bad_request(ctx, "malformed cursor"));
	return (API_NEXT);
}

int
api_wants_csv(struct api_ctx *ctx)
{
	const char	*accept;

	if (!http_request_header(ctx->req, "accept", &accept))
		return (0);
	return (strncasecmp(accept, "text/csv", 8) == 0);
}

/*
 * Start the task: the request sleeps, and its end (or its signal) wakes
 * it for the next step.
 */
enum api_result
api_task_start(struct api_ctx *ctx, struct api_task *t,
    int (*entry)(struct kore_task *))
{
	kore_task_create(&t->task, entry);
	kore_task_bind_request(&t->task, ctx->req);
	t->started = 1;
	kore_task_run(&t->task);
	return (api_task_wait(ctx, t));
}

/* Sleep until the task has ended; then the next step. */
enum api_result
api_task_wait(struct api_ctx *ctx, struct api_task *t)
{
	ctx->task = t;
	return (API_TASK);
}

/*
 * From the task's thread: part of the work is ready. The flag first: a
 * worker that sees it finds the byte coming.
 */
void
api_task_signal(struct api_task *t)
{
	char	one = 1;

	atomic_store(&t->signalled, 1);
	kore_task_channel_write(&t->task, &one, sizeof(one));
}

/* 1 once the task has ended (or never started), destroying it once. */
static int
task_finished(struct api_task *t)
{
	if (!t->started || t->done)
		return (1);
	if (kore_task_state(&t->task) != KORE_TASK_STATE_FINISHED)
		return (0);
	kore_task_destroy(&t->task);
	t->done = 1;
	return (1);
}

/* 1 the first time the task's signal is seen. */
static int
task_signal_seen(struct api_task *t)
{
	char	one;

	if (t->signal_seen || !atomic_load(&t->signalled))
		return (0);
	/* Read the byte, or its level-triggered event keeps waking us. */
	kore_task_channel_read(&t->task, &one, sizeof(one));
	t->signal_seen = 1;
	return (1);
}

/* 0, or -1 while the task still runs and its data must not be freed. */
int
api_task_release(struct api_task *t)
{
	return (task_finished(t) ? 0 : -1);
}

/* {"items": [], "next_cursor": null}; returns the items array. */
cJSON *
api_list(cJSON **root)
{
	cJSON	*items;

	if ((*root = cJSON_CreateObject()) == NULL)
		abort();
	items = cJSON_AddArrayToObject(*root, "items");
	cJSON_AddNullToObject(*root, "next_cursor");
	return (items);
}

/*
 * Reply with one page of a list, in the query's order: item() encodes the
 * record at *row, moves *row past it (a record may span rows) and writes
 * its sort key; NULL when the row does not decode. The query asked for
 * limit + 1 records: one more says there is a next page.
 */
enum api_result
api_reply_page(struct api_ctx *ctx, int limit, api_item_fn item)
{
	cJSON	*root, *items, *j;
	char	 key[CURSOR_KEY_MAX];
	int	 row, n;

	items = api_list(&root);
	key[0] = '\0';
	for (row = 0, n = 0; row < ctx->rows.nrows && n < limit; n++) {
		if ((j = item(&ctx->rows, &row, key, sizeof(key))) == NULL) {
			cJSON_Delete(root);
			return (api_db_error(ctx));
		}
		cJSON_AddItemToArray(items, j);
	}
	if (row < ctx->rows.nrows && key[0] != '\0')
		api_list_next(root, key);
	return (api_reply(ctx, 200, root));
}

/* The step of every plain list endpoint (api.h, struct api_listing). */
enum api_result
api_list_step(struct api_ctx *ctx)
{
	const struct api_listing	*l = ctx->op->list;
	char				 cur[CURSOR_KEY_MAX];
	int64_t				 seq;
	int				 limit;
	enum api_result			 r;

	if (l->after_seq != NULL)
		r = api_page_seq(ctx, &limit, &seq, l->seq_min);
	else
		r = api_page(ctx, &limit, cur, sizeof(cur));
	if (r != API_NEXT)
		return (r);
	if (ctx->step > 0)
		return (api_reply_page(ctx, limit, l->item));
	if (l->after_seq != NULL)
		l->after_seq(&ctx->q, seq, limit + 1);
	else
		l->after_key(&ctx->q, cur, limit + 1);
	return (api_query(ctx));
}

/* Set next_cursor to the encoding of the last item's sort key. */
void
api_list_next(cJSON *root, const char *key)
{
	char	cur[CURSOR_MAX + 2];

	if (cursor_encode(key, cur, sizeof(cur)) == -1)
		return;
	cJSON_ReplaceItemInObjectCaseSensitive(root, "next_cursor",
	    cJSON_CreateString(cur));
}

/* The pipeline. */

static int	idem_begin(struct api_ctx *);
static enum api_result	idem_key(struct api_ctx *);
static int	handler_begin(struct api_ctx *);

static int
step_result(struct api_ctx *ctx, enum api_result r)
{
	struct store_audit	a;

	if (r == API_NEXT) {
		/* A step must say what comes next. */
		kore_log(LOG_ERR, "request %s: step %d of %s said nothing",
		    ctx->request_id, ctx->step, ctx->req->path);
		r = api_error(ctx, 500, "internal", "internal error; quote "
		    "the request id to the operator", NULL);
	}
	if (r == API_WAIT) {
		/* Asleep in a step's own queue: run it again on wakeup. */
		ctx->req->fsm_state = S_RESUME;
		return (HTTP_STATE_RETRY);
	}
	if (r == API_RETRY) {
		if (++ctx->retries > API_RETRIES_MAX) {
			r = api_error(ctx, 503, "unavailable",
			    "too much contention; retry later", NULL);
		} else {
			if (ctx->data_free != NULL)
				ctx->data_free(ctx->data);
			ctx->data = NULL;
			ctx->data_free = NULL;
			ctx->resource[0] = '\0';
			return (ctx->idem_key != NULL ? idem_begin(ctx) :
			    handler_begin(ctx));
		}
	}
	if (r == API_QUERY) {
		ctx->req->fsm_state = S_SETUP;
		return (HTTP_STATE_CONTINUE);
	}
	if (r == API_TASK) {
		ctx->req->fsm_state = S_TASK;
		return (HTTP_STATE_CONTINUE);
	}

	/*
	 * The reply is known. Writes by an authenticated key are recorded
	 * before it is sent, whatever their outcome.
	 */
	if (ctx->phase != PHASE_AUDIT && ctx->authenticated &&
	    ctx->op->method != HTTP_METHOD_GET) {
		memset(&a, 0, sizeof(a));
		a.key_id = ctx->key.id;
		a.role = role_name(ctx->key.role);
		a.request_id = ctx->request_id;
		a.method = method_name(ctx->req->method);
		a.path = ctx->req->path;
		a.resource = ctx->resource[0] ? ctx->resource : NULL;
		a.outcome = ctx->status;
		ctx->phase = PHASE_AUDIT;
		store_audit_insert(&ctx->q, &a);
		ctx->q_errors = 1;
		ctx->req->fsm_state = S_SETUP;
		return (HTTP_STATE_CONTINUE);
	}
	ctx->req->fsm_state = S_FINISH;
	return (HTTP_STATE_CONTINUE);
}

static int
media_is(const char *value, const char *type)
{
	size_t	len;

	len = strlen(type);
	if (strncasecmp(value, type, len) != 0)
		return (0);
	return (value[len] == '\0' || value[len] == ';' || value[len] == ' ');
}

/* Which media types each kind of body accepts, and how large it may be. */
static const struct {
	enum api_body	 body;
	size_t		 max;
	const char	*limit;
	struct {
		const char	*name;
		int		 type;
	} types[2];
} body_kinds[] = {
	{ API_BODY_JSON, API_JSON_MAX, "1 MiB",
	    { { "application/json", API_TYPE_JSON } } },
	{ API_BODY_JSON_OPTIONAL, API_JSON_MAX, "1 MiB",
	    { { "application/json", API_TYPE_JSON } } },
	{ API_BODY_IMPORT, API_IMPORT_MAX, "128 MiB",
	    { { "text/csv", API_TYPE_CSV },
	      { "application/x-ndjson", API_TYPE_NDJSON } } },
};

/* Check, read and (for JSON) parse the body. */
static enum api_result
read_body(struct api_ctx *ctx)
{
	struct http_request	*req = ctx->req;
	const char		*ctype, *msg;
	ssize_t			 n;
	size_t			 i, t, want;
	char			 buf[160];

	for (i = 0; i < sizeof(body_kinds) / sizeof(body_kinds[0]); i++) {
		if (body_kinds[i].body == ctx->op->body)
			break;
	}
	if (i == sizeof(body_kinds) / sizeof(body_kinds[0]))
		return (API_NEXT);

	want = req->content_length;
	if (want > body_kinds[i].max) {
		snprintf(buf, sizeof(buf), "the body is larger than %s",
		    body_kinds[i].limit);
		return (api_error(ctx, 413, "too_large", buf, NULL));
	}
	if (want == 0 && ctx->op->body == API_BODY_JSON_OPTIONAL)
		return (API_NEXT);

	ctx->body_type = API_TYPE_NONE;
	if (http_request_header(req, "content-type", &ctype)) {
		for (t = 0; t < 2 && body_kinds[i].types[t].name != NULL; t++) {
			if (media_is(ctype, body_kinds[i].types[t].name))
				ctx->body_type = body_kinds[i].types[t].type;
		}
	}
	if (ctx->body_type == API_TYPE_NONE) {
		snprintf(buf, sizeof(buf), "the body must be %s%s%s",
		    body_kinds[i].types[0].name,
		    body_kinds[i].types[1].name ? " or " : "",
		    body_kinds[i].types[1].name ? body_kinds[i].types[1].name :
		    "");
		return (api_error(ctx, 415, "unsupported_media_type", buf,
		    NULL));
	}

	if ((ctx->body = malloc(want + 1)) == NULL)
		abort();
	ctx->body_len = 0;
	if (want > 0) {
		n = http_body_read(req, ctx->body, want);
		if (n < 0 || (size_t)n != want)
			return (api_bad_request(ctx,
			    "could not read the body"));
		ctx->body_len = (size_t)n;
	}
	ctx->body[ctx->body_len] = '\0';
	/* No text the service takes may hold one: C would end it there. */
	if (memchr(ctx->body, '\0', ctx->body_len) != NULL)
		return (api_bad_request(ctx, "the body must not hold NUL "
		    "bytes"));
	if (ctx->body_type != API_TYPE_JSON)
		return (API_NEXT);

	switch (json_parse_object(ctx->body, ctx->body_len, &ctx->json)) {
	case JSON_OK:
		return (API_NEXT);
	case JSON_NOT_OBJECT:
		msg = "the body must be a JSON object";
		break;
	case JSON_NUL_TEXT:
		msg = JSON_NUL_TEXT_TEXT;
		break;
	default:
		msg = "the body is not valid JSON";
		break;
	}
	return (api_bad_request(ctx, msg));
}

/* Everything between a known key and the handler's first step. */
static int
after_auth(struct api_ctx *ctx)
{
	if (ctx->op->roles != 0 && !(ctx->op->roles & ctx->key.role)) {
		return (step_result(ctx, api_error(ctx, 403, "forbidden",
		    "this key's role may not call this endpoint", NULL)));
	}
	if (read_body(ctx) != API_NEXT)
		return (step_result(ctx, API_REPLY));
	if (ctx->op->idempotent && idem_key(ctx) != API_NEXT)
		return (step_result(ctx, API_REPLY));
	if (ctx->idem_key != NULL)
		return (idem_begin(ctx));
	return (handler_begin(ctx));
}

static int
handler_begin(struct api_ctx *ctx)
{
	ctx->phase = PHASE_HANDLER;
	ctx->step = 0;
	db_rows_cleanup(&ctx->rows);
	return (step_result(ctx, ctx->op->step(ctx)));
}

/*
 * Idempotency-Key: printable ASCII, at most 255 bytes. The request it
 * names is the method, path, query and body, hashed.
 */
static enum api_result
idem_key(struct api_ctx *ctx)
{
	crypto_generichash_state	 st;
	unsigned char			 h[32];
	const char			*key, *m;
	size_t				 i, len;

	if (!http_request_header(ctx->req, "idempotency-key", &key))
		return (API_NEXT);
	len = strlen(key);
	for (i = 0; i < len; i++) {
		if (key[i] < 0x21 || key[i] > 0x7e)
			break;
	}
	if (len == 0 || len > API_IDEM_KEY_MAX || i != len)
		return (api_bad_request(ctx, "Idempotency-Key must be 1 to "
		    "255 printable ASCII characters"));
	if ((ctx->idem_key = strdup(key)) == NULL)
		abort();

	m = method_name(ctx->req->method);
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)m, strlen(m) + 1);
	crypto_generichash_update(&st, (const unsigned char *)ctx->req->path,
	    strlen(ctx->req->path) + 1);
	if (ctx->req->query_string != NULL)
		crypto_generichash_update(&st,
		    (const unsigned char *)ctx->req->query_string,
		    strlen(ctx->req->query_string));
	crypto_generichash_update(&st, (const unsigned char *)"", 1);
	if (ctx->body != NULL)
		crypto_generichash_update(&st, (const unsigned char *)ctx->body,
		    ctx->body_len);
	crypto_generichash_final(&st, h, sizeof(h));
	keys_hex_encode(h, sizeof(h), ctx->request_hash);
	return (API_NEXT);
}

static int
idem_begin(struct api_ctx *ctx)
{
	ctx->phase = PHASE_IDEM;
	store_idempotency_find(&ctx->q, ctx->key.id, ctx->idem_key,
	    ctx->request_hash);
	ctx->q_errors = 1;
	ctx->req->fsm_state = S_SETUP;
	return (HTTP_STATE_CONTINUE);
}

/* A stored reply is sent again byte for byte; otherwise the handler runs. */
static int
idem_finish(struct api_ctx *ctx)
{
	int64_t		 status;
	const char	*body;

	if (ctx->rows.failed)
		return (step_result(ctx, api_db_error(ctx)));
	if (ctx->rows.nrows == 1 && db_rows_int64(&ctx->rows, 0, 0,
	    &status) == 0 && (body = db_rows_get(&ctx->rows, 0, 1)) != NULL)
		return (step_result(ctx, api_reply_copy(ctx, (int)status,
		    body)));
	return (handler_begin(ctx));
}

static int
unauthorized(struct api_ctx *ctx, const char *message)
{
	ctx->www_authenticate = "Bearer realm=\"tideover\"";
	return (step_result(ctx, api_error(ctx, 401, "unauthorized", message,
	    NULL)));
}

/*
 * The key row is back. The secret is hashed and compared in constant time
 * even when the id is unknown, so the answer takes as long either way.
 */
static int
auth_finish(struct api_ctx *ctx)
{
	struct store_key	k;
	unsigned char		want[KEYS_HASH_LEN], got[KEYS_HASH_LEN];
	int			found, match;

	if (ctx->rows.failed) {
		return (step_result(ctx, api_db_error(ctx)));
	}
	found = store_key_lookup_decode(&ctx->rows, &k);
	if (!found || keys_hex_decode(k.secret_hash, want, sizeof(want)) == -1)
		randombytes_buf(want, sizeof(want));
	keys_secret_hash(config_get()->server_key, ctx->token.secret, got);
	match = keys_hash_equal(want, got) && found;
	sodium_memzero(&ctx->token, sizeof(ctx->token));
	if (!match)
		return (unauthorized(ctx, "invalid API key"));
	if (k.revoked_at != NULL)
		return (unauthorized(ctx, "this API key has been revoked"));

	snprintf(ctx->key.id, sizeof(ctx->key.id), "%s", k.id);
	ctx->key.role = role_parse(k.role);
	if (k.supplier_id != NULL &&
	    (ctx->key.supplier_id = strdup(k.supplier_id)) == NULL)
		abort();
	if (ctx->key.role == 0)
		return (unauthorized(ctx, "invalid API key"));
	ctx->authenticated = 1;
	return (after_auth(ctx));
}

/*
 * Kore keeps the request line and HTTP_REQ_HEADER_MAX - 2 header lines
 * and drops the rest without a word: an Idempotency-Key sent late would
 * be lost and the request run twice. A request that fills every slot
 * (Host aside) may have lost some, and is refused.
 */
#define API_HEADERS_MAX	(HTTP_REQ_HEADER_MAX - 4)

static int
too_many_headers(struct http_request *req)
{
	struct http_header	*h;
	int			 n;

	n = 0;
	TAILQ_FOREACH(h, &req->req_headers, list)
		n++;
	return (n > API_HEADERS_MAX);
}

static int
state_begin(struct http_request *req)
{
	struct api_ctx		*ctx;
	unsigned char		 rnd[16];
	const char		*auth, *unknown;
	size_t			 i;

	ctx = http_state_get(req);
	randombytes_buf(rnd, sizeof(rnd));
	keys_hex_encode(rnd, sizeof(rnd), ctx->request_id);

	if (too_many_headers(req)) {
		/* Nothing was looked at: nothing to audit. */
		ctx->op = &ctx->ops[0];
		api_error(ctx, 431, "headers_too_large", "a request may carry "
		    "at most 21 headers besides Host", NULL);
		req->fsm_state = S_FINISH;
		return (HTTP_STATE_CONTINUE);
	}
	/* Two framings of one body: which one a proxy believed is unknown. */
	if (http_request_header(req, "transfer-encoding", &auth) &&
	    http_request_header(req, "content-length", &auth)) {
		ctx->op = &ctx->ops[0];
		api_bad_request(ctx, "a request may not have both "
		    "Transfer-Encoding and Content-Length");
		req->fsm_state = S_FINISH;
		return (HTTP_STATE_CONTINUE);
	}

	ctx->op = NULL;
	for (i = 0; i < ctx->nops; i++) {
		if (ctx->ops[i].method == req->method)
			ctx->op = &ctx->ops[i];
	}
	if (ctx->op == NULL) {
		/* No key was looked at: nothing to audit. */
		ctx->op = &ctx->ops[0];
		api_error(ctx, 405, "method_not_allowed",
		    "this method is not allowed on this path", NULL);
		req->fsm_state = S_FINISH;
		return (HTTP_STATE_CONTINUE);
	}

	if (uri_query_parse(req->query_string, &ctx->query) == -1) {
		api_bad_request(ctx, "malformed query string");
		req->fsm_state = S_FINISH;
		return (HTTP_STATE_CONTINUE);
	}
	if (uri_query_check(&ctx->query, ctx->op->params, &unknown) == -1) {
		char	msg[128];
		size_t	n;

		/* Echoed only when it is text. */
		if (utf8_check(unknown, &n) != UTF8_OK || n > 64)
			unknown = "(not shown)";
		snprintf(msg, sizeof(msg), "unknown query parameter: %s",
		    unknown);
		api_bad_request(ctx, msg);
		req->fsm_state = S_FINISH;
		return (HTTP_STATE_CONTINUE);
	}

	if (ctx->op->roles == 0)
		return (after_auth(ctx));

	if (!http_request_header(req, "authorization", &auth))
		return (unauthorized(ctx, "an API key is required"));
	if (token_parse_bearer(auth, &ctx->token) == -1)
		return (unauthorized(ctx, "malformed API key"));
	if (rate_limited(ctx)) {
		/* No key was looked up: nothing to audit. */
		req->fsm_state = S_FINISH;
		return (HTTP_STATE_CONTINUE);
	}

	ctx->phase = PHASE_AUTH;
	store_key_lookup(&ctx->q, ctx->token.kid);
	ctx->q_errors = 1;
	req->fsm_state = S_SETUP;
	return (HTTP_STATE_CONTINUE);
}

static void
query_failed(struct api_ctx *ctx)
{
	const char	*state;

	state = NULL;
	if (ctx->sql.result != NULL)
		state = PQresultErrorField(ctx->sql.result, PG_DIAG_SQLSTATE);
	db_rows_fail(&ctx->rows, state, ctx->sql.error);
}

/*
 * Database faults. Every query has a deadline (TIDEOVER_DB_*_TIMEOUT_MS,
 * by the op's class): a server that is stopped or stuck answers nothing,
 * and the request answers 503 instead of waiting for ever. A connection
 * that died, or that holds a query given up on, is dropped, never handed
 * back to the pool; what was never sent, and reads, are sent again on a
 * fresh one, a bounded number of times. Each worker knows its database
 * to be down after a deadline or a failed connect (http/dbwatch.c), and
 * then answers 503 at once until its probe gets an answer.
 */
#define API_DRAINS_MAX	8	/* results read after an error */
#define API_RESENDS_MAX	4	/* pool connections found dead */

static void
pool_got(struct api_ctx *ctx, int made)
{
	if (made)
		pool_made++;
	pool_held++;
	ctx->held = ctx->sql.conn;
}

/* The request's connection went back to the pool (1) or is gone (0). */
static void
pool_put(struct api_ctx *ctx, int pooled)
{
	if (ctx->held == NULL)
		return;
	ctx->held = NULL;
	if (pool_held > 0)
		pool_held--;
	if (!pooled && pool_made > 0)
		pool_made--;
}

/* After Kore's release or its own drop, whichever it was. */
static void
pool_settle(struct api_ctx *ctx)
{
	if (ctx->held != NULL && ctx->sql.conn == NULL)
		pool_put(ctx, ctx->sql.state == KORE_PGSQL_STATE_COMPLETE);
}

static int
pool_must_grow(void)
{
	return (pool_made - pool_held <= 0 && pool_made < pgsql_conn_max);
}

static void
deadline_fire(void *arg, u_int64_t now)
{
	struct api_ctx	*ctx = arg;

	/* A one-shot timer: Kore frees it once this returns. */
	ctx->deadline = NULL;
	ctx->timed_out = 1;
	http_request_wakeup(ctx->req);
}

static long
deadline_ms(const struct api_ctx *ctx)
{
	const struct config	*c = config_get();

	if (ctx->op->health)
		return (c->db_health_timeout_ms);
	if (ctx->op->expensive || ctx->op->body == API_BODY_IMPORT)
		return (c->db_long_timeout_ms);
	return (c->db_timeout_ms);
}

static void
deadline_stop(struct api_ctx *ctx)
{
	if (ctx->deadline != NULL)
		kore_timer_remove(ctx->deadline);
	ctx->deadline = NULL;
	ctx->timed_out = 0;
}

/*
 * Close the request's connection and forget it (Kore's own error path,
 * which frees it and lets a new one be made): PostgreSQL ends a query
 * whose client has gone within client_connection_check_interval.
 */
static void
conn_drop(struct api_ctx *ctx)
{
	if (ctx->sql.conn != NULL)
		kore_pgsql_handle(ctx->sql.conn, 1);
	ctx->sql.conn = NULL;
	pool_put(ctx, 0);
}

static int
conn_dead(const struct api_ctx *ctx)
{
	return (ctx->sql.conn != NULL &&
	    PQstatus(ctx->sql.conn->db) != CONNECTION_OK);
}

/* Whether the query may run again after its connection died under it. */
static int
resend_safe(const struct api_ctx *ctx)
{
	return (ctx->phase == PHASE_AUTH || ctx->phase == PHASE_IDEM ||
	    (ctx->phase == PHASE_HANDLER &&
	    ctx->op->method == HTTP_METHOD_GET));
}

/* Drop the dead connection and set the query up again, if allowed. */
static int
resend(struct api_ctx *ctx)
{
	conn_drop(ctx);
	if (ctx->resends >= API_RESENDS_MAX || ctx->timed_out)
		return (0);
	ctx->resends++;
	kore_pgsql_cleanup(&ctx->sql);
	ctx->sql_bound = 0;
	ctx->req->fsm_state = S_SETUP;
	return (1);
}

static void
gave_up(struct api_ctx *ctx, const char *what)
{
	char	msg[128];

	snprintf(msg, sizeof(msg), "%s within %ld ms", what, deadline_ms(ctx));
	kore_log(LOG_ERR, "request %s: %s", ctx->request_id, msg);
	db_rows_fail(&ctx->rows, NULL, msg);
}

static int
state_setup(struct http_request *req)
{
	struct api_ctx	*ctx = http_state_get(req);
	int		 made;

	if (!ctx->sql_bound) {
		kore_pgsql_init(&ctx->sql);
		kore_pgsql_bind_request(&ctx->sql, req);
		ctx->sql_bound = 1;
		db_rows_cleanup(&ctx->rows);
		if (ctx->deadline == NULL && !ctx->timed_out)
			ctx->deadline = kore_timer_add(deadline_fire,
			    (u_int64_t)deadline_ms(ctx), ctx,
			    KORE_TIMER_ONESHOT);
	}
	if (ctx->timed_out) {
		/* Every connection stayed busy: not the database's fault. */
		dbwatch_forget(req);
		gave_up(ctx, "no database connection free");
		req->fsm_state = S_DONE;
		return (HTTP_STATE_CONTINUE);
	}
	if (!dbwatch_up()) {
		db_rows_fail(&ctx->rows, NULL, "the database is unavailable");
		req->fsm_state = S_DONE;
		return (HTTP_STATE_CONTINUE);
	}
	/* Asleep until the probe says the server answers. */
	made = pool_must_grow();
	if (made && !dbwatch_vouch(req))
		return (HTTP_STATE_RETRY);
	if (!kore_pgsql_setup(&ctx->sql, CONFIG_DB, KORE_PGSQL_ASYNC)) {
		/* No free connection yet: Kore wakes us when there is one. */
		if (ctx->sql.state == KORE_PGSQL_STATE_INIT)
			return (HTTP_STATE_RETRY);
		query_failed(ctx);
		/* A full wait queue is load; anything else a failed connect. */
		if (ctx->sql.error == NULL ||
		    strcmp(ctx->sql.error, "no available connection") != 0)
			dbwatch_failed("cannot connect");
		req->fsm_state = S_DONE;
		return (HTTP_STATE_CONTINUE);
	}
	pool_got(ctx, made);
	req->fsm_state = S_QUERY;
	return (HTTP_STATE_CONTINUE);
}

static int
state_query(struct http_request *req)
{
	struct api_ctx	*ctx = http_state_get(req);

	if (!kore_pgsql_query_param_fields(&ctx->sql, ctx->q.sql, 0,
	    ctx->q.nparams, ctx->q.values, ctx->q.lengths, ctx->q.formats)) {
		/* Not sent: a connection found dead is replaced. */
		if (conn_dead(ctx) && resend(ctx))
			return (HTTP_STATE_CONTINUE);
		query_failed(ctx);
		if (conn_dead(ctx))
			conn_drop(ctx);
		req->fsm_state = S_DONE;
		return (HTTP_STATE_CONTINUE);
	}
	req->fsm_state = S_WAIT;
	return (HTTP_STATE_RETRY);
}

static int
state_wait(struct http_request *req)
{
	struct api_ctx	*ctx = http_state_get(req);

	switch (ctx->sql.state) {
	case KORE_PGSQL_STATE_WAIT:
		if (!ctx->timed_out)
			return (HTTP_STATE_RETRY);
		/* Sent, and no answer: the server is stopped or stuck. */
		conn_drop(ctx);
		gave_up(ctx, "no answer from the database");
		dbwatch_failed("a query went unanswered");
		req->fsm_state = S_DONE;
		break;
	case KORE_PGSQL_STATE_COMPLETE:
		pool_settle(ctx);
		req->fsm_state = S_DONE;
		break;
	case KORE_PGSQL_STATE_ERROR:
		if (!ctx->rows.failed)
			query_failed(ctx);
		/* Kore saw the socket fail, and dropped the connection. */
		if (ctx->sql.conn == NULL) {
			pool_settle(ctx);
			if (resend_safe(ctx) && resend(ctx))
				break;
			req->fsm_state = S_DONE;
			break;
		}
		/*
		 * A dead connection has nothing left to read: reading it
		 * again would only fail again, for ever. It is dropped,
		 * and a read sent again on a new one. So is one the server
		 * said it is closing (08xxx, 57Pxx: a restart).
		 */
		if (conn_dead(ctx) || strncmp(ctx->rows.sqlstate, "08", 2) == 0 ||
		    strncmp(ctx->rows.sqlstate, "57P", 3) == 0) {
			if (resend_safe(ctx) && resend(ctx))
				break;
			conn_drop(ctx);
			req->fsm_state = S_DONE;
			break;
		}
		/* Otherwise drain it so it goes back to the pool clean. */
		if (++ctx->drains > API_DRAINS_MAX || ctx->timed_out) {
			conn_drop(ctx);
			req->fsm_state = S_DONE;
			break;
		}
		kore_pgsql_continue(&ctx->sql);
		break;
	case KORE_PGSQL_STATE_RESULT:
		req->fsm_state = S_READ;
		break;
	default:
		kore_pgsql_continue(&ctx->sql);
		break;
	}
	return (HTTP_STATE_CONTINUE);
}

/* Copy the rows out: they belong to the result, which goes away. */
static int
state_read(struct http_request *req)
{
	struct api_ctx	*ctx = http_state_get(req);
	PGresult	*res = ctx->sql.result;
	size_t		 bytes;
	int		 r, c, nrows, ncols;

	if (!ctx->rows.failed) {
		nrows = PQntuples(res);
		ncols = PQnfields(res);
		db_rows_alloc(&ctx->rows, nrows, ncols);
		bytes = 0;
		for (r = 0; r < nrows; r++) {
			for (c = 0; c < ncols; c++)
				bytes += (size_t)PQgetlength(res, r, c) + 1;
		}
		db_rows_reserve(&ctx->rows, bytes);
		for (r = 0; r < nrows; r++) {
			for (c = 0; c < ncols; c++) {
				if (PQgetisnull(res, r, c))
					continue;
				db_rows_set(&ctx->rows, r, c,
				    PQgetvalue(res, r, c),
				    (size_t)PQgetlength(res, r, c));
			}
		}
	}
	kore_pgsql_continue(&ctx->sql);
	req->fsm_state = S_WAIT;
	return (HTTP_STATE_CONTINUE);
}

static int
state_done(struct http_request *req)
{
	struct api_ctx	*ctx = http_state_get(req);

	deadline_stop(ctx);
	pool_settle(ctx);
	/* Still held: the cleanup hands it back. */
	pool_put(ctx, 1);
	kore_pgsql_cleanup(&ctx->sql);
	ctx->sql_bound = 0;
	ctx->drains = 0;
	ctx->resends = 0;
	db_query_reset(&ctx->q);

	switch (ctx->phase) {
	case PHASE_AUTH:
		return (auth_finish(ctx));
	case PHASE_IDEM:
		return (idem_finish(ctx));
	case PHASE_AUDIT:
		if (ctx->rows.failed) {
			/*
			 * No success goes out without its audit record: the
			 * write may be done, so the client is told that its
			 * outcome is unknown, and its retry is recorded.
			 */
			kore_log(LOG_ERR, "request %s: audit record failed: %s",
			    ctx->request_id, ctx->rows.error);
			if (ctx->status < 400)
				(void)outcome_unknown(ctx);
		}
		req->fsm_state = S_FINISH;
		return (HTTP_STATE_CONTINUE);
	default:
		if (ctx->rows.failed && !ctx->q_errors)
			return (step_result(ctx, api_db_error(ctx)));
		ctx->step++;
		return (step_result(ctx, ctx->op->step(ctx)));
	}
}

static int
state_resume(struct http_request *req)
{
	struct api_ctx	*ctx = http_state_get(req);

	return (step_result(ctx, ctx->op->step(ctx)));
}

/*
 * Waiting for a Kore task, holding no database connection: the task's
 * end or signal wakes the request, which then goes on to the next step.
 */
static int
state_task(struct http_request *req)
{
	struct api_ctx	*ctx = http_state_get(req);

	if (!task_finished(ctx->task) && !task_signal_seen(ctx->task)) {
		http_request_sleep(req);
		return (HTTP_STATE_RETRY);
	}
	ctx->task = NULL;
	ctx->step++;
	return (step_result(ctx, ctx->op->step(ctx)));
}

static const char *
allow_header(const struct api_ctx *ctx, char *buf, size_t len)
{
	size_t	i, off;
	int	n;

	buf[0] = '\0';
	for (i = 0, off = 0; i < ctx->nops && off < len; i++) {
		n = snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
		    method_name(ctx->ops[i].method));
		if (n < 0)
			break;
		off += (size_t)n;
	}
	return (buf);
}

static int
state_finish(struct http_request *req)
{
	struct api_ctx	*ctx = http_state_get(req);
	char		 allow[64];

	http_response_header(req, "x-request-id", ctx->request_id);
	http_response_header(req, "cache-control", "no-store");
	http_response_header(req, "x-content-type-options", "nosniff");
	if (ctx->content_type != NULL)
		http_response_header(req, "content-type", ctx->content_type);
	if (ctx->www_authenticate != NULL) {
		http_response_header(req, "www-authenticate",
		    ctx->www_authenticate);
	}
	if (ctx->header_name != NULL)
		http_response_header(req, ctx->header_name, ctx->header_value);
	if (ctx->status == 405)
		http_response_header(req, "allow", allow_header(ctx, allow,
		    sizeof(allow)));
	http_response(req, ctx->status, ctx->reply, ctx->reply_len);

	ctx_free(req);
	http_state_cleanup(req);
	return (HTTP_STATE_COMPLETE);
}
