#!/usr/bin/env python3
"""serve_browser.py — the web observatory in a real browser (tests/cli_serve_browser.sh).

usage: serve_browser.py MANRS_BIN TMPDIR DB OBSERVED_JSON [WORLD]

With WORLD, the server has the looking glass (--lg-world WORLD): a prefix typed
into its form and submitted gives the table of routes.

Debian's Chromium, headless, driven through ChromeDriver over the W3C WebDriver
protocol (plain HTTP and JSON: no client library): it opens the overview,
follows the navigation, searches for a hijack victim's ASN by typing into the
search box and pressing Enter (a form, no script), reads the victim's page,
clicks through to the incident, opens the countries page. Each page's
screenshot is saved in TMPDIR and checked not blank (decoded here: many colours,
no colour on nearly every pixel); the browser's log must hold no error (a
refused resource, a CSP violation, a 404 of something the page asked for).
Exit 0 when every check passes, 77 (skip) without chromium or chromedriver.
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib

BIN, TMP, DB, OBSERVED = sys.argv[1:5]
WORLD = sys.argv[5] if len(sys.argv) > 5 else None
CHROME = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
if not CHROME or not DRIVER:
    print("SKIP: chromium or chromedriver not installed (scripts/deps.sh installs them)")
    sys.exit(77)
fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    fails += not cond
    return cond


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


# ---------------------------------------------------------------- PNG, decoded
def png_pixels(data):
    """(width, height, rows of bytes per pixel, bytes per pixel) of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "PNG type %d/%d" % (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows, bpp


def not_blank(png, name):
    w, h, rows, bpp = png_pixels(png)
    counts = {}
    for y in range(0, h, 2):
        r = rows[y]
        for x in range(0, w * bpp, 2 * bpp):
            k = r[x:x + 3]
            counts[k] = counts.get(k, 0) + 1
    total = sum(counts.values())
    top = max(counts.values())
    return check(len(counts) >= 50 and top < 0.9 * total,
                 "%s: screenshot %dx%d not blank (%d colours, the commonest on %.0f%% of pixels)"
                 % (name, w, h, len(counts), 100.0 * top / total))


# ---------------------------------------------------------------- the server and the browser
obs = json.load(open(OBSERVED))
victim_inc = next(i for i in obs["incidents"] if i.get("confidence", "high") == "high" and i["victims"]
                  and i["class"].startswith("hijack"))
victim = victim_inc["victims"][0]
pf = os.path.join(TMP, "browser.port")
srv = subprocess.Popen([BIN, "serve", "--db", DB, "--listen", "127.0.0.1:0", "--port-file", pf] +
                       (["--lg-world", WORLD] if WORLD else []),
                       stderr=open(os.path.join(TMP, "browser-serve.err"), "w"))
for _ in range(1200):
    if os.path.exists(pf) and open(pf).read().strip():
        break
    time.sleep(0.05)
BASE = "http://127.0.0.1:%s" % open(pf).read().strip()
dport = free_port()
drv = subprocess.Popen([DRIVER, "--port=%d" % dport], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
WD = "http://127.0.0.1:%d" % dport


def wd(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(WD + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())["value"]


session = None
try:
    for _ in range(100):
        try:
            wd("GET", "/status")
            break
        except OSError:
            time.sleep(0.1)
    caps = {"capabilities": {"alwaysMatch": {
        "browserName": "chrome", "goog:loggingPrefs": {"browser": "ALL"},
        "goog:chromeOptions": {"binary": CHROME, "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                                                          "--disable-dev-shm-usage", "--window-size=1280,1000",
                                                          "--user-data-dir=" + os.path.join(TMP, "chrome")]}}}}
    session = wd("POST", "/session", caps)["sessionId"]
    S = "/session/" + session

    def go(url):
        wd("POST", S + "/url", {"url": url})

    def find(css):
        el = wd("POST", S + "/element", {"using": "css selector", "value": css})
        return next(iter(el.values()))

    def click(css):
        wd("POST", S + "/element/%s/click" % find(css), {})

    def shot(name):
        png = base64.b64decode(wd("GET", S + "/screenshot"))
        open(os.path.join(TMP, name + ".png"), "wb").write(png)
        return not_blank(png, name)

    def url():
        return wd("GET", S + "/url")

    def source():
        return wd("GET", S + "/source")

    go(BASE + "/")
    check("MANRS observatory" in wd("GET", S + "/title"), "overview: title")
    shot("overview")
    click("nav a[href='/networks']")
    check(url().endswith("/networks") and "networks" in source(), "navigation: Networks")
    click("th a[href*='sort=a4']")
    check("sort=a4" in url(), "a sortable column: sorted by action 4 through its link")
    click("nav a[href='/incidents']")
    check(url().endswith("/incidents"), "navigation: Incidents")
    box = find("input[name=q]")
    wd("POST", S + "/element/%s/value" % box, {"text": "AS%d\ue007" % victim})   # Enter submits the form
    for _ in range(50):
        if url().endswith("/networks/%d" % victim):
            break
        time.sleep(0.1)
    check(url().endswith("/networks/%d" % victim), "search: AS%d typed in the box leads to its page" % victim)
    check("Victim of" in source(), "the network page shows the incidents it was the victim of")
    shot("network")
    click("a[href='/incidents/%d']" % victim_inc["id"])
    check(url().endswith("/incidents/%d" % victim_inc["id"]) and "Evidence" in source(),
          "an incident page, reached by its link, with its evidence")
    shot("incident")
    go(BASE + "/countries")
    check('class="map"' in source(), "countries: the map")
    shot("countries")
    if WORLD:
        click("nav a[href='/lg']")
        box = find("input[name=prefix]")
        wd("POST", S + "/element/%s/value" % box, {"text": victim_inc["prefix"] + "\ue007"})   # Enter submits
        for _ in range(50):
            if "/lg?prefix=" in url():
                break
            time.sleep(0.1)
        check("/lg?prefix=" in url() and "lg-routes" in source() and victim_inc["prefix"] in source(),
              "looking glass: %s typed into the form gives its routes per peer" % victim_inc["prefix"])
        shot("lg")
    logs = wd("POST", S + "/se/log", {"type": "browser"})
    errors = [e["message"] for e in logs if e.get("level") == "SEVERE"]
    check(not errors, "the browser logged no error%s" % ("" if not errors else ": %s" % errors[:3]))
except Exception as e:  # a WebDriver failure is a failure of the test, with its reason
    check(False, "browser session: %r" % (e,))
finally:
    if session:
        try:
            wd("DELETE", "/session/" + session)
        except OSError:
            pass
    drv.terminate()
    srv.terminate()
    drv.wait(timeout=10)
    srv.wait(timeout=10)
sys.exit(1 if fails else 0)
