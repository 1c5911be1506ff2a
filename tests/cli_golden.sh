#!/bin/sh
# cli_golden.sh — byte-identical command outputs, pinned before the source-tree
# refactor so that the refactor can prove that no output changed.
#
# What: a seeded simulated world (manrs sim --ases 300 --seed 7 --incidents 4
# --hours 1: 40 incidents, every class and every RFC 7908 leak type) plus a second
# small world with every sim option changed, and the tiny fixtures of
# tests/antispoof/; on them, every user-visible output: the world files themselves,
# `dump -m` / `dump --json` (intact, truncated, corrupted, example-mrt, stdin),
# `stats` (table, --json, damaged), `validate` (table, --json, --downstream, with
# every knowledge base, good and bad route lines), `filter` in all 11 formats (AS,
# as-set, IPv6, -f / -G AS-path lists, -t, -R, -m, -l, -S, --rpki, --rib, errors;
# -A, -p, -L, --no-bogons, route-sets and set cycles on a hand-made RPSL file that
# aggregates), `antispoof` in all 5 formats (customer AS, as-set,
# --edge, --local-as, the fixtures), `observe` (three runs: partial window, full,
# a --strict run that fails: stdout, stderr, --json file and the --db store as a
# sorted SQL-level dump), `report` in all 5 formats for the landscape, one --as and
# one --country (plus --runs, --top, --run, -o), `check` (table, --json,
# --acl-format), `whoisd` answers to IRRd and RIPE-style queries over a socket, and
# every command's help text. For each command: stdout, stderr and the exit status.
#
# How: tests/golden/outputs.sha256 holds `SHA256  NAME` per output (sha256sum
# format: `cd DIR && sha256sum -c outputs.sha256` works on a kept output
# directory), tests/golden/exit-codes `NAME STATUS` per command. Outputs under
# 16 KiB are also kept as tests/golden/NAME (not the world's data files, binary MRT
# or the tests/antispoof fixture outputs, pinned there already): they must equal
# the output byte for byte, and a mismatch prints their diff; for larger ones the
# command and the path of the actual output are printed. The whole set runs twice,
# side by side: as is, and with MANRS_IO_THREADS=0 (no helper threads): both must
# match the same manifest. On failure every output is kept under
# $MANRS_TMP/golden.PID/. About 12-16 s on 2 cores.
#
# Volatile fields: every command runs inside the world directory with relative
# file names (evidence, `inputs`, FILE:LINE messages are stable); the observe run's
# started/finished times and the tool version (store rows, report JSON, HTML
# footer, help banner) are replaced by T / VERSION with sed (or in the store dump);
# sim's elapsed `time` line is replaced. Nothing else needed normalising.
#
# Accepting an intended output change (after reviewing the diff!):
#   MANRS_BIN=build/manrs MANRS_TMP=build/tmp MANRS_SRC=. MANRS_GOLDEN_UPDATE=1 sh tests/cli_golden.sh
# runs the set three times (twice as is, once with MANRS_IO_THREADS=0), refuses to
# write if the runs differ (non-determinism), else rewrites tests/golden/. Commit
# the change with the reason.
#
# Needs sha256sum, gzip; python3 for the store dump and the whoisd client (those
# outputs are skipped without it).
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:-.}
G="$SRC/tests/golden"
BASE=${MANRS_TMP:-/tmp}/golden.$$
UPDATE=${MANRS_GOLDEN_UPDATE:-0}
SMALL=16384
for t in sha256sum gzip awk sed cmp diff; do
    command -v $t >/dev/null 2>&1 || { echo "SKIP: $t not found"; exit 77; }
