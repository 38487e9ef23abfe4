/*
 * /v1/invoices: suppliers submit invoices; treasury approves, rejects,
 * pays early under a scheme, pays at maturity and imports approved
 * invoices in bulk. Every money event is one journal transaction written
 * by the same database call as the invoice's new status; the database
 * seals it to the chain under the chain lock, so concurrent postings
 * queue there rather than race. A stale read (the invoice changed since
 * it was read) starts the request over, so concurrent requests never
 * lose an update and a retry never pays twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/cursor.h"
#include "core/date.h"
#include "core/lines.h"
#include "core/journal.h"
#include "core/money.h"
#include "core/scheme.h"
#include "core/strindex.h"
#include "http/api.h"
#include "json/json.h"
#include "json/json_invoices.h"
#include "config.h"
#include "store/store_error.h"
#include "store/store_invoices.h"
#include "store/store_ledger.h"
#include "store/store_orders.h"

int	http_invoices(struct http_request *);
int	http_invoice(struct http_request *);
int	http_invoice_approve(struct http_request *);
int	http_invoice_reject(struct http_request *);
int	http_invoice_early(struct http_request *);
int	http_invoice_pay(struct http_request *);
int	http_invoice_reverse(struct http_request *);
int	http_invoice_true_up(struct http_request *);
int	http_invoices_import(struct http_request *);

/* Details beyond this many are summarised, so a bad file stays readable. */
#define DETAILS_MAX	1000

/* What a write carries from one step to the next. */
struct write {
	char			 id[JSON_ID_MAX + 1];
	char			 scheme[JSON_ID_MAX + 1];
	char			 on[11];
	char			 at[40];
	struct json_invoice	 in;
	struct journal_tx	 tx;
	int64_t			 advance;
	int64_t			 fee;
	/* An order's invoice: posted by order_invoice_settle. */
	const char		*settle;	/* "true_up", "pay" or NULL */
	const char		*settle_plain;	/* netted: "pay", "reverse" */
	int64_t			 true_up;
	int64_t			 netted;
	int64_t			 owed;
	int			 status;
	char			*response;

	/* Imports: rows whose strings live in arena, at offsets off. */
	struct store_invoice_new *rows;
	size_t			(*off)[4];
	struct buf		 arena;
	int			*lineno;
	int			*skip;
	int			 n;
	int			 cap;
	int			 unchanged;
};

static void
write_free(void *p)
{
	struct write	*w = p;

	if (w == NULL)
		return;
	journal_tx_cleanup(&w->tx);
	buf_cleanup(&w->arena);
	free(w->off);
	free(w->rows);
	free(w->lineno);
	free(w->skip);
	free(w->response);
	free(w);
}

