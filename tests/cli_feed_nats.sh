#!/bin/sh
# cli_feed_nats.sh — route events on NATS JetStream (`manrs feed`, docs/scale.md),
# against the nats-server of `make test-cluster` ($MANRS_NATS_URL):
# - a simulated world's rib.mrt.gz and updates.mrt.gz published and read back: the
#   number of events equals what the MRT feed reads from the files (`--dry-run`,
#   and `manrs dump`'s lines), and so does the digest (per partition, in order);
# - published again from the start: every event dropped as a duplicate, the stream
#   holds the same events;
# - a feed killed (SIGKILL) midway and restarted: the stream ends with every event
#   exactly once (same count and digest); the same when the NATS server restarts
#   under a publishing feed (a server of the test's own);
# - a malformed message on an event subject: counted and skipped by the reader, its
#   subject and stream sequence in the log;
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

# shellcheck disable=SC2086
"$MANRS_BIN" feed --dry-run --mrt $FILES >"$T/files.out" || FAIL "dry run"
set -- $(cat "$T/files.out")
want_events=$2 want_digest=$8
# shellcheck disable=SC2086
dump_lines=$("$MANRS_BIN" dump $FILES 2>/dev/null | wc -l)
[ "$want_events" -gt 100000 ] && [ "$want_events" = "$dump_lines" ] ||
    FAIL "the files hold $want_events route events, manrs dump prints $dump_lines lines"

# 1. publish, read back
# shellcheck disable=SC2086
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --mrt $FILES >"$T/pub1.out" 2>"$T/pub1.err" ||
    FAIL "publish: $(cat "$T/pub1.err")"
cat "$T/pub1.err"
set -- $(cat "$T/pub1.out")
[ "$2" = "$want_events" ] && [ "$4" = 0 ] && [ "$6" = 0 ] || FAIL "publish: $(cat "$T/pub1.out")"
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --read >"$T/read1.out" 2>"$T/read1.err" ||
    FAIL "read: $(cat "$T/read1.err")"
cat "$T/read1.err"
set -- $(cat "$T/read1.out")
[ "$2" = "$want_events" ] && [ "$4" = 0 ] && [ "$8" = "$want_digest" ] ||
    FAIL "read back: $(cat "$T/read1.out"), the files: $(cat "$T/files.out")"
# one partition alone: its events only
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --read --subject "manrs.ev.${S}a.ctl" >"$T/ctl.out" 2>/dev/null ||
    FAIL "read the ctl subject"
set -- $(cat "$T/ctl.out")
[ "$2" -lt "$want_events" ] && [ "$4" = 0 ] || FAIL "ctl subject: $(cat "$T/ctl.out")"

# 2. a restarted feed skips what the stream has; from the start, duplicates are dropped
# shellcheck disable=SC2086
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --mrt $FILES >"$T/pub2.out" 2>"$T/pub2.err" || FAIL "publish again"
set -- $(cat "$T/pub2.out")
[ "$2" = 0 ] && [ "$4" -gt 0 ] || FAIL "restart after the end: $(cat "$T/pub2.out")"   # the files before the last are not even read
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --from-start --mrt "$W/updates.mrt.gz" >"$T/pub3.out" 2>"$T/pub3.err" ||
    FAIL "publish from the start"
set -- $(cat "$T/pub3.out")
[ "$2" -gt 0 ] && [ "$2" = "$6" ] || FAIL "from the start: every event should be a duplicate: $(cat "$T/pub3.out")"
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --read >"$T/read2.out" 2>/dev/null || FAIL "read after re-publishing"
set -- $(cat "$T/read2.out")
[ "$2" = "$want_events" ] && [ "$8" = "$want_digest" ] || FAIL "after re-publishing: $(cat "$T/read2.out")"

# 3. killed midway, restarted: exactly once
# shellcheck disable=SC2086
"$MANRS_BIN" feed --nats "$U" --stream "${S}b" --checkpoint 5000 --mrt $FILES >/dev/null 2>"$T/kill.err" &
pid=$!
sleep 0.3
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
"$MANRS_BIN" feed --nats "$U" --stream "${S}b" --read >"$T/half.out" 2>/dev/null || FAIL "read the half-published stream"
set -- $(cat "$T/half.out")
half=$2
[ "$half" -lt "$want_events" ] || echo "note: the feed finished before it was killed ($half events)"
# shellcheck disable=SC2086
"$MANRS_BIN" feed --nats "$U" --stream "${S}b" --checkpoint 5000 --mrt $FILES >"$T/resume.out" 2>"$T/resume.err" ||
    FAIL "restart: $(cat "$T/resume.err")"
