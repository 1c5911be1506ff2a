#!/bin/sh
# cli_bmpd.sh — `manrs bmpd` and `manrs dump --bmp` on streams built byte by byte
# by tests/oracle/bmp_wire.py (an encoder independent of manrs's): what the MRT
# files hold for each RIB (read back by manrs dump and by bgpdump), rotation and
# the .part/rename rule, no overwriting on restart, hostile routers (wrong
# version, absurd length, damaged UPDATE, a message left unfinished) closed or
# skipped with peer and offset while a good router is recorded whole, the router
# limit, SIGTERM with a router connected. Usage errors too.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T="$MANRS_TMP/bmpd"
W="$MANRS_SRC/tests/oracle/bmp_wire.py"
rm -rf "$T"; mkdir -p "$T"
fail=0
TZ=UTC; export TZ     # %s in --mrt-out is computed in local time by strftime
FAIL() { echo "FAIL: $*"; fail=1; }

# --- usage
"$MANRS_BIN" bmpd >/dev/null 2>&1; [ $? -eq 2 ] || FAIL "no --mrt-out must exit 2"
"$MANRS_BIN" bmpd --mrt-out "$T/x.bz2" >/dev/null 2>&1; [ $? -eq 2 ] || FAIL ".bz2 output must exit 2"
"$MANRS_BIN" bmpd --mrt-out "$T" --rib adj-rib-in >/dev/null 2>&1; [ $? -eq 2 ] || FAIL "a bad --rib must exit 2"
"$MANRS_BIN" bmpd --mrt-out "$T" --listen 192.0.2.1:1 >/dev/null 2>"$T/err"; [ $? -eq 1 ] \
    || FAIL "an address that cannot be bound must exit 1"
grep -q "cannot listen" "$T/err" || FAIL "no reason for the failed listen: $(cat "$T/err")"
"$MANRS_BIN" dump --rib loc-rib "$T/x" >/dev/null 2>&1; [ $? -eq 2 ] || FAIL "dump --rib without --bmp must exit 2"

# --- a recorded stream: manrs dump --bmp against what the encoder says
python3 "$W" stream "$T/ref.bmp"
for rib in pre-policy loc-rib; do
    python3 "$W" expected $rib > "$T/want.$rib"
    "$MANRS_BIN" dump --bmp --rib $rib "$T/ref.bmp" | cut -d'|' -f1,3- > "$T/got.$rib"
    cmp -s "$T/want.$rib" "$T/got.$rib" || { FAIL "dump --bmp --rib $rib"; diff "$T/want.$rib" "$T/got.$rib"; }
done
head -c 300 "$T/ref.bmp" > "$T/cut.bmp"
"$MANRS_BIN" dump --bmp "$T/cut.bmp" >/dev/null 2>"$T/err"; [ $? -eq 1 ] || FAIL "a cut recording must exit 1"
grep -q "cut.bmp: offset [0-9]*: stream ended inside a message" "$T/err" || FAIL "cut recording: $(cat "$T/err")"

