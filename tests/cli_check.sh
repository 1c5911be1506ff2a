#!/bin/sh
# manrs check end to end on a small simulated world (manrs sim --ases 300 --seed 5):
# the verdicts of a MANRS participant and of a sloppy network agree with their true
# posture in truth.json (contacts -> Action 3, anti_spoofing + Spoofer rows ->
# Action 2, roa_coverage 1.0 vs < 1 -> Action 4), every suggested ROA is checked
# independently against vrps.json (no VRP of that origin covers it, maxLength =
# prefix length) and their number equals the announced prefixes without a valid
# ROA; a true incident culprit fails Action 1 with that incident as evidence, and a
# hijack's true victim is told of it under Action 4 (never as culprit); JSON
# parses; --acl-format changes the ACL dialect; exit 0 all PASS, 3 a FAIL, 4 NO-DATA;
# unknown AS exit 1; usage exit 2.
set -u
BIN=${MANRS_BIN:?}
TMP=${MANRS_TMP:-/tmp}/check.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
command -v python3 >/dev/null || { echo "skip: python3 missing"; exit 77; }
W="$TMP/w"
"$BIN" sim --out "$W" --ases 300 --seed 5 >/dev/null 2>&1 || { echo "FAIL: manrs sim"; exit 1; }
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

# the subjects, chosen from the ground truth
python3 - "$W" > "$TMP/pick" <<'PY' || { echo "FAIL: cannot pick subjects"; exit 1; }
import csv, json, sys
w = sys.argv[1]
t = json.load(open(w + "/truth.json"))
spoof = {}
for r in csv.DictReader(open(w + "/spoofer.csv")):
    spoof.setdefault(int(r["asn"]), []).append(r)
culprits = {i["culprit"] for i in t["incidents"]}
nets = sorted(t["networks"], key=lambda n: n["asn"])
good = [n for n in nets if n["manrs_participant"] and n["contacts"] and n["anti_spoofing"]
        and n["roa_coverage"] == 1.0 and n["rpki_invalid_share"] == 0 and n["asn"] in spoof
        and n["asn"] not in culprits and n["kind"] == "stub"][0]
sloppy = [n for n in nets if not n["contacts"] and not n["anti_spoofing"] and n["roa_coverage"] < 1
          and n["asn"] in spoof and n["asn"] not in culprits][0]
inc = sorted([i for i in t["incidents"] if i["class"] in ("hijack-origin", "bogon-prefix")],
             key=lambda i: (-i["visible_peers"], i["id"]))[0]
print(good["asn"], sloppy["asn"], inc["culprit"], inc["class"], inc["prefix"])
PY
read GOOD SLOPPY CULPRIT ICLASS IPREFIX < "$TMP/pick"
echo "participant AS$GOOD, sloppy AS$SLOPPY, culprit AS$CULPRIT ($ICLASS $IPREFIX)"

# exit status per verdict: 0 all PASS, 3 some FAIL, 4 no FAIL but some NO-DATA
for a in "$GOOD:0" "$SLOPPY:3" "$CULPRIT:3"; do
    "$BIN" check --world "$W" --json "${a%:*}" > "$TMP/${a%:*}.json" 2>"$TMP/${a%:*}.err"; r=$?
    [ $r -eq "${a#*:}" ] && ok "check AS${a%:*} exit $r" || bad "check AS${a%:*} exit $r, want ${a#*:}"
done

python3 - "$W" "$TMP" "$GOOD" "$SLOPPY" "$CULPRIT" "$ICLASS" "$IPREFIX" <<'PY' || fail=1
import ipaddress, json, sys
w, tmp, good, sloppy, culprit, icls, ipfx = sys.argv[1:]
bad = 0
def check(cond, what):
    global bad
    print(("ok   " if cond else "FAIL ") + what)
    bad |= not cond
g = json.load(open(f"{tmp}/{good}.json"))["actions"]
s = json.load(open(f"{tmp}/{sloppy}.json"))["actions"]
c = json.load(open(f"{tmp}/{culprit}.json"))["actions"]
for k in ("action1", "action2", "action3", "action4"):
    check(g[k]["verdict"] == "PASS", f"participant AS{good} {k} PASS (got {g[k]['verdict']})")
check(g["action4"]["announced"] > 0 and g["action4"]["suggested_roas"] == [], "participant: announces, no ROA to suggest")
check(g["action2"]["spoofer_tests"] > 0 and g["action2"]["spoofer_spoofable"] == 0, "participant: spoofer tests, none spoofable")
check(s["action3"]["verdict"] == "FAIL" and not s["action3"]["contact_ok"], "sloppy AS%s action3 FAIL" % sloppy)
check(any("abuse-c alone" in e or "no admin-c" in e or "no aut-num" in e for e in s["action3"]["evidence"]),
      "sloppy: action3 says what is missing")
