/*
 * Stress runs (see store_runs.h): queries, and the decoding of a run's
 * snapshot rows, which core/run_input.c puts together.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/run_input.h"
#include "core/scheme.h"
#include "store/store.h"
#include "store/store_runs.h"
#include "store/store_scenarios.h"

/* Orders a null breach day after every day a horizon can hold. */
#define NO_BREACH_KEY	INT64_C(2147483647)

#define RUN_COLUMNS \
	"r.id, r.scenario_id, r.scheme_id, r.max_outage_days, " \
	STORE_TS("r.created_at") ", r.inputs_digest, r.published, " \
	"r.curve::text, r.announcements::text, " \
	"to_char(r.start_date, 'YYYY-MM-DD'), r.horizon_days, " \
	"array_to_string(r.ramp_bps, ','), r.payment_freeze_days, " \
	"r.fixed_cost_relief_bps, to_char(r.s_effective_from, 'YYYY-MM-DD'), " \
	"r.s_payment_lag_days, r.s_advance_rate_bps, r.s_annual_rate_bps, " \
	"r.s_day_count_basis, r.s_fee_bearer, " \
	"array_to_string(r.s_eligible_tiers, ','), r.s_max_employees, " \
	"r.s_min_invoice_amount, r.s_requires_opt_in, r.s_per_supplier_cap, " \
	"r.s_facility_limit, (SELECT string_agg((x.a ->> 'announced_on') " \
	"|| ',' || (x.a ->> 'restart_date'), ';' ORDER BY x.o) " \
	"FROM jsonb_array_elements(r.announcements) WITH ORDINALITY " \
	"AS x(a, o)), r.s_covers, r.s_basis, r.s_order_lead_days, " \
	"r.s_true_up_lag_days, " \
	STORE_SCENARIO_PROBS("r.outage_probabilities") ", " \
	"(SELECT x.expected::text FROM stress_run_results x " \
	"WHERE x.run_id = r.id)"
#define RUN_NCOLS	33

/*
 * Start a run: copies the inputs and answers with the invoices it copied
 * (see stress_run_begin); store_run_begin_id reads the new run's id. The
 * rows are the invoice rows store_run_input_load takes.
 */
void
store_run_begin(struct db_query *q, const char *scenario, const char *scheme,
    int64_t max)
{
	db_query_init(q, "SELECT o_supplier_id, o_invoice_id, o_outstanding, "
	    "o_due_day, o_run_id FROM stress_run_begin($1, $2, $3)");
	db_query_text(q, scenario);
	db_query_text(q, scheme);
	db_query_int64(q, max);
}

int
store_run_begin_id(const struct db_rows *r, int64_t *id)
{
	if (r->ncols != 5 || r->nrows < 1 || db_rows_get(r, 0, 0) != NULL)
		return (-1);
	return (db_rows_int64(r, 0, 4, id));
}

/* One run; finished_only hides a run whose request never completed. */
void
store_run_get(struct db_query *q, int64_t id, int finished_only)
{
	db_query_init(q, "SELECT " RUN_COLUMNS " FROM stress_runs r "
	    "WHERE r.id = $1 AND (NOT $2 OR r.finished_at IS NOT NULL)");
	db_query_int64(q, id);
	db_query_bool(q, finished_only);
}

/* Finished runs, newest (highest id) first, below `before` (0: all). */
void
store_run_list(struct db_query *q, int64_t before, int limit)
{
	db_query_init(q, "SELECT " RUN_COLUMNS " FROM stress_runs r "
	    "WHERE r.finished_at IS NOT NULL AND "
	    "($1::bigint = 0 OR r.id < $1::bigint) "
	    "ORDER BY r.id DESC LIMIT $2");
	db_query_int64(q, before);
	db_query_int64(q, limit);
}

static int
opt_int64(const struct db_rows *r, int row, int col, int *has, int64_t *v)
{
	*v = 0;
	*has = db_rows_get(r, row, col) != NULL;
	return (*has ? db_rows_int64(r, row, col, v) : 0);
}

