#!/usr/bin/env python3
"""serve_check.py — `manrs serve` end to end (tests/cli_serve.sh).

usage: serve_check.py MANRS_BIN TMPDIR DB OBSERVED_JSON OPENAPI_JSON WORLD

Against a store of two runs of one simulated world (DB; OBSERVED_JSON is the
second run's `manrs observe --json`):
  - every API response is checked against docs/openapi.json (a small validator
    of the OpenAPI 3.0 schema subset the file uses: type, nullable, enum,
    properties, required, additionalProperties, items, allOf, $ref, minimum,
    maximum), and so is every error body;
  - the API says what observe said: all its networks, paged in rank order
    without a gap or a repeat; every high-confidence incident with its culprit,
    prefix and victims; a victim's network lists the incident with role victim;
    the CSV exports have a row per network and per incident;
  - hostile requests (../, encoded ../, NUL, bytes that are not UTF-8, numbers
    beyond any range, negative numbers, a 100 kB URL, other methods, a broken
    request line, a client that sends nothing) get 4xx, never a 5xx or a crash;
  - pages: HTML with a Content-Security-Policy, no script and no reference to
    another site; the run picked up when a newer one completes;
  - 100 concurrent clients all answered;
  - the looking glass: without --lg-* inputs /api/v1/lg is a JSON 404 and /lg says
    it is not configured; with --lg-world WORLD, /api/v1/lg answers, for prefixes of
    true incidents of WORLD's truth.json (exact at the incident's middle, longest
    match of an address in it, more-specifics over a window, origin + path pattern),
    the document of `manrs lg --json` on the same world for the same query (equal
    as JSON but for "query"), and matches the OpenAPI schema; the culprit's route is
    held at the middle of an origin hijack by exactly its visible_peers peers; bad
    parameters are 400 with a JSON error (bad prefix, host bits, bad match, bad AS,
    bad time, from after to, a pattern the regex guard refuses, a pattern over 256
    bytes, limit 0 or over 1000, no criterion); the /lg page renders the results
    (a table per collector peer, the culprit linked to its page), escapes what it
    echoes, and holds no script.
Exit 0 when every check passes.
"""
import csv
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BIN, TMP, DB, OBSERVED, OPENAPI, WORLD = sys.argv[1:7]
fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails += 1
    return cond


# ---------------------------------------------------------------- schema
SPEC = json.load(open(OPENAPI))


def resolve(s):
    while "$ref" in s:
        s = SPEC["components"]["schemas"][s["$ref"].split("/")[-1]]
    return s


def validate(v, s, where="$"):
    """Errors of value v against schema s (a list of strings)."""
    s = resolve(s)
    if v is None:
        return [] if s.get("nullable") else ["%s: null not allowed" % where]
    errs = []
    for sub in s.get("allOf", []):
        errs += validate(v, sub, where)
    t = s.get("type")
    ok_type = {"object": lambda x: isinstance(x, dict), "array": lambda x: isinstance(x, list),
               "string": lambda x: isinstance(x, str), "boolean": lambda x: isinstance(x, bool),
               "integer": lambda x: isinstance(x, int) and not isinstance(x, bool),
               "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool)}
    if t and not ok_type[t](v):
        return errs + ["%s: %r is not %s" % (where, v, t)]
    if "enum" in s and v not in s["enum"]:
        errs.append("%s: %r not in %s" % (where, v, s["enum"]))
    if "minimum" in s and v < s["minimum"]:
        errs.append("%s: %r < %r" % (where, v, s["minimum"]))
    if "maximum" in s and v > s["maximum"]:
        errs.append("%s: %r > %r" % (where, v, s["maximum"]))
    if t == "object":
        props = s.get("properties", {})
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: %s missing" % (where, k))
        for k, x in v.items():
            if k in props:
                errs += validate(x, props[k], where + "." + k)
            elif s.get("additionalProperties") is False:
                errs.append("%s: unexpected %s" % (where, k))
    if t == "array" and "items" in s:
        for i, x in enumerate(v):
            errs += validate(x, s["items"], "%s[%d]" % (where, i))
    return errs


def schema_of(path, status):
    op = SPEC["paths"][path]["get"]
    r = op["responses"].get(str(status))
    return r["content"]["application/json"]["schema"] if r else {"$ref": "#/components/schemas/Error"}


# ---------------------------------------------------------------- server
def start(db, extra=(), name="serve"):
    pf = os.path.join(TMP, name + ".port")
    if os.path.exists(pf):
        os.unlink(pf)
    p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--port-file", pf, "--timeout", "2",
                          *extra], stderr=open(os.path.join(TMP, name + ".err"), "w"))
    for _ in range(1200):
        if os.path.exists(pf) and open(pf).read().strip():
            return p, int(open(pf).read())
        if p.poll() is not None:
            break
        time.sleep(0.05)
    p.kill()
    sys.exit("FAIL: manrs serve did not start: " + open(os.path.join(TMP, name + ".err")).read())


