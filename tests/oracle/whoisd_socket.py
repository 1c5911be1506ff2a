#!/usr/bin/env python3
"""whoisd_socket.py PORT PID DBFILE — socket-level test of a running manrs whoisd
(started by tests/cli_whoisd.sh with --idle-timeout 1 --max-query 200 on DBFILE):
many concurrent clients with pipelined queries, one-shot mode, idle timeout, query
size limit, half-close, SIGHUP reload (success and failure) without dropping
clients. Every wait is bounded; prints ok/FAIL lines, exits 1 on any failure."""
import os
import signal
import socket
import sys
import time

port, pid, dbfile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails += 1


def conn():
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s


def read_until(s, n_bytes=None, end=None, timeout=10):
    s.settimeout(timeout)
    buf = b""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if n_bytes is not None and len(buf) >= n_bytes:
            break
        if end is not None and buf.endswith(end):
            break
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        buf += d
    return buf


G1 = b"A13\n192.0.2.0/24\nC\n"
V = None

# 1. many concurrent clients, each pipelining several queries in one write
N = 200
socks = [conn() for _ in range(N)]
for s in socks:
    s.sendall(b"!!\n!gAS1\n!iAS-TOP,1\n!gAS1\n")
want = G1 + b"A8\nAS1 AS2\nC\n" + G1
got_all = True
for s in socks:
    if read_until(s, n_bytes=len(want)) != want:
        got_all = False
check(got_all, "%d concurrent clients, 3 pipelined queries each, exact answers" % N)
for s in socks:
    s.close()

# 2. deep pipelining: 5000 queries in one write, answers in order
s = conn()
s.sendall(b"!!\n" + b"!gAS1\n!gAS9\n" * 2500)
want = (G1 + b"C\n") * 2500
check(read_until(s, n_bytes=len(want), timeout=20) == want, "5000 pipelined queries answered in order")
s.close()

# 3. one-shot mode (no !!): answer, then the server closes
s = conn()
s.sendall(b"!gAS1\n")
check(read_until(s) == G1, "one-shot query answered, then closed")
s.close()

# 4. query size limit: F answer, the rest of the line skipped, connection kept
s = conn()
s.sendall(b"!!\n!i" + b"A" * 5000 + b"\n!gAS1\n")
want = b"F query too long\n" + G1
check(read_until(s, n_bytes=len(want)) == want, "over-long query: 'F query too long', connection kept")
s.sendall(b"x" * 300 + b"\n")
check(read_until(s, end=b"\n\n") == b"%% query too long\n\n", "over-long RIPE-style query: '%% query too long'")
s.close()

# 5. idle timeout (1 s): the server closes an idle client
s = conn()
s.sendall(b"!!\n")
t0 = time.time()
d = read_until(s, timeout=5)
dt = time.time() - t0
check(d == b"" and 0.5 <= dt <= 3.5, "idle client closed after %.1f s (timeout 1 s)" % dt)
s.close()

# 6. half-close: the query is answered although the client shut its side
s = conn()
s.sendall(b"!!\n!gAS1\n")
s.shutdown(socket.SHUT_WR)
check(read_until(s) == G1, "answer delivered after the client's half-close")
s.close()

# 7. SIGHUP reload: new data served, a connected client keeps its session
keep = conn()
keep.sendall(b"!!\n!sTEST\n!gAS1\n")
check(read_until(keep, n_bytes=2 + len(G1)) == b"C\n" + G1, "before reload: old data")
with open(dbfile, "a") as f:
    f.write("\nroute: 198.51.100.0/24\norigin: AS1\nsource: TEST\n")
os.kill(pid, signal.SIGHUP)
want = b"A29\n192.0.2.0/24 198.51.100.0/24\nC\n"
ok = False
deadline = time.time() + 10
while time.time() < deadline:
    keep.sendall(b"!gAS1\n")
    d = read_until(keep, end=b"C\n", timeout=5)
    if d == want:
        ok = True
        break
    time.sleep(0.05)
check(ok, "after SIGHUP: new data on the same connection, !s selection kept")

# 8. a failed reload keeps the previous data
os.rename(dbfile, dbfile + ".moved")
os.kill(pid, signal.SIGHUP)
time.sleep(0.5)
keep.sendall(b"!gAS1\n")
check(read_until(keep, end=b"C\n") == want, "failed reload (file gone): previous data still served")
os.rename(dbfile + ".moved", dbfile)
keep.sendall(b"!q\n")
check(read_until(keep) == b"", "!q closes")
keep.close()

sys.exit(1 if fails else 0)
