#!/usr/bin/env python3
"""whoisd_hostile.py PORT PID [options] — hostile load against a running manrs
whoisd while a good client measures its !g answer times (bench/whoisd_hostile.sh).

Hostile clients, N of each kind at once, each from its own loopback address
(127.1.<kind>.<i>, so that the per-address limit does not simply refuse them):
  nonreader  pipelines --big-query (default !r0.0.0.0/0,M) 50 times and never
             reads (small receive buffer); reconnects when the server closes it
  reset      pipelines --set-query (default !iAS-RETN,1) 50 times, then resets
             the connection (SO_LINGER 0); again every second
  slowloris  sends one byte (no newline) every 10 s; reconnects when closed
  deep       pipelines --deep-query (default !iAS-DEEP0,1) 50 times, reads the
             answers, again every second
The good client (one connection from 127.0.0.1, "!!" then one !gAS<n> at a time,
a 20 ms pause between) runs for --seconds after --warmup seconds; every answer is
checked against the answer first fetched before the attack. Also one fresh
connection per second sends !v. Prints the latencies (p50, p99, max), failures,
and the server's peak RSS (VmHWM) and RSS at the end.
"""
import argparse
import os
import random
import selectors
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "oracle"))
from irrd_wire import read_answer  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("port", type=int)
ap.add_argument("pid", type=int)
ap.add_argument("--clients", type=int, default=100, help="hostile clients of each kind")
ap.add_argument("--kinds", default="nonreader,reset,slowloris,deep")
ap.add_argument("--seconds", type=float, default=20)
ap.add_argument("--warmup", type=float, default=3)
ap.add_argument("--big-query", default="!r0.0.0.0/0,M")
ap.add_argument("--set-query", default="!iAS-RETN,1")
ap.add_argument("--deep-query", default="!iAS-DEEP0,1")
ap.add_argument("--asns", default="3333,3320,1299,6939,174,2914,5511,12322")
a = ap.parse_args()
HOST = "127.0.0.1"
stop = threading.Event()
stats = {"hostile_connects": 0, "hostile_refused": 0}


def vm(field):
    try:
        for line in open("/proc/%d/status" % a.pid):
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    except OSError:
        return -1
    return -1


