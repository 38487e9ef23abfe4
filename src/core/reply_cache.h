/*
 * A worker's cache of finished replies: bytes under a key, the least
 * recently used going first once the entries or their bytes pass the
 * bound. The caller makes the key say everything the bytes depend on;
 * an entry is never changed, only dropped. A reply larger than the whole
 * bound is never kept.
 *
 * Not thread-safe: the worker's event loop alone uses it.
 */
#ifndef REPLY_CACHE_H
#define REPLY_CACHE_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

struct reply_cache_entry {
	char				*key;
	char				*body;
	size_t				 len;
	TAILQ_ENTRY(reply_cache_entry)	 list;
};

TAILQ_HEAD(reply_cache_list, reply_cache_entry);

struct reply_cache {
	struct reply_cache_list	 lru;		/* most recent first */
	size_t			 n, n_max;
	size_t			 bytes, bytes_max;
	int			 ready;
	uint64_t		 hits, misses;
};

void	reply_cache_init(struct reply_cache *, size_t, size_t);
void	reply_cache_clear(struct reply_cache *);
const struct reply_cache_entry
	*reply_cache_get(struct reply_cache *, const char *);
void	reply_cache_put(struct reply_cache *, const char *, const char *,
	    size_t);

#endif
