#!/usr/bin/env python3
"""monitor_check.py — `manrs monitor` against ground truth and live BMP.

1. A simulated Internet (manrs sim, no confounders): a prefixes.yml is written,
   as a victim's operator would, for the prefix each origin and sub-prefix
   hijack targets and each route leak carries (its owner from the RIB). The
   monitor replays the RIB and the updates with the world's AS relationships;
   every hijack and leak seen by at least --min-peers collector peers must be
   alerted once, naming the culprit (the leaker), raised within the incident's
   window and resolved; no other hijack or leak alert may appear.
2. Live BMP: a router (tests/oracle/bmp_wire.py) streams to `monitor
   --bmp-listen`; the hijack in its stream must be alerted within 1 s of the
   message's arrival, and resolved when the router's session ends.
3. Channels: the simulated replay again with two webhooks (one for the group of
   half the prefixes, one answering HTTP 500) and e-mail through a local SMTP
   receiver: every alert of stdout arrives once per channel that takes its
   group, as JSON with "text" (webhook) or as a mail whose subject names it; the
   failing webhook is counted and reported; --repeat says active alerts again.

usage: monitor_check.py MANRS_BIN TMPDIR SRC_DIR
"""
import base64
import hashlib
import http.client
import http.server
import ipaddress
import json
import re
import socketserver
import struct
import threading
import os
import queue
import signal
import socket
import subprocess
import sys
import time

MANRS, TMP, SRC = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def fail(msg):
    print("FAIL: " + msg)
    failures.append(msg)


def sim_case(min_peers):
    world = os.path.join(TMP, "world")
    subprocess.run([MANRS, "sim", "-o", world, "-n", "600", "-s", "7", "-C", "-q", "-f"], check=True)
    truth = json.load(open(os.path.join(world, "truth.json")))
    owner = {}
    rib = subprocess.run([MANRS, "dump", os.path.join(world, "rib.mrt.gz")], capture_output=True, text=True).stdout
    for line in rib.splitlines():
        f = line.split("|")
        owner.setdefault(f[5], f[6].split()[-1])
    nets = {p: ipaddress.ip_network(p) for p in owner}
    cfg, incidents = {}, []
    for i in truth["incidents"]:
        if i["class"] not in ("hijack-origin", "hijack-subprefix"):
            continue
        ip = ipaddress.ip_network(i["prefix"])
        best = None
        for p, q in nets.items():
            if q.version == ip.version and ip.subnet_of(q) and owner[p] != str(i["culprit"]):
                if best is None or q.prefixlen > nets[best].prefixlen:
                    best = p
        if best is None:
            fail("no owner found for incident %s" % i)
            continue
        cfg[best] = owner[best]
        incidents.append(i)
    # the prefixes of the route leaks, for their owners: with the world's AS
    # relationships every leak must be alerted, naming the leaker
    leaks = [i for i in truth["incidents"] if i["class"] == "route-leak" and i["prefix"] in owner]
    for i in leaks:
        cfg.setdefault(i["prefix"], owner[i["prefix"]])
    yml = os.path.join(TMP, "prefixes.yml")
    with open(yml, "w") as f:
        for p, a in cfg.items():
            f.write("%s:\n  description: victim of a simulated incident\n  asn: %s\n  ignoreMorespecifics: false\n" % (p, a))
    out = os.path.join(TMP, "alerts-%d.jsonl" % min_peers)
    r = subprocess.run([MANRS, "monitor", "--config", yml, "--mrt", os.path.join(world, "updates.mrt.gz"),
                        "--mrt", os.path.join(world, "rib.mrt.gz"), "--min-peers", str(min_peers), "--quiet",
                        "--output", out, "--asrel", os.path.join(world, "asrel.txt")],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        fail("monitor exited %d: %s" % (r.returncode, r.stderr[-500:]))
        return
    alerts = [json.loads(l) for l in open(out)]
    hij = [a for a in alerts if a["type"] == "hijack"]
    found = 0
    expected = 0
    for i in incidents:
        mine = [a for a in hij if a["prefix"] == i["prefix"] and a["asn"] == i["culprit"]]
        raised = [a for a in mine if not a["resolved"]]
        resolved = [a for a in mine if a["resolved"]]
        if i["visible_peers"] < min_peers:
            if raised:
                fail("incident %d seen by %d peers alerted with --min-peers %d" % (i["id"], i["visible_peers"], min_peers))
            continue
        expected += 1
        if len(raised) != 1 or len(resolved) != 1:
            fail("incident %d (%s %s by AS%d): %d raised, %d resolved" % (i["id"], i["class"], i["prefix"], i["culprit"],
                                                                         len(raised), len(resolved)))
            continue
        t0 = raised[0]["time"]
        t1 = resolved[0]["time"]
        ts = lambda s: int(time.mktime(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))) - time.timezone
        if not (i["start"] <= ts(t0) <= i["end"]) or ts(t1) < i["end"]:
            fail("incident %d: raised %s, resolved %s, window %d-%d" % (i["id"], t0, t1, i["start"], i["end"]))
            continue
        found += 1
    lk = [a for a in alerts if a["type"] == "leak"]
    lfound = lexpected = 0
    for i in leaks:
        mine = [a for a in lk if a["prefix"] == i["prefix"] and a["asn"] == i["culprit"]]
        raised = [a for a in mine if not a["resolved"]]
        if i["visible_peers"] < min_peers:
            continue
        lexpected += 1
        ts = lambda s: int(time.mktime(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))) - time.timezone
        if len(raised) == 1 and len(mine) == 2 and i["start"] <= ts(raised[0]["time"]) <= i["end"]:
            lfound += 1
        else:
            fail("leak %d (%s by AS%d, %d peers): alerts %s" % (i["id"], i["prefix"], i["culprit"], i["visible_peers"], mine))
    lextra = [a for a in lk if not any(a["prefix"] == i["prefix"] and a["asn"] == i["culprit"] for i in leaks)]
    if lextra:
        fail("leak alerts without an incident: %s" % lextra[:3])
    print("sim (min-peers %d): %d of %d route leaks alerted naming the leaker, %d false"
          % (min_peers, lfound, lexpected, len(lextra)))
    extra = [a for a in hij if not any(a["prefix"] == i["prefix"] and a["asn"] == i["culprit"] for i in incidents)]
    if extra:
        fail("hijack alerts without an incident: %s" % extra[:3])
    if found != expected:
        fail("found %d of %d hijacks" % (found, expected))
    print("sim (min-peers %d): %d of %d hijacks alerted and resolved in their windows, %d false, %d alerts in all"
          % (min_peers, found, expected, len(extra), len(alerts)))


