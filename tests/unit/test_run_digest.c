/*
 * inputs_digest's canonical encoding, byte for byte (golden values taken
 * from the encoder as it was in src/store/store_runs.c: a stored run's
 * digest must never change by accident, and reordering two fields must
 * fail here), and its BLAKE2b-256, however the bytes come in blocks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/run_digest.h"
#include "core/run_input.h"
#include "crypto/digest.h"

/*
 * Two suppliers (names with a tab, a newline, a carriage return and a
 * backslash), three invoices, a scheme with both caps and no
 * max_employees, a ramp and two announcements.
 */
static const char golden[] =
    "tideover-stress-inputs\t1\n"
    "scenario\tjlr-2025\t2025-09-01\t90\t2500,5000,10000\t14\t2500\n"
    "announcement\t2025-09-01\t2025-09-22\n"
    "announcement\t2025-09-20\t2025-10-06\n"
    "scheme\tjlr-restart\t2025-09-08\t2\t9000\t800\t365\toem\t1,2\t-"
    "\t100000\t1\t5000000\t20000000\n"
    "supplier\tS-A\tAlpha\\tCastings\t1\tWest Midlands\t"
    "castings\\\\forge\t120\t250000\t100000\t50000\t8000\t30000\t6000"
    "\t1000\t30\t1\n"
    "supplier\tS-B\tBeta\\nPress\\r\t3\tNorth East\tpressings\t14"
    "\t-150000\t0\t0\t2500\t9000\t7000\t0\t60\t0\n"
    "invoice\tI-1\tS-B\t125000\t2025-09-09\n"
    "invoice\tI-2\tS-A\t99999\t2025-09-24\n"
    "invoice\tI-3\tS-A\t400000\t2025-10-02\n";
static const char golden_hex[] =
    "f744c3a69e126d2af89243b1dd8589891a27676969f869bea396f628f86be956";

/* The same scenario without a scheme, suppliers or announcements. */
static const char bare[] =
    "tideover-stress-inputs\t1\n"
    "scenario\tjlr-2025\t2025-09-01\t90\t-\t14\t2500\n"
    "scheme\t-\n";
static const char bare_hex[] =
    "b204f13ee180ddd5a03558b7a9e7da7c673027f5f6db62de067249c440de7640";

/*
 * The first fixture on a network: two links (S-B sells to S-A, and back),
 * its scheme covering link invoices too. Everything before is the golden
 * bytes unchanged; what the network adds comes after, in record lines of
 * its own.
 */
static const char network_tail[] =
    "scheme-covers\tall\n";
static const char network_links[] =
    "link\tS-A\tS-B\t0\t0\n"
    "link\tS-B\tS-A\t7500\t45\n";

struct fixture {
	struct model_input		in;
	struct model_scheme		scheme;
	struct model_supplier		sup[2];
	struct model_invoice		inv[3];
	struct model_link		link[2];
	int64_t				ramp[3];
	struct run_announcement		ann[2];
	const char			*names[2];
	const char			*regions[2];
	const char			*sectors[2];
	struct run_digest_input		d;
};

static int32_t
day(const char *s)
{
	int32_t	d;

	assert_int_equal(date_parse(s, &d), 0);
	return (d);
}

static void
supplier(struct model_supplier *s, const char *id, int64_t tier,
    int64_t employees, int64_t cash)
{
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->tier = tier;
	s->employees = employees;
	s->cash = cash;
}

static void
invoice(struct model_invoice *v, const char *id, const char *sup,
    int64_t outstanding, const char *due)
{
	v->id = id;
	v->supplier_id = sup;
	v->outstanding = outstanding;
	v->due_date = day(due);
}

