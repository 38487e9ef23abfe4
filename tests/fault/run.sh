#!/bin/sh
# The fault test: a throwaway PostgreSQL and Kore, a writer moving money
# all along (tests/fault/writer.sh: invoices created, approved and paid
# early, each step retried with its Idempotency-Key and logged), and
# each fault in turn:
#
#   restart    PostgreSQL restarted in immediate mode
#   pgkill     the postmaster killed with SIGKILL (and started again, as
#              a supervisor would)
#   stop       PostgreSQL stopped with SIGSTOP for STOP_S seconds: health
#              must say unavailable within 1.5 s, a request must be
#              answered 503 in the error shape within its deadline
#   worker     a Kore worker killed
#   parent     the Kore parent killed: its workers go with it, and a new
#              start serves
#
# After each the service must recover by itself: health says the
# database is ok and every one of a burst of authenticated requests (more
# than the workers' pools hold) succeeds, within RECOVER_S seconds. Then
# the writes are checked: every acknowledged write is in the database as
# acknowledged, no invoice is half-applied, no retry paid twice (and each
# acknowledged payment sent again with its key pays nothing), the audit
# trail has every acknowledged write, the journal verifies and no worker
# spins. Last, ops/run supervises: PostgreSQL and the Kore parent killed
# under it come back with nobody restarting them, and it starts again
# over what a crash leaves behind.
#
#   tests/fault/run.sh            each fault once (make test)
#   tests/fault/run.sh -soak 10   each fault ten times, and a table of
#                                 figures (make soak)
set -u
cd "$(dirname "$0")/../.."
. ops/lib.sh

ROUNDS=1
SOAK=0
if [ "${1:-}" = -soak ]; then
	SOAK=1
	ROUNDS=${2:-10}