int
store_run_decode(const struct db_rows *r, int row, struct store_run *run)
{
	int	has;

	memset(run, 0, sizeof(*run));
	if (r->ncols != RUN_NCOLS || row >= r->nrows)
		return (-1);
	run->scenario_id = db_rows_get(r, row, 1);
	run->scheme_id = db_rows_get(r, row, 2);
	run->created_at = db_rows_get(r, row, 4);
	run->inputs_digest = db_rows_get(r, row, 5);
	run->published = db_rows_bool(r, row, 6);
	run->curve = db_rows_get(r, row, 7);
	run->announcements = db_rows_get(r, row, 8);
	run->start_date = db_rows_get(r, row, 9);
	run->ramp_bps = db_rows_get(r, row, 11);
	run->announced = db_rows_get(r, row, 26);
	run->outage_probabilities = db_rows_get(r, row, 31);
	run->expected = db_rows_get(r, row, 32);
	if (db_rows_int64(r, row, 0, &run->id) == -1 ||
	    db_rows_int64(r, row, 3, &run->max_outage_days) == -1 ||
	    db_rows_int64(r, row, 10, &run->horizon_days) == -1 ||
	    db_rows_int64(r, row, 12, &run->payment_freeze_days) == -1 ||
	    db_rows_int64(r, row, 13, &run->fixed_cost_relief_bps) == -1 ||
	    run->scenario_id == NULL || run->created_at == NULL ||
	    run->announcements == NULL || run->start_date == NULL ||
	    run->ramp_bps == NULL)
		return (-1);
	if (run->scheme_id == NULL)
		return (0);
	run->s_effective_from = db_rows_get(r, row, 14);
	run->s_fee_bearer = db_rows_get(r, row, 19);
	run->s_eligible_tiers = db_rows_get(r, row, 20);
	run->s_requires_opt_in = db_rows_bool(r, row, 23);
	run->s_covers = db_rows_get(r, row, 27);	/* NULL before links */
	run->s_basis = db_rows_get(r, row, 28);		/* NULL before orders */
	if (run->s_effective_from == NULL || run->s_fee_bearer == NULL ||
	    run->s_eligible_tiers == NULL ||
	    db_rows_int64(r, row, 15, &run->s_payment_lag_days) == -1 ||
	    db_rows_int64(r, row, 16, &run->s_advance_rate_bps) == -1 ||
	    db_rows_int64(r, row, 17, &run->s_annual_rate_bps) == -1 ||
	    db_rows_int64(r, row, 18, &run->s_day_count_basis) == -1 ||
	    opt_int64(r, row, 21, &run->s_has_max_employees,
	    &run->s_max_employees) == -1 ||
	    opt_int64(r, row, 22, &has, &run->s_min_invoice_amount) == -1 ||
	    opt_int64(r, row, 24, &run->s_has_per_supplier_cap,
	    &run->s_per_supplier_cap) == -1 ||
	    opt_int64(r, row, 25, &run->s_has_facility_limit,
	    &run->s_facility_limit) == -1 ||
	    opt_int64(r, row, 29, &run->s_has_order_lead_days,
	    &run->s_order_lead_days) == -1 ||
	    opt_int64(r, row, 30, &run->s_has_true_up_lag_days,
	    &run->s_true_up_lag_days) == -1)
		return (-1);
	return (0);
}

/*
 * Columns in the order store_run_input_load reads them, by position n,
 * which is id order (bytes): element i of every results array.
 */
void
store_run_inputs_suppliers(struct db_query *q, int64_t id)
{
	db_query_init(q, "SELECT supplier_id, name, tier, region, sector, "
	    "employees, cash, credit_available, min_liquidity, "
	    "fixed_daily_costs, oem_daily_sales, variable_cost_bps, "
	    "other_daily_receipts, payment_terms_days, scheme_opt_in "
	    "FROM stress_run_inputs_suppliers WHERE run_id = $1 ORDER BY n");
	db_query_int64(q, id);
}

/*
 * A row per invoice as stored: its supplier's position n (1..), id, what
 * is outstanding, and the due date as a day number (days since
 * 1970-01-01, as date_parse).
 */
void
store_run_inputs_invoices(struct db_query *q, int64_t id)
{
	db_query_init(q, "SELECT x.n, x.id, x.amount, "
	    "x.due - DATE '1970-01-01' "
	    "FROM stress_run_inputs_invoices i, unnest(i.supplier_n, "
	    "i.invoice_ids, i.outstanding, i.due_dates) AS x(n, id, amount, due) "
	    "WHERE i.run_id = $1");
	db_query_int64(q, id);
}

