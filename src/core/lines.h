/*
 * Lines of an uploaded text file (NDJSON imports): a UTF-8 byte order
 * mark at the start is skipped, as spreadsheets and some editors write
 * one; lines end in "\n" or "\r\n", the last may end in neither; blank
 * lines (spaces, tabs and CRs only) are skipped but counted, so that line
 * numbers in errors are the file's own.
 */
#ifndef LINES_H
#define LINES_H

#include <stddef.h>

#define LINES_BOM	"\xef\xbb\xbf"

struct lines {
	const char	*p;
	const char	*end;
	int		 line;		/* of the line last returned */
	int		 next;		/* of the line at p */
};

size_t	lines_bom(const char *, size_t);
void	lines_init(struct lines *, const char *, size_t);
int	lines_next(struct lines *, const char **, size_t *);

#endif
