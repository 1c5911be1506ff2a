#!/bin/sh
# cli_feed_seal.sh — what `manrs feed` publishes, without NATS (`--dry-run`, which
# runs the publisher's batching and accounting and decodes every message it would
# send; docs/scale.md):
# - the reading order is observe's: baseline RIBs first, then the rest by time,
#   whatever the order given; a RIB dumped after the first update is read in its
#   place in time and is not part of the baseline;
# - the seal's facts against `manrs observe --json` on the same files (window start
#   and end, baseline end, baseline, messages cut by the collector) and against
#   `manrs dump` of the files (first and last event time, the baseline RIB's last
#   time, the number of events), `manrs stats` for the damage; RIBs only: a snapshot;
#   an input that cannot be used: failed, exit 1 as observe;
# - batching changes the messages, not what each partition holds: the digest with
#   --batch-bytes 1 (one event per message) equals the default's, no event is out of
#   order against the state changes (the dry run checks every message it would
#   send), and the order of the inputs on the command line changes nothing.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/feed_seal.$$"
rm -rf "$T"; mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
B=$MANRS_BIN
W="$T/w"
W2="$T/w2"
"$B" sim --out "$W" --ases 300 --quiet >/dev/null || { echo "FAIL: sim"; exit 1; }
# a second world whose RIB is dumped 30 minutes into the first one's updates
"$B" sim --out "$W2" --ases 300 --seed 2 --start 1764549000 --quiet >/dev/null || { echo "FAIL: sim 2"; exit 1; }