done
case $BIN in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
case $SRC in /*) ;; *) SRC="$(pwd)/$SRC"; G="$SRC/tests/golden" ;; esac
PY=/usr/bin/python3   # not a pyenv shim: those take a second to start
[ -x "$PY" ] || PY=$(command -v python3 2>/dev/null || true)
if [ -z "$PY" ] && [ "$UPDATE" = 1 ]; then echo "FAIL: MANRS_GOLDEN_UPDATE=1 needs python3"; exit 1; fi
VER=$("$BIN" --version 2>/dev/null | awk '{print $2}')
[ -n "$VER" ] || { echo "FAIL: manrs --version printed no version"; exit 1; }
VERRE=$(printf '%s' "$VER" | sed 's/[].[\*^$/]/\\&/g')
mkdir -p "$BASE" || exit 1

# ---------------------------------------------------------------- helpers
# run NAME CMD...: stdout -> $O/NAME, stderr -> $O/NAME.err, status -> $O/.rc,
# from the current directory, stdin from /dev/null
run() {
    n=$1; shift
    "$@" > "$O/$n" 2> "$O/$n.err" < /dev/null
    echo "$n $?" >> "$O/.rc"
    note "$n" "$@"
    printf '%s\n%s\n' "$n" "$n.err" >> "$O/.names"
}
# runin NAME INPUT CMD...: the same with stdin from INPUT
runin() {
    n=$1; in=$2; shift 2
    "$@" > "$O/$n" 2> "$O/$n.err" < "$in"
    echo "$n $?" >> "$O/.rc"
    note "$n" "$@" "< $in"
    printf '%s\n%s\n' "$n" "$n.err" >> "$O/.names"
}
note() { # the command line, with the binary named manrs
    n=$1; shift
    printf '%s\tcd %s &&' "$n" "$(pwd)" >> "$O/.cmd"
    for a in "$@"; do [ "$a" = "$BIN" ] && a=manrs; printf ' %s' "$a" >> "$O/.cmd"; done
    echo >> "$O/.cmd"
}
# reg NAME HOW: an output that is not a command's stdout/stderr (already in $O)
reg() { printf '%s\t%s\n' "$1" "$2" >> "$O/.cmd"; echo "$1" >> "$O/.names"; }
# keep NAME FILE: a file a command wrote is an output too (moved into $O)
keep() {
    if [ -f "$2" ]; then mv "$2" "$O/$1"; else : > "$O/$1.missing"; fi
    printf '%s\tfile %s written in %s\n' "$1" "$2" "$(pwd)" >> "$O/.cmd"
    echo "$1" >> "$O/.names"
}
# norm NAME SED-SCRIPT: normalise volatile fields of an output in place
norm() { sed -e "$2" "$O/$1" > "$O/$1.tmp" && mv "$O/$1.tmp" "$O/$1"; }

# the subjects, picked from the seed-7 world (if sim output is ever changed on
# purpose, check that they still mean something: see the comments)
SET=AS6461:AS-CUSTOMERS      # as-set nesting two sets: 16 ASNs (RIPE)
BIGSET=AS3491:AS-CUSTOMERS   # 16 ASNs, 1 nested set, in ARIN (-t, -S RADB,ARIN, --rpki)
SMALLSET=AS54578:AS-CUSTOMERS # 2 ASNs
AS=AS19390                   # transit: 2 providers, customers, IPv4+IPv6 route objects
CUST=AS19390                 # antispoof customer: multihomed, with customers
EDGE=AS60402                 # culprit of a route leak, spoofable (check FAILs)
GOOD=16188                   # MANRS participant: check PASSes
HIJ=54578                    # origin hijacker
CC=KE                        # a country with a handful of networks
COVER=2.39.128.0/20          # an aggregate with a sub-prefix hijack under it
# (re-picked for the world with realistic customer cones and confounders, issue 11:
# transit networks below the Tier-1s now rarely have customers with customers)

# ---------------------------------------------------------------- one full set
# generate DIR: every output into DIR/out (world in DIR/w)
generate() {
    P=$1; O="$P/out"; W="$P/w"; I="$P/in"
    rm -rf "$P"; mkdir -p "$O" "$I"
    : > "$O/.rc"; : > "$O/.cmd"; : > "$O/.names"

    # -- sim: the world itself, and a second one with every option changed
    cd "$P" || return 1
    run sim.out "$BIN" sim --out w --ases 300 --seed 7 --incidents 4 --hours 1
    norm sim.out 's/^time  .*/time           T/'
    run sim2.out "$BIN" sim --out w2 --ases 60 --seed 3 --collectors 2 --peers-per-collector 3 \
        --hours 0.5 --start 1700000000 --manrs-share 0.5 --rov-share 1 --prefix-scale 0.5 \
        --incidents 1 --churn 5 --quiet
    for w in w w2; do
        o=world${w#w}
        for f in asrel.txt delegated.txt vrps.json irr.db peeringdb.json spoofer.csv truth.json as2org.txt; do
            cp "$w/$f" "$O/$o.$f"; reg "$o.$f" "file $P/$w/$f written by manrs sim"
        done
        for f in rib updates; do   # decompressed: the gzip bytes depend on the zlib version
            gzip -dc "$w/$f.mrt.gz" > "$O/$o.$f.mrt"; reg "$o.$f.mrt" "gzip -dc $P/$w/$f.mrt.gz"
        done
    done
    run example-mrt.out "$BIN" example-mrt --prefixes 6 --seed 2 ex.mrt
    cp ex.mrt "$O/example-mrt.mrt"; reg example-mrt.mrt "file $P/ex.mrt written by manrs example-mrt"
    run example-mrt-gz.out "$BIN" example-mrt --prefixes 3 --seed 9 in/ex.mrt.gz
    run dump.m.example     "$BIN" dump -m ex.mrt
    run dump.json.example  "$BIN" dump -j ex.mrt
    runin dump.m.stdin-gz in/ex.mrt.gz "$BIN" dump -m -
    run stats.example      "$BIN" stats ex.mrt

    # damaged MRT input: truncated inside the last record; 26 bytes of garbage before
    # the record of the 1000th event, and the length of the 3000th event's record
    # overwritten (0xffffff00: beyond the 16 MiB limit): two resynchronisations; the
    # same gzip-compressed (damage found behind the decompressing thread)
    gzip -dc w/updates.mrt.gz > "$I/upd.mrt"
    sz=$(wc -c < "$I/upd.mrt")
    head -c $((sz - 7)) "$I/upd.mrt" > w/truncated.mrt
    "$BIN" dump --json w/updates.mrt.gz 2>/dev/null | sed -n '1000p;3000p' | sed 's/.*"offset":\([0-9]*\).*/\1/' > "$I/offsets"
    { read -r x; read -r y; } < "$I/offsets"
    { head -c "$x" "$I/upd.mrt"; printf 'garbage between records\000\001\002'; tail -c +$((x + 1)) "$I/upd.mrt"; } > w/garbled.mrt
    printf '\377\377\377\000' | dd of=w/garbled.mrt bs=1 seek=$((y + 26 + 8)) conv=notrunc 2>/dev/null
    gzip -n -c w/garbled.mrt > w/garbled.mrt.gz

    cd "$W" || return 1
    # -- dump, stats
    run dump.m.rib         "$BIN" dump -m rib.mrt.gz
    run dump.m.updates     "$BIN" dump -m updates.mrt.gz
    run dump.json.rib      "$BIN" dump --json rib.mrt.gz
    run dump.json.updates  "$BIN" dump --json updates.mrt.gz
    run dump.m.both        "$BIN" dump rib.mrt.gz updates.mrt.gz
    run dump.m.truncated   "$BIN" dump -m truncated.mrt
    run dump.m.garbled     "$BIN" dump -m garbled.mrt
    run dump.json.garbled  "$BIN" dump --json garbled.mrt
    run dump.m.garbled-gz  "$BIN" dump -m garbled.mrt.gz
    run dump.m.missing     "$BIN" dump -m no-such-file.mrt
    run dump.usage         "$BIN" dump -m --frobnicate
    run stats.world        "$BIN" stats rib.mrt.gz updates.mrt.gz
    run stats.world.json   "$BIN" stats --json rib.mrt.gz updates.mrt.gz
    run stats.updates.json "$BIN" stats -j updates.mrt.gz
    run stats.truncated    "$BIN" stats truncated.mrt
    run stats.garbled.json "$BIN" stats --json garbled.mrt
    run stats.garbled-gz   "$BIN" stats garbled.mrt.gz
    run stats.usage        "$BIN" stats

    # -- validate: every knowledge base of the world, one line per case
    cat > "$I/routes.txt" <<'EOF'
23.0.0.0/15 3356
23.0.0.0/15 174 3356
23.0.0.0/15 AS174 AS3356
2.69.96.0/24 6939 2930
2.69.96.0/24 3356 2930
2.73.230.0/24 4952
2.73.230.0/24 3257 4952
41.3.187.0/24 1239 5511 4366
41.3.176.0/20 1239 5511 328499
2.67.85.0/24 54578 7982 200494
23.80.194.0/24 6939 10876 3257 701 398451
1.48.128.0/24 62612 24823 1299 44612
1.51.172.0/24 63516 54578 10876
2400:130:2::/48 5511 3839 10876
198.19.160.0/19 62612
177.3.205.0/24 5511 43046 65299
23.72.197.0/24 6762 1239 14667
fd86:66d9::/48 174 262600
2a00:1c0:87a9::/48 174 28257
5.0.0.0/24 174 64999
192.0.2.0/24 174 {64500,64501}
100.64.0.0/10 23456
not-a-prefix 3356
10.0.0.0/33 174
1.2.3.0/24
23.0.0.0/15 notanas

1.2.3.4/24 174
EOF
    KB="--vrps vrps.json --irr irr.db --asrel asrel.txt --delegated delegated.txt"
    runin validate.table       "$I/routes.txt" "$BIN" validate $KB
    runin validate.json        "$I/routes.txt" "$BIN" validate $KB --json
    runin validate.downstream  "$I/routes.txt" "$BIN" validate $KB --json --downstream
    runin validate.radb-only   "$I/routes.txt" "$BIN" validate --irr irr.db --irr-sources RADB
    runin validate.no-kb       "$I/routes.txt" "$BIN" validate
    run validate.args          "$BIN" validate --vrps vrps.json --asrel asrel.txt 2.69.96.0/24 3356 2930
    run validate.args.json     "$BIN" validate --vrps vrps.json --json 2.73.230.0/24 4952
    run validate.missing-kb    "$BIN" validate --vrps no-such-vrps.json 23.0.0.0/15 3356

    # -- filter: every format, AS / as-set / IPv6 / AS-path lists, then the flags
    for f in cisco iosxr junos eos bird openbgpd frr sros routeros json plain; do
        run filter.$f.set      "$BIN" filter --irr irr.db --format $f $SET
        run filter.$f.set6     "$BIN" filter --irr irr.db --format $f -6 $SET
        run filter.$f.as       "$BIN" filter --irr irr.db --format $f $AS
        run filter.$f.peer-f   "$BIN" filter --irr irr.db --format $f -f 6461 $SET
        run filter.$f.origin-G "$BIN" filter --irr irr.db --format $f -G 6461 -l OUT-$f $SET
    done
    for f in json bird openbgpd plain cisco; do
        run filter.$f.asn-list "$BIN" filter --irr irr.db --format $f -t $BIGSET
    done
    run filter.cisco.R24       "$BIN" filter --irr irr.db -R 24 $SET
    run filter.bird.m23        "$BIN" filter --irr irr.db -b -m 23 $SET
    run filter.iosxr.letters   "$BIN" filter --irr irr.db -X -l MY-LIST $AS $EDGE $COVER
    run filter.plain.S-radb    "$BIN" filter --irr irr.db --format plain -S RADB,ARIN $BIGSET
    run filter.plain.rpki      "$BIN" filter --irr irr.db --format plain --rpki vrps.json $BIGSET
    run filter.plain.rib       "$BIN" filter --irr irr.db --format plain --rib rib.mrt.gz --rib updates.mrt.gz $SET
    run filter.unknown-set     "$BIN" filter --irr irr.db AS-NOPE
    run filter.unknown-source  "$BIN" filter --irr irr.db -S NOPE $SET
    run filter.junos.R24       "$BIN" filter --irr irr.db -J -R 24 $SET
    run filter.bad-format      "$BIN" filter --irr irr.db --format huawei $SET
    # the world's route objects hardly aggregate: -A, -p, -L, route-sets, cycles and
    # bogons on a small hand-made RPSL file
    cat > "$I/gold.rpsl" <<'EOF'
as-set: AS-GOLD
members: AS100, AS-GOLD-SUB, AS64512
source: TEST

as-set: AS-GOLD-SUB
members: AS200, AS-GOLD, AS-GOLD-DEEP
source: TEST

as-set: AS-GOLD-DEEP
members: AS300
source: TEST

route-set: RS-GOLD
members: 31.0.0.0/16^+, 45.10.0.0/22^23-24, AS-GOLD-DEEP
mp-members: 2a0c:1000::/29^32
source: TEST

route: 11.0.0.0/24
origin: AS100
source: TEST

route: 11.0.1.0/24
origin: AS100
source: TEST

route: 11.0.2.0/24
origin: AS200
source: TEST

route: 11.0.3.0/24
origin: AS200
source: TEST

route: 11.0.4.0/23
origin: AS100
source: TEST

route: 11.0.4.0/24
origin: AS100
source: TEST

route: 11.0.5.0/24
origin: AS200
source: TEST

route: 11.0.6.0/24
origin: AS300
source: TEST

route: 11.0.7.128/25
origin: AS200
source: TEST

route: 11.0.7.0/25
origin: AS100
source: TEST

route: 10.9.0.0/16
origin: AS100
source: TEST

route: 11.8.0.0/16
origin: AS64512
source: TEST

route6: 2a0c:2000::/32
origin: AS100
source: TEST

route6: 2a0c:2001::/32
origin: AS200
source: TEST

route6: 2a0c:2002::/31
origin: AS300
source: TEST
EOF
    cd "$I" || return 1
    run filter.gold.cisco      "$BIN" filter --irr gold.rpsl AS-GOLD
    run filter.gold.cisco.A    "$BIN" filter --irr gold.rpsl -A AS-GOLD
    run filter.gold.plain.A-R25 "$BIN" filter --irr gold.rpsl --format plain -A -R 25 AS-GOLD
    run filter.gold.junos.A    "$BIN" filter --irr gold.rpsl -J -A AS-GOLD
    run filter.gold.json.A6    "$BIN" filter --irr gold.rpsl -j -A -6 AS-GOLD
    run filter.gold.plain.p    "$BIN" filter --irr gold.rpsl --format plain -p AS-GOLD
    run filter.gold.plain.L1   "$BIN" filter --irr gold.rpsl --format plain -L 1 -t AS-GOLD
    run filter.gold.plain.no-bogons "$BIN" filter --irr gold.rpsl --format plain --no-bogons -A AS-GOLD
    run filter.gold.plain.rs   "$BIN" filter --irr gold.rpsl --format plain RS-GOLD
    run filter.gold.bird.rs6-A "$BIN" filter --irr gold.rpsl -b -6 -A RS-GOLD
    run filter.gold.eos.prefixes "$BIN" filter --irr gold.rpsl -e -A 11.0.0.0/24 11.0.1.0/24 AS300
    cd "$W" || return 1

    # -- antispoof: the world's customer in every format, variants, the fixtures
    for f in ios junos eos nftables json; do
        run antispoof.$f "$BIN" antispoof --customer $CUST --asrel asrel.txt --irr irr.db --vrps vrps.json \
            --rib rib.mrt.gz --format $f
    done
    run antispoof.set.ios        "$BIN" antispoof --customer $SMALLSET --irr irr.db --vrps vrps.json -p 1 --interface eth7
    run antispoof.local-as.json  "$BIN" antispoof --customer $CUST --asrel asrel.txt --irr irr.db --local-as 2914 --format json
    run antispoof.edge.nftables  "$BIN" antispoof --edge $EDGE --asrel asrel.txt --irr irr.db --vrps vrps.json --format nftables --interface eth0
    run antispoof.edge.junos     "$BIN" antispoof --edge $EDGE --irr irr.db -p 2 --min-len4 20 --format junos
    run antispoof.unknown        "$BIN" antispoof --customer AS4200000000 --asrel asrel.txt --irr irr.db
    cd "$SRC/tests/antispoof" || return 1
    for f in ios junos eos nftables json; do
        run antispoof.fixture.$f "$BIN" antispoof --customer AS64500 --asrel small.asrel --irr small.db --vrps small.csv \
            --local-as 65000 --extra 45.255.0.0/31 --interface eth1 --format $f
    done
    run antispoof.fixture.edge "$BIN" antispoof --edge AS64500 --asrel small.asrel --irr small.db --vrps small.csv \
        --interface eth2 --format nftables
    cd "$W" || return 1

    # -- observe: run 1 a partial window, run 2 the whole world, run 3 fails (--strict)
    run observe.run1 "$BIN" observe --world . --to 1764549000 --json obs1.json --db manrs.db
    keep observe.run1.json obs1.json
    run observe.run2 "$BIN" observe --world . --json obs2.json --db manrs.db
    keep observe.run2.json obs2.json
    run observe.run3-strict "$BIN" observe --updates truncated.mrt --asrel asrel.txt \
        --db manrs.db --strict --json obs3.json
    keep observe.run3.json obs3.json
    run observe.no-db "$BIN" observe --updates updates.mrt.gz --vrps vrps.json --irr irr.db --min-peers 3 \
        --from 1764547800 --to 1764549600 --no-db --quiet --json obs4.json
    keep observe.no-db.json obs4.json
    if [ -n "$PY" ]; then
        cat > "$I/storedump.py" <<'PY'
import sqlite3, sys
# the store at the SQL level: pragmas, schema, every row ordered by every column;
# the run's started/finished times and the tool version are volatile
db = sqlite3.connect(sys.argv[1])
def fmt(v):
    if v is None: return "NULL"
    if isinstance(v, float): return repr(v)
    if isinstance(v, str): return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return str(v)
for p in ("application_id", "user_version"):
    print("pragma", p, db.execute("PRAGMA " + p).fetchone()[0])
for row in db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"):
    print("schema", " | ".join(fmt(v) for v in row))
for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
    cur = db.execute('SELECT * FROM "%s"' % t)
    cols = [d[0] for d in cur.description]
    rows = db.execute('SELECT * FROM "%s" ORDER BY %s' % (t, ", ".join(str(i + 1) for i in range(len(cols))))).fetchall()
    print("table", t, len(rows), "rows:", ", ".join(cols))
    for r in rows:
        out = [fmt(v) for v in r]
        if t == "runs":
            for i, c in enumerate(cols):
                if c in ("started", "finished") and r[i] is not None: out[i] = "T"
                if c == "tool_version": out[i] = "VERSION"
        print(" ", " | ".join(out))
PY
        run observe.db "$PY" "$I/storedump.py" manrs.db
    fi
    # -- report: every format for the landscape, one AS, one country; runs; -o
    for f in table json csv html markdown; do
        run report.landscape.$f "$BIN" report --db manrs.db --format $f
        run report.as.$f        "$BIN" report --db manrs.db --format $f --as ${EDGE#AS}
        run report.country.$f   "$BIN" report --db manrs.db --format $f --country $CC
    done
    run report.runs        "$BIN" report --db manrs.db --runs
    run report.top5        "$BIN" report --db manrs.db --top 5
    run report.run1.json   "$BIN" report --db manrs.db --run 1 --format json --as $GOOD
    run report.run3-failed "$BIN" report --db manrs.db --run 3
    run report.run3-failed.json "$BIN" report --db manrs.db --run 3 --format json
    run report.o           "$BIN" report --db manrs.db --format markdown --top 3 -o rep.md
    keep report.o.md rep.md
    run report.as-absent   "$BIN" report --db manrs.db --as 4200000000
    run report.no-store    "$BIN" report --db no-such.db
    for n in report.landscape.json report.as.json report.country.json report.run1.json report.run3-failed.json; do
        norm $n 's/"started": [0-9][0-9]*/"started": T/g; s/"finished": [0-9][0-9]*/"finished": T/g; s/"tool_version": "[^"]*"/"tool_version": "VERSION"/g'
    done
    for n in report.landscape.html report.as.html report.country.html; do
        norm $n "s/manrs $VERRE/manrs VERSION/g"
    done

    # -- check: two ASNs in both forms, ACL dialects, a hijacker, an unknown AS
    run check.$EDGE.table    "$BIN" check --world . ${EDGE#AS}
    run check.$EDGE.json     "$BIN" check --world . --json --acl-format eos ${EDGE#AS}
    run check.AS$GOOD.table  "$BIN" check --world . --acl-format nftables $GOOD
    run check.AS$GOOD.json   "$BIN" check --world . --json --acl-format junos --min-peers 3 $GOOD
    run check.AS$HIJ.partial.json "$BIN" check --updates updates.mrt.gz --irr irr.db --vrps vrps.json --now 2026-01-01 \
        --stale-days 100 --json $HIJ
    run check.unknown        "$BIN" check --irr irr.db --vrps vrps.json 4200000000

    # -- whoisd: the answers to IRRd / RIPE-style queries over a socket
    if [ -n "$PY" ]; then
        rm -f "$P/port"
        "$BIN" whoisd --irr irr.db --listen 127.0.0.1:0 --port-file "$P/port" 2> "$P/whoisd.log" &
        wpid=$!
        i=0
        while [ ! -s "$P/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
        cat > "$I/whois.py" <<'PY'
import socket, sys
port, aset, asn, cover = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
sessions = [  # one connection each; without !! the server answers once and closes
    "!g" + asn, "!6" + asn, "!gAS4200000000", "!gnotanas",
    "!i" + aset, "!i" + aset + ",1", "!iAS-NOPE",
    "!a4" + aset, "!a6" + aset, "!a" + aset, "!a",
    "!r" + cover, "!r" + cover + ",o", "!r" + cover + ",l", "!r41.3.187.0/24,l", "!r41.3.187.0/24,L",
    "!r" + cover + ",M", "!r300.0.0.0/8",
    "!maut-num," + asn, "!mas-set," + aset, "!mmntner,MAINT-" + asn, "!mfoo,bar", "!maut-num,AS4200000000",
    "!s-lc", "!j-*", "!sNOPE",
    "-i origin " + asn, "-K -T route " + cover, "-x " + cover, "-L 41.3.187.0/24", asn, "NO-SUCH-KEY",
    "!!\n!sRADB,ARIN\n!s-lc\n!g" + asn + "\n!sNOPE\n!s-lc\n!nclient\n!t5\n!q",
]
for s in sessions:
    c = socket.create_connection(("127.0.0.1", int(port)), timeout=20)
    c.sendall((s + "\n").encode())
    data = b""
    while True:
        b = c.recv(65536)
        if not b: break
        data += b
    c.close()
    sys.stdout.write("### " + s.replace("\n", " \\n ") + "\n")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
PY
        run whoisd.answers "$PY" "$I/whois.py" "$(cat "$P/port" 2>/dev/null)" $SET $AS $COVER
        kill -TERM $wpid 2>/dev/null; wait $wpid 2>/dev/null
    fi

    # -- help texts (every command), the banner with the version normalised
    run help.main "$BIN"
    norm help.main.err "s/manrs $VERRE/manrs VERSION/g"
    norm help.main "s/manrs $VERRE/manrs VERSION/g"
    for c in dump stats validate filter antispoof observe check report sim whoisd rtrd example-mrt; do
        run help.$c "$BIN" help $c
    done
    run help.unknown "$BIN" frobnicate
    norm help.unknown "s/manrs $VERRE/manrs VERSION/g"
    norm help.unknown.err "s/manrs $VERRE/manrs VERSION/g"
    cd "$BASE" || return 1
    # the manifest of this set (sha256sum format), in the order produced
    (cd "$O" && awk '!seen[$0]++' .names > .names.u && sha256sum $(cat .names.u)) > "$P/actual.sha256"
}

# compare P LABEL: P's outputs against the checked-in manifest; prints ok/FAIL lines
# (ok lines only for the first set), sets NF to the number of failures
compare() {
    P=$1; label=$2; O="$P/out"; NF=0
    awk 'FNR == NR { want[$2] = $1; order[++n] = $2; next }
         { got[$2] = $1; if (!($2 in want)) print "NEW", $2 }
         END { for (i = 1; i <= n; i++) { k = order[i]
                 if (!(k in got)) print "MISSING", k; else if (got[k] != want[k]) print "DIFF", k; else print "OK", k } }' \
        "$G/outputs.sha256" "$P/actual.sha256" > "$P/status"
    awk 'FNR == NR { want[$1] = $2; next } ($1 in want) && want[$1] != $2 { print "RC", $1, $2, want[$1] }
         !($1 in want) { print "RC", $1, $2, "none" }' "$G/exit-codes" "$O/.rc" >> "$P/status"
    while read st name got want; do
        case $st in
        OK)
            if [ -f "$G/$name" ] && ! cmp -s "$G/$name" "$O/$name"; then
                NF=$((NF+1)); echo "FAIL $name$label: output differs from tests/golden/$name (which disagrees with its pinned hash)"
                diff "$G/$name" "$O/$name" | head -30
            elif [ -z "$label" ]; then echo "ok   $name"; fi ;;
        MISSING)
            case $name in observe.db|whoisd.*) if [ -z "$PY" ]; then echo "skip $name: python3 not found"; continue; fi ;; esac
            NF=$((NF+1)); echo "FAIL $name$label: not produced" ;;
        NEW) NF=$((NF+1)); echo "FAIL $name$label: not in tests/golden/outputs.sha256 (a new output? MANRS_GOLDEN_UPDATE=1)" ;;
        RC) NF=$((NF+1)); echo "FAIL $name$label: exit status $got, pinned $want"
            echo "     command: $(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$O/.cmd")" ;;
        DIFF)
            NF=$((NF+1)); echo "FAIL $name$label: output differs"
            echo "     command: $(awk -F'\t' -v n="${name%.err}" '$1 == n { print $2 }' "$O/.cmd")"
            echo "     actual output kept in $O/$name"
            if [ -f "$G/$name" ]; then
                if cmp -s "$G/$name" "$O/$name"; then
                    echo "     (equal to tests/golden/$name: the pinned hash in outputs.sha256 disagrees with that file)"
                else diff "$G/$name" "$O/$name" | head -30; fi
            elif grep -q "^e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  $name\$" "$G/outputs.sha256"; then
                echo "     pinned: empty; actual (first 30 lines):"; head -30 "$O/$name"
            else
                echo "     (large output: only its hash is pinned; compare with a checkout from before the change)"
            fi ;;
        esac
    done < "$P/status"
}

