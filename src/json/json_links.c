/*
 * Link codecs (see json_links.h). A CSV line is first turned into the
 * JSON object it stands for and then decoded exactly as an NDJSON line,
 * so both import formats apply the same rules, and PUT applies them to
 * the figures.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/lines.h"
#include "core/model.h"
#include "core/utf8.h"
#include "json/json.h"
#include "json/json_links.h"

#define TERMS_MAX	365

static const char *const put_fields[] = {
	"daily_sales", "payment_terms_days", NULL
};

/* The import's columns and fields, in output order. */
static const char *const link_fields[] = {
	"supplier_id", "customer_id", "daily_sales", "payment_terms_days",
	NULL
};
#define NFIELDS		4
#define F_INT(i)	((i) >= 2)	/* daily_sales, payment_terms_days */

static void
figures_get(const cJSON *j, struct json_link *l, cJSON *details)
{
	json_get_int64(j, "daily_sales", 1, 0, MODEL_DAILY_MAX,
	    &l->daily_sales, details);
	json_get_int64(j, "payment_terms_days", 1, 0, TERMS_MAX,
	    &l->payment_terms_days, details);
}

/* PUT's body: the figures only, the ends being in the path. */
int
json_link_put_decode(const cJSON *j, struct json_link *l, cJSON *details)
{
	int	before;

	before = cJSON_GetArraySize(details);
	memset(l, 0, sizeof(*l));
	json_check_fields(j, put_fields, details);
	figures_get(j, l, details);
	return (cJSON_GetArraySize(details) == before ? 0 : -1);
}

/* A whole link, as an import line holds it: 0 when valid. */
int
json_link_decode(const cJSON *j, struct json_link *l, cJSON *details)
{
	int	before;

	before = cJSON_GetArraySize(details);
	memset(l, 0, sizeof(*l));
	json_check_fields(j, link_fields, details);
	json_get_id(j, "supplier_id", 1, &l->supplier_id, details);
	json_get_id(j, "customer_id", 1, &l->customer_id, details);
	if (l->supplier_id != NULL && l->customer_id != NULL &&
	    strcmp(l->supplier_id, l->customer_id) == 0)
		json_detail(details, "customer_id", 0,
		    "must not be the supplier itself");
	figures_get(j, l, details);
	return (cJSON_GetArraySize(details) == before ? 0 : -1);
}

cJSON *
json_link_encode(const struct store_link *l)
{
	cJSON	*o;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	cJSON_AddStringToObject(o, "supplier_id", l->supplier_id);
	cJSON_AddStringToObject(o, "customer_id", l->customer_id);
	json_add_int64(o, "daily_sales", l->daily_sales);
	json_add_int64(o, "payment_terms_days", l->payment_terms_days);
	json_add_string_or_null(o, "created_at", l->created_at);
	json_add_string_or_null(o, "updated_at", l->updated_at);
	return (o);
}

static const char *
name_field(int which)
{
	return (which == JSON_LINK_CUSTOMERS ? "customer_name" :
	    "supplier_name");
}

/* A row of a firm's customers or suppliers, with the other end's name. */
cJSON *
json_link_party_encode(const struct store_link *l, int which)
{
	cJSON	*o;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	cJSON_AddStringToObject(o, "supplier_id", l->supplier_id);
	cJSON_AddStringToObject(o, "customer_id", l->customer_id);
	json_add_string_or_null(o, name_field(which), l->name);
	json_add_int64(o, "daily_sales", l->daily_sales);
	json_add_int64(o, "payment_terms_days", l->payment_terms_days);
	return (o);
}

/*
 * The same column names as the JSON record: which is 0 for every link's
 * record, or the list a firm's row is of.
 */
void
json_link_csv_header(struct csv *c, int which)
{
	csv_field(c, "supplier_id");
	csv_field(c, "customer_id");
	if (which != 0)
		csv_field(c, name_field(which));
	csv_field(c, "daily_sales");
	csv_field(c, "payment_terms_days");
	if (which == 0) {
		csv_field(c, "created_at");
		csv_field(c, "updated_at");
	}
	csv_end_row(c);
}

void
json_link_csv_row(struct csv *c, const struct store_link *l, int which)
{
	csv_field(c, l->supplier_id);
	csv_field(c, l->customer_id);
	if (which != 0)
		csv_field(c, l->name);
	csv_int64(c, l->daily_sales);
	csv_int64(c, l->payment_terms_days);
	if (which == 0) {
		csv_field(c, l->created_at);
		csv_field(c, l->updated_at);
	}
	csv_end_row(c);
}

