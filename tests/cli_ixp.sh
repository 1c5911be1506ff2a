#!/bin/sh
# manrs ixp on the real route-server dumps of ../shared/data/mrt (NL-ix, NAMEX):
# - the pinned expectation: with the MANRS IXP validation tool's own test ROAs the
#   NL-ix dump (23 RIB entries) has exactly ONE rpki-invalid route, 185.186.79.0/24
#   from AS136258 (peer 193.239.116.255 AS34307, path 9009 136258) with its two
#   covering VRPs, and 185.186.11.0/24 AS26695 is valid;
# - route counts, per-peer counts and every finding's (peer, prefix, path) against
#   bgpdump -m, and each rule-based class (too-specific but BLACKHOLE, bogon ASNs,
#   AS_SET, first AS, transit-free) recomputed from bgpdump's lines, on NL-ix and
#   both NAMEX dumps: the finding sets must be equal;
# - --rs-asn (the RS's own session), --members (names, as-set, FILE:LINE for bad
#   lines), --transit-free (=LIST replaces, '=' turns the check off), a gzip copy
#   gives the same findings;
# - exit status (manrs.1's one rule, as check): 0 conformant, 3 findings of a required
#   class, 1 an input that cannot be read or holds no records, 2 usage error.
set -u
BIN=${MANRS_BIN:?}
DATA=${MANRS_DATA:-}
TMP=${MANRS_TMP:-/tmp}/ixp.$$
NLIX=$DATA/mrt/185.186.nlix.mrt
N4=$DATA/mrt/namex-bgpd-rib-inet.mrt
N6=$DATA/mrt/namex-bgpd-rib-inet6.mrt
for f in "$NLIX" "$N4" "$N6"; do
    [ -f "$f" ] || { echo "SKIP: $f not found (../shared/data absent)"; exit 77; }
done
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
command -v bgpdump >/dev/null || { echo "SKIP: bgpdump not installed"; exit 77; }
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

cat > "$TMP/vrps.json" <<'EOF'
{"roas":[
{"asn":"AS64496","prefix":"185.186.79.0/24","maxLength":28,"ta":"test"},
{"asn":"AS64497","prefix":"185.186.79.0/24","maxLength":24,"ta":"test"},
{"asn":"AS26695","prefix":"185.186.11.0/24","maxLength":32,"ta":"test"},
{"asn":"AS64498","prefix":"2001:db8::/32","maxLength":64,"ta":"test"},
{"asn":"AS0","prefix":"2001:db8::/33","maxLength":64,"ta":"test"}]}
EOF

# --- the pinned expectation
"$BIN" ixp --rs-rib "$NLIX" --vrps "$TMP/vrps.json" --json >"$TMP/nlix.json" 2>"$TMP/err"; rc=$?
[ $rc = 3 ] && ok "NL-ix with the test VRPs: exit 3" || bad "NL-ix with the test VRPs: exit $rc $(head -3 "$TMP/err")"
python3 - "$TMP/nlix.json" <<'PY' && ok "NL-ix: exactly one rpki-invalid (185.186.79.0/24 AS136258), 185.186.11.0/24 valid" || bad "NL-ix rpki-invalid"
import json, sys
d = json.load(open(sys.argv[1]))
inv = [f for f in d["findings"] if f["class"] == "rpki-invalid"]
assert len(inv) == 1, inv
f = inv[0]
assert (f["prefix"], f["origin"], f["as_path"], f["peer_ip"], f["peer_asn"]) == \
    ("185.186.79.0/24", 136258, "9009 136258", "193.239.116.255", 34307), f
assert [(v["prefix"], v["asn"], v["maxLength"]) for v in f["covering_vrps"]] == \
    [("185.186.79.0/24", 64496, 28), ("185.186.79.0/24", 64497, 24)], f
assert f["file"].endswith("185.186.nlix.mrt") and f["offset"] > 0
assert d["summary"]["findings"]["rpki-invalid"] == 1
assert d["actions"]["action2"]["indicators"] == {"rpki_valid": 1, "rpki_invalid": 1, "rpki_not_found": 21}
assert not [x for x in d["findings"] if x["prefix"] == "185.186.11.0/24" and x["class"] == "rpki-invalid"]
assert d["actions"]["action1"]["verdict"] == "not-conformant"
assert d["summary"]["routes"] == 23
PY
"$BIN" ixp --rs-rib "$NLIX" --vrps "$TMP/vrps.json" >"$TMP/nlix.txt" 2>/dev/null
grep -q 'RPKI invalid: prefix 185.186.79.0/24 from origin AS136258, received from peer 193.239.116.255 AS34307, AS path 9009 136258, covering VRPs 185.186.79.0/24 AS64496 max 28; 185.186.79.0/24 AS64497 max 24' "$TMP/nlix.txt" &&
    grep -q 'NOT CONFORMANT' "$TMP/nlix.txt" && ok "NL-ix table: the finding line and the verdict" || bad "NL-ix table: $(grep 'RPKI invalid' "$TMP/nlix.txt")"

