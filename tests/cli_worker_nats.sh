#!/bin/sh
# cli_worker_nats.sh — the distributed observatory (docs/scale.md "The workers"):
# `manrs feed` publishes a simulated world's MRT files on NATS JetStream, `manrs
# observe --nats` coordinates, `manrs worker`s compute the partitions, everything
# in PostgreSQL; the stored run must be `manrs observe`'s (the same files into
# SQLite), row for row: the run's JSON byte for byte, and `manrs report` (JSON, CSV,
# one culprit's incidents with their evidence) after normalising the wall-clock
# fields and the store's name.
#   1. 1 worker, 2 workers, 4 workers with one killed (SIGKILL) midway: its task
#      goes to another after the ack wait; 1 worker of 3 threads and 2 of 2 threads
#      (--threads: the knowledge loaded once per process, every phase-2 task of a
#      lone process on the view its phase 1 built); the partitions under 1/256 of
#      the messages several to a task;
#   2. faults: nats-server restarted mid-run, PostgreSQL restarted mid-run (servers
#      of the test's own, tests/nats_server.sh and pg_cluster.sh restart): the run
#      completes (resumed with --reduce --run ID when the coordinator gave up),
#      nothing lost or counted twice; `manrs serve` on that store through another
#      restart serves the run stored after it;
#   3. bad input: unreachable URLs (named without credentials, exit 1, within the
#      connect timeout); a malformed message on a partition subject (counted,
#      logged with subject and sequence, skipped: the result is still observe's);
#   4. real data when ../shared/data holds it: RouteViews 2008-02-22/23 files, the
#      updates before --from as the baseline, 2 workers against observe.
# SKIP (77) without MANRS_NATS_URL and MANRS_PG_URL: `make test-cluster`.
set -u
: "${MANRS_BIN:?}" "${MANRS_TMP:?}" "${MANRS_SRC:?}"
[ -n "${MANRS_NATS_URL:-}" ] && [ -n "${MANRS_PG_URL:-}" ] ||
    { echo "SKIP: MANRS_NATS_URL and MANRS_PG_URL not both set (make test-cluster)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
command -v psql >/dev/null 2>&1 || { echo "SKIP: psql not found"; exit 77; }
BIN=$MANRS_BIN
N=$MANRS_NATS_URL
DATA=${MANRS_DATA:-$MANRS_SRC/../shared/data}
T="$MANRS_TMP/worker_nats.$$"
rm -rf "$T"
mkdir -p "$T"
PIDS=""
cleanup() {
    for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
    [ -d "$T/nats2" ] && sh "$MANRS_SRC/tests/nats_server.sh" stop "$T/nats2"
    [ -d "$T/pg2" ] && sh "$MANRS_SRC/tests/pg_cluster.sh" stop "$T/pg2"
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
now() { python3 -c 'import time; print(time.time())'; }
tag=$$

# A fresh schema of a PostgreSQL database: its URL.
schema() {   # BASE_URL NAME
    psql -q "$1" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $2 CASCADE; CREATE SCHEMA $2" ||
        { echo "FAIL: cannot create schema $2" >&2; return 1; }
    case $1 in *\?*) echo "$1&options=-csearch_path%3D$2" ;; *) echo "$1?options=-csearch_path%3D$2" ;; esac
}
sql() { psql -qtA "$1" -c "$2" 2>/dev/null; }

norm() {   # STORE
    sed -E 's/"(started|finished)": [0-9]+/"\1": T/g; s/(started|finished)[ :]+[0-9TZ:-]+/\1 T/g' | sed "s|$1|STORE|g"
}

