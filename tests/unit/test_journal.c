/*
 * Journal transactions: each event's postings, balance, and the canonical
 * bytes the hash chain covers under each seal (golden values: changing an
 * encoding breaks every stored chain, so it must never change by
 * accident; the seal 2 ones are also what the database computes, which
 * tests/api/test_api_ledger.c checks against the same literals); then a
 * chain sealed with the real hashes, seal 1 then seal 2 as a journal
 * older than sql/0015 holds it, verified, and tampered with in each way
 * GET /v1/ledger/verify tells apart.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/journal.h"
#include "crypto/chain.h"
#include "crypto/keys.h"

static void
approval_postings(void **state)
{
	struct journal_tx	tx;

	journal_tx_init(&tx);
	assert_int_equal(journal_approval(&tx, "SUP-A", "GBP", 500000,
	    "INV-1"), 0);
	assert_string_equal(tx.kind, "approval");
	assert_int_equal(tx.n, 2);
	assert_string_equal(tx.p[0].account, "purchases");
	assert_int_equal(tx.p[0].amount, 500000);
	assert_string_equal(tx.p[1].account, "payable:supplier:SUP-A");
	assert_int_equal(tx.p[1].amount, -500000);
	assert_string_equal(tx.p[1].invoice, "INV-1");
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	assert_int_equal(journal_approval(&tx, "SUP-A", "GBP", 0, NULL), -1);
	assert_int_equal(journal_approval(&tx, "SUP-A", "GBP", -1, NULL), -1);
	journal_tx_cleanup(&tx);
}

static void
early_payment_postings_by_fee_bearer(void **state)
{
	struct journal_tx	tx;

	journal_tx_init(&tx);
	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 4808, 0, "INV-1"), 0);
	assert_int_equal(tx.n, 4);
	assert_string_equal(tx.p[1].account, "payable:funder:S1:SUP-A");
	assert_int_equal(tx.p[1].amount, -900000);
	assert_string_equal(tx.p[2].account, "fees:supplier:SUP-A");
	assert_int_equal(tx.p[2].amount, 4808);
	assert_string_equal(tx.p[3].account, "fees:funder:S1");
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 4808, 1, "INV-1"), 0);
	assert_string_equal(tx.p[2].account, "fees:oem");
	assert_string_equal(tx.p[3].account, "cash");
	assert_int_equal(tx.p[3].amount, -4808);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	/* No fee, no fee postings. */
	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 0, 0, "INV-1"), 0);
	assert_int_equal(tx.n, 2);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);
}

static void
payment_repays_the_funder(void **state)
{
	struct journal_tx	tx;

	journal_tx_init(&tx);
	assert_int_equal(journal_payment(&tx, "SUP-A", "S1", "GBP", 100000,
	    900000, "INV-1"), 0);
	assert_int_equal(tx.n, 3);
	assert_string_equal(tx.p[2].account, "cash");
	assert_int_equal(tx.p[2].amount, -1000000);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	/* A full advance leaves no remainder posting. */
	assert_int_equal(journal_payment(&tx, "SUP-A", "S1", "GBP", 0,
	    1000000, "INV-1"), 0);
	assert_int_equal(tx.n, 2);
	journal_tx_cleanup(&tx);

	assert_int_equal(journal_payment(&tx, "SUP-A", NULL, "GBP", 5, 1,
	    "INV-1"), -1);
	assert_int_equal(journal_payment(&tx, "SUP-A", NULL, "GBP", 0, 0,
	    "INV-1"), -1);
	assert_int_equal(journal_payment(&tx, "SUP-A", "S1", "GBP",
	    INT64_MAX, 1, "INV-1"), -1);
	journal_tx_cleanup(&tx);
}

static void
reversal_negates_every_posting(void **state)
{
	struct journal_tx	tx;

	journal_tx_init(&tx);
	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 4808, 1, "INV-1"), 0);
	assert_int_equal(journal_reverse(&tx), 0);
	assert_string_equal(tx.kind, "reversal");
	assert_int_equal(tx.n, 4);
	assert_int_equal(tx.p[0].amount, -900000);
	assert_int_equal(tx.p[1].amount, 900000);
	assert_int_equal(tx.p[2].amount, -4808);
	assert_int_equal(tx.p[3].amount, 4808);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	/* The one amount that has no negation is refused. */
	journal_post(&tx, "a", "GBP", INT64_MIN, NULL);
	assert_int_equal(journal_reverse(&tx), -1);
	assert_int_equal(tx.p[0].amount, INT64_MIN);
	journal_tx_cleanup(&tx);
}

