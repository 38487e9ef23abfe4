/*
 * Early-payment scheme rules: each rule at its boundary, the advance and
 * fee to the penny, both caps reached exactly and exceeded by one, what
 * reaches the supplier by fee bearer, and the tier lists the database
 * prints.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/scheme.h"

static int32_t
day(const char *s)
{
	int32_t	d;

	assert_int_equal(date_parse(s, &d), 0);
	return (d);
}

/*
 * The API tests' scheme: from 7 October 2025, 90 % advanced at 6.5 % a
 * year on 365 days, tiers 1 and 2, at most 500 employees, invoices of at
 * least 1,000, opted-in suppliers only.
 */
static struct model_scheme
scheme(void)
{
	struct model_scheme	sc = { 0 };

	sc.effective_from = day("2025-10-07");
	sc.payment_lag_days = 2;
	sc.advance_rate_bps = 9000;
	sc.annual_rate_bps = 650;
	sc.day_count_basis = 365;
	sc.fee_bearer = MODEL_FEE_SUPPLIER;
	sc.eligible_tiers = (1U << 1) | (1U << 2);
	sc.has_max_employees = 1;
	sc.max_employees = 500;
	sc.min_invoice_amount = 1000;
	sc.requires_opt_in = 1;
	return (sc);
}

static unsigned int
invoice(const struct model_scheme *sc, const char *paid_on, int64_t amount)
{
	return (scheme_invoice_eligible(sc, day(paid_on), day("2025-09-01"),
	    day("2025-11-06"), amount));
}

static void
tiers_parse_as_the_database_prints_them(void **state)
{
	static const struct {
		const char	*s;
		int		 rc;
		unsigned int	 bits;
	} cases[] = {
		{ "1", 0, 1U << 1 },
		{ "1,2", 0, (1U << 1) | (1U << 2) },
		{ "2,1", 0, (1U << 1) | (1U << 2) },
		{ "3,1,2", 0, 0xe },
		{ "1,1", 0, 1U << 1 },
		{ "", -1, 0 },
		{ "0", -1, 0 },
		{ "4", -1, 0 },
		{ "12", -1, 0 },
		{ "1,", -1, 0 },
		{ ",1", -1, 0 },
		{ "1,,2", -1, 0 },
		{ "1 ,2", -1, 0 },
		{ "-1", -1, 0 },
		{ "{1,2}", -1, 0 },
	};
	unsigned int	bits;
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bits = 0x55;
		assert_int_equal(scheme_tiers_parse(cases[i].s, &bits),
		    cases[i].rc);
		assert_int_equal(bits, cases[i].bits);
	}
	assert_int_equal(scheme_tiers_parse(NULL, &bits), -1);
	assert_int_equal(bits, 0);
}

static void
supplier_tier_employees_and_opt_in(void **state)
{
	struct model_scheme	sc = scheme();

	assert_int_equal(scheme_eligible(&sc, 1, 120, 1), 0);
	assert_int_equal(scheme_eligible(&sc, 2, 120, 1), 0);
	assert_int_equal(scheme_eligible(&sc, 3, 120, 1), SCHEME_TIER);
	/* Exactly max_employees is eligible, one more is not. */
	assert_int_equal(scheme_eligible(&sc, 1, 500, 1), 0);
	assert_int_equal(scheme_eligible(&sc, 1, 501, 1), SCHEME_EMPLOYEES);
	assert_int_equal(scheme_eligible(&sc, 1, 120, 0), SCHEME_OPT_IN);
	assert_int_equal(scheme_eligible(&sc, 3, 501, 0),
	    SCHEME_TIER | SCHEME_EMPLOYEES | SCHEME_OPT_IN);
	/* Tiers no scheme can name. */
	assert_int_equal(scheme_eligible(&sc, 0, 1, 1), SCHEME_TIER);
	assert_int_equal(scheme_eligible(&sc, -1, 1, 1), SCHEME_TIER);
	assert_int_equal(scheme_eligible(&sc, 64, 1, 1), SCHEME_TIER);

	/* Without the limits, every tier listed and anyone. */
	sc.has_max_employees = 0;
	sc.requires_opt_in = 0;
	sc.eligible_tiers = 0xe;
	assert_int_equal(scheme_eligible(&sc, 3, 1000000, 0), 0);
}

