/*
 * tideover-stress's CSV input: the suppliers, invoices and links files as
 * analysts hold them for the service's imports, with the scenario and the
 * scheme as small JSON files. Each table is checked by the import's own
 * rules and words (json_suppliers.c, json_invoices.c); what is good is put
 * together as the JSON document the tool otherwise reads, so that the
 * model is fed one way. Problems found later (by the document's decoder
 * or by model_validate) name a row as suppliers[i]; stress_csv_locate
 * turns that back into the file and line the analyst can open.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/stress.h"
#include "core/buf.h"
#include "core/csv.h"
#include "json/json.h"
#include "json/json_invoices.h"
#include "json/json_suppliers.h"

/* A link's columns, as POST /v1/links/import takes them. */
static const char *const link_columns[] = {
	"supplier_id", "customer_id", "daily_sales", "payment_terms_days",
	NULL
};

static char *
read_file(const char *path, size_t *len, struct stress_problems *p)
{
	FILE	*f;
	char	*buf = NULL, *nb;
	size_t	 cap = 0, n = 0, r;

	if ((f = fopen(path, "r")) == NULL) {
		stress_problem_file(p, path, 0, "", "%s", strerror(errno));
		return (NULL);
	}
	for (;;) {
		if (cap - n < 65536) {
			cap = cap == 0 ? 65536 : cap * 2;
			if ((nb = realloc(buf, cap + 1)) == NULL)
				goto fail;
			buf = nb;
		}
		if ((r = fread(buf + n, 1, cap - n, f)) == 0)
			break;
		n += r;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return (buf);
fail:
	stress_problem_file(p, path, 0, "", "cannot be read");
	fclose(f);
	free(buf);
	return (NULL);
}

/* The import's details ({field, line, problem}), as the tool's problems. */
static void
from_details(struct stress_problems *p, const char *file, const cJSON *d)
{
	const cJSON	*e, *field, *line;

	cJSON_ArrayForEach(e, d) {
		field = cJSON_GetObjectItemCaseSensitive(e, "field");
		line = cJSON_GetObjectItemCaseSensitive(e, "line");
		stress_problem_file(p, file, cJSON_IsNumber(line) ?
		    (int)line->valuedouble : 0, cJSON_IsString(field) ?
		    field->valuestring : "", "%s", cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(e, "problem")));
	}
}

/* Room for element n of a table's line numbers, doubling; NULL: no memory. */
static int *
lines_grow(int *lines, size_t n)
{
	if ((n & (n - 1)) != 0 && n != 0)
		return (lines);
	return (reallocarray(lines, n == 0 ? 1 : n * 2, sizeof(int)));
}

/*
 * Suppliers: json_supplier_import_csv checks every line and gives the
 * rows back as a JSON array, in the file's order, so row i is the i-th
 * data record. Its lines are recounted here to map problems found later.
 */
static cJSON *
suppliers(struct stress_csv *c, const char *text, size_t len,
    const char *currency, struct stress_problems *p)
{
	struct buf		 rows;
	struct csv_reader	 r;
	struct csv_record	 rec;
	const char		*err;
	cJSON			*details, *a;
	size_t			 n = 0;
	int			 nrows;

	details = json_details_new();
	if (json_supplier_import_csv(text, len, currency, &rows, &nrows,
	    details) == -1) {
		from_details(p, c->suppliers, details);
		cJSON_Delete(details);
		return (NULL);
	}
	cJSON_Delete(details);
	a = cJSON_ParseWithLength((const char *)rows.data, rows.len);
	buf_cleanup(&rows);
	if (a == NULL)
		return (NULL);

	csv_reader_init(&r, text, len);
	csv_record_init(&rec);
	(void)csv_read(&r, &rec, &err);		/* the header */
	while (csv_read(&r, &rec, &err) == 1) {
		if ((c->supplier_lines = lines_grow(c->supplier_lines, n)) ==
		    NULL)
			abort();
		c->supplier_lines[n++] = rec.line;
	}
	csv_record_cleanup(&rec);
	c->nsupplier_lines = n;
	return (a);
}

/* An invoice import's line, kept as the document's invoice. */
struct invoice_rows {
	struct stress_csv	*c;
	const char		*currency;
	cJSON			*a;
	size_t			 n;
};

static void
invoice_line(void *arg, cJSON *obj, int line, cJSON *details)
{
	struct invoice_rows	*ir = arg;
	struct json_invoice	 in;
	cJSON			*o;

	if (json_invoice_import_decode(obj, ir->currency, line, &in,
	    details) == 0 && cJSON_GetArraySize(details) == 0) {
		if ((o = cJSON_CreateObject()) == NULL)
			abort();
		cJSON_AddStringToObject(o, "id", in.id);
		cJSON_AddStringToObject(o, "supplier_id", in.supplier_id);
		cJSON_AddStringToObject(o, "due_date", in.due_date);
		cJSON_AddNumberToObject(o, "amount", (double)in.amount);
		cJSON_AddItemToArray(ir->a, o);
		if ((ir->c->invoice_lines = lines_grow(ir->c->invoice_lines,
		    ir->n)) == NULL)
			abort();
		ir->c->invoice_lines[ir->n++] = line;
	}
	cJSON_Delete(obj);
}

