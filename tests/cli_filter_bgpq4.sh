#!/bin/sh
# Oracle test of manrs whoisd + manrs filter against bgpq4 1.9 on the shared IRR
# data: `manrs whoisd` serves ../shared/data/irr/*.gz on 127.0.0.1 (random port),
# `bgpq4 -h 127.0.0.1:PORT` builds IPv4 / IPv6 prefix lists, AS-path filters and AS
# lists from it, and `manrs filter` builds the same from the files directly. The
# outputs must be byte-identical for every format both tools share, except the
# normalisations documented in docs/filter.md:
#   - RouterOS 7 range lines: bgpq4 prints two spaces before rule=  (squeezed);
#   - IOS-XR as-path-set: bgpq4 puts a stray comma after the set name (dropped);
#   - -A (aggregation): both lists must accept exactly the same routes
#     (tests/oracle/prefix_list_equiv.py), manrs's may be shorter, not longer.
# Private-use, reserved and documentation ASNs: bgpq4 leaves them out of AS-path
# filters and AS lists unless -p ("Invalid AS number" on stderr); AS-OPENTRANSIT
# holds 43 of them, and a crafted as-set served by a second whoisd holds every
# boundary of the ranges (64495/64496, 65551/65552, 4199999999/4200000000, ...).
# For prefix lists bgpq4 takes an as-set's prefixes from the server (!a4), so the
# prefix-list sets are public-only ones.
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:-.}
D=${MANRS_DATA:-../shared/data}/irr
T=${MANRS_TMP:-/tmp}/cli_filter_bgpq4.$$
if [ ! -f "$D/ripe.db.as-set.gz" ]; then echo "SKIP: IRR data not found at $D"; exit 77; fi
if ! command -v bgpq4 >/dev/null; then echo "SKIP: bgpq4 not installed"; exit 77; fi
mkdir -p "$T"
IRR="--irr $D/ripe.db.as-set.gz --irr $D/ripe-nonauth.db.route.gz --irr $D/ripe-nonauth.db.route6.gz --irr $D/ripe-nonauth.db.aut-num.gz"
# shellcheck disable=SC2086
"$BIN" whoisd $IRR --listen 127.0.0.1:0 --port-file "$T/port" 2>"$T/whoisd.err" &
pid=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done
if [ ! -s "$T/port" ]; then echo "FAIL whoisd did not start"; cat "$T/whoisd.err"; kill $pid 2>/dev/null; exit 1; fi
H=127.0.0.1:$(cat "$T/port")
pass=0; fail=0

norm() {   # documented bgpq4 quirks only
    sed -e 's/"  rule=/" rule=/' -e 's/^\(as-path-set [^ ,]*\),$/\1/' "$1"
}

cmp_one() {   # cmp_one "<flags>" "<format flag>" OBJECT...
    fl=$1; ff=$2; shift 2
    # shellcheck disable=SC2086
    if ! timeout 60 bgpq4 -h "$H" $fl $ff -l NAME "$@" >"$T/b" 2>"$T/b.err"; then
        echo "FAIL bgpq4 $fl $ff $*: $(head -c 200 "$T/b.err")"; fail=$((fail+1)); return
    fi
    # shellcheck disable=SC2086
    "$BIN" filter $IRR $fl $ff -l NAME "$@" >"$T/m" 2>"$T/m.err"
    norm "$T/b" >"$T/bn"
    if cmp -s "$T/bn" "$T/m"; then
        pass=$((pass+1))
    else
        fail=$((fail+1)); echo "FAIL [$fl] [$ff] $*: $(diff "$T/bn" "$T/m" | head -4 | tr '\n' ' ')"
    fi
}

for S in AS-RAYA AS51706:AS-MEMBERS:AS-MRS-RS AS29606:AS-SET01 AS3333; do
    for ff in "" -X -J -e -b -B -j -n -K7; do
        for fl in "" "-6" "-R 24" "-m 22"; do
            case "$ff,$fl" in -J,-R*) continue ;; esac   # Junos prefix-lists hold no ranges (both refuse)
            cmp_one "$fl" "$ff" $S
        done
    done
    for ff in "" -X -J -B -n; do cmp_one "-f 3303" "$ff" $S; cmp_one "-G 3303" "$ff" $S; done
    for ff in -b -j; do cmp_one "-f 3303" "$ff" $S; done
    for ff in -b -B -j; do cmp_one "-t" "$ff" $S; done
    echo "ok   $S: outputs compared"