/* RFC 3339 UTC with microseconds, the way the store prints timestamps. */
static void
now_utc(char *buf, size_t len)
{
	struct timespec	ts;
	struct tm	tm;
	char		s[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	if (strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		s[0] = '\0';
	snprintf(buf, len, "%.19s.%06dZ", s, (int)(ts.tv_nsec / 1000));
}

static struct write *
write_new(struct api_ctx *ctx)
{
	struct write	*w;

	/* Step 0 run again starts from nothing. */
	if (ctx->data_free != NULL)
		ctx->data_free(ctx->data);
	w = api_data(ctx, sizeof(*w), write_free);
	journal_tx_init(&w->tx);
	now_utc(w->at, sizeof(w->at));
	return (w);
}

/* The reply, printed once: sent now and stored for a replay. */
static void
write_response(struct write *w, int status, cJSON *j)
{
	size_t	len;
	char	*s;

	s = json_print(j, &len);
	cJSON_Delete(j);
	free(w->response);
	if ((w->response = strdup(s)) == NULL)
		abort();
	cJSON_free(s);
	w->status = status;
}

static enum api_result
write_reply(struct api_ctx *ctx, struct write *w)
{
	char	*copy;

	if ((copy = strdup(w->response)) == NULL)
		abort();
	return (api_reply_raw(ctx, w->status, "application/json", copy,
	    strlen(copy)));
}

/*
 * The postings go to the database as they are, and it seals them; what
 * does not balance is a bug here, never sent.
 */
static int
write_balanced(struct write *w)
{
	return (journal_balanced(&w->tx) ? 0 : -1);
}

static void
write_post(struct api_ctx *ctx, struct write *w, struct store_post *p)
{
	memset(p, 0, sizeof(*p));
	p->at = w->at;
	p->tx = &w->tx;
	p->key_id = ctx->key.id;
	p->idem_key = ctx->idem_key;
	p->request_hash = ctx->idem_key != NULL ? ctx->request_hash : NULL;
	p->status = w->status;
	p->response = w->response;
}

/*
 * A request with an Idempotency-Key that finds its work already done (the
 * invoice moved on, the invoice exists) may be a repeat whose first copy
 * won a race: look for the stored reply once more before answering.
 */
static int
repeat_may_have_won(struct api_ctx *ctx)
{
	return (ctx->idem_key != NULL && ctx->retries == 0);
}

/*
 * After a write call: the reply, a retry, or what the database refused.
 * A write that lost a race (the invoice changed since it was read, the
 * same invoice created, a deadlock) is read and decided again; with an
 * Idempotency-Key, so is one that finds its work done, which may be its
 * own first copy's.
 */
static enum api_result
write_result(struct api_ctx *ctx, struct write *w)
{
	switch (store_error(&ctx->rows)) {
	case STORE_OK:
		return (write_reply(ctx, w));
	case STORE_ERR_HEAD_MOVED:
	case STORE_ERR_DUPLICATE:
	case STORE_ERR_CONTENTION:
		return (api_retry(ctx));
	case STORE_ERR_BAD_TRANSITION:
	case STORE_ERR_OVER_CAP:
	case STORE_ERR_INVOICE_DIFFERS:
		if (repeat_may_have_won(ctx))
			return (api_retry(ctx));
		return (api_db_error(ctx));
	default:
		return (api_db_error(ctx));
	}
}

static int
is_supplier(struct api_ctx *ctx)
{
	return (ctx->key.role == ROLE_SUPPLIER);
}

static int
own_invoice_id(struct api_ctx *ctx, const char *id)
{
	size_t	len;

	len = strlen(ctx->key.supplier_id);
	return (strncmp(id, ctx->key.supplier_id, len) == 0 &&
	    id[len] == '-' && id[len + 1] != '\0');
}

static void
invoice_of(struct store_invoice *inv, const struct json_invoice *in,
    const char *status, const char *at)
{
	memset(inv, 0, sizeof(*inv));
	inv->id = in->id;
	inv->supplier_id = in->supplier_id;
	inv->amount = in->amount;
	inv->currency = in->currency;
	inv->issue_date = in->issue_date;
	inv->due_date = in->due_date;
	inv->status = status;
	inv->created_at = at;
	inv->updated_at = at;
}

/* POST /v1/invoices */

static enum api_result
invoice_create(struct api_ctx *ctx)
{
	struct write		*w = ctx->data;
	struct store_invoice	 inv;
	struct store_post	 p;
	const char		*status, *cur;
	cJSON			*details;

	switch (ctx->step) {
	case 0:
		w = write_new(ctx);
		details = json_details_new();
		if (json_invoice_decode(ctx->json,
		    ctx->key.role == ROLE_TREASURY,
		    config_get()->currency, &w->in, details) == -1)
			return (api_invalid(ctx, details));
		/*
		 * Invoice ids are global, so a supplier's ids live under its
		 * own prefix: otherwise a refused id would tell one supplier
		 * that another has an invoice of that number.
		 */
		if (is_supplier(ctx) && !own_invoice_id(ctx, w->in.id)) {
			json_detail(details, "id", 0, "a supplier's invoice ids "
			    "start with its supplier id and '-'");
			return (api_invalid(ctx, details));
		}
		cJSON_Delete(details);
		api_resource(ctx, "invoice:%s", w->in.id);
		store_ledger_head_supplier(&ctx->q, w->in.supplier_id);
		return (api_query(ctx));
	case 1:
		/* Another supplier's id reads exactly like a missing one. */
		cur = db_rows_get(&ctx->rows, 0, 2);
		if (cur == NULL || (is_supplier(ctx) &&
		    strcmp(w->in.supplier_id, ctx->key.supplier_id) != 0)) {
			details = json_details_new();
			json_detail(details, "supplier_id", 0,
			    "no such supplier");
			return (api_invalid(ctx, details));
		}
		status = w->in.status != NULL ? w->in.status : "submitted";
		if (strcmp(status, "approved") == 0) {
			w->tx.invoice = w->in.id;
			if (journal_approval(&w->tx, w->in.supplier_id,
			    w->in.currency, w->in.amount, w->in.id) == -1 ||
			    write_balanced(w) == -1)
				return (api_db_error(ctx));
		}
		invoice_of(&inv, &w->in, status, w->at);
		inv.order_id = w->in.order_id;
		write_response(w, 201, json_invoice_encode(&inv));
		write_post(ctx, w, &p);
		if (w->in.order_id != NULL) {
			w->tx.order = w->in.order_id;
			store_order_invoice_create(&ctx->q, w->in.id,
			    w->in.supplier_id, w->in.amount, w->in.currency,
			    w->in.issue_date, w->in.due_date, status,
			    w->in.order_id, &p);
		} else
			store_invoice_create(&ctx->q, w->in.id,
			    w->in.supplier_id, w->in.amount, w->in.currency,
			    w->in.issue_date, w->in.due_date, status, &p);
		return (api_query_errors(ctx));
	case 2:
		/*
		 * An order that is not the supplier's reads exactly like one
		 * that does not exist.
		 */
		if (w->in.order_id != NULL &&
		    store_error(&ctx->rows) == STORE_ERR_NO_INVOICE)
			return (api_not_found(ctx));
		if (w->in.order_id != NULL &&
		    store_error(&ctx->rows) == STORE_ERR_BAD_TRANSITION &&
		    !repeat_may_have_won(ctx))
			return (api_error(ctx, 409, "order_not_prepaid",
			    "an order's invoice is for a prepaid order that "
			    "has no invoice yet", NULL));
		if (ctx->rows.failed)
			return (write_result(ctx, w));
		if (strcmp(db_rows_get(&ctx->rows, 0, 0), "created") == 0)
			return (write_reply(ctx, w));
		if (repeat_may_have_won(ctx))
			return (api_retry(ctx));
		/* The same invoice again: what is there now, with 200. */
		store_invoice_get(&ctx->q, w->in.id, NULL);
		return (api_query(ctx));
	default:
		if (ctx->rows.nrows != 1 ||
		    store_invoice_decode(&ctx->rows, 0, 0, &inv) == -1)
			return (api_db_error(ctx));
		return (api_reply(ctx, 200, json_invoice_encode(&inv)));
	}
}

/* GET /v1/invoices */

static const char *const statuses[] = {
	"submitted", "approved", "rejected", "advanced", "paid", NULL
};

static int
valid_date(const char *s)
{
	int32_t	d;
	char	buf[11];

	if (s == NULL)
		return (1);
	if (date_parse(s, &d) == -1)
		return (0);
	date_format(d, buf);
	return (strcmp(buf, s) == 0);
}

static enum api_result
invoice_list(struct api_ctx *ctx)
{
	struct store_invoice	 inv;
	const char		*supplier, *status, *from, *to;
	char			 cur[CURSOR_KEY_MAX];
	cJSON			*root, *items;
	int			 limit, i;

	if (api_page(ctx, &limit, cur, sizeof(cur)) != API_NEXT)
		return (API_REPLY);
	if (ctx->step == 0) {
		supplier = uri_query_get(&ctx->query, "supplier_id");
		status = uri_query_get(&ctx->query, "status");
		from = uri_query_get(&ctx->query, "due_from");
		to = uri_query_get(&ctx->query, "due_to");
		if (is_supplier(ctx)) {
			if (supplier != NULL &&
			    strcmp(supplier, ctx->key.supplier_id) != 0)
				return (api_not_found(ctx));
			supplier = ctx->key.supplier_id;
		}
		if (status != NULL) {
			for (i = 0; statuses[i] != NULL; i++) {
				if (strcmp(statuses[i], status) == 0)
					break;
			}
			if (statuses[i] == NULL)
				return (api_bad_request(ctx, "status must be "
				    "submitted, approved, rejected, advanced "
				    "or paid"));
		}
		if (!valid_date(from) || !valid_date(to))
			return (api_bad_request(ctx, "due_from and due_to "
			    "must be dates, YYYY-MM-DD"));
		store_invoice_list(&ctx->q, supplier, status, from, to, cur,
		    limit + 1);
		return (api_query(ctx));
	}

	items = api_list(&root);
	for (i = 0; i < ctx->rows.nrows && i < limit; i++) {
		if (store_invoice_decode(&ctx->rows, i, 0, &inv) == -1) {
			cJSON_Delete(root);
			return (api_db_error(ctx));
		}
		cJSON_AddItemToArray(items, json_invoice_encode(&inv));
	}
	if (ctx->rows.nrows > limit)
		api_list_next(root, inv.id);
	return (api_reply(ctx, 200, root));
}

/* GET /v1/invoices/{id}: a supplier sees only its own, others are 404. */

static enum api_result
invoice_get(struct api_ctx *ctx)
{
	struct store_invoice	inv;
	char			id[JSON_ID_MAX + 1];

	if (ctx->step == 0) {
		if (api_path_id(ctx, "/v1/invoices/", NULL, id,
		    sizeof(id)) != API_NEXT)
			return (API_REPLY);
		store_invoice_get(&ctx->q, id,
		    is_supplier(ctx) ? ctx->key.supplier_id : NULL);
		return (api_query(ctx));
	}
	if (ctx->rows.nrows != 1)
		return (api_not_found(ctx));
	if (store_invoice_decode(&ctx->rows, 0, 0, &inv) == -1)
		return (api_db_error(ctx));
	return (api_reply(ctx, 200, json_invoice_encode(&inv)));
}

/*
 * Transitions. Each reads the invoice, its supplier and the scheme in one
 * query, decides, and posts; the database checks that the invoice is
 * still as it was read, and the caps again under the chain lock.
 */

struct transition {
	const char		*op;
	const char		*suffix;
	const char *const	*from;
	const char *const	*fields;
	enum api_result		(*decide)(struct api_ctx *, struct write *,
				    const struct store_invoice_state *);
};

static const char *const from_submitted[] = { "submitted", NULL };
static const char *const from_approved[] = { "approved", NULL };
static const char *const from_open[] = { "approved", "advanced", NULL };
static const char *const from_posted[] = {
	"approved", "advanced", "paid", NULL
};

static const char *const no_fields[] = { NULL };
static const char *const early_fields[] = { "scheme_id", "paid_on", NULL };
static const char *const pay_fields[] = { "paid_on", NULL };

static enum api_result
decide_approve(struct api_ctx *ctx, struct write *w,
    const struct store_invoice_state *st)
{
	struct store_invoice	inv = st->inv;

	if (journal_approval(&w->tx, inv.supplier_id, inv.currency,
	    inv.amount, inv.id) == -1)
		return (api_db_error(ctx));
	inv.status = "approved";
	inv.updated_at = w->at;
	write_response(w, 200, json_invoice_encode(&inv));
	return (API_NEXT);
}

/*
 * What a refused early payment says for each rule it breaks, in the
 * order of the rules (core/scheme.h); arg is the figure the problem
 * names, if any.
 */
enum early_arg {
	ARG_NONE,
	ARG_EFFECTIVE_FROM,
	ARG_DUE_DATE,
	ARG_ISSUE_DATE,
	ARG_TIER,
	ARG_MAX_EMPLOYEES,
	ARG_MIN_AMOUNT,
	ARG_N
};

static const struct {
	unsigned int	 rule;
	const char	*field;
	const char	*problem;
	enum early_arg	 arg;
} early_reasons[] = {
	{ SCHEME_BEFORE_EFFECTIVE, "paid_on",
	    "the scheme is effective from %s", ARG_EFFECTIVE_FROM },
	{ SCHEME_NOT_BEFORE_DUE, "paid_on", "must be before the due date, %s",
	    ARG_DUE_DATE },
	{ SCHEME_BEFORE_ISSUE, "paid_on",
	    "must not be before the issue date, %s", ARG_ISSUE_DATE },
	{ SCHEME_TIER, "tier", "tier %s is not eligible", ARG_TIER },
	{ SCHEME_EMPLOYEES, "employees", "more than %s employees",
	    ARG_MAX_EMPLOYEES },
	{ SCHEME_OPT_IN, "scheme_opt_in", "the supplier has not opted in",
	    ARG_NONE },
	{ SCHEME_MIN_AMOUNT, "amount", "below the scheme's minimum of %s",
	    ARG_MIN_AMOUNT },
	{ SCHEME_NO_ADVANCE, "amount", "gives no advance", ARG_NONE },
	{ SCHEME_NO_NET, "paid_on", "the fee would take the whole advance",
	    ARG_NONE },
};

static int
early_refused(struct api_ctx *ctx, const struct store_invoice_state *st,
    unsigned int fail)
{
	const char	*arg[ARG_N];
	char		 tier[24], most[24], least[24];
	cJSON		*details;
	size_t		 i;

	snprintf(tier, sizeof(tier), "%lld", (long long)st->tier);
	snprintf(most, sizeof(most), "%lld",
	    (long long)st->scheme.max_employees);
	snprintf(least, sizeof(least), "%lld",
	    (long long)st->scheme.min_invoice_amount);
	arg[ARG_NONE] = "";
	arg[ARG_EFFECTIVE_FROM] = st->effective_from;
	arg[ARG_DUE_DATE] = st->inv.due_date;
	arg[ARG_ISSUE_DATE] = st->inv.issue_date;
	arg[ARG_TIER] = tier;
	arg[ARG_MAX_EMPLOYEES] = most;
	arg[ARG_MIN_AMOUNT] = least;
	details = json_details_new();
	for (i = 0; i < sizeof(early_reasons) / sizeof(early_reasons[0]); i++) {
		if (fail & early_reasons[i].rule)
			json_detail(details, early_reasons[i].field, 0,
			    early_reasons[i].problem, arg[early_reasons[i].arg]);
	}
	return (api_error(ctx, 409, "not_eligible", "the invoice is not "
	    "eligible for early payment under this scheme", details));
}

/*
 * The liquidity model's early payment with E = paid_on and P = due_date:
 * eligibility, then advance and fee, then both caps against what the
 * journal says is outstanding (core/scheme.c has the rules).
 */
static enum api_result
decide_early(struct api_ctx *ctx, struct write *w,
    const struct store_invoice_state *st)
{
	struct model_scheme	 sc;
	cJSON			*details, *j;
	int32_t			 e, p, issue;
	int64_t			 amount, advance, fee, net;
	unsigned int		 fail;

	if (st->inv.order_id != NULL)
		return (api_error(ctx, 409, "order_invoice", "an order's "
		    "invoice is trued up (POST /v1/invoices/{id}/true-up), "
		    "not paid early", NULL));
	if (!st->scheme_found) {
		details = json_details_new();
		json_detail(details, "scheme_id", 0, "no such scheme");
		return (api_invalid(ctx, details));
	}
	sc = st->scheme;
	if (sc.basis == MODEL_BASIS_ORDER)
		return (api_error(ctx, 409, "wrong_basis", "the scheme pays "
		    "at the order: its advance is an order's prepayment, not "
		    "an invoice's early payment", NULL));
	if (date_parse(w->on, &e) == -1 ||
	    date_parse(st->inv.due_date, &p) == -1 ||
	    date_parse(st->effective_from, &sc.effective_from) == -1 ||
	    date_parse(st->inv.issue_date, &issue) == -1)
		return (api_db_error(ctx));

	amount = store_invoice_outstanding(&st->inv);
	fail = scheme_invoice_eligible(&sc, e, issue, p, amount) |
	    scheme_eligible(&sc, st->tier, st->employees, st->opt_in);
	if (fail == 0)
		fail = scheme_quote(&sc, amount, e, p, &advance, &fee);
	if (fail != 0)
		return (early_refused(ctx, st, fail));
	if (!scheme_within_caps(&sc, advance, st->supplier_used,
	    st->facility_used))
		return (api_error(ctx, 409, "over_cap", "the advance would "
		    "exceed the scheme's per-supplier cap or facility limit",
		    NULL));
	if ((fail = scheme_net(&sc, advance, fee, &net)) != 0)
		return (early_refused(ctx, st, fail));

	w->tx.scheme = w->scheme;
	w->tx.effective = w->on;
	if (journal_early_payment(&w->tx, st->inv.supplier_id, w->scheme,
	    st->inv.currency, advance, fee, sc.fee_bearer == MODEL_FEE_OEM,
	    st->inv.id) == -1)
		return (api_db_error(ctx));

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "invoice_id", st->inv.id);
	cJSON_AddStringToObject(j, "scheme_id", w->scheme);
	json_add_int64(j, "advance", advance);
	json_add_int64(j, "fee", fee);
	cJSON_AddStringToObject(j, "fee_bearer", st->fee_bearer);
	json_add_int64(j, "net_to_supplier", net);
	cJSON_AddStringToObject(j, "paid_on", w->on);
	cJSON_AddStringToObject(j, "due_date", st->inv.due_date);
	write_response(w, 201, j);
	w->advance = advance;
	w->fee = fee;
	w->tx.invoice = st->inv.id;
	return (API_NEXT);
}

/*
 * An order's invoice. Its prepayment, a, is applied to the invoice's
 * amount, A: it pays min(a, A) of it, and a - A beyond it, when the
 * invoice is smaller, is owed back by the supplier. Of the rest, r, what
 * the supplier owes back already (on other orders) is netted first; the
 * remainder is paid by the funder at a true-up, or by the OEM in cash at
 * maturity. The postings' figures, in order.
 */
struct order_split {
	int64_t		applied;	/* min(a, A) */
	int64_t		owed;		/* a - A when a > A, else 0 */
	int64_t		netted;		/* min(what is owed back, r) */
	int64_t		rest;		/* r - netted: still to pay */
};

static void
order_split(const struct store_invoice_state *st, struct order_split *s)
{
	int64_t	a = st->order_prepaid, amount = st->inv.amount, r;

	s->applied = a < amount ? a : amount;
	s->owed = a > amount ? a - amount : 0;
	r = amount - s->applied;
	s->netted = st->owed_back > 0 ? (st->owed_back < r ?
	    st->owed_back : r) : 0;
	s->rest = r - s->netted;
}

/* paid_on of an order's invoice: not before its issue or its prepayment. */
static enum api_result
order_paid_on(struct api_ctx *ctx, struct write *w,
    const struct store_invoice_state *st, int32_t *on)
{
	int32_t	issue, pre;
	cJSON	*details;

	if (st->order_status == NULL || st->order_scheme == NULL ||
	    date_parse(w->on, on) == -1 ||
	    date_parse(st->inv.issue_date, &issue) == -1 ||
	    st->order_prepaid_on == NULL ||
	    date_parse(st->order_prepaid_on, &pre) == -1)
		return (api_db_error(ctx));
	if (*on < issue || *on < pre) {
		details = json_details_new();
		json_detail(details, "paid_on", 0, "must not be before the "
		    "invoice's issue date or its order's prepayment, %s",
		    st->order_prepaid_on);
		return (api_invalid(ctx, details));
	}
	return (API_NEXT);
}

/*
 * POST /v1/invoices/{id}/true-up: the funder pays the rest of an order's
 * approved invoice before its due date, with the second term of the
 * order-basis fee (T = paid_on, P = due_date); an invoice smaller than
 * the prepayment pays nothing and leaves the difference owed back.
 */
static enum api_result
decide_true_up(struct api_ctx *ctx, struct write *w,
    const struct store_invoice_state *st)
{
	struct order_split	 s;
	struct model_scheme	 sc;
	cJSON			*j, *details;
	int32_t			 t, p;
	int64_t			 fee = 0, net = 0;
	int			 oem;

	if (st->inv.order_id == NULL)
		return (api_error(ctx, 409, "not_an_order_invoice", "only the "
		    "invoice of a prepaid order is trued up", NULL));
	if (order_paid_on(ctx, w, st, &t) != API_NEXT)
		return (API_REPLY);
	if (!st->scheme_found || date_parse(st->inv.due_date, &p) == -1)
		return (api_db_error(ctx));
	if (t >= p) {
		details = json_details_new();
		json_detail(details, "paid_on", 0, "must be before the due "
		    "date, %s", st->inv.due_date);
		return (api_error(ctx, 409, "not_before_due", "a true-up is "
		    "paid before the invoice's due date; at or after it the "
		    "invoice is paid at maturity", details));
	}
	sc = st->scheme;
	oem = sc.fee_bearer == MODEL_FEE_OEM;
	order_split(st, &s);
	if (s.rest > 0) {
		if (scheme_fee(&sc, s.rest, t, p, &fee) == -1)
			return (api_db_error(ctx));
		if (!scheme_within_caps(&sc, s.rest, st->supplier_used,
		    st->facility_used))
			return (api_error(ctx, 409, "over_cap", "the true-up "
			    "would exceed the scheme's per-supplier cap or "
			    "facility limit; the invoice is then paid at "
			    "maturity", NULL));
		if (scheme_net(&sc, s.rest, fee, &net) != 0)
			return (api_error(ctx, 409, "not_eligible", "the fee "
			    "would take the whole true-up", NULL));
	}
	w->tx.scheme = st->order_scheme;
	w->tx.order = st->inv.order_id;
	w->tx.effective = w->on;
	if (journal_order_apply(&w->tx, st->inv.supplier_id,
	    st->inv.currency, st->order_prepaid, st->inv.amount,
	    st->inv.id) == -1 ||
	    journal_net(&w->tx, st->inv.supplier_id, st->inv.currency,
	    s.netted, st->inv.id) == -1 ||
	    journal_true_up(&w->tx, st->inv.supplier_id, w->tx.scheme,
	    st->inv.currency, s.rest, fee, oem, st->inv.id) == -1)
		return (api_db_error(ctx));
	w->tx.kind = "true_up";

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "invoice_id", st->inv.id);
	cJSON_AddStringToObject(j, "order_id", st->inv.order_id);
	cJSON_AddStringToObject(j, "scheme_id", w->tx.scheme);
	json_add_int64(j, "amount", st->inv.amount);
	json_add_int64(j, "prepaid", st->order_prepaid);
	json_add_int64(j, "netted", s.netted);
	json_add_int64(j, "true_up", s.rest);
	json_add_int64(j, "fee", fee);
	cJSON_AddStringToObject(j, "fee_bearer", st->fee_bearer);
	json_add_int64(j, "net_to_supplier", net);
	json_add_int64(j, "owed_back", s.owed);
	cJSON_AddStringToObject(j, "paid_on", w->on);
	cJSON_AddStringToObject(j, "due_date", st->inv.due_date);
	write_response(w, 201, j);
	w->settle = "true_up";
	w->advance = st->inv.amount;
	w->fee = fee;
	w->true_up = s.rest;
	w->netted = s.netted;
	w->owed = s.owed;
	return (API_NEXT);
}