/*
 * Imports. Each good line's pair is kept (in an arena, by offset, as the
 * arena moves) with its line, so that once the file is read a pair given
 * twice is found by sorting and reported against the line that had it
 * first.
 */
struct pair {
	size_t		 supplier;	/* offsets into the arena */
	size_t		 customer;
	const char	*s;		/* ... and, once it is whole, the ends */
	const char	*c;
	int		 line;
};

struct import {
	cJSON		*details;
	struct buf	*rows;
	struct buf	 arena;
	struct pair	*pairs;
	size_t		 npairs;
	size_t		 cap;
	int		 n;
};

static void
import_init(struct import *im, struct buf *rows, cJSON *details)
{
	memset(im, 0, sizeof(*im));
	im->details = details;
	im->rows = rows;
	buf_init(&im->arena);
	buf_init(rows);
	buf_puts(rows, "[");
}

static size_t
arena_add(struct buf *b, const char *s)
{
	size_t	off = b->len;

	buf_append(b, s, strlen(s) + 1);
	return (off);
}

/* One line's object: decoded, its pair kept, then its row written. */
static void
import_object(struct import *im, const cJSON *obj, int line)
{
	struct json_link	 l;
	struct pair		*p;
	cJSON			*o;
	int			 from;

	from = cJSON_GetArraySize(im->details);
	json_link_decode(obj, &l, im->details);
	json_details_line(im->details, from, line);
	if (cJSON_GetArraySize(im->details) != from)
		return;
	if (im->npairs == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 1024;
		if ((im->pairs = realloc(im->pairs, im->cap *
		    sizeof(*im->pairs))) == NULL)
			abort();
	}
	p = &im->pairs[im->npairs++];
	p->supplier = arena_add(&im->arena, l.supplier_id);
	p->customer = arena_add(&im->arena, l.customer_id);
	p->line = line;

	/* Once a line is bad nothing is written: stop building rows. */
	if (cJSON_GetArraySize(im->details) != 0)
		return;
	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	cJSON_AddNumberToObject(o, "line", line);
	cJSON_AddStringToObject(o, "supplier_id", l.supplier_id);
	cJSON_AddStringToObject(o, "customer_id", l.customer_id);
	json_add_int64(o, "daily_sales", l.daily_sales);
	json_add_int64(o, "payment_terms_days", l.payment_terms_days);
	if (im->n++ > 0)
		buf_puts(im->rows, ",");
	json_print_buf(im->rows, o);
	cJSON_Delete(o);
}

static int
pair_cmp(const void *a, const void *b)
{
	const struct pair	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->s, y->s)) != 0)
		return (c);
	if ((c = strcmp(x->c, y->c)) != 0)
		return (c);
	return (x->line < y->line ? -1 : x->line > y->line);
}

/* Later lines of a pair given twice are bad lines. */
static void
import_duplicates(struct import *im)
{
	struct pair	*p;
	size_t		 i, k;

	if (im->npairs < 2)
		return;
	/* The arena has stopped moving: point the pairs into it. */
	for (i = 0; i < im->npairs; i++) {
		p = &im->pairs[i];
		p->s = im->arena.data + p->supplier;
		p->c = im->arena.data + p->customer;
	}
	qsort(im->pairs, im->npairs, sizeof(*im->pairs), pair_cmp);
	for (i = 1, k = 0; i < im->npairs; i++) {
		if (strcmp(im->pairs[k].s, im->pairs[i].s) == 0 &&
		    strcmp(im->pairs[k].c, im->pairs[i].c) == 0) {
			json_detail(im->details, "customer_id",
			    im->pairs[i].line, "repeats the pair of line %d",
			    im->pairs[k].line);
			continue;
		}
		k = i;
	}
}

/* The jsonb array of every row stays in *rows unless a line was bad. */
static int
import_finish(struct import *im, int *n)
{
	import_duplicates(im);
	buf_cleanup(&im->arena);
	free(im->pairs);
	buf_puts(im->rows, "]");
	if (cJSON_GetArraySize(im->details) == 0 && im->n == 0)
		json_detail(im->details, NULL, 0, "the file holds no link");
	*n = im->n;
	if (cJSON_GetArraySize(im->details) != 0) {
		buf_cleanup(im->rows);
		*n = 0;
		return (-1);
	}
	return (0);
}

