#!/bin/sh
# bench/conformance.sh — `manrs conformance` against `manrs observe` on the same
# routing data, in one run: the programme's target is conformance <= 2x observe.
# The data is the longest run of one collector in ../shared/data: RouteViews
# route-views2, 2008-02-22 (baseline) and 2008-02-23 (observed), 189 update files
# (a month of one collector is not in the shared data); the registry makes every
# tenth network seen that day a participant committed to all four Actions (a
# quarter MANRS+), so that conformance has work of a real registry's size. Prints
# wall and user seconds and peak RSS of both, and the ratio of wall times.
# usage: bench/conformance.sh [BUILD_DIR]
set -eu
B=${1:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
D=${MANRS_DATA:-$SRC/../shared/data}
DAYS="$D/days/routeviews-2008"
[ -d "$DAYS/20080223" ] || { echo "SKIP: $DAYS not found"; exit 0; }
W=${TMPDIR:-/tmp}/manrs-bench-conformance
mkdir -p "$W"
ls "$DAYS"/20080222/* "$DAYS"/20080223/* | sed 's/^/--updates\n/' > "$W/args"
COMMON="--from 2008-02-23T00:00:00Z --asrel $D/asrel/20161101.as-rel.txt.bz2 --as2org $D/asorg/20080402.as-org2info.txt.gz"
# shellcheck disable=SC2046,SC2086
/usr/bin/time -f '%e %U %M' -o "$W/t.observe" "$B/manrs" observe $(cat "$W/args") $COMMON --no-db \
    --json "$W/day.json" 2>/dev/null
python3 - "$W/day.json" "$W/registry.yml" <<'PY'
import json, sys
nets = sorted(n["asn"] for n in json.load(open(sys.argv[1]))["networks"])
with open(sys.argv[2], "w") as f:
    f.write("version: 1\nparticipants:\n")
    for i, asn in enumerate(nets[::10]):
        f.write("  - {organisation: bench %d, programme: network-operator, tier: %s, joined: 2016-01-01, "
                "contact: noc@as%d.example, asns: [{asn: %d, actions: [1, 2, 3, 4]}]}\n"
                % (asn, "manrs-plus" if i % 4 == 0 else "manrs", asn, asn))
PY
# shellcheck disable=SC2046,SC2086
/usr/bin/time -f '%e %U %M' -o "$W/t.conformance" "$B/manrs" conformance --participants "$W/registry.yml" \
    $(cat "$W/args") $COMMON --no-db --format json >"$W/conf.json" 2>/dev/null || true
n=$(grep -c 'organisation' "$W/registry.yml")
read -r ow ou om <<EOT
$(tail -n 1 "$W/t.observe")
EOT
read -r cw cu cm <<EOT
$(tail -n 1 "$W/t.conformance")
EOT
printf '%-28s %8s %8s %8s\n' "command (2 days, $n particip.)" wall_s user_s rss_MB
printf '%-28s %8s %8s %8s\n' "manrs observe" "$ow" "$ou" $((om / 1024))
printf '%-28s %8s %8s %8s\n' "manrs conformance" "$cw" "$cu" $((cm / 1024))
python3 -c "import sys; print('conformance / observe: %.2fx (target <= 2x)' % (float(sys.argv[1]) / float(sys.argv[2])))" "$cw" "$ow"
