/*
 * Strings to indices (see strindex.h). The table is sized once for the
 * most keys the caller will add, at most half full, so that a probe ends
 * at an empty slot soon; FNV-1a is enough for ids and never sees a key
 * chosen against it here that could cost more than a longer probe.
 */
#include <stdlib.h>
#include <string.h>

#include "core/strindex.h"

static uint64_t
hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ (h >> 29));
}

/* Room for max keys; 0, or -1 when memory is short. */
int
strindex_init(struct strindex *t, size_t max)
{
	size_t	cap = 16;

	memset(t, 0, sizeof(*t));
	while (cap < 2 * max) {
		if (cap > SIZE_MAX / 4 / sizeof(*t->slot))
			return (-1);
		cap *= 2;
	}
	if ((t->slot = calloc(cap, sizeof(*t->slot))) == NULL)
		return (-1);
	t->mask = cap - 1;
	t->max = max;
	return (0);
}

void
strindex_cleanup(struct strindex *t)
{
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* The slot that holds s, or the empty one where it would go. */
static struct strindex_slot *
lookup(const struct strindex *t, const char *s, uint32_t *tagp)
{
	struct strindex_slot	*sl;
	uint64_t		 h = hash(s);
	uint32_t		 tag = (uint32_t)(h >> 32);
	size_t			 i;

	for (i = h & t->mask; (sl = &t->slot[i])->s != NULL;
	    i = (i + 1) & t->mask) {
		if (sl->tag == tag && strcmp(sl->s, s) == 0)
			break;
	}
	*tagp = tag;
	return (sl);
}

static ssize_t
put(struct strindex *t, const char *s, size_t idx, int replace)
{
	struct strindex_slot	*sl;
	size_t			 old;
	uint32_t		 tag;

	sl = lookup(t, s, &tag);
	if (sl->s != NULL) {
		old = sl->idx;
		if (replace)
			sl->idx = idx;
		return ((ssize_t)old);
	}
	/* More keys than promised would fill the table: a caller's bug. */
	if (t->n >= t->max)
		abort();
	sl->s = s;
	sl->idx = idx;
	sl->tag = tag;
	t->n++;
	return (-1);
}

/* Add s as idx unless it is there: its index if it was, else -1. */
ssize_t
strindex_add(struct strindex *t, const char *s, size_t idx)
{
	return (put(t, s, idx, 0));
}

/* s is now idx: the index it had before, or -1 if it is new. */
ssize_t
strindex_replace(struct strindex *t, const char *s, size_t idx)
{
	return (put(t, s, idx, 1));
}

/* The index of s, or -1. */
ssize_t
strindex_find(const struct strindex *t, const char *s)
{
	struct strindex_slot	*sl;
	uint32_t		 tag;

	if (t->slot == NULL)
		return (-1);
	sl = lookup(t, s, &tag);
	return (sl->s != NULL ? (ssize_t)sl->idx : -1);
}
