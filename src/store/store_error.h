/*
 * What a failed query means to the service: one enum for every error the
 * database can answer, mapped from SQLSTATE in one table. The service's
 * own codes (class TD) are registered in the database too, in the table
 * error_codes (sql/0007_error_codes.sql); a unit test checks that the
 * two registries agree.
 */
#ifndef STORE_ERROR_H
#define STORE_ERROR_H

#include "store/db.h"

enum store_error {
	STORE_OK,			/* the query did not fail */
	STORE_ERR_INTERNAL,		/* anything else: a bug, a broken rule */
	STORE_ERR_UNAVAILABLE,		/* no connection, shutting down, full, timed out */
	STORE_ERR_BAD_ENCODING,		/* 22021: client text is not UTF-8 */
	STORE_ERR_OUT_OF_RANGE,		/* 22003: a sum beyond 64 bits */
	STORE_ERR_DUPLICATE,		/* 23505: a unique key exists */
	STORE_ERR_NO_REFERENCE,		/* 23503: a foreign key is missing */
	STORE_ERR_CONTENTION,		/* 40001, 40P01, 55P03: run it again */
	STORE_ERR_HEAD_MOVED,		/* TD001 */
	STORE_ERR_BAD_TRANSITION,	/* TD002 */
	STORE_ERR_IDEM_REUSED,		/* TD003 */
	STORE_ERR_OVER_CAP,		/* TD004 */
	STORE_ERR_NO_INVOICE,		/* TD005 */
	STORE_ERR_INVOICE_DIFFERS,	/* TD006 */
	STORE_ERR_INVARIANT,		/* TD010 */
	STORE_ERR_NO_SCENARIO,		/* TD011 */
	STORE_ERR_NO_SCHEME,		/* TD012 */
	STORE_ERR_BEYOND_HORIZON,	/* TD013 */
	STORE_ERR_RUN_CLOSED,		/* TD014 */
	STORE_ERR_RUN_MISFIT,		/* TD015 */
	STORE_ERR_APPEND_ONLY,		/* TD016 */
};

struct store_error_code {
	const char		*sqlstate;
	enum store_error	 error;
};

enum store_error	 store_error(const struct db_rows *);
enum store_error	 store_error_of(const char *);
const struct store_error_code
			*store_error_codes(size_t *);

#endif
