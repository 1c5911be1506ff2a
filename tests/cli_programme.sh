#!/bin/sh
# The MANRS programme end to end (docs/programme.md) on simulated worlds:
# - `manrs conformance` on three worlds agrees with truth.json's participants
#   (the conformance the ground truth implies) for >= 99 % of (participant, ASN,
#   Action) and of the enforcement states (tests/oracle/conformance_truth.py); the
#   world's IXP gets its Action 1 from its route server's RIB (rs.mrt.gz), as
#   the truth has it (one seed's route server filters, one's does not);
# - four successive months of one world through one store, with participants that
#   lapse from a month on (some recover two months later): every month's verdicts
#   and the states folded over the truth's history agree >= 99 %; >= 90 % of the
#   lapsed participant-months are measured not conformant; a participant failing
#   every month walks notice, grace, grace, suspended (MANRS) or notice, suspended
#   (MANRS+); the period's rows replace a re-run's; --period must hold the data;
# - a dispute of the incident behind an Action 1 failure takes it out of that
#   participant's verdict and lists it as disputed; rejected, it counts again;
# - the CSV has one row per committed (participant, ASN, Action); the public list
#   names every participant not conformant;
# - `manrs participants check`: the rule sets (2014 stricter than today), exit 3
#   when a commitment fails its rule, FILE:LINE and exit 1 for a damaged entry, the
#   rest still checked; usage errors exit 2.
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:-$(dirname "$0")/..}
TMP=${MANRS_TMP:-/tmp}/programme.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
command -v python3 >/dev/null || { echo "skip: python3 missing"; exit 77; }
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

# 1. verdicts against the ground truth, three worlds
for seed in 1 2 3; do
    W="$TMP/w$seed"
    "$BIN" sim --out "$W" --seed "$seed" >/dev/null 2>&1 || { bad "manrs sim --seed $seed"; continue; }
    "$BIN" conformance --participants "$W/participants.yml" --world "$W" --no-db --format json \
        >"$TMP/c$seed.json" 2>"$TMP/c$seed.err"; r=$?
    [ $r = 0 ] || [ $r = 3 ] && ok "conformance seed $seed exit $r" || bad "conformance seed $seed exit $r: $(head -c 300 "$TMP/c$seed.err")"
    python3 "$SRC/tests/oracle/conformance_truth.py" "$W/truth.json" "$TMP/c$seed.json" 0.99 >"$TMP/score$seed" &&
        ok "seed $seed: $(grep '^verdicts' "$TMP/score$seed")" ||
        { bad "seed $seed against truth"; cat "$TMP/score$seed"; }
    # the IXP: Action 1 judged on the world's route-server RIB, as the truth has it
    python3 - "$W/truth.json" "$TMP/c$seed.json" <<'PY' && ok "seed $seed: the IXP's Action 1 from its route server" || bad "seed $seed: the IXP"
import json, sys
t = [p for p in json.load(open(sys.argv[1]))["participants"] if p["id"] == "sim-ix"][0]
g = [p for p in json.load(open(sys.argv[2]))["participants"] if p["id"] == "sim-ix"][0]
a1 = [x for x in g["asns"][0]["actions"] if x["action"] == 1][0]
print(" ", t["asns"][0]["actions"]["1"], a1["verdict"], a1["basis"])
sys.exit(0 if a1["verdict"] == t["asns"][0]["actions"]["1"] and a1["basis"].startswith("route server RIB") else 1)
PY
done
W="$TMP/w1"

# 2. four months of the same world through one store
DB="$TMP/p.db"
for m in 2025-12 2026-01 2026-02 2026-03; do
    "$BIN" sim --out "$TMP/m$m" --seed 1 --start "$m-01" >/dev/null 2>&1 || bad "sim --start $m"
    "$BIN" conformance --participants "$W/participants.yml" --world "$TMP/m$m" --db "$DB" --format json \
        >"$TMP/m$m.json" 2>"$TMP/m$m.err"; r=$?
    [ $r = 3 ] && ok "conformance $m exit 3" || bad "conformance $m exit $r: $(head -c 300 "$TMP/m$m.err")"
    # verdicts, and states folded over the truth's whole history (lapses included)
    python3 "$SRC/tests/oracle/conformance_truth.py" "$TMP/m$m/truth.json" "$TMP/m$m.json" 0.99 history >"$TMP/ms$m" &&
        ok "$m: $(grep '^verdicts' "$TMP/ms$m" | sed 's/ (participant.*truth://'); $(grep '^enforcement' "$TMP/ms$m"); $(grep 'lapse at' "$TMP/ms$m" | sed 's/.*(//; s/)//')" ||
        { bad "$m against truth"; cat "$TMP/ms$m"; }
done
# the participants that lapse: in every month they lapse in, measured not conformant
python3 - "$TMP" <<'PY' || fail=1
import json, sys
tmp = sys.argv[1]
months = ["2026-01", "2026-02", "2026-03"]
n = hit = 0
for m in months:
    t = json.load(open(f"{tmp}/m{m}/truth.json"))
    g = {p["id"]: p for p in json.load(open(f"{tmp}/m{m}.json"))["participants"]}
    for p in t["participants"]:
        if p.get("lapse") and p["lapse"] <= m and (not p.get("recover") or m < p["recover"]):
            n += 1
            hit += g[p["id"]]["outcome"] == "not-conformant"
