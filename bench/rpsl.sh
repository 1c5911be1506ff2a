#!/bin/sh
# bench/rpsl.sh — IRR throughput figures: RPSL parse MB/s on a >= 200 MB plain
# dump made by repeating the real dumps of ../shared/data/irr (in /tmp, never in
# the repo), load+finalize rate, and as-set expansion times (synthetic 10 000-ASN
# nested set; the largest real RIPE as-set).
# Usage: sh bench/rpsl.sh [BUILD_DIR]   (default: build; built with -O2 by `make`)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
DATA=${MANRS_DATA:-$SRC/../shared/data}/irr
TMP=${TMPDIR:-/tmp}/manrs-rpsl-bench
[ -f "$BUILD/libmanrs_core.a" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }
[ -d "$DATA" ] || { echo "SKIP: $DATA not found" >&2; exit 0; }
mkdir -p "$TMP"
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$SRC/include" "$SRC/bench/irr_bench.c" $(sh "$SRC/bench/libs.sh" "$BUILD") \
   -lz -lbz2 -llzma -lzstd -ldeflate -lpthread -ljansson -lsqlite3 -lm -o "$TMP/irr_bench"

ONE="$TMP/one.db"
BIG="$TMP/big.db"
if [ ! -s "$BIG" ]; then
    for f in "$DATA"/*.gz; do gzip -dc "$f"; echo; done > "$ONE"
    : > "$BIG"
    while [ "$(stat -c %s "$BIG")" -lt 200000000 ]; do cat "$ONE" >> "$BIG"; done
fi
echo "input: $BIG ($(stat -c %s "$BIG") bytes, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
cat "$BIG" > /dev/null   # warm the page cache
for i in 1 2 3; do "$TMP/irr_bench" parse "$BIG"; done
"$TMP/irr_bench" load "$ONE"
"$TMP/irr_bench" load "$DATA/ripe.db.as-set.gz" "$DATA/ripe-nonauth.db.route.gz" \
    "$DATA/ripe-nonauth.db.route6.gz" "$DATA/ripe-nonauth.db.aut-num.gz"
"$TMP/irr_bench" expand-synth 10000
"$TMP/irr_bench" expand "$DATA/ripe.db.as-set.gz" AS-NETIX
