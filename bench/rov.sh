#!/bin/sh
# rov.sh — ROV throughput of manrs against rtrlib's pfx_table_validate, and the time
# to load a 500k-VRP JSON export.
#
# The VRP set is derived deterministically from the real AFRINIC export
# ../shared/data/rpki/roas.csv: every real VRP is replicated 128 times into other
# address space (IPv4: first octet rotated; IPv6: first 16-bit group shifted) with
# ASN + 1000*k (AS 0 stays AS 0), keeping the real mix of lengths, maxLengths,
# nesting and AS 0 ROAs. Routes: 10M validations (1M generated routes, 10 rounds):
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

awk -F, -v out="$tmp/vrps.txt" -v json="$tmp/vrps.json" '
function hex(s,   i, v, c) { v = 0; s = tolower(s)
    for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
    return v }
BEGIN { printf "{\"metadata\":{\"generated\":\"rov.sh\"},\"roas\":[\n" > json; first = 1 }
NR > 1 {
    asn = $2; sub(/^AS/, "", asn); pfx = $3; maxlen = $4
    split(pfx, pl, "/"); addr = pl[1]; len = pl[2]
    for (k = 0; k < 128; k++) {
        if (index(addr, ":")) {
            n = split(addr, h, ":")
            g = sprintf("%x", (hex(h[1]) + k * 16) % 65536)
            if (g == "0") g = "2000"
            a = g; for (i = 2; i <= n; i++) a = a ":" h[i]
        } else {
            split(addr, o, ".")
            a = ((o[1] + 37 * k) % 223 + 1) "." o[2] "." o[3] "." o[4]
        }
        as = (asn == 0) ? 0 : asn + 1000 * k
        print a "/" len, maxlen, as > out
        printf "%s{\"asn\":\"AS%d\",\"prefix\":\"%s/%s\",\"maxLength\":%d,\"ta\":\"afrinic\"}", (first ? "" : ",\n"), as, a, len, maxlen > json
        first = 0
    }
}
END { printf "\n]}\n" > json }' "$data/rpki/roas.csv"

cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$src/include" -o "$tmp/rov_bench" "$here/rov_bench.c" \
    $(sh "$src/bench/libs.sh" "$build") -lrtr -ljansson -lz -lbz2 -llzma -lzstd -ldeflate -lpthread -lsqlite3 -lm
"$tmp/rov_bench" "$tmp/vrps.json" "$tmp/vrps.txt"
