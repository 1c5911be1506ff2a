#!/bin/sh
# manrs dump -m against the reference tool, bgpdump -m (Debian 1.6.2), on every MRT
# file of ../shared/data/mrt. Files where bgpdump is provably wrong, or stops at damage
# that manrs recovers from, have a rule in the manifest below (see docs/dump-format.md);
# every other file must match byte for byte. Also pins exit codes and that damage is
# reported with file and offset.
set -u
DATA=${MANRS_DATA:-../shared/data}/mrt
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:-.}
if [ ! -d "$DATA" ]; then echo "SKIP: real MRT data not found at $DATA"; exit 77; fi
if ! command -v bgpdump >/dev/null; then echo "SKIP: bgpdump not installed (scripts/deps.sh)"; exit 77; fi
TMP=${MANRS_TMP:-/tmp}/dump-oracle.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT

# file ; rule ; expected manrs exit status
MANIFEST="
lab/bird_bgp;addpath:SIBLING=lab/bird-mrtdump_bgp;0
lab/bird6_bgp;addpath:SIBLING=lab/bird6-mrtdump_bgp;0
lab/openbgpd_rib_table;aggregator;0
namex-bgpd-rib-inet.mrt;aggregator;0
namex-bgpd-rib-inet6.mrt;aggregator;0
ris-historic/rrc00/bview.20000111.0032.gz;continues:0;0
ris-historic/rrc00/updates.19990903.1041.gz;v1-withdraw;0
ris-historic/rrc00/updates.19991214.1621.gz;v1-withdraw;0
ris-historic/rrc00/updates.20000102.2014.gz;v1-withdraw;0
ris-historic/rrc00/updates.20000325.0345.gz;garbage:4:|W|0.5.0.3|13937|;1
rib.20080501.0644_firstMB.bz2;exact;1
rib6.20151101.0600_firstMB.bz2;exact;1
updates.nlri_mask_trailing_bits.gz;exact;1
"
pass=0; failn=0; n=0
for f in $(cd "$DATA" && find . -type f | sed 's|^\./||' | sort); do
    n=$((n + 1))
    line=$(printf '%s\n' "$MANIFEST" | grep "^$f;" || true)
    rule=exact; want_rc=0
    if [ -n "$line" ]; then
        rule=$(echo "$line" | cut -d';' -f2); want_rc=$(echo "$line" | cut -d';' -f3)
    fi
    case "$rule" in
    addpath:SIBLING=*)
        sib=${rule#addpath:SIBLING=}
        bgpdump -m "$DATA/$sib" > "$TMP/sib" 2>/dev/null
        rule="addpath:$TMP/sib" ;;
    esac
    bgpdump -m "$DATA/$f" > "$TMP/ref" 2>/dev/null
    "$BIN" dump -m "$DATA/$f" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    verdict=$(/usr/bin/python3 "$SRC/tests/oracle/compare_dump.py" "$rule" "$DATA/$f" "$TMP/ref" "$TMP/out" 2>&1)
    ok=$?
    if [ "$rc" != "$want_rc" ]; then ok=1; verdict="$verdict
exit status $rc, expected $want_rc; stderr: $(head -3 "$TMP/err")"; fi
    if [ "$rc" != 0 ] && ! grep -q ": offset [0-9]*:" "$TMP/err"; then ok=1; verdict="$verdict
damage reported without 'FILE: offset N:'"; fi
    if [ $ok = 0 ]; then
        pass=$((pass + 1)); echo "ok   $f ($rule, $(wc -l < "$TMP/out") lines) $verdict"
    else
        failn=$((failn + 1)); echo "FAIL $f ($rule)"; echo "$verdict" | head -8 | sed 's/^/     /'
    fi
done
echo "dump oracle: $pass passed, $failn failed"
[ $n -gt 0 ] && [ $failn = 0 ]
