/*
 * Internals of the liquidity model shared by model*.c: the prepared model,
 * per-thread scratch space and the three ways of computing one supplier
 * for one outage length (plain day loop, shifted prefix sums, facility
 * decisions). Not for use outside src/core/model*.c.
 */
#ifndef MODEL_IMPL_H
#define MODEL_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "core/money.h"
#include "core/model.h"

struct model {
	struct model_input	 in;
	struct model_scheme	 scheme;	/* valid when has_scheme */
	int			 has_scheme;
	int			 threads;
	int			 reference;
	void			(*progress)(void *, size_t, size_t);
	void			*progress_arg;

	int64_t			 H;		/* horizon */
	int64_t			 F;		/* payment freeze */
	int64_t			 e;		/* effective_from - start_date */
	int64_t			 lag;
	int64_t			 E0;		/* early day of every open invoice */
	int64_t			 nramp;
	const int64_t		*ramp;
	int			 fast;		/* shifted sums usable at all */

	size_t			 ns;
	size_t			 ni;
	size_t			*by_rank;	/* supplier indices in id order */
	uint32_t		*rank;		/* supplier index to its rank */
	size_t			*inv_off;	/* ns + 1: each supplier's open invoices */
	size_t			*inv_idx;	/* ... as invoice indices by (due, id) */
	int64_t			*inv_due;	/* ... and their due offsets */
	int64_t			*inv_amt;	/* ... and amounts outstanding */
	uint8_t			*elig;		/* supplier may use the scheme */
	int64_t			*sfull;		/* sales at full production */

	/* Facility limit only: candidates in the global processing order. */
	size_t			*elig_rank;	/* eligible suppliers by id */
	size_t			 nelig;
	size_t			*elig_terms;	/* ... by (terms, id) */
	size_t			*term_pos;	/* supplier to its place in it */
	int64_t			*term_T;	/* ... their terms, in that order */
	int64_t			*term_oem;	/* ... their full daily sales */
	int64_t			*term_adv;	/* ... advance at full production */
	uint8_t			*term_cand;	/* ... which is a candidate */
	int64_t			*term_tree;	/* ... least sales per subtree */
	size_t			 term_leaves;	/* a power of two >= nelig */
	size_t			*term_gend;	/* ... end of the row's terms group */
	size_t			 term_words;	/* words of one day's row bits */
	struct model_level	*lvl;		/* uncapped: runs by prefix sums */
	size_t			 nlvl;
	int			*ramp_lvl;	/* ramp day to its lvl, or -1 */
	int			 full_lvl;	/* full production's, or -1 */
	size_t			*eval_order;	/* rows, then the ineligible */
	struct model_ocand	*ocand;		/* open candidates by (P, rank, due, id) */
	size_t			 nocand;

	/* The supply network (model_net.c): every firm day by day. */
	int			 net;		/* links given: the network path */
	size_t			 nl;
	size_t			*lends;		/* 2 per link: seller, customer */
	size_t			*cl_off;	/* ns + 1: a customer's links */
	size_t			*cl_idx;	/* ... by seller id */
	size_t			*cl_sel;	/* ... their sellers */
	uint32_t		*cl_rank;	/* ... and their ranks */
	int64_t			*cl_ds;		/* ... daily sales */
	int64_t			*cl_T;		/* ... terms */
	size_t			*lpos;		/* link to its place in cl_idx */
	size_t			*sl_off;	/* ns + 1: a seller's links */
	size_t			*sl_idx;	/* ... by customer id */
	size_t			*cust;		/* firms with suppliers, by index */
	size_t			 ncust;
	size_t			*allf;		/* 0..ns-1 */
	/*
	 * Capped schemes: day E0's candidates that do not depend on L (open
	 * invoices, link pipelines) in the model's order, or NULL.
	 */
	struct net_cand		*e0c;
	size_t			 ne0c;
	int			 net_sorted;	/* tests: sort every day instead */
};

struct model_ocand {
	int64_t		 P;
	uint32_t	 rank;
	uint32_t	 sup;
	size_t		 pos;		/* position in inv_idx */
	size_t		 inv;
};

/*
 * One production level's candidates in (terms, id) order: advance
 * prefix sums (0 for a row that is no candidate) and which rows are
 * candidates, so that a run of acceptances is one search, not one step
 * per row.
 */
