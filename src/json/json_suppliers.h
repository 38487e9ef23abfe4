/*
 * Supplier bodies: create and patch requests in, records out (JSON and
 * CSV), and bulk import files (CSV with a header row, or NDJSON) turned
 * into one jsonb array for supplier_import, every bad line reported.
 * One table of fields drives all of it, so the JSON names, the CSV
 * columns and the rules cannot drift apart.
 */
#ifndef JSON_SUPPLIERS_H
#define JSON_SUPPLIERS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/csv.h"
#include "store/store_suppliers.h"

/* One bit per field of the record, id first (see the field table). */
#define JSON_SUPPLIER_NFIELDS	16
#define JSON_SUPPLIER_ALL	((1u << JSON_SUPPLIER_NFIELDS) - 1)

/* Who sends a patch: treasury may change any field but the id. */
#define JSON_SUPPLIER_TREASURY	0
#define JSON_SUPPLIER_OWN	1	/* the supplier: its declaration only */

struct json_supplier_patch {
	struct store_supplier	s;
	unsigned int		given;	/* bits of the fields present */
};

int	 json_supplier_create_decode(const cJSON *, const char *,
	    struct store_supplier *, cJSON *);
int	 json_supplier_patch_decode(const cJSON *, const char *, int,
	    struct json_supplier_patch *, cJSON *);
void	 json_supplier_row(struct buf *, const struct store_supplier *,
	    unsigned int);
int	 json_supplier_diff(const struct store_supplier *,
	    const struct store_supplier *, cJSON *);
cJSON	*json_supplier_encode(const struct store_supplier *);
void	 json_supplier_ledger_add(cJSON *,
	    const struct store_supplier_ledger *);
void	 json_supplier_csv_header(struct csv *);
void	 json_supplier_csv_row(struct csv *, const struct store_supplier *);
int	 json_supplier_import_csv(const char *, size_t, const char *,
	    struct buf *, int *, cJSON *);
int	 json_supplier_import_ndjson(const char *, size_t, const char *,
	    struct buf *, int *, cJSON *);

#endif