# ---------------------------------------------------------------- main
start=$(date +%s)
if [ "$UPDATE" = 1 ]; then
    ( MANRS_IO_THREADS=0; export MANRS_IO_THREADS; generate "$BASE/c" ) &
    cpid=$!
    generate "$BASE/a" || { echo "FAIL: generating set a"; exit 1; }
    wait $cpid || { echo "FAIL: generating set c"; exit 1; }
    generate "$BASE/b" || { echo "FAIL: generating set b"; exit 1; }
    bad=0
    for s in b c; do
        if ! cmp -s "$BASE/a/actual.sha256" "$BASE/$s/actual.sha256" || ! cmp -s "$BASE/a/out/.rc" "$BASE/$s/out/.rc"; then
            echo "FAIL: set $s differs from set a (non-deterministic output; not updating):"
            diff "$BASE/a/actual.sha256" "$BASE/$s/actual.sha256" | grep '^[<>]' | awk '{print "     " $3}' | sort -u
            diff "$BASE/a/out/.rc" "$BASE/$s/out/.rc"
            bad=1
        fi
    done
    [ $bad = 0 ] || { echo "outputs kept in $BASE"; exit 1; }
    mkdir -p "$G"
    find "$G" -maxdepth 1 -type f -delete
    cp "$BASE/a/actual.sha256" "$G/outputs.sha256"
    cp "$BASE/a/out/.rc" "$G/exit-codes"
    nsmall=0
    while read -r _ name; do
        f="$BASE/a/out/$name"
        case $name in
        *.mrt|world.*|world2.*) continue ;;  # binary, or the world's data: hash only
        antispoof.fixture.*) continue ;;     # = tests/antispoof/expected.*, pinned there too
        esac
        s=$(wc -c < "$f")
        if [ "$s" -gt 0 ] && [ "$s" -lt $SMALL ]; then cp "$f" "$G/$name"; nsmall=$((nsmall+1)); fi
    done < "$G/outputs.sha256"
    echo "updated $G: $(wc -l < "$G/outputs.sha256") outputs, $nsmall kept as files, $(du -sk "$G" | cut -f1) KiB, $(($(date +%s) - start)) s"
    rm -rf "$BASE"
    exit 0
