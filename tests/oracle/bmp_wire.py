#!/usr/bin/env python3
"""bmp_wire.py — BMP (RFC 7854) messages built byte by byte, independently of
manrs's own encoder, for the tests of `manrs bmpd` and the fuzz seeds.

    bmp_wire.py stream FILE          write the reference router stream to FILE
    bmp_wire.py seeds DIR            write fuzz seeds (a flag byte, then a stream)
    bmp_wire.py send HOST:PORT WHAT  connect as a router and send WHAT:
        stream        the reference stream, then close
        stream-hold   the reference stream, then stay connected until killed
        v1            a BMP version 1 header after one good message
        huge          a message length of 2^31
        partial       the first 10 bytes of a message, then silence (slow loris)
        bad-update    a Route Monitoring whose UPDATE lacks its marker, then the stream
        rotate N S    N Route Monitoring messages, one every S seconds

The reference stream (expected lines: `expected` below, bgpdump -m form without
the time field) is: Initiation (sysName r1), Peer Up of 192.0.2.2 AS 64501 with
ADD-PATH for IPv4 unicast (the peer sends, the router receives), two pre-policy
updates (one with path id 7), one post-policy, an IPv6 peer with a 2-octet
session, a Loc-RIB peer and its update, an Adj-RIB-Out update, a withdrawal, a
Statistics Report, a Peer Down and a Termination.
"""
import socket
import struct
import sys
import time

MARKER = b"\xff" * 16


def ip_bytes(addr):
    if ":" in addr:
        return socket.inet_pton(socket.AF_INET6, addr)
    return socket.inet_aton(addr)


def common(mtype, body):
    return struct.pack("!BIB", 3, 6 + len(body), mtype) + body


def peer_header(addr, asn, ptype=0, flags=0, bgp_id="10.0.0.1", ts=1700000000, rd=0):
    raw = ip_bytes(addr)
    if len(raw) == 16:
        flags |= 0x80 if ptype != 3 else 0
        a = raw
    else:
        a = b"\0" * 12 + raw
    return struct.pack("!BBQ", ptype, flags, rd) + a + struct.pack("!I", asn) + \
        socket.inet_aton(bgp_id) + struct.pack("!II", ts, 0)


def bgp_msg(mtype, body):
    return MARKER + struct.pack("!HB", 19 + len(body), mtype) + body


