/*
 * The NDJSON line reader (src/core/lines.c): lines_next splits every
 * NDJSON import. Checked line by line against a plain split on "\n"
 * written here: the same lines, each without its "\n" and one "\r"
 * before it, blank ones skipped, numbered as the file's own lines.
 */
#include "core/lines.h"
#include "fuzz.h"

static int
blank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return (0);
	return (1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lines	 l;
	const char	*buf, *end, *p, *nl, *s;
	size_t		 len, n;
	int		 line, last;

	/* A copy of its own size, so that ASan sees a read past the end. */
	if ((buf = malloc(size + 1)) == NULL)
		abort();
	memcpy((char *)buf, data, size);
	end = buf + size;

	FUZZ_CHECK(lines_bom(buf, size) == (size >= 3 &&
	    memcmp(buf, LINES_BOM, 3) == 0 ? 3u : 0u));
	lines_init(&l, buf, size);
	p = buf + lines_bom(buf, size);
	line = 0;
	last = 0;
	for (;;) {
		/* The reference's next non-blank line, if any. */
		for (;;) {
			if (p >= end) {
				n = 0;
				nl = NULL;
				break;
			}
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			n = (size_t)(nl - p);
			line++;
			if (n > 0 && p[n - 1] == '\r')
				n--;
			if (!blank(p, n))
				break;
			p = nl < end ? nl + 1 : end;
		}
		if (!lines_next(&l, &s, &len)) {
			FUZZ_CHECK(p >= end);
			break;
		}
		FUZZ_CHECK(p < end);
		FUZZ_CHECK(s == p && len == n);
		FUZZ_CHECK(l.line == line && l.line > last);
		FUZZ_CHECK(s >= buf && s + len <= end);
		FUZZ_CHECK(memchr(s, '\n', len) == NULL);
		FUZZ_CHECK(!blank(s, len));
		last = l.line;
		p = nl < end ? nl + 1 : end;
	}
	/* At the end it stays at the end. */
	FUZZ_CHECK(!lines_next(&l, &s, &len));
	free((char *)buf);
	return (0);
}