def bmp_case():
    yml = os.path.join(TMP, "bmp.yml")
    with open(yml, "w") as f:
        f.write("198.51.100.0/24:\n  description: ours\n  asn: 64999\n")
    pf = os.path.join(TMP, "mon.port")
    s0 = socket.socket()
    s0.bind(("127.0.0.1", 0))
    mport = s0.getsockname()[1]
    s0.close()
    p = subprocess.Popen([MANRS, "monitor", "--config", yml, "--bmp-listen", "127.0.0.1:0", "--port-file", pf,
                          "--min-peers", "1", "--metrics-listen", "127.0.0.1:%d" % mport],
                         stdout=subprocess.PIPE, stderr=open(os.path.join(TMP, "mon.log"), "w"), text=True)
    try:
        for _ in range(100):
            if os.path.exists(pf) and open(pf).read().strip():
                break
            time.sleep(0.1)
        port = open(pf).read().strip()
        t_send = time.time()
        s = subprocess.Popen([sys.executable, os.path.join(SRC, "tests/oracle/bmp_wire.py"), "send",
                              "127.0.0.1:" + port, "stream"])
        line = p.stdout.readline()
        latency = time.time() - t_send
        a = json.loads(line)
        if a["type"] != "hijack" or a["prefix"] != "198.51.100.0/24" or a["asn"] != 64496 or a["resolved"]:
            fail("BMP: first alert %s" % a)
        if latency > 1.0:
            fail("BMP: alert %.3f s after the stream was sent (limit 1 s)" % latency)
        s.wait(20)
        line = p.stdout.readline()
        b = json.loads(line)
        if b["type"] != "hijack" or not b["resolved"]:
            fail("BMP: no resolution when the router left: %s" % b)
        if a.get("evidence", {}).get("peer") != "192.0.2.2":
            fail("BMP: evidence %s" % a.get("evidence"))
        print("BMP: hijack alerted %.0f ms after the router's stream was sent, resolved when it left" % (latency * 1000))
        # Prometheus scrape
        def get(method, path):
            c = http.client.HTTPConnection("127.0.0.1", mport, timeout=5)
            c.request(method, path)
            r = c.getresponse()
            return r.status, r.getheader("Content-Type"), r.read().decode()
        st, ctype, body = get("GET", "/metrics")
        vals = {l.split()[0]: float(l.split()[1]) for l in body.splitlines() if l and not l.startswith("#")}
        want = {"manrs_monitor_alerts_raised_total": 1, "manrs_monitor_alerts_resolved_total": 1,
                "manrs_monitor_alerts_active": 0, "manrs_monitor_bmp_routers": 0, "manrs_monitor_bmp_peers_up": 0,
                "manrs_monitor_bmp_messages_total": 14}
        if st != 200 or not ctype.startswith("text/plain; version=0.0.4") or \
                any(vals.get(k) != v for k, v in want.items()) or "manrs_monitor_feed_lag_seconds" not in vals or \
                vals.get("manrs_monitor_route_events_total", 0) < 5:
            fail("/metrics: %s %s %s" % (st, ctype, vals))
        if "# TYPE manrs_monitor_alerts_raised_total counter" not in body:
            fail("/metrics: no TYPE lines")
        for method, path, code in (("GET", "/", 404), ("POST", "/metrics", 405), ("HEAD", "/metrics", 200)):
            if get(method, path)[0] != code:
                fail("/metrics: %s %s is not %d" % (method, path, code))
        raw = socket.create_connection(("127.0.0.1", mport), timeout=5)
        raw.sendall(b"garbage\r\n\r\n")
        if not raw.recv(100).startswith(b"HTTP/1.1 400"):
            fail("/metrics: garbage is not answered 400")
        raw.close()
        print("/metrics: scraped (%d series), 404/405/400 where due" % len(vals))
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    if p.returncode != 0:
        fail("monitor exited %s after SIGTERM" % p.returncode)


