/*
 * Government exposure tables: the per-supplier results of a stress run,
 * grouped by region, sector, tier or size band, at every outage length,
 * with statistical disclosure control so that no published figure, no
 * combination of published figures across groupings and outage lengths,
 * and no difference between two published runs of the same scenario
 * describes fewer than min_cell_size suppliers or is dominated by one.
 *
 * A cell (a group of one grouping, or the totals) has two parts: its
 * population (suppliers, employees), the same at every outage length,
 * and its at-risk part at each length (suppliers_below,
 * suppliers_below_contagion, employees_at_risk, funding_gap,
 * overdue_trade_credit). Each part is controlled as a layer of its own,
 * by the same rules with the layer's measures:
 *
 * 1. Threshold. Population: fewer than min_cell_size suppliers. At risk:
 *    between 1 and min_cell_size - 1 suppliers below the threshold (a
 *    cell showing one firm below shows that firm's employees and gap),
 *    or with overdue trade credit. Zero is shown: it gives no firm's
 *    figure.
 * 2. Dominance, the (1, k) rule of magnitude tables: one supplier holds
 *    more than dominance_bps of the cell's employees (population), or of
 *    its employees at risk, funding gap or overdue trade credit (at
 *    risk); 0 turns the rule off.
 * 3. The contract's complement: when exactly one cell of a grouping is
 *    suppressed, the smallest other (fewest suppliers, ties by key) is
 *    suppressed too.
 * 4. No unsafe set may be derived. A government key can ask for every
 *    grouping, so the published cells of all of them, with the totals,
 *    are linear equations over the atoms of the run (the suppliers that
 *    share every key). A set of atoms is derivable when its indicator is
 *    in the span of the published cells' indicators. The sets audited
 *    are every crossing of the groupings (region x sector, region x
 *    sector x size band, ..., each grouping's groups, the whole
 *    population) and the union of each grouping's suppressed cells:
 *    each that fails rule 1 or 2 must not be derivable. While one is,
 *    the smallest published cell of the grouping (for a union), else
 *    holding it, else meeting it (the totals last) is suppressed.
 * 5. Across runs: the release covers a family of runs (the run reported
 *    and the published runs of its scenario), with one pattern for all
 *    of them: a cell suppressed in one run of the family is suppressed
 *    in all, and a cell whose population (the set of its suppliers'
 *    ids) is not the same in every run of the family that has it is
 *    suppressed whole. A release built on a prior one (the family as it
 *    was before its latest run was published) keeps everything the prior
 *    one suppressed, so that what was read before a publication and
 *    what is read after it never complete each other.
 * 6. Across outage lengths: the population layer is one for every
 *    length (a cell suppressed at one length is suppressed at every
 *    one). The at-risk part of a cell is shown at a length only when,
 *    against every length at which it is shown, its set of suppliers
 *    below differs by none or by at least min_cell_size: the difference
 *    of two lengths' figures then never describes one or a few firms.
 *    Lengths are decided in turn, those named in the rules first (the
 *    announced ones), then the rest in ascending order; each is held
 *    against those decided before it.
 *
 * A cell suppressed whole keeps its key (a category, not a firm) and
 * loses every figure; a cell whose at-risk part alone is suppressed
 * keeps its population figures.
 *
 * Derivability is decided exactly over the integers modulo the prime
 * 2^61 - 1: a set derivable over the rationals is derivable modulo p,
 * so the test never calls a derivable set safe.
 */
#ifndef EXPOSURE_H
#define EXPOSURE_H

#include <stddef.h>
#include <stdint.h>

#define EXPOSURE_MIN_CELL_DEFAULT	5
#define EXPOSURE_DOMINANCE_BPS		9000	/* the service's k: 90 % */
#define EXPOSURE_MAX_KEYS		4	/* groupings in one release */

/* One supplier of a run; strings are borrowed and outlive the release. */
struct exposure_supplier {
	const char	*id;
	const char	*key[EXPOSURE_MAX_KEYS];
	int64_t		 employees;
};

