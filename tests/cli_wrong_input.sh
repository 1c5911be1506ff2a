#!/bin/sh
# cli_wrong_input.sh — memory and time stay bounded whatever the input (issue 12):
# every file option of observe, validate and filter, and the MRT readers, given
# /dev/zero (endless), deterministic random bytes, or a good start followed by
# endless NUL bytes, fail fast (< 5 s here; ~0.01 s measured) with `FILE: ...`
# and stay under 64 MiB peak RSS (checked with /usr/bin/time when installed).
# Before: --vrps /dev/zero grew to 4.8 GB in 20 s, --peeringdb and --spoofer read
# 2 GiB before rejecting it, --irr/--asrel/--delegated/--as2org and the MRT readers
# never ended.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}"
T="$MANRS_TMP/wrong_input"
rm -rf "$T"; mkdir -p "$T"
fail=0
MAXKB=65536
TIMEOUT=20; WANT_S=5
have_time=0; [ -x /usr/bin/time ] && have_time=1
have_timeout=0; command -v timeout >/dev/null 2>&1 && have_timeout=1

# 4 MiB of random bytes from a fixed seed (an LCG in awk: no /dev/urandom, same every run)
LC_ALL=C awk 'BEGIN { x = 12345; for (i = 0; i < 4194304; i++) { x = (x * 1103515245 + 12345) % 2147483648; printf "%c", int(x / 65536) % 256 } }' > "$T/random.bin"
[ "$(wc -c < "$T/random.bin")" -ge 1000000 ] || { echo "FAIL: could not make the random file"; exit 1; }

# A small world for the commands that need MRT input.
"$MANRS_BIN" sim --out "$T/w" --ases 100 --seed 3 --incidents 1 --hours 1 --quiet >/dev/null 2>&1 \
    || { echo "FAIL: sim"; exit 1; }
U="$T/w/updates.mrt.gz"

# check NAME EXPECT_RC(nonzero|any) GREP -- command...
check() {
    name=$1; want=$2; pat=$3; shift 4
    t0=$(date +%s%N)
    if [ $have_timeout = 1 ]; then set -- timeout $TIMEOUT "$@"; fi
    if [ $have_time = 1 ]; then
        /usr/bin/time -f %M -o "$T/rss" "$@" >/dev/null 2>"$T/err" </dev/null; rc=$?
    else
        "$@" >/dev/null 2>"$T/err" </dev/null; rc=$?
    fi
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    kb=-; [ $have_time = 1 ] && kb=$(tail -1 "$T/rss")
    bad=""
    [ "$rc" = 124 ] && bad="$bad timed out;"
    [ "$want" = nonzero ] && [ "$rc" = 0 ] && bad="$bad exit 0;"
    [ $ms -gt $((WANT_S * 1000)) ] && bad="$bad took $ms ms;"
    [ "$kb" != - ] && [ "$kb" -gt $MAXKB ] 2>/dev/null && bad="$bad peak RSS $kb KiB;"
    grep -q -- "$pat" "$T/err" || bad="$bad no '$pat' message;"
    if [ -z "$bad" ]; then
        echo "ok   $name (exit $rc, $ms ms, $kb KiB): $(grep -m1 -- "$pat" "$T/err" | cut -c1-110)"
    else
        echo "FAIL $name:$bad exit $rc"; head -3 "$T/err" | sed 's/^/     /'; fail=1
    fi
}

for IN in /dev/zero "$T/random.bin"; do
    tag=$(basename "$IN")
    for opt in vrps irr asrel delegated peeringdb spoofer as2org; do
        check "observe --$opt $tag" nonzero "^$IN: not " -- "$MANRS_BIN" observe --no-db -q --updates "$U" --$opt "$IN"
    done
    for opt in vrps irr asrel delegated bogons drop; do
        check "validate --$opt $tag" nonzero "^$IN: not " -- "$MANRS_BIN" validate --$opt "$IN" 192.0.2.0/24 AS64500
    done
    check "filter --irr $tag" nonzero "^$IN: not " -- "$MANRS_BIN" filter --irr "$IN" AS64500
    check "check --peeringdb $tag" nonzero "^$IN: not " -- "$MANRS_BIN" check --updates "$U" --peeringdb "$IN" AS64500
    # MRT: not MRT data from the first MiB (the run goes on with the other input)
    check "dump $tag" nonzero "not MRT data" -- "$MANRS_BIN" dump "$IN"
    check "observe --rib $tag" any "not MRT data" -- "$MANRS_BIN" observe --no-db -q --updates "$U" --rib "$IN"
done

# A good start, then endless NUL bytes (a pipe from /dev/zero): the reader stops at
# the first NUL byte, whatever the parser would make of the rest.
awk 'BEGIN { print "ASN,IP Prefix,Max Length"; for (i = 0; i < 20000; i++) printf "AS%d,10.%d.%d.0/24,24\n", 64500 + i % 7, int(i / 256), i % 256 }' > "$T/vrps.csv"
awk 'BEGIN { for (i = 0; i < 40000; i++) printf "%d|%d|-1\n", 1 + i % 100, 1000 + i }' > "$T/asrel.txt"
for pair in "vrps:$T/vrps.csv" "asrel:$T/asrel.txt" "irr:$T/w/irr.db"; do
    opt=${pair%%:*}; f=${pair#*:}
    [ -f "$f" ] || continue
    check "validate --$opt good start then /dev/zero" any "NUL byte at decompressed offset" -- \
        sh -c "cat '$f' /dev/zero | '$MANRS_BIN' validate --$opt - 10.0.0.0/24 AS64500"
done
exit $fail
