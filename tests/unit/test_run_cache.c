/*
 * The cache of stress run inputs: a run is found by id and digest only,
 * another digest drops the entry, the least recently used run goes when
 * the rows are over the bound, a run over the bound alone is not kept,
 * an entry evicted while held lives until it is let go, a run being
 * loaded is found as loading until its load ends, and a snapshot that
 * does not decode or that the engine refuses is reported as such.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store/run_cache.h"

#define DIGEST_A	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DIGEST_B	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void
supplier_row(struct db_rows *r, int row, const char *id)
{
	static const char	*cols[] = { NULL, "Name", "1", "Wales", "glass",
	    "10", "1000", "0", "0", "10", "0", "0", "0", "60", "t" };
	int			 c;

	for (c = 0; c < 15; c++)
		assert_int_equal(db_rows_set(r, row, c, c == 0 ? id : cols[c],
		    strlen(c == 0 ? id : cols[c])), 0);
}

/*
 * A prepared entry of nsup suppliers, each with one invoice as stored
 * (position, id, outstanding, due day): 1 + 2 * nsup rows. horizon 0 is
 * a scenario the engine refuses.
 */
static enum run_cache_prepare
prepare(struct run_cache_entry *e, int nsup, int64_t horizon,
    const char *due)
{
	struct store_run	 run;
	struct db_rows		 sup, inv, links;
	struct model_error	 err;
	char			 id[16], pos[16];
	enum run_cache_prepare	 rc;
	int			 i;

	memset(&run, 0, sizeof(run));
	run.start_date = "2025-09-01";
	run.horizon_days = horizon;
	run.ramp_bps = "10000";
	db_rows_init(&sup);
	db_rows_init(&inv);
	assert_int_equal(db_rows_alloc(&sup, nsup, 15), 0);
	assert_int_equal(db_rows_alloc(&inv, nsup, 4), 0);
	for (i = 0; i < nsup; i++) {
		snprintf(id, sizeof(id), "S%03d", i);
		supplier_row(&sup, i, id);
		snprintf(pos, sizeof(pos), "%d", i + 1);
		snprintf(id, sizeof(id), "I%03d", i);
		db_rows_set(&inv, i, 0, pos, strlen(pos));
		db_rows_set(&inv, i, 1, id, strlen(id));
		db_rows_set(&inv, i, 2, "500", 3);
		db_rows_set(&inv, i, 3, due, strlen(due));
	}
	db_rows_init(&links);
	rc = run_cache_entry_prepare(e, &run, &sup, &inv, &links, &err);
	db_rows_cleanup(&sup);
	db_rows_cleanup(&inv);
	db_rows_cleanup(&links);
	return (rc);
}

static struct run_cache_entry *
entry(int64_t id, const char *digest, int nsup)
{
	struct run_cache_entry	*e;

	e = run_cache_entry_alloc(id, digest);
	assert_int_equal(prepare(e, nsup, 30, "20335"), RUN_CACHE_PREPARED);
	assert_non_null(e->model);
	assert_int_equal(e->rows, (size_t)(1 + 2 * nsup));
	return (e);
}

/* Put an entry and let the caller's reference go, as a request does. */
static void
put(struct run_cache *c, struct run_cache_entry *e)
{
	run_cache_put(c, e);
	run_cache_release(c, e);
}

static void
found_by_id_and_digest_only(void **state)
{
	struct run_cache	 c;
	struct run_cache_entry	*e, *got;

	run_cache_init(&c, 100);
	assert_null(run_cache_get(&c, 1, DIGEST_A));
	e = entry(1, DIGEST_A, 2);
	put(&c, e);
	assert_int_equal(e->refs, 1);
	assert_int_equal(c.rows, 5);

	got = run_cache_get(&c, 1, DIGEST_A);
	assert_ptr_equal(got, e);
	assert_int_equal(e->refs, 2);
	assert_int_equal(e->in.in.nsuppliers, 2);
	assert_string_equal(e->in.invoices[1].id, "I001");
	run_cache_release(&c, got);
	assert_null(run_cache_get(&c, 2, DIGEST_A));
	assert_int_equal(c.hits, 1);
	assert_int_equal(c.misses, 2);

	/* The same id under another digest: stale, and dropped. */
	assert_null(run_cache_get(&c, 1, DIGEST_B));
	assert_int_equal(c.rows, 0);
	assert_true(TAILQ_EMPTY(&c.lru));
	assert_null(run_cache_get(&c, 1, DIGEST_A));
	run_cache_clear(&c);
}