/*
 * A row per link as stored: the seller's and the customer's positions n
 * (1..), daily sales and terms; no row for a run without links.
 */
void
store_run_inputs_links(struct db_query *q, int64_t id)
{
	db_query_init(q, "SELECT x.s, x.c, x.d, x.t "
	    "FROM stress_run_inputs_links l, unnest(l.supplier_n, l.customer_n, "
	    "l.daily_sales, l.payment_terms_days) AS x(s, c, d, t) "
	    "WHERE l.run_id = $1");
	db_query_int64(q, id);
}

/* The invoices in id order, with their suppliers' positions (1..). */
static void
invoices_columns(struct db_query *q, const struct store_run_input *in)
{
	const struct model_invoice	*v;
	struct db_binarray		 sup, ids, amounts, dues;
	size_t				 i, n = in->in.ninvoices;

	db_binarray_begin(&sup, DB_OID_INT4, n);
	db_binarray_begin(&ids, DB_OID_TEXT, n);
	db_binarray_begin(&amounts, DB_OID_INT8, n);
	db_binarray_begin(&dues, DB_OID_DATE, n);
	for (i = 0; i < n; i++) {
		v = &in->invoices[i];
		db_binarray_int(&sup, in->invoice_supplier[i] + 1);
		db_binarray_text(&ids, v->id);
		db_binarray_int(&amounts, v->outstanding);
		db_binarray_date(&dues, v->due_date);
	}
	db_query_binarray(q, &sup, 0);
	db_query_binarray(q, &ids, 0);
	db_query_binarray(q, &amounts, 0);
	db_query_binarray(q, &dues, 0);
}

/* One results figure as [supplier][outage length]. */
static void
results_column(struct db_query *q, const struct store_run_results *res,
    size_t off, uint32_t oid, int nullable)
{
	const struct model_result	*m;
	struct db_binarray		 a;
	size_t				 i, n, nl, L;
	int64_t				 v;

	n = res->input->in.nsuppliers;
	nl = (size_t)res->max_outage_days + 1;
	db_binarray_begin(&a, oid, n * nl);
	for (i = 0; i < n; i++) {
		for (L = 0; L < nl; L++) {
			m = &res->results[L * n + i];
			memcpy(&v, (const char *)m + off, sizeof(v));
			if (nullable && v == MODEL_NONE)
				db_binarray_null(&a);
			else
				db_binarray_int(&a, v);
		}
	}
	db_query_binarray(q, &a, n);
}

