/*
 * Scheme bodies (src/json/json_schemes.c): the decoder of POST
 * /v1/schemes. It keeps the details contract; a scheme that decodes
 * keeps the liquidity model's rules, and the jsonb row written for the
 * database decodes to the same scheme.
 */
#include "core/buf.h"
#include "core/date.h"
#include "json/json.h"
#include "json/json_schemes.h"
#include "fuzz.h"

static void
check_scheme(const struct store_scheme *s)
{
	FUZZ_CHECK(s->id != NULL && json_is_id(s->id));
	FUZZ_CHECK(s->name != NULL);
	FUZZ_CHECK(s->effective_from != NULL && date_valid(s->effective_from));
	FUZZ_CHECK(s->payment_lag_days >= 0 && s->payment_lag_days <= 365);
	FUZZ_CHECK(s->advance_rate_bps >= 1 && s->advance_rate_bps <= 10000);
	FUZZ_CHECK(s->annual_rate_bps >= 0 && s->annual_rate_bps <= 100000);
	FUZZ_CHECK(s->day_count_basis == 360 || s->day_count_basis == 365);
	FUZZ_CHECK(s->fee_bearer != NULL && (strcmp(s->fee_bearer,
	    "supplier") == 0 || strcmp(s->fee_bearer, "oem") == 0));
	FUZZ_CHECK(s->eligible_tiers != 0 && (s->eligible_tiers &
	    ~(STORE_SCHEME_TIER(1) | STORE_SCHEME_TIER(2) |
	    STORE_SCHEME_TIER(3))) == 0);
	FUZZ_CHECK(!s->has_max_employees || (s->max_employees >= 0 &&
	    s->max_employees <= INT32_MAX));
	FUZZ_CHECK(s->min_invoice_amount >= 0);
	FUZZ_CHECK(s->requires_opt_in == 0 || s->requires_opt_in == 1);
	FUZZ_CHECK(!s->has_per_supplier_cap || s->per_supplier_cap >= 0);
	FUZZ_CHECK(!s->has_facility_limit || s->facility_limit >= 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_scheme	 s, again;
	struct buf		 b;
	cJSON			*j, *j2, *d;
	int			 rc;

	if (json_parse_object((const char *)data, size, &j) != JSON_OK)
		return (0);
	d = json_details_new();
	rc = json_scheme_create_decode(j, &s, d);
	fuzz_check_details(rc, d, 0);
	cJSON_Delete(d);
	if (rc == 0) {
		check_scheme(&s);
		buf_init(&b);
		json_scheme_row(&b, &s);
		FUZZ_CHECK(json_parse_object(b.data, b.len, &j2) == JSON_OK);
		d = json_details_new();
		FUZZ_CHECK(json_scheme_create_decode(j2, &again, d) == 0);
		FUZZ_CHECK(json_scheme_diff(&s, &again, d) == 0);
		cJSON_Delete(d);
		cJSON_Delete(j2);
		buf_cleanup(&b);
	}
	cJSON_Delete(j);
	return (0);
}
