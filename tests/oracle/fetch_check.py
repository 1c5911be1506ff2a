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
 - --dry-run lists URL and path, fetches nothing.

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
BEHAVIOUR = {}      # URL path -> "404", "cut", "stall", "norange"
RANGES = []         # Range headers seen


class Mirror(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = self.path
        b = BEHAVIOUR.get(path)
        data = FILES.get(path)
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
    srv.shutdown()


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
    BEHAVIOUR.clear()
    cache = os.path.join(TMP, "obs-cache")
    common = ["--no-db", "-q", "--vrps", os.path.join(world, "vrps.json")]
    r = subprocess.run([MANRS, "observe", "--fetch", cache, "--from", "2025-12-01T00:00:00Z",
                        "--to", "2025-12-01T00:59:59Z", "--fetch-base", "ris-rib=%s/ris" % base,
                        "--fetch-base", "ris-updates=%s/ris" % base, "--fetch-base", "as-rel=%s/caida" % base,
                        "--json", os.path.join(TMP, "fetched.json")] + common,
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        fail("observe --fetch exited %d: %s" % (r.returncode, r.stderr[-600:]))
        return
    r2 = subprocess.run([MANRS, "observe", "--rib", os.path.join(world, "rib.mrt.gz"),
                         "--updates", os.path.join(world, "updates.mrt.gz"), "--asrel", os.path.join(world, "asrel.txt"),
                         "--from", "2025-12-01T00:00:00Z", "--to", "2025-12-01T00:59:59Z",
                         "--json", os.path.join(TMP, "direct.json")] + common, capture_output=True, text=True, timeout=300)
    if r2.returncode != 0:
        fail("observe of the world exited %d: %s" % (r2.returncode, r2.stderr[-600:]))
        return
    key = lambda j: sorted((x["class"], x["culprit"], x["prefix"]) for x in j["incidents"])
    a, b = json.load(open(os.path.join(TMP, "fetched.json"))), json.load(open(os.path.join(TMP, "direct.json")))
    if key(a) != key(b) or not key(a):
        fail("observe --fetch found %d incidents, the world's files %d (or they differ)" % (len(key(a)), len(key(b))))
    else:
        print("observe --fetch: 13 RIS files and as-rel fetched from the mirror; the same %d incidents as from "
              "the world's own files" % len(key(a)))


main()
sys.exit(1 if failures else 0)
