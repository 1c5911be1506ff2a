#!/bin/sh
# cli_bmpd_routers.sh — `manrs bmpd` fed by real BMP exporters: gobgpd (pre-policy
# with ADD-PATH, and Loc-RIB, to two stations at once) and FRR bgpd -M bmp
# (tests/oracle/bmpd_routers.py says what each check is). SKIP without gobgpd.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
command -v gobgpd >/dev/null 2>&1 || { echo "SKIP: gobgpd not found (apt-get install gobgpd; scripts/deps.sh does)"; exit 77; }
T="$MANRS_TMP/bmpd_routers"
rm -rf "$T"; mkdir -p "$T"
timeout 180 python3 "$MANRS_SRC/tests/oracle/bmpd_routers.py" "$MANRS_BIN" "$T"
