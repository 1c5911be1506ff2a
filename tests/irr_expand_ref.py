#!/usr/bin/env python3
"""irr_expand_ref.py - an independent, deliberately simple reference for the
as-set expansion tests (tests/test_irr_data.c): parses an RPSL dump (plain or
gzip) with Python's own string handling and prints the ASNs an as-set expands
to, one per line, sorted numerically.

Usage: irr_expand_ref.py DUMP AS-SET-NAME... | irr_expand_ref.py DUMP --stats
Rules: objects are separated by blank lines; a line starting with space, tab or
'+' continues the previous attribute; '#' starts a comment; '%'/'#' lines are
comments. Members are split at commas and white space; AS numbers are "AS<n>";
as-set names start with AS- (or are hierarchical with such a component).
Every reachable set is expanded once (cycles end there); unknown sets add
nothing. Prints one line per name: "NAME: ASN ASN ..." (sorted numerically).
With --stats, prints "sets=N members=M" for the whole dump instead.
"""
import gzip
import re
import sys


def objects(path):
    opener = gzip.open if open(path, 'rb').read(2) == b'\x1f\x8b' else open
    with opener(path, 'rt', encoding='latin-1', newline='') as f:
        cur, key = [], None
        for raw in f:
            line = raw.rstrip('\n').rstrip('\r')
            if line.strip() == '':
                if cur:
                    yield cur
                cur, key = [], None
                continue
            if line[0] in '%#':
                continue
            if line[0] in ' \t+':
                if cur:
                    val = line[1:].split('#', 1)[0].strip()
                    if val:
                        k, v = cur[-1]
                        cur[-1] = (k, (v + ' ' + val) if v else val)
                continue
            k, _, v = line.partition(':')
            cur.append((k.strip().lower(), v.split('#', 1)[0].strip()))
        if cur:
            yield cur


def main():
    path, names = sys.argv[1], [a.upper() for a in sys.argv[2:]]
    sets = {}
    nmembers = 0
    for obj in objects(path):
        if obj[0][0] != 'as-set':
            continue
        members = []
        for k, v in obj[1:]:
            if k in ('members', 'mp-members'):
                members += [t for t in re.split(r'[,\s]+', v) if t]
        nmembers += len(members)
        sets.setdefault(obj[0][1].upper(), members)
    if '--stats' in sys.argv:
        print('sets=%d members=%d' % (len(sets), nmembers))
        return
    for name in names:
        asns, seen, stack = set(), set(), [name]
        while stack:
            s = stack.pop()
            if s in seen:
                continue
            seen.add(s)
            for m in sets.get(s, []):
                mu = m.upper()
                if re.fullmatch(r'AS\d+', mu):
                    asns.add(int(mu[2:]))
                elif 'AS-' in mu:
                    stack.append(mu)
        print('%s:%s' % (name, ''.join(' %d' % a for a in sorted(asns))))

main()
