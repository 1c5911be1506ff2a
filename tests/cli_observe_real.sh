#!/bin/sh
# cli_observe_real.sh — `manrs observe` on real data (../shared/data): RIPE RIS
# updates of 2016-08-11 16:00-16:05 with CAIDA as-rel 2016-11-01, ROAs and RIPE
# IRR route objects: completes with --strict (no decode error), and finds the
# hand-checked incidents: AS64514 (private, RFC 6996) left in the path behind
# AS26077 for 107.178.10.0/24 (bogon-asn, culprit 26077, seen at 2 peers); the RIPE
# RIS beacons (84.205.73.0/24, 84.205.76.0/24 from AS12654) are not forged paths.
# Every high-confidence incident on these real files is reviewed in
# tests/real/verdicts.tsv (tests/oracle/check_verdicts.py): a new one fails until it
# is reviewed, a documented one must not disappear.
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
# the IRR dump is of late 2023 (newest object changed 2023-10-10): seven years off
grep -q "warning: --irr .*ripe-nonauth.db.route.gz: newest object changed 2023-10-10, 2615 days from the routing data (2016-08-11)" \
    "$T/err" || { echo "FAIL: no period warning for --irr"; cat "$T/err"; exit 1; }
python3 - "$T/r.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
assert any(w.startswith("--irr ") for w in d["warnings"]), d["warnings"]
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
# no RIB, no updates before the window: nothing that rests on a change is high
assert d["window"]["baseline"] is False
assert all(i["confidence"] == "low" for i in d["incidents"] if i["class"] in ("route-leak", "hijack-path")), "no baseline"
print("real data: %d incidents, %d networks" % (len(d["incidents"]), len(d["networks"])))
PY
V="$MANRS_SRC/tests/real/verdicts.tsv"
python3 "$MANRS_SRC/tests/oracle/check_verdicts.py" "$V" ris-2016 "$T/r.json" || exit 1

# RIS rrc05, 2002-07-22: one hour of updates and a RIB dumped after them (no
# baseline: read in its place in time), then the RIB alone (a snapshot). Both with
# the only as-rel there is, 2016's: 14 years away, a warning.
B="$D/mrt/bview.20020722.2337.gz"; U="$D/mrt/updates.20020722.2238.gz"
if [ -f "$B" ] && [ -f "$U" ]; then
    "$MANRS_BIN" observe --updates "$U" --rib "$B" --asrel "$D/asrel/20161101.as-rel.txt.bz2" --no-db \
        --json "$T/r2002.json" 2>"$T/err2002" || { echo "FAIL: observe rrc05 2002"; cat "$T/err2002"; exit 1; }
    grep -q "warning: --asrel .*days from the routing data (2002-07-22)" "$T/err2002" \
        || { echo "FAIL: no period warning"; cat "$T/err2002"; exit 1; }
    python3 "$MANRS_SRC/tests/oracle/check_verdicts.py" "$V" rrc05-2002 "$T/r2002.json" || exit 1
    "$MANRS_BIN" observe --rib "$B" --no-db --json "$T/r2002rib.json" 2>"$T/err2002rib" \
        || { echo "FAIL: observe rrc05 2002 RIB alone"; cat "$T/err2002rib"; exit 1; }
    python3 "$MANRS_SRC/tests/oracle/check_verdicts.py" "$V" rrc05-2002-rib "$T/r2002rib.json" || exit 1
    # --strict-period turns the warning into an error
    "$MANRS_BIN" observe --rib "$B" --asrel "$D/asrel/20161101.as-rel.txt.bz2" --strict-period --no-db -q 2>"$T/errsp"
    [ $? -eq 1 ] && grep -q "strict-period" "$T/errsp" || { echo "FAIL: --strict-period"; cat "$T/errsp"; exit 1; }
    # delegated stats of 2023 (header enddate) and a PeeringDB dump generated in 2024:
    # two decades away, two warnings; none for a PeeringDB file that does not say when
    DEL="$D/misc/delegated-afrinic-extended-latest"
    if [ -f "$DEL" ]; then
        printf '{"meta":{"generated":1718000000},"data":[{"asn":3333,"poc_set":[]}]}' > "$T/pdb_dated.json"
        printf '{"meta":{},"data":[{"asn":3333,"updated":"2024-06-10T00:00:00Z","poc_set":[]}]}' > "$T/pdb_undated.json"
        "$MANRS_BIN" observe --rib "$B" --delegated "$DEL" --peeringdb "$T/pdb_dated.json" --no-db -q 2>"$T/errdel"
        grep -q "warning: --delegated .*: delegations as of 2023-03-23, .* days from the routing data (2002-07-22)" "$T/errdel" \
            && grep -q "warning: --peeringdb .*: a dump of 2024-06-10, .* days from the routing data" "$T/errdel" \
            || { echo "FAIL: no period warning for --delegated / --peeringdb"; cat "$T/errdel"; exit 1; }
        "$MANRS_BIN" observe --rib "$B" --peeringdb "$T/pdb_undated.json" --no-db -q 2>"$T/errpu"
        ! grep -q "warning: --peeringdb" "$T/errpu" || { echo "FAIL: an undated PeeringDB file has no period"; exit 1; }
        "$MANRS_BIN" observe --rib "$B" --delegated "$DEL" --strict-period --no-db -q 2>/dev/null
        [ $? -eq 1 ] || { echo "FAIL: --strict-period with delegated stats of 2023"; exit 1; }
    fi
else
    echo "note: $B or $U not found: the 2002 cases are skipped"
fi
