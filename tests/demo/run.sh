#!/bin/sh
# The demo data generator: its output depends only on the seed, and its
# counts and distributions stay within the ranges src/admin/demo.c
# documents. Ends with "N passed, N failed"; exits non-zero on failure.
#
#   tests/demo/run.sh [path to tideover-demo]
set -u
cd "$(dirname "$0")/../.."
bin=${1:-build/tideover-demo}
[ -x "$bin" ] || make -s "$bin" || exit 1

tmp=$(mktemp -d /tmp/tideover-demotest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
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

# between value lo hi, integers or decimals
between() {
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }' ||
	    { echo "     $1 is not within $2..$3"; return 1; }
}

"$bin" "$tmp/a" >"$tmp/a.out" || { echo "FAIL generator"; exit 1; }
"$bin" "$tmp/b" >/dev/null
"$bin" -s 7 "$tmp/c" >/dev/null

same() {
	for f in suppliers.csv invoices.csv links.csv scenario-jlr-2025.json \
	    scheme-jlr-2025-restart.json scheme-all-tiers-day-1.json \
	    scheme-jlr-2025-orders.json demo-supplier; do
		cmp -s "$tmp/a/$f" "$tmp/b/$f" || { echo "     $f differs"; return 1; }
	done
}
check "same seed, same bytes" same
check "another seed, other suppliers" \
    sh -c "! cmp -s '$tmp/a/suppliers.csv' '$tmp/c/suppliers.csv'"
check "usage error exits 2" sh -c "'$bin' >/dev/null 2>&1; [ \$? = 2 ]"

S=$tmp/a/suppliers.csv
I=$tmp/a/invoices.csv

# Per-supplier figures, one awk pass: tier counts, employees, days of
# outflows (cash over fixed plus variable costs on all revenue, purchases
# from modelled suppliers included; sales into the chain are the OEM's
# and the links' as seller, the other customers' revenue is recovered
# from their net receipts, at the variable cost rate before purchases).
awk -F, 'NR == FNR { if (FNR > 1) { sold[$1] += $3; bought[$2] += $3 }; next }
FNR == 1 { next }
{
	t[$3]++; emp += $6; te[$3] += $6; region[$4]++
	r = $12 + sold[$1]
	v = $13 / 10000 + (r > 0 ? bought[$1] / r : 0)
	out = $11 + v * (r + $14 / (1 - v))
	print $8 / out > "'"$tmp"'/days"
	if ($6 < 10) band["micro"]++
	else if ($6 < 50) band["small"]++
	else if ($6 < 250) band["medium"]++
	else band["large"]++
	if ($3 == 1 && $16 == "true") opt1++
	if ($13 < 500 || $13 > 8500) badv++
	if ($15 != 60) badterms++
	if ($7 != "GBP") badcur++
	if ($9 > 0) credit++
	if ($10 > 0) minliq++
	if ($14 > 0) other++
	if ($11 <= 0 || ($3 == 1 && $12 <= 0) || ($3 == 3 && $12 != 0)) badmoney++
	if ($3 == 2 && $12 > 0) direct2++
	if (seen[$1]++) dup++
}
END {
	printf "t1=%d t2=%d t3=%d emp=%d\n", t[1], t[2], t[3], emp
	printf "m1=%d m2=%d m3=%d\n", te[1] / t[1], te[2] / t[2], te[3] / t[3]
	wm = region["West Midlands"]; top = 1
	for (r in region) if (region[r] > wm) top = 0
	printf "wm=%d wmtop=%d nregions=%d\n", wm, top, length(region)
	printf "micro=%d small=%d medium=%d large=%d\n", band["micro"],
	    band["small"], band["medium"], band["large"]
	printf "opt1=%d badv=%d badterms=%d badcur=%d badmoney=%d dup=%d\n",
	    opt1, badv, badterms, badcur, badmoney, dup
	printf "credit=%d minliq=%d other=%d direct2=%d\n", credit, minliq,
	    other, direct2
}' "$tmp/a/links.csv" "$S" | tr ' ' '\n' >"$tmp/stats"
. "$tmp/stats"
sort -g "$tmp/days" >"$tmp/days.sorted"
median=$(awk '{ v[NR] = $1 } END { print v[int(NR / 2) + 1] }' "$tmp/days.sorted")
under15=$(awk '$1 < 15 { n++ } END { printf "%.1f", 100 * n / NR }' "$tmp/days")

