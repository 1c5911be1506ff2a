#!/bin/sh
# cli_rtrd_routers.sh — `manrs rtrd` feeding real routers from Debian: BIRD 2
# (`protocol rpki`) and FRR bgpd (the rpki module, rtrlib), both RTR version 1, on
# 127.0.0.1 with private configs and sockets. Each must hold exactly the VRPs of the
# served file (a simulated world's: ~7 700 VRPs of both families), then follow a
# change of the file (one VRP withdrawn, one announced) through Serial Notify.
# Skips when bird or bgpd's rpki module is not installed (scripts/deps.sh installs
# them). Every wait is bounded.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
BIRD=$(command -v bird); BIRDC=$(command -v birdc); BGPD=/usr/lib/frr/bgpd; VTYSH=$(command -v vtysh)
have_bird=0; have_frr=0
[ -n "$BIRD" ] && [ -n "$BIRDC" ] && have_bird=1
[ -x "$BGPD" ] && [ -n "$VTYSH" ] && ls /usr/lib/*/frr/modules/bgpd_rpki.so >/dev/null 2>&1 && have_frr=1
[ $have_bird = 1 ] || [ $have_frr = 1 ] || { echo "SKIP: neither bird2 nor frr with frr-rpki-rtrlib installed"; exit 77; }
T="$MANRS_TMP/rtrd_routers"
rm -rf "$T"; mkdir -p "$T/frr"
fail=0
pids=""
cleanup() {
    [ -f "$T/bird.ctl" ] && "$BIRDC" -s "$T/bird.ctl" down >/dev/null 2>&1
    for p in $pids; do kill "$p" 2>/dev/null; done
    sleep 0.2
    for p in $pids; do kill -9 "$p" 2>/dev/null; done
}
trap cleanup EXIT INT TERM

"$MANRS_BIN" sim --out "$T/w" --ases 400 --seed 9 --quiet >/dev/null || { echo "FAIL: sim"; exit 1; }
cp "$T/w/vrps.json" "$T/vrps.json"
"$MANRS_BIN" rtrd --vrps "$T/vrps.json" --listen 127.0.0.1:0 --port-file "$T/port" --poll 1 --notify-interval 0 \
    2>"$T/rtrd.log" &
pids="$pids $!"
i=0; while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$T/port" 2>/dev/null) || { echo "FAIL: rtrd did not start"; cat "$T/rtrd.log"; exit 1; }

# the expected tables ("prefix len maxlen asn" per VRP, one file per family); with
# "change" the served file changes first: its first VRP withdrawn, 203.0.113.0/24
# AS64503 announced (written to a new file, renamed over the served one)
tables() {
    python3 - "$T/vrps.json" "$T/want" "$1" <<'PY'
import ipaddress, json, os, sys
d = json.load(open(sys.argv[1]))
if sys.argv[3] == "change":
    d["roas"].pop(0)
    d["roas"].append({"prefix": "203.0.113.0/24", "maxLength": 24, "asn": "AS64503"})
    json.dump(d, open(sys.argv[1] + ".new", "w"))
    os.rename(sys.argv[1] + ".new", sys.argv[1])
for fam in (4, 6):
    rows = set()
    for r in d["roas"]:
        n = ipaddress.ip_network(r["prefix"])
        if n.version == fam:
            rows.add("%s %d %d %s" % (n.network_address, n.prefixlen, r["maxLength"], str(r["asn"]).replace("AS", "")))
    open("%s%d" % (sys.argv[2], fam), "w").write("".join(x + "\n" for x in sorted(rows)))
PY
}
tables keep

if [ $have_bird = 1 ]; then
    cat > "$T/bird.conf" <<EOF
log "$T/bird.log" all;
router id 192.0.2.254;
roa4 table r4;
roa6 table r6;
protocol rpki rtr1 {
  roa4 { table r4; };
  roa6 { table r6; };
  remote 127.0.0.1 port $PORT;
  retry keep 5;
  refresh keep 30;
  expire 600;
}
EOF
    "$BIRD" -f -c "$T/bird.conf" -s "$T/bird.ctl" -P "$T/bird.pid" >"$T/bird.stdout" 2>&1 &
    pids="$pids $!"
fi
if [ $have_frr = 1 ]; then
    cat > "$T/frr/bgpd.conf" <<EOF
hostname rtrdtest
rpki
 rpki polling_period 30
 rpki retry_interval 5
 rpki cache 127.0.0.1 $PORT preference 1
exit
EOF
    "$BGPD" -M rpki -Z -n -S -p 0 -A 127.0.0.1 -P 0 -f "$T/frr/bgpd.conf" -i "$T/frr/bgpd.pid" \
        --vty_socket "$T/frr" >"$T/frr/bgpd.stdout" 2>&1 &
    pids="$pids $!"
fi

bird_table() {   # the ROA tables as "prefix len maxlen asn" lines, both families
    for t in r4 r6; do
        "$BIRDC" -s "$T/bird.ctl" show route table $t 2>/dev/null |
            sed -n 's#^\([0-9a-f:.]*\)/\([0-9]*\)-\([0-9]*\) AS\([0-9]*\) .*#\1 \2 \3 \4#p' | sort > "$T/bird$t"
    done
}
frr_table() {
    "$VTYSH" --vty_socket "$T/frr" -d bgpd -c 'show rpki prefix-table json' 2>/dev/null > "$T/frr.json"
    python3 - "$T/frr.json" "$T/frr" <<'PY'
import ipaddress, json, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    d = {"prefixes": []}
for fam in (4, 6):
    rows = sorted("%s %d %d %d" % (p["prefix"], p["prefixLenMin"], p["prefixLenMax"], p["asn"])
                  for p in d.get("prefixes", []) if ipaddress.ip_address(p["prefix"]).version == fam)
    open("%sr%d" % (sys.argv[2], fam), "w").write("".join(x + "\n" for x in rows))
PY
}
# wait until a router's tables equal the expected ones (30 s at most)
await() {   # name fetch-function
    i=0
    while [ $i -lt 60 ]; do
        $2
        if cmp -s "$T/${1}r4" "$T/want4" && cmp -s "$T/${1}r6" "$T/want6"; then return 0; fi
        sleep 0.5; i=$((i + 1))
    done
    return 1
}
n4=$(wc -l < "$T/want4"); n6=$(wc -l < "$T/want6")
if [ $have_bird = 1 ]; then
    if await bird bird_table; then echo "ok   BIRD 2 holds the $n4 + $n6 VRPs served"
    else echo "FAIL BIRD 2's ROA tables differ from the file ($(wc -l < "$T/birdr4") + $(wc -l < "$T/birdr6") lines)"
        "$BIRDC" -s "$T/bird.ctl" show protocols all rtr1 2>&1 | head -20; fail=1; fi
fi
if [ $have_frr = 1 ]; then
    if await frr frr_table; then echo "ok   FRR bgpd (rpki module) holds the $n4 + $n6 VRPs served"
    else echo "FAIL FRR's prefix table differs from the file ($(wc -l < "$T/frrr4") + $(wc -l < "$T/frrr6") lines)"
        tail -5 "$T/frr/bgpd.stdout"; fail=1; fi
fi

tables change
if [ $have_bird = 1 ]; then
    if await bird bird_table; then echo "ok   BIRD 2 follows the change (Serial Notify, Serial Query, delta)"
    else echo "FAIL BIRD 2 did not follow the change"; fail=1; fi
fi
if [ $have_frr = 1 ]; then
    if await frr frr_table; then echo "ok   FRR follows the change"
    else echo "FAIL FRR did not follow the change"; fail=1; fi
fi
grep -q "serial 1:" "$T/rtrd.log" || { echo "FAIL: rtrd did not log the reload"; cat "$T/rtrd.log"; fail=1; }
exit $fail
