#!/usr/bin/python3
"""Independent reference for tests/cli_antispoof.sh: the customer cone of an AS
from a CAIDA as-rel file (breadth-first down p2c links), the route/route6 objects
of the cone's ASes from RPSL dumps, their VRPs (--vrps CSV), and the exact aggregation with Python's
ipaddress.collapse_addresses. Prints one aggregated prefix per line (IPv4 first,
then IPv6, by address) after dropping the IANA private/special blocks that manrs
drops as bogons (checked with ipaddress's is_private/is_reserved/... flags,
a different implementation from manrs's table)."""
import bz2, gzip, ipaddress, re, sys, collections

def opener(p):
    return bz2.open(p, 'rt') if p.endswith('.bz2') else gzip.open(p, 'rt', errors='replace') if p.endswith('.gz') else open(p, errors='replace')

args = sys.argv[1:]
vrps = None
if '--vrps' in args:
    i = args.index('--vrps')
    vrps = args[i + 1]
    del args[i:i + 2]
asn = int(args[0].upper().removeprefix('AS'))
asrel = args[1]
dumps = args[2:]
cust = collections.defaultdict(set)
for l in opener(asrel):
    if l.startswith('#'):
        continue
    a, b, r = l.strip().split('|')[:3]
    if r == '-1':
        cust[int(a)].add(int(b))
cone, todo = {asn}, [asn]
while todo:
    x = todo.pop()
    for c in cust[x]:
        if c not in cone:
            cone.add(c)
            todo.append(c)
nets = []
for d in dumps:
    obj = {}
    for l in list(opener(d)) + ['\n']:
        if l.strip() == '':
            if ('route' in obj or 'route6' in obj) and 'origin' in obj:
                o = int(obj['origin'].upper().removeprefix('AS'))
                if o in cone:
                    nets.append(ipaddress.ip_network(obj.get('route') or obj.get('route6')))
            obj = {}
            continue
        m = re.match(r'^([a-z0-9-]+):\s*(\S*)', l, re.I)
        if m and m.group(1).lower() not in obj:
            obj[m.group(1).lower()] = m.group(2)
if vrps:
    # RIPE validator CSV (URI,ASN,IP Prefix,Max Length,...) or ASN,IP Prefix,Max Length
    import csv
    rows = csv.reader(opener(vrps))
    head = [h.strip().lower() for h in next(rows)]
    ia, ip = head.index('asn'), head.index('ip prefix')
    for r in rows:
        o = r[ia].strip().upper().removeprefix('AS')
        if o.isdigit() and int(o) in cone and int(o) != 0:
            nets.append(ipaddress.ip_network(r[ip].strip()))
def bogon(n):
    a = n.network_address
    return (n.is_private or n.is_reserved or n.is_multicast or n.is_loopback or n.is_link_local
            or n.is_unspecified) and not (n.version == 6 and n.subnet_of(ipaddress.ip_network('2001::/32')))
keep = [n for n in nets if not bogon(n) and n.prefixlen >= (8 if n.version == 4 else 16)]
print('# cone', ' '.join(str(a) for a in sorted(cone)), file=sys.stderr)
for v in (4, 6):
    for n in ipaddress.collapse_addresses(sorted(x for x in keep if x.version == v)):
        print(n)