static void
invoice_dates_and_minimum(void **state)
{
	struct model_scheme	sc = scheme();

	/* paid_on == effective_from is in, the day before is not. */
	assert_int_equal(invoice(&sc, "2025-10-07", 1000000), 0);
	assert_int_equal(invoice(&sc, "2025-10-06", 1000000),
	    SCHEME_BEFORE_EFFECTIVE);
	/* The day before the due date is in, the due date itself is not. */
	assert_int_equal(invoice(&sc, "2025-11-05", 1000000), 0);
	assert_int_equal(invoice(&sc, "2025-11-06", 1000000),
	    SCHEME_NOT_BEFORE_DUE);
	assert_int_equal(invoice(&sc, "2025-11-07", 1000000),
	    SCHEME_NOT_BEFORE_DUE);
	/* The issue date is in, the day before is not. */
	assert_int_equal(scheme_invoice_eligible(&sc, day("2025-10-08"),
	    day("2025-10-08"), day("2025-11-06"), 1000000), 0);
	assert_int_equal(scheme_invoice_eligible(&sc, day("2025-10-07"),
	    day("2025-10-08"), day("2025-11-06"), 1000000),
	    SCHEME_BEFORE_ISSUE);
	/* Exactly the minimum is in, a penny less is not. */
	assert_int_equal(invoice(&sc, "2025-10-07", 1000), 0);
	assert_int_equal(invoice(&sc, "2025-10-07", 999), SCHEME_MIN_AMOUNT);
	/* Every reason at once. */
	assert_int_equal(scheme_invoice_eligible(&sc, day("2025-10-06"),
	    day("2025-10-20"), day("2025-10-25"), 500),
	    SCHEME_BEFORE_EFFECTIVE | SCHEME_BEFORE_ISSUE |
	    SCHEME_MIN_AMOUNT);
}

static void
advance_and_fee_to_the_penny(void **state)
{
	struct model_scheme	sc = scheme();
	int64_t			advance, fee;

	assert_int_equal(scheme_advance(&sc, 1000000, &advance), 0);
	assert_int_equal(advance, 900000);
	/* 900,000 x 6.5 % x 30 / 365 = 4,808.2: the API tests' fee. */
	assert_int_equal(scheme_fee(&sc, advance, day("2025-10-07"),
	    day("2025-11-06"), &fee), 0);
	assert_int_equal(fee, 4808);
	/* One day: 160.27. */
	assert_int_equal(scheme_fee(&sc, advance, day("2025-11-05"),
	    day("2025-11-06"), &fee), 0);
	assert_int_equal(fee, 160);
	/* The largest amount still has an advance; its fee overflows. */
	assert_int_equal(scheme_advance(&sc, INT64_MAX, &advance), 0);
	assert_int_equal(advance, INT64_MAX / 10 * 9 + 6);
	assert_int_equal(scheme_fee(&sc, advance, 0, 36500, &fee), -1);
	sc.advance_rate_bps = 20000;
	assert_int_equal(scheme_advance(&sc, INT64_MAX, &advance), -1);
	sc.day_count_basis = 0;
	assert_int_equal(scheme_fee(&sc, 900000, 0, 30, &fee), -1);
}

static void
quote_needs_an_advance(void **state)
{
	struct model_scheme	sc = scheme();
	int64_t			advance, fee;

	assert_int_equal(scheme_quote(&sc, 1000000, day("2025-10-07"),
	    day("2025-11-06"), &advance, &fee), 0);
	assert_int_equal(advance, 900000);
	assert_int_equal(fee, 4808);
	/* 1 bps of 5,000 is 0.5, to even 0: nothing to advance. */
	sc.advance_rate_bps = 1;
	assert_int_equal(scheme_quote(&sc, 5000, day("2025-10-07"),
	    day("2025-11-06"), &advance, &fee), SCHEME_NO_ADVANCE);
	/* 1.5 goes to 2: an advance, however small. */
	assert_int_equal(scheme_quote(&sc, 15000, day("2025-10-07"),
	    day("2025-11-06"), &advance, &fee), 0);
	assert_int_equal(advance, 2);
	assert_int_equal(fee, 0);
	/* A fee too large to post is no advance either. */
	sc.advance_rate_bps = 9000;
	assert_int_equal(scheme_quote(&sc, INT64_MAX, 0, 36500, &advance,
	    &fee), SCHEME_NO_ADVANCE);
}

