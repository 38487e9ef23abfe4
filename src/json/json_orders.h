/*
 * Purchase order bodies: the create request in, order records out (as
 * JSON and as CSV rows).
 */
#ifndef JSON_ORDERS_H
#define JSON_ORDERS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/csv.h"
#include "store/store_orders.h"

struct json_order {
	const char	*id;
	const char	*supplier_id;
	int64_t		 amount;
	const char	*currency;
	const char	*order_date;
	const char	*delivery_date;
};

int	 json_order_decode(const cJSON *, const char *, struct json_order *,
	    cJSON *);
cJSON	*json_order_encode(const struct store_order *);
void	 json_order_csv_header(struct csv *);
void	 json_order_csv_row(struct csv *, const struct store_order *);

#endif
