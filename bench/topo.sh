#!/bin/sh
# topo.sh — load/lookup figures for bogons, delegated stats and AS relationships on
# the real data. Usage: sh bench/topo.sh [BUILD_DIR] [DATA_DIR]
# Builds bench/topo_bench.c against BUILD_DIR's layer archives (bench/libs.sh) and runs it.
set -e
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
DATA=${2:-$SRC/../shared/data}
OUT=$BUILD/topo_bench
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$SRC/include" "$SRC/bench/topo_bench.c" $(sh "$SRC/bench/libs.sh" "$BUILD") \
   -lz -lbz2 -llzma -lzstd -ldeflate -lpthread -ljansson -lsqlite3 -lm -o "$OUT"
"$OUT" "$DATA"