void
store_run_finish(struct db_query *q, const struct store_run_results *res)
{
	static const struct {
		size_t		off;
		uint32_t	oid;
		int		nullable;
	} cols[] = {
		{ offsetof(struct model_result, breach_day), DB_OID_INT4, 1 },
		{ offsetof(struct model_result, lowest_liquidity),
		    DB_OID_INT8, 0 },
		{ offsetof(struct model_result, lowest_liquidity_day),
		    DB_OID_INT4, 0 },
		{ offsetof(struct model_result, funding_gap), DB_OID_INT8, 0 },
		{ offsetof(struct model_result, early_paid), DB_OID_INT8, 0 },
		{ offsetof(struct model_result, fees), DB_OID_INT8, 0 },
	};
	static const struct {
		size_t		off;
		uint32_t	oid;
	} net[] = {
		{ offsetof(struct model_result, contagion), DB_OID_INT4 },
		{ offsetof(struct model_result, overdue_receivables),
		    DB_OID_INT8 },
		{ offsetof(struct model_result, overdue_payables), DB_OID_INT8 },
	};
	struct db_binarray	breaks, bps;
	size_t			i;

	db_query_init(q, "SELECT stress_run_finish($1, $2, $3::jsonb, "
	    "$4::integer[], $5::integer[], $6::bigint[], $7::integer[], "
	    "$8::bigint[], $9::bigint[], $10::bigint[], "
	    "$11::integer[]::boolean[], $12::bigint[], $13::bigint[], "
	    "$14::jsonb, $15::integer[], $16, $17, decode($18, 'hex'), $19, "
	    "$20)");
	db_query_int64(q, res->id);
	db_query_text(q, res->digest);
	db_query_text(q, res->curve);
	db_binarray_begin(&breaks, DB_OID_INT4, res->input->in.nsuppliers);
	for (i = 0; i < res->input->in.nsuppliers; i++) {
		if (res->breaks[i] == MODEL_NONE)
			db_binarray_null(&breaks);
		else
			db_binarray_int(&breaks, res->breaks[i]);
	}
	db_query_binarray(q, &breaks, 0);
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		results_column(q, res, cols[i].off, cols[i].oid,
		    cols[i].nullable);
	/* The network's results, or NULL for a run without links. */
	for (i = 0; i < sizeof(net) / sizeof(net[0]); i++) {
		if (res->input->in.nlinks > 0)
			results_column(q, res, net[i].off, net[i].oid, 0);
		else
			db_query_text(q, NULL);
	}
	/* The outage probabilities' figures, or NULL without them. */
	if (res->expected != NULL) {
		db_query_text(q, res->expected);
		db_binarray_begin(&bps, DB_OID_INT4, res->input->in.nsuppliers);
		for (i = 0; i < res->input->in.nsuppliers; i++)
			db_binarray_int(&bps, res->breach_bps[i]);
		db_query_binarray(q, &bps, 0);
	} else {
		db_query_text(q, NULL);
		db_query_text(q, NULL);
	}
	db_query_text(q, res->key_id);
	db_query_text(q, res->idem_key);
	db_query_text(q, res->idem_key != NULL ? res->request_hash : NULL);
	db_query_int64(q, res->status);
	db_query_text(q, res->response);
}

/* The invoices the run was begun with, stored while the engine runs. */
void
store_run_keep_invoices(struct db_query *q, int64_t id,
    const struct store_run_input *in)
{
	db_query_init(q, "SELECT stress_run_keep_invoices($1, $2::integer[], "
	    "$3::text[], $4::bigint[], $5::date[])");
	db_query_int64(q, id);
	invoices_columns(q, in);
}

void
store_run_publish(struct db_query *q, int64_t id)
{
	db_query_init(q, "SELECT p FROM stress_run_publish($1) AS p");
	db_query_int64(q, id);
}

/*
 * The report for outage length L, in one of two orders, each a sort key
 * k then the supplier id (bytes); the page starts after (after_key,
 * after_id). By breach day, k is the day, none last (2^31 - 1); by
 * breach probability, k is 10000 less it, highest first (10001 when the
 * run has no probabilities: the order is then the ids').
 */
void
store_run_suppliers(struct db_query *q, int64_t id, int64_t L, int below,
    int contagion, enum store_run_sort sort, int64_t after_key,
    const char *after_id, int limit)
{
	db_query_init(q, "SELECT i.supplier_id, i.name, i.tier, i.region, "
	    "i.sector, i.employees, x.bd, "
	    "to_char(s.start_date + x.bd, 'YYYY-MM-DD'), x.ll, x.lld, "
	    "to_char(s.start_date + x.lld, 'YYYY-MM-DD'), x.g, x.e, x.f, x.b, "
	    "coalesce(x.ct, false), coalesce(x.orc, 0), coalesce(x.opy, 0), "
	    "x.bp "
	    "FROM stress_runs s JOIN stress_run_results r ON r.run_id = s.id, "
	    "unnest(r.breach_day[:][$2 + 1:$2 + 1], "
	    "r.lowest_liquidity[:][$2 + 1:$2 + 1], "
	    "r.lowest_liquidity_day[:][$2 + 1:$2 + 1], "
	    "r.funding_gap[:][$2 + 1:$2 + 1], r.early_paid[:][$2 + 1:$2 + 1], "
	    "r.fees[:][$2 + 1:$2 + 1], s.breaks_at_outage_days, "
	    "r.contagion[:][$2 + 1:$2 + 1], "
	    "r.overdue_receivables[:][$2 + 1:$2 + 1], "
	    "r.overdue_payables[:][$2 + 1:$2 + 1], r.breach_probability_bps) "
	    "WITH ORDINALITY AS x(bd, ll, lld, g, e, f, b, ct, orc, opy, bp, n) "
	    "JOIN stress_run_inputs_suppliers i "
	    "ON i.run_id = $1 AND i.n = x.n, "
	    "LATERAL (SELECT CASE WHEN $8 THEN 10000 - coalesce(x.bp, -1) "
	    "ELSE coalesce(x.bd, 2147483647) END AS k) o "
	    "WHERE s.id = $1 AND (NOT $3 OR x.bd IS NOT NULL) "
	    "AND (NOT $4 OR coalesce(x.ct, false)) "
	    "AND (o.k, i.supplier_id) > ($5::integer, $6::text COLLATE \"C\") "
	    "ORDER BY o.k, i.supplier_id LIMIT $7");
	db_query_int64(q, id);
	db_query_int64(q, L);
	db_query_bool(q, below);
	db_query_bool(q, contagion);
	db_query_int64(q, after_key);
	db_query_text(q, after_id);
	db_query_int64(q, limit);
	db_query_bool(q, sort == STORE_RUN_SORT_BREACH_PROBABILITY);
}

