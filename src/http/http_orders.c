/*
 * /v1/orders: treasury records purchase orders and prepays them under an
 * order-basis scheme; a supplier reads its own. The prepayment is one
 * journal transaction written by the same database call as the order's
 * new status, sealed to the chain under the chain lock, with both caps
 * checked again there. The invoice of a prepaid order, its true-up and
 * its payment at maturity are in http_invoices.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/cursor.h"
#include "core/date.h"
#include "core/journal.h"
#include "core/scheme.h"
#include "http/api.h"
#include "json/json.h"
#include "json/json_orders.h"
#include "config.h"
#include "store/store_error.h"
#include "store/store_orders.h"

int	http_orders(struct http_request *);
int	http_order(struct http_request *);
int	http_order_prepayment(struct http_request *);
int	http_order_reverse(struct http_request *);

/* What a write carries from one step to the next. */
struct write {
	char			 id[JSON_ID_MAX + 1];
	char			 scheme[JSON_ID_MAX + 1];
	char			 on[11];
	char			 due[11];
	char			 at[40];
	struct json_order	 in;
	struct journal_tx	 tx;
	int			 status;
	char			*response;
};

static void
write_free(void *p)
{
	struct write	*w = p;

	if (w == NULL)
		return;
	journal_tx_cleanup(&w->tx);
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

static int
is_supplier(struct api_ctx *ctx)
{
	return (ctx->key.role == ROLE_SUPPLIER);
}

/* POST /v1/orders: idempotent by id, as invoices are; no money moves. */

static enum api_result
order_create(struct api_ctx *ctx)
{
	struct write		*w = ctx->data;
	struct store_order	 o;
	const char		*r;
	cJSON			*details;

	switch (ctx->step) {
	case 0:
		w = write_new(ctx);
		details = json_details_new();
		if (json_order_decode(ctx->json, config_get()->currency,
		    &w->in, details) == -1)
			return (api_invalid(ctx, details));
		cJSON_Delete(details);
		api_resource(ctx, "order:%s", w->in.id);
		store_order_create(&ctx->q, w->in.id, w->in.supplier_id,
		    w->in.amount, w->in.currency, w->in.order_date,
		    w->in.delivery_date, w->at);
		return (api_query_errors(ctx));
	case 1:
		switch (store_error(&ctx->rows)) {
		case STORE_OK:
			break;
		case STORE_ERR_NO_REFERENCE:
			details = json_details_new();
			json_detail(details, "supplier_id", 0,
			    "no such supplier");
			return (api_invalid(ctx, details));
		case STORE_ERR_INVOICE_DIFFERS:
			return (api_error(ctx, 409, "conflict", "an order with "
			    "this id exists with other fields", NULL));
		case STORE_ERR_DUPLICATE:
			return (api_retry(ctx));
		default:
			return (api_db_error(ctx));
		}
		r = db_rows_get(&ctx->rows, 0, 0);
		w->status = r != NULL && strcmp(r, "created") == 0 ? 201 : 200;
		store_order_get(&ctx->q, w->in.id, NULL);
		return (api_query(ctx));
	default:
		if (ctx->rows.nrows != 1 ||
		    store_order_decode(&ctx->rows, 0, 0, &o) == -1)
			return (api_db_error(ctx));
		return (api_reply(ctx, w->status, json_order_encode(&o)));
	}
}

/* GET /v1/orders: a supplier key lists its own only. */

static const char *const statuses[] = {
	"open", "prepaid", "invoiced", "settled", NULL
};

static enum api_result
orders_csv(struct api_ctx *ctx, int limit)
{
	struct store_order	 o;
	struct buf		 b;
	struct csv		 c;
	char			 next[CURSOR_MAX + 2];
	char			*body;
	size_t			 len;
	int			 i;

	buf_init(&b);
	csv_init(&c, &b);
	json_order_csv_header(&c);
	for (i = 0; i < ctx->rows.nrows && i < limit; i++) {
		if (store_order_decode(&ctx->rows, i, 0, &o) == -1) {
			buf_cleanup(&b);
			return (api_db_error(ctx));
		}
		json_order_csv_row(&c, &o);
	}
	if (ctx->rows.nrows > limit &&
	    cursor_encode(o.id, next, sizeof(next)) == 0)
		http_response_header(ctx->req, "x-next-cursor", next);
	body = buf_release(&b, &len);
	return (api_reply_raw(ctx, 200, "text/csv; charset=utf-8", body, len));
}

static enum api_result
order_list(struct api_ctx *ctx)
{
	struct store_order	 o;
	const char		*supplier, *status;
	char			 cur[CURSOR_KEY_MAX];
	cJSON			*root, *items;
	int			 limit, i;

	if (api_page(ctx, &limit, cur, sizeof(cur)) != API_NEXT)
		return (API_REPLY);
	if (ctx->step == 0) {
		supplier = uri_query_get(&ctx->query, "supplier_id");
		status = uri_query_get(&ctx->query, "status");
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
				    "open, prepaid, invoiced or settled"));
		}
		store_order_list(&ctx->q, supplier, status, cur, limit + 1);
		return (api_query_errors(ctx));
	}
	if (ctx->rows.failed)
		return (api_db_error(ctx));
	if (api_wants_csv(ctx))
		return (orders_csv(ctx, limit));

	items = api_list(&root);
	for (i = 0; i < ctx->rows.nrows && i < limit; i++) {
		if (store_order_decode(&ctx->rows, i, 0, &o) == -1) {
			cJSON_Delete(root);
			return (api_db_error(ctx));
		}
		cJSON_AddItemToArray(items, json_order_encode(&o));
	}
	if (ctx->rows.nrows > limit)
		api_list_next(root, o.id);
	return (api_reply(ctx, 200, root));
}

