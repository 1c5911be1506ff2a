#!/bin/sh
# cli_ris_live.sh — RIPE RIS Live JSON lines as a feed (feeds/ris_live.h):
#  - the real recorded stream (../shared/data/misc/ris-live-stream.json): its UPDATE
#    (decoded from "raw") and RIS_PEER_STATE become bgpdump -m lines, its ris_error
#    line a warning, its malformed last line an error naming FILE:LINE (exit 1);
#  - the same UPDATE without "raw" (encoded from the JSON fields) gives the same line;
#  - a simulated world's updates written as RIS Live messages (without raw) give the
#    same `dump -m` lines as the MRT file, and `observe --ris-live` the same incidents
#    as `observe --updates`; `observe --ris-live` alone (no RIB) is a run too.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/ris_live"
rm -rf "$T"; mkdir -p "$T"
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

S="${MANRS_DATA:-}/misc/ris-live-stream.json"
if [ -f "$S" ]; then
    "$MANRS_BIN" dump --ris-live "$S" > "$T/real.m" 2> "$T/real.err"; rc=$?
    [ $rc -eq 1 ] && ok "the recorded stream with a malformed line: exit 1" || bad "exit $rc on the recorded stream"
    grep -qx 'BGP4MP_ET|1553627987.890000|A|72.22.223.9|11708|45.161.192.0/23|11708 32097 1299 52320 263009 263009 263009 263009 263009 52993 268481 268481|IGP|72.22.223.9|0|0||NAG||' "$T/real.m" \
        && ok "the UPDATE decoded from raw" || { bad "UPDATE line"; cat "$T/real.m"; }
    grep -qx 'BGP4MP_ET|1553625081.880000|STATE|195.66.224.59|24931|6|1' "$T/real.m" \
        && ok "RIS_PEER_STATE down: Established lost" || bad "peer state line"
    [ "$(wc -l < "$T/real.m")" -eq 2 ] && ok "OPEN and KEEPALIVE messages print nothing" || bad "$(wc -l < "$T/real.m") lines"
    grep -q "ris-live-stream.json:3: warning: RIS Live error: this is a test error message" "$T/real.err" \
        && grep -q "ris-live-stream.json:7: not JSON" "$T/real.err" \
        && ok "the ris_error line is a warning, the malformed line an error with FILE:LINE" \
        || { bad "messages"; cat "$T/real.err"; }
    head -1 "$S" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); del d["data"]["raw"]; print(json.dumps(d))' \
        > "$T/noraw.json"
    "$MANRS_BIN" dump --ris-live "$T/noraw.json" > "$T/noraw.m" 2>&1
    head -1 "$T/real.m" | cmp -s - "$T/noraw.m" && ok "without raw, encoded from the JSON fields: the same line" \
        || { bad "fields vs raw"; cat "$T/noraw.m"; }
    cat "$S" | "$MANRS_BIN" dump --ris-live - > "$T/stdin.m" 2>/dev/null
    cmp -s "$T/stdin.m" "$T/real.m" && ok "standard input" || bad "stdin differs"
else
    echo "note: $S not found: the recorded stream is skipped"
fi

# a simulated world's updates as RIS Live messages
"$MANRS_BIN" sim --out "$T/w" --ases 400 --seed 5 --quiet >/dev/null || { echo "FAIL: sim"; exit 1; }
"$MANRS_BIN" dump --json "$T/w/updates.mrt.gz" > "$T/upd.jsonl"
python3 - "$T/upd.jsonl" "$T/ris.jsonl" <<'PY'
import json, sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    e = json.loads(line)
    d = {"timestamp": e["time"] + e["usec"] / 1e6, "peer": e["peer_ip"], "peer_asn": str(e["peer_as"]),
         "host": "rrc00"}
    if e["type"] == "state":   # RIS Live says only "down" (Established lost) and "connected" (reached)
        if e["old_state"] != 6 and e["new_state"] != 6:
            continue
        d.update(type="RIS_PEER_STATE", state="down" if e["old_state"] == 6 else "connected")
    elif e["type"] == "announce":
        d.update(type="UPDATE", path=e["as_path"], origin=e["origin"].lower(),
                 announcements=[{"next_hop": e["next_hop"], "prefixes": [e["prefix"]]}])
        if e.get("communities"):
            d["community"] = [[int(x) for x in c.split(":")] for c in e["communities"]]
    elif e["type"] == "withdraw":
        d.update(type="UPDATE", withdrawals=[e["prefix"]])
    else:
        continue
    out.write(json.dumps({"type": "ris_message", "data": d}) + "\n")
PY
# state changes as RIS Live can say them: Established lost ("down") or reached ("up")
states() { cut -d'|' -f1-9 | awk -F'|' -v OFS='|' '$3 != "STATE" { print; next }
    $6 == 6 { print $1, $2, $3, $4, $5, "down"; next } $7 == 6 { print $1, $2, $3, $4, $5, "up" }'; }
"$MANRS_BIN" dump -m "$T/w/updates.mrt.gz" | states > "$T/mrt.m"
"$MANRS_BIN" dump --ris-live -m "$T/ris.jsonl" | states > "$T/ris.m"
n=$(wc -l < "$T/mrt.m")
cmp -s "$T/mrt.m" "$T/ris.m" && [ "$n" -gt 1000 ] \
    && ok "a world's $n update events as RIS Live messages: the same dump lines as the MRT file" \
    || { bad "RIS Live vs MRT dump lines"; diff "$T/mrt.m" "$T/ris.m" | head -5; }
W="$T/w"
set -- --rib "$W/rib.mrt.gz" --asrel "$W/asrel.txt" --asrel-ipv6 --irr "$W/irr.db" --vrps "$W/vrps.json" \
    --as2org "$W/as2org.txt" --beacons "$W/beacons.txt" --no-db --quiet --json -
"$MANRS_BIN" observe "$@" --updates "$W/updates.mrt.gz" > "$T/o-mrt.json" 2>"$T/o-mrt.err" || bad "observe --updates"
"$MANRS_BIN" observe "$@" --ris-live "$T/ris.jsonl" > "$T/o-ris.json" 2>"$T/o-ris.err" || bad "observe --ris-live"
python3 - "$T/o-mrt.json" "$T/o-ris.json" <<'PY' && ok "observe --ris-live finds the incidents observe --updates finds" || bad "observe incidents differ"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
key = lambda d: sorted((i["class"], i["prefix"], i["culprit"], i["confidence"]) for i in d["incidents"])
ka, kb = key(a), key(b)
print("     %d incidents from MRT, %d from RIS Live" % (len(ka), len(kb)))
# the simulated routes' OTC attribute has no RIS Live JSON field: a finding OTC alone proves may be lower
sys.exit(0 if ka and [k[:3] for k in ka] == [k[:3] for k in kb] else 1)
PY
# RIS Live alone, without a RIB: a routing input of its own (what `manrs feed
# --ris-live` publishes, and a worker run over it is compared with)
shift 2   # no --rib
"$MANRS_BIN" observe "$@" --ris-live "$T/ris.jsonl" > "$T/o-alone.json" 2>"$T/o-alone.err" \
    && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["incidents"] else 1)' "$T/o-alone.json" \
    && ok "observe --ris-live alone: a run with incidents" || bad "observe --ris-live alone: $(tail -2 "$T/o-alone.err")"
exit $fail
