#!/usr/bin/env python3
"""rtrd_check.py MANRS TMPDIR [DATA] — `manrs rtrd` against oracles (tests/cli_rtrd.sh):

 1. the same VRPs served by StayRTR and by manrs rtrd reach rtrlib's rtrclient
    (RTR version 1) identically — the real AFRINIC export and a simulated world's;
 2. versions 0, 1 and 2 of this test's own client (tests/oracle/rtr_wire.py) get the
    same VRPs; version 2 gets the ASPAs in the PDU layout StayRTR sends (the same
    records from both servers, one PDU per address family);
 3. incremental updates: after a file change rtrclient (-p) prints exactly the
    added and withdrawn VRPs; a Serial Query from an older serial gets the
    delta, one from an unknown serial or session a Cache Reset; SIGHUP with a
    broken file keeps the data served;
 4. version negotiation: version 3 gets "Unsupported Protocol Version" in a
    version 2 Error Report; another version inside a session "Unexpected Protocol
    Version"; garbage, wrong lengths, a PDU that is not a query: an Error Report,
    the session closed, a log line naming the peer and the byte offset;
 5. hostile clients (a non-reader on a large table, a half PDU, a silent client)
    are closed after --timeout while a good client is served in full;
 6. 1000 concurrent routers each receive the whole table; the server's peak RSS
    grows by less than 64 MiB.
Prints ok/FAIL lines; exits 1 on any failure."""
import csv
import json
import os
import re
import resource
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtr_wire as rw  # noqa: E402

manrs, tmp = sys.argv[1], sys.argv[2]
data = sys.argv[3] if len(sys.argv) > 3 else ""
fails = 0
procs = []
rtrds = []


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        fails += 1


