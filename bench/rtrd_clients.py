#!/usr/bin/env python3
"""rtrd_clients.py HOST PORT N [--wait] — N routers connect at once to an RTR cache,
send a version-1 Reset Query and read the whole table (tests/oracle/rtr_wire.py
many_routers: one router reads it PDU by PDU first to learn its size, the N count
bytes and check End of Data). Prints "WALL_SECONDS COMPLETE" (bench/rtrd.sh).
--wait: retry until the cache answers with a table (one still loading its file)."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "oracle"))
import rtr_wire as rw  # noqa: E402

host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = None
for _ in range(600 if "--wait" in sys.argv else 1):
    try:
        size = rw.table_bytes(port, 1, host)
    except OSError:
        size = None
    if size and size > 64:
        break
    time.sleep(0.2)
if not size:
    sys.exit("rtrd_clients.py: no table from %s:%d" % (host, port))
wall, complete = rw.many_routers(port, n, size, 1, host)
print("%.2f %d" % (wall, complete))
