#!/bin/sh
# cli_feed_live_nats.sh — `manrs feed` over live inputs (docs/scale.md "Live
# inputs"), against the nats-server of `make test-cluster` ($MANRS_NATS_URL):
# 1. RIS Live: a simulated world's updates as RIS Live lines. --ris-live FILE is the
#    dry run exactly (read line and seal); --ris-live - (the file piped in, --source
#    naming it) holds the same events in the same order (count, digest, nothing out
#    of order) and seals the same facts (but last_seq, and "live":true,"restarts":0);
#    a pipe that pauses: what came before the pause is in the stream before the
#    input ends (the flush timer); --count stops at N events; a second run on the
#    stream carries the first's totals on (restart 1, nothing dropped as a
#    duplicate); SIGTERM seals what came; a WebSocket server serving the lines gives
#    the same events as the file; with MANRS_PG_URL, `manrs observe --nats` with a
#    worker over the piped stream stores observe's run of the file (its JSON byte for
#    byte);
# 2. BMP: routers sending the reference stream of tests/oracle/bmp_wire.py (and
#    hostile ones: wrong version, absurd length, a damaged UPDATE) to --bmp-listen:
#    the good streams' events are published (as many as `manrs dump --bmp --rib
#    pre-policy` lines), before the feed stops; the hostile routers dropped with
#    their offsets, the feed going on; SIGTERM, --duration (a router still
#    connected: its peers go down) and --count end it with a seal;
# 3. bad input: a malformed RIS Live line (counted as damaged, logged with its line
#    number), the shared recorded stream's malformed last line too; an unreachable
#    WebSocket URL and an unreachable NATS URL: exit 1 within the timeout, named.
# Prints the publishing rate of --ris-live -. SKIP (77) without MANRS_NATS_URL.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
[ -n "${MANRS_NATS_URL:-}" ] || { echo "SKIP: MANRS_NATS_URL not set (make test-cluster)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
B=$MANRS_BIN
U=$MANRS_NATS_URL
T="$MANRS_TMP/feed_live_nats"
rm -rf "$T"; mkdir -p "$T"
S="l$$"
WIRE="$MANRS_SRC/tests/oracle/bmp_wire.py"
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT INT TERM
fail=0
nf=0   # failures so far; n0: at the start of a section
FAIL() { echo "FAIL: $*"; fail=1; nf=$((nf + 1)); }
ok() { echo "ok   $*"; }
# the seal without what a live run adds and its last sequence
plain() { sed -E 's/,"last_seq":[0-9]+//; s/,"live":true,"restarts":[0-9]+//' "$1"; }
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
# the reader's line; on failure a line of as many words that matches nothing
readline() { "$B" feed --nats "$U" --stream "$1" --read 2>/dev/null || echo "x - x - x - x - x - x - x - x - x -"; }

# ---------------------------------------------------------------- the RIS Live lines
"$B" sim --out "$T/w" --ases 400 --seed 5 --quiet >/dev/null || { echo "FAIL: sim"; exit 1; }
"$B" dump --json "$T/w/updates.mrt.gz" >"$T/upd.jsonl"
python3 - "$T/upd.jsonl" "$T/ris.jsonl" <<'PY'
import json, sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    e = json.loads(line)
    d = {"timestamp": e["time"] + e["usec"] / 1e6, "peer": e["peer_ip"], "peer_asn": str(e["peer_as"]), "host": "rrc00"}
    if e["type"] == "state":
        if e["old_state"] != 6 and e["new_state"] != 6:
            continue
        d.update(type="RIS_PEER_STATE", state="down" if e["old_state"] == 6 else "connected")
    elif e["type"] == "announce":
        d.update(type="UPDATE", path=e["as_path"], origin=e["origin"].lower(),
                 announcements=[{"next_hop": e["next_hop"], "prefixes": [e["prefix"]]}])
    elif e["type"] == "withdraw":
        d.update(type="UPDATE", withdrawals=[e["prefix"]])
    else:
        continue
    out.write(json.dumps({"type": "ris_message", "data": d}) + "\n")
PY
R="$T/ris.jsonl"
lines=$(wc -l <"$R")

n0=$nf
# 1a. --ris-live FILE: the dry run exactly
"$B" feed --dry-run --ris-live "$R" >"$T/dry.out" 2>"$T/dry.err" || FAIL "dry run: $(tail -2 "$T/dry.err")"
set -- $(head -1 "$T/dry.out")
want_events=$2 want_digest=$8
sed -n 2p "$T/dry.out" >"$T/dry.seal"
[ "$want_events" -gt 1000 ] || FAIL "the RIS Live file holds $want_events events"
grep -q '"ris_live_files":1,' "$T/dry.seal" && grep -q "\"inputs\":\"ris-live=$R\"" "$T/dry.seal" ||
    FAIL "the dry run's seal: $(cat "$T/dry.seal")"
"$B" feed --nats "$U" --stream "${S}f" --ris-live "$R" >"$T/f.out" 2>"$T/f.err" || FAIL "--ris-live FILE: $(tail -2 "$T/f.err")"
readline "${S}f" >"$T/f.read"
head -1 "$T/dry.out" | cmp -s - "$T/f.read" || FAIL "--ris-live FILE read back: $(cat "$T/f.read"), the dry run: $(head -1 "$T/dry.out")"
sed -n 2p "$T/f.out" | cmp -s - "$T/dry.seal" || FAIL "--ris-live FILE seal: $(sed -n 2p "$T/f.out"), the dry run's: $(cat "$T/dry.seal")"
[ $nf = $n0 ] && ok "--ris-live FILE: $want_events events, read line and seal the dry run's"

n0=$nf
# 1b. --ris-live -: the same events in the same order, the same seal but for last_seq and the live fields
t0=$(python3 -c 'import time; print(time.time())')
"$B" feed --nats "$U" --stream "${S}p" --ris-live - --source "$R" <"$R" >"$T/p0.out" 2>"$T/p0.err" ||
    FAIL "--ris-live - < FILE: $(tail -2 "$T/p0.err")"
cat "$R" | "$B" feed --nats "$U" --stream "${S}q" --ris-live - --source "$R" >"$T/p.out" 2>"$T/p.err" ||
    FAIL "--ris-live - from a pipe: $(tail -2 "$T/p.err")"
t1=$(python3 -c 'import time; print(time.time())')
for s in p q; do
    readline "${S}$s" >"$T/$s.read"
    set -- $(cat "$T/$s.read")
    [ "$2" = "$want_events" ] && [ "$4" = 0 ] && [ "$8" = "$want_digest" ] && [ "${14}" = 1 ] && [ "${18}" = 0 ] ||
        FAIL "--ris-live - ($s): $(cat "$T/$s.read"), the file: $(head -1 "$T/dry.out")"
done
sed -n 2p "$T/p.out" >"$T/p.seal"
[ "$(plain "$T/p.seal")" = "$(plain "$T/dry.seal")" ] || FAIL "--ris-live - seal: $(cat "$T/p.seal"), the file's: $(cat "$T/dry.seal")"
grep -q '"live":true,"restarts":0}$' "$T/p.seal" || FAIL "--ris-live - seal without its live fields: $(cat "$T/p.seal")"
grep -Eq "\"last_seq\":$(cut -d' ' -f16 "$T/q.read")[,}]" "$T/p.seal" || FAIL "the seal's last_seq: $(cat "$T/p.seal"), read: $(cat "$T/q.read")"
grep -q "end of input: $want_events events published" "$T/p.err" || FAIL "the end: $(tail -3 "$T/p.err")"
[ $nf = $n0 ] && ok "--ris-live - (a file and a pipe): the file's events, digest and seal"
rate=$(sed -n 's/.* in \([0-9.]*\) s: \([0-9]*\) events\/s.*/\2/p' "$T/p.err")
echo "note: --ris-live - published $want_events events ($lines lines) at $rate events/s (whole command: $(python3 -c "print('%.2f s' % ($t1 - $t0))"))"

n0=$nf
# 1c. a pause in the pipe: what came before it is published meanwhile (the flush timer)
{ head -n 200 "$R"; sleep 4; tail -n +201 "$R"; } |
    "$B" feed --nats "$U" --stream "${S}s" --ris-live - --source "$R" --flush-ms 200 --progress-every 1 >"$T/s.out" 2>"$T/s.err" &
spid=$!
PIDS="$PIDS $spid"
sleep 2
readline "${S}s" >"$T/s.mid"
wait $spid || FAIL "the paused pipe: $(tail -2 "$T/s.err")"
set -- $(cat "$T/s.mid")
[ "$2" -gt 0 ] && [ "$2" -lt "$want_events" ] && [ "$6" -ge 1 ] && [ "${14}" = 0 ] ||
    FAIL "during the pause, the stream should hold the first lines' events, a progress record and no seal: $(cat "$T/s.mid")"
mid=$2
set -- $(readline "${S}s")
[ "$2" = "$want_events" ] && [ "$8" = "$want_digest" ] || FAIL "after the pause: $*"
[ $nf = $n0 ] && ok "a pause in the input: $mid events in the stream before it ended, all $want_events after"

n0=$nf
# 1d. --count, then a restart on the same stream: totals carried on, nothing dropped
head -n 300 "$R" | "$B" feed --nats "$U" --stream "${S}c" --ris-live - --count 100 >"$T/c1.out" 2>"$T/c1.err" || FAIL "--count: $(tail -2 "$T/c1.err")"
set -- $(head -1 "$T/c1.out")
[ "${14}" = 100 ] && grep -q "count reached" "$T/c1.err" || FAIL "--count 100: $(head -1 "$T/c1.out")"
head -n 300 "$R" | "$B" feed --nats "$U" --stream "${S}c" --ris-live - --count 100 >"$T/c2.out" 2>"$T/c2.err" || FAIL "restart: $(tail -2 "$T/c2.err")"
set -- $(head -1 "$T/c2.out")
[ "$2" = 100 ] && [ "$6" = 0 ] && [ "${14}" = 200 ] || FAIL "the restarted live feed: $(head -1 "$T/c2.out") (100 published, 0 duplicates, 200 in all)"
grep -q "restart 1; what arrived while no feed ran is not in the stream" "$T/c2.err" || FAIL "the restart is not said: $(cat "$T/c2.err")"
sed -n 2p "$T/c2.out" | grep -q '"events":200,.*"live":true,"restarts":1}' || FAIL "the seal after a restart: $(sed -n 2p "$T/c2.out")"
set -- $(readline "${S}c")
[ "$2" = 200 ] && [ "${14}" = 2 ] || FAIL "the stream after a restart: $*"
[ $nf = $n0 ] && ok "--count 100 twice on one stream: 200 events, restart 1 in the seal, no duplicate"

n0=$nf
# 1d'. killed (SIGKILL) between progress records, restarted: the seal counts every
# event the stream holds, the killed run's last ones too
{ head -n 300 "$R"; sleep 30; } |
    "$B" feed --nats "$U" --stream "${S}k" --ris-live - --flush-ms 100 --progress-every 600 >/dev/null 2>"$T/k1.err" &
kpid=$!
PIDS="$PIDS $kpid"
i=0
until [ "$(readline "${S}k" | cut -d' ' -f2)" -gt 0 ] 2>/dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
kill -9 $kpid 2>/dev/null
set -- $(readline "${S}k")
k1=$2
head -n 300 "$R" | "$B" feed --nats "$U" --stream "${S}k" --ris-live - >"$T/k2.out" 2>"$T/k2.err" || FAIL "restart after a kill: $(tail -2 "$T/k2.err")"
set -- $(readline "${S}k")
sed -n 2p "$T/k2.out" | grep -q "\"events\":$2,.*\"restarts\":1}" && [ "$2" -gt "$k1" ] && [ "$k1" -gt 0 ] ||
    FAIL "killed with $k1 events in the stream, restarted: the stream holds $2, the seal: $(sed -n 2p "$T/k2.out")"
grep -q "counted past its last progress record" "$T/k2.err" || FAIL "the restart after a kill: $(cat "$T/k2.err")"
[ $nf = $n0 ] && ok "killed between progress records ($k1 events in), restarted: the seal counts the stream's $2"

n0=$nf
# 1e. SIGTERM: what came is sealed
{ cat "$R"; sleep 30; } | "$B" feed --nats "$U" --stream "${S}t" --ris-live - --source "$R" >"$T/t.out" 2>"$T/t.err" &
tpid=$!
PIDS="$PIDS $tpid"
i=0
until [ "$(readline "${S}t" | cut -d' ' -f2)" = "$want_events" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $tpid
wait $tpid || FAIL "SIGTERM: exit $?: $(tail -2 "$T/t.err")"
sed -n 2p "$T/t.out" >"$T/t.seal"
[ "$(plain "$T/t.seal")" = "$(plain "$T/dry.seal")" ] && grep -q "signal 15: stopping" "$T/t.err" ||
    FAIL "SIGTERM: seal $(cat "$T/t.seal"): $(tail -2 "$T/t.err")"
[ $nf = $n0 ] && ok "SIGTERM: the lines that came sealed as the file's"

n0=$nf
# 1f. a RIS Live WebSocket serving the lines
cat >"$T/ws.py" <<'PY'
import base64, hashlib, re, socketserver, struct, sys
lines = [l.rstrip("\n") for l in open(sys.argv[1]) if l.strip()]
class H(socketserver.StreamRequestHandler):
    def handle(self):
        head = b""
        while b"\r\n\r\n" not in head:
            c = self.request.recv(4096)
            if not c:
                return
            head += c
        key = re.search(rb"Sec-WebSocket-Key: *(\S+)", head, re.I).group(1)
        acc = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
        self.wfile.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: " + acc + b"\r\n\r\n")
        for l in lines:
            b = l.encode()
            h = bytes([0x81, len(b)]) if len(b) < 126 else bytes([0x81, 126]) + struct.pack("!H", len(b))
            self.wfile.write(h + b)
        self.wfile.flush()
        while self.request.recv(4096):
            pass
srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
print(srv.server_address[1], flush=True)
srv.serve_forever()
PY
python3 "$T/ws.py" "$R" >"$T/ws.port" &
wspid=$!
PIDS="$PIDS $wspid"
i=0
while [ ! -s "$T/ws.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
url="ws://127.0.0.1:$(cat "$T/ws.port")/v1/ws/"
timeout 60 "$B" feed --nats "$U" --stream "${S}w" --ris-live "$url" --source "$R" --count "$want_events" >"$T/w.out" 2>"$T/w.err" ||
    FAIL "--ris-live URL: $(tail -3 "$T/w.err")"
kill $wspid 2>/dev/null
set -- $(readline "${S}w")
[ "$2" = "$want_events" ] && [ "$8" = "$want_digest" ] && [ "${18}" = 0 ] || FAIL "--ris-live URL: $*, the file: $(head -1 "$T/dry.out")"
sed -n 2p "$T/w.out" >"$T/w.seal"
[ "$(plain "$T/w.seal")" = "$(plain "$T/dry.seal")" ] || FAIL "--ris-live URL seal: $(cat "$T/w.seal")"
[ $nf = $n0 ] && ok "--ris-live ws://: the file's events and seal"

n0=$nf
# 1g. a worker run over the piped stream is observe's run of the file
if [ -n "${MANRS_PG_URL:-}" ] && command -v psql >/dev/null 2>&1; then
    W="$T/w"
    set -- --asrel "$W/asrel.txt" --asrel-ipv6 --irr "$W/irr.db" --vrps "$W/vrps.json" --as2org "$W/as2org.txt" \
        --beacons "$W/beacons.txt"
    "$B" observe "$@" --ris-live "$R" --db "$T/ref.db" -q --json "$T/ref.json" 2>"$T/ref.err" || FAIL "observe --ris-live: $(tail -2 "$T/ref.err")"
    sch="fl_$$"
    psql -q "$MANRS_PG_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $sch CASCADE; CREATE SCHEMA $sch" ||
        FAIL "schema"
    case $MANRS_PG_URL in *\?*) pg="$MANRS_PG_URL&options=-csearch_path%3D$sch" ;; *) pg="$MANRS_PG_URL?options=-csearch_path%3D$sch" ;; esac
    timeout 300 "$B" observe "$@" --nats "$U" --stream "${S}q" --db "$pg" -q --json "$T/cl.json" 2>"$T/cl.err" &
    cpid=$!
    timeout 300 "$B" worker --nats "$U" --stream "${S}q" --db "$pg" --once -q 2>"$T/wk.err" &
    wpid=$!
    PIDS="$PIDS $cpid $wpid"
    wait $cpid || FAIL "observe --nats over the live stream: $(tail -3 "$T/cl.err")"
    wait $wpid || FAIL "the worker: $(tail -3 "$T/wk.err")"
    if cmp -s "$T/ref.json" "$T/cl.json"; then
        ok "observe --nats + a worker over the piped stream: observe's run of the file ($(wc -c <"$T/ref.json") bytes of JSON)"
    else
        FAIL "the worker run over the live stream differs from observe's"
        python3 -m json.tool "$T/ref.json" >"$T/a.pretty" 2>/dev/null
        python3 -m json.tool "$T/cl.json" >"$T/b.pretty" 2>/dev/null
        diff "$T/a.pretty" "$T/b.pretty" | head -10
    fi
    psql -q "$MANRS_PG_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $sch CASCADE" 2>/dev/null
else
    echo "note: MANRS_PG_URL not set: the worker run over a live stream is not compared with observe"
fi

# ---------------------------------------------------------------- 2. BMP
python3 "$WIRE" stream "$T/ref.bmp"
per=$("$B" dump --bmp --rib pre-policy "$T/ref.bmp" | wc -l)
[ "$per" -gt 5 ] || FAIL "the reference BMP stream gives $per events"
# start_feed NAME ARGS...: a BMP feed in the background, its port in $PORT
start_feed() {
    name=$1; shift
    rm -f "$T/$name.port"
    "$B" feed --nats "$U" --stream "${S}$name" --bmp-listen 127.0.0.1:0 --port-file "$T/$name.port" "$@" \
        >"$T/$name.out" 2>"$T/$name.err" &
    FPID=$!
    PIDS="$PIDS $FPID"
    i=0
    while [ ! -s "$T/$name.port" ] && [ $i -lt 100 ] && kill -0 $FPID 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    PORT=$(cat "$T/$name.port" 2>/dev/null)
    [ -n "$PORT" ] || { FAIL "$name: the feed did not start: $(cat "$T/$name.err")"; PORT=1; }
}
send() { timeout 20 python3 "$WIRE" send "127.0.0.1:$PORT" "$@"; }

n0=$nf
# 2a. hostile routers around good ones; SIGTERM
start_feed b --flush-ms 200 --progress-every 60
send v1
send huge
send bad-update
send stream
i=0
until [ "$(readline "${S}b" | cut -d' ' -f2)" = $((2 * per)) ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
set -- $(readline "${S}b")
[ "$2" = $((2 * per)) ] && [ "${14}" = 0 ] || FAIL "BMP: before the stop the stream should hold $((2 * per)) events: $*"
kill -TERM $FPID
wait $FPID || FAIL "BMP feed after SIGTERM: exit $?: $(tail -3 "$T/b.err")"
L="$T/b.err"
grep -q "offset 28: not BMP version 3: the stream cannot be framed any further" "$L" || FAIL "v1 not reported: $(cat "$L")"
grep -q "offset 29: message length above 1 MiB" "$L" || FAIL "huge length not reported"
grep -q "offset 83: Route Monitoring: BGP message without its marker" "$L" || FAIL "damaged UPDATE not reported"
set -- $(readline "${S}b")
[ "$2" = $((2 * per)) ] && [ "$4" = 0 ] && [ "${14}" = 1 ] && [ "${18}" = 0 ] || FAIL "BMP read back: $*"
sed -n 2p "$T/b.out" >"$T/b.seal"
[ "$(field "$T/b.seal" events)" = $((2 * per)) ] && [ "$(field "$T/b.seal" damaged)" = 3 ] &&
    [ "$(field "$T/b.seal" inputs)" = "bmp=bmp://127.0.0.1:$PORT" ] && grep -q '"live":true,"restarts":0}' "$T/b.seal" ||
    FAIL "BMP seal: $(cat "$T/b.seal")"
[ $nf = $n0 ] && ok "BMP: two good streams' $((2 * per)) events published while connected, three hostile routers dropped, sealed on SIGTERM"

n0=$nf
# 2b. --duration with a router still connected: its peers go down in the stream
start_feed d --duration 3
send stream-hold &
hpid=$!
PIDS="$PIDS $hpid"
wait $FPID || FAIL "BMP --duration: $(tail -3 "$T/d.err")"
kill $hpid 2>/dev/null
grep -q "closed (station stopping)" "$T/d.err" && grep -q "duration over" "$T/d.err" || FAIL "--duration: $(cat "$T/d.err")"
set -- $(readline "${S}d")
[ "$2" = "$per" ] && [ "${14}" = 1 ] || FAIL "BMP --duration: $*"
# the states on the ctl subject: the stream's own Peer Ups and Downs
set -- $("$B" feed --nats "$U" --stream "${S}d" --read --subject "manrs.ev.${S}d.ctl" 2>/dev/null)
want_ctl=$("$B" dump --bmp --rib pre-policy "$T/ref.bmp" | grep -c '|STATE|')
[ "$2" = "$want_ctl" ] || FAIL "BMP state changes on the ctl subject: $2, want $want_ctl"
[ $nf = $n0 ] && ok "BMP --duration 3 with a router connected: $per events, $want_ctl state changes on ctl, sealed"

n0=$nf
# 2c. --count
start_feed n --count 4
send stream
wait $FPID || FAIL "BMP --count: $(tail -3 "$T/n.err")"
set -- $(readline "${S}n")
[ "$2" = 4 ] && [ "${14}" = 1 ] || FAIL "BMP --count 4: $*"
[ $nf = $n0 ] && ok "BMP --count 4"

# ---------------------------------------------------------------- 3. bad input
n0=$nf
{ head -n 10 "$R"; echo '{"type":"ris_message","data":{'; tail -n +11 "$R"; } |
    "$B" feed --nats "$U" --stream "${S}m" --ris-live - --source bad.json >"$T/m.out" 2>"$T/m.err" ||
    FAIL "a malformed line: $(tail -2 "$T/m.err")"
grep -q "^bad.json:11: not JSON" "$T/m.err" || FAIL "the malformed line is not named with its number: $(head -3 "$T/m.err")"
[ "$(sed -n 2p "$T/m.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["damaged"])')" = 1 ] ||
    FAIL "the malformed line is not counted: $(sed -n 2p "$T/m.out")"
set -- $(readline "${S}m")
[ "$2" = "$want_events" ] || FAIL "the lines around the malformed one: $*"
REAL="${MANRS_DATA:-}/misc/ris-live-stream.json"
if [ -f "$REAL" ]; then
    "$B" feed --nats "$U" --stream "${S}r" --ris-live - --source rec.json <"$REAL" >"$T/r.out" 2>"$T/r.err" || FAIL "the recorded stream"
    grep -q "^rec.json:7: not JSON" "$T/r.err" && grep -q "rec.json:3: warning: RIS Live error" "$T/r.err" ||
        FAIL "the recorded stream's messages: $(cat "$T/r.err")"
    sed -n 2p "$T/r.out" | grep -q '"events":2,.*"damaged":1,' || FAIL "the recorded stream's seal: $(sed -n 2p "$T/r.out")"
fi
[ $nf = $n0 ] && ok "malformed RIS Live lines: named with their line numbers, counted as damaged, the rest published"
n1=$nf
t0=$(date +%s)
"$B" feed --nats "$U" --stream "${S}u" --ris-live ws://127.0.0.1:1/v1/ws/ --timeout 1500 >/dev/null 2>"$T/u.err"
rc=$?
t1=$(date +%s)
[ $rc = 1 ] && grep -q "ws://127.0.0.1:1/v1/ws/: no WebSocket connection within 1500 ms" "$T/u.err" && [ $((t1 - t0)) -le 4 ] ||
    FAIL "unreachable WebSocket: exit $rc after $((t1 - t0)) s: $(cat "$T/u.err")"
"$B" feed --nats "$U" --stream "${S}u" --seal >/dev/null 2>&1
[ $? = 3 ] || FAIL "an unreachable WebSocket left a seal"
t0=$(date +%s)
echo '{}' | "$B" feed --nats nats://someone:secret@127.0.0.1:1 --timeout 1500 --ris-live - >/dev/null 2>"$T/n.err"
rc=$?
t1=$(date +%s)
[ $rc = 1 ] && grep -q "nats://127.0.0.1:1" "$T/n.err" && ! grep -q secret "$T/n.err" && [ $((t1 - t0)) -le 3 ] ||
    FAIL "unreachable NATS with a live input: exit $rc after $((t1 - t0)) s: $(cat "$T/n.err")"
"$B" feed --nats "$U" --bmp-listen 192.0.2.1:1 >/dev/null 2>"$T/bind.err"
[ $? = 1 ] && grep -q "cannot listen" "$T/bind.err" || FAIL "an address that cannot be bound: $(cat "$T/bind.err")"
for args in "--ris-live - --mrt $R" "--bmp-listen 127.0.0.1:0 --from-start" "--ris-live $R --count 5" \
    "--ris-live - --rib loc-rib" "--ris-live - --subscribe {}" "--dry-run --ris-live -" "--bmp-listen 127.0.0.1:0 --rib x"; do
    # shellcheck disable=SC2086
    "$B" feed --nats "$U" $args </dev/null >/dev/null 2>&1
    [ $? = 2 ] || FAIL "usage error expected: manrs feed $args"
done
[ $nf = $n1 ] && ok "unreachable URLs within the timeout, usage errors"

[ $fail = 0 ] && echo "PASS: live inputs published, ended, sealed; bad input named and survived"
exit $fail
