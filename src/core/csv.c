/*
 * CSV writer and reader (see csv.h). On output a NULL value is an empty
 * unquoted field and an empty string an empty quoted one, so the two stay
 * distinguishable.
 */
#include <inttypes.h>
#include <string.h>

#include "core/csv.h"
#include "core/lines.h"

void
csv_init(struct csv *c, struct buf *out)
{
	c->out = out;
	c->col = 0;
}

static void
sep(struct csv *c)
{
	if (c->col++ > 0)
		buf_append(c->out, ",", 1);
}

/*
 * A text cell. One that a spreadsheet would run as a formula (it starts
 * with =, +, -, @, a tab or a CR) is written quoted, behind an apostrophe,
 * so that it opens as the text it is; numbers are written by csv_int64.
 */
void
csv_field(struct csv *c, const char *s)
{
	const char	*p;
	int		 formula;

	if (s == NULL) {
		csv_null(c);
		return;
	}
	sep(c);
	formula = *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
	if (*s != '\0' && !formula && strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(c->out, s);
		return;
	}
	buf_append(c->out, formula ? "\"'" : "\"", formula ? 2 : 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_append(c->out, "\"", 1);
		buf_append(c->out, p, 1);
	}
	buf_append(c->out, "\"", 1);
}

void
csv_int64(struct csv *c, int64_t v)
{
	sep(c);
	buf_printf(c->out, "%" PRId64, v);
}

void
csv_null(struct csv *c)
{
	sep(c);
}

void
csv_end_row(struct csv *c)
{
	buf_append(c->out, "\r\n", 2);
	c->col = 0;
}

void
csv_header(struct csv *c, const char *const *names)
{
	for (; *names != NULL; names++)
		csv_field(c, *names);
	csv_end_row(c);
}

/* A UTF-8 byte order mark, as spreadsheets write one, is skipped. */
void
csv_reader_init(struct csv_reader *r, const char *data, size_t len)
{
	r->p = data + lines_bom(data, len);
	r->end = data + len;
	r->line = 1;
}

void
csv_record_init(struct csv_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	buf_init(&rec->storage);
}

void
csv_record_cleanup(struct csv_record *rec)
{
	buf_cleanup(&rec->storage);
	csv_record_init(rec);
}

/*
 * Read one record. Returns 1 with the record's fields (valid until the
 * next read), 0 at the end of the input, -1 with *err for a malformed
 * record (the reader then skips to the next line, so every bad line of a
 * file can be reported). Blank lines are skipped.
 */
int
csv_read(struct csv_reader *r, struct csv_record *rec, const char **err)
{
	size_t		 off[CSV_MAXFIELDS];
	const char	*p;
	int		 quoted, i, bad;
	char		 nul = '\0';

	while (r->p < r->end && (*r->p == '\n' ||
	    (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n'))) {
		r->p += *r->p == '\r' ? 2 : 1;
		r->line++;
	}
	if (r->p >= r->end)
		return (0);

	rec->storage.len = 0;
	rec->n = 0;
	rec->line = r->line;
	bad = 0;
	*err = NULL;
	p = r->p;
	for (;;) {
		if (rec->n == CSV_MAXFIELDS) {
			*err = "too many fields";
			bad = 1;
			break;
		}
		off[rec->n++] = rec->storage.len;
		quoted = p < r->end && *p == '"';
		if (quoted) {
			for (p++;; p++) {
				if (p >= r->end) {
					*err = "unterminated quoted field";
					bad = 1;
					break;
				}
				if (*p == '"') {
					if (p + 1 < r->end && p[1] == '"') {
						buf_append(&rec->storage, p, 1);
						p++;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					r->line++;
				buf_append(&rec->storage, p, 1);
			}
			if (bad)
				break;
		} else {
			while (p < r->end && *p != ',' && *p != '\n' &&
			    *p != '\r' && *p != '"') {
				buf_append(&rec->storage, p, 1);
				p++;
			}
		}
		buf_append(&rec->storage, &nul, 1);
		if (p >= r->end)
			break;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\n' || (*p == '\r' && p + 1 < r->end &&
		    p[1] == '\n')) {
			p += *p == '\r' ? 2 : 1;
			break;
		}
		*err = quoted ? "text after a closing quote" :
		    "quote or carriage return inside an unquoted field";
		bad = 1;
		break;
	}

	if (bad) {
		/* Resynchronise at the next line end. */
		while (p < r->end && *p != '\n')
			p++;
		if (p < r->end)
			p++;
		r->p = p;
		r->line++;
		return (-1);
	}
	r->p = p;
	r->line++;
	for (i = 0; i < rec->n; i++)
		rec->fields[i] = rec->storage.data + off[i];
	return (1);
}
