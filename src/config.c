/*
 * The configuration (see config.h). Environment, set by ops/run and the
 * test harness:
 *
 *   TIDEOVER_DATA_DIR		instance directory (keys live under it)
 *   TIDEOVER_DB		libpq connection string, as the application role
 *   TIDEOVER_CURRENCY		the deployment currency (default GBP)
 *   TIDEOVER_MIN_CELL_SIZE	exposure: fewest suppliers in a group shown
 *				(default 5)
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

/* Everything the environment says; 0, or -1 with err. */
int
config_env(struct config *c, config_env_fn env, char *err, size_t errlen)
{
	const char	*cur, *mcs;
	char		*end;

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
	c->min_cell_size = CONFIG_MIN_CELL_DEFAULT;
	if ((mcs = env("TIDEOVER_MIN_CELL_SIZE")) != NULL && *mcs != '\0') {
		errno = 0;
		c->min_cell_size = strtol(mcs, &end, 10);
		if (errno != 0 || *end != '\0' || *mcs < '0' || *mcs > '9' ||
		    c->min_cell_size < 1 ||
		    c->min_cell_size > CONFIG_MIN_CELL_MAX)
			return (fail(err, errlen, "TIDEOVER_MIN_CELL_SIZE must "
			    "be 1 to %d", CONFIG_MIN_CELL_MAX));
	}
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
