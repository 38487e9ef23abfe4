#!/bin/sh
# make bench: run the engine benchmark five times and print, per case, the
# median wall time, CPU time and peak RSS. Extra arguments go to the
# benchmark (e.g. a smaller "suppliers invoices" size for profiling).
# BENCH_NATIONAL=1 adds the national network over L 0..120 (minutes a
# run), BENCH_REFERENCE=1 with it the day-by-day reference on the same
# input, BENCH_NET_MAX the range of the other network cases (5), and
# BENCH_RUNS the number of runs (5).
#
# usage: sh tests/bench/run.sh path/to/bench-engine [suppliers invoices]
set -u
bin=${1:?usage: run.sh path/to/bench-engine [suppliers invoices]}
shift
runs=${BENCH_RUNS:-5}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
i=1
while [ "$i" -le "$runs" ]; do
	"$bin" "$@" | tee -a "$log" || exit 1
	i=$((i + 1))
done
echo "median of $runs runs:"
for c in $(sed -n 's/^case=\([^ ]*\).*/\1/p' "$log" | awk '!seen[$0]++'); do
	med() {
		grep "^case=$c " "$log" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p" |
		    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
	}
	sums=$(grep "^case=$c " "$log" | sed 's/.*checksum=//' | sort -u |
	    wc -l)
	printf '%-24s wall %6ss  cpu %6ss  peak rss %7s MiB%s\n' "$c" \
	    "$(med wall_s)" "$(med cpu_s)" "$(med peak_rss_mib)" \
	    "$([ "$sums" -gt 1 ] && echo '  RESULTS DIFFER BETWEEN RUNS')"
done