check(s["action2"]["verdict"] == "FAIL" and s["action2"]["spoofer_spoofable"] > 0, "sloppy action2 FAIL (spoofable)")
check(s["action2"]["acl"] and "access-list" in s["action2"]["acl"], "sloppy: an IOS ACL to deploy")
a4 = s["action4"]
check(a4["verdict"] == "FAIL", "sloppy action4 FAIL")
roas = a4["suggested_roas"]
check(len(roas) == a4["announced"] - a4["rpki_valid"] - a4["rpki_invalid"] == a4["rpki_not_found"],
      f"suggested ROAs ({len(roas)}) = announced prefixes without a valid ROA")
check(len(roas) + a4["rpki_invalid"] > 0, "sloppy has something to fix in RPKI")
vrps = {}
for v in json.load(open(w + "/vrps.json"))["roas"]:
    vn = ipaddress.ip_network(v["prefix"])
    vrps.setdefault((vn.version, vn.prefixlen), set()).add(int(vn.network_address))
def covered(p, asn):
    # any covering VRP (RFC 6811 §2) makes the route Valid or Invalid, not NotFound
    n = ipaddress.ip_network(p)
    for l in range(0, n.prefixlen + 1):
        sup = n.supernet(new_prefix=l)
        if int(sup.network_address) in vrps.get((n.version, l), ()):
            return True
    return False
check(all(r["maxLength"] == ipaddress.ip_network(r["prefix"]).prefixlen and r["asn"] == int(sloppy)
          and not covered(r["prefix"], r["asn"]) for r in roas),
      "every suggested ROA: maxLength = prefix length, origin = AS, no covering VRP in vrps.json")
inc = [i for i in c["action1"]["incidents"] if i["role"] == "culprit"]
check(c["action1"]["verdict"] == "FAIL", f"culprit AS{culprit} action1 FAIL")
check(any(i["class"] == icls and i["prefix"] == ipfx for i in inc), f"culprit: evidence lists {icls} {ipfx}")
check(any(ipfx in e for e in c["action1"]["evidence"]), "culprit: evidence line names the prefix")
# times people read are ISO 8601 UTC; JSON has the incident's Unix seconds beside
import datetime, re
def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
check(inc and all(any(f"{iso(i['start'])} to {iso(i['end'])}, seen by" in e for e in c["action1"]["evidence"])
                  for i in inc), "culprit: incident start and end in ISO 8601 UTC, Unix seconds in JSON")
sp = [e for e in s["action2"]["evidence"] + g["action2"]["evidence"] if e.startswith("spoofer test")]
check(sp and all(re.match(r"spoofer test at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ from ", e) for e in sp),
      "spoofer test times in ISO 8601 UTC")
sys.exit(bad)
PY

# the victim of a hijack is told of it (Action 4 evidence and what a ROA changes)
python3 - "$W" > "$TMP/vpick" <<'PY' || bad "cannot pick a hijack victim"
import json, sys
t = json.load(open(sys.argv[1] + "/truth.json"))
i = sorted([i for i in t["incidents"] if i["class"].startswith("hijack-") and i.get("victim")
            and i["visible_peers"] >= 2], key=lambda i: (-i["visible_peers"], i["id"]))[0]
print(i["victim"], i["class"], i["prefix"], i["culprit"])
PY
read VICTIM VCLASS VPREFIX VCULPRIT < "$TMP/vpick"
"$BIN" check --world "$W" --json "$VICTIM" > "$TMP/victim.json" 2>/dev/null
python3 - "$TMP/victim.json" "$VCLASS" "$VPREFIX" "$VCULPRIT" <<'PY' && ok "victim AS$VICTIM told of $VCLASS $VPREFIX by AS$VCULPRIT" || bad "victim view of AS$VICTIM"
import json, sys
a = json.load(open(sys.argv[1]))["actions"]
want = "%s %s by AS%s" % tuple(sys.argv[2:5])
assert any(e.startswith("victim of incident ") and e.endswith(want) for e in a["action4"]["evidence"]), a["action4"]
assert any("ROA" in r or "ASPA" in r for r in a["action4"]["remediation"]), a["action4"]["remediation"]
assert not any(i.get("role") == "culprit" for i in a["action1"].get("incidents", [])), a["action1"]
PY

