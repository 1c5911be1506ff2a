#!/bin/sh
# cli_feed_nats.sh — route events on NATS JetStream (`manrs feed`, docs/scale.md),
# against the nats-server of `make test-cluster` ($MANRS_NATS_URL):
# - a simulated world's rib.mrt.gz and updates.mrt.gz published (several events of
#   one partition per message) and read back: the number of events equals what the
#   MRT feed reads from the files (`--dry-run`, and `manrs dump`'s lines), and so does
#   the digest (per partition, in order); on a fresh stream the reader's line
#   (events, progress records, digest, messages, seal, last sequence, no event out
#   of order against the state changes) is the dry run's, and so is the seal
#   (`--seal`);
# - published again from the start: every message dropped as a duplicate, the stream
#   holds the same events; one event per message, not compressed (--batch-bytes 1
#   --compress 0, the first format) reads back the same; the default's messages are
#   compressed (zstd: the reader's wire bytes under a quarter of the events' bytes);
# - a feed killed (SIGKILL) in its third input and restarted: the stream ends with
#   every event exactly once (same count and digest) and the seal is an uninterrupted
#   run's (its last sequence the last event message's); the same when the NATS
#   server restarts under a publishing feed (a server of the test's own);
# - a malformed message on an event subject, a good message with garbage after
#   its event, a compressed message with bytes after its frame and one with a byte
#   of its frame changed: counted and skipped by the reader, subject and stream
#   sequence in the log;
# - an unreachable URL: exit 1 within the connect timeout, the URL named without its
#   credentials.
# Prints the publishing and reading rates. SKIP (77) without MANRS_NATS_URL.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}"
[ -n "${MANRS_NATS_URL:-}" ] || { echo "SKIP: MANRS_NATS_URL not set (make test-cluster)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/feed_nats"
rm -rf "$T"; mkdir -p "$T"
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
U=$MANRS_NATS_URL
S="t$$"          # streams of their own: the server may hold earlier runs'
W="$T/world"
"$MANRS_BIN" sim --out "$W" --ases 400 --quiet >/dev/null || { echo "FAIL: sim"; exit 1; }
FILES="$W/rib.mrt.gz $W/updates.mrt.gz"
hostport=${U#*://}; hostport=${hostport##*@}; hostport=${hostport%%/*}
# the plain NATS protocol for the steps that go around manrs: publish, and read a
# stream's message by the JetStream API
cat >"$T/natsplain.py" <<'EOF'
import json, socket, sys
class Conn:
    def __init__(self, host, port):
        self.s = socket.create_connection((host, int(port)), timeout=5)
        self.f = self.s.makefile("rb")
        self.f.readline()   # INFO
        self.s.sendall(b'CONNECT {"verbose":false}\r\nSUB _r 1\r\n')
    def pub(self, subject, body):
        self.s.sendall(b"PUB %s %d\r\n%s\r\n" % (subject.encode(), len(body), body))
    def sync(self):
        self.s.sendall(b"PING\r\n")
        while True:
            line = self.f.readline()
            if not line:
                sys.exit(1)
            if line.startswith(b"PONG"):
                return
    def msg_get(self, stream, req):
        req = json.dumps(req).encode()
        self.s.sendall(b"PUB $JS.API.STREAM.MSG.GET.%s _r %d\r\n%s\r\n" % (stream.encode(), len(req), req))
        while True:
            line = self.f.readline()
            if not line:
                sys.exit(1)
            if line.startswith(b"MSG"):
                n = int(line.split()[-1])
                return json.loads(self.f.read(n + 2)[:n])
EOF

# shellcheck disable=SC2086
"$MANRS_BIN" feed --dry-run --mrt $FILES >"$T/files.out" 2>/dev/null || FAIL "dry run"
set -- $(head -1 "$T/files.out")
want_events=$2 want_digest=$8 want_messages=${12}
sed -n 2p "$T/files.out" >"$T/files.seal"
# the seal without its last sequence (a resumed run writes more progress records)
noseq() { sed -E 's/,"last_seq":[0-9]+//' "$1"; }   # wherever the field is (data_time follows it)
# shellcheck disable=SC2086
dump_lines=$("$MANRS_BIN" dump $FILES 2>/dev/null | wc -l)
[ "$want_events" -gt 100000 ] && [ "$want_events" = "$dump_lines" ] ||
    FAIL "the files hold $want_events route events, manrs dump prints $dump_lines lines"
[ "$want_messages" -lt $((want_events / 20)) ] || FAIL "few events per message: $(head -1 "$T/files.out")"

# 1. publish, read back: on a fresh stream exactly what the dry run says
# shellcheck disable=SC2086
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --mrt $FILES >"$T/pub1.out" 2>"$T/pub1.err" ||
    FAIL "publish: $(cat "$T/pub1.err")"
cat "$T/pub1.err"
set -- $(head -1 "$T/pub1.out")
[ "$2" = "$want_events" ] && [ "$4" = 0 ] && [ "$6" = 0 ] && [ "${12}" = "$want_messages" ] &&
    [ "${14}" = "$want_events" ] || FAIL "publish: $(head -1 "$T/pub1.out")"
sed -n 2p "$T/pub1.out" | cmp -s - "$T/files.seal" ||
    FAIL "the seal published: $(sed -n 2p "$T/pub1.out"), the dry run's: $(cat "$T/files.seal")"
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --read >"$T/read1.out" 2>"$T/read1.err" ||
    FAIL "read: $(cat "$T/read1.err")"
cat "$T/read1.err"
head -1 "$T/files.out" | cmp -s - "$T/read1.out" ||
    FAIL "read back: $(cat "$T/read1.out"), the dry run: $(head -1 "$T/files.out")"
set -- $(cat "$T/read1.out")
[ "${20}" -gt 0 ] && [ "${20}" -lt $((${10} / 4)) ] || FAIL "not compressed: $(cat "$T/read1.out")"
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --seal >"$T/seal1.out" 2>"$T/seal1.err" ||
    FAIL "--seal: $(cat "$T/seal1.err")"
cmp -s "$T/seal1.out" "$T/files.seal" || FAIL "--seal: $(cat "$T/seal1.out"), the dry run's: $(cat "$T/files.seal")"
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --name other --seal >/dev/null 2>"$T/seal2.err"
[ $? = 3 ] && grep -q "no seal" "$T/seal2.err" || FAIL "--seal of a feed that never ran: $(cat "$T/seal2.err")"
# one partition alone: its events only
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --read --subject "manrs.ev.${S}a.ctl" >"$T/ctl.out" 2>/dev/null ||
    FAIL "read the ctl subject"
set -- $(cat "$T/ctl.out")
[ "$2" -gt 0 ] && [ "$2" -lt "$want_events" ] && [ "$4" = 0 ] || FAIL "ctl subject: $(cat "$T/ctl.out")"

# 2. a restarted feed skips what the stream has (and seals again, the same); from
# the start, duplicates are dropped
# shellcheck disable=SC2086
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --mrt $FILES >"$T/pub2.out" 2>"$T/pub2.err" || FAIL "publish again"
set -- $(head -1 "$T/pub2.out")
[ "$2" = 0 ] && [ "$4" -gt 0 ] || FAIL "restart after the end: $(head -1 "$T/pub2.out")"   # the files before the last are not even read
sed -n 2p "$T/pub2.out" | cmp -s - "$T/files.seal" ||
    FAIL "the seal after a restart: $(sed -n 2p "$T/pub2.out"), the dry run's: $(cat "$T/files.seal")"
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --from-start --mrt "$W/updates.mrt.gz" >"$T/pub3.out" 2>"$T/pub3.err" ||
    FAIL "publish from the start"
set -- $(head -1 "$T/pub3.out")
[ "$2" -gt 0 ] && [ "$6" = "${12}" ] || FAIL "from the start: every message should be a duplicate: $(head -1 "$T/pub3.out")"
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --read >"$T/read2.out" 2>/dev/null || FAIL "read after re-publishing"
set -- $(cat "$T/read2.out")
[ "$2" = "$want_events" ] && [ "$8" = "$want_digest" ] && [ "${14}" = 3 ] || FAIL "after re-publishing: $(cat "$T/read2.out")"
# one event per message, not compressed, as the feed published before batches:
# the same events
"$MANRS_BIN" feed --nats "$U" --stream "${S}c" --batch-bytes 1 --compress 0 --mrt "$W/updates.mrt.gz" >"$T/pub4.out" \
    2>/dev/null || FAIL "--batch-bytes 1 --compress 0"
"$MANRS_BIN" feed --dry-run --mrt "$W/updates.mrt.gz" >"$T/upd.out" 2>/dev/null
"$MANRS_BIN" feed --nats "$U" --stream "${S}c" --read >"$T/read6.out" 2>/dev/null || FAIL "read one event per message"
set -- $(cat "$T/read6.out")
n1=$2 d1=$8 m1=${12} b1=${10} w1=${20}
set -- $(head -1 "$T/upd.out")
[ "$n1" = "$2" ] && [ "$d1" = "$8" ] && [ "$m1" = "$2" ] && [ "$b1" = "$w1" ] ||
    FAIL "one event per message: $(cat "$T/read6.out"), the dry run: $(head -1 "$T/upd.out")"

# 3. killed midway, restarted: exactly once, the seal of an uninterrupted run. The
# inputs: the RIB, the updates and a RIB dumped 30 minutes into them (a second
# world's, read last); the feed is killed once its progress record names that third
# file, so that the restarted feed carries the first two files' aggregates (events,
# times, the baseline's end) from the record.
"$MANRS_BIN" sim --out "$T/world2" --ases 300 --seed 2 --start 1764549000 --quiet >/dev/null || FAIL "sim 2"
KFILES="$FILES $T/world2/rib.mrt.gz"
# shellcheck disable=SC2086
"$MANRS_BIN" feed --dry-run --mrt $KFILES >"$T/kfiles.out" 2>/dev/null || FAIL "dry run of three files"
sed -n 2p "$T/kfiles.out" >"$T/kfiles.seal"
set -- $(head -1 "$T/kfiles.out")
kwant_events=$2 kwant_digest=$8
# shellcheck disable=SC2086
"$MANRS_BIN" feed --nats "$U" --stream "${S}b" --checkpoint 5000 --batch-bytes 2048 --mrt $KFILES >/dev/null 2>"$T/kill.err" &
pid=$!
# wait for a progress record of the third input (file_index 2), by the JetStream API
python3 - "${hostport%:*}" "${hostport##*:}" "${S}b" "$T" <<'EOF' || echo "note: no progress record of the third file seen"
import base64, json, sys, time
sys.path.insert(0, sys.argv[4])
import natsplain
c = natsplain.Conn(sys.argv[1], sys.argv[2])
end = time.time() + 30
while time.time() < end:
    reply = c.msg_get(sys.argv[3], {"last_by_subj": "manrs.ev.%s.progress.mrt" % sys.argv[3]})
    if "message" in reply:
        rec = json.loads(base64.b64decode(reply["message"]["data"]))
        if rec.get("file_index") == 2:
            sys.exit(0)
    time.sleep(0.01)
sys.exit(1)
EOF
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
"$MANRS_BIN" feed --nats "$U" --stream "${S}b" --read >"$T/half.out" 2>/dev/null || FAIL "read the half-published stream"
set -- $(cat "$T/half.out")
half=$2
[ "$half" -lt "$kwant_events" ] || echo "note: the feed finished before it was killed ($half events)"
# shellcheck disable=SC2086
"$MANRS_BIN" feed --nats "$U" --stream "${S}b" --checkpoint 5000 --batch-bytes 2048 --mrt $KFILES >"$T/resume.out" 2>"$T/resume.err" ||
    FAIL "restart: $(cat "$T/resume.err")"
cat "$T/resume.err"
"$MANRS_BIN" feed --nats "$U" --stream "${S}b" --read >"$T/read3.out" 2>/dev/null || FAIL "read after the restart"
set -- $(cat "$T/read3.out")
last3=${16}
[ "$2" = "$kwant_events" ] && [ "$8" = "$kwant_digest" ] && [ "${18}" = 0 ] ||
    FAIL "killed after $half events and restarted: $(cat "$T/read3.out"), the files: $(head -1 "$T/kfiles.out")"
if [ "$half" -gt 0 ] && [ "$half" -lt "$kwant_events" ]; then
    grep -q "resuming at $T/world2/rib.mrt.gz" "$T/resume.err" || FAIL "the restarted feed did not resume in the third file: $(cat "$T/resume.err")"
fi
sed -n 2p "$T/resume.out" >"$T/resume.seal"
[ "$(noseq "$T/resume.seal")" = "$(noseq "$T/kfiles.seal")" ] ||
    FAIL "the seal after a kill: $(cat "$T/resume.seal"), uninterrupted: $(cat "$T/kfiles.seal")"
grep -Eq "\"last_seq\":$last3[,}]" "$T/resume.seal" || FAIL "the seal's last_seq: $(cat "$T/resume.seal"), the reader's: $last3"
grep -q '"baseline_ribs":1,"rib_files":2,' "$T/resume.seal" || FAIL "the late RIB is not a baseline RIB: $(cat "$T/resume.seal")"

# 3b. the NATS server restarted under a publishing feed (a server of its own, same
# port and store): the feed reconnects and goes on; every event once, in order
if command -v nats-server >/dev/null 2>&1; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    mkdir -p "$T/js"
    up() {
        nats-server -js -a 127.0.0.1 -p "$port" --store_dir "$T/js" -l "$T/js.log" >/dev/null 2>&1 &
        spid=$!
        i=0
        until python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)' "$port" 2>/dev/null; do
            i=$((i + 1)); [ $i -lt 50 ] || break; sleep 0.1
        done
    }
    up
    # shellcheck disable=SC2086
    "$MANRS_BIN" feed --nats "nats://127.0.0.1:$port" --stream r --checkpoint 5000 --batch-bytes 2048 --mrt $FILES >"$T/restart.out" 2>"$T/restart.err" &
    fpid=$!
    sleep 0.5
    kill $spid; wait $spid 2>/dev/null
    up
    wait $fpid || FAIL "the feed did not survive a NATS restart: $(cat "$T/restart.err")"
    "$MANRS_BIN" feed --nats "nats://127.0.0.1:$port" --stream r --read >"$T/read5.out" 2>/dev/null || FAIL "read after the restart"
    kill $spid; wait $spid 2>/dev/null
    set -- $(cat "$T/read5.out")
    [ "$2" = "$want_events" ] && [ "$8" = "$want_digest" ] && [ "${18}" = 0 ] ||
        FAIL "NATS restarted under the feed: $(cat "$T/read5.out"), the files: $(head -1 "$T/files.out")"
    sed -n 2p "$T/restart.out" >"$T/restart.seal"
    [ "$(noseq "$T/restart.seal")" = "$(noseq "$T/files.seal")" ] ||
        FAIL "the seal after a NATS restart: $(cat "$T/restart.seal"), uninterrupted: $(cat "$T/files.seal")"
    grep -Eq "\"last_seq\":${16}[,}]" "$T/restart.seal" || FAIL "the seal's last_seq: $(cat "$T/restart.seal"), the reader's: ${16}"
    grep -q "reconnecting" "$T/restart.err" || echo "note: the feed did not see the restart: $(cat "$T/restart.err")"
fi

# 4. a malformed message, published by hand (plain NATS protocol) on an event
# subject; then a good message (one event, not compressed) again with bytes after
# its event; a compressed message with bytes after its frame; one with a byte of
# its frame changed
python3 - "${hostport%:*}" "${hostport##*:}" "manrs.ev.${S}a" "${S}c" "${S}a" "$T" <<'EOF' >"$T/hand.out" || FAIL "could not publish the malformed messages"
import base64, sys
sys.path.insert(0, sys.argv[6])
import natsplain
c = natsplain.Conn(sys.argv[1], sys.argv[2])
pub, sync = c.pub, c.sync
pub(sys.argv[3] + ".v4.10", b"\x01\x02not an event")
sync()
# a stream's first message (an event message), by the JetStream API
def first(stream):
    m = c.msg_get(stream, {"seq": 1})["message"]
    return m["subject"], base64.b64decode(m["data"])
subj, data = first(sys.argv[4])   # one event, not compressed
assert data[0] == 1
subj = sys.argv[3] + subj[subj.index(".", len("manrs.ev.")):]
pub(subj, data + b"\x01garbage")
sync()
print(subj)
subj, data = first(sys.argv[5])   # several events, compressed (zstd)
assert data[0] == 0x5a and len(data) > 40
pub(subj, data + b"\x00")
bad = bytearray(data)
bad[len(bad) // 2] ^= 0x10
pub(subj, bytes(bad))
sync()
print(subj)
EOF
bad_subject=$(sed -n 1p "$T/hand.out")
z_subject=$(sed -n 2p "$T/hand.out")
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --read >"$T/read4.out" 2>"$T/read4.err" || FAIL "read with malformed messages"
set -- $(cat "$T/read4.out")
seq1=$((${12} + $6 + ${14} - 3))   # the last four messages: after every event message, progress record and seal
seq2=$((seq1 + 1)) seq3=$((seq1 + 2)) seq4=$((seq1 + 3))
[ "$2" = $((want_events + 1)) ] && [ "$4" = 4 ] || FAIL "malformed messages: $(cat "$T/read4.out")"
grep -q "manrs.ev.${S}a.v4.10: seq $seq1: malformed event (" "$T/read4.err" ||
    FAIL "the malformed message is not logged with its subject and sequence $seq1: $(cat "$T/read4.err")"
grep -q "$bad_subject: seq $seq2: malformed event (.*the rest of the message skipped" "$T/read4.err" ||
    FAIL "the message with garbage is not logged with its subject and sequence $seq2: $(cat "$T/read4.err")"
grep -q "$z_subject: seq $seq3: malformed event (batch (zstd: not exactly one frame)): the message skipped" "$T/read4.err" ||
    FAIL "the compressed message with a byte after its frame is not logged with seq $seq3: $(cat "$T/read4.err")"
grep -q "$z_subject: seq $seq4: malformed event (batch (zstd: " "$T/read4.err" ||
    FAIL "the compressed message with a byte changed is not logged with seq $seq4: $(cat "$T/read4.err")"

# 5. an unreachable URL: fast, named, no credentials
t0=$(date +%s)
"$MANRS_BIN" feed --nats nats://someone:secret@127.0.0.1:1 --timeout 2000 --mrt "$W/updates.mrt.gz" >/dev/null 2>"$T/down.err"
rc=$?
t1=$(date +%s)
[ $rc = 1 ] && grep -q "nats://127.0.0.1:1" "$T/down.err" && ! grep -q secret "$T/down.err" && [ $((t1 - t0)) -le 3 ] ||
    FAIL "unreachable URL: exit $rc after $((t1 - t0)) s: $(cat "$T/down.err")"
"$MANRS_BIN" feed --mrt "$W/updates.mrt.gz" >/dev/null 2>&1
[ $? = 2 ] || FAIL "no --nats: not a usage error"
# messages larger than the server takes: said before anything is published
"$MANRS_BIN" feed --nats "$U" --stream "${S}d" --batch-bytes 2000000 --mrt "$W/updates.mrt.gz" >/dev/null 2>"$T/big.err"
[ $? = 1 ] && grep -q "max_payload" "$T/big.err" || FAIL "--batch-bytes beyond max_payload: $(cat "$T/big.err")"

[ $fail = 0 ] && echo "PASS: $want_events events published in $want_messages messages, read back, re-published, resumed after a kill, sealed"
exit $fail