check "header is the supplier import's field names" test \
    "$(head -1 "$S")" = "id,name,tier,region,sector,employees,currency,cash,credit_available,min_liquidity,fixed_daily_costs,oem_daily_sales,variable_cost_bps,other_daily_receipts,payment_terms_days,scheme_opt_in"
check "5,000 suppliers" test "$(($(wc -l <"$S") - 1))" = 5000
check "tiers 1,000 / 2,500 / 1,500" test "$t1/$t2/$t3" = 1000/2500/1500
check "unique ids" test "$dup" = 0
check "employees about 120,000" between "$emp" 110000 130000
check "tier 1s larger than tier 2s, larger than tier 3s" \
    sh -c "[ $m1 -gt $m2 ] && [ $m2 -gt $m3 ]"
check "every size band present, micro and small most" \
    sh -c "[ $large -gt 0 ] && [ $medium -gt $large ] && [ $small -gt $medium ] && [ $micro -gt $medium ]"
check "West Midlands the largest region" test "$wmtop" = 1
check "West Midlands 30-42 %" between "$wm" 1500 2100
check "at least 10 regions" between "$nregions" 10 20
check "median days of outflows near 27" between "$median" 24 30
check "40-50 % under 15 days of outflows" between "$under15" 40 50
check "variable costs 5-85 % besides purchases" test "$badv" = 0
check "60-day terms" test "$badterms" = 0
check "GBP" test "$badcur" = 0
check "fixed costs; tier 1s sell to the OEM, tier 3s do not" \
    test "$badmoney" = 0
check "about 15 % of tier 2s also sell to the OEM" between "$direct2" 300 450
check "most tier 1s opted in" between "$opt1" 750 950
check "some credit lines" between "$credit" 500 1500
check "some positive thresholds" between "$minliq" 750 1750
check "some other customers" between "$other" 2000 3800

inv=$(($(wc -l <"$I") - 1))
check "invoices 60,000-120,000" between "$inv" 60000 120000
check "invoice header" test "$(head -1 "$I")" = \
    "id,supplier_id,amount,currency,issue_date,due_date"
# Every invoice: a known supplier, a valid id, a positive amount, issued
# 3 July to 31 August, due 60 days later (1 September to 30 October).
awk -F, 'NR == FNR { if (FNR > 1) { sup[$1] = 1; sales[$1] = $12 }; next }
FNR == 1 { next }
{
	if (!($2 in sup)) bad["supplier"]++
	if ($1 !~ /^[A-Za-z0-9._-]+$/ || length($1) > 64) bad["id"]++
	if ($3 <= 0) bad["amount"]++
	if ($5 < "2025-07-03" || $5 > "2025-08-31") bad["issue"]++
	if ($6 < "2025-09-01" || $6 > "2025-10-30") bad["due"]++
	if ($3 % sales[$2] != 0) bad["period"]++
	total[$2] += $3
	if (ids[$1]++) bad["dup"]++
}
END {
	# 60 days of sales per supplier, whatever the invoicing period.
	for (s in sup) if (total[s] != 60 * sales[s]) bad["total"]++
	for (k in bad) print k, bad[k]
}' "$S" "$I" >"$tmp/badinv"
check "invoices consistent with suppliers (60 days of sales, due in Sep-Oct)" \
    test ! -s "$tmp/badinv"
