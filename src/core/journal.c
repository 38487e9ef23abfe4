/*
 * Journal transactions and their hash chain (see journal.h). The account
 * names here and the kinds that sql/0003_ledger.sql derives from them are
 * one chart of accounts; the SQL comment lists it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"

/* A new transaction is sealed the way postings are sealed now. */
void
journal_tx_init(struct journal_tx *tx)
{
	memset(tx, 0, sizeof(*tx));
	tx->seal = JOURNAL_SEAL;
}

void
journal_tx_cleanup(struct journal_tx *tx)
{
	size_t	i;

	for (i = 0; i < tx->n; i++) {
		free(tx->p[i].account);
		free(tx->p[i].invoice);
	}
	free(tx->p);
	journal_tx_init(tx);
}

static char *
xstrdup(const char *s)
{
	char	*p;

	if (s == NULL)
		return (NULL);
	if ((p = strdup(s)) == NULL)
		abort();
	return (p);
}

/* A zero amount is not posted: it would move nothing. */
int
journal_post(struct journal_tx *tx, const char *account, const char *currency,
    int64_t amount, const char *invoice)
{
	struct journal_posting	*np;
	size_t			 cap;

	if (amount == 0)
		return (0);
	if (strlen(account) >= JOURNAL_ACCOUNT_MAX || strlen(currency) != 3)
		return (-1);
	if (tx->n == tx->cap) {
		cap = tx->cap ? tx->cap * 2 : 8;
		if ((np = realloc(tx->p, cap * sizeof(*np))) == NULL)
			abort();
		tx->p = np;
		tx->cap = cap;
	}
	np = &tx->p[tx->n++];
	np->account = xstrdup(account);
	memcpy(np->currency, currency, 4);
	np->amount = amount;
	np->invoice = xstrdup(invoice);
	return (0);
}

/*
 * Two or more postings summing to zero in each currency. The sums are
 * checked without overflow: any partial sum leaving int64 is unbalanced.
 */
int
journal_balanced(const struct journal_tx *tx)
{
	size_t	i, j;
	int64_t	sum;

	if (tx->n < 2)
		return (0);
	for (i = 0; i < tx->n; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(tx->p[j].currency, tx->p[i].currency) == 0)
				break;
		}
		if (j < i)
			continue;
		for (sum = 0, j = i; j < tx->n; j++) {
			if (strcmp(tx->p[j].currency, tx->p[i].currency) != 0)
				continue;
			if (__builtin_add_overflow(sum, tx->p[j].amount, &sum))
				return (0);
		}
		if (sum != 0)
			return (0);
	}
	return (1);
}

static const char *
orempty(const char *s)
{
	return (s == NULL ? "" : s);
}

void
journal_canonical(const struct journal_tx *tx, struct buf *out)
{
	size_t	i;

	buf_printf(out, "tideover-journal-v%d\nseq=%" PRId64 "\nkind=%s\n"
	    "invoice=%s\n", tx->seal, tx->seq, orempty(tx->kind),
	    orempty(tx->invoice));
	/* Only a transaction about an order has the line, so older bytes stand. */
	if (tx->order != NULL)
		buf_printf(out, "order=%s\n", tx->order);
	buf_printf(out, "scheme=%s\neffective=%s\nat=%s\n",
	    orempty(tx->scheme), orempty(tx->effective), orempty(tx->at));
	for (i = 0; i < tx->n; i++) {
		buf_printf(out, "posting=%s|%s|%" PRId64 "|%s\n",
		    tx->p[i].account, tx->p[i].currency, tx->p[i].amount,
		    orempty(tx->p[i].invoice));
	}
}

static int
post_fmt(struct journal_tx *tx, const char *currency, int64_t amount,
    const char *invoice, const char *fmt, const char *a, const char *b)
{
	char	name[JOURNAL_ACCOUNT_MAX];
	int	n;

	n = snprintf(name, sizeof(name), fmt, a, b);
	if (n < 0 || (size_t)n >= sizeof(name))
		return (-1);
	return (journal_post(tx, name, currency, amount, invoice));
}

/* Approval: the OEM now owes the supplier the invoice. */
int
journal_approval(struct journal_tx *tx, const char *supplier,
    const char *currency, int64_t amount, const char *invoice)
{
	if (amount <= 0)
		return (-1);
	tx->kind = "approval";
	if (post_fmt(tx, currency, amount, invoice, "purchases%s%s", "",
	    "") == -1)
		return (-1);
	return (post_fmt(tx, currency, -amount, invoice,
	    "payable:supplier:%s%s", supplier, ""));
}

/*
 * A batch of approvals (an import) is one transaction: a credit to each
 * supplier per invoice, and one debit to purchases for the total.
 */
int
journal_approval_line(struct journal_tx *tx, const char *supplier,
    const char *currency, int64_t amount, const char *invoice)
{
	if (amount <= 0)
		return (-1);
	tx->kind = "approval";
	return (post_fmt(tx, currency, -amount, invoice,
	    "payable:supplier:%s%s", supplier, ""));
}

