#!/bin/sh
# bench/rtrd.sh — `manrs rtrd` against StayRTR on the same table: the real AFRINIC
# export (../shared/data/rpki/roas.csv) replicated 128 times into other address
# space (bench/replicate_vrps.awk: ~560 000 VRPs), served by both; N routers
# (default 200) connect at once and each reads the whole table (RTR version 1, a
# Reset Query) — bench/rtrd_clients.py counts bytes and checks End of Data. Prints
# per server: routers that got the whole table, wall time until they all have it,
# tables/s, the server's CPU seconds (its file loading included) and peak RSS, then
# the ratio. Usage: bench/rtrd.sh [N]   (after building build/)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
data=${MANRS_DATA:-$src/../shared/data}
BIN=${MANRS_BIN:-$src/build/manrs}
N=${1:-200}
tmp=${TMPDIR:-/tmp}/manrs-rtrd-bench.$$
mkdir -p "$tmp"
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$tmp"' EXIT INT TERM
[ -f "$data/rpki/roas.csv" ] || { echo "rtrd.sh: $data/rpki/roas.csv not found" >&2; exit 1; }
command -v stayrtr >/dev/null || { echo "rtrd.sh: stayrtr not installed" >&2; exit 1; }
awk -F, -v copies=128 -f "$here/replicate_vrps.awk" "$data/rpki/roas.csv" |
    awk 'BEGIN { printf "{\"roas\":[" } { printf "%s{\"prefix\":\"%s\",\"maxLength\":%d,\"asn\":\"AS%d\"}", (NR > 1 ? "," : ""), $1, $2, $3 }
         END { print "]}" }' > "$tmp/vrps.json"
ulimit -n 4096 2>/dev/null || true

"$BIN" rtrd --vrps "$tmp/vrps.json" --listen 127.0.0.1:0 --port-file "$tmp/mport" 2>"$tmp/m.log" & mpid=$!
pids="$pids $mpid"
sport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
stayrtr -cache "$tmp/vrps.json" -bind 127.0.0.1:$sport -checktime=false -metrics.addr 127.0.0.1:0 -protocol 1 \
    >"$tmp/s.log" 2>&1 & spid=$!
pids="$pids $spid"
i=0; while [ ! -s "$tmp/mport" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
python3 "$here/rtrd_clients.py" 127.0.0.1 "$sport" 1 --wait >/dev/null   # StayRTR has loaded the file
echo "table: $(grep -o 'serving [0-9]* VRPs' "$tmp/m.log"); $N routers at once, RTR version 1"
printf '%-14s %9s %9s %10s %9s %9s\n' server complete wall_s tables/s cpu_s rss_MB
for srv in "manrs-rtrd $(cat "$tmp/mport") $mpid" "stayrtr $sport $spid"; do
    set -- $srv
    python3 "$here/rtrd_clients.py" 127.0.0.1 "$2" "$N" > "$tmp/$1.out"
    read -r wall ok < "$tmp/$1.out"
    cpu=$(awk '{ printf "%.2f", ($14 + $15) / 100 }' /proc/$3/stat)
    rss=$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' /proc/$3/status)
    printf '%-14s %9s %9s %10s %9s %9s\n' "$1" "$ok/$N" "$wall" "$(python3 -c "print(round($ok / $wall, 1))")" "$cpu" "$rss"
    echo "$wall" > "$tmp/$1.wall"
done
python3 -c "print('ratio (StayRTR wall / manrs rtrd wall): %.2f' % ($(cat "$tmp/stayrtr.wall") / $(cat "$tmp/manrs-rtrd.wall")))"