# same NAME REF_DB REF_JSON PG CLUSTER_JSON CULPRIT: the stored runs report the same
same() {
    name=$1 ref=$2 refjson=$3 pg=$4 cj=$5 culprit=$6
    if cmp -s "$refjson" "$cj"; then
        ok "$name: the run's JSON is observe's ($(wc -c <"$cj") bytes)"
    else
        bad "$name: the run's JSON differs from observe's"
        python3 -m json.tool "$refjson" >"$T/a.pretty" 2>/dev/null
        python3 -m json.tool "$cj" >"$T/b.pretty" 2>/dev/null
        diff "$T/a.pretty" "$T/b.pretty" | head -10
    fi
    for args in "--format json" "--format csv" "--as $culprit --format json"; do
        # shellcheck disable=SC2086
        "$BIN" report --db "$ref" $args 2>&1 | norm "$ref" >"$T/r1"
        # shellcheck disable=SC2086
        "$BIN" report --db "$pg" $args 2>&1 | norm "$pg" >"$T/r2"
        if [ -s "$T/r1" ] && cmp -s "$T/r1" "$T/r2"; then
            ok "$name: report $args: the same ($(wc -c <"$T/r1") bytes)"
        else
            bad "$name: report $args differs"
            diff "$T/r1" "$T/r2" | head -6
        fi
    done
}

# The reference: observe into SQLite.
reference() {   # KEY ARGS...
    k=$1
    shift
    "$BIN" observe "$@" --db "$T/ref_$k.db" -q --json "$T/ref_$k.json" 2>"$T/ref_$k.err" ||
        { bad "observe $*: $(tail -2 "$T/ref_$k.err")"; return 1; }
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["incidents"][0]["culprit"])' \
        "$T/ref_$k.json" >"$T/ref_$k.culprit"
}

feed() {   # NATS STREAM FILES...
    u=$1 s=$2
    shift 2
    args=""
    for f in "$@"; do args="$args --mrt $f"; done
    # shellcheck disable=SC2086
    "$BIN" feed --nats "$u" --stream "$s" $args -q >"$T/feed_$s.out" 2>"$T/feed_$s.err" ||
        { bad "feed $s: $(tail -2 "$T/feed_$s.err")"; return 1; }
}

# Workers in the background: start_workers NATS STREAM PG COUNT NAME [THREADS]
start_workers() {
    WPIDS=""
    i=1
    while [ "$i" -le "$4" ]; do
        timeout 600 "$BIN" worker --nats "$1" --stream "$2" --db "$3" --once --ack-wait 2 --name "$5-w$i" \
            --threads "${6:-1}" 2>"$T/$5.w$i.err" &
        WPIDS="$WPIDS $!"
        i=$((i + 1))
    done
    PIDS="$PIDS $WPIDS"
}
wait_workers() {
    for p in $WPIDS; do wait "$p" 2>/dev/null; done
}

# The coordinator in the background: start_coord NATS STREAM PG NAME ARGS...
start_coord() {
    cu=$1 cs=$2 cp=$3 cn=$4
    shift 4
    timeout 600 "$BIN" observe --nats "$cu" --stream "$cs" --db "$cp" --json "$T/$cn.json" "$@" 2>"$T/$cn.coord.err" &
    CPID=$!
    PIDS="$PIDS $CPID"
}

# Until a command succeeds (max seconds).
until_true() {   # SECONDS CMD...
    lim=$1
    shift
    end=$(( $(date +%s) + lim ))
    while [ "$(date +%s)" -lt "$end" ]; do
        "$@" && return 0
        sleep 0.05
    done
    return 1
}
tasks_done() { [ "$(grep -c ' partition [0-9]*: done' "$1" 2>/dev/null)" -ge "$2" ]; }
# Is the worker of this log inside a task (its last line a task begun)?
in_task() { tail -1 "$1" 2>/dev/null | grep -q ' partition [0-9]*: begun'; }
rows_at_least() { [ "$(sql "$1" "SELECT count(*) FROM split_parts" || echo 0)" -ge "$2" ]; }

# ---------------------------------------------------------------- the worlds
W1="$T/w1"
W3="$T/w3"
"$BIN" sim --out "$W1" --seed 1 --ases 800 --incidents 10 >/dev/null 2>&1 || { echo "FAIL: sim seed 1"; exit 1; }
"$BIN" sim --out "$W3" --seed 3 --ases 3000 --incidents 60 >/dev/null 2>&1 || { echo "FAIL: sim seed 3"; exit 1; }
reference w1 --world "$W1" || exit 1
reference w3 --world "$W3" || exit 1

