#!/usr/bin/env python3
"""monitor_check.py — `manrs monitor` against ground truth and live BMP.

1. A simulated Internet (manrs sim, no confounders): a prefixes.yml is written,
   as a victim's operator would, for the prefix each origin and sub-prefix
   hijack targets (its owner from the RIB). The monitor replays the RIB and the
   updates; every hijack seen by at least --min-peers collector peers must be
   alerted once, naming the culprit, raised within the incident's window and
   resolved at or after its end; no other hijack alert may appear.
2. Live BMP: a router (tests/oracle/bmp_wire.py) streams to `monitor
   --bmp-listen`; the hijack in its stream must be alerted within 1 s of the
   message's arrival, and resolved when the router's session ends.

usage: monitor_check.py MANRS_BIN TMPDIR SRC_DIR
"""
import ipaddress
import json
import os
import signal
import subprocess
import sys
import time

MANRS, TMP, SRC = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def fail(msg):
    print("FAIL: " + msg)
    failures.append(msg)


def sim_case(min_peers):
    world = os.path.join(TMP, "world")
    subprocess.run([MANRS, "sim", "-o", world, "-n", "600", "-s", "7", "-C", "-q", "-f"], check=True)
    truth = json.load(open(os.path.join(world, "truth.json")))
    owner = {}
    rib = subprocess.run([MANRS, "dump", os.path.join(world, "rib.mrt.gz")], capture_output=True, text=True).stdout
    for line in rib.splitlines():
        f = line.split("|")
        owner.setdefault(f[5], f[6].split()[-1])
    nets = {p: ipaddress.ip_network(p) for p in owner}
    cfg, incidents = {}, []
    for i in truth["incidents"]:
        if i["class"] not in ("hijack-origin", "hijack-subprefix"):
            continue
        ip = ipaddress.ip_network(i["prefix"])
        best = None
        for p, q in nets.items():
            if q.version == ip.version and ip.subnet_of(q) and owner[p] != str(i["culprit"]):
                if best is None or q.prefixlen > nets[best].prefixlen:
                    best = p
        if best is None:
            fail("no owner found for incident %s" % i)
            continue
        cfg[best] = owner[best]
        incidents.append(i)
    yml = os.path.join(TMP, "prefixes.yml")
    with open(yml, "w") as f:
        for p, a in cfg.items():
            f.write("%s:\n  description: victim of a simulated hijack\n  asn: %s\n  ignoreMorespecifics: false\n" % (p, a))
    out = os.path.join(TMP, "alerts-%d.jsonl" % min_peers)
    r = subprocess.run([MANRS, "monitor", "--config", yml, "--mrt", os.path.join(world, "updates.mrt.gz"),
                        "--mrt", os.path.join(world, "rib.mrt.gz"), "--min-peers", str(min_peers), "--quiet",
                        "--output", out], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        fail("monitor exited %d: %s" % (r.returncode, r.stderr[-500:]))
        return
    alerts = [json.loads(l) for l in open(out)]
    hij = [a for a in alerts if a["type"] == "hijack"]
    found = 0
    expected = 0
    for i in incidents:
        mine = [a for a in hij if a["prefix"] == i["prefix"] and a["asn"] == i["culprit"]]
        raised = [a for a in mine if not a["resolved"]]
        resolved = [a for a in mine if a["resolved"]]
        if i["visible_peers"] < min_peers:
            if raised:
                fail("incident %d seen by %d peers alerted with --min-peers %d" % (i["id"], i["visible_peers"], min_peers))
            continue
        expected += 1
        if len(raised) != 1 or len(resolved) != 1:
            fail("incident %d (%s %s by AS%d): %d raised, %d resolved" % (i["id"], i["class"], i["prefix"], i["culprit"],
                                                                         len(raised), len(resolved)))
            continue
        t0 = raised[0]["time"]
        t1 = resolved[0]["time"]
        ts = lambda s: int(time.mktime(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))) - time.timezone
        if not (i["start"] <= ts(t0) <= i["end"]) or ts(t1) < i["end"]:
            fail("incident %d: raised %s, resolved %s, window %d-%d" % (i["id"], t0, t1, i["start"], i["end"]))
            continue
        found += 1
    extra = [a for a in hij if not any(a["prefix"] == i["prefix"] and a["asn"] == i["culprit"] for i in incidents)]
    if extra:
        fail("hijack alerts without an incident: %s" % extra[:3])
    if found != expected:
        fail("found %d of %d hijacks" % (found, expected))
    print("sim (min-peers %d): %d of %d hijacks alerted and resolved in their windows, %d false, %d alerts in all"
          % (min_peers, found, expected, len(extra), len(alerts)))


def bmp_case():
    yml = os.path.join(TMP, "bmp.yml")
    with open(yml, "w") as f:
        f.write("198.51.100.0/24:\n  description: ours\n  asn: 64999\n")
    pf = os.path.join(TMP, "mon.port")
    p = subprocess.Popen([MANRS, "monitor", "--config", yml, "--bmp-listen", "127.0.0.1:0", "--port-file", pf,
                          "--min-peers", "1"], stdout=subprocess.PIPE, stderr=open(os.path.join(TMP, "mon.log"), "w"),
                         text=True)
    try:
        for _ in range(100):
            if os.path.exists(pf) and open(pf).read().strip():
                break
            time.sleep(0.1)
        port = open(pf).read().strip()
        t_send = time.time()
        s = subprocess.Popen([sys.executable, os.path.join(SRC, "tests/oracle/bmp_wire.py"), "send",
                              "127.0.0.1:" + port, "stream"])
        line = p.stdout.readline()
        latency = time.time() - t_send
        a = json.loads(line)
        if a["type"] != "hijack" or a["prefix"] != "198.51.100.0/24" or a["asn"] != 64496 or a["resolved"]:
            fail("BMP: first alert %s" % a)
        if latency > 1.0:
            fail("BMP: alert %.3f s after the stream was sent (limit 1 s)" % latency)
        s.wait(20)
        line = p.stdout.readline()
        b = json.loads(line)
        if b["type"] != "hijack" or not b["resolved"]:
            fail("BMP: no resolution when the router left: %s" % b)
        if a.get("evidence", {}).get("peer") != "192.0.2.2":
            fail("BMP: evidence %s" % a.get("evidence"))
        print("BMP: hijack alerted %.0f ms after the router's stream was sent, resolved when it left" % (latency * 1000))
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    if p.returncode != 0:
        fail("monitor exited %s after SIGTERM" % p.returncode)


sim_case(2)
sim_case(1)
bmp_case()
sys.exit(1 if failures else 0)
