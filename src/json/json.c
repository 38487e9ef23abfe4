/*
 * Shared JSON helpers (see json.h). A missing required field, a wrong
 * type, an out of range value and an unknown field each add one detail;
 * callers validate a whole body and answer once with all of them.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/utf8.h"
#include "json/json.h"

/*
 * What cJSON takes and the service refuses, found in the text itself:
 * the escape \u0000, which would end the text early in C, and numbers
 * that are not integers as JSON writes one. Every number a request holds
 * is whole (minor units, days, basis points): 1.9999999999999999 or 1e3
 * would be read as whole numbers they were not written as, and 01 is not
 * JSON. Strings are skipped over (the text is valid JSON by now); for
 * each number in document order, bad[i] says whether it is refused.
 */
static int
json_scan(const char *s, size_t len, unsigned char *bad, size_t *n)
{
	const char	*p, *end, *q;

	end = s + len;
	*n = 0;
	for (p = s; p < end; p++) {
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++) {
				if (*p != '\\' || ++p == end)
					continue;
				if (*p == 'u' && end - p > 4 &&
				    memcmp(p + 1, "0000", 4) == 0)
					return (JSON_NUL_TEXT);
			}
			continue;
		}
		if (*p != '-' && (*p < '0' || *p > '9'))
			continue;
		q = p + (*p == '-');
		if (bad != NULL)
			bad[*n] = q == end || *q < '0' || *q > '9' ||
			    (*q == '0' && (p != q || (q + 1 < end &&
			    q[1] >= '0' && q[1] <= '9')));
		while (q < end && ((*q >= '0' && *q <= '9') || *q == '.' ||
		    *q == 'e' || *q == 'E' || *q == '+' || *q == '-')) {
			if (bad != NULL && (*q < '0' || *q > '9') && q != p)
				bad[*n] = 1;
			q++;
		}
		(*n)++;
		p = q - 1;
	}
	return (JSON_OK);
}

/*
 * A number written otherwise than as an integer becomes 0.5, which every
 * reader of a whole number refuses as "must be an integer", so that it is
 * reported with the body's other problems.
 */
static void
mark_numbers(cJSON *j, const unsigned char *bad, size_t *i)
{
	cJSON	*c;

	if (cJSON_IsNumber(j) && bad[(*i)++]) {
		j->valuedouble = 0.5;
		j->valueint = 0;
	}
	cJSON_ArrayForEach(c, j)
		mark_numbers(c, bad, i);
}

/* The body must be exactly one JSON object and nothing after it. */
int
json_parse_object(const char *s, size_t len, cJSON **out)
{
	const char	*end;
	cJSON		*j;
	unsigned char	*bad;
	size_t		 n;
	int		 rc;

	*out = NULL;
	if (len == 0 || memchr(s, '\0', len) != NULL)
		return (JSON_MALFORMED);
	j = cJSON_ParseWithLengthOpts(s, len, &end, 0);
	if (j == NULL)
		return (JSON_MALFORMED);
	while (end < s + len && (*end == ' ' || *end == '\t' ||
	    *end == '\r' || *end == '\n'))
		end++;
	if (end != s + len) {
		cJSON_Delete(j);
		return (JSON_MALFORMED);
	}
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return (JSON_NOT_OBJECT);
	}
	/* Valid JSON, so a lexical pass can trust its strings' quotes. */
	if ((rc = json_scan(s, len, NULL, &n)) != JSON_OK) {
		cJSON_Delete(j);
		return (rc);
	}
	if (n > 0) {
		if ((bad = calloc(n, 1)) == NULL)
			abort();
		json_scan(s, len, bad, &n);
		n = 0;
		mark_numbers(j, bad, &n);
		free(bad);
	}
	*out = j;
	return (JSON_OK);
}

/*
 * One line of an NDJSON import: 0 with the object, or -1 with a detail
 * for the line saying why not.
 */
int
json_parse_line(const char *s, size_t len, int line, cJSON **out,
    cJSON *details)
{
	static const char *const	 problems[] = {
		[JSON_MALFORMED] = "is not valid JSON",
		[JSON_NOT_OBJECT] = "must be a JSON object",
		[JSON_NUL_TEXT] = JSON_NUL_TEXT_TEXT,
	};
	int				 rc;

	if ((rc = json_parse_object(s, len, out)) == JSON_OK)
		return (0);
	json_detail(details, NULL, line, "%s", problems[rc]);
	return (-1);
}

cJSON *
json_details_new(void)
{
	cJSON	*d;

	if ((d = cJSON_CreateArray()) == NULL)
		abort();
	return (d);
}

/*
 * A CSV cell that is an integer as JSON writes one: -?(0|[1-9][0-9]*),
 * no sign, space or leading zero, within +-(2^53 - 1). Anything else is
 * left to the decoder as text, which it refuses as not an integer.
 */
int
json_cell_integer(const char *v, int64_t *out)
{
	const char	*d = v[0] == '-' ? v + 1 : v;
	size_t		 n = strlen(d);
	long long	 x;

	if (n == 0 || n > 16 || strspn(d, "0123456789") != n ||
	    (d[0] == '0' && n > 1))
		return (-1);
	x = strtoll(v, NULL, 10);
	if (x > JSON_INT_MAX || x < -JSON_INT_MAX)
		return (-1);
	*out = x;
	return (0);
}