static void
least_recently_used_goes_first(void **state)
{
	struct run_cache	 c;
	struct run_cache_entry	*e;

	/* Three runs of 5 rows fit in 15; a fourth makes one go. */
	run_cache_init(&c, 15);
	put(&c, entry(1, DIGEST_A, 2));
	put(&c, entry(2, DIGEST_A, 2));
	put(&c, entry(3, DIGEST_A, 2));
	assert_int_equal(c.rows, 15);
	e = run_cache_get(&c, 1, DIGEST_A);	/* 1 is now the most recent */
	run_cache_release(&c, e);
	put(&c, entry(4, DIGEST_A, 2));
	assert_int_equal(c.rows, 15);

	assert_null(run_cache_get(&c, 2, DIGEST_A));
	assert_non_null(e = run_cache_get(&c, 1, DIGEST_A));
	run_cache_release(&c, e);
	assert_non_null(e = run_cache_get(&c, 3, DIGEST_A));
	run_cache_release(&c, e);
	assert_non_null(e = run_cache_get(&c, 4, DIGEST_A));
	run_cache_release(&c, e);

	/* A run of 21 rows is more than the bound: never kept. */
	put(&c, entry(5, DIGEST_A, 10));
	assert_null(run_cache_get(&c, 5, DIGEST_A));
	assert_int_equal(c.rows, 15);

	/* Another load of a cached run takes its place. */
	put(&c, entry(3, DIGEST_B, 1));
	assert_int_equal(c.rows, 13);
	assert_non_null(e = run_cache_get(&c, 3, DIGEST_B));
	assert_int_equal(e->in.in.nsuppliers, 1);
	run_cache_release(&c, e);
	run_cache_clear(&c);
	assert_int_equal(c.rows, 0);
}

static void
evicted_while_held_lives_on(void **state)
{
	struct run_cache	 c;
	struct run_cache_entry	*held;

	run_cache_init(&c, 5);
	put(&c, entry(1, DIGEST_A, 2));
	held = run_cache_get(&c, 1, DIGEST_A);
	put(&c, entry(2, DIGEST_A, 2));		/* 1 goes */
	assert_null(run_cache_get(&c, 1, DIGEST_A));
	assert_false(held->cached);
	assert_int_equal(held->refs, 1);
	/* Still whole for the request tracing on it (ASan would see). */
	assert_string_equal(held->in.suppliers[1].id, "S001");
	assert_non_null(held->model);
	run_cache_release(&c, held);
	run_cache_clear(&c);
}

static void
loading_until_the_load_ends(void **state)
{
	struct run_cache	 c;
	struct run_cache_entry	*e, *f;

	run_cache_init(&c, 100);
	e = run_cache_entry_alloc(1, DIGEST_A);
	run_cache_load_begin(&c, e);
	assert_ptr_equal(run_cache_loading(&c, 1, DIGEST_A), e);
	assert_null(run_cache_loading(&c, 1, DIGEST_B));
	assert_null(run_cache_loading(&c, 2, DIGEST_A));
	/* Not yet in the cache: a reader waits, it does not trace. */
	assert_null(run_cache_get(&c, 1, DIGEST_A));
	assert_int_equal(prepare(e, 2, 30, "20335"), RUN_CACHE_PREPARED);
	put(&c, e);
	assert_null(run_cache_loading(&c, 1, DIGEST_A));
	assert_non_null(f = run_cache_get(&c, 1, DIGEST_A));
	run_cache_release(&c, f);

	/* A load that fails, its request gone: nothing left behind. */
	e = run_cache_entry_alloc(2, DIGEST_A);
	run_cache_load_begin(&c, e);
	run_cache_release(&c, e);
	assert_null(run_cache_loading(&c, 2, DIGEST_A));
	assert_true(TAILQ_EMPTY(&c.loading));
	run_cache_clear(&c);
}

static void
bad_snapshots_are_told_apart(void **state)
{
	struct run_cache	 c;
	struct run_cache_entry	*e;

	run_cache_init(&c, 100);
	/* A due day that is no number: the snapshot does not decode. */
	e = run_cache_entry_alloc(1, DIGEST_A);
	assert_int_equal(prepare(e, 2, 30, "x"), RUN_CACHE_BAD_SNAPSHOT);
	run_cache_put(&c, e);
	assert_null(run_cache_get(&c, 1, DIGEST_A));
	run_cache_release(&c, e);

	/* A horizon of 0 days: the engine refuses it. */
	e = run_cache_entry_alloc(1, DIGEST_A);
	assert_int_equal(prepare(e, 2, 0, "20335"), RUN_CACHE_ENGINE);
	assert_null(e->model);
	run_cache_put(&c, e);
	assert_null(run_cache_get(&c, 1, DIGEST_A));
	run_cache_release(&c, e);
	assert_int_equal(c.rows, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(found_by_id_and_digest_only),
		cmocka_unit_test(least_recently_used_goes_first),
		cmocka_unit_test(evicted_while_held_lives_on),
		cmocka_unit_test(loading_until_the_load_ends),
		cmocka_unit_test(bad_snapshots_are_told_apart),
	};

	return (cmocka_run_group_tests_name("run_cache", tests, NULL, NULL));
}