# --- every dump against bgpdump -m and the rules recomputed from its lines
check_dump() {   # NAME JSON FILES...
    name=$1; json=$2; shift 2
    : >"$TMP/$name.ref"
    for f in "$@"; do bgpdump -m "$f" 2>/dev/null >>"$TMP/$name.ref"; done
    python3 - "$json" "$TMP/$name.ref" <<'PY' && ok "$name: routes, peers and every finding class agree with bgpdump -m" || bad "$name: disagreement with bgpdump -m"
import ipaddress, json, sys
from collections import Counter
d = json.load(open(sys.argv[1]))
ref = [l.rstrip("\n").split("|") for l in open(sys.argv[2]) if l.startswith("TABLE_DUMP")]
assert d["summary"]["routes"] == len(ref), (d["summary"]["routes"], len(ref))
TRANS = 23456
def member(r):
    path = r[6].split()
    if int(r[4]) == TRANS or int(r[4]) == RS:
        return path[0] if path and not path[0].startswith("{") else "0"
    return r[4]
RS = d.get("_rs", 0)
for m in d["members"]:
    if m["via_rs_session"] and m["peer_asn"] != TRANS:
        RS = m["peer_asn"]
got = Counter()
for m in d["members"]:
    got[(m["peer_ip"], str(m["peer_asn"]), str(m["asn"]))] += m["routes"]
want = Counter((r[3], r[4], member(r)) for r in ref)
assert got == want, (got - want, want - got)
# every finding is a line of bgpdump (peer, prefix, path)
lines = {(r[3], r[5], r[6]) for r in ref}
for f in d["findings"]:
    assert (f["peer_ip"], f["prefix"], f["as_path"]) in lines, f
# the rule-based classes, recomputed
def asns(p):
    return [int(x) for x in p.replace("{", " ").replace("}", " ").replace(",", " ").split()]
def bogon_asn(a):
    return a == 0 or a == 23456 or 64496 <= a <= 131071 or a >= 4200000000
T1 = {174, 701, 1299, 2914, 3257, 3320, 3356, 3491, 4134, 5511, 6453, 6461, 6762, 6830, 7018}
exp = {c: set() for c in ("too-specific", "bogon-asn", "as-set-in-path", "first-as-not-peer", "transit-free-in-path")}
for r in ref:
    key = (r[3], r[5], r[6])
    net = ipaddress.ip_network(r[5])
    if net.prefixlen > (24 if net.version == 4 else 48) and "65535:666" not in r[11].split():
        exp["too-specific"].add(key)
    a = asns(r[6])
    if any(bogon_asn(x) for x in a):
        exp["bogon-asn"].add(key)
    if "{" in r[6]:
        exp["as-set-in-path"].add(key)
    via = int(r[4]) in (TRANS, RS)
    if not via and (not r[6] or r[6].split()[0] != r[4]):
        exp["first-as-not-peer"].add(key)
    m = int(member(r)) if member(r).isdigit() else 0
    if any(x in T1 and x != m for x in a[1:]):
        exp["transit-free-in-path"].add(key)
for c, want in exp.items():
    have = {(f["peer_ip"], f["prefix"], f["as_path"]) for f in d["findings"] if f["class"] == c}
    assert have == want, (c, sorted(have - want)[:5], sorted(want - have)[:5])
    assert d["summary"]["findings"][c] == len(want), c
PY
}
check_dump nlix "$TMP/nlix.json" "$NLIX"
"$BIN" ixp --rs-rib "$NLIX" --rs-asn 34307 --json >"$TMP/nlix-rs.json" 2>/dev/null; rc=$?
[ $rc = 0 ] && ok "NL-ix --rs-asn 34307, no VRPs: exit 0 (only recommended classes)" || bad "NL-ix --rs-asn: exit $rc"
check_dump nlix-rs "$TMP/nlix-rs.json" "$NLIX"
"$BIN" ixp --rs-rib "$N4" --rs-rib "$N6" --json >"$TMP/namex.json" 2>"$TMP/err"; rc=$?
[ $rc = 3 ] && ok "NAMEX: exit 3 (bogon ASNs)" || bad "NAMEX: exit $rc $(head -3 "$TMP/err")"
check_dump namex "$TMP/namex.json" "$N4" "$N6"
python3 - "$TMP/namex.json" "$TMP/nlix-rs.json" <<'PY' && ok "NAMEX and NL-ix: the documented counts (docs/ixp.md)" || bad "documented counts changed"
import json, sys
n = json.load(open(sys.argv[1]))["summary"]
assert n["routes"] == 3858 and n["members"] == 151 and n["blackhole_routes"] == 1, n
f = n["findings"]
assert f["bogon-asn"] == 3 and f["too-specific"] == 0 and f["bogon-prefix"] == 0 and f["first-as-not-peer"] == 0, f
assert f["rpki-invalid"] is None and f["irr-no-route-object"] is None, f
l = json.load(open(sys.argv[2]))
assert l["summary"]["members"] == 10 and l["summary"]["findings"]["as-set-in-path"] == 1, l["summary"]
assert l["summary"]["findings"]["first-as-not-peer"] == 0
PY

