#!/bin/sh
# bench/serve.sh — `manrs serve` under load: wrk with 100 concurrent connections
# (2 threads, keep-alive) on the JSON API of a store of two runs of a simulated
# world (N networks, default 3000), against lighttpd serving the very same
# response bodies as static files (the ceiling of an HTTP server that computes
# nothing). Prints per endpoint: requests/s of both, the ratio, whether the
# 2 000 requests/s target (issue 14) is met, and the server's peak RSS after all
# of it. Usage: bench/serve.sh [N] [SECONDS]   (after building build/)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
BIN=${MANRS_BIN:-$src/build/manrs}
N=${1:-3000}
SECS=${2:-5}
tmp=${TMPDIR:-/tmp}/manrs-serve-bench.$$
mkdir -p "$tmp/www"
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$tmp"' EXIT INT TERM
for t in wrk lighttpd curl; do command -v $t >/dev/null || { echo "serve.sh: $t not installed" >&2; exit 1; }; done
ulimit -n 4096 2>/dev/null || true
"$BIN" sim --out "$tmp/w" --ases "$N" --seed 3 --quiet >/dev/null
"$BIN" observe --world "$tmp/w" --db "$tmp/obs.db" --quiet
"$BIN" observe --world "$tmp/w" --db "$tmp/obs.db" --json "$tmp/obs.json" --quiet
"$BIN" serve --db "$tmp/obs.db" --listen 127.0.0.1:0 --port-file "$tmp/port" 2>"$tmp/serve.log" & mpid=$!
pids="$pids $mpid"
i=0; while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
M="http://127.0.0.1:$(cat "$tmp/port")"
asn=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next(i["victims"][0] for i in d["incidents"] if i["victims"]))' "$tmp/obs.json")
inc=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["incidents"][0]["id"])' "$tmp/obs.json")
# endpoint name and path; the static copy is www/NAME.json
set -- "summary /api/v1/summary" "networks /api/v1/networks?limit=100" \
    "networks-a4 /api/v1/networks?sort=a4&order=asc&limit=100" "network /api/v1/networks/$asn" \
    "incidents /api/v1/incidents?limit=100" "incident /api/v1/incidents/$inc" "countries /api/v1/countries"
for e in "$@"; do
    name=${e%% *}; path=${e#* }
    curl -sf "$M$path" -o "$tmp/www/$name.json"
done
lport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$tmp/lighttpd.conf" <<EOF
server.document-root = "$tmp/www"
server.bind = "127.0.0.1"
server.port = $lport
server.max-connections = 1024
mimetype.assign = (".json" => "application/json")
EOF
lighttpd -D -f "$tmp/lighttpd.conf" 2>"$tmp/lighttpd.log" & lpid=$!
pids="$pids $lpid"
sleep 0.5
rps() { wrk -t2 -c100 -d"${SECS}s" --latency "$1" 2>/dev/null | awk '/Requests\/sec/ { printf "%.0f", $2 } /Non-2xx/ { bad = 1 } END { if (bad) printf " (non-2xx!)" }'; }
echo "store: $(grep -o 'serving run [0-9]*: [0-9]* networks, [0-9]* incidents' "$tmp/serve.log" | tail -1); wrk: 2 threads, 100 connections, ${SECS} s per endpoint"
printf '%-12s %10s %8s %12s %7s  %s\n' endpoint body_bytes manrs lighttpd ratio "target 2000/s"
fail=0
for e in "$@"; do
    name=${e%% *}; path=${e#* }
    m=$(rps "$M$path")
    l=$(rps "http://127.0.0.1:$lport/$name.json")
    ok=$(awk -v m="${m%% *}" 'BEGIN { print (m >= 2000 ? "met" : "NOT MET") }')
    [ "$ok" = met ] || fail=1
    printf '%-12s %10s %8s %12s %7s  %s\n' "$name" "$(wc -c < "$tmp/www/$name.json")" "$m" "$l" \
        "$(awk -v m="${m%% *}" -v l="${l%% *}" 'BEGIN { printf "%.2f", (l > 0 ? m / l : 0) }')" "$ok"
done
echo "manrs serve peak RSS: $(awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' /proc/$mpid/status)"
exit $fail