fi

[ -f "$G/outputs.sha256" ] && [ -f "$G/exit-codes" ] || { echo "FAIL: no manifest in $G (MANRS_GOLDEN_UPDATE=1 creates it)"; exit 1; }
fail=0
# the two sets side by side (separate directories, whoisd on a free port each)
( MANRS_IO_THREADS=0; export MANRS_IO_THREADS; generate "$BASE/c" ) &
cpid=$!
generate "$BASE/a" || { echo "FAIL: generating the outputs"; fail=1; }
wait $cpid || { echo "FAIL: generating the outputs with MANRS_IO_THREADS=0"; fail=1; }
compare "$BASE/a" ""; fail=$((fail + NF))
compare "$BASE/c" " [MANRS_IO_THREADS=0]"; n=$NF
[ $n = 0 ] && echo "ok   all $(wc -l < "$G/outputs.sha256") outputs again with MANRS_IO_THREADS=0"
fail=$((fail + n))
echo "golden: $(wc -l < "$G/outputs.sha256") outputs pinned, $fail failures, $(($(date +%s) - start)) s"
if [ $fail = 0 ]; then rm -rf "$BASE"; exit 0; fi
echo "outputs kept in $BASE (accept an intended change: MANRS_GOLDEN_UPDATE=1, see the header)"
exit 1
