#!/bin/sh
# The fault test's writer: money-moving writes, one sequence after
# another, each step with its own Idempotency-Key and retried with that
# same key until it has a definite answer, while faults are injected.
# Sequence n: invoice $prefix-n created (1,000,000, submitted), approved,
# then paid early under scheme FAULT-SCH (advance 900,000, fee 4,808).
# Every request and its outcome go to the log, one line each:
#
#   <sequence> <step> <attempt> <status> <request id> <seconds>
#
# status 000 is no answer. A step still unanswered after STEP_S seconds
# is logged as "<sequence> <step> - unresolved". The writer stops after
# the sequence under way once the stop file exists.
#
#   tests/fault/writer.sh url key prefix log stopfile
set -u
url=$1 key=$2 prefix=$3 log=$4 stop=$5
STEP_S=${STEP_S:-60}
hdr=$(mktemp /tmp/tideover-writer.XXXXXX)
trap 'rm -f "$hdr"' EXIT

# One step: path, body, idempotency key; 0 once answered 2xx or 4xx.
step() {
	n=$1 name=$2 path=$3 body=$4 idem=$5
	attempt=0
	start=$(date +%s)
	while :; do
		attempt=$((attempt + 1))
		out=$(curl -s -o /dev/null -D "$hdr" --max-time 15 \
		    -w '%{http_code} %{time_total}' -X POST \
		    -H "Authorization: Bearer $key" \
		    -H 'Content-Type: application/json' \
		    -H "Idempotency-Key: $idem" -d "$body" "$url$path")
		code=${out% *}
		secs=${out#* }
		rid=$(tr -d '\r' <"$hdr" | sed -n 's/^[Xx]-[Rr]equest-[Ii]d: //p')
		echo "$n $name $attempt $code ${rid:--} $secs" >>"$log"
		case $code in
		2??|4??) return 0 ;;
		esac
		if [ $(($(date +%s) - start)) -ge "$STEP_S" ]; then
			echo "$n $name - unresolved" >>"$log"
			return 1
		fi
		sleep 0.2
	done
}

n=0
until [ -f "$stop" ]; do
	n=$((n + 1))
	id=$prefix-$n
	step $n create /v1/invoices "{\"id\":\"$id\",\"supplier_id\":\
\"FAULT-SUP\",\"amount\":1000000,\"currency\":\"GBP\",\"issue_date\":\
\"2025-09-01\",\"due_date\":\"2025-11-06\"}" "$id-create" || continue
	step $n approve "/v1/invoices/$id/approve" '{}' "$id-approve" ||
	    continue
	step $n early "/v1/invoices/$id/early-payment" \
	    '{"scheme_id":"FAULT-SCH","paid_on":"2025-10-07"}' "$id-early"
done
