#!/bin/sh
# Benchmark: single-invoice creation, POST /v1/invoices, with 16
# concurrent clients (wrk), beside pgbench's tpcb-like transactions on the
# same PostgreSQL cluster with the same client count, as the reference for
# what this machine's database can do. Prints requests per second and p99
# latency for submitted invoices and for approved ones (each a journal
# posting), pgbench's transactions per second, and the ratios. Target: at
# least half of pgbench's rate.
#
#   tests/bench/create.sh [seconds]
set -u
cd "$(dirname "$0")/../.."
. ops/lib.sh

secs=${1:-20}
clients=16

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
# The same cluster serves both: enough connections for Kore and pgbench.
echo "max_connections = 200" >>"$PG_DATA/postgresql.conf"
pg_start >/dev/null
(pg_migrate) >/dev/null || exit 1
pg_psql -d "$PG_DB" -c "INSERT INTO suppliers (id, name, tier, region,
    sector, employees, currency, cash, credit_available, fixed_daily_costs,
    oem_daily_sales, variable_cost_bps, other_daily_receipts,
    payment_terms_days)
    SELECT 'BSUP-' || lpad(g::text, 4, '0'), 'Bench ' || g, 1 + g % 3,
    'West Midlands', 'castings', 50, 'GBP', 1000000, 0, 1000, 5000, 6000, 0,
    60 FROM generate_series(0, 999) g" >/dev/null
kore_start "$tmp/kore.log"
TIDEOVER_KEY=$(ops/apikey create --role treasury --label bench)
export TIDEOVER_KEY

run_wrk() {
	INVOICE_STATUS=$1 wrk -t2 -c$clients -d${secs}s --latency \
	    -s tests/bench/create.lua "http://127.0.0.1:$PORT" |
	    sed -n 's/^RESULT //p'
}

set -- $(run_wrk submitted)
sub_rps=$1 sub_p99=$2 sub_bad=$3
set -- $(run_wrk approved)
app_rps=$1 app_p99=$2 app_bad=$3

pg_psql -d postgres -c "CREATE DATABASE pgbench" >/dev/null
"$PGBIN/pgbench" -h "$PG_RUN" -U "$PG_ADMIN" -i -q -s $clients pgbench \
    >/dev/null 2>&1
tps=$("$PGBIN/pgbench" -h "$PG_RUN" -U "$PG_ADMIN" -b tpcb-like \
    -c $clients -j 2 -T "$secs" pgbench 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p' | tail -1)

awk -v secs="$secs" -v s="$sub_rps" -v sp="$sub_p99" -v sb="$sub_bad" -v a="$app_rps" \
    -v ap="$app_p99" -v ab="$app_bad" -v t="$tps" -v c="$clients" 'BEGIN {
	printf "%d clients, %s s each, same cluster\n", c, secs
	printf "  POST /v1/invoices (submitted): %8.0f req/s  p99 %6.2f ms  errors %d  = %.2f x pgbench\n", s, sp, sb, s / t
	printf "  POST /v1/invoices (approved):  %8.0f req/s  p99 %6.2f ms  errors %d  = %.2f x pgbench\n", a, ap, ab, a / t
	printf "  pgbench -b tpcb-like:          %8.0f tps\n", t
	printf "  target: at least 0.5 x pgbench\n"
}'
