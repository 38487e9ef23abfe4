/*
 * Whether this worker's database answers (see dbwatch.h). A query that
 * went unanswered past its deadline, or a connection that could not be
 * made, marks it down; from then on requests are answered 503 at once
 * instead of each waiting out its own deadline or blocking the worker in
 * libpq's connect, and a probe of its own, driven by a timer and never
 * blocking, connects and asks SELECT 1 until the database answers again.
 */
#include <poll.h>

#include <kore/kore.h>
#include <kore/http.h>

#include <libpq-fe.h>

#include "config.h"
#include "http/dbwatch.h"

#define PROBE_TICK_MS	200	/* how often the probe looks */
#define PROBE_FAST_MS	2	/* ... while requests wait on it */
#define PROBE_GIVEUP_MS	1000	/* one attempt, before the next */
#define VOUCH_MS	50	/* how long an answer vouches for */
#define WAITERS_MAX	256

enum probe_state {
	PROBE_IDLE,
	PROBE_CONNECTING,
	PROBE_ASKING,
};

static int			 down;
static uint64_t			 down_since;
static struct kore_timer	*timer;
static PGconn			*probe;
static enum probe_state		 probe_state;
static PostgresPollingStatusType	 probe_poll;
static uint64_t			 probe_started;
static uint64_t			 vouched_at;
static int			 vouched;
static struct http_request	*waiters[WAITERS_MAX];
static int			 nwaiters;

static void	probe_tick(void *, uint64_t);
static void	probe_step(uint64_t);

void
dbwatch_init(void)
{
	/* Per worker, and again after a reload: up until shown otherwise. */
	down = 0;
	timer = NULL;
	probe = NULL;
	probe_state = PROBE_IDLE;
	vouched = 0;
	nwaiters = 0;
}

int
dbwatch_up(void)
{
	return (!down);
}

static void
timer_start(void)
{
	if (timer == NULL)
		timer = kore_timer_add(probe_tick, nwaiters > 0 ?
		    PROBE_FAST_MS : PROBE_TICK_MS, NULL, KORE_TIMER_ONESHOT);
}

void
dbwatch_failed(const char *why)
{
	if (down)
		return;
	down = 1;
	down_since = kore_time_ms();
	kore_log(LOG_ERR, "database unavailable (%s): answering 503 until it "
	    "answers again", why);
	timer_start();
}

/* The probe's attempt is over: every request waiting on it runs again. */
static void
waiters_wake(void)
{
	int	i;

	for (i = 0; i < nwaiters; i++)
		http_request_wakeup(waiters[i]);
	nwaiters = 0;
}

/*
 * 1: the server answered the probe just now, and Kore may connect. 0:
 * the request sleeps until the probe has an answer (or the database is
 * found down), and asks again then.
 */
int
dbwatch_vouch(struct http_request *req)
{
	int	i;

	if (vouched && kore_time_ms() - vouched_at < VOUCH_MS)
		return (1);
	for (i = 0; i < nwaiters; i++) {
		if (waiters[i] == req)
			break;
	}
	if (i == nwaiters) {
		if (nwaiters == WAITERS_MAX)
			return (1);	/* as Kore alone would */
		waiters[nwaiters++] = req;
	}
	http_request_sleep(req);
	/* A slow timer (the database is down) is left to run out. */
	timer_start();
	return (0);
}

/* A request that goes away, or gives up, waits no more. */
void
dbwatch_forget(struct http_request *req)
{
	int	i;

	for (i = 0; i < nwaiters; i++) {
		if (waiters[i] == req) {
			waiters[i] = waiters[--nwaiters];
			return;
		}
	}
}

static void
probe_stop(void)
{
	/* PQfinish closes the socket: nothing waits on a stopped server. */
	if (probe != NULL)
		PQfinish(probe);
	probe = NULL;
	probe_state = PROBE_IDLE;
}

static void
answered(uint64_t now)
{
	probe_stop();
	vouched = 1;
	vouched_at = now;
	waiters_wake();
	if (!down)
		return;
	down = 0;
	kore_log(LOG_NOTICE, "database available again after %llu ms",
	    (unsigned long long)(now - down_since));
}

/* No answer: a request waiting for one finds the database down. */
static void
unanswered(void)
{
	probe_stop();
	if (nwaiters == 0)
		return;
	dbwatch_failed("a new connection went unanswered");
	waiters_wake();
}

/* Whether the probe's socket is ready for what libpq waits for. */
static int
ready(PostgresPollingStatusType want)
{
	struct pollfd	pfd;

	if ((pfd.fd = PQsocket(probe)) < 0)
		return (0);
	pfd.events = want == PGRES_POLLING_WRITING ? POLLOUT : POLLIN;
	pfd.revents = 0;
	return (poll(&pfd, 1, 0) > 0);
}

/*
 * One look, from a one-shot timer that is set again while the database
 * is down: Kore frees a one-shot timer after its call, and a timer may
 * not remove itself.
 */
static void
probe_tick(void *arg, uint64_t now)
{
	timer = NULL;
	if (!down && nwaiters == 0) {
		/* Nobody waits for this attempt any more. */
		probe_stop();
		return;
	}
	probe_step(now);
	if (down || nwaiters > 0)
		timer_start();
}

static void
probe_step(uint64_t now)
{
	PGresult	*res;
	int		 ok;

	if (probe_state != PROBE_IDLE &&
	    now - probe_started > PROBE_GIVEUP_MS) {
		unanswered();
		return;
	}

	switch (probe_state) {
	case PROBE_IDLE:
		probe = PQconnectStart(config_get()->db_conninfo);
		if (probe == NULL || PQstatus(probe) == CONNECTION_BAD) {
			unanswered();
			return;
		}
		probe_started = now;
		probe_state = PROBE_CONNECTING;
		probe_poll = PGRES_POLLING_WRITING;
		/* FALLTHROUGH */
	case PROBE_CONNECTING:
		while (ready(probe_poll)) {
			probe_poll = PQconnectPoll(probe);
			if (probe_poll == PGRES_POLLING_FAILED) {
				unanswered();
				return;
			}
			if (probe_poll == PGRES_POLLING_OK)
				break;
		}
		if (probe_poll != PGRES_POLLING_OK)
			return;
		if (!PQsendQuery(probe, "SELECT 1")) {
			unanswered();
			return;
		}
		probe_state = PROBE_ASKING;
		/* FALLTHROUGH */
	case PROBE_ASKING:
		if (!ready(PGRES_POLLING_READING) && PQisBusy(probe))
			return;
		if (!PQconsumeInput(probe)) {
			unanswered();
			return;
		}
		if (PQisBusy(probe))
			return;
		ok = 0;
		while ((res = PQgetResult(probe)) != NULL) {
			if (PQresultStatus(res) == PGRES_TUPLES_OK)
				ok = 1;
			PQclear(res);
		}
		if (ok)
			answered(now);
		else
			unanswered();
		break;
	}
}
