#!/bin/sh
# cli_monitor.sh — `manrs monitor`: usage errors; hijacks of a simulated Internet
# alerted and resolved against its ground truth; a live BMP router's hijack
# alerted within a second (tests/oracle/monitor_check.py says each check).
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/monitor"
rm -rf "$T"; mkdir -p "$T"
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
printf '192.0.2.0/24:\n  asn: 64500\n' > "$T/p.yml"
"$MANRS_BIN" monitor --mrt x >/dev/null 2>&1; [ $? -eq 2 ] || FAIL "no --config must exit 2"
"$MANRS_BIN" monitor --config "$T/p.yml" >/dev/null 2>&1; [ $? -eq 2 ] || FAIL "no input must exit 2"
"$MANRS_BIN" monitor --config "$T/p.yml" --mrt x --quiet >/dev/null 2>&1; [ $? -eq 2 ] \
    || FAIL "--quiet with no other channel must exit 2"
"$MANRS_BIN" monitor --config "$T/nope.yml" --mrt x >/dev/null 2>"$T/err"; [ $? -eq 1 ] || FAIL "a missing config must exit 1"
grep -qx "$T/nope.yml: No such file or directory" "$T/err" || FAIL "missing config: $(cat "$T/err")"
printf '192.0.2.0/24:\n  asn: [\n' > "$T/bad.yml"
"$MANRS_BIN" monitor --config "$T/bad.yml" --mrt x >/dev/null 2>"$T/err"; [ $? -eq 1 ] || FAIL "a broken config must exit 1"
grep -q "bad.yml:3: not YAML" "$T/err" || FAIL "broken config: $(cat "$T/err")"
timeout 600 python3 "$MANRS_SRC/tests/oracle/monitor_check.py" "$MANRS_BIN" "$T" "$MANRS_SRC" || fail=1
exit $fail
