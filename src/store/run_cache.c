/*
 * The worker's cache of stress run inputs (see run_cache.h): a short
 * list in order of use, a handful of runs at most, so a walk finds one.
 */
#include <stdlib.h>
#include <string.h>

#include "store/run_cache.h"

void
run_cache_init(struct run_cache *c, size_t rows_max)
{
	memset(c, 0, sizeof(*c));
	TAILQ_INIT(&c->lru);
	TAILQ_INIT(&c->loading);
	c->rows_max = rows_max;
	c->ready = 1;
}

static void
entry_free(struct run_cache_entry *e)
{
	model_free(e->model);
	store_run_input_cleanup(&e->in);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

/* Out of the cache; freed now unless a request still holds it. */
static void
unlink_entry(struct run_cache *c, struct run_cache_entry *e)
{
	TAILQ_REMOVE(&c->lru, e, list);
	c->rows -= e->rows;
	e->cached = 0;
	run_cache_release(c, e);
}

/* Every entry out, as when the worker's module goes away. */
void
run_cache_clear(struct run_cache *c)
{
	struct run_cache_entry	*e;

	while ((e = TAILQ_FIRST(&c->lru)) != NULL)
		unlink_entry(c, e);
}

/*
 * The run's entry with a reference for the caller, or NULL. An entry of
 * that run under another digest is stale: it goes.
 */
struct run_cache_entry *
run_cache_get(struct run_cache *c, int64_t run_id, const char *digest)
{
	struct run_cache_entry	*e;

	TAILQ_FOREACH(e, &c->lru, list) {
		if (e->run_id != run_id)
			continue;
		if (strcmp(e->digest, digest) != 0) {
			unlink_entry(c, e);
			break;
		}
		TAILQ_REMOVE(&c->lru, e, list);
		TAILQ_INSERT_HEAD(&c->lru, e, list);
		e->refs++;
		c->hits++;
		return (e);
	}
	c->misses++;
	return (NULL);
}

/* An empty entry for the run, with one reference, the caller's. */
struct run_cache_entry *
run_cache_entry_alloc(int64_t run_id, const char *digest)
{
	struct run_cache_entry	*e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		abort();
	e->run_id = run_id;
	strncpy(e->digest, digest, sizeof(e->digest) - 1);
	store_run_input_init(&e->in);
	if (pthread_mutex_init(&e->lock, NULL) != 0)
		abort();
	e->refs = 1;
	return (e);
}

/* The entry of the run being loaded under that digest, or NULL. */
struct run_cache_entry *
run_cache_loading(struct run_cache *c, int64_t run_id, const char *digest)
{
	struct run_cache_entry	*e;

	TAILQ_FOREACH(e, &c->loading, list) {
		if (e->run_id == run_id && strcmp(e->digest, digest) == 0)
			return (e);
	}
	return (NULL);
}

/* The caller loads the entry (its own, not yet put): others may wait. */
void
run_cache_load_begin(struct run_cache *c, struct run_cache_entry *e)
{
	if (e->loading || e->cached)
		return;
	TAILQ_INSERT_TAIL(&c->loading, e, list);
	e->loading = 1;
}

/* Loaded or failed: no longer loading; then put, or let go. */
void
run_cache_load_end(struct run_cache *c, struct run_cache_entry *e)
{
	if (!e->loading)
		return;
	TAILQ_REMOVE(&c->loading, e, list);
	e->loading = 0;
}

/*
 * Fill an entry from the run and its three snapshot results (taken over,
 * as store_run_input_load and store_run_input_links do): the input, then
 * the model. Safe in a
 * task, the entry being its caller's alone until it is put.
 */
enum run_cache_prepare
run_cache_entry_prepare(struct run_cache_entry *e, const struct store_run *run,
    struct db_rows *sup, struct db_rows *inv, struct db_rows *links,
    struct model_error *err)
{
	if (store_run_input_load(&e->in, run, sup, inv) == -1 ||
	    store_run_input_links(&e->in, links) == -1)
		return (RUN_CACHE_BAD_SNAPSHOT);
	e->rows = 1 + e->in.in.nsuppliers + e->in.in.ninvoices +
	    e->in.in.nlinks;
	if ((e->model = model_alloc(&e->in.in, NULL, err)) == NULL)
		return (RUN_CACHE_ENGINE);
	return (RUN_CACHE_PREPARED);
}

/*
 * Keep a prepared entry (the cache takes a reference of its own) in
 * place of any other of its run, and let the least recently used go
 * while the rows are over the bound. A run over the bound alone is not
 * kept.
 */
void
run_cache_put(struct run_cache *c, struct run_cache_entry *e)
{
	struct run_cache_entry	*o;

	run_cache_load_end(c, e);
	if (e->cached || e->model == NULL || e->rows > c->rows_max)
		return;
	TAILQ_FOREACH(o, &c->lru, list) {
		if (o->run_id == e->run_id) {
			unlink_entry(c, o);
			break;
		}
	}
	while (c->rows + e->rows > c->rows_max &&
	    (o = TAILQ_LAST(&c->lru, run_cache_list)) != NULL)
		unlink_entry(c, o);
	TAILQ_INSERT_HEAD(&c->lru, e, list);
	c->rows += e->rows;
	e->cached = 1;
	e->refs++;
}

/* Let a reference go; the last one of an entry out of the cache frees it. */
void
run_cache_release(struct run_cache *c, struct run_cache_entry *e)
{
	if (e == NULL)
		return;
	if (--e->refs == 0 && !e->cached) {
		run_cache_load_end(c, e);
		entry_free(e);
	}
}