srv, PORT = start(DB)
BASE = "http://127.0.0.1:%d" % PORT


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(path, method="GET"):
    req = urllib.request.Request(BASE + path, method=method)
    try:
        with OPENER.open(req, timeout=20) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def api(path, spec_path=None, want=200):
    st, h, body = get(path)
    doc = None
    try:
        doc = json.loads(body)
    except ValueError:
        pass
    errs = validate(doc, schema_of(spec_path or path.split("?")[0], st)) if doc is not None else ["not JSON"]
    check(st == want and not errs and h.get("Content-Type", "").startswith("application/json"),
          "%s: %d, matches the OpenAPI schema%s" % (path, st, "" if not errs else ": " + "; ".join(errs[:3])))
    return doc


obs = json.load(open(OBSERVED))
high = [i for i in obs["incidents"] if i.get("confidence", "high") == "high"]

# ---------------------------------------------------------------- the API
runs = api("/api/v1/runs")
check(runs and len(runs["runs"]) == 2 and runs["latest_complete"] == 2, "two runs, the second the latest complete")
summ = api("/api/v1/summary")
check(summ and summ["run"]["id"] == 2 and len(summ["trend"]) == 2, "summary of run 2 with a trend of 2 points")
check(summ and summ["summary"]["networks"] == len(obs["networks"]), "summary counts every network of the run")
api("/api/v1/summary?run=1")

# every network, paged by 7 in rank order
seen, off, total = [], 0, None
while True:
    page = api("/api/v1/networks?limit=7&offset=%d" % off, "/api/v1/networks") if off < 21 else \
        json.loads(get("/api/v1/networks?limit=7&offset=%d" % off)[2])
    total = page["total"]
    seen += page["networks"]
    off += 7
    if off >= total:
        break
check(total == len(obs["networks"]) and len(seen) == total, "networks: %d listed, %d in observe" % (total, len(obs["networks"])))
check([n["rank"] for n in seen] == list(range(1, total + 1)), "networks paged in rank order without gap or repeat")
check({n["asn"] for n in seen} == {n["asn"] for n in obs["networks"]}, "the same networks as observe")
by_a4 = api("/api/v1/networks?sort=a4&order=desc&limit=1000", "/api/v1/networks")
scores = [n["actions"]["global_validation"]["score"] for n in by_a4["networks"]]
real = [s for s in scores if s is not None]
check(real == sorted(real, reverse=True) and scores[:len(real)] == real, "sort=a4 desc: best first, no data last")
cc = next(n["country"] for n in obs["networks"] if n.get("country"))
in_cc = api("/api/v1/networks?country=%s&limit=1000" % cc, "/api/v1/networks")
check(in_cc["total"] == sum(1 for n in obs["networks"] if n.get("country") == cc) and
      all(n["country"] == cc for n in in_cc["networks"]), "country=%s filters" % cc)