static void
fixture_init(struct fixture *f)
{
	struct model_supplier	*a = &f->sup[0], *b = &f->sup[1];

	memset(f, 0, sizeof(*f));
	f->in.scenario.start_date = day("2025-09-01");
	f->in.scenario.horizon_days = 90;
	f->ramp[0] = 2500;
	f->ramp[1] = 5000;
	f->ramp[2] = 10000;
	f->in.scenario.ramp_bps = f->ramp;
	f->in.scenario.ramp_len = 3;
	f->in.scenario.payment_freeze_days = 14;
	f->in.scenario.fixed_cost_relief_bps = 2500;
	snprintf(f->ann[0].announced_on, sizeof(f->ann[0].announced_on),
	    "2025-09-01");
	snprintf(f->ann[0].restart_date, sizeof(f->ann[0].restart_date),
	    "2025-09-22");
	snprintf(f->ann[1].announced_on, sizeof(f->ann[1].announced_on),
	    "2025-09-20");
	snprintf(f->ann[1].restart_date, sizeof(f->ann[1].restart_date),
	    "2025-10-06");

	f->scheme.effective_from = day("2025-09-08");
	f->scheme.payment_lag_days = 2;
	f->scheme.advance_rate_bps = 9000;
	f->scheme.annual_rate_bps = 800;
	f->scheme.day_count_basis = 365;
	f->scheme.fee_bearer = MODEL_FEE_OEM;
	f->scheme.eligible_tiers = (1U << 2) | (1U << 1);
	f->scheme.min_invoice_amount = 100000;
	f->scheme.requires_opt_in = 1;
	f->scheme.has_per_supplier_cap = 1;
	f->scheme.per_supplier_cap = 5000000;
	f->scheme.has_facility_limit = 1;
	f->scheme.facility_limit = 20000000;
	f->in.scheme = &f->scheme;

	supplier(a, "S-A", 1, 120, 250000);
	a->credit_available = 100000;
	a->min_liquidity = 50000;
	a->fixed_daily_costs = 8000;
	a->oem_daily_sales = 30000;
	a->variable_cost_bps = 6000;
	a->other_daily_receipts = 1000;
	a->payment_terms_days = 30;
	a->scheme_opt_in = 1;
	supplier(b, "S-B", 3, 14, -150000);
	b->fixed_daily_costs = 2500;
	b->oem_daily_sales = 9000;
	b->variable_cost_bps = 7000;
	b->payment_terms_days = 60;
	f->names[0] = "Alpha\tCastings";
	f->names[1] = "Beta\nPress\r";
	f->regions[0] = "West Midlands";
	f->regions[1] = "North East";
	f->sectors[0] = "castings\\forge";
	f->sectors[1] = "pressings";
	f->in.suppliers = f->sup;
	f->in.nsuppliers = 2;

	invoice(&f->inv[0], "I-1", "S-B", 125000, "2025-09-09");
	invoice(&f->inv[1], "I-2", "S-A", 99999, "2025-09-24");
	invoice(&f->inv[2], "I-3", "S-A", 400000, "2025-10-02");
	f->in.invoices = f->inv;
	f->in.ninvoices = 3;

	f->d.in = &f->in;
	f->d.scenario_id = "jlr-2025";
	f->d.scheme_id = "jlr-restart";
	f->d.names = f->names;
	f->d.regions = f->regions;
	f->d.sectors = f->sectors;
	f->d.announcements = f->ann;
	f->d.nannouncements = 2;
}

/* A sink that keeps the bytes, and counts the blocks. */
struct kept {
	struct buf	 b;
	int		 blocks;
	int		 split;		/* a block not ending a line */
};

static void
keep(void *arg, const void *p, size_t len)
{
	struct kept	*k = arg;

	buf_append(&k->b, p, len);
	k->blocks++;
	if (len == 0 || ((const char *)p)[len - 1] != '\n')
		k->split = 1;
}

static void
encoded(const struct run_digest_input *d, struct kept *k)
{
	memset(k, 0, sizeof(*k));
	buf_init(&k->b);
	run_digest_encode(d, keep, k);
	buf_append(&k->b, "", 1);
}

static void
golden_bytes(void **state)
{
	struct fixture	f;
	struct kept	k;
	char		hex[RUN_DIGEST_HEX];

	fixture_init(&f);
	encoded(&f.d, &k);
	assert_int_equal(k.b.len - 1, sizeof(golden) - 1);
	assert_string_equal(k.b.data, golden);
	assert_int_equal(k.blocks, 1);
	buf_cleanup(&k.b);
	digest_run_input(&f.d, hex);
	assert_string_equal(hex, golden_hex);
}

