#!/bin/sh
# `manrs observe --split` (docs/scale.md): the run split by prefix, part by part,
# as `manrs worker` computes it, gives exactly the answer of one process:
# - simulated worlds (seeds 1 and 5, and a 3 000-AS one): the run's JSON (every
#   incident with its evidence, victims and reasons, every network's metrics and
#   readiness, the counts) is byte for byte that of `manrs observe`, and the stored
#   runs report the same (landscape, one culprit's incidents);
# - a RIB alone (a snapshot), and a window (--from) with updates before it as the
#   baseline;
# - real MRT (SKIP that part without ../shared/data): RIS rrc00 2002 RIB + updates
#   (a snapshot RIB after the updates), RouteViews 2008 and 2016 updates, the 2008
#   RouteViews RIB excerpt with the 2016 as-rel.
# The worlds hold incidents of every class, including those whose verdicts rest on
# what crosses partitions (forged links and standing valleys, the forged-origin
# filter's shares), which the test checks are present.
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:?}
DATA=${MANRS_DATA:-$SRC/../shared/data}
TMP=${MANRS_TMP:-/tmp}/observe_split.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

# same NAME ARGS...: observe with and without --split, JSON compared byte for byte
same() {
    name=$1
    shift
    "$BIN" observe "$@" --no-db -q --json "$TMP/one.json" 2>"$TMP/one.err"
    r1=$?
    "$BIN" observe "$@" --no-db -q --split --json "$TMP/split.json" 2>"$TMP/split.err"
    r2=$?
    if [ $r1 -ne $r2 ]; then
        bad "$name: exit $r1 without --split, $r2 with"
    elif cmp -s "$TMP/one.json" "$TMP/split.json"; then
        ok "$name: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["incidents"]), "incidents,", len(d["networks"]), "networks: identical")' "$TMP/one.json")"
    else
        bad "$name: the split run differs"
        python3 -m json.tool "$TMP/one.json" > "$TMP/one.pretty"
        python3 -m json.tool "$TMP/split.json" > "$TMP/split.pretty"
        diff "$TMP/one.pretty" "$TMP/split.pretty" | head -20
    fi
}

for spec in "1 800 10" "5 800 10" "3 3000 60"; do
    set -- $spec
    W="$TMP/w$1"
    "$BIN" sim --out "$W" --seed "$1" --ases "$2" --incidents "$3" >/dev/null 2>&1 || { echo "FAIL manrs sim"; exit 1; }
    same "world seed $1 ($2 ASes)" --world "$W"
    cp "$TMP/one.json" "$TMP/world$1.json"
done
# what crosses partitions is exercised: forged links, standing valleys (relationship
# conflicts), the forged-origin filter, leaks and sub-prefix hijacks
python3 - "$TMP/one.json" <<'PY' && ok "the 3000-AS world has findings of every class" || bad "classes missing"
import json, sys
d = json.load(open(sys.argv[1]))
classes = {i["class"] for i in d["incidents"]}
need = {"route-leak", "hijack-origin", "hijack-subprefix", "hijack-path", "bogon-prefix", "bogon-asn"}
missing = need - classes
if missing:
    print("missing:", missing)
    sys.exit(1)
PY

W="$TMP/w1"
same "a RIB alone (snapshot)" --rib "$W/rib.mrt.gz" --asrel "$W/asrel.txt" --vrps "$W/vrps.json" --irr "$W/irr.db"
mid=$("$BIN" dump "$W/updates.mrt.gz" 2>/dev/null | awk -F'|' 'NR==1{a=int($2)} {z=int($2)} END{print int((a+z)/2)}')
[ -n "$mid" ] && same "a window, the updates before it as the baseline" --updates "$W/updates.mrt.gz" \
    --from "$mid" --asrel "$W/asrel.txt" --vrps "$W/vrps.json" --irr "$W/irr.db"

# the stored runs report the same
"$BIN" observe --world "$W" --db "$TMP/one.db" -q 2>/dev/null
"$BIN" observe --world "$W" --db "$TMP/split.db" -q --split 2>/dev/null
for args in "--format json" "--format csv" "--top 20"; do
    # shellcheck disable=SC2086
    "$BIN" report --db "$TMP/one.db" $args 2>/dev/null | grep -v '"started"\|"finished"\|one.db' > "$TMP/r1"
    # shellcheck disable=SC2086
    "$BIN" report --db "$TMP/split.db" $args 2>/dev/null | grep -v '"started"\|"finished"\|split.db' > "$TMP/r2"
    [ -s "$TMP/r1" ] && cmp -s "$TMP/r1" "$TMP/r2" && ok "report $args: the same" || bad "report $args differs"
done
asn=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["incidents"][0]["culprit"])' "$TMP/world1.json" 2>/dev/null)
"$BIN" report --db "$TMP/one.db" --as "$asn" --format json 2>/dev/null | grep -v '"started"\|"finished"\|one.db' > "$TMP/r1"
"$BIN" report --db "$TMP/split.db" --as "$asn" --format json 2>/dev/null | grep -v '"started"\|"finished"\|split.db' > "$TMP/r2"
[ -s "$TMP/r1" ] && cmp -s "$TMP/r1" "$TMP/r2" && ok "report --as $asn (incidents, evidence): the same" ||
    bad "report --as $asn differs"

# ---- real MRT
M="$DATA/mrt"
if [ ! -d "$M" ]; then
    echo "SKIP: $M not found (real-data part)"
    [ $fail -eq 0 ] && exit 77 || exit 1
fi
AR="$DATA/asrel/20161101.as-rel.txt.bz2"
same "RIS rrc00 2002: updates, then a RIB dumped after them" --updates "$M/updates.20020722.2238.gz" \
    --rib "$M/bview.20020722.2337.gz"
same "RouteViews 2008-05 RIB excerpt, as-rel 2016" --rib "$M/rib.20080501.0644_firstMB.bz2" --asrel "$AR"
same "RIS 2016-08-11 updates, as-rel 2016" --updates "$M/updates.20160811.1600.gz" --asrel "$AR"
same "RouteViews IPv6 RIB 2015-11 excerpt" --rib "$M/rib6.20151101.0600_firstMB.complete-records.bz2" --asrel "$AR"
exit $fail
