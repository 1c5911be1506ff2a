#!/bin/sh
# cli_store_pg.sh — the same observatory on both back-ends: `manrs observe` of a
# simulated world into an SQLite file and into PostgreSQL ($MANRS_PG_URL, a schema
# of its own), then `manrs report` (JSON and text, whole run, one network, one
# country, the history), three periods of `manrs conformance` and `manrs
# providers` (the stored enforcement states) and `manrs serve`'s JSON API must
# answer the same from both. The only differences allowed are the runs' "started" and "finished"
# (the wall clock of each observe), which are normalised. Prints the observe
# times and the API's latency percentiles on both (the target: p99 on PostgreSQL
# within 2x of SQLite's). SKIP (77) without MANRS_PG_URL: `make test-cluster`.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
[ -n "${MANRS_PG_URL:-}" ] || { echo "SKIP: MANRS_PG_URL not set (make test-cluster)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
command -v psql >/dev/null 2>&1 || { echo "SKIP: psql not found"; exit 77; }
T="$MANRS_TMP/store_pg"
rm -rf "$T"; mkdir -p "$T"
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
psql -q "$MANRS_PG_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS cli_store_pg CASCADE; CREATE SCHEMA cli_store_pg;
    DROP SCHEMA IF EXISTS cli_store_pg_prog CASCADE; CREATE SCHEMA cli_store_pg_prog" ||
    { echo "FAIL: cannot create the schema"; exit 1; }
case $MANRS_PG_URL in *\?*) PG="$MANRS_PG_URL&" ;; *) PG="$MANRS_PG_URL?" ;; esac
PG="${PG}options=-csearch_path%3Dcli_store_pg"
LITE="$T/obs.db"

W="$T/world"
"$MANRS_BIN" sim --out "$W" --ases 600 --seed 11 --incidents 8 --quiet >/dev/null || { echo "FAIL: sim"; exit 1; }
now() { python3 -c 'import time; print(time.time())'; }
for db in "$LITE" "$PG"; do
    t0=$(now)
    for k in 1 2; do
        "$MANRS_BIN" observe --world "$W" --db "$db" --quiet || FAIL "observe run $k into $db"
    done
    t1=$(now)
    case $db in postgres*) name=PostgreSQL ;; *) name=SQLite ;; esac
    python3 -c "print('observe x2 into $name: %.2f s' % ($t1 - $t0))"
done

# report: the same answers (normalising the wall-clock fields of the runs, and
# the store's name in the text report's first line)
norm() {
    sed -E 's/"(started|finished)": [0-9]+/"\1": T/g; s/(started|finished)[ :]+[0-9TZ:-]+/\1 T/g' |
        sed "s|$LITE|STORE|g; s|$PG|STORE|g"
}
ASN=$("$MANRS_BIN" report --db "$LITE" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["networks"][0]["asn"])')
[ -n "$ASN" ] || FAIL "no network in the SQLite report"
n=0
for args in "--format json" "--format json --run 1" "--runs --format json" "--runs" "" "--top 5" "--country NL --format json" \
            "--as $ASN --format json" "--as $ASN"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    "$MANRS_BIN" report --db "$LITE" $args >"$T/lite.$n" 2>&1; a=$?
    # shellcheck disable=SC2086
    "$MANRS_BIN" report --db "$PG" $args >"$T/pg.$n" 2>&1; b=$?
    [ $a -eq $b ] || FAIL "report $args: exit $a on SQLite, $b on PostgreSQL"
    norm <"$T/lite.$n" >"$T/lite.$n.n"; norm <"$T/pg.$n" >"$T/pg.$n.n"
    cmp -s "$T/lite.$n.n" "$T/pg.$n.n" || { FAIL "report $args differs:"; diff "$T/lite.$n.n" "$T/pg.$n.n" | head -5; }
done
[ "$(wc -c <"$T/lite.1")" -gt 10000 ] || FAIL "the report is too small to compare: $(head -c 200 "$T/lite.1")"

