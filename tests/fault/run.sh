#!/bin/sh
# The short fault test: a throwaway PostgreSQL and Kore, requests that
# need the database on both workers, then each fault in turn: PostgreSQL
# restarted in immediate mode, the postmaster killed with SIGKILL (and
# started again, as a supervisor would), a Kore worker killed, and the
# Kore parent killed (its workers must go with it). After
# each the service must recover by itself: health says the database is
# ok and every one of a burst of authenticated requests (more than the
# workers' pools hold) succeeds, within RECOVER_S seconds; the journal
# verifies at the end.
#
#   tests/fault/run.sh
set -u
cd "$(dirname "$0")/../.."
. ops/lib.sh

RECOVER_S=${RECOVER_S:-15}
BURST=40

passed=0
failed=0
check() {
	name=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		echo "[       OK ] $name"
	else
		failed=$((failed + 1))
		echo "[  FAILED  ] $name"
	fi
}

tmp=$(mktemp -d /tmp/tideover-fault.XXXXXX)
chmod 0755 "$tmp"
DATA_DIR=$tmp
PORT=$(free_port)
instance_init

kore_pid=
cleanup() {
	trap - EXIT INT TERM
	kore_stop
	pg_stop 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

pg_create >/dev/null
pg_start >/dev/null
pg_migrate >/dev/null
kore_start "$tmp/kore.log"
url=http://127.0.0.1:$PORT
key=$(ops/apikey create --role treasury --label fault)

# Status codes of BURST authenticated reads, two at a time on fresh
# connections, so both workers and their pools take part.
burst() {
	i=0
	while [ $i -lt $BURST ]; do
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 \
		    -H "Authorization: Bearer $key" "$url/v1/api-keys" &
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 \
		    -H "Authorization: Bearer $key" "$url/v1/ledger/accounts" &
		wait
		i=$((i + 2))
	done
}

healthy() {
	curl -s --max-time 5 "$url/v1/health" | grep -q '"database":"ok"' &&
	    [ "$(burst | grep -vc '^200$')" = 0 ]
}

# Seconds until the service is healthy again, or RECOVER_S + 1.
recovery() {
	start=$(date +%s)
	until healthy; do
		if [ $(($(date +%s) - start)) -gt "$RECOVER_S" ]; then
			echo "still failing after ${RECOVER_S}s:" >&2
			burst | sort | uniq -c >&2
			echo $((RECOVER_S + 1))
			return
		fi
		sleep 0.5
	done
	echo $(($(date +%s) - start))
}

postmaster() {
	head -1 "$PG_DATA/postmaster.pid"
}

check "healthy before any fault" healthy

as_postgres "$PGBIN/pg_ctl" -D "$PG_DATA" -m immediate -w restart \
    -l "$PG_LOG" >/dev/null
s=$(recovery)
echo "immediate restart: recovered in ${s}s"
check "recovers by itself after an immediate restart" test "$s" -le "$RECOVER_S"

pm=$(postmaster)
kill -KILL "$pm"
# As a supervisor would: once the postmaster is gone (a zombie nobody
# reaps still owns its pid, and so the lock file), start it again until
# it comes up; its orphaned backends must notice the death and exit.
i=0
while ps -o stat= -p "$pm" 2>/dev/null | grep -qv Z && [ $i -lt 50 ]; do
	i=$((i + 1))
	sleep 0.1
done
rm -f "$PG_DATA/postmaster.pid"
i=0
until (pg_start) >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 10 ] && break
	sleep 1
done
s=$(recovery)
echo "postmaster SIGKILL: recovered in ${s}s"
check "recovers by itself after the postmaster is killed" \
    test "$s" -le "$RECOVER_S"

worker=$(pgrep -P "$kore_pid" | head -1)
[ -n "$worker" ] && kill -KILL "$worker"
s=$(recovery)
echo "worker SIGKILL: recovered in ${s}s"
check "recovers by itself after a worker is killed" test "$s" -le "$RECOVER_S"

# The Kore parent killed: its workers go with it, the port is free, and
# a new start (over the dead one's pid file) serves again.
workers=$(pgrep -P "$kore_pid")
kill -KILL "$kore_pid"
wait "$kore_pid" 2>/dev/null
kore_pid=
alive() {
	for w in $workers; do
		# A zombie nobody reaps is gone for the port's sake.
		ps -o stat= -p "$w" 2>/dev/null | grep -qv Z && return 0
	done
	return 1
}
i=0
while [ $i -lt 30 ] && alive; do
	i=$((i + 1))
	sleep 0.1
done
gone() {
	! alive
}
check "workers exit with their killed parent" gone
kore_start "$tmp/kore.log"
s=$(recovery)
echo "Kore parent SIGKILL, started again: recovered in ${s}s"
check "a new start serves after the parent was killed" \
    test "$s" -le "$RECOVER_S"

check "the journal verifies" sh -c "curl -s -H 'Authorization: Bearer $key' \
    '$url/v1/ledger/verify' | grep -q '\"chain_ok\":true'"
# CPU ticks the workers used over two idle seconds: a worker that spins
# on a dead connection would use them all.
ticks() {
	for w in $(pgrep -P "$kore_pid"); do
		awk '{ print $14 + $15 }' "/proc/$w/stat" 2>/dev/null
	done | awk '{ t += $1 } END { print t + 0 }'
}
t0=$(ticks)
sleep 2
t1=$(ticks)
echo "idle workers: $((t1 - t0)) ticks in 2 s"
check "no worker spins once the database is back" test $((t1 - t0)) -lt 50

if [ $failed -ne 0 ]; then
	echo "--- kore log (last 30 lines)"
	tail -30 "$tmp/kore.log"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
