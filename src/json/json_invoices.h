/*
 * Invoice bodies: the create request and import lines in, invoice
 * records out.
 */
#ifndef JSON_INVOICES_H
#define JSON_INVOICES_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "store/store_invoices.h"
#include "store/store_ledger.h"

struct json_invoice {
	const char	*id;
	const char	*supplier_id;
	int64_t		 amount;
	const char	*currency;
	const char	*issue_date;
	const char	*due_date;
	const char	*status;		/* NULL: not given */
	const char	*order_id;		/* NULL: not an order's */
};

int	 json_invoice_decode(const cJSON *, int, const char *,
	    struct json_invoice *, cJSON *);
cJSON	*json_invoice_encode(const struct store_invoice *);
cJSON	*json_invoice_from_csv(const char *const *, int, const char *const *,
	    int, cJSON *, int);
int	 json_invoice_import_decode(const cJSON *, const char *, int,
	    struct json_invoice *, cJSON *);
void	 json_invoice_csv_each(const char *, size_t, cJSON *, int,
	    void (*)(void *, cJSON *, int, cJSON *), void *);

#endif
