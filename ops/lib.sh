# Shell functions shared by ops/run, ops/test, ops/apikey and the API test
# harness: the private PostgreSQL cluster and the Kore configuration of one
# tideover instance living under $DATA_DIR.
#
# Layout of an instance:
#   $DATA_DIR/pg/data       the cluster (owned by the postgres user)
#   $DATA_DIR/pg/run        its unix socket; PostgreSQL listens on no TCP port
#   $DATA_DIR/pg/log        its log
#   $DATA_DIR/keys/         server secrets, created by the service, mode 0600
#   $DATA_DIR/kore.conf     kore.conf with this instance's port and paths

PGBIN=/usr/lib/postgresql/15/bin
PG_ADMIN=tideover_admin
PG_DB=tideover

say() {
	printf 'tideover: %s\n' "$*"
}

die() {
	printf 'tideover: %s\n' "$*" >&2
	exit 1
}

# Make DATA_DIR absolute so that every path derived from it is.
instance_init() {
	: "${DATA_DIR:=var}"
	: "${PORT:=8888}"
	mkdir -p "$DATA_DIR"
	DATA_DIR=$(cd "$DATA_DIR" && pwd)
	PG_RUN=$DATA_DIR/pg/run
	PG_DATA=$DATA_DIR/pg/data
	PG_LOG=$DATA_DIR/pg/log
	export DATA_DIR PORT
}

as_postgres() {
	(cd / && runuser -u postgres -- "$@")
}

pg_psql() {
	PGOPTIONS='-c client_min_messages=warning' "$PGBIN/psql" -X -q -h "$PG_RUN" -U "$PG_ADMIN" -v ON_ERROR_STOP=1 "$@"
}

pg_create() {
	[ -f "$PG_DATA/PG_VERSION" ] && return 0
	as_postgres test -x "$DATA_DIR" ||
	    die "the postgres user cannot reach $DATA_DIR; choose a DATA_DIR it can traverse"
	say "creating a private PostgreSQL cluster in $PG_DATA"
	mkdir -p "$PG_DATA" "$PG_RUN"
	chown postgres:postgres "$DATA_DIR/pg" "$PG_DATA" "$PG_RUN"
	chmod 0700 "$PG_DATA"
	chmod 0755 "$DATA_DIR/pg"
	as_postgres "$PGBIN/initdb" -D "$PG_DATA" --auth=trust -U "$PG_ADMIN" \
	    -E UTF8 --locale=C.UTF-8 >/dev/null ||
	    die "initdb failed"
	cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PG_RUN'
unix_socket_permissions = 0700
max_connections = 100
fsync = on
# Bulk imports write a few GB of WAL at once; fewer, later checkpoints.
max_wal_size = 8GB
checkpoint_timeout = 15min
logging_collector = off
CONF
	say "cluster created"
}

pg_running() {
	as_postgres "$PGBIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

pg_start() {
	pg_running && return 0
	as_postgres "$PGBIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
	    start >/dev/null || { cat "$PG_LOG" >&2; die "PostgreSQL did not start"; }
	pg_database
}

# Whether pid $1 is alive and its command line holds $2.
pid_is() {
	[ -n "$1" ] && [ -r "/proc/$1/cmdline" ] &&
	    ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null &&
	    tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"
}

# What a crashed PostgreSQL leaves: its lock file and its socket's, with
# the pid of a postmaster that is gone (or, after a reboot, of another
# process). Removed only when that pid runs no postgres.
pg_stale() {
	for f in "$PG_DATA/postmaster.pid" "$PG_RUN"/.s.PGSQL.*.lock; do
		[ -f "$f" ] || continue
		pid_is "$(head -1 "$f")" postgres && continue
		say "removing $f, left by a PostgreSQL that is gone"
		rm -f "$f" "${f%.lock}"
	done
}

# Until PostgreSQL accepts connections, for up to $1 seconds.
pg_ready() {
	i=0
	until "$PGBIN/pg_isready" -q -h "$PG_RUN" -U "$PG_ADMIN" -d postgres; do
		i=$((i + 1))
		[ $i -gt $(($1 * 10)) ] && return 1
		sleep 0.1
	done
}

pg_database() {
	if ! pg_psql -d postgres -tAc \
	    "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
		say "creating database $PG_DB"
		pg_psql -d postgres -c "CREATE DATABASE $PG_DB"
	fi
}

pg_stop() {
	pg_running || return 0
	as_postgres "$PGBIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
}

# Apply every migration in sql/ that is not yet recorded, each in its own
# transaction together with its record, so a failure leaves nothing behind.
pg_migrate() {
	dir=${MIGRATIONS_DIR:-sql}
	pg_psql -d "$PG_DB" -f ops/bootstrap.sql >/dev/null ||
	    die "cannot prepare the database"
	for f in "$dir"/[0-9]*.sql; do
		[ -f "$f" ] || continue
		name=$(basename "$f" .sql)
		version=${name%%_*}
		case $version in
		*[!0-9]*|"") die "migration $f: name must start with digits" ;;
		esac
		done=$(pg_psql -d "$PG_DB" -tA -c \
		    "SELECT count(*) FROM schema_migrations WHERE version = $version")
		[ "$done" = 1 ] && continue
		say "applying migration $name"
		if ! pg_psql -d "$PG_DB" -1 -c "SET ROLE tideover_owner" -f "$f" \
		    -c "RESET ROLE" \
		    -c "INSERT INTO schema_migrations (version, name)
		        VALUES ($version, '$name')" >/dev/null; then
			die "migration $name failed; the database is as it was before it"
		fi
	done
}

