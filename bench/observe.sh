#!/bin/sh
# bench/observe.sh — time and peak memory of `manrs observe` on simulated worlds of
# growing size (prefixes x collector peers), to see how both grow. Prints one line
# per world: networks, prefixes, peers, RIB routes, wall s, user s, peak RSS MB.
# usage: bench/observe.sh [BUILD_DIR] [SIZES...]   (size = networks:prefix-scale:collectors:peers-per-collector)
set -eu
B=${1:-build}; shift 2>/dev/null || true
SIZES=${*:-"2000:1:4:8 10000:1:4:8 10000:2:5:6"}
W=${TMPDIR:-/tmp}/manrs-bench-observe
mkdir -p "$W"
printf '%-8s %-6s %-6s %10s %10s %8s %8s %8s\n' networks scale peers prefixes routes wall_s user_s rss_MB
for s in $SIZES; do
    IFS=: read -r n ps k p <<EOT
$s
EOT
    d="$W/w_${n}_${ps}_${k}_${p}"
    [ -f "$d/truth.json" ] || "$B/manrs" sim --out "$d" --ases "$n" --prefix-scale "$ps" --collectors "$k" \
        --peers-per-collector "$p" --quiet --force >/dev/null
    /usr/bin/time -f '%e %U %M' -o "$W/time" "$B/manrs" observe --world "$d" --no-db --json "$W/out.json" 2>"$W/err"
    read -r wall user rss < "$W/time"
    line=$(grep 'routes,' "$W/err" | tail -1)
    routes=$(echo "$line" | sed 's/.*observe: \([0-9]*\) routes.*/\1/')
    pfx=$(echo "$line" | sed 's/.* \([0-9]*\) prefixes.*/\1/')
    printf '%-8s %-6s %-6s %10s %10s %8s %8s %8s\n' "$n" "$ps" "$((k * p))" "$pfx" "$routes" "$wall" "$user" $((rss / 1024))
done
