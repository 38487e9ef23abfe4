/*
 * Exposure report bodies: disclosure-controlled tables (core/exposure.h)
 * as the contract's JSON or as CSV: one grouping at one outage length
 * (/v1/exposure), at every outage length (/v1/exposure/curve), and the
 * per-tier table of a run (/v1/stress-runs/{id}/tiers). A group
 * suppressed whole keeps its key and says so (suppressed, and
 * at_risk_suppressed); every figure of it is null (an empty CSV field).
 * A group whose at-risk part alone is suppressed says at_risk_suppressed
 * and keeps suppliers and employees. The totals follow the same rules. CSV rows carry their context (run_id, outage_days,
 * group_by) in columns, so that the signature over the body covers it.
 * /v1/exposure's groups and totals also carry the expected figures under
 * the run's outage probabilities (core/exposure.h), null for a run
 * without them or where they are not shown; in CSV, two last columns.
 * Its JSON names the probabilities too (outage_probabilities, null for
 * none), as it names the run and the length: the signature covers them.
 */
#ifndef JSON_EXPOSURE_H
#define JSON_EXPOSURE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/exposure.h"

struct json_exposure_head {
	int64_t		 run_id;
	int64_t		 outage_days;
	const char	*group_by;
	int64_t		 min_cell_size;
	/* The run's outage probabilities (/v1/exposure's JSON): n 0, none. */
	const int64_t	*prob_days;
	const int64_t	*prob_bps;
	size_t		 nprob;
};

/* What exposure_expected_build gave for a table; NULL: no probabilities. */
struct json_exposure_expected {
	const struct exposure_expected	*groups;	/* as the table's */
	struct exposure_expected	 totals;
};

void	json_exposure_body(struct buf *, const struct json_exposure_head *,
	    const struct exposure_table *,
	    const struct json_exposure_expected *);
void	json_exposure_csv(struct buf *, const struct json_exposure_head *,
	    const struct exposure_table *,
	    const struct json_exposure_expected *);
void	json_exposure_curve(struct buf *, const struct json_exposure_head *,
	    const struct exposure_table *, size_t);
void	json_exposure_curve_csv(struct buf *,
	    const struct json_exposure_head *, const struct exposure_table *,
	    size_t);
void	json_exposure_tiers(struct buf *, const struct json_exposure_head *,
	    const struct exposure_table *, int);
void	json_exposure_tiers_csv(struct buf *,
	    const struct json_exposure_head *, const struct exposure_table *,
	    int);

#endif
