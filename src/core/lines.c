/*
 * Lines of an uploaded text file (see lines.h).
 */
#include <string.h>

#include "core/lines.h"

/* The length of a byte order mark at the start of data: 3 or 0. */
size_t
lines_bom(const char *data, size_t len)
{
	return (len >= 3 && memcmp(data, LINES_BOM, 3) == 0 ? 3 : 0);
}

void
lines_init(struct lines *l, const char *data, size_t len)
{
	size_t	bom;

	bom = lines_bom(data, len);
	l->p = data + bom;
	l->end = data + len;
	l->line = 0;
	l->next = 1;
}

static int
blank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return (0);
	}
	return (1);
}

/*
 * The next line that is not blank, without its line end: 1 with *s and
 * *len (and its number in l->line), or 0 at the end of the data.
 */
int
lines_next(struct lines *l, const char **s, size_t *len)
{
	const char	*nl;
	size_t		 n;

	while (l->p < l->end) {
		if ((nl = memchr(l->p, '\n', (size_t)(l->end - l->p))) == NULL)
			nl = l->end;
		n = (size_t)(nl - l->p);
		*s = l->p;
		l->line = l->next++;
		l->p = nl + (nl < l->end);
		if (n > 0 && (*s)[n - 1] == '\r')
			n--;
		if (!blank(*s, n)) {
			*len = n;
			return (1);
		}
	}
	return (0);
}