# start_bmpd NAME ARGS...: a station in the background; its port in $PORT
start_bmpd() {
    name=$1; shift
    rm -f "$T/$name.port"
    "$MANRS_BIN" bmpd --listen 127.0.0.1:0 --port-file "$T/$name.port" "$@" 2>"$T/$name.log" &
    PID=$!
    i=0
    while [ ! -s "$T/$name.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    PORT=$(cat "$T/$name.port" 2>/dev/null)
    [ -n "$PORT" ] || { FAIL "$name: bmpd did not start: $(cat "$T/$name.log")"; PORT=1; }
}
stop_bmpd() {
    kill -TERM "$1" 2>/dev/null
    wait "$1"; rc=$?
    [ $rc -eq 0 ] || FAIL "bmpd exited $rc after SIGTERM"
}
send() { timeout 20 python3 "$W" send "127.0.0.1:$PORT" "$@"; }

# --- hostile routers around a good one
mkdir -p "$T/out1"
start_bmpd s1 --mrt-out "$T/out1" --timeout 2
send partial & SLOW=$!
send v1
send huge
send bad-update
send stream
sleep 3.5
kill "$SLOW" 2>/dev/null; wait "$SLOW" 2>/dev/null
stop_bmpd $PID
L="$T/s1.log"
grep -q "offset 28: not BMP version 3: the stream cannot be framed any further" "$L" || FAIL "v1 not reported"
grep -q "offset 29: message length above 1 MiB" "$L" || FAIL "huge length not reported"
grep -q "offset 83: Route Monitoring: BGP message without its marker" "$L" || FAIL "damaged UPDATE not reported"
grep -q "closed (a message unfinished for 2 s, 10 bytes of it)" "$L" || FAIL "slow router not closed"
grep -q "closed: 2 broken stream, 1 slow" "$L" || FAIL "summary: $(tail -1 "$L")"
ls "$T/out1" | grep -q '\.part$' && FAIL "a .part file is left after the stop"
n=$(ls "$T/out1" | grep -c '^updates\.[0-9]\{8\}\.[0-9]\{4\}\.gz$')
[ "$n" -ge 1 ] || FAIL "no updates.YYYYMMDD.HHMM.gz file: $(ls "$T/out1")"
# two complete reference streams (bad-update carries one after its damaged message)
{ python3 "$W" expected pre-policy; python3 "$W" expected pre-policy; } > "$T/want2"
"$MANRS_BIN" dump "$T"/out1/* | cut -d'|' -f1,3- > "$T/got1"
cmp -s "$T/want2" "$T/got1" || { FAIL "bmpd pre-policy output"; diff "$T/want2" "$T/got1" | head; }
if command -v bgpdump >/dev/null 2>&1; then
    for f in "$T"/out1/*; do bgpdump -m "$f" 2>/dev/null; done > "$T/bgpdump1"
    "$MANRS_BIN" dump "$T"/out1/* > "$T/manrs1"
    cmp -s "$T/bgpdump1" "$T/manrs1" || { FAIL "bgpdump reads the files otherwise"; diff "$T/bgpdump1" "$T/manrs1" | head; }
fi

# --- Loc-RIB only; a router connected at SIGTERM: its peers go down, the file completes
start_bmpd s2 --mrt-out "$T/loc.mrt" --rib loc-rib
send stream-hold & HOLD=$!
sleep 1
stop_bmpd $PID
kill "$HOLD" 2>/dev/null; wait "$HOLD" 2>/dev/null
python3 "$W" expected loc-rib > "$T/want.loc"
"$MANRS_BIN" dump "$T/loc.mrt" | cut -d'|' -f1,3- > "$T/got.loc"
cmp -s "$T/want.loc" "$T/got.loc" || { FAIL "bmpd --rib loc-rib"; diff "$T/want.loc" "$T/got.loc"; }
grep -q "station stopping" "$T/s2.log" || FAIL "the router is not closed at the stop"
# the same fixed name again: a second file, the first kept
start_bmpd s3 --mrt-out "$T/loc.mrt" --rib loc-rib --max-routers 1
send stream-hold & HOLD=$!
sleep 1
send stream 2>/dev/null
stop_bmpd $PID
kill "$HOLD" 2>/dev/null; wait "$HOLD" 2>/dev/null
[ -s "$T/loc.mrt-1" ] || FAIL "a restart overwrote or lost the period's file: $(ls "$T")"
cmp -s "$T/want.loc" "$("$MANRS_BIN" dump "$T/loc.mrt" | cut -d'|' -f1,3- > "$T/got.loc2"; echo "$T/got.loc2")" \
    || FAIL "the first file changed"
grep -q "refused: 1 routers connected (--max-routers)" "$T/s3.log" || FAIL "--max-routers not applied"

# --- rotation: 2-second files named by their period's start (%s), each record in its period
start_bmpd s4 --mrt-out "$T/rot/u.%s" --rotate 2
send rotate 5 0.8
stop_bmpd $PID
files=$(ls "$T/rot" 2>/dev/null | grep -c '^u\.[0-9]*$')
[ "$files" -ge 2 ] || FAIL "rotation: $files files: $(ls "$T/rot")"
ls "$T/rot" | grep -q '\.part$' && FAIL "rotation left a .part file"
for f in "$T"/rot/u.*; do
    start=${f##*.}
    "$MANRS_BIN" dump "$f" | cut -d'|' -f2 | cut -d. -f1 | while read -r ts; do
        [ "$ts" -ge "$start" ] && [ "$ts" -lt $((start + 2)) ] || echo "record at $ts in $f"
    done
done > "$T/misplaced"
[ -s "$T/misplaced" ] && FAIL "records outside their file's period: $(head -3 "$T/misplaced")"
n=$("$MANRS_BIN" dump "$T"/rot/u.* | grep -c '|A|192.0.2.2|64501|10\.[0-4]\.0\.0/16|')
[ "$n" -eq 5 ] || FAIL "rotation: $n of 5 updates in the files"
exit $fail
