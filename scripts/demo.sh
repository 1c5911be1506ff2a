#!/bin/sh
# make demo: the main job on built-in data. `manrs sim` writes a simulated Internet
# with ground truth into demo/world (the observatory of a later issue will run on it);
# until the observatory exists the demo prints the world's summary, a few routes
# and incidents, and the bgpdump record counts of the MRT files it wrote.
set -eu
BIN=${1:-build/manrs}
OUT=${2:-demo}
mkdir -p "$OUT"
echo "== manrs sim --out $OUT/world --seed 1 (2 000 networks, 4 collectors x 8 peers, 1 h)"
"$BIN" sim --out "$OUT/world" --seed 1 --force
echo
echo "== files"
ls -l "$OUT/world" | awk 'NR > 1 {printf "  %-16s %10d bytes\n", $9, $5}'
echo
echo "== manrs stats $OUT/world/rib.mrt.gz $OUT/world/updates.mrt.gz"
"$BIN" stats "$OUT/world/rib.mrt.gz" "$OUT/world/updates.mrt.gz" | sed -n '1,12p'
echo
echo "== the first incidents of truth.json"
python3 -c 'import json,sys
t = json.load(open(sys.argv[1]))
for i in t["incidents"][:8]:
    print("  #%-3d %-16s culprit AS%-7d %-22s %5d s, seen by %d peers, %d propagators" % (i["id"], i["class"], i["culprit"], i["prefix"], i["end"] - i["start"], i["visible_peers"], len(i["propagators"])))
print("  ... %d incidents in all" % len(t["incidents"]))' "$OUT/world/truth.json" 2>/dev/null || true
if command -v bgpdump >/dev/null 2>&1; then
    echo
    echo "== bgpdump record counts (B = RIB entries, A = announcements, W = withdrawals)"
    for f in rib updates; do
        bgpdump -m "$OUT/world/$f.mrt.gz" 2>/dev/null | awk -F'|' -v f=$f '{c[$3]++} END {printf "  %s.mrt.gz: %d B, %d A, %d W, %d STATE\n", f, c["B"], c["A"], c["W"], c["STATE"]}'
    done
    echo
    echo "== a route leak as a collector peer saw it (bgpdump -m)"
    leak=$(python3 -c 'import json,sys
t = json.load(open(sys.argv[1]))
l = [i for i in t["incidents"] if i["class"] == "route-leak" and i["visible_peers"]]
print(l[0]["prefix"] if l else "")' "$OUT/world/truth.json" 2>/dev/null || true)
    [ -n "$leak" ] && bgpdump -m "$OUT/world/updates.mrt.gz" 2>/dev/null | awk -F'|' -v p="$leak" '$6 == p' | head -4
fi