int
journal_approval_total(struct journal_tx *tx, const char *currency,
    int64_t total)
{
	if (total <= 0)
		return (-1);
	return (post_fmt(tx, currency, total, NULL, "purchases%s%s", "", ""));
}

/* A financing fee: the supplier's discount, or the OEM's cost in cash. */
static int
post_fee(struct journal_tx *tx, const char *supplier, const char *scheme,
    const char *currency, int64_t fee, int oem_bears_fee, const char *invoice)
{
	if (oem_bears_fee) {
		if (post_fmt(tx, currency, fee, invoice, "fees:oem%s%s", "",
		    "") == -1 ||
		    post_fmt(tx, currency, -fee, invoice, "cash%s%s", "",
		    "") == -1)
			return (-1);
	} else {
		if (post_fmt(tx, currency, fee, invoice, "fees:supplier:%s%s",
		    supplier, "") == -1 ||
		    post_fmt(tx, currency, -fee, invoice, "fees:funder:%s%s",
		    scheme, "") == -1)
			return (-1);
	}
	return (0);
}

/*
 * Early payment: the funder pays the advance, so the OEM owes it instead
 * of the supplier; the fee is the supplier's discount or the OEM's cost.
 */
int
journal_early_payment(struct journal_tx *tx, const char *supplier,
    const char *scheme, const char *currency, int64_t advance, int64_t fee,
    int oem_bears_fee, const char *invoice)
{
	if (advance <= 0 || fee < 0)
		return (-1);
	tx->kind = "early_payment";
	if (post_fmt(tx, currency, advance, invoice, "payable:supplier:%s%s",
	    supplier, "") == -1 ||
	    post_fmt(tx, currency, -advance, invoice, "payable:funder:%s:%s",
	    scheme, supplier) == -1)
		return (-1);
	return (post_fee(tx, supplier, scheme, currency, fee, oem_bears_fee,
	    invoice));
}

/*
 * Payment at maturity: what is still owed to the supplier, and the
 * funder's advance when there was one (scheme non-NULL), both in cash.
 */
int
journal_payment(struct journal_tx *tx, const char *supplier,
    const char *scheme, const char *currency, int64_t remainder,
    int64_t advance, const char *invoice)
{
	int64_t	total;

	if (remainder < 0 || advance < 0 || (scheme == NULL && advance != 0) ||
	    __builtin_add_overflow(remainder, advance, &total) || total == 0)
		return (-1);
	tx->kind = "payment";
	if (post_fmt(tx, currency, remainder, invoice, "payable:supplier:%s%s",
	    supplier, "") == -1)
		return (-1);
	if (scheme != NULL && post_fmt(tx, currency, advance, invoice,
	    "payable:funder:%s:%s", scheme, supplier) == -1)
		return (-1);
	return (post_fmt(tx, currency, -total, invoice, "cash%s%s", "", ""));
}

/*
 * Turn the postings of an event into its reversal: every amount negated,
 * so the two transactions together move nothing. The journal is never
 * edited; this is how a correction is written.
 */
int
journal_reverse(struct journal_tx *tx)
{
	size_t	i;

	for (i = 0; i < tx->n; i++) {
		if (tx->p[i].amount == INT64_MIN)
			return (-1);
	}
	for (i = 0; i < tx->n; i++)
		tx->p[i].amount = -tx->p[i].amount;
	tx->kind = "reversal";
	return (0);
}

/*
 * Prepayment of an order: the funder pays the advance before there is
 * an invoice, so the OEM holds it as prepaid to the supplier and owes
 * the funder; the fee as an early payment's.
 */
int
journal_prepayment(struct journal_tx *tx, const char *supplier,
    const char *scheme, const char *currency, int64_t advance, int64_t fee,
    int oem_bears_fee)
{
	if (advance <= 0 || fee < 0)
		return (-1);
	tx->kind = "prepayment";
	if (post_fmt(tx, currency, advance, NULL, "prepaid:supplier:%s%s",
	    supplier, "") == -1 ||
	    post_fmt(tx, currency, -advance, NULL, "payable:funder:%s:%s",
	    scheme, supplier) == -1)
		return (-1);
	return (post_fee(tx, supplier, scheme, currency, fee, oem_bears_fee,
	    NULL));
}

/*
 * An order's prepayment applied to its invoice of `amount`: it pays as
 * much of the invoice as it covers, and what it paid beyond the invoice
 * the supplier owes back.
 */
int
journal_order_apply(struct journal_tx *tx, const char *supplier,
    const char *currency, int64_t prepaid, int64_t amount,
    const char *invoice)
{
	int64_t	applied;

	if (prepaid <= 0 || amount <= 0)
		return (-1);
	applied = prepaid < amount ? prepaid : amount;
	if (post_fmt(tx, currency, applied, invoice, "payable:supplier:%s%s",
	    supplier, "") == -1 ||
	    post_fmt(tx, currency, prepaid - applied, invoice,
	    "receivable:supplier:%s%s", supplier, "") == -1)
		return (-1);
	return (post_fmt(tx, currency, -prepaid, invoice,
	    "prepaid:supplier:%s%s", supplier, ""));
}