static void
balance_is_per_currency_and_overflow_safe(void **state)
{
	struct journal_tx	tx;

	journal_tx_init(&tx);
	assert_false(journal_balanced(&tx));
	journal_post(&tx, "a", "GBP", 5, NULL);
	assert_false(journal_balanced(&tx));
	journal_post(&tx, "b", "EUR", -5, NULL);
	assert_false(journal_balanced(&tx));
	journal_post(&tx, "c", "GBP", -5, NULL);
	journal_post(&tx, "d", "EUR", 5, NULL);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	journal_post(&tx, "a", "GBP", INT64_MAX, NULL);
	journal_post(&tx, "b", "GBP", INT64_MAX, NULL);
	journal_post(&tx, "c", "GBP", 2, NULL);
	assert_false(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	assert_int_equal(journal_post(&tx, "a", "GBPX", 1, NULL), -1);
	assert_int_equal(journal_post(&tx, "a", "GBP", 0, NULL), 0);
	assert_int_equal(tx.n, 0);
	journal_tx_cleanup(&tx);
}

/*
 * An order's events: the prepayment before any invoice, the prepayment
 * applied to a smaller invoice (the rest owed back), netting and the
 * true-up's funded part; and the order's own line in the bytes, which
 * only a transaction naming an order has.
 */
static void
order_postings_and_their_line(void **state)
{
	struct journal_tx	tx;
	struct buf		b;

	journal_tx_init(&tx);
	tx.seq = 7;
	tx.order = "PO-1";
	tx.scheme = "S1";
	tx.effective = "2025-10-08";
	tx.at = "2025-10-08T09:00:00.000000Z";
	assert_int_equal(journal_prepayment(&tx, "SUP-A", "S1", "GBP", 800000,
	    10258, 0), 0);
	assert_true(journal_balanced(&tx));
	buf_init(&b);
	journal_canonical(&tx, &b);
	assert_string_equal(b.data,
	    "tideover-journal-v2\nseq=7\nkind=prepayment\ninvoice=\n"
	    "order=PO-1\nscheme=S1\neffective=2025-10-08\n"
	    "at=2025-10-08T09:00:00.000000Z\n"
	    "posting=prepaid:supplier:SUP-A|GBP|800000|\n"
	    "posting=payable:funder:S1:SUP-A|GBP|-800000|\n"
	    "posting=fees:supplier:SUP-A|GBP|10258|\n"
	    "posting=fees:funder:S1|GBP|-10258|\n");
	buf_cleanup(&b);
	journal_tx_cleanup(&tx);
	assert_int_equal(journal_prepayment(&tx, "SUP-A", "S1", "GBP", 0, 0,
	    0), -1);

	/* Invoice 500,000 of a prepayment of 800,000: 300,000 owed back. */
	assert_int_equal(journal_order_apply(&tx, "SUP-A", "GBP", 800000,
	    500000, "INV-1"), 0);
	assert_int_equal(tx.n, 3);
	assert_string_equal(tx.p[0].account, "payable:supplier:SUP-A");
	assert_int_equal(tx.p[0].amount, 500000);
	assert_string_equal(tx.p[1].account, "receivable:supplier:SUP-A");
	assert_int_equal(tx.p[1].amount, 300000);
	assert_string_equal(tx.p[2].account, "prepaid:supplier:SUP-A");
	assert_int_equal(tx.p[2].amount, -800000);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	/* Invoice 1,100,000: 100,000 netted, 200,000 funded at 2,000. */
	assert_int_equal(journal_order_apply(&tx, "SUP-A", "GBP", 800000,
	    1100000, "INV-2"), 0);
	assert_int_equal(tx.n, 2);
	assert_int_equal(journal_net(&tx, "SUP-A", "GBP", 100000, "INV-2"), 0);
	assert_int_equal(journal_true_up(&tx, "SUP-A", "S1", "GBP", 200000,
	    2000, 1, "INV-2"), 0);
	assert_string_equal(tx.kind, "true_up");
	assert_int_equal(tx.n, 8);
	assert_string_equal(tx.p[3].account, "receivable:supplier:SUP-A");
	assert_int_equal(tx.p[3].amount, -100000);
	assert_string_equal(tx.p[5].account, "payable:funder:S1:SUP-A");
	assert_int_equal(tx.p[5].amount, -200000);
	assert_string_equal(tx.p[6].account, "fees:oem");
	assert_true(journal_balanced(&tx));
	buf_init(&b);
	journal_canonical(&tx, &b);
	assert_null(strstr(b.data, "order="));
	buf_cleanup(&b);
	journal_tx_cleanup(&tx);
	assert_int_equal(journal_net(&tx, "SUP-A", "GBP", -1, NULL), -1);
}

static void
canonical_bytes_are_fixed(void **state)
{
	struct journal_tx	tx;
	struct buf		b;

	journal_tx_init(&tx);
	assert_int_equal(tx.seal, JOURNAL_SEAL_V2);
	tx.seal = JOURNAL_SEAL_V1;
	tx.seq = 42;
	tx.invoice = "INV-1";
	tx.scheme = "S1";
	tx.effective = "2025-10-07";
	tx.at = "2025-10-07T09:30:00.000001Z";
	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 4808, 0, "INV-1"), 0);
	buf_init(&b);
	journal_canonical(&tx, &b);
	assert_string_equal(b.data,
	    "tideover-journal-v1\n"
	    "seq=42\n"
	    "kind=early_payment\n"
	    "invoice=INV-1\n"
	    "scheme=S1\n"
	    "effective=2025-10-07\n"
	    "at=2025-10-07T09:30:00.000001Z\n"
	    "posting=payable:supplier:SUP-A|GBP|900000|INV-1\n"
	    "posting=payable:funder:S1:SUP-A|GBP|-900000|INV-1\n"
	    "posting=fees:supplier:SUP-A|GBP|4808|INV-1\n"
	    "posting=fees:funder:S1|GBP|-4808|INV-1\n");
	buf_cleanup(&b);
	journal_tx_cleanup(&tx);

	/* Absent fields are empty, never skipped. */
	journal_tx_init(&tx);
	tx.seal = JOURNAL_SEAL_V1;
	tx.seq = 1;
	assert_int_equal(journal_approval_line(&tx, "S", "GBP", 7, NULL), 0);
	assert_int_equal(journal_approval_total(&tx, "GBP", 7), 0);
	buf_init(&b);
	journal_canonical(&tx, &b);
	assert_string_equal(b.data,
	    "tideover-journal-v1\nseq=1\nkind=approval\ninvoice=\nscheme=\n"
	    "effective=\nat=\nposting=payable:supplier:S|GBP|-7|\n"
	    "posting=purchases|GBP|7|\n");
	buf_cleanup(&b);
	journal_tx_cleanup(&tx);
}