static int
null_int64(const struct db_rows *r, int row, int col, int64_t *v)
{
	*v = MODEL_NONE;
	if (db_rows_get(r, row, col) == NULL)
		return (0);
	return (db_rows_int64(r, row, col, v));
}

int
store_run_supplier_decode(const struct db_rows *r, int row,
    struct store_run_supplier *s)
{
	memset(s, 0, sizeof(*s));
	if (r->ncols != 19 || row >= r->nrows)
		return (-1);
	s->contagion = db_rows_bool(r, row, 15);
	s->supplier_id = db_rows_get(r, row, 0);
	s->name = db_rows_get(r, row, 1);
	s->region = db_rows_get(r, row, 3);
	s->sector = db_rows_get(r, row, 4);
	s->breach_date = db_rows_get(r, row, 7);
	s->lowest_liquidity_date = db_rows_get(r, row, 10);
	if (s->supplier_id == NULL || s->name == NULL || s->region == NULL ||
	    s->sector == NULL || s->lowest_liquidity_date == NULL ||
	    db_rows_int64(r, row, 2, &s->tier) == -1 ||
	    db_rows_int64(r, row, 5, &s->employees) == -1 ||
	    null_int64(r, row, 6, &s->breach_day) == -1 ||
	    db_rows_int64(r, row, 8, &s->lowest_liquidity) == -1 ||
	    db_rows_int64(r, row, 9, &s->lowest_liquidity_day) == -1 ||
	    db_rows_int64(r, row, 11, &s->funding_gap) == -1 ||
	    db_rows_int64(r, row, 12, &s->early_paid) == -1 ||
	    db_rows_int64(r, row, 13, &s->fees) == -1 ||
	    null_int64(r, row, 14, &s->breaks_at_outage_days) == -1 ||
	    db_rows_int64(r, row, 16, &s->overdue_receivables) == -1 ||
	    db_rows_int64(r, row, 17, &s->overdue_payables) == -1 ||
	    null_int64(r, row, 18, &s->breach_probability_bps) == -1)
		return (-1);
	return (0);
}

/* The report's sort key as a cursor: "<k>:<id>" (store_run_suppliers). */
void
store_run_cursor_make(const struct store_run_supplier *s,
    enum store_run_sort sort, char *out, size_t len)
{
	int64_t	k;

	if (sort == STORE_RUN_SORT_BREACH_PROBABILITY)
		k = MODEL_BPS_MAX - (s->breach_probability_bps == MODEL_NONE ?
		    -1 : s->breach_probability_bps);
	else
		k = s->breach_day == MODEL_NONE ? NO_BREACH_KEY :
		    s->breach_day;
	snprintf(out, len, "%" PRId64 ":%s", k, s->supplier_id);
}

/* "" is the start; otherwise the key store_run_cursor_make wrote. */
int
store_run_cursor_parse(const char *key, int64_t *day, const char **id)
{
	char	*end;

	*day = -1;
	*id = "";
	if (*key == '\0')
		return (0);
	if (*key < '0' || *key > '9')
		return (-1);
	*day = strtoll(key, &end, 10);
	if (*end != ':' || *day > NO_BREACH_KEY)
		return (-1);
	*id = end + 1;
	return (0);
}

