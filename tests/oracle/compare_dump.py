#!/usr/bin/python3
"""Compare `manrs dump -m` with `bgpdump -m` on one MRT file, per the rule named by MODE.

Modes (see docs/dump-format.md, "Deviations", for why each exists):
  exact                 byte-identical output
  aggregator            identical except the aggregator field of lines whose AGGREGATOR
                        attribute is 8 bytes long in a 2-byte-ASN record (bgpdump reads it as
                        a 2-byte ASN); there manrs must equal python3-mrtparse's decoding
  v1-withdraw           identical except withdrawn prefixes of the deprecated BGP type, where
                        bgpdump prints the peer address instead of the prefix address
                        (inet_ntoa's static buffer used twice in one printf); lengths must agree
  continues:N           bgpdump stops at damage manrs recovers from: bgpdump's lines after
                        dropping its first N lines (garbage from a damaged record manrs skips)
                        must be a prefix of manrs's lines (v1-withdraw rule applied)
  garbage:K:SIG          bgpdump's first K lines must start manrs's output; all its later lines
                        must carry SIG: they are what bgpdump prints for a record whose header
                        is damaged (manrs skips that header and reads the records inside it)
  addpath:REF_OUT       ADD-PATH session recorded under plain subtypes: bgpdump prints garbage;
                        every announcement of the correctly recorded sibling file (bgpdump
                        output REF_OUT) must appear in manrs's output (timestamps ignored)
Exit 0 if the rule holds, 1 with a short report otherwise.
"""
import sys


def fail(msg):
    print("MISMATCH: " + msg)
    sys.exit(1)


def v1_withdraw_equal(r, o):
    rf, of = r.split("|"), o.split("|")
    if len(rf) != 6 or len(of) != 6 or rf[0] != "BGP" or rf[2] != "W":
        return False
    if rf[:5] != of[:5]:
        return False
    raddr, rlen = rf[5].split("/")
    oaddr, olen = of[5].split("/")
    return raddr == rf[3] and rlen == olen


def mrtparse_aggregators(path):
    from mrtparse import Reader
    seen = {}
    for m in Reader(path):
        td = getattr(m.mrt, "td", None)
        if td is None:
            continue
        for a in td.attr:
            if a.type == 7:
                key = (td.peer_ip, "%s/%s" % (td.prefix, td.plen))
                seen.setdefault(key, set()).add("%s %s" % (a.aggr["asn"], a.aggr["id"]))
    return seen


def main():
    mode, mrt, ref_path, out_path = sys.argv[1:5]
    ref = open(ref_path, encoding="utf-8", errors="replace").read().splitlines()
    out = open(out_path, encoding="utf-8", errors="replace").read().splitlines()
    if mode == "exact":
        if ref != out:
            for i, (r, o) in enumerate(zip(ref, out)):
                if r != o:
                    fail("line %d\n  bgpdump: %s\n  manrs:   %s" % (i + 1, r, o))
            fail("line counts differ: bgpdump %d, manrs %d" % (len(ref), len(out)))
        return
    if mode == "aggregator":
        if len(ref) != len(out):
            fail("line counts differ: bgpdump %d, manrs %d" % (len(ref), len(out)))
        truth = None
        changed = 0
        for i, (r, o) in enumerate(zip(ref, out)):
            if r == o:
                continue
            rf, of = r.split("|"), o.split("|")
            if len(rf) != len(of) or rf[:13] != of[:13] or rf[14:] != of[14:]:
                fail("line %d differs outside the aggregator\n  bgpdump: %s\n  manrs:   %s" % (i + 1, r, o))
            if truth is None:
                truth = mrtparse_aggregators(mrt)
            if of[13] not in truth.get((of[3], of[5]), set()):
                fail("line %d: manrs aggregator %r, mrtparse has %r" % (i + 1, of[13], truth.get((of[3], of[5]))))
            changed += 1
        if not changed:
            fail("expected aggregator deviations, found none (manifest out of date?)")
        print("ok: %d lines identical, %d aggregators as mrtparse decodes them" % (len(ref) - changed, changed))
        return
    if mode == "v1-withdraw" or mode.startswith("continues"):
        drop = int(mode.split(":")[1]) if mode.startswith("continues") else 0
        ref = ref[drop:]
        if mode == "v1-withdraw" and len(ref) != len(out):
            fail("line counts differ: bgpdump %d, manrs %d" % (len(ref), len(out)))
        if len(out) < len(ref):
            fail("manrs printed fewer lines (%d) than bgpdump (%d)" % (len(out), len(ref)))
        dev = 0
        for i, r in enumerate(ref):
            o = out[i]
            if r == o:
                continue
            if v1_withdraw_equal(r, o):
                dev += 1
                continue
            fail("line %d\n  bgpdump: %s\n  manrs:   %s" % (i + 1 + drop, r, o))
        print("ok: %d bgpdump lines matched (%d withdrawn-prefix deviations), manrs printed %d more"
              % (len(ref), dev, len(out) - len(ref)))
        return
    if mode.startswith("garbage:"):
        _, k, sig = mode.split(":", 2)
        k = int(k)
        for i in range(k):
            if i >= len(out) or not (ref[i] == out[i] or v1_withdraw_equal(ref[i], out[i])):
                fail("line %d\n  bgpdump: %s\n  manrs:   %s" % (i + 1, ref[i], out[i] if i < len(out) else None))
        bad = [l for l in ref[k:] if sig not in l]
        if bad:
            fail("bgpdump line without the damaged-record signature: " + bad[0])
        if any(sig in l for l in out):
            fail("manrs printed a line of the damaged record")
        print("ok: first %d lines match; %d bgpdump lines from the damaged header not printed; manrs printed %d lines"
              % (k, len(ref) - k, len(out)))
        return
    if mode.startswith("addpath:"):
        sib = open(mode.split(":", 1)[1], encoding="utf-8").read().splitlines()
        strip = lambda l: "|".join(l.split("|")[:1] + l.split("|")[2:])
        have = set(strip(l) for l in out)
        want = [strip(l) for l in sib if "|A|" in l]
        missing = [w for w in want if w not in have]
        if not want or missing:
            fail("%d of %d announcements of the sibling file missing, e.g. %s" % (len(missing), len(want), missing[:1]))
        if any("|A|" in l and not l.startswith("BGP4MP_AP|") for l in out):
            fail("announcement not decoded with path identifiers")
        print("ok: all %d sibling announcements recovered" % len(want))
        return
    fail("unknown mode " + mode)


main()
