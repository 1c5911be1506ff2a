#!/bin/sh
# manrs antispoof end to end: every output format pinned byte for byte on a small
# hand-built case (tests/antispoof/), the nftables output checked by `nft -c` when
# nft is installed, the permit list for real customer cones (CAIDA as-rel 20161101,
# RIPE-NONAUTH route/route6) equal to an independent Python computation
# (tests/antispoof_ref.py), and bad input: unknown AS / as-set, usage errors.
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:-.}
DATA=${MANRS_DATA:-../shared/data}
TMP=${MANRS_TMP:-/tmp}/antispoof.$$
mkdir -p "$TMP"
D="$SRC/tests/antispoof"
fail=0; pass=0
ok() { pass=$((pass+1)); echo "ok   $1"; }
ko() { fail=$((fail+1)); echo "FAIL $1"; }

# 1. pinned outputs (run from the test directory so that provenance shows the same file names)
for f in ios junos eos nftables json; do
    (cd "$D" && "$BIN" antispoof --customer AS64500 --asrel small.asrel --irr small.db --vrps small.csv \
        --local-as 65000 --extra 45.255.0.0/31 --interface eth1 --format $f) > "$TMP/out.$f" 2> "$TMP/err.$f"
    rc=$?
    if [ $rc = 0 ] && cmp -s "$TMP/out.$f" "$D/expected.$f"; then ok "format $f pinned"
    else ko "format $f (rc $rc):"; diff "$D/expected.$f" "$TMP/out.$f" | head -20; cat "$TMP/err.$f"; fi
done
(cd "$D" && "$BIN" antispoof --edge AS64500 --asrel small.asrel --irr small.db --vrps small.csv --interface eth2 \
    --format nftables) > "$TMP/edge.nft"
if cmp -s "$TMP/edge.nft" "$D/expected-edge.nftables"; then ok "edge egress nftables pinned"
else ko "edge egress nftables"; diff "$D/expected-edge.nftables" "$TMP/edge.nft" | head -20; fi
if /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out.json" 2>/dev/null; then ok "json parses"
else ko "json does not parse"; fi

# 2. nftables syntax (nft -c parses and checks without applying)
if command -v nft >/dev/null 2>&1; then
    for f in "$TMP/out.nftables" "$TMP/edge.nft"; do
        if nft -c -f "$f" > "$TMP/nft.err" 2>&1; then ok "nft -c accepts $(basename "$f")"
        elif grep -qi "operation not permitted\|permission denied" "$TMP/nft.err"; then
            echo "skip nft -c $(basename "$f"): needs privileges this sandbox lacks: $(head -1 "$TMP/nft.err")"
        else ko "nft -c rejects $(basename "$f")"; cat "$TMP/nft.err"; fi
    done
else
    echo "skip nft -c: nftables not installed (apt-get install nftables)"
fi

# 3. bad input
"$BIN" antispoof --customer AS4200000000 --asrel "$D/small.asrel" --irr "$D/small.db" > /dev/null 2> "$TMP/e1"; rc=$?
if [ $rc = 1 ] && grep -q "unknown AS AS4200000000: not in the as-rel data, no route/route6 object" "$TMP/e1"; then ok "unknown AS: exit 1"
else ko "unknown AS: rc $rc $(cat "$TMP/e1")"; fi
"$BIN" antispoof --customer AS-NOPE --irr "$D/small.db" > /dev/null 2> "$TMP/e2"; rc=$?
if [ $rc = 1 ] && grep -q "as-set AS-NOPE not found in the IRR sources searched (TEST)" "$TMP/e2"; then ok "unknown as-set: exit 1"
else ko "unknown as-set: rc $rc $(cat "$TMP/e2")"; fi
"$BIN" antispoof --customer AS64500 > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "no prefix source: exit 2" || ko "no prefix source: rc $rc"
"$BIN" antispoof --customer AS64500 --edge AS64500 --irr "$D/small.db" > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "customer and edge: exit 2" || ko "customer and edge: rc $rc"
"$BIN" antispoof --customer AS64500 --irr "$D/small.db" --format cisco > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "bad format: exit 2" || ko "bad format: rc $rc"
"$BIN" antispoof --customer AS64500 --irr /nonexistent/x.db > /dev/null 2>&1; rc=$?
[ $rc = 1 ] && ok "missing file: exit 1" || ko "missing file: rc $rc"
"$BIN" antispoof --customer AS64500 --irr "$D/small.db" --extra 45.0.0.1/24 > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "extra with host bits: exit 2" || ko "extra with host bits: rc $rc"

"$BIN" antispoof --customer AS64500 --irr "$D/small.db" --format nftables --interface 'eth1" accept; #' > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "interface name that would break out of the nft string: exit 2" || ko "hostile interface name: rc $rc"