/*
 * At maturity the OEM repays the funder everything it funded for the
 * order; an invoice never trued up has its prepayment applied now and
 * the rest, after netting, paid in cash.
 */
static enum api_result
order_pay(struct api_ctx *ctx, struct write *w,
    const struct store_invoice_state *st)
{
	struct store_invoice	 inv = st->inv;
	struct order_split	 s;
	const char		*cur = inv.currency, *sup = inv.supplier_id;
	int32_t			 on, adv;
	cJSON			*details;
	int			 advanced;

	if (order_paid_on(ctx, w, st, &on) != API_NEXT)
		return (API_REPLY);
	advanced = strcmp(inv.status, "advanced") == 0;
	if (advanced && (date_parse(inv.advanced_on, &adv) == -1 ||
	    on < adv)) {
		details = json_details_new();
		json_detail(details, "paid_on", 0, "must not be before the "
		    "true-up, %s", inv.advanced_on);
		return (api_invalid(ctx, details));
	}
	w->tx.scheme = st->order_scheme;
	w->tx.order = inv.order_id;
	w->tx.effective = w->on;
	memset(&s, 0, sizeof(s));
	if (advanced) {
		if (journal_payment(&w->tx, sup, w->tx.scheme, cur, 0,
		    st->order_funded, inv.id) == -1)
			return (api_db_error(ctx));
		w->advance = inv.advance;
		w->owed = 0;
	} else {
		order_split(st, &s);
		if (journal_order_apply(&w->tx, sup, cur, st->order_prepaid,
		    inv.amount, inv.id) == -1 ||
		    journal_net(&w->tx, sup, cur, s.netted, inv.id) == -1 ||
		    journal_payment(&w->tx, sup, w->tx.scheme, cur, s.rest,
		    st->order_funded, inv.id) == -1)
			return (api_db_error(ctx));
		inv.advance = w->advance = s.applied;
		inv.scheme_id = st->order_scheme;
		w->owed = s.owed;
	}
	w->settle = "pay";
	w->netted = s.netted;
	inv.status = "paid";
	inv.paid_on = w->on;
	inv.updated_at = w->at;
	write_response(w, 200, json_invoice_encode(&inv));
	return (API_NEXT);
}

