/*
 * Stress run bodies: the create request in; the run (with its curve and
 * announcements, in one fixed field order whether it was just computed or
 * read back from jsonb) and the per-supplier report out, as JSON and as
 * CSV with the same columns.
 */
#ifndef JSON_RUNS_H
#define JSON_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/csv.h"
#include "core/model.h"
#include "store/store_runs.h"

struct json_run_request {
	const char	*scenario_id;
	const char	*scheme_id;	/* NULL: no scheme */
	int64_t		 max_outage_days;
};

int	 json_run_request_decode(const cJSON *, struct json_run_request *,
	    cJSON *);
char	*json_run_curve(const struct model_point *, size_t);
char	*json_run_expected(const struct model_expected *);
cJSON	*json_run_encode(const struct store_run *, int);
cJSON	*json_run_supplier_encode(const struct store_run_supplier *);
void	 json_run_supplier_csv_header(struct csv *);
void	 json_run_supplier_csv(struct csv *, const struct store_run_supplier *);

#endif
