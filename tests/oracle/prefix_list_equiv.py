#!/usr/bin/env python3
"""prefix_list_equiv.py A B — do two Cisco-style prefix-lists accept the same set
of routes? Used by tests/cli_filter_bgpq4.sh to compare aggregated (-A) output of
manrs filter and bgpq4, whose aggregation picks a different (equally exact)
representation. Each 'permit P [ge a] [le b]' line is expanded to the set of
(prefix, length) pairs it accepts; exit 0 if the sets are equal, 1 otherwise
(printing a few differences)."""
import ipaddress
import sys


def expand(path):
    acc = set()
    for line in open(path):
        w = line.split()
        if len(w) < 5 or w[0] not in ("ip", "ipv6") or w[3] != "permit":
            continue
        net = ipaddress.ip_network(w[4])
        lo = hi = net.prefixlen
        rest = w[5:]
        for i in range(0, len(rest), 2):
            if rest[i] == "ge":
                lo = int(rest[i + 1])
                hi = max(hi, lo)
            elif rest[i] == "le":
                hi = int(rest[i + 1])
        if "ge" not in rest:
            lo = net.prefixlen
        for L in range(lo, hi + 1):
            if L == net.prefixlen:
                acc.add((net.network_address, L))
                continue
            for sub in net.subnets(new_prefix=L):
                acc.add((sub.network_address, L))
    return acc


a, b = expand(sys.argv[1]), expand(sys.argv[2])
if a == b:
    print("equivalent: %d accepted (prefix, length) pairs" % len(a))
    sys.exit(0)
print("DIFFERENT: %d only in %s, %d only in %s" % (len(a - b), sys.argv[1], len(b - a), sys.argv[2]))
for x in sorted(a - b, key=str)[:5]:
    print("  only in A:", x)
for x in sorted(b - a, key=str)[:5]:
    print("  only in B:", x)
sys.exit(1)