/*
 * A cell of an integer column as JSON would write it: 0 or -?[1-9][0-9]*.
 * Anything else (01, -0, 1.0, 1e3, +1, spaces) stays text, which the
 * decoder refuses as "must be an integer", as it does the same in JSON.
 */
static void
add_integer(cJSON *o, const char *name, const char *v)
{
	const char	*d;
	char		*end;
	long long	 x;

	d = v + (*v == '-');
	if (*d < '0' || *d > '9' || (*d == '0' && (d != v || d[1] != '\0')) ||
	    strspn(d, "0123456789") != strlen(d)) {
		cJSON_AddStringToObject(o, name, v);
		return;
	}
	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno == ERANGE)
		/* Beyond 64 bits is beyond every range: say so. */
		cJSON_AddNumberToObject(o, name, *v == '-' ? -1e300 : 1e300);
	else
		cJSON_AddNumberToObject(o, name, (double)x);
}

/* The JSON object a CSV record stands for; an empty cell is absent. */
static cJSON *
csv_object(const struct csv_record *rec, const int *cols)
{
	cJSON		*o;
	const char	*v;
	int		 i;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	for (i = 0; i < rec->n; i++) {
		v = rec->fields[i];
		if (*v == '\0')
			continue;
		if (F_INT(cols[i]))
			add_integer(o, link_fields[cols[i]], v);
		else
			cJSON_AddStringToObject(o, link_fields[cols[i]], v);
	}
	return (o);
}

/* The header row: every column known and once, all four there. */
static int
csv_columns(const struct csv_record *rec, int *cols, cJSON *details)
{
	unsigned int	have;
	size_t		chars;
	int		i, k, bad;

	have = 0;
	bad = 0;
	for (i = 0; i < rec->n; i++) {
		for (k = 0; k < NFIELDS; k++) {
			if (strcmp(rec->fields[i], link_fields[k]) == 0)
				break;
		}
		if (k == NFIELDS) {
			/* A name is echoed only when it is short text. */
			json_detail(details, utf8_check(rec->fields[i],
			    &chars) == UTF8_OK && chars <= 64 ?
			    rec->fields[i] : NULL, rec->line,
			    "unknown column");
			bad++;
		} else if (have & (1u << k)) {
			json_detail(details, link_fields[k], rec->line,
			    "column given more than once");
			bad++;
		} else {
			have |= 1u << k;
			cols[i] = k;
		}
	}
	for (k = 0; k < NFIELDS; k++) {
		if (!(have & (1u << k))) {
			json_detail(details, link_fields[k], rec->line,
			    "column is missing");
			bad++;
		}
	}
	return (bad ? -1 : 0);
}

/* A CSV import's state: the lines' import and the header's columns. */
struct csv_import {
	struct import		 im;
	int		 cols[CSV_MAXFIELDS];
};

static int
import_header(const struct csv_record *rec, void *arg, cJSON *details)
{
	struct csv_import	*ci = arg;

	return (csv_columns(rec, ci->cols, details));
}

static void
import_line(const struct csv_record *rec, void *arg)
{
	struct csv_import	*ci = arg;
	cJSON			*o;

	o = csv_object(rec, ci->cols);
	import_object(&ci->im, o, rec->line);
	cJSON_Delete(o);
}

/*
 * A CSV file with a header row. 0 with the rows for link_import in *rows
 * and their number in *n; -1 with every bad line in details.
 */
int
json_link_import_csv(const char *body, size_t len, struct buf *rows, int *n,
    cJSON *details)
{
	struct csv_import	 ci;

	import_init(&ci.im, rows, details);
	json_csv_import(body, len, details, import_header, import_line, &ci);
	return (import_finish(&ci.im, n));
}

/* One JSON object per line; blank lines are skipped. As the CSV import. */
int
json_link_import_ndjson(const char *body, size_t len, struct buf *rows,
    int *n, cJSON *details)
{
	struct import	 im;
	struct lines	 lines;
	const char	*s;
	size_t		 l;
	cJSON		*o;

	import_init(&im, rows, details);
	lines_init(&lines, body, len);
	while (lines_next(&lines, &s, &l)) {
		if (json_parse_line(s, l, lines.line, &o, details) == 0) {
			import_object(&im, o, lines.line);
			cJSON_Delete(o);
		}
	}
	return (import_finish(&im, n));
}
