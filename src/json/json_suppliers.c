/*
 * Supplier codecs (see json_suppliers.h). A CSV line is first turned into
 * the JSON object it stands for and then decoded exactly as a JSON body,
 * so both import formats and POST /v1/suppliers apply the same rules.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/lines.h"
#include "core/model.h"
#include "json/json.h"
#include "json/json_suppliers.h"

enum {
	T_ID,
	T_TEXT,
	T_CURRENCY,
	T_INT,
	T_BOOL,
};

#define REQUIRED	0x01	/* on create and in every import line */
#define DECLARATION	0x02	/* the supplier may change it */

#define OFF(m)		offsetof(struct store_supplier, m)
#define MONEY_MAX	JSON_INT_MAX
#define DAILY_MAX	MODEL_DAILY_MAX

/* The record's fields, in output order. Ranges are the liquidity model's. */
static const struct field {
	const char	*name;
	int		 type;
	int64_t		 min;
	int64_t		 max;		/* for text: characters */
	size_t		 off;
	int		 flags;
} fields[JSON_SUPPLIER_NFIELDS] = {
	{ "id", T_ID, 1, JSON_ID_MAX, OFF(id), REQUIRED },
	{ "name", T_TEXT, 1, 200, OFF(name), REQUIRED },
	{ "tier", T_INT, 1, 3, OFF(tier), REQUIRED },
	{ "region", T_TEXT, 1, 100, OFF(region), REQUIRED },
	{ "sector", T_TEXT, 1, 100, OFF(sector), REQUIRED },
	{ "employees", T_INT, 0, INT32_MAX, OFF(employees), REQUIRED },
	{ "currency", T_CURRENCY, 3, 3, OFF(currency), REQUIRED },
	{ "cash", T_INT, -MONEY_MAX, MONEY_MAX, OFF(cash),
	    REQUIRED | DECLARATION },
	{ "credit_available", T_INT, 0, MONEY_MAX, OFF(credit_available),
	    REQUIRED | DECLARATION },
	{ "min_liquidity", T_INT, -MONEY_MAX, MONEY_MAX, OFF(min_liquidity),
	    0 },
	{ "fixed_daily_costs", T_INT, 0, DAILY_MAX, OFF(fixed_daily_costs),
	    REQUIRED | DECLARATION },
	{ "oem_daily_sales", T_INT, 0, DAILY_MAX, OFF(oem_daily_sales),
	    REQUIRED },
	{ "variable_cost_bps", T_INT, 0, 10000, OFF(variable_cost_bps),
	    REQUIRED },
	{ "other_daily_receipts", T_INT, 0, DAILY_MAX,
	    OFF(other_daily_receipts), REQUIRED | DECLARATION },
	{ "payment_terms_days", T_INT, 0, 365, OFF(payment_terms_days),
	    REQUIRED },
	{ "scheme_opt_in", T_BOOL, 0, 1, OFF(scheme_opt_in), DECLARATION },
};

/* The same names, for json_check_fields. */
static const char *const field_names[JSON_SUPPLIER_NFIELDS + 1] = {
	"id", "name", "tier", "region", "sector", "employees", "currency",
	"cash", "credit_available", "min_liquidity", "fixed_daily_costs",
	"oem_daily_sales", "variable_cost_bps", "other_daily_receipts",
	"payment_terms_days", "scheme_opt_in", NULL
};

static const char **
str_at(struct store_supplier *s, const struct field *f)
{
	return ((const char **)(void *)((char *)s + f->off));
}

static int64_t *
int_at(struct store_supplier *s, const struct field *f)
{
	return ((int64_t *)(void *)((char *)s + f->off));
}

static int *
bool_at(struct store_supplier *s, const struct field *f)
{
	return ((int *)(void *)((char *)s + f->off));
}

static const char *
str_of(const struct store_supplier *s, const struct field *f)
{
	return (*(const char *const *)(const void *)((const char *)s +
	    f->off));
}

static int64_t
int_of(const struct store_supplier *s, const struct field *f)
{
	return (*(const int64_t *)(const void *)((const char *)s + f->off));
}

static int
bool_of(const struct store_supplier *s, const struct field *f)
{
	return (*(const int *)(const void *)((const char *)s + f->off));
}