/*
 * The postings of an invoice's payment at maturity: `cash` of what is
 * outstanding paid in cash, `netted` of it set against what the supplier
 * owes back, and the funder's advance repaid.
 */
static int
plain_payment(struct write *w, const struct store_invoice *inv, int advanced,
    int64_t cash, int64_t netted)
{
	if ((cash > 0 || advanced) && journal_payment(&w->tx,
	    inv->supplier_id, advanced ? inv->scheme_id : NULL,
	    inv->currency, cash, advanced ? inv->advance : 0, inv->id) == -1)
		return (-1);
	if (journal_net(&w->tx, inv->supplier_id, inv->currency, netted,
	    inv->id) == -1)
		return (-1);
	w->tx.kind = "payment";
	return (0);
}

static enum api_result
decide_pay(struct api_ctx *ctx, struct write *w,
    const struct store_invoice_state *st)
{
	struct store_invoice	 inv = st->inv;
	cJSON			*details;
	int32_t			 on, issue, adv;
	int64_t			 outstanding, netted;
	int			 advanced;

	if (inv.order_id != NULL)
		return (order_pay(ctx, w, st));
	advanced = strcmp(inv.status, "advanced") == 0;
	if (date_parse(w->on, &on) == -1 ||
	    date_parse(inv.issue_date, &issue) == -1 ||
	    (advanced && date_parse(inv.advanced_on, &adv) == -1))
		return (api_db_error(ctx));
	if (on < issue || (advanced && on < adv)) {
		details = json_details_new();
		json_detail(details, "paid_on", 0, "must not be before the "
		    "invoice's issue date or its early payment");
		return (api_invalid(ctx, details));
	}
	w->tx.effective = w->on;
	w->tx.invoice = inv.id;
	if (advanced)
		w->tx.scheme = inv.scheme_id;
	/* What the supplier owes back on orders is netted first. */
	outstanding = store_invoice_outstanding(&inv);
	netted = st->owed_back > 0 ? (st->owed_back < outstanding ?
	    st->owed_back : outstanding) : 0;
	if (plain_payment(w, &inv, advanced, outstanding - netted,
	    netted) == -1)
		return (api_db_error(ctx));
	if (st->owed_back > 0) {
		w->settle_plain = "pay";
		w->netted = netted;
	}
	inv.status = "paid";
	inv.paid_on = w->on;
	inv.updated_at = w->at;
	write_response(w, 200, json_invoice_encode(&inv));
	return (API_NEXT);
}

