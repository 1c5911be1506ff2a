#!/bin/sh
# cli_validate.sh — `manrs validate`: input forms, table and JSON Lines output, bad
# lines (-:LINE: what, skipped, exit 1), compressed VRP files, usage errors.
set -eu
: "${MANRS_BIN:?}" "${MANRS_TMP:?}"
tmp=$MANRS_TMP/cli_validate.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$tmp/vrps.json" <<'J'
{"roas":[
 {"asn":64500,"prefix":"192.0.2.0/24","maxLength":24,"ta":"test"},
 {"asn":"AS64501","prefix":"198.51.100.0/22","maxLength":23},
 {"asn":0,"prefix":"203.0.113.0/24","maxLength":32},
 {"asn":64502,"prefix":"2001:db8::/32","maxLength":48},
 {"asn":64503,"prefix":"2001:db8::/33","maxLength":40}],
 "aspas":[{"customer_asid":64500,"providers":[64510]},{"customer":"AS64510","providers":["AS64520"]}]}
J

# JSON Lines, one object per input line in input order, bad lines skipped.
printf '%s\n' '192.0.2.0/24 64500' 'garbage' '192.0.2.0/25 AS64500' '# comment' '' \
    '198.51.100.0/24 64520 64510 64501' '203.0.113.0/24 64520 64510 64500' \
    '10.0.0.0/8 1' '2001:db8::/48 64520 {64502,64503}' '192.0.2.0/24 64520 64510 64500' \
    '192.0.2.1/24 64500' '192.0.2.0/24 AS-1' |
    "$MANRS_BIN" validate --json --vrps "$tmp/vrps.json" > "$tmp/out.jsonl" 2> "$tmp/err.txt" && rc=0 || rc=$?
[ "$rc" = 1 ] || fail "exit status $rc, want 1"
cat > "$tmp/want_err.txt" <<'E'
-:2: bad prefix 'garbage'
-:11: prefix '192.0.2.1/24' has host bits set
-:12: bad AS number 'AS-1'
manrs validate: 3 bad input lines skipped
E
diff "$tmp/want_err.txt" "$tmp/err.txt" || fail "stderr differs"
cat > "$tmp/want.jsonl" <<'W'
{"line":1,"prefix":"192.0.2.0/24","origin":64500,"path":[64500],"rov":"valid","rov_reason":null,"vrps_matching":[{"prefix":"192.0.2.0/24","maxLength":24,"asn":64500,"ta":"test"}],"vrps_matching_total":1,"vrps_covering":[{"prefix":"192.0.2.0/24","maxLength":24,"asn":64500,"ta":"test"}],"vrps_covering_total":1}
{"line":3,"prefix":"192.0.2.0/25","origin":64500,"path":[64500],"rov":"invalid","rov_reason":"too-specific","vrps_matching":[],"vrps_matching_total":0,"vrps_covering":[{"prefix":"192.0.2.0/24","maxLength":24,"asn":64500,"ta":"test"}],"vrps_covering_total":1}
{"line":6,"prefix":"198.51.100.0/24","origin":64501,"path":[64520,64510,64501],"rov":"invalid","rov_reason":"too-specific","vrps_matching":[],"vrps_matching_total":0,"vrps_covering":[{"prefix":"198.51.100.0/22","maxLength":23,"asn":64501}],"vrps_covering_total":1,"aspa":"unknown","aspa_direction":"upstream","aspa_ramps":{"n":3,"max_up_ramp":3,"min_up_ramp":1,"max_down_ramp":0,"min_down_ramp":0}}
{"line":7,"prefix":"203.0.113.0/24","origin":64500,"path":[64520,64510,64500],"rov":"invalid","rov_reason":"as0","vrps_matching":[],"vrps_matching_total":0,"vrps_covering":[{"prefix":"203.0.113.0/24","maxLength":32,"asn":0}],"vrps_covering_total":1,"aspa":"valid","aspa_direction":"upstream"}
{"line":8,"prefix":"10.0.0.0/8","origin":1,"path":[1],"rov":"not-found","rov_reason":null,"vrps_matching":[],"vrps_matching_total":0,"vrps_covering":[],"vrps_covering_total":0}
{"line":9,"prefix":"2001:db8::/48","origin":null,"path":[64520],"as_set":true,"rov":"invalid","rov_reason":"origin-none","vrps_matching":[],"vrps_matching_total":0,"vrps_covering":[{"prefix":"2001:db8::/32","maxLength":48,"asn":64502},{"prefix":"2001:db8::/33","maxLength":40,"asn":64503}],"vrps_covering_total":2,"aspa":"invalid","aspa_direction":"upstream","aspa_reason":"as-set"}
{"line":10,"prefix":"192.0.2.0/24","origin":64500,"path":[64520,64510,64500],"rov":"valid","rov_reason":null,"vrps_matching":[{"prefix":"192.0.2.0/24","maxLength":24,"asn":64500,"ta":"test"}],"vrps_matching_total":1,"vrps_covering":[{"prefix":"192.0.2.0/24","maxLength":24,"asn":64500,"ta":"test"}],"vrps_covering_total":1,"aspa":"valid","aspa_direction":"upstream"}
W
# The IRR and bogon fields are pinned by tests/cli_validate_kb.sh; this test is about ROV and ASPA.
/usr/bin/python3 -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    for k in ("irr", "bogon"):
        o.pop(k, None)
    print(json.dumps(o, separators=(",", ":"), ensure_ascii=False))