# whatif: the adoption set "ready for Action 1" read from either store is the same
python3 - "$W" >"$T/inc" <<'PY'
import json, sys
t = json.load(open(sys.argv[1] + "/truth.json"))
i = [i for i in t["incidents"] if i["class"] == "hijack-origin"][0]
print(i["prefix"], i["culprit"])
PY
read -r WP WX <"$T/inc"
for db in "$LITE" "$PG"; do
    "$MANRS_BIN" whatif --world "$W" --hijack "$WP" --by "$WX" --adopt "ready1:$db" --action filter --json |
        sed -E 's/"seconds": [0-9.]+/"seconds": S/' >"$T/whatif.$(basename "${db%%\?*}")" || FAIL "whatif --adopt ready1:$db"
done
cmp -s "$T/whatif.obs.db" "$T/whatif.$(basename "${PG%%\?*}")" || FAIL "whatif ready1: SQLite and PostgreSQL differ"
grep -q '"in_graph": [1-9]' "$T/whatif.obs.db" || FAIL "whatif ready1: no adopter"

# the programme: three months of conformance through each store (the enforcement
# states carry over from the stored periods), then providers reading the states
for m in 2025-12 2026-01 2026-02; do
    "$MANRS_BIN" sim --out "$T/m$m" --seed 1 --start "$m-01" >/dev/null 2>&1 || FAIL "sim --start $m"
    for b in lite pg; do
        [ $b = lite ] && db="$T/prog.db" || db=$(echo "$PG" | sed 's/cli_store_pg$/cli_store_pg_prog/')
        "$MANRS_BIN" conformance --participants "$T/m2025-12/participants.yml" --world "$T/m$m" --db "$db" \
            --format json >"$T/conf.$m.$b" 2>"$T/conf.$m.$b.err"
        echo $? >"$T/conf.$m.$b.rc"
    done
    cmp -s "$T/conf.$m.lite.rc" "$T/conf.$m.pg.rc" || FAIL "conformance $m: exit $(cat "$T/conf.$m.lite.rc") on SQLite, $(cat "$T/conf.$m.pg.rc") on PostgreSQL: $(head -c 300 "$T/conf.$m.pg.err")"
    cmp -s "$T/conf.$m.lite" "$T/conf.$m.pg" || FAIL "conformance $m differs"
done
grep -q '"state": "suspended"' "$T/conf.2026-02.pg" || FAIL "no enforcement state carried over three periods"
PA=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["participants"][0]["asns"][0]["asn"])' "$T/conf.2026-02.lite")
"$MANRS_BIN" providers --world "$T/m2026-02" --participants "$T/m2025-12/participants.yml" --db "$T/prog.db" \
    --format json "$PA" >"$T/prov.lite" 2>&1
"$MANRS_BIN" providers --world "$T/m2026-02" --participants "$T/m2025-12/participants.yml" \
    --db "$(echo "$PG" | sed 's/cli_store_pg$/cli_store_pg_prog/')" --format json "$PA" >"$T/prov.pg" 2>&1
cmp -s "$T/prov.lite" "$T/prov.pg" || FAIL "providers AS$PA differs: $(diff "$T/prov.lite" "$T/prov.pg" | head -4)"

# an unreachable server: named, without the password, within the connect timeout
t0=$(now)
"$MANRS_BIN" report --db "postgresql://manrs:s3cret@127.0.0.1:1/none" >/dev/null 2>"$T/err"; rc=$?
t1=$(now)
[ $rc -eq 1 ] || FAIL "unreachable PostgreSQL: exit $rc, not 1"
grep -q "postgresql://manrs@127.0.0.1:1/none: cannot connect" "$T/err" || FAIL "unreachable PostgreSQL not named: $(cat "$T/err")"
grep -q s3cret "$T/err" && FAIL "the password is in the message: $(cat "$T/err")"
python3 -c "import sys; sys.exit(0 if $t1 - $t0 < 6 else 1)" || FAIL "unreachable PostgreSQL took more than 6 s"

