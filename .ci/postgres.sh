#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `start` prints the URL the tests read
# (RECRUITER_DESK_TEST_PG_URL), `stop` ends it and removes its data.
#
#   export RECRUITER_DESK_TEST_PG_URL="$(bash .ci/postgres.sh start)"
#   ...
#   bash .ci/postgres.sh stop
#
# The server runs as the `postgres` user (runuser), listens on 127.0.0.1 only, keeps its data
# and log in a temporary folder, and has one database and one role for the tests (local
# connections are trusted: the URL's password is accepted whatever it is). The role may
# create databases: the test fixture copies a migrated template database for each test.
set -euo pipefail

PORT="${RECRUITER_DESK_PG_PORT:-55430}"
STATE="${RECRUITER_DESK_PG_STATE:-/tmp/recruiter-desk-ci-postgres}"
ROLE=recruiter_desk
PASSWORD=recruiter_desk_ci
DATABASE=recruiter_desk

say() { echo "postgres.sh: $*" >&2; }

find_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        return 1
    fi
    echo "$dir"
}

install_server() {
    # Best effort: without a server the PostgreSQL tests skip, or fail under
    # RECRUITER_DESK_REQUIRE_SERVICES=1, saying why.
    say "installing PostgreSQL from Debian packages"
    { timeout 300 apt-get update -q && DEBIAN_FRONTEND=noninteractive timeout 300 \
        apt-get install -y -q postgresql postgresql-contrib; } >/dev/null 2>&1 ||
        say "apt-get install postgresql failed"
}

as_postgres() { runuser -u postgres -- "$@"; }

start() {
    local bin
    bin="$(find_bin)" || { install_server; bin="$(find_bin)"; } ||
        { say "no PostgreSQL server binaries found"; exit 1; }
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$STATE" postgres
    stop_quietly
    mkdir -p "$STATE"
    local data="$STATE/data"
    chown postgres "$STATE"
    chmod 700 "$STATE"
    as_postgres "$bin/initdb" -D "$data" -U postgres --auth-local=trust \
        --auth-host=trust -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1 ||
        { cat "$STATE/initdb.log" >&2; exit 1; }
    # Tests make and drop a database each: durability buys nothing here.
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$STATE'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
# Tests drop their databases at once; an autovacuum worker in one would hold up the drop.
autovacuum = off
CONF
    as_postgres "$bin/pg_ctl" -D "$data" -l "$STATE/server.log" -w -t 60 start >/dev/null ||
        { cat "$STATE/server.log" >&2; exit 1; }
    as_postgres "$bin/psql" -h "$STATE" -p "$PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
        >/dev/null <<SQL
CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
CREATE DATABASE $DATABASE OWNER $ROLE;
\\c $DATABASE
CREATE EXTENSION IF NOT EXISTS unaccent;
SQL
    echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
}

stop_quietly() {
    local bin
    bin="$(find_bin)" || return 0
    if [ -f "$STATE/data/postmaster.pid" ]; then
        as_postgres "$bin/pg_ctl" -D "$STATE/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$STATE"
}

case "${1:-}" in
start) start ;;
stop) stop_quietly ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