# The instance's kore.conf: the repository's, with its port and paths.
kore_conf() {
	sed -e "s|^\([[:space:]]*bind[[:space:]]*127.0.0.1\)[[:space:]].*|\1 $PORT|" \
	    -e "s|^pidfile.*|pidfile $DATA_DIR/kore.pid|" \
	    kore.conf >"$DATA_DIR/kore.conf"
}

kore_env() {
	TIDEOVER_DATA_DIR=$DATA_DIR
	TIDEOVER_DB="host=$PG_RUN dbname=$PG_DB user=tideover_app"
	export TIDEOVER_DATA_DIR TIDEOVER_DB
}

# A free TCP port on 127.0.0.1 (nothing answers on it), below Linux's
# ephemeral range (32768 up), whose ports outgoing connections take.
free_port() {
	while :; do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 12000))
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"
		[ $? = 7 ] && { echo $p; return; }
	done
}

# Start Kore for this instance in the background, log in $1; sets
# kore_pid and waits until it answers (PostgreSQL must be up). A port
# taken between free_port and the bind (by another listener, or as the
# local end of some outgoing connection) is given up for another free
# one, a few times: PORT is then that port.
kore_start() {
	tries=0
	while :; do
		kore_conf
		kore_env
		setsid stdbuf -oL -eL kore -f -n -r -c "$DATA_DIR/kore.conf" \
		    >"$1" 2>&1 &
		kore_pid=$!
		i=0
		until curl -fsS "http://127.0.0.1:$PORT/v1/health" \
		    >/dev/null 2>&1; do
			i=$((i + 1))
			if [ $i -gt 100 ] || ! kill -0 "$kore_pid" 2>/dev/null
			then
				break
			fi
			sleep 0.1
		done
		[ $i -le 100 ] && kill -0 "$kore_pid" 2>/dev/null && return 0
		# Too slow: stop it before waiting for it.
		[ $i -gt 100 ] && kill -TERM "$kore_pid" 2>/dev/null
		wait "$kore_pid" 2>/dev/null
		tries=$((tries + 1))
		if [ $tries -lt 5 ] && grep -q 'Address already in use' "$1"
		then
			PORT=$(free_port)
			continue
		fi
		cat "$1" >&2
		die "Kore did not start"
	done
}

# A kore.pid whose Kore is gone is removed; one that runs is an error.
kore_stale() {
	f=$DATA_DIR/kore.pid
	[ -f "$f" ] || return 0
	pid=$(head -1 "$f")
	if pid_is "$pid" kore; then
		die "Kore already runs for $DATA_DIR (pid $pid)"
	fi
	rm -f "$f"
}

kore_stop() {
	[ -n "${kore_pid:-}" ] || return 0
	kill -TERM "$kore_pid" 2>/dev/null
	wait "$kore_pid" 2>/dev/null
	kore_pid=
}