def hconnect(kind_no, i, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.1.%d.%d" % (kind_no, i % 250 + 1), 0))
    except OSError:
        pass
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(5)
    try:
        s.connect((HOST, a.port))
    except OSError:
        s.close()
        return None
    s.setblocking(False)
    stats["hostile_connects"] += 1
    return s


def send_all(s, data):
    try:
        s.send(data)
        return True
    except (BlockingIOError, OSError):
        return False


def hostile():
    kinds = a.kinds.split(",") if a.kinds else []
    sel = selectors.DefaultSelector()
    conns = {}   # sock -> (kind, i)
    pending = []  # (time, kind, i): reconnect / repeat at time
    now = time.time()
    for k, kind in enumerate(kinds):
        for i in range(a.clients):
            pending.append((now + random.random() * 0.5, kind, k, i))
    last_byte = {}
    while not stop.is_set():
        now = time.time()
        due = [p for p in pending if p[0] <= now]
        pending = [p for p in pending if p[0] > now]
        for _, kind, k, i in due:
            if kind == "nonreader":
                s = hconnect(k + 1, i, rcvbuf=4096)
                if not s:
                    pending.append((now + 1, kind, k, i))
                    continue
                send_all(s, b"!!\n" + (a.big_query.encode() + b"\n") * 50)
            elif kind == "reset":
                s = hconnect(k + 1, i)
                if s:
                    send_all(s, b"!!\n" + (a.set_query.encode() + b"\n") * 50)
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    s.close()
                pending.append((now + 1, kind, k, i))
                continue
            elif kind == "slowloris":
                s = hconnect(k + 1, i)
                if not s:
                    pending.append((now + 1, kind, k, i))
                    continue
                send_all(s, b"!")
                last_byte[s] = now
            else:  # deep
                s = hconnect(k + 1, i)
                if not s:
                    pending.append((now + 1, kind, k, i))
                    continue
                send_all(s, b"!!\n" + (a.deep_query.encode() + b"\n") * 50)
            conns[s] = (kind, k, i)
            sel.register(s, selectors.EVENT_READ)
        for s, t in list(last_byte.items()):
            if now - t >= 10 and s in conns:
                send_all(s, b"g")
                last_byte[s] = now
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            kind, k, i = conns[s]
            try:
                d = s.recv(1 << 16) if kind != "nonreader" else s.recv(1, socket.MSG_PEEK)
            except BlockingIOError:
                continue
            except OSError:
                d = b""
            if d and kind == "nonreader":
                # never read: stop watching until the server closes us (checked below)
                sel.unregister(s)
                continue
            if d and kind == "deep":
                if d.startswith(b"F too many"):
                    stats["hostile_refused"] += 1
                continue
            if not d:
                sel.unregister(s)
                s.close()
                del conns[s]
                last_byte.pop(s, None)
                pending.append((time.time() + (1 if kind == "deep" else 0.2), kind, k, i))
        # nonreaders unregistered: probe for closure now and then
        if random.random() < 0.02:
            for s, (kind, k, i) in list(conns.items()):
                if kind != "nonreader":
                    continue
                try:
                    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    # a closed server side shows as readable EOF after the buffered data
                    if err:
                        raise OSError(err)
                except OSError:
                    try:
                        sel.unregister(s)
                    except (KeyError, ValueError):
                        pass
                    s.close()
                    del conns[s]
                    pending.append((time.time() + 0.2, kind, k, i))
    for s in conns:
        s.close()


def good():
    asns = [int(x) for x in a.asns.split(",")]
    s = socket.create_connection((HOST, a.port), timeout=10)
    s.sendall(b"!!\n")
    ref = {}
    for asn in asns:
        s.sendall(b"!gAS%d\n" % asn)
        ref[asn] = read_answer(s, time.time() + 30)
    return s, ref


s_good, ref = good()
rss0 = vm("VmRSS")
th = threading.Thread(target=hostile, daemon=True)
th.start()
time.sleep(a.warmup)
lat, fails, vlat = [], 0, []
t_end = time.time() + a.seconds
next_v = time.time()
k = 0
while time.time() < t_end:
    asn = list(ref)[k % len(ref)]
    k += 1
    t0 = time.time()
    try:
        s_good.sendall(b"!gAS%d\n" % asn)
        ans = read_answer(s_good, t0 + 10)
    except OSError:
        ans = None
    dt = time.time() - t0
    if ans != ref[asn]:
        fails += 1
        lat.append(10.0)
        try:
            s_good.close()
            s_good = socket.create_connection((HOST, a.port), timeout=10)
            s_good.sendall(b"!!\n")
        except OSError:
            pass
    else:
        lat.append(dt)
    if time.time() >= next_v:
        next_v = time.time() + 1
        t0 = time.time()
        try:
            v = socket.create_connection((HOST, a.port), timeout=10)
            v.sendall(b"!v\n")
            ans = read_answer(v, t0 + 10)
            v.close()
        except OSError:
            ans = None
        vlat.append(time.time() - t0 if ans and ans.startswith(b"A") else 10.0)
    time.sleep(0.02)
rss_end = vm("VmRSS")
hwm = vm("VmHWM")
stop.set()
th.join(5)
lat.sort()
vlat.sort()


def pct(v, p):
    return v[min(len(v) - 1, int(len(v) * p))] * 1000 if v else float("nan")


print("hostile: %d clients of each of %s; %d connects" % (a.clients, a.kinds, stats["hostile_connects"]))
print("good !g: %d answers, %d wrong or late (>10 s); p50 %.1f ms, p99 %.1f ms, max %.1f ms"
      % (len(lat), fails, pct(lat, 0.5), pct(lat, 0.99), lat[-1] * 1000 if lat else float("nan")))
print("fresh !v: %d connections; p50 %.1f ms, max %.1f ms" % (len(vlat), pct(vlat, 0.5), vlat[-1] * 1000 if vlat else 0))
print("server RSS: %d MiB before, %d MiB at the end, peak (VmHWM) %d MiB" % (rss0, rss_end, hwm))