class Hook(http.server.BaseHTTPRequestHandler):
    posts = []
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/fail":
            self.send_response(500)
            self.end_headers()
            return
        with Hook.lock:
            Hook.posts.append((self.path, self.headers.get("Content-Type"), json.loads(body)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *a):
        pass


class Smtp(socketserver.StreamRequestHandler):
    mails = []
    lock = threading.Lock()

    def handle(self):
        w = lambda s: self.wfile.write(s.encode() + b"\r\n")
        w("220 localhost ESMTP test")
        rcpt, data = [], None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode().strip()
            up = cmd.upper()
            if up.startswith("EHLO") or up.startswith("HELO"):
                w("250 localhost")
            elif up.startswith("MAIL FROM"):
                w("250 ok")
            elif up.startswith("RCPT TO"):
                rcpt.append(cmd[8:].strip())
                w("250 ok")
            elif up == "DATA":
                w("354 go on")
                buf = []
                while True:
                    l = self.rfile.readline().decode()
                    if l in (".\r\n", ".\n", ""):
                        break
                    buf.append(l)
                with Smtp.lock:
                    Smtp.mails.append((rcpt, "".join(buf)))
                rcpt = []
                w("250 queued")
            elif up == "QUIT":
                w("221 bye")
                return
            else:
                w("250 ok")


def serve(server):
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    return server


def channels_case():
    world = os.path.join(TMP, "world")
    yml = os.path.join(TMP, "prefixes.yml")
    # half of the prefixes in group "noc"
    lines = open(yml).read().split("\n")
    out, k = [], 0
    for l in lines:
        out.append(l)
        if l.endswith(":") and not l.startswith(" "):
            k += 1
            if k % 2:
                out.append("  group: noc")
    yml2 = os.path.join(TMP, "prefixes-groups.yml")
    open(yml2, "w").write("\n".join(out))
    hs = serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook))
    smtp = serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Smtp))
    hp, sp = hs.server_address[1], smtp.server_address[1]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.settimeout(0.2)
    yp = udp.getsockname()[1]
    r = subprocess.run([MANRS, "monitor", "--config", yml2, "--mrt", os.path.join(world, "rib.mrt.gz"),
                        "--mrt", os.path.join(world, "updates.mrt.gz"), "--min-peers", "2",
                        "--webhook", "http://127.0.0.1:%d/all" % hp, "--webhook", "noc=http://127.0.0.1:%d/noc" % hp,
                        "--webhook", "http://127.0.0.1:%d/fail" % hp, "--smtp", "smtp://127.0.0.1:%d" % sp,
                        "--mail-from", "monitor@example.net", "--mail-to", "noc=noc@example.net",
                        "--syslog-server", "127.0.0.1:%d" % yp],
                       capture_output=True, text=True, timeout=300)
    hs.shutdown()
    smtp.shutdown()
    alerts = [json.loads(l) for l in r.stdout.splitlines()]
    noc = [a for a in alerts if a["group"] == "noc"]
    posts_all = [p for p in Hook.posts if p[0] == "/all"]
    posts_noc = [p for p in Hook.posts if p[0] == "/noc"]
    if [p[2]["alert"] for p in posts_all] != alerts:
        fail("webhook /all: %d posts for %d alerts (or not the same alerts)" % (len(posts_all), len(alerts)))
    if [p[2]["alert"] for p in posts_noc] != noc:
        fail("webhook noc=: %d posts for %d alerts of group noc" % (len(posts_noc), len(noc)))
    if any(p[1] != "application/json" or not p[2]["text"].startswith("manrs monitor: ") for p in Hook.posts):
        fail("webhook posts without Content-Type application/json or text")
    if len(Smtp.mails) != len(noc):
        fail("mail: %d mails for %d alerts of group noc" % (len(Smtp.mails), len(noc)))
    for (rcpt, m), a in zip(Smtp.mails, noc):
        subj = [l for l in m.splitlines() if l.startswith("Subject: ")]
        want = "Subject: [manrs monitor] %s%s %s AS%d" % ("resolved: " if a["resolved"] else "", a["type"], a["prefix"], a["asn"])
        if rcpt != ["<noc@example.net>"] or subj != [want] or a["description"] not in m:
            fail("mail %s / %s for alert %s" % (rcpt, subj, a))
            break
    want = "%d sent, %d failed" % (len(alerts) + 2 * len(noc), len(alerts))
    if want not in r.stderr or "webhook http://127.0.0.1:%d/fail: HTTP status 500" % hp not in r.stderr:
        fail("notification summary: want '%s': %s" % (want, r.stderr[-400:]))
    msgs = []
    while True:
        try:
            msgs.append(udp.recv(4096).decode())
        except socket.timeout:
            break
    udp.close()
    pat = re.compile(r"^<(28|29)>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \S+ manrs-monitor \d+ (\S+) - (resolved )?(\S+) (\S+) AS(\d+): (.*)$")
    got = []
    for m in msgs:
        x = pat.match(m)
        if not x:
            fail("syslog: not RFC 5424: %r" % m)
            break
        got.append((x.group(4), x.group(5), int(x.group(6)), bool(x.group(3)), x.group(1) == "29"))
    want = [(a["type"], a["prefix"], a["asn"], a["resolved"], a["resolved"]) for a in alerts]
    if got != want:
        fail("syslog: %d messages for %d alerts (or not the same)" % (len(got), len(want)))
    print("channels: %d alerts, %d webhook posts to /all, %d to noc=, %d mails, %d syslog messages (RFC 5424 over "
          "UDP), failing webhook counted" % (len(alerts), len(posts_all), len(posts_noc), len(Smtp.mails), len(got)))
    # --repeat: active alerts said again with "repeat": true, in feed time
    r = subprocess.run([MANRS, "monitor", "--config", yml, "--mrt", os.path.join(world, "rib.mrt.gz"),
                        "--mrt", os.path.join(world, "updates.mrt.gz"), "--repeat", "300"],
                       capture_output=True, text=True, timeout=300)
    al = [json.loads(l) for l in r.stdout.splitlines()]
    rep = [a for a in al if a.get("repeat")]
    if not rep:
        fail("--repeat 300: no repeated alert in an hour of feed")
    print("repeat: %d alerts said again over the hour" % len(rep))


