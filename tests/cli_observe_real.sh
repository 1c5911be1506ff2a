#!/bin/sh
# cli_observe_real.sh — `manrs observe` on real data (../shared/data): RIPE RIS
# updates of 2016-08-11 16:00-16:05 with CAIDA as-rel 2016-11-01, ROAs and RIPE
# IRR route objects: completes with --strict (no decode error), and finds the
# hand-checked incidents: AS64514 (private, RFC 6996) left in the path behind
# AS26077 for 107.178.10.0/24 (bogon-asn, culprit 26077, seen at 2 peers); the RIPE
# RIS beacons (84.205.73.0/24, 84.205.76.0/24 from AS12654) are not forged paths.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_DATA:?}"
D="$MANRS_DATA"
for f in mrt/updates.20160811.1600.gz asrel/20161101.as-rel.txt.bz2 rpki/roas.csv irr/ripe-nonauth.db.route.gz; do
    [ -f "$D/$f" ] || { echo "SKIP: $D/$f not found"; exit 77; }
done
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/observe_real"; rm -rf "$T"; mkdir -p "$T"
"$MANRS_BIN" observe --updates "$D/mrt/updates.20160811.1600.gz" --asrel "$D/asrel/20161101.as-rel.txt.bz2" \
    --vrps "$D/rpki/roas.csv" --irr "$D/irr/ripe-nonauth.db.route.gz" --db "$T/r.db" --strict --json "$T/r.json" \
    2>"$T/err" || { echo "FAIL: observe exit $?"; cat "$T/err"; exit 1; }
python3 - "$T/r.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["window"]["decode_errors"] == 0, d["window"]
inc = {(i["class"], i["prefix"]): i for i in d["incidents"]}
b = inc.get(("bogon-asn", "107.178.10.0/24"))
assert b and b["culprit"] == 26077 and b["visible_peers"] == 2, b
assert any(e["as_path"] == "24482 174 26077 64514" for e in b["evidence"]), b["evidence"]
assert all(e["file"].endswith("updates.20160811.1600.gz") and e["offset"] > 0 for e in b["evidence"])
assert not any(i["prefix"].startswith("84.205.") for i in d["incidents"]), "RIS beacons are not incidents"
# IPv6 routes are not judged on the IPv4 as-rel
assert not any(i["class"] in ("route-leak", "hijack-path") and ":" in i["prefix"] for i in d["incidents"])
# stale IRR objects alone (RIPE non-auth objects for AFRINIC space, e.g. 41.223.204.0/22
# registered to another origin than AS36958 which announces it) are not hijacks
assert not any(i["class"] == "hijack-origin" for i in d["incidents"]), [i["prefix"] for i in d["incidents"] if i["class"] == "hijack-origin"]
print("real data: %d incidents, %d networks" % (len(d["incidents"]), len(d["networks"])))
PY