void
store_run_input_init(struct store_run_input *in)
{
	memset(in, 0, sizeof(*in));
	db_rows_init(&in->sup_rows);
	db_rows_init(&in->inv_rows);
	db_rows_init(&in->link_rows);
}

void
store_run_input_cleanup(struct store_run_input *in)
{
	free(in->suppliers);
	free(in->invoices);
	free(in->invoice_supplier);
	free(in->names);
	free(in->regions);
	free(in->sectors);
	free(in->announcements);
	free(in->links);
	free(in->prob);
	db_rows_cleanup(&in->sup_rows);
	db_rows_cleanup(&in->inv_rows);
	db_rows_cleanup(&in->link_rows);
	store_run_input_init(in);
}

/* "1,2,3" into ints; -1 on anything else or too many. */
static int
int_list(const char *s, int64_t *out, size_t max, size_t *n)
{
	char		*end;
	long long	 v;

	*n = 0;
	while (*s != '\0') {
		if (*n == max || ((*s < '0' || *s > '9') && *s != '-'))
			return (-1);
		v = strtoll(s, &end, 10);
		out[(*n)++] = v;
		if (*end == ',')
			end++;
		else if (*end != '\0')
			return (-1);
		s = end;
	}
	return (0);
}

static int
load_scheme(struct store_run_input *in, const struct store_run *run)
{
	struct model_scheme	*s = &in->scheme;

	memset(s, 0, sizeof(*s));
	if (date_parse(run->s_effective_from, &s->effective_from) == -1 ||
	    scheme_tiers_parse(run->s_eligible_tiers,
	    &s->eligible_tiers) == -1)
		return (-1);
	s->payment_lag_days = run->s_payment_lag_days;
	s->advance_rate_bps = run->s_advance_rate_bps;
	s->annual_rate_bps = run->s_annual_rate_bps;
	s->day_count_basis = run->s_day_count_basis;
	s->fee_bearer = strcmp(run->s_fee_bearer, "oem") == 0 ?
	    MODEL_FEE_OEM : MODEL_FEE_SUPPLIER;
	s->has_max_employees = run->s_has_max_employees;
	s->max_employees = run->s_max_employees;
	s->min_invoice_amount = run->s_min_invoice_amount;
	s->requires_opt_in = run->s_requires_opt_in;
	s->has_per_supplier_cap = run->s_has_per_supplier_cap;
	s->per_supplier_cap = run->s_per_supplier_cap;
	s->has_facility_limit = run->s_has_facility_limit;
	s->facility_limit = run->s_facility_limit;
	s->covers = run->s_covers != NULL && strcmp(run->s_covers, "all") == 0 ?
	    MODEL_COVERS_ALL : MODEL_COVERS_OEM;
	s->basis = run->s_basis != NULL && strcmp(run->s_basis, "order") == 0 ?
	    MODEL_BASIS_ORDER : MODEL_BASIS_INVOICE;
	s->has_order_lead_days = run->s_has_order_lead_days;
	s->order_lead_days = run->s_order_lead_days;
	s->has_true_up_lag_days = run->s_has_true_up_lag_days;
	s->true_up_lag_days = run->s_true_up_lag_days;
	in->in.scheme = s;
	return (0);
}

