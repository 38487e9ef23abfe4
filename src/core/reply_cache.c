/*
 * A worker's cache of finished replies (see reply_cache.h). A handful of
 * entries at most, so a look-up walks the list; what is saved is the
 * work behind each one, not the walk.
 */
#include <stdlib.h>
#include <string.h>

#include "core/reply_cache.h"

/* What an entry costs besides its body: the key and the bookkeeping. */
static size_t
cost(const struct reply_cache_entry *e)
{
	return (e->len + strlen(e->key) + 1 + sizeof(*e));
}

void
reply_cache_init(struct reply_cache *c, size_t n_max, size_t bytes_max)
{
	memset(c, 0, sizeof(*c));
	TAILQ_INIT(&c->lru);
	c->n_max = n_max;
	c->bytes_max = bytes_max;
	c->ready = 1;
}

static void
drop(struct reply_cache *c, struct reply_cache_entry *e)
{
	TAILQ_REMOVE(&c->lru, e, list);
	c->n--;
	c->bytes -= cost(e);
	free(e->key);
	free(e->body);
	free(e);
}

void
reply_cache_clear(struct reply_cache *c)
{
	struct reply_cache_entry	*e;

	if (!c->ready)
		return;
	while ((e = TAILQ_FIRST(&c->lru)) != NULL)
		drop(c, e);
}

/* The entry under key, now the most recent, or NULL. */
const struct reply_cache_entry *
reply_cache_get(struct reply_cache *c, const char *key)
{
	struct reply_cache_entry	*e;

	TAILQ_FOREACH(e, &c->lru, list) {
		if (strcmp(e->key, key) == 0)
			break;
	}
	if (e == NULL) {
		c->misses++;
		return (NULL);
	}
	c->hits++;
	if (e != TAILQ_FIRST(&c->lru)) {
		TAILQ_REMOVE(&c->lru, e, list);
		TAILQ_INSERT_HEAD(&c->lru, e, list);
	}
	return (e);
}

/*
 * Keep a copy of body (len bytes, then a NUL) under key, replacing what
 * was there, and drop the least recent entries beyond the bound. Memory
 * short: nothing is kept, which is only a miss later.
 */
void
reply_cache_put(struct reply_cache *c, const char *key, const char *body,
    size_t len)
{
	struct reply_cache_entry	*e, *old;
	size_t				 klen = strlen(key);

	TAILQ_FOREACH(old, &c->lru, list) {
		if (strcmp(old->key, key) == 0) {
			drop(c, old);
			break;
		}
	}
	if (c->n_max == 0 || len > c->bytes_max ||
	    c->bytes_max - len < klen + 1 + sizeof(*e))
		return;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return;
	if ((e->key = strdup(key)) == NULL ||
	    (e->body = malloc(len + 1)) == NULL) {
		free(e->key);
		free(e);
		return;
	}
	memcpy(e->body, body, len);
	e->body[len] = '\0';
	e->len = len;
	while (c->n >= c->n_max || c->bytes + cost(e) > c->bytes_max)
		drop(c, TAILQ_LAST(&c->lru, reply_cache_list));
	TAILQ_INSERT_HEAD(&c->lru, e, list);
	c->n++;
	c->bytes += cost(e);
}
