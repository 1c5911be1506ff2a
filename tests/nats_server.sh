#!/bin/sh
# nats_server.sh start DIR | restart DIR | stop DIR — a throw-away JetStream server for the feed's
# tests (`make test-cluster`, docs/scale.md).
#
# start: nats-server with JetStream (-js) on 127.0.0.1 at a free port, its store in
# DIR (which must not exist); waits until it accepts connections and prints the URL
# (nats://127.0.0.1:PORT) on stdout. stop: stops that server and removes DIR.
# restart: stops it (SIGTERM) and starts it again on the same port with the same
# store (what a server restart does to clients; the tests of the workers).
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: nats_server.sh start|restart|stop DIR" >&2; exit 2; }
bin=${NATS_SERVER:-nats-server}
command -v "$bin" >/dev/null 2>&1 || { echo "nats_server.sh: no nats-server found: apt-get install nats-server" >&2; exit 3; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
listening() {
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).recv(10)' "$1" 2>/dev/null
}

case $cmd in
start)
    [ ! -e "$dir" ] || { echo "nats_server.sh: $dir exists" >&2; exit 2; }
    mkdir -p "$dir/store"
    tries=0
    while :; do
        port=$(free_port)
        "$bin" -js -a 127.0.0.1 -p "$port" --store_dir "$dir/store" -l "$dir/server.log" >/dev/null 2>&1 &
        echo $! >"$dir/pid"
        i=0
        while [ $i -lt 50 ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; do
            listening "$port" && break
            sleep 0.1
            i=$((i + 1))
        done
        if listening "$port"; then break; fi
        kill "$(cat "$dir/pid")" 2>/dev/null || true
        tries=$((tries + 1))
        [ $tries -lt 3 ] || { echo "nats_server.sh: the server did not start:" >&2; tail -20 "$dir/server.log" >&2; exit 1; }
    done
    echo "$port" >"$dir/port"
    echo "nats://127.0.0.1:$port"
    ;;
restart)
    [ -f "$dir/pid" ] && [ -f "$dir/port" ] || { echo "nats_server.sh: no server in $dir" >&2; exit 2; }
    pid=$(cat "$dir/pid")
    port=$(cat "$dir/port")
    kill "$pid" 2>/dev/null || true
    i=0
    while [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null || true
    sleep "${NATS_DOWN:-0}"
    "$bin" -js -a 127.0.0.1 -p "$port" --store_dir "$dir/store" -l "$dir/server.log" >/dev/null 2>&1 &
    echo $! >"$dir/pid"
    i=0
    while [ $i -lt 100 ]; do
        listening "$port" && break
        sleep 0.1
        i=$((i + 1))
    done
    listening "$port" || { echo "nats_server.sh: the server did not start again:" >&2; tail -20 "$dir/server.log" >&2; exit 1; }
    echo "nats://127.0.0.1:$port"
    ;;
stop)
    if [ -f "$dir/pid" ]; then
        pid=$(cat "$dir/pid")
        kill "$pid" 2>/dev/null || true
        i=0
        while [ $i -lt 50 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: nats_server.sh start|restart|stop DIR" >&2
    exit 2
    ;;
esac
