#!/bin/sh
# cli_rtrd.sh — `manrs rtrd` (RTR cache server) against rtrlib's rtrclient, StayRTR
# and this suite's own RTR client: tables, versions 0-2 and ASPA, incremental
# updates, version negotiation, bad input, hostile and 1000 concurrent routers
# (tests/oracle/rtrd_check.py says what each check is). The usage errors here.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/rtrd"
rm -rf "$T"; mkdir -p "$T"
fail=0
"$MANRS_BIN" rtrd >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: no --vrps must exit 2"; fail=1; }
"$MANRS_BIN" rtrd --vrps x --expire 700 --refresh 800 >/dev/null 2>&1; [ $? -eq 2 ] \
    || { echo "FAIL: --expire below --refresh must exit 2"; fail=1; }
"$MANRS_BIN" rtrd --vrps "$T/nope.json" --listen 127.0.0.1:0 >/dev/null 2>"$T/err"; [ $? -eq 1 ] \
    || { echo "FAIL: a missing file must exit 1"; fail=1; }
grep -q "nope.json" "$T/err" || { echo "FAIL: the missing file is not named"; cat "$T/err"; fail=1; }
printf '{"roas":[]}' > "$T/empty.json"
"$MANRS_BIN" rtrd --vrps "$T/empty.json" --listen 127.0.0.1:0 >/dev/null 2>"$T/err"; [ $? -eq 1 ] \
    || { echo "FAIL: an empty table must not be served (exit 1)"; fail=1; }
grep -q "empty table is not served" "$T/err" || { echo "FAIL: no reason for refusing the empty table"; cat "$T/err"; fail=1; }
timeout 600 python3 "$MANRS_SRC/tests/oracle/rtrd_check.py" "$MANRS_BIN" "$T" "${MANRS_DATA:-}" || fail=1
exit $fail