class WsRis(socketserver.StreamRequestHandler):
    """A RIS Live WebSocket (RFC 6455) that replays messages: the first connection
    gets `first` and is closed, the next ones get `then` and stay open."""
    subs = []
    conns = 0
    first, then = [], []

    def frame(self):
        h = self.rfile.read(2)
        if len(h) < 2:
            return None
        n = h[1] & 0x7F
        if n == 126:
            n = struct.unpack("!H", self.rfile.read(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self.rfile.read(8))[0]
        mask = self.rfile.read(4) if h[1] & 0x80 else b"\0\0\0\0"
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(n)))
        return h[0] & 0x0F, data

    def send_text(self, text):
        b = text.encode()
        head = bytes([0x81]) + (bytes([len(b)]) if len(b) < 126 else bytes([126]) + struct.pack("!H", len(b)))
        self.wfile.write(head + b)
        self.wfile.flush()

    def handle(self):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        key = re.search(rb"Sec-WebSocket-Key: *(\S+)", head, re.I).group(1)
        acc = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
        self.wfile.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: " + acc + b"\r\n\r\n")
        self.wfile.flush()
        WsRis.conns += 1
        n = 0
        while n < 3:    # two subscriptions (the prefix, the AS) and the peer states
            f = self.frame()
            if f is None:
                return
            if f[0] == 1:
                WsRis.subs.append(json.loads(f[1]))
                n += 1
        for m in (WsRis.first if WsRis.conns == 1 else WsRis.then):
            self.send_text(m)
        if WsRis.conns == 1:
            self.wfile.write(bytes([0x88, 0]))      # close
            self.wfile.flush()
            return
        while self.frame() is not None:
            pass