/* Invoices: the import's own reader and rules (json_invoices.c). */
static cJSON *
invoices(struct stress_csv *c, const char *text, size_t len,
    const char *currency, struct stress_problems *p)
{
	struct invoice_rows	 ir;
	cJSON			*details;

	details = json_details_new();
	ir.c = c;
	ir.currency = currency;
	ir.a = cJSON_CreateArray();
	ir.n = 0;
	json_invoice_csv_each(text, len, details, 0, invoice_line, &ir);
	c->ninvoice_lines = ir.n;
	if (cJSON_GetArraySize(details) != 0) {
		from_details(p, c->invoices, details);
		cJSON_Delete(ir.a);
		ir.a = NULL;
	}
	cJSON_Delete(details);
	return (ir.a);
}

/*
 * Links: the header names the columns (any order, each once); the cells'
 * types are the document decoder's, and ranges, unknown suppliers,
 * self-links and repeated pairs model_validate's, reported against the
 * line after the fact.
 */
static cJSON *
links(struct stress_csv *c, const char *text, size_t len,
    struct stress_problems *p)
{
	struct csv_reader	 r;
	struct csv_record	 rec, head;
	const char		*err;
	cJSON			*a, *o;
	int64_t			 v;
	size_t			 n = 0;
	int			 col[CSV_MAXFIELDS], got, i, k, bad = 0;
	unsigned int		 have = 0;

	a = cJSON_CreateArray();
	csv_reader_init(&r, text, len);
	csv_record_init(&rec);
	csv_record_init(&head);
	if ((got = csv_read(&r, &head, &err)) != 1) {
		stress_problem_file(p, c->links, 1, "", "%s", got == 0 ?
		    "a header row is required" : err);
		bad = 1;
		goto out;
	}
	for (i = 0; i < head.n; i++) {
		for (k = 0; link_columns[k] != NULL; k++)
			if (strcmp(head.fields[i], link_columns[k]) == 0)
				break;
		if (link_columns[k] == NULL) {
			stress_problem_file(p, c->links, 1, head.fields[i],
			    "is not a column of a link");
			bad = 1;
		} else if (have & (1u << k)) {
			stress_problem_file(p, c->links, 1, head.fields[i],
			    "is given more than once");
			bad = 1;
		}
		have |= 1u << k;
		col[i] = k;
	}
	for (k = 0; link_columns[k] != NULL; k++)
		if (!(have & (1u << k))) {
			stress_problem_file(p, c->links, 1, link_columns[k],
			    "the header has no such column");
			bad = 1;
		}
	if (bad)
		goto out;
	while ((got = csv_read(&r, &rec, &err)) != 0) {
		if (got == -1) {
			stress_problem_file(p, c->links, r.line - 1, "", "%s",
			    err);
			bad = 1;
			continue;
		}
		if (rec.n != head.n) {
			stress_problem_file(p, c->links, rec.line, "",
			    "has %d fields, the header has %d", rec.n, head.n);
			bad = 1;
			continue;
		}
		/* As a supplier's cells: the decoder words the problems. */
		o = cJSON_CreateObject();
		for (i = 0; i < rec.n; i++) {
			if (rec.fields[i][0] == '\0')
				continue;
			if (col[i] >= 2 &&
			    json_cell_integer(rec.fields[i], &v) == 0)
				cJSON_AddNumberToObject(o, head.fields[i],
				    (double)v);
			else
				cJSON_AddStringToObject(o, head.fields[i],
				    rec.fields[i]);
		}
		cJSON_AddItemToArray(a, o);
		if ((c->link_lines = lines_grow(c->link_lines, n)) == NULL)
			abort();
		c->link_lines[n++] = rec.line;
	}
out:
	csv_record_cleanup(&rec);
	csv_record_cleanup(&head);
	c->nlink_lines = n;
	if (bad) {
		cJSON_Delete(a);
		a = NULL;
	}
	return (a);
}

/* A small JSON file: the scenario or the scheme, an object. */
static cJSON *
object_file(const char *path, struct stress_problems *p)
{
	cJSON		*o;
	char		*text;
	size_t		 len, line = 1;
	const char	*at, *s;

	if ((text = read_file(path, &len, p)) == NULL)
		return (NULL);
	if ((o = cJSON_ParseWithLength(text, len)) == NULL) {
		at = cJSON_GetErrorPtr();
		for (s = text; at != NULL && s < at && s < text + len; s++)
			line += *s == '\n';
		stress_problem_file(p, path, (int)line, "",
		    "is not valid JSON");
	} else if (!cJSON_IsObject(o)) {
		stress_problem_file(p, path, 0, "", "must be a JSON object");
		cJSON_Delete(o);
		o = NULL;
	}
	free(text);
	return (o);
}

