#!/bin/sh
# manrs lg end to end.
# - a simulated world (manrs sim --ases 300 --seed 5): at the middle of a true
#   origin hijack, exactly its visible_peers collector peers hold the prefix with
#   the culprit as origin; at the middle of a true sub-prefix hijack, --longest on
#   an address inside it gives the /24 of the culprit at exactly visible_peers
#   peers, RPKI invalid (the world has VRPs); --at as ISO 8601 = Unix seconds;
#   --limit says truncated; criteria combine;
# - real data, bgpdump -m as the oracle: the routes held for every prefix under
#   193.0.0.0/8 of a full RIS RIB (bview.20020722.2337) are exactly bgpdump's
#   (prefix, peer, path) entries; every history interval of two real update files
#   (RIS 2002 and 2016, IPv4 and IPv6) is exactly the one rebuilt from bgpdump's
#   A / W / STATE lines (a new path opens one, a withdrawal or session loss closes
#   it, the rest is held to the end); the table names the MRT file and byte offset;
# - exit status: 0 matched, 1 nothing matched, 2 usage or input error; a
#   pathological --path is refused before regcomp.
set -u
BIN=${MANRS_BIN:?}
DATA=${MANRS_DATA:-}
TMP=${MANRS_TMP:-/tmp}/lg.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
command -v python3 >/dev/null || { echo "skip: python3 missing"; exit 77; }
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

W="$TMP/w"
"$BIN" sim --out "$W" --ases 300 --seed 5 >/dev/null 2>&1 || { echo "FAIL: manrs sim"; exit 1; }

python3 - "$BIN" "$W" <<'PY' || fail=1
import ipaddress, json, subprocess, sys
bin_, w = sys.argv[1:]
bad = 0
def check(cond, what):
    global bad
    print(("ok   " if cond else "FAIL ") + what)
    bad |= not cond
def lg(*args):
    p = subprocess.run([bin_, "lg", "--world", w, "--json", *args], capture_output=True, text=True)
    return p.returncode, (json.loads(p.stdout) if p.returncode in (0, 1) and p.stdout else None), p.stderr
t = json.load(open(w + "/truth.json"))
h = [i for i in t["incidents"] if i["class"] == "hijack-origin"][0]
mid = (h["start"] + h["end"]) // 2
rc, d, err = lg("--at", str(mid), h["prefix"])
n = sum(1 for e in d["entries"] if e["at"] and e["at"]["origin"] == h["culprit"])
check(rc == 0 and n == h["visible_peers"],
      f"hijack-origin {h['prefix']}: {n} peers hold the culprit AS{h['culprit']}'s route at mid-incident, truth says {h['visible_peers']}")
hist = [r for e in d["entries"] for r in e["history"] if r["origin"] == h["culprit"]]
check(hist and all(h["start"] <= r["start"] <= h["end"] for r in hist),
      f"the culprit's routes start within the incident ({len(hist)} intervals)")
check(all(r["file"].endswith("updates.mrt.gz") and r["offset"] > 0 for r in hist), "evidence: updates file and offset")
s = [i for i in t["incidents"] if i["class"] == "hijack-subprefix" and ":" not in i["prefix"]][0]
mid = (s["start"] + s["end"]) // 2
addr = str(ipaddress.ip_network(s["prefix"])[1])
rc, d, err = lg("--at", str(mid), addr)
sub = [e for e in d["entries"] if e["prefix"] == s["prefix"]]
check(rc == 0 and len(sub) == s["visible_peers"] and all(e["at"]["origin"] == s["culprit"] for e in sub),
      f"hijack-subprefix: {addr} longest match is {s['prefix']} of AS{s['culprit']} at {len(sub)} peers, truth {s['visible_peers']}")
check(all(e["at"]["rov"] == "invalid" for e in sub), "the sub-prefix hijack is RPKI invalid")
iso = subprocess.run(["date", "-u", "-d", f"@{mid}", "+%Y-%m-%dT%H:%M:%SZ"], capture_output=True, text=True).stdout.strip()
rc2, d2, _ = lg("--at", iso, addr)
check(rc2 == 0 and d2["entries"] == d["entries"], f"--at {iso} = --at {mid}")
rc, d, _ = lg("--origin", str(s["culprit"]), "--limit", "1")
check(rc == 0 and d["truncated"] and d["shown"] == 1 and d["matched"] > 1, f"--limit 1: truncated ({d['matched']} matched)")
rc, d, _ = lg(s["prefix"], "--origin", str(s["culprit"]), "--path", f" {s['culprit']}$")
check(rc == 0 and d["entries"] and all(r["origin"] == s["culprit"] for e in d["entries"] for r in e["history"]),
      "prefix, --origin and --path combine")
rc, d, _ = lg("--transit", str(s["culprit"]), s["prefix"])
check(rc == 1 and d["shown"] == 0, "--transit of the origin itself: nothing, exit 1")
sys.exit(bad)
PY

