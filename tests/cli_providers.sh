#!/bin/sh
# `manrs providers ASN` (docs/providers.md), end to end:
# - a simulated world: for the propagators of true incidents (truth.json, found at
#   high confidence by `manrs observe`) that are participants, a customer of theirs
#   lists them as providers, the exposure lists the incident (same class and
#   prefix) through them, and each provider's
#   conformance is exactly `manrs conformance --format json`'s for that participant
#   and ASN; the exit status is 3 exactly when a provider that is a participant is
#   not conformant (0 and 3 both seen); the state comes from --db (the store that
#   conformance wrote); JSON parses, the HTML page has no <script>;
# - exit statuses: 1 for an AS no input knows and an unreadable as-rel, 2 for usage;
# - the real CAIDA as-rel of 2016-11-01 alone (no routing data): AS3333's upstreams
#   are exactly the ASes of the lines "A|3333|-1" (bzcat + awk), all "as-rel", paths
#   "not given". SKIP (77) when ../shared/data is absent, after the rest.
set -u
BIN=${MANRS_BIN:?}
DATA=${MANRS_DATA:-}
TMP=${MANRS_TMP:-/tmp}/providers.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

# ---- a simulated world
W="$TMP/w"
"$BIN" sim --out "$W" --seed 1 >/dev/null 2>&1 || { echo "FAIL manrs sim"; exit 1; }
DB="$TMP/p.db"
"$BIN" conformance --participants "$W/participants.yml" --world "$W" --db "$DB" --format json \
    >"$TMP/conf.json" 2>"$TMP/conf.err"; r=$?
[ $r = 0 ] || [ $r = 3 ] && ok "conformance exit $r" || bad "conformance exit $r: $(head -c 300 "$TMP/conf.err")"

# the cases: (incident, provider, customer): a true incident (truth.json) that the
# observatory also found at high confidence (`manrs observe --json`), carried by a
# participant among the propagators of both, and a customer of that participant
# that is no incident's culprit nor this one's victim; at most 4 providers
"$BIN" observe --world "$W" --no-db --json "$TMP/obs.json" >/dev/null 2>"$TMP/obs.err" ||
    bad "observe: $(head -c 300 "$TMP/obs.err")"
python3 - "$W" "$TMP/conf.json" "$TMP/obs.json" >"$TMP/cases" <<'PY' || bad "no case in the world"
import json, sys
w, conf, obs = sys.argv[1:]
truth = json.load(open(w + "/truth.json"))
found = {}
for i in json.load(open(obs))["incidents"]:
    if i["confidence"] == "high":
        carried = set(i["propagators"]) | set(i.get("accomplices") or []) | {i["culprit"]}
        found.setdefault((i["class"], i["prefix"]), set()).update(carried)
part = {a["asn"] for p in json.load(open(conf))["participants"] for a in p["asns"]}
cust = {}
for line in open(w + "/asrel.txt"):
    if line.startswith("#"):
        continue
    a, b, rel = line.strip().split("|")[:3]
    if rel == "-1":
        cust.setdefault(int(a), []).append(int(b))
culprits = {i["culprit"] for i in truth["incidents"]}
seen = set()
for i in truth["incidents"]:
    if i["class"] not in ("route-leak", "hijack-origin", "hijack-subprefix", "hijack-path"):
        continue
    for p in i["propagators"]:
        cs = [c for c in sorted(cust.get(p, [])) if c not in culprits and c != i.get("victim")]
        if p in part and cs and p not in seen and p in found.get((i["class"], i["prefix"]), ()):
            seen.add(p)
            print(i["class"], i["prefix"], p, cs[0])
            break
    if len(seen) >= 4:
        break
if not seen:
    sys.exit(1)
PY
n=0
while read -r cls pfx prov cust; do
    n=$((n + 1))
    "$BIN" providers --world "$W" --participants "$W/participants.yml" --db "$DB" --format json "$cust" \
        >"$TMP/p$n.json" 2>"$TMP/p$n.err"; r=$?
    [ $r = 0 ] || [ $r = 3 ] || bad "providers AS$cust exit $r: $(head -c 300 "$TMP/p$n.err")"
    echo "$r" >"$TMP/p$n.rc"
    python3 - "$TMP/p$n.json" "$TMP/conf.json" "$cls" "$pfx" "$prov" "$cust" "$r" <<'PY' || fail=1
