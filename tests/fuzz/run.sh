#!/bin/sh
# Run libFuzzer harnesses one after the other:
#
#   sh tests/fuzz/run.sh [-smoke] SECONDS HARNESS...
#
# Each harness (build/fuzz/fuzz_NAME) runs for SECONDS on a copy of its
# seeds, tests/fuzz/corpus/NAME/, under build/fuzz/: corpus/NAME/ keeps
# what earlier runs found, so that the checked-in seeds stay small; with
# -smoke a fresh copy in smoke/NAME/ is used and thrown away, so the
# stage of make test starts from the same seeds every time. The input of
# a crash, leak, timeout or out-of-memory is left in artifacts/NAME/.
#
# Prints one line per harness (executions, coverage from libFuzzer's
# last "cov:" figure, crashes), the log's end when one failed, a total,
# and last "N passed, N failed": a pass is a harness that ran its time
# without a crash.
set -u

smoke=0
if [ "${1:-}" = -smoke ]; then
	smoke=1
	shift
fi
if [ $# -lt 1 ]; then
	echo "usage: $0 [-smoke] seconds harness..." >&2
	exit 2
fi
secs=$1
shift

top=build/fuzz
passed=0
failed=0
execs_total=0
crashes_total=0
failures=""

for h in "$@"; do
	name=$(basename "$h")
	name=${name#fuzz_}
	if [ $smoke = 1 ]; then
		corpus=$top/smoke/$name
		rm -rf "$corpus"
	else
		corpus=$top/corpus/$name
	fi
	art=$top/artifacts/$name
	log=$top/logs/$name.log
	mkdir -p "$corpus" "$art" "$top/logs"
	rm -f "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-* \
	    "$art"/slow-unit-*
	if [ -d "tests/fuzz/corpus/$name" ]; then
		cp tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
	fi

	"$h" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$art/" "$corpus" >"$log" 2>&1
	rc=$?

	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | sed 's/cov: //')
	crashes=$(find "$art" -type f \( -name 'crash-*' -o -name 'leak-*' \
	    -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	crashes=$((crashes + 0))
	# A harness that died without leaving an input still failed.
	[ $rc -ne 0 ] && [ $crashes = 0 ] && crashes=1
	execs=${execs:-0}
	execs_total=$((execs_total + execs))
	crashes_total=$((crashes_total + crashes))

	printf '%-18s %10s executions  cov %5s  %s crash(es)\n' "$name" \
	    "$execs" "${cov:-?}" "$crashes"
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		continue
	fi
	failed=$((failed + 1))
	failures="$failures $name"
	echo "FAIL: $name exited with status $rc; from $log:"
	# The report from its first line: the failed check or the sanitizer.
	first='invariant failed\|ERROR\|runtime error\|ALARM\|out-of-memory'
	sed -n "/$first/,\$p" "$log" | grep -v '^#[0-9]' | head -40 |
	    sed 's/^/    /'
	for f in "$art"/*; do
		[ -f "$f" ] && echo "    reproduce: $h $f"
	done
done

echo "total: $# harnesses, $execs_total executions, $crashes_total" \
    "crash(es)${failures:+, failed:$failures}"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
