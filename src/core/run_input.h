/*
 * A stress run's input as the engine gets it from the run's stored
 * snapshot, put together once the store has decoded the rows
 * (store_runs.c): the suppliers must come in id order (bytes), as they
 * are stored; each invoice gets its supplier's index, the supplier named
 * by its position in the snapshot or by its id; and the invoices are put
 * in id order (bytes), every id once. The engine's results are per
 * supplier in that order, and inputs_digest (run_digest.h) relies on
 * both orders.
 */
#ifndef RUN_INPUT_H
#define RUN_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

/*
 * An invoice row, decoded: its supplier named by v.supplier_id, or, when
 * that is NULL, by position (1.., as stored). The rest is
 * run_input_invoices' own.
 */
struct run_input_invoice {
	struct model_invoice	 v;
	int64_t			 position;
	size_t			 supplier;	/* its index in the suppliers */
	uint64_t		 key[2];	/* the id's first 16 bytes */
};

int	run_input_suppliers(const struct model_supplier *, size_t);
int	run_input_invoices(const struct model_supplier *, size_t,
	    struct run_input_invoice *, size_t, struct model_invoice *,
	    size_t *);

#endif
