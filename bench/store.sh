#!/bin/sh
# store.sh — observatory store speed (bench/store_bench.c): inserts of incidents with
# propagators and evidence in one run, networks, commit, full read-back; then
# manrs report over that store in every format.
# Usage: sh bench/store.sh [BUILD_DIR] [N]
set -e
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
N=${2:-200000}
OUT=$BUILD/store_bench
cc -O2 -std=c11 -D_DEFAULT_SOURCE -DMANRS_VERSION='"bench"' -I"$SRC/include" "$SRC/bench/store_bench.c" $(sh "$SRC/bench/libs.sh" "$BUILD") \
   -lz -lbz2 -llzma -lzstd -ldeflate -lpthread -ljansson -lsqlite3 -lm -o "$OUT"
DB=$(mktemp -d)/bench.db
"$OUT" "$DB" "$N"
ls -l "$DB" | awk '{printf "store: file size %.1f MB\n", $5 / 1e6}'
for fmt in table json csv markdown html; do
    /usr/bin/time -f "report --format $fmt (whole landscape): %e s, %M KiB max RSS" "$BUILD/manrs" report --db "$DB" --format $fmt > "$DB.out"
    ls -l "$DB.out" | awk '{printf "  output %.1f MB\n", $5 / 1e6}'
done
/usr/bin/time -f "report --as 64511 (one network): %e s, %M KiB max RSS" "$BUILD/manrs" report --db "$DB" --as 64511 > /dev/null
rm -rf "$(dirname "$DB")"