# every published incident
inc = api("/api/v1/incidents?limit=1000", "/api/v1/incidents")
check(inc["total"] == len(high), "incidents: %d published, %d high in observe" % (inc["total"], len(high)))
key = lambda i: (i["class"], i["prefix"], i["culprit"], tuple(i["victims"]))
check(sorted(map(key, inc["incidents"])) == sorted(map(key, high)), "incidents: class, prefix, culprit and victims as observe")
one = api("/api/v1/incidents?class=route-leak&limit=2", "/api/v1/incidents")
check(one["total"] == sum(1 for i in high if i["class"] == "route-leak") and
      all(i["class"] == "route-leak" for i in one["incidents"]) and len(one["incidents"]) <= 2, "class= filters, limit= pages")
byd = api("/api/v1/incidents?sort=duration&limit=1000", "/api/v1/incidents")
durs = [i["end"] - i["start"] for i in byd["incidents"]]
check(byd["order"] == "desc" and durs == sorted(durs, reverse=True) and byd["total"] == inc["total"],
      "incidents sort=duration: longest first")
byp = api("/api/v1/incidents?sort=prefix&order=asc&limit=1000", "/api/v1/incidents")
check([i["id"] for i in byp["incidents"]] != [] and len(byp["incidents"]) == inc["total"], "incidents sort=prefix")
api("/api/v1/incidents?sort=nonsense", "/api/v1/incidents", 400)
vic = next(i for i in inc["incidents"] if i["victims"] and i["class"].startswith("hijack"))
det = api("/api/v1/incidents/%d" % vic["id"], "/api/v1/incidents/{id}")
check(det["incident"]["evidence"] and det["incident"]["evidence"][0]["file"], "an incident with its evidence rows")
net = api("/api/v1/networks/%d" % vic["victims"][0], "/api/v1/networks/{asn}")
roles = {i["id"]: i.get("role") for i in net["incidents"]}
check(roles.get(vic["id"]) == "victim", "AS%d lists incident %d as its victim" % (vic["victims"][0], vic["id"]))
check(len(net["history"]) == 2, "a network's history over both runs")
old = api("/api/v1/networks/%d?run=1" % vic["victims"][0], "/api/v1/networks/{asn}")
ranks1 = {n["asn"]: n["rank"] for n in json.loads(get("/api/v1/networks?run=1&limit=1000")[2])["networks"]}
check(old and old["run"]["id"] == 1 and old["history"] == net["history"] and
      (old["network"] is None or old["network"]["rank"] == ranks1.get(vic["victims"][0])),
      "run=1: the network as ranked in run 1, the same history")
ranks2 = {n["asn"]: n["rank"] for n in seen}
check(net["network"] is None or net["network"]["rank"] == ranks2.get(vic["victims"][0]), "its rank as in the list")
cul = api("/api/v1/networks/AS%d" % vic["culprit"], "/api/v1/networks/{asn}")
check({i["id"]: i.get("role") for i in cul["incidents"]}.get(vic["id"]) == "culprit", "the culprit's page says culprit")
ctry = api("/api/v1/countries")
check(sum(c["networks"] for c in ctry["countries"]) <= ctry["summary"]["networks"], "countries add up")
st, h, body = get("/api/v1/networks.csv")
rows = list(csv.reader(io.StringIO(body.decode())))
check(st == 200 and len(rows) == len(obs["networks"]) + 1, "networks.csv: a row per network")
st, h, body = get("/api/v1/incidents.csv")
rows = list(csv.reader(io.StringIO(body.decode())))
check(st == 200 and len(rows) == len(high) + 1 and rows[0][5] == "victims", "incidents.csv: a row per incident")
api("/api/v1/networks/4294967295", "/api/v1/networks/{asn}", 404)
api("/api/v1/incidents/999999", "/api/v1/incidents/{id}", 404)
api("/api/v1/summary?run=99", "/api/v1/summary", 404)
api("/api/v1/networks?limit=0", "/api/v1/networks", 400)
api("/api/v1/networks?sort=evil", "/api/v1/networks", 400)
api("/api/v1/incidents?class=nonsense", "/api/v1/incidents", 400)

