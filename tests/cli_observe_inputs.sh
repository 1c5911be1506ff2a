#!/bin/sh
# cli_observe_inputs.sh — inputs at real scale (issue 11): MRT files are read in time
# order whatever the order given, from a list (--files-from, RIB or updates told by
# content), a directory or a quoted pattern; every way gives the same run.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/observe_inputs"
rm -rf "$T"; mkdir -p "$T/dir"
fail=0
"$MANRS_BIN" sim --out "$T/w" --ases 300 --seed 5 --incidents 3 --hours 1 --quiet >/dev/null || { echo "FAIL: sim"; exit 1; }
W="$T/w"
run() {   # name args...
    n=$1; shift
    "$MANRS_BIN" observe "$@" --asrel "$W/asrel.txt" --asrel-ipv6 --no-db -q --json "$T/$n.json" 2>"$T/$n.err" \
        || { echo "FAIL: $n (exit $?)"; cat "$T/$n.err"; fail=1; }
}
run plain --rib "$W/rib.mrt.gz" --updates "$W/updates.mrt.gz"
# the updates given first and the RIB as "updates" by mistake in a list: told by content
printf '# updates first\n%s\n\n%s\n' "$W/updates.mrt.gz" "$W/rib.mrt.gz" > "$T/list"
run list --files-from "$T/list"
run stdin --files-from - < "$T/list"
cp "$W/rib.mrt.gz" "$W/updates.mrt.gz" "$T/dir/"
printf '%s\n' "$T/dir" > "$T/dirlist"
run dirlist --files-from "$T/dirlist"
run pattern --rib "$W/rib*.gz" --updates "$W/upd*"
for n in list stdin dirlist pattern; do
    python3 - "$T/plain.json" "$T/$n.json" "$n" <<'PY' || fail=1
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
strip = lambda d: [(i["class"], i["culprit"], i["prefix"], i["start"], i["end"], i["confidence"]) for i in d["incidents"]]
if strip(a) != strip(b) or a["window"]["start"] != b["window"]["start"] or a["window"]["baseline"] != b["window"]["baseline"]:
    print("FAIL: %s gives another run than the plain options" % sys.argv[3]); sys.exit(1)
PY
done
python3 -c "import json,sys; d=json.load(open('$T/plain.json')); sys.exit(0 if d['window']['baseline'] and d['incidents'] else 1)" \
    || { echo "FAIL: the plain run has no baseline or no incident"; fail=1; }
# errors name what is wrong, exit 2
"$MANRS_BIN" observe --updates "$T/nomatch*" --no-db -q 2>"$T/e1"; rc=$?
[ $rc -eq 2 ] && grep -q "no file matches" "$T/e1" || { echo "FAIL: unmatched pattern (exit $rc)"; cat "$T/e1"; fail=1; }
printf '%s\n%s\n' "$W/rib.mrt.gz" "$T/empty-dir" > "$T/badlist"; mkdir -p "$T/empty-dir"
"$MANRS_BIN" observe --files-from "$T/badlist" --no-db -q 2>"$T/e2"; rc=$?
[ $rc -eq 2 ] && grep -q "badlist:2: .*no file in the directory" "$T/e2" || { echo "FAIL: bad list line (exit $rc)"; cat "$T/e2"; fail=1; }
"$MANRS_BIN" observe --files-from "$T/nolist" --no-db -q 2>"$T/e3"; rc=$?
[ $rc -eq 2 ] && grep -q "cannot open" "$T/e3" || { echo "FAIL: missing list (exit $rc)"; cat "$T/e3"; fail=1; }
[ $fail -eq 0 ] && echo "inputs: list, stdin, directory and pattern give the same run"
exit $fail
