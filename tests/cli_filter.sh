#!/bin/sh
# manrs filter command-level behaviour on crafted RPSL: --rib (registered but not
# seen in a real 2002 RIB), --no-bogons and --rpki warnings on stderr with the
# list still printed, unknown set / source / format errors and exit codes,
# refused bgpq4 flags, --help.
set -u
BIN=${MANRS_BIN:?}
T=${MANRS_TMP:-/tmp}/cli_filter.$$
RIB=${MANRS_DATA:-../shared/data}/mrt/bview.20020722.2337.gz
mkdir -p "$T"
fail=0
ok() { echo "ok   $1"; }
ko() { echo "FAIL $1"; fail=1; }
cat > "$T/db.rpsl" <<'RPSL'
as-set: AS-C
members: AS3333, AS80, AS-D
source: TEST

as-set: AS-D
members: AS-C, AS4200000001
source: TEST

route: 193.0.0.0/21
origin: AS3333
source: TEST

route: 203.0.113.0/24
origin: AS3333
source: TEST

route: 3.0.0.0/8
origin: AS80
source: TEST

route: 10.0.0.0/8
origin: AS80
source: TEST
RPSL
printf 'ASN,IP Prefix,Max Length,Trust Anchor\nAS9,10.0.0.0/8,24,test\nAS3333,193.0.0.0/21,21,test\n' > "$T/vrps.csv"

out=$("$BIN" filter --irr "$T/db.rpsl" --format plain AS-C 2>"$T/err"); rc=$?
[ $rc = 0 ] && [ "$out" = "$(printf '3.0.0.0/8\n10.0.0.0/8\n193.0.0.0/21\n203.0.113.0/24')" ] \
    && ok "plain list" || ko "plain list: rc=$rc $out"
grep -q "as-set cycle not followed: AS-C -> AS-D -> AS-C" "$T/err" && ok "cycle reported" || ko "cycle not reported"

out=$("$BIN" filter --irr "$T/db.rpsl" --format plain --no-bogons AS-C 2>"$T/err"); rc=$?
[ $rc = 0 ] && [ "$out" = "$(printf '3.0.0.0/8\n193.0.0.0/21')" ] && ok "--no-bogons list" || ko "--no-bogons: $out"
grep -q "warning: 10.0.0.0/8 origin AS80 dropped: bogon (RFC 1918)" "$T/err" && \
grep -q "warning: 203.0.113.0/24 origin AS3333 dropped: bogon" "$T/err" && \
grep -q "warning: AS4200000001 dropped: bogon ASN" "$T/err" && ok "--no-bogons warnings" || { ko "--no-bogons warnings"; cat "$T/err"; }

out=$("$BIN" filter --irr "$T/db.rpsl" --format plain --rpki "$T/vrps.csv" AS-C 2>"$T/err"); rc=$?
[ $rc = 0 ] && [ "$out" = "$(printf '3.0.0.0/8\n193.0.0.0/21\n203.0.113.0/24')" ] && ok "--rpki list" || ko "--rpki: $out"
grep -qx "manrs filter: warning: 10.0.0.0/8 origin AS80 dropped: RPKI invalid (no VRP for this origin)" "$T/err" \
    && ok "--rpki warning" || { ko "--rpki warning"; cat "$T/err"; }

if [ -f "$RIB" ]; then
    "$BIN" filter --irr "$T/db.rpsl" --rib "$RIB" AS-C >/dev/null 2>"$T/err"; rc=$?
    if [ $rc = 0 ] && grep -q "note: 203.0.113.0/24 registered but not seen in" "$T/err" && \
       grep -q "note: 10.0.0.0/8 registered but not seen" "$T/err" && ! grep -q "note: 3.0.0.0/8" "$T/err" && \
       ! grep -q "note: 193.0.0.0/21" "$T/err" && grep -q "2 of 4 entries not seen in the RIB" "$T/err"; then
        ok "--rib: unseen entries noted, seen ones not"
    else ko "--rib"; cat "$T/err"; fi
else echo "skip --rib: $RIB absent"; fi

# Private-use / reserved ASNs (AS4200000001 in AS-D): out of AS-path filters and AS
# lists unless -p, as bgpq4; one note on stderr.
out=$("$BIN" filter --irr "$T/db.rpsl" -t --format plain AS-C 2>"$T/err"); rc=$?
[ $rc = 0 ] && [ "$out" = "$(printf 'AS80\nAS3333')" ] && ok "-t: private ASN left out" || ko "-t: rc=$rc $out"
grep -qx "manrs filter: note: 1 private-use or reserved ASN (64496-65551, 4200000000-4294967295) left out; -p keeps them" \
    "$T/err" && ok "-t: note on stderr" || { ko "-t note"; cat "$T/err"; }
out=$("$BIN" filter --irr "$T/db.rpsl" -f 1299 AS-C 2>/dev/null)
case $out in *4200000001*) ko "-f: private ASN kept: $out" ;; *"(80|3333)"*) ok "-f: private ASN left out" ;;
    *) ko "-f: $out" ;; esac
out=$("$BIN" filter --irr "$T/db.rpsl" -p -t --format plain AS-C 2>"$T/err"); rc=$?
[ $rc = 0 ] && [ "$out" = "$(printf 'AS80\nAS3333\nAS4200000001')" ] && ! grep -q "note:" "$T/err" && ok "-p -t: kept, no note" \
    || ko "-p -t: rc=$rc $out $(cat "$T/err")"

"$BIN" filter --irr "$T/db.rpsl" AS-NOPE >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -qx "manrs filter: AS-NOPE: no such as-set in any loaded source" "$T/err" && ok "unknown as-set: exit 1" || ko "unknown as-set rc=$rc"
"$BIN" filter --irr "$T/db.rpsl" -S RIPE AS-C >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "unknown source; loaded sources: TEST" "$T/err" && ok "unknown source: exit 1" || ko "unknown source rc=$rc"
"$BIN" filter --irr "$T/db.rpsl" --format huawei AS-C >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "unknown format 'huawei'; one of: cisco iosxr junos eos bird openbgpd frr sros routeros json plain" "$T/err" \
    && ok "unknown format: exit 2" || ko "unknown format rc=$rc"
"$BIN" filter --irr "$T/db.rpsl" -J -R 24 AS-C >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "cannot be expressed in a Junos prefix-list" "$T/err" && ok "junos ranges refused" || ko "junos -R rc=$rc"
"$BIN" filter --irr "$T/db.rpsl" -h rr.ntt.net AS-C >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "-h host refused" || ko "-h rc=$rc"
"$BIN" filter --irr "$T/db.rpsl" -K AS-C >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "-K (RouterOS 6) refused" || ko "-K rc=$rc"
"$BIN" filter AS-C >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "no --irr: exit 2" || ko "no --irr rc=$rc"
"$BIN" filter --irr "$T/missing" AS-C >/dev/null 2>&1; rc=$?
[ $rc = 1 ] && ok "missing file: exit 1" || ko "missing file rc=$rc"
"$BIN" filter --help | grep -q "^usage: manrs filter" && ok "--help" || ko "--help"
"$BIN" help filter | grep -q "bgpq4" && ok "manrs help filter" || ko "manrs help filter"
rm -rf "$T"
exit $fail
