#!/usr/bin/env python3
"""sim_check.py — independent check of a `manrs sim` world (used by tests/cli_sim.sh).

Reads the MRT files through bgpdump -m (the reference decoder) and the text files with
Python only, then checks what the simulator claims:
  * bgpdump reads rib.mrt.gz and updates.mrt.gz without a single error, and its line
    counts per type equal `manrs stats --json`; update time stamps never go backwards;
  * every legitimate path at a collector peer is valley-free on asrel.txt and ends at the
    prefix holder (delegated.txt); only route-leak incident paths violate valley-freeness,
    and then exactly at the culprit (RFC 7908 leaker);
  * no route passed through a network that would have dropped it: an ROV network never
    carries an RPKI-invalid route (vrps.json, RFC 6811), a customer-filtering network
    never accepts from a customer a route outside that customer's cone space or with a
    bogon ASN in the path;
  * each incident in truth.json is seen at exactly visible_peers collector peers, between
    start and start+60 s, with the culprit where its class puts it, is restored after its
    end, and every network on an observed incident path before the culprit is in
    propagators;
  * roa_coverage, irr_coverage and rpki_invalid_share in truth.json equal what vrps.json
    and irr.db give for the prefixes each network originates in the RIB (an RPKI-invalid
    prefix may be missing: every collector peer dropped it);
  * manrs validate, on every observed incident route, agrees with the class in truth;
  * spoofer.csv agrees with anti_spoofing;
  * the OTC attribute (RFC 9234) of every announcement is right, and no network applying
    RFC 9234 accepted an ineligible route.
Usage: sim_check.py WORLD_DIR MANRS_BIN        Exit 0 when all checks pass.
"""
import ipaddress
import json
import subprocess
import sys
from collections import defaultdict

world, manrs = sys.argv[1], sys.argv[2]
fails = []


def fail(msg):
    if len(fails) < 30:
        print("FAIL", msg)
    fails.append(msg)


def bgpdump(name):
    p = subprocess.run(["bgpdump", "-m", f"{world}/{name}"], capture_output=True, text=True)
    bad = [l for l in p.stderr.splitlines() if "logging to syslog" not in l]
    if p.returncode != 0 or bad:
        fail(f"bgpdump {name}: rc={p.returncode} stderr={bad[:3]}")
    return p.stdout.splitlines()


rib = bgpdump("rib.mrt.gz")
upd = bgpdump("updates.mrt.gz")
cnt = defaultdict(int)
for l in rib + upd:
    cnt[l.split("|", 3)[2]] += 1
st = json.loads(subprocess.run([manrs, "stats", "--json", f"{world}/rib.mrt.gz", f"{world}/updates.mrt.gz"],
                               capture_output=True, text=True, check=True).stdout)
ref = (cnt["B"], cnt["A"], cnt["W"], cnt["STATE"])
got = (st["rib_entries"], st["announcements"], st["withdrawals"], st["state_changes"])
if ref != got:
    fail(f"bgpdump counts {ref} != manrs stats {got}")
print(f"bgpdump: {cnt['B']} RIB entries, {cnt['A']} announcements, {cnt['W']} withdrawals, "
      f"{cnt['STATE']} state changes (= manrs stats)")

# ---------------------------------------------------------------- reference data
rel = {}
for l in open(f"{world}/asrel.txt"):
    if l.startswith("#"):
        continue
    a, b, r = l.strip().split("|")[:3]
    a, b = int(a), int(b)
    if r == "-1":
        rel[(a, b)] = "p2c"
        rel[(b, a)] = "c2p"
    else:
        rel[(a, b)] = rel[(b, a)] = "p2p"
