/*
 * If-None-Match (RFC 9110, 13.1.2): "*", or a comma-separated list of
 * entity tags, each compared whole and weakly (a W/ prefix is ignored).
 */
#include <string.h>

#include "core/etag.h"

/* 1 if list is "*" or names tag (a quoted entity tag), else 0. */
int
etag_match(const char *list, const char *tag)
{
	const char	*p, *end;
	size_t		 n, len;

	n = strlen(tag);
	for (p = list; *p != '\0'; p = end + (*end == ',')) {
		while (*p == ' ' || *p == '\t')
			p++;
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 1 && *p == '*')
			return (1);
		if (len > 2 && strncmp(p, "W/", 2) == 0) {
			p += 2;
			len -= 2;
		}
		if (len == n && strncmp(p, tag, n) == 0)
			return (1);
		if (*end == '\0')
			break;
	}
	return (0);
}