# ---------------------------------------------------------------- 1. 1, 2, 4 workers (one killed)
cluster() {   # NAME WORLD KEY WORKERS KILL [THREADS]
    name=$1 w=$2 key=$3 nw=$4 kill=$5 nt=${6:-1}
    stream="${name}_$tag"
    pg=$(schema "$MANRS_PG_URL" "wk_$name") || { bad "$name: schema"; return; }
    feed "$N" "$stream" "$w/rib.mrt.gz" "$w/updates.mrt.gz" || return
    t0=$(now)
    start_coord "$N" "$stream" "$pg" "$name" --world "$w"
    start_workers "$N" "$stream" "$pg" "$nw" "$name" "$nt"
    if [ "$kill" = kill ]; then
        # worker 1, once it has done a task, frozen (SIGSTOP) inside a task and
        # killed (SIGKILL): the task it holds must go to another after the ack wait
        # (the largest partitions go first, the rest are short: watched for up to
        # 10 s, through phase 2)
        victim=$(pgrep -P "$(echo $WPIDS | cut -d' ' -f1)")   # the worker under timeout(1)
        killed=""
        if until_true 120 tasks_done "$T/$name.w1.err" 1; then
            tries=0
            while [ -z "$killed" ] && [ $tries -lt 1000 ] && kill -0 "$victim" 2>/dev/null; do
                if in_task "$T/$name.w1.err"; then
                    kill -STOP "$victim"
                    held=$(tail -1 "$T/$name.w1.err" | sed -n 's/.*phase \([0-9]*\) partition \([0-9]*\): begun.*/\1 \2/p')
                    # inside a task whose row is not in yet
                    if [ -n "$held" ] && [ "$(sql "$pg" "SELECT count(*) FROM split_parts WHERE phase = ${held% *} AND part = ${held#* }")" = 0 ]; then
                        kill -9 "$victim"
                        killed="phase ${held% *} partition ${held#* }"
                    else
                        kill -CONT "$victim"
                    fi
                fi
                tries=$((tries + 1))
                sleep 0.01
            done
        fi
        [ -n "$killed" ] && ok "$name: worker 1 killed (SIGKILL) inside a task ($killed) after $(grep -c ': done' "$T/$name.w1.err") tasks" ||
            bad "$name: worker 1 could not be killed inside a task"
    fi
    wait "$CPID"
    rc=$?
    t1=$(now)
    wait_workers
    if [ $rc -ne 0 ]; then
        bad "$name: the coordinator exit $rc: $(tail -3 "$T/$name.coord.err")"
        return
    fi
    secs=$(python3 -c "print('%.1f' % ($t1 - $t0))")
    parts=$(sql "$pg" "SELECT parts FROM split_runs")
    rows=$(sql "$pg" "SELECT count(*) FROM split_parts")
    [ "$rows" = $((2 * parts)) ] && ok "$name: $nw worker(s) of $nt thread(s), $parts partitions, $rows part rows, $secs s" ||
        bad "$name: $rows part rows for $parts partitions"
    if [ "$key" = w3 ]; then
        # the seed-3 world has partitions under 1/256 of its messages: several per task
        groups=$(cat "$T/$name".w*.err | grep -c "begun.*(a task of small partitions)")
        [ "$groups" -gt 0 ] && ok "$name: small partitions grouped, $groups tasks of several" ||
            bad "$name: no task of several small partitions"
    fi
    if [ "$nt" -gt 1 ]; then
        # the threads of a worker share its knowledge and its phase-1 views: loaded
        # once per process; with one process, every phase-2 task takes its view kept
        loads=$(cat "$T/$name".w*.err | grep -c "knowledge loaded")
        [ "$loads" = "$nw" ] && ok "$name: the knowledge loaded once per worker process ($loads)" ||
            bad "$name: the knowledge loaded $loads times by $nw processes"
        workers=$(sql "$pg" "SELECT count(DISTINCT worker) FROM split_parts")
        [ "$workers" = "$nw" ] && ok "$name: the rows name the $nw worker process(es)" ||
            bad "$name: the rows name $workers workers, not $nw processes"
    fi
    if [ "$kill" = kill ] && [ -n "$killed" ]; then
        # phase 1: the shared queue delivers it again after the ack wait; phase 2:
        # the task was the killed worker's own (affinity): the coordinator gives
        # it to every worker once no part comes for a while
        if grep -q "$killed: begun (a task delivered again)" "$T/$name".w[2-9].err; then
            ok "$name: the killed worker's task ($killed) was delivered again to another worker"
        elif grep -q "phase 2: no new part for .* published to every worker too" "$T/$name.coord.err" &&
            grep -q "$killed: begun" "$T/$name".w[2-9].err; then
            ok "$name: the killed worker's own task ($killed) went to another worker once no part came"
        else
            bad "$name: the killed worker's task ($killed) was not delivered again"
        fi
    fi
    # phase 2 on the worker process that holds the partition's phase-1 view: every
    # task (unless the coordinator had to give them to every worker: a worker killed)
    p2=$(cat "$T/$name".w*.err | grep -c "phase 2 partition [0-9]*: done")
    kept=$(cat "$T/$name".w*.err | grep -c "phase 2 partition [0-9]*: done .*(the view phase 1 built, kept)")
    if grep -q "published to every worker too" "$T/$name.coord.err"; then
        echo "note $name: $kept of $p2 phase-2 tasks on their phase-1 view (the rest given to every worker)"
    elif [ "$p2" -ge "$parts" ] && [ "$kept" = "$p2" ]; then
        ok "$name: every phase-2 task ($p2) ran where its phase-1 view was kept ($nw process(es))"
    else
        bad "$name: $kept of $p2 phase-2 tasks on their phase-1 view ($parts partitions, $nw processes)"
    fi
    same "$name" "$T/ref_$key.db" "$T/ref_$key.json" "$pg" "$T/$name.json" "$(cat "$T/ref_$key.culprit")"
}
cluster one "$W3" w3 1 no
cluster two "$W3" w3 2 no
cluster four "$W3" w3 4 kill
cluster threads "$W3" w3 1 no 3
cluster threads2 "$W3" w3 2 no 2
cluster small "$W1" w1 2 no

# a coordinator started again on a sealed stream whose split run is complete: says so
stream="two_$tag"
pg="$MANRS_PG_URL?options=-csearch_path%3Dwk_two"
case $MANRS_PG_URL in *\?*) pg="$MANRS_PG_URL&options=-csearch_path%3Dwk_two" ;; esac
timeout 120 "$BIN" observe --nats "$N" --stream "$stream" --world "$W3" --db "$pg" >"$T/again.out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "is split run 1, complete: observatory run 1" "$T/again.out" &&
    ok "a coordinator again on a finished seal: says it is complete" ||
    bad "a coordinator again on a finished seal: exit $rc: $(tail -2 "$T/again.out")"

# ---------------------------------------------------------------- 2. faults
# The run under a fault to its end: the coordinator waited for (resumed with
# --reduce --run ID when it gave up), the workers, every partition's two rows.
after_fault() {   # NATS_URL (uses name, pg, CPID)
    wait "$CPID"
    rc=$?
    if [ $rc -ne 0 ]; then
        id=$(sql "$pg" "SELECT max(id) FROM split_runs")
        echo "note $name: the coordinator gave up (exit $rc: $(tail -1 "$T/$name.coord.err")): --reduce --run $id"
        timeout 600 "$BIN" observe --nats "$1" --db "$pg" --reduce --run "$id" --json "$T/$name.json" \
            2>"$T/$name.coord2.err" || bad "$name: --reduce --run $id: $(tail -2 "$T/$name.coord2.err")"
    fi
    wait_workers
    parts=$(sql "$pg" "SELECT parts FROM split_runs")
    rows=$(sql "$pg" "SELECT count(*) FROM split_parts")
    [ "$rows" = $((2 * parts)) ] && ok "$name: $rows part rows for $parts partitions" || bad "$name: $rows rows, $parts partitions"
}
# nats-server restarted under the run
if N2=$(sh "$MANRS_SRC/tests/nats_server.sh" start "$T/nats2" 2>"$T/nats2.err"); then
    name=natsrestart
    stream="nr_$tag"
    pg=$(schema "$MANRS_PG_URL" wk_nr)
    feed "$N2" "$stream" "$W3/rib.mrt.gz" "$W3/updates.mrt.gz"
    start_coord "$N2" "$stream" "$pg" "$name" --world "$W3"
    start_workers "$N2" "$stream" "$pg" 2 "$name"
    if until_true 120 rows_at_least "$pg" 2; then
        NATS_DOWN=1 sh "$MANRS_SRC/tests/nats_server.sh" restart "$T/nats2" >/dev/null &&
            ok "$name: nats-server restarted after $(sql "$pg" "SELECT count(*) FROM split_parts") part rows" ||
            bad "$name: nats-server did not restart"
    else
        bad "$name: no part row within 120 s"
    fi
    after_fault "$N2"
    grep -q "waiting for NATS\|no message within the timeout\|acknowledgement not sent\|delivered again" "$T/$name".w*.err &&
        ok "$name: the workers saw the restart and went on" || echo "note $name: no worker noticed the restart"
    same "$name" "$T/ref_w3.db" "$T/ref_w3.json" "$pg" "$T/$name.json" "$(cat "$T/ref_w3.culprit")"
    sh "$MANRS_SRC/tests/nats_server.sh" stop "$T/nats2"
else
    echo "SKIP part: no nats-server of the test's own: $(cat "$T/nats2.err")"
fi

# PostgreSQL restarted under the run
if P2=$(sh "$MANRS_SRC/tests/pg_cluster.sh" start "$T/pg2" 2>"$T/pg2.err"); then
    name=pgrestart
    stream="pr_$tag"
    pg=$P2
    feed "$N" "$stream" "$W3/rib.mrt.gz" "$W3/updates.mrt.gz"
    start_coord "$N" "$stream" "$pg" "$name" --world "$W3"
    start_workers "$N" "$stream" "$pg" 2 "$name"
    if until_true 120 rows_at_least "$pg" 2; then
        PG_DOWN=1 sh "$MANRS_SRC/tests/pg_cluster.sh" restart "$T/pg2" >/dev/null &&
            ok "$name: PostgreSQL restarted (fast shutdown: every connection cut)" || bad "$name: PostgreSQL did not restart"
    else
        bad "$name: no part row within 120 s"
    fi
    after_fault "$N"
    grep -q "reconnecting" "$T/$name".w*.err "$T/$name.coord.err" && ok "$name: the restart was seen and ridden out" ||
        echo "note $name: nobody noticed the restart"
    same "$name" "$T/ref_w3.db" "$T/ref_w3.json" "$pg" "$T/$name.json" "$(cat "$T/ref_w3.culprit")"
    # `manrs serve` on that store, PostgreSQL restarted under it, a new run stored:
    # serve opens the store again and serves the new run (its connection was cut)
    "$BIN" serve --db "$pg" --listen 127.0.0.1:0 --port-file "$T/serve.port" 2>"$T/serve.err" &
    SPID=$!
    PIDS="$PIDS $SPID"
    if until_true 30 test -s "$T/serve.port"; then
        latest() {   # the latest complete run serve reports, "" when it does not answer
            python3 - "$(cat "$T/serve.port")" <<'PY'
import json, sys, urllib.request
try:
    d = json.load(urllib.request.urlopen("http://127.0.0.1:%s/api/v1/runs" % sys.argv[1], timeout=5))
    print(d.get("latest_complete") or "")
except Exception:
    print("")
PY
        }
        before=$(latest)
        PG_DOWN=1 sh "$MANRS_SRC/tests/pg_cluster.sh" restart "$T/pg2" >/dev/null || bad "serve: PostgreSQL did not restart"
        "$BIN" observe --world "$W1" --db "$pg" -q 2>"$T/serve.obs.err" || bad "serve: observe: $(tail -1 "$T/serve.obs.err")"
        new=$(sql "$pg" "SELECT max(id) FROM runs WHERE status = 'complete'")
        serves_new() { [ "$(latest)" = "$new" ]; }
        if [ -n "$before" ] && [ "$new" != "$before" ] && until_true 30 serves_new; then
            ok "serve: PostgreSQL restarted under it: the store opened again, run $new served (was $before)"
        else
            bad "serve: after a PostgreSQL restart it serves run '$(latest)', not $new (before: '$before'): $(tail -3 "$T/serve.err")"
        fi
    else
        bad "serve --db $pg did not start: $(tail -2 "$T/serve.err")"
    fi
    kill "$SPID" 2>/dev/null
    wait "$SPID" 2>/dev/null
    sh "$MANRS_SRC/tests/pg_cluster.sh" stop "$T/pg2"
else
    echo "SKIP part: no PostgreSQL cluster of the test's own: $(cat "$T/pg2.err")"
fi

# ---------------------------------------------------------------- 3. bad input
pgok=$(schema "$MANRS_PG_URL" wk_bad)
t0=$(now)
"$BIN" worker --nats "nats://u:s3cret@127.0.0.1:1" --db "$pgok" --once 2>"$T/un1.err"
rc=$?
t1=$(now)
[ $rc -eq 1 ] && grep -q "nats://127.0.0.1:1: cannot connect to NATS" "$T/un1.err" && ! grep -q s3cret "$T/un1.err" &&
    python3 -c "import sys; sys.exit(0 if $t1 - $t0 < 7 else 1)" &&
    ok "worker, unreachable NATS: exit 1, named without credentials, $(python3 -c "print('%.1f' % ($t1 - $t0))") s" ||
    bad "worker, unreachable NATS: exit $rc: $(cat "$T/un1.err")"
t0=$(now)
"$BIN" worker --nats "$N" --db "postgresql://manrs:s3cret@127.0.0.1:1/none" --once 2>"$T/un2.err"
rc=$?
t1=$(now)
[ $rc -eq 1 ] && grep -q "postgresql://manrs@127.0.0.1:1/none: cannot connect" "$T/un2.err" && ! grep -q s3cret "$T/un2.err" &&
    python3 -c "import sys; sys.exit(0 if $t1 - $t0 < 7 else 1)" &&
    ok "worker, unreachable PostgreSQL: exit 1, named without the password" ||
    bad "worker, unreachable PostgreSQL: exit $rc: $(cat "$T/un2.err")"
"$BIN" observe --nats "nats://u:s3cret@127.0.0.1:1" --db "$pgok" --world "$W1" 2>"$T/un3.err"
rc=$?
[ $rc -eq 1 ] && grep -q "nats://127.0.0.1:1: cannot connect to NATS" "$T/un3.err" && ! grep -q s3cret "$T/un3.err" &&
    ok "coordinator, unreachable NATS: exit 1, named" || bad "coordinator, unreachable NATS: exit $rc: $(cat "$T/un3.err")"
"$BIN" observe --nats "$N" --db "postgresql://manrs:s3cret@127.0.0.1:1/none" --world "$W1" 2>"$T/un4.err"
rc=$?
[ $rc -eq 1 ] && grep -q "postgresql://manrs@127.0.0.1:1/none: cannot connect" "$T/un4.err" && ! grep -q s3cret "$T/un4.err" &&
    ok "coordinator, unreachable PostgreSQL: exit 1, named" || bad "coordinator, unreachable PostgreSQL: exit $rc: $(cat "$T/un4.err")"
"$BIN" observe --nats "$N" --db "$pgok" --rib "$W1/rib.mrt.gz" 2>"$T/us.err"
[ $? -eq 2 ] && grep -q "routing data is the feed's" "$T/us.err" && ok "observe --nats --rib: usage error" ||
    bad "observe --nats --rib: $(cat "$T/us.err")"

# a malformed message on a partition subject, before the feed's events: counted,
# logged with its subject and sequence, skipped
name=malformed
stream="mf_$tag"
pg=$(schema "$MANRS_PG_URL" wk_mf)
octet=$("$BIN" dump "$W1/rib.mrt.gz" 2>/dev/null | awk -F'|' '$6 ~ /\./ {split($6, a, "."); print a[1]; exit}')
subject="manrs.ev.$stream.v4.$octet"
python3 - "$N" "$stream" "$subject" <<'PY' || bad "$name: cannot publish the garbage"
# NATS's text protocol, enough to create the stream and publish one message
import json, socket, sys
url, stream, subject = sys.argv[1:4]
host, port = url.split("://")[1].rsplit("@", 1)[-1].split(":")
s = socket.create_connection((host, int(port)), timeout=5)
f = s.makefile("rb")
f.readline()   # INFO
s.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\nSUB _INBOX.garbage 1\r\n')
def request(subj, payload):
    s.sendall(b"PUB %s _INBOX.garbage %d\r\n%s\r\n" % (subj.encode(), len(payload), payload))
    while True:
        line = f.readline()
        if line.startswith(b"PING"):
            s.sendall(b"PONG\r\n")
        elif line.startswith(b"MSG"):
            n = int(line.split()[-1])
            body = f.read(n + 2)[:n]
            return json.loads(body)
cfg = {"name": stream, "subjects": ["manrs.ev.%s.>" % stream], "storage": "file"}
r = request("$JS.API.STREAM.CREATE." + stream, json.dumps(cfg).encode())
assert "error" not in r, r
r = request(subject, b"\x01\x02garbage, not an event")
assert r.get("seq") == 1, r
PY
feed "$N" "$stream" "$W1/rib.mrt.gz" "$W1/updates.mrt.gz"
start_coord "$N" "$stream" "$pg" "$name" --world "$W1"
start_workers "$N" "$stream" "$pg" 1 "$name"
wait "$CPID"
rc=$?
wait_workers
[ $rc -eq 0 ] || bad "$name: the coordinator exit $rc: $(tail -3 "$T/$name.coord.err")"
grep -q "manrs worker: $subject: seq 1: malformed event (.*): skipped" "$T/$name.w1.err" &&
    ok "$name: logged: $(sed -n '/malformed event/{p;q}' "$T/$name.w1.err")" || bad "$name: not logged: $(head -5 "$T/$name.w1.err")"
[ "$(sql "$pg" "SELECT sum(malformed) FROM split_parts WHERE phase = 1")" = 1 ] &&
    grep -q "1 malformed messages skipped" "$T/$name.coord.err" && ok "$name: counted once (the part row, the coordinator)" ||
    bad "$name: not counted: $(sql "$pg" "SELECT part, malformed FROM split_parts WHERE malformed > 0")"
same "$name" "$T/ref_w1.db" "$T/ref_w1.json" "$pg" "$T/$name.json" "$(cat "$T/ref_w1.culprit")"

# ---------------------------------------------------------------- 4. real data
D="$DATA/days/routeviews-2008"
AR="$DATA/asrel/20161101.as-rel.txt.bz2"
AO="$DATA/asorg/20080402.as-org2info.txt.gz"
if [ -d "$D/20080222" ] && [ -d "$D/20080223" ] && [ -f "$AR" ] && [ -f "$AO" ]; then
    # the last hour of the 22nd as the baseline, the first hour of the 23rd observed
    files="$(ls "$D"/20080222/* | tail -4) $(ls "$D"/20080223/* | head -4)"
    args=""
    for f in $files; do args="$args --updates $f"; done
    # shellcheck disable=SC2086
    reference real $args --from 2008-02-23T00:00:00Z --asrel "$AR" --as2org "$AO"
    name=real
    stream="rv_$tag"
    pg=$(schema "$MANRS_PG_URL" wk_real)
    # shellcheck disable=SC2086
    feed "$N" "$stream" $files
    t0=$(now)
    start_coord "$N" "$stream" "$pg" "$name" --from 2008-02-23T00:00:00Z --asrel "$AR" --as2org "$AO"
    start_workers "$N" "$stream" "$pg" 2 "$name"
    wait "$CPID"
    rc=$?
    t1=$(now)
    wait_workers
    if [ $rc -eq 0 ]; then
        ok "$name: RouteViews 2008-02-22 23:00 .. 2008-02-23 01:00, 2 workers: $(python3 -c "print('%.1f' % ($t1 - $t0))") s"
        same "$name" "$T/ref_real.db" "$T/ref_real.json" "$pg" "$T/$name.json" "$(cat "$T/ref_real.culprit")"
    else
        bad "$name: the coordinator exit $rc: $(tail -3 "$T/$name.coord.err")"
    fi
else
    echo "SKIP part: $D not found (real data)"
fi
exit $fail
