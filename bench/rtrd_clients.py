#!/usr/bin/env python3
"""rtrd_clients.py HOST PORT N [--wait] — N routers connect at once to an RTR cache,
send a version-1 Reset Query and read until End of Data. One router reads the
table first, PDU by PDU, to learn its size; the N then count bytes up to it and
check that the last PDU is End of Data (so that the client, not the server, is not
what is measured). Prints "WALL_SECONDS COMPLETE" (bench/rtrd.sh). --wait: retry
until the cache answers with a non-empty table (a cache still loading its file)."""
import selectors
import socket
import struct
import sys
import time

host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if "--wait" in sys.argv:
    for _ in range(600):
        try:
            s = socket.create_connection((host, port), timeout=5)
            s.sendall(struct.pack(">BBHI", 1, 2, 0, 8))
            got = s.recv(1 << 16)
            s.close()
            if len(got) > 64:
                break
        except OSError:
            pass
        time.sleep(0.2)



def table_size():
    s = socket.create_connection((host, port), timeout=60)
    s.sendall(struct.pack(">BBHI", 1, 2, 0, 8))
    buf, total = b"", 0
    while True:
        d = s.recv(1 << 20)
        if not d:
            return None
        buf += d
        pos = 0
        while len(buf) - pos >= 8:
            ln = struct.unpack(">I", buf[pos + 4:pos + 8])[0]
            if len(buf) - pos < ln:
                break
            total += ln
            if buf[pos + 1] == 7:
                s.close()
                return total
            pos += ln
        buf = buf[pos:]


size = table_size()
sel = selectors.DefaultSelector()
state = []
t0 = time.time()
for i in range(n):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect((host, port))
    except BlockingIOError:
        pass
    st = {"sent": False, "tail": b"", "done": False, "n": 0}
    state.append(st)
    sel.register(c, selectors.EVENT_WRITE, st)
left = n
while left and time.time() - t0 < 600:
    for key, ev in sel.select(timeout=1):
        c, st = key.fileobj, key.data
        if not st["sent"]:
            c.send(struct.pack(">BBHI", 1, 2, 0, 8))
            st["sent"] = True
            sel.modify(c, selectors.EVENT_READ, st)
            continue
        try:
            d = c.recv(1 << 20)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError:
            d = b""
        st["n"] += len(d)
        st["tail"] = (st["tail"] + d)[-24:]
        if st["n"] >= size:
            st["done"] = st["n"] == size and st["tail"][:2] == bytes([1, 7])
            d = b""
        if not d or st["done"]:
            sel.unregister(c)
            c.close()
            left -= 1
print("%.2f %d" % (time.time() - t0, sum(1 for st in state if st["done"])))
