/*
 * The configuration (see config.h). Environment, set by ops/run and the
 * test harness:
 *
 *   TIDEOVER_DATA_DIR		instance directory (keys live under it)
 *   TIDEOVER_DB		libpq connection string, as the application role
 *   TIDEOVER_CURRENCY		the deployment currency (default GBP)
 *   TIDEOVER_MIN_CELL_SIZE	exposure: fewest suppliers in a group shown
 *				(default 5)
 *   TIDEOVER_RATE_PER_MINUTE, TIDEOVER_RATE_BURST
 *				requests a minute and burst per API key and
 *				worker, on every endpoint but the expensive
 *				ones (default 300000 and 5000)
 *   TIDEOVER_RATE_EXPENSIVE_PER_MINUTE, TIDEOVER_RATE_EXPENSIVE_BURST
 *				the same for payment schedules and stress-run
 *				creation (default 120 and 20)
 *   TIDEOVER_DB_TIMEOUT_MS	how long a request's query may go unanswered
 *				before the request gives it up and answers 503
 *				(default 10000)
 *   TIDEOVER_DB_LONG_TIMEOUT_MS
 *				the same for bulk imports, stress-run creation
 *				and payment schedules; also every statement's
 *				statement_timeout and a transaction's idle
 *				limit in PostgreSQL (default 300000)
 *   TIDEOVER_DB_HEALTH_TIMEOUT_MS
 *				the same for GET /v1/health (default 1000)
 *   TIDEOVER_DB_LOCK_TIMEOUT_MS
 *				PostgreSQL's lock_timeout (default 60000)
 *   TIDEOVER_DB_CONNECT_TIMEOUT_S
 *				libpq's connect_timeout, 2 at least (default 2)
 *
 * docs/operations.md says what each limit means to an operator.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config.h"

static struct config	current;

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return (-1);
}

/* A required value, copied into to; -1 when unset, empty or too long. */
static int
required(config_env_fn env, const char *name, char *to, size_t len,
    char *err, size_t errlen)
{
	const char	*v;

	if ((v = env(name)) == NULL || *v == '\0')
		return (fail(err, errlen, "%s is not set (start with make run)",
		    name));
	if (snprintf(to, len, "%s", v) >= (int)len)
		return (fail(err, errlen, "%s is too long", name));
	return (0);
}

/* A whole number from min to max, or dflt when unset; -1 with err. */
static int
number(config_env_fn env, const char *name, long min, long max, long dflt,
    long *out, char *err, size_t errlen)
{
	const char	*v;
	char		*end;

	*out = dflt;
	if ((v = env(name)) == NULL || *v == '\0')
		return (0);
	errno = 0;
	*out = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || *v < '0' || *v > '9' ||
	    *out < min || *out > max)
		return (fail(err, errlen, "%s must be %ld to %ld", name, min,
		    max));
	return (0);
}

/* A class of endpoints' budget, from its two variables. */
static int
budget(config_env_fn env, const char *rate, long rate_dflt, const char *burst,
    long burst_dflt, struct ratelimit_budget *b, char *err, size_t errlen)
{
	long	r, n;

	if (number(env, rate, 1, (long)RATELIMIT_RATE_MAX, rate_dflt, &r, err,
	    errlen) == -1 || number(env, burst, 1, (long)RATELIMIT_BURST_MAX,
	    burst_dflt, &n, err, errlen) == -1)
		return (-1);
	b->per_minute = r;
	b->burst = n;
	return (0);
}

