#!/bin/sh
# real_day_cluster.sh — `make test-cluster`: the whole real day of tests/real_day.sh
# (RouteViews route-views2 2008-02-22 as the baseline, 2008-02-23 observed) through
# the distributed observatory (docs/scale.md): `manrs feed` publishes every file on
# NATS JetStream, `manrs observe --nats` coordinates two `manrs worker` processes
# into PostgreSQL, one of them killed (SIGKILL) once phase 1 is under way; the run's
# JSON must be `manrs observe`'s on the same files byte for byte, and every
# partition computed once per phase. Needs MANRS_NATS_URL and MANRS_PG_URL (skips
# without them, or without the data). Usage: sh tests/real_day_cluster.sh [MANRS_BIN]
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-${MANRS_BIN:-$SRC/build/manrs}}
D=${MANRS_DATA:-$SRC/../shared/data}
DAYS="$D/days/routeviews-2008"
AR="$D/asrel/20161101.as-rel.txt.bz2"
AO="$D/asorg/20080402.as-org2info.txt.gz"
[ -n "${MANRS_NATS_URL:-}" ] && [ -n "${MANRS_PG_URL:-}" ] ||
    { echo "SKIP: MANRS_NATS_URL and MANRS_PG_URL not both set"; exit 0; }
for f in "$DAYS/20080222" "$DAYS/20080223" "$AR" "$AO"; do
    [ -e "$f" ] || { echo "SKIP: $f not found"; exit 0; }
done
for c in python3 psql; do command -v $c >/dev/null 2>&1 || { echo "SKIP: $c not found"; exit 0; }; done
T=${TMPDIR:-/tmp}/manrs-real-day-cluster.$$
mkdir -p "$T"
PIDS=""
trap 'for p in $PIDS; do kill -9 "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT INT TERM
N=$MANRS_NATS_URL
tag=$$
schema="day_$tag"
psql -q "$MANRS_PG_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" ||
    { echo "FAIL: cannot create schema $schema"; exit 1; }
case $MANRS_PG_URL in *\?*) PG="$MANRS_PG_URL&options=-csearch_path%3D$schema" ;; *) PG="$MANRS_PG_URL?options=-csearch_path%3D$schema" ;; esac
sql() { psql -qtA "$PG" -c "$1" 2>/dev/null; }
now() { date +%s; }
ls "$DAYS"/20080222/* "$DAYS"/20080223/* > "$T/files"

# the reference: one process
t0=$(now)
# shellcheck disable=SC2046
"$BIN" observe $(sed 's/^/--updates /' "$T/files") --from 2008-02-23T00:00:00Z --asrel "$AR" --as2org "$AO" \
    --no-db -q --json "$T/day.json" 2>"$T/ref.err" || { echo "FAIL: observe: $(tail -2 "$T/ref.err")"; exit 1; }
echo "observe (one process): $(($(now) - t0)) s, $(wc -c <"$T/day.json") bytes of JSON"

# the feed
stream="day_$tag"
t0=$(now)
# shellcheck disable=SC2046
"$BIN" feed --nats "$N" --stream "$stream" $(sed 's/^/--mrt /' "$T/files") -q >"$T/feed.out" 2>"$T/feed.err" ||
    { echo "FAIL: feed: $(tail -2 "$T/feed.err")"; exit 1; }
echo "feed: $(($(now) - t0)) s: $(sed -n 's/.*"events":\([0-9]*\).*/\1/p' "$T/feed.out" | head -1) events"

# the coordinator and two workers, the first killed once phase 1 is under way
t0=$(now)
timeout 1200 "$BIN" observe --nats "$N" --stream "$stream" --db "$PG" --from 2008-02-23T00:00:00Z --asrel "$AR" \
    --as2org "$AO" --json "$T/cluster.json" 2>"$T/coord.err" &
CPID=$!
PIDS="$PIDS $CPID"
"$BIN" worker --nats "$N" --stream "$stream" --db "$PG" --once --ack-wait 5 --name day-w1 2>"$T/w1.err" &
W1=$!
"$BIN" worker --nats "$N" --stream "$stream" --db "$PG" --once --ack-wait 5 --name day-w2 2>"$T/w2.err" &
W2=$!
PIDS="$PIDS $W1 $W2"
killed=""
end=$(($(now) + 600))
while [ "$(now)" -lt "$end" ]; do
    if [ "$(grep -c 'phase 1 partition [0-9]*: done' "$T/w1.err")" -ge 5 ]; then
        kill -9 "$W1" && killed=yes
        break
    fi
    kill -0 "$W1" 2>/dev/null || break
    sleep 0.1
done
wait "$CPID"
rc=$?
wait "$W2"
fail=0
[ -n "$killed" ] && echo "worker 1 killed (SIGKILL) after $(grep -c ': done' "$T/w1.err") tasks" ||
    { echo "FAIL: worker 1 was not killed midway"; fail=1; }
[ $rc -eq 0 ] || { echo "FAIL: the coordinator exit $rc: $(tail -3 "$T/coord.err")"; exit 1; }
echo "distributed (2 workers, one killed): $(($(now) - t0)) s"
grep "partitions in\|tasks to\|published to every worker" "$T/coord.err"
parts=$(sql "SELECT parts FROM split_runs")
rows=$(sql "SELECT count(*) FROM split_parts")
[ "$rows" = $((2 * parts)) ] && echo "ok: $parts partitions, $rows part rows" ||
    { echo "FAIL: $rows part rows for $parts partitions"; fail=1; }
if cmp -s "$T/day.json" "$T/cluster.json"; then
    echo "ok: the whole real day through NATS and PostgreSQL: the run's JSON is observe's byte for byte"
else
    echo "FAIL: the distributed run's JSON differs from observe's"
    cmp "$T/day.json" "$T/cluster.json" | head -2
    fail=1
fi
psql -q "$MANRS_PG_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE" 2>/dev/null
exit $fail
