#!/bin/sh
# bench/whatif.sh — `manrs whatif` on the real CAIDA graph of 2016-11-01 (55 809
# ASes, 239 k links), against the issue's targets on this 2-core machine: one
# incident <= 1 s (the whole command: loading the graph and routing twice), and the
# greedy top-10 <= 60 s. There is no reference tool that does this; the ratio
# printed is against the target. The incident: an origin hijack of 8.8.8.0/24
# (AS15169) by AS17557, the culprit of the 2008 YouTube hijack; 65 % of the ASes
# route to it with nobody acting, so the greedy search has work to do.
# usage: bench/whatif.sh [BUILD_DIR]
set -eu
B=${1:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
D=${MANRS_DATA:-$SRC/../shared/data}
A="$D/asrel/20161101.as-rel.txt.bz2"
[ -f "$A" ] || { echo "SKIP: $A not found"; exit 0; }
W=${TMPDIR:-/tmp}/manrs-bench-whatif
mkdir -p "$W"
INC="--asrel $A --hijack 8.8.8.0/24 --by 17557 --origin 15169"
# shellcheck disable=SC2086
/usr/bin/time -f '%e %U %M' -o "$W/t.one" "$B/manrs" whatif $INC --adopt top-10 --json >"$W/one.json"
# shellcheck disable=SC2086
/usr/bin/time -f '%e %U %M' -o "$W/t.greedy" "$B/manrs" whatif $INC --greedy 10 --json >"$W/greedy.json"
python3 - "$W" <<'PY'
import json, sys
w = sys.argv[1]
def t(name):
    e, u, m = open(w + "/t." + name).read().split()
    return float(e), float(u), int(m)
one, gr = t("one"), t("greedy")
g = json.load(open(w + "/greedy.json"))
o = json.load(open(w + "/one.json"))
print("graph: %d ASes" % o["graph"]["ases"])
print("one incident (load + route without and with ROV at the top 10): %.2f s wall, %.0f MiB; "
      "target 1 s: %.2fx of it" % (one[0], one[2] / 1024, one[0] / 1.0))
print("  capture %.1f%% -> %.1f%%" % (100 * o["capture"]["without"], 100 * o["capture"]["with"]))
print("greedy top-10: %.1f s wall, %.1f s user, %d routing runs (%.2f ms each on one core); "
      "target 60 s: %.2fx of it" % (gr[0], gr[1], g["greedy_runs"], 1000 * gr[1] / max(g["greedy_runs"], 1),
                                    gr[0] / 60.0))
print("  adopters: " + " ".join("AS%d(%.1f%%)" % (s["asn"], 100 * s["capture_after"]) for s in g["greedy"]))
PY