/* The network's records; without them, the version 1 bytes exactly. */
static void
golden_bytes_with_links(void **state)
{
	struct fixture	 f;
	struct kept	 k;
	struct buf	 want;
	const char	*scheme_end;
	char		 hex[RUN_DIGEST_HEX];

	fixture_init(&f);
	f.link[0] = (struct model_link){ "S-A", "S-B", 0, 0 };
	f.link[1] = (struct model_link){ "S-B", "S-A", 7500, 45 };
	f.in.links = f.link;
	f.in.nlinks = 2;
	f.scheme.covers = MODEL_COVERS_ALL;
	buf_init(&want);
	scheme_end = strstr(golden, "supplier\t");
	buf_append(&want, golden, (size_t)(scheme_end - golden));
	buf_puts(&want, network_tail);
	buf_puts(&want, scheme_end);
	buf_puts(&want, network_links);
	buf_append(&want, "", 1);
	encoded(&f.d, &k);
	assert_string_equal(k.b.data, want.data);
	buf_cleanup(&k.b);
	buf_cleanup(&want);
	digest_run_input(&f.d, hex);
	/* hashlib.blake2b(bytes, digest_size=32) of the bytes above. */
	assert_string_equal(hex,
	    "9cde55bef87fc7f809dd488abb42ee0c5908bc9db78a06014e2db8493d3da97f");
}

/*
 * An order-basis scheme adds its record after the scheme's; the scheme
 * line itself, and every invoice-basis run's bytes, are unchanged.
 */
static void
golden_bytes_with_order_basis(void **state)
{
	struct fixture	 f;
	struct kept	 k;
	struct buf	 want;
	const char	*scheme_end;
	char		 hex[RUN_DIGEST_HEX];

	(void)state;
	fixture_init(&f);
	f.scheme.basis = MODEL_BASIS_ORDER;
	f.scheme.has_order_lead_days = 1;
	f.scheme.order_lead_days = 14;
	f.scheme.has_true_up_lag_days = 1;
	f.scheme.true_up_lag_days = 1;
	buf_init(&want);
	scheme_end = strstr(golden, "supplier\t");
	buf_append(&want, golden, (size_t)(scheme_end - golden));
	buf_puts(&want, "scheme-basis\torder\t14\t1\n");
	buf_puts(&want, scheme_end);
	buf_append(&want, "", 1);
	encoded(&f.d, &k);
	assert_string_equal(k.b.data, want.data);
	buf_cleanup(&k.b);
	buf_cleanup(&want);
	digest_run_input(&f.d, hex);
	/* hashlib.blake2b(bytes, digest_size=32) of the bytes above. */
	assert_string_equal(hex,
	    "5924487b2f021736f9d66538ce7a2b0fd5adc0a82aa5bc56b7c3e6b5473b6558");
}

/*
 * Outage probabilities add a record per length after the announcements,
 * by length ascending whatever the order given; a scenario without them
 * writes none, so every run made before has its digest.
 */
static void
golden_bytes_with_outage_probabilities(void **state)
{
	static const struct model_outage_prob	 pr[] = {
		{ 35, 4000 }, { 0, 500 }, { 21, 5500 },
	};
	struct fixture	 f;
	struct kept	 k;
	struct buf	 want;
	const char	*scheme_at;
	char		 hex[RUN_DIGEST_HEX];

	(void)state;
	fixture_init(&f);
	f.d.prob = pr;
	f.d.nprob = 3;
	buf_init(&want);
	scheme_at = strstr(golden, "scheme\t");
	buf_append(&want, golden, (size_t)(scheme_at - golden));
	buf_puts(&want, "outage-probability\t0\t500\n"
	    "outage-probability\t21\t5500\n"
	    "outage-probability\t35\t4000\n");
	buf_puts(&want, scheme_at);
	buf_append(&want, "", 1);
	encoded(&f.d, &k);
	assert_string_equal(k.b.data, want.data);
	buf_cleanup(&k.b);
	buf_cleanup(&want);
	digest_run_input(&f.d, hex);
	/* hashlib.blake2b(bytes, digest_size=32) of the bytes above. */
	assert_string_equal(hex,
	    "7bcdfcdd39ddc2f174e289302dba6263a4aab3eec1c05ec1e3023feb2beee9ad");

	/* None: the golden bytes. */
	f.d.prob = NULL;
	f.d.nprob = 0;
	digest_run_input(&f.d, hex);
	assert_string_equal(hex, golden_hex);
}

static void
golden_bytes_without_scheme(void **state)
{
	struct fixture	f;
	struct kept	k;
	char		hex[RUN_DIGEST_HEX];

	fixture_init(&f);
	f.in.scheme = NULL;
	f.in.scenario.ramp_len = 0;
	f.in.nsuppliers = 0;
	f.in.ninvoices = 0;
	f.d.nannouncements = 0;
	/* The scheme's id counts only with the scheme. */
	encoded(&f.d, &k);
	assert_string_equal(k.b.data, bare);
	buf_cleanup(&k.b);
	digest_run_input(&f.d, hex);
	assert_string_equal(hex, bare_hex);
}

