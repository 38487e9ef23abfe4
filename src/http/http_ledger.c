/*
 * /v1/ledger: treasury reads the journal's accounts and transactions, and
 * has the whole chain and every balance recomputed by verify.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cursor.h"
#include "core/journal.h"
#include "crypto/chain.h"
#include "crypto/keys.h"
#include "http/api.h"
#include "json/json.h"
#include "store/store_ledger.h"

int	http_ledger_accounts(struct http_request *);
int	http_ledger_account(struct http_request *);
int	http_ledger_transactions(struct http_request *);
int	http_ledger_verify(struct http_request *);

/* A transaction lists at most this many postings; verify reads them all. */
#define POSTINGS_SHOWN	1000
#define VERIFY_CHUNK	200

static cJSON *
account_encode(const struct store_account *a)
{
	cJSON	*j;

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "name", a->name);
	json_add_string_or_null(j, "kind", a->kind);
	json_add_string_or_null(j, "supplier_id", a->supplier_id);
	json_add_string_or_null(j, "scheme_id", a->scheme_id);
	json_add_string_or_null(j, "currency", a->currency);
	json_add_int64(j, "balance", a->balance);
	return (j);
}

static cJSON *
account_item(const struct db_rows *r, int *row, char *key, size_t len)
{
	struct store_account	a;

	if (store_account_decode(r, (*row)++, &a) == -1)
		return (NULL);
	snprintf(key, len, "%s", a.name);
	return (account_encode(&a));
}

static const struct api_listing account_listing = {
	.after_key = store_account_list, .item = account_item
};

static enum api_result
account(struct api_ctx *ctx)
{
	struct store_account	a;
	char			name[JOURNAL_ACCOUNT_MAX];

	if (ctx->step == 0) {
		if (api_path_id(ctx, "/v1/ledger/accounts/", NULL, name,
		    sizeof(name)) != API_NEXT)
			return (API_REPLY);
		store_account_get(&ctx->q, name);
		return (api_query(ctx));
	}
	if (ctx->rows.nrows != 1)
		return (api_not_found(ctx));
	if (store_account_decode(&ctx->rows, 0, &a) == -1)
		return (api_db_error(ctx));
	return (api_reply(ctx, 200, account_encode(&a)));
}

/* GET /v1/ledger/transactions: a page of transactions, then their postings. */

struct txpage {
	struct db_rows	txs;
	int		limit;
};

static void
txpage_free(void *p)
{
	struct txpage	*t = p;

	if (t == NULL)
		return;
	db_rows_cleanup(&t->txs);
	free(t);
}

static cJSON *
tx_encode(const struct store_tx *t)
{
	cJSON	*j;

	j = cJSON_CreateObject();
	json_add_int64(j, "seq", t->seq);
	cJSON_AddStringToObject(j, "kind", t->kind);
	json_add_string_or_null(j, "invoice_id", t->invoice_id);
	json_add_string_or_null(j, "order_id", t->order_id);
	json_add_string_or_null(j, "scheme_id", t->scheme_id);
	json_add_string_or_null(j, "effective_on", t->effective_on);
	json_add_string_or_null(j, "at", t->at);
	json_add_string_or_null(j, "prev_hash", t->prev_hash);
	cJSON_AddStringToObject(j, "hash", t->hash);
	json_add_int64(j, "posting_count", t->postings);
	return (j);
}