# asrel.txt is what an inference would publish (truth "confounders"): the real graph
# has the siblings (s2s, transparent for valley-freeness) and the links it got wrong
truth = json.load(open(f"{world}/truth.json"))
conf_pfx = {}
for c in truth.get("confounders", []):
    if "relationship" in c:
        a, b = c["ases"][:2]
        for k in ((a, b), (b, a)):
            rel.pop(k, None)
        if c["relationship"] == "p2c":
            rel[(a, b)], rel[(b, a)] = "p2c", "c2p"
        else:
            rel[(a, b)] = rel[(b, a)] = c["relationship"]
    if "prefix" in c:
        conf_pfx[ipaddress.ip_network(c["prefix"])] = c["kind"]
customers = defaultdict(list)
for (a, b), r in rel.items():
    if r in ("p2c", "s2s"):     # a sibling's space is the organisation's: in the cone
        customers[a].append(b)
cone_memo = {}


def cone(a):
    if a in cone_memo:
        return cone_memo[a]
    seen, stack = {a}, [a]
    while stack:
        for c in customers[stack.pop()]:
            if c not in seen:
                seen.add(c)
                stack.append(c)
    cone_memo[a] = seen
    return seen


alloc = {}
for l in open(f"{world}/delegated.txt"):
    f = l.strip().split("|")
    if len(f) < 8 or f[6] != "allocated" or f[2] not in ("ipv4", "ipv6"):
        continue
    if f[2] == "ipv4":
        n = int(f[4])
        net = ipaddress.ip_network(f"{f[3]}/{32 - n.bit_length() + 1}")
    else:
        net = ipaddress.ip_network(f"{f[3]}/{f[4]}")
    alloc[net] = int(f[7][4:])


def supernets(p):
    for l in range(p.prefixlen, -1, -1):
        yield p.supernet(new_prefix=l)


holder_memo = {}


def holder(p):
    if p not in holder_memo:
        holder_memo[p] = holder_walk(p)
    return holder_memo[p]


def holder_walk(p):
    for s in supernets(p):
        if s in alloc:
            return alloc[s]
    return None


roas = defaultdict(list)
vr = json.load(open(f"{world}/vrps.json"))
for r in vr["roas"]:
    roas[ipaddress.ip_network(r["prefix"])].append((r["asn"], r["maxLength"]))


rpki_memo = {}


def rpki(p, origin):
    k = (p, origin)
    if k not in rpki_memo:
        rpki_memo[k] = rpki_walk(p, origin)
    return rpki_memo[k]


def rpki_walk(p, origin):
    covered = False
    for s in supernets(p):
        for asn, ml in roas.get(s, ()):
            covered = True
            if asn == origin and p.prefixlen <= ml and origin != 0:
                return "valid"
    return "invalid" if covered else "notfound"


irr = set()
obj = {}
for l in open(f"{world}/irr.db"):
    l = l.rstrip("\n")
    if not l:
        if "route" in obj or "route6" in obj:
            irr.add((ipaddress.ip_network(obj.get("route") or obj.get("route6")), int(obj["origin"][2:])))
        obj = {}
        continue
    if l.startswith("%"):
        continue
    k, v = l.split(":", 1) if ":" in l else (l, "")
    if k not in obj:
        obj[k] = v.strip()

net = {n["asn"]: n for n in truth["networks"]}
t0, t1 = truth["window"]["start"], truth["window"]["end"]
inc_by_prefix = defaultdict(list)
for i in truth["incidents"]:
    inc_by_prefix[ipaddress.ip_network(i["prefix"])].append(i)


def is_bogon_asn(a):
    return (a == 0 or a == 23456 or 64496 <= a <= 131071 or 4200000000 <= a)


vf_memo = {}


def valley_free(path):
    """Returns (status, leaker): status ok / violation / unknown; walked from the origin."""
    key = tuple(path)
    if key in vf_memo:
        return vf_memo[key]
    state, res = "up", ("ok", None)
    for i in range(len(path) - 1, 0, -1):
        sender, receiver = path[i], path[i - 1]
        r = rel.get((receiver, sender))
        if r is None:
            res = ("unknown", None)
            break
        if r == "s2s":          # one organisation: transparent
            continue
        if r == "p2c":          # receiver is the sender's provider: climbing
            if state != "up":
                res = ("violation", sender)
                break
        elif r == "p2p":
            if state != "up":
                res = ("violation", sender)
                break
            state = "down"
        else:                   # receiver is the sender's customer
            state = "down"
    vf_memo[key] = res
    return res


