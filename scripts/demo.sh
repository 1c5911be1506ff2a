#!/bin/sh
# make demo: the main job on the built-in simulated Internet.
#   1. manrs sim     writes a 2 000-network world (MRT RIB + updates, RPKI, IRR, as-rel,
#                    delegated stats, PeeringDB, Spoofer results) with ground truth
#   2. manrs observe detects the incidents and scores every network on the four MANRS
#                    actions, storing the run in demo/manrs.db
#   3. manrs report  prints the landscape table and writes the HTML report
# and finally scores the observatory against the simulator's truth.json.
set -eu
BIN=${1:-build/manrs}
OUT=${2:-demo}
mkdir -p "$OUT"
t0=$(date +%s)
echo "== manrs sim --out $OUT/world --seed 1 (2 000 networks, 4 collectors x 8 peers, 1 h)"
"$BIN" sim --out "$OUT/world" --seed 1 --force
echo
echo "== manrs observe --world $OUT/world --db $OUT/manrs.db"
rm -f "$OUT/manrs.db" "$OUT/manrs.db-wal" "$OUT/manrs.db-shm"
"$BIN" observe --world "$OUT/world" --db "$OUT/manrs.db" --json "$OUT/observed.json" --quiet
echo
echo "== manrs report --db $OUT/manrs.db --top 25 (the landscape, most ready first)"
"$BIN" report --db "$OUT/manrs.db" --top 25
"$BIN" report --db "$OUT/manrs.db" --format html -o "$OUT/report.html"
echo
echo "== the observatory against the simulator's ground truth (tests/oracle/score_truth.py)"
python3 "$(dirname "$0")/../tests/oracle/score_truth.py" "$OUT/world/truth.json" "$OUT/observed.json" || true
echo
echo "HTML report: $(cd "$OUT" && pwd)/report.html"
echo "one network explained: $BIN report --db $OUT/manrs.db --as ASN"
echo "the web observatory:   $BIN serve --db $OUT/manrs.db   (then http://127.0.0.1:8080/)"
echo "demo took $(( $(date +%s) - t0 )) s"