def open_msg(asn, bgp_id, as4=True, addpath=None):
    caps = b"\x01\x04\x00\x01\x00\x01" + b"\x01\x04\x00\x02\x00\x01"
    if as4:
        caps += b"\x41\x04" + struct.pack("!I", asn)
    if addpath:
        v = b"".join(struct.pack("!HBB", afi, safi, sr) for afi, safi, sr in addpath)
        caps += bytes([69, len(v)]) + v
    params = bytes([2, len(caps)]) + caps
    my_as = asn if asn < 65536 else 23456
    return bgp_msg(1, struct.pack("!BHH", 4, my_as, 90) + socket.inet_aton(bgp_id) + bytes([len(params)]) + params)


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def prefix_nlri(pfx, path_id=None):
    addr, plen = pfx.split("/")
    plen = int(plen)
    raw = ip_bytes(addr)[: (plen + 7) // 8]
    pid = struct.pack("!I", path_id) if path_id is not None else b""
    return pid + bytes([plen]) + raw


def update(prefixes=(), path=(), nh="192.0.2.2", asn4=True, path_id=None, withdrawn=()):
    """IPv4 prefixes in the classic fields, IPv6 ones in MP_(UN)REACH_NLRI."""
    v4 = [p for p in prefixes if ":" not in p]
    v6 = [p for p in prefixes if ":" in p]
    w4 = [p for p in withdrawn if ":" not in p]
    w6 = [p for p in withdrawn if ":" in p]
    attrs = b""
    if prefixes:
        fmt = "!I" if asn4 else "!H"
        seg = bytes([2, len(path)]) + b"".join(struct.pack(fmt, a) for a in path)
        attrs += attr(0x40, 1, b"\x00") + attr(0x40, 2, seg)
        if v4:
            attrs += attr(0x40, 3, socket.inet_aton(nh))
        if v6:
            nlri = b"".join(prefix_nlri(p, path_id) for p in v6)
            nh6 = ip_bytes(nh if ":" in nh else "2001:db8::2")
            attrs += attr(0x80, 14, struct.pack("!HBB", 2, 1, 16) + nh6 + b"\x00" + nlri)
    if w6:
        attrs += attr(0x80, 15, struct.pack("!HB", 2, 1) + b"".join(prefix_nlri(p, path_id) for p in w6))
    wd = b"".join(prefix_nlri(p, path_id) for p in w4)
    nlri4 = b"".join(prefix_nlri(p, path_id) for p in v4)
    return bgp_msg(2, struct.pack("!H", len(wd)) + wd + struct.pack("!H", len(attrs)) + attrs + nlri4)


def tlv(t, v):
    return struct.pack("!HH", t, len(v)) + v


def initiation(name):
    return common(4, tlv(1, b"bmp_wire.py") + tlv(2, name.encode()))


def termination():
    return common(5, tlv(1, b"\x00\x00"))


def peer_up(ph, local, local_as, peer_as, peer_id, as4=True, sent_ap=None, recv_ap=None):
    raw = ip_bytes(local)
    la = raw if len(raw) == 16 else b"\0" * 12 + raw
    body = ph + la + struct.pack("!HH", 179, 40000)
    body += open_msg(local_as, "192.0.2.1", as4, sent_ap) + open_msg(peer_as, peer_id, as4, recv_ap)
    return common(3, body)


def route_monitoring(ph, upd):
    return common(0, ph + upd)


def peer_down(ph, reason=2):
    return common(2, ph + bytes([reason]) + (b"\x00\x00" if reason == 2 else b""))


def stats(ph):
    return common(1, ph + struct.pack("!I", 1) + tlv(0, struct.pack("!I", 3)))


def reference_stream():
    a = peer_header("192.0.2.2", 64501, bgp_id="10.0.0.2")
    a_post = peer_header("192.0.2.2", 64501, flags=0x40, bgp_id="10.0.0.2")
    a_out = peer_header("192.0.2.2", 64501, flags=0x10, bgp_id="10.0.0.2")
    c = peer_header("2001:db8::2", 64502, flags=0x20, bgp_id="10.0.0.3", ts=1700000001)
    loc = peer_header("0.0.0.0", 64500, ptype=3, bgp_id="192.0.2.1", ts=1700000002)
    out = [
        initiation("r1"),
        peer_up(a, "192.0.2.1", 64500, 64501, "10.0.0.2", sent_ap=[(1, 1, 1)], recv_ap=[(1, 1, 2)]),
        route_monitoring(a, update(["198.51.100.0/24"], [64501, 64496], path_id=7)),
        route_monitoring(a, update(["203.0.113.0/25", "203.0.113.128/25"], [64501, 4200000000], path_id=8)),
        route_monitoring(a_post, update(["198.51.100.0/24"], [64501, 64496], path_id=7)),
        peer_up(c, "2001:db8::1", 64500, 64502, "10.0.0.3", as4=False),
        route_monitoring(c, update(["2001:db8:100::/40"], [64502, 3356], nh="2001:db8::2", asn4=False)),
        peer_up(loc, "0.0.0.0", 64500, 64500, "192.0.2.1"),
        route_monitoring(loc, update(["198.51.100.0/24"], [64501, 64496])),
        route_monitoring(a_out, update(["192.0.2.0/24"], [64500])),
        route_monitoring(a, update(withdrawn=["203.0.113.128/25"], path_id=8)),
        stats(a),
        peer_down(a),
        termination(),
    ]
    return b"".join(out)


# What `manrs dump -m` prints for each RIB of the reference stream, without the
# time field (arrival time at a live bmpd). The peers still up when the stream
# ends are taken down by the receiver.
expected = {
    "pre-policy": [
        "BGP4MP_ET|STATE|192.0.2.2|64501|5|6",
        "BGP4MP_ET_AP|A|192.0.2.2|64501|198.51.100.0/24|7|64501 64496|IGP|192.0.2.2|0|0||NAG||",
        "BGP4MP_ET_AP|A|192.0.2.2|64501|203.0.113.0/25|8|64501 4200000000|IGP|192.0.2.2|0|0||NAG||",
        "BGP4MP_ET_AP|A|192.0.2.2|64501|203.0.113.128/25|8|64501 4200000000|IGP|192.0.2.2|0|0||NAG||",
        "BGP4MP_ET|STATE|2001:db8::2|64502|5|6",
        "BGP4MP_ET|A|2001:db8::2|64502|2001:db8:100::/40|64502 3356|IGP|2001:db8::2|0|0||NAG||",
        "BGP4MP_ET_AP|W|192.0.2.2|64501|203.0.113.128/25|8",
        "BGP4MP_ET|STATE|192.0.2.2|64501|6|1",
        "BGP4MP_ET|STATE|2001:db8::2|64502|6|1",
    ],
    "loc-rib": [
        "BGP4MP_ET|STATE|192.0.2.1|64500|5|6",
        "BGP4MP_ET|A|192.0.2.1|64500|198.51.100.0/24|64501 64496|IGP|192.0.2.2|0|0||NAG||",
        "BGP4MP_ET|STATE|192.0.2.1|64500|6|1",
    ],
}


def write_seeds(d):
    import os
    os.makedirs(d, exist_ok=True)
    s = reference_stream()
    msgs = []
    i = 0
    while i < len(s):
        n = struct.unpack("!I", s[i + 1:i + 5])[0]
        msgs.append(s[i:i + n])
        i += n
    seeds = {
        "stream": b"\x00" + s,
        "stream-peer-time": b"\x01" + s,
        "init-peerup-rm": b"\x00" + b"".join(msgs[:3]),
        "v6-2octet": b"\x01" + msgs[5] + msgs[6],
        "locrib": b"\x00" + msgs[7] + msgs[8],
        "withdraw-stats-down": b"\x00" + msgs[1] + b"".join(msgs[10:]),
        "cut": b"\x05" + s[:200],
    }
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def send(target, what, args):
    host, port = target.rsplit(":", 1)
    s = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
    ref = reference_stream()
    if what in ("stream", "stream-hold"):
        s.sendall(ref)
        if what == "stream-hold":
            while True:
                time.sleep(60)
    elif what == "v1":
        s.sendall(initiation("bad") + b"\x01\x00\x00\x00\x10\x00" + b"\x00" * 10)
    elif what == "huge":
        s.sendall(initiation("huge") + struct.pack("!BIB", 3, 1 << 31, 0))
    elif what == "partial":
        s.sendall(ref[:10])
        while True:
            time.sleep(60)
    elif what == "bad-update":
        a = peer_header("192.0.2.2", 64501)
        bad = bytearray(route_monitoring(a, update(["198.51.100.0/24"], [64501])))
        bad[6 + 42] = 0
        s.sendall(initiation("bad-update") + bytes(bad) + ref)
    elif what == "rotate":
        n, every = int(args[0]), float(args[1])
        a = peer_header("192.0.2.2", 64501)
        s.sendall(initiation("rotate") + peer_up(a, "192.0.2.1", 64500, 64501, "10.0.0.2"))
        for i in range(n):
            s.sendall(route_monitoring(a, update(["10.%d.0.0/16" % i], [64501])))
            time.sleep(every)
    else:
        sys.exit("unknown WHAT " + what)
    try:
        s.shutdown(socket.SHUT_WR)
        s.recv(1)
    except OSError:
        pass
    s.close()


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "stream":
        with open(sys.argv[2], "wb") as f:
            f.write(reference_stream())
    elif len(sys.argv) >= 3 and sys.argv[1] == "seeds":
        write_seeds(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) >= 3 and sys.argv[1] == "expected":
        print("\n".join(expected[sys.argv[2]]))
    else:
        sys.exit(__doc__)
