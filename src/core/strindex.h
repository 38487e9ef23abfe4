/*
 * Strings to indices in linear time: an open-addressing table over
 * strings the caller keeps alive, for the passes over a million lines
 * that would otherwise sort them (repeated ids, totals per supplier).
 */
#ifndef STRINDEX_H
#define STRINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct strindex_slot {
	const char	*s;		/* NULL: empty */
	size_t		 idx;
	uint32_t	 tag;		/* more bits of the hash */
};

struct strindex {
	struct strindex_slot	*slot;
	size_t			 mask;
	size_t			 n;
	size_t			 max;
};

int	strindex_init(struct strindex *, size_t);
void	strindex_cleanup(struct strindex *);
ssize_t	strindex_add(struct strindex *, const char *, size_t);
ssize_t	strindex_replace(struct strindex *, const char *, size_t);
ssize_t	strindex_find(const struct strindex *, const char *);

#endif
