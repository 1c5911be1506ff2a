#!/bin/sh
# real_day.sh — `make test-real`: manrs observe on a whole real day, held to its
# reviewed verdicts (tests/real/verdicts.tsv, tests/oracle/check_verdicts.py).
# RouteViews route-views2, 2008-02-22 (the baseline: updates before --from) and
# 2008-02-23 (observed), 189 files of ../shared/data/days/routeviews-2008, with the
# only as-rel there is (2016-11: eight years away, so everything that rests on
# relationships is low confidence, with a warning) and CAIDA as2org of 2008-04.
# Not under the sanitizers (a whole day: ~1 minute here, 2.5 GB). Skips when the
# data is absent. Then the same day split by prefix (observe --split) must give the
# same JSON byte for byte.
# Usage: sh tests/real_day.sh [MANRS_BIN]   (default build/manrs)
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-${MANRS_BIN:-$SRC/build/manrs}}
D=${MANRS_DATA:-$SRC/../shared/data}
DAYS="$D/days/routeviews-2008"
T=${TMPDIR:-/tmp}/manrs-real-day.$$
for f in "$DAYS/20080222" "$DAYS/20080223" "$D/asrel/20161101.as-rel.txt.bz2" "$D/asorg/20080402.as-org2info.txt.gz"; do
    [ -e "$f" ] || { echo "SKIP: $f not found"; exit 0; }
done
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 0; }
mkdir -p "$T"
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT INT TERM
# the files in reverse order on purpose: observe reads MRT files in time order
ls -r "$DAYS"/20080222/* "$DAYS"/20080223/* | sed 's/^/--updates\n/' > "$T/args"
start=$(date +%s)
# shellcheck disable=SC2046
"$BIN" observe $(cat "$T/args") --from 2008-02-23T00:00:00Z --asrel "$D/asrel/20161101.as-rel.txt.bz2" \
    --as2org "$D/asorg/20080402.as-org2info.txt.gz" --no-db --json "$T/day.json" 2>"$T/err"
rc=$?
end=$(date +%s)
grep -v "by the collector (4 096-byte records)" "$T/err" | tail -5
[ $rc -eq 0 ] || { echo "FAIL: observe exit $rc"; exit 1; }
grep -q "warning: --asrel .*3172 days from the routing data (2008-02-23)" "$T/err" \
    || { echo "FAIL: no period warning for the 2016 as-rel"; exit 1; }
python3 "$SRC/tests/oracle/check_verdicts.py" "$SRC/tests/real/verdicts.tsv" routeviews-2008-02-23 "$T/day.json" || exit 1
echo "real day: $((end - start)) s"
# the run split by prefix (docs/scale.md, what `manrs worker` computes) gives the
# same JSON byte for byte: every incident, its evidence, every network
start=$(date +%s)
# shellcheck disable=SC2046
"$BIN" observe $(cat "$T/args") --from 2008-02-23T00:00:00Z --asrel "$D/asrel/20161101.as-rel.txt.bz2" \
    --as2org "$D/asorg/20080402.as-org2info.txt.gz" --no-db --split -q --json "$T/split.json" 2>"$T/err.split" ||
    { echo "FAIL: observe --split exit $?"; tail -3 "$T/err.split"; exit 1; }
end=$(date +%s)
cmp -s "$T/day.json" "$T/split.json" || { echo "FAIL: observe --split differs from observe on the real day"; exit 1; }
echo "real day split by prefix: identical, $((end - start)) s"