/*
 * Seal 2's bytes: the same lines under their own first line. The
 * database's ledger_canonical gives these bytes for the same fields, and
 * sha256 of them after the previous hash the same link (the API test
 * asks it for both).
 */
#define GOLDEN_V2 \
	"tideover-journal-v2\n" \
	"seq=42\n" \
	"kind=early_payment\n" \
	"invoice=INV-1\n" \
	"scheme=S1\n" \
	"effective=2025-10-07\n" \
	"at=2025-10-07T09:30:00.000001Z\n" \
	"posting=payable:supplier:SUP-A|GBP|900000|INV-1\n" \
	"posting=payable:funder:S1:SUP-A|GBP|-900000|INV-1\n" \
	"posting=fees:supplier:SUP-A|GBP|4808|INV-1\n" \
	"posting=fees:funder:S1|GBP|-4808|INV-1\n"
/* Under a previous hash of bytes 0x00, 0x01, ... 0x1f. */
#define GOLDEN_V2_HASH \
	"8df389dee119c7fbe6c84d452d2618b70c89c017751e122b4827222789c8b2db"

static void
canonical_bytes_v2_are_fixed(void **state)
{
	struct journal_tx	tx;
	struct buf		b;
	unsigned char		prev[JOURNAL_HASH_LEN], h[JOURNAL_HASH_LEN];
	char			hex[JOURNAL_HASH_LEN * 2 + 1];
	size_t			i;

	journal_tx_init(&tx);
	tx.invoice = "INV-1";
	tx.scheme = "S1";
	tx.effective = "2025-10-07";
	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 4808, 0, "INV-1"), 0);
	for (i = 0; i < sizeof(prev); i++)
		prev[i] = (unsigned char)i;
	assert_int_equal(journal_seal(&tx, 41, prev,
	    "2025-10-07T09:30:00.000001Z", chain_hash, h), 0);
	assert_int_equal(tx.seq, 42);
	buf_init(&b);
	journal_canonical(&tx, &b);
	assert_int_equal(b.len, sizeof(GOLDEN_V2) - 1);
	assert_string_equal(b.data, GOLDEN_V2);
	buf_cleanup(&b);
	keys_hex_encode(h, sizeof(h), hex);
	assert_string_equal(hex, GOLDEN_V2_HASH);

	/* A seal the hash does not know seals nothing. */
	tx.seal = 3;
	tx.seq = 7;
	assert_int_equal(journal_seal(&tx, 41, prev, "now", chain_hash, h),
	    -1);
	assert_int_equal(tx.seq, 7);
	journal_tx_cleanup(&tx);
}

