/*
 * A worker's cache of finished stress runs' inputs, as the engine takes
 * them: the decoded snapshot and the prepared model, so that a payment
 * schedule of a run read before does only its supplier's own work.
 *
 * What makes it safe: a finished run's snapshot never changes (sql/0005
 * and 0006: the snapshot tables are insert-only for everyone, the
 * service may only read them, and a run's parameters and inputs_digest
 * are set once, when it finishes). An entry is keyed by the run's id and
 * that inputs_digest, which the reader takes from the run's row, read
 * from the database on every call: a run that is gone is never looked
 * up, and a run id whose digest is not the entry's (a database restored
 * or rebuilt under the service) drops the entry and loads afresh.
 *
 * The bound is on the snapshot rows held, one per supplier and one per
 * invoice (and one for the run): RUN_CACHE_ROWS_MAX a worker, about
 * 160 MB (a demo run, 228,501 rows, took 37 MB with its model: see
 * docs/api.md), the least
 * recently used run going first; a run larger than the whole bound is
 * never kept. Entries are counted references: one evicted while a
 * request still traces on it lives until that request lets it go.
 *
 * An entry being loaded is listed as loading until its loader is done,
 * so that other requests for the same run wait for it rather than read
 * and decode the same snapshot at the same time.
 *
 * Not thread-safe: the worker's event loop alone gets, puts and
 * releases entries. A task may read an entry it was handed; it traces
 * under the entry's lock (model_trace promises nothing about concurrent
 * calls on one model).
 */
#ifndef RUN_CACHE_H
#define RUN_CACHE_H

#include <sys/queue.h>

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/run_digest.h"
#include "store/store_runs.h"

#define RUN_CACHE_ROWS_MAX	(1000 * 1000)

enum run_cache_prepare {
	RUN_CACHE_PREPARED,
	RUN_CACHE_BAD_SNAPSHOT,	/* does not decode: a bug or damage */
	RUN_CACHE_ENGINE,	/* the engine refused it: see the error */
};

struct run_cache_entry {
	int64_t				 run_id;
	char				 digest[RUN_DIGEST_HEX + 1];
	struct store_run_input		 in;
	struct model			*model;	/* NULL until prepared */
	pthread_mutex_t			 lock;	/* held while tracing */
	size_t				 rows;
	int				 refs;
	int				 cached;
	int				 loading;
	TAILQ_ENTRY(run_cache_entry)	 list;	/* lru, or loading */
};

TAILQ_HEAD(run_cache_list, run_cache_entry);

struct run_cache {
	struct run_cache_list	 lru;		/* most recent first */
	struct run_cache_list	 loading;	/* not yet prepared */
	size_t			 rows;
	size_t			 rows_max;
	int			 ready;
	uint64_t		 hits, misses;
};

void			 run_cache_init(struct run_cache *, size_t);
void			 run_cache_clear(struct run_cache *);
struct run_cache_entry	*run_cache_get(struct run_cache *, int64_t,
			    const char *);
struct run_cache_entry	*run_cache_entry_alloc(int64_t, const char *);
enum run_cache_prepare	 run_cache_entry_prepare(struct run_cache_entry *,
			    const struct store_run *, struct db_rows *,
			    struct db_rows *, struct db_rows *,
			    struct model_error *);
struct run_cache_entry	*run_cache_loading(struct run_cache *, int64_t,
			    const char *);
void			 run_cache_load_begin(struct run_cache *,
			    struct run_cache_entry *);
void			 run_cache_load_end(struct run_cache *,
			    struct run_cache_entry *);
void			 run_cache_put(struct run_cache *,
			    struct run_cache_entry *);
void			 run_cache_release(struct run_cache *,
			    struct run_cache_entry *);

#endif
