#!/bin/sh
# Exit codes and messages that tell the truth (manrs.1 EXIT STATUS):
# - output to /dev/full or a closed stdout: every command, help, --help and
#   --version say "manrs CMD: write error: <strerror>" and exit 1; report -o and
#   example-mrt name their file;
# - a store damaged by 200 deterministic bit flips is refused on open (observe and
#   report: "database is damaged (quick_check: ...)", exit 1) and is left unchanged;
# - ESC sequences and invalid UTF-8 in inputs reach stderr only as \xNN;
# - an empty input says "FILE: no records" and exits 1 in dump, stats, validate
#   (--irr, --asrel, --delegated, --bogons, --drop), filter, observe, check; whoisd
#   with no object does not start;
# - filter and validate agree on damaged RPSL: the output is printed, exit 1.
set -u
BIN=${MANRS_BIN:?}
TMP=${MANRS_TMP:-/tmp}/exit.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
command -v python3 >/dev/null || { echo "skip: python3 missing"; exit 77; }
[ -w /dev/full ] || { echo "skip: no /dev/full"; exit 77; }
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
ESC=$(printf '\033')

"$BIN" example-mrt --prefixes 200 "$TMP/ex.mrt" 2>/dev/null || { echo "FAIL: example-mrt"; exit 1; }
printf 'route: 193.0.0.0/21\norigin: AS3333\nsource: TEST\n\naut-num: AS3333\nas-name: X\nsource: TEST\n\n' > "$TMP/good.db"
printf '10.0.0.0/8\n' > "$TMP/bogons.txt"
printf '1|3333|-1\n2|3333|-1\n' > "$TMP/rel.txt"

# --- write errors: /dev/full and a closed stdout
# NAME | command: each must exit 1 with exactly one "manrs NAME: write error:" line
while IFS='|' read -r name cmd; do
    for how in full closed; do
        if [ $how = full ]; then
            eval "\"\$BIN\" $cmd" >/dev/full 2>"$TMP/e"; r=$?
            want="No space left on device"
        else
            eval "\"\$BIN\" $cmd" >&- 2>"$TMP/e"; r=$?
            want="Bad file descriptor"
        fi
        n=$(grep -c "write error" "$TMP/e")
        if [ $r -eq 1 ] && [ "$n" = 1 ] && grep -q "^manrs$name: write error: $want\$" "$TMP/e"; then
            ok "$how: manrs $cmd -> exit 1, one message"
        else
            bad "$how: manrs $cmd -> exit $r, $n messages: $(head -3 "$TMP/e")"
        fi
    done
done <<EOF
 stats|stats "$TMP/ex.mrt"
 stats|stats --json "$TMP/ex.mrt"
 dump|dump "$TMP/ex.mrt"
 help|help
 filter|help filter
 stats|stats --help
|--help
|--version
 validate|validate 193.0.0.0/21 3333
 filter|filter --irr "$TMP/good.db" AS3333
 antispoof|antispoof --irr "$TMP/good.db" --customer AS3333
 ixp|ixp --rs-rib "$TMP/ex.mrt"
 providers|providers --asrel "$TMP/rel.txt" 3333
 providers|providers --asrel "$TMP/rel.txt" --format json 3333
 providers|providers --asrel "$TMP/rel.txt" --format html 3333
 mark|mark keygen --force --out "$TMP/mark-key"
EOF

"$BIN" example-mrt /dev/full 2>"$TMP/e"; r=$?
[ $r -eq 1 ] && grep -q "^manrs example-mrt: /dev/full: write error: No space left on device$" "$TMP/e" \
    && ok "example-mrt /dev/full: write error" || bad "example-mrt /dev/full: exit $r $(cat "$TMP/e")"

# --- the store: a damaged file is refused, not appended to
"$BIN" observe --db "$TMP/s.db" --rib "$TMP/ex.mrt" -q 2>"$TMP/e" || bad "observe into a new store: $(cat "$TMP/e")"
"$BIN" report --db "$TMP/s.db" -o /dev/full 2>"$TMP/e"; r=$?
[ $r -eq 1 ] && grep -q "^manrs report: -o /dev/full: write error: No space left on device$" "$TMP/e" \
    && ok "report -o /dev/full: write error" || bad "report -o /dev/full: exit $r $(cat "$TMP/e")"
