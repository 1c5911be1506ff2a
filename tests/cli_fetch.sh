#!/bin/sh
# cli_fetch.sh — `manrs fetch` against a local HTTP mirror of the sources' layouts
# (tests/oracle/fetch_check.py says each check); the usage errors here.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/fetch"
rm -rf "$T"; mkdir -p "$T"
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
"$MANRS_BIN" fetch ris-rib >/dev/null 2>&1; [ $? -eq 2 ] || FAIL "no --out must exit 2"
"$MANRS_BIN" fetch --out "$T/x" >/dev/null 2>&1; [ $? -eq 2 ] || FAIL "no KIND must exit 2"
"$MANRS_BIN" fetch --out "$T/x" nonsense >/dev/null 2>&1; [ $? -eq 2 ] || FAIL "an unknown KIND must exit 2"
"$MANRS_BIN" fetch --out "$T/x" --ris ../etc ris-rib >/dev/null 2>"$T/err"; [ $? -eq 2 ] \
    || FAIL "a collector name with a path must exit 2"
grep -q "not a collector name" "$T/err" || FAIL "bad collector: $(cat "$T/err")"
"$MANRS_BIN" fetch --out "$T/x" --from 2024-01-02 --to 2024-01-01 ris-rib >/dev/null 2>&1; [ $? -eq 2 ] \
    || FAIL "--to before --from must exit 2"
"$MANRS_BIN" fetch --out "$T/x" --from 2000-01-01 --to 2024-01-01 -n ris-updates >/dev/null 2>"$T/err"; [ $? -eq 2 ] \
    || FAIL "a window of millions of files must be refused"
grep -q "more than 100000 files" "$T/err" || FAIL "huge window: $(cat "$T/err")"
# a cache that cannot be written: every file of the window reported, none forgotten
touch "$T/blocker"
"$MANRS_BIN" fetch --out "$T/blocker/cache" --from 2024-01-01T00:00:00Z --to 2024-01-01T01:00:00Z \
    --base-url ris-updates=http://127.0.0.1:9 -q ris-updates >/dev/null 2>"$T/err"; [ $? -eq 1 ] \
    || FAIL "an unwritable cache must exit 1"
[ "$(grep -c 'Not a directory' "$T/err")" -eq 13 ] && grep -q "13 files: 0 fetched (0.0 MB), 0 already there, 13 failed" "$T/err" \
    || FAIL "unwritable cache: not every file reported: $(tail -2 "$T/err")"
timeout 300 python3 "$MANRS_SRC/tests/oracle/fetch_check.py" "$MANRS_BIN" "$T" || fail=1
exit $fail
