#!/bin/sh
# cli_validate_dump.sh — `manrs dump -m FILE | manrs validate`: validate reads the
# bgpdump -m lines of its own dump (TABLE_DUMP, TABLE_DUMP2, BGP4MP, BGP4MP_ET and the
# ADD-PATH _AP forms) and gives every route the verdict of the same route written
# "PREFIX AS_PATH"; W and STATE lines are no routes and no errors. Crafted lines pin
# the field positions; real files of ../shared/data (when present) the whole pipe.
set -eu
: "${MANRS_BIN:?}" "${MANRS_TMP:?}"
tmp=$MANRS_TMP/cli_validate_dump.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$tmp/vrps.csv" <<'C'
ASN,IP Prefix,Max Length,Trust Anchor
AS64500,192.0.2.0/24,24,test
AS64502,2001:db8::/32,48,test
C
# Crafted lines: each kind once, the prefix in field 6, the path in field 7 (8 for _AP).
cat > "$tmp/lines" <<'L'
TABLE_DUMP|1027381055|B|193.203.0.1|1853|192.0.2.0/24|1853 64500|IGP|193.203.0.1|0|0||NAG||
TABLE_DUMP2|1446357600|B|2001:7f8::1|64510|2001:db8:1::/48|64510 64502|IGP|2001:7f8::1|0|0||NAG||
TABLE_DUMP2_AP|1446357600|B|10.0.0.1|64510|192.0.2.0/25|7|64510 64500|IGP|10.0.0.1|0|0||NAG||
BGP4MP|1470931200|A|10.0.0.1|64510|192.0.2.0/24|64510 64501|IGP|10.0.0.1|0|0||NAG||
BGP4MP_ET|1445565695.584878|A|10.0.0.1|64510|192.0.2.0/24|64510 (65001 65002) 64500|IGP|10.0.0.1|0|0||NAG||
BGP4MP_AP|1470931200|A|10.0.0.1|64510|192.0.2.0/24|3|64510 {64500,64501}|IGP|10.0.0.1|0|0||NAG||
BGP4MP|1470931200|A|10.0.0.1|64510|192.0.2.1/24|64500|IGP|10.0.0.1|0|0||NAG||
BGP4MP|1470931200|W|10.0.0.1|64510|192.0.2.0/24
BGP4MP_ET|1445565678.509481|STATE|206.220.231.55|3856|1|2
L
"$MANRS_BIN" validate --json --vrps "$tmp/vrps.csv" < "$tmp/lines" > "$tmp/out.jsonl" 2> "$tmp/err" ||
    fail "crafted lines: exit $? ($(cat "$tmp/err"))"
[ ! -s "$tmp/err" ] || fail "crafted lines: stderr $(cat "$tmp/err")"
/usr/bin/python3 - "$tmp/out.jsonl" <<'PY' || fail "crafted lines: verdicts"
import json, sys
got = [(o["line"], o["prefix"], o["origin"], o["path"], o["rov"]) for o in map(json.loads, open(sys.argv[1]))]
want = [(1, "192.0.2.0/24", 64500, [1853, 64500], "valid"),
        (2, "2001:db8:1::/48", 64502, [64510, 64502], "valid"),
        (3, "192.0.2.0/25", 64500, [64510, 64500], "invalid"),
        (4, "192.0.2.0/24", 64501, [64510, 64501], "invalid"),
        (5, "192.0.2.0/24", 64500, [64510, 64500], "valid"),
        (6, "192.0.2.0/24", None, [64510], "invalid"),
        (7, "192.0.2.0/24", 64500, [64500], "valid")]
if got != want:
    print("got ", got); print("want", want); sys.exit(1)