struct model_level {
	int64_t		 level;
	int64_t		*pre;		/* nelig + 1 */
	uint64_t	*cand;		/* term_words */
};

struct model_pcand {
	int64_t		 P;
	uint32_t	 rank;
	uint32_t	 sup;
	int64_t		 u;
};

/*
 * Which candidates the facility accepted, for one outage length, and the
 * space model_facility_decide works in (one per thread).
 */
struct model_decisions {
	uint64_t		*open;		/* bit per invoice index */
	uint64_t		*proj;		/* bit per (approval day, row) */
	size_t			 words;		/* words per day in proj */
	int64_t			 peak;
	int			 odiff;		/* open bits not the snapshot's */
	int64_t			 total;		/* outstanding after day tdone */
	int64_t			 tdone;		/* last day decided */

	int64_t			*rtot;		/* advances repaid by day */
	int64_t			*sout;		/* per supplier outstanding */
	size_t			*ocur;		/* ... next open advance to repay */
	int64_t			*ucur;		/* ... next projected one */
	struct model_pcand	*plist;		/* day E0's projected candidates */
	struct model_pcand	*ptmp;		/* ... before sorting */
	size_t			 nplist;	/* room in each */
	size_t			*pat;		/* ... where each P goes */

	/* Snapshot only: after day E0's first open candidates. */
	size_t			 popen;		/* how many: see open_prefix */
	int64_t			 ptotal;
	int64_t			*prtot;
};

/* Rows of the range-minimum table: 2^10 > MODEL_HORIZON_MAX. */
#define MODEL_RMQ_LEVELS	11

struct model_scratch {
	int64_t			*rec;		/* receipts by day */
	int64_t			*repay;		/* advances repaid by day */
	int64_t			*sr;		/* this supplier's ramp sales */
	int64_t			*vr;		/* ... and variable costs */
	int64_t			 sfull;
	int64_t			 vfull;
	int64_t			 frelief;

	/* Shifted sums (model_fast.c), H entries each. */
	int64_t			*cinf;		/* cash with production stopped */
	int64_t			*pmin;		/* its running minimum */
	int64_t			*pminday;	/* ... first reached on that day */
	int64_t			 binf;		/* first day below, else H */
	int64_t			*ob;		/* sums of day-fixed flows */
	int64_t			*qs;		/* sums of restart-relative flows */
	int64_t			*advcum;
	int64_t			*feecum;
	int64_t			*diff;		/* corrections by day */
	int			 dirty;		/* ... not all zeros */
	int64_t			*adv;		/* projected advance, by u - L */
	int64_t			*net;		/* ... paid to the supplier */
	int64_t			*fee;
	int64_t			 open_ep;
	int64_t			 open_fees;
	const struct model_decisions *snap;	/* open decisions prepared */
	/* Past day xs, ob rises by alpha a day: see model_fast.c. */
	int64_t			 xs;
	int64_t			 alpha;
	int64_t			*rmq;		/* MODEL_RMQ_LEVELS rows of H */

	const struct model_trace *trace;
	struct model_payment	*pays;
	size_t			 npays;
	size_t			 maxpays;
	int			 ovf;		/* a checked operation failed */
	int			 nomem;
};

/* rhe(a * bps, 10000) for a >= 0, in 64 bits when the product fits. */
static inline int64_t
model_bps(int64_t a, int64_t bps)
{
	int64_t	p, q, r, v;

	if (__builtin_mul_overflow(a, bps, &p) || p < 0) {
		if (money_mul_div(a, bps, 10000, &v) == -1)
			return (0);	/* excluded by validation */
		return (v);
	}
	q = p / 10000;
	r = p % 10000;
	if (r > 5000 || (r == 5000 && (q & 1) != 0))
		q++;
	return (q);
}

/*
 * The decision bits for projected invoices: one row of bits per approval
 * day, suppliers in the (terms, id) order the facility offers them in, so
 * that a day's run of acceptances is a few words filled in sequence.
 */
static inline int
model_proj_test(const struct model *m, const struct model_decisions *d,
    size_t s, int64_t u)
{
	size_t	r = m->term_pos[s];

	return ((d->proj[(size_t)u * d->words + r / 64] >> (r % 64)) & 1);
}

