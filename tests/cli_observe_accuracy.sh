#!/bin/sh
# cli_observe_accuracy.sh — `manrs observe` against the simulator's ground truth
# (issue 5): on several seeded worlds (sizes 300..1500, different seeds, churn and
# window lengths), every incident class must reach precision >= 0.99 and recall
# >= 0.95 (tests/oracle/score_truth.py: match by class + prefix + culprit; the
# high-confidence incidents against truth seen by >= 2 collector peers for leaks and
# hijacks, >= 1 for bogons and RPKI-invalid; and every listed incident, low ones
# included, against all visible truth), and the per-action readiness must
# separate the true MANRS participants from the others (confusion matrix printed).
# Also: the command-line errors (exit 2), --strict on a damaged MRT file (exit 1).
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/observe_acc"
rm -rf "$T"; mkdir -p "$T"
fail=0

# usage errors
"$MANRS_BIN" observe >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: no input must exit 2"; fail=1; }
"$MANRS_BIN" observe --world "$T/nope" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: bad --world must exit 2"; fail=1; }
"$MANRS_BIN" observe --rib x --min-peers 0 >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: --min-peers 0 must exit 2"; fail=1; }
"$MANRS_BIN" observe --rib x --from 10 --to 5 >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: --from > --to must exit 2"; fail=1; }

# networks seed incidents/class hours churn rov-share (1.0: every participant drops
# RPKI-invalid routes, so some victims' prefixes reach no collector peer)
for cfg in "300 2 10 1 2 0.5" "1000 3 10 3 5 0.5" "1500 4 8 1 2 0.5" "600 7 12 2 8 0.5" "1200 12 20 4 3 1.0"; do
    set -- $cfg
    d="$T/w$1_$2"
    "$MANRS_BIN" sim --out "$d" --ases "$1" --seed "$2" --incidents "$3" --hours "$4" --churn "$5" --rov-share "$6" --quiet >/dev/null \
        || { echo "FAIL: sim $cfg"; fail=1; continue; }
    "$MANRS_BIN" observe --world "$d" --json "$d.json" --db "$T/runs.db" --strict --quiet \
        || { echo "FAIL: observe on $d (exit $?)"; fail=1; continue; }
    echo "== world: $1 networks, seed $2, $3 incidents/class, $4 h, churn $5, ROV share $6"
    python3 "$MANRS_SRC/tests/oracle/score_truth.py" "$d/truth.json" "$d.json" || { echo "FAIL: accuracy on $d"; fail=1; }
    # RFC 7999 blackholes the collectors saw are recognised by their community
    python3 - "$d/truth.json" "$d.json" <<'PY' || { echo "FAIL: blackhole routes not recognised on $d"; fail=1; }
import json, sys
t = json.load(open(sys.argv[1])); o = json.load(open(sys.argv[2]))
seen = sum(c.get("visible_peers", 0) for c in t["confounders"] if c["kind"] == "blackhole")
got = o["window"]["blackhole_routes"]
sys.exit(0 if (got >= 1) == (seen >= 1) and got <= 4 * seen + 4 else 1)
PY
    # the listing (low confidence included) must hold every visible incident too
    python3 "$MANRS_SRC/tests/oracle/score_truth.py" "$d/truth.json" "$d.json" --include-low >/dev/null \
        || { echo "FAIL: accuracy with low-confidence incidents on $d"; fail=1; }
done

# the same worlds with as-rel written as an inference with its errors (--asrel-errors:
# misinferred and missing links, hybrid links; docs/sim.md): the route-leak rules must
# hold without a true relationship graph. One leak of world 1000/3 stays out of reach
# (AS34167 passes its peer's route to its peers, and as-rel calls that peer its
# customer: without an ASPA record a new transit customer looks the same), so that
# world's route-leak recall floor is 0.93 (15 of 16; docs/observe.md "Known limits").
for cfg in "300 2 10 1 2 0.5" "1000 3 10 3 5 0.5" "1500 4 8 1 2 0.5" "600 7 12 2 8 0.5" "1200 12 20 4 3 1.0"; do
    set -- $cfg
    d="$T/e$1_$2"
    "$MANRS_BIN" sim --out "$d" --ases "$1" --seed "$2" --incidents "$3" --hours "$4" --churn "$5" --rov-share "$6" \
        --asrel-errors --quiet >/dev/null || { echo "FAIL: sim --asrel-errors $cfg"; fail=1; continue; }
    "$MANRS_BIN" observe --world "$d" --json "$d.json" --no-db --strict --quiet \
        || { echo "FAIL: observe on $d (exit $?)"; fail=1; continue; }
    floor=""
    [ "$1_$2" = 1000_3 ] && floor="--floor route-leak=0.99,0.93"
    echo "== world with as-rel errors: $1 networks, seed $2"
    # shellcheck disable=SC2086
    python3 "$MANRS_SRC/tests/oracle/score_truth.py" "$d/truth.json" "$d.json" $floor || { echo "FAIL: accuracy on $d"; fail=1; }
done

# --strict: a truncated updates file is a decode error -> exit 1; without --strict 0
d="$T/w300_2"
if [ -f "$d/updates.mrt.gz" ]; then
    gzip -dc "$d/updates.mrt.gz" > "$T/upd.mrt"
    sz=$(wc -c < "$T/upd.mrt")
    head -c $((sz - 7)) "$T/upd.mrt" > "$T/upd_trunc.mrt"
    "$MANRS_BIN" observe --rib "$d/rib.mrt.gz" --updates "$T/upd_trunc.mrt" --asrel "$d/asrel.txt" --db "$T/strict.db" --quiet --strict \
        --json "$T/trunc.json" 2>"$T/trunc.err"
    [ $? -eq 1 ] || { echo "FAIL: --strict with a truncated file must exit 1"; fail=1; }
    grep -q "upd_trunc.mrt" "$T/trunc.err" || { echo "FAIL: the damaged file is not named"; cat "$T/trunc.err"; fail=1; }
    "$MANRS_BIN" observe --rib "$d/rib.mrt.gz" --updates "$T/upd_trunc.mrt" --asrel "$d/asrel.txt" --no-db --quiet \
        --json "$T/trunc.json" 2>/dev/null
    [ $? -eq 0 ] || { echo "FAIL: without --strict a truncated file still gives a run"; fail=1; }
fi
# the store: every world a complete run with its incidents; the --strict run failed
if command -v sqlite3 >/dev/null 2>&1; then
    n=$(sqlite3 "$T/runs.db" "select count(*) from runs where status='complete'")
    [ "$n" = 5 ] || { echo "FAIL: $n complete runs stored, want 5"; fail=1; }
    ni=$(sqlite3 "$T/runs.db" "select count(*) from incidents")
    nj=$(python3 -c 'import json,sys; print(sum(len(json.load(open(f))["incidents"]) for f in sys.argv[1:]))' "$T"/w*.json)
    [ "$ni" = "$nj" ] || { echo "FAIL: $ni incidents stored, $nj in the JSON runs"; fail=1; }
    st=$(sqlite3 "$T/strict.db" "select status from runs")
    [ "$st" = failed ] || { echo "FAIL: the --strict run with a decode error is '$st', want failed"; fail=1; }
fi
[ $fail -eq 0 ] && echo "observe accuracy: all worlds pass"
exit $fail