# --- exit status and refusals
"$BIN" lg --world "$W" 192.0.2.0/24 >/dev/null 2>&1; r=$?
[ $r -eq 1 ] && ok "nothing matched: exit 1" || bad "nothing matched: exit $r, want 1"
for args in "--world $W" "--world $W 10.0.0.1/8" "--world $W not-a-prefix" "--world $W --at yesterday 1.0.0.0/8" \
            "--world $W --longest AS3333" "--world $W --from 2026-01-02 --to 2026-01-01 AS3333" \
            "--world $W --limit 0 AS3333" "--vrps $W/vrps.json AS3333" "--rib $TMP/none.mrt AS3333" "--world $W a b"; do
    # shellcheck disable=SC2086
    "$BIN" lg $args >"$TMP/o" 2>"$TMP/e"; r=$?
    [ $r -eq 2 ] && [ ! -s "$TMP/o" ] && [ -s "$TMP/e" ] && ok "lg $args: exit 2" || bad "lg $args: exit $r, want 2: $(head -2 "$TMP/e")"
done
"$BIN" lg --world "$W" --path '.*(((1+)+)+)+' >/dev/null 2>"$TMP/e"; r=$?
[ $r -eq 2 ] && grep -q "nested more than 3 deep" "$TMP/e" && ok "--path too deep: refused before regcomp" ||
    bad "--path too deep: exit $r $(cat "$TMP/e")"
"$BIN" lg --world "$W" --path '(1' >/dev/null 2>"$TMP/e"; r=$?
[ $r -eq 2 ] && ok "--path that does not compile: exit 2" || bad "--path '(1': exit $r"

# --- real data against bgpdump -m
if [ -z "$DATA" ] || [ ! -d "$DATA/mrt" ] || ! command -v bgpdump >/dev/null; then
    echo "SKIP: real-data checks (need ../shared/data and bgpdump)"
    exit $fail
fi
R=$DATA/mrt/bview.20020722.2337.gz
bgpdump -m "$R" 2>/dev/null >"$TMP/rib.txt"
"$BIN" lg --rib "$R" --more-specifics 193.0.0.0/8 --limit 1000000 --json >"$TMP/rib.json" 2>"$TMP/e" ||
    bad "lg --rib bview --more-specifics 193.0.0.0/8: $(head -2 "$TMP/e")"
python3 - "$TMP/rib.txt" "$TMP/rib.json" <<'PY' && ok "RIB: routes under 193.0.0.0/8 = bgpdump's entries" || bad "RIB vs bgpdump"
import ipaddress, json, sys
under = ipaddress.ip_network("193.0.0.0/8")
want = set()
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("|")
    if len(f) > 6 and f[2] == "B" and ipaddress.ip_network(f[5]).subnet_of(under):
        want.add((f[5], f[3], int(f[4]), f[6]))
d = json.load(open(sys.argv[2]))
got = set((e["prefix"], e["peer_ip"], e["peer_asn"], e["at"]["path"]) for e in d["entries"] if e["at"])
print(f"     {len(want)} entries from bgpdump, {len(got)} routes held from lg")
if want != got or len(want) < 1000 or d["truncated"]:
    print("only bgpdump:", sorted(want - got)[:3], "only lg:", sorted(got - want)[:3])
    sys.exit(1)
PY
"$BIN" lg --rib "$R" 193.0.0.0/21 >"$TMP/t" 2>&1 && grep -q "1853 20965 1103 3333" "$TMP/t" &&
    grep -q "bview.20020722.2337.gz@[0-9]" "$TMP/t" && ok "table: path, file and byte offset" || bad "table: $(cat "$TMP/t")"
off=$(sed -n 's/.*bview.20020722.2337.gz@\([0-9]*\).*/\1/p' "$TMP/t")
"$BIN" lg --rib "$R" 193.0.0.0/21 --json | grep -q "\"offset\": $off" && ok "JSON: the same offset ($off)" || bad "JSON offset"

for U in updates.20020722.2238.gz updates.20160811.1600.gz; do
    bgpdump -m "$DATA/mrt/$U" 2>/dev/null >"$TMP/u.txt"
    "$BIN" lg --updates "$DATA/mrt/$U" --path '.*' --limit 10000000 --json >"$TMP/u.json" 2>"$TMP/e" ||
        bad "lg --updates $U: $(head -2 "$TMP/e")"
    python3 - "$TMP/u.txt" "$TMP/u.json" <<'PY' && ok "$U: every interval = bgpdump's A/W/STATE" || bad "$U: history vs bgpdump"
import json, sys
open_, want = {}, []
def close(k, t):
    s, p = open_.pop(k)
    want.append((k[1], k[0], int(k[2]), p, s, t))
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("|")
    t = int(f[1])
    if f[2] == "STATE":
        if f[5] == "6" and f[6] != "6":     # the session left Established: its routes are lost
            for k in [k for k in open_ if k[0] == f[3]]:
                close(k, t)
        continue
    k = (f[3], f[5], f[4])
    if f[2] == "A":
        if k in open_ and open_[k][1] == f[6]:
            continue                          # the same path again: nothing changes
        if k in open_:
            close(k, t)
        open_[k] = (t, f[6])
    elif f[2] == "W" and k in open_:
        close(k, t)
want += [(k[1], k[0], int(k[2]), p, s, None) for k, (s, p) in open_.items()]
d = json.load(open(sys.argv[2]))
got = [(e["prefix"], e["peer_ip"], e["peer_asn"], r["path"], r["start"], r["end"]) for e in d["entries"] for r in e["history"]]
print(f"     {len(want)} intervals from bgpdump, {len(got)} from lg")
if sorted(want, key=str) != sorted(got, key=str) or len(want) < 500:
    print("only bgpdump:", sorted(set(want) - set(got), key=str)[:3], "only lg:", sorted(set(got) - set(want), key=str)[:3])
    sys.exit(1)
PY
done
exit $fail