/* Absent is "-"; an empty text and no tier at all are "", not absent. */
static void
absent_empty_and_extremes(void **state)
{
	struct fixture	f;
	struct kept	k;

	fixture_init(&f);
	f.in.nsuppliers = 1;
	f.in.ninvoices = 0;
	f.d.nannouncements = 0;
	f.d.scenario_id = "";
	f.names[0] = NULL;
	f.sectors[0] = "";
	f.sup[0].cash = INT64_MIN;
	f.sup[0].credit_available = INT64_MAX;
	f.scheme.eligible_tiers = 0;
	f.scheme.has_max_employees = 1;
	f.scheme.max_employees = 0;
	f.scheme.has_per_supplier_cap = 0;
	f.scheme.fee_bearer = MODEL_FEE_SUPPLIER;
	f.scheme.requires_opt_in = 7;
	encoded(&f.d, &k);
	assert_string_equal(k.b.data,
	    "tideover-stress-inputs\t1\n"
	    "scenario\t\t2025-09-01\t90\t2500,5000,10000\t14\t2500\n"
	    "scheme\tjlr-restart\t2025-09-08\t2\t9000\t800\t365\tsupplier\t"
	    "\t0\t100000\t1\t-\t20000000\n"
	    "supplier\tS-A\t-\t1\tWest Midlands\t\t120"
	    "\t-9223372036854775808\t9223372036854775807\t50000\t8000"
	    "\t30000\t6000\t1000\t30\t1\n");
	buf_cleanup(&k.b);
}

/*
 * A large input goes to the sink in several blocks, each of whole
 * lines, and hashes as the one string they make.
 */
static void
blocks_hash_as_one(void **state)
{
	struct fixture		 f;
	struct model_invoice	*v;
	struct kept		 k;
	unsigned char		 h[crypto_generichash_BYTES];
	char			 hex[RUN_DIGEST_HEX], want[RUN_DIGEST_HEX];
	char			(*ids)[16];
	size_t			 i, n = 20000;

	fixture_init(&f);
	if ((v = calloc(n, sizeof(*v))) == NULL ||
	    (ids = calloc(n, sizeof(*ids))) == NULL)
		fail();
	for (i = 0; i < n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "I-%06zu", i);
		invoice(&v[i], ids[i], "S-A", (int64_t)i + 1, "2025-10-02");
	}
	f.in.invoices = v;
	f.in.ninvoices = n;
	encoded(&f.d, &k);
	assert_true(k.blocks > 1);
	assert_false(k.split);
	assert_non_null(strstr(k.b.data, "invoice\tI-019999\tS-A\t20000\t"
	    "2025-10-02\n"));
	crypto_generichash(h, sizeof(h), (const unsigned char *)k.b.data,
	    k.b.len - 1, NULL, 0);
	sodium_bin2hex(want, sizeof(want), h, sizeof(h));
	digest_run_input(&f.d, hex);
	assert_string_equal(hex, want);
	buf_cleanup(&k.b);
	free(ids);
	free(v);
}

/*
 * The loader's order is the encoding's: the same invoices given out of
 * order, by supplier id, come out as the golden bytes.
 */
static void
loader_order_gives_the_golden_bytes(void **state)
{
	struct fixture			f;
	struct run_input_invoice	rows[3];
	struct model_invoice		out[3];
	size_t				sup[3];
	struct kept			k;

	fixture_init(&f);
	memset(rows, 0, sizeof(rows));
	rows[0].v = f.inv[2];
	rows[1].v = f.inv[0];
	rows[2].v = f.inv[1];
	assert_int_equal(run_input_suppliers(f.sup, 2), 0);
	assert_int_equal(run_input_invoices(f.sup, 2, rows, 3, out, sup), 0);
	f.in.invoices = out;
	encoded(&f.d, &k);
	assert_string_equal(k.b.data, golden);
	buf_cleanup(&k.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_bytes),
		cmocka_unit_test(golden_bytes_without_scheme),
		cmocka_unit_test(golden_bytes_with_links),
		cmocka_unit_test(golden_bytes_with_order_basis),
		cmocka_unit_test(golden_bytes_with_outage_probabilities),
		cmocka_unit_test(absent_empty_and_extremes),
		cmocka_unit_test(blocks_hash_as_one),
		cmocka_unit_test(loader_order_gives_the_golden_bytes),
	};

	return (cmocka_run_group_tests_name("run_digest", tests, NULL, NULL));
}
