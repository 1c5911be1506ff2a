#!/bin/sh
# Run every libFuzzer target for a bounded time from a seed corpus, print each
# target's coverage, and (--check) fail when a target's coverage does not exceed
# its floor in fuzz/floors.txt.
#
# usage: fuzz/run.sh BUILD_DIR SECONDS [--check] [--no-seeds] [TARGET...]
#   --check     exit 1 if any target's final coverage (libFuzzer's `cov:`) is not
#               above its floor (fuzz/floors.txt: "target min_cov"; the floors are
#               the coverage each target reaches WITHOUT seeds plus a margin, so a
#               target whose seeds stop reaching the code it fuzzes fails).
#   --no-seeds  start from an empty corpus (how the floors are measured).
#
# Seeds: the hand-written samples in fuzz/seeds/<target>/ (committed), plus, when
# present, pieces of the real files in ../shared/data (MANRS_DATA), copied at run
# time and never committed: the first lines of big text files (so that seeds stay
# small and libFuzzer's max_len stays near real record sizes), small files whole.
# The corpus of each target is fuzz/corpus-<target>/ (kept between runs; not in git).
set -u
B=${1:-build-fuzz}
T=${2:-60}
shift 2 2>/dev/null || shift $#
CHECK=0; SEEDS=1; ONLY=""
for a in "$@"; do
    case $a in
    --check) CHECK=1 ;;
    --no-seeds) SEEDS=0 ;;
    *) ONLY="$ONLY $a" ;;
    esac
done
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${MANRS_DATA:-$HERE/../../shared/data}
FLOORS=$HERE/floors.txt
status=0
summary=""

# head_of FILE LINES OUT: the first LINES lines of FILE (decompressed) into OUT.
head_of() {
    [ -f "$1" ] || return 0
    case $1 in
    *.gz) gzip -dc "$1" 2>/dev/null | head -n "$2" > "$3" ;;
    *.bz2) bzip2 -dc "$1" 2>/dev/null | head -n "$2" > "$3" ;;
    *) head -n "$2" "$1" > "$3" ;;
    esac
    [ -s "$3" ] || rm -f "$3"
}
copy_small() {   # DIR FILE...: files of at most 64 KiB, whole
    dir=$1; shift
    for s in "$@"; do
        [ -f "$s" ] && [ "$(wc -c < "$s")" -le 65536 ] && cp "$s" "$dir/" 2>/dev/null
    done
    return 0
}

