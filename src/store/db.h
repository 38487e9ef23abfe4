/*
 * The shape of a query and of its copied result, independent of any
 * database driver. The store layer fills a db_query and decodes db_rows;
 * the HTTP glue sends the one and fills the other. Neither side needs the
 * other to be tested.
 */
#ifndef DB_H
#define DB_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define DB_MAXPARAMS	32

struct db_query {
	const char	*sql;
	int		 nparams;
	const char	*values[DB_MAXPARAMS];	/* NULL is SQL NULL */
	char		*owned[DB_MAXPARAMS];
	int		 lengths[DB_MAXPARAMS];	/* binary parameters only */
	int		 formats[DB_MAXPARAMS];	/* 0 text, 1 binary */
};

/*
 * An int4[], int8[], date[] or text[] in PostgreSQL's binary format, for
 * parameters of millions of values: nothing to format or to parse.
 */
#define DB_OID_INT8	20
#define DB_OID_INT4	23
#define DB_OID_TEXT	25
#define DB_OID_DATE	1082

struct db_binarray {
	struct buf	 b;		/* the elements */
	uint32_t	 oid;
	size_t		 n;
	int		 nulls;
};

struct db_rows {
	int		 nrows;
	int		 ncols;
	char		**cells;		/* nrows * ncols, NULL for NULL */
	char		*arena;			/* cells copied in one block */
	size_t		 arena_len;
	size_t		 arena_cap;
	int		 failed;
	char		 sqlstate[6];		/* empty: no server answer */
	char		*error;
};

void		 db_query_init(struct db_query *, const char *);
void		 db_query_reset(struct db_query *);
void		 db_query_text(struct db_query *, const char *);
void		 db_query_textn(struct db_query *, const char *, size_t);
void		 db_query_int64(struct db_query *, int64_t);
void		 db_query_bool(struct db_query *, int);
void		 db_query_null(struct db_query *);

void		 db_array_begin(struct buf *);
void		 db_array_text(struct buf *, const char *);
void		 db_array_int64(struct buf *, int64_t);
void		 db_array_end(struct buf *);
void		 db_query_buf(struct db_query *, struct buf *);

void		 db_binarray_begin(struct db_binarray *, uint32_t, size_t);
void		 db_binarray_int(struct db_binarray *, int64_t);
void		 db_binarray_date(struct db_binarray *, int32_t);
void		 db_binarray_text(struct db_binarray *, const char *);
void		 db_binarray_null(struct db_binarray *);
void		 db_query_binarray(struct db_query *, struct db_binarray *,
		     size_t);

void		 db_rows_init(struct db_rows *);
void		 db_rows_cleanup(struct db_rows *);
int		 db_rows_alloc(struct db_rows *, int, int);
void		 db_rows_reserve(struct db_rows *, size_t);
int		 db_rows_set(struct db_rows *, int, int, const char *, size_t);
void		 db_rows_fail(struct db_rows *, const char *, const char *);
const char	*db_rows_get(const struct db_rows *, int, int);
int		 db_rows_int64(const struct db_rows *, int, int, int64_t *);
int		 db_rows_bool(const struct db_rows *, int, int);
int		 db_rows_unavailable(const struct db_rows *);

#endif