/* As the json_get_* getters: 1 valid, 0 absent, -1 invalid. */
static int
field_get(const cJSON *j, const struct field *f, int required,
    const char *currency, struct store_supplier *s, cJSON *details)
{
	const char	*v;
	int		 r;

	switch (f->type) {
	case T_ID:
		if ((r = json_get_id(j, f->name, required, &v, details)) != 1)
			return (r);
		/* /v1/suppliers/import is a route, not a supplier. */
		if (strcmp(v, "import") == 0) {
			json_detail(details, f->name, 0, "is reserved");
			return (-1);
		}
		*str_at(s, f) = v;
		return (1);
	case T_TEXT:
		r = json_get_string(j, f->name, required, SIZE_MAX, &v,
		    details);
		if (r != 1)
			return (r);
		if (json_text_check(f->name, v, (int)f->max, details) == -1)
			return (-1);
		*str_at(s, f) = v;
		return (1);
	case T_CURRENCY:
		r = json_get_string(j, f->name, required, SIZE_MAX, &v,
		    details);
		if (r != 1)
			return (r);
		if (strcmp(v, currency) != 0) {
			json_detail(details, f->name, 0,
			    "must be %s, the currency of this deployment",
			    currency);
			return (-1);
		}
		*str_at(s, f) = v;
		return (1);
	case T_INT:
		return (json_get_int64(j, f->name, required, f->min, f->max,
		    int_at(s, f), details));
	default:
		return (json_get_bool(j, f->name, required, bool_at(s, f),
		    details));
	}
}

/* 0 when valid; otherwise details say why, every problem at once. */
int
json_supplier_create_decode(const cJSON *j, const char *currency,
    struct store_supplier *s, cJSON *details)
{
	int	i, before;

	before = cJSON_GetArraySize(details);
	memset(s, 0, sizeof(*s));
	/* Defaults: no threshold above zero, not opted in. */
	s->min_liquidity = 0;
	s->scheme_opt_in = 0;
	json_check_fields(j, field_names, details);
	for (i = 0; i < JSON_SUPPLIER_NFIELDS; i++)
		field_get(j, &fields[i], fields[i].flags & REQUIRED, currency,
		    s, details);
	return (cJSON_GetArraySize(details) == before ? 0 : -1);
}

/*
 * A partial update: only the fields present change. The id never does,
 * and a supplier may change only its liquidity declaration.
 */
int
json_supplier_patch_decode(const cJSON *j, const char *currency, int who,
    struct json_supplier_patch *p, cJSON *details)
{
	const struct field	*f;
	int			 i, before;

	before = cJSON_GetArraySize(details);
	memset(p, 0, sizeof(*p));
	json_check_fields(j, field_names, details);
	for (i = 0; i < JSON_SUPPLIER_NFIELDS; i++) {
		f = &fields[i];
		if (cJSON_GetObjectItemCaseSensitive(j, f->name) == NULL)
			continue;
		if (f->type == T_ID) {
			json_detail(details, f->name, 0, "cannot be changed");
			continue;
		}
		if (who == JSON_SUPPLIER_OWN && !(f->flags & DECLARATION)) {
			json_detail(details, f->name, 0,
			    "only treasury may change this field");
			continue;
		}
		if (field_get(j, f, 0, currency, &p->s, details) == 1)
			p->given |= 1u << i;
	}
	return (cJSON_GetArraySize(details) == before ? 0 : -1);
}

static void
add_field(cJSON *o, const struct store_supplier *s, const struct field *f)
{
	switch (f->type) {
	case T_INT:
		json_add_int64(o, f->name, int_of(s, f));
		break;
	case T_BOOL:
		cJSON_AddBoolToObject(o, f->name, bool_of(s, f));
		break;
	default:
		json_add_string_or_null(o, f->name, str_of(s, f));
		break;
	}
}

/* The given fields (bits of JSON_SUPPLIER_ALL) as one object. */
static cJSON *
fields_object(const struct store_supplier *s, unsigned int given)
{
	cJSON	*o;
	int	 i;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	for (i = 0; i < JSON_SUPPLIER_NFIELDS; i++) {
		if (given & (1u << i))
			add_field(o, s, &fields[i]);
	}
	return (o);
}

/* The given fields as one jsonb object for the database, appended to b. */
void
json_supplier_row(struct buf *b, const struct store_supplier *s,
    unsigned int given)
{
	cJSON	*o;

	o = fields_object(s, given);
	json_print_buf(b, o);
	cJSON_Delete(o);
}

/* The number of fields of want that differ from have, each a detail. */
int
json_supplier_diff(const struct store_supplier *want,
    const struct store_supplier *have, cJSON *details)
{
	return (json_diff(fields_object(want, JSON_SUPPLIER_ALL),
	    fields_object(have, JSON_SUPPLIER_ALL), "supplier", details));
}

