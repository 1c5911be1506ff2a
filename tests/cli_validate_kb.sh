#!/bin/sh
# manrs validate with every knowledge base at once, on real data: IRR route objects
# (RIPE-NONAUTH), CAIDA AS relationships, AFRINIC delegated stats and the built-in bogon
# registries. Expected values were checked by hand against the files (grep).
set -u
D=${MANRS_DATA:-../shared/data}
BIN=${MANRS_BIN:?}
for f in irr/ripe-nonauth.db.route.gz asrel/20161101.as-rel.txt.bz2 misc/delegated-afrinic-extended-latest; do
    [ -f "$D/$f" ] || { echo "SKIP: real data file $D/$f not found"; exit 77; }
done
out=$(printf '%s\n' \
    '63.105.192.0/20 3356 4663' \
    '63.105.192.0/24 3356 4663' \
    '63.105.192.0/20 3356 666' \
    '10.0.0.0/8 3356 64512 65000' \
    '102.192.0.0/16 3356 37100' \
    '8.8.8.0/24 3356 174 1299 15169' \
    'not-a-prefix 3356' \
  | "$BIN" validate --json --irr "$D/irr/ripe-nonauth.db.route.gz" --asrel "$D/asrel/20161101.as-rel.txt.bz2" \
      --delegated "$D/misc/delegated-afrinic-extended-latest" 2>/tmp/validate-kb.err.$$)
rc=$?
/usr/bin/python3 - "$out" "$rc" /tmp/validate-kb.err.$$ <<'PY'
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines()]
rc = int(sys.argv[2]); err = open(sys.argv[3]).read()
fails = []
def check(cond, what):
    if not cond: fails.append(what)
check(len(lines) == 6, "6 results for 6 good lines (got %d)" % len(lines))
L = {i + 1: l for i, l in enumerate(lines)}
for l in lines:
    for k in ("prefix", "origin", "rov", "aspa", "irr", "bogon"):
        check(k in l, "key %s in line %d" % (k, l["line"]))
check(L[1]["irr"] == "valid" and L[1]["irr_evidence"][0]["source"] == "RIPE-NONAUTH" and L[1]["irr_evidence"][0]["prefix"] == "63.105.192.0/20", "exact route object")
check(L[2]["irr"] == "valid-covered", "covering route object: %s" % L[2]["irr"])
check(L[3]["irr"] == "invalid-origin" and L[3]["irr_evidence"][0]["origin"] == 4663, "wrong origin: %s" % L[3]["irr"])
check(L[4]["bogon"]["prefix"] == "bogon" and L[4]["bogon"]["entry"]["source"] == "RFC 1918", "RFC 1918 bogon")
check([a["asn"] for a in L[4]["bogon"]["asns"]] == [64512, 65000] and L[4]["bogon"]["asns"][0]["source"] == "RFC 6996", "bogon ASNs")
check(L[5]["bogon"]["prefix"] == "unallocated" and L[5]["bogon"]["delegated"]["status"] == "available", "AFRINIC available space: %s" % L[5]["bogon"])
check(L[6]["valley_free"] == "violation" and L[6]["leaker"] == 1299 and L[6]["leak_type"] == 2, "lateral leak: AS1299 passed a peer route to its peer AS174: %s" % L[6].get("valley_free"))
check(L[1]["rov"] == "not-found", "no VRPs: not-found")
check(rc == 1 and "-:7: bad prefix" in err, "bad line reported as -:7 and exit 1 (rc=%d, err=%r)" % (rc, err[:200]))
for f in fails: print("FAIL", f)
print("validate kb: %d passed, %d failed" % (11 - len(fails), len(fails)))
sys.exit(1 if fails else 0)
PY
st=$?
rm -f /tmp/validate-kb.err.$$
exit $st
