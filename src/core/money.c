/*
 * Checked money arithmetic (see money.h), and the liquidity model's two
 * early-payment formulas, so that the engine and the ledger compute an
 * advance and its fee with the same code.
 */
#include "core/money.h"

int
money_add(int64_t a, int64_t b, int64_t *out)
{
	return (__builtin_add_overflow(a, b, out) ? -1 : 0);
}

int
money_sub(int64_t a, int64_t b, int64_t *out)
{
	return (__builtin_sub_overflow(a, b, out) ? -1 : 0);
}

/* n / d rounded half to even, exactly; d > 0. */
int
money_rhe(money_wide n, int64_t d, int64_t *out)
{
	money_wide	q, r, twice;

	if (d <= 0)
		return (-1);
	q = n / d;
	r = n % d;
	twice = r < 0 ? -2 * r : 2 * r;
	if (twice > d || (twice == d && (q & 1) != 0))
		q += n < 0 ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return (-1);
	*out = (int64_t)q;
	return (0);
}

/* rhe(a * b, d) with the product in 128 bits. */
int
money_mul_div(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	return (money_rhe((money_wide)a * b, d, out));
}

/* advance = rhe(amount * advance_rate_bps, 10000) */
int
money_advance(int64_t amount, int64_t advance_rate_bps, int64_t *out)
{
	return (money_mul_div(amount, advance_rate_bps, 10000, out));
}

/* fee = rhe(advance * annual_rate_bps * days, 10000 * basis) */
int
money_fee(int64_t advance, int64_t annual_rate_bps, int64_t days,
    int64_t basis, int64_t *out)
{
	money_wide	n, d;

	if (basis <= 0 || __builtin_mul_overflow((money_wide)advance,
	    (money_wide)annual_rate_bps, &n) ||
	    __builtin_mul_overflow(n, (money_wide)days, &n) ||
	    __builtin_mul_overflow((money_wide)10000, (money_wide)basis, &d) ||
	    d > INT64_MAX)
		return (-1);
	return (money_rhe(n, (int64_t)d, out));
}