# terminal table and ACL dialects
"$BIN" check --world "$W" "$SLOPPY" > "$TMP/t.txt" 2>/dev/null; [ $? -eq 3 ] || bad "table exit"
grep -q "Action 4: .*FAIL" "$TMP/t.txt" && grep -q "ROA .* maxLength" "$TMP/t.txt" && ok "table: action 4 with ROAs" || bad "table"
"$BIN" check --world "$W" "$CULPRIT" >> "$TMP/t.txt" 2>/dev/null
if grep -E '^\|   (incident|spoofer test) ' "$TMP/t.txt" | grep -qE '[0-9]{9}'; then bad "table: a raw Unix time"
elif grep -qE '^\|   incident .*[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z to ' "$TMP/t.txt"; then ok "table: times in ISO 8601 UTC"
else bad "table: no incident time"; fi
"$BIN" check --world "$W" --acl-format junos "$GOOD" 2>/dev/null | grep -q "firewall" && ok "junos ACL" || bad "junos ACL"
"$BIN" check --world "$W" --acl-format nftables "$GOOD" 2>/dev/null | grep -q "table " && ok "nftables ACL" || bad "nftables ACL"

# hostile input: bad Spoofer lines are reported FILE:LINE, skipped, the rest still used
printf 'session,timestamp,asn,client_prefix,country,nat,spoof_private,spoof_routed\n1,x,%s,10.0.0.0/33,ZZ,no,received,received\ngarbage\n2,1764549000,%s,192.0.2.0/24,ZZ,no,received,blocked\n' "$GOOD" "$GOOD" > "$TMP/bad.csv"
"$BIN" check --rib "$W/rib.mrt.gz" --vrps "$W/vrps.json" --spoofer "$TMP/bad.csv" --json "$GOOD" > "$TMP/bad.json" 2>"$TMP/bad.err"; r=$?
[ $r -eq 3 ] && grep -q "bad.csv:2:" "$TMP/bad.err" && grep -q "bad.csv:3:" "$TMP/bad.err" && ok "bad Spoofer lines reported, exit 3 (action2 FAIL)" || bad "bad Spoofer lines (exit $r)"
python3 - "$TMP/bad.json" <<'PY' && ok "partial inputs: one usable spoofable test -> action2 FAIL; no IRR/PeeringDB -> action3 NO-DATA; action4 from RIB+VRPs PASS" || bad "partial inputs verdicts"
import json, sys
a = json.load(open(sys.argv[1]))["actions"]
assert a["action2"]["spoofer_tests"] == 1 and a["action2"]["verdict"] == "FAIL", a["action2"]
assert a["action3"]["verdict"] == "NO-DATA", a["action3"]
assert a["action4"]["verdict"] == "PASS" and a["action4"]["route_objects"] == [], a["action4"]
PY

# hostile IRR text (control bytes, invalid UTF-8) never reaches the terminal or breaks the JSON
printf 'aut-num: AS64500\nas-name: EVIL\033[2J\377NAME\nadmin-c: EV1-TEST\nsource: TEST\n\nrole: Evil \377 Role\nnic-hdl: EV1-TEST\ne-mail: noc@example.net\nsource: TEST\n' > "$TMP/evil.db"
"$BIN" check --irr "$TMP/evil.db" --json 64500 > "$TMP/evil.json" 2>/dev/null; r=$?
python3 - "$TMP/evil.json" <<'PY' && [ $r -eq 4 ] && ok "hostile IRR text sanitised, JSON valid, action3 PASS via role e-mail, exit 4 (NO-DATA)" || bad "hostile IRR text (exit $r)"
import json, sys
raw = open(sys.argv[1], "rb").read()
assert b"\x1b" not in raw and b"\xff" not in raw
a = json.load(open(sys.argv[1]))["actions"]
assert a["action3"]["verdict"] == "PASS", a["action3"]
assert any("EVIL?[2J?NAME" in e for e in a["action3"]["evidence"]), a["action3"]["evidence"]
assert a["action1"]["verdict"] == "NO-DATA" and a["action4"]["verdict"] == "NO-DATA"
PY
"$BIN" check --irr "$TMP/evil.db" 64500 2>/dev/null | grep -q "$(printf '\033')" && bad "escape byte in table" || ok "no escape byte in table"

