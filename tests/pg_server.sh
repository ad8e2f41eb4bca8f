#!/bin/sh
# A throwaway PostgreSQL server on loopback for the store tests (ctest
# fixture): `pg_server.sh start DIR` runs initdb into DIR and starts the
# server, writing its URL to DIR/url; `pg_server.sh stop DIR` stops it and
# removes DIR. As root (CI) the server runs as the postgres user, since
# PostgreSQL refuses to run as root.
set -eu
cmd=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
    echo "pg_server: PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2
    exit 1
fi
as=""
[ "$(id -u)" -eq 0 ] && as="runuser -u postgres --"

stop() {
    if [ -f "$dir/data/postmaster.pid" ]; then
        $as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "$cmd" in
start)
    stop
    mkdir -p "$dir"
    [ -n "$as" ] && chown postgres "$dir"
    $as "$bin/initdb" -D "$dir/data" -U redflag --auth=trust --encoding=UTF8 --locale=C \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # a free port: a few tries from one picked by the process id
    port=$((20000 + $$ % 20000))
    for try in 1 2 3 4 5 6 7 8; do
        if $as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "-h 127.0.0.1 -p $port -k $dir -F" start >/dev/null 2>&1; then
            echo "postgres://redflag@127.0.0.1:$port/postgres" >"$dir/url"
            exit 0
        fi
        port=$((port + 7))
    done
    echo "pg_server: the server did not start; its log:" >&2
    cat "$dir/server.log" >&2
    exit 1
    ;;
stop)
    stop
    ;;
*)
    echo "usage: pg_server.sh start|stop DIR" >&2
    exit 2
    ;;
esac
