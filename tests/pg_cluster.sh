#!/bin/sh
# pg_cluster.sh start DIR | restart DIR | stop DIR — a throw-away PostgreSQL cluster for the
# store's tests (`make test-cluster`, docs/store.md).
#
# start: initdb in DIR (which must not exist), a server on 127.0.0.1 at a free
# port with its unix socket in DIR, a database "manrs"; prints the URL
# (postgresql://manrs@127.0.0.1:PORT/manrs) on stdout. As root the server runs as
# the postgres system user (PostgreSQL refuses root) and DIR is made its own.
# restart: a fast shutdown (every connection cut) and a start again on the same
# port (the tests of the workers). stop: stops the server (fast shutdown) and
# removes DIR.
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: pg_cluster.sh start|restart|stop DIR" >&2; exit 2; }
bin=${PG_BIN:-}
if [ -z "$bin" ]; then
    for v in 17 16 15 14 13; do
        [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && { bin=/usr/lib/postgresql/$v/bin; break; }
    done
fi
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "pg_cluster.sh: no PostgreSQL server (initdb) found: apt-get install postgresql" >&2; exit 3; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case $cmd in
start)
    [ ! -e "$dir" ] || { echo "pg_cluster.sh: $dir exists" >&2; exit 2; }
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U manrs --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2; exit 1; }
    tries=0
    while :; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
            start >/dev/null 2>&1; then
            break
        fi
        tries=$((tries + 1))
        [ $tries -lt 3 ] || { echo "pg_cluster.sh: the server did not start:" >&2; tail -20 "$dir/server.log" >&2; exit 1; }
    done
    echo "$port" >"$dir/port"
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U manrs manrs
    echo "postgresql://manrs@127.0.0.1:$port/manrs"
    ;;
restart)
    [ -d "$dir/data" ] && [ -f "$dir/port" ] || { echo "pg_cluster.sh: no cluster in $dir" >&2; exit 2; }
    port=$(cat "$dir/port")
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    sleep "${PG_DOWN:-0}"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
        start >/dev/null 2>&1 || { echo "pg_cluster.sh: the server did not start again:" >&2; tail -20 "$dir/server.log" >&2; exit 1; }
    echo "postgresql://manrs@127.0.0.1:$port/manrs"
    ;;
stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: pg_cluster.sh start|restart|stop DIR" >&2
    exit 2
    ;;
esac