/*
 * A chain as the journal stores it, read back in the order of rows:
 * each transaction's fields (head, with no postings of its own), its
 * posting rows, the count stored with them, prev_hash and hash, which
 * decode to nothing when they are not 64 hex digits (bad_prev,
 * bad_hash); and the head read before the walk.
 */
#define CHAIN_N		5
#define POSTINGS_MAX	6

struct stored_posting {
	char		 account[JOURNAL_ACCOUNT_MAX];
	char		 currency[4];
	int64_t		 amount;
	const char	*invoice;
};

struct stored {
	struct journal_tx	 head;
	int64_t			 postings;
	size_t			 n;
	struct stored_posting	 p[POSTINGS_MAX];
	unsigned char		 prev[JOURNAL_HASH_LEN];
	unsigned char		 hash[JOURNAL_HASH_LEN];
	int			 bad_prev;
	int			 bad_hash;
};

struct chain {
	struct stored	 rows[CHAIN_N];
	size_t		 n;
	int64_t		 upto;
	unsigned char	 head[JOURNAL_HASH_LEN];
};

/* What the verify endpoint answers, but accounts_out_of_balance (SQL's). */
struct verdict {
	int	 balanced;
	int	 chain_ok;
	int64_t	 transactions;
	int64_t	 first_bad_seq;		/* 0: null */
};

/*
 * Seal tx after the head, as a write does, and store it; the first two
 * under seal 1, as the service sealed them before the database did.
 */
static void
seal(struct chain *c, struct journal_tx *tx, const char *at)
{
	struct stored	*s = &c->rows[c->n];
	size_t		 i;

	memset(s, 0, sizeof(*s));
	tx->seal = c->n < 2 ? JOURNAL_SEAL_V1 : JOURNAL_SEAL_V2;
	assert_int_equal(journal_seal(tx, c->upto, c->head, at, chain_hash,
	    s->hash), 0);
	assert_int_equal(tx->seq, c->upto + 1);
	assert_ptr_equal(tx->at, at);
	s->head = *tx;
	s->head.n = s->head.cap = 0;
	s->head.p = NULL;
	s->n = tx->n;
	s->postings = (int64_t)tx->n;
	for (i = 0; i < tx->n; i++) {
		snprintf(s->p[i].account, sizeof(s->p[i].account), "%s",
		    tx->p[i].account);
		memcpy(s->p[i].currency, tx->p[i].currency, 4);
		s->p[i].amount = tx->p[i].amount;
		s->p[i].invoice = tx->p[i].invoice != NULL ? "INV" : NULL;
	}
	memcpy(s->prev, c->head, sizeof(s->prev));
	memcpy(c->head, s->hash, sizeof(c->head));
	c->upto = tx->seq;
	c->n++;
	journal_tx_cleanup(tx);
}

/*
 * Five events: two approvals, an early payment, a payment at maturity
 * and its reversal, all of invoice "INV" (a literal, which outlives the
 * transactions).
 */