static int
load_suppliers(struct store_run_input *in)
{
	const struct db_rows	*r = &in->sup_rows;
	struct model_supplier	*s;
	int			 i;

	if (r->ncols != 15)
		return (-1);
	in->in.nsuppliers = (size_t)r->nrows;
	if (r->nrows == 0)
		return (0);
	if ((in->suppliers = calloc((size_t)r->nrows, sizeof(*s))) == NULL ||
	    (in->names = calloc((size_t)r->nrows, sizeof(char *))) == NULL ||
	    (in->regions = calloc((size_t)r->nrows, sizeof(char *))) == NULL ||
	    (in->sectors = calloc((size_t)r->nrows, sizeof(char *))) == NULL)
		abort();
	for (i = 0; i < r->nrows; i++) {
		s = &in->suppliers[i];
		s->id = db_rows_get(r, i, 0);
		in->names[i] = db_rows_get(r, i, 1);
		in->regions[i] = db_rows_get(r, i, 3);
		in->sectors[i] = db_rows_get(r, i, 4);
		s->scheme_opt_in = db_rows_bool(r, i, 14);
		if (s->id == NULL || in->names[i] == NULL ||
		    in->regions[i] == NULL || in->sectors[i] == NULL ||
		    db_rows_int64(r, i, 2, &s->tier) == -1 ||
		    db_rows_int64(r, i, 5, &s->employees) == -1 ||
		    db_rows_int64(r, i, 6, &s->cash) == -1 ||
		    db_rows_int64(r, i, 7, &s->credit_available) == -1 ||
		    db_rows_int64(r, i, 8, &s->min_liquidity) == -1 ||
		    db_rows_int64(r, i, 9, &s->fixed_daily_costs) == -1 ||
		    db_rows_int64(r, i, 10, &s->oem_daily_sales) == -1 ||
		    db_rows_int64(r, i, 11, &s->variable_cost_bps) == -1 ||
		    db_rows_int64(r, i, 12, &s->other_daily_receipts) == -1 ||
		    db_rows_int64(r, i, 13, &s->payment_terms_days) == -1)
			return (-1);
	}
	if (run_input_suppliers(in->suppliers, in->in.nsuppliers) == -1)
		return (-1);
	in->in.suppliers = in->suppliers;
	return (0);
}

/*
 * One invoice per row, in either shape: stored (store_run_inputs_invoices:
 * the supplier's position first) or as store_run_begin answers (its
 * header row, then the supplier's id first); run_input_invoices gives
 * each its supplier and puts them in id order.
 */
static int
load_invoices(struct store_run_input *in)
{
	struct db_rows			*r = &in->inv_rows;
	struct run_input_invoice	*all;
	const char			*sup;
	int64_t				 due;
	size_t				 total, i;
	int				 row, first, begun, rc = -1;

	if (r->ncols != 4 && (r->ncols != 5 || r->nrows < 1 ||
	    db_rows_get(r, 0, 0) != NULL))
		return (-1);
	begun = r->ncols == 5;
	first = begun;
	total = (size_t)(r->nrows - first);
	in->in.ninvoices = total;
	if (total == 0)
		return (0);
	if ((all = calloc(total, sizeof(*all))) == NULL ||
	    (in->invoices = calloc(total, sizeof(*in->invoices))) == NULL ||
	    (in->invoice_supplier = calloc(total, sizeof(size_t))) == NULL)
		abort();
	for (i = 0, row = first; row < r->nrows; i++, row++) {
		sup = db_rows_get(r, row, 0);
		all[i].v.id = db_rows_get(r, row, 1);
		if (sup == NULL || all[i].v.id == NULL ||
		    db_rows_int64(r, row, 2, &all[i].v.outstanding) == -1 ||
		    db_rows_int64(r, row, 3, &due) == -1 ||
		    due < INT32_MIN || due > INT32_MAX ||
		    (!begun && db_rows_int64(r, row, 0,
		    &all[i].position) == -1))
			goto out;
		all[i].v.supplier_id = begun ? sup : NULL;
		all[i].v.due_date = (int32_t)due;
	}
	if (run_input_invoices(in->suppliers, in->in.nsuppliers, all, total,
	    in->invoices, in->invoice_supplier) == -1)
		goto out;
	in->in.invoices = in->invoices;
	rc = 0;
out:
	free(all);
	return (rc);
}

/*
 * "announced,restart;announced,restart" as the run row gives them, each
 * date cut at DATE_LEN bytes.
 */
static void
load_announcements(struct store_run_input *in, const char *s)
{
	struct run_announcement	*a;
	size_t			 n, len;

	for (n = 1, len = 0; s != NULL && s[len] != '\0'; len++)
		n += s[len] == ';';
	if ((in->announcements = calloc(n, sizeof(*a))) == NULL)
		abort();
	while (s != NULL && *s != '\0') {
		a = &in->announcements[in->nannouncements++];
		n = strcspn(s, ",;");
		snprintf(a->announced_on, sizeof(a->announced_on), "%.*s",
		    (int)n, s);
		s += n;
		if (*s == ',')
			s++;
		n = strcspn(s, ";");
		snprintf(a->restart_date, sizeof(a->restart_date), "%.*s",
		    (int)n, s);
		s += n;
		if (*s == ';')
			s++;
	}
}

