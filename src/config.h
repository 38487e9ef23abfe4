/*
 * The service's read-only configuration: read once in the Kore parent,
 * before the workers fork, from the environment and the key files under
 * the data directory; every layer that needs it reads it from here.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#include "core/ratelimit.h"
#include "crypto/keys.h"

#define CONFIG_DB		"db"	/* the Kore pgsql database's name */
#define CONFIG_VERSION		"0.1.0"
#define CONFIG_MIN_CELL_DEFAULT	5
#define CONFIG_MIN_CELL_MAX	1000000
/* Rate limits per API key and worker (see config.c). */
#define CONFIG_RATE_PER_MINUTE	300000
#define CONFIG_RATE_BURST	5000
#define CONFIG_RATE_EXPENSIVE_PER_MINUTE	120
#define CONFIG_RATE_EXPENSIVE_BURST	20
/* Database timeouts, in milliseconds but the connect timeout (see config.c). */
#define CONFIG_DB_TIMEOUT_MS		10000
#define CONFIG_DB_LONG_TIMEOUT_MS	300000
#define CONFIG_DB_HEALTH_TIMEOUT_MS	1000
#define CONFIG_DB_LOCK_TIMEOUT_MS	60000
#define CONFIG_DB_CONNECT_TIMEOUT_S	2
#define CONFIG_DB_TIMEOUT_MAX		86400000

struct config {
	char		data_dir[1024];
	char		db[1024];		/* libpq connection string */
	char		currency[4];		/* the deployment's, ISO 4217 */
	unsigned char	server_key[KEYS_SERVER_LEN];
	unsigned char	sign_public[KEYS_SIGN_PUBLIC_LEN];	/* Ed25519 */
	unsigned char	sign_secret[KEYS_SIGN_SECRET_LEN];
	long		min_cell_size;	/* exposure: smallest group shown */
	struct ratelimit_budget	rate[RATELIMIT_NCLASSES];
	long		db_timeout_ms;		/* a request's query */
	long		db_long_timeout_ms;	/* imports, stress runs */
	long		db_health_timeout_ms;	/* GET /v1/health */
	long		db_lock_timeout_ms;
	long		db_connect_timeout_s;
	char		db_conninfo[2048];	/* db with the timeouts */
};

/* A lookup of the environment: getenv, or a table in the tests. */
typedef const char	*(*config_env_fn)(const char *);

int			 config_load(config_env_fn, char *, size_t);
int			 config_env(struct config *, config_env_fn, char *,
			    size_t);
int			 config_keys(struct config *, char *, size_t);
int			 config_db_conninfo(const struct config *, char *,
			    size_t);
const struct config	*config_get(void);

#endif
