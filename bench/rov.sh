#!/bin/sh
# rov.sh — ROV throughput of manrs against rtrlib's pfx_table_validate, and the time
# to load a 500k-VRP JSON export.
#
# The VRP set is derived deterministically from the real AFRINIC export
# ../shared/data/rpki/roas.csv: every real VRP is replicated 128 times into other
# address space by bench/replicate_vrps.awk, keeping the real mix of lengths,
# maxLengths, nesting and AS 0 ROAs. Routes: 10M validations (1M generated routes, 10 rounds):
# exact VRP prefixes, more-specifics inside and beyond maxLength, wrong origins and
# random prefixes. Usage: bench/rov.sh  (after building build/)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
data=${MANRS_DATA:-$src/../shared/data}
build=${BUILD:-$src/build}
tmp=${TMPDIR:-/tmp}/manrs-rov-bench.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM

[ -f "$data/rpki/roas.csv" ] || { echo "rov.sh: $data/rpki/roas.csv not found" >&2; exit 1; }
[ -f "$build/libmanrs_core.a" ] || { echo "rov.sh: build $build first" >&2; exit 1; }

awk -F, -v copies=128 -f "$here/replicate_vrps.awk" "$data/rpki/roas.csv" > "$tmp/vrps.txt"
awk -v json="$tmp/vrps.json" '
BEGIN { printf "{\"metadata\":{\"generated\":\"rov.sh\"},\"roas\":[\n" > json }
{ printf "%s{\"asn\":\"AS%d\",\"prefix\":\"%s\",\"maxLength\":%d,\"ta\":\"afrinic\"}", (NR > 1 ? ",\n" : ""), $3, $1, $2 > json }
END { printf "\n]}\n" > json }' "$tmp/vrps.txt"

cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$src/include" -o "$tmp/rov_bench" "$here/rov_bench.c" \
    $(sh "$src/bench/libs.sh" "$build") -lrtr -ljansson -lz -lbz2 -llzma -lzstd -ldeflate -lpthread -lsqlite3 -lm
"$tmp/rov_bench" "$tmp/vrps.json" "$tmp/vrps.txt"