# ---------------------------------------------------------------- hostile requests
hostile = ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/networks/..%2f..%2fetc", "/networks/%00",
           "/networks/AS99999999999999999999999999", "/incidents/-1", "/api/v1/networks?limit=99999999999999999999999",
           "/api/v1/networks?offset=-1", "/api/v1/networks?offset=4294967296", "/search?q=%ff%fe%fd",
           "/search?q=%c0%af", "/api/v1/incidents?class=%00", "/api/v1/networks?country=%ff",
           "/networks?sort=%ff", "/api/v1/networks/%ff", "/api/v1/incidents/1/../../x", "/x" * 50000,
           "/search?q=" + "A" * 5000, "/countries?action=7", "/countries?action=18446744073709551616"]
bad = []
for p in hostile:
    st, h, body = get(p)
    if not 400 <= st < 500:
        bad.append((p[:60], st))
check(not bad, "hostile paths and queries: 4xx%s" % ("" if not bad else ": %s" % bad))
st, h, body = get("/api/v1/networks", "POST")
check(st == 405 and "GET" in h.get("Allow", ""), "POST: 405 with Allow")
st, h, body = get("/api/v1/networks", "HEAD")
check(st == 200 and body == b"", "HEAD: 200 without a body")
s = socket.create_connection(("127.0.0.1", PORT))
s.sendall(b"\x16\x03\x01 garbage \xff\xfe\r\n\r\n")
s.settimeout(5)
try:
    reply = s.recv(100)
except socket.timeout:
    reply = b""
s.close()
check(reply.startswith(b"HTTP/1.1 400") or reply == b"", "a broken request line: 400 or closed (%r)" % reply[:20])
idle = socket.create_connection(("127.0.0.1", PORT))
idle.settimeout(8)
t0 = time.time()
try:
    gone = idle.recv(1) == b""
except (socket.timeout, ConnectionResetError):
    gone = False
check(gone and time.time() - t0 < 7, "a silent client is closed after --timeout (%.1f s)" % (time.time() - t0))
check(srv.poll() is None, "the server survived the hostile requests")

# ---------------------------------------------------------------- pages
for p in ["/", "/countries", "/networks", "/networks?sort=a2&order=asc&offset=50", "/networks/%d" % vic["victims"][0],
          "/incidents", "/incidents?class=route-leak", "/incidents?sort=peers&order=asc&offset=0", "/incidents/%d" % vic["id"], "/api", "/search?q=%s" % vic["prefix"]]:
    st, h, body = get(p)
    b = body.decode("utf-8")
    check(st == 200 and h.get("Content-Type", "").startswith("text/html") and "default-src 'none'" in
          h.get("Content-Security-Policy", "") and "<script" not in b and "http://" not in b and "https://" not in b
          and "src=" not in b, "page %s: HTML, CSP, no script, nothing from elsewhere" % p)
st, h, body = get("/networks/%d" % vic["victims"][0])
check(b"Victim of" in body and (b"/incidents/%d" % vic["id"]) in body, "the victim's page shows the incident")
st, h, body = get("/countries")
if os.path.exists("/usr/local/share/manrs/countries-110m.json"):
    check(b'class="map"' in body and body.count(b"<path ") > 150, "countries: a world map of %d shapes" % body.count(b"<path "))
else:
    print("skip countries map: world-atlas not installed (scripts/deps.sh)")
check(st == 200 and body.count(b'<tr id="cc-') == len(ctry["countries"]), "countries: a row per country")
named = next(n for n in obs["networks"] if n.get("name"))
check(any(n["name"] == named["name"] for n in seen), "networks carry their organisation's name")
word = named["name"].split()[0]
st, h, body = get("/search?q=" + urllib.parse.quote(word.lower()))
holders = [n for n in obs["networks"] if word.lower() in (n.get("name") or "").lower()]
check(st == 200 and (b"/networks/%d" % named["asn"]) in body and body.count(b'<tr><td class="n">') == min(len(holders), 50),
      "search by name %r: the %d networks whose name holds it" % (word.lower(), len(holders)))