static enum api_result
transactions(struct api_ctx *ctx)
{
	struct txpage		*t = ctx->data;
	struct store_tx		 tx;
	struct store_posting	 p;
	cJSON			*root, *items, *j = NULL, *postings = NULL, *pj;
	char			 last[24];
	int64_t			 after, *seqs;
	int			 limit, i, k;

	if (api_page_seq(ctx, &limit, &after, 0) != API_NEXT)
		return (API_REPLY);
	switch (ctx->step) {
	case 0:
		store_tx_list(&ctx->q, uri_query_get(&ctx->query, "account"),
		    after, 0, limit + 1);
		return (api_query(ctx));
	case 1:
		t = api_data(ctx, sizeof(*t), txpage_free);
		t->txs = ctx->rows;
		t->limit = limit;
		db_rows_init(&ctx->rows);
		if (t->txs.nrows == 0)
			break;
		k = t->txs.nrows > limit ? limit : t->txs.nrows;
		if ((seqs = calloc((size_t)k, sizeof(*seqs))) == NULL)
			abort();
		for (i = 0; i < k; i++) {
			if (store_tx_decode(&t->txs, i, &tx) == -1) {
				free(seqs);
				return (api_db_error(ctx));
			}
			seqs[i] = tx.seq;
		}
		store_posting_list_of(&ctx->q, seqs, k, POSTINGS_SHOWN);
		free(seqs);
		return (api_query(ctx));
	}

	items = api_list(&root);
	for (i = 0, k = 0; t->txs.nrows > 0 && i < t->txs.nrows && i < limit;
	    i++) {
		if (store_tx_decode(&t->txs, i, &tx) == -1) {
			cJSON_Delete(root);
			return (api_db_error(ctx));
		}
		j = tx_encode(&tx);
		postings = cJSON_AddArrayToObject(j, "postings");
		/* Postings of other transactions in range are skipped. */
		for (; k < ctx->rows.nrows; k++) {
			if (store_posting_decode(&ctx->rows, k, &p) == -1)
				break;
			if (p.tx_seq < tx.seq)
				continue;
			if (p.tx_seq > tx.seq)
				break;
			pj = cJSON_CreateObject();
			cJSON_AddStringToObject(pj, "account", p.account);
			cJSON_AddStringToObject(pj, "currency", p.currency);
			json_add_int64(pj, "amount", p.amount);
			json_add_string_or_null(pj, "invoice_id", p.invoice_id);
			cJSON_AddItemToArray(postings, pj);
		}
		cJSON_AddItemToArray(items, j);
		snprintf(last, sizeof(last), "%" PRId64, tx.seq);
	}
	if (t->txs.nrows > limit)
		api_list_next(root, last);
	return (api_reply(ctx, 200, root));
}

/*
 * GET /v1/ledger/verify: read the head, then walk the chain up to it from
 * the first transaction, a chunk at a time, recomputing each hash from
 * the stored fields and postings; then compare every account's balance
 * with its postings. Transactions posted meanwhile lie beyond the head
 * that was read and are left for the next verification.
 */

enum verify_step {
	V_HEAD,
	V_TXS,
	V_POSTINGS,
	V_TOTALS,
};

struct verify {
	enum verify_step step;
	struct db_rows	 txs;
	int64_t		 upto;
	unsigned char	 head[CHAIN_HASH_LEN];
	struct journal_verify chain;
};

static void
verify_free(void *p)
{
	struct verify	*v = p;

	if (v == NULL)
		return;
	db_rows_cleanup(&v->txs);
	free(v);
}

/* Check one chunk of transactions against their postings (prow). */
static void
verify_chunk(struct verify *v, const struct db_rows *prow)
{
	struct store_tx		 t;
	struct store_posting	 p;
	struct journal_tx	 tx;
	unsigned char		 prev[CHAIN_HASH_LEN], stored[CHAIN_HASH_LEN];
	int			 i, k;

	for (i = 0, k = 0; i < v->txs.nrows; i++) {
		if (store_tx_decode(&v->txs, i, &t) == -1) {
			journal_verify_unreadable(&v->chain);
			return;
		}
		journal_tx_init(&tx);
		tx.seal = t.seal >= 0 && t.seal <= JOURNAL_SEAL ? (int)t.seal :
		    -1;
		tx.seq = t.seq;
		tx.kind = t.kind;
		tx.invoice = t.invoice_id;
		tx.order = t.order_id;
		tx.scheme = t.scheme_id;
		tx.effective = t.effective_on;
		tx.at = t.at;
		for (; k < prow->nrows; k++) {
			if (store_posting_decode(prow, k, &p) == -1 ||
			    p.tx_seq != t.seq)
				break;
			journal_verify_posting(&v->chain, &tx, p.account,
			    p.currency, p.amount, p.invoice_id);
		}
		journal_verify(&v->chain, &tx, t.postings,
		    keys_hex_decode(t.prev_hash, prev, sizeof(prev)) == 0 ?
		    prev : NULL, keys_hex_decode(t.hash, stored,
		    sizeof(stored)) == 0 ? stored : NULL, chain_hash);
		journal_tx_cleanup(&tx);
	}
}

