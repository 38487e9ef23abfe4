/*
 * CSV writer (see csv.h). A NULL value is an empty unquoted field, an
 * empty string an empty quoted one, so the two stay distinguishable.
 */
#include <inttypes.h>
#include <string.h>

#include "core/csv.h"

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

void
csv_field(struct csv *c, const char *s)
{
	const char	*p;

	if (s == NULL) {
		csv_null(c);
		return;
	}
	sep(c);
	if (*s != '\0' && strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(c->out, s);
		return;
	}
	buf_append(c->out, "\"", 1);
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
