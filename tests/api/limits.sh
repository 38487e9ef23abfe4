# Sourced by tests/api/run.sh, with the server up and its tests done: the
# workers' descriptor budget (kore.conf) and a server at its connection
# limit. Uses run.sh's check, tmp, kore_pid and the published runs the
# exposure tests left.

conf_value() {
	sed -n "s/^$1[[:space:]]*\([0-9][0-9]*\).*/\1/p" kore.conf
}
max_conn=$(conf_value worker_max_connections)
max_files=$(conf_value worker_rlimit_nofiles)
check "kore.conf gives a worker 3 descriptors a connection and 64 more" \
    test "${max_files:-0}" -ge $((3 * ${max_conn:-1024} + 64))

workers_limited() {
	n=0
	for p in $(pgrep -P "$kore_pid"); do
		got=$(awk '/^Max open files/ { print $4 }' "/proc/$p/limits")
		[ "${got:-0}" -ge "$max_files" ] || return 1
		n=$((n + 1))
	done
	[ $n -ge 2 ]
}
check "every worker runs with that many descriptors" workers_limited

# A second server on the same database with room for 8 connections a
# worker and the descriptors for them, asked by one client for up to 124
# exposure reports at once, each built in a task (no two alike, so none
# is cached): the connections beyond the limit wait in the listen queue,
# each report is answered in its turn, and no worker dies.
limit_port=$(free_port)
sed -e "s|^\([[:space:]]*bind[[:space:]]*127.0.0.1\)[[:space:]].*|\1 $limit_port|" \
    -e "s|^pidfile.*|pidfile $tmp/kore-limit.pid|" \
    -e "s|^worker_max_connections.*|worker_max_connections 8|" \
    -e "s|^worker_rlimit_nofiles.*|worker_rlimit_nofiles $((3 * 8 + 64))|" \
    kore.conf >"$tmp/kore-limit.conf"
setsid stdbuf -oL -eL kore -f -n -r -c "$tmp/kore-limit.conf" \
    >"$tmp/kore-limit.log" 2>&1 &
limit_pid=$!
i=0
until curl -fsS "http://127.0.0.1:$limit_port/v1/health" >/dev/null 2>&1 ||
    [ $i -gt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
limit_key=$(ops/apikey create --role government --label limits)
# The latest published run, at each of its outage lengths up to 30 and in
# each grouping.
limit_run=$(pg_psql -d "$PG_DB" -tA -c "SELECT id || ' ' ||
    least(max_outage_days, 30) FROM stress_runs WHERE published
    ORDER BY id DESC LIMIT 1")
limit_max=${limit_run#* }
limit_run=${limit_run% *}
limit_n=0
for g in region sector tier size_band; do
	l=0
	while [ -n "$limit_run" ] && [ $l -le "$limit_max" ]; do
		printf 'url = "http://127.0.0.1:%s/v1/exposure?run=%s&outage_days=%s&group_by=%s"\noutput = "/dev/null"\n' \
		    "$limit_port" "$limit_run" $l $g
		l=$((l + 1))
		limit_n=$((limit_n + 1))
	done
done >"$tmp/limit.curl"
if [ -z "$limit_run" ]; then
	# Only when the exposure tests did not run first.
	echo "[  SKIPPED ] reports at the connection limit: no published run"
else
	curl -s -Z --parallel-immediate --parallel-max 124 -m 120 \
	    -w '%{http_code}\n' -H 'Connection: close' \
	    -H "Authorization: Bearer $limit_key" -K "$tmp/limit.curl" \
	    >"$tmp/limit-codes" 2>/dev/null
	check "$limit_n reports at once on 8 connections a worker are all answered" \
	    test "$limit_n" -gt 16 -a "$(grep -c '^200$' "$tmp/limit-codes")" = "$limit_n"
	[ "$(grep -c '^200$' "$tmp/limit-codes")" = "$limit_n" ] ||
	    sort "$tmp/limit-codes" | uniq -c | sed 's/^/    status /'
	check "no worker died at the connection limit" sh -c \
	    "! grep -Ei 'exited|died|sandbox violation|too many open files' '$tmp/kore-limit.log'"
fi
kill -TERM "$limit_pid" 2>/dev/null
wait "$limit_pid" 2>/dev/null