[ -s "$tmp/badinv" ] && sed 's/^/     /' "$tmp/badinv"

# The network: who sells to whom, one tier up, and what it costs them.
L=$tmp/a/links.csv
check "links header is the link import's" test "$(head -1 "$L")" = \
    "supplier_id,customer_id,daily_sales,payment_terms_days"
awk -F, 'NR == FNR { if (FNR > 1) { tier[$1] = $3; fixed[$1] = $11
	oem[$1] = $12; v[$1] = $13; other[$1] = $14 }; next }
FNR == 1 { next }
{
	s = $1; c = $2
	if (!(s in tier) || !(c in tier)) bad["unknown"]++
	if (s == c) bad["self"]++
	if (pair[s "," c]++) bad["pair"]++
	if (tier[c] != tier[s] - 1) bad["tier"]++
	if ($3 <= 0) bad["sales"]++
	if ($4 != 30 && $4 != 45 && $4 != 60 && $4 != 75 && $4 != 90)
		bad["terms"]++
	n[s]++; sold[s] += $3; bought[c] += $3
}
END {
	for (s in tier) {
		if (tier[s] == 1 && n[s] > 0) bad["tier 1 seller"]++
		if (tier[s] == 2 && (n[s] < 1 || n[s] > 4)) bad["tier 2 customers"]++
		if (tier[s] == 3 && (n[s] < 1 || n[s] > 3)) bad["tier 3 customers"]++
		# Profitable at full production: sales into the chain less
		# their variable costs and purchases, less fixed costs, plus
		# the other customers net receipts.
		r = oem[s] + sold[s]
		if (r - r * v[s] / 10000 - bought[s] - fixed[s] + other[s] <= 0)
			bad["unprofitable"]++
	}
	for (k in bad) print k, bad[k]
}' "$S" "$L" >"$tmp/badlinks"
check "links: tier 2s sell to 1-4 tier 1s, tier 3s to 1-3 tier 2s, 30-90 days, every firm profitable" \
    test ! -s "$tmp/badlinks"
[ -s "$tmp/badlinks" ] && sed 's/^/     /' "$tmp/badlinks"
nlinks=$(($(wc -l <"$L") - 1))
check "links 7,000-11,000" between "$nlinks" 7000 11000

C=$tmp/a/scenario-jlr-2025.json
check "scenario: start, horizon, freeze, relief" sh -c \
    "grep -q '\"start_date\":\"2025-09-01\",\"horizon_days\":180' '$C' &&
     grep -q '\"payment_freeze_days\":21,\"fixed_cost_relief_bps\":2000' '$C'"
ramp=$(sed 's/.*"ramp_bps":\[\([^]]*\)\].*/\1/' "$C")
check "ramp: 42 rising days from 2000 to 10000 bps" sh -c "echo '$ramp' |
    awk -F, '{ ok = NF == 42 && \$1 == 2000 && \$NF == 10000
    for (i = 2; i <= NF; i++) if (\$i < \$(i - 1)) ok = 0; exit !ok }'"
check "scenario: three announcements" sh -c \
    "grep -o '\"restart_date\":\"[0-9-]*\"' '$C' | tr '\n' ' ' |
     grep -q '2025-09-24.*2025-10-01.*2025-10-08'"
R=$tmp/a/scheme-jlr-2025-restart.json
check "restart scheme: tier 1, OEM pays, opt-in, 500m facility" sh -c \
    "grep -q '\"effective_from\":\"2025-10-07\"' '$R' &&
     grep -q '\"fee_bearer\":\"oem\",\"eligible_tiers\":\[1\]' '$R' &&
     grep -q '\"requires_opt_in\":true,\"facility_limit\":50000000000' '$R'"
