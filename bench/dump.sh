#!/bin/sh
# bench/dump.sh [FILE] — decoding speed of manrs against the reference tool, in one run:
#   bgpdump -m FILE, manrs dump -m FILE (both to /dev/null), manrs stats FILE, and bare
#   decompression (zcat/bzcat/xzcat/zstdcat or cat), timed with hyperfine; peak RSS with
#   /usr/bin/time -v. Without FILE it builds a >= 200 MB real-shaped file by concatenating
#   the real MRT files of ../shared/data/mrt (whole files, so every TABLE_DUMP_V2 RIB keeps
#   its PEER_INDEX_TABLE) and gzips it, under bench/out/ (ignored by git).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${MANRS_BIN:-$HERE/../build/manrs}
DATA=${MANRS_DATA:-$HERE/../../shared/data}
OUT=$HERE/out
RUNS=${RUNS:-3}
mkdir -p "$OUT"
for t in hyperfine bgpdump; do command -v $t >/dev/null || { echo "need $t (scripts/deps.sh)"; exit 1; }; done
FILE=${1:-}
if [ -z "$FILE" ]; then
    FILE=$OUT/big-rib.mrt.gz
    if [ ! -f "$FILE" ]; then
        echo "building $FILE from $DATA/mrt ..."
        part=$OUT/part.mrt
        : > "$part"
        for f in bview.20020722.2337.gz rib6.20151101.0600_firstMB.complete-records.bz2 namex-bgpd-rib-inet.mrt \
                 namex-bgpd-rib-inet6.mrt bview.64k_stream_overflow.gz updates.et-header.2015.gz \
                 updates.20160811.1600.gz updates.20070211.0141.gz; do
            case $f in
            *.gz) zcat "$DATA/mrt/$f" >> "$part" ;;
            *.bz2) bzcat "$DATA/mrt/$f" >> "$part" ;;
            *) cat "$DATA/mrt/$f" >> "$part" ;;
            esac
        done
        big=$OUT/big-rib.mrt
        : > "$big"
        while [ "$(stat -c %s "$big")" -lt 200000000 ]; do cat "$part" >> "$big"; done
        gzip -6 -c "$big" > "$FILE"
        rm -f "$part" "$big"
    fi
fi
case $FILE in
*.gz) CAT=zcat ;; *.bz2) CAT=bzcat ;; *.xz) CAT=xzcat ;; *.zst) CAT=zstdcat ;; *) CAT=cat ;;
esac
raw=$($CAT "$FILE" | wc -c)
echo "file: $FILE ($(stat -c %s "$FILE") bytes, $raw bytes decompressed)"
hyperfine --style basic --runs "$RUNS" --export-json "$OUT/dump.json" \
    -n decompress "$CAT '$FILE' > /dev/null" \
    -n bgpdump "bgpdump -m '$FILE' > /dev/null 2>&1" \
    -n manrs-dump "'$BIN' dump -m -q '$FILE' > /dev/null" \
    -n manrs-stats "'$BIN' stats -q '$FILE' > /dev/null" >/dev/null
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}'; }
/usr/bin/python3 - "$OUT/dump.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
m = {k: v["mean"] for k, v in r.items()}
print("%-12s %8s" % ("command", "mean s"))
for k in ("decompress", "bgpdump", "manrs-dump", "manrs-stats"):
    print("%-12s %8.3f" % (k, m[k]))
print("manrs dump -m is %.1fx faster than bgpdump -m (target >= 5x)" % (m["bgpdump"] / m["manrs-dump"]))
print("manrs stats takes %.2fx the time of bare decompression (target <= 1.3x)" % (m["manrs-stats"] / m["decompress"]))
PY
echo "peak RSS KiB: manrs dump $(rss "$BIN" dump -m -q "$FILE"), manrs stats $(rss "$BIN" stats -q "$FILE"), bgpdump $(rss bgpdump -m "$FILE") (target < 65536)"
