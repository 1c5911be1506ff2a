#!/bin/sh
# make demo: the main job on built-in data. Until the simulated Internet exists
# (issue "manrs sim"), the demo writes the project's deterministic example MRT file
# with manrs's own encoder and reads it back with `manrs stats` and `manrs dump`.
set -eu
BIN=${1:-build/manrs}
OUT=${2:-demo}
mkdir -p "$OUT"
"$BIN" example-mrt --prefixes 2000 "$OUT/example.mrt.gz"
echo
echo "== manrs stats $OUT/example.mrt.gz"
"$BIN" stats "$OUT/example.mrt.gz"
echo
echo "== manrs dump -m $OUT/example.mrt.gz (first and last lines; bgpdump -m format)"
"$BIN" dump -m "$OUT/example.mrt.gz" > "$OUT/example.dump"
head -5 "$OUT/example.dump"
echo "..."
tail -3 "$OUT/example.dump"
echo
echo "== manrs dump --json (one object per route event)"
"$BIN" dump --json "$OUT/example.mrt.gz" | sed -n '1p'
if command -v bgpdump >/dev/null 2>&1; then
    bgpdump -m "$OUT/example.mrt.gz" 2>/dev/null > "$OUT/example.bgpdump"
    if cmp -s "$OUT/example.dump" "$OUT/example.bgpdump"; then
        echo; echo "bgpdump -m agrees byte for byte ($(wc -l < "$OUT/example.dump") lines)."
    else
        echo; echo "bgpdump -m DIFFERS from manrs dump -m"; exit 1
    fi
fi
