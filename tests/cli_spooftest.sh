#!/bin/sh
# manrs spooftest end to end, in a real lab of network namespaces (root only;
# otherwise SKIP with the reason, exit 77):
# - the JSON: four runs in order, every probe with family, class, spoofed, arrived;
# - none: every probe arrives (the lab forwards forged sources by itself);
# - manrs-acl: every forged probe blocked, every legitimate one (both prefixes of
#   the multihomed customer, both families) arrives; exit 0;
# - urpf-strict: the multihomed customer's second prefix is dropped (the
#   documented failure), its first passes;
# - urpf-loose: another customer's prefix and the neighbouring /24 (/48) pass,
#   unrouted private / unallocated / bogon sources do not;
# - bounded: under 30 s, at most a few thousand packets;
# - the Spoofer CSV is read by `manrs check --spoofer` (Action 2 PASS for the
#   ACL, FAIL for loose uRPF's rows) and `manrs observe --spoofer`;
# - teardown: nothing of the lab left after a normal run, after SIGINT and
#   SIGTERM midway (exit 130 / 143), and a lab left by a killed process is
#   removed by the next run;
# - not root: exit 3 with the reason; usage errors: exit 2.
set -u
BIN=${MANRS_BIN:?}
TMP=${MANRS_TMP:-/tmp}/spooftest.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); echo "ok   $1"; }
ko() { fail=$((fail+1)); echo "FAIL $1"; }

# usage errors need no lab
for args in "--copies 0" "--copies 11" "--spoofer-run bogus" "--asn x" "extra"; do
    # shellcheck disable=SC2086
    "$BIN" spooftest $args >"$TMP/o" 2>"$TMP/e"; r=$?
    [ $r = 2 ] && [ ! -s "$TMP/o" ] && ok "usage: spooftest $args -> exit 2" || ko "usage: spooftest $args -> exit $r"
done

[ "$(id -u)" = 0 ] || { echo "SKIP: not root: network namespaces cannot be made"; exit 77; }
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || { echo "SKIP: no ip (apt-get install iproute2)"; exit 77; }
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || { echo "SKIP: no nft (apt-get install nftables)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 missing"; exit 77; }
PROBE=mrsprobe$$
if ! ip netns add "$PROBE" 2>"$TMP/e"; then echo "SKIP: ip netns add fails here: $(head -1 "$TMP/e")"; exit 77; fi
if ! ip -n "$PROBE" link add name va type veth peer name vb 2>"$TMP/e"; then
    ip netns del "$PROBE"; echo "SKIP: no veth here: $(head -1 "$TMP/e")"; exit 77
fi
ip netns del "$PROBE"

# nothing named after lab $1 (mrs<pid>) is left: namespaces and interfaces
left_behind() {
    { ip netns list 2>/dev/null | grep "^$1-"; ip -o link 2>/dev/null | grep "$1"; } | head -3
}

# 1. the JSON run
start=$(date +%s.%N)
"$BIN" spooftest --json --spoofer-csv "$TMP/acl.csv" --acl-out "$TMP/acl.nft" >"$TMP/out.json" 2>"$TMP/err"; r=$?
end=$(date +%s.%N)
[ $r = 0 ] && ok "spooftest --json: exit 0" || { ko "spooftest --json: exit $r"; cat "$TMP/err"; }
secs=$(python3 -c "print(round($end - $start, 1))")
python3 - "$TMP/out.json" "$secs" >"$TMP/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
secs = float(sys.argv[2])
fails = []
def check(c, what):
    print(("ok   " if c else "FAIL ") + what)
runs = {r["name"]: r for r in d["runs"]}
check([r["name"] for r in d["runs"]] == ["none", "manrs-acl", "urpf-strict", "urpf-loose"], "four runs in order")
keys_ok = all(set(["family", "class", "spoofed", "arrived"]) <= set(p) and isinstance(p["spoofed"], bool)
              and isinstance(p["arrived"], bool) for r in d["runs"] for p in r["probes"])