# serve: the JSON API answers the same; latency on both
timeout 300 python3 - "$MANRS_BIN" "$T" "$LITE" "$PG" <<'EOF' || fail=1
import json, os, re, subprocess, sys, time, urllib.request
BIN, TMP, LITE, PG = sys.argv[1:5]

def start(db, name):
    pf = os.path.join(TMP, name + ".port")
    p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--port-file", pf],
                         stderr=open(os.path.join(TMP, name + ".err"), "w"), stdout=subprocess.DEVNULL)
    for _ in range(1200):
        if os.path.exists(pf) and open(pf).read().strip():
            return p, "http://127.0.0.1:%d" % int(open(pf).read())
        if p.poll() is not None:
            break
        time.sleep(0.05)
    p.kill()
    sys.exit("FAIL: manrs serve --db %s did not start: %s" % (name, open(os.path.join(TMP, name + ".err")).read()))

def get(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return r.status, r.read()

def norm(body):
    return re.sub(rb'"(started|finished)": ?[0-9]+', rb'"\1": T', body)

servers = [start(LITE, "lite"), start(PG, "pg")]
fail = 0
try:
    st, nets = get(servers[0][1], "/api/v1/networks?limit=5")
    asns = [n["asn"] for n in json.loads(nets)["networks"]][:3]
    paths = ["/api/v1/runs", "/api/v1/summary", "/api/v1/networks", "/api/v1/incidents", "/api/v1/countries",
             "/api/v1/networks.csv", "/api/v1/incidents.csv", "/api/v1/incidents/1", "/api/v1/summary?run=1",
             "/api/v1/networks?country=NL"] + ["/api/v1/networks/%d" % a for a in asns]
    for p in paths:
        try:
            a = get(servers[0][1], p)
        except urllib.error.HTTPError as e:
            a = (e.code, e.read())
        try:
            b = get(servers[1][1], p)
        except urllib.error.HTTPError as e:
            b = (e.code, e.read())
        if a[0] != b[0] or norm(a[1]) != norm(b[1]):
            print("FAIL: serve %s differs: SQLite %d %r... PostgreSQL %d %r..." % (p, a[0], a[1][:120], b[0], b[1][:120]))
            fail = 1
    # latency: the same mix of requests, one at a time, on each back-end
    mix = ["/api/v1/summary", "/api/v1/runs", "/api/v1/networks?limit=50"] + ["/api/v1/networks/%d" % a for a in asns]
    p99 = {}
    for (proc, base), name in zip(servers, ("SQLite", "PostgreSQL")):
        lat = []
        for i in range(600):
            t0 = time.perf_counter()
            try:
                get(base, mix[i % len(mix)])
            except urllib.error.HTTPError:
                pass
            lat.append(time.perf_counter() - t0)
        lat.sort()
        p50, p99[name] = lat[len(lat) // 2] * 1e3, lat[int(len(lat) * 0.99)] * 1e3
        print("serve on %s: p50 %.2f ms, p99 %.2f ms (%d requests)" % (name, p50, p99[name], len(lat)))
    if p99["PostgreSQL"] > 2 * p99["SQLite"] + 1.0:
        print("FAIL: the API's p99 on PostgreSQL (%.2f ms) is above 2x SQLite's (%.2f ms)" % (p99["PostgreSQL"], p99["SQLite"]))
        fail = 1
finally:
    for proc, _ in servers:
        proc.terminate()
        proc.wait()
sys.exit(fail)
EOF
[ $fail -eq 0 ] && psql -q "$MANRS_PG_URL" -c "SET client_min_messages = warning; DROP SCHEMA cli_store_pg CASCADE; DROP SCHEMA cli_store_pg_prog CASCADE"
exit $fail
