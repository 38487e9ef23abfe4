/*
 * The request pipeline every endpoint runs through: request id, method
 * and query checks, API key authentication, role check, body limits and
 * content type, JSON parsing, the handler's own steps with asynchronous
 * queries in between, the audit record of writes, and one reply in the
 * contract's shape.
 *
 * A handler is a table of api_op, one per method, handed to api_run() with
 * the request. Its step function is called with ctx->step = 0 first and
 * returns what the pipeline does next (enum api_result): run the query it
 * filled in ctx->q and call the next step with ctx->rows, wait for a Kore
 * task and call the next step when it ends, or send the reply it set.
 * docs/api.md walks one request through it.
 */
#ifndef API_H
#define API_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/tasks.h>

#include <stdatomic.h>

#include <cjson/cJSON.h>

#include "core/role.h"
#include "core/token.h"
#include "core/uri.h"
#include "store/db.h"

#define API_JSON_MAX		(1024 * 1024)
#define API_IMPORT_MAX		(128 * 1024 * 1024)	/* = http_body_max */
#define API_LIMIT_DEFAULT	100
#define API_LIMIT_MAX		1000

enum api_body {
	API_BODY_NONE,		/* a body is ignored */
	API_BODY_JSON,		/* a JSON object is required */
	API_BODY_JSON_OPTIONAL,	/* a JSON object, or nothing at all */
	API_BODY_IMPORT,	/* text/csv or application/x-ndjson */
};

/* What the body turned out to be. */
enum api_type {
	API_TYPE_NONE,
	API_TYPE_JSON,
	API_TYPE_CSV,
	API_TYPE_NDJSON,
};

/*
 * What a step returns, and what each helper that may answer the request
 * returns: API_NEXT when it did not, and the step goes on.
 */
enum api_result {
	API_NEXT,	/* nothing answered: go on */
	API_QUERY,	/* run ctx->q; the next step reads ctx->rows */
	API_REPLY,	/* the reply is set: audit the write, send it */
	API_RETRY,	/* what was read went stale: start over */
	API_WAIT,	/* asleep in a step's own queue: the step again */
	API_TASK,	/* a Kore task runs: the next step once it ends */
};

struct api_ctx;
struct api_listing;

struct api_op {
	int			 method;	/* HTTP_METHOD_* */
	int			 roles;		/* 0: no API key needed */
	enum api_body		 body;
	const char *const	*params;	/* allowed query parameters */
	enum api_result		(*step)(struct api_ctx *);
	int			 idempotent;	/* honours Idempotency-Key */
	int			 expensive;	/* its own rate limit (api.c) */
	int			 health;	/* the health check's deadline */
	const struct api_listing *list;	/* for .step = api_list_step */
};

/* A handler's op table, as api_run takes it. */
#define API_OPS(ops)	(ops), (sizeof(ops) / sizeof((ops)[0]))

struct api_key {
	char	 id[TOKEN_KID_LEN + 1];
	int	 role;
	char	*supplier_id;
};

struct api_task;

struct api_ctx {
	struct http_request	*req;
	const struct api_op	*ops;		/* the path's, one per method */
	size_t			 nops;
	const struct api_op	*op;		/* the request's method's */
	char			 request_id[33];
	int			 phase;
	int			 authenticated;
	struct token		 token;
	struct api_key		 key;
	struct uri_query	 query;
	char			*body;
	size_t			 body_len;
	int			 body_type;
	cJSON			*json;

	char			*idem_key;	/* NULL: none given */
	char			 request_hash[65];	/* hex */
	int			 retries;

	struct db_query		 q;
	struct db_rows		 rows;
	int			 q_errors;
	struct kore_pgsql	 sql;
	int			 sql_bound;
	struct pgsql_conn	*held;		/* from the pool, or NULL */
	struct kore_timer	*deadline;	/* the query's, or NULL */
	int			 timed_out;
	int			 drains;	/* results read after an error */
	int			 resends;	/* after a dead connection */