# stale contacts (Action 3): the role changed 2015, the newest object of the data 2023
printf 'aut-num: AS64501\nas-name: OLD\nadmin-c: OLD1-TEST\ntech-c: OLD1-TEST\nlast-modified: 2023-03-01T00:00:00Z\nsource: TEST\n\nrole: Old Role\nnic-hdl: OLD1-TEST\ne-mail: noc@old.example\nlast-modified: 2015-05-05T00:00:00Z\nsource: TEST\n' > "$TMP/stale.db"
"$BIN" check --irr "$TMP/stale.db" --json 64501 > "$TMP/s1.json" 2>/dev/null
"$BIN" check --irr "$TMP/stale.db" --json --now 2016-01-01 64501 > "$TMP/s2.json" 2>/dev/null
"$BIN" check --irr "$TMP/stale.db" --json --stale-days 0 64501 > "$TMP/s3.json" 2>/dev/null
"$BIN" check --irr "$TMP/stale.db" --json --stale-days 3000 64501 > "$TMP/s4.json" 2>/dev/null
python3 - "$TMP" <<'PY' && ok "stale contacts: FAIL with age and remediation; --now, --stale-days 0 and a longer limit make it count" || bad "stale contacts"
import json, sys
d = sys.argv[1]
a = [json.load(open("%s/s%d.json" % (d, i)))["actions"]["action3"] for i in (1, 2, 3, 4)]
assert a[0]["verdict"] == "FAIL" and not a[0]["contact_ok"] and a[0]["contacts_stale"] == 1, a[0]
assert any("stale, 2857 days before the reference date" in e and "last changed 2015-05-05" in e for e in a[0]["evidence"]), a[0]["evidence"]
assert any("within 730 days of 2023-03-01 (the newest change date" in e for e in a[0]["evidence"]), a[0]["evidence"]
assert sum("review role/person OLD1-TEST" in r for r in a[0]["remediation"]) == 1, a[0]["remediation"]  # admin-c and tech-c: one object
for x in a[1:]:
    assert x["verdict"] == "PASS" and x["contact_ok"], x
assert any("--now" in e for e in a[1]["evidence"])
PY
"$BIN" check --irr "$TMP/stale.db" --now 2016-02-30 64501 >/dev/null 2>"$TMP/e"; r=$?
[ $r -eq 2 ] && grep -q "not a date" "$TMP/e" && ok "--now bad date exit 2" || bad "--now bad date exit $r"

# stale PeeringDB contacts: the poc changed 2014, the data's newest date 2023
printf '{"data":[{"asn":64502,"updated":"2023-01-01T00:00:00Z","poc_updated":"2014-01-01T00:00:00Z","poc_set":[{"role":"NOC","email":"noc@pdb.example","status":"ok","updated":"2014-01-01T00:00:00Z"}]},{"asn":64503,"updated":"2022-12-01T00:00:00Z","poc_set":[{"email":"noc@fresh.example","status":"ok","updated":"2022-11-30T00:00:00Z"}]}]}' > "$TMP/pdb.json"
"$BIN" check --peeringdb "$TMP/pdb.json" --json 64502 > "$TMP/p1.json" 2>/dev/null
"$BIN" check --peeringdb "$TMP/pdb.json" --json --stale-days 0 64502 > "$TMP/p2.json" 2>/dev/null
"$BIN" check --peeringdb "$TMP/pdb.json" --json 64503 > "$TMP/p3.json" 2>/dev/null
python3 - "$TMP" <<'PY' && ok "stale PeeringDB poc: FAIL with date and remediation; --stale-days 0 and a fresh poc PASS" || bad "stale PeeringDB poc"
import json, sys
d = sys.argv[1]
a = [json.load(open("%s/p%d.json" % (d, i)))["actions"]["action3"] for i in (1, 2, 3)]
assert a[0]["verdict"] == "FAIL" and a[0]["contacts_stale"] == 1, a[0]
assert any("PeeringDB: poc with e-mail, last changed 2014-01-01: stale" in e for e in a[0]["evidence"]), a[0]["evidence"]
assert any("points of contact of AS64502 in PeeringDB" in r for r in a[0]["remediation"]), a[0]["remediation"]
assert a[1]["verdict"] == "PASS" and a[2]["verdict"] == "PASS", (a[1], a[2])
assert any("last changed 2022-11-30" in e for e in a[2]["evidence"]), a[2]["evidence"]
PY

# errors
"$BIN" check --world "$W" 4200000000 >/dev/null 2>"$TMP/e"; r=$?
[ $r -eq 1 ] && grep -q "AS4200000000 is not in any input" "$TMP/e" && ok "unknown AS exit 1" || bad "unknown AS exit $r"
"$BIN" check --world "$TMP/nope" 174 >/dev/null 2>&1; r=$?
[ $r -eq 1 ] && ok "missing world exit 1" || bad "missing world exit $r"
"$BIN" check --world "$W" >/dev/null 2>&1; r=$?
[ $r -eq 2 ] && ok "no ASN exit 2" || bad "no ASN exit $r"
"$BIN" check --world "$W" notanas >/dev/null 2>&1; r=$?
[ $r -eq 2 ] && ok "bad ASN exit 2" || bad "bad ASN exit $r"
"$BIN" check --world "$W" --acl-format pix 174 >/dev/null 2>&1; r=$?
[ $r -eq 2 ] && ok "bad --acl-format exit 2" || bad "bad --acl-format exit $r"
"$BIN" check 174 >/dev/null 2>&1; r=$?
[ $r -eq 2 ] && ok "no input exit 2" || bad "no input exit $r"
exit $fail