def culprit_pos(i, path):
    c = i["class"]
    if c in ("hijack-path", "bogon-asn"):
        return len(path) - 2 if len(path) >= 2 and path[-2] == i["culprit"] else None
    if c == "route-leak":
        return path.index(i["culprit"]) if i["culprit"] in path else None
    return len(path) - 1 if path[-1] == i["culprit"] else None


net_memo = {}


def net_of(s):
    n = net_memo.get(s)
    if n is None:
        n = net_memo[s] = ipaddress.ip_network(s)
    return n


checked = defaultdict(int)
inc_routes = []                 # (incident, prefix, path) as observed
seen_inc = defaultdict(set)     # incident id -> peers that saw it in [start, start+60]
restored = defaultdict(set)     # incident id -> peers with an update for the prefix after the end
last_ts = 0
origin_pfx = defaultdict(set)

for line in rib + upd:
    f = line.split("|")
    kind, ts = f[2], float(f[1])
    if f[0].startswith("BGP4MP"):
        if ts < last_ts:
            fail(f"update time goes backwards: {line}")
        last_ts = ts
    if kind == "STATE":
        continue
    peer, pfx = int(f[4]), net_of(f[5])
    incs = inc_by_prefix.get(pfx, [])
    if kind == "W":
        for i in incs:
            if i["end"] <= ts <= i["end"] + 60:
                restored[i["id"]].add(peer)
        continue
    raw = [int(a) for a in f[6].split()]
    path = [a for k, a in enumerate(raw) if k == 0 or raw[k - 1] != a]  # prepending is one hop
    if len(path) != len(raw):
        checked["prepended"] += 1
    if path[0] != peer:
        fail(f"path does not start with the peer: {line}")
    inc = None
    for i in incs:
        if kind != "A":
            continue
        if i["end"] <= ts <= i["end"] + 60:
            restored[i["id"]].add(peer)
        pos = culprit_pos(i, path)
        if pos is not None and i["start"] <= ts <= i["start"] + 60:
            if i["class"] != "route-leak" or valley_free(path)[0] == "violation":
                inc = (i, pos)
    ck = conf_pfx.get(pfx)
    if inc is None:
        # a legitimate route: valley-free, originated by the holder (a confounder's
        # route by whoever truth names; a beacon over a link no inference knows)
        if kind == "B" and ck in (None, "pa-more-specific", "ddos-protection", "blackhole"):
            origin_pfx[path[-1]].add(pfx)
        vf = valley_free(path)
        if vf[0] != "ok" and not (ck in ("ris-beacon", "research-beacon") and vf[0] == "unknown"):
            fail(f"legitimate path not valley-free ({vf[0]}): {line}")
        if ck is None and holder(pfx) != path[-1]:
            fail(f"legitimate route not originated by the holder {holder(pfx)}: {line}")
        checked["confounder" if ck else "legit"] += 1
        cpos = len(path) - 1
    else:
        i, cpos = inc
        if kind == "B":
            fail(f"incident {i['id']} in the RIB at window start: {line}")
        if not (i["start"] <= ts <= i["start"] + 60):
            fail(f"incident {i['id']} route announced at {ts}, outside its start (+60 s): {line}")
        seen_inc[i["id"]].add(peer)
        props = set(i["propagators"])
        for a in path[:cpos]:
            if a not in props:
                fail(f"incident {i['id']}: {a} carried it but is not in propagators: {line}")
        if i["class"] == "route-leak":
            vf = valley_free(path)
            if vf != ("violation", i["culprit"]):
                fail(f"leak {i['id']} path: {vf}, expected violation at {i['culprit']}: {line}")
        else:
            vf = valley_free(path[:cpos + 1])
            if vf[0] != "ok":
                fail(f"incident {i['id']} propagated against policy ({vf[0]}): {line}")
        checked[i["class"]] += 1
        inc_routes.append((i, f[5], raw))
    # nobody before the originating network should have dropped it
    state = rpki(pfx, path[-1])
    owner = holder(pfx)
    bogon_path = any(is_bogon_asn(a) for a in path)
    for k in range(cpos):
        a, sender = path[k], path[k + 1]
        n = net.get(a)
        if n is None:
            fail(f"unknown network {a} on a path: {line}")
            continue
        if ck:
            continue            # authorised out of band (ROA, IRR, contract)
        if n["rov"] and state == "invalid":
            fail(f"ROV network {a} carried an RPKI-invalid route: {line}")
        if n["filters_customers"] and rel.get((a, sender)) == "p2c":
            if bogon_path or owner is None or owner not in cone(sender):
                fail(f"filtering network {a} accepted {pfx} from customer {sender}: {line}")

