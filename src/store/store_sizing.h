/*
 * Facility sizings: the SQL behind /v1/facility-sizing
 * (sql/0019_facility_sizing.sql), and the scheme a sizing is run with,
 * from its stored row to the engine's form.
 *
 * Making a sizing: the run (store_run_get), the scheme
 * (store_scheme_get), the run's snapshot as any reader loads it
 * (store_runs.h), the engine, then store_sizing_reserve for the id and
 * time the reply names, and store_sizing_store with the reply.
 */
#ifndef STORE_SIZING_H
#define STORE_SIZING_H

#include <stdint.h>

#include "core/model.h"
#include "store/db.h"
#include "store/store_schemes.h"

/* One sizing's row; strings borrow from the rows. */
struct store_sizing {
	int64_t		 id;
	int64_t		 run_id;
	const char	*scheme_id;
	int64_t		 outage_days;
	int64_t		 steps;
	int64_t		 target;
	int64_t		 unlimited_peak;
	int64_t		 smallest;		/* MODEL_NONE: null */
	const char	*points;		/* jsonb text; NULL in lists */
	const char	*created_at;		/* RFC 3339 UTC */
};

/* What store_sizing_store writes, with the idempotent reply. */
struct store_sizing_write {
	const struct store_sizing	*sizing;
	const char			*created_at;	/* as reserved */
	const char			*key_id;
	const char			*idem_key;	/* NULL: none */
	const char			*request_hash;	/* hex */
	int				 status;
	const char			*response;
};

int	store_sizing_scheme(const struct store_scheme *,
	    struct model_scheme *);
void	store_sizing_reserve(struct db_query *);
int	store_sizing_reserve_decode(const struct db_rows *, int64_t *,
	    const char **);
void	store_sizing_store(struct db_query *,
	    const struct store_sizing_write *);
void	store_sizing_get(struct db_query *, int64_t);
void	store_sizing_list(struct db_query *, int64_t, int64_t, int);
int	store_sizing_decode(const struct db_rows *, int,
	    struct store_sizing *);

#endif
