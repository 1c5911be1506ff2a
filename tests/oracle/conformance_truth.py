#!/usr/bin/env python3
"""Score `manrs conformance --format json` against a simulated world's truth.json
("participants": the conformance its ground truth implies, docs/sim.md).

usage: conformance_truth.py TRUTH.json CONFORMANCE.json [MIN_AGREEMENT [history]]
Prints the agreement over (participant, ASN, Action) and over the enforcement
states, lists every disagreement, and exits 1 below MIN_AGREEMENT (default 0.99)
or when the participants, ASNs or committed Actions differ at all.

The expected state is folded here, independently of manrs, from the documented
state machine (docs/programme.md; grace periods 2 for MANRS, 0 for MANRS+) over
the truth's outcomes: the last month only (a run without a store starts from
conformant), or with "history" every month of the truth's history (a run that
continued from a store holding the earlier months)."""
import json
import sys


GRACE = {"manrs": 2, "manrs-plus": 0}


def fold(outcomes, tier):
    """The enforcement state after these outcomes, from conformant."""
    state, failing = "conformant", 0
    for o in outcomes:
        if o == "conformant":
            state, failing = ("reinstated" if state == "suspended" else "conformant"), 0
        elif o == "not-conformant":
            failing += 1
            if state == "suspended" or failing >= 2 + GRACE[tier]:
                state = "suspended"
            else:
                state = "notice" if failing == 1 else "grace"
    return state


def main():
    truth = json.load(open(sys.argv[1]))
    got = json.load(open(sys.argv[2]))
    need = float(sys.argv[3]) if len(sys.argv) > 3 else 0.99
    whole = len(sys.argv) > 4 and sys.argv[4] == "history"
    want = {p["id"]: p for p in truth["participants"]}
    have = {p["id"]: p for p in got["participants"]}
    bad = 0
    if set(want) != set(have):
        print("participants differ: missing %s, extra %s" % (sorted(set(want) - set(have))[:10],
                                                               sorted(set(have) - set(want))[:10]))
        return 1
    total = agree = 0
    states = states_ok = 0
    by_action = {}
    for pid, tp in want.items():
        gp = have[pid]
        gasns = {a["asn"]: a for a in gp["asns"]}
        for ta in tp["asns"]:
            ga = gasns.get(ta["asn"])
            if ga is None:
                print("%s: AS%d missing" % (pid, ta["asn"]))
                return 1
            gact = {str(x["action"]): x for x in ga["actions"]}
            if set(gact) != set(ta["actions"]):
                print("%s AS%d: committed Actions differ: %s vs %s" % (pid, ta["asn"], sorted(gact),
                                                                      sorted(ta["actions"])))
                return 1
            for k, tv in ta["actions"].items():
                total += 1
                t = by_action.setdefault(k, [0, 0])
                t[0] += 1
                if gact[k]["verdict"] == tv:
                    agree += 1
                    t[1] += 1
                else:
                    bad += 1
                    if bad <= 40:
                        print("disagree: %s AS%d Action %s: truth %s, measured %s (%s; incidents %s)" % (
                            pid, ta["asn"], k, tv, gact[k]["verdict"], gact[k]["basis"], gact[k]["incidents"]))
        states += 1
        outs = [h["outcome"] for h in tp["history"]] if whole else [tp["outcome"]]
        want_state = fold(outs, tp["tier"])
        if gp["enforcement"]["state"] == want_state:
            states_ok += 1
        elif bad <= 40:
            print("state: %s truth %s (%s), measured %s" % (pid, want_state, outs, gp["enforcement"]["state"]))
    share = agree / total if total else 0
    print("verdicts: %d of %d (participant, ASN, Action) agree with the truth: %.2f %%" % (agree, total, 100 * share))
    for k in sorted(by_action):
        n, a = by_action[k]
        print("  Action %s: %d of %d" % (k, a, n))
    print("enforcement states: %d of %d" % (states_ok, states))
    nots = sum(1 for p in want.values() if p["outcome"] == "not-conformant")
    lapsed = sum(1 for p in want.values() if p.get("lapse"))
    print("participants not conformant in truth: %d of %d (%d lapse at some point)" % (nots, len(want), lapsed))
    if share < need or states_ok / max(states, 1) < need:
        print("FAIL: below %.1f %%" % (100 * need))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
