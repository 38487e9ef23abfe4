/*
 * tideover's Kore module: start-up in the parent (configuration from the
 * environment, the server key and the Ed25519 signing key, both created
 * on first start under DATA_DIR/keys, the database), per-worker set-up,
 * and the system calls the worker sandbox must allow.
 *
 * Environment, set by ops/run and the test harness:
 *   TIDEOVER_DATA_DIR	instance directory (keys live under it)
 *   TIDEOVER_DB	libpq connection string, as the application role
 *   TIDEOVER_CURRENCY	the deployment currency (default GBP)
 *   TIDEOVER_MIN_CELL_SIZE	exposure: fewest suppliers in a group shown
 *			(default 5)
 */
#include <sys/syscall.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/seccomp.h>
#include <kore/hooks.h>

#include "crypto/keys.h"
#include "http/api.h"
#include "module.h"

int	tideover_init(int);
void	http_assets_load(void);

static struct module_config	config;

/*
 * Debian's Kore 4.1 filter predates glibc 2.33, which stats and checks
 * access through these; without them libpq and filemaps kill the worker.
 * Its list also lacks mremap.
 */
static struct sock_filter	filter[] = {
#if defined(SYS_newfstatat)
	KORE_SYSCALL_ALLOW(newfstatat),
#endif
#if defined(SYS_faccessat2)
	KORE_SYSCALL_ALLOW(faccessat2),
#endif
	/* realloc of large blocks (bulk imports) moves them with mremap. */
	KORE_SYSCALL_ALLOW(mremap),
	/*
	 * Kore task threads (stress runs): glibc 2.36's pthread_create
	 * uses clone3, and every new thread registers rseq.
	 */
#if defined(SYS_clone3)
	KORE_SYSCALL_ALLOW(clone3),
#endif
#if defined(SYS_rseq)
	KORE_SYSCALL_ALLOW(rseq),
#endif
};

void
kore_seccomp_hook(void)
{
	kore_seccomp_filter("tideover", filter,
	    sizeof(filter) / sizeof(filter[0]));
}

const struct module_config *
module_config(void)
{
	return (&config);
}

void
kore_parent_configure(int argc, char **argv)
{
	const char	*dir, *db, *cur, *mcs;
	char		 keydir[1100], err[512], *end;
	unsigned char	 seed[KEYS_SIGN_SEED_LEN];

	if (keys_init() == -1)
		fatal("libsodium failed to initialise");

	if ((dir = getenv("TIDEOVER_DATA_DIR")) == NULL || *dir == '\0')
		fatal("TIDEOVER_DATA_DIR is not set (start with make run)");
	if ((db = getenv("TIDEOVER_DB")) == NULL || *db == '\0')
		fatal("TIDEOVER_DB is not set (start with make run)");
	if (snprintf(config.data_dir, sizeof(config.data_dir), "%s", dir) >=
	    (int)sizeof(config.data_dir))
		fatal("TIDEOVER_DATA_DIR is too long");

	if ((cur = getenv("TIDEOVER_CURRENCY")) == NULL || *cur == '\0')
		cur = "GBP";
	if (strlen(cur) != 3 || strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		fatal("TIDEOVER_CURRENCY must be three capital letters");
	memcpy(config.currency, cur, 4);

	/* Exposure tables: groups of fewer suppliers are never shown. */
	config.min_cell_size = 5;
	if ((mcs = getenv("TIDEOVER_MIN_CELL_SIZE")) != NULL && *mcs != '\0') {
		errno = 0;
		config.min_cell_size = strtol(mcs, &end, 10);
		if (errno != 0 || *end != '\0' || config.min_cell_size < 1 ||
		    config.min_cell_size > 1000000)
			fatal("TIDEOVER_MIN_CELL_SIZE must be 1 to 1000000");
	}

	snprintf(keydir, sizeof(keydir), "%s/keys", config.data_dir);
	if (keys_file(keydir, "server.key", config.server_key,
	    sizeof(config.server_key), err, sizeof(err)) == -1)
		fatal("server key: %s", err);
	if (keys_file(keydir, "signing.seed", seed, sizeof(seed), err,
	    sizeof(err)) == -1)
		fatal("signing key: %s", err);
	keys_sign_keypair(seed, config.sign_public, config.sign_secret);
	sodium_memzero(seed, sizeof(seed));

	if (!kore_pgsql_register(MODULE_DB, db))
		fatal("cannot register the database");

	/* The dashboard's files, into memory before the workers fork. */
	http_assets_load();
}

int
tideover_init(int state)
{
	/* Every worker, also after a reload: per-worker state starts over. */
	api_init();
	return (KORE_RESULT_OK);
}
