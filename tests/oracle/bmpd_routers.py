#!/usr/bin/env python3
"""bmpd_routers.py — `manrs bmpd` fed by real BMP exporters from Debian:

 gobgpd  A (AS 64512) exports BMP ("all": pre-policy, post-policy and Loc-RIB) to
         two stations, one writing Adj-RIB-In pre-policy, one Loc-RIB; its
         neighbour gobgpd B (AS 64513) announces IPv4 and IPv6 routes with
         ADD-PATH negotiated, withdraws one, then stops (Peer Down).
 FRR     bgpd -M bmp (AS 64512) exports pre- and post-policy of its session with
         gobgpd B to a third station.

What the stations wrote is read back with `manrs dump` and compared, field by
field (kind, peer, peer AS, prefix, AS path; path ids where ADD-PATH applies),
with what B announced. Everything on loopback (127.0.0.1 and 127.0.0.2), random
ports, bounded in time; every process started is stopped.

usage: bmpd_routers.py MANRS_BIN TMPDIR
"""
import os
import signal
import socket
import subprocess
import sys
import time

MANRS, TMP = sys.argv[1], sys.argv[2]
procs = []
failures = []


def fail(msg):
    print("FAIL: " + msg)
    failures.append(msg)


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def start(args, log):
    p = subprocess.Popen(args, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    procs.append(p)
    return p


def stop(p, timeout=10):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return p.returncode


def station(name, rib):
    d = os.path.join(TMP, name)
    os.makedirs(d, exist_ok=True)
    pf = os.path.join(TMP, name + ".port")
    p = start([MANRS, "bmpd", "--listen", "127.0.0.1:0", "--port-file", pf, "--mrt-out", d, "--rib", rib],
              os.path.join(TMP, name + ".log"))
    for _ in range(100):
        if os.path.exists(pf) and open(pf).read().strip():
            return p, int(open(pf).read()), d
        time.sleep(0.1)
    fail(name + ": bmpd did not start")
    return p, 1, d


def wait_for(cond, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.2)
    return False


def gobgp(api, *args):
    return subprocess.run(["gobgp", "-p", str(api)] + list(args), capture_output=True, text=True, timeout=20)


def established(api):
    return "Establ" in gobgp(api, "neighbor").stdout


def dump(d):
    files = sorted(os.path.join(d, f) for f in os.listdir(d))
    if not files or any(f.endswith(".part") for f in files):
        fail("%s: files %s" % (d, files))
        return []
    out = subprocess.run([MANRS, "dump"] + files, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        f = line.split("|")
        if f[2] == "STATE":
            rows.append(("STATE", f[3], f[4], f[5] + ">" + f[6]))
        elif f[0].endswith("_AP"):       # path id after the prefix
            rows.append((f[2], f[3], f[4], f[5], "id" if f[6] != "0" else "id0") + ((f[7],) if f[2] == "A" else ()))
        else:
            rows.append((f[2], f[3], f[4], f[5]) + ((f[6],) if f[2] == "A" else ()))
    return rows


B_CONF = """
[global.config]
  as = 64513
  router-id = "192.0.2.2"
  port = {bgpb}
  local-address-list = ["127.0.0.2"]
# gobgp and FRR drop an IPv4 next hop in 127/8 from an eBGP peer: B rewrites it
[global.apply-policy.config]
  export-policy-list = ["v4-nexthop"]
  default-export-policy = "accept-route"
[[defined-sets.prefix-sets]]
  prefix-set-name = "v4all"
  [[defined-sets.prefix-sets.prefix-list]]
    ip-prefix = "0.0.0.0/0"
    masklength-range = "0..32"
[[policy-definitions]]
  name = "v4-nexthop"
  [[policy-definitions.statements]]
    name = "s1"
    [policy-definitions.statements.conditions.match-prefix-set]
      prefix-set = "v4all"
      match-set-options = "any"
    [policy-definitions.statements.actions]
      route-disposition = "accept-route"
      [policy-definitions.statements.actions.bgp-actions]
        set-next-hop = "192.0.2.2"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.1"
    peer-as = 64512
  [neighbors.transport.config]
    {transport}
    local-address = "127.0.0.2"
  [neighbors.timers.config]
    connect-retry = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
    {addpath}
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
"""

A_CONF = """
[global.config]
  as = 64512
  router-id = "192.0.2.1"
  port = {bgpa}
  local-address-list = ["127.0.0.1"]
[[bmp-servers]]
  [bmp-servers.config]
    address = "127.0.0.1"
    port = {bmp1}
    route-monitoring-policy = "all"
[[bmp-servers]]
  [bmp-servers.config]
    address = "127.0.0.1"
    port = {bmp2}
    route-monitoring-policy = "all"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.2"
    peer-as = 64513
  [neighbors.transport.config]
    passive-mode = true
    local-address = "127.0.0.1"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
    [neighbors.afi-safis.add-paths.config]
      receive = true
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
"""

FRR_CONF = """frr defaults traditional
hostname frrA
log stdout informational
router bgp 64512
 bgp router-id 192.0.2.1
 no bgp ebgp-requires-policy
 neighbor 127.0.0.2 remote-as 64513
 neighbor 127.0.0.2 port {bgpb}
 neighbor 127.0.0.2 update-source 127.0.0.1
 neighbor 127.0.0.2 disable-connected-check
 neighbor 127.0.0.2 timers connect 1
 address-family ipv4 unicast
  neighbor 127.0.0.2 activate
  neighbor 127.0.0.2 soft-reconfiguration inbound
 exit-address-family
 address-family ipv6 unicast
  neighbor 127.0.0.2 activate
  neighbor 127.0.0.2 soft-reconfiguration inbound
 exit-address-family
 bmp targets manrs
  bmp monitor ipv4 unicast pre-policy
  bmp monitor ipv6 unicast pre-policy
  bmp connect 127.0.0.1 port {bmp} min-retry 100 max-retry 1000
 exit
exit
"""


def announce(api):
    for args in (["198.51.100.0/24", "-a", "ipv4"],
                 ["203.0.113.0/24", "aspath", "65010,65020", "community", "64513:100", "-a", "ipv4"],
                 ["2001:db8:2::/48", "aspath", "65030", "-a", "ipv6"]):
        r = gobgp(api, "global", "rib", "add", *args)
        if r.returncode:
            fail("gobgp rib add %s: %s" % (args[0], r.stderr.strip()))
    time.sleep(1.5)
    gobgp(api, "global", "rib", "del", "198.51.100.0/24", "-a", "ipv4")
    time.sleep(1.5)


def gobgp_case():
    (s1, p1, d1), (s2, p2, d2) = station("pre", "pre-policy"), station("loc", "loc-rib")
    bgpa, bgpb, apia, apib = free_ports(4)
    a_conf, b_conf = os.path.join(TMP, "a.toml"), os.path.join(TMP, "b.toml")
    open(a_conf, "w").write(A_CONF.format(bgpa=bgpa, bmp1=p1, bmp2=p2))
    open(b_conf, "w").write(B_CONF.format(bgpb=bgpb, transport="remote-port = %d" % bgpa,
                                          addpath="[neighbors.afi-safis.add-paths.config]\n      send-max = 8"))
    a = start(["gobgpd", "-f", a_conf, "--api-hosts", "127.0.0.1:%d" % apia, "--pprof-disable", "-p"],
              os.path.join(TMP, "gobgp-a.log"))
    b = start(["gobgpd", "-f", b_conf, "--api-hosts", "127.0.0.1:%d" % apib, "--pprof-disable", "-p"],
              os.path.join(TMP, "gobgp-b.log"))
    # gobgp's first connection waits 5-10 s by design
    if not wait_for(lambda: established(apia), 30):
        fail("gobgpd A and B did not establish in 30 s")
    announce(apib)
    stop(b)
    time.sleep(1.5)
    stop(a)
    time.sleep(0.5)
    for s in (s1, s2):
        if stop(s) != 0:
            fail("bmpd exited %s" % s.returncode)
    B = ("127.0.0.2", "64513")
    want_pre = [
        ("STATE",) + B + ("5>6",),
        ("A",) + B + ("198.51.100.0/24", "id", "64513"),
        ("A",) + B + ("203.0.113.0/24", "id", "64513 65010 65020"),
        ("A",) + B + ("2001:db8:2::/48", "64513 65030"),
        ("W",) + B + ("198.51.100.0/24", "id"),
        ("STATE",) + B + ("6>1",),
    ]
    got = dump(d1)
    if got != want_pre:
        fail("gobgpd pre-policy via bmpd:\n  want %s\n  got  %s" % (want_pre, got))
    # Loc-RIB: gobgp sends no Peer Up for it; the router's BGP Identifier is the peer
    R = ("192.0.2.1", "64512")
    want_loc = [
        ("A",) + R + ("198.51.100.0/24", "64513"),
        ("A",) + R + ("203.0.113.0/24", "64513 65010 65020"),
        ("A",) + R + ("2001:db8:2::/48", "64513 65030"),
        ("W",) + R + ("198.51.100.0/24",),
    ]
    got = [r for r in dump(d2) if r[0] != "W" or r[3] == "198.51.100.0/24"]
    if got[:4] != want_loc:
        fail("gobgpd loc-rib via bmpd:\n  want %s\n  got  %s" % (want_loc, got))
    log = open(os.path.join(TMP, "pre.log")).read()
    if "sysName" in log or "(GoBGP)" not in log:
        fail("the router's sysName is not in the log: " + log[-300:])
    print("gobgpd: pre-policy %d and loc-rib %d records as announced" % (len(want_pre), len(want_loc)))


def frr_case():
    bgpd = "/usr/lib/frr/bgpd"
    if not os.path.exists(bgpd):
        print("SKIP (frr): %s not found" % bgpd)
        return
    s, p, d = station("frr", "pre-policy")
    bgpb, apib = free_ports(2)
    b_conf, f_conf = os.path.join(TMP, "b2.toml"), os.path.join(TMP, "frr.conf")
    open(b_conf, "w").write(B_CONF.format(bgpb=bgpb, transport="passive-mode = true", addpath=""))
    open(f_conf, "w").write(FRR_CONF.format(bgpb=bgpb, bmp=p))
    vty = os.path.join(TMP, "vty")
    os.makedirs(vty, exist_ok=True)
    b = start(["gobgpd", "-f", b_conf, "--api-hosts", "127.0.0.1:%d" % apib, "--pprof-disable", "-p"],
              os.path.join(TMP, "gobgp-b2.log"))
    f = start([bgpd, "-M", "bmp", "-Z", "-n", "-S", "-p", "0", "-A", "127.0.0.1", "-P", "0", "-f", f_conf,
               "-i", os.path.join(TMP, "bgpd.pid"), "--vty_socket", vty], os.path.join(TMP, "frr.log"))
    if not wait_for(lambda: established(apib), 20):
        fail("FRR and gobgpd B did not establish in 20 s")
    announce(apib)
    stop(b)
    time.sleep(1.5)
    stop(f)
    time.sleep(0.5)
    if stop(s) != 0:
        fail("bmpd exited %s" % s.returncode)
    rows = dump(d)
    B = ("127.0.0.2", "64513")
    # FRR's pre-policy paths carry its own AS in front (FRR 8.4); the origin and prefix are B's
    ann = sorted((r[3], r[4].split()[-1]) for r in rows if r[0] == "A" and r[1:3] == B)
    want = sorted([("198.51.100.0/24", "64513"), ("203.0.113.0/24", "65020"), ("2001:db8:2::/48", "65030")])
    if sorted(set(ann)) != want:
        fail("FRR pre-policy announcements via bmpd: want %s, got %s" % (want, ann))
    if ("W",) + B + ("198.51.100.0/24",) not in rows:
        fail("FRR: the withdrawal is missing: %s" % rows)
    if ("STATE",) + B + ("5>6",) not in rows or ("STATE",) + B + ("6>1",) not in rows:
        fail("FRR: Peer Up / Peer Down missing: %s" % rows)
    print("FRR: %d records, announcements and withdrawal as made" % len(rows))


try:
    gobgp_case()
    frr_case()
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()
if failures:
    sys.exit(1)