# 3b. IPv6 (and IPv4) the data cannot vouch for: said on stderr, in the header, in JSON
grep -q "warning" "$TMP/err.ios" && ko "warning on the complete fixture: $(cat "$TMP/err.ios")" || ok "complete fixture: no warning"
printf 'route: 45.10.0.0/24\norigin: AS64500\nsource: TEST\n\nroute: 45.10.1.0/24\norigin: AS64501\nsource: TEST\n' \
    > "$TMP/no6.db"   # small.db without its route6 object: as if only the route dump were given
W6="no IPv6 source prefix: the IRR data given holds no route6 objects (add the route6 dump, e.g. --irr ripe.db.route6.gz) and no VRP, MRT route or --extra gives one: the filter drops every IPv6 packet from AS64500"
"$BIN" antispoof --customer AS64500 --asrel "$D/small.asrel" --irr "$TMP/no6.db" > "$TMP/w.ios" 2> "$TMP/w.err"; rc=$?
if [ $rc = 0 ] && grep -qxF "manrs antispoof: warning: $W6" "$TMP/w.err" && grep -qxF "! warning: $W6" "$TMP/w.ios" \
   && [ "$(grep -c warning "$TMP/w.err")" = 1 ]; then ok "no route6 data: said on stderr and in the header"
else ko "no route6 data: rc $rc"; cat "$TMP/w.err"; fi
"$BIN" antispoof --customer AS64500 --asrel "$D/small.asrel" --irr "$TMP/no6.db" --format json 2>/dev/null \
    | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["warnings"])' > "$TMP/w.json"
[ "$(cat "$TMP/w.json")" = "['$W6']" ] && ok "no route6 data: JSON warnings" || ko "no route6 data JSON: $(cat "$TMP/w.json")"
# an IPv6 ROA of the cone keeps some IPv6, but the route6 dump is still missing
printf 'ASN,IP Prefix,Max Length,Trust Anchor\nAS64501,2a0b:2000::/32,32,ripe\n' > "$TMP/v6.csv"
"$BIN" antispoof --customer AS64500 --asrel "$D/small.asrel" --irr "$TMP/no6.db" --vrps "$TMP/v6.csv" > /dev/null 2> "$TMP/w.err"; rc=$?
if [ $rc = 0 ] && grep -qxF "manrs antispoof: warning: the IRR data given holds no route6 objects (add the route6 dump, e.g. --irr ripe.db.route6.gz): the IPv6 permits come from VRPs, MRT routes and --extra only and may miss prefixes of AS64500" "$TMP/w.err"
then ok "no route6 data, IPv6 from a ROA: said"; else ko "no route6 data + ROA: rc $rc"; cat "$TMP/w.err"; fi
# route6 data given, but a cone AS has IPv6 only in its ROA
"$BIN" antispoof --customer AS64500 --asrel "$D/small.asrel" --irr "$D/small.db" --vrps "$TMP/v6.csv" > /dev/null 2> "$TMP/w.err"; rc=$?
if [ $rc = 0 ] && grep -qxF "manrs antispoof: warning: 1 AS of the cone has IPv6 prefixes from VRPs or MRT routes but no route6 object (e.g. AS64501, 2a0b:2000::/32): permitted from those sources only; without --vrps/--rib they would be dropped" "$TMP/w.err" \
   && [ "$(grep -c warning "$TMP/w.err")" = 1 ]; then ok "IPv6 in a ROA without route6 object: said"
else ko "IPv6 ROA without route6: rc $rc"; cat "$TMP/w.err"; fi
# no IRR at all and no IPv6 anywhere
"$BIN" antispoof --customer AS64500 --asrel "$D/small.asrel" --vrps "$D/small.csv" > /dev/null 2> "$TMP/w.err"; rc=$?
if [ $rc = 0 ] && grep -qxF "manrs antispoof: warning: no IPv6 source prefix for AS64500 in the data given: the filter drops every IPv6 packet from it" "$TMP/w.err"
then ok "no IPv6 in the data given: said"; else ko "no IPv6 at all: rc $rc"; cat "$TMP/w.err"; fi