' "$tmp/out.jsonl" > "$tmp/out.rov.jsonl"
diff "$tmp/want.jsonl" "$tmp/out.rov.jsonl" || fail "JSON Lines differ"

# Path 64599 64500 (neighbour 64599): 64500's ASPA does not list 64599, so the
# up-ramp ends at once (max_up_ramp 1); from a provider (downstream) 64599 may be a
# lateral peer of 64500 (max_down_ramp 2, min_down_ramp 1): Valid; from a customer
# or peer (upstream) it is a route leak: Invalid.
"$MANRS_BIN" validate --json --downstream --vrps "$tmp/vrps.json" 192.0.2.0/24 64599 64500 > "$tmp/d.jsonl"
grep -q '"aspa":"valid","aspa_direction":"downstream",' "$tmp/d.jsonl" || fail "downstream: $(cat "$tmp/d.jsonl")"
"$MANRS_BIN" validate --json --vrps "$tmp/vrps.json" 192.0.2.0/24 64599 64500 > "$tmp/u.jsonl"
grep -q '"aspa":"invalid","aspa_direction":"upstream","aspa_ramps":{"n":2,"max_up_ramp":1,"min_up_ramp":1,"max_down_ramp":0,"min_down_ramp":0,"not_provider_customer":64500,"not_provider_provider":64599}' "$tmp/u.jsonl" ||
    fail "upstream: $(cat "$tmp/u.jsonl")"

# Table output (not a TTY: no header), arguments as one route, gzip VRP file.
gzip -c "$tmp/vrps.json" > "$tmp/vrps.json.gz"
"$MANRS_BIN" validate --vrps "$tmp/vrps.json.gz" 2001:db8:8000::/40 AS64503 > "$tmp/t.txt"
want='2001:db8:8000::/40    AS64503       invalid    origin-mismatch  -        -               bogon+1-asn           -            -                         2001:db8::/32-48 AS64502'
[ "$(cat "$tmp/t.txt")" = "$want" ] || fail "table: '$(cat "$tmp/t.txt")'"

# CSV VRPs with a bad entry: loaded anyway, exit status 1.
printf 'ASN,IP Prefix,Max Length,Trust Anchor\nAS64500,192.0.2.0/24,24,x\nAS64500,192.0.2.0/24,33,x\n' > "$tmp/v.csv"
"$MANRS_BIN" validate --vrps "$tmp/v.csv" 192.0.2.0/24 64500 > "$tmp/c.txt" 2> "$tmp/c.err" && rc=0 || rc=$?
[ "$rc" = 1 ] || fail "bad VRP entry: exit $rc"
grep -q "^$tmp/v.csv:3: maxLength 33 exceeds /32\$" "$tmp/c.err" || fail "bad VRP message: $(cat "$tmp/c.err")"
grep -q '^192.0.2.0/24 .* valid ' "$tmp/c.txt" || fail "csv: $(cat "$tmp/c.txt")"

# No --vrps: the built-in bogon check still runs; every route is RPKI not-found, said on stderr.
"$MANRS_BIN" validate --json 192.0.2.0/24 1 >"$tmp/nv.jsonl" 2>"$tmp/nv.err" && rc=0 || rc=$?
[ "$rc" = 0 ] || fail "no --vrps: exit $rc"
grep -q '"rov":"not-found"' "$tmp/nv.jsonl" || fail "no --vrps: $(cat "$tmp/nv.jsonl")"
grep -q "no --vrps or --rtr given" "$tmp/nv.err" || fail "no --vrps: no warning"
# Usage errors: unreadable file, unknown option.
"$MANRS_BIN" validate --vrps "$tmp/nonexistent" 192.0.2.0/24 1 >/dev/null 2>&1 && rc=0 || rc=$?
[ "$rc" = 2 ] || fail "missing file: exit $rc"
"$MANRS_BIN" validate --bogus >/dev/null 2>&1 && rc=0 || rc=$?
[ "$rc" = 2 ] || fail "bad option: exit $rc"
"$MANRS_BIN" validate --help | grep -q '^usage: manrs validate' || fail "help"
"$MANRS_BIN" help validate | grep -q '^usage: manrs validate' || fail "manrs help validate"
echo ok
