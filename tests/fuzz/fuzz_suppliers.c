/*
 * Supplier bodies (src/json/json_suppliers.c): the decoders of POST
 * /v1/suppliers and PATCH /v1/suppliers/{id}, for treasury and for the
 * supplier itself. Every decode keeps the details contract; a supplier
 * that decodes keeps the model's ranges, and the jsonb row written for
 * the database decodes to the same supplier; a patch changes only fields
 * it was given, never the id, and for a supplier only its declaration,
 * and its row decodes to the same patch.
 */
#include "core/buf.h"
#include "json/json.h"
#include "json/json_suppliers.h"
#include "fuzz.h"

/* The record's fields in the codec's bit order (json_suppliers.c). */
static const char *const names[JSON_SUPPLIER_NFIELDS] = {
	"id", "name", "tier", "region", "sector", "employees", "currency",
	"cash", "credit_available", "min_liquidity", "fixed_daily_costs",
	"oem_daily_sales", "variable_cost_bps", "other_daily_receipts",
	"payment_terms_days", "scheme_opt_in"
};

/* cash, credit_available, fixed_daily_costs, other_daily_receipts, opt-in */
#define DECLARATION	(1u << 7 | 1u << 8 | 1u << 10 | 1u << 13 | 1u << 15)

static void
check_supplier(const struct store_supplier *s)
{
	FUZZ_CHECK(s->id != NULL && json_is_id(s->id));
	FUZZ_CHECK(strcmp(s->id, "import") != 0);
	FUZZ_CHECK(s->name != NULL && s->region != NULL && s->sector != NULL);
	FUZZ_CHECK(s->currency != NULL && strcmp(s->currency, "GBP") == 0);
	FUZZ_CHECK(s->tier >= 1 && s->tier <= 3);
	FUZZ_CHECK(s->employees >= 0 && s->employees <= INT32_MAX);
	FUZZ_CHECK(s->cash >= -JSON_INT_MAX && s->cash <= JSON_INT_MAX);
	FUZZ_CHECK(s->credit_available >= 0);
	FUZZ_CHECK(s->fixed_daily_costs >= 0 && s->oem_daily_sales >= 0);
	FUZZ_CHECK(s->variable_cost_bps >= 0 && s->variable_cost_bps <= 10000);
	FUZZ_CHECK(s->other_daily_receipts >= 0);
	FUZZ_CHECK(s->payment_terms_days >= 0 && s->payment_terms_days <= 365);
	FUZZ_CHECK(s->scheme_opt_in == 0 || s->scheme_opt_in == 1);
}

/* The row for the database decodes to the same supplier. */
static void
check_create_row(const struct store_supplier *s)
{
	struct store_supplier	 again;
	struct buf		 b;
	cJSON			*j, *d;

	buf_init(&b);
	json_supplier_row(&b, s, JSON_SUPPLIER_ALL);
	FUZZ_CHECK(json_parse_object(b.data, b.len, &j) == JSON_OK);
	d = json_details_new();
	FUZZ_CHECK(json_supplier_create_decode(j, "GBP", &again, d) == 0);
	FUZZ_CHECK(json_supplier_diff(s, &again, d) == 0);
	FUZZ_CHECK(cJSON_GetArraySize(d) == 0);
	cJSON_Delete(d);
	cJSON_Delete(j);
	buf_cleanup(&b);
}

static void
check_patch(const cJSON *j, int who)
{
	struct json_supplier_patch	 p, again;
	struct buf			 b;
	cJSON				*d, *j2;
	int				 rc, i;

	d = json_details_new();
	rc = json_supplier_patch_decode(j, "GBP", who, &p, d);
	fuzz_check_details(rc, d, 0);
	cJSON_Delete(d);
	FUZZ_CHECK((p.given & ~JSON_SUPPLIER_ALL) == 0);
	FUZZ_CHECK((p.given & 1u) == 0);
	if (who == JSON_SUPPLIER_OWN)
		FUZZ_CHECK((p.given & ~DECLARATION) == 0);
	for (i = 0; i < JSON_SUPPLIER_NFIELDS; i++) {
		if (p.given & (1u << i))
			FUZZ_CHECK(cJSON_GetObjectItemCaseSensitive(j,
			    names[i]) != NULL);
	}
	if (rc != 0)
		return;
	/* Every field present was taken. */
	for (i = 1; i < JSON_SUPPLIER_NFIELDS; i++) {
		if (cJSON_GetObjectItemCaseSensitive(j, names[i]) != NULL)
			FUZZ_CHECK(p.given & (1u << i));
	}

	buf_init(&b);
	json_supplier_row(&b, &p.s, p.given);
	FUZZ_CHECK(json_parse_object(b.data, b.len, &j2) == JSON_OK);
	d = json_details_new();
	FUZZ_CHECK(json_supplier_patch_decode(j2, "GBP", who, &again,
	    d) == 0);
	FUZZ_CHECK(again.given == p.given);
	cJSON_Delete(d);
	cJSON_Delete(j2);
	buf_cleanup(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_supplier	 s;
	cJSON			*j, *d;
	int			 rc;

	if (json_parse_object((const char *)data, size, &j) != JSON_OK)
		return (0);
	d = json_details_new();
	rc = json_supplier_create_decode(j, "GBP", &s, d);
	fuzz_check_details(rc, d, 0);
	cJSON_Delete(d);
	if (rc == 0) {
		check_supplier(&s);
		check_create_row(&s);
	}
	check_patch(j, JSON_SUPPLIER_TREASURY);
	check_patch(j, JSON_SUPPLIER_OWN);
	cJSON_Delete(j);
	return (0);
}
