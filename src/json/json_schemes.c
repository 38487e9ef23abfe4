/*
 * Scheme codecs (see json_schemes.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "json/json.h"
#include "json/json_schemes.h"

#define MONEY_MAX	JSON_INT_MAX

static const char *const fields[] = {
	"id", "name", "effective_from", "payment_lag_days",
	"advance_rate_bps", "annual_rate_bps", "day_count_basis",
	"fee_bearer", "eligible_tiers", "max_employees", "min_invoice_amount",
	"requires_opt_in", "per_supplier_cap", "facility_limit", "covers",
	"basis", "order_lead_days", "true_up_lag_days", NULL
};

/* A non-empty array of distinct tiers 1 to 3, as bits. */
static void
tiers_get(const cJSON *j, struct store_scheme *s, cJSON *details)
{
	const cJSON	*m, *t;
	int		 bits, bit;

	m = cJSON_GetObjectItemCaseSensitive(j, "eligible_tiers");
	if (m == NULL) {
		json_detail(details, "eligible_tiers", 0, "is required");
		return;
	}
	if (!cJSON_IsArray(m)) {
		json_detail(details, "eligible_tiers", 0,
		    "must be an array of tiers");
		return;
	}
	if (cJSON_GetArraySize(m) == 0) {
		json_detail(details, "eligible_tiers", 0,
		    "must name at least one tier");
		return;
	}
	bits = 0;
	cJSON_ArrayForEach(t, m) {
		if (!cJSON_IsNumber(t) || (t->valuedouble != 1 &&
		    t->valuedouble != 2 && t->valuedouble != 3)) {
			json_detail(details, "eligible_tiers", 0,
			    "must hold only the tiers 1, 2 and 3");
			return;
		}
		bit = STORE_SCHEME_TIER((int)t->valuedouble);
		if (bits & bit) {
			json_detail(details, "eligible_tiers", 0,
			    "must not name a tier twice");
			return;
		}
		bits |= bit;
	}
	s->eligible_tiers = bits;
}

/* An optional integer where null, like absence, means "no limit". */
static void
limit_get(const cJSON *j, const char *name, int64_t max, int *has,
    int64_t *v, cJSON *details)
{
	const cJSON	*m;

	*has = 0;
	m = cJSON_GetObjectItemCaseSensitive(j, name);
	if (m == NULL || cJSON_IsNull(m))
		return;
	*has = json_get_int64(j, name, 0, 0, max, v, details) == 1;
}

/*
 * One of the order basis's day counts: required with it, else refused
 * (null, as in a reply, is taken as absent).
 */
static void
basis_days_get(const cJSON *j, const char *name, int order, int *has,
    int64_t *v, cJSON *details)
{
	const cJSON	*m;

	*has = 0;
	m = cJSON_GetObjectItemCaseSensitive(j, name);
	if (m == NULL || cJSON_IsNull(m)) {
		if (order)
			json_detail(details, name, 0,
			    "is required when basis is order");
		return;
	}
	if (!order) {
		json_detail(details, name, 0,
		    "is only allowed when basis is order");
		return;
	}
	*has = json_get_int64(j, name, 1, 0, 365, v, details) == 1;
}

/*
 * basis: invoice (the default) or order, whose two day counts come with
 * it; an order-basis scheme finances the OEM's own suppliers only.
 */
static void
basis_get(const cJSON *j, struct store_scheme *s, cJSON *details)
{
	const char	*v;
	int		 order;

	s->basis = "invoice";
	if (json_get_string(j, "basis", 0, SIZE_MAX, &v, details) == 1) {
		if (strcmp(v, "invoice") != 0 && strcmp(v, "order") != 0)
			json_detail(details, "basis", 0,
			    "must be invoice or order");
		s->basis = v;
	}
	order = strcmp(s->basis, "order") == 0;
	basis_days_get(j, "order_lead_days", order, &s->has_order_lead_days,
	    &s->order_lead_days, details);
	basis_days_get(j, "true_up_lag_days", order,
	    &s->has_true_up_lag_days, &s->true_up_lag_days, details);
	if (order && strcmp(s->covers, "all") == 0)
		json_detail(details, "covers", 0, "must be oem when basis is "
		    "order: an order-basis scheme finances the OEM's own "
		    "suppliers");
}