PY
# Table: the PATH column shows the path as given (a bgpdump path of one AS too).
"$MANRS_BIN" validate --vrps "$tmp/vrps.csv" < "$tmp/lines" > "$tmp/out.txt"
grep -q '^192.0.2.0/24  .* 1853 64500  .*192.0.2.0/24-24 AS64500$' "$tmp/out.txt" || fail "table path: $(head -1 "$tmp/out.txt")"
grep -q ' 64510 (65001 65002) 64500 ' "$tmp/out.txt" || fail "table confederation path"
grep -q ' 64510 {64500,64501} ' "$tmp/out.txt" || fail "table AS_SET path"
[ "$(wc -l < "$tmp/out.txt")" = 7 ] || fail "table: $(wc -l < "$tmp/out.txt") rows, want 7"
# The prefix/origin form has no path: '-' in the PATH column.
want='192.0.2.0/24          AS64500       valid      -                -        -               bogon+1-asn           -            -                         192.0.2.0/24-24 AS64500'
[ "$("$MANRS_BIN" validate --vrps "$tmp/vrps.csv" 192.0.2.0/24 64500)" = "$want" ] || fail "prefix/origin: PATH not '-'"
# A broken bgpdump line is a bad line like any other.
printf 'BGP4MP|1|A|10.0.0.1|1|192.0.2.0/24\nBGP4MP|1|X|a\nBGP4MP|1|A|10.0.0.1|1|192.0.2.0/24|! Error !|IGP\n' |
    "$MANRS_BIN" validate --vrps "$tmp/vrps.csv" > /dev/null 2> "$tmp/bad.err" && rc=0 || rc=$?
[ "$rc" = 1 ] || fail "bad bgpdump lines: exit $rc"
grep -q '^-:1: bgpdump -m line has 6 fields, the AS path is field 7$' "$tmp/bad.err" || fail "bad line 1: $(cat "$tmp/bad.err")"
grep -q "^-:2: bgpdump -m line of unknown kind 'X'\$" "$tmp/bad.err" || fail "bad line 2: $(cat "$tmp/bad.err")"
grep -q "^-:3: bad AS number '!'\$" "$tmp/bad.err" || fail "bad line 3: $(cat "$tmp/bad.err")"

# Real files: the pipe, and the same routes as "PREFIX AS_PATH" lines, same verdicts.
DATA=${MANRS_DATA:-../shared/data}
[ -f "$DATA/rpki/roas.csv" ] && [ -d "$DATA/mrt" ] || { echo "ok (real data not found at $DATA: pipe test skipped)"; exit 0; }
for f in mrt/updates.20160811.1600.gz mrt/updates.20070211.0141.gz mrt/namex-bgpd-rib-inet.mrt \
         mrt/namex-bgpd-rib-inet6.mrt mrt/lab/bview.ipv4_unicast_add_path.gz mrt/lab/bird_bgp mrt/lab/openbgpd_rib_table; do
    [ -f "$DATA/$f" ] || continue
    "$MANRS_BIN" dump -m "$DATA/$f" 2>/dev/null > "$tmp/dump"
    # The pipe itself: every line is read (empty paths: the peer AS is the origin).
    "$MANRS_BIN" dump -m "$DATA/$f" 2>/dev/null | "$MANRS_BIN" validate --vrps "$DATA/rpki/roas.csv" \
        > "$tmp/pipe.txt" 2> "$tmp/pipe.err" || fail "$f: the pipe failed: $(head -3 "$tmp/pipe.err")"
    [ "$(wc -l < "$tmp/pipe.txt")" = "$(grep -c '^[^|]*|[^|]*|[AB]|' "$tmp/dump")" ] || fail "$f: pipe rows != A/B lines"
    # The A/B lines whose path "PREFIX AS_PATH" can express (no confederation segment,
    # not empty), and the same routes in that form: the same verdicts, line by line.
    awk -F'|' '($3 == "A" || $3 == "B") { path = ($1 ~ /_AP$/) ? $8 : $7; if (path !~ /[([]/ && path != "") print }' \
        "$tmp/dump" > "$tmp/ab"
    awk -F'|' '{ print $6, (($1 ~ /_AP$/) ? $8 : $7) }' "$tmp/ab" > "$tmp/pairs"
    [ -s "$tmp/pairs" ] || fail "$f: no routes"
    for form in ab pairs; do
        "$MANRS_BIN" validate --json --vrps "$DATA/rpki/roas.csv" < "$tmp/$form" > "$tmp/$form.jsonl" 2> "$tmp/$form.err" ||
            fail "$f: $form failed: $(head -3 "$tmp/$form.err")"
    done
    cmp -s "$tmp/ab.jsonl" "$tmp/pairs.jsonl" || fail "$f: verdicts of the dump lines and of PREFIX AS_PATH differ"
done
echo ok
