#!/bin/sh
# cli_options.sh — the option conventions every command shares (docs/manrs.1,
# "CONVENTIONS"): a moment in time is Unix seconds or ISO 8601 in UTC wherever a
# command takes one (observe --from/--to, sim --start, check --now), and both forms
# give the same result; IRR source selection is -S / --irr-sources on every command
# that selects IRR sources (validate, filter, antispoof, whoisd); JSON output is
# -j / --json where it is a switch (dump, stats, validate, check); -q / --quiet where
# a command has progress to silence (dump, stats, observe, sim). Bad times exit 2
# naming the accepted forms.
set -u
BIN=${MANRS_BIN:?}
T=${MANRS_TMP:-/tmp}/options.$$
rm -rf "$T"; mkdir -p "$T"
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

# time: ISO 8601 and Unix seconds are the same moment
"$BIN" sim --out "$T/a" --ases 200 --seed 5 --incidents 2 --start 2025-12-01T00:00:00Z --quiet >/dev/null &&
"$BIN" sim --out "$T/b" --ases 200 --seed 5 --incidents 2 --start 1764547200 --quiet >/dev/null &&
diff -r "$T/a" "$T/b" >/dev/null && ok "sim --start ISO 8601 = Unix seconds" || bad "sim --start"
"$BIN" sim --out "$T/c" --ases 200 --seed 5 --incidents 2 --start 2025-12-01T01:00:00+01:00 --quiet >/dev/null &&
diff -r "$T/a" "$T/c" >/dev/null && ok "sim --start with a +01:00 offset" || bad "sim --start offset"
"$BIN" observe --world "$T/a" --from 2025-12-01T00:10Z --to "2025-12-01 00:40:00" --no-db --json "$T/iso.json" -q &&
"$BIN" observe --world "$T/a" --from 1764547800 --to 1764549600 --no-db --json "$T/unix.json" --quiet &&
cmp -s "$T/iso.json" "$T/unix.json" && grep -q '"start":1764547800' "$T/iso.json" &&
    ok "observe --from/--to ISO 8601 = Unix seconds" || bad "observe --from/--to"
for t in 2025-13-01 2025-02-29 2025-12-01T25:00 12345678901 yesterday "2025-12-01T00:00:00+1"; do
    "$BIN" observe --world "$T/a" --from "$t" --no-db -q >/dev/null 2>"$T/e"; r=$?
    [ $r -eq 2 ] && grep -q "ISO 8601" "$T/e" || bad "observe --from '$t' exit $r (want 2 and the accepted forms)"
done
ok "bad times refused with exit 2"
"$BIN" check --world "$T/a" --json --now 2026-01-01 174 > "$T/n1" 2>/dev/null
"$BIN" check --world "$T/a" -j --now 2026-01-01T18:30:00Z 174 > "$T/n2" 2>/dev/null
"$BIN" check --world "$T/a" -j --now 1767225600 174 > "$T/n3" 2>/dev/null
if [ -s "$T/n1" ] && cmp -s "$T/n1" "$T/n2" && cmp -s "$T/n1" "$T/n3"; then ok "check --now date = date-time = Unix seconds; -j = --json"
else bad "check --now forms / -j"; fi

# IRR sources: -S and --irr-sources, the same selection everywhere
# AS64500 is a documentation ASN: filter needs -p to keep it, as bgpq4
printf 'route: 192.0.2.0/24\norigin: AS64500\nsource: ONE\n\nroute: 198.51.100.0/24\norigin: AS64500\nsource: TWO\n' > "$T/irr.db"
"$BIN" validate --irr "$T/irr.db" -S TWO --json 192.0.2.0/24 64500 > "$T/v1" 2>/dev/null
"$BIN" validate --irr "$T/irr.db" --irr-sources TWO --json 192.0.2.0/24 64500 > "$T/v2" 2>/dev/null
cmp -s "$T/v1" "$T/v2" && grep -q '"irr":"not-found"' "$T/v1" && ok "validate -S = --irr-sources" || bad "validate -S"
"$BIN" filter --irr "$T/irr.db" -p -S TWO --format plain AS64500 > "$T/f1" 2>/dev/null
"$BIN" filter --irr "$T/irr.db" -p --irr-sources TWO --format plain AS64500 > "$T/f2" 2>/dev/null
"$BIN" filter --irr "$T/irr.db" -p --format plain AS64500 > "$T/f3" 2>/dev/null
if cmp -s "$T/f1" "$T/f2" && grep -q 198.51.100.0/24 "$T/f1" && ! grep -q 192.0.2.0/24 "$T/f1" && grep -q 192.0.2.0/24 "$T/f3"; then
    ok "filter -S = --irr-sources"
else bad "filter -S / --irr-sources"; fi
for c in validate filter antispoof whoisd; do
    "$BIN" $c --help | grep -q -- "-S, --irr-sources" || bad "$c --help lacks -S, --irr-sources"
done
for c in dump stats validate check; do
    "$BIN" $c --help | grep -q -- "-j, --json" || bad "$c --help lacks -j, --json"
done
for c in dump stats observe sim; do
    "$BIN" $c --help | grep -q -- "-q, --quiet" || bad "$c --help lacks -q, --quiet"
done
ok "help texts name the shared options"

# An input that cannot be opened: one line naming it once, "PATH: reason" (every
# loader reports through the same reader; it used to print "PATH: PATH: reason").
m="$T/no-such-file"
for c in "dump $m" "dump -j $m" "stats $m" "filter --irr $m AS1" "antispoof --customer AS1 --irr $m" \
         "antispoof --customer AS1 --extra 192.0.2.0/24 --asrel $m" "antispoof --customer AS1 --vrps $m" "antispoof --customer AS1 --rib $m"; do
    # shellcheck disable=SC2086
    "$BIN" $c >/dev/null 2>"$T/err"; rc=$?
    if [ $rc = 1 ] && grep -qx "$m: No such file or directory" "$T/err" && ! grep -q "$m: $m" "$T/err"; then :
    else bad "unreadable input, $c: rc=$rc $(head -3 "$T/err")"; fi
done
"$BIN" dump "$T" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -qx "$T: Is a directory" "$T/err" || bad "dump DIRECTORY: rc=$rc $(cat "$T/err")"
ok "an unreadable input is named once"
rm -rf "$T"
exit $fail
