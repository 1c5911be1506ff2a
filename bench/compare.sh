#!/bin/sh
# bench/compare.sh OLD_MANRS NEW_MANRS — two builds of manrs side by side on the
# same inputs: instructions executed (valgrind --tool=callgrind: repeatable whatever
# else the machine is doing) and peak RSS (GNU time), per command, with the ratio
# new/old. For refactors that must not cost speed or memory.
# Commands: dump -m and stats of a real RIS updates file, observe on a 2 000-network
# simulated world, validate of 3 000 routes with every knowledge base, filter of the
# largest real as-set (if ../shared/data/irr is there), antispoof of a real cone.
set -eu
OLD=${1:?usage: bench/compare.sh OLD_MANRS NEW_MANRS}
NEW=${2:?usage: bench/compare.sh OLD_MANRS NEW_MANRS}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${MANRS_DATA:-$HERE/../../shared/data}
W=${TMPDIR:-/tmp}/manrs-bench-compare
mkdir -p "$W"
command -v valgrind >/dev/null || { echo "need valgrind"; exit 1; }
[ -f "$W/world/truth.json" ] || "$NEW" sim --out "$W/world" --seed 1 --quiet --force >/dev/null
[ -f "$W/routes.txt" ] || "$NEW" dump -m "$W/world/rib.mrt.gz" | awk -F'|' 'NR <= 3000 {print $6, $7}' > "$W/routes.txt"
UPD=$DATA/mrt/updates.20160811.1600.gz
IRR=$(ls "$DATA"/irr/*.gz 2>/dev/null | tr '\n' ' ')
ASREL=$DATA/asrel/20161101.as-rel.txt.bz2

# name|command (BIN is replaced by the binary; run from inside the world directory)
set -- \
    "dump|BIN dump -m -q $UPD" \
    "stats|BIN stats -q $UPD" \
    "observe|BIN observe --world . --no-db --quiet --json /dev/null" \
    "validate|BIN validate --vrps vrps.json --irr irr.db --asrel asrel.txt --delegated delegated.txt < $W/routes.txt"
[ -n "$IRR" ] && set -- "$@" "filter|BIN filter $(for f in $IRR; do printf -- '--irr %s ' "$f"; done) AS3326:AS-PEERS-UAE"
[ -f "$ASREL" ] && [ -n "$IRR" ] && set -- "$@" "antispoof|BIN antispoof --customer AS3356 --asrel $ASREL $(for f in $IRR; do printf -- '--irr %s ' "$f"; done) --format json"

measure() {   # binary command -> "instructions rss_kib"
    cmd=$(echo "$2" | sed "s|BIN|$1|")
    rm -f "$W"/cg.out.*
    (cd "$W/world" && MANRS_IO_THREADS=0 valgrind --tool=callgrind --trace-children=yes \
        --callgrind-out-file="$W/cg.out.%p" sh -c "$cmd" > /dev/null 2> "$W/cg.err") || true
    ins=$(cat "$W"/cg.out.* | sed -n 's/^summary: //p' | awk '{s += $1} END {printf "%.0f", s}')
    rss=$( (cd "$W/world" && /usr/bin/time -f '%M' sh -c "$cmd > /dev/null 2>/dev/null" 2>&1 >/dev/null) | tail -1)
    echo "${ins:-0} ${rss:-0}"
}
printf '%-10s %14s %14s %7s %10s %10s %7s\n' command old_instr new_instr ratio old_rssK new_rssK ratio
for t in "$@"; do
    name=${t%%|*}
    cmd=${t#*|}
    set -- $(measure "$OLD" "$cmd"); oi=$1; orss=$2
    set -- $(measure "$NEW" "$cmd"); ni=$1; nrss=$2
    awk -v n="$name" -v oi="$oi" -v ni="$ni" -v or="$orss" -v nr="$nrss" 'BEGIN {
        printf "%-10s %14.0f %14.0f %7.3f %10d %10d %7.3f\n", n, oi, ni, oi ? ni / oi : 0, or, nr, or ? nr / or : 0 }'
done
