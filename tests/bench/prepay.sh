#!/bin/sh
# Benchmark: order prepayments under concurrency. At 16, 64 and 256
# concurrent clients, wrk prepays open purchase orders under an
# order-basis scheme (POST /v1/orders/{id}/prepayment: eligibility, the
# fee, both caps read and checked again under the chain lock, and a
# journal posting sealed by the database) while pgbench's
# tpcb-like transactions run beside it, with as many clients, on the same
# PostgreSQL cluster (its own database, pgbench -i -s 16): the reference
# for what this machine's database does meanwhile. Each client count is
# run RUNS times (3); the median run of each figure is printed: requests
# per second, errors (anything but 201, and socket errors), p50 and p99
# latency, pgbench's tps, and how the CPU time of Kore's two workers was
# shared. Goal: zero errors, at least pgbench's tps, p99 under 50 ms at
# 16 clients.
#
#   tests/bench/prepay.sh [seconds per run] [client counts]
#   RUNS=1 tests/bench/prepay.sh 5 "16"	a quick look
#   PGBENCH=0 tests/bench/prepay.sh	the service alone, for comparison
set -u
cd "$(dirname "$0")/../.."
. ops/lib.sh

secs=${1:-10}
counts=${2:-16 64 256}
runs=${RUNS:-3}
beside=${PGBENCH:-1}
scale=16

command -v wrk >/dev/null 2>&1 || {
	say "installing wrk"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
}

tmp=$(mktemp -d /tmp/tideover-bench.XXXXXX)
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
# One cluster serves both: Kore's 16 connections and 256 of pgbench's.
echo "max_connections = 300" >>"$PG_DATA/postgresql.conf"
pg_start >/dev/null
(pg_migrate) >/dev/null || exit 1
pg_psql -d "$PG_DB" -c "INSERT INTO suppliers (id, name, tier, region,
    sector, employees, currency, cash, credit_available, fixed_daily_costs,
    oem_daily_sales, variable_cost_bps, other_daily_receipts,
    payment_terms_days)
    SELECT 'BSUP-' || lpad(g::text, 4, '0'), 'Bench ' || g, 1 + g % 3,
    'West Midlands', 'castings', 50, 'GBP', 1000000, 0, 1000, 5000, 6000, 0,
    60 FROM generate_series(0, 999) g" >/dev/null
# Open orders enough for every request (each wrk thread takes its own
# block of 20,000 ids per run), and an order-basis scheme whose facility
# limit never binds.
pg_psql -d "$PG_DB" -c "INSERT INTO schemes (id, name, effective_from,
    payment_lag_days, advance_rate_bps, annual_rate_bps, day_count_basis,
    fee_bearer, eligible_tiers, min_invoice_amount, requires_opt_in,
    facility_limit, basis, order_lead_days, true_up_lag_days) VALUES
    ('BORDER', 'Bench order basis', '2025-09-01', 0, 8000, 650, 365, 'oem',
    '{1,2,3}', 0, false, 9000000000000000, 'order', 30, 5)" >/dev/null
norders=$((40000 * runs * $(echo $counts | wc -w)))
pg_psql -d "$PG_DB" -c "INSERT INTO orders (id, supplier_id, amount,
    currency, order_date, delivery_date)
    SELECT 'BO-' || g, 'BSUP-' || lpad((g % 1000)::text, 4, '0'),
    100000 + g % 1000, 'GBP', '2025-10-01', '2025-10-20'
    FROM generate_series(1, $norders) g" >/dev/null
pg_psql -d postgres -c "CREATE DATABASE pgbench" >/dev/null
"$PGBIN/pgbench" -h "$PG_RUN" -U "$PG_ADMIN" -i -q -s $scale pgbench \
    >/dev/null 2>&1 || die "pgbench -i failed"