/*
 * The records of an import in CSV: header(rec, arg, details) checks the
 * header row (0: good, else its problems are in details); each record
 * after it of the header's width goes to record(rec, arg). A record that
 * cannot be read, or of another width, is a detail of its line.
 */
void
json_csv_import(const char *body, size_t len, cJSON *details,
    int (*header)(const struct csv_record *, void *, cJSON *),
    void (*record)(const struct csv_record *, void *), void *arg)
{
	struct csv_reader	 r;
	struct csv_record	 rec;
	const char		*err;
	int			 got, ncols;

	csv_reader_init(&r, body, len);
	csv_record_init(&rec);
	got = csv_read(&r, &rec, &err);
	if (got == -1)
		json_detail(details, NULL, rec.line, "%s", err);
	else if (got == 0)
		json_detail(details, NULL, 0, "the file has no header row");
	else if (header(&rec, arg, details) == 0) {
		ncols = rec.n;
		while ((got = csv_read(&r, &rec, &err)) != 0) {
			if (got == -1) {
				json_detail(details, NULL, rec.line, "%s", err);
				continue;
			}
			if (rec.n != ncols) {
				json_detail(details, NULL, rec.line,
				    "has %d fields where the header has %d",
				    rec.n, ncols);
				continue;
			}
			record(&rec, arg);
		}
	}
	csv_record_cleanup(&rec);
}

/* line < 1 means the detail is not about a line of an import. */
void
json_detail(cJSON *details, const char *field, int line, const char *fmt, ...)
{
	cJSON	*d;
	va_list	 ap;
	char	 msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if ((d = cJSON_CreateObject()) == NULL)
		abort();
	if (field != NULL)
		cJSON_AddStringToObject(d, "field", field);
	else
		cJSON_AddNullToObject(d, "field");
	if (line > 0)
		cJSON_AddNumberToObject(d, "line", line);
	cJSON_AddStringToObject(d, "problem", msg);
	cJSON_AddItemToArray(details, d);
}

/* Unknown or repeated members; returns the number of problems found. */
int
json_check_fields(const cJSON *obj, const char *const *allowed, cJSON *details)
{
	const cJSON	*m, *p;
	size_t		 n;
	int		 i, bad;

	bad = 0;
	cJSON_ArrayForEach(m, obj) {
		/* A name that is not text is not echoed into the reply. */
		if (utf8_check(m->string, &n) != UTF8_OK) {
			json_detail(details, NULL, 0, "a field name is not "
			    "valid UTF-8 text");
			bad++;
			continue;
		}
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(m->string, allowed[i]) == 0)
				break;
		}
		if (allowed[i] == NULL) {
			json_detail(details, m->string, 0, "unknown field");
			bad++;
			continue;
		}
		for (p = obj->child; p != m; p = p->next) {
			if (strcmp(p->string, m->string) == 0) {
				json_detail(details, m->string, 0,
				    "field given more than once");
				bad++;
				break;
			}
		}
	}
	return (bad);
}

/*
 * The typed getters return 1 when the field was present and valid, 0 when
 * it was absent (a detail is added if required), -1 when it was invalid.
 */
static const cJSON *
member(const cJSON *obj, const char *name, int required, cJSON *details)
{
	const cJSON	*m;

	m = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (m == NULL && required)
		json_detail(details, name, 0, "is required");
	return (m);
}

int
json_get_string(const cJSON *obj, const char *name, int required,
    size_t maxlen, const char **out, cJSON *details)
{
	const cJSON	*m;
	size_t		 len;

	if ((m = member(obj, name, required, details)) == NULL)
		return (0);
	if (!cJSON_IsString(m)) {
		json_detail(details, name, 0, "must be a string");
		return (-1);
	}
	len = strlen(m->valuestring);
	if (len > maxlen) {
		json_detail(details, name, 0, "must be at most %zu bytes",
		    maxlen);
		return (-1);
	}
	*out = m->valuestring;
	return (1);
}

int
json_get_int64(const cJSON *obj, const char *name, int required,
    int64_t min, int64_t max, int64_t *out, cJSON *details)
{
	const cJSON	*m;
	double		 d;

	if ((m = member(obj, name, required, details)) == NULL)
		return (0);
	if (!cJSON_IsNumber(m) || trunc(m->valuedouble) != m->valuedouble) {
		json_detail(details, name, 0, "must be an integer");
		return (-1);
	}
	d = m->valuedouble;
	if (d < (double)-JSON_INT_MAX || d > (double)JSON_INT_MAX ||
	    (int64_t)d < min || (int64_t)d > max) {
		json_detail(details, name, 0,
		    "must be between %" PRId64 " and %" PRId64,
		    min < -JSON_INT_MAX ? -JSON_INT_MAX : min,
		    max > JSON_INT_MAX ? JSON_INT_MAX : max);
		return (-1);
	}
	*out = (int64_t)d;
	return (1);
}

