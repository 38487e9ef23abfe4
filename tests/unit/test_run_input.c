/*
 * A stress run's input from its snapshot rows: suppliers only in id order
 * (bytes), each invoice's supplier found by position or by id, invoices
 * put in id order whatever their lengths and shared prefixes, and a
 * repeated id or an unknown supplier refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/run_input.h"

#define NSUP	3

static const struct model_supplier	sup[NSUP] = {
	{ .id = "S-10" }, { .id = "S-9" }, { .id = "s-1" },
};

/* A row naming its supplier by id. */
static struct run_input_invoice
by_id(const char *id, const char *supplier, int64_t outstanding)
{
	struct run_input_invoice	r;

	memset(&r, 0, sizeof(r));
	r.v.id = id;
	r.v.supplier_id = supplier;
	r.v.outstanding = outstanding;
	return (r);
}

/* A row naming its supplier by position, from 1. */
static struct run_input_invoice
by_position(const char *id, int64_t position)
{
	struct run_input_invoice	r = by_id(id, NULL, position);

	r.position = position;
	return (r);
}

static void
suppliers_in_id_order_only(void **state)
{
	static const struct model_supplier	bytes[] = {
		{ .id = "Z" }, { .id = "a" }, { .id = "a-" }, { .id = "\xc3\xa9" },
	};
	static const struct model_supplier	twice[] = {
		{ .id = "S-1" }, { .id = "S-1" },
	};
	static const struct model_supplier	back[] = {
		{ .id = "S-2" }, { .id = "S-1" },
	};

	assert_int_equal(run_input_suppliers(sup, NSUP), 0);
	assert_int_equal(run_input_suppliers(bytes, 4), 0);
	assert_int_equal(run_input_suppliers(twice, 2), -1);
	assert_int_equal(run_input_suppliers(back, 2), -1);
	assert_int_equal(run_input_suppliers(back, 1), 0);
	assert_int_equal(run_input_suppliers(NULL, 0), 0);
}

/*
 * Ids that share their first 16 bytes, end within them or just after,
 * or hold bytes above 0x7f, sort as strcmp does.
 */
static void
invoices_in_id_order(void **state)
{
	static const char	*ids[] = {
		"b", "aaaaaaaaaaaaaaaa2", "\xff", "aaaaaaaaaaaaaaaa1",
		"aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa-", "A",
		"aaaaaaaab", "aaaaaaaaaaaaaaab",
	};
	static const char	*sorted[] = {
		"A", "aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa-",
		"aaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaa2", "aaaaaaaaaaaaaaab",
		"aaaaaaaab", "b", "\xff",
	};
	struct run_input_invoice	rows[10];
	struct model_invoice		out[10];
	size_t				idx[10], i, n = 10;

	for (i = 0; i < n; i++)
		rows[i] = by_id(ids[i], sup[i % NSUP].id, (int64_t)i);
	assert_int_equal(run_input_invoices(sup, NSUP, rows, n, out, idx), 0);
	for (i = 0; i < n; i++) {
		assert_string_equal(out[i].id, sorted[i]);
		/* ids[k] went to supplier k % NSUP, outstanding k. */
		assert_int_equal(idx[i], (size_t)out[i].outstanding % NSUP);
		assert_ptr_equal(out[i].supplier_id, sup[idx[i]].id);
	}
	assert_int_equal(run_input_invoices(sup, NSUP, rows, 0, out, idx), 0);
}

/*
 * Stored rows name the supplier by position, begun ones by id; either
 * way the invoice ends up with the supplier's own id and index.
 */
static void
suppliers_by_position_or_by_id(void **state)
{
	struct run_input_invoice	rows[4];
	struct model_invoice		out[4];
	size_t				idx[4];
	char				copy[8];

	rows[0] = by_position("x3", 3);
	rows[1] = by_position("x1", 1);
	rows[2] = by_position("x2", 2);
	assert_int_equal(run_input_invoices(sup, NSUP, rows, 3, out, idx), 0);
	assert_string_equal(out[0].id, "x1");
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 1);
	assert_int_equal(idx[2], 2);
	assert_ptr_equal(out[2].supplier_id, sup[2].id);

	/* By id, from a copy: grouped, then back to one seen before. */
	snprintf(copy, sizeof(copy), "%s", "S-9");
	rows[0] = by_id("y1", copy, 0);
	rows[1] = by_id("y2", copy, 0);
	rows[2] = by_id("y3", "s-1", 0);
	rows[3] = by_id("y4", "S-9", 0);
	assert_int_equal(run_input_invoices(sup, NSUP, rows, 4, out, idx), 0);
	assert_int_equal(idx[0], 1);
	assert_ptr_equal(out[0].supplier_id, sup[1].id);
	assert_int_equal(idx[2], 2);
	assert_int_equal(idx[3], 1);
}

static void
unknown_suppliers_refused(void **state)
{
	struct run_input_invoice	r;
	struct model_invoice		out;
	size_t				idx;
	const int64_t			bad[] = { 0, -1, NSUP + 1, INT64_MAX };
	size_t				i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = by_position("x", bad[i]);
		assert_int_equal(run_input_invoices(sup, NSUP, &r, 1, &out,
		    &idx), -1);
	}
	r = by_id("x", "S-1", 0);
	assert_int_equal(run_input_invoices(sup, NSUP, &r, 1, &out, &idx), -1);
	r = by_id("x", "S-9", 0);
	assert_int_equal(run_input_invoices(sup, 0, &r, 1, &out, &idx), -1);
}

/* The same id twice, for one supplier or two, by position or by id. */
static void
repeated_ids_refused(void **state)
{
	struct run_input_invoice	rows[3];
	struct model_invoice		out[3];
	size_t				idx[3];

	rows[0] = by_position("x1", 1);
	rows[1] = by_position("x1", 1);
	assert_int_equal(run_input_invoices(sup, NSUP, rows, 2, out, idx), -1);
	rows[0] = by_id("x2", "S-10", 0);
	rows[1] = by_id("x1", "S-10", 0);
	rows[2] = by_id("x2", "s-1", 0);
	assert_int_equal(run_input_invoices(sup, NSUP, rows, 3, out, idx), -1);
	/* Beyond the sort key's 16 bytes too. */
	rows[0] = by_id("aaaaaaaaaaaaaaaaaaaa", "S-10", 0);
	rows[1] = by_id("aaaaaaaaaaaaaaaaaaaa", "S-9", 0);
	assert_int_equal(run_input_invoices(sup, NSUP, rows, 2, out, idx), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(suppliers_in_id_order_only),
		cmocka_unit_test(invoices_in_id_order),
		cmocka_unit_test(suppliers_by_position_or_by_id),
		cmocka_unit_test(unknown_suppliers_refused),
		cmocka_unit_test(repeated_ids_refused),
	};

	return (cmocka_run_group_tests_name("run_input", tests, NULL, NULL));
}