/* GET /v1/orders/{id}: a supplier sees only its own, others are 404. */

static enum api_result
order_get(struct api_ctx *ctx)
{
	struct store_order	o;
	char			id[JSON_ID_MAX + 1];

	if (ctx->step == 0) {
		if (api_path_id(ctx, "/v1/orders/", NULL, id,
		    sizeof(id)) != API_NEXT)
			return (API_REPLY);
		store_order_get(&ctx->q, id,
		    is_supplier(ctx) ? ctx->key.supplier_id : NULL);
		return (api_query(ctx));
	}
	if (ctx->rows.nrows != 1)
		return (api_not_found(ctx));
	if (store_order_decode(&ctx->rows, 0, 0, &o) == -1)
		return (api_db_error(ctx));
	return (api_reply(ctx, 200, json_order_encode(&o)));
}

/*
 * POST /v1/orders/{id}/prepayment: the order-basis scheme's prepayment
 * with E = paid_on and P the expected due date, the delivery date plus
 * the supplier's payment terms (the invoice does not exist yet): the
 * scheme's eligibility rules with the order date as the issue date, the
 * advance of the order's amount and the fee's first term, then both caps
 * against what the journal says the funder has outstanding.
 */

static const char *const prepay_fields[] = { "scheme_id", "paid_on", NULL };

