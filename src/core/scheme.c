/*
 * Early-payment scheme rules (see scheme.h). The advance and fee
 * formulas themselves are money.c's, shared with the engine's inner
 * loops; here they get the scheme's terms and the invoice's dates.
 */
#include "core/money.h"
#include "core/scheme.h"

/*
 * Eligible tiers as the database prints an array ("1,2", any order): bit
 * t of *bits for tier t. -1, and no tier, on anything but tiers 1 to 3
 * separated by single commas.
 */
int
scheme_tiers_parse(const char *s, unsigned int *bits)
{
	unsigned int	b = 0;

	*bits = 0;
	if (s == NULL)
		return (-1);
	for (;;) {
		if (*s < '1' || *s > '3')
			return (-1);
		b |= 1U << (*s++ - '0');
		if (*s == '\0')
			break;
		if (*s++ != ',')
			return (-1);
	}
	*bits = b;
	return (0);
}

/* Whether the supplier may use the scheme at all. */
unsigned int
scheme_eligible(const struct model_scheme *sc, int64_t tier,
    int64_t employees, int opt_in)
{
	unsigned int	fail = 0;

	if (tier < 0 || tier > 31 || (sc->eligible_tiers & (1U << tier)) == 0)
		fail |= SCHEME_TIER;
	if (sc->has_max_employees && employees > sc->max_employees)
		fail |= SCHEME_EMPLOYEES;
	if (sc->requires_opt_in && !opt_in)
		fail |= SCHEME_OPT_IN;
	return (fail);
}

/*
 * Whether an invoice issued on issue, due on due, with amount
 * outstanding, may be paid early on paid_on: from the scheme's effective
 * day, not before the issue date, strictly before the due date.
 */
unsigned int
scheme_invoice_eligible(const struct model_scheme *sc, int32_t paid_on,
    int32_t issue, int32_t due, int64_t amount)
{
	unsigned int	fail = 0;

	if (paid_on < sc->effective_from)
		fail |= SCHEME_BEFORE_EFFECTIVE;
	if (paid_on >= due)
		fail |= SCHEME_NOT_BEFORE_DUE;
	if (paid_on < issue)
		fail |= SCHEME_BEFORE_ISSUE;
	if (amount < sc->min_invoice_amount)
		fail |= SCHEME_MIN_AMOUNT;
	return (fail);
}

/* The advance on amount outstanding; -1 on overflow. */
int
scheme_advance(const struct model_scheme *sc, int64_t amount, int64_t *out)
{
	return (money_advance(amount, sc->advance_rate_bps, out));
}

/* The fee on an advance paid on paid_on until due; -1 on overflow. */
int
scheme_fee(const struct model_scheme *sc, int64_t advance, int32_t paid_on,
    int32_t due, int64_t *out)
{
	return (money_fee(advance, sc->annual_rate_bps,
	    (int64_t)due - paid_on, sc->day_count_basis, out));
}

/*
 * The advance and fee of paying amount early on paid_on, or
 * SCHEME_NO_ADVANCE when there is nothing to advance.
 */
unsigned int
scheme_quote(const struct model_scheme *sc, int64_t amount, int32_t paid_on,
    int32_t due, int64_t *advance, int64_t *fee)
{
	if (scheme_advance(sc, amount, advance) == -1 ||
	    scheme_fee(sc, *advance, paid_on, due, fee) == -1 || *advance == 0)
		return (SCHEME_NO_ADVANCE);
	return (0);
}

/*
 * Whether the advance fits under the per-supplier cap, given what the
 * supplier already has outstanding with the scheme's funder, and under
 * the facility limit, given what everyone has. Reaching either exactly
 * fits.
 */
int
scheme_within_caps(const struct model_scheme *sc, int64_t advance,
    int64_t supplier_used, int64_t facility_used)
{
	if (sc->has_per_supplier_cap &&
	    supplier_used > sc->per_supplier_cap - advance)
		return (0);
	if (sc->has_facility_limit &&
	    facility_used > sc->facility_limit - advance)
		return (0);
	return (1);
}

/*
 * What reaches the supplier of an advance: all of it when the OEM bears
 * the fee, else the advance less the fee, which must leave something.
 */
unsigned int
scheme_net(const struct model_scheme *sc, int64_t advance, int64_t fee,
    int64_t *net)
{
	*net = sc->fee_bearer == MODEL_FEE_OEM ? advance : advance - fee;
	return (*net > 0 ? 0 : SCHEME_NO_NET);
}
