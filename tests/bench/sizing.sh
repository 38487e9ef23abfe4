#!/bin/sh
# Benchmark: POST /v1/facility-sizing on the demo data set (5,000
# suppliers, 223,500 open invoices) against the real server: a stress run
# of the demo scenario, L 0..60, then sizings of each demo scheme's
# facility at 37 days on 20 steps (21 runs of the model each), in turn.
# Prints each case's median response time and the median of the engine's
# part the server logs. Target: under 3 seconds.
#
#   tests/bench/sizing.sh [runs per case]
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

run=$(curl -s -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' \
    -d '{"scenario_id":"jlr-2025","scheme_id":null,"max_outage_days":60}' \
    "http://127.0.0.1:$PORT/v1/stress-runs" |
    sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
[ -n "$run" ] || { echo "stress run failed"; exit 1; }

echo "POST /v1/facility-sizing, demo data set, L 37, 20 steps, median of $runs:"
for scheme in jlr-2025-restart all-tiers-day-1; do
	: >"$tmp/times"
	: >"$tmp/engine"
	i=0
	while [ "$i" -lt "$runs" ]; do
		out=$(curl -s -o "$tmp/body" -w '%{http_code} %{time_total}' \
		    -H "Authorization: Bearer $key" \
		    -H 'Content-Type: application/json' \
		    -d "{\"run_id\":$run,\"scheme_id\":\"$scheme\",\"outage_days\":37,\"steps\":20}" \
		    "http://127.0.0.1:$PORT/v1/facility-sizing")
		[ "${out% *}" = 201 ] || {
			echo "sizing failed: $out"; cat "$tmp/body"; exit 1; }
		echo "${out#* }" >>"$tmp/times"
		grep 'facility sizing on run' "$tmp/kore.log" | tail -n 1 |
		    sed -n 's/.* engine \([0-9]*\) ms.*/\1/p' >>"$tmp/engine"
		i=$((i + 1))
	done
	t=$(median <"$tmp/times")
	printf '  %-20s %5.0f ms  (engine %s ms; smallest sufficient limit %s)\n' \
	    "$scheme" "$(awk -v t="$t" 'BEGIN { print t * 1000 }')" \
	    "$(median <"$tmp/engine")" \
	    "$(sed -n 's/.*"smallest_sufficient_limit":\([0-9a-z]*\).*/\1/p' \
	    "$tmp/body")"
done
echo "target: under 3000 ms"
