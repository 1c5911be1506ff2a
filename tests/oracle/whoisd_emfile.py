#!/usr/bin/env python3
"""whoisd_emfile.py PORT PID — manrs whoisd started with a tiny fd limit
(ulimit -n 16): 40 clients connect at once (the kernel queues them), each sends
one one-shot query. All must be answered within 15 s (accepting resumes when
answered clients close), and the server must not spin meanwhile (its CPU time
stays small)."""
import socket
import sys
import time

port, pid = int(sys.argv[1]), int(sys.argv[2])


def cpu_s():
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / 100.0


c0 = cpu_s()
socks = []
for _ in range(40):
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    s.sendall(b"!gAS1\n")
    socks.append(s)
answered = 0
deadline = time.time() + 15
for s in socks:
    buf = b""
    while time.time() < deadline:
        try:
            d = s.recv(4096)
        except socket.timeout:
            break
        if not d:
            break
        buf += d
    if buf == b"A13\n192.0.2.0/24\nC\n":
        answered += 1
    s.close()
used = cpu_s() - c0
ok = answered == 40 and used < 2.0
print(("ok   " if ok else "FAIL ") + "fd limit: %d/40 clients answered, server CPU %.2f s" % (answered, used))
sys.exit(0 if ok else 1)
