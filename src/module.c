/*
 * tideover's Kore module: start-up in the parent (the configuration, see
 * config.h; the database; the dashboard's files), per-worker set-up, and
 * the system calls the worker sandbox must allow.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/seccomp.h>
#include <kore/hooks.h>

#include "config.h"
#include "crypto/keys.h"
#include "http/dbwatch.h"
#include "http/http.h"

int	tideover_init(int);

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
	/* A worker dies with its parent (tideover_init), and nothing else. */
	KORE_SYSCALL_ALLOW_ARG(prctl, 0, PR_SET_PDEATHSIG),
	KORE_SYSCALL_ALLOW(getppid),
};

void
kore_seccomp_hook(void)
{
	kore_seccomp_filter("tideover", filter,
	    sizeof(filter) / sizeof(filter[0]));
}

static const char *
env(const char *name)
{
	return (getenv(name));
}

void
kore_parent_configure(int argc, char **argv)
{
	char	err[600];

	if (keys_init() == -1)
		fatal("libsodium failed to initialise");
	if (config_load(env, err, sizeof(err)) == -1)
		fatal("%s", err);

	if (!kore_pgsql_register(CONFIG_DB, config_get()->db_conninfo))
		fatal("cannot register the database");

	/* The dashboard's files, into memory before the workers fork. */
	http_assets_load();
}

int
tideover_init(int state)
{
	/* Every worker, also after a reload: per-worker state starts over. */
	http_worker_init();
	dbwatch_init();

	/*
	 * A worker whose parent was killed would keep the port and answer
	 * 503 once its database is gone, and block the next start: it goes
	 * with its parent. Already orphaned (the parent died first): now.
	 */
	if (worker != NULL) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
			kore_log(LOG_ERR, "prctl: %s", errno_s);
		if (getppid() == 1)
			exit(1);
	}
	return (KORE_RESULT_OK);
}
