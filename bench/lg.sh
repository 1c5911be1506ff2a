#!/bin/sh
# bench/lg.sh — manrs lg on real data: a full 2002 RIS RIB (bview.20020722.2337,
# 115 521 routes) and, when given DAY=1, a whole day of RouteViews updates (95
# files, 8.6 M announcements): load, index and per-query times (bench/lg_bench.c),
# then the end-to-end command time.
# Usage: sh bench/lg.sh [BUILD_DIR]   (default: build)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
D=${MANRS_DATA:-$SRC/../shared/data}
TMP=${TMPDIR:-/tmp}/manrs-lg-bench
[ -f "$BUILD/libmanrs_app_lg.a" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }
[ -d "$D/mrt" ] || { echo "SKIP: $D not found" >&2; exit 0; }
mkdir -p "$TMP"
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$SRC/include" "$SRC/bench/lg_bench.c" $(sh "$SRC/bench/libs.sh" "$BUILD") \
   -lz -lbz2 -llzma -lzstd -ldeflate -lpthread -ljansson -lsqlite3 -lm -o "$TMP/lg_bench"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== RIB $D/mrt/bview.20020722.2337.gz"
"$TMP/lg_bench" 9 "$D/mrt/bview.20020722.2337.gz"
/usr/bin/time -f "end to end (manrs lg 193.0.0.0/21): %e s wall, %M KB" \
    "$BUILD/manrs" lg --rib "$D/mrt/bview.20020722.2337.gz" 193.0.0.0/21 >/dev/null
if [ "${DAY:-0}" = 1 ]; then
    echo "== a day of updates $D/days/routeviews-2008/20080222"
    # shellcheck disable=SC2046
    "$TMP/lg_bench" 5 $(ls "$D"/days/routeviews-2008/20080222/updates.*)
fi
