#!/bin/sh
# The schema snapshot (a stage of make test): sql/schema.sql must be what
# ops/schema dumps from the migrations in sql/ now, and ops/schema must see
# a change to a migration. Ends with "N passed, N failed"; on a difference
# prints it and the command that regenerates the snapshot.
set -u
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d /tmp/tideover-schematest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
passed=0
failed=0

pass() {
	passed=$((passed + 1))
	echo "ok   $1"
}
fail() {
	failed=$((failed + 1))
	echo "FAIL $1"
}

name="sql/schema.sql is what the migrations build"
if ! sh ops/schema >"$tmp/fresh.sql"; then
	fail "$name"
	echo "ops/schema failed: see above"
elif diff -u --label 'sql/schema.sql (committed)' \
    --label 'ops/schema (from the migrations)' \
    sql/schema.sql "$tmp/fresh.sql" >"$tmp/diff" 2>&1; then
	pass "$name"
else
	fail "$name"
	cat "$tmp/diff"
	echo "sql/schema.sql differs from what the migrations build. If the"
	echo "migrations are right, regenerate it and commit it with them:"
	echo "    make schema"
fi

# One more migration must show in the dump; otherwise the check above
# would pass whatever the migrations say.
name="a new migration changes the dump"
mkdir "$tmp/sql"
cp sql/[0-9]*.sql "$tmp/sql/"
echo 'CREATE TABLE schema_test_probe (id integer);' \
    >"$tmp/sql/9999_probe.sql"
if MIGRATIONS_DIR=$tmp/sql sh ops/schema >"$tmp/probe.sql" \
    2>"$tmp/probe.err" &&
    grep -q '^CREATE TABLE public.schema_test_probe ' "$tmp/probe.sql"; then
	pass "$name"
else
	fail "$name"
	cat "$tmp/probe.err"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