/* Everything the environment says; 0, or -1 with err. */
int
config_env(struct config *c, config_env_fn env, char *err, size_t errlen)
{
	const char	*cur;

	memset(c, 0, sizeof(*c));
	if (required(env, "TIDEOVER_DATA_DIR", c->data_dir,
	    sizeof(c->data_dir), err, errlen) == -1 ||
	    required(env, "TIDEOVER_DB", c->db, sizeof(c->db), err,
	    errlen) == -1)
		return (-1);

	if ((cur = env("TIDEOVER_CURRENCY")) == NULL || *cur == '\0')
		cur = "GBP";
	if (strlen(cur) != 3 || strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		return (fail(err, errlen,
		    "TIDEOVER_CURRENCY must be three capital letters"));
	memcpy(c->currency, cur, 4);

	/* Exposure tables: groups of fewer suppliers are never shown. */
	if (number(env, "TIDEOVER_MIN_CELL_SIZE", 1, CONFIG_MIN_CELL_MAX,
	    CONFIG_MIN_CELL_DEFAULT, &c->min_cell_size, err, errlen) == -1)
		return (-1);

	/* Per API key, in each worker: see docs/api.md. */
	if (budget(env, "TIDEOVER_RATE_PER_MINUTE", CONFIG_RATE_PER_MINUTE,
	    "TIDEOVER_RATE_BURST", CONFIG_RATE_BURST,
	    &c->rate[RATELIMIT_ORDINARY], err, errlen) == -1 ||
	    budget(env, "TIDEOVER_RATE_EXPENSIVE_PER_MINUTE",
	    CONFIG_RATE_EXPENSIVE_PER_MINUTE, "TIDEOVER_RATE_EXPENSIVE_BURST",
	    CONFIG_RATE_EXPENSIVE_BURST, &c->rate[RATELIMIT_EXPENSIVE], err,
	    errlen) == -1)
		return (-1);

	if (number(env, "TIDEOVER_DB_TIMEOUT_MS", 100, CONFIG_DB_TIMEOUT_MAX,
	    CONFIG_DB_TIMEOUT_MS, &c->db_timeout_ms, err, errlen) == -1 ||
	    number(env, "TIDEOVER_DB_LONG_TIMEOUT_MS", 100,
	    CONFIG_DB_TIMEOUT_MAX, CONFIG_DB_LONG_TIMEOUT_MS,
	    &c->db_long_timeout_ms, err, errlen) == -1 ||
	    number(env, "TIDEOVER_DB_HEALTH_TIMEOUT_MS", 100,
	    CONFIG_DB_TIMEOUT_MAX, CONFIG_DB_HEALTH_TIMEOUT_MS,
	    &c->db_health_timeout_ms, err, errlen) == -1 ||
	    number(env, "TIDEOVER_DB_LOCK_TIMEOUT_MS", 0,
	    CONFIG_DB_TIMEOUT_MAX, CONFIG_DB_LOCK_TIMEOUT_MS,
	    &c->db_lock_timeout_ms, err, errlen) == -1 ||
	    number(env, "TIDEOVER_DB_CONNECT_TIMEOUT_S", 2, 3600,
	    CONFIG_DB_CONNECT_TIMEOUT_S, &c->db_connect_timeout_s, err,
	    errlen) == -1)
		return (-1);
	/* The server gives up no sooner than a request would. */
	if (c->db_long_timeout_ms < c->db_timeout_ms)
		return (fail(err, errlen, "TIDEOVER_DB_LONG_TIMEOUT_MS may not "
		    "be less than TIDEOVER_DB_TIMEOUT_MS"));
	if (config_db_conninfo(c, c->db_conninfo,
	    sizeof(c->db_conninfo)) == -1)
		return (fail(err, errlen, "TIDEOVER_DB is too long"));
	return (0);
}

/*
 * TIDEOVER_DB with the limits every connection runs under: libpq's
 * connect timeout, and in the server a statement timeout (the longest a
 * request may wait, so that nothing legitimate is cut short), a lock
 * timeout, an idle-in-transaction limit, and a check every second that
 * the client is still there, so that a query the service gave up on
 * (its connection closed) stops soon after. In key=value form they come
 * first, so that the operator's own settings win; a URI gets them as
 * parameters after its own. 0, or -1 when out is too small.
 */
int
config_db_conninfo(const struct config *c, char *out, size_t len)
{
	const char	*db = c->db;
	int		 n, uri;

	uri = strncmp(db, "postgresql://", 13) == 0 ||
	    strncmp(db, "postgres://", 11) == 0;
	if (uri)
		n = snprintf(out, len, "%s%sconnect_timeout=%ld&options="
		    "-c%%20statement_timeout%%3D%ld"
		    "%%20-c%%20lock_timeout%%3D%ld"
		    "%%20-c%%20idle_in_transaction_session_timeout%%3D%ld"
		    "%%20-c%%20client_connection_check_interval%%3D1000",
		    db, strchr(db, '?') != NULL ? "&" : "?",
		    c->db_connect_timeout_s, c->db_long_timeout_ms,
		    c->db_lock_timeout_ms, c->db_long_timeout_ms);
	else
		n = snprintf(out, len, "connect_timeout=%ld options='"
		    "-c statement_timeout=%ld -c lock_timeout=%ld "
		    "-c idle_in_transaction_session_timeout=%ld "
		    "-c client_connection_check_interval=1000' %s",
		    c->db_connect_timeout_s, c->db_long_timeout_ms,
		    c->db_lock_timeout_ms, c->db_long_timeout_ms, db);
	if (n < 0 || (size_t)n >= len)
		return (-1);
	return (0);
}

/*
 * The server key and the Ed25519 signing key under DATA_DIR/keys, both
 * created on first start; 0, or -1 with err.
 */
int
config_keys(struct config *c, char *err, size_t errlen)
{
	unsigned char	 seed[KEYS_SIGN_SEED_LEN];
	char		 dir[1100], why[512];

	snprintf(dir, sizeof(dir), "%s/keys", c->data_dir);
	if (keys_file(dir, "server.key", c->server_key,
	    sizeof(c->server_key), why, sizeof(why)) == -1)
		return (fail(err, errlen, "server key: %s", why));
	if (keys_file(dir, "signing.seed", seed, sizeof(seed), why,
	    sizeof(why)) == -1)
		return (fail(err, errlen, "signing key: %s", why));
	keys_sign_keypair(seed, c->sign_public, c->sign_secret);
	sodium_memzero(seed, sizeof(seed));
	return (0);
}

/* The environment, then the keys: 0, or -1 with err and nothing set. */
int
config_load(config_env_fn env, char *err, size_t errlen)
{
	struct config	c;
	int		rc;

	rc = -1;
	if (config_env(&c, env, err, errlen) == 0 &&
	    config_keys(&c, err, errlen) == 0) {
		current = c;
		rc = 0;
	}
	sodium_memzero(&c, sizeof(c));
	return (rc);
}

const struct config *
config_get(void)
{
	return (&current);
}
