/*
 * Rate limits per API key: a token bucket per key and class of endpoint,
 * in a fixed table that the caller owns (one per worker in the service).
 * Pure arithmetic on a clock the caller passes in, in milliseconds, so
 * that every case can be tested without waiting.
 *
 * A bucket holds at most `burst` tokens and gains `per_minute` tokens a
 * minute; a request takes one token or is refused, taking nothing, and
 * learns in how many whole seconds a token will be there. Tokens are
 * counted in 1/60000ths (RATELIMIT_UNIT), so that a per-minute rate adds
 * a whole number of them every millisecond: no rounding ever.
 */
#ifndef RATELIMIT_H
#define RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_UNIT		INT64_C(60000)	/* one token */
#define RATELIMIT_RATE_MAX	INT64_C(60000000)	/* a million a second */
#define RATELIMIT_BURST_MAX	INT64_C(1000000)

/*
 * Keys a table remembers, and the slots a key may take (its probe
 * window): 4096 slots of about 56 bytes, some 230 KB.
 */
#define RATELIMIT_SLOTS		4096
#define RATELIMIT_PROBE		8

enum ratelimit_class {
	RATELIMIT_ORDINARY,
	RATELIMIT_EXPENSIVE,	/* schedules, stress-run creation */
	RATELIMIT_NCLASSES
};

struct ratelimit_budget {
	int64_t	per_minute;	/* 1..RATELIMIT_RATE_MAX */
	int64_t	burst;		/* 1..RATELIMIT_BURST_MAX */
};

struct ratelimit_bucket {
	int64_t	level;		/* in RATELIMIT_UNIT per token */
	int64_t	at_ms;		/* when level was brought up to date */
};

struct ratelimit_slot {
	uint64_t		key;
	int			used;
	struct ratelimit_bucket	b[RATELIMIT_NCLASSES];
};

struct ratelimit {
	struct ratelimit_budget	budget[RATELIMIT_NCLASSES];
	struct ratelimit_slot	slot[RATELIMIT_SLOTS];
};

void	ratelimit_bucket_fill(struct ratelimit_bucket *,
	    const struct ratelimit_budget *, int64_t);
int64_t	ratelimit_bucket_take(struct ratelimit_bucket *,
	    const struct ratelimit_budget *, int64_t);
void	ratelimit_init(struct ratelimit *, const struct ratelimit_budget *);
int64_t	ratelimit_take(struct ratelimit *, uint64_t, enum ratelimit_class,
	    int64_t);

#endif