static void
chain_build(struct chain *c)
{
	struct journal_tx	tx;

	memset(c, 0, sizeof(*c));
	journal_tx_init(&tx);
	tx.invoice = "INV";
	assert_int_equal(journal_approval(&tx, "SUP-A", "GBP", 1000000,
	    "INV"), 0);
	seal(c, &tx, "2025-10-01T09:00:00.000001Z");
	tx.invoice = "INV";
	assert_int_equal(journal_approval(&tx, "SUP-B", "GBP", 500000,
	    "INV"), 0);
	seal(c, &tx, "2025-10-01T09:00:01.000000Z");
	tx.invoice = "INV";
	tx.scheme = "S1";
	tx.effective = "2025-10-07";
	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 4808, 0, "INV"), 0);
	seal(c, &tx, "2025-10-07T10:00:00.000000Z");
	tx.invoice = "INV";
	tx.effective = "2025-11-06";
	assert_int_equal(journal_payment(&tx, "SUP-B", NULL, "GBP", 500000,
	    0, "INV"), 0);
	seal(c, &tx, "2025-11-06T08:00:00.000000Z");
	tx.invoice = "INV";
	tx.effective = "2025-11-06";
	assert_int_equal(journal_payment(&tx, "SUP-B", NULL, "GBP", 500000,
	    0, "INV"), 0);
	assert_int_equal(journal_reverse(&tx), 0);
	seal(c, &tx, "2025-11-06T08:30:00.000000Z");
}

/* The endpoint's walk over the rows, up to the head. */
static struct verdict
verify(const struct chain *c)
{
	struct journal_verify	 v;
	struct journal_tx	 tx;
	struct verdict		 r;
	const struct stored	*s;
	size_t			 i, k;

	journal_verify_init(&v);
	for (i = 0; i < c->n; i++) {
		s = &c->rows[i];
		tx = s->head;
		for (k = 0; k < s->n; k++)
			journal_verify_posting(&v, &tx, s->p[k].account,
			    s->p[k].currency, s->p[k].amount,
			    s->p[k].invoice);
		journal_verify(&v, &tx, s->postings,
		    s->bad_prev ? NULL : s->prev,
		    s->bad_hash ? NULL : s->hash, chain_hash);
		journal_tx_cleanup(&tx);
	}
	journal_verify_end(&v, c->upto, c->head);
	r.balanced = v.balanced;
	r.chain_ok = v.chain_ok;
	r.transactions = v.count;
	r.first_bad_seq = v.first_bad;
	return (r);
}

static void
seal_chains_to_the_head(void **state)
{
	struct chain		c;
	struct journal_tx	tx;
	unsigned char		zero[JOURNAL_HASH_LEN], h[JOURNAL_HASH_LEN];
	char			hex[JOURNAL_HASH_LEN * 2 + 1];
	size_t			i;

	/* The first hash, under 32 zero bytes, as b2sum -l 256 gives it. */
	memset(zero, 0, sizeof(zero));
	journal_tx_init(&tx);
	tx.seal = JOURNAL_SEAL_V1;
	tx.invoice = "INV-1";
	assert_int_equal(journal_approval(&tx, "SUP-A", "GBP", 1000000,
	    "INV-1"), 0);
	assert_int_equal(journal_seal(&tx, 0, zero,
	    "2025-10-01T09:00:00.000001Z", chain_hash, h), 0);
	keys_hex_encode(h, sizeof(h), hex);
	assert_string_equal(hex, "ee4c238a2b8db1da0b9509573c7bca12"
	    "f3fe56479a9f25395e32edd955bc49b8");
	journal_tx_cleanup(&tx);

	/* The same under seal 2, as sha256sum gives it. */
	journal_tx_init(&tx);
	tx.invoice = "INV-1";
	assert_int_equal(journal_approval(&tx, "SUP-A", "GBP", 1000000,
	    "INV-1"), 0);
	assert_int_equal(journal_seal(&tx, 0, zero,
	    "2025-10-01T09:00:00.000001Z", chain_hash, h), 0);
	keys_hex_encode(h, sizeof(h), hex);
	assert_string_equal(hex, "2da600f7e4aa7511ea51d38820310156"
	    "db20d9b179180b29fc9cb9753854ac74");
	journal_tx_cleanup(&tx);

	/* Each transaction's prev_hash is the hash before it. */
	chain_build(&c);
	memcpy(h, zero, sizeof(h));
	for (i = 0; i < CHAIN_N; i++) {
		assert_int_equal(c.rows[i].head.seq, (int64_t)i + 1);
		assert_int_equal(c.rows[i].head.seal, i < 2 ? JOURNAL_SEAL_V1 :
		    JOURNAL_SEAL_V2);
		assert_memory_equal(c.rows[i].prev, h, sizeof(h));
		memcpy(h, c.rows[i].hash, sizeof(h));
	}
	assert_int_equal(c.upto, CHAIN_N);
	assert_memory_equal(c.head, h, sizeof(h));

	/* What does not balance is not sealed, and stays as it was. */
	journal_tx_init(&tx);
	journal_post(&tx, "purchases", "GBP", 5, NULL);
	journal_post(&tx, "cash", "GBP", -4, NULL);
	tx.seq = 7;
	assert_int_equal(journal_seal(&tx, 41, zero, "now", chain_hash, h),
	    -1);
	assert_int_equal(tx.seq, 7);
	assert_null(tx.at);
	journal_tx_cleanup(&tx);
}