/*
 * The reversal of an order's invoice's true-up or payment: its postings
 * made again from what the order recorded (the prepayment, what was
 * netted, the true-up and its fee), every amount negated; the invoice
 * and the order a step back. The database refuses it when what the
 * order left owed back has been netted since.
 */
static enum api_result
order_reverse(struct api_ctx *ctx, struct write *w,
    const struct store_invoice_state *st)
{
	struct store_invoice	 inv = st->inv;
	const char		*cur = inv.currency, *sup = inv.supplier_id;
	int64_t			 a = st->order_prepaid, applied, rest;
	int			 r, paid;

	if (st->order_status == NULL || st->order_scheme == NULL ||
	    !st->scheme_found)
		return (api_db_error(ctx));
	paid = strcmp(inv.status, "paid") == 0;
	applied = a < inv.amount ? a : inv.amount;
	rest = inv.amount - applied - st->order_netted;
	w->tx.scheme = st->order_scheme;
	w->tx.order = inv.order_id;
	if (paid && inv.advanced_on != NULL) {
		r = journal_payment(&w->tx, sup, w->tx.scheme, cur, 0,
		    st->order_funded, inv.id);
		inv.status = "advanced";
	} else {
		r = journal_order_apply(&w->tx, sup, cur, a, inv.amount,
		    inv.id);
		if (r == 0)
			r = journal_net(&w->tx, sup, cur, st->order_netted,
			    inv.id);
		if (r == 0 && paid)
			r = journal_payment(&w->tx, sup, w->tx.scheme, cur,
			    rest, st->order_funded, inv.id);
		else if (r == 0)
			r = journal_true_up(&w->tx, sup, w->tx.scheme, cur,
			    st->order_true_up, st->order_true_up_fee,
			    st->scheme.fee_bearer == MODEL_FEE_OEM, inv.id);
		inv.status = "approved";
		inv.scheme_id = NULL;
		inv.advance = inv.fee = 0;
		inv.advanced_on = NULL;
	}
	if (r == -1 || journal_reverse(&w->tx) == -1)
		return (api_db_error(ctx));
	inv.paid_on = NULL;
	inv.updated_at = w->at;
	write_response(w, 200, json_invoice_encode(&inv));
	w->settle = "reverse";
	return (API_NEXT);
}

/*
 * Reversal: the invoice's latest money event, posted again with every
 * amount negated, and the invoice back in the status before it.
 */