A=$tmp/a/scheme-all-tiers-day-1.json
check "counterfactual: all tiers from day 1, supplier pays, no limit" sh -c \
    "grep -q '\"effective_from\":\"2025-09-01\"' '$A' &&
     grep -q '\"fee_bearer\":\"supplier\",\"eligible_tiers\":\[1,2,3\]' '$A' &&
     grep -q '\"requires_opt_in\":false,\"covers\":\"all\"}' '$A' &&
     ! grep -q facility_limit '$A'"
O=$tmp/a/scheme-jlr-2025-orders.json
check "order-stage scheme: tier 1, 80 % at order 60 days ahead, true-up at delivery" sh -c \
    "grep -q '\"effective_from\":\"2025-10-07\",\"payment_lag_days\":2,\"advance_rate_bps\":8000' '$O' &&
     grep -q '\"fee_bearer\":\"oem\",\"eligible_tiers\":\[1\]' '$O' &&
     grep -q '\"facility_limit\":50000000000,\"basis\":\"order\",\"order_lead_days\":60,\"true_up_lag_days\":0}' '$O'"
check "scenario: outage probabilities over the three restarts and a later one, summing to 10000" sh -c \
    "grep -o '\"outage_probabilities\":\[[^]]*\]' '$C' | grep -o '\"probability_bps\":[0-9]*' |
     awk -F: '{ s += \$2; n++ } END { exit !(n == 4 && s == 10000) }' &&
     grep -q '\"outage_days\":52,' '$C'"
check "the demo supplier exists" grep -q "^$(cat "$tmp/a/demo-supplier")," "$S"
check "the summary matches the files" sh -c \
    "grep -q '^suppliers: 5000 ' '$tmp/a.out' &&
     grep -q '^employees: $emp ' '$tmp/a.out' &&
     grep -q '^invoices: $inv, ' '$tmp/a.out' &&
     grep -q '^links: $nlinks\$' '$tmp/a.out'"

# The reply readers ops/demo uses.
cat >"$tmp/run.json" <<'EOF'
{"id":"r1","curve":[{"outage_days":0,"suppliers_below":1,"employees_at_risk":5},{"outage_days":23,"suppliers_below":4,"employees_at_risk":40}],"announcements":[{"announced_on":"2025-09-16","restart_date":"2025-09-24","outage_days":23}]}
EOF
check "get reads a member" test "$("$bin" get "$tmp/run.json" id)" = r1
check "get fails on a missing member" sh -c \
    "! '$bin' get '$tmp/run.json' nothing 2>/dev/null"
check "headline reads the curve at the announced outage" sh -c \
    "'$bin' headline 'x=$tmp/run.json' | grep -Eq '^x +4\$'"
cat >"$tmp/run2.json" <<'EOF'
{"id":"r2","curve":[{"outage_days":23,"suppliers_below":4}],"announcements":[{"outage_days":23}],"expected":{"suppliers_below":7,"employees_at_risk":90}}
EOF
check "headline prints the expected figures" sh -c \
    "'$bin' headline 'x=$tmp/run2.json' | grep -Eq '^  expected +7 suppliers below, 90 employees'"
cat >"$tmp/sizing.json" <<'EOF'
{"id":1,"scheme_id":"s","outage_days":37,"unlimited_peak":300000000,"points":[{"facility_limit":0,"suppliers_below":9,"oem_cost":0},{"facility_limit":150000000,"suppliers_below":5,"oem_cost":2500000},{"facility_limit":300000000,"suppliers_below":5,"oem_cost":4000000}],"target_suppliers_below":5,"smallest_sufficient_limit":150000000}
EOF
check "sizing prints the points and the answer" sh -c \
    "'$bin' sizing '$tmp/sizing.json' | grep -Eq '^ +1\.5 +5 +0\.03\$' &&
     '$bin' sizing '$tmp/sizing.json' | grep -q 'smallest sufficient facility: GBP 1.5m (at most 5 suppliers below; unlimited, it would peak at GBP 3.0m)'"

echo "demo data: median $median days, $under15 % under 15 days," \
    "$emp employees, $inv invoices"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
