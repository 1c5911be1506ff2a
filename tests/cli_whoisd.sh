#!/bin/sh
# manrs whoisd over real sockets on 127.0.0.1 (random port): concurrency,
# pipelining, one-shot mode, idle timeout, size limit, half-close, SIGHUP reload
# (tests/oracle/whoisd_socket.py), clean stop on SIGTERM; usage errors.
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:-.}
T=${MANRS_TMP:-/tmp}/cli_whoisd.$$
mkdir -p "$T"
fail=0
cat > "$T/db.rpsl" <<'RPSL'
as-set: AS-TOP
members: AS1, AS-MID
source: TEST

as-set: AS-MID
members: AS2, AS-TOP
source: TEST

route: 192.0.2.0/24
origin: AS1
source: TEST
RPSL
"$BIN" whoisd --irr "$T/db.rpsl" --listen 127.0.0.1:0 --port-file "$T/port" --idle-timeout 1 --max-query 200 \
    --max-per-address 500 \
    2>"$T/err" &
pid=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
if [ ! -s "$T/port" ]; then echo "FAIL server did not start"; cat "$T/err"; kill $pid 2>/dev/null; exit 1; fi
port=$(cat "$T/port")
timeout 60 /usr/bin/python3 "$SRC/tests/oracle/whoisd_socket.py" "$port" "$pid" "$T/db.rpsl" || fail=1
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
if kill -0 $pid 2>/dev/null; then echo "FAIL server did not stop on SIGTERM"; kill -KILL $pid; fail=1; fi
wait $pid; rc=$?
[ $rc = 0 ] && echo "ok   clean stop on SIGTERM (exit 0)" || { echo "FAIL exit status $rc after SIGTERM"; fail=1; }
grep -q "reload failed; still serving the previous data" "$T/err" && echo "ok   failed reload reported" \
    || { echo "FAIL failed reload not reported"; fail=1; }
# out of file descriptors: accepting pauses instead of spinning, resumes later
rm -f "$T/port"
printf 'route: 192.0.2.0/24\norigin: AS1\nsource: TEST\n' > "$T/db2.rpsl"
( ulimit -n 16; exec "$BIN" whoisd --irr "$T/db2.rpsl" --listen 127.0.0.1:0 --port-file "$T/port" 2>"$T/err3" ) &
pid=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
if [ -s "$T/port" ]; then
    timeout 30 /usr/bin/python3 "$SRC/tests/oracle/whoisd_emfile.py" "$(cat "$T/port")" "$pid" || fail=1
else echo "FAIL server with ulimit -n 16 did not start"; fail=1; fi
kill -TERM $pid 2>/dev/null; wait $pid
# usage and load errors
"$BIN" whoisd >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && echo "ok   no --irr: exit 2" || { echo "FAIL no --irr: exit $rc"; fail=1; }
"$BIN" whoisd --irr "$T/missing.rpsl" --listen 127.0.0.1:0 >/dev/null 2>&1; rc=$?
[ $rc = 1 ] && echo "ok   missing file: exit 1" || { echo "FAIL missing file: exit $rc"; fail=1; }
"$BIN" whoisd --irr "$T/db.rpsl" --listen 300.0.0.1:1 >/dev/null 2>"$T/err2"; rc=$?
[ $rc = 1 ] && grep -q "cannot listen" "$T/err2" && echo "ok   bad address: exit 1" || { echo "FAIL bad address: exit $rc"; fail=1; }
"$BIN" whoisd --help | grep -q "^usage: manrs whoisd" && echo "ok   --help" || { echo "FAIL --help"; fail=1; }
rm -rf "$T"
exit $fail
