/*
 * Journal transactions: each event's postings, balance, and the canonical
 * bytes the hash chain covers (a golden value: changing the encoding
 * breaks every stored chain, so it must never change by accident).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/journal.h"

static void
approval_postings(void **state)
{
	struct journal_tx	tx;

	journal_tx_init(&tx);
	assert_int_equal(journal_approval(&tx, "SUP-A", "GBP", 500000,
	    "INV-1"), 0);
	assert_string_equal(tx.kind, "approval");
	assert_int_equal(tx.n, 2);
	assert_string_equal(tx.p[0].account, "purchases");
	assert_int_equal(tx.p[0].amount, 500000);
	assert_string_equal(tx.p[1].account, "payable:supplier:SUP-A");
	assert_int_equal(tx.p[1].amount, -500000);
	assert_string_equal(tx.p[1].invoice, "INV-1");
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	assert_int_equal(journal_approval(&tx, "SUP-A", "GBP", 0, NULL), -1);
	assert_int_equal(journal_approval(&tx, "SUP-A", "GBP", -1, NULL), -1);
	journal_tx_cleanup(&tx);
}

static void
early_payment_postings_by_fee_bearer(void **state)
{
	struct journal_tx	tx;

	journal_tx_init(&tx);
	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 4808, 0, "INV-1"), 0);
	assert_int_equal(tx.n, 4);
	assert_string_equal(tx.p[1].account, "payable:funder:S1:SUP-A");
	assert_int_equal(tx.p[1].amount, -900000);
	assert_string_equal(tx.p[2].account, "fees:supplier:SUP-A");
	assert_int_equal(tx.p[2].amount, 4808);
	assert_string_equal(tx.p[3].account, "fees:funder:S1");
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 4808, 1, "INV-1"), 0);
	assert_string_equal(tx.p[2].account, "fees:oem");
	assert_string_equal(tx.p[3].account, "cash");
	assert_int_equal(tx.p[3].amount, -4808);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	/* No fee, no fee postings. */
	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 0, 0, "INV-1"), 0);
	assert_int_equal(tx.n, 2);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);
}

static void
payment_repays_the_funder(void **state)
{
	struct journal_tx	tx;

	journal_tx_init(&tx);
	assert_int_equal(journal_payment(&tx, "SUP-A", "S1", "GBP", 100000,
	    900000, "INV-1"), 0);
	assert_int_equal(tx.n, 3);
	assert_string_equal(tx.p[2].account, "cash");
	assert_int_equal(tx.p[2].amount, -1000000);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	/* A full advance leaves no remainder posting. */
	assert_int_equal(journal_payment(&tx, "SUP-A", "S1", "GBP", 0,
	    1000000, "INV-1"), 0);
	assert_int_equal(tx.n, 2);
	journal_tx_cleanup(&tx);

	assert_int_equal(journal_payment(&tx, "SUP-A", NULL, "GBP", 5, 1,
	    "INV-1"), -1);
	assert_int_equal(journal_payment(&tx, "SUP-A", NULL, "GBP", 0, 0,
	    "INV-1"), -1);
	assert_int_equal(journal_payment(&tx, "SUP-A", "S1", "GBP",
	    INT64_MAX, 1, "INV-1"), -1);
	journal_tx_cleanup(&tx);
}

static void
reversal_negates_every_posting(void **state)
{
	struct journal_tx	tx;

	journal_tx_init(&tx);
	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 4808, 1, "INV-1"), 0);
	assert_int_equal(journal_reverse(&tx), 0);
	assert_string_equal(tx.kind, "reversal");
	assert_int_equal(tx.n, 4);
	assert_int_equal(tx.p[0].amount, -900000);
	assert_int_equal(tx.p[1].amount, 900000);
	assert_int_equal(tx.p[2].amount, -4808);
	assert_int_equal(tx.p[3].amount, 4808);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	/* The one amount that has no negation is refused. */
	journal_post(&tx, "a", "GBP", INT64_MIN, NULL);
	assert_int_equal(journal_reverse(&tx), -1);
	assert_int_equal(tx.p[0].amount, INT64_MIN);
	journal_tx_cleanup(&tx);
}