done
# Private and reserved ASNs (see the header): AS-OPENTRANSIT, 32 601 ASNs without -p,
# 32 644 with it. First make sure the set still holds them, so that the comparisons
# below would see them come back.
# shellcheck disable=SC2086
np=$("$BIN" filter $IRR -t --format plain AS-OPENTRANSIT 2>/dev/null | wc -l)
# shellcheck disable=SC2086
wp=$("$BIN" filter $IRR -p -t --format plain AS-OPENTRANSIT 2>/dev/null | wc -l)
if [ "$np" -gt 30000 ] && [ $((wp - np)) = 43 ]; then pass=$((pass+1))
else fail=$((fail+1)); echo "FAIL AS-OPENTRANSIT: $np ASNs without -p, $wp with (expected 43 more)"; fi
for ff in "" -J -b -B -j; do cmp_one "-f 3303" "$ff" AS-OPENTRANSIT; done
for ff in "" -X -B; do cmp_one "-G 3303" "$ff" AS-OPENTRANSIT; done
for ff in -b -B -j; do cmp_one "-t" "$ff" AS-OPENTRANSIT; cmp_one "-p -t" "$ff" AS-OPENTRANSIT; done
cmp_one "-p -f 3303" "" AS-OPENTRANSIT
echo "ok   AS-OPENTRANSIT: private and reserved ASNs compared"
# Several objects at once, and a peer that is in the set.
cmp_one "-f 3303" "" AS-KBIHELLAS AS3303 AS42
cmp_one "" "-b" AS-KBIHELLAS AS29606:AS-SET01

# Aggregation: the same accepted routes, in no more lines than bgpq4.
for S in AS-RAYA AS51706:AS-MEMBERS:AS-MRS-RS AS3333; do
    for fl in "-A" "-A -6" "-A -R 22" "-A -m 22"; do
        # shellcheck disable=SC2086
        timeout 60 bgpq4 -h "$H" $fl -l NAME $S >"$T/b" 2>/dev/null
        # shellcheck disable=SC2086
        "$BIN" filter $IRR $fl -l NAME $S >"$T/m" 2>/dev/null
        if /usr/bin/python3 "$SRC/tests/oracle/prefix_list_equiv.py" "$T/b" "$T/m" >"$T/eq" && \
           [ "$(wc -l <"$T/m")" -le "$(wc -l <"$T/b")" ]; then
            pass=$((pass+1))
        else
            fail=$((fail+1)); echo "FAIL -A [$fl] $S: $(cat "$T/eq") lines bgpq4 $(wc -l <"$T/b") manrs $(wc -l <"$T/m")"
        fi
    done
done
echo "ok   aggregation compared"

# Unknown as-set: clear error naming it and the sources, exit 1.
# shellcheck disable=SC2086
"$BIN" filter $IRR -S RIPE AS-NO-SUCH-SET >/dev/null 2>"$T/err"; rc=$?
if [ $rc = 1 ] && grep -qx "manrs filter: AS-NO-SUCH-SET: no such as-set in sources RIPE" "$T/err"; then
    pass=$((pass+1))
else fail=$((fail+1)); echo "FAIL unknown as-set: rc=$rc $(cat "$T/err")"; fi
# shellcheck disable=SC2086
"$BIN" filter $IRR -S NOPE AS-RAYA >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "unknown source; loaded sources: RIPE RIPE-NONAUTH" "$T/err" && pass=$((pass+1)) \
    || { fail=$((fail+1)); echo "FAIL unknown source: rc=$rc"; }

kill -TERM $pid; wait $pid

# The range boundaries, on a crafted as-set served by a second whoisd: every ASN
# at or next to an edge of what bgpq4 drops, with one route and route6 each.
{
    printf 'as-set: AS-EDGE\nmembers: AS0'
    EDGE="1 23455 23456 23457 64495 64496 64511 64512 65534 65535 65536 65551 65552 131071 131072
          4199999999 4200000000 4294967294 4294967295"
    for a in $EDGE; do printf ', AS%s' "$a"; done
    printf '\nsource: TEST\n'
    i=0
    for a in 0 $EDGE; do
        i=$((i+1))
        printf '\nroute: 198.51.%d.0/24\norigin: AS%s\nsource: TEST\n' $i "$a"
        printf '\nroute6: 2001:db8:%x::/48\norigin: AS%s\nsource: TEST\n' $i "$a"
    done
} >"$T/edge.rpsl"
rm -f "$T/port"
"$BIN" whoisd --irr "$T/edge.rpsl" --listen 127.0.0.1:0 --port-file "$T/port" 2>"$T/whoisd.err" &
pid=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
if [ -s "$T/port" ]; then
    H=127.0.0.1:$(cat "$T/port")
    IRR="--irr $T/edge.rpsl"
    for fl in "-t" "-p -t"; do for ff in -b -B -j; do cmp_one "$fl" "$ff" AS-EDGE; done; done
    for fl in "-f 64512" "-G 1" "-p -f 1"; do for ff in "" -J -B; do cmp_one "$fl" "$ff" AS-EDGE; done; done
    # Named ASNs are resolved one by one: their prefixes go too.
    for a in AS64495 AS64496 AS65551 AS65552 AS4199999999 AS4200000000 AS4294967295; do
        cmp_one "" "" $a; cmp_one "-p" "" $a; cmp_one "-6" "" $a
    done
    echo "ok   AS-EDGE: range boundaries compared"
    kill -TERM $pid; wait $pid
else
    fail=$((fail+1)); echo "FAIL second whoisd did not start"; cat "$T/whoisd.err"; kill $pid 2>/dev/null
fi
echo "pass=$pass fail=$fail"
rm -rf "$T"
[ $fail = 0 ]