check(keys_ok and all(len(r["probes"]) == 14 for r in d["runs"]), "14 probes per run, each with family, class, spoofed, arrived")
classes = {(p["family"], p["class"]) for p in runs["none"]["probes"]}
check(len(classes) == 14 and {f for f, _ in classes} == {"ipv4", "ipv6"}, "7 classes in both families")
def arrived(run, cls, fam=None):
    return [p["arrived"] for p in runs[run]["probes"] if p["class"] == cls and (fam is None or p["family"] == fam)]
check(all(p["arrived"] for p in runs["none"]["probes"]), "none: every probe arrives (forged ones too)")
acl = runs["manrs-acl"]["probes"]
check(all(not p["arrived"] for p in acl if p["spoofed"]), "manrs-acl: every forged probe blocked")
legit = [p for p in acl if not p["spoofed"]]
check(len(legit) == 4 and all(p["arrived"] for p in legit),
      "manrs-acl: every legitimate probe arrives (own and multihomed prefix, IPv4 and IPv6)")
check(arrived("urpf-strict", "multihomed") == [False, False], "urpf-strict: drops the multihomed customer's other prefix (both families)")
check(arrived("urpf-strict", "own") == [True, True], "urpf-strict: passes the prefix routed back over the interface")
check(not any(p["arrived"] for p in runs["urpf-strict"]["probes"] if p["spoofed"]), "urpf-strict: blocks every forged class")
check(arrived("urpf-loose", "other-customer") == [True, True] and arrived("urpf-loose", "adjacent") == [True, True],
      "urpf-loose: passes another customer's prefix and the neighbouring /24 and /48 (routed)")
check(not any(arrived("urpf-loose", c)[i] for c in ("private", "unallocated", "bogon") for i in (0, 1)),
      "urpf-loose: blocks private, unallocated and bogon sources (no route)")
check(arrived("urpf-loose", "multihomed") == [True, True], "urpf-loose: passes the multihomed prefix")
v = d["verdict"]
check(v["ok"] and v["acl_blocks_every_forged"] and v["acl_passes_every_legitimate"] and v["strict_drops_multihomed"]
      and v["loose_passes_other_customer"], "verdict fields")
check(d["lab"]["packets_sent"] <= 5000, "bounded: %d packets sent" % d["lab"]["packets_sent"])
check(secs <= 30, "bounded: %.1f s (at most 30)" % secs)
check(d["lab"]["acl_urpf_mode"] == "efp-a", "the generator chose EFP-uRPF for the multihomed customer")
PY
while read -r line; do case $line in "ok   "*) ok "${line#ok   }" ;; *) ko "$line" ;; esac; done <"$TMP/py"
lab=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["lab"]["name"])' "$TMP/out.json" 2>/dev/null)
[ -n "$lab" ] && [ -z "$(left_behind "$lab")" ] && ok "normal run: lab $lab torn down" || ko "normal run: left behind: $(left_behind "${lab:-mrs}")"
grep -q 'iifname "'"$lab"'pc" ip saddr @permit4 accept' "$TMP/acl.nft" && ok "--acl-out: the generated ruleset, bound to pe's customer interface" ||
    ko "--acl-out"

# 2. the Spoofer rows: read by check (Action 2) and observe
"$BIN" example-mrt --prefixes 50 "$TMP/ex.mrt" 2>/dev/null
"$BIN" check --rib "$TMP/ex.mrt" --spoofer "$TMP/acl.csv" --json 64500 >"$TMP/chk.json" 2>"$TMP/chk.err"
python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["actions"]["action2"]
assert a["spoofer_tests"] == 2 and a["spoofer_spoofable"] == 0 and a["verdict"] == "PASS", a
' "$TMP/chk.json" && ok "Spoofer CSV of manrs-acl: manrs check --spoofer scores Action 2 PASS (2 tests)" ||
    { ko "Spoofer CSV of manrs-acl not read by check"; head -5 "$TMP/chk.err"; }
