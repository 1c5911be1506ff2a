#!/bin/sh
# bench/scale.sh — the distributed observatory's speed (docs/scale.md "Figures"): on
# the same events, one `manrs observe` process against `manrs worker`s coordinated by
# `manrs observe --nats`, over NATS JetStream and PostgreSQL. Prints, per data set:
#   observe         events/s of one process (`observe --no-db`, wall clock: reading,
#                   detection, metrics)
#   1 worker        events/s of the phases with one worker (the coordinator's phase 1 +
#                   phase 2 wall: the workers read the stream, build the views, detect)
#   2 workers       the same with two worker processes
#   2 threads       the same with one worker process of two threads (--threads 2:
#                   the knowledge loaded once, the phase-1 views shared)
#   run             the whole coordinated run (seal to stored run) with two threads
#   ceiling         two `manrs observe` processes at once, each on the same data:
#                   2 x (one alone) / (the pair), what this machine gives two
#                   independent processes of this work with nothing shared
# and the ratios two workers / one worker and two threads / one worker (target >=
# 1.7; above the ceiling is not possible) and one worker / observe (target >= 0.8).
# The data sets: a simulated world (default 3000 ASes) and, when ../shared/data
# holds it, RouteViews 2008-02-23 (the first FILES files of the day after the last
# of the 22nd); with DAY=day also the whole day of tests/real_day.sh (15.7 M
# events, 2008-02-22 the baseline: about 4 minutes more). Uses MANRS_NATS_URL and
# MANRS_PG_URL when set, else starts a throw-away nats-server and PostgreSQL
# (tests/nats_server.sh, pg_cluster.sh).
# usage: bench/scale.sh [BUILD_DIR] [ASES] [FILES] [day]
set -u
B=${1:-build}
ASES=${2:-3000}
FILES=${3:-12}
DAY=${4:-}
HERE=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$B" && pwd)/manrs
DATA=${MANRS_DATA:-$HERE/../shared/data}
W=${TMPDIR:-/tmp}/manrs-bench-scale.$$
mkdir -p "$W"
cleanup() {
    [ -d "$W/nats" ] && sh "$HERE/tests/nats_server.sh" stop "$W/nats"
    [ -d "$W/pg" ] && sh "$HERE/tests/pg_cluster.sh" stop "$W/pg"
    rm -rf "$W"
}
trap cleanup EXIT INT TERM
N=${MANRS_NATS_URL:-}
P=${MANRS_PG_URL:-}
[ -n "$N" ] || N=$(sh "$HERE/tests/nats_server.sh" start "$W/nats") || { echo "bench/scale.sh: no nats-server"; exit 1; }
[ -n "$P" ] || P=$(sh "$HERE/tests/pg_cluster.sh" start "$W/pg") || { echo "bench/scale.sh: no PostgreSQL"; exit 1; }
tag=$$
now() { python3 -c 'import time; print(time.time())'; }

# phases NAME LOG: phase 1 + phase 2 seconds from the coordinator's log
phases() {
    sed -n 's/.* phase [12]: [0-9]* partitions in \([0-9.]*\) s.*/\1/p' "$1" | awk '{s += $1} END {printf "%.2f", s}'
}

# distributed NAME WORKERS THREADS OBSERVE_ARGS -- FEED_FILES: prints "phases_s run_s"
distributed() {
    name=$1 nw=$2 nt=$3
    shift 3
    oargs=""
    while [ "$1" != "--" ]; do oargs="$oargs $1"; shift; done
    shift
    stream="bench_${name}_${nw}_${nt}_$tag"
    schema="bench_${name}_${nw}_${nt}"
    psql -q "$P" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
    case $P in *\?*) pg="$P&options=-csearch_path%3D$schema" ;; *) pg="$P?options=-csearch_path%3D$schema" ;; esac
    margs=""
    for f in "$@"; do margs="$margs --mrt $f"; done
    # shellcheck disable=SC2086
    "$BIN" feed --nats "$N" --stream "$stream" $margs -q >/dev/null 2>"$W/feed.err" || { cat "$W/feed.err"; return 1; }
    t0=$(now)
    # shellcheck disable=SC2086
    "$BIN" observe --nats "$N" --stream "$stream" --db "$pg" $oargs 2>"$W/coord.$name.$nw" &
    cpid=$!
    pids=""
    i=0
    while [ $i -lt "$nw" ]; do
        "$BIN" worker --nats "$N" --stream "$stream" --db "$pg" --once --quiet --threads "$nt" \
            2>"$W/worker.$name.$nw.$i" &
        pids="$pids $!"
        i=$((i + 1))
    done
    wait $cpid || { tail -3 "$W/coord.$name.$nw"; return 1; }
    t1=$(now)
    for p in $pids; do wait "$p"; done
    echo "$(phases "$W/coord.$name.$nw") $(python3 -c "print('%.2f' % ($t1 - $t0))")"
    mv "$W/coord.$name.$nw" "$W/coord.$name.$nw.$nt"
}

