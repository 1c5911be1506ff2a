#!/usr/bin/env python3
"""fetch_check.py — `manrs fetch` against a local HTTP server that mirrors the
sources' directory layouts with small files (no outside network exists here):

 - every file of a window (RIS RIB + updates, RouteViews RIB + updates of two
   collectors, CAIDA as-rel) lands at its mirrored path, byte for byte;
 - a 404, a body cut short of its Content-Length, a server that stalls: each an
   error naming the URL, exit 1, the complete files kept, the cut one's .part kept;
 - the next run resumes the .part with a Range request and completes it, fetches
   nothing already there, exits 0;
 - a server that ignores Range (answers 200 with the whole file): the file is
   still right;
 - --dry-run lists URL and path, fetches nothing;
 - the current kinds irr (RIPE split dumps, RADB, ARIN: three hosts under one
   replaced base) and spoofer land at their public paths; delegated is checked
   against the NAME.md5 files the RIRs publish (BSD, md5sum and bare forms): a
   wrong digest sets the file apart as NAME.bad with an error naming the URL and
   both digests, the right one passes; --checksums asks it of other kinds: a list
   .md5 naming several files, a .md5 that is not there (said once per kind, not an
   error), a .md5 that fails (the file kept as .part, verified by the next run
   when the server answers its Range with 416). The digests are Python's hashlib.

usage: fetch_check.py MANRS_BIN TMPDIR
"""
import hashlib
import http.server
import os
import subprocess
import sys
import threading
import time

MANRS, TMP = sys.argv[1], sys.argv[2]
failures = []


def fail(msg):
    print("FAIL: " + msg)
    failures.append(msg)


FILES = {}          # URL path -> bytes
BEHAVIOUR = {}      # URL path -> "404", "500", "cut", "stall", "norange"
RANGES = []         # Range headers seen