import json, sys
f, conf, cls, pfx, prov, cust, rc = sys.argv[1:]
prov, cust, rc = int(prov), int(cust), int(rc)
d = json.load(open(f))
c = json.load(open(conf))
bad = 0
def check(ok, what):
    global bad
    print(("ok   " if ok else "FAIL ") + "AS%d: %s" % (cust, what))
    bad |= not ok
check(d["asn"] == cust and d["inputs"]["paths"] and d["inputs"]["conformance_period"] == c["period"], "inputs")
ups = {u["asn"]: u for u in d["upstreams"]}
u = ups.get(prov)
check(u is not None and "as-rel" in u["sources"] and u["provider"], "AS%d listed as an as-rel provider" % prov)
hits = [x for x in d["exposure"] if x["provider"] == prov and x["incident"]["class"] == cls
        and x["incident"]["prefix"] == pfx]
check(len(hits) > 0, "exposure lists the true %s %s through AS%d" % (cls, pfx, prov))
check(all(x["incident"]["confidence"] == "high" for x in d["exposure"]), "high confidence only")
check(all(ups[x["provider"]]["provider"] for x in d["exposure"]), "exposure only through providers")
check(all(x["evidence"] is None or (x["evidence"]["file"] and x["evidence"]["as_path"]) for x in d["exposure"]),
      "evidence with MRT file and path")
# every upstream that is a participant: conformance exactly as `manrs conformance` says
byid = {p["id"]: p for p in c["participants"]}
failing = False
for a, up in ups.items():
    if not up["participant"]:
        check(up["conformance"] is None, "AS%d: not a participant, no verdict" % a)
        continue
    p = byid[up["participant"]["id"]]
    asn = [x for x in p["asns"] if x["asn"] == a]
    want = {str(v["action"]): v["verdict"] for v in asn[0]["actions"]} if asn else p["actions"]
    got = up["conformance"]
    check(got["outcome"] == p["outcome"] and got["actions"] == want,
          "AS%d (%s) conformance %s %s = conformance's %s %s" % (a, p["id"], got["outcome"], got["actions"],
                                                                 p["outcome"], want))
    st = up["state"]
    check(st is not None and st["state"] == p["enforcement"]["state"] and st["period"] == c["period"],
          "AS%d state %s from the store" % (a, st))
    if up["provider"] and (p["outcome"] == "not-conformant" or (st or {}).get("state") in ("notice", "grace", "suspended")):
        failing = True
check(d["failing"] == failing and rc == (3 if failing else 0), "exit %d, failing %s" % (rc, failing))
sys.exit(bad)
PY
done <"$TMP/cases"
[ "$n" -ge 2 ] && ok "$n customers checked" || bad "only $n customers checked"
# both exit statuses over a wider set of customers
python3 - "$W" >"$TMP/custs" <<'PY'
import sys
seen = []
for line in open(sys.argv[1] + "/asrel.txt"):
    if not line.startswith("#"):
        a, b, rel = line.strip().split("|")[:3]
        if rel == "-1" and int(b) not in seen:
            seen.append(int(b))
print(" ".join(str(x) for x in seen[:40]))
PY
got0=0 got3=0
for c in $(cat "$TMP/custs"); do
    "$BIN" providers --world "$W" --participants "$W/participants.yml" --db "$DB" "$c" >/dev/null 2>&1
    case $? in 0) got0=1 ;; 3) got3=1 ;; *) bad "providers AS$c: unexpected exit" ;; esac
    [ $got0 = 1 ] && [ $got3 = 1 ] && break
done
[ $got0 = 1 ] && [ $got3 = 1 ] && ok "exit 0 and exit 3 both seen" || bad "exit 0 seen: $got0, exit 3 seen: $got3"