static void
caps_reached_exactly_fit(void **state)
{
	struct model_scheme	sc = scheme();

	/* No cap, no limit: anything fits. */
	assert_true(scheme_within_caps(&sc, INT64_MAX, INT64_MAX, INT64_MAX));

	sc.has_per_supplier_cap = 1;
	sc.per_supplier_cap = 2000000;
	assert_true(scheme_within_caps(&sc, 200000, 1800000, 0));
	assert_false(scheme_within_caps(&sc, 200001, 1800000, 0));
	assert_false(scheme_within_caps(&sc, 200000, 1800001, 0));
	assert_true(scheme_within_caps(&sc, 2000000, 0, 0));
	assert_false(scheme_within_caps(&sc, 2000001, 0, 0));

	sc.has_per_supplier_cap = 0;
	sc.has_facility_limit = 1;
	sc.facility_limit = 1800000;
	assert_true(scheme_within_caps(&sc, 900000, 5000000, 900000));
	assert_false(scheme_within_caps(&sc, 900001, 0, 900000));
	assert_false(scheme_within_caps(&sc, 900000, 0, 900001));

	/* Both: each must fit. */
	sc.has_per_supplier_cap = 1;
	assert_true(scheme_within_caps(&sc, 100, 1999900, 1799900));
	assert_false(scheme_within_caps(&sc, 100, 1999901, 0));
	assert_false(scheme_within_caps(&sc, 100, 0, 1799901));
}

static void
net_by_fee_bearer(void **state)
{
	struct model_scheme	sc = scheme();
	int64_t			net;

	assert_int_equal(scheme_net(&sc, 900000, 4808, &net), 0);
	assert_int_equal(net, 895192);
	sc.fee_bearer = MODEL_FEE_OEM;
	assert_int_equal(scheme_net(&sc, 900000, 4808, &net), 0);
	assert_int_equal(net, 900000);
	/* The OEM bearing it, even a fee beyond the advance leaves it all. */
	assert_int_equal(scheme_net(&sc, 900000, 1602740, &net), 0);
	assert_int_equal(net, 900000);

	/* The supplier bearing it: a penny must be left. */
	sc.fee_bearer = MODEL_FEE_SUPPLIER;
	assert_int_equal(scheme_net(&sc, 900000, 899999, &net), 0);
	assert_int_equal(net, 1);
	assert_int_equal(scheme_net(&sc, 900000, 900000, &net),
	    SCHEME_NO_NET);
	assert_int_equal(net, 0);
	assert_int_equal(scheme_net(&sc, 900000, 1602740, &net),
	    SCHEME_NO_NET);
	assert_int_equal(net, -702740);
}

/* A refusal lists its reasons in the order of the rules' bits. */
static void
rules_are_distinct_bits_in_order(void **state)
{
	static const unsigned int	rules[] = {
		SCHEME_BEFORE_EFFECTIVE, SCHEME_NOT_BEFORE_DUE,
		SCHEME_BEFORE_ISSUE, SCHEME_TIER, SCHEME_EMPLOYEES,
		SCHEME_OPT_IN, SCHEME_MIN_AMOUNT, SCHEME_NO_ADVANCE,
		SCHEME_NO_NET,
	};
	size_t				i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		assert_int_equal(rules[i], 1U << i);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tiers_parse_as_the_database_prints_them),
		cmocka_unit_test(supplier_tier_employees_and_opt_in),
		cmocka_unit_test(invoice_dates_and_minimum),
		cmocka_unit_test(advance_and_fee_to_the_penny),
		cmocka_unit_test(quote_needs_an_advance),
		cmocka_unit_test(caps_reached_exactly_fit),
		cmocka_unit_test(net_by_fee_bearer),
		cmocka_unit_test(rules_are_distinct_bits_in_order),
	};

	return (cmocka_run_group_tests_name("scheme", tests, NULL, NULL));
}
