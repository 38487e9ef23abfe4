/*
 * Scenario bodies: the create request in (the scenario fields of the
 * liquidity model and the outage announcements, validated by its rules),
 * records out, each announcement with its outage length.
 */
#ifndef JSON_SCENARIOS_H
#define JSON_SCENARIOS_H

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "store/store_scenarios.h"

int	 json_scenario_create_decode(const cJSON *, struct store_scenario *,
	    cJSON *);
void	 json_scenario_row(struct buf *, const struct store_scenario *);
int	 json_scenario_diff(const struct store_scenario *,
	    const struct store_scenario *, cJSON *);
cJSON	*json_scenario_encode(const struct store_scenario *);

#endif
