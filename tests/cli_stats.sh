#!/bin/sh
# manrs stats counts against bgpdump's line counts (one line per RIB entry,
# announced/withdrawn prefix, state change) on real files, and the exit status and
# summary on damaged input.
set -u
DATA=${MANRS_DATA:-../shared/data}/mrt
BIN=${MANRS_BIN:?}
if [ ! -d "$DATA" ]; then echo "SKIP: real MRT data not found at $DATA"; exit 77; fi
if ! command -v bgpdump >/dev/null; then echo "SKIP: bgpdump not installed"; exit 77; fi
fail=0; pass=0
for f in updates.20160811.1600.gz updates.et-header.2015.gz rib6.20151101.0600_firstMB.complete-records.bz2 \
         bview.20020722.2337.gz routeviews.route-views.jinx.updates.1427846400.bz2 lab/bview.ipv6_unicast_add_path.gz; do
    ref=$(bgpdump -m "$DATA/$f" 2>/dev/null | awk -F'|' '{c[$3]++} END {printf "%d %d %d %d", c["B"], c["A"], c["W"], c["STATE"]}')
    got=$("$BIN" stats --json "$DATA/$f" | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["rib_entries"], j["announcements"], j["withdrawals"], j["state_changes"])')
    if [ "$ref" = "$got" ]; then pass=$((pass+1)); echo "ok   $f: $got"; else fail=$((fail+1)); echo "FAIL $f: bgpdump $ref, manrs $got"; fi
done
# distinct prefixes and peers of a RIB, computed independently from bgpdump output
f=rib6.20151101.0600_firstMB.complete-records.bz2
ref=$(bgpdump -m "$DATA/$f" 2>/dev/null | awk -F'|' '{p[$6]=1; q[$4"|"$5]=1} END {n=0; for (k in p) n++; m=0; for (k in q) m++; print n, m}')
got=$("$BIN" stats --json "$DATA/$f" | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["prefixes_ipv4"]+j["prefixes_ipv6"], j["peers"])')
if [ "$ref" = "$got" ]; then pass=$((pass+1)); echo "ok   distinct prefixes/peers $got"; else fail=$((fail+1)); echo "FAIL distinct prefixes/peers: awk $ref, manrs $got"; fi
# damaged input: exit 1, counted in the summary, offsets named
out=$("$BIN" stats --json "$DATA/rib6.20151101.0600_firstMB.bz2" 2>/tmp/stats.err.$$); rc=$?
if [ $rc = 1 ] && echo "$out" | grep -q '"truncated_files":1' && grep -q "offset [0-9]*: " /tmp/stats.err.$$; then
    pass=$((pass+1)); echo "ok   truncated input reported"
else fail=$((fail+1)); echo "FAIL truncated input: rc=$rc $out"; fi
rm -f /tmp/stats.err.$$
# usage errors
"$BIN" stats >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass=$((pass+1)) || { fail=$((fail+1)); echo "FAIL no-argument exit $rc"; }
"$BIN" stats /nonexistent/file 2>/dev/null >/dev/null; rc=$?
[ $rc = 1 ] && pass=$((pass+1)) || { fail=$((fail+1)); echo "FAIL missing file exit $rc"; }
echo "stats: $pass passed, $fail failed"
[ $fail = 0 ]
