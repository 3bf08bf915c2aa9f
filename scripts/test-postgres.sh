#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on a loopback port for the store tests and print the
# connection string for SHANZHI_TEST_POSTGRES. Run as root (it runs the server as "postgres").
#   scripts/test-postgres.sh start [DIR] [PORT]   -> prints the connection string
#   scripts/test-postgres.sh stop [DIR]
set -euo pipefail
action=${1:-start}
dir=${2:-/tmp/shanzhi-test-pg}
port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2; exit 1; }

as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

case "$action" in
    start)
        if [ ! -f "$dir/PG_VERSION" ]; then
            mkdir -p "$dir"
            chown postgres:postgres "$dir"
            as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        fi
        if ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
            as_postgres "$bin/pg_ctl" -D "$dir" -w -l "$dir/server.log" \
                -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=300 -c fsync=on" start >/dev/null
        fi
        echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Include Error Detail=true"
        ;;
    stop)
        as_postgres "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
        ;;
    *) echo "usage: $0 start|stop [DIR] [PORT]" >&2; exit 2 ;;
esac
