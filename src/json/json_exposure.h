/*
 * Exposure report bodies: a disclosure-controlled table (core/exposure.h)
 * as the contract's JSON or as CSV. A suppressed group keeps its key and
 * says so; every figure of it is null (an empty CSV field), as are the
 * totals when they would reveal what was suppressed.
 */
#ifndef JSON_EXPOSURE_H
#define JSON_EXPOSURE_H

#include <stdint.h>

#include "core/buf.h"
#include "core/exposure.h"

struct json_exposure_head {
	int64_t		 run_id;
	int64_t		 outage_days;
	const char	*group_by;
	int64_t		 min_cell_size;
};

void	json_exposure_body(struct buf *, const struct json_exposure_head *,
	    const struct exposure_table *);
void	json_exposure_csv(struct buf *, const struct exposure_table *);

#endif