/*
 * Build the engine's input from a run and its two snapshot results,
 * which the input takes over (sup and inv are left empty). 0, or -1 when
 * the stored snapshot does not decode (a bug or a damaged database).
 */
int
store_run_input_load(struct store_run_input *in, const struct store_run *run,
    struct db_rows *sup, struct db_rows *inv)
{
	size_t	n;

	store_run_input_cleanup(in);
	in->sup_rows = *sup;
	in->inv_rows = *inv;
	db_rows_init(sup);
	db_rows_init(inv);

	if (date_parse(run->start_date, &in->start_day) == -1 ||
	    int_list(run->ramp_bps, in->ramp, MODEL_RAMP_MAX, &n) == -1)
		return (-1);
	in->in.scenario.start_date = in->start_day;
	in->in.scenario.horizon_days = run->horizon_days;
	in->in.scenario.ramp_bps = in->ramp;
	in->in.scenario.ramp_len = n;
	in->in.scenario.payment_freeze_days = run->payment_freeze_days;
	in->in.scenario.fixed_cost_relief_bps = run->fixed_cost_relief_bps;
	in->in.scheme = NULL;
	if (run->scheme_id != NULL && load_scheme(in, run) == -1)
		return (-1);
	load_announcements(in, run->announced);
	if (run->outage_probabilities != NULL) {
		if ((in->prob = calloc(STORE_SCENARIO_PROB_MAX,
		    sizeof(*in->prob))) == NULL)
			abort();
		if (store_scenario_prob_decode(run->outage_probabilities,
		    in->prob, STORE_SCENARIO_PROB_MAX, &in->nprob) == -1 ||
		    in->nprob == 0)
			return (-1);
	}
	if (load_suppliers(in) == -1 || load_invoices(in) == -1)
		return (-1);
	return (0);
}

/*
 * The run's links (store_run_inputs_links), which the input takes over,
 * after store_run_input_load: each end named by its snapshot position.
 * 0, or -1 when a row does not decode or names no snapshot supplier.
 */
int
store_run_input_links(struct store_run_input *in, struct db_rows *rows)
{
	const struct db_rows	*r;
	struct model_link	*l;
	int64_t			 a, b;
	int			 i;

	db_rows_cleanup(&in->link_rows);
	free(in->links);
	in->links = NULL;
	in->link_rows = *rows;
	db_rows_init(rows);
	r = &in->link_rows;
	in->in.links = NULL;
	in->in.nlinks = 0;
	if (r->nrows == 0)
		return (0);
	if (r->ncols != 4 ||
	    (in->links = calloc((size_t)r->nrows, sizeof(*l))) == NULL)
		return (-1);
	for (i = 0; i < r->nrows; i++) {
		l = &in->links[i];
		if (db_rows_int64(r, i, 0, &a) == -1 ||
		    db_rows_int64(r, i, 1, &b) == -1 ||
		    db_rows_int64(r, i, 2, &l->daily_sales) == -1 ||
		    db_rows_int64(r, i, 3, &l->payment_terms_days) == -1 ||
		    a < 1 || b < 1 || (size_t)a > in->in.nsuppliers ||
		    (size_t)b > in->in.nsuppliers)
			return (-1);
		l->supplier_id = in->suppliers[a - 1].id;
		l->customer_id = in->suppliers[b - 1].id;
	}
	in->in.links = in->links;
	in->in.nlinks = (size_t)r->nrows;
	return (0);
}

/* What the run's inputs_digest covers, from the run and its loaded input. */
void
store_run_input_digest_input(const struct store_run_input *in,
    const struct store_run *run, struct run_digest_input *d)
{
	memset(d, 0, sizeof(*d));
	d->in = &in->in;
	d->scenario_id = run->scenario_id;
	d->scheme_id = run->scheme_id;
	d->names = in->names;
	d->regions = in->regions;
	d->sectors = in->sectors;
	d->announcements = in->announcements;
	d->nannouncements = in->nannouncements;
	d->prob = in->prob;
	d->nprob = in->nprob;
}