# seal FILE KEY: one value of the seal (the second line of the output)
seal() { sed -n 2p "$1" | python3 -c 'import json, sys; v = json.load(sys.stdin)[sys.argv[1]]; print(str(v).lower() if isinstance(v, bool) else v)' "$2"; }
# window JSON KEY: one value of observe's "window"
window() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1]))["window"][sys.argv[2]]; print(str(v).lower() if isinstance(v, bool) else v)' "$1" "$2"; }
# dumptimes FILE...: "min max lines" of the event times manrs dump prints
dumptimes() { "$B" dump "$@" 2>/dev/null | awk -F'|' '{ t = int($2); if (NR == 1 || t < lo) lo = t; if (t > hi) hi = t } END { print lo + 0, hi + 0, NR }'; }
# check NAME OUT JSON: the seal of OUT against observe's JSON
check_observe() {
    for pair in first_time:start last_time:end baseline_end:baseline_end cut:messages_cut_by_collector; do
        k=${pair%%:*} w=${pair#*:}
        [ "$(seal "$2" "$k")" = "$(window "$3" "$w")" ] ||
            FAIL "$1: seal $k $(seal "$2" "$k"), observe's window $w $(window "$3" "$w")"
    done
    # the data's time (observe dates bogons and VRPs by it): the earliest first record, not after the first event
    [ "$(seal "$2" dated)" = true ] && [ "$(seal "$2" data_time)" -le "$(seal "$2" first_time)" ] &&
        [ "$(seal "$2" data_time)" -ge $(($(seal "$2" first_time) - 86400)) ] ||
        FAIL "$1: seal data_time $(seal "$2" data_time) dated $(seal "$2" dated), first_time $(seal "$2" first_time)"
    [ "$(window "$3" baseline)" = "$( [ "$(seal "$2" baseline_ribs)" -gt 0 ] && echo true || echo false)" ] ||
        FAIL "$1: observe's baseline $(window "$3" baseline), seal baseline_ribs $(seal "$2" baseline_ribs)"
}

# 1. RIB and updates, given in the reverse order
"$B" feed --dry-run --mrt "$W/updates.mrt.gz" "$W/rib.mrt.gz" >"$T/a.out" 2>"$T/a.err" || FAIL "dry run: $(cat "$T/a.err")"
grep -q "input 1 of 2: baseline RIB, first record [0-9]*: $W/rib.mrt.gz" "$T/a.err" &&
    grep -q "input 2 of 2: updates, first record [0-9]*: $W/updates.mrt.gz" "$T/a.err" ||
    FAIL "reading order: $(cat "$T/a.err")"
"$B" feed --dry-run --mrt "$W/rib.mrt.gz" "$W/updates.mrt.gz" >"$T/b.out" 2>/dev/null || FAIL "dry run, RIB first"
cmp -s "$T/a.out" "$T/b.out" || FAIL "the order given changed the output: $(cat "$T/a.out") / $(cat "$T/b.out")"
"$B" observe --rib "$W/rib.mrt.gz" --updates "$W/updates.mrt.gz" --no-db --quiet --json "$T/a.json" 2>/dev/null ||
    FAIL "observe"
check_observe "RIB and updates" "$T/a.out" "$T/a.json"
set -- $(dumptimes "$W/rib.mrt.gz" "$W/updates.mrt.gz")
[ "$(seal "$T/a.out" first_time)" = "$1" ] && [ "$(seal "$T/a.out" last_time)" = "$2" ] &&
    [ "$(seal "$T/a.out" events)" = "$3" ] ||
    FAIL "seal first/last time and events $(seal "$T/a.out" first_time) $(seal "$T/a.out" last_time) $(seal "$T/a.out" events), manrs dump: $*"
set -- $(dumptimes "$W/rib.mrt.gz")
[ "$(seal "$T/a.out" baseline_end)" = "$2" ] || FAIL "baseline_end $(seal "$T/a.out" baseline_end), the RIB's last time $2"
for kv in baseline_ribs:1 rib_files:1 update_files:1 ris_live_files:0 snapshot:false damaged:0 failed:false \
          version:1 "inputs:rib=$W/rib.mrt.gz updates=$W/updates.mrt.gz"; do
    [ "$(seal "$T/a.out" "${kv%%:*}")" = "${kv#*:}" ] || FAIL "seal ${kv%%:*}: $(seal "$T/a.out" "${kv%%:*}"), want ${kv#*:}"
done
# what a fresh stream would get: every event, in messages of several events; the
# last event message's sequence counts the messages and the progress records (all
# but the last, written after it)
set -- $(head -1 "$T/a.out")
events=$2 progress=$6 digest=$8 messages=${12} seals=${14} last=${16}
[ "$events" -gt 100000 ] && [ "$messages" -lt $((events / 20)) ] && [ "$seals" = 1 ] && [ "${18}" = 0 ] &&
    [ "$last" = $((messages + progress - 1)) ] && [ "$(seal "$T/a.out" last_seq)" = "$last" ] ||
    FAIL "messages: $(head -1 "$T/a.out")"
"$B" feed --dry-run --batch-bytes 1 --mrt "$W/rib.mrt.gz" "$W/updates.mrt.gz" >"$T/c.out" 2>/dev/null || FAIL "--batch-bytes 1"
set -- $(head -1 "$T/c.out")
[ "$2" = "$events" ] && [ "$8" = "$digest" ] && [ "${12}" = "$events" ] ||
    FAIL "one event per message: $(head -1 "$T/c.out"), batched: $(head -1 "$T/a.out")"
"$B" feed --dry-run --batch-bytes 300 --checkpoint 777 --mrt "$W/rib.mrt.gz" "$W/updates.mrt.gz" >"$T/c.out" 2>/dev/null ||
    FAIL "--batch-bytes 300"
set -- $(head -1 "$T/c.out")
[ "$2" = "$events" ] && [ "$8" = "$digest" ] && [ "${12}" -gt "$messages" ] && [ "${12}" -lt "$events" ] ||
    FAIL "small batches: $(head -1 "$T/c.out"), batched: $(head -1 "$T/a.out")"

# 2. a RIB dumped after the first update: read in its place in time, not baseline
"$B" feed --dry-run --mrt "$W2/rib.mrt.gz" "$W/updates.mrt.gz" "$W/rib.mrt.gz" >"$T/d.out" 2>"$T/d.err" ||
    FAIL "late RIB: $(cat "$T/d.err")"
grep -q "input 1 of 3: baseline RIB, first record [0-9]*: $W/rib.mrt.gz" "$T/d.err" &&
    grep -q "input 2 of 3: updates, first record [0-9]*: $W/updates.mrt.gz" "$T/d.err" &&
    grep -q "input 3 of 3: RIB, first record 1764549000: $W2/rib.mrt.gz" "$T/d.err" ||
    FAIL "late RIB order: $(cat "$T/d.err")"
"$B" observe --rib "$W/rib.mrt.gz" --rib "$W2/rib.mrt.gz" --updates "$W/updates.mrt.gz" --no-db --quiet \
    --json "$T/d.json" 2>/dev/null || FAIL "observe with a late RIB"
check_observe "late RIB" "$T/d.out" "$T/d.json"
[ "$(seal "$T/d.out" baseline_ribs)" = 1 ] && [ "$(seal "$T/d.out" rib_files)" = 2 ] ||
    FAIL "late RIB: $(sed -n 2p "$T/d.out")"

# 3. RIBs only: a snapshot; updates only: no baseline
"$B" feed --dry-run --mrt "$W/rib.mrt.gz" >"$T/e.out" 2>/dev/null || FAIL "RIB only"
"$B" observe --rib "$W/rib.mrt.gz" --no-db --quiet --json "$T/e.json" 2>/dev/null || FAIL "observe a RIB only"
check_observe "RIB only" "$T/e.out" "$T/e.json"
[ "$(seal "$T/e.out" snapshot)" = true ] && [ "$(seal "$T/e.out" update_files)" = 0 ] ||
    FAIL "RIB only: $(sed -n 2p "$T/e.out")"
"$B" feed --dry-run --mrt "$W/updates.mrt.gz" >"$T/f.out" 2>/dev/null || FAIL "updates only"
"$B" observe --updates "$W/updates.mrt.gz" --no-db --quiet --json "$T/f.json" 2>/dev/null || FAIL "observe updates only"
check_observe "updates only" "$T/f.out" "$T/f.json"
[ "$(seal "$T/f.out" snapshot)" = false ] && [ "$(seal "$T/f.out" baseline_ribs)" = 0 ] &&
    [ "$(seal "$T/f.out" baseline_end)" = 0 ] || FAIL "updates only: $(sed -n 2p "$T/f.out")"

# 4. damage as observe counts it (manrs stats: records damaged, resyncs, truncated
# files), an input that cannot be used
gzip -dc "$W/updates.mrt.gz" | head -c 300001 >"$T/trunc.mrt"
"$B" feed --dry-run --mrt "$T/trunc.mrt" >"$T/g.out" 2>/dev/null || FAIL "a truncated file"
want=$("$B" stats "$T/trunc.mrt" 2>/dev/null | awk '/^damaged, skipped/ { print $3 + $8 + $10 }')
[ "$(seal "$T/g.out" damaged)" = "$want" ] && [ "$want" -gt 0 ] && [ "$(seal "$T/g.out" failed)" = false ] ||
    FAIL "truncated: seal damaged $(seal "$T/g.out" damaged), manrs stats $want"
: >"$T/empty.mrt"
"$B" feed --dry-run --mrt "$T/empty.mrt" "$W/updates.mrt.gz" >"$T/h.out" 2>"$T/h.err"
rc=$?
"$B" observe --updates "$T/empty.mrt" --updates "$W/updates.mrt.gz" --no-db --quiet --json "$T/h.json" 2>/dev/null
orc=$?
[ $rc = 1 ] && [ $orc = 1 ] && [ "$(seal "$T/h.out" failed)" = true ] && grep -q "empty.mrt: no records" "$T/h.err" ||
    FAIL "an empty input: exit $rc (observe $orc), $(sed -n 2p "$T/h.out"), $(cat "$T/h.err")"
"$B" feed --dry-run --mrt "$T/nonexistent.mrt" >/dev/null 2>"$T/i.err"
[ $? = 1 ] && grep -q "nonexistent.mrt: cannot open" "$T/i.err" || FAIL "a missing file: $(cat "$T/i.err")"

# 5. real data: RouteViews 2008, messages cut by the collector at 4 096 bytes
RV=${MANRS_DATA:-../shared/data}/days/routeviews-2008/20080222
if [ -f "$RV/updates.20080222.0455.bz2" ] && [ -f "$RV/updates.20080222.0510.bz2" ]; then
    "$B" feed --dry-run --mrt "$RV/updates.20080222.0510.bz2" "$RV/updates.20080222.0455.bz2" >"$T/r.out" 2>"$T/r.err" ||
        FAIL "RouteViews 2008: $(cat "$T/r.err")"
    "$B" observe --updates "$RV/updates.20080222.0455.bz2" --updates "$RV/updates.20080222.0510.bz2" --no-db --quiet \
        --json "$T/r.json" 2>/dev/null || FAIL "observe RouteViews 2008"
    check_observe "RouteViews 2008" "$T/r.out" "$T/r.json"
    [ "$(seal "$T/r.out" cut)" -gt 0 ] || FAIL "RouteViews 2008: no message cut: $(sed -n 2p "$T/r.out")"
    grep -q "input 1 of 2: updates, first record [0-9]*: $RV/updates.20080222.0455.bz2" "$T/r.err" ||
        FAIL "RouteViews 2008 order: $(cat "$T/r.err")"
else
    echo "note: $RV not found, the real-data part skipped"
fi

# 6. usage
"$B" feed --dry-run --batch-bytes -3 --mrt "$W/rib.mrt.gz" >/dev/null 2>&1
[ $? = 2 ] || FAIL "--batch-bytes -3: not a usage error"
"$B" feed --dry-run --seal >/dev/null 2>&1
[ $? = 2 ] || FAIL "--seal with --dry-run: not a usage error"

[ $fail = 0 ] && echo "PASS: the feed's order, batches and seal agree with observe, dump and stats"
exit $fail
