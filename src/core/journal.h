/*
 * Journal transactions as the service builds them before posting: the
 * chart of accounts, the postings of each money event, and the canonical
 * bytes that the hash chain covers.
 *
 * Each stored transaction names its seal, the version of the encoding
 * and hash that sealed it (docs/ledger.md has both, with examples):
 *
 *	tideover-journal-v<seal>\n
 *	seq=<decimal>\n
 *	kind=<approval|early_payment|payment|reversal|prepayment|true_up>\n
 *	invoice=<invoice id, or empty>\n
 *	order=<order id>\n		(only when it names an order)
 *	scheme=<scheme id, or empty>\n
 *	effective=<YYYY-MM-DD, or empty>\n
 *	at=<YYYY-MM-DDTHH:MM:SS.ffffffZ>\n
 *	posting=<account>|<currency>|<signed amount>|<invoice id, or empty>\n
 *	... one posting line per posting, in posting order
 *
 * and hash = H(previous hash || those bytes), the previous hash of the
 * first transaction being 32 zero bytes. Seal 1 (the service sealed
 * before sql/0015_seal_in_db.sql): H is BLAKE2b-256. Seal 2 (the database
 * seals under the chain lock, ledger_canonical in that migration): H is
 * SHA-256, which PostgreSQL has built in. Ids cannot contain '|', '=' or
 * a newline, so the encoding is unambiguous.
 *
 * The chain's rules are here too: journal_seal chains a new transaction
 * to the head as the database does, and journal_verify walks the stored
 * chain as GET /v1/ledger/verify does. The hash function is passed in
 * (chain_hash in src/crypto/chain.c), as the core hashes nothing itself.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define JOURNAL_ACCOUNT_MAX	160
#define JOURNAL_HASH_LEN	32

#define JOURNAL_SEAL_V1		1	/* BLAKE2b-256, sealed by the service */
#define JOURNAL_SEAL_V2		2	/* SHA-256, sealed by the database */
#define JOURNAL_SEAL		JOURNAL_SEAL_V2	/* what postings get now */

/*
 * hash(seal, previous hash, canonical bytes, their length, out): 0, or
 * -1 for a seal it does not know (out untouched).
 */
typedef int	journal_hash_fn(int, const unsigned char *, const char *,
		    size_t, unsigned char *);

struct journal_posting {
	char		*account;
	char		 currency[4];
	int64_t		 amount;		/* debit > 0, credit < 0 */
	char		*invoice;
};

struct journal_tx {
	int			 seal;		/* JOURNAL_SEAL_V1 or _V2 */
	int64_t			 seq;
	const char		*kind;
	const char		*invoice;
	const char		*order;		/* NULL: names no order */
	const char		*scheme;
	const char		*effective;
	const char		*at;
	size_t			 n;
	size_t			 cap;
	struct journal_posting	*p;
};

/*
 * A walk along the stored chain from its first transaction. chain_ok:
 * each transaction's seq follows the one before, its prev_hash is that
 * one's hash, it has the postings it says it has, each one a posting the
 * service could have made, and it hashes, under the seal it names, to
 * what is stored; balanced:
 * each sums to zero per currency; first_bad: the first seq found wrong
 * either way. After an edit the walk goes on from the stored hash, so
 * one edit is reported once.
 */
struct journal_verify {
	int64_t		 after;		/* the seq read last, 0 at first */
	int64_t		 count;		/* transactions read */
	unsigned char	 prev[JOURNAL_HASH_LEN];	/* its hash */
	int64_t		 postings;	/* read of the one being read */
	int		 chain_ok;
	int		 balanced;
	int64_t		 first_bad;	/* 0: none */
};

void	journal_tx_init(struct journal_tx *);
void	journal_tx_cleanup(struct journal_tx *);
int	journal_post(struct journal_tx *, const char *, const char *, int64_t,
	    const char *);
int	journal_balanced(const struct journal_tx *);
void	journal_canonical(const struct journal_tx *, struct buf *);

int	journal_approval(struct journal_tx *, const char *, const char *,
	    int64_t, const char *);
int	journal_approval_line(struct journal_tx *, const char *,
	    const char *, int64_t, const char *);
int	journal_approval_total(struct journal_tx *, const char *, int64_t);
int	journal_early_payment(struct journal_tx *, const char *, const char *,
	    const char *, int64_t, int64_t, int, const char *);
int	journal_payment(struct journal_tx *, const char *, const char *,
	    const char *, int64_t, int64_t, const char *);
int	journal_reverse(struct journal_tx *);
int	journal_prepayment(struct journal_tx *, const char *, const char *,
	    const char *, int64_t, int64_t, int);
int	journal_order_apply(struct journal_tx *, const char *, const char *,
	    int64_t, int64_t, const char *);
int	journal_net(struct journal_tx *, const char *, const char *, int64_t,
	    const char *);
int	journal_true_up(struct journal_tx *, const char *, const char *,
	    const char *, int64_t, int64_t, int, const char *);

int	journal_seal(struct journal_tx *, int64_t, const unsigned char *,
	    const char *, journal_hash_fn *, unsigned char *);
void	journal_verify_init(struct journal_verify *);
void	journal_verify_unreadable(struct journal_verify *);
void	journal_verify_posting(struct journal_verify *, struct journal_tx *,
	    const char *, const char *, int64_t, const char *);
void	journal_verify(struct journal_verify *, const struct journal_tx *,
	    int64_t, const unsigned char *, const unsigned char *,
	    journal_hash_fn *);
void	journal_verify_end(struct journal_verify *, int64_t,
	    const unsigned char *);

#endif
