#!/usr/bin/env python3
"""whatif_sim.py MANRS WORLD [N] -- does `manrs whatif` route a simulated world's
incidents exactly as the simulator did?

The simulator and whatif share one router (src/sim/sim_route.c). Given the
world's true deployment (truth.json: who runs ROV, filters customers, speaks
RFC 9234 OTC, prepends, sells partial transit), whatif must find, for every
hijack and route leak of the world, exactly the ASes truth.json lists as its
propagators: the ASes others took the culprit's route from, plus the collector
peers that took it. Prints the agreement; exit 1 unless it is 100 %.
"""
import json
import os
import subprocess
import sys
import tempfile

manrs, world = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 0
# WHATIF_SIM_NO_POLICY=1: leave the deployment out (the check must then fail:
# it proves that it can)
no_policy = os.environ.get("WHATIF_SIM_NO_POLICY") == "1"
truth = json.load(open(os.path.join(world, "truth.json")))

# the deployment before any adoption, as whatif --policy reads it
lines = []
for n in truth["networks"]:
    words = []
    if n.get("rov"):
        words.append("rov")
    if n.get("filters_customers"):
        words.append("filter")
    if n.get("otc"):
        words.append("otc")
    if n.get("prepend"):
        words.append("prepend=%d" % n["prepend"])
    if words:
        lines.append("%d %s" % (n["asn"], " ".join(words)))
for c in truth["confounders"]:
    if c["kind"] == "partial-transit":
        lines.append("%d partial-transit=%d" % (c["ases"][0], c["ases"][1]))
pol = tempfile.NamedTemporaryFile("w", suffix=".policy", delete=False)
pol.write("# the simulated world's true deployment (from truth.json)\n" + "\n".join(lines) + "\n")
pol.close()

# the collector peers (they pass what they took on to the collector)
dump = subprocess.run([manrs, "dump", "-m", os.path.join(world, "rib.mrt.gz")], capture_output=True, text=True,
                      check=True).stdout
peers = {int(l.split("|")[4]) for l in dump.splitlines() if l.count("|") > 5}

kinds = {"hijack-origin": "origin", "hijack-subprefix": "sub", "hijack-path": "forged"}
leak_to = {1: "providers", 2: "peers", 3: "peers", 4: "providers"}
total = agree = 0
for inc in truth["incidents"]:
    cls = inc["class"]
    if cls not in kinds and cls != "route-leak":
        continue
    if limit and total >= limit:
        break
    cmd = [manrs, "whatif", "--world", world] + ([] if no_policy else ["--policy", pol.name]) + ["--members", "--json",
           "--by", str(inc["culprit"]), "--origin", str(inc["victim"])]
    if cls == "route-leak":
        cmd += ["--leak", inc["prefix"], "--leak-to", leak_to[inc["leak_type"]]]
    else:
        cmd += ["--hijack", inc["prefix"], "--type", kinds[cls]]
    p = subprocess.run(cmd, capture_output=True, text=True)
    total += 1
    if p.returncode != 0:
        print("incident %d (%s %s by AS%d): whatif failed: %s" % (inc["id"], cls, inc["prefix"], inc["culprit"],
                                                                  p.stderr.strip()))
        continue
    r = json.loads(p.stdout)
    got = (set(r["propagators"]) | (set(r["captured_ases"]) & peers)) - {inc["culprit"]}
    want = set(inc["propagators"])
    if got == want:
        agree += 1
    else:
        print("incident %d (%s %s by AS%d): whatif %d propagators, truth %d; only whatif: %s; only truth: %s" % (
            inc["id"], cls, inc["prefix"], inc["culprit"], len(got), len(want), sorted(got - want)[:8],
            sorted(want - got)[:8]))
os.unlink(pol.name)
print("whatif agrees with the simulator on %d of %d hijacks and route leaks (%.1f%%)" % (
    agree, total, 100.0 * agree / total if total else 0))
sys.exit(0 if total and agree == total else 1)
