#!/bin/sh
# Benchmark: GET /v1/suppliers/{id}/schedule on the demo data set (5,000
# suppliers, 223,500 open invoices, the latest published run) from 8
# concurrent callers, each with its own supplier's key, and GET /v1/health
# beside them. Prints the median of health alone, then for each case the
# schedule calls answered (200 and 429), the schedule median and health's
# median while they run:
#
#   default limits   the rate limits a deployment gets (TIDEOVER_RATE_*)
#   no limit         limits raised out of reach: the snapshot cache alone
#
# Before the cache and the limits (each call read and decoded the whole
# snapshot), on the 2 shared cores of the development machine, 15 s:
# 127 calls answered in all, schedule 947 ms, health 26.1 ms (0.4 ms
# alone).
#
#   tests/bench/schedule.sh [seconds per case]
set -u
cd "$(dirname "$0")/../.."
. ops/lib.sh

secs=${1:-20}
callers=8

tmp=$(mktemp -d /tmp/tideover-bench.XXXXXX)
chmod 0755 "$tmp"
DATA_DIR=$tmp
PORT=$(free_port)
instance_init
kore_pid=
cleanup() {
	trap - EXIT INT TERM
	kill $(cat "$tmp"/loop.*.pid 2>/dev/null) 2>/dev/null
	kore_stop
	pg_stop 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

pg_create >/dev/null
pg_start >/dev/null
(pg_migrate) >/dev/null || exit 1
kore_start "$tmp/kore.log"
echo "loading the demo data set"
sh ops/demo >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log"; exit 1; }

BASE=http://127.0.0.1:$PORT
i=0
for s in $(pg_psql -d "$PG_DB" -tAc "SELECT id FROM suppliers
    ORDER BY id LIMIT $callers"); do
	i=$((i + 1))
	echo "$s $(ops/apikey create --role supplier --supplier "$s" \
	    --label "bench $i")" >>"$tmp/callers"
done

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.1f",
	    v[int((NR + 1) / 2)] * 1000; else printf "-" }'
}

# health for $1 seconds, one call after another: times in $2.
health() {
	end=$(($(date +%s) + $1))
	: >"$2"
	while [ "$(date +%s)" -lt "$end" ]; do
		curl -s -o /dev/null -w '%{time_total}\n' "$BASE/v1/health" \
		    >>"$2"
	done
}

# One caller: its supplier's schedule, one call after another, until
# the stop file appears: "status time" lines in $3.
caller() {
	: >"$3"
	while [ ! -f "$tmp/stop" ]; do
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
		    -H "Authorization: Bearer $2" \
		    "$BASE/v1/suppliers/$1/schedule" >>"$3"
	done
}

run_case() {
	rm -f "$tmp/stop" "$tmp"/loop.*
	n=0
	while read -r s k; do
		n=$((n + 1))
		caller "$s" "$k" "$tmp/loop.$n" &
		echo $! >"$tmp/loop.$n.pid"
	done <"$tmp/callers"
	health "$secs" "$tmp/health"
	touch "$tmp/stop"
	for p in "$tmp"/loop.*.pid; do
		wait "$(cat "$p")"
	done
	cat "$tmp"/loop.[0-9] >"$tmp/calls"
	ok=$(awk '$1 == 200' "$tmp/calls" | wc -l)
	limited=$(awk '$1 == 429' "$tmp/calls" | wc -l)
	other=$(awk '$1 != 200 && $1 != 429' "$tmp/calls" | wc -l)
	printf '  %-15s %6d x 200, %6d x 429, %d other; schedule %s ms' \
	    "$1" "$ok" "$limited" "$other" \
	    "$(awk '$1 == 200 { print $2 }' "$tmp/calls" | median)"
	printf ', health %s ms\n' "$(median <"$tmp/health")"
}

echo "schedule: $callers callers, ${secs} s per case, medians:"
health 5 "$tmp/health"
printf '  %-15s health %s ms\n' "health alone" "$(median <"$tmp/health")"
run_case "default limits"

kore_stop
TIDEOVER_RATE_PER_MINUTE=6000000 TIDEOVER_RATE_BURST=100000 \
TIDEOVER_RATE_EXPENSIVE_PER_MINUTE=6000000 \
TIDEOVER_RATE_EXPENSIVE_BURST=100000
export TIDEOVER_RATE_PER_MINUTE TIDEOVER_RATE_BURST \
    TIDEOVER_RATE_EXPENSIVE_PER_MINUTE TIDEOVER_RATE_EXPENSIVE_BURST
kore_start "$tmp/kore.log"
rss() {
	ps -o rss= --ppid "$kore_pid" | awk '{ s += $1 } END { print s }'
}
before=$(rss)
run_case "no limit"
echo "  workers' resident memory: $before KB at start," \
    "$(rss) KB with the run cached"