# --- the hint without --rs-asn
"$BIN" ixp --rs-rib "$NLIX" >"$TMP/t" 2>/dev/null
grep -q 'give --rs-asn 34307' "$TMP/t" && ok "NL-ix without --rs-asn: the hint" || bad "no --rs-asn hint"

# --- a compressed copy: the same findings
gzip -c "$NLIX" >"$TMP/nlix.mrt.gz"
"$BIN" ixp --rs-rib "$TMP/nlix.mrt.gz" --vrps "$TMP/vrps.json" --json >"$TMP/gz.json" 2>/dev/null
python3 - "$TMP/nlix.json" "$TMP/gz.json" <<'PY' && ok "gzip copy: same findings and offsets" || bad "gzip copy differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
k = lambda d: sorted((f["class"], f["prefix"], f["as_path"], f["offset"]) for f in d["findings"])
assert k(a) == k(b) and a["summary"] == b["summary"]
PY

# --- --members: names and as-sets, a bad line reported as FILE:LINE and skipped
printf '# test members\n9009 AS-M247 M247 Ltd\n8529 - Omantel\nnot-an-asn\n9009 AS-DUP\n' >"$TMP/members.txt"
"$BIN" ixp --rs-rib "$NLIX" --rs-asn 34307 --members "$TMP/members.txt" --json >"$TMP/m.json" 2>"$TMP/err"; rc=$?
[ $rc = 0 ] && grep -q "members.txt:4: 'not-an-asn' is not an AS number" "$TMP/err" &&
    grep -q "members.txt:5: AS9009 is already listed at line 2" "$TMP/err" &&
    grep -q "2 bad lines skipped" "$TMP/err" && ok "--members: bad lines as FILE:LINE, skipped, run goes on" ||
    bad "--members: exit $rc: $(cat "$TMP/err")"
python3 - "$TMP/m.json" <<'PY' && ok "--members: names and as-set in the member list" || bad "--members: names"
import json, sys
d = json.load(open(sys.argv[1]))
m = {x["asn"]: x for x in d["members"]}
assert m[9009]["name"] == "M247 Ltd" and m[9009]["as_set"] == "AS-M247", m[9009]
assert m[8529]["name"] == "Omantel" and m[8529]["as_set"] is None
assert m[6939]["name"] is None
PY

# --- --transit-free
"$BIN" ixp --rs-rib "$NLIX" --rs-asn 34307 --transit-free =28885 --json >"$TMP/t1.json" 2>/dev/null
"$BIN" ixp --rs-rib "$NLIX" --rs-asn 34307 --transit-free = --json >"$TMP/t0.json" 2>/dev/null
python3 - "$TMP/t1.json" "$TMP/t0.json" <<'PY' && ok "--transit-free =28885 flags the 3 routes through it; '=' turns the check off" || bad "--transit-free"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["summary"]["findings"]["transit-free-in-path"] == 3, a["summary"]
assert b["summary"]["findings"]["transit-free-in-path"] is None
PY

# --- exit status 1 (input errors) and 2 (usage errors)
: >"$TMP/empty.mrt"
while IFS='|' read -r want what args; do
    # shellcheck disable=SC2086
    eval "\"\$BIN\" ixp $args" >"$TMP/out" 2>"$TMP/err"; rc=$?
    [ $rc = "$want" ] && [ ! -s "$TMP/out" ] && [ -s "$TMP/err" ] && ok "$what: exit $want" || bad "$what: exit $rc, want $want"
done <<EOF
2|no --rs-rib|--vrps "$TMP/vrps.json"
2|bad option|--rs-rib "$NLIX" --bogus
2|bad --rs-asn|--rs-rib "$NLIX" --rs-asn ASx
2|bad --transit-free|--rs-rib "$NLIX" --transit-free 1,x
2|stray argument|"$NLIX"
1|missing file|--rs-rib "$TMP/nonexistent.mrt"
1|empty file|--rs-rib "$TMP/empty.mrt"
1|unreadable VRPs|--rs-rib "$NLIX" --vrps "$TMP/nonexistent.json"
1|missing members file|--rs-rib "$NLIX" --members "$TMP/nonexistent.txt"
EOF
"$BIN" ixp --rs-rib "$TMP/empty.mrt" 2>&1 | grep -q "empty.mrt: no records" && ok "empty file: FILE: no records" || bad "empty file message"
exit $fail
