#!/usr/bin/env python3
"""check_verdicts.py — hold a real-data run to its reviewed verdicts.

usage: check_verdicts.py VERDICTS CASE RUN_JSON

VERDICTS is a tab-separated file (tests/real/verdicts.tsv): case, class, culprit,
prefix, verdict (true | false), why. Every high-confidence incident of RUN_JSON
must be listed for CASE (a new one has to be reviewed before it is published);
every listed `true` incident must still be found at high confidence (a documented
incident must not disappear). A listed `false` one that is gone is reported as
fixed (remove it from the list). Exit 0 when both hold, 1 otherwise.
"""
import json
import sys


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    vfile, case, run = argv[1:]
    listed = {}
    for n, line in enumerate(open(vfile, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        if len(f) != 6 or f[4] not in ("true", "false") or not f[5].strip():
            print("%s:%d: expected case, class, culprit, prefix, true|false, why" % (vfile, n))
            return 1
        if f[0] == case:
            listed[(f[1], int(f[2]), f[3])] = (f[4], f[5])
    d = json.load(open(run))
    high = {(i["class"], i["culprit"], i["prefix"]) for i in d["incidents"] if i.get("confidence") == "high"}
    ok = True
    for k in sorted(high - listed.keys(), key=str):
        print("FAIL %s: high-confidence %s by AS%d on %s is not reviewed (add it to %s)" % (case, k[0], k[1], k[2], vfile))
        ok = False
    for k, (verdict, why) in sorted(listed.items(), key=lambda kv: str(kv[0])):
        if k in high:
            continue
        if verdict == "true":
            print("FAIL %s: documented %s by AS%d on %s is no longer found at high confidence (%s)" % (case, k[0], k[1], k[2], why))
            ok = False
        else:
            print("note %s: false positive %s by AS%d on %s is gone: remove it from %s" % (case, k[0], k[1], k[2], vfile))
    t = sum(1 for k in high if listed.get(k, ("",))[0] == "true")
    print("%s: %d high-confidence incidents, %d true, %d known false" % (case, len(high), t, len(high) - t))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
