#!/bin/sh
# manrs whoisd against hostile clients on 127.0.0.1 (random port): limits answered
# with F, per-address limit, line and idle timers, a good client served under
# pipelining non-readers / pipeline-and-reset / slowloris / too-deep expansions
# with bounded RSS (tests/oracle/whoisd_hostile.py); then, from the server's log:
# the reset clients' pipelined queries abandoned, log lines rate limited.
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:-.}
T=${MANRS_TMP:-/tmp}/cli_whoisd_hostile.$$
mkdir -p "$T"
fail=0
/usr/bin/python3 - "$T/db.rpsl" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(20000):   # 10.0.0.0/24 ... 10.78.31.0/24: !r10.0.0.0/8,M is ~1.6 MB
        f.write("route: 10.%d.%d.0/24\norigin: AS%d\nsource: TEST\n\n" % (i // 256, i % 256, 64512 + i % 500))
    for i in range(10000):   # 11.0.0.0/24 ...: !r0.0.0.0/0,M is ~2.3 MB, over --max-answer 2M
        f.write("route: 11.%d.%d.0/24\norigin: AS64999\nsource: TEST\n\n" % (i // 256, i % 256))
    f.write("route: 192.0.2.0/24\norigin: AS64512\nsource: TEST\n\n")
    for name, n in (("DEEP", 40), ("SHALLOW", 20)):
        for i in range(n):
            nxt = ", AS-%s%d" % (name, i + 1) if i + 1 < n else ""
            f.write("as-set: AS-%s%d\nmembers: AS%d%s\nsource: TEST\n\n" % (name, i, 65000 + i, nxt))
    f.write("as-set: AS-BIG\nmembers: %s\nsource: TEST\n\n" % ", ".join("AS%d" % (70000 + i) for i in range(1500)))
EOF
"$BIN" whoisd --irr "$T/db.rpsl" --listen 127.0.0.1:0 --port-file "$T/port" --output-budget ${HOSTILE_BUDGET:-8M} --max-answer 2M \
    --max-set-size 1000 --line-timeout 2 --max-per-address 4 2>"$T/err" &
pid=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
if [ ! -s "$T/port" ]; then echo "FAIL server did not start"; cat "$T/err"; kill $pid 2>/dev/null; exit 1; fi
timeout 90 /usr/bin/python3 "$SRC/tests/oracle/whoisd_hostile.py" "$(cat "$T/port")" "$pid" || fail=1
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
if kill -0 $pid 2>/dev/null; then echo "FAIL server did not stop on SIGTERM"; kill -KILL $pid; fail=1; fi
wait $pid
# The 2 x 30 reset clients pipelined 50 queries each (3000): abandoned, not answered.
q=$(sed -n 's/.*: \([0-9]*\) queries answered.*/\1/p' "$T/err")
if [ -n "$q" ] && [ "$q" -lt 1500 ]; then echo "ok   $q queries answered in all (3000 pipelined by reset clients)"
else echo "FAIL queries answered: '${q}' (reset clients' queries not abandoned?)"; fail=1; fi
# 420 too-deep expansions warn through the db's diag: rate limited, with a count.
n=$(grep -c "nesting deeper than" "$T/err")
if [ "$n" -le 20 ] && grep -q "log messages suppressed in the last" "$T/err"; then
    echo "ok   log rate limited: $n depth warnings printed, the rest counted"
else echo "FAIL log not rate limited: $n depth warnings, no suppressed count"; fail=1; fi
grep -q "refused: 1 over the per-address limit" "$T/err" && echo "ok   per-address refusal counted" \
    || { echo "FAIL per-address refusal not counted: $(tail -1 "$T/err")"; fail=1; }
[ $fail = 0 ] || tail -5 "$T/err"
# At --max-clients: a new client evicts the one that kept the server waiting
# longest for a query line; never a client with no partial line. A silent new
# connection is closed after --line-timeout.
rm -f "$T/port"
"$BIN" whoisd --irr "$T/db.rpsl" --listen 127.0.0.1:0 --port-file "$T/port" --max-clients 6 \
    --max-per-address 100 --line-timeout 3 2>"$T/err2" &
pid=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
timeout 60 /usr/bin/python3 - "$(cat "$T/port")" <<'EOF' || fail=1
import socket, sys, time
port = int(sys.argv[1])
fails = 0
def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    fails += 0 if cond else 1
def conn(first):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    if first:
        s.sendall(first)
    return s
def answer(s):
    s.settimeout(10)
    buf = b""
    while not buf.endswith(b"C\n") and not buf.startswith(b"F"):
        d = s.recv(4096)
        if not d:
            break
        buf += d
    return buf
def closed_after(s, limit):
    t0 = time.time()
    s.settimeout(limit)
    try:
        d = s.recv(100)
    except socket.timeout:
        return None
    except OSError:
        d = b""
    return time.time() - t0 if not d else None
silent = conn(None)
dt = closed_after(silent, 10)
check(dt is not None and 2 <= dt <= 8, "silent connection closed after %s s (--line-timeout 3)" % (dt and "%.1f" % dt))
keep = [conn(b"!!\n!v\n") for _ in range(3)]
ok = all(answer(k).startswith(b"A") for k in keep)
slow = [conn(b"!") for _ in range(3)]
time.sleep(1.5)
new = [conn(b"!!\n!v\n") for _ in range(3)]
check(ok and all(answer(n).startswith(b"A") for n in new), "full (6): 3 new clients evict the 3 partial lines")
check(all(closed_after(s, 5) is not None for s in slow), "the partial-line clients were the ones closed")
last = conn(b"!!\n!v\n")
check(answer(last).startswith(b"F too many clients"), "full of clients with no partial line: F too many clients")
check(all(k.sendall(b"!v\n") is None and answer(k).startswith(b"A") for k in keep + new), "those 6 still served")
sys.exit(1 if fails else 0)
EOF
kill -TERM $pid; wait $pid
grep -q "3 evicted" "$T/err2" && echo "ok   evictions counted" || { echo "FAIL evictions: $(tail -1 "$T/err2")"; fail=1; }
rm -rf "$T"
exit $fail
