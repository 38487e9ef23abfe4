#!/bin/sh
# Benchmark: POST /v1/stress-runs on the demo data set (5,000 suppliers,
# 223,500 open invoices, outage lengths 0..60) against the real server, for
# no scheme and for each demo scheme, in turn. Prints each case's median
# response time and the median of each phase the server logs (snapshot,
# read, load, digest, engine, reply, store). Target: under a second.
#
#   tests/bench/runs.sh [runs per case]
set -u
cd "$(dirname "$0")/../.."
. ops/lib.sh

runs=${1:-5}

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
pg_start >/dev/null
(pg_migrate) >/dev/null || exit 1
kore_start "$tmp/kore.log"
echo "loading the demo data set"
sh ops/demo >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log"; exit 1; }
key=$(ops/apikey create --role treasury --label bench)

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# The phases of the run just made, from the server's log line.
phase() {
	tail -n 1 "$tmp/phases" | sed -n "s/.* $1 \([0-9]*\) ms.*/\1/p"
}

echo "POST /v1/stress-runs, demo data set, L 0..60, median of $runs:"
for scheme in null '"jlr-2025-restart"' '"all-tiers-day-1"'; do
	: >"$tmp/times"
	: >"$tmp/case"
	i=0
	while [ "$i" -lt "$runs" ]; do
		out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' \
		    -H "Authorization: Bearer $key" \
		    -H 'Content-Type: application/json' \
		    -d "{\"scenario_id\":\"jlr-2025\",\"scheme_id\":$scheme,\"max_outage_days\":60}" \
		    "http://127.0.0.1:$PORT/v1/stress-runs")
		[ "${out% *}" = 201 ] || { echo "run failed: $out"; exit 1; }
		echo "${out#* }" >>"$tmp/times"
		grep 'stress run [0-9]*:' "$tmp/kore.log" | tail -n 1 \
		    >"$tmp/phases"
		echo "$(phase snapshot) $(phase read) $(phase load) $(phase digest)" \
		    "$(phase engine) $(phase reply) $(phase store)" >>"$tmp/case"
		i=$((i + 1))
	done
	t=$(median <"$tmp/times")
	printf '  %-20s %5.0f ms  (' "$(echo "$scheme" | tr -d '"')" \
	    "$(awk -v t="$t" 'BEGIN { print t * 1000 }')"
	n=1
	for p in snapshot read load digest engine reply store; do
		printf '%s%s %s' "$([ $n -gt 1 ] && echo ', ')" "$p" \
		    "$(cut -d' ' -f$n "$tmp/case" | median)"
		n=$((n + 1))
	done
	echo ' ms)'
done
echo "target: under 1000 ms"
