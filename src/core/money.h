/*
 * Money: signed 64-bit integers in minor units (pence), never floating
 * point. Every operation is checked: an overflow is -1 for the caller,
 * never a wrapped value. Division rounds half to even (the liquidity
 * model's rhe), on 128-bit intermediates so products cannot overflow
 * before the division.
 */
#ifndef MONEY_H
#define MONEY_H

#include <stdint.h>

__extension__ typedef __int128	money_wide;

int	money_add(int64_t, int64_t, int64_t *);
int	money_sub(int64_t, int64_t, int64_t *);
int	money_rhe(money_wide, int64_t, int64_t *);
int	money_mul_div(int64_t, int64_t, int64_t, int64_t *);
int	money_advance(int64_t, int64_t, int64_t *);
int	money_fee(int64_t, int64_t, int64_t, int64_t, int64_t *);

#endif