# 4. real data: permit list of real cones = independent Python computation
ASREL="$DATA/asrel/20161101.as-rel.txt.bz2"
R4="$DATA/irr/ripe-nonauth.db.route.gz"; R6="$DATA/irr/ripe-nonauth.db.route6.gz"
if [ -f "$ASREL" ] && [ -f "$R4" ] && [ -f "$R6" ]; then
    for as in AS36965 AS6812 AS7849 AS12510; do
        "$BIN" antispoof --customer $as --asrel "$ASREL" --irr "$R4" --irr "$R6" --format json 2>/dev/null \
            | /usr/bin/python3 -c 'import json,sys; [print(p["prefix"]) for p in json.load(sys.stdin)["permit"]]' > "$TMP/got.$as"
        /usr/bin/python3 "$SRC/tests/antispoof_ref.py" $as "$ASREL" "$R4" "$R6" > "$TMP/ref.$as" 2>/dev/null
        n=$(wc -l < "$TMP/ref.$as")
        if [ "$n" -gt 0 ] && cmp -s "$TMP/got.$as" "$TMP/ref.$as"; then ok "real cone $as: $n aggregates match Python"
        else ko "real cone $as"; diff "$TMP/ref.$as" "$TMP/got.$as" | head; fi
    done
    VRPS="$DATA/rpki/roas.csv"
    if [ -f "$VRPS" ]; then
        "$BIN" antispoof --customer AS36958 --asrel "$ASREL" --irr "$R4" --irr "$R6" --vrps "$VRPS" --format json 2>/dev/null \
            | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); [print(p["prefix"]) for p in j["permit"]]; print("roa", j["counts"]["roa"])' > "$TMP/got.roa"
        /usr/bin/python3 "$SRC/tests/antispoof_ref.py" AS36958 "$ASREL" --vrps "$VRPS" "$R4" "$R6" > "$TMP/ref.roa" 2>/dev/null
        echo "roa $(grep -cE ',AS(36958|36867|327861),' "$VRPS")" >> "$TMP/ref.roa"
        if cmp -s "$TMP/got.roa" "$TMP/ref.roa"; then ok "real cone AS36958 with ROAs: $(tail -1 "$TMP/ref.roa"), aggregates match Python"
        else ko "real cone AS36958 with ROAs"; diff "$TMP/ref.roa" "$TMP/got.roa" | head; fi
    fi
    # AS3356's cone (47k ASes in 2016): same size as a Python BFS
    got=$("$BIN" antispoof --customer AS3356 --asrel "$ASREL" --irr "$R4" --format json 2>/dev/null \
        | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cone"]))')
    ref=$(/usr/bin/python3 - "$ASREL" <<'PY'
import bz2, sys, collections
c = collections.defaultdict(list)
for l in bz2.open(sys.argv[1], 'rt'):
    if not l.startswith('#'):
        a, b, r = l.strip().split('|')[:3]
        if r == '-1':
            c[a].append(b)
s, t = {'3356'}, ['3356']
while t:
    for y in c[t.pop()]:
        if y not in s:
            s.add(y); t.append(y)
print(len(s))
PY
)
    [ "$got" = "$ref" ] && ok "AS3356 cone: $got ASes, as Python" || ko "AS3356 cone: $got, Python $ref"
    # the cone of AS36965 is multihomed elsewhere: EFP-uRPF algorithm B without --local-as
    m=$("$BIN" antispoof --customer AS36965 --asrel "$ASREL" --irr "$R4" --format json 2>/dev/null \
        | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin)["urpf"]; print(j["mode"], j["reason"])')
    [ "$m" = "efp-b multihomed-local-as-unknown" ] && ok "AS36965 uRPF: $m" || ko "AS36965 uRPF: $m"
else
    echo "skip real data: $ASREL or RIPE-NONAUTH route dumps not found"
fi
# 5. --rib: prefixes seen with the customer's origin in a real RIB = bgpdump's view, aggregated by Python
MRT="$DATA/mrt/bview.20020722.2337.gz"
if [ -f "$MRT" ] && command -v bgpdump >/dev/null 2>&1; then
    "$BIN" antispoof --customer AS3464 --rib "$MRT" --format json 2>/dev/null \
        | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); [print(p["prefix"]) for p in j["permit"]]; print("entries", j["counts"]["rib_entries"])' > "$TMP/got.rib"
    bgpdump -m "$MRT" 2>/dev/null | awk -F'|' '{n=split($7,a," "); if (a[n]=="3464") print $6}' \
        | /usr/bin/python3 -c 'import sys,ipaddress; n=[ipaddress.ip_network(l.strip()) for l in sys.stdin]; [print(x) for x in ipaddress.collapse_addresses(n)]; print("entries", len(n))' > "$TMP/ref.rib"
    if [ "$(wc -l < "$TMP/ref.rib")" -gt 2 ] && cmp -s "$TMP/got.rib" "$TMP/ref.rib"; then ok "--rib AS3464: $(tail -1 "$TMP/ref.rib"), aggregates match bgpdump+Python"
    else ko "--rib AS3464"; diff "$TMP/ref.rib" "$TMP/got.rib" | head; fi
else
    echo "skip --rib check: $MRT or bgpdump missing"
fi
rm -rf "$TMP"
echo "antispoof: $pass passed, $fail failed"
[ $fail = 0 ]
