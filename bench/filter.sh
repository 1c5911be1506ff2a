#!/bin/sh
# bench/filter.sh — manrs filter speed on the largest as-set of the shared IRR
# data (AS3326:AS-PEERS-UAE: 51 096 ASNs, ~48 000 IPv4 prefixes): end-to-end
# command time (load the four dumps + generate + print, hyperfine when present)
# and the generation time alone on a loaded db (bench/filter_bench.c).
# Usage: sh bench/filter.sh [BUILD_DIR]   (default: build)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
D=${MANRS_DATA:-$SRC/../shared/data}/irr
TMP=${TMPDIR:-/tmp}/manrs-filter-bench
SET=${SET:-AS3326:AS-PEERS-UAE}
[ -f "$BUILD/libmanrs_core.a" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }
[ -d "$D" ] || { echo "SKIP: $D not found" >&2; exit 0; }
mkdir -p "$TMP"
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$SRC/include" "$SRC/bench/filter_bench.c" $(sh "$SRC/bench/libs.sh" "$BUILD") \
   -lz -lbz2 -llzma -lzstd -ldeflate -lpthread -ljansson -lsqlite3 -lm -o "$TMP/filter_bench"
FILES="$D/ripe.db.as-set.gz $D/ripe-nonauth.db.route.gz $D/ripe-nonauth.db.route6.gz $D/ripe-nonauth.db.aut-num.gz"
IRR=""
for f in $FILES; do IRR="$IRR --irr $f"; done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
# shellcheck disable=SC2086
"$TMP/filter_bench" "$SET" 20 $FILES
if command -v hyperfine >/dev/null; then
    # Also with MANRS_IO_THREADS=0 (decompression and RPSL splitting on the main
    # thread): the ratio is what the two helper threads buy on this machine.
    hyperfine -N -w 3 -r 30 "$BUILD/manrs filter $IRR -l X $SET" "$BUILD/manrs filter $IRR -A -l X $SET" \
        "$BUILD/manrs filter --irr $D/ripe.db.as-set.gz -f 3326 -l X $SET" \
        "env MANRS_IO_THREADS=0 $BUILD/manrs filter $IRR -l X $SET" 2>/dev/null |
        grep -E "Benchmark|Time|Range" | sed "s|$D/||g; s|$BUILD/||g"
else
    # shellcheck disable=SC2086
    /usr/bin/time -f "end to end: %e s wall, %U s user" "$BUILD/manrs" filter $IRR -l X "$SET" >/dev/null 2>"$TMP/err" || true
    tail -1 "$TMP/err"
fi