static enum api_result
decide_reverse(struct api_ctx *ctx, struct write *w,
    const struct store_invoice_state *st)
{
	struct store_invoice	 inv = st->inv;
	const char		*cur = inv.currency;
	int			 r, advanced;

	if (inv.order_id != NULL && strcmp(inv.status, "approved") != 0)
		return (order_reverse(ctx, w, st));
	advanced = inv.advance > 0;
	if (strcmp(inv.status, "approved") == 0) {
		r = journal_approval(&w->tx, inv.supplier_id, cur, inv.amount,
		    inv.id);
		inv.status = "submitted";
	} else if (strcmp(inv.status, "advanced") == 0) {
		if (!st->scheme_found)
			return (api_db_error(ctx));
		w->tx.scheme = inv.scheme_id;
		r = journal_early_payment(&w->tx, inv.supplier_id,
		    inv.scheme_id, cur, inv.advance, inv.fee,
		    strcmp(st->fee_bearer, "oem") == 0, inv.id);
		inv.status = "approved";
		inv.scheme_id = NULL;
		inv.advance = inv.fee = 0;
		inv.advanced_on = NULL;
	} else {
		if (advanced)
			w->tx.scheme = inv.scheme_id;
		r = plain_payment(w, &inv, advanced, inv.amount - inv.advance -
		    st->netted, st->netted);
		if (st->netted > 0 || st->owed_back > 0)
			w->settle_plain = "reverse";
		inv.status = advanced ? "advanced" : "approved";
		inv.paid_on = NULL;
	}
	if (r == -1 || journal_reverse(&w->tx) == -1)
		return (api_db_error(ctx));
	inv.updated_at = w->at;
	write_response(w, 200, json_invoice_encode(&inv));
	return (API_NEXT);
}

static const struct transition t_approve = {
	.op = "approve", .suffix = "/approve", .from = from_submitted,
	.fields = no_fields, .decide = decide_approve
};
static const struct transition t_early = {
	.op = "early_payment", .suffix = "/early-payment",
	.from = from_approved, .fields = early_fields, .decide = decide_early
};
static const struct transition t_pay = {
	.op = "pay", .suffix = "/pay", .from = from_open,
	.fields = pay_fields, .decide = decide_pay
};
static const struct transition t_true_up = {
	.op = "true_up", .suffix = "/true-up", .from = from_approved,
	.fields = pay_fields, .decide = decide_true_up
};
static const struct transition t_reverse = {
	.op = "reverse", .suffix = "/reverse", .from = from_posted,
	.fields = no_fields, .decide = decide_reverse
};

static enum api_result
transition_body(struct api_ctx *ctx, const struct transition *t,
    struct write *w)
{
	const char	*s;
	cJSON		*details;
	char		 buf[11];
	int32_t		 d;

	if (ctx->json == NULL && t->fields[0] == NULL)
		return (API_NEXT);
	details = json_details_new();
	if (ctx->json == NULL) {
		json_detail(details, NULL, 0, "a JSON body is required");
		return (api_invalid(ctx, details));
	}
	json_check_fields(ctx->json, t->fields, details);
	if (t == &t_early && json_get_id(ctx->json, "scheme_id", 1, &s,
	    details) == 1)
		snprintf(w->scheme, sizeof(w->scheme), "%s", s);
	if (t->fields[0] != NULL && json_get_string(ctx->json, "paid_on", 1,
	    10, &s, details) == 1) {
		if (date_parse(s, &d) == -1 || (date_format(d, buf),
		    strcmp(buf, s) != 0))
			json_detail(details, "paid_on", 0,
			    "must be a date, YYYY-MM-DD");
		else
			snprintf(w->on, sizeof(w->on), "%s", s);
	}
	if (cJSON_GetArraySize(details) > 0)
		return (api_invalid(ctx, details));
	cJSON_Delete(details);
	return (API_NEXT);
}

static enum api_result
transition(struct api_ctx *ctx, const struct transition *t)
{
	struct write			*w = ctx->data;
	struct store_invoice_state	 st;
	struct store_post		 p;
	char				 msg[160];
	int				 i;

	switch (ctx->step) {
	case 0:
		w = write_new(ctx);
		if (api_path_id(ctx, "/v1/invoices/", t->suffix, w->id,
		    sizeof(w->id)) != API_NEXT)
			return (API_REPLY);
		api_resource(ctx, "invoice:%s", w->id);
		if (transition_body(ctx, t, w) != API_NEXT)
			return (API_REPLY);
		store_invoice_state(&ctx->q, w->id,
		    w->scheme[0] != '\0' ? w->scheme : NULL);
		return (api_query(ctx));
	case 1:
		if (store_invoice_state_decode(&ctx->rows, &st) == -1)
			return (api_db_error(ctx));
		if (!st.found)
			return (api_not_found(ctx));
		for (i = 0; t->from[i] != NULL; i++) {
			if (strcmp(t->from[i], st.inv.status) == 0)
				break;
		}
		if (t->from[i] == NULL) {
			if (repeat_may_have_won(ctx))
				return (api_retry(ctx));
			snprintf(msg, sizeof(msg), "the invoice is %s",
			    st.inv.status);
			return (api_error(ctx, 409, "invalid_transition", msg,
			    NULL));
		}
		w->tx.invoice = w->id;
		if (t->decide(ctx, w, &st) != API_NEXT)
			return (API_REPLY);
		if (write_balanced(w) == -1)
			return (api_db_error(ctx));
		write_post(ctx, w, &p);
		/* Posted only if the invoice is still as it was read. */
		if (w->settle_plain != NULL)
			store_invoice_pay_netted(&ctx->q, w->settle_plain,
			    &st, w->on[0] != '\0' ? w->on : NULL, w->netted,
			    &p);
		else if (w->settle != NULL)
			store_order_invoice_settle(&ctx->q, w->settle, &st,
			    w->on[0] != '\0' ? w->on : NULL, w->advance,
			    w->fee, w->true_up, w->netted, w->owed, &p);
		else
			store_invoice_transition(&ctx->q, t->op, &st.inv,
			    t->from, w->tx.scheme, w->tx.effective,
			    w->advance, w->fee, &p);
		return (api_query_errors(ctx));
	default:
		return (write_result(ctx, w));
	}
}

static enum api_result
approve(struct api_ctx *ctx)
{
	return (transition(ctx, &t_approve));
}

static enum api_result
early(struct api_ctx *ctx)
{
	return (transition(ctx, &t_early));
}

static enum api_result
pay(struct api_ctx *ctx)
{
	return (transition(ctx, &t_pay));
}

static enum api_result
reverse(struct api_ctx *ctx)
{
	return (transition(ctx, &t_reverse));
}

static enum api_result
true_up(struct api_ctx *ctx)
{
	return (transition(ctx, &t_true_up));
}

/* POST /v1/invoices/{id}/reject: no money moves, so no posting. */

static const char *const reject_fields[] = { "reason", NULL };

