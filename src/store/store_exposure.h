/*
 * The SQL behind /v1/exposure (and the run look-up the payment schedule
 * shares with it): which finished stress run a reader may see, the
 * outage length to report by default, and one line per supplier of a
 * run's results at one outage length, reduced to what grouping needs.
 * The rows never carry a supplier's id or name.
 */
#ifndef STORE_EXPOSURE_H
#define STORE_EXPOSURE_H

#include <stdint.h>

#include "store/db.h"

/* A run as a report sees it. */
struct store_exposure_run {
	int64_t		 id;
	int		 published;
	int64_t		 max_outage_days;
	int64_t		 default_outage_days;	/* see store_exposure_run */
};

/* One supplier's figures; strings borrow from the rows. */
struct store_exposure_line {
	const char	*region;
	const char	*sector;
	const char	*tier;
	int64_t		 employees;
	int64_t		 funding_gap;
};

void	store_exposure_run(struct db_query *, int64_t, int);
int	store_exposure_run_decode(const struct db_rows *,
	    struct store_exposure_run *);
void	store_exposure_lines(struct db_query *, int64_t, int64_t);
int	store_exposure_line_decode(const struct db_rows *, int,
	    struct store_exposure_line *);

#endif