cJSON *
json_supplier_encode(const struct store_supplier *s)
{
	cJSON	*o;
	int	 i;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	for (i = 0; i < JSON_SUPPLIER_NFIELDS; i++)
		add_field(o, s, &fields[i]);
	json_add_string_or_null(o, "created_at", s->created_at);
	json_add_string_or_null(o, "updated_at", s->updated_at);
	return (o);
}

void
json_supplier_ledger_add(cJSON *o, const struct store_supplier_ledger *l)
{
	cJSON	*j;

	if ((j = cJSON_AddObjectToObject(o, "ledger")) == NULL)
		abort();
	json_add_int64(j, "receivable_outstanding", l->receivable_outstanding);
	json_add_int64(j, "paid_to_date", l->paid_to_date);
	json_add_int64(j, "early_paid_to_date", l->early_paid_to_date);
	json_add_int64(j, "fees_to_date", l->fees_to_date);
	json_add_int64(j, "prepaid_outstanding", l->prepaid_outstanding);
	json_add_int64(j, "owed_back", l->owed_back);
}

/* The same column names as the JSON record. */
void
json_supplier_csv_header(struct csv *c)
{
	int	i;

	for (i = 0; i < JSON_SUPPLIER_NFIELDS; i++)
		csv_field(c, fields[i].name);
	csv_field(c, "created_at");
	csv_field(c, "updated_at");
	csv_end_row(c);
}

void
json_supplier_csv_row(struct csv *c, const struct store_supplier *s)
{
	const struct field	*f;
	int			 i;

	for (i = 0; i < JSON_SUPPLIER_NFIELDS; i++) {
		f = &fields[i];
		if (f->type == T_INT)
			csv_int64(c, int_of(s, f));
		else if (f->type == T_BOOL)
			csv_field(c, bool_of(s, f) ? "true" : "false");
		else
			csv_field(c, str_of(s, f));
	}
	csv_field(c, s->created_at);
	csv_field(c, s->updated_at);
	csv_end_row(c);
}

/*
 * Imports. The ids seen so far, with their lines, so that a repeated id
 * is reported against the line that had it first: open addressing,
 * FNV-1a, grown at half full.
 */
struct seen {
	struct {
		char	*id;
		int	 line;
	}		*slot;
	size_t		 cap;
	size_t		 n;
};

static uint64_t
fnv1a(const char *s)
{
	uint64_t	h = UINT64_C(14695981039346656037);

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return (h);
}