static enum api_result
reject(struct api_ctx *ctx)
{
	struct write		*w = ctx->data;
	struct store_invoice	 inv;
	const char		*reason;
	cJSON			*details;

	switch (ctx->step) {
	case 0:
		w = write_new(ctx);
		if (api_path_id(ctx, "/v1/invoices/", "/reject", w->id,
		    sizeof(w->id)) != API_NEXT)
			return (API_REPLY);
		api_resource(ctx, "invoice:%s", w->id);
		details = json_details_new();
		json_check_fields(ctx->json, reject_fields, details);
		if (json_get_string(ctx->json, "reason", 1, 2000, &reason,
		    details) == 1)
			json_text_check("reason", reason, 500, details);
		if (cJSON_GetArraySize(details) > 0)
			return (api_invalid(ctx, details));
		cJSON_Delete(details);
		store_invoice_reject(&ctx->q, w->id, reason, w->at);
		return (api_query_errors(ctx));
	case 1:
		if (store_error(&ctx->rows) == STORE_ERR_BAD_TRANSITION)
			return (api_error(ctx, 409, "invalid_transition",
			    "only a submitted invoice can be rejected", NULL));
		if (ctx->rows.failed)
			return (api_db_error(ctx));
		store_invoice_get(&ctx->q, w->id, NULL);
		return (api_query(ctx));
	default:
		if (ctx->rows.nrows != 1 ||
		    store_invoice_decode(&ctx->rows, 0, 0, &inv) == -1)
			return (api_db_error(ctx));
		return (api_reply(ctx, 200, json_invoice_encode(&inv)));
	}
}

/*
 * POST /v1/invoices/import: approved invoices in CSV (with a header row)
 * or NDJSON, all or nothing. Every line is checked before anything is
 * written, and every bad line is reported; then one statement writes the
 * invoices and one approval transaction with a posting per invoice.
 */

static size_t
arena_add(struct buf *b, const char *s)
{
	size_t	off = b->len;

	buf_append(b, s, strlen(s) + 1);
	return (off);
}

/*
 * Validate one line and keep what the import needs of it, compactly: a
 * million lines must not hold a million JSON trees. Takes obj.
 */
static void
import_add(struct write *w, cJSON *obj, int line, cJSON *details)
{
	struct json_invoice	in;
	int			cap;

	if (json_invoice_import_decode(obj, config_get()->currency, line, &in,
	    details) == -1) {
		cJSON_Delete(obj);
		return;
	}
	if (w->n == w->cap) {
		cap = w->cap ? w->cap * 2 : 1024;
		if ((w->rows = realloc(w->rows, cap * sizeof(*w->rows))) ==
		    NULL || (w->off = realloc(w->off, cap *
		    sizeof(*w->off))) == NULL || (w->lineno =
		    realloc(w->lineno, cap * sizeof(int))) == NULL)
			abort();
		w->cap = cap;
	}
	w->off[w->n][0] = arena_add(&w->arena, in.id);
	w->off[w->n][1] = arena_add(&w->arena, in.supplier_id);
	w->off[w->n][2] = arena_add(&w->arena, in.issue_date);
	w->off[w->n][3] = arena_add(&w->arena, in.due_date);
	w->rows[w->n].amount = in.amount;
	w->lineno[w->n] = line;
	w->n++;
	cJSON_Delete(obj);
}

/* The arena has stopped moving: point the rows into it. */
static void
import_rows(struct write *w)
{
	int	i;

	for (i = 0; i < w->n; i++) {
		w->rows[i].id = w->arena.data + w->off[i][0];
		w->rows[i].supplier_id = w->arena.data + w->off[i][1];
		w->rows[i].issue_date = w->arena.data + w->off[i][2];
		w->rows[i].due_date = w->arena.data + w->off[i][3];
	}
	if ((w->skip = calloc((size_t)w->n + 1, sizeof(int))) == NULL)
		abort();
}

static void
import_csv_line(void *arg, cJSON *obj, int line, cJSON *details)
{
	import_add(arg, obj, line, details);
}

static void
import_parse_csv(struct api_ctx *ctx, struct write *w, cJSON *details)
{
	json_invoice_csv_each(ctx->body, ctx->body_len, details, DETAILS_MAX,
	    import_csv_line, w);
}

static void
import_parse_ndjson(struct api_ctx *ctx, struct write *w, cJSON *details)
{
	struct lines	 lines;
	const char	*s;
	size_t		 len;
	cJSON		*obj;

	lines_init(&lines, ctx->body, ctx->body_len);
	while (lines_next(&lines, &s, &len)) {
		if (json_parse_line(s, len, lines.line, &obj, details) == -1)
			continue;
		import_add(w, obj, lines.line, details);
		if (cJSON_GetArraySize(details) > DETAILS_MAX)
			break;
	}
}

struct idline {
	const char	*id;
	int		 line;
	int		 prev;
};

static int
cmp_idline(const void *a, const void *b)
{
	const struct idline	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->id, y->id)) != 0)
		return (c);
	return (x->line < y->line ? -1 : x->line > y->line);
}

/*
 * Ids must be unique within a file: later repeats are bad lines, each
 * naming the line before it with that id, listed by id and then line.
 * One pass over a table of ids finds them; only the repeats are sorted.
 */
static void
import_duplicates(struct write *w, cJSON *details)
{
	struct strindex	 seen;
	struct idline	*v = NULL;
	ssize_t		 prev;
	size_t		 nv = 0, cap = 0;
	int		 i;

	if (w->n < 2)
		return;
	if (strindex_init(&seen, (size_t)w->n) == -1)
		abort();
	for (i = 0; i < w->n; i++) {
		if ((prev = strindex_replace(&seen, w->rows[i].id,
		    (size_t)i)) == -1)
			continue;
		if (nv == cap) {
			cap = cap ? cap * 2 : 64;
			if ((v = realloc(v, cap * sizeof(*v))) == NULL)
				abort();
		}
		v[nv].id = w->rows[i].id;
		v[nv].line = w->lineno[i];
		v[nv].prev = w->lineno[prev];
		nv++;
	}
	strindex_cleanup(&seen);
	if (nv > 0)
		qsort(v, nv, sizeof(*v), cmp_idline);
	for (i = 0; i < (int)nv; i++)
		json_detail(details, "id", v[i].line,
		    "repeats the id of line %d", v[i].prev);
	free(v);
}

struct supplier_total {
	const char	*id;
	int64_t		 sum;
};

static int
cmp_supplier(const void *a, const void *b)
{
	const struct supplier_total	*x = a, *y = b;

	return (strcmp(x->id, y->id));
}

/*
 * The import's one journal transaction: a credit to each supplier for
 * the total of its new invoices (in supplier id order), and the debit to
 * purchases. The invoices themselves are the detail; a million postings
 * would only repeat them.
 */
