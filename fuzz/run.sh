#!/bin/sh
# Run every libFuzzer target for a bounded time; seeds come from the example MRT
# data, (when present) the real files in ../shared/data/mrt and /rpki, and the hand-written
# samples kept in fuzz/seeds/<target>/.
# usage: fuzz/run.sh BUILD_DIR SECONDS
set -u
B=${1:-build-fuzz}
T=${2:-60}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${MANRS_DATA:-$HERE/../../shared/data}
status=0
for f in "$B"/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    corpus="$HERE/corpus-$name"
    mkdir -p "$corpus"
    [ -d "$HERE/seeds/$name" ] && cp "$HERE/seeds/$name"/* "$corpus/"
    case $name in
    fuzz_mrt|fuzz_io)
        [ -f "$corpus/example.mrt" ] || "$B/manrs" example-mrt --prefixes 20 "$corpus/example.mrt" 2>/dev/null || true
        for s in "$DATA"/mrt/lab/* "$DATA"/mrt/185.186.nlix.mrt "$DATA"/mrt/updates.nlri_mask_trailing_bits.gz; do
            [ -f "$s" ] && cp "$s" "$corpus/" 2>/dev/null
        done ;;
    fuzz_vrp)   # the real exports: rpki-client JSON (buildtime, expires), RIPE validator CSV (Not Before/After)
        for s in "$DATA"/rpki/test.rpki.json "$DATA"/rpki/roas.csv; do
            [ -f "$s" ] && cp "$s" "$corpus/" 2>/dev/null
        done ;;
    esac
    echo "== $name: $T s"
    "$f" -max_total_time="$T" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$HERE/crash-$name-" "$corpus" 2>&1 | grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Done" 
    [ -n "$(ls "$HERE"/crash-"$name"-* 2>/dev/null)" ] && { echo "$name: CRASH artifacts in fuzz/"; status=1; }
done
exit $status