/* Ways of tampering with the stored chain, the verdicts in the table. */

static void
untouched(struct chain *c)
{
}

static void
amount_changed(struct chain *c)
{
	c->rows[2].p[0].amount++;
}

static void
amount_moved(struct chain *c)
{
	c->rows[2].p[0].amount++;
	c->rows[2].p[1].amount--;
}

static void
hash_changed(struct chain *c)
{
	c->rows[1].hash[0] ^= 1;
}

static void
hash_undecodable(struct chain *c)
{
	c->rows[4].bad_hash = 1;
}

static void
prev_zeroed(struct chain *c)
{
	memset(c->rows[3].prev, 0, sizeof(c->rows[3].prev));
}

static void
prev_undecodable(struct chain *c)
{
	c->rows[3].bad_prev = 1;
}

static void
third_removed(struct chain *c)
{
	memmove(&c->rows[2], &c->rows[3], 2 * sizeof(c->rows[0]));
	c->n = 4;
}

static void
fourth_read_before_third(struct chain *c)
{
	struct stored	t = c->rows[2];

	c->rows[2] = c->rows[3];
	c->rows[3] = t;
}

static void
last_removed(struct chain *c)
{
	c->n = 4;
}

static void
posting_removed(struct chain *c)
{
	c->rows[1].n = 1;
}

static void
currency_changed(struct chain *c)
{
	memcpy(c->rows[4].p[0].currency, "EUR", 4);
}

static void
currency_refused(struct chain *c)
{
	memcpy(c->rows[0].p[1].currency, "GB", 3);
}

static void
zero_posting_added(struct chain *c)
{
	struct stored	*s = &c->rows[1];

	snprintf(s->p[2].account, sizeof(s->p[2].account), "cash");
	memcpy(s->p[2].currency, "GBP", 4);
	s->p[2].amount = 0;
	s->n = s->postings = 3;
}

static void
count_too_high(struct chain *c)
{
	c->rows[2].postings = 5;
}

static void
head_not_reached(struct chain *c)
{
	c->upto++;
}

static void
head_elsewhere(struct chain *c)
{
	c->head[31] ^= 1;
}

/* The bytes hold, but not under the other hash. */
static void
seal_swapped(struct chain *c)
{
	c->rows[1].head.seal = JOURNAL_SEAL_V2;
}

static void
seal_upgraded(struct chain *c)
{
	c->rows[3].head.seal = JOURNAL_SEAL_V1;
}

static void
seal_unknown(struct chain *c)
{
	c->rows[2].head.seal = 9;
}

static void
empty_journal(struct chain *c)
{
	c->n = 0;
	c->upto = 0;
	memset(c->head, 0, sizeof(c->head));
}