ok = n >= 10 and hit >= 0.9 * n
print(("ok   " if ok else "FAIL ") + "lapsed participant-months measured not conformant: %d of %d" % (hit, n))
sys.exit(0 if ok else 1)
PY
# the same month again: replaced, not added; and the states continue from the month before it
"$BIN" conformance --participants "$W/participants.yml" --world "$TMP/m2026-03" --db "$DB" --format json \
    >"$TMP/again.json" 2>/dev/null
python3 - "$TMP" "$DB" <<'PY' || fail=1
import json, sqlite3, sys
tmp, db = sys.argv[1:]
months = ["2025-12", "2026-01", "2026-02", "2026-03"]
runs = [json.load(open(f"{tmp}/m{m}.json")) for m in months]
bad = 0
def check(c, what):
    global bad
    print(("ok   " if c else "FAIL ") + what)
    bad |= not c
check([r["period"] for r in runs] == months, "periods %s" % [r["period"] for r in runs])
want = {"manrs": ["notice", "grace", "grace", "suspended"], "manrs-plus": ["notice", "suspended", "suspended", "suspended"]}
seen = {"manrs": 0, "manrs-plus": 0}
for i, p in enumerate(runs[0]["participants"]):
    outs = [r["participants"][i]["outcome"] for r in runs]
    states = [r["participants"][i]["enforcement"]["state"] for r in runs]
    if all(o == "not-conformant" for o in outs):
        seen[p["tier"]] += 1
        check(states == want[p["tier"]], "%s (%s) fails every month: %s" % (p["id"], p["tier"], states))
    elif all(o == "conformant" for o in outs):
        if states != ["conformant"] * 4:
            check(False, "%s conformant every month: %s" % (p["id"], states))
check(seen["manrs"] > 0 and seen["manrs-plus"] > 0, "participants failing every month: %s" % seen)
prev = runs[3]["participants"]
again = json.load(open(f"{tmp}/again.json"))["participants"]
check([p["enforcement"] for p in again] == [p["enforcement"] for p in prev], "a re-run of 2026-03 continues from 2026-02")
con = sqlite3.connect(db)
n = con.execute("SELECT count(*) FROM enforcement").fetchone()[0]
check(n == 4 * len(prev), "enforcement rows: %d (4 periods x %d participants)" % (n, len(prev)))
rows = con.execute("SELECT count(*) FROM conformance WHERE period = '2026-03'").fetchone()[0]
committed = sum(len(a["actions"]) for p in prev for a in p["asns"])
check(rows == committed, "conformance rows of 2026-03: %d, committed %d" % (rows, committed))
sys.exit(bad)
PY
"$BIN" conformance --participants "$W/participants.yml" --world "$W" --db "$DB" --period 2026-05 >/dev/null 2>"$TMP/per.err"; r=$?
[ $r = 1 ] && grep -q 'routing data starts in 2025-12' "$TMP/per.err" && ok "--period must hold the data" ||
    bad "--period 2026-05 on December data: exit $r $(cat "$TMP/per.err")"

# 3. a dispute of the incident behind an Action 1 failure
python3 - "$TMP/c1.json" >"$TMP/disp" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
inc = {i["id"]: i for i in d["incidents"]}
for p in d["participants"]:
    for a in p["asns"]:
        for x in a["actions"]:
            if x["action"] == 1 and x["verdict"] == "not-conformant" and len(x["incidents"]) == 1:
                i = inc[x["incidents"][0]]
                print(p["id"], a["asn"], i["class"], i["prefix"], i["culprit"], i["id"])
                sys.exit(0)
sys.exit(1)
PY
if read -r PID PASN ICLS IPFX ICUL IID <"$TMP/disp"; then
    for status in open rejected; do
        printf 'disputes:\n  - participant: %s\n    incident: {class: %s, prefix: %s, culprit: %s}\n    reason: test\n    status: %s\n' \
            "$PID" "$ICLS" "$IPFX" "$ICUL" "$status" >"$TMP/d.yml"
        "$BIN" conformance --participants "$W/participants.yml" --world "$W" --no-db --disputes "$TMP/d.yml" \
            --format json >"$TMP/d-$status.json" 2>"$TMP/d.err" || true
        python3 - "$TMP/d-$status.json" "$PID" "$PASN" "$IID" "$status" <<'PY' && ok "dispute ($status) of incident $IID by $PID" || bad "dispute ($status) of incident $IID by $PID"
import json, sys
f, pid, asn, iid, status = sys.argv[1:]
d = json.load(open(f))
p = [p for p in d["participants"] if p["id"] == pid][0]
x = [x for a in p["asns"] if a["asn"] == int(asn) for x in a["actions"] if x["action"] == 1][0]
print(x)
if status == "open":
    sys.exit(0 if x["verdict"] == "conformant" and x["disputed"] == [int(iid)] and not x["incidents"] else 1)
