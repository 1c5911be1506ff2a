#!/bin/sh
# sim.sh — speed and size of `manrs sim` for the two targets of issue 4, plus the
# bgpdump record counts of what it wrote. Usage: sh bench/sim.sh [BUILD_DIR] [OUT_DIR]
#   default world: 2 000 networks, 4 collectors x 8 peers, 1 h     (target <= 10 s)
#   large world:  10 000 networks, 16 collector peers, >= 200 k prefixes (<= 120 s, <= 4 GiB)
# Prints wall time, CPU time, peak RSS (GNU time) and the world summary.
set -e
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
OUT=${2:-$SRC/bench/out/sim}
BIN=$BUILD/manrs
mkdir -p "$OUT"
run() { # name args...
    name=$1; shift
    rm -rf "$OUT/$name"
    echo "== manrs sim $*"
    /usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" "$BIN" sim --out "$OUT/$name" "$@" 2>"$OUT/$name.time"
    cat "$OUT/$name.time"
    du -sh "$OUT/$name" | awk '{print "output " $1}'
    if command -v bgpdump >/dev/null; then
        for f in rib updates; do
            bgpdump -m "$OUT/$name/$f.mrt.gz" 2>/dev/null | awk -F'|' -v f=$f '{c[$3]++} END {printf "bgpdump %s.mrt.gz: %d B, %d A, %d W, %d STATE\n", f, c["B"], c["A"], c["W"], c["STATE"]}'
        done
    fi
    echo
}
run default --ases 2000 --collectors 4 --peers-per-collector 8 --hours 1
run large --ases 10000 --collectors 2 --peers-per-collector 8 --hours 1
run large-24h --ases 10000 --collectors 4 --peers-per-collector 4 --hours 24 --incidents 10
