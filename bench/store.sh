#!/bin/sh
# store.sh — observatory store speed (bench/store_bench.c): inserts of incidents with
# propagators and evidence in one run, networks, commit, full read-back.
# Usage: sh bench/store.sh [BUILD_DIR] [N]
set -e
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
N=${2:-200000}
OUT=$BUILD/store_bench
cc -O2 -std=c11 -D_DEFAULT_SOURCE -DMANRS_VERSION='"bench"' -I"$SRC/include" "$SRC/bench/store_bench.c" "$BUILD/libmanrs_lib.a" \
   -lz -lbz2 -llzma -lzstd -ljansson -lsqlite3 -lm -o "$OUT"
DB=$(mktemp -d)/bench.db
"$OUT" "$DB" "$N"
ls -l "$DB" | awk '{printf "store: file size %.1f MB\n", $5 / 1e6}'
rm -rf "$(dirname "$DB")"
