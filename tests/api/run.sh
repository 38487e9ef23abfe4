#!/bin/sh
# The API tests: a throwaway PostgreSQL cluster and the real Kore server on
# free ports under a temporary DATA_DIR, the migration checks, each cmocka
# API test program against the server, and a check of the server log for
# sandbox violations. Everything is removed afterwards, also on failure.
#
#   tests/api/run.sh build/tests/test_api_*
set -u
cd "$(dirname "$0")/../.."
. ops/lib.sh

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

tmp=$(mktemp -d /tmp/tideover-test.XXXXXX)
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

tables() {
	pg_psql -d "$PG_DB" -tA -c "SELECT count(*) FROM pg_tables
	    WHERE schemaname = 'public'"
}
applied() {
	pg_psql -d "$PG_DB" -tA -c "SELECT count(*) FROM schema_migrations"
}

# Migrations: from empty, re-run, and a failing one.
nsql=$(ls sql/[0-9]*.sql | wc -l)
check "migrations apply from an empty database" \
    sh -c '. ops/lib.sh; instance_init; pg_migrate' >/dev/null
check "every migration is recorded once" test "$(applied)" = "$nsql"
before=$(tables)
check "re-running migrations is a no-op" \
    test -z "$(sh -c '. ops/lib.sh; instance_init; pg_migrate')"
check "re-running changes no table" test "$(tables)" = "$before"

bad=$tmp/badsql
mkdir -p "$bad"
cp sql/[0-9]*.sql "$bad"/
cat >"$bad/9999_broken.sql" <<'SQL'
CREATE TABLE broken_half (id int);
INSERT INTO broken_half VALUES (1);
SELECT no_such_function();
SQL
out=$(MIGRATIONS_DIR=$bad sh -c '. ops/lib.sh; instance_init; pg_migrate' 2>&1)
rc=$?
check "a failing migration stops start-up" test $rc -ne 0
check "a failing migration says which and why" \
    sh -c "printf '%s' \"\$1\" | grep -q '9999_broken failed'" _ "$out"
check "a failing migration leaves no table behind" test "$(tables)" = "$before"
check "a failing migration is not recorded" test "$(applied)" = "$nsql"

# The server. The expensive endpoints' budget (a token a second, a
# burst of 200 a worker) is small enough for test_api_ratelimit to use up
# and large enough for every other test's schedules, cascades and stress
# runs with the one treasury key, however slowly a loaded machine runs
# them.
TIDEOVER_RATE_EXPENSIVE_PER_MINUTE=60
TIDEOVER_RATE_EXPENSIVE_BURST=200
export TIDEOVER_RATE_EXPENSIVE_PER_MINUTE TIDEOVER_RATE_EXPENSIVE_BURST
kore_start "$tmp/kore.log"

TIDEOVER_URL=http://127.0.0.1:$PORT
TIDEOVER_TREASURY_KEY=$(ops/apikey create --role treasury --label tests)
TIDEOVER_PSQL="$PGBIN/psql -X -q -tA -h $PG_RUN -U $PG_ADMIN -d $PG_DB"
TIDEOVER_PSQL_APP="$PGBIN/psql -X -q -tA -v ON_ERROR_STOP=1 -h $PG_RUN -U tideover_app -d $PG_DB"
TIDEOVER_PG_STOP="cd / && runuser -u postgres -- $PGBIN/pg_ctl -D $PG_DATA -m fast -w stop >/dev/null"
TIDEOVER_PG_START="cd / && runuser -u postgres -- $PGBIN/pg_ctl -D $PG_DATA -l $PG_LOG -w start >/dev/null"
export TIDEOVER_URL TIDEOVER_TREASURY_KEY TIDEOVER_PSQL TIDEOVER_PSQL_APP \
    TIDEOVER_PG_STOP \
    TIDEOVER_PG_START

rc=0
sh ops/unit "$@" || rc=1

# curl sends Host, User-Agent and Accept; n more make 2 + n besides Host.
headers() {
	i=0
	while [ $i -lt "$1" ]; do
		printf -- "-H x-h$i:$i "
		i=$((i + 1))
	done
}
check "21 headers besides Host are taken" test "$(curl -s -o /dev/null \
    -w '%{http_code}' $(headers 19) "$TIDEOVER_URL/v1/health")" = 200
check "22 headers, as many as Kore keeps, are 431 in the error shape" \
    sh -c "curl -s -w '%{http_code}' $(headers 20) '$TIDEOVER_URL/v1/health' |
    grep -q '\"headers_too_large\".*431\$'"
both_framings() {
	printf 'POST /v1/api-keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\n'
	printf 'Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}'
}
both_framings_refused() {
	both_framings | curl -s --max-time 5 "telnet://127.0.0.1:$PORT" |
	    grep -q 'Transfer-Encoding and Content-Length'
}
check "Transfer-Encoding with Content-Length is 400 in the error shape" \
    both_framings_refused
check "API replies carry X-Content-Type-Options: nosniff" sh -c \
    "curl -s -D - -o /dev/null '$TIDEOVER_URL/v1/health' |
    grep -qi '^x-content-type-options: nosniff'"

. tests/api/limits.sh

check "the server log shows no sandbox violation" \
    sh -c "! grep -i 'sandbox violation' '$tmp/kore.log'"
check "no worker died" sh -c "! grep -E 'worker [0-9]+ .*(died|exited)' '$tmp/kore.log'"
if [ $failed -ne 0 ] || [ $rc -ne 0 ]; then
	echo "--- kore log (last 40 lines)"
	tail -40 "$tmp/kore.log"
fi

[ -n "${TIDEOVER_COUNTS:-}" ] && echo "$passed $failed" >>"$TIDEOVER_COUNTS"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $rc -eq 0 ]
