/*
 * Government exposure tables: per-supplier results of one stress run at
 * one outage length, grouped by region, sector, tier or size band, with
 * statistical disclosure control so that no published figure, and no
 * difference between the totals and the published groups, describes
 * fewer than min_cell_size suppliers or is dominated by one of them.
 *
 * The rules, applied in this order:
 *
 * 1. Threshold (the contract's primary rule): a group of fewer than
 *    min_cell_size suppliers is suppressed.
 * 2. Dominance, the (1, k) rule of magnitude tables: a group whose
 *    largest supplier has more than dominance_bps of the group's
 *    employees is suppressed, since its headcount then all but states
 *    that firm's size (0 turns the rule off).
 * 3. Complementary suppression, so that the totals cannot reveal what
 *    was hidden. When exactly one group is suppressed, the smallest other
 *    group (fewest suppliers, ties by key) is suppressed too: the
 *    contract's rule. Then, while the suppressed groups together hold
 *    fewer than min_cell_size suppliers, or are dominated by one
 *    supplier, the smallest group still shown is suppressed as well; this
 *    also covers two tiny groups whose sum would still isolate a handful
 *    of firms.
 * 4. When no group is left to suppress and the suppressed groups still
 *    fail rule 3, or the whole population itself fails rule 1 or 2, the
 *    totals are suppressed too.
 *
 * A suppressed group keeps its key (the key is a category, not a firm)
 * and loses every figure. The counts of suppliers below the threshold are
 * not held to a minimum of their own: that would blank nearly every group
 * at short outages; the group-level rules above are the contract's.
 */
#ifndef EXPOSURE_H
#define EXPOSURE_H

#include <stddef.h>
#include <stdint.h>

#define EXPOSURE_MIN_CELL_DEFAULT	5
#define EXPOSURE_DOMINANCE_BPS		9000	/* the service's k: 90 % */

/* One supplier's result; key is borrowed and outlives the table. */
struct exposure_row {
	const char	*key;
	int64_t		 employees;
	int		 breached;
	int64_t		 funding_gap;
};

struct exposure_figures {
	int64_t		 suppliers;
	int64_t		 suppliers_below;
	int64_t		 employees;
	int64_t		 employees_at_risk;
	int64_t		 funding_gap;
	int64_t		 largest;	/* one supplier's most employees */
};

/* Why a group is not shown. */
enum exposure_reason {
	EXPOSURE_SHOWN = 0,
	EXPOSURE_SMALL,		/* rule 1 */
	EXPOSURE_DOMINATED,	/* rule 2 */
	EXPOSURE_COMPLEMENT,	/* rule 3 */
};

struct exposure_group {
	const char		*key;
	struct exposure_figures	 f;
	int			 reason;
};

struct exposure_rules {
	int64_t		 min_cell_size;		/* >= 1 */
	int64_t		 dominance_bps;		/* 0: off; else 1..10000 */
};

struct exposure_table {
	struct exposure_group	*groups;	/* by key, bytewise */
	size_t			 ngroups;
	struct exposure_figures	 totals;
	int			 totals_suppressed;
};

int		 exposure_build(const struct exposure_row *, size_t,
		    const struct exposure_rules *, struct exposure_table *);
void		 exposure_table_cleanup(struct exposure_table *);
int		 exposure_group_suppressed(const struct exposure_group *);
const char	*exposure_size_band(int64_t);

#endif