static enum api_result
prepay_body(struct api_ctx *ctx, struct write *w)
{
	const char	*s;
	cJSON		*details;
	char		 buf[11];
	int32_t		 d;

	details = json_details_new();
	json_check_fields(ctx->json, prepay_fields, details);
	if (json_get_id(ctx->json, "scheme_id", 1, &s, details) == 1)
		snprintf(w->scheme, sizeof(w->scheme), "%s", s);
	if (json_get_string(ctx->json, "paid_on", 1, 10, &s, details) == 1) {
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

/* What a refused prepayment says for each rule it breaks (core/scheme.h). */
static const struct {
	unsigned int	 rule;
	const char	*field;
	const char	*problem;
} prepay_reasons[] = {
	{ SCHEME_BEFORE_EFFECTIVE, "paid_on", "before the scheme is "
	    "effective" },
	{ SCHEME_NOT_BEFORE_DUE, "paid_on", "must be before the expected "
	    "due date" },
	{ SCHEME_BEFORE_ISSUE, "paid_on", "must not be before the order "
	    "date" },
	{ SCHEME_TIER, "tier", "the supplier's tier is not eligible" },
	{ SCHEME_EMPLOYEES, "employees", "more employees than the scheme "
	    "allows" },
	{ SCHEME_OPT_IN, "scheme_opt_in", "the supplier has not opted in" },
	{ SCHEME_MIN_AMOUNT, "amount", "below the scheme's minimum" },
	{ SCHEME_NO_ADVANCE, "amount", "gives no advance" },
	{ SCHEME_NO_NET, "paid_on", "the fee would take the whole advance" },
};

static enum api_result
prepay_refused(struct api_ctx *ctx, unsigned int fail)
{
	cJSON	*details;
	size_t	 i;

	details = json_details_new();
	for (i = 0; i < sizeof(prepay_reasons) / sizeof(prepay_reasons[0]);
	    i++) {
		if (fail & prepay_reasons[i].rule)
			json_detail(details, prepay_reasons[i].field, 0, "%s",
			    prepay_reasons[i].problem);
	}
	return (api_error(ctx, 409, "not_eligible", "the order is not "
	    "eligible for prepayment under this scheme", details));
}

static enum api_result
prepay_decide(struct api_ctx *ctx, struct write *w,
    const struct store_order_state *st, int64_t *advance, int64_t *fee)
{
	struct model_scheme	 sc;
	cJSON			*details, *j;
	int32_t			 e, p, ordered, delivered;
	int64_t			 net;
	unsigned int		 fail;

	if (!st->scheme_found) {
		details = json_details_new();
		json_detail(details, "scheme_id", 0, "no such scheme");
		return (api_invalid(ctx, details));
	}
	if (strcmp(st->basis, "order") != 0)
		return (api_error(ctx, 409, "not_order_basis", "the scheme "
		    "pays invoices early; an order is prepaid only under a "
		    "scheme with basis order", NULL));
	sc = st->scheme;
	if (date_parse(w->on, &e) == -1 ||
	    date_parse(st->ord.order_date, &ordered) == -1 ||
	    date_parse(st->ord.delivery_date, &delivered) == -1 ||
	    date_parse(st->effective_from, &sc.effective_from) == -1)
		return (api_db_error(ctx));
	p = delivered + (int32_t)st->payment_terms_days;
	date_format(p, w->due);

	fail = scheme_invoice_eligible(&sc, e, ordered, p, st->ord.amount) |
	    scheme_eligible(&sc, st->tier, st->employees, st->opt_in);
	if (fail == 0)
		fail = scheme_quote(&sc, st->ord.amount, e, p, advance, fee);
	if (fail != 0)
		return (prepay_refused(ctx, fail));
	if (!scheme_within_caps(&sc, *advance, st->supplier_used,
	    st->facility_used))
		return (api_error(ctx, 409, "over_cap", "the prepayment would "
		    "exceed the scheme's per-supplier cap or facility limit",
		    NULL));
	if ((fail = scheme_net(&sc, *advance, *fee, &net)) != 0)
		return (prepay_refused(ctx, fail));

	w->tx.order = st->ord.id;
	w->tx.scheme = w->scheme;
	w->tx.effective = w->on;
	if (journal_prepayment(&w->tx, st->ord.supplier_id, w->scheme,
	    st->ord.currency, *advance, *fee,
	    sc.fee_bearer == MODEL_FEE_OEM) == -1 ||
	    !journal_balanced(&w->tx))
		return (api_db_error(ctx));

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "order_id", st->ord.id);
	cJSON_AddStringToObject(j, "scheme_id", w->scheme);
	json_add_int64(j, "advance", *advance);
	json_add_int64(j, "fee", *fee);
	cJSON_AddStringToObject(j, "fee_bearer", st->fee_bearer);
	json_add_int64(j, "net_to_supplier", net);
	cJSON_AddStringToObject(j, "paid_on", w->on);
	cJSON_AddStringToObject(j, "expected_due_date", w->due);
	write_response(w, 201, j);
	return (API_NEXT);
}

static enum api_result
order_prepayment(struct api_ctx *ctx)
{
	struct write			*w = ctx->data;
	struct store_order_state	 st;
	struct store_post		 p;
	int64_t				 advance, fee;
	char				 msg[96];

	switch (ctx->step) {
	case 0:
		w = write_new(ctx);
		if (api_path_id(ctx, "/v1/orders/", "/prepayment", w->id,
		    sizeof(w->id)) != API_NEXT)
			return (API_REPLY);
		api_resource(ctx, "order:%s", w->id);
		if (prepay_body(ctx, w) != API_NEXT)
			return (API_REPLY);
		store_order_state(&ctx->q, w->id, w->scheme);
		return (api_query(ctx));
	case 1:
		if (store_order_state_decode(&ctx->rows, &st) == -1)
			return (api_db_error(ctx));
		if (!st.found)
			return (api_not_found(ctx));
		if (strcmp(st.ord.status, "open") != 0) {
			/* A repeat whose first copy won: its stored reply. */
			if (ctx->idem_key != NULL && ctx->retries == 0)
				return (api_retry(ctx));
			snprintf(msg, sizeof(msg), "the order is %s",
			    st.ord.status);
			return (api_error(ctx, 409, "invalid_transition", msg,
			    NULL));
		}
		if (prepay_decide(ctx, w, &st, &advance, &fee) != API_NEXT)
			return (API_REPLY);
		memset(&p, 0, sizeof(p));
		p.at = w->at;
		p.tx = &w->tx;
		p.key_id = ctx->key.id;
		p.idem_key = ctx->idem_key;
		p.request_hash = ctx->idem_key != NULL ? ctx->request_hash :
		    NULL;
		p.status = w->status;
		p.response = w->response;
		/* Posted only if the order is still open, under the caps. */
		store_order_prepay(&ctx->q, &st.ord, w->scheme, w->on, w->due,
		    advance, fee, &p);
		return (api_query_errors(ctx));
	default:
		switch (store_error(&ctx->rows)) {
		case STORE_OK:
			return (write_reply(ctx, w));
		case STORE_ERR_HEAD_MOVED:
		case STORE_ERR_CONTENTION:
			return (api_retry(ctx));
		case STORE_ERR_BAD_TRANSITION:
		case STORE_ERR_OVER_CAP:
			if (ctx->idem_key != NULL && ctx->retries == 0)
				return (api_retry(ctx));
			return (api_db_error(ctx));
		default:
			return (api_db_error(ctx));
		}
	}
}

static const char *const no_fields[] = { NULL };

/*
 * POST /v1/orders/{id}/reverse: a prepaid order's prepayment, before it
 * has an invoice, posted again with every amount negated; the order is
 * open again. An order's invoice's events are reversed on the invoice.
 */
static enum api_result
order_reverse(struct api_ctx *ctx)
{
	struct write			*w = ctx->data;
	struct store_order_state	 st;
	struct store_order		 o;
	struct store_post		 p;
	cJSON				*details;
	char				 msg[96];

	switch (ctx->step) {
	case 0:
		w = write_new(ctx);
		if (api_path_id(ctx, "/v1/orders/", "/reverse", w->id,
		    sizeof(w->id)) != API_NEXT)
			return (API_REPLY);
		api_resource(ctx, "order:%s", w->id);
		if (ctx->json != NULL) {
			details = json_details_new();
			json_check_fields(ctx->json, no_fields, details);
			if (cJSON_GetArraySize(details) > 0)
				return (api_invalid(ctx, details));
			cJSON_Delete(details);
		}
		store_order_state(&ctx->q, w->id, NULL);
		return (api_query(ctx));
	case 1:
		if (store_order_state_decode(&ctx->rows, &st) == -1)
			return (api_db_error(ctx));
		if (!st.found)
			return (api_not_found(ctx));
		if (strcmp(st.ord.status, "prepaid") != 0) {
			if (ctx->idem_key != NULL && ctx->retries == 0)
				return (api_retry(ctx));
			snprintf(msg, sizeof(msg), "the order is %s; only a "
			    "prepayment without an invoice is reversed here",
			    st.ord.status);
			return (api_error(ctx, 409, "invalid_transition", msg,
			    NULL));
		}
		if (!st.scheme_found)
			return (api_db_error(ctx));
		w->tx.order = st.ord.id;
		w->tx.scheme = st.ord.scheme_id;
		if (journal_prepayment(&w->tx, st.ord.supplier_id,
		    st.ord.scheme_id, st.ord.currency, st.ord.prepaid,
		    st.ord.prepaid_fee, st.scheme.fee_bearer ==
		    MODEL_FEE_OEM) == -1 || journal_reverse(&w->tx) == -1 ||
		    !journal_balanced(&w->tx))
			return (api_db_error(ctx));
		o = st.ord;
		o.status = "open";
		o.scheme_id = o.prepaid_on = o.expected_due = NULL;
		o.prepaid = o.prepaid_fee = o.funded = 0;
		o.updated_at = w->at;
		write_response(w, 200, json_order_encode(&o));
		memset(&p, 0, sizeof(p));
		p.at = w->at;
		p.tx = &w->tx;
		p.key_id = ctx->key.id;
		p.idem_key = ctx->idem_key;
		p.request_hash = ctx->idem_key != NULL ? ctx->request_hash :
		    NULL;
		p.status = w->status;
		p.response = w->response;
		store_order_prepay_reverse(&ctx->q, &st.ord, &p);
		return (api_query_errors(ctx));
	default:
		switch (store_error(&ctx->rows)) {
		case STORE_OK:
			return (write_reply(ctx, w));
		case STORE_ERR_HEAD_MOVED:
		case STORE_ERR_CONTENTION:
			return (api_retry(ctx));
		case STORE_ERR_BAD_TRANSITION:
			if (ctx->idem_key != NULL && ctx->retries == 0)
				return (api_retry(ctx));
			return (api_db_error(ctx));
		default:
			return (api_db_error(ctx));
		}
	}
}

static const char *const list_params[] = {
	"supplier_id", "status", "limit", "cursor", NULL
};

#define T	ROLE_TREASURY
#define TS	(ROLE_TREASURY | ROLE_SUPPLIER)

static const struct api_op orders_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = TS, .params = list_params,
	    .step = order_list },
	{ .method = HTTP_METHOD_POST, .roles = T, .body = API_BODY_JSON,
	    .step = order_create },
};
static const struct api_op order_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = TS, .step = order_get },
};
static const struct api_op prepayment_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = T, .body = API_BODY_JSON,
	    .step = order_prepayment, .idempotent = 1 },
};

static const struct api_op reverse_ops[] = {
	{ .method = HTTP_METHOD_POST, .roles = T,
	    .body = API_BODY_JSON_OPTIONAL, .step = order_reverse,
	    .idempotent = 1 },
};

int
http_orders(struct http_request *req)
{
	return (api_run(req, API_OPS(orders_ops)));
}

int
http_order(struct http_request *req)
{
	return (api_run(req, API_OPS(order_ops)));
}

int
http_order_prepayment(struct http_request *req)
{
	return (api_run(req, API_OPS(prepayment_ops)));
}

int
http_order_reverse(struct http_request *req)
{
	return (api_run(req, API_OPS(reverse_ops)));
}
