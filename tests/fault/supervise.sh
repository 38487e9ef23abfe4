#!/bin/sh
# Supervision, for the fault test: ops/run on an instance whose cluster
# exists (DATA_DIR $1, stopped), then with nobody but ops/run restarting
# anything: the postmaster killed with SIGKILL, the Kore parent killed
# with SIGKILL, each back within RECOVER_S seconds; then everything
# killed at once, as a crash would, and ops/run started again over what
# it left; last, SIGTERM stops PostgreSQL and Kore both.
#
#   tests/fault/supervise.sh DATA_DIR [ROUNDS]   the two kills ROUNDS
#                                              (1) times each
set -u
cd "$(dirname "$0")/../.."
. ops/lib.sh
DATA_DIR=$1
ROUNDS=${2:-1}
PORT=$(free_port)
instance_init
RECOVER_S=${RECOVER_S:-15}
url=http://127.0.0.1:$PORT

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

run_pid=
start_run() {
	DEMO=0 setsid sh ops/run >>"$DATA_DIR/run.log" 2>&1 &
	run_pid=$!
}
everything() {
	# The supervisor's group, and what it started (PostgreSQL runs as
	# its own user in the same group).
	[ -n "$run_pid" ] && /bin/kill -KILL -- "-$run_pid" 2>/dev/null
	if [ -f "$PG_DATA/postmaster.pid" ]; then
		kill -KILL "$(head -1 "$PG_DATA/postmaster.pid")" 2>/dev/null
	fi
}
cleanup() {
	trap - EXIT INT TERM
	if [ -n "$run_pid" ]; then
		kill -TERM "$run_pid" 2>/dev/null
		i=0
		while kill -0 "$run_pid" 2>/dev/null && [ $i -lt 150 ]; do
			i=$((i + 1))
			sleep 0.1
		done
		everything
	fi
	pg_stop 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Seconds (tenths) until health says ok (and, given, a command holds),
# within RECOVER_S.
back() {
	what=$1
	shift
	start=$(now_ms)
	until { [ $# = 0 ] || "$@"; } && curl -s --max-time 2 \
	    "$url/v1/health" | grep -q '"database":"ok"'; do
		if [ $(($(now_ms) - start)) -gt $((RECOVER_S * 1000)) ]; then
			echo "not back after ${RECOVER_S}s" >&2
			tail -5 "$DATA_DIR/run.log" >&2
			return 1
		fi
		sleep 0.2
	done
	t=$((($(now_ms) - start) / 100))
	echo "$what: back in $((t / 10)).$((t % 10)) s"
}

new_kore() {
	k=$(head -1 "$DATA_DIR/kore.pid" 2>/dev/null)
	[ -n "$k" ] && [ "$k" != "$1" ]
}

# A postmaster other than $1 has its lock file (an old backend may still
# answer a query or two after its postmaster was killed).
new_postmaster() {
	[ "$(head -1 "$PG_DATA/postmaster.pid" 2>/dev/null)" != "$1" ] &&
	    [ "$(sed -n 8p "$PG_DATA/postmaster.pid" 2>/dev/null |
	    tr -d ' ')" = ready ]
}

start_run
check "ops/run starts the service" back "start"

round=1
while [ $round -le "$ROUNDS" ]; do
	pm=$(head -1 "$PG_DATA/postmaster.pid")
	kill -KILL "$pm"
	check "ops/run starts PostgreSQL again after SIGKILL" \
	    back "postmaster SIGKILL" new_postmaster "$pm"

	kp=$(head -1 "$DATA_DIR/kore.pid")
	kill -KILL "$kp"
	check "ops/run starts Kore again after SIGKILL of its parent" \
	    back "Kore parent SIGKILL" new_kore "$kp"
	round=$((round + 1))
done

# A crash: supervisor, PostgreSQL and Kore killed at once; lock files,
# pid files and sockets stay behind.
everything
run_pid=
sleep 1
check "a crash leaves PostgreSQL's lock file behind" \
    test -f "$PG_DATA/postmaster.pid"
start_run
check "ops/run starts again over what the crash left" back "after a crash"

kill -TERM "$run_pid"
i=0
while kill -0 "$run_pid" 2>/dev/null && [ $i -lt 150 ]; do
	i=$((i + 1))
	sleep 0.1
done
stopped() {
	! kill -0 "$run_pid" 2>/dev/null && ! pg_running &&
	    ! curl -s -o /dev/null --max-time 1 "$url/"
}
check "SIGTERM stops PostgreSQL and Kore" stopped
run_pid=

# The unit that runs ops/run under systemd, as docs/operations.md
# installs it.
if command -v systemd-analyze >/dev/null 2>&1; then
	sed -e "s|@REPO@|$PWD|g" -e "s|@DATA_DIR@|$DATA_DIR|g" \
	    ops/systemd/tideover.service >"$DATA_DIR/tideover.service"
	check "the systemd unit verifies" \
	    systemd-analyze verify "$DATA_DIR/tideover.service"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
