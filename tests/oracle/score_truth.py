#!/usr/bin/env python3
"""score_truth.py — score a `manrs observe --json` run against a `manrs sim` truth.json.

Incidents: only high-confidence detections are scored (what the observatory
publishes; low ones are listed, never scored), unless --include-low. A detected
incident matches a truth incident when class, prefix and culprit are equal
(several detections of one truth incident count once). Per class:
precision = matched detections / detections; recall = matched truth incidents /
truth incidents the data can support: visible_peers >= 1 for the facts about a
route (bogons, RPKI-invalid), >= 2 for the findings that rest on how far a route
went (leaks, hijacks, forged paths), which the observatory publishes only when more
than one collector peer saw them (docs/observe.md "Evidence strength"; with
--include-low, >= 1 for every class).
Victims: of the matched detections whose truth incident has a victim, the share
that names it among their "victims" (--min-victims, default 0.95), and how many
name a network the truth does not (reported).
Postures: per action, the confusion matrix of truth manrs_participant against the
observed status "ready".

usage: score_truth.py TRUTH OBSERVED [--min-precision P] [--min-recall R] [--min-victims V]
       [--floor CLASS=P,R ...] [--include-low] [--verbose]
Exit 0 when every class meets its targets (and readiness separates participants),
1 otherwise; the figures are printed either way.
"""
import json
import sys

CLASSES = ["route-leak", "hijack-origin", "hijack-subprefix", "hijack-path",
           "bogon-prefix", "bogon-asn", "rpki-invalid"]
# classes that state a fact about the route itself, true at any number of peers
FACTS = {"bogon-prefix", "bogon-asn", "rpki-invalid"}


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    opts = {}
    floors = {}
    it = iter(argv[1:])
    for a in it:
        if a in ("--min-precision", "--min-recall", "--min-victims"):
            opts[a] = float(next(it))
        elif a == "--floor":
            c, v = next(it).split("=")
            p, r = v.split(",")
            floors[c] = (float(p), float(r))
        elif a in ("--verbose", "--include-low"):
            opts[a] = True
    truth = json.load(open(args[0]))
    obs = json.load(open(args[1]))
    minp = opts.get("--min-precision", 0.99)
    minr = opts.get("--min-recall", 0.95)
    ok = True
    vic_named = vic_all = vic_extra = 0
    tkey = {}
    for t in truth["incidents"]:
        tkey[(t["class"], t["prefix"], t["culprit"])] = t
    print("%-17s %6s %6s %6s %6s %9s %7s %5s" % ("class", "truth", "vis", "found", "det", "precision", "recall",
                                                  "low"))
    for c in CLASSES:
        need = 1 if c in FACTS or opts.get("--include-low") else 2
        tv = [t for t in truth["incidents"] if t["class"] == c and t.get("visible_peers", 1) >= need]
        every = [d for d in obs["incidents"] if d["class"] == c]
        det = [d for d in every if opts.get("--include-low") or d.get("confidence", "high") == "high"]
        good = [d for d in det if (c, d["prefix"], d["culprit"]) in tkey]
        found = {(c, d["prefix"], d["culprit"]) for d in good}
        hit = [t for t in tv if (c, t["prefix"], t["culprit"]) in found]
        for d in good:
            t = tkey[(c, d["prefix"], d["culprit"])]
            if t.get("victim"):
                vic_all += 1
                vic_named += t["victim"] in d.get("victims", [])
                vic_extra += any(v != t["victim"] for v in d.get("victims", []))
                if opts.get("--verbose") and t["victim"] not in d.get("victims", []):
                    print("   VICTIM", c, d["prefix"], "truth", t["victim"], "named", d.get("victims"))
        prec = len(good) / len(det) if det else 1.0
        rec = len(hit) / len(tv) if tv else 1.0
        p_t, r_t = floors.get(c, (minp, minr))
        flag = "" if prec >= p_t and rec >= r_t else "  BELOW TARGET (%.2f, %.2f)" % (p_t, r_t)
        if flag:
            ok = False
        print("%-17s %6d %6d %6d %6d %9.3f %7.3f %5d%s" % (c, sum(1 for t in truth["incidents"] if t["class"] == c),
                                                           len(tv), len(hit), len(det), prec, rec,
                                                           len(every) - len(det), flag))
        if opts.get("--verbose"):
            for d in det:
                if (c, d["prefix"], d["culprit"]) not in tkey:
                    print("   FP", d["prefix"], d["culprit"], d.get("evidence", [{}])[0].get("as_path"),
                          d.get("evidence", [{}])[0].get("note"))
            for t in tv:
                if (c, t["prefix"], t["culprit"]) not in found:
                    print("   FN", t["prefix"], t["culprit"], t.get("visible_peers"), t.get("leak_type"))
    minv = opts.get("--min-victims", 0.95)
    vshare = vic_named / vic_all if vic_all else 1.0
    print("victims: %d of %d matched detections name the true victim (%.3f), %d name another network too%s"
          % (vic_named, vic_all, vshare, vic_extra, "" if vshare >= minv else "  BELOW TARGET (%.2f)" % minv))
    if vshare < minv:
        ok = False
    # postures
    nets = {n["asn"]: n for n in obs["networks"]}
    print("readiness vs truth manrs_participant (ready / not ready / no data)")
    sep_ok = True
    for k in (1, 2, 3, 4):
        m = {(True, "ready"): 0, (True, "not"): 0, (True, "no_data"): 0,
             (False, "ready"): 0, (False, "not"): 0, (False, "no_data"): 0}
        for t in truth["networks"]:
            n = nets.get(t["asn"])
            st = n["actions"]["action%d" % k]["status"] if n else "no_data"
            st = st if st in ("ready", "no_data") else "not"
            m[(t["manrs_participant"], st)] += 1
        pr = m[(True, "ready")] / max(1, m[(True, "ready")] + m[(True, "not")])
        nr = m[(False, "ready")] / max(1, m[(False, "ready")] + m[(False, "not")])
        print("  action %d: participants %4d / %4d / %4d  others %4d / %4d / %4d   ready rate %.2f vs %.2f"
              % (k, m[(True, "ready")], m[(True, "not")], m[(True, "no_data")],
                 m[(False, "ready")], m[(False, "not")], m[(False, "no_data")], pr, nr))
        if k in (2, 3, 4) and not pr > nr + 0.2:
            sep_ok = False
    if not sep_ok:
        print("readiness does not separate participants from the others")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
