#!/bin/sh
# antispoof.sh — manrs antispoof on a large cone (AS3356 in the real CAIDA as-rel,
# real RIPE-NONAUTH route objects, AFRINIC VRPs): load, build and print times, then
# the whole command end to end. Usage: sh bench/antispoof.sh [BUILD_DIR] [DATA_DIR]
set -e
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
DATA=${2:-$SRC/../shared/data}
OUT=$BUILD/antispoof_bench
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$SRC/include" "$SRC/bench/antispoof_bench.c" $(sh "$SRC/bench/libs.sh" "$BUILD") \
   -lz -lbz2 -llzma -lzstd -ldeflate -lpthread -ljansson -lsqlite3 -lm -o "$OUT"
"$OUT" "$DATA"
CMD="$BUILD/manrs antispoof --edge AS3356 --asrel $DATA/asrel/20161101.as-rel.txt.bz2 --irr $DATA/irr/ripe-nonauth.db.route.gz --irr $DATA/irr/ripe-nonauth.db.route6.gz --vrps $DATA/rpki/roas.csv --format ios"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --warmup 1 --runs 5 "$CMD" 2>/dev/null | grep -E "Time|Range"
else
    /usr/bin/time -f "end to end (manrs antispoof --edge AS3356 --format ios): %e s, %M KiB max RSS" $CMD > /dev/null
fi