fi
RECOVER_S=${RECOVER_S:-15}
STOP_S=${STOP_S:-3}
BURST=40
# Requests give a query up after 3 s here (10 s by default).
TIDEOVER_DB_TIMEOUT_MS=3000
export TIDEOVER_DB_TIMEOUT_MS

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
writer_pid=
run_pid=
cleanup() {
	trap - EXIT INT TERM
	touch "$tmp/stop"
	[ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null
	if [ -n "$run_pid" ]; then
		kill -TERM "$run_pid" 2>/dev/null
		wait "$run_pid" 2>/dev/null
	fi
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
pg_psql -d "$PG_DB" -c "INSERT INTO suppliers (id, name, tier, region,
    sector, employees, currency, cash, credit_available, fixed_daily_costs,
    oem_daily_sales, variable_cost_bps, other_daily_receipts,
    payment_terms_days, scheme_opt_in) VALUES ('FAULT-SUP', 'Fault', 1,
    'West Midlands', 'castings', 120, 'GBP', 1000000, 0, 10000, 50000, 6000,
    0, 60, true)" -c "INSERT INTO schemes (id, name, effective_from,
    payment_lag_days, advance_rate_bps, annual_rate_bps, day_count_basis,
    fee_bearer, eligible_tiers, max_employees, min_invoice_amount,
    requires_opt_in) VALUES ('FAULT-SCH', 'Fault', '2025-10-07', 2, 9000,
    650, 365, 'supplier', '{1,2}', 500, 1000, true)" >/dev/null

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

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Tenths of a second until the service is healthy again, and the worst
# of them in $tmp/recoveries; RECOVER_S + 1 seconds when it is not.
recovery() {
	start=$(now_ms)
	until healthy; do
		if [ $(($(now_ms) - start)) -gt $((RECOVER_S * 1000)) ]; then
			echo "still failing after ${RECOVER_S}s:" >&2
			burst | sort | uniq -c >&2
			echo "$1 $(((RECOVER_S + 1) * 10))" >>"$tmp/recoveries"
			return 1
		fi
		sleep 0.2
	done
	t=$((($(now_ms) - start) / 100))
	echo "$1 $t" >>"$tmp/recoveries"
	echo "$1: recovered in $((t / 10)).$((t % 10)) s"
	return 0
}

postmaster() {
	head -1 "$PG_DATA/postmaster.pid"
}

# Wait until none of the pids is alive (a zombie nobody reaps is gone
# for every purpose that matters here); 1 after $2 tenths of a second.
gone() {
	i=0
	while [ $i -lt "$2" ]; do
		alive=0
		for p in $1; do
			ps -o stat= -p "$p" 2>/dev/null | grep -qv Z && alive=1
		done
		[ $alive = 0 ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

fault_restart() {
	as_postgres "$PGBIN/pg_ctl" -D "$PG_DATA" -m immediate -w restart \
	    -l "$PG_LOG" >/dev/null
}

fault_pgkill() {
	pm=$(postmaster)
	kill -KILL "$pm"
	# As a supervisor would: once the postmaster is gone (a zombie
	# nobody reaps still owns its pid, and so the lock file), start it
	# again until it comes up; its orphaned backends must notice the
	# death and exit.
	gone "$pm" 50
	rm -f "$PG_DATA/postmaster.pid"
	i=0
	until (pg_start) >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 10 ] && break
		sleep 1
	done
}

# SIGSTOP of the whole server, postmaster and backends: nothing answers,
# nothing closes. Health and an authenticated read are timed meanwhile.
fault_stop() {
	pm=$(postmaster)
	procs="$pm $(pgrep -P "$pm" | tr '\n' ' ')"
	kill -STOP $procs
	# At once, so that the read is not always answered by a worker
	# that health has already found the database down on.
	t0=$(now_ms)
	(curl -s -w ' %{http_code}' --max-time 10 "$url/v1/health" \
	    >"$tmp/h.out"; echo $(($(now_ms) - t0)) >"$tmp/h.ms") &
	(curl -s -w ' %{http_code}' --max-time 20 \
	    -H "Authorization: Bearer $key" "$url/v1/suppliers/FAULT-SUP" \
	    >"$tmp/r.out"; echo $(($(now_ms) - t0)) >"$tmp/r.ms") &
	wait $! 2>/dev/null
	until [ -s "$tmp/h.ms" ] && [ -s "$tmp/r.ms" ]; do sleep 0.05; done
	h=$(cat "$tmp/h.out") th=$(cat "$tmp/h.ms")
	r=$(cat "$tmp/r.out") tr_=$(cat "$tmp/r.ms")
	rm -f "$tmp/h.out" "$tmp/h.ms" "$tmp/r.out" "$tmp/r.ms"
	echo "$th" >>"$tmp/stop_health"
	echo "$tr_" >>"$tmp/stop_request"
	rest=$((STOP_S * 1000 - (th > tr_ ? th : tr_)))
	[ $rest -gt 0 ] && sleep "$((rest / 1000)).$((rest % 1000 / 100))"
	kill -CONT $procs
	echo "SIGSTOP: health answered in $th ms, a read in $tr_ ms"
	case $h in
	*'"database":"unavailable"'*' 503') ;;
	*) echo "health while stopped: $h" >&2; return 1 ;;
	esac
	case $r in
	'{"error":{"code":"unavailable",'*' 503') ;;
	*) echo "read while stopped: $r" >&2; return 1 ;;
	esac
	[ "$th" -le 1500 ] || return 1
	[ "$tr_" -le $((TIDEOVER_DB_TIMEOUT_MS + 1000)) ]
}

fault_worker() {
	worker=$(pgrep -P "$kore_pid" | head -1)
	[ -n "$worker" ] && kill -KILL "$worker"
}

# The Kore parent killed: its workers go with it, the port is free, and
# a new start (over the dead one's pid file) serves again.
fault_parent() {
	workers=$(pgrep -P "$kore_pid")
	kill -KILL "$kore_pid"
	wait "$kore_pid" 2>/dev/null
	kore_pid=
	gone "$workers" 30 || return 1
	kore_start "$tmp/kore.log"
}

