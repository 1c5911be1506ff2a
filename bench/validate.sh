#!/bin/sh
# bench/validate.sh — `manrs validate` in bulk, end to end: ~780k real prefix/origin
# pairs on standard input against ~490k VRPs, table and --json output, routes/s.
#
# Routes: the RIB entries of the real RIB dumps in ../shared/data/mrt (RIS rrc00
# 2000-01-11 and 2002-07-22, RouteViews 2008-05-01 and RIS IPv6 2015-11-01 first MB,
# NAMEX IPv4/IPv6), as `manrs dump -m` prints them, cut to PREFIX ORIGIN (the last
# AS of the path; an AS_SET at the end stays as {a,b}), first 780,000 lines.
# VRPs: the real AFRINIC export ../shared/data/rpki/roas.csv (4,372 VRPs) replicated
# 112 times into other address space (bench/replicate_vrps.awk): 489,664 VRPs, CSV.
# The same routes as `manrs dump -m` lines (the whole RIB lines, path included) are
# timed too. Prints the best of RUNS (default 5) wall-clock times, and the load time
# (empty input) so the validation rate can be read net of it.
# Figures (docs/validate.md, "End to end"): CPU seconds best of 7 / callgrind
# instructions, before -> after the issue-12 load work (sort, trie, CSV fast paths):
#   load (empty input)  0.20 s 1.86 G -> 0.11 s 0.92 G
#   table               0.38 s 4.60 G -> 0.31 s 3.58 G   (2.05 -> 2.5 M routes/s)
#   --json              0.50 s 6.12 G -> 0.42 s 5.11 G   (1.56 -> 1.86 M routes/s)
# Usage: bench/validate.sh   (after building build/; MANRS_BIN to time another binary)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
data=${MANRS_DATA:-$src/../shared/data}
BIN=${MANRS_BIN:-$src/build/manrs}
RUNS=${RUNS:-5}
OUT=$here/out
mkdir -p "$OUT"
[ -f "$data/rpki/roas.csv" ] || { echo "validate.sh: $data/rpki/roas.csv not found" >&2; exit 1; }

vrps=$OUT/validate-vrps.csv
routes=$OUT/validate-routes.txt
lines=$OUT/validate-routes.dump
if [ ! -s "$vrps" ]; then
    awk -F, -v copies=112 -f "$here/replicate_vrps.awk" "$data/rpki/roas.csv" |
        awk 'BEGIN { print "ASN,IP Prefix,Max Length,Trust Anchor" } { print "AS" $3 "," $1 "," $2 ",afrinic" }' > "$vrps"
fi
if [ ! -s "$routes" ]; then
    for f in mrt/ris-historic/rrc00/bview.20000111.0032.gz mrt/bview.20020722.2337.gz mrt/rib.20080501.0644_firstMB.bz2 \
             mrt/rib6.20151101.0600_firstMB.complete-records.bz2 mrt/namex-bgpd-rib-inet.mrt mrt/namex-bgpd-rib-inet6.mrt; do
        "$BIN" dump -m -q "$data/$f" 2>/dev/null || true  # the first-MB files end inside a record
    done | head -n 780000 > "$lines"
    awk -F'|' '{ n = split($7, p, " "); o = p[n]; if (o ~ /^{/) { o = substr($7, index($7, "{")) } print $6, o }' "$lines" > "$routes"
fi
nr=$(wc -l < "$routes")
echo "routes: $nr prefix/origin pairs ($routes), VRPs: $(($(wc -l < "$vrps") - 1)) ($vrps)"

best() { # best wall time of RUNS runs of: sh -c "$1"
    b=
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(date +%s.%N)
        sh -c "$1" || true   # exit status 1 (bad lines) is not a failure here
        t1=$(date +%s.%N)
        b=$(echo "$t0 $t1 ${b:-}" | awk '{ t = $2 - $1; if ($3 != "" && $3 < t) t = $3; printf "%.4f", t }')
        i=$((i + 1))
    done
    echo "$b"
}
load=$(best "'$BIN' validate --vrps '$vrps' < /dev/null > /dev/null 2>&1")
plain=$(best "'$BIN' validate --vrps '$vrps' < '$routes' > /dev/null 2>&1")
json=$(best "'$BIN' validate --json --vrps '$vrps' < '$routes' > /dev/null 2>&1")
dump=$(best "'$BIN' validate --vrps '$vrps' < '$lines' > /dev/null 2>&1")
echo "$nr $load $plain $json $dump" | awk '{
    n = $1; printf "load (empty input)            %7.3f s\n", $2
    printf "validate, table               %7.3f s  %5.2f M routes/s end to end  %5.2f M/s net of load  (target >= 2)\n", $3, n / $3 / 1e6, n / ($3 - $2) / 1e6
    printf "validate --json               %7.3f s  %5.2f M routes/s end to end  %5.2f M/s net of load  (target >= 1)\n", $4, n / $4 / 1e6, n / ($4 - $2) / 1e6
    printf "validate, dump -m lines       %7.3f s  %5.2f M routes/s end to end  %5.2f M/s net of load\n", $5, n / $5 / 1e6, n / ($5 - $2) / 1e6
    printf "(rtrlib pfx_table_validate on a similar set: 0.33-0.48 M/s, bench/rov.sh)\n" }'
