/*
 * A stress run's inputs_digest: the canonical encoding of everything the
 * run was computed from, so that two runs of the same data have the same
 * digest and a stored run can be checked against its snapshot. The core
 * writes the bytes; the digest itself is the hex BLAKE2b-256
 * (crypto_generichash, no key) of them, which src/crypto/digest.c
 * computes.
 *
 * The canonical encoding (version 1), UTF-8, one line per record, each
 * line ending in "\n", fields separated by "\t". In text fields "\\",
 * "\t", "\n" and "\r" are written as \\, \t, \n and \r, so that no field
 * can end a field or a line early. Integers are decimal with a leading
 * "-" when negative; dates YYYY-MM-DD; booleans 1 or 0; a value that is
 * absent is "-".
 *
 *	tideover-stress-inputs	1
 *	scenario	<id>	<start_date>	<horizon_days>	<ramp, comma-separated or ->
 *	    <payment_freeze_days>	<fixed_cost_relief_bps>
 *	announcement	<announced_on>	<restart_date>	(one per announcement,
 *	    in announcement order)
 *	outage-probability	<outage_days>	<probability_bps>	(only for a
 *	    scenario with outage probabilities: one per length, ascending)
 *	scheme	-	(no scheme), or
 *	scheme	<id>	<effective_from>	<payment_lag_days>	<advance_rate_bps>
 *	    <annual_rate_bps>	<day_count_basis>	<supplier|oem>
 *	    <eligible tiers ascending, comma-separated>	<max_employees>
 *	    <min_invoice_amount>	<requires_opt_in>	<per_supplier_cap>
 *	    <facility_limit>
 *	scheme-covers	all	(only for a scheme that also finances link
 *	    invoices, covers = all)
 *	scheme-basis	order	<order_lead_days>	<true_up_lag_days>	(only for
 *	    an order-basis scheme: prepayment at the order)
 *	supplier	<id>	<name>	<tier>	<region>	<sector>	<employees>	<cash>
 *	    <credit_available>	<min_liquidity>	<fixed_daily_costs>
 *	    <oem_daily_sales>	<variable_cost_bps>	<other_daily_receipts>
 *	    <payment_terms_days>	<scheme_opt_in>	(sorted by id, bytes)
 *	invoice	<id>	<supplier_id>	<outstanding>	<due_date>
 *	    (sorted by id, bytes)
 *	link	<supplier_id>	<customer_id>	<daily_sales>	<payment_terms_days>
 *	    (sorted by supplier_id, then customer_id, bytes)
 *
 * (Lines are wrapped here; each record is one line.) A scenario without
 * outage probabilities has no outage-probability line, so the digest of
 * every run made before they existed is unchanged; with them, two
 * scenarios giving the same lengths the same probabilities in another
 * order encode alike. Suppliers, invoices
 * and links are written in the order of the input, which run_input.c and
 * the run's snapshot have put in id order. A run without links, whose
 * scheme covers only the OEM's invoices on the invoice basis, has no
 * scheme-covers, scheme-basis or link line: its bytes, and so the digest of every run made before links
 * existed, are what version 1 always wrote. max_outage_days is a parameter of the run, not an
 * input: two runs of the same data with different ranges have the same
 * digest.
 */
#ifndef RUN_DIGEST_H
#define RUN_DIGEST_H

#include <stddef.h>

#include "core/date.h"
#include "core/model.h"

#define RUN_DIGEST_VERSION	1
#define RUN_DIGEST_HEX		65	/* 64 hex digits and the NUL */

/* An announcement as the run stored it: dates, at most DATE_LEN bytes. */
struct run_announcement {
	char	announced_on[DATE_LEN + 1];
	char	restart_date[DATE_LEN + 1];
};

/* What the encoding covers besides the engine's input. */
struct run_digest_input {
	const struct model_input	*in;
	const char			*scenario_id;
	const char			*scheme_id;	/* with in->scheme */
	const char *const		*names;		/* per supplier */
	const char *const		*regions;
	const char *const		*sectors;
	const struct run_announcement	*announcements;
	size_t				 nannouncements;
	const struct model_outage_prob	*prob;		/* NULL: none */
	size_t				 nprob;
};

/* Takes the encoding in order, a block at a time. */
typedef void	run_digest_sink(void *, const void *, size_t);

void	run_digest_encode(const struct run_digest_input *, run_digest_sink *,
	    void *);

#endif