# The rate limits out of the way: this measures the ledger, not them.
TIDEOVER_RATE_PER_MINUTE=60000000
TIDEOVER_RATE_BURST=1000000
export TIDEOVER_RATE_PER_MINUTE TIDEOVER_RATE_BURST
kore_start "$tmp/kore.log"
TIDEOVER_KEY=$(ops/apikey create --role treasury --label bench)
export TIDEOVER_KEY
workers=$(ps -o pid= --ppid "$kore_pid" | tr -d ' ' | sort -n)

# CPU time (user + system, clock ticks) of each worker, on one line.
ticks() {
	for w in $workers; do
		awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$w/stat"
	done | tr '\n' ' '
}

# One run: wrk and pgbench at once, c clients each. Prints
# "req/s errors p50_ms p99_ms tps share_of_worker_1 share_of_worker_2".
run_once() {
	c=$1 tag=$2 base=$3
	t=$([ "$c" -lt 16 ] && echo "$c" || echo 2)
	before=$(ticks)
	: >"$tmp/pgbench.out"
	pgb=
	if [ "$beside" != 0 ]; then
		"$PGBIN/pgbench" -h "$PG_RUN" -U "$PG_ADMIN" -b tpcb-like -n \
		    -c "$c" -j 2 -T "$secs" pgbench >"$tmp/pgbench.out" 2>&1 &
		pgb=$!
	fi
	res=$(BASE=$base wrk -t"$t" -c"$c" -d"${secs}s" --timeout 10s \
	    --latency -s tests/bench/prepay.lua "http://127.0.0.1:$PORT" |
	    sed -n 's/^RESULT //p')
	[ -n "$pgb" ] && wait $pgb
	after=$(ticks)
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$tmp/pgbench.out" | tail -1)
	echo "$res ${tps:-0} $(echo "$before $after" | awk '{
		n = NF / 2; s = 0
		for (i = 1; i <= n; i++) { d[i] = $(n + i) - $i; s += d[i] }
		for (i = 1; i <= n; i++) printf "%.0f%% ", s ? 100 * d[i] / s : 0
	}')"
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "order prepayments (POST /v1/orders/{id}/prepayment, one journal posting each)"
if [ "$beside" != 0 ]; then
	echo "beside pgbench -b tpcb-like (scale $scale) on the same cluster;"
else
	echo "alone (PGBENCH=0);"
fi
echo "$secs s a run, median of $runs runs"
printf '%8s %10s %7s %8s %8s %10s %9s  %s\n' clients "req/s" errors \
    "p50 ms" "p99 ms" "pgbench" "x pgbench" "workers' CPU (each run)"
next=0
for c in $counts; do
	: >"$tmp/runs"
	r=1
	while [ $r -le "$runs" ]; do
		run_once "$c" "B$c-$r" "$next" >>"$tmp/runs"
		next=$((next + 40000))
		r=$((r + 1))
	done
	rps=$(awk '{ print $1 }' "$tmp/runs" | median)
	err=$(awk '{ print $2 }' "$tmp/runs" | median)
	p50=$(awk '{ print $3 }' "$tmp/runs" | median)
	p99=$(awk '{ print $4 }' "$tmp/runs" | median)
	tps=$(awk '{ print $5 }' "$tmp/runs" | median)
	share=$(awk '{ printf "%s%s/%s", (NR > 1 ? ", " : ""), $6, $7 }' \
	    "$tmp/runs")
	maxerr=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' \
	    "$tmp/runs")
	printf '%8d %10.0f %7d %8.2f %8.2f %10.0f %9.2f  %s\n' "$c" "$rps" \
	    "$err" "$p50" "$p99" "$tps" "$(echo "$rps $tps" |
	    awk '{ print ($2 > 0 ? $1 / $2 : 0) }')" "$share"
	[ "$maxerr" -gt 0 ] && echo "    (errors in some run: at most $maxerr)"
done
echo "journal: $(curl -s -H "Authorization: Bearer $TIDEOVER_KEY" \
    "http://127.0.0.1:$PORT/v1/ledger/verify")"
echo "goal: zero errors, at least 1.00 x pgbench, p99 < 50 ms at 16 clients"
