#!/bin/sh
# cli_serve.sh — `manrs serve`, the web observatory, over a store of runs of a
# simulated world: the JSON API against docs/openapi.json and against what
# observe found, hostile requests, the pages, concurrency, a new run picked up
# (tests/oracle/serve_check.py says each check); the usage errors here.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/serve"
rm -rf "$T"; mkdir -p "$T"
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
"$MANRS_BIN" serve >/dev/null 2>&1; [ $? -eq 2 ] || FAIL "no --db must exit 2"
"$MANRS_BIN" serve --db x --max-clients 0 >/dev/null 2>&1; [ $? -eq 2 ] || FAIL "--max-clients 0 must exit 2"
"$MANRS_BIN" serve --db "$T/none.db" >/dev/null 2>"$T/err"; [ $? -eq 1 ] || FAIL "a missing store must exit 1"
grep -q "none.db" "$T/err" || FAIL "missing store not named: $(cat "$T/err")"
"$MANRS_BIN" serve --db x --lg-vrps /dev/null >/dev/null 2>"$T/err"; [ $? -eq 2 ] || FAIL "--lg-vrps without routing data must exit 2"
grep -q "routing data" "$T/err" || FAIL "--lg-* without routing data not explained: $(cat "$T/err")"
W="$T/world"
"$MANRS_BIN" sim --out "$W" --ases 600 --seed 7 --incidents 6 --quiet >/dev/null || { echo "FAIL: sim"; exit 1; }
"$MANRS_BIN" observe --world "$W" --db "$T/obs.db" --quiet || { echo "FAIL: observe run 1"; exit 1; }
"$MANRS_BIN" observe --world "$W" --db "$T/obs.db" --json "$T/obs.json" --quiet || { echo "FAIL: observe run 2"; exit 1; }
"$MANRS_BIN" serve --db "$T/obs.db" --listen 127.0.0.1:0 --lg-rib "$T/nonexistent.mrt" >/dev/null 2>"$T/err"; [ $? -eq 1 ] || FAIL "--lg-rib of a missing file must exit 1"
grep -q "nonexistent.mrt" "$T/err" || FAIL "the missing --lg-rib not named: $(cat "$T/err")"
timeout 300 python3 "$MANRS_SRC/tests/oracle/serve_check.py" "$MANRS_BIN" "$T" "$T/obs.db" "$T/obs.json" \
    "$MANRS_SRC/docs/openapi.json" "$W" || fail=1
exit $fail
