#!/bin/sh
# MRT files concatenated into one stream (`cat a.gz b.gz`, as archives are often
# joined) decode exactly as each file alone: the framing must survive the jump in
# time between files, also when a file is one of the early RIPE RIS dumps whose
# length fields are 4 bytes short (bview.20000111.0032.gz) - before or after the
# other file. Before the fix, `cat updates.20020722.2238.gz bview.20000111.0032.gz`
# lost framing at the boundary and skipped the whole bview (19.5 MB decoded).
set -u
DATA=${MANRS_DATA:-../shared/data}/mrt
BIN=${MANRS_BIN:?}
BVIEW=$DATA/ris-historic/rrc00/bview.20000111.0032.gz
if [ ! -f "$BVIEW" ]; then echo "SKIP: $BVIEW not found"; exit 77; fi
TMP=${MANRS_TMP:-/tmp}/dump-concat.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
fail=0
"$BIN" dump "$BVIEW" > "$TMP/b.txt" 2>/dev/null
nb=$(wc -l < "$TMP/b.txt")
[ "$nb" -gt 400000 ] || { echo "FAIL: the bview alone gave $nb lines"; fail=1; }
gzip -c "$DATA/lab/quagga_rib" > "$TMP/quagga_rib.gz"
for other in "$DATA/updates.20020722.2238.gz" "$DATA/bview.64k_stream_overflow.gz" \
             "$DATA/ris-historic/rrc00/updates.19991214.1621.gz" "$TMP/quagga_rib.gz"; do
    [ -f "$other" ] || continue
    name=$(basename "$other")
    "$BIN" dump "$other" > "$TMP/a.txt" 2>/dev/null
    for order in ab ba; do
        if [ $order = ab ]; then
            cat "$other" "$BVIEW" > "$TMP/in.gz"; cat "$TMP/a.txt" "$TMP/b.txt" > "$TMP/want"
        else
            cat "$BVIEW" "$other" > "$TMP/in.gz"; cat "$TMP/b.txt" "$TMP/a.txt" > "$TMP/want"
        fi
        "$BIN" dump "$TMP/in.gz" > "$TMP/got" 2> "$TMP/err"
        if cmp -s "$TMP/got" "$TMP/want" && ! grep -q "bytes skipped\|framing lost" "$TMP/err"; then
            echo "ok   $order $name ($(wc -l < "$TMP/got") lines)"
        else
            echo "FAIL $order $name: $(wc -l < "$TMP/got") lines, expected $(wc -l < "$TMP/want")"
            head -4 "$TMP/err" | sed 's/^/     /'
            fail=1
        fi
    done
    # Two arguments: each file read on its own.
    "$BIN" dump "$other" "$BVIEW" > "$TMP/got" 2>/dev/null
    cat "$TMP/a.txt" "$TMP/b.txt" > "$TMP/want"
    cmp -s "$TMP/got" "$TMP/want" || { echo "FAIL two arguments: $name then the bview"; fail=1; }
done
exit $fail
