#!/bin/sh
# The browser tests (make test-browser, a stage of make test): a throwaway
# PostgreSQL cluster and the real Kore server on a free port under a
# temporary DATA_DIR, a small data set loaded through the API, then
# tests/browser/test.mjs drives Debian's chromium with playwright-core
# (pinned in tests/browser/package-lock.json, installed under build/npm/).
# Screenshots go to build/screenshots/. Everything else is removed
# afterwards, also on failure. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
. ops/lib.sh

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
mods=build/npm/browser
shots=build/screenshots

passed=0
failed=0
finish() {
	echo "$passed passed, $failed failed"
	[ $failed -eq 0 ]
	exit
}

if [ ! -x "$CHROMIUM" ]; then
	echo "test-browser: $CHROMIUM is missing (make deps installs chromium)"
	failed=1
	finish
fi

# playwright-core from the lock file, reinstalled when the lock changes.
if [ ! -d "$mods/node_modules/playwright-core" ] ||
    ! cmp -s tests/browser/package-lock.json "$mods/package-lock.json"; then
	mkdir -p "$mods"
	cp tests/browser/package.json tests/browser/package-lock.json "$mods/"
	if ! npm ci --prefix "$mods" --no-audit --no-fund --loglevel=error \
	    >/dev/null 2>&1; then
		rm -f "$mods/package-lock.json"
		echo "test-browser: npm ci of playwright-core failed"
		failed=1
		finish
	fi
fi

tmp=$(mktemp -d /tmp/tideover-browser.XXXXXX)
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
pg_migrate >/dev/null
kore_start "$tmp/kore.log"

rm -rf "$shots"
mkdir -p "$shots"
TIDEOVER_URL=http://127.0.0.1:$PORT
TIDEOVER_TREASURY_KEY=$(ops/apikey create --role treasury --label browser)
TIDEOVER_NODE_MODULES=$PWD/$mods/node_modules
TIDEOVER_SCREENSHOTS=$PWD/$shots
TIDEOVER_CHROMIUM=$CHROMIUM
TIDEOVER_PROFILE=$tmp/profile
export TIDEOVER_URL TIDEOVER_TREASURY_KEY TIDEOVER_NODE_MODULES \
    TIDEOVER_SCREENSHOTS TIDEOVER_CHROMIUM TIDEOVER_PROFILE

# The whole run may take two minutes at most, whatever hangs.
timeout -k 10 120 node tests/browser/test.mjs >"$tmp/out" 2>&1
rc=$?
cat "$tmp/out"
counts=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
    "$tmp/out" | tail -1)
if [ -n "$counts" ]; then
	passed=${counts% *}
	failed=${counts#* }
fi
if [ $rc -ne 0 ] && [ $failed -eq 0 ]; then
	echo "[  FAILED  ] the test program exited with status $rc"
	failed=$((failed + 1))
fi

if grep -qi 'sandbox violation' "$tmp/kore.log"; then
	echo "[  FAILED  ] the server log shows a sandbox violation"
	failed=$((failed + 1))
else
	passed=$((passed + 1))
	echo "[       OK ] the server log shows no sandbox violation"
fi
if [ $failed -ne 0 ]; then
	echo "--- kore log (last 30 lines)"
	tail -30 "$tmp/kore.log"
fi
finish
