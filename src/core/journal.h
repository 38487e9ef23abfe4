/*
 * Journal transactions as the service builds them before posting: the
 * chart of accounts, the postings of each money event, and the canonical
 * bytes that the hash chain covers.
 *
 * Canonical encoding, version 1 (what GET /v1/ledger/verify recomputes):
 *
 *	tideover-journal-v1\n
 *	seq=<decimal>\n
 *	kind=<approval|early_payment|payment|reversal>\n
 *	invoice=<invoice id, or empty>\n
 *	scheme=<scheme id, or empty>\n
 *	effective=<YYYY-MM-DD, or empty>\n
 *	at=<YYYY-MM-DDTHH:MM:SS.ffffffZ>\n
 *	posting=<account>|<currency>|<signed amount>|<invoice id, or empty>\n
 *	... one posting line per posting, in posting order
 *
 * and hash = BLAKE2b-256(previous hash || those bytes), the previous hash
 * of the first transaction being 32 zero bytes. Ids cannot contain '|',
 * '=' or a newline, so the encoding is unambiguous.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define JOURNAL_ACCOUNT_MAX	160

struct journal_posting {
	char		*account;
	char		 currency[4];
	int64_t		 amount;		/* debit > 0, credit < 0 */
	char		*invoice;
};

struct journal_tx {
	int64_t			 seq;
	const char		*kind;
	const char		*invoice;
	const char		*scheme;
	const char		*effective;
	const char		*at;
	size_t			 n;
	size_t			 cap;
	struct journal_posting	*p;
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

#endif