seed() {   # name corpus (sh has no locals: every name here is its own)
    name=$1; c=$2
    [ -d "$HERE/seeds/$name" ] && cp "$HERE/seeds/$name"/* "$c/"
    case $name in
    fuzz_mrt)
        [ -f "$c/example.mrt" ] || "$B/manrs" example-mrt --prefixes 20 "$c/example.mrt" 2>/dev/null || true
        copy_small "$c" "$DATA"/mrt/lab/* "$DATA"/mrt/185.186.nlix.mrt "$DATA"/mrt/updates.nlri_mask_trailing_bits.gz \
            "$DATA"/mrt/bview.64k_stream_overflow.gz "$DATA"/mrt/ris.rrc06.updates.1427846400.gz \
            "$DATA"/mrt/updates.20020722.2238.gz "$DATA"/mrt/ris-historic/rrc01/updates.20001104.0124.gz ;;
    fuzz_io)
        [ -f "$c/example.mrt" ] || "$B/manrs" example-mrt --prefixes 20 "$c/example.mrt" 2>/dev/null || true
        copy_small "$c" "$DATA"/mrt/lab/bird_bgp "$DATA"/mrt/updates.nlri_mask_trailing_bits.gz "$DATA"/misc/ris-ipv4.txt
        # the same text in every compression the reader knows, and two gzip members
        if [ -f "$HERE/seeds/$name/text.txt" ]; then
            t=$HERE/seeds/$name/text.txt
            gzip -c "$t" > "$c/text.gz" 2>/dev/null; cat "$c/text.gz" "$c/text.gz" > "$c/text2.gz"
            bzip2 -c "$t" > "$c/text.bz2" 2>/dev/null || rm -f "$c/text.bz2"
            xz -c "$t" > "$c/text.xz" 2>/dev/null || rm -f "$c/text.xz"
            zstd -q -c "$t" > "$c/text.zst" 2>/dev/null || rm -f "$c/text.zst"
        fi ;;
    fuzz_vrp)   # the real exports: rpki-client JSON (buildtime, expires), RIPE validator CSV (Not Before/After)
        copy_small "$c" "$DATA"/rpki/test.rpki.json
        head_of "$DATA"/rpki/roas.csv 200 "$c/roas-head.csv" ;;
    fuzz_peeringdb)
        copy_small "$c" "$DATA"/peeringdb/*.json ;;
    fuzz_asrel)
        for src in "$DATA"/asrel/*; do head_of "$src" 300 "$c/$(basename "$src" | sed 's/\.bz2$\|\.gz$//')-head"; done ;;
    fuzz_as2org)
        for src in "$DATA"/asorg/*; do head_of "$src" 300 "$c/$(basename "$src" .gz)-head"; done ;;
    fuzz_delegated)
        copy_small "$c" "$DATA"/misc/extended-delegated-stats.txt
        for src in "$DATA"/misc/delegated-*; do head_of "$src" 300 "$c/$(basename "$src")-head"; done ;;
    fuzz_bogon)
        copy_small "$c" "$DATA"/misc/fullbogons-ipv4.txt "$DATA"/misc/drop.txt "$DATA"/misc/edrop.txt
        head_of "$DATA"/misc/fullbogons-ipv6.txt 300 "$c/fullbogons-ipv6-head" ;;
    fuzz_rpsl|fuzz_rpsl_ahead|fuzz_whois_query)
        [ $name = fuzz_whois_query ] && return 0
        for src in "$DATA"/irr/*.gz; do
            [ -f "$src" ] || continue
            out="$c/$(basename "$src" .gz)-head"
            head_of "$src" 400 "$out.tmp"
            [ -f "$out.tmp" ] || continue
            if [ $name = fuzz_rpsl_ahead ]; then { printf '\001'; cat "$out.tmp"; } > "$out"; rm -f "$out.tmp"
            else mv "$out.tmp" "$out"; fi
        done ;;
    fuzz_antispoof)   # customer AS3333, local AS1, flags 0; as-rel; NUL; RPSL aut-nums
        if [ -f "$DATA/asrel/20161101.as-rel.txt.bz2" ] && [ -f "$DATA/irr/ripe-nonauth.db.aut-num.gz" ]; then
            { printf '\000\000\015\005\000\000\000\001\000'; bzip2 -dc "$DATA/asrel/20161101.as-rel.txt.bz2" | head -n 300
              printf '\000'; gzip -dc "$DATA/irr/ripe-nonauth.db.aut-num.gz" | head -n 300; } > "$c/real-head.bin" 2>/dev/null
        fi ;;
    fuzz_json_out)
        copy_small "$c" "$DATA"/misc/ris-live-stream.json "$DATA"/peeringdb/*.json ;;
    fuzz_ris_live)
        copy_small "$c" "$DATA"/misc/ris-live-stream.json ;;
    esac
    return 0
}

for f in "$B"/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    if [ -n "$ONLY" ]; then case " $ONLY " in *" $name "*) ;; *) continue ;; esac; fi
    if [ $SEEDS = 1 ]; then
        corpus="$HERE/corpus-$name"
        mkdir -p "$corpus"
        seed "$name" "$corpus"
    else
        corpus=$(mktemp -d)
    fi
    nseeds=$(ls "$corpus" | wc -l)
    echo "== $name: $T s, $nseeds inputs in the corpus"
    log=$(mktemp)
    "$f" -max_total_time="$T" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$HERE/crash-$name-" "$corpus" > "$log" 2>&1
    grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|INITED|DONE" "$log"
    # libFuzzer's coverage: the `cov:` of its last status line (DONE, or the last one
    # before a crash).
    cov=$(grep -o "cov: [0-9]*" "$log" | tail -1 | sed 's/cov: //')
    [ -n "$cov" ] || cov=0
    rm -f "$log"
    [ $SEEDS = 1 ] || rm -rf "$corpus"
    floor=$(awk -v t="$name" '$1 == t { print $2 }' "$FLOORS" 2>/dev/null)
    verdict=""
    if [ -z "$floor" ]; then
        verdict="no floor in fuzz/floors.txt"
        [ $CHECK = 1 ] && status=1
    elif [ "$cov" -gt "$floor" ]; then
        verdict="ok, floor $floor"
    else
        verdict="BELOW FLOOR $floor"
        [ $CHECK = 1 ] && status=1
    fi
    echo "$name: coverage $cov ($verdict)"
    summary="$summary$(printf '%-18s %6s  %s' "$name" "$cov" "$verdict")
"
    [ -n "$(ls "$HERE"/crash-"$name"-* 2>/dev/null)" ] && { echo "$name: CRASH artifacts in fuzz/"; status=1; }
done
echo "== coverage per target (libFuzzer cov:, after $T s$( [ $SEEDS = 1 ] && echo ' from the seed corpus' || echo ' without seeds'))"
printf '%s' "$summary"
exit $status