/* What the supplier owes back, netted from what the OEM owes it. */
int
journal_net(struct journal_tx *tx, const char *supplier, const char *currency,
    int64_t netted, const char *invoice)
{
	if (netted < 0)
		return (-1);
	if (post_fmt(tx, currency, netted, invoice, "payable:supplier:%s%s",
	    supplier, "") == -1)
		return (-1);
	return (post_fmt(tx, currency, -netted, invoice,
	    "receivable:supplier:%s%s", supplier, ""));
}

/*
 * The true-up's funded part: the funder pays the rest of the invoice, so
 * the OEM owes it instead of the supplier; the fee as an early payment's.
 */
int
journal_true_up(struct journal_tx *tx, const char *supplier,
    const char *scheme, const char *currency, int64_t funded, int64_t fee,
    int oem_bears_fee, const char *invoice)
{
	if (funded < 0 || fee < 0)
		return (-1);
	tx->kind = "true_up";
	if (post_fmt(tx, currency, funded, invoice, "payable:supplier:%s%s",
	    supplier, "") == -1 ||
	    post_fmt(tx, currency, -funded, invoice, "payable:funder:%s:%s",
	    scheme, supplier) == -1)
		return (-1);
	return (post_fee(tx, supplier, scheme, currency, fee, oem_bears_fee,
	    invoice));
}

/*
 * A transaction's hash under the previous one, by its seal: what the
 * chain stores. -1 for a seal the hash does not know.
 */
static int
chain_step(const unsigned char *prev, const struct journal_tx *tx,
    journal_hash_fn *hash, unsigned char *out)
{
	struct buf	b;
	int		r;

	buf_init(&b);
	journal_canonical(tx, &b);
	r = hash(tx->seal, prev, b.data, b.len, out);
	buf_cleanup(&b);
	return (r);
}

/*
 * Chain a balanced transaction, made at `at`, to the head, under its
 * seal, as the database does when it appends (ledger_append): it takes
 * the next seq, and out is its hash. -1, and the transaction untouched,
 * when it does not balance or its seal is unknown.
 */
int
journal_seal(struct journal_tx *tx, int64_t head_seq,
    const unsigned char *head_hash, const char *at, journal_hash_fn *hash,
    unsigned char *out)
{
	struct journal_tx	t;

	if (!journal_balanced(tx))
		return (-1);
	t = *tx;
	t.seq = head_seq + 1;
	t.at = at;
	if (chain_step(head_hash, &t, hash, out) == -1)
		return (-1);
	*tx = t;
	return (0);
}

void
journal_verify_init(struct journal_verify *v)
{
	memset(v, 0, sizeof(*v));
	v->chain_ok = v->balanced = 1;
}

static void
verify_bad(struct journal_verify *v, int64_t seq, int chain)
{
	if (chain)
		v->chain_ok = 0;
	else
		v->balanced = 0;
	if (v->first_bad == 0)
		v->first_bad = seq;
}

/* A stored transaction that cannot be read breaks the chain after the last. */
void
journal_verify_unreadable(struct journal_verify *v)
{
	verify_bad(v, v->after + 1, 1);
}

/*
 * One stored posting of tx (whose stored fields are set), added to it
 * for the hash; the service never posts a zero amount or a posting that
 * journal_post refuses.
 */
void
journal_verify_posting(struct journal_verify *v, struct journal_tx *tx,
    const char *account, const char *currency, int64_t amount,
    const char *invoice)
{
	v->postings++;
	if (journal_post(tx, account, currency, amount, invoice) == -1 ||
	    amount == 0)
		verify_bad(v, tx->seq, 1);
}

/*
 * The next stored transaction, its postings read: `postings` is the
 * count stored with it, prev and hash its stored prev_hash and hash
 * (NULL when they do not decode).
 */
void
journal_verify(struct journal_verify *v, const struct journal_tx *tx,
    int64_t postings, const unsigned char *prev, const unsigned char *hash,
    journal_hash_fn *hashf)
{
	unsigned char	h[JOURNAL_HASH_LEN];

	if (tx->seq != v->after + 1 || v->postings != postings ||
	    prev == NULL || memcmp(prev, v->prev, sizeof(v->prev)) != 0)
		verify_bad(v, tx->seq, 1);
	if (!journal_balanced(tx))
		verify_bad(v, tx->seq, 0);
	if (chain_step(v->prev, tx, hashf, h) == -1) {
		/* A seal nobody made: no hash to hold it to. */
		verify_bad(v, tx->seq, 1);
		memset(h, 0, sizeof(h));
	} else if (hash == NULL || memcmp(h, hash, sizeof(h)) != 0)
		verify_bad(v, tx->seq, 1);
	memcpy(v->prev, hash != NULL ? hash : h, sizeof(v->prev));
	v->after = tx->seq;
	v->count++;
	v->postings = 0;
}

/* The walk must end at the head read first, having read all upto of it. */
void
journal_verify_end(struct journal_verify *v, int64_t upto,
    const unsigned char *head)
{
	if (v->count != upto || memcmp(v->prev, head, sizeof(v->prev)) != 0)
		v->chain_ok = 0;
}
