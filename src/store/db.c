/*
 * Queries as parameter lists and results as copied rows (see db.h). Every
 * parameter is sent as text, so that PostgreSQL does the typing and the
 * SQL stays the single place that knows the column types; the one
 * exception is bulk arrays (db_binarray), which the SQL casts to their
 * types.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/store_error.h"

static void
xabort(void)
{
	/* Out of memory: the service cannot answer correctly any more. */
	abort();
}

static char *
xstrndup(const char *s, size_t len)
{
	char	*p;

	if ((p = malloc(len + 1)) == NULL)
		xabort();
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

void
db_query_init(struct db_query *q, const char *sql)
{
	memset(q, 0, sizeof(*q));
	q->sql = sql;
}

void
db_query_reset(struct db_query *q)
{
	int	i;

	for (i = 0; i < q->nparams; i++)
		free(q->owned[i]);
	memset(q, 0, sizeof(*q));
}

static void
add(struct db_query *q, char *owned)
{
	/* Parameter counts are fixed by the SQL text: overflow is a bug. */
	if (q->nparams >= DB_MAXPARAMS)
		xabort();
	q->owned[q->nparams] = owned;
	q->values[q->nparams] = owned;
	q->nparams++;
}

void
db_query_textn(struct db_query *q, const char *s, size_t len)
{
	add(q, xstrndup(s, len));
}

void
db_query_text(struct db_query *q, const char *s)
{
	if (s == NULL)
		add(q, NULL);
	else
		add(q, xstrndup(s, strlen(s)));
}

void
db_query_int64(struct db_query *q, int64_t v)
{
	char	buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	db_query_text(q, buf);
}

void
db_query_bool(struct db_query *q, int v)
{
	db_query_text(q, v ? "true" : "false");
}

void
db_query_null(struct db_query *q)
{
	add(q, NULL);
}

/*
 * PostgreSQL array literals for bulk parameters ('{"a","b"}'): every text
 * element is quoted, with backslash and quote escaped, so no element can
 * end the array early. A NULL element is the bare word NULL.
 */
void
db_array_begin(struct buf *b)
{
	buf_init(b);
	buf_append(b, "{", 1);
}

static void
array_sep(struct buf *b)
{
	if (b->len > 1)
		buf_append(b, ",", 1);
}

void
db_array_text(struct buf *b, const char *s)
{
	array_sep(b);
	if (s == NULL) {
		buf_puts(b, "NULL");
		return;
	}
	buf_append(b, "\"", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_append(b, "\\", 1);
		buf_append(b, s, 1);
	}
	buf_append(b, "\"", 1);
}

void
db_array_int64(struct buf *b, int64_t v)
{
	array_sep(b);
	buf_printf(b, "%" PRId64, v);
}

void
db_array_end(struct buf *b)
{
	buf_append(b, "}", 1);
}

/* Hand a built parameter over to the query without copying it. */
void
db_query_buf(struct db_query *q, struct buf *b)
{
	add(q, buf_release(b, NULL));
}

static void
be32(unsigned char *x, uint32_t v)
{
	x[0] = v >> 24;
	x[1] = v >> 16;
	x[2] = v >> 8;
	x[3] = v;
}

/*
 * Room for one more element of len bytes, written in place: this runs
 * millions of times per stress run, so not through buf_append.
 */
static unsigned char *
element(struct db_binarray *a, uint32_t len)
{
	unsigned char	*x;

	buf_reserve(&a->b, 4 + (size_t)len);
	x = (unsigned char *)a->b.data + a->b.len;
	be32(x, len);
	a->b.len += 4 + (size_t)len;
	a->b.data[a->b.len] = '\0';	/* as buf keeps it */
	a->n++;
	return (x + 4);
}

/*
 * The longest header (two dimensions), written once the elements are in:
 * elements go after room for it.
 */
#define BINARRAY_HEAD	28

void
db_binarray_begin(struct db_binarray *a, uint32_t oid, size_t hint)
{
	static const unsigned char	head[BINARRAY_HEAD];

	if (oid != DB_OID_INT4 && oid != DB_OID_INT8 && oid != DB_OID_DATE &&
	    oid != DB_OID_TEXT)
		xabort();
	buf_init(&a->b);
	buf_reserve(&a->b, BINARRAY_HEAD +
	    hint * (oid == DB_OID_INT8 ? 12 : 8));
	buf_append(&a->b, head, sizeof(head));
	a->oid = oid;
	a->n = 0;
	a->nulls = 0;
}

/* Each element: its length in bytes, then the value, big-endian. */
void
db_binarray_int(struct db_binarray *a, int64_t v)
{
	unsigned char	*x;

	if (a->oid == DB_OID_INT4) {
		/* Callers pass days and positions: wider is a bug. */
		if (v < INT32_MIN || v > INT32_MAX)
			xabort();
		be32(element(a, 4), (uint32_t)(int32_t)v);
	} else if (a->oid == DB_OID_INT8) {
		x = element(a, 8);
		be32(x, (uint32_t)((uint64_t)v >> 32));
		be32(x + 4, (uint32_t)(uint64_t)v);
	} else
		xabort();
}

/* A day number (days since 1970-01-01); PostgreSQL counts from 2000. */
void
db_binarray_date(struct db_binarray *a, int32_t day)
{
	if (a->oid != DB_OID_DATE)
		xabort();
	be32(element(a, 4), (uint32_t)(day - 10957));
}

void
db_binarray_text(struct db_binarray *a, const char *s)
{
	size_t	len = strlen(s);

	if (a->oid != DB_OID_TEXT || len > INT32_MAX)
		xabort();
	memcpy(element(a, (uint32_t)len), s, len);
}

void
db_binarray_null(struct db_binarray *a)
{
	be32(element(a, 0) - 4, UINT32_MAX);	/* length -1 */
	a->nulls = 1;
}

/*
 * Add the array as a binary parameter: one dimension, or `rows` rows of
 * n / rows elements. The header is array_recv's: the number of
 * dimensions, whether any element is NULL, the element type, and per
 * dimension its length and lower bound (1). No elements is the empty
 * array, which has no dimensions. The header ends where the elements
 * begin; the parameter starts where the header does.
 */
void
db_query_binarray(struct db_query *q, struct db_binarray *a, size_t rows)
{
	unsigned char	*x;
	size_t		 ndims, off, len;
	char		*p;

	if (a->n > INT32_MAX || (rows > 0 && a->n % rows != 0) ||
	    a->b.len > INT32_MAX)
		xabort();
	ndims = a->n == 0 ? 0 : rows > 0 ? 2 : 1;
	off = BINARRAY_HEAD - 12 - 8 * ndims;
	x = (unsigned char *)a->b.data + off;
	be32(x, (uint32_t)ndims);
	be32(x + 4, (uint32_t)a->nulls);
	be32(x + 8, a->oid);
	if (ndims == 2) {
		be32(x + 12, (uint32_t)rows);
		be32(x + 16, 1);
		be32(x + 20, (uint32_t)(a->n / rows));
		be32(x + 24, 1);
	} else if (ndims == 1) {
		be32(x + 12, (uint32_t)a->n);
		be32(x + 16, 1);
	}
	p = buf_release(&a->b, &len);
	add(q, p);
	q->values[q->nparams - 1] = p + off;
	q->lengths[q->nparams - 1] = (int)(len - off);
	q->formats[q->nparams - 1] = 1;
}

void
db_rows_init(struct db_rows *r)
{
	memset(r, 0, sizeof(*r));
}

static int
in_arena(const struct db_rows *r, const char *p)
{
	return (r->arena != NULL && p >= r->arena &&
	    p < r->arena + r->arena_cap);
}

void
db_rows_cleanup(struct db_rows *r)
{
	int	i;

	if (r->cells != NULL) {
		for (i = 0; i < r->nrows * r->ncols; i++) {
			if (!in_arena(r, r->cells[i]))
				free(r->cells[i]);
		}
		free(r->cells);
	}
	free(r->arena);
	free(r->error);
	db_rows_init(r);
}

int
db_rows_alloc(struct db_rows *r, int nrows, int ncols)
{
	size_t	n;

	db_rows_cleanup(r);
	if (nrows < 0 || ncols < 0)
		return (-1);
	n = (size_t)nrows * (size_t)ncols;
	if (n > 0 && (r->cells = calloc(n, sizeof(char *))) == NULL)
		xabort();
	r->nrows = nrows;
	r->ncols = ncols;
	return (0);
}

/*
 * Room for `bytes` of cells (each value and its NUL) in one block, so
 * that a result of a million cells is not a million allocations.
 */
void
db_rows_reserve(struct db_rows *r, size_t bytes)
{
	if (r->arena != NULL || bytes == 0)
		return;
	if ((r->arena = malloc(bytes)) == NULL)
		xabort();
	r->arena_cap = bytes;
	r->arena_len = 0;
}

int
db_rows_set(struct db_rows *r, int row, int col, const char *v, size_t len)
{
	char	**cell;

	if (row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
		return (-1);
	cell = &r->cells[row * r->ncols + col];
	if (!in_arena(r, *cell))
		free(*cell);
	if (v == NULL)
		*cell = NULL;
	else if (r->arena != NULL && len < r->arena_cap - r->arena_len) {
		*cell = r->arena + r->arena_len;
		memcpy(*cell, v, len);
		(*cell)[len] = '\0';
		r->arena_len += len + 1;
	} else
		*cell = xstrndup(v, len);
	return (0);
}

void
db_rows_fail(struct db_rows *r, const char *sqlstate, const char *error)
{
	db_rows_cleanup(r);
	r->failed = 1;
	if (sqlstate != NULL)
		snprintf(r->sqlstate, sizeof(r->sqlstate), "%s", sqlstate);
	r->error = xstrndup(error ? error : "", error ? strlen(error) : 0);
}

const char *
db_rows_get(const struct db_rows *r, int row, int col)
{
	if (row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
		return (NULL);
	return (r->cells[row * r->ncols + col]);
}

int
db_rows_int64(const struct db_rows *r, int row, int col, int64_t *out)
{
	const char	*s;
	char		*end;
	long long	 v;

	if ((s = db_rows_get(r, row, col)) == NULL || *s == '\0')
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno == ERANGE)
		return (-1);
	*out = v;
	return (0);
}

int
db_rows_bool(const struct db_rows *r, int row, int col)
{
	const char	*s;

	s = db_rows_get(r, row, col);
	return (s != NULL && s[0] == 't');
}

/*
 * A failure without an answer from the server, or a connection class
 * error, means the database is unavailable rather than the request wrong.
 */
int
db_rows_unavailable(const struct db_rows *r)
{
	return (store_error(r) == STORE_ERR_UNAVAILABLE);
}
