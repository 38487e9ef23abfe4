/*
 * Facility sizing's grid: the points model_size_facility gives, on one
 * thread or several, against a model made afresh for every limit of the
 * grid and run there, over random inputs: invoice and order basis, with
 * and without a per-supplier cap, with and without a supply link.
 * TIDEOVER_PROP_CASES sets how many random inputs it sees.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/model.h"

#define MAXS	10
#define MAXI	30

struct fx {
	struct model_supplier	 sup[MAXS];
	char			 sid[MAXS][8];
	struct model_invoice	 inv[MAXI];
	char			 iid[MAXI][8];
	int64_t			 ramp[8];
	struct model_link	 link[2];
	struct model_scheme	 scheme;
	struct model_input	 in;
};

static int64_t
between(uint64_t *s, int64_t lo, int64_t hi)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (lo + (int64_t)(*s % (uint64_t)(hi - lo + 1)));
}

static void
fx_random(struct fx *f, uint64_t seed)
{
	uint64_t		 s = seed * 2654435761ULL + 88172645463325252ULL;
	struct model_supplier	*p;
	struct model_scheme	*k = &f->scheme;
	size_t			 i, n;
	int64_t			 H;

	memset(f, 0, sizeof(*f));
	f->in.suppliers = f->sup;
	f->in.invoices = f->inv;
	f->in.scenario.start_date = 20000;
	H = between(&s, 5, 90);
	f->in.scenario.horizon_days = H;
	f->in.scenario.ramp_len = (size_t)between(&s, 0, 8);
	for (i = 0; i < f->in.scenario.ramp_len; i++)
		f->ramp[i] = between(&s, 0, 10000);
	f->in.scenario.ramp_bps = f->ramp;
	n = (size_t)between(&s, 2, MAXS);
	f->in.nsuppliers = n;
	for (i = 0; i < n; i++) {
		p = &f->sup[i];
		snprintf(f->sid[i], sizeof(f->sid[i]), "S%02d", (int)i);
		p->id = f->sid[i];
		p->tier = between(&s, 1, 3);
		p->employees = between(&s, 0, 300);
		p->cash = between(&s, -200000, 3000000);
		p->fixed_daily_costs = between(&s, 0, 80000);
		p->oem_daily_sales = between(&s, 0, 3) ?
		    between(&s, 0, 200000) : 0;
		p->variable_cost_bps = between(&s, 0, 10000);
		p->payment_terms_days = between(&s, 0, 60);
		p->scheme_opt_in = (int)between(&s, 0, 1);
	}
	f->in.ninvoices = (size_t)between(&s, 0, MAXI);
	for (i = 0; i < f->in.ninvoices; i++) {
		snprintf(f->iid[i], sizeof(f->iid[i]), "I%03d", (int)i);
		f->inv[i].id = f->iid[i];
		f->inv[i].supplier_id = f->sid[between(&s, 0, (int64_t)n - 1)];
		f->inv[i].outstanding = between(&s, 1, 800000);
		f->inv[i].due_date = f->in.scenario.start_date +
		    (int32_t)between(&s, -5, H + 10);
	}
	f->in.scheme = k;
	k->effective_from = f->in.scenario.start_date;
	k->payment_lag_days = between(&s, 0, 3);
	k->advance_rate_bps = between(&s, 1, 10000);
	k->annual_rate_bps = between(&s, 0, 20000);
	k->day_count_basis = 365;
	k->fee_bearer = between(&s, 0, 1) ? MODEL_FEE_OEM : MODEL_FEE_SUPPLIER;
	k->eligible_tiers = 0xeU;
	if (between(&s, 0, 2) == 0) {
		k->has_per_supplier_cap = 1;
		k->per_supplier_cap = between(&s, 0, 1000000);
	}
	/* A link, seller S01 to customer S00: the network's engine. */
	if (between(&s, 0, 2) == 0) {
		f->link[0].supplier_id = f->sid[1];
		f->link[0].customer_id = f->sid[0];
		f->link[0].daily_sales = between(&s, 1, 100000);
		f->link[0].payment_terms_days = between(&s, 0, 45);
		f->in.links = f->link;
		f->in.nlinks = 1;
	} else if (between(&s, 0, 1) == 0) {
		k->basis = MODEL_BASIS_ORDER;
		k->has_order_lead_days = 1;
		k->order_lead_days = between(&s, 0, 20);
		k->has_true_up_lag_days = 1;
		k->true_up_lag_days = between(&s, 0, 5);
	}
}

/* The point at one limit, from a model of its own. */
static void
fresh_point(const struct fx *f, int64_t L, int64_t limit,
    struct model_point *pt)
{
	struct model_result	 res[MAXS];
	struct model_scheme	 sch = f->scheme;
	struct model_input	 in = f->in;
	struct model_error	 e;
	struct model_opts	 o;
	struct model		*m;

	memset(&o, 0, sizeof(o));
	o.threads = 1;
	sch.has_facility_limit = 1;
	sch.facility_limit = limit;
	in.scheme = &sch;
	assert_non_null(m = model_alloc(&in, &o, &e));
	assert_int_equal(model_run(m, L, res, pt, &e), 0);
	model_free(m);
}

static int
cases(void)
{
	const char	*s = getenv("TIDEOVER_PROP_CASES");

	return (s != NULL && atoi(s) > 0 ? atoi(s) : 200);
}

static void
grid_is_a_fresh_model_per_limit_on_any_threads(void **state)
{
	static const int	 threads[] = { 1, 2, 3, 0 };
	struct model_sizing_point pts[4][41];
	struct model_sizing	 z[4];
	struct model_point	 ref;
	struct model_error	 e;
	struct model_opts	 o;
	struct fx		 f;
	int64_t			 L, K, k;
	int			 i, t, n = cases(), bound = 0, net = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		fx_random(&f, (uint64_t)i + 1);
		L = (int64_t)(i % (f.in.scenario.horizon_days + 1));
		K = 1 + i % 40;
		for (t = 0; t < 4; t++) {
			memset(&o, 0, sizeof(o));
			o.threads = threads[t];
			assert_int_equal(model_size_facility(&f.in, &o, L, K,
			    i % 2, i % 3, pts[t], &z[t], &e), 0);
			assert_memory_equal(&z[t], &z[0], sizeof(z[0]));
			assert_memory_equal(pts[t], pts[0],
			    (size_t)(K + 1) * sizeof(pts[0][0]));
		}
		for (k = 0; k <= K; k++) {
			fresh_point(&f, L, pts[0][k].facility_limit, &ref);
			assert_memory_equal(&pts[0][k].point, &ref,
			    sizeof(ref));
		}
		assert_int_equal(pts[0][K].facility_limit, z[0].uncapped_peak);
		if (pts[0][0].point.early_paid != pts[0][K].point.early_paid) {
			bound++;
			net += f.in.nlinks > 0;
		}
	}
	/* The limit binds in many cases, on the network too. */
	assert_true(bound >= n / 4);
	assert_true(net > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grid_is_a_fresh_model_per_limit_on_any_threads),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
