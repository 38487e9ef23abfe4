/*
 * Token buckets per key (see ratelimit.h). A key's slot is one of the
 * RATELIMIT_PROBE slots after its hash; the caller hashes keys with a
 * secret, so that nobody can choose keys that crowd one window.
 *
 * A key not in its window takes a free slot, or one whose buckets have
 * filled up again (forgetting such a key changes nothing: it would start
 * full anyway), or else the one used least recently. Only the last case
 * forgets a bucket that was not full, and only when eight keys hashed
 * to that window were all busy more recently: the table stays bounded
 * whatever the number of keys, at the price of an occasional early
 * refill for the least active of them.
 */
#include "core/ratelimit.h"

static int64_t
cap(const struct ratelimit_budget *bu)
{
	return (bu->burst * RATELIMIT_UNIT);
}

/* The bucket's level at now: refilled since at_ms, never above its cap. */
static int64_t
level_at(const struct ratelimit_bucket *b, const struct ratelimit_budget *bu,
    int64_t now)
{
	int64_t	c = cap(bu), elapsed, lv;

	lv = b->level;
	elapsed = now - b->at_ms;
	if (elapsed > 0) {
		/* Past this long it is full: no product can overflow. */
		if (elapsed > c / bu->per_minute + 1)
			elapsed = c / bu->per_minute + 1;
		lv += elapsed * bu->per_minute;
	}
	return (lv > c ? c : lv);
}

/* A full bucket as of now. */
void
ratelimit_bucket_fill(struct ratelimit_bucket *b,
    const struct ratelimit_budget *bu, int64_t now)
{
	b->level = cap(bu);
	b->at_ms = now;
}

/*
 * Take a token at now: 0 when there was one, else the whole seconds
 * (at least 1) until there will be, with nothing taken.
 */
int64_t
ratelimit_bucket_take(struct ratelimit_bucket *b,
    const struct ratelimit_budget *bu, int64_t now)
{
	int64_t	wait_ms;

	b->level = level_at(b, bu, now);
	if (now > b->at_ms)
		b->at_ms = now;
	if (b->level >= RATELIMIT_UNIT) {
		b->level -= RATELIMIT_UNIT;
		return (0);
	}
	wait_ms = (RATELIMIT_UNIT - b->level + bu->per_minute - 1) /
	    bu->per_minute;
	return ((wait_ms + 999) / 1000);
}

void
ratelimit_init(struct ratelimit *rl, const struct ratelimit_budget *budget)
{
	size_t	i;

	for (i = 0; i < RATELIMIT_NCLASSES; i++)
		rl->budget[i] = budget[i];
	for (i = 0; i < RATELIMIT_SLOTS; i++)
		rl->slot[i].used = 0;
}

static struct ratelimit_slot *
window(struct ratelimit *rl, uint64_t key, size_t i)
{
	return (&rl->slot[(key + i) & (RATELIMIT_SLOTS - 1)]);
}

/* Whether forgetting the slot's key loses nothing: every bucket full. */
static int
slot_full(const struct ratelimit *rl, const struct ratelimit_slot *s,
    int64_t now)
{
	size_t	c;

	for (c = 0; c < RATELIMIT_NCLASSES; c++) {
		if (level_at(&s->b[c], &rl->budget[c], now) <
		    cap(&rl->budget[c]))
			return (0);
	}
	return (1);
}

static int64_t
slot_last_used(const struct ratelimit_slot *s)
{
	int64_t	last = s->b[0].at_ms;
	size_t	c;

	for (c = 1; c < RATELIMIT_NCLASSES; c++) {
		if (s->b[c].at_ms > last)
			last = s->b[c].at_ms;
	}
	return (last);
}

/* The key's token of that class at now, as ratelimit_bucket_take. */
int64_t
ratelimit_take(struct ratelimit *rl, uint64_t key, enum ratelimit_class cls,
    int64_t now)
{
	struct ratelimit_slot	*s, *pick;
	int64_t			 last, oldest;
	size_t			 i, c;

	for (i = 0; i < RATELIMIT_PROBE; i++) {
		s = window(rl, key, i);
		if (s->used && s->key == key)
			return (ratelimit_bucket_take(&s->b[cls],
			    &rl->budget[cls], now));
	}

	pick = NULL;
	oldest = INT64_MAX;
	for (i = 0; i < RATELIMIT_PROBE; i++) {
		s = window(rl, key, i);
		if (!s->used || slot_full(rl, s, now)) {
			pick = s;
			break;
		}
		if ((last = slot_last_used(s)) < oldest) {
			oldest = last;
			pick = s;
		}
	}
	pick->used = 1;
	pick->key = key;
	for (c = 0; c < RATELIMIT_NCLASSES; c++)
		ratelimit_bucket_fill(&pick->b[c], &rl->budget[c], now);
	return (ratelimit_bucket_take(&pick->b[cls], &rl->budget[cls], now));
}