FAULTS="restart pgkill stop worker parent"
describe() {
	case $1 in
	restart) echo "immediate restart of PostgreSQL" ;;
	pgkill) echo "SIGKILL of the postmaster" ;;
	stop) echo "SIGSTOP of PostgreSQL for ${STOP_S} s" ;;
	worker) echo "SIGKILL of a Kore worker" ;;
	parent) echo "SIGKILL of the Kore parent" ;;
	esac
}

check "healthy before any fault" healthy

sh tests/fault/writer.sh "$url" "$key" FLT "$tmp/writes.log" "$tmp/stop" &
writer_pid=$!
sleep 1

round=1
while [ $round -le "$ROUNDS" ]; do
	for f in $FAULTS; do
		what=$(describe $f)
		if [ $SOAK = 1 ]; then
			ok=1
			fault_$f || ok=0
			recovery $f >/dev/null || ok=0
			[ $ok = 1 ] || { failed=$((failed + 1));
			    echo "[  FAILED  ] $what, round $round"; }
			echo $f >>"$tmp/injected"
		else
			check "$what: as it should while it lasts" fault_$f
			check "$what: recovers within ${RECOVER_S}s" recovery $f
			echo $f >>"$tmp/injected"
		fi
		sleep 1
	done
	[ $SOAK = 1 ] && echo "round $round of $ROUNDS done"
	round=$((round + 1))
done
[ $SOAK = 1 ] && passed=$((passed + ROUNDS * 5 - failed))

# The writer finishes the sequence under way, its retries included.
touch "$tmp/stop"
wait "$writer_pid"
writer_pid=

# What the log says was acknowledged, into the database beside the data.
awk '$4 ~ /^2/ { print $1 "\t" $2 "\t" $5 "\t" $4 }' "$tmp/writes.log" \
    >"$tmp/acks.tsv"
chmod 0644 "$tmp/acks.tsv"
q() {
	pg_psql -d "$PG_DB" -tA -c "CREATE TEMP TABLE acks (seq int,
	    step text, rid text, code int)" -c "\\copy acks FROM
	    '$tmp/acks.tsv'" -c "CREATE TEMP VIEW fi AS SELECT i.*,
	    (SELECT count(*) FROM ledger_transactions t WHERE
	    t.invoice_id = i.id AND t.kind = 'approval') AS approvals,
	    (SELECT count(*) FROM ledger_transactions t WHERE
	    t.invoice_id = i.id AND t.kind = 'early_payment') AS earlies
	    FROM invoices i WHERE i.number LIKE 'FLT-%'" -c "$1" | tail -1
}
zero() {
	n=$(q "$1")
	[ "$n" = 0 ] || echo "$n found" >&2
	[ "$n" = 0 ]
}
lost=$(q "SELECT count(*) FROM acks a LEFT JOIN fi ON fi.number =
    'FLT-' || a.seq WHERE fi.id IS NULL
    OR fi.amount <> 1000000 OR fi.supplier_id <> 'FAULT-SUP'
    OR (a.step = 'approve' AND fi.status NOT IN ('approved', 'advanced'))
    OR (a.step = 'early' AND (fi.status <> 'advanced'
        OR fi.advance <> 900000 OR fi.fee <> 4808))")
check "every acknowledged write is present as acknowledged" \
    test "$lost" = 0
check "no invoice is half-applied" zero "SELECT count(*) FROM fi WHERE
    NOT ((status = 'submitted' AND approvals = 0 AND earlies = 0
        AND advance = 0)
    OR (status = 'approved' AND approvals = 1 AND earlies = 0
        AND advance = 0)
    OR (status = 'advanced' AND approvals = 1 AND earlies = 1
        AND advance = 900000 AND fee = 4808))"
check "the funder's account holds every advance, once" zero "SELECT
    (SELECT count(*) FROM fi WHERE status = 'advanced') * -900000 -
    coalesce((SELECT balance FROM ledger_accounts WHERE
    name = 'payable:funder:FAULT-SCH:FAULT-SUP'), 0)"
check "the audit trail has every acknowledged write" zero "SELECT
    count(*) FROM acks a WHERE NOT EXISTS (SELECT 1 FROM audit_log l
    WHERE l.request_id = a.rid AND l.outcome = a.code)"

# Every acknowledged payment once more, with its key: the stored reply,
# and not a penny more in the journal.
txs() {
	pg_psql -d "$PG_DB" -tA -c "SELECT count(*) FROM ledger_transactions"
}
before=$(txs)
again=0
bad=0
for n in $(awk '$2 == "early" && $4 ~ /^2/ { print $1 }' "$tmp/writes.log"); do
	c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST \
	    -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
	    -H "Idempotency-Key: FLT-$n-early" \
	    -d '{"scheme_id":"FAULT-SCH","paid_on":"2025-10-07"}' \
	    "$url/v1/invoices/FLT-$n/early-payment")
	again=$((again + 1))
	[ "$c" = 201 ] || bad=$((bad + 1))
