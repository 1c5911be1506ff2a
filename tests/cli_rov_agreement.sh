#!/bin/sh
# cli_rov_agreement.sh — `manrs validate` and rtrlib (rpki-rov fed by StayRTR over
# RTR) must give the same RFC 6811 state for every route.
#
# Routes: the distinct (prefix, origin) pairs of real MRT data (a 2002 RIS RIB, a
# 2015 IPv6 RIB excerpt and 2016 RouteViews updates), read with bgpdump. VRPs are
# built around those routes so that every state occurs thousands of times: exact
# ROAs, wrong-origin ROAs, covering ROAs whose maxLength is too short, covering
# ROAs whose maxLength range includes the route, AS 0 ROAs, wrong-origin covering
# ROAs with the longest maxLength, and no ROA at all (for whole address blocks). Requires 100% agreement.
# Routes whose path ends in an AS_SET, with origin 0 (RFC 7607: manrs never matches
# AS 0, rtrlib would), or of length 0 (rtrlib aborts on /0) are not compared.
set -eu
: "${MANRS_BIN:?}" "${MANRS_DATA:?}" "${MANRS_TMP:?}"
for t in stayrtr rpki-rov bgpdump /usr/bin/python3; do
    command -v "$t" >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
done
mrt=$MANRS_DATA/mrt
for f in bview.20020722.2337.gz rib6.20151101.0600_firstMB.complete-records.bz2 updates.20160811.1600.gz; do
    [ -f "$mrt/$f" ] || { echo "SKIP: $mrt/$f not found"; exit 77; }
done
tmp=$MANRS_TMP/rov_agreement.$$
mkdir -p "$tmp"
srv=""
cleanup() {
    rc=$?
    if [ -n "$srv" ]; then kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null || true; fi
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# 1. Distinct "prefix origin" pairs from real MRT data (field 6 prefix, 7 AS path).
for f in bview.20020722.2337.gz rib6.20151101.0600_firstMB.complete-records.bz2 updates.20160811.1600.gz; do
    bgpdump -m "$mrt/$f" 2>/dev/null
done | awk -F'|' '$3 == "B" || $3 == "A" {
        n = split($7, a, " "); o = a[n]
        if (n == 0 || o !~ /^[0-9]+$/ || o == 0 || $6 ~ /\/0$/) next
        k = $6 " " o; if (!(k in seen)) { seen[k] = 1; print k } }' > "$tmp/routes.txt"
nroutes=$(wc -l < "$tmp/routes.txt")
[ "$nroutes" -gt 50000 ] || { echo "FAIL: only $nroutes routes extracted"; exit 1; }

# 2. VRPs around the routes (deterministic).
/usr/bin/python3 - "$tmp/routes.txt" "$tmp/vrps.json" <<'PY'
import ipaddress, json, sys
roas = []
def add(net, maxlen, asn):
    roas.append({"prefix": str(net), "maxLength": maxlen, "asn": "AS%d" % asn})
for i, line in enumerate(open(sys.argv[1])):
    pfx, origin = line.split()
    net = ipaddress.ip_network(pfx, strict=False)
    o = int(origin)
    bits = net.max_prefixlen
    L = net.prefixlen
    floor = 8 if bits == 32 else 16
    other = o + 1 if o < 4294967295 else o - 1
    k = i % 7
    # One address block in four gets no ROA at all, so that NotFound is common
    # although real routes nest deeply (blocks: IPv4 /8, IPv6 /20).
    block = int(net.network_address) >> (bits - (8 if bits == 32 else 20))
    if block % 4 == 1:
        continue
    if k == 0:
        add(net, L, o)                                  # exact: valid
    elif k == 1:
        add(net, L, other)                              # wrong origin: invalid
    elif k <= 4 and L > floor:
        up = net.supernet(new_prefix=max(floor, L - 1 - i % 3))
        if k == 2:
            add(up, L - 1, o)                           # maxLength too short: invalid
        elif k == 3:
            add(up, L, o)                               # maxLength range: valid
        else:
            add(up, bits, 0)                            # AS 0: invalid
    elif k == 5 and L > floor:
        add(net.supernet(new_prefix=L - 1), bits, other)  # covering, wrong origin
    # k == 6: no ROA of its own
json.dump({"metadata": {"generated": 1700000000, "counts": len(roas)}, "roas": roas}, open(sys.argv[2], "w"))
PY

# 3. StayRTR on random local ports, rtrlib's rpki-rov as the client.
port=$(( 20000 + $$ % 20000 ))
stayrtr -cache "$tmp/vrps.json" -bind "127.0.0.1:$port" -checktime=false \
    -metrics.addr "127.0.0.1:$((port + 1))" -protocol 1 >"$tmp/stayrtr.log" 2>&1 &
srv=$!
# Wait (at most 60 s) until StayRTR has loaded the file: before that it answers
# "No data available" and rpki-rov gives up.
i=0
until grep -q "new serial" "$tmp/stayrtr.log" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 120 ] && kill -0 "$srv" 2>/dev/null || break
    sleep 0.5
done
kill -0 "$srv" 2>/dev/null || { echo "SKIP: stayrtr did not start"; cat "$tmp/stayrtr.log"; exit 77; }
if grep -q "level=error" "$tmp/stayrtr.log"; then echo "FAIL: stayrtr rejected the VRPs"; cat "$tmp/stayrtr.log"; exit 1; fi
awk '{ split($1, p, "/"); print p[1], p[2], $2 }' "$tmp/routes.txt" |
    timeout 300 rpki-rov 127.0.0.1 "$port" 2>/dev/null | grep '|' | awk -F'|' '{ print $3 }' > "$tmp/rtrlib.txt"

# 4. manrs.
"$MANRS_BIN" validate --json --vrps "$tmp/vrps.json" < "$tmp/routes.txt" > "$tmp/manrs.jsonl"

# 5. Compare line by line (rpki-rov: 0 valid, 1 not found, 2 invalid).
/usr/bin/python3 - "$tmp/routes.txt" "$tmp/rtrlib.txt" "$tmp/manrs.jsonl" <<'PY'
import json, sys
routes = open(sys.argv[1]).read().split("\n")[:-1]
ref = open(sys.argv[2]).read().split()
ours = [json.loads(l) for l in open(sys.argv[3])]
code = {"valid": "0", "not-found": "1", "invalid": "2"}
if not (len(routes) == len(ref) == len(ours)):
    sys.exit("FAIL: %d routes, %d rtrlib answers, %d manrs answers" % (len(routes), len(ref), len(ours)))
bad = 0
counts = {}
for r, a, b in zip(routes, ref, ours):
    counts[b["rov"]] = counts.get(b["rov"], 0) + 1
    if code[b["rov"]] != a:
        bad += 1
        if bad <= 10:
            print("DISAGREE: %s rtrlib=%s manrs=%s (%s)" % (r, a, b["rov"], b["rov_reason"]))
reasons = {}
for b in ours:
    if b["rov_reason"]:
        reasons[b["rov_reason"]] = reasons.get(b["rov_reason"], 0) + 1
print("routes %d, states %s, invalid reasons %s, disagreements %d" % (len(routes), counts, reasons, bad))
if bad:
    sys.exit(1)
for s in ("valid", "invalid", "not-found"):
    if counts.get(s, 0) < 2000:
        sys.exit("FAIL: state %s occurs only %d times" % (s, counts.get(s, 0)))
for s in ("origin-mismatch", "too-specific", "as0"):
    if reasons.get(s, 0) < 1000:
        sys.exit("FAIL: reason %s occurs only %d times" % (s, reasons.get(s, 0)))
PY
