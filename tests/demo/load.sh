#!/bin/sh
# ops/demo against a throwaway instance (its own data directory, socket
# and free port): everything lands through the API, a second run on the
# loaded database does nothing, and a failing step stops the loader but
# not the server. Ends with "N passed, N failed"; exits non-zero on
# failure.
set -u
cd "$(dirname "$0")/../.."
. ops/lib.sh

make -s build/tideover.so build/tideover-apikey build/tideover-demo ||
    exit 1

tmp=$(mktemp -d /tmp/tideover-demoload.XXXXXX)
chmod 0755 "$tmp"
DATA_DIR=$tmp/data
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

passed=0
failed=0
check() {
	name=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name"
	fi
}
sql() {
	pg_psql -d "$PG_DB" -tAc "$1"
}

pg_create >/dev/null
pg_start >/dev/null
(pg_migrate) >/dev/null || exit 1
kore_start "$tmp/kore.log"

# A failing step first, on the empty database: a supplier file with a
# bad line. The server's error is shown, the loader stops, the server
# stays up, nothing is written.
build/tideover-demo "$tmp/bad" >/dev/null
sed -i '3s/,GBP,/,EUR,/' "$tmp/bad/suppliers.csv"
DEMO_FILES=$tmp/bad sh ops/demo >"$tmp/bad.out" 2>&1
rc=$?
sed 's/^/    /' "$tmp/bad.out"
check "a failing step stops the loader" test "$rc" != 0
check "and prints the server's error" grep -q '"line":3' "$tmp/bad.out"
check "the server keeps running" curl -fsS -o /dev/null \
    "http://127.0.0.1:$PORT/v1/health"
check "nothing written" test "$(sql 'SELECT count(*) FROM suppliers')" = 0

start=$(date +%s)
sh ops/demo >"$tmp/demo.out" 2>&1
rc=$?
took=$(($(date +%s) - start))
sed 's/^/    /' "$tmp/demo.out"
check "the loader succeeds" test "$rc" = 0
check "5,000 suppliers" test "$(sql 'SELECT count(*) FROM suppliers')" = 5000
check "the generator's invoices, all approved" test \
    "$(sql "SELECT count(*) FROM invoices WHERE status = 'approved'")" = \
    "$(sed -n 's/.*invoices: \([0-9]*\),.*/\1/p' "$tmp/demo.out")"
check "the generator's links" test "$(sql 'SELECT count(*) FROM links')" = \
    "$(sed -n 's/.*importing \([0-9]*\) links.*/\1/p' "$tmp/demo.out")"
check "the counterfactual finances every tier's invoices" test "$(sql \
    "SELECT covers FROM schemes WHERE id = 'all-tiers-day-1'")" = all
check "three schemes" test "$(sql 'SELECT count(*) FROM schemes')" = 3
check "the order-stage scheme prepays at the order" test "$(sql \
    "SELECT basis || ' ' || order_lead_days || ' ' || true_up_lag_days
     FROM schemes WHERE id = 'jlr-2025-orders'")" = "order 60 0"
treasury=$(grep -o 'treasury *tdo_[^ ]*' "$tmp/demo.out" | awk '{ print $2 }')
check "the ledger balances" sh -c "curl -s -H 'Authorization: Bearer \
    $treasury' http://127.0.0.1:$PORT/v1/ledger/verify |
    grep -q '\"balanced\":true'"
check "a key per role printed" sh -c "grep -Eq 'treasury +tdo_' '$tmp/demo.out' &&
    grep -Eq 'supplier +tdo_' '$tmp/demo.out' &&
    grep -Eq 'government +tdo_' '$tmp/demo.out'"
if grep -q 'no /v1/scenarios yet\|no /v1/stress-runs yet' "$tmp/demo.out"; then
	echo "     (this server has no scenarios or stress runs yet)"
else
	check "the scenario" test "$(sql 'SELECT count(*) FROM scenarios')" = 1
	check "four runs, published" test "$(curl -s -H "Authorization: \
Bearer $treasury" "http://127.0.0.1:$PORT/v1/stress-runs" |
	    grep -o '"published":true' | wc -l)" = 4
	check "the headline table" grep -q '^jlr-2025-restart ' "$tmp/demo.out"
	check "and its contagion rows" grep -Eq '^ +by contagion +[0-9]+ ' \
	    "$tmp/demo.out"
	check "the order-stage scheme's row" grep -q '^jlr-2025-orders ' \
	    "$tmp/demo.out"
	check "the expected figures under the outage probabilities" \
	    test "$(grep -Ec '^  expected +[0-9]+ suppliers below' \
	    "$tmp/demo.out")" = 4
	sizings=$(sql "SELECT count(*) FROM facility_sizings
	    WHERE outage_days = 37 AND steps = 20")
	check "a facility sizing at 37 days and its answer" sh -c \
	    "test '$sizings' = 1 &&
	     grep -q '^smallest sufficient facility: GBP [0-9.]*m' \
	     '$tmp/demo.out'"
	# The generator's seed is fixed, and so are the digests of what the
	# runs computed from: a change to the snapshot or its encoding shows.
	digests=$(sql "SELECT string_agg(coalesce(r.scheme_id, 'none') ||
	    '=' || r.inputs_digest, ' ' ORDER BY r.id) FROM stress_runs r")
	want="none=2819b3e1a4b8ef77f8b9ea9125eba019834a117bcd55cb7dbc152c8b74fa2be8\
 all-tiers-day-1=f95e967286ab4cffc0c952ed0f84b19e3955e9738cfcd046241314a4b59c5200\
 jlr-2025-restart=7449a0c3385ad5a9c8fc63aef094d962308c56b2656bb0c9110631a2da7cdf08\
 jlr-2025-orders=b9b50233722c2f49b8694852a65121addac0f72ed25be04bc3243f71727563b8"
	check "each run's inputs_digest is the demo's own" test "$digests" = \
	    "$want"
	[ "$digests" = "$want" ] || echo "     digests: $digests"
fi

keys=$(sql 'SELECT count(*) FROM api_keys')
sh ops/demo >"$tmp/again.out" 2>&1
rc=$?
check "a second run does nothing" sh -c "[ $rc = 0 ] &&
    grep -q 'already holds suppliers' '$tmp/again.out'"
check "and creates no key" test "$(sql 'SELECT count(*) FROM api_keys')" = "$keys"

echo "demo load: ${took}s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