static inline void
model_proj_set(struct model_decisions *d, size_t row, int64_t u)
{
	d->proj[(size_t)u * d->words + row / 64] |= 1ULL << (row % 64);
}

/* An order-basis scheme: prepayment at the order, true-up at the invoice. */
static inline int
model_order(const struct model *m)
{
	return (m->has_scheme && m->scheme.basis == MODEL_BASIS_ORDER);
}

/*
 * Order basis: the early day of the delivery on day u. An order placed
 * before day 0 counts as placed on day 0, as an open invoice counts as
 * approved on day 0; so every delivery up to day e0 + order_lead_days
 * is offered on day E0, each later one on its own day.
 */
static inline int64_t
model_order_early(const struct model *m, int64_t u)
{
	int64_t	o = u - m->scheme.order_lead_days, e0 = m->e > 0 ? m->e : 0;

	return ((o > e0 ? o : e0) + m->lag);
}

/* ... and its true-up day: the invoice's arrival, not before E. */
static inline int64_t
model_order_true_up(const struct model *m, int64_t u, int64_t E)
{
	int64_t	T = u + m->scheme.true_up_lag_days;

	return (T > E ? T : E);
}

/* model.c */
int	model_scratch_init(const struct model *, struct model_scratch *);
void	model_scratch_cleanup(struct model_scratch *);
void	model_error_set(struct model_error *, enum model_errcode,
	    const char *, size_t, const char *, const char *, const char *, ...)
	    __attribute__((format(printf, 7, 8)));

/* model_validate.c */
int	model_validate_map(const struct model_input *, struct model_error *,
	    size_t, size_t *, size_t *, size_t *, int);

/* model_sim.c */
void	model_sim_prepare(const struct model *, struct model_scratch *,
	    size_t);
int64_t	model_sim_sales(const struct model *, const struct model_scratch *,
	    int64_t, int64_t);
int64_t	model_sim_fee(const struct model *, int64_t, int64_t, int *);
void	model_sim_supplier(const struct model *, struct model_scratch *,
	    size_t, int64_t, const struct model_decisions *, int64_t *,
	    struct model_result *);

/* model_fast.c */
void	model_fast_prepare(const struct model *, struct model_scratch *,
	    size_t, const struct model_decisions *, int64_t *, int64_t *);
void	model_fast_eval(const struct model *, struct model_scratch *,
	    size_t, int64_t, const struct model_decisions *, const uint64_t *,
	    int64_t *, int, struct model_result *);

/* model_net.c */
struct model_net;
struct net_cand;
int	model_net_prepare(struct model *);
struct model_net *model_net_alloc(const struct model *);
void	model_net_free(struct model_net *);
int	model_net_run(struct model_net *, int64_t, int, size_t,
	    const struct model_trace *, struct model_result *,
	    struct model_point *, struct model_error *);
int	model_net_run_within(struct model_net *, int64_t, const uint8_t *,
	    const size_t *, size_t, const size_t *, size_t,
	    struct model_result *, int64_t *, int64_t *, int64_t *,
	    struct model_error *);
void	model_net_stop_begin(struct model_net *);
int	model_net_stop_to(struct model_net *, int64_t);
int	model_net_run_from(struct model_net *, int64_t,
	    const struct model_net *, const uint8_t *, const size_t *, size_t,
	    const size_t *, size_t, struct model_result *, int64_t *,
	    int64_t *, int64_t *, struct model_error *);
void	model_net_payments(const struct model_net *,
	    const struct model_payment **, size_t *);
void	model_net_links(struct model_net *, struct model_link_result *);
int	model_net_sweep(struct model *, int64_t, struct model_point *,
	    int64_t *, struct model_result *, struct model_error *);

/* model_net_fast.c */
int	model_net_fast_ok(const struct model *);
int	model_net_fast_sweep(struct model *, int64_t, int64_t,
	    struct model_point *, int64_t *, struct model_result *,
	    struct model_error *);

/* model_facility.c */
int	model_facility_init(const struct model *);
int	model_facility_decisions_alloc(const struct model *,
	    struct model_decisions *);
void	model_facility_decisions_free(struct model_decisions *);
int	model_facility_snapshot(const struct model *,
	    struct model_decisions *);
int	model_facility_decide(const struct model *, int64_t,
	    const struct model_decisions *, struct model_decisions *);

#endif