for i in truth["incidents"]:
    n = len(seen_inc[i["id"]])
    if n != i["visible_peers"]:
        fail(f"incident {i['id']} ({i['class']}) seen at {n} peers, truth says {i['visible_peers']}")
    if seen_inc[i["id"]] - restored[i["id"]]:
        fail(f"incident {i['id']} not restored after its end at peers {seen_inc[i['id']] - restored[i['id']]}")

# coverage in truth = what the published RPKI and IRR data give; a prefix missing from
# the RIB must be RPKI-invalid (its holder's ROA mistake) and dropped by every peer
late = defaultdict(set)  # provider-assigned more specifics announced during the window
for c in truth.get("confounders", []):
    if c["kind"] == "pa-more-specific" and c.get("start"):
        late[c["ases"][1]].add(ipaddress.ip_network(c["prefix"]))
for n in truth["networks"]:
    asn, tot = n["asn"], n["prefixes"]
    pf = origin_pfx.get(asn, set())
    if not tot:
        continue
    pf = pf | late.get(asn, set())
    v = sum(rpki(p, asn) == "valid" for p in pf)
    inv = sum(rpki(p, asn) == "invalid" for p in pf)
    c = sum(any((s, asn) in irr for s in supernets(p)) for p in pf)
    missing = tot - len(pf)
    if abs(v / tot - n["roa_coverage"]) > 1e-4:
        fail(f"AS{asn}: roa coverage {v}/{tot}, truth {n['roa_coverage']}")
    if missing < 0 or inv + missing > n["rpki_invalid_share"] * tot + 0.5 or \
            not (-1e-4 <= n["irr_coverage"] - c / tot <= missing / tot + 1e-4):
        fail(f"AS{asn}: {len(pf)} of {tot} prefixes in the RIB, {inv} invalid, irr {c}: truth {n}")

# the project's own validator on every observed incident route agrees with truth
if inc_routes:
    stdin = "".join(f"{p} {' '.join(map(str, path))}\n" for _, p, path in inc_routes)
    v = subprocess.run([manrs, "validate", "--json", "--vrps", f"{world}/vrps.json", "--irr", f"{world}/irr.db",
                        "--asrel", f"{world}/asrel.txt", "--delegated", f"{world}/delegated.txt"],
                       input=stdin, capture_output=True, text=True)
    res = [json.loads(l) for l in v.stdout.splitlines() if l.startswith("{")]
    if len(res) != len(inc_routes):
        fail(f"manrs validate answered {len(res)} of {len(inc_routes)} routes: {v.stderr[:300]}")
    agree = 0
    for (i, p, path), r in zip(inc_routes, res):
        c, ok = i["class"], True
        if c == "route-leak":
            ok = r.get("valley_free") == "violation" and r.get("leaker") == i["culprit"] and \
                r.get("leak_type") == i["leak_type"]
        elif c == "rpki-invalid":
            ok = r.get("rov") == "invalid"
        elif c == "bogon-prefix":
            ok = r.get("bogon", {}).get("prefix") != "ok"
        elif c == "bogon-asn":
            ok = r.get("bogon", {}).get("asns_total", 0) > 0
        elif c in ("hijack-origin", "hijack-subprefix"):
            ok = r.get("rov") != "valid" and r.get("irr") not in ("valid", "valid-covered")
        if not ok:
            fail(f"manrs validate disagrees with incident {i['id']} ({c}) on {p} {path}: {json.dumps(r)[:400]}")
        else:
            agree += 1
    print(f"manrs validate agrees on {agree} of {len(inc_routes)} observed incident routes")