static const struct {
	const char	*what;
	void		(*tamper)(struct chain *);
	struct verdict	 want;	/* balanced, chain_ok, transactions, first */
} tamperings[] = {
	{ "as sealed", untouched, { 1, 1, 5, 0 } },
	{ "no transaction yet", empty_journal, { 1, 1, 0, 0 } },
	/* Unbalanced, and not the bytes that were hashed. */
	{ "an amount changed", amount_changed, { 0, 0, 5, 3 } },
	{ "an amount moved", amount_moved, { 1, 0, 5, 3 } },
	/*
	 * Reported once: the walk goes on from the stored hash, so the
	 * next transaction's prev_hash and hash, which follow the real
	 * one, break the chain again without moving first_bad_seq.
	 */
	{ "a hash changed", hash_changed, { 1, 0, 5, 2 } },
	{ "a hash not hex", hash_undecodable, { 1, 0, 5, 5 } },
	/* prev_hash is not hashed: only the link is wrong. */
	{ "a prev_hash changed", prev_zeroed, { 1, 0, 5, 4 } },
	{ "a prev_hash not hex", prev_undecodable, { 1, 0, 5, 4 } },
	/* 4 after 2; and the walk ends one short of the head. */
	{ "a transaction removed", third_removed, { 1, 0, 4, 4 } },
	{ "two transactions swapped", fourth_read_before_third,
	    { 1, 0, 5, 4 } },
	/* Every link holds: only the head read first tells. */
	{ "the last transaction removed", last_removed, { 1, 0, 4, 0 } },
	{ "the head not reached", head_not_reached, { 1, 0, 5, 0 } },
	{ "another head", head_elsewhere, { 1, 0, 5, 0 } },
	/* Fewer postings than stored, unbalanced, not as hashed. */
	{ "a posting removed", posting_removed, { 0, 0, 5, 2 } },
	/* Each currency balances on its own. */
	{ "a currency changed", currency_changed, { 0, 0, 5, 5 } },
	{ "a currency journal_post refuses", currency_refused,
	    { 0, 0, 5, 1 } },
	/* Nothing posted, so the hash holds; but no write stores one. */
	{ "a zero posting added", zero_posting_added, { 1, 0, 5, 2 } },
	{ "more postings counted than stored", count_too_high,
	    { 1, 0, 5, 3 } },
	/* Each transaction is checked under the seal it names. */
	{ "seal 1 read as seal 2", seal_swapped, { 1, 0, 5, 2 } },
	{ "seal 2 read as seal 1", seal_upgraded, { 1, 0, 5, 4 } },
	{ "a seal nobody makes", seal_unknown, { 1, 0, 5, 3 } },
};

static void
verify_reports_each_tampering(void **state)
{
	struct chain	c;
	struct verdict	r, w;
	size_t		i;

	for (i = 0; i < sizeof(tamperings) / sizeof(tamperings[0]); i++) {
		chain_build(&c);
		tamperings[i].tamper(&c);
		r = verify(&c);
		w = tamperings[i].want;
		if (r.balanced != w.balanced || r.chain_ok != w.chain_ok ||
		    r.transactions != w.transactions ||
		    r.first_bad_seq != w.first_bad_seq)
			fail_msg("%s: balanced %d chain_ok %d transactions "
			    "%lld first_bad_seq %lld", tamperings[i].what,
			    r.balanced, r.chain_ok, (long long)r.transactions,
			    (long long)r.first_bad_seq);
	}
}

/* A row that does not decode breaks the chain after the last one read. */
static void
verify_names_an_unreadable_row(void **state)
{
	struct journal_verify	v;

	journal_verify_init(&v);
	v.after = 2;
	journal_verify_unreadable(&v);
	journal_verify_unreadable(&v);
	assert_false(v.chain_ok);
	assert_true(v.balanced);
	assert_int_equal(v.first_bad, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(approval_postings),
		cmocka_unit_test(early_payment_postings_by_fee_bearer),
		cmocka_unit_test(payment_repays_the_funder),
		cmocka_unit_test(order_postings_and_their_line),
		cmocka_unit_test(reversal_negates_every_posting),
		cmocka_unit_test(balance_is_per_currency_and_overflow_safe),
		cmocka_unit_test(canonical_bytes_are_fixed),
		cmocka_unit_test(canonical_bytes_v2_are_fixed),
		cmocka_unit_test(seal_chains_to_the_head),
		cmocka_unit_test(verify_reports_each_tampering),
		cmocka_unit_test(verify_names_an_unreadable_row),
	};

	return (cmocka_run_group_tests_name("journal", tests, NULL, NULL));
}