/* 0 when valid; otherwise details say why, every problem at once. */
int
json_scheme_create_decode(const cJSON *j, struct store_scheme *s,
    cJSON *details)
{
	const char	*v;
	int		 before;

	before = cJSON_GetArraySize(details);
	memset(s, 0, sizeof(*s));
	s->requires_opt_in = 1;
	json_check_fields(j, fields, details);

	json_get_id(j, "id", 1, &s->id, details);
	if (json_get_string(j, "name", 1, SIZE_MAX, &v, details) == 1 &&
	    json_text_check("name", v, 200, details) == 0)
		s->name = v;
	if (json_get_string(j, "effective_from", 1, SIZE_MAX, &v,
	    details) == 1) {
		if (!date_valid(v))
			json_detail(details, "effective_from", 0,
			    "must be a date, YYYY-MM-DD");
		s->effective_from = v;
	}
	json_get_int64(j, "payment_lag_days", 1, 0, 365, &s->payment_lag_days,
	    details);
	json_get_int64(j, "advance_rate_bps", 1, 1, 10000,
	    &s->advance_rate_bps, details);
	json_get_int64(j, "annual_rate_bps", 1, 0, 100000,
	    &s->annual_rate_bps, details);
	if (json_get_int64(j, "day_count_basis", 1, 0, INT32_MAX,
	    &s->day_count_basis, details) == 1 && s->day_count_basis != 360 &&
	    s->day_count_basis != 365)
		json_detail(details, "day_count_basis", 0, "must be 360 or 365");
	if (json_get_string(j, "fee_bearer", 1, SIZE_MAX, &v, details) == 1) {
		if (strcmp(v, "supplier") != 0 && strcmp(v, "oem") != 0)
			json_detail(details, "fee_bearer", 0,
			    "must be supplier or oem");
		s->fee_bearer = v;
	}
	tiers_get(j, s, details);
	limit_get(j, "max_employees", INT32_MAX, &s->has_max_employees,
	    &s->max_employees, details);
	json_get_int64(j, "min_invoice_amount", 0, 0, MONEY_MAX,
	    &s->min_invoice_amount, details);
	json_get_bool(j, "requires_opt_in", 0, &s->requires_opt_in, details);
	limit_get(j, "per_supplier_cap", MONEY_MAX, &s->has_per_supplier_cap,
	    &s->per_supplier_cap, details);
	limit_get(j, "facility_limit", MONEY_MAX, &s->has_facility_limit,
	    &s->facility_limit, details);
	s->covers = "oem";
	if (json_get_string(j, "covers", 0, SIZE_MAX, &v, details) == 1) {
		if (strcmp(v, "oem") != 0 && strcmp(v, "all") != 0)
			json_detail(details, "covers", 0, "must be oem or all");
		s->covers = v;
	}
	basis_get(j, s, details);
	return (cJSON_GetArraySize(details) == before ? 0 : -1);
}

static void
add_limit(cJSON *o, const char *name, int has, int64_t v)
{
	if (has)
		json_add_int64(o, name, v);
	else
		cJSON_AddNullToObject(o, name);
}

/* Every field but created_at, as jsonb for scheme_create or for a reply. */
static cJSON *
scheme_object(const struct store_scheme *s)
{
	cJSON	*o, *tiers;
	int	 t;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	json_add_string_or_null(o, "id", s->id);
	json_add_string_or_null(o, "name", s->name);
	json_add_string_or_null(o, "effective_from", s->effective_from);
	json_add_int64(o, "payment_lag_days", s->payment_lag_days);
	json_add_int64(o, "advance_rate_bps", s->advance_rate_bps);
	json_add_int64(o, "annual_rate_bps", s->annual_rate_bps);
	json_add_int64(o, "day_count_basis", s->day_count_basis);
	json_add_string_or_null(o, "fee_bearer", s->fee_bearer);
	tiers = cJSON_AddArrayToObject(o, "eligible_tiers");
	for (t = 1; t <= 3; t++) {
		if (s->eligible_tiers & STORE_SCHEME_TIER(t))
			cJSON_AddItemToArray(tiers, cJSON_CreateNumber(t));
	}
	add_limit(o, "max_employees", s->has_max_employees, s->max_employees);
	json_add_int64(o, "min_invoice_amount", s->min_invoice_amount);
	cJSON_AddBoolToObject(o, "requires_opt_in", s->requires_opt_in);
	add_limit(o, "per_supplier_cap", s->has_per_supplier_cap,
	    s->per_supplier_cap);
	add_limit(o, "facility_limit", s->has_facility_limit,
	    s->facility_limit);
	json_add_string_or_null(o, "covers", s->covers);
	json_add_string_or_null(o, "basis", s->basis);
	add_limit(o, "order_lead_days", s->has_order_lead_days,
	    s->order_lead_days);
	add_limit(o, "true_up_lag_days", s->has_true_up_lag_days,
	    s->true_up_lag_days);
	return (o);
}

void
json_scheme_row(struct buf *b, const struct store_scheme *s)
{
	cJSON	*o;

	o = scheme_object(s);
	json_print_buf(b, o);
	cJSON_Delete(o);
}

/*
 * The number of fields of want that differ from have, each a detail.
 * Comparing the two encodings member by member keeps this in step with
 * the fields there are.
 */
int
json_scheme_diff(const struct store_scheme *want,
    const struct store_scheme *have, cJSON *details)
{
	return (json_diff(scheme_object(want), scheme_object(have), "scheme",
	    details));
}

cJSON *
json_scheme_encode(const struct store_scheme *s)
{
	cJSON	*o;

	o = scheme_object(s);
	json_add_string_or_null(o, "created_at", s->created_at);
	return (o);
}