st, h, body = get("/search?q=AS%d" % vic["culprit"])
check(st == 303 and h.get("Location") == "/networks/%d" % vic["culprit"], "search for an ASN: to its page")

# ---------------------------------------------------------------- 100 concurrent clients
results = []


def client(k):
    c = 0
    for j in range(5):
        st, h, body = get("/api/v1/networks?limit=5&offset=%d" % ((k * 5 + j) % 50))
        c += st == 200
    results.append(c)


ts = [threading.Thread(target=client, args=(k,)) for k in range(100)]
[t.start() for t in ts]
[t.join() for t in ts]
check(sum(results) == 500, "100 concurrent clients: %d of 500 answered 200" % sum(results))

# ---------------------------------------------------------------- no looking glass configured
api("/api/v1/lg?prefix=192.0.2.0/24", "/api/v1/lg", 404)
st, h, body = get("/lg")
check(st == 404 and b"not configured" in body and b"<script" not in body, "/lg without --lg-*: 404, says not configured")

# ---------------------------------------------------------------- a new run is picked up
rc = subprocess.call([BIN, "observe", "--world", WORLD, "--db", DB, "--quiet"], stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
time.sleep(1.2)
now = api("/api/v1/summary")
check(rc == 0 and now and now["run"]["id"] == 3, "a run completed while serving is served within a second")
srv.terminate()
srv.wait(timeout=10)
err = open(os.path.join(TMP, "serve.err")).read()
check(srv.returncode == 0 and "requests answered" in err, "SIGTERM: clean stop with counts")

# ---------------------------------------------------------------- the looking glass
truth = json.load(open(os.path.join(WORLD, "truth.json")))
hij = [i for i in truth["incidents"] if i["class"] == "hijack-origin" and i["visible_peers"] > 0]
sub = [i for i in truth["incidents"] if i["class"] == "hijack-subprefix" and i["visible_peers"] > 0 and ":" not in i["prefix"]]
check(hij and sub, "the world has a visible origin hijack and a visible sub-prefix hijack")
lg, PORT = start(DB, ["--lg-world", WORLD], "serve_lg")
BASE = "http://127.0.0.1:%d" % PORT
check("looking glass ready" in open(os.path.join(TMP, "serve_lg.err")).read(), "serve with --lg-world: looking glass ready")


def cli_lg(args):
    r = subprocess.run([BIN, "lg", "--world", WORLD, "--json", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return json.loads(r.stdout) if r.returncode in (0, 1) else None


def same_as_cli(query, args, what):
    doc = api("/api/v1/lg?" + query, "/api/v1/lg")
    ref = cli_lg(args)
    if doc is None or ref is None:
        return check(False, "lg %s: API and CLI both answered" % what) and None
    q = doc.pop("query", None)
    ref.pop("query", None)
    check(doc == ref and doc["entries"], "lg %s: /api/v1/lg?%s == manrs lg --json %s (%d entries)" %
          (what, query, " ".join(args), len(doc["entries"])))
    doc["query"] = q
    return doc


enc = urllib.parse.quote
h0, s0 = hij[0], sub[0]
mid = (h0["start"] + h0["end"]) // 2
doc = same_as_cli("prefix=%s&at=%d" % (enc(h0["prefix"]), mid), [h0["prefix"], "--at", str(mid)], "exact at an origin hijack")
if doc:
    held = sum(1 for e in doc["entries"] if e["at"] and e["at"]["origin"] == h0["culprit"])
    check(held == h0["visible_peers"], "origin hijack %s: the culprit AS%d held at %d peers, truth says %d" %
          (h0["prefix"], h0["culprit"], held, h0["visible_peers"]))
    check(doc["query"] == "prefix=%s&at=%d" % (h0["prefix"], mid), "the query as asked: %r" % doc["query"])
smid = (s0["start"] + s0["end"]) // 2
addr = s0["prefix"].split("/")[0]
doc = same_as_cli("prefix=%s&at=%d" % (addr, smid), [addr, "--at", str(smid)], "longest match of an address")
if doc:
    held = sum(1 for e in doc["entries"] if e["at"] and e["prefix"] == s0["prefix"] and e["at"]["origin"] == s0["culprit"])
    check(held == s0["visible_peers"], "sub-prefix hijack %s: the culprit's /%s at %d peers, truth says %d" %
          (s0["prefix"], s0["prefix"].split("/")[1], held, s0["visible_peers"]))
    check(all(e["at"]["rov"] in ("valid", "invalid", "not-found") and e["at"]["irr"] for e in doc["entries"]),
          "every route held has its ROV and IRR verdicts (the world's VRPs and IRR loaded)")
short = s0["prefix"].split(".")[0] + ".0.0.0/8"
same_as_cli("prefix=%s&match=more-specifics&from=%d&to=%d&limit=50" % (short, s0["start"], s0["end"]),
            [short, "--more-specifics", "--from", str(s0["start"]), "--to", str(s0["end"]), "--limit", "50"],
            "more-specifics over a window, limited")
same_as_cli("origin=AS%d&path=%s&limit=20" % (h0["culprit"], enc(" %d$" % h0["culprit"])),
            ["--origin", str(h0["culprit"]), "--path", " %d$" % h0["culprit"], "--limit", "20"], "origin and path pattern")
for q in ["prefix=1.2.3.4/33", "prefix=banana", "prefix=%s&match=exact" % enc(addr + "/8"), "match=longest",
          "prefix=10.0.0.0/8&match=widest", "origin=ASX", "transit=4294967296", "origin=1&at=yesterday",
          "origin=1&from=2025-12-02&to=2025-12-01", "path=" + enc("((((a*)*)*)*)*"), "path=" + "1" * 300,
          "path=" + enc("(a{1,255}){1,255}"), "origin=1&limit=0", "origin=1&limit=1001", "", "limit=5",
          "prefix=%00", "origin=%ff"]:
    api("/api/v1/lg?" + q, "/api/v1/lg", 400)
big = api("/api/v1/lg?path=.&limit=1000", "/api/v1/lg")
check(big and big["shown"] <= 1000 and big["truncated"] == (big["matched"] > 1000), "limit caps the answer at 1000 routes")
st, h, body = get("/lg?prefix=%s&at=%d" % (enc(h0["prefix"]), mid))
b = body.decode("utf-8")
check(st == 200 and h.get("Content-Type", "").startswith("text/html") and "<script" not in b and "http://" not in b
      and "default-src 'none'" in h.get("Content-Security-Policy", ""), "/lg with a query: HTML, CSP, no script")
check(b.count('<table class="lg-routes">') == len(cli_lg([h0["prefix"], "--at", str(mid)])["entries"]) and
      ('href="/networks/%d"' % h0["culprit"]) in b and "updates" in b and 'class="at"' in b,
      "/lg: a table per collector peer, the route held, the culprit linked, the MRT file")
st, h, body = get("/lg")
check(st == 200 and b'<form action="/lg" method="get"' in body and b"lg-routes" not in body, "/lg alone: the form")
st, h, body = get("/lg?path=" + enc('<script>alert(1)</script>"'))
check(st == 200 and b"<script" not in body and b"&lt;script&gt;" in body, "/lg escapes what it echoes")
st, h, body = get("/lg?prefix=banana")
check(st == 400 and b"banana" in body and b"<script" not in body, "/lg with a bad prefix: 400 page")
lg.terminate()
lg.wait(timeout=10)
check(lg.returncode == 0, "the looking-glass server stops cleanly")
sys.exit(1 if fails else 0)