"$BIN" observe --rib "$TMP/ex.mrt" --spoofer "$TMP/acl.csv" --no-db -q --json "$TMP/obs.json" 2>"$TMP/obs.err"; r=$?
[ $r = 0 ] && ! grep -q "acl.csv" "$TMP/obs.err" && ok "manrs observe --spoofer reads the rows (exit 0, no error)" ||
    { ko "observe --spoofer: exit $r"; head -5 "$TMP/obs.err"; }

# 3. the table, the loose run's rows: spoofable
"$BIN" spooftest --copies 2 --spoofer-run urpf-loose --asn 64999 --spoofer-csv "$TMP/loose.csv" >"$TMP/table" 2>"$TMP/err"; r=$?
[ $r = 0 ] && grep -q "^manrs-acl .*blocks 10 of 10 forged probes, passes 4 of 4 legitimate ones.*: PASS" "$TMP/table" &&
    grep -q "^urpf-strict: drops the multihomed customer's second prefix (IPv4 and IPv6)" "$TMP/table" &&
    grep -q "^urpf-loose: passes another customer's prefix (IPv4 and IPv6)" "$TMP/table" &&
    ok "the table's verdict lines" || { ko "table (exit $r)"; cat "$TMP/table" "$TMP/err"; }
"$BIN" check --rib "$TMP/ex.mrt" --spoofer "$TMP/loose.csv" --json 64999 >"$TMP/chk2.json" 2>/dev/null
python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["actions"]["action2"]
assert a["spoofer_tests"] == 2 and a["spoofer_spoofable"] == 2 and a["verdict"] == "FAIL", a
' "$TMP/chk2.json" && ok "Spoofer CSV of urpf-loose (--asn 64999): Action 2 FAIL, spoofable" || ko "loose rows not spoofable in check"

# 4. signals midway: wait until the lab is up, then signal; exit 128+N, nothing left
for sig in INT TERM; do
    "$BIN" spooftest >"$TMP/sig.out" 2>"$TMP/sig.err" &
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! ip netns list 2>/dev/null | grep -q "^mrs$pid-col"; do sleep 0.05; i=$((i+1)); done
    sleep 0.3
    up=$(ip netns list 2>/dev/null | grep -c "^mrs$pid-")
    kill -$sig $pid
    wait $pid; r=$?
    want=130; [ $sig = TERM ] && want=143
    left=$(left_behind "mrs$pid")
    [ "$up" -ge 1 ] && [ $r = $want ] && [ -z "$left" ] && ok "SIG$sig midway ($up namespaces up): exit $r, nothing left" ||
        ko "SIG$sig: $up namespaces up, exit $r (want $want), left: $left; $(cat "$TMP/sig.err")"
done

# 5. a lab left by a process killed with SIGKILL is removed by the next run
"$BIN" spooftest >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 100 ] && ! ip netns list 2>/dev/null | grep -q "^mrs$pid-col"; do sleep 0.05; i=$((i+1)); done
kill -KILL $pid; wait $pid 2>/dev/null
stale=$(ip netns list 2>/dev/null | grep -c "^mrs$pid-")
"$BIN" spooftest --copies 1 >/dev/null 2>&1
[ "$stale" -ge 1 ] && [ -z "$(left_behind "mrs$pid")" ] && ok "stale lab of a killed process ($stale namespaces) removed by the next run" ||
    ko "stale lab: $stale namespaces before, left: $(left_behind "mrs$pid")"

# 6. not root: exit 3 with the reason
if command -v setpriv >/dev/null 2>&1; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" spooftest >"$TMP/o" 2>"$TMP/e"; r=$?
    [ $r = 3 ] && grep -q "cannot build the lab: not root" "$TMP/e" && ok "not root: exit 3, says why" || ko "not root: exit $r: $(cat "$TMP/e")"
fi

echo "spooftest: $pass passed, $fail failed"
[ $fail = 0 ]