# RFC 9234 Only-to-Customer: the OTC attribute of every announcement equals what the
# path and the networks applying RFC 9234 (truth "otc") give, and no such network
# accepted a route its ingress rules make ineligible (OTC from a customer, or from a
# peer with another ASN). Links not in asrel.txt (forged or bogon) start the route.
def expected_otc(path):
    otc, climbing = 0, True
    for k in range(len(path) - 1, 0, -1):
        sender, receiver = path[k], path[k - 1]
        r = rel.get((receiver, sender))
        if r is None:
            otc = 0
            continue
        if r == "s2s":          # a sibling passes a customer route up, anything else down
            r = "c2p" if climbing else "p2c"
        climbing = climbing and r == "c2p"
        down_or_peer = r in ("c2p", "p2p")
        snd, rcv = net.get(sender, {}), net.get(receiver, {})
        wire = otc or (sender if snd.get("otc") and down_or_peer else 0)
        if rcv.get("otc") and wire and (r == "p2c" or (r == "p2p" and wire != sender)):
            return None  # ineligible at the receiver
        otc = wire or (sender if rcv.get("otc") and down_or_peer else 0)
    return otc


dj = subprocess.run([manrs, "dump", "--json", f"{world}/updates.mrt.gz"], capture_output=True, text=True, check=True)
n_otc = n_ann = 0
for l in dj.stdout.splitlines():
    e = json.loads(l)
    if e.get("type") != "announce":
        continue
    raw = e["as_path"]
    path = [a for k, a in enumerate(raw) if k == 0 or raw[k - 1] != a]
    want, got = expected_otc(path), e.get("otc", 0)
    n_ann += 1
    n_otc += got != 0
    if want is None:
        fail(f"an RFC 9234 network accepted an ineligible route: {e['prefix']} {raw} otc {got}")
    elif want != got:
        fail(f"OTC {got} on {e['prefix']} {raw}, expected {want}")
print(f"OTC: {n_otc} of {n_ann} announcements carry it, all as RFC 9234 says")

# spoofer.csv: a network with anti-spoofing never leaks a spoofed packet, one without
# leaks routed-spoofed packets in every session; client prefixes are its own space
tested = 0
for l in list(open(f"{world}/spoofer.csv"))[1:]:
    sess, ts, asn, cp, cc, nat, priv, routed = l.strip().split(",")
    n = net[int(asn)]
    tested += 1
    if not t0 <= int(ts) <= t1 or holder(ipaddress.ip_network(cp)) != int(asn):
        fail(f"spoofer row outside the window or the network's space: {l.strip()}")
    if n["anti_spoofing"] == ("received" in (priv, routed)) or (not n["anti_spoofing"] and routed != "received"):
        fail(f"spoofer row contradicts anti_spoofing={n['anti_spoofing']}: {l.strip()}")
print(f"spoofer: {tested} sessions consistent with anti_spoofing")

vis = sum(1 for i in truth["incidents"] if i["visible_peers"])
print("routes checked:", dict(checked))
print(f"incidents: {len(truth['incidents'])}, visible at a collector peer: {vis}")
print(f"sim_check: {len(fails)} failures")
sys.exit(1 if fails else 0)