static void
table(struct stress_csv *c, cJSON *doc, const char *name, const char *path,
    struct stress_problems *p)
{
	cJSON	*a = NULL;
	char	*text;
	size_t	 len;

	if ((text = read_file(path, &len, p)) == NULL)
		return;
	if (strcmp(name, "suppliers") == 0)
		a = suppliers(c, text, len, c->currency, p);
	else if (strcmp(name, "invoices") == 0)
		a = invoices(c, text, len, c->currency, p);
	else
		a = links(c, text, len, p);
	free(text);
	if (a != NULL)
		cJSON_AddItemToObject(doc, name, a);
}

cJSON *
stress_csv_document(struct stress_csv *c, struct stress_problems *p)
{
	cJSON	*doc, *o;

	doc = cJSON_CreateObject();
	table(c, doc, "suppliers", c->suppliers, p);
	table(c, doc, "invoices", c->invoices, p);
	if (c->links != NULL)
		table(c, doc, "links", c->links, p);
	/* The bodies POST /v1/scenarios and /v1/schemes take will do. */
	if ((o = object_file(c->scenario, p)) != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(o, "id");
		cJSON_DeleteItemFromObjectCaseSensitive(o, "name");
		cJSON_DeleteItemFromObjectCaseSensitive(o, "announcements");
		cJSON_AddItemToObject(doc, "scenario", o);
	}
	if (c->scheme != NULL && (o = object_file(c->scheme, p)) != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(o, "id");
		cJSON_DeleteItemFromObjectCaseSensitive(o, "name");
		cJSON_AddItemToObject(doc, "scheme", o);
	}
	cJSON_AddNumberToObject(doc, "max_outage_days",
	    (double)c->max_outage_days);
	if (c->outage_days >= 0)
		cJSON_AddNumberToObject(doc, "outage_days",
		    (double)c->outage_days);
	if (p->n > 0) {
		cJSON_Delete(doc);
		return (NULL);
	}
	return (doc);
}

/*
 * A problem named suppliers[i].field, invoices[i]... or links[i]... gets
 * its file and line; scenario.x and scheme.x their file. Others (the
 * outage lengths, given on the command line) stay as they are.
 */
void
stress_csv_locate(const struct stress_csv *c, struct stress_problems *p)
{
	static const char *const names[] = { "suppliers", "invoices",
	    "links" };
	const char		*files[3] = { c->suppliers, c->invoices,
	    c->links };
	const int		*lines[3] = { c->supplier_lines,
	    c->invoice_lines, c->link_lines };
	size_t			 nlines[3] = { c->nsupplier_lines,
	    c->ninvoice_lines, c->nlink_lines };
	struct stress_problem	*v;
	const char		*rest;
	char			*end, field[sizeof(v->field)];
	unsigned long		 i;
	size_t			 n, k, l;

	for (n = 0; n < p->n; n++) {
		v = &p->v[n];
		if (v->file[0] != '\0')
			continue;
		for (k = 0; k < 3; k++) {
			l = strlen(names[k]);
			if (strncmp(v->field, names[k], l) != 0 ||
			    v->field[l] != '[')
				continue;
			errno = 0;
			i = strtoul(v->field + l + 1, &end, 10);
			if (errno != 0 || *end != ']' || i >= nlines[k] ||
			    files[k] == NULL)
				break;
			rest = end[1] == '.' ? end + 2 : end + 1;
			snprintf(field, sizeof(field), "%s", rest);
			snprintf(v->field, sizeof(v->field), "%s", field);
			snprintf(v->file, sizeof(v->file), "%s", files[k]);
			v->line = lines[k][i];
			break;
		}
		if (k < 3)
			continue;
		if (strncmp(v->field, "scenario.", 9) == 0) {
			snprintf(field, sizeof(field), "%s", v->field + 9);
			snprintf(v->field, sizeof(v->field), "%s", field);
			snprintf(v->file, sizeof(v->file), "%s", c->scenario);
		} else if (c->scheme != NULL &&
		    strncmp(v->field, "scheme.", 7) == 0) {
			snprintf(field, sizeof(field), "%s", v->field + 7);
			snprintf(v->field, sizeof(v->field), "%s", field);
			snprintf(v->file, sizeof(v->file), "%s", c->scheme);
		}
	}
}

void
stress_csv_cleanup(struct stress_csv *c)
{
	free(c->supplier_lines);
	free(c->invoice_lines);
	free(c->link_lines);
	c->supplier_lines = c->invoice_lines = c->link_lines = NULL;
}