	int			 step;
	struct api_task		*task;		/* waited for, or NULL */
	void			*data;
	void			(*data_free)(void *);

	int			 status;
	char			*reply;
	size_t			 reply_len;
	const char		*content_type;
	const char		*www_authenticate;
	const char		*header_name;	/* one extra header, or NULL */
	char			 header_value[128];
	char			 resource[160];
};

/*
 * Work a request hands to a Kore task, off the worker's event loop: the
 * first member of the handler's data, whose task entry casts to it. A
 * step starts it with `return (api_task_start(...))`: the request sleeps,
 * holding no database connection, and the next step runs once the task
 * has ended, or once it has called api_task_signal (to hand over part of
 * its work early; a step then waits for the end with api_task_wait). The
 * handler's data_free calls api_task_release first and leaves the data
 * be on -1 (the client went away mid-task, and the task still uses it: a
 * rare, bounded leak).
 */
struct api_task {
	struct kore_task	 task;
	int			 started;
	int			 done;
	atomic_int		 signalled;	/* set by the task */
	int			 signal_seen;	/* ... read by the worker */
};

#define API_RETRIES_MAX	50
#define API_IDEM_KEY_MAX	255

int		 api_run(struct http_request *, const struct api_op *, size_t);

enum api_result	 api_query(struct api_ctx *);
enum api_result	 api_query_errors(struct api_ctx *);
enum api_result	 api_retry(struct api_ctx *);
enum api_result	 api_reply(struct api_ctx *, int, cJSON *);
enum api_result	 api_reply_raw(struct api_ctx *, int, const char *,
		    char *, size_t);
enum api_result	 api_reply_copy(struct api_ctx *, int, const char *);
enum api_result	 api_reply_empty(struct api_ctx *, int);
enum api_result	 api_error(struct api_ctx *, int, const char *,
		    const char *, cJSON *);
enum api_result	 api_bad_request(struct api_ctx *, const char *);
enum api_result	 api_created(struct api_ctx *, int, cJSON *, cJSON *,
		    const char *);
enum api_result	 api_invalid(struct api_ctx *, cJSON *);
enum api_result	 api_not_found(struct api_ctx *);
enum api_result	 api_db_error(struct api_ctx *);
void		*api_data(struct api_ctx *, size_t, void (*)(void *));
void		 api_resource(struct api_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

enum api_result	 api_path_id(struct api_ctx *, const char *,
		    const char *, char *, size_t);
enum api_result	 api_page(struct api_ctx *, int *, char *, size_t);
enum api_result	 api_page_seq(struct api_ctx *, int *, int64_t *,
		    int64_t);
enum api_result	 api_run_params(struct api_ctx *, int64_t *, int64_t *);
enum api_result	 api_run_outage(struct api_ctx *, int64_t *, int64_t,
		    int64_t);
int		 api_wants_csv(struct api_ctx *);

/* One record of a list page (api_reply_page). */
typedef cJSON	*(*api_item_fn)(const struct db_rows *, int *, char *, size_t);
enum api_result	 api_reply_page(struct api_ctx *, int, api_item_fn);

/*
 * A plain list endpoint, as one op table entry with .step = api_list_step:
 * the query of a page after a cursor (a text key, or a sequence number of
 * at least seq_min), and its records.
 */
struct api_listing {
	void		(*after_key)(struct db_query *, const char *, int);
	void		(*after_seq)(struct db_query *, int64_t, int);
	int64_t		  seq_min;
	api_item_fn	  item;
};

enum api_result	 api_list_step(struct api_ctx *);
cJSON		*api_list(cJSON **);
void		 api_list_next(cJSON *, const char *);

enum api_result	 api_task_start(struct api_ctx *, struct api_task *,
		    int (*)(struct kore_task *));
enum api_result	 api_task_wait(struct api_ctx *, struct api_task *);
void		 api_task_signal(struct api_task *);
int		 api_task_release(struct api_task *);

#endif