def ris_msg(t, peer, path, ann=(), wd=()):
    d = {"timestamp": t, "peer": peer, "peer_asn": str(path[0]) if path else "64501", "id": "x", "host": "rrc00",
         "type": "UPDATE", "path": list(path), "origin": "IGP"}
    if ann:
        d["announcements"] = [{"next_hop": peer, "prefixes": list(ann)}]
    if wd:
        d["withdrawals"] = list(wd)
    return json.dumps({"type": "ris_message", "data": d})


def ws_case():
    yml = os.path.join(TMP, "ws.yml")
    with open(yml, "w") as f:
        f.write("198.51.100.0/24:\n  description: ours\n  asn: 64999\noptions:\n  monitorASns:\n    64999:\n")
    t = int(time.time())
    WsRis.first = [ris_msg(t, "192.0.2.1", [64501, 64496], ann=["198.51.100.0/24"]), "{not json"]
    WsRis.then = [ris_msg(t + 1, "192.0.2.1", [64501], wd=["198.51.100.0/24"])]
    srv = serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), WsRis))
    url = "ws://127.0.0.1:%d/v1/ws/?client=manrs-test" % srv.server_address[1]
    p = subprocess.Popen([MANRS, "monitor", "--config", yml, "--ris-live", url, "--min-peers", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        t0 = time.time()
        a = json.loads(p.stdout.readline())
        b = json.loads(p.stdout.readline())     # after the reconnection (1 s later)
        took = time.time() - t0
    finally:
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=20)
        srv.shutdown()
    if a["type"] != "hijack" or a["asn"] != 64496 or a["resolved"] or not b["resolved"]:
        fail("RIS Live WebSocket: alerts %s / %s" % (a, b))
    want_subs = [{"type": "ris_subscribe", "data": {"type": "UPDATE", "prefix": "198.51.100.0/24", "moreSpecific": True,
                                                   "socketOptions": {"includeRaw": True}}},
                 {"type": "ris_subscribe", "data": {"type": "UPDATE", "path": "64999$",
                                                   "socketOptions": {"includeRaw": True}}},
                 {"type": "ris_subscribe", "data": {"type": "RIS_PEER_STATE"}}]
    if WsRis.subs[:3] != want_subs or WsRis.subs[3:] != want_subs:
        fail("RIS Live WebSocket: subscriptions %s" % WsRis.subs)
    if "2 connections, 3 messages (1 malformed)" not in err:
        fail("RIS Live WebSocket: summary: %s" % err[-600:])
    if p.returncode not in (0, 1):
        fail("RIS Live WebSocket: monitor exited %s" % p.returncode)
    print("RIS Live WebSocket: subscribed, hijack alerted, reconnected after the server closed, resolved (%.1f s)" % took)


def rtr_case():
    """A ROA disappears at the RTR cache (manrs rtrd, its file rewritten): the
    monitor, following the cache over RTR, alerts that its own route held from a
    BMP router is no longer covered, and resolves when the ROA comes back."""
    d = TMP
    vrps = os.path.join(d, "rtr-vrps.json")
    roa = '{"roas":[{"prefix":"198.51.100.0/24","maxLength":24,"asn":"AS64496"},' \
          '{"prefix":"192.0.2.0/24","maxLength":24,"asn":"AS64511"}]}'
    noroa = '{"roas":[{"prefix":"192.0.2.0/24","maxLength":24,"asn":"AS64511"}]}'
    open(vrps, "w").write(roa)
    rpf, bpf = os.path.join(d, "rtrd.port"), os.path.join(d, "mon2.port")
    for f in (rpf, bpf):
        if os.path.exists(f):
            os.unlink(f)
    rtrd = subprocess.Popen([MANRS, "rtrd", "--vrps", vrps, "--listen", "127.0.0.1:0", "--port-file", rpf, "--poll", "1",
                             "--notify-interval", "0"], stderr=open(os.path.join(d, "rtrd.log"), "w"))
    procs = [rtrd]
    try:
        for _ in range(100):
            if os.path.exists(rpf) and open(rpf).read().strip():
                break
            time.sleep(0.1)
        yml = os.path.join(d, "rtr.yml")
        open(yml, "w").write("198.51.100.0/24:\n  description: ours\n  asn: 64496\n")
        mon = subprocess.Popen([MANRS, "monitor", "--config", yml, "--bmp-listen", "127.0.0.1:0", "--port-file", bpf,
                                "--rtr", "127.0.0.1:" + open(rpf).read().strip(), "--min-peers", "1"],
                               stdout=subprocess.PIPE, stderr=open(os.path.join(d, "mon2.log"), "w"), text=True)
        procs.append(mon)
        for _ in range(100):
            if os.path.exists(bpf) and open(bpf).read().strip():
                break
            time.sleep(0.1)
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(json.loads(l)) for l in mon.stdout], daemon=True).start()

        def next_rpki(limit):
            end = time.time() + limit
            while time.time() < end:
                try:
                    x = lines.get(timeout=max(0.1, end - time.time()))
                except queue.Empty:
                    break
                if x["type"] == "rpki":
                    return x
            return {"type": "none (no rpki alert in %d s)" % limit, "resolved": None}

        router = subprocess.Popen([sys.executable, os.path.join(SRC, "tests/oracle/bmp_wire.py"), "send",
                                   "127.0.0.1:" + open(bpf).read().strip(), "stream-hold"])
        procs.append(router)
        time.sleep(1.5)     # the documentation prefix also raises bogon alerts: not looked at here
        t0 = time.time()
        open(vrps + ".tmp", "w").write(noroa)
        os.rename(vrps + ".tmp", vrps)
        a = next_rpki(15)
        t1 = time.time()
        open(vrps + ".tmp", "w").write(roa)
        os.rename(vrps + ".tmp", vrps)
        b = next_rpki(15)
        if a["type"] != "rpki" or a["prefix"] != "198.51.100.0/24" or a["asn"] != 64496 or a["resolved"] or \
                "not covered" not in a["description"] or not b["resolved"] or b["type"] != "rpki":
            fail("RTR: alerts %s / %s" % (a, b))
        print("RTR: ROA withdrawn at the cache -> alert in %.1f s (rtrd polls its file every 1 s); back -> resolved"
              % (t1 - t0))
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    log = open(os.path.join(d, "mon2.log")).read()
    if "following 1 RTR cache" not in log or "RTR serial" not in log:
        fail("RTR: monitor log: %s" % log[-500:])