"$BIN" report --db "$TMP/s.db" >/dev/null 2>&1 && ok "report on the whole store" || bad "report on the whole store"
# d.db: 200 flips past the 100-byte header (the schema is hit: SQLITE_CORRUPT on the
# first query); q.db: 200 flips in the second half only (found by quick_check)
python3 - "$TMP/s.db" "$TMP" <<'PY' || { echo "FAIL: cannot damage the store"; exit 1; }
import random, sys
src = open(sys.argv[1], "rb").read()
for name, lo in (("d.db", 100), ("q.db", len(src) // 2)):
    b = bytearray(src)
    r = random.Random(12)
    for _ in range(200):
        i = r.randrange(lo, len(b))
        b[i] ^= 1 << r.randrange(8)
    open(sys.argv[2] + "/" + name, "wb").write(b)
PY
for db in q.db d.db; do
    sum0=$(cksum < "$TMP/$db")
    "$BIN" observe --db "$TMP/$db" --rib "$TMP/ex.mrt" -q 2>"$TMP/e"; r=$?
    [ $r -eq 1 ] && grep -q "^manrs observe: --db $TMP/$db: database is damaged (" "$TMP/e" \
        && ok "observe refuses the damaged store $db: $(cat "$TMP/e")" || bad "observe on a damaged store: exit $r $(cat "$TMP/e")"
    [ "$(cksum < "$TMP/$db")" = "$sum0" ] && ok "damaged store left unchanged" || bad "damaged store was written to"
    "$BIN" report --db "$TMP/$db" >"$TMP/o" 2>"$TMP/e"; r=$?
    [ $r -eq 1 ] && [ ! -s "$TMP/o" ] && grep -q "^manrs report: --db $TMP/$db: database is damaged (" "$TMP/e" \
        && ok "report refuses the damaged store" || bad "report on a damaged store: exit $r $(cat "$TMP/e")"
done
"$BIN" report --db "$TMP/q.db" 2>&1 >/dev/null | grep -q "database is damaged (quick_check: .*[0-9] problems*); restore" \
    && ok "the damage of q.db is found by quick_check" || bad "q.db: quick_check did not name the damage"

# --- no raw control bytes or invalid UTF-8 in messages
printf 'URI,ASN,IP Prefix,Max Length,Trust Anchor\nrsync://a,AS\033[31mRED,10.0.0.0/8,8,x\nrsync://a,AS1,10.0.0.0/8,\377\376,x\n' > "$TMP/v.csv"
"$BIN" validate --vrps "$TMP/v.csv" 10.0.0.0/8 1 >/dev/null 2>"$TMP/e"
if grep -q "$ESC" "$TMP/e" || LC_ALL=C grep -q "$(printf '\377')" "$TMP/e"; then
    bad "VRP CSV: raw bytes in messages"
elif grep -qF "bad ASN 'AS\\x1B[31mRED'" "$TMP/e" && grep -qF "bad Max Length '\\xFF\\xFE'" "$TMP/e"; then
    ok "VRP CSV: ESC and invalid UTF-8 escaped as \\xNN"
else
    bad "VRP CSV messages: $(cat "$TMP/e")"
fi
printf 'route: 192.0.2.0/24\033]0;pwned\007\norigin: AS3333\nsource: TEST\n\n' > "$TMP/esc.db"
"$BIN" filter --irr "$TMP/esc.db" AS3333 >/dev/null 2>"$TMP/e"
python3 - "$TMP/e" <<'PY' && ok "RPSL messages: valid UTF-8, no control bytes" || bad "RPSL messages: $(cat "$TMP/e")"
import sys
t = open(sys.argv[1], "rb").read().decode("utf-8")      # raises on invalid UTF-8
assert not any(ord(c) < 32 and c != "\n" or 0x7f <= ord(c) <= 0x9f for c in t), repr(t)
PY

# --- empty inputs: "FILE: no records", exit 1
: > "$TMP/empty"
printf '# nothing but a comment\n' > "$TMP/comment.txt"
while IFS='|' read -r file cmd; do
    eval "\"\$BIN\" $cmd" >/dev/null 2>"$TMP/e" </dev/null; r=$?
    [ $r -eq 1 ] && grep -q "^$TMP/$file: no records\$" "$TMP/e" \
        && ok "empty: manrs $cmd -> no records, exit 1" || bad "empty: manrs $cmd -> exit $r: $(head -3 "$TMP/e")"
done <<EOF
empty|dump "$TMP/empty"
empty|stats "$TMP/empty"
empty|validate --irr "$TMP/empty" 193.0.0.0/21 3333
comment.txt|validate --asrel "$TMP/comment.txt" 193.0.0.0/21 3333
empty|validate --delegated "$TMP/empty" 193.0.0.0/21 3333
empty|validate --bogons "$TMP/empty" 193.0.0.0/21 3333
empty|validate --drop "$TMP/empty" 193.0.0.0/21 3333
empty|filter --irr "$TMP/empty" AS3333
empty|observe --no-db --rib "$TMP/empty" -q
empty|observe --no-db --rib "$TMP/ex.mrt" --irr "$TMP/empty" -q
empty|check --rib "$TMP/ex.mrt" --irr "$TMP/empty" 3333
EOF
"$BIN" whoisd --irr "$TMP/empty" --listen 127.0.0.1:0 >/dev/null 2>"$TMP/e" </dev/null & pid=$!
( sleep 10; kill $pid 2>/dev/null ) & killer=$!
wait $pid; r=$?
kill $killer 2>/dev/null
[ $r -eq 1 ] && grep -q "no records" "$TMP/e" && grep -q "nothing to serve" "$TMP/e" \
    && ok "whoisd with no object: does not start, exit 1" || bad "whoisd with no object: exit $r $(cat "$TMP/e")"

# --- a file that repeats another still has records: no "no records", exit 0
printf '# input clique: 1 2\n1|2|0\n1|3|-1\n' > "$TMP/rel.txt"
printf 'route: 193.0.0.0/21\norigin: AS3333\nsource: TEST\n\n' > "$TMP/one.db"
"$BIN" validate --asrel "$TMP/rel.txt" --asrel "$TMP/rel.txt" --irr "$TMP/one.db" --irr "$TMP/one.db" \
    193.0.0.0/21 3333 >/dev/null 2>"$TMP/e"; r=$?
[ $r -eq 0 ] && ! grep -q "no records" "$TMP/e" \
    && ok "the same as-rel and IRR file twice: exit 0" || bad "the same file twice: exit $r: $(head -3 "$TMP/e")"

# --- damaged RPSL: filter and validate agree (output printed, exit 1)
printf 'route: 193.0.0.0/21\norigin: AS3333\nsource: TEST\n\nroute: 999.0.2.0/24\norigin: AS3333\nsource: TEST\n\n' > "$TMP/bad.db"
"$BIN" filter --irr "$TMP/bad.db" -4 -l L AS3333 >"$TMP/o" 2>"$TMP/e"; rf=$?
"$BIN" validate --irr "$TMP/bad.db" 193.0.0.0/21 3333 >"$TMP/o2" 2>/dev/null; rv=$?
[ $rf -eq 1 ] && [ $rv -eq 1 ] && grep -q "193.0.0.0/21" "$TMP/o" && grep -q "bad.db:5:" "$TMP/e" \
    && ok "damaged RPSL: filter and validate both exit 1, filter still prints the list" \
    || bad "damaged RPSL: filter exit $rf, validate exit $rv: $(cat "$TMP/o" "$TMP/e")"
"$BIN" filter --irr "$TMP/good.db" -4 -l L AS3333 >/dev/null 2>&1 && ok "clean RPSL: filter exit 0" || bad "clean RPSL: filter exit $?"
exit $fail
