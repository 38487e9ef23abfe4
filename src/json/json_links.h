/*
 * Link bodies: the figures of one link in (PUT), link records out (JSON
 * and CSV), and import files (CSV with a header row, or NDJSON) turned
 * into one jsonb array for link_import, every bad line reported: an end
 * that is not an id, a self-link, a pair given twice, a figure that is not
 * an integer literal or out of the model's range.
 */
#ifndef JSON_LINKS_H
#define JSON_LINKS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/csv.h"
#include "store/store_links.h"

/* Which end of its links a firm's list shows (store_link_of). */
#define JSON_LINK_CUSTOMERS	STORE_LINK_CUSTOMERS
#define JSON_LINK_SUPPLIERS	STORE_LINK_SUPPLIERS

struct json_link {
	const char	*supplier_id;
	const char	*customer_id;
	int64_t		 daily_sales;
	int64_t		 payment_terms_days;
};

int	 json_link_put_decode(const cJSON *, struct json_link *, cJSON *);
int	 json_link_decode(const cJSON *, struct json_link *, cJSON *);
cJSON	*json_link_encode(const struct store_link *);
cJSON	*json_link_party_encode(const struct store_link *, int);
void	 json_link_csv_header(struct csv *, int);
void	 json_link_csv_row(struct csv *, const struct store_link *, int);
int	 json_link_import_csv(const char *, size_t, struct buf *, int *,
	    cJSON *);
int	 json_link_import_ndjson(const char *, size_t, struct buf *, int *,
	    cJSON *);

#endif