sys.exit(0 if x["verdict"] == "not-conformant" and x["incidents"] == [int(iid)] and not x["disputed"] else 1)
PY
    done
else
    bad "seed 1 has no Action 1 failure resting on one incident"
fi

# 4. CSV and the public list
"$BIN" conformance --participants "$W/participants.yml" --world "$W" --no-db --format csv >"$TMP/c1.csv" 2>/dev/null
"$BIN" conformance --participants "$W/participants.yml" --world "$W" --no-db --format public >"$TMP/c1.md" 2>/dev/null
python3 - "$TMP/c1.json" "$TMP/c1.csv" "$TMP/c1.md" <<'PY' && ok "csv rows and the public list" || bad "csv rows and the public list"
import csv, json, sys
d = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
committed = sum(len(a["actions"]) for p in d["participants"] for a in p["asns"])
md = open(sys.argv[3]).read()
nots = [p["id"] for p in d["participants"] if p["outcome"] == "not-conformant"]
missing = [i for i in nots if "(%s, " % i not in md]
print(len(rows), committed, len(nots), missing[:5])
sys.exit(0 if len(rows) == committed and nots and not missing else 1)
PY

# 5. participants check: rule sets, damaged entries, usage
"$BIN" participants check "$W/participants.yml" >"$TMP/pc.txt" 2>&1; r=$?
python3 - "$W/participants.yml" "$TMP/pc.txt" "$r" <<'PY' && ok "participants check: the coordination-only commitments fail the rule" || bad "participants check"
import re, sys
text = open(sys.argv[1]).read()
alone = len(re.findall(r"actions: \[3\]\}", text))
out = open(sys.argv[2]).read()
m = re.search(r"(\d+) participants, (\d+) do not meet", out)
print(alone, m.groups() if m else None, sys.argv[3])
sys.exit(0 if m and int(m.group(2)) == alone and sys.argv[3] == ("3" if alone else "0") else 1)
PY
n2020=$("$BIN" participants check --json "$W/participants.yml" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["failing"])')
n2014=$("$BIN" participants check --rules manrs-2014 --json "$W/participants.yml" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["failing"])')
[ "$n2014" -gt "$n2020" ] && ok "manrs-2014 (two Actions) fails more: $n2014 > $n2020" || bad "manrs-2014 $n2014, manrs-2020 $n2020"
"$BIN" participants check --world "$W" "$W/participants.yml" >"$TMP/pcw.txt" 2>&1
grep -q '^    AS[0-9]*: 1 ' "$TMP/pcw.txt" && ok "participants check shows the measured verdicts" || bad "no measured verdicts"
{ head -n 4 "$W/participants.yml"; printf '  - organisation: Broken\n    programme: isp\n'; tail -n +5 "$W/participants.yml"; } >"$TMP/broken.yml"
"$BIN" participants check "$TMP/broken.yml" >"$TMP/b.out" 2>"$TMP/b.err"; r=$?
[ $r = 1 ] && grep -q "broken.yml:6: programme must be one of" "$TMP/b.err" && grep -q '1 entries skipped' "$TMP/b.out" &&
    ok "a damaged entry: FILE:LINE, skipped, exit 1" || bad "damaged entry: exit $r, $(cat "$TMP/b.err")"
# the registry manrs sim writes is valid against docs/participants.schema.json (and
# the damaged one is not), when python3 has jsonschema and PyYAML
python3 - "$SRC/docs/participants.schema.json" "$W/participants.yml" "$TMP/broken.yml" <<'PY'; r=$?
import datetime, json, sys
try:
    import jsonschema, yaml
except ImportError:
    print("skip: python3 jsonschema or yaml missing"); sys.exit(77)
schema = json.load(open(sys.argv[1]))
def plain(x):  # YAML dates -> the text they were written as
    if isinstance(x, datetime.date): return x.isoformat()
    if isinstance(x, dict): return {k: plain(v) for k, v in x.items()}
    if isinstance(x, list): return [plain(v) for v in x]
    return x
good = plain(yaml.safe_load(open(sys.argv[2])))
jsonschema.validate(good, schema)
try:
    jsonschema.validate(plain(yaml.safe_load(open(sys.argv[3]))), schema)
    sys.exit(1)
except jsonschema.ValidationError:
    sys.exit(0)
PY
case $r in 0) ok "participants.yml valid against the JSON Schema, the damaged one not" ;;
            77) echo "skip: schema check (python3 jsonschema/yaml)" ;;
            *) bad "JSON Schema check" ;; esac
"$BIN" participants rules | grep -q '^manrs-2020 (from 2020-03), the default' && ok "participants rules" || bad "participants rules"
for args in "conformance --world $W" "conformance --participants $W/participants.yml" \
            "conformance --participants x --world $W --period 2025-13" "conformance --participants x --world $W --format xml" \
            "participants" "participants list" "participants check" "participants check --rules manrs-1999 x"; do
    # shellcheck disable=SC2086
    "$BIN" $args >/dev/null 2>&1; r=$?
    [ $r = 2 ] && ok "usage: manrs $args -> 2" || bad "manrs $args: exit $r, want 2"
done
exit $fail