int
json_get_bool(const cJSON *obj, const char *name, int required, int *out,
    cJSON *details)
{
	const cJSON	*m;

	if ((m = member(obj, name, required, details)) == NULL)
		return (0);
	if (!cJSON_IsBool(m)) {
		json_detail(details, name, 0, "must be true or false");
		return (-1);
	}
	*out = cJSON_IsTrue(m);
	return (1);
}

/*
 * Text fields: valid UTF-8 of 1 to max characters, without control
 * characters. The database would refuse invalid UTF-8 with an error,
 * where the client deserves a 422. 0 when valid, else -1 and a detail.
 */
int
json_text_check(const char *name, const char *s, int max, cJSON *details)
{
	size_t	chars;

	switch (utf8_check(s, &chars)) {
	case UTF8_BAD:
		json_detail(details, name, 0, "must be valid UTF-8");
		return (-1);
	case UTF8_CONTROL:
		json_detail(details, name, 0,
		    "must not contain control characters");
		return (-1);
	default:
		break;
	}
	if (chars == 0) {
		json_detail(details, name, 0, "must not be empty");
		return (-1);
	}
	if (chars > (size_t)max) {
		json_detail(details, name, 0, "must be at most %d characters",
		    max);
		return (-1);
	}
	return (0);
}

/*
 * Ids chosen by clients (suppliers, invoices, schemes): 1 to 64 of
 * [A-Za-z0-9._-], so they are safe in paths and CSV, and unambiguous
 * inside the journal's account names, whose separator is ':'.
 */
int
json_is_id(const char *s)
{
	size_t	len;

	len = strlen(s);
	return (len >= 1 && len <= JSON_ID_MAX && strspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == len);
}

int
json_get_id(const cJSON *obj, const char *name, int required,
    const char **out, cJSON *details)
{
	int	r;

	if ((r = json_get_string(obj, name, required, JSON_ID_MAX, out,
	    details)) != 1)
		return (r);
	if (!json_is_id(*out)) {
		json_detail(details, name, 0, "must be 1 to 64 letters, "
		    "digits or . _ -");
		return (-1);
	}
	return (1);
}

/* Give the details added since index from the line they are about. */
void
json_details_line(cJSON *details, int from, int line)
{
	cJSON	*d;
	int	 i;

	for (i = from; i < cJSON_GetArraySize(details); i++) {
		d = cJSON_GetArrayItem(details, i);
		cJSON_DeleteItemFromObjectCaseSensitive(d, "line");
		cJSON_AddNumberToObject(d, "line", line);
	}
}

/* Printed from the integer itself, so every int64 comes out exact. */
void
json_add_int64(cJSON *obj, const char *name, int64_t v)
{
	char	buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	if (cJSON_AddRawToObject(obj, name, buf) == NULL)
		abort();
}

void
json_add_string_or_null(cJSON *obj, const char *name, const char *v)
{
	if (v == NULL)
		cJSON_AddNullToObject(obj, name);
	else
		cJSON_AddStringToObject(obj, name, v);
}

/*
 * Unformatted text, in memory of our own allocator whatever cJSON was
 * built on: free it with free().
 */
char *
json_print(const cJSON *j, size_t *len)
{
	char	*s, *copy;
	size_t	 n;

	if ((s = cJSON_PrintUnformatted(j)) == NULL)
		abort();
	n = strlen(s);
	if ((copy = malloc(n + 1)) == NULL)
		abort();
	memcpy(copy, s, n + 1);
	cJSON_free(s);
	if (len != NULL)
		*len = n;
	return (copy);
}

/*
 * Each member of want that is not the same in have, as a detail "differs
 * from the existing <what>"; the number of them. Frees both objects.
 */
int
json_diff(cJSON *want, cJSON *have, const char *what, cJSON *details)
{
	const cJSON	*m;
	int		 n;

	n = 0;
	cJSON_ArrayForEach(m, want) {
		if (!cJSON_Compare(m, cJSON_GetObjectItemCaseSensitive(have,
		    m->string), 1)) {
			json_detail(details, m->string, 0,
			    "differs from the existing %s", what);
			n++;
		}
	}
	cJSON_Delete(want);
	cJSON_Delete(have);
	return (n);
}

/* Unformatted text, appended to b. */
void
json_print_buf(struct buf *b, const cJSON *j)
{
	char	*s;

	s = json_print(j, NULL);
	buf_puts(b, s);
	free(s);
}

/* {"error": {"code", "message", "details"}}; details may be NULL. */
char *
json_error_body(const char *code, const char *message, const cJSON *details,
    size_t *len)
{
	cJSON	*root, *err;
	char	*s;

	if ((root = cJSON_CreateObject()) == NULL)
		abort();
	err = cJSON_AddObjectToObject(root, "error");
	cJSON_AddStringToObject(err, "code", code);
	cJSON_AddStringToObject(err, "message", message);
	if (details != NULL)
		cJSON_AddItemToObject(err, "details",
		    cJSON_Duplicate(details, 1));
	else
		cJSON_AddItemToObject(err, "details", cJSON_CreateArray());
	s = json_print(root, len);
	cJSON_Delete(root);
	return (s);
}
