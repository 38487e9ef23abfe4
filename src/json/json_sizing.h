/*
 * Facility sizing bodies: the request in; the sizing out, with its grid
 * of points in one fixed field order whether just computed or read back
 * from jsonb, and the points as CSV with the same columns.
 */
#ifndef JSON_SIZING_H
#define JSON_SIZING_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/csv.h"
#include "core/model.h"
#include "store/store_sizing.h"

struct json_sizing_request {
	int64_t		 run_id;
	const char	*scheme_id;
	int64_t		 outage_days;
	int64_t		 steps;
	int		 has_target;
	int64_t		 target;
};

int	 json_sizing_request_decode(const cJSON *,
	    struct json_sizing_request *, cJSON *);
char	*json_sizing_points(const struct model_sizing_point *, size_t);
cJSON	*json_sizing_encode(const struct store_sizing *, int);
int	 json_sizing_csv(struct csv *, const char *);

#endif
