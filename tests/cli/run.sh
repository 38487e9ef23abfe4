#!/bin/sh
# Golden-file tests for tideover-stress. Each NAME.json is fed on stdin;
# stdout must equal NAME.out and stderr NAME.err when those exist, and the
# exit status must be NAME.status (0 when absent). The expected outputs
# were computed by hand from liquidity-model.md (see README in this
# directory), not recorded from the tool.
#
# usage: sh tests/cli/run.sh path/to/tideover-stress
set -u
bin=${1:?usage: run.sh path/to/tideover-stress}
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "ok   $1"
}

bad() {
	fail=$((fail + 1))
	echo "FAIL $1: $2"
}

# judge NAME STATUS WANT OUT ERR: the run's exit status and output in
# $tmp/out and $tmp/err against what is wanted (OUT and ERR may be absent
# files: then that stream is not compared, but stderr must be empty on
# success).
judge() {
	if [ "$2" != "$3" ]; then
		bad "$1" "exit status $2, want $3"
		sed 's/^/    /' "$tmp/err"
		return
	fi
	if [ -f "$4" ] && ! diff -u "$4" "$tmp/out" >"$tmp/diff"; then
		bad "$1" "stdout differs from $(basename "$4")"
		head -20 "$tmp/diff"
		return
	fi
	if [ -f "$5" ] && ! diff -u "$5" "$tmp/err" >"$tmp/diff"; then
		bad "$1" "stderr differs"
		head -20 "$tmp/diff"
		return
	fi
	if [ "$3" = 0 ] && [ -s "$tmp/err" ]; then
		bad "$1" "unexpected stderr"
		return
	fi
	ok "$1"
}

for in in "$dir"/*.json; do
	name=$(basename "$in" .json)
	want=0
	[ -f "$dir/$name.status" ] && want=$(cat "$dir/$name.status")
	"$bin" <"$in" >"$tmp/out" 2>"$tmp/err"
	judge "$name" $? "$want" "$dir/$name.out" "$dir/$name.err"
done

# The CSV form: csv/NAME.args is the command line, run in this directory.
# Its stdout must equal the JSON golden file csv/NAME.same names (the same
# chain as tables gives the same figures), its stderr csv/NAME.err.
for args in "$dir"/csv/*.args; do
	base=${args%.args}
	want=0
	[ -f "$base.status" ] && want=$(cat "$base.status")
	same=$base.none
	[ -f "$base.same" ] && same=$dir/$(cat "$base.same")
	# shellcheck disable=SC2046
	(cd "$dir" && "$bin" $(cat "$args")) >"$tmp/out" 2>"$tmp/err"
	judge "csv_$(basename "$base")" $? "$want" "$same" "$base.err"
done

# The CSV form wants its three files; an unknown option is a usage error.
for args in "--suppliers $dir/csv/suppliers.csv" "--bogus x" \
    "--suppliers a --suppliers b --invoices c --scenario d" \
    "--suppliers a --invoices b --scenario c --outage-days -1"; do
	# shellcheck disable=SC2086
	"$bin" $args >/dev/null 2>"$tmp/err"
	if [ $? = 2 ] && grep -q '^usage:' "$tmp/err"; then
		ok "csv_usage: $args"
	else
		bad "csv_usage: $args" "want exit status 2 and the usage"
	fi
done

# The file argument reads the same document as stdin.
if "$bin" "$dir/worked_example.json" >"$tmp/out" 2>/dev/null &&
    cmp -s "$tmp/out" "$dir/worked_example.out"; then
	ok "file_argument"
else
	bad "file_argument" "output differs from the stdin run"
fi

# A missing file and a stray argument are bad input too.
"$bin" "$tmp/nonexistent.json" >/dev/null 2>"$tmp/err"
if [ $? = 2 ] && grep -q '"error"' "$tmp/err"; then
	ok "missing_file"
else
	bad "missing_file" "want exit status 2 and a JSON error"
fi
"$bin" a b >/dev/null 2>&1
if [ $? = 2 ]; then
	ok "usage"
else
	bad "usage" "want exit status 2"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