/* One supplier's result at one outage length. */
struct exposure_result {
	int64_t		 funding_gap;	/* > 0: below the threshold */
	int64_t		 overdue;	/* its overdue receivables */
	int		 contagion;
};

/*
 * One run: n suppliers, results for L = 0 .. nl - 1, supplier i's at L
 * in r[i * nl + L].
 */
struct exposure_run {
	const struct exposure_supplier	*s;
	size_t				 n;
	const struct exposure_result	*r;
	size_t				 nl;
};

struct exposure_figures {
	int64_t		 suppliers;
	int64_t		 suppliers_below;
	int64_t		 suppliers_below_contagion;
	int64_t		 employees;
	int64_t		 employees_at_risk;
	int64_t		 funding_gap;
	int64_t		 overdue_trade_credit;
	int64_t		 overdue_suppliers;	/* with any overdue */
	int64_t		 largest;		/* one supplier's most ... */
	int64_t		 largest_at_risk;	/* ... employees at risk */
	int64_t		 largest_gap;
	int64_t		 largest_overdue;
};

/* Why a cell is not shown. */
enum exposure_reason {
	EXPOSURE_SHOWN = 0,
	EXPOSURE_SMALL,		/* rule 1 */
	EXPOSURE_DOMINATED,	/* rule 2 */
	EXPOSURE_COMPLEMENT,	/* rules 3 and 4 */
	EXPOSURE_CHANGED,	/* rule 5 */
	EXPOSURE_STEP,		/* rule 6 */
};

struct exposure_release;

struct exposure_rules {
	int64_t		 min_cell_size;		/* >= 1 */
	int64_t		 dominance_bps;		/* 0: off; else 1..10000 */
	const int64_t	*first;		/* lengths rule 6 decides first */
	size_t		 nfirst;
	/* What an earlier release suppressed stays suppressed (or NULL). */
	const struct exposure_release *prior;
};

/* A cell of the release: grouping nkeys is the totals, key "". */
struct exposure_cell {
	size_t		 grouping;
	const char	*key;
	int		 reason;
};

struct exposure_release {
	size_t			 nkeys;
	struct exposure_cell	*cells;		/* by grouping, then key */
	size_t			 ncells;
	size_t			 nl;		/* the family's most lengths */
	int			*risk;		/* at-risk reason, [cell][L] */
};

/* One grouping of one run at one outage length, as a report shows it. */
struct exposure_group {
	const char		*key;
	struct exposure_figures	 f;
	int			 reason;	/* of the whole cell */
	int			 risk_reason;	/* of its at-risk part */
};

struct exposure_table {
	struct exposure_group	*groups;	/* by key, bytewise */
	size_t			 ngroups;
	struct exposure_figures	 totals;
	int			 totals_suppressed;
	int			 totals_risk_suppressed;
};

/*
 * Expected figures under outage probabilities (lengths[k] with bps[k],
 * summing to 10000): rhe(sum of bps(L) * x(L), 10000) of a cell's
 * suppliers_below and employees_at_risk, shown only when its at-risk
 * part is shown at every length given. They are then a function of
 * figures the tables at those lengths publish, and of the scenario's
 * probabilities, which government reads too: they disclose nothing
 * those tables do not.
 */
struct exposure_expected {
	int		 shown;
	int64_t		 suppliers_below;
	int64_t		 employees_at_risk;
};

int		 exposure_release_build(const struct exposure_run *, size_t,
		    size_t, const struct exposure_rules *,
		    struct exposure_release *);
void		 exposure_release_cleanup(struct exposure_release *);
int		 exposure_table_build(const struct exposure_release *,
		    const struct exposure_run *, size_t, size_t,
		    struct exposure_table *);
void		 exposure_table_cleanup(struct exposure_table *);
int		 exposure_expected_build(const struct exposure_release *,
		    const struct exposure_run *, size_t, const int64_t *,
		    const int64_t *, size_t, struct exposure_expected *,
		    size_t, struct exposure_expected *);
int		 exposure_group_suppressed(const struct exposure_group *);
int		 exposure_group_risk_suppressed(const struct exposure_group *);
const char	*exposure_size_band(int64_t);

#endif
