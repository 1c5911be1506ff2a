#!/bin/sh
# cli_serve_browser.sh — the web observatory driven in headless Chromium through
# ChromeDriver (tests/oracle/serve_browser.py): navigation, a sortable column,
# search typed into the box, a victim's network page, an incident page, the map,
# the looking glass (--lg-world: a prefix typed into its form);
# screenshots (kept in the test's directory) checked not blank; no browser error.
# SKIP (77) without chromium and chromedriver (scripts/deps.sh installs them).
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/serve_browser"
rm -rf "$T"; mkdir -p "$T"
W="$T/world"
"$MANRS_BIN" sim --out "$W" --ases 400 --seed 11 --incidents 4 --quiet >/dev/null || { echo "FAIL: sim"; exit 1; }
"$MANRS_BIN" observe --world "$W" --db "$T/obs.db" --json "$T/obs.json" --quiet || { echo "FAIL: observe"; exit 1; }
timeout 300 python3 "$MANRS_SRC/tests/oracle/serve_browser.py" "$MANRS_BIN" "$T" "$T/obs.db" "$T/obs.json" "$W"