static enum api_result
verify_reply(struct api_ctx *ctx, struct verify *v)
{
	int64_t		 accounts, currencies, orphans;
	char		 hex[CHAIN_HASH_LEN * 2 + 1];
	cJSON		*j;

	if (ctx->rows.nrows != 1 ||
	    db_rows_int64(&ctx->rows, 0, 0, &accounts) == -1 ||
	    db_rows_int64(&ctx->rows, 0, 1, &currencies) == -1 ||
	    db_rows_int64(&ctx->rows, 0, 2, &orphans) == -1)
		return (api_db_error(ctx));
	if (accounts != 0 || currencies != 0 || orphans != 0)
		v->chain.balanced = 0;
	journal_verify_end(&v->chain, v->upto, v->head);

	keys_hex_encode(v->head, sizeof(v->head), hex);
	j = cJSON_CreateObject();
	cJSON_AddBoolToObject(j, "balanced", v->chain.balanced);
	cJSON_AddBoolToObject(j, "chain_ok", v->chain.chain_ok);
	json_add_int64(j, "transactions", v->chain.count);
	cJSON_AddStringToObject(j, "head", hex);
	if (v->chain.first_bad != 0)
		json_add_int64(j, "first_bad_seq", v->chain.first_bad);
	else
		cJSON_AddNullToObject(j, "first_bad_seq");
	json_add_int64(j, "accounts_out_of_balance", accounts);
	return (api_reply(ctx, 200, j));
}

static enum api_result
verify(struct api_ctx *ctx)
{
	struct verify	*v = ctx->data;
	struct store_tx	 last;

	if (ctx->step == 0) {
		v = api_data(ctx, sizeof(*v), verify_free);
		journal_verify_init(&v->chain);
		v->step = V_HEAD;
		store_ledger_head(&ctx->q);
		return (api_query(ctx));
	}

	switch (v->step) {
	case V_HEAD:
		if (ctx->rows.nrows != 1 ||
		    db_rows_int64(&ctx->rows, 0, 0, &v->upto) == -1 ||
		    keys_hex_decode(db_rows_get(&ctx->rows, 0, 1), v->head,
		    sizeof(v->head)) == -1)
			return (api_db_error(ctx));
		if (v->upto == 0) {
			v->step = V_TOTALS;
			store_ledger_totals(&ctx->q);
			return (api_query(ctx));
		}
		break;
	case V_TXS:
		if (ctx->rows.nrows == 0) {
			v->step = V_TOTALS;
			store_ledger_totals(&ctx->q);
			return (api_query(ctx));
		}
		v->txs = ctx->rows;
		db_rows_init(&ctx->rows);
		if (store_tx_decode(&v->txs, v->txs.nrows - 1, &last) == -1)
			return (api_db_error(ctx));
		v->step = V_POSTINGS;
		store_posting_list(&ctx->q, v->chain.after, last.seq, 0);
		return (api_query(ctx));
	case V_POSTINGS:
		verify_chunk(v, &ctx->rows);
		db_rows_cleanup(&v->txs);
		break;
	case V_TOTALS:
		return (verify_reply(ctx, v));
	}

	/* The next chunk, up to the head read first. */
	v->step = V_TXS;
	store_tx_list(&ctx->q, NULL, v->chain.after, v->upto, VERIFY_CHUNK);
	return (api_query(ctx));
}

static const char *const page_params[] = { "limit", "cursor", NULL };
static const char *const tx_params[] = {
	"account", "limit", "cursor", NULL
};

static const struct api_op accounts_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY,
	    .params = page_params, .step = api_list_step,
	    .list = &account_listing },
};
static const struct api_op account_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY, .step = account },
};
static const struct api_op tx_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY,
	    .params = tx_params, .step = transactions },
};
static const struct api_op verify_ops[] = {
	{ .method = HTTP_METHOD_GET, .roles = ROLE_TREASURY, .step = verify },
};

int
http_ledger_accounts(struct http_request *req)
{
	return (api_run(req, API_OPS(accounts_ops)));
}

int
http_ledger_account(struct http_request *req)
{
	return (api_run(req, API_OPS(account_ops)));
}

int
http_ledger_transactions(struct http_request *req)
{
	return (api_run(req, API_OPS(tx_ops)));
}

int
http_ledger_verify(struct http_request *req)
{
	return (api_run(req, API_OPS(verify_ops)));
}