done
check "each acknowledged payment sent again is answered as before ($again)" \
    test "$bad" = 0 -a "$again" -gt 0
check "and pays nothing twice" test "$(txs)" = "$before"

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

# The figures.
logged=$(wc -l <"$tmp/writes.log")
acked=$(wc -l <"$tmp/acks.tsv")
unknown=$(awk '$4 == "000" || $4 ~ /^5/' "$tmp/writes.log" | wc -l)
unresolved=$(grep -c unresolved "$tmp/writes.log")
seqs=$(awk '{ print $1 }' "$tmp/writes.log" | sort -u | wc -l)
echo "--- figures"
echo "faults injected:        $(wc -l <"$tmp/injected")"
echo "write sequences:        $seqs (create, approve, early payment)"
echo "write requests logged:  $logged"
echo "acknowledged (2xx):     $acked"
echo "unknown (5xx, no reply): $unknown, each retried with its key"
echo "unresolved after ${STEP_S:-60} s:  $unresolved"
echo "lost:                   $lost (must be 0)"
echo "recovery (health ok and a burst of $BURST reads all 200), per fault:"
for f in $FAULTS; do
	awk -v f=$f '$1 == f { print $2 }' "$tmp/recoveries" | sort -n |
	    awk -v f="$f" '{ v[NR] = $1 } END { if (NR) printf "  %-8s %3d x  max %.1f s  median %.1f s\n",
	    f, NR, v[NR] / 10, v[int((NR + 1) / 2)] / 10 }'
done
sort -n "$tmp/stop_health" | awk '{ v[NR] = $1 } END { if (NR)
    printf "SIGSTOP: health unavailable after max %d ms, median %d ms\n",
    v[NR], v[int((NR + 1) / 2)] }'
sort -n "$tmp/stop_request" | awk '{ v[NR] = $1 } END { if (NR)
    printf "SIGSTOP: a read answered 503 after max %d ms, median %d ms\n",
    v[NR], v[int((NR + 1) / 2)] }'

kore_stop
pg_stop

# Supervision: ops/run on the same data, nobody but it restarting.
if [ -z "${FAULT_NO_SUPERVISION:-}" ]; then
	sh tests/fault/supervise.sh "$tmp" "$ROUNDS" >"$tmp/supervise.out" 2>&1
	rc=$?
	cat "$tmp/supervise.out"
	set -- $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
	    "$tmp/supervise.out" | tail -1)
	passed=$((passed + ${1:-0}))
	failed=$((failed + ${2:-1}))
	[ $rc = 0 ] || [ "${2:-1}" != 0 ] || failed=$((failed + 1))
fi

if [ $failed -ne 0 ]; then
	echo "--- kore log (last 30 lines)"
	tail -30 "$tmp/kore.log"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
