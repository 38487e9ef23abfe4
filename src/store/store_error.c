/*
 * SQLSTATE to enum store_error (see store_error.h).
 */
#include <string.h>

#include "store/store_error.h"

/* Exact codes: PostgreSQL's that the service tells apart, then its own. */
static const struct store_error_code	codes[] = {
	{ "22003", STORE_ERR_OUT_OF_RANGE },
	{ "22021", STORE_ERR_BAD_ENCODING },
	{ "23505", STORE_ERR_DUPLICATE },
	{ "23503", STORE_ERR_NO_REFERENCE },
	{ "40001", STORE_ERR_CONTENTION },
	{ "40P01", STORE_ERR_CONTENTION },
	{ "53300", STORE_ERR_UNAVAILABLE },	/* too many connections */
	{ "55P03", STORE_ERR_CONTENTION },	/* lock_timeout */
	{ "57014", STORE_ERR_UNAVAILABLE },	/* statement_timeout */
	{ "TD001", STORE_ERR_HEAD_MOVED },
	{ "TD002", STORE_ERR_BAD_TRANSITION },
	{ "TD003", STORE_ERR_IDEM_REUSED },
	{ "TD004", STORE_ERR_OVER_CAP },
	{ "TD005", STORE_ERR_NO_INVOICE },
	{ "TD006", STORE_ERR_INVOICE_DIFFERS },
	{ "TD010", STORE_ERR_INVARIANT },
	{ "TD011", STORE_ERR_NO_SCENARIO },
	{ "TD012", STORE_ERR_NO_SCHEME },
	{ "TD013", STORE_ERR_BEYOND_HORIZON },
	{ "TD014", STORE_ERR_RUN_CLOSED },
	{ "TD015", STORE_ERR_RUN_MISFIT },
	{ "TD016", STORE_ERR_APPEND_ONLY },
};

/* Whole classes: the connection is gone, or the server is going away. */
static const char *const	unavailable_classes[] = { "08", "57P" };

enum store_error
store_error_of(const char *sqlstate)
{
	size_t	i;

	if (sqlstate == NULL || sqlstate[0] == '\0')
		return (STORE_ERR_UNAVAILABLE);	/* no server answer */
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (strcmp(codes[i].sqlstate, sqlstate) == 0)
			return (codes[i].error);
	}
	for (i = 0; i < sizeof(unavailable_classes) /
	    sizeof(unavailable_classes[0]); i++) {
		if (strncmp(sqlstate, unavailable_classes[i],
		    strlen(unavailable_classes[i])) == 0)
			return (STORE_ERR_UNAVAILABLE);
	}
	return (STORE_ERR_INTERNAL);
}

enum store_error
store_error(const struct db_rows *r)
{
	if (!r->failed)
		return (STORE_OK);
	return (store_error_of(r->sqlstate));
}

/* The table itself, for the test that holds it against error_codes. */
const struct store_error_code *
store_error_codes(size_t *n)
{
	*n = sizeof(codes) / sizeof(codes[0]);
	return (codes);
}