# bench NAME EVENTS "MRT_ARGS" ARGS... -- FEED_FILES: observe gets MRT_ARGS and ARGS,
# the coordinator ARGS (its routing data is the feed's)
bench() {
    name=$1 events=$2 mrt=$3
    shift 3
    oargs=""
    for a in "$@"; do
        [ "$a" = "--" ] && break
        oargs="$oargs $a"
    done
    t0=$(now)
    # shellcheck disable=SC2086
    "$BIN" observe $mrt $oargs --no-db -q 2>/dev/null
    t1=$(now)
    obs=$(python3 -c "print('%.2f' % ($t1 - $t0))")
    # the machine's ceiling for two processes of this work: two observes at once
    # shellcheck disable=SC2086
    "$BIN" observe $mrt $oargs --no-db -q 2>/dev/null &
    p1=$!
    # shellcheck disable=SC2086
    "$BIN" observe $mrt $oargs --no-db -q 2>/dev/null &
    p2=$!
    wait $p1 $p2
    t2=$(now)
    pair=$(python3 -c "print('%.2f' % ($t2 - $t1))")
    r1=$(distributed "$name" 1 1 "$@") || return 1
    r2=$(distributed "$name" 2 1 "$@") || return 1
    r3=$(distributed "$name" 1 2 "$@") || return 1
    set -- $r1 $r2 $r3
    python3 - "$name" "$events" "$obs" "$1" "$3" "$5" "$6" "$pair" <<'PY'
import sys
name, ev, obs, one, two, thr, run2, pair = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
r = lambda s: ev / s if s > 0 else 0
print("%-10s %9d events: observe %5.2f s %9.0f ev/s | 1 worker %5.2f s %9.0f ev/s | 2 workers %5.2f s %9.0f ev/s"
      " | 2 threads %5.2f s %9.0f ev/s | run with 2 threads %5.2f s | 2 observes at once %5.2f s"
      % (name, ev, obs, r(obs), one, r(one), two, r(two), thr, r(thr), run2, pair))
print("%-10s two/one %.2f, two threads/one %.2f (target >= 1.7; ceiling: two observes at once %.2f)   "
      "one worker/observe %.2f (target >= 0.8)" %
      (name, one / two if two else 0, one / thr if thr else 0, 2 * obs / pair if pair else 0,
       obs / one if one else 0))
PY
}

echo "bench/scale.sh: $(nproc) cores; NATS $N; PostgreSQL $(echo "$P" | sed 's/:[^:@/]*@/@/')"
Wd="$W/world"
"$BIN" sim --out "$Wd" --seed 3 --ases "$ASES" --incidents 60 >/dev/null 2>&1 || { echo "sim failed"; exit 1; }
ev=$("$BIN" feed --dry-run --mrt "$Wd/rib.mrt.gz" --mrt "$Wd/updates.mrt.gz" 2>/dev/null | sed -n 's/^events \([0-9]*\) .*/\1/p')
bench "sim$ASES" "$ev" "" --world "$Wd" -- "$Wd/rib.mrt.gz" "$Wd/updates.mrt.gz"

D="$DATA/days/routeviews-2008"
AR="$DATA/asrel/20161101.as-rel.txt.bz2"
AO="$DATA/asorg/20080402.as-org2info.txt.gz"
if [ -d "$D/20080223" ] && [ -f "$AR" ] && [ -f "$AO" ]; then
    files="$(ls "$D"/20080222/* | tail -1) $(ls "$D"/20080223/* | head -"$FILES")"
    oargs=""
    for f in $files; do oargs="$oargs --updates $f"; done
    # shellcheck disable=SC2086
    ev=$("$BIN" feed --dry-run $(for f in $files; do printf -- '--mrt %s ' "$f"; done) 2>/dev/null |
        sed -n 's/^events \([0-9]*\) .*/\1/p')
    # shellcheck disable=SC2086
    bench rv2008 "$ev" "$oargs" --from 2008-02-23T00:00:00Z --asrel "$AR" --as2org "$AO" -- $files
else
    echo "rv2008: $D not found (skipped)"
fi

if [ "$DAY" = day ] && [ -d "$D/20080223" ] && [ -f "$AR" ] && [ -f "$AO" ]; then
    files="$(ls "$D"/20080222/* "$D"/20080223/*)"
    oargs=""
    for f in $files; do oargs="$oargs --updates $f"; done
    # shellcheck disable=SC2086
    ev=$("$BIN" feed --dry-run $(for f in $files; do printf -- '--mrt %s ' "$f"; done) 2>/dev/null |
        sed -n 's/^events \([0-9]*\) .*/\1/p')
    # shellcheck disable=SC2086
    bench day2008 "$ev" "$oargs" --from 2008-02-23T00:00:00Z --asrel "$AR" --as2org "$AO" -- $files
fi
