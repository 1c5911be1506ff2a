#!/bin/sh
# bench/monitor.sh — `manrs monitor` keeping up with a burst, on one core.
#
# Input, built once under bench/out/ (ignored by git): a full-feed burst — the
# RIPE RIS RIB of 2002 (../shared/data/mrt/bview.20020722.2337.gz, every peer's
# table, as a router or a RIS peer sends it on session up) followed by a whole
# day of RouteViews updates (../shared/data/days/routeviews-2008/20080222, 95
# files), decompressed into one MRT file so that decompression is not measured.
# Configuration: 2 000 prefixes of the day's updates with their most frequent
# origin, 20 monitored ASes — many routes concern it, alerts fire — with the
# path checks on: the VRPs of ../shared/data/rpki/roas.csv and the CAIDA as-rel
# of 2016 (../shared/data/asrel), so that every own route is also validated.
#
# Measured, pinned to one core (taskset -c 0), in one run: `bgpdump -m` on the
# same file (the reference decoder: the floor of any tool reading it), `manrs
# dump -m`, and `manrs monitor` writing its alerts to a file. Prints route events
# per second of the monitor (target >= 50 000/s), the ratio to bgpdump, peak RSS.
# Usage: bench/monitor.sh   (after building build/)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
data=${MANRS_DATA:-$src/../shared/data}
BIN=${MANRS_BIN:-$src/build/manrs}
out=$here/out
mkdir -p "$out"
for t in bgpdump taskset; do command -v $t >/dev/null || { echo "monitor.sh: need $t" >&2; exit 1; }; done
day=$data/days/routeviews-2008/20080222
rib=$data/mrt/bview.20020722.2337.gz
[ -d "$day" ] && [ -f "$rib" ] || { echo "monitor.sh: $day or $rib not found" >&2; exit 1; }
burst=$out/monitor-burst.mrt
cfg=$out/monitor-prefixes.yml
if [ ! -f "$burst" ]; then
    echo "building $burst ..."
    zcat "$rib" > "$burst.tmp"
    for f in "$day"/updates.*.bz2; do bzcat "$f"; done >> "$burst.tmp"
    mv "$burst.tmp" "$burst"
fi
if [ ! -f "$cfg" ]; then
    "$BIN" dump -q "$burst" 2>/dev/null | awk -F'|' '$3 == "A" { n = split($7, p, " "); c[$6 "|" p[n]]++ }
        END { for (k in c) print c[k], k }' | sort -rn | awk '{ split($2, a, "|"); if (!(a[1] in seen)) { seen[a[1]] = 1; print a[1], a[2] } }' |
        awk '$2 ~ /^[0-9]+$/' | head -2000 > "$out/monitor-top.txt"
    { awk '{ printf "%s:\n  description: bench\n  asn: %s\n", $1, $2 }' "$out/monitor-top.txt"
      echo "options:"; echo "  monitorASns:"
      awk '{ print $2 }' "$out/monitor-top.txt" | sort | uniq -c | sort -rn | head -20 | awk '{ printf "    %s:\n", $2 }'
    } > "$cfg"
fi
size=$(stat -c %s "$burst")
echo "input: $burst ($size bytes); config: $(grep -c '^[0-9a-f].*:$' "$cfg") prefixes"
t() {   # wall seconds and peak RSS KiB of a command, pinned to core 0
    /usr/bin/time -f "%e %M" -o "$out/time.txt" taskset -c 0 "$@" > /dev/null 2>"$out/err.txt" || true
    tail -n 1 "$out/time.txt"
}
set -- $(t bgpdump -m "$burst"); bg_s=$1; bg_rss=$2
set -- $(t "$BIN" dump -m -q "$burst"); dump_s=$1; dump_rss=$2
kb=""
[ -f "$data/rpki/roas.csv" ] && kb="$kb --vrps $data/rpki/roas.csv"
[ -f "$data/asrel/20161101.as-rel.txt.bz2" ] && kb="$kb --asrel $data/asrel/20161101.as-rel.txt.bz2"
# shellcheck disable=SC2086
set -- $(t "$BIN" monitor --config "$cfg" --mrt "$burst" $kb --quiet --output "$out/alerts.jsonl"); mon_s=$1; mon_rss=$2
summary=$(grep "route events" "$out/err.txt")
rm -f "$out/alerts.jsonl.keep"; mv "$out/alerts.jsonl" "$out/alerts.jsonl.keep"
events=$(echo "$summary" | sed 's/.*: \([0-9]*\) route events.*/\1/')
echo "$summary"
python3 - "$events" "$bg_s" "$dump_s" "$mon_s" "$bg_rss" "$dump_rss" "$mon_rss" <<'PY'
import sys
ev, bg, dump, mon = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
rss = sys.argv[5:]
print("%-14s %8s %12s %10s" % ("one core", "wall s", "events/s", "peak KiB"))
for name, s, r in (("bgpdump -m", bg, rss[0]), ("manrs dump -m", dump, rss[1]), ("manrs monitor", mon, rss[2])):
    print("%-14s %8.2f %12.0f %10s" % (name, s, ev / s if s else 0, r))
print("manrs monitor: %.0f route events/s (target >= 50 000), %.1fx faster than bgpdump -m reading the same file"
      % (ev / mon, bg / mon))
PY