def wait_port(pf, proc, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(pf) and open(pf).read().strip():
            return int(open(pf).read())
        if proc.poll() is not None:
            return None
        time.sleep(0.05)
    return None


def rtrd(name, files, *extra):
    pf = os.path.join(tmp, name + ".port")
    if os.path.exists(pf):
        os.unlink(pf)
    log = open(os.path.join(tmp, name + ".log"), "w")
    args = [manrs, "rtrd", "--listen", "127.0.0.1:0", "--port-file", pf]
    for f in files:
        args += ["--vrps", f]
    p = subprocess.Popen(args + list(extra), stderr=log)
    procs.append(p)
    rtrds.append((name, p))
    port = wait_port(pf, p)
    if port is None:
        print(open(os.path.join(tmp, name + ".log")).read())
    return p, port


def stayrtr(name, cache, protocol=2, *extra):
    """StayRTR serving cache (more options in extra), once it accepts connections."""
    if not shutil.which("stayrtr"):
        return None, None
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    m = socket.socket()
    m.bind(("127.0.0.1", 0))
    mport = m.getsockname()[1]
    s.close()
    m.close()
    log = open(os.path.join(tmp, name + ".log"), "w")
    p = subprocess.Popen(["stayrtr", "-cache", cache, "-bind", "127.0.0.1:%d" % port, "-checktime=false",
                          "-metrics.addr", "127.0.0.1:%d" % mport, "-protocol", str(protocol)] + list(extra),
                         stdout=log, stderr=log)
    procs.append(p)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return p, port
        except OSError:
            time.sleep(0.1)
    return p, None


def rtrclient_export(port):
    """rtrlib's table after its sync (version 1), as a set of (prefix, maxlen, asn)."""
    try:
        out = subprocess.run(["rtrclient", "-e", "-t", "csv", "tcp", "127.0.0.1", str(port)], capture_output=True,
                             text=True, timeout=60).stdout
    except subprocess.TimeoutExpired:
        return None
    got = set()
    for line in out.splitlines():
        f = [x.strip() for x in line.split(",")]
        if len(f) == 4 and f[1].isdigit():
            got.add((str(__import__("ipaddress").ip_network("%s/%s" % (f[0], f[1]))), int(f[2]), int(f[3])))
    return got


def vrm(pid):
    try:
        for line in open("/proc/%d/status" % pid):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def log_of(name):
    return open(os.path.join(tmp, name + ".log")).read()


try:
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
except (ValueError, OSError):
    pass

# ---------------------------------------------------------------- inputs
world = os.path.join(tmp, "w")
subprocess.run([manrs, "sim", "--out", world, "--ases", "400", "--seed", "9", "--quiet"], check=True,
               stdout=subprocess.DEVNULL)
wj = json.load(open(os.path.join(world, "vrps.json")))
wvrps = {(str(__import__("ipaddress").ip_network(r["prefix"])), int(r["maxLength"]),
          int(str(r["asn"]).replace("AS", ""))) for r in wj["roas"]}
waspas = {}
for a in wj.get("aspas", []):
    waspas.setdefault(int(a["customer_asid"]), set()).update(int(p) for p in a["providers"])
check(len(waspas) > 10, "the simulated world has ASPAs (%d) and VRPs (%d)" % (len(waspas), len(wvrps)))
# the same data in StayRTR 0.5's format (8210bis-10: ASPAs per address family)
sj = os.path.join(tmp, "world-stayrtr.json")
json.dump({"roas": [{"prefix": p, "maxLength": m, "asn": "AS%d" % a} for p, m, a in sorted(wvrps)],
           "provider_authorizations": {
               fam: [{"customer_asid": c, "providers": sorted(ps)} for c, ps in sorted(waspas.items())]
               for fam in ("ipv4", "ipv6")}}, open(sj, "w"))
real = os.path.join(data, "rpki", "roas.csv") if data else ""
realj = None
if real and os.path.exists(real):
    rows = list(csv.DictReader(open(real)))
    realv = {(str(__import__("ipaddress").ip_network(r["IP Prefix"])), int(r["Max Length"]),
              int(r["ASN"].replace("AS", ""))) for r in rows}
    realj = os.path.join(tmp, "real-stayrtr.json")
    json.dump({"roas": [{"prefix": p, "maxLength": m, "asn": "AS%d" % a} for p, m, a in sorted(realv)]},
              open(realj, "w"))
else:
    print("note: %s not found: the real-export comparison is skipped" % real)

# ---------------------------------------------------------------- 1, 2
m, mport = rtrd("m1", [os.path.join(world, "vrps.json")])
check(mport is not None, "rtrd serves the simulated world")
s, sport = stayrtr("s1", sj)
have_rtrclient = shutil.which("rtrclient") is not None
if mport:
    v0, a0, e0, _ = rw.fetch(mport, 0)
    v1, a1, e1, _ = rw.fetch(mport, 1)
    v2, a2, e2, _ = rw.fetch(mport, 2)
    check(v0 == wvrps and v1 == wvrps and v2 == wvrps, "versions 0, 1, 2 get the file's %d VRPs" % len(wvrps))
    check(not a0 and not a1, "no ASPA PDU below version 2")
    want = {(c, afi, tuple(sorted(ps))) for c, ps in waspas.items() for afi in (0, 1)}
    check(a2 == want, "version 2 gets every ASPA once per address family (%d PDUs)" % len(want))
    check(e0 and e0["length"] == 12 and e1 and e1["length"] == 24 and e1["refresh"] == 3600 and e1["expire"] == 7200,
          "End of Data: 12 bytes in version 0, 24 with the intervals in version 1")
    if have_rtrclient:
        got = rtrclient_export(mport)
        check(got == wvrps, "rtrclient (rtrlib, version 1) holds the %d VRPs from manrs rtrd" % len(wvrps))
    if sport:
        sv2, sa2, se2, _ = rw.fetch(sport, 2)
        check(sv2 == v2, "StayRTR and manrs rtrd serve the same VRPs in version 2")
        check(sa2 == a2, "StayRTR and manrs rtrd send the same ASPA PDUs (customer, AFI, providers)")
        if have_rtrclient:
            check(rtrclient_export(sport) == rtrclient_export(mport), "rtrclient gets the same table from both")
if realj:
    mr, mrport = rtrd("m-real", [real])
    sr, srport = stayrtr("s-real", realj)
    if mrport and srport and have_rtrclient:
        a, b = rtrclient_export(mrport), rtrclient_export(srport)
        check(a is not None and a == b and len(a) == len(realv),
              "the real AFRINIC export (%d VRPs): rtrclient's table from manrs rtrd == from StayRTR" % len(realv))
    for p in (mr, sr):
        if p:
            p.terminate()
if s:
    s.terminate()

# ---------------------------------------------------------------- SLURM (RFC 8416)
# filters by prefix, by origin and by both, and assertions: the same table as
# StayRTR -slurm serves from the same VRPs
some = sorted(wvrps)
p4 = [v for v in some if ":" not in v[0]]
asn_gone = p4[len(p4) // 2][2]
covering = __import__("ipaddress").ip_network(p4[len(p4) // 3][0]).supernet(new_prefix=8)
both = p4[len(p4) // 4]
slurm = {"slurmVersion": 1,
         "validationOutputFilters": {"prefixFilters": [
             {"prefix": str(covering), "comment": "all of a /8"},
             {"asn": asn_gone},
             {"prefix": both[0], "asn": both[2]}], "bgpsecFilters": []},
         "locallyAddedAssertions": {"prefixAssertions": [
             {"asn": 64496, "prefix": "198.51.100.0/24", "comment": "lab"},
             {"asn": 64497, "prefix": "2001:db8::/32", "maxPrefixLength": 48}], "bgpsecAssertions": []}}
sf = os.path.join(tmp, "slurm.json")
json.dump(slurm, open(sf, "w"))
net = __import__("ipaddress").ip_network
want_s = {v for v in wvrps if not (net(v[0]).subnet_of(covering) if net(v[0]).version == 4 else False)
          and v[2] != asn_gone and not (v[0] == both[0] and v[2] == both[2])}
want_s |= {("198.51.100.0/24", 24, 64496), ("2001:db8::/32", 48, 64497)}
mp, mport = rtrd("slurm", [os.path.join(world, "vrps.json")], "--slurm", sf)
if mport:
    v, _, e, _ = rw.fetch(mport, 1)
    check(v == want_s, "--slurm: filters by prefix, origin and both, then assertions (%d VRPs of %d)"
          % (len(want_s), len(wvrps)))
    st, sp2 = stayrtr("s-slurm", sj, 1, "-slurm", sf)
    if sp2:
        sv_, _, se, _ = rw.fetch(sp2, 1)
        check(se is not None and sv_ == v, "StayRTR -slurm serves the same table (%d VRPs)" % len(sv_))
        st.terminate()
    mp.terminate()
bad_slurm = os.path.join(tmp, "bad-slurm.json")
json.dump(dict(slurm, slurmVersion=2), open(bad_slurm, "w"))
r = subprocess.run([manrs, "rtrd", "--vrps", os.path.join(world, "vrps.json"), "--slurm", bad_slurm, "--listen",
                    "127.0.0.1:0"], capture_output=True, text=True, timeout=30)
check(r.returncode == 1 and "slurmVersion must be 1" in r.stderr, "an invalid SLURM file: not used, exit 1")

# ---------------------------------------------------------------- 3: changes
live = os.path.join(tmp, "live.json")
base = {"roas": [{"prefix": "192.0.2.0/24", "maxLength": 24, "asn": "AS64500"},
                 {"prefix": "198.51.100.0/24", "maxLength": 24, "asn": "AS64501"},
                 {"prefix": "2001:db8::/32", "maxLength": 48, "asn": "AS64502"}],
        "aspas": [{"customer_asid": 64500, "providers": [64510, 64511]}]}
json.dump(base, open(live, "w"))
lp, lport = rtrd("live", [live], "--poll", "1", "--notify-interval", "0", "--timeout", "3")
check(lport is not None, "rtrd on a file that changes")
if lport:
    _, _, eod, pdus = rw.fetch(lport, 2)
    session, serial0 = pdus[0]["field"], eod["serial"]
    watcher = None
    if have_rtrclient:
        watcher = subprocess.Popen(["stdbuf", "-oL", "rtrclient", "-p", "tcp", "127.0.0.1", str(lport)],
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        procs.append(watcher)
        time.sleep(1.5)
    # a router that stays connected gets the Serial Notify
    st = rw.connect(lport)
    st.sendall(rw.reset_query(2))
    rw.response(st)
    time.sleep(1.1)
    changed = dict(base)
    changed["roas"] = base["roas"][1:] + [{"prefix": "203.0.113.0/24", "maxLength": 24, "asn": "AS64503"}]
    changed["aspas"] = [{"customer_asid": 64500, "providers": [64510, 64512]}]
    json.dump(changed, open(live + ".tmp", "w"))
    os.rename(live + ".tmp", live)
    n = rw.read_pdu(st, time.time() + 10)
    check(n is not None and n["type"] == "serial-notify" and n["serial"] == serial0 + 1 and n["field"] == session,
          "a connected router gets Serial Notify with the new serial after the file changed")
    st.sendall(rw.serial_query(2, session, serial0))
    d, ok = rw.response(st)
    ann = {p["vrp"] for p in d if "vrp" in p and p["flags"] == 1}
    wd = {p["vrp"] for p in d if "vrp" in p and p["flags"] == 0}
    aw = {p["aspa"] for p in d if "aspa" in p and p["flags"] == 0}
    aa = {p["aspa"] for p in d if "aspa" in p and p["flags"] == 1}
    check(ok and ann == {("203.0.113.0/24", 24, 64503)} and wd == {("192.0.2.0/24", 24, 64500)},
          "Serial Query from the old serial: one VRP withdrawn, one announced")
    check(aw == {(64500, 0, (64510, 64511)), (64500, 1, (64510, 64511))} and
          aa == {(64500, 0, (64510, 64512)), (64500, 1, (64510, 64512))},
          "a changed ASPA: the old record withdrawn, the new one announced (both families)")
    order = [p["type"] for p in d]
    check(order[0] == "cache-response" and order[-1] == "end-of-data" and d[-1]["serial"] == serial0 + 1,
          "the delta is framed by Cache Response and End of Data with the new serial")
    st.sendall(rw.serial_query(2, session, serial0 + 1))
    d, ok = rw.response(st)
    check(ok and [p["type"] for p in d] == ["cache-response", "end-of-data"], "an up-to-date router gets no records")
    st.sendall(rw.serial_query(2, session, serial0 + 77))
    d, ok = rw.response(st)
    check(ok and [p["type"] for p in d] == ["cache-reset"], "an unknown serial gets Cache Reset")
    st.sendall(rw.serial_query(2, (session + 1) & 0xffff, serial0))
    d, ok = rw.response(st)
    check(ok and [p["type"] for p in d] == ["cache-reset"], "another session id gets Cache Reset")
    st.close()
    if watcher:
        time.sleep(1.5)
        watcher.terminate()
        out = watcher.communicate(timeout=10)[0]
        plus = re.findall(r"^\+\s+(\S+)\s+(\d+)\s+-\s+(\d+)\s+(\d+)", out, re.M)
        minus = re.findall(r"^-\s+(\S+)\s+(\d+)\s+-\s+(\d+)\s+(\d+)", out, re.M)
        check(("203.0.113.0", "24", "24", "64503") in plus and ("192.0.2.0", "24", "24", "64500") in minus and
              len(minus) == 1, "rtrclient -p follows the change: +203.0.113.0/24, -192.0.2.0/24 (%d +, %d -)"
              % (len(plus), len(minus)))
    # a cache fed by this one (--rtr upstream) serves the same table and follows it over
    # an RTR session kept open: the upstream's Serial Notify, not polling (--poll 3600),
    # brings the change; its routers get it with Serial Notify
    dp, dport = rtrd("downstream", [], "--rtr", "127.0.0.1:%d" % lport, "--poll", "3600", "--notify-interval", "0")
    if dport:
        v_up, a_up, _, _ = rw.fetch(lport, 2)
        v_dn, a_dn, e_dn, _ = rw.fetch(dport, 2)
        check(v_dn == v_up and a_dn == a_up, "rtrd --rtr upstream: the same VRPs and ASPAs as the upstream cache")
        sd = rw.connect(dport)
        sd.sendall(rw.reset_query(2))
        rw.response(sd)
        json.dump(base, open(live + ".tmp", "w"))   # back to the first version
        os.rename(live + ".tmp", live)
        t0 = time.time()
        n = rw.read_pdu(sd, time.time() + 10)
        check(n is not None and n["type"] == "serial-notify" and n["serial"] == e_dn["serial"] + 1,
              "the downstream cache follows the upstream's change over RTR (no polling) and notifies its "
              "routers, %.1f s after the upstream's file changed" % (time.time() - t0))
        sd.close()
        v_dn2, _, _, _ = rw.fetch(dport, 2)
        v_up2, _, _, _ = rw.fetch(lport, 2)
        check(v_dn2 == v_up2 and v_dn2 != v_dn, "after the change both serve the new table")
        dp.terminate()
        serial0 += 1   # the upstream went on to serial0 + 2 and back: what follows counts from its serial
        json.dump(changed, open(live + ".tmp", "w"))
        os.rename(live + ".tmp", live)
        time.sleep(1.5)
        serial0 += 1
    # a broken file on SIGHUP: the data stays
    open(live, "w").write('{"roas": [ {"prefix": ')
    lp.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    v, _, e, _ = rw.fetch(lport, 1)
    check(e is not None and e["serial"] == serial0 + 1 and len(v) == 3,
          "SIGHUP with a damaged file: still serving serial %d" % (serial0 + 1))
    check("reload (SIGHUP) failed" in log_of("live"), "the failed reload is logged")

    # ------------------------------------------------------------ 4: versions, bad input
    def one(payload, timeout=5):
        s = rw.connect(lport)
        s.sendall(payload)
        p = rw.read_pdu(s, time.time() + timeout)
        closed = rw.read_pdu(s, time.time() + timeout) is None
        s.close()
        return p, closed

    p, closed = one(struct.pack(">BBHI", 3, 2, 0, 8))
    check(p and p["type"] == "error-report" and p["code"] == 4 and p["version"] == 2 and closed,
          "version 3: Error Report 'Unsupported Protocol Version' in version 2, session closed")
    p, closed = one(rw.reset_query(1) + rw.serial_query(0, session, 1))
    check(p and p["type"] == "cache-response", "version 1 session starts")
    s = rw.connect(lport)
    s.sendall(rw.reset_query(1))
    rw.response(s)
    s.sendall(rw.reset_query(0))
    p = rw.read_pdu(s, time.time() + 5)
    check(p and p["type"] == "error-report" and p["code"] == 8, "version 0 PDU in a version 1 session: code 8")
    s.close()
    p, closed = one(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    check(p and p["type"] == "error-report" and p["code"] == 0 and closed, "garbage: Corrupt Data, closed")
    p, closed = one(struct.pack(">BBHI", 1, 2, 0, 9) + b"\0")
    check(p and p["type"] == "error-report" and p["code"] == 0 and closed, "Reset Query of 9 bytes: Corrupt Data")
    p, closed = one(struct.pack(">BBHI", 1, 3, 0, 8))
    check(p and p["type"] == "error-report" and p["code"] == 3 and closed, "a Cache Response from a router: code 3")
    p, closed = one(struct.pack(">BBHI", 1, 11, 0, 16) + b"\0" * 8)
    check(p and p["type"] == "error-report" and p["code"] == 5, "an ASPA PDU in version 1: Unsupported PDU Type")
    p, closed = one(struct.pack(">BBHI", 1, 2, 0, 0x7fffffff))
    check(p and p["type"] == "error-report" and p["code"] == 0 and closed, "a 2 GB PDU length: Corrupt Data")
    time.sleep(0.2)
    check(re.search(r"127\.0\.0\.1:\d+: offset 0: Corrupt Data", log_of("live")) is not None,
          "bad input is logged with the peer and the byte offset")

    # ------------------------------------------------------------ 5: hostile clients
    half = rw.connect(lport)
    half.sendall(b"\x01\x02\x00")
    silent = rw.connect(lport)
    t0 = time.time()
    v, _, e, _ = rw.fetch(lport, 1)
    check(e is not None and len(v) == 3, "a good router is served while a half PDU and a silent client wait")
    closed = [rw.read_pdu(x, time.time() + 8) is None for x in (half, silent)]
    check(all(closed) and time.time() - t0 < 8, "half PDU and silent client closed after --timeout 3 s")
    half.close()
    silent.close()
    time.sleep(0.3)
    check("PDU unfinished after 3 s" in log_of("live") and "no query after 3 s" in log_of("live"),
          "both logged")
if lp:
    lp.terminate()

# a non-reader on a large table is cut off; a router asking meanwhile gets everything
big = os.path.join(tmp, "big.json")
json.dump({"roas": [{"prefix": "10.%d.%d.0/24" % (i >> 8, i & 255), "maxLength": 24, "asn": 64496 + i % 1000}
                    for i in range(65536)] +
                   [{"prefix": "2001:db8:%x::/48" % i, "maxLength": 48, "asn": 65000} for i in range(60000)]},
          open(big, "w"))
bp, bport = rtrd("big", [big], "--timeout", "3")
if bport:
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.connect(("127.0.0.1", bport))
    slow.sendall(rw.reset_query(1))
    time.sleep(0.5)
    v, _, e, _ = rw.fetch(bport, 1)
    check(e is not None and len(v) == 125536, "a router gets all 125536 VRPs while another does not read")
    time.sleep(4.5)
    check("not reading for 3 s with data due, closed" in log_of("big"), "the non-reader is closed after 3 s")
    slow.close()

    bp.terminate()

# ---------------------------------------------------------------- 6: 1000 routers
# each reads the simulated world's table (version 1: Cache Response, the prefixes,
# End of Data of 24 bytes); counted in bytes, the last PDU checked
wp, wport = rtrd("many", [os.path.join(world, "vrps.json")])
if wport:
    want_bytes = 8 + sum(32 if ":" in p else 20 for p, _, _ in wvrps) + 24
    rss0 = vrm(wp.pid)
    N = 1000
    wall, complete = rw.many_routers(wport, N, want_bytes, timeout=180)
    rss1 = vrm(wp.pid)
    print("     1000 routers x %d bytes: %.1f s, server peak RSS %d -> %d MiB"
          % (want_bytes, wall, rss0 >> 10, rss1 >> 10))
    check(complete == N, "1000 concurrent routers each receive the whole table up to End of Data (%d)" % complete)
    check(rss1 - rss0 < 64 << 10, "the server's peak RSS grew by %d MiB (< 64)" % ((rss1 - rss0) >> 10))
    time.sleep(0.3)
    v, _, e, _ = rw.fetch(wport, 2)
    check(e is not None and v == wvrps, "still serving afterwards")
    wp.terminate()

# ---------------------------------------------------------------- 7: the client
# `--rtr HOST:PORT` wherever --vrps is accepted: the verdicts equal those from the file
# routes: a sample of the RIB and every announcement of the updates (the incidents)
rib = subprocess.run([manrs, "dump", "-m", os.path.join(world, "rib.mrt.gz")], capture_output=True,
                     text=True).stdout.splitlines()
upd = subprocess.run([manrs, "dump", "-m", os.path.join(world, "updates.mrt.gz")], capture_output=True,
                     text=True).stdout.splitlines()
routes = "\n".join(rib[::max(1, len(rib) // 3000)] + [x for x in upd if "|A|" in x]) + "\n"


def validate(*kb):
    """validate --json's verdicts; the VRPs' trust anchors left out (RTR does not carry them)."""
    r = subprocess.run([manrs, "validate", "--json"] + list(kb), input=routes, capture_output=True, text=True)
    out = []
    for line in r.stdout.splitlines():
        o = json.loads(line)
        for k in ("vrps_matching", "vrps_covering"):
            for v in o.get(k) or []:
                v.pop("ta", None)
        out.append(json.dumps(o, sort_keys=True))
    return r.returncode, "\n".join(out), r.stderr


rc0, want_v, err0 = validate("--vrps", os.path.join(world, "vrps.json"))
check(rc0 == 0 and want_v.count("\n") > 1000 and '"aspa": "invalid"' in want_v,
      "validate --vrps on %d routes of the world (%d ASPA-invalid)" % (want_v.count("\n"), want_v.count('"aspa": "invalid"')))
cp, cport = rtrd("client", [os.path.join(world, "vrps.json")])
if cport:
    rc, got, err = validate("--rtr", "127.0.0.1:%d" % cport)
    check(rc == 0 and got == want_v, "validate --rtr manrs-rtrd (version 2): the same verdicts as --vrps, ASPA included")
for proto in (2, 1, 0):
    st, sp = stayrtr("s-client%d" % proto, sj, proto)
    if not sp:
        break
    rc, got, err = validate("--rtr", "127.0.0.1:%d" % sp)
    if proto == 2:
        check(rc == 0 and got == want_v, "validate --rtr StayRTR version 2: the same verdicts, ASPA included")
    else:
        # below version 2 there is no ASPA: the ROV verdicts must agree, ASPA is unknown
        a = [json.loads(x) for x in want_v.splitlines()]
        b = [json.loads(x) for x in got.splitlines()] if rc == 0 else []
        same = len(a) == len(b) and all(x["rov"] == y["rov"] for x, y in zip(a, b))
        check(same and all(y.get("aspa") in (None, "unknown") for y in b),
              "validate --rtr StayRTR -protocol %d: the client downgrades; ROV verdicts equal, no ASPA" % proto)
    st.terminate()

# observe: the world's files with --rtr instead of --vrps find the same incidents
if cport:
    base = [manrs, "observe", "--no-db", "--quiet", "--asrel-ipv6"]
    for opt, f in (("--rib", "rib.mrt.gz"), ("--updates", "updates.mrt.gz"), ("--irr", "irr.db"),
                   ("--asrel", "asrel.txt"), ("--as2org", "as2org.txt"), ("--beacons", "beacons.txt")):
        base += [opt, os.path.join(world, f)]
    a = subprocess.run(base + ["--vrps", os.path.join(world, "vrps.json"), "--json", "-"], capture_output=True,
                       text=True)
    b = subprocess.run(base + ["--rtr", "127.0.0.1:%d" % cport, "--json", "-"], capture_output=True, text=True)
    ia = json.loads(a.stdout)["incidents"] if a.returncode == 0 else None
    ib = json.loads(b.stdout)["incidents"] if b.returncode == 0 else None
    check(ia is not None and ia == ib and any(i["class"] == "rpki-invalid" for i in ia),
          "observe --rtr finds the same %s incidents as observe --vrps" % (len(ia) if ia else "?"))
    cp.terminate()

# a cache that misbehaves: the fetch fails with the byte offset, nothing is half-loaded


def fake_cache(payload, close=True):
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(4)
    port = ls.getsockname()[1]

    def serve():
        for _ in range(3):
            try:
                c, _ = ls.accept()
            except OSError:
                return
            c.recv(64)
            c.sendall(payload)
            if close:
                c.close()
        ls.close()
    import threading
    threading.Thread(target=serve, daemon=True).start()
    return port


good = struct.pack(">BBHI", 2, 3, 7, 8) + struct.pack(">BBHI", 2, 4, 0, 20) + bytes([1, 24, 24, 0, 192, 0, 2, 0]) \
    + struct.pack(">I", 64500)
for what, payload, msg in [("garbage", good + b"\x02\x04\x00\x00\x00\x00\x00\x05", "offset 28: Corrupt Data"),
                           ("cut short", good, "offset 28: the cache closed the session before End of Data"),
                           ("a withdrawal", struct.pack(">BBHI", 2, 3, 7, 8) + struct.pack(">BBHI", 2, 4, 0, 20)
                            + bytes([0, 24, 24, 0, 192, 0, 2, 0]) + struct.pack(">I", 64500),
                            "offset 8: a withdrawal in the answer to a Reset Query")]:
    fp = fake_cache(payload)
    rc, got, err = validate("--rtr", "127.0.0.1:%d" % fp)
    check(rc == 2 and msg in err and got == "", "a cache sending %s: validate fails naming rtr://...: %s" % (what, msg))

for p in procs:
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
# every rtrd stopped on SIGTERM, cleanly (under the sanitizers: no leak, no error)
bad = [(n, p.returncode) for n, p in rtrds if p.returncode != 0 or "sessions," not in log_of(n)]
check(not bad, "every rtrd stopped cleanly on SIGTERM with its summary line %s" % (bad or ""))
sys.exit(1 if fails else 0)