def follow_case():
    """MRT followed live: a directory where manrs bmpd rotates its files every 2 s,
    and a plain file that grows by half a record, then the rest."""
    sys.path.insert(0, os.path.join(SRC, "tests/oracle"))
    import bmp_wire
    d = os.path.join(TMP, "follow")
    os.makedirs(os.path.join(d, "bmp"), exist_ok=True)
    grow = os.path.join(d, "updates.mrt")
    open(grow, "wb").close()
    yml = os.path.join(d, "f.yml")
    open(yml, "w").write("198.51.100.0/24:\n  asn: 64999\n203.0.113.0/24:\n  asn: 64500\n")
    env = dict(os.environ, TZ="UTC")
    bpf = os.path.join(d, "bmpd.port")
    bmpd = subprocess.Popen([MANRS, "bmpd", "--mrt-out", os.path.join(d, "bmp", "u.%s"), "--rotate", "2",
                             "--listen", "127.0.0.1:0", "--port-file", bpf], env=env,
                            stderr=open(os.path.join(d, "bmpd.log"), "w"))
    mon = subprocess.Popen([MANRS, "monitor", "--config", yml, "--mrt-follow", os.path.join(d, "bmp"),
                            "--mrt-follow", grow, "--min-peers", "1"], stdout=subprocess.PIPE,
                           stderr=open(os.path.join(d, "mon.log"), "w"), text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(json.loads(l)) for l in mon.stdout], daemon=True).start()

    def wait_alert(pred, limit):
        end = time.time() + limit
        while time.time() < end:
            try:
                x = lines.get(timeout=max(0.05, end - time.time()))
            except queue.Empty:
                return None
            if pred(x):
                return x
        return None
    try:
        for _ in range(100):
            if os.path.exists(bpf) and open(bpf).read().strip():
                break
            time.sleep(0.1)
        time.sleep(0.5)
        t0 = time.time()
        subprocess.run([sys.executable, os.path.join(SRC, "tests/oracle/bmp_wire.py"), "send",
                        "127.0.0.1:" + open(bpf).read().strip(), "stream"], timeout=20)
        a = wait_alert(lambda x: x["type"] == "hijack" and x["prefix"] == "198.51.100.0/24", 8)
        if not a or a["asn"] != 64496:
            fail("--mrt-follow DIR: no hijack alert from bmpd's rotated file: %s" % a)
        else:
            print("--mrt-follow DIR: bmpd's file read when renamed, hijack alerted %.1f s after the router sent it"
                  % (time.time() - t0))
        # the growing file: half a BGP4MP_ET record, then the rest
        upd = bmp_wire.update(["203.0.113.0/24"], [64501, 64666], nh="192.0.2.9")
        body = struct.pack("!IIHH", 64501, 64500, 0, 1) + socket.inet_aton("192.0.2.9") + \
            socket.inet_aton("192.0.2.1") + upd
        rec = struct.pack("!IHHI", int(time.time()), 17, 4, len(body) + 4) + struct.pack("!I", 5) + body
        with open(grow, "ab") as f:
            f.write(rec[:30])
        if wait_alert(lambda x: x["prefix"] == "203.0.113.0/24", 0.8):
            fail("--mrt-follow FILE: an alert from half a record")
        t1 = time.time()
        with open(grow, "ab") as f:
            f.write(rec[30:])
        b = wait_alert(lambda x: x["type"] == "hijack" and x["prefix"] == "203.0.113.0/24", 3)
        if not b or b["asn"] != 64666 or b["evidence"]["source"] != grow or b["evidence"]["offset"] != 0:
            fail("--mrt-follow FILE: %s" % b)
        else:
            print("--mrt-follow FILE: the record completed, hijack alerted %.0f ms later (offset 0 as evidence)"
                  % ((time.time() - t1) * 1000))
    finally:
        for p in (mon, bmpd):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


sim_case(2)
sim_case(1)
bmp_case()
channels_case()
ws_case()
rtr_case()
follow_case()
sys.exit(1 if failures else 0)
