"""rtr_wire.py — a small RTR (RFC 6810 / 8210 / 8210bis-10) client for the tests:
send queries, read PDUs, collect what a cache serves. Written from the RFCs,
independently of manrs's C code, so that it can check it (tests/cli_rtrd.sh)."""
import ipaddress
import socket
import struct
import time

NAMES = {0: "serial-notify", 1: "serial-query", 2: "reset-query", 3: "cache-response", 4: "ipv4-prefix",
         6: "ipv6-prefix", 7: "end-of-data", 8: "cache-reset", 9: "router-key", 10: "error-report", 11: "aspa"}


def connect(port, host="127.0.0.1", timeout=10):
    s = socket.create_connection((host, port), timeout=timeout)
    return s


def reset_query(version):
    return struct.pack(">BBHI", version, 2, 0, 8)


def serial_query(version, session, serial):
    return struct.pack(">BBHII", version, 1, session, 12, serial)


def read_pdu(s, deadline):
    """One PDU as a dict, or None on close/timeout."""
    buf = b""
    need = 8
    while len(buf) < need:
        left = deadline - time.time()
        if left <= 0:
            return None
        s.settimeout(left)
        try:
            d = s.recv(need - len(buf))
        except (socket.timeout, ConnectionError, OSError):
            return None
        if not d:
            return None
        buf += d
        if len(buf) == 8:
            need = struct.unpack(">I", buf[4:8])[0]
            if need < 8 or need > 1 << 20:
                return {"type": "garbage", "raw": buf}
    return decode(buf)


def decode(b):
    v, t, h, ln = struct.unpack(">BBHI", b[:8])
    p = {"version": v, "type": NAMES.get(t, t), "field": h, "length": ln, "raw": b}
    body = b[8:]
    if t in (0, 1):
        p["serial"] = struct.unpack(">I", body)[0]
    elif t == 7:
        p["serial"] = struct.unpack(">I", body[:4])[0]
        if len(body) == 16:
            p["refresh"], p["retry"], p["expire"] = struct.unpack(">III", body[4:])
    elif t in (4, 6):
        flags, plen, maxlen = body[0], body[1], body[2]
        alen = 4 if t == 4 else 16
        addr = ipaddress.ip_address(body[4:4 + alen])
        asn = struct.unpack(">I", body[4 + alen:8 + alen])[0]
        p["flags"] = flags
        p["vrp"] = (str(ipaddress.ip_network((addr, plen))), maxlen, asn)
    elif t == 11:
        flags, afi, n = body[0], body[1], struct.unpack(">H", body[2:4])[0]
        cust = struct.unpack(">I", body[4:8])[0]
        provs = tuple(struct.unpack(">%dI" % n, body[8:8 + 4 * n]))
        p["flags"] = flags
        p["aspa"] = (cust, afi, provs)
    elif t == 10:
        pl = struct.unpack(">I", body[:4])[0]
        tl = struct.unpack(">I", body[4 + pl:8 + pl])[0]
        p["code"] = h
        p["text"] = body[8 + pl:8 + pl + tl].decode("utf-8", "replace")
    return p


def response(s, timeout=30):
    """PDUs up to and including End of Data (or Cache Reset / Error Report)."""
    deadline = time.time() + timeout
    out = []
    while True:
        p = read_pdu(s, deadline)
        if p is None:
            return out, False
        out.append(p)
        if p["type"] in ("end-of-data", "cache-reset", "error-report", "garbage"):
            return out, True


def fetch(port, version, timeout=60):
    """Reset Query: (VRP set, ASPA set, End of Data PDU, cache response PDU)."""
    s = connect(port)
    s.sendall(reset_query(version))
    pdus, ok = response(s, timeout)
    s.close()
    vrps = {p["vrp"] for p in pdus if "vrp" in p}
    aspas = {p["aspa"] for p in pdus if "aspa" in p}
    eod = pdus[-1] if ok and pdus[-1]["type"] == "end-of-data" else None
    return vrps, aspas, eod, pdus


def table_bytes(port, version=1, host="127.0.0.1", timeout=60):
    """The size of the answer to one Reset Query, End of Data included (PDU by PDU)."""
    s = socket.create_connection((host, port), timeout=timeout)
    s.sendall(reset_query(version))
    pdus, ok = response(s, timeout)
    s.close()
    return sum(p["length"] for p in pdus) if ok and pdus[-1]["type"] == "end-of-data" else None


def many_routers(port, n, size, version=1, host="127.0.0.1", timeout=600):
    """n routers connect at once, send a Reset Query and read size bytes each (the
    whole answer, counted, not parsed: the client must not be what is measured),
    the last PDU checked to be End of Data. Returns (seconds, routers complete)."""
    import selectors
    sel = selectors.DefaultSelector()
    states = []
    t0 = time.time()
    for _ in range(n):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect((host, port))
        except BlockingIOError:
            pass
        states.append({"sent": False, "n": 0, "tail": b"", "done": False, "sock": c})
        sel.register(c, selectors.EVENT_WRITE, states[-1])
    left = n
    while left and time.time() - t0 < timeout:
        for key, ev in sel.select(timeout=1):
            c, st = key.fileobj, key.data
            if not st["sent"]:
                try:
                    c.send(reset_query(version))
                except OSError:
                    continue
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
            if not d or st["n"] >= size:
                st["done"] = st["n"] == size and st["tail"][:2] == bytes([version, 7])
                sel.unregister(c)
                left -= 1
    wall = time.time() - t0
    for st in states:
        st["sock"].close()
    return wall, sum(1 for st in states if st["done"])
