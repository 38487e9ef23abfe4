/*
 * An early-payment scheme's rules (the liquidity model's, version 1):
 * which suppliers and which invoices it may pay early, the advance and
 * its fee, the per-supplier cap and the facility limit, and what reaches
 * the supplier. The engine and the ledger decide with these same
 * functions, so a stress run and a real early payment cannot disagree.
 *
 * A refusal is a set of rules broken, one bit each, so that the ledger
 * can name every reason at once; 0 is eligible.
 */
#ifndef SCHEME_H
#define SCHEME_H

#include <stdint.h>

#include "core/model.h"

/* In the order a refusal lists them. */
enum scheme_rule {
	SCHEME_BEFORE_EFFECTIVE	= 1 << 0,	/* paid before effective_from */
	SCHEME_NOT_BEFORE_DUE	= 1 << 1,	/* paid on or after the due date */
	SCHEME_BEFORE_ISSUE	= 1 << 2,	/* paid before the issue date */
	SCHEME_TIER		= 1 << 3,	/* the supplier's tier is not one */
	SCHEME_EMPLOYEES	= 1 << 4,	/* more than max_employees */
	SCHEME_OPT_IN		= 1 << 5,	/* required, and not given */
	SCHEME_MIN_AMOUNT	= 1 << 6,	/* below min_invoice_amount */
	SCHEME_NO_ADVANCE	= 1 << 7,	/* the advance is 0, or overflows */
	SCHEME_NO_NET		= 1 << 8	/* the fee takes the whole advance */
};

int		scheme_tiers_parse(const char *, unsigned int *);
unsigned int	scheme_eligible(const struct model_scheme *, int64_t, int64_t,
		    int);
unsigned int	scheme_invoice_eligible(const struct model_scheme *, int32_t,
		    int32_t, int32_t, int64_t);
int		scheme_advance(const struct model_scheme *, int64_t,
		    int64_t *);
int		scheme_fee(const struct model_scheme *, int64_t, int32_t,
		    int32_t, int64_t *);
unsigned int	scheme_quote(const struct model_scheme *, int64_t, int32_t,
		    int32_t, int64_t *, int64_t *);
int		scheme_within_caps(const struct model_scheme *, int64_t,
		    int64_t, int64_t);
unsigned int	scheme_net(const struct model_scheme *, int64_t, int64_t,
		    int64_t *);

#endif