static int
import_postings(struct write *w, const char *cur, int64_t *created)
{
	struct strindex		 by_id;
	struct supplier_total	*v;
	ssize_t			 k;
	int64_t			 total;
	size_t			 i, n = 0;
	int			 rc = -1;

	if ((v = calloc((size_t)w->n + 1, sizeof(*v))) == NULL ||
	    strindex_init(&by_id, (size_t)w->n) == -1)
		abort();
	*created = 0;
	for (i = 0; i < (size_t)w->n; i++) {
		if (w->skip[i]) {
			w->unchanged++;
			continue;
		}
		(*created)++;
		if ((k = strindex_add(&by_id, w->rows[i].supplier_id, n)) ==
		    -1) {
			v[n].id = w->rows[i].supplier_id;
			k = (ssize_t)n++;
		}
		if (money_add(v[k].sum, w->rows[i].amount, &v[k].sum) == -1)
			goto out;
	}
	qsort(v, n, sizeof(*v), cmp_supplier);
	total = 0;
	for (i = 0; i < n; i++) {
		if (money_add(total, v[i].sum, &total) == -1 ||
		    journal_approval_line(&w->tx, v[i].id, cur, v[i].sum,
		    NULL) == -1)
			goto out;
	}
	if (n > 0 && journal_approval_total(&w->tx, cur, total) == -1)
		goto out;
	rc = 0;
out:
	strindex_cleanup(&by_id);
	free(v);
	return (rc);
}

static enum api_result
import_invalid(struct api_ctx *ctx, cJSON *details)
{
	char	msg[128];
	int	n;

	n = cJSON_GetArraySize(details);
	if (n > DETAILS_MAX) {
		while (cJSON_GetArraySize(details) > DETAILS_MAX)
			cJSON_DeleteItemFromArray(details, DETAILS_MAX);
		snprintf(msg, sizeof(msg), "the file has invalid lines; the "
		    "first %d problems are listed", DETAILS_MAX);
	} else {
		snprintf(msg, sizeof(msg), "the file has invalid lines; "
		    "nothing was written");
	}
	return (api_error(ctx, 422, "validation_failed", msg, details));
}

static enum api_result
import(struct api_ctx *ctx)
{
	struct write		*w = ctx->data;
	struct store_post	 p;
	const char		*cur = config_get()->currency;
	cJSON			*details, *j;
	int64_t			 n, created;
	int			 i, row;

	switch (ctx->step) {
	case 0:
		w = write_new(ctx);
		api_resource(ctx, "invoices:import");
		details = json_details_new();
		if (ctx->body_type == API_TYPE_CSV)
			import_parse_csv(ctx, w, details);
		else
			import_parse_ndjson(ctx, w, details);
		import_rows(w);
		import_duplicates(w, details);
		if (cJSON_GetArraySize(details) > 0)
			return (import_invalid(ctx, details));
		cJSON_Delete(details);
		store_invoice_import_check(&ctx->q, w->rows, w->n);
		return (api_query(ctx));
	case 1:
		/* Rows (ordinal, supplier known, exists, identical). */
		details = json_details_new();
		for (i = 0; i < ctx->rows.nrows; i++) {
			if (db_rows_int64(&ctx->rows, i, 0, &n) == -1 ||
			    n < 1 || n > w->n) {
				cJSON_Delete(details);
				return (api_db_error(ctx));
			}
			row = (int)n - 1;
			if (!db_rows_bool(&ctx->rows, i, 1))
				json_detail(details, "supplier_id",
				    w->lineno[row], "no such supplier");
			else if (db_rows_bool(&ctx->rows, i, 2) &&
			    !db_rows_bool(&ctx->rows, i, 3))
				json_detail(details, "id", w->lineno[row],
				    "an invoice with this id exists with "
				    "other fields");
			else if (db_rows_bool(&ctx->rows, i, 2))
				w->skip[row] = 1;
		}
		if (cJSON_GetArraySize(details) > 0)
			return (import_invalid(ctx, details));
		cJSON_Delete(details);
		if (import_postings(w, cur, &created) == -1) {
			details = json_details_new();
			json_detail(details, "amount", 0, "the file's invoices "
			    "add up to more than can be posted");
			return (api_invalid(ctx, details));
		}
		if (created > 0 && write_balanced(w) == -1)
			return (api_db_error(ctx));
		j = cJSON_CreateObject();
		json_add_int64(j, "created", created);
		json_add_int64(j, "updated", 0);
		json_add_int64(j, "unchanged", w->unchanged);
		write_response(w, 200, j);
		write_post(ctx, w, &p);
		store_invoice_import(&ctx->q, w->rows, w->skip, w->n, cur, &p);
		return (api_query_errors(ctx));
	default:
		return (write_result(ctx, w));
	}
}

static const char *const list_params[] = {
	"supplier_id", "status", "due_from", "due_to", "limit", "cursor", NULL
};

#define T	ROLE_TREASURY
#define TS	(ROLE_TREASURY | ROLE_SUPPLIER)

static const struct api_op invoices_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = TS, .params = list_params,
	    .step = invoice_list },
	{ .method = HTTP_METHOD_POST, .roles = TS, .body = API_BODY_JSON,
	    .step = invoice_create, .idempotent = 1 },
};
static const struct api_op invoice_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = TS, .step = invoice_get },
};
static const struct api_op approve_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = T,
	    .body = API_BODY_JSON_OPTIONAL, .step = approve, .idempotent = 1 },
};
static const struct api_op reject_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = T, .body = API_BODY_JSON,
	    .step = reject },
};
static const struct api_op early_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = T, .body = API_BODY_JSON,
	    .step = early, .idempotent = 1 },
};
static const struct api_op pay_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = T, .body = API_BODY_JSON,
	    .step = pay, .idempotent = 1 },
};
static const struct api_op reverse_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = T,
	    .body = API_BODY_JSON_OPTIONAL, .step = reverse, .idempotent = 1 },
};
static const struct api_op true_up_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = T, .body = API_BODY_JSON,
	    .step = true_up, .idempotent = 1 },
};
static const struct api_op import_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = T, .body = API_BODY_IMPORT,
	    .step = import, .idempotent = 1 },
};

int
http_invoices(struct http_request *req)
{
	return (api_run(req, API_OPS(invoices_ops)));
}

int
http_invoice(struct http_request *req)
{
	return (api_run(req, API_OPS(invoice_ops)));
}

int
http_invoice_approve(struct http_request *req)
{
	return (api_run(req, API_OPS(approve_ops)));
}

int
http_invoice_reject(struct http_request *req)
{
	return (api_run(req, API_OPS(reject_ops)));
}

int
http_invoice_early(struct http_request *req)
{
	return (api_run(req, API_OPS(early_ops)));
}

int
http_invoice_pay(struct http_request *req)
{
	return (api_run(req, API_OPS(pay_ops)));
}

int
http_invoice_reverse(struct http_request *req)
{
	return (api_run(req, API_OPS(reverse_ops)));
}

int
http_invoice_true_up(struct http_request *req)
{
	return (api_run(req, API_OPS(true_up_ops)));
}

int
http_invoices_import(struct http_request *req)
{
	return (api_run(req, API_OPS(import_ops)));
}
