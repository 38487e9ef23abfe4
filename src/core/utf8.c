/*
 * UTF-8 checks (see utf8.h).
 */
#include "core/utf8.h"

/* The first problem of s, a C string, and its length in characters. */
enum utf8_check
utf8_check(const char *s, size_t *chars)
{
	const unsigned char	*p = (const unsigned char *)s;
	enum utf8_check		 found = UTF8_OK;
	int			 n, i;

	for (*chars = 0; *p != '\0'; (*chars)++) {
		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				found = UTF8_CONTROL;
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3;
		else
			return (UTF8_BAD);
		if ((*p == 0xe0 && p[1] < 0xa0) ||
		    (*p == 0xed && p[1] >= 0xa0) ||
		    (*p == 0xf0 && p[1] < 0x90) ||
		    (*p == 0xf4 && p[1] >= 0x90))
			return (UTF8_BAD);
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return (UTF8_BAD);
		}
		p += n + 1;
	}
	return (found);
}