static void
balance_is_per_currency_and_overflow_safe(void **state)
{
	struct journal_tx	tx;

	journal_tx_init(&tx);
	assert_false(journal_balanced(&tx));
	journal_post(&tx, "a", "GBP", 5, NULL);
	assert_false(journal_balanced(&tx));
	journal_post(&tx, "b", "EUR", -5, NULL);
	assert_false(journal_balanced(&tx));
	journal_post(&tx, "c", "GBP", -5, NULL);
	journal_post(&tx, "d", "EUR", 5, NULL);
	assert_true(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	journal_post(&tx, "a", "GBP", INT64_MAX, NULL);
	journal_post(&tx, "b", "GBP", INT64_MAX, NULL);
	journal_post(&tx, "c", "GBP", 2, NULL);
	assert_false(journal_balanced(&tx));
	journal_tx_cleanup(&tx);

	assert_int_equal(journal_post(&tx, "a", "GBPX", 1, NULL), -1);
	assert_int_equal(journal_post(&tx, "a", "GBP", 0, NULL), 0);
	assert_int_equal(tx.n, 0);
	journal_tx_cleanup(&tx);
}

static void
canonical_bytes_are_fixed(void **state)
{
	struct journal_tx	tx;
	struct buf		b;

	journal_tx_init(&tx);
	tx.seq = 42;
	tx.invoice = "INV-1";
	tx.scheme = "S1";
	tx.effective = "2025-10-07";
	tx.at = "2025-10-07T09:30:00.000001Z";
	assert_int_equal(journal_early_payment(&tx, "SUP-A", "S1", "GBP",
	    900000, 4808, 0, "INV-1"), 0);
	buf_init(&b);
	journal_canonical(&tx, &b);
	assert_string_equal(b.data,
	    "tideover-journal-v1\n"
	    "seq=42\n"
	    "kind=early_payment\n"
	    "invoice=INV-1\n"
	    "scheme=S1\n"
	    "effective=2025-10-07\n"
	    "at=2025-10-07T09:30:00.000001Z\n"
	    "posting=payable:supplier:SUP-A|GBP|900000|INV-1\n"
	    "posting=payable:funder:S1:SUP-A|GBP|-900000|INV-1\n"
	    "posting=fees:supplier:SUP-A|GBP|4808|INV-1\n"
	    "posting=fees:funder:S1|GBP|-4808|INV-1\n");
	buf_cleanup(&b);
	journal_tx_cleanup(&tx);

	/* Absent fields are empty, never skipped. */
	journal_tx_init(&tx);
	tx.seq = 1;
	assert_int_equal(journal_approval_line(&tx, "S", "GBP", 7, NULL), 0);
	assert_int_equal(journal_approval_total(&tx, "GBP", 7), 0);
	buf_init(&b);
	journal_canonical(&tx, &b);
	assert_string_equal(b.data,
	    "tideover-journal-v1\nseq=1\nkind=approval\ninvoice=\nscheme=\n"
	    "effective=\nat=\nposting=payable:supplier:S|GBP|-7|\n"
	    "posting=purchases|GBP|7|\n");
	buf_cleanup(&b);
	journal_tx_cleanup(&tx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(approval_postings),
		cmocka_unit_test(early_payment_postings_by_fee_bearer),
		cmocka_unit_test(payment_repays_the_funder),
		cmocka_unit_test(reversal_negates_every_posting),
		cmocka_unit_test(balance_is_per_currency_and_overflow_safe),
		cmocka_unit_test(canonical_bytes_are_fixed),
	};

	return (cmocka_run_group_tests_name("journal", tests, NULL, NULL));
}