cat "$T/resume.err"
"$MANRS_BIN" feed --nats "$U" --stream "${S}b" --read >"$T/read3.out" 2>/dev/null || FAIL "read after the restart"
set -- $(cat "$T/read3.out")
[ "$2" = "$want_events" ] && [ "$8" = "$want_digest" ] ||
    FAIL "killed after $half events and restarted: $(cat "$T/read3.out"), the files: $(cat "$T/files.out")"
if [ "$half" -gt 0 ] && [ "$half" -lt "$want_events" ]; then
    grep -q "resuming at" "$T/resume.err" || FAIL "the restarted feed did not resume: $(cat "$T/resume.err")"
fi

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
    "$MANRS_BIN" feed --nats "nats://127.0.0.1:$port" --stream r --checkpoint 5000 --mrt $FILES >/dev/null 2>"$T/restart.err" &
    fpid=$!
    sleep 0.5
    kill $spid; wait $spid 2>/dev/null
    up
    wait $fpid || FAIL "the feed did not survive a NATS restart: $(cat "$T/restart.err")"
    "$MANRS_BIN" feed --nats "nats://127.0.0.1:$port" --stream r --read >"$T/read5.out" 2>/dev/null || FAIL "read after the restart"
    kill $spid; wait $spid 2>/dev/null
    set -- $(cat "$T/read5.out")
    [ "$2" = "$want_events" ] && [ "$8" = "$want_digest" ] ||
        FAIL "NATS restarted under the feed: $(cat "$T/read5.out"), the files: $(cat "$T/files.out")"
    grep -q "reconnecting" "$T/restart.err" || echo "note: the feed did not see the restart: $(cat "$T/restart.err")"
fi

# 4. a malformed message, published by hand (plain NATS protocol) on an event subject
hostport=${U#*://}; hostport=${hostport##*@}; hostport=${hostport%%/*}
python3 - "${hostport%:*}" "${hostport##*:}" "manrs.ev.${S}a.v4.10" <<'EOF' || FAIL "could not publish the malformed message"
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
s.recv(4096)
body = b"\x01\x02not an event"
s.sendall(b'CONNECT {"verbose":false}\r\nPUB %s %d\r\n%s\r\nPING\r\n' % (sys.argv[3].encode(), len(body), body))
buf = b""
while b"PONG" not in buf:
    d = s.recv(4096)
    if not d:
        sys.exit(1)
    buf += d
EOF
"$MANRS_BIN" feed --nats "$U" --stream "${S}a" --read >"$T/read4.out" 2>"$T/read4.err" || FAIL "read with a malformed message"
set -- $(cat "$T/read4.out")
seq=$(($2 + $6 + 1))   # the last message: after every event and progress record
[ "$2" = "$want_events" ] && [ "$4" = 1 ] && [ "$8" = "$want_digest" ] || FAIL "malformed message: $(cat "$T/read4.out")"
grep -q "manrs.ev.${S}a.v4.10: seq $seq: malformed event (" "$T/read4.err" ||
    FAIL "the malformed message is not logged with its subject and sequence $seq: $(cat "$T/read4.err")"

# 5. an unreachable URL: fast, named, no credentials
t0=$(date +%s)
"$MANRS_BIN" feed --nats nats://someone:secret@127.0.0.1:1 --timeout 2000 --mrt "$W/updates.mrt.gz" >/dev/null 2>"$T/down.err"
rc=$?
t1=$(date +%s)
[ $rc = 1 ] && grep -q "nats://127.0.0.1:1" "$T/down.err" && ! grep -q secret "$T/down.err" && [ $((t1 - t0)) -le 3 ] ||
    FAIL "unreachable URL: exit $rc after $((t1 - t0)) s: $(cat "$T/down.err")"
"$MANRS_BIN" feed --mrt "$W/updates.mrt.gz" >/dev/null 2>&1
[ $? = 2 ] || FAIL "no --nats: not a usage error"

[ $fail = 0 ] && echo "PASS: $want_events events published, read back, re-published, resumed after a kill"
exit $fail