static void
seen_cleanup(struct seen *t)
{
	size_t	i;

	for (i = 0; i < t->cap; i++)
		free(t->slot[i].id);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* 0 when id is new (it is added), else the line that had it first. */
static int
seen_add(struct seen *t, const char *id, int line)
{
	struct seen	 old;
	size_t		 i, k;

	if (2 * (t->n + 1) > t->cap) {
		old = *t;
		t->cap = old.cap == 0 ? 1024 : old.cap * 2;
		t->n = 0;
		if ((t->slot = calloc(t->cap, sizeof(*t->slot))) == NULL)
			abort();
		for (k = 0; k < old.cap; k++) {
			if (old.slot[k].id == NULL)
				continue;
			i = fnv1a(old.slot[k].id) & (t->cap - 1);
			while (t->slot[i].id != NULL)
				i = (i + 1) & (t->cap - 1);
			t->slot[i] = old.slot[k];
			t->n++;
		}
		free(old.slot);
	}
	i = fnv1a(id) & (t->cap - 1);
	while (t->slot[i].id != NULL) {
		if (strcmp(t->slot[i].id, id) == 0)
			return (t->slot[i].line);
		i = (i + 1) & (t->cap - 1);
	}
	if ((t->slot[i].id = strdup(id)) == NULL)
		abort();
	t->slot[i].line = line;
	t->n++;
	return (0);
}

struct import {
	const char	*currency;
	cJSON		*details;
	struct seen	 seen;
	struct buf	*rows;
	int		 n;
};

static void
import_init(struct import *im, const char *currency, struct buf *rows,
    cJSON *details)
{
	memset(im, 0, sizeof(*im));
	im->currency = currency;
	im->details = details;
	im->rows = rows;
	buf_init(rows);
	buf_puts(rows, "[");
}

/* One line's object: decoded, checked for a repeated id, then kept. */
static void
import_object(struct import *im, const cJSON *obj, int line)
{
	struct store_supplier	s;
	int			from, first;

	from = cJSON_GetArraySize(im->details);
	json_supplier_create_decode(obj, im->currency, &s, im->details);
	if (s.id != NULL && (first = seen_add(&im->seen, s.id, line)) != 0)
		json_detail(im->details, "id", 0, "repeats the id of line %d",
		    first);
	json_details_line(im->details, from, line);

	/* Once a line is bad nothing is written: stop building rows. */
	if (cJSON_GetArraySize(im->details) != 0)
		return;
	if (im->n++ > 0)
		buf_puts(im->rows, ",");
	json_supplier_row(im->rows, &s, JSON_SUPPLIER_ALL);
}

/* The jsonb array of every row stays in *rows unless a line was bad. */
static int
import_finish(struct import *im, int *n)
{
	seen_cleanup(&im->seen);
	buf_puts(im->rows, "]");
	if (cJSON_GetArraySize(im->details) == 0 && im->n == 0)
		json_detail(im->details, NULL, 0, "the file holds no supplier");
	*n = im->n;
	if (cJSON_GetArraySize(im->details) != 0) {
		buf_cleanup(im->rows);
		return (-1);
	}
	return (0);
}

/*
 * The JSON object a CSV record stands for. An empty cell is an absent
 * field; a cell that is not of its column's type stays a string, so the
 * decoder reports it with the same words as for JSON.
 */
static cJSON *
csv_object(const struct csv_record *rec, const struct field *const *cols)
{
	cJSON		*o;
	const char	*v;
	int64_t		 x;
	int		 i;

	if ((o = cJSON_CreateObject()) == NULL)
		abort();
	for (i = 0; i < rec->n; i++) {
		v = rec->fields[i];
		if (*v == '\0')
			continue;
		if (cols[i]->type == T_INT && json_cell_integer(v, &x) == 0)
			cJSON_AddNumberToObject(o, cols[i]->name, (double)x);
		else if (cols[i]->type == T_BOOL && strcasecmp(v, "true") == 0)
			cJSON_AddTrueToObject(o, cols[i]->name);
		else if (cols[i]->type == T_BOOL && strcasecmp(v, "false") == 0)
			cJSON_AddFalseToObject(o, cols[i]->name);
		else
			cJSON_AddStringToObject(o, cols[i]->name, v);
	}
	return (o);
}

/* The header row: every column known and once, every required one there. */
static int
csv_columns(const struct csv_record *rec, const struct field **cols,
    cJSON *details)
{
	unsigned int	have;
	int		i, k, bad;

	have = 0;
	bad = 0;
	for (i = 0; i < rec->n; i++) {
		for (k = 0; k < JSON_SUPPLIER_NFIELDS; k++) {
			if (strcmp(rec->fields[i], fields[k].name) == 0)
				break;
		}
		if (k == JSON_SUPPLIER_NFIELDS) {
			json_detail(details, rec->fields[i], rec->line,
			    "unknown column");
			bad++;
		} else if (have & (1u << k)) {
			json_detail(details, rec->fields[i], rec->line,
			    "column given more than once");
			bad++;
		} else {
			have |= 1u << k;
			cols[i] = &fields[k];
		}
	}
	for (k = 0; k < JSON_SUPPLIER_NFIELDS; k++) {
		if ((fields[k].flags & REQUIRED) && !(have & (1u << k))) {
			json_detail(details, fields[k].name, rec->line,
			    "column is missing");
			bad++;
		}
	}
	return (bad ? -1 : 0);
}

/* A CSV import's state: the lines' import and the header's columns. */
struct csv_import {
	struct import		 im;
	const struct field	*cols[CSV_MAXFIELDS];
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
 * A CSV file with a header row. 0 with the rows for supplier_import in
 * *rows and their number in *n; -1 with every bad line in details.
 */
int
json_supplier_import_csv(const char *body, size_t len, const char *currency,
    struct buf *rows, int *n, cJSON *details)
{
	struct csv_import	 ci;

	import_init(&ci.im, currency, rows, details);
	json_csv_import(body, len, details, import_header, import_line, &ci);
	return (import_finish(&ci.im, n));
}

/* One JSON object per line; blank lines are skipped. As the CSV import. */
int
json_supplier_import_ndjson(const char *body, size_t len,
    const char *currency, struct buf *rows, int *n, cJSON *details)
{
	struct import	 im;
	struct lines	 lines;
	const char	*s;
	size_t		 l;
	cJSON		*o;

	import_init(&im, currency, rows, details);
	lines_init(&lines, body, len);
	while (lines_next(&lines, &s, &l)) {
		if (json_parse_line(s, l, lines.line, &o, details) == 0) {
			import_object(&im, o, lines.line);
			cJSON_Delete(o);
		}
	}
	return (import_finish(&im, n));
}
