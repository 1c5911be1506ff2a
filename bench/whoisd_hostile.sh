#!/bin/sh
# bench/whoisd_hostile.sh — manrs whoisd under hostile clients: the server on the
# shared IRR data plus a 20 001-level as-set chain (AS-DEEP0 -> ... -> AS-DEEP20000),
# on 127.0.0.1 with its default limits; bench/whoisd_hostile.py opens 100 clients
# of each hostile kind at once (pipelining non-readers of !r0.0.0.0/0,M,
# pipeline-and-reset of !iAS-RETN,1, slowloris, too-deep !iAS-DEEP0,1) and a good
# client measures its !g answer times. Prints p50/p99/max and the server's peak RSS.
# Usage: sh bench/whoisd_hostile.sh [BUILD_DIR] [MANRS_BINARY] [extra generator args]
# (MANRS_BINARY: compare another build, e.g. the code before the hardening).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
BIN=${2:-$BUILD/manrs}
[ $# -ge 2 ] && shift 2 || shift $#
D=${MANRS_DATA:-$SRC/../shared/data}/irr
TMP=${TMPDIR:-/tmp}/manrs-whoisd-hostile.$$
[ -x "$BIN" ] || { echo "build first" >&2; exit 1; }
[ -d "$D" ] || { echo "SKIP: $D not found" >&2; exit 0; }
mkdir -p "$TMP"
python3 - "$TMP/deep.rpsl" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(20001):
        f.write("as-set: AS-DEEP%d\nmembers: AS%d%s\nsource: BENCH\n\n"
                % (i, 64512 + i % 1000, ", AS-DEEP%d" % (i + 1) if i < 20000 else ""))
EOF
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); binary: $BIN"
"$BIN" whoisd --irr "$D/ripe.db.as-set.gz" --irr "$D/ripe-nonauth.db.route.gz" \
    --irr "$D/ripe-nonauth.db.route6.gz" --irr "$D/ripe-nonauth.db.aut-num.gz" --irr "$TMP/deep.rpsl" \
    --listen 127.0.0.1:0 --port-file "$TMP/port" 2>"$TMP/err" &
pid=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
ulimit -n 4096 2>/dev/null || true
python3 "$SRC/bench/whoisd_hostile.py" "$(cat "$TMP/port")" $pid "$@" || echo "load generator failed"
kill -TERM $pid; wait $pid || true
echo "server log: $(wc -l < "$TMP/err") lines; last: $(tail -1 "$TMP/err" | cut -c1-300)"
rm -rf "$TMP"