# the formats
read -r cls pfx prov cust <"$TMP/cases"
"$BIN" providers --world "$W" --participants "$W/participants.yml" --format html "$cust" >"$TMP/p.html" 2>/dev/null
r=$?
{ [ $r = 0 ] || [ $r = 3 ]; } && grep -q '^<!DOCTYPE html>' "$TMP/p.html" && grep -q "AS$prov" "$TMP/p.html" &&
    ! grep -qi '<script' "$TMP/p.html" && ok "html: a page, AS$prov in it, no script" || bad "html (exit $r)"
"$BIN" providers --world "$W" "$cust" >"$TMP/p.txt" 2>&1
r=$?
[ $r = 0 ] && grep -q "^AS$prov " "$TMP/p.txt" && grep -q "registry: not given" "$TMP/p.txt" &&
    ok "table without a registry: exit 0" || bad "table without a registry: exit $r $(head -3 "$TMP/p.txt")"

# ---- exit statuses 1 and 2
"$BIN" providers --asrel "$W/asrel.txt" 4200000000 >"$TMP/o" 2>"$TMP/e"; r=$?
[ $r = 1 ] && grep -q "not in any input" "$TMP/e" && ok "unknown AS: exit 1" || bad "unknown AS: exit $r $(cat "$TMP/e")"
"$BIN" providers --asrel "$TMP/missing.txt" 3333 >"$TMP/o" 2>"$TMP/e"; r=$?
[ $r = 1 ] && ok "unreadable as-rel: exit 1" || bad "unreadable as-rel: exit $r"
for args in "" "--asrel $W/asrel.txt" "--asrel $W/asrel.txt --format xml 3333" "--asrel $W/asrel.txt ASX" \
    "3333" "--asrel $W/asrel.txt 1 2" "--bogus 3333"; do
    # shellcheck disable=SC2086
    "$BIN" providers $args >"$TMP/o" 2>"$TMP/e"; r=$?
    [ $r = 2 ] && [ ! -s "$TMP/o" ] && ok "usage '$args': exit 2" || bad "usage '$args': exit $r"
done

# ---- the real 2016 as-rel: AS3333's providers as CAIDA lists them
REL=$DATA/asrel/20161101.as-rel.txt.bz2
if [ -z "$DATA" ] || [ ! -f "$REL" ]; then
    [ $fail = 0 ] || exit 1
    echo "SKIP: $REL not found (../shared/data absent): the real AS3333 check did not run"
    exit 77
fi
command -v bzcat >/dev/null || { echo "SKIP: bzcat missing"; exit 77; }
bzcat "$REL" | awk -F'|' '$2 == "3333" && $3 == "-1" { print $1 }' | sort -n >"$TMP/want"
"$BIN" providers --asrel "$REL" --format json 3333 >"$TMP/real.json" 2>"$TMP/e"; r=$?
[ $r = 0 ] && ok "AS3333 on the 2016 as-rel: exit 0" || bad "AS3333: exit $r $(cat "$TMP/e")"
python3 - "$TMP/real.json" >"$TMP/got" <<'PY' || bad "AS3333: JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert not d["inputs"]["paths"] and d["inputs"]["asrel"]
for u in d["upstreams"]:
    assert u["sources"] == ["as-rel"] and u["relation"] == "provider" and u["seen"] is None, u
    print(u["asn"])
PY
sort -n "$TMP/got" -o "$TMP/got"
[ -s "$TMP/want" ] && cmp -s "$TMP/want" "$TMP/got" && ok "AS3333 providers = CAIDA's: $(tr '\n' ' ' <"$TMP/got")" ||
    bad "AS3333 providers: got [$(tr '\n' ' ' <"$TMP/got")], CAIDA lists [$(tr '\n' ' ' <"$TMP/want")]"
"$BIN" providers --asrel "$REL" 3333 >"$TMP/real.txt" 2>&1
grep -q "paths: not given" "$TMP/real.txt" && ok "table: paths not given" || bad "table: $(head -3 "$TMP/real.txt")"
exit $fail
