#!/bin/sh
# bench/whoisd.sh — manrs whoisd throughput: the server on the shared IRR data on
# 127.0.0.1 (random port), bench/whois_load.c with 100 (and 10, 1000) persistent
# clients each sending !g queries one at a time (closed loop) for 5 s; the ASNs
# are the distinct origins of the route objects. Prints answers/s.
# Usage: sh bench/whoisd.sh [BUILD_DIR]   (default: build)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
D=${MANRS_DATA:-$SRC/../shared/data}/irr
TMP=${TMPDIR:-/tmp}/manrs-whoisd-bench.$$
[ -x "$BUILD/manrs" ] || { echo "build first" >&2; exit 1; }
[ -d "$D" ] || { echo "SKIP: $D not found" >&2; exit 0; }
mkdir -p "$TMP"
cc -O2 -std=c11 -Wall "$SRC/bench/whois_load.c" -o "$TMP/whois_load"
gzip -dc "$D/ripe-nonauth.db.route.gz" | awk '/^origin:/ {sub(/^[Aa][Ss]/, "", $2); print $2}' | sort -un > "$TMP/asns"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(wc -l < "$TMP/asns") origin ASNs"
"$BUILD/manrs" whoisd --irr "$D/ripe.db.as-set.gz" --irr "$D/ripe-nonauth.db.route.gz" \
    --irr "$D/ripe-nonauth.db.route6.gz" --irr "$D/ripe-nonauth.db.aut-num.gz" \
    --listen 127.0.0.1:0 --port-file "$TMP/port" --max-clients 5000 --max-per-address 5000 2>"$TMP/err" &
pid=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
port=$(cat "$TMP/port")
for n in 10 100 1000; do
    "$TMP/whois_load" 127.0.0.1 "$port" $n 5 "$TMP/asns" || echo "load generator failed"
done
kill -TERM $pid; wait $pid || true
tail -1 "$TMP/err"
rm -rf "$TMP"