class Mirror(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = self.path
        b = BEHAVIOUR.get(path)
        data = FILES.get(path)
        if b == "500":
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if data is None or b == "404":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        rng = self.headers.get("Range")
        if rng:
            RANGES.append((path, rng))
        start = 0
        if rng and b != "norange" and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if b == "cut":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if b == "stall":
            self.wfile.write(body[:10])
            self.wfile.flush()
            time.sleep(8)
            return
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def content(name):
    return hashlib.sha256(name.encode()).digest() * (200 + len(name))


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    ris = ["/ris/rrc00/2024.01/bview.20240101.0000.gz"] + \
          ["/ris/rrc00/2024.01/updates.20240101.%04d.gz" % m for m in (0, 5, 10)]
    rv = ["/rv/bgpdata/2024.01/RIBS/rib.20240101.0000.bz2", "/rv/bgpdata/2024.01/UPDATES/updates.20240101.0000.bz2",
          "/rv/route-views.linx/bgpdata/2024.01/RIBS/rib.20240101.0000.bz2",
          "/rv/route-views.linx/bgpdata/2024.01/UPDATES/updates.20240101.0000.bz2"]
    caida = ["/caida/20240101.as-rel.txt.bz2"]
    for p in ris + rv + caida:
        FILES[p] = content(p)
    out = os.path.join(TMP, "cache")
    args = [MANRS, "fetch", "--out", out, "--from", "2024-01-01T00:00:00Z", "--to", "2024-01-01T00:10:00Z",
            "--base-url", "ris-rib=%s/ris" % base, "--base-url", "ris-updates=%s/ris" % base,
            "--base-url", "rv-rib=%s/rv" % base, "--base-url", "rv-updates=%s/rv" % base,
            "--base-url", "as-rel=%s/caida" % base, "--routeviews", "route-views2", "--routeviews", "route-views.linx",
            "--stall", "2", "-q", "ris-rib", "ris-updates", "rv-rib", "rv-updates", "as-rel"]

    def local(urlpath):
        if urlpath.startswith("/ris/"):
            return os.path.join(out, "data.ris.ripe.net", urlpath[5:])
        if urlpath.startswith("/rv/"):
            return os.path.join(out, "archive.routeviews.org", urlpath[4:])
        return os.path.join(out, "publicdata.caida.org/datasets/as-relationships/serial-1", urlpath[7:])

    # dry run
    r = subprocess.run(args + ["--dry-run"], capture_output=True, text=True, timeout=30)
    want = sorted(base + p + " " + local(p) for p in ris + rv + caida)
    if r.returncode != 0 or sorted(r.stdout.splitlines()) != want:
        fail("--dry-run: %s" % r.stdout[:500])
    if os.path.exists(out):
        fail("--dry-run wrote %s" % out)
    # first run: a 404, a cut body, a stall
    BEHAVIOUR[rv[1]] = "404"
    BEHAVIOUR[ris[2]] = "cut"
    BEHAVIOUR[ris[3]] = "stall"
    t0 = time.time()
    r = subprocess.run(args, capture_output=True, text=True, timeout=60)
    took = time.time() - t0
    if r.returncode != 1:
        fail("first run exited %d (want 1)" % r.returncode)
    if took > 6:
        fail("the stalled download was given up after %.1f s (--stall 2)" % took)
    for p, why in ((rv[1], "HTTP status 404"), (ris[2], "the body is shorter than its Content-Length"),
                   (ris[3], "nothing received for 2 s")):
        if base + p + ": " + why not in r.stderr:
            fail("first run: no error '%s' for %s: %s" % (why, p, r.stderr[-800:]))
    ok = [p for p in ris + rv + caida if p not in BEHAVIOUR]
    for p in ok:
        if not os.path.exists(local(p)) or open(local(p), "rb").read() != FILES[p]:
            fail("first run: %s missing or wrong" % local(p))
    if not os.path.exists(local(ris[2]) + ".part") or os.path.exists(local(ris[2])):
        fail("first run: the cut file's .part is not kept (or the file is there)")
    if os.path.exists(local(rv[1]) + ".part"):
        fail("first run: an empty .part kept for the 404")
    if "%d files: %d fetched" % (len(FILES), len(ok)) not in r.stderr:
        fail("first run summary: %s" % r.stderr[-300:])
    # second run: the server behaves; the .part is resumed, the rest not fetched again
    BEHAVIOUR.clear()
    BEHAVIOUR[ris[3]] = "norange"
    RANGES.clear()
    r = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        fail("second run exited %d: %s" % (r.returncode, r.stderr[-500:]))
    for p in ris + rv + caida:
        if not os.path.exists(local(p)) or open(local(p), "rb").read() != FILES[p]:
            fail("second run: %s missing or wrong" % local(p))
    half = len(FILES[ris[2]]) // 2
    if (ris[2], "bytes=%d-" % half) not in RANGES:
        fail("second run: the cut file was not resumed from byte %d: %s" % (half, RANGES))
    if "%d fetched" % 3 not in r.stderr or "%d already there" % (len(FILES) - 3) not in r.stderr:
        fail("second run summary: %s" % r.stderr[-300:])
    leftovers = [f for d, _, fs in os.walk(out) for f in fs if f.endswith(".part")]
    if leftovers:
        fail("second run left .part files: %s" % leftovers)
    print("fetch: %d files mirrored; a 404, a cut body and a stall (%.1f s, --stall 2) reported and kept apart; "
          "the next run resumed the cut file with Range and completed the stalled one without it" % (len(FILES), took))
    observe_fetch(base)
    current_and_checksums(base)
    srv.shutdown()


def current_and_checksums(base):
    import hashlib as hl
    md5 = lambda b: hl.md5(b).hexdigest()
    BEHAVIOUR.clear()
    ripe = ["ftp.ripe.net/ripe/dbase/split/ripe.db.%s.gz" % c
            for c in ("aut-num", "route", "route6", "as-set", "route-set", "role")]
    irr = ripe + ["ftp.radb.net/radb/dbase/radb.db.gz", "ftp.arin.net/pub/rr/arin.db.gz"]
    rirs = ["afrinic", "apnic", "arin", "lacnic", "ripencc"]
    deleg = ["%s/delegated-%s-extended-latest" % (r, r) for r in rirs]
    for rel in irr:
        FILES["/irr/" + rel] = content(rel)
    # one dump large and of an odd size: the MD5 across many read buffers
    FILES["/irr/" + ripe[1]] = b"".join(hl.sha256(b"%d" % i).digest() for i in range(3125)) + b"odd"
    FILES["/spoofer/sessions"] = b'{"@context": "/contexts/Session", "hydra:member": []}\n'
    for rel in deleg:
        FILES["/stats/" + rel] = b"2|%s|20240101|1|19700101|20240101|+0000\n" % rel.split("/")[0].encode() + content(rel)
    name = lambda rel: rel.rsplit("/", 1)[1]
    forms = {"afrinic": "MD5 (%s) = %s\n", "apnic": "%s  %s\n", "arin": "%s *%s\n", "lacnic": "%s\n"}
    for rel, r in zip(deleg, rirs):
        d = md5(FILES["/stats/" + rel])
        if r == "afrinic":
            txt = forms[r] % (name(rel), d)
        elif r == "lacnic":
            txt = forms[r] % d.upper()
        elif r == "ripencc":
            txt = "MD5 (%s) = %s\n" % (name(rel), md5(b"something else"))     # wrong
        else:
            txt = forms[r] % (d, name(rel))
        FILES["/stats/" + rel + ".md5"] = txt.encode()
    out = os.path.join(TMP, "cache-current")
    args = [MANRS, "fetch", "--out", out, "--base-url", "irr=%s/irr" % base, "--base-url", "spoofer=%s/spoofer" % base,
            "--base-url", "delegated=%s/stats" % base, "--stall", "2", "-q", "irr", "spoofer", "delegated"]
    local = {}
    for rel in irr:
        local["/irr/" + rel] = os.path.join(out, rel)
    local["/spoofer/sessions"] = os.path.join(out, "api.spoofer.caida.org/sessions")
    for rel in deleg:
        local["/stats/" + rel] = os.path.join(out, "ftp.ripe.net/pub/stats", rel)

    # dry run: every URL, its public path, the checksum of delegated
    r = subprocess.run(args + ["--dry-run"], capture_output=True, text=True, timeout=30)
    want = sorted(base + u + " " + pth + (" (md5 %s%s.md5)" % (base, u) if u.startswith("/stats/") else "")
                  for u, pth in local.items())
    if r.returncode != 0 or sorted(r.stdout.splitlines()) != want:
        fail("irr/spoofer/delegated --dry-run: %s\nwant: %s" % (r.stdout[:800], want[:3]))
    r = subprocess.run(args[:4] + ["--dry-run", "--irr-source", "radb", "--irr-source", "arin,radb", "irr"],
                       capture_output=True, text=True, timeout=30)
    if r.stdout.split() != ["https://ftp.radb.net/radb/dbase/radb.db.gz", os.path.join(out, irr[6]),
                            "https://ftp.arin.net/pub/rr/arin.db.gz", os.path.join(out, irr[7])]:
        fail("--irr-source radb --irr-source arin,radb --dry-run: %s" % r.stdout)
    for bad in (["--irr-source", "ripe,nic"], ["--irr-source", ""], ["--checksums", "irr,bogus"],
                ["--checksums", "irr,"]):
        r = subprocess.run(args[:4] + bad + ["irr"], capture_output=True, text=True, timeout=30)
        if r.returncode != 2 or "bad value" not in r.stderr:
            fail("%s: exit %d, want 2: %s" % (bad, r.returncode, r.stderr[-200:]))

    # A: delegated checked by default; ripencc's published digest is not its file's
    r = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if r.returncode != 1:
        fail("checksums A: exit %d (want 1): %s" % (r.returncode, r.stderr[-600:]))
    bad_rel = deleg[4]
    have, said = md5(FILES["/stats/" + bad_rel]), md5(b"something else")
    msg = "%s/stats/%s: MD5 mismatch: the file has %s, %s/stats/%s.md5 says %s; set apart as %s.bad" % (
        base, bad_rel, have, base, bad_rel, said, local["/stats/" + bad_rel])
    if msg not in r.stderr:
        fail("checksums A: no mismatch error '%s': %s" % (msg, r.stderr[-800:]))
    p = local["/stats/" + bad_rel]
    if os.path.exists(p) or os.path.exists(p + ".part") or not os.path.exists(p + ".bad"):
        fail("checksums A: the mismatched file is accepted or not set apart as .bad")
    for u, pth in local.items():
        if u == "/stats/" + bad_rel:
            continue
        if not os.path.exists(pth) or open(pth, "rb").read() != FILES[u]:
            fail("checksums A: %s missing or wrong" % pth)
    if "no checksum published" in r.stderr:
        fail("checksums A: a notice for kinds not checked: %s" % r.stderr[-400:])
    if "%d files: %d fetched" % (len(local), len(local) - 1) not in r.stderr or \
            "4 checked against their published MD5" not in r.stderr:
        fail("checksums A summary: %s" % r.stderr[-300:])
    # B: the right digest published: the file is fetched again and accepted
    FILES["/stats/" + bad_rel + ".md5"] = ("MD5 (%s) = %s\n" % (name(bad_rel), have)).encode()
    r = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or not os.path.exists(p) or open(p, "rb").read() != FILES["/stats/" + bad_rel]:
        fail("checksums B: exit %d, %s: %s" % (r.returncode, p, r.stderr[-400:]))
    if "1 fetched" not in r.stderr or "1 checked against" not in r.stderr:
        fail("checksums B summary: %s" % r.stderr[-300:])

    # C: --checksums irr,spoofer: RIPE's .md5 lists every split file, role's .md5 fails,
    # RADB, ARIN and Spoofer publish none (said once per kind)
    listing = "".join("%s  %s\n" % (md5(FILES["/irr/" + rel]), name(rel)) for rel in ripe).encode()
    for rel in ripe:
        FILES["/irr/" + rel + ".md5"] = listing
    BEHAVIOUR["/irr/" + ripe[5] + ".md5"] = "500"
    out2 = os.path.join(TMP, "cache-checked")
    args2 = [a if a != out else out2 for a in args[:-3]] + ["--checksums", "irr,spoofer", "irr", "spoofer"]
    r = subprocess.run(args2, capture_output=True, text=True, timeout=60)
    if r.returncode != 1:
        fail("checksums C: exit %d (want 1): %s" % (r.returncode, r.stderr[-600:]))
    for k, u in (("irr", "/irr/" + irr[6]), ("spoofer", "/spoofer/sessions")):
        n = r.stderr.count("manrs fetch: %s: no checksum published" % k)
        if n != 1:
            fail("checksums C: 'no checksum published' said %d times for %s: %s" % (n, k, r.stderr[-800:]))
    role = os.path.join(out2, ripe[5])
    want_err = "%s/irr/%s: its checksum %s/irr/%s.md5: HTTP status 500" % (base, ripe[5], base, ripe[5])
    if want_err not in r.stderr:
        fail("checksums C: no error '%s': %s" % (want_err, r.stderr[-600:]))
    if os.path.exists(role) or not os.path.exists(role + ".part"):
        fail("checksums C: the unverified file is not kept as .part")
    for rel in irr[:5] + irr[6:]:
        pth = os.path.join(out2, rel)
        if not os.path.exists(pth) or open(pth, "rb").read() != FILES["/irr/" + rel]:
            fail("checksums C: %s missing or wrong" % pth)
    if "5 checked against their published MD5" not in r.stderr:
        fail("checksums C summary: %s" % r.stderr[-300:])
    # D: the .md5 answers again: the whole .part is asked from its end (416) and verified
    BEHAVIOUR.clear()
    RANGES.clear()
    r = subprocess.run(args2, capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or not os.path.exists(role) or open(role, "rb").read() != FILES["/irr/" + ripe[5]]:
        fail("checksums D: exit %d: %s" % (r.returncode, r.stderr[-500:]))
    if ("/irr/" + ripe[5], "bytes=%d-" % len(FILES["/irr/" + ripe[5]])) not in RANGES:
        fail("checksums D: the whole .part was not asked from its end: %s" % RANGES)
    if "1 fetched" not in r.stderr or "1 checked against" not in r.stderr:
        fail("checksums D summary: %s" % r.stderr[-300:])
    print("fetch: irr (%d dumps of three hosts) and spoofer at their public paths; delegated checked against "
          "published MD5s (a wrong one set apart as .bad and reported, the right one accepted); --checksums: a "
          "list .md5, none published (said once per kind), a failed .md5 kept as .part and verified by the next "
          "run" % len(irr))


def observe_fetch(base):
    """observe --fetch: a simulated Internet's RIB, its updates cut into RIS's 5-minute
    files, and its as-rel, served in RIS's and CAIDA's layouts; what observe finds
    after fetching them must be what it finds reading the world's files."""
    import bz2
    import gzip
    import json
    import struct
    world = os.path.join(TMP, "world")
    subprocess.run([MANRS, "sim", "-o", world, "-n", "300", "-s", "3", "-q", "-f"], check=True)
    FILES["/ris/rrc00/2025.12/bview.20251201.0000.gz"] = open(os.path.join(world, "rib.mrt.gz"), "rb").read()
    raw = gzip.decompress(open(os.path.join(world, "updates.mrt.gz"), "rb").read())
    chunks = {}
    i = 0
    while i + 12 <= len(raw):
        ts, _, _, ln = struct.unpack("!IHHI", raw[i:i + 12])
        chunks.setdefault(ts - ts % 300, []).append(raw[i:i + 12 + ln])
        i += 12 + ln
    t0 = 1764547200     # 2025-12-01 00:00 UTC, the simulator's default start
    for t in range(t0, t0 + 3600, 300):
        name = time.strftime("updates.%Y%m%d.%H%M.gz", time.gmtime(t))
        FILES["/ris/rrc00/2025.12/" + name] = gzip.compress(b"".join(chunks.get(t, [])), mtime=0)
    FILES["/caida/20251201.as-rel.txt.bz2"] = bz2.compress(open(os.path.join(world, "asrel.txt"), "rb").read())
    FILES["/caida-org/20251001.as-org2info.txt.gz"] = gzip.compress(open(os.path.join(world, "as2org.txt"), "rb").read(),
                                                                   mtime=0)
    BEHAVIOUR.clear()
    cache = os.path.join(TMP, "obs-cache")
    common = ["--no-db", "-q", "--vrps", os.path.join(world, "vrps.json")]
    r = subprocess.run([MANRS, "observe", "--fetch", cache, "--from", "2025-12-01T00:00:00Z",
                        "--to", "2025-12-01T00:59:59Z", "--fetch-base", "ris-rib=%s/ris" % base,
                        "--fetch-base", "ris-updates=%s/ris" % base, "--fetch-base", "as-rel=%s/caida" % base,
                        "--fetch-base", "as2org=%s/caida-org" % base,
                        "--json", os.path.join(TMP, "fetched.json")] + common,
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        fail("observe --fetch exited %d: %s" % (r.returncode, r.stderr[-600:]))
        return
    r2 = subprocess.run([MANRS, "observe", "--rib", os.path.join(world, "rib.mrt.gz"),
                         "--updates", os.path.join(world, "updates.mrt.gz"), "--asrel", os.path.join(world, "asrel.txt"),
                         "--as2org", os.path.join(world, "as2org.txt"),
                         "--from", "2025-12-01T00:00:00Z", "--to", "2025-12-01T00:59:59Z",
                         "--json", os.path.join(TMP, "direct.json")] + common, capture_output=True, text=True, timeout=300)
    if r2.returncode != 0:
        fail("observe of the world exited %d: %s" % (r2.returncode, r2.stderr[-600:]))
        return
    key = lambda j: sorted((x["class"], x["culprit"], x["prefix"]) for x in j["incidents"])
    a, b = json.load(open(os.path.join(TMP, "fetched.json"))), json.load(open(os.path.join(TMP, "direct.json")))
    names = lambda j: sorted((n["asn"], n.get("name")) for n in j["networks"])
    if key(a) != key(b) or not key(a):
        fail("observe --fetch found %d incidents, the world's files %d (or they differ)" % (len(key(a)), len(key(b))))
    elif names(a) != names(b) or not any(n for _, n in names(a)):
        fail("observe --fetch: the networks' names differ from those of the world's as2org.txt")
    else:
        print("observe --fetch: 13 RIS files, as-rel and as2org fetched from the mirror; the same %d incidents and "
              "names as from the world's own files" % len(key(a)))


main()
sys.exit(1 if failures else 0)
