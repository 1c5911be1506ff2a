#!/bin/sh
# JSON output and names that are not plain ASCII (src/core/json_out.c, the one JSON
# string writer): a file named routé.db comes out of `antispoof -f json` as routé.db
# (not routÃ©.db, not \u00c3\u00a9), a name holding a Latin-1 byte comes out with
# U+FFFD in its place, and quotes, tabs, newlines, DEL and escape bytes are escaped.
# Every output is parsed by Python's json with strict UTF-8 decoding, and the decoded
# name is compared with the expected one, for antispoof -f json, dump --json and
# filter -j.
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:-.}
TMP=${MANRS_TMP:-/tmp}/json-utf8.$$
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "SKIP: $PY not found"; exit 77; }
mkdir -p "$TMP"; trap 'rm -rf "$TMP"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); echo "ok   $1"; }
ko() { fail=$((fail+1)); echo "FAIL $1"; }

# check FILE EXPECTED-NAME KIND: every document of FILE (one, or one per line for
# KIND=lines) decodes as strict UTF-8 JSON, and the names found in it (antispoof:
# every "file" of the IRR sources; dump: every "file"; filter: the list name) are
# exactly EXPECTED-NAME (a Python string literal).
check() {
    "$PY" - "$@" <<'PY'
import ast, json, sys
path, want, kind = sys.argv[1], ast.literal_eval(sys.argv[2]), sys.argv[3]
raw = open(path, "rb").read()
text = raw.decode("utf-8")               # strict: raises on any invalid byte
if kind == "antispoof":
    j = json.loads(text)
    names = [s["file"] for p in j["permit"] for s in p["sources"] if s["kind"] == "irr"]
    names += [d["source"]["file"] for d in j["dropped"]]
elif kind == "dump":
    names = [json.loads(l)["file"] for l in text.splitlines()]
else:
    names = list(json.loads(text).keys())
assert names, "no names found"
bad = [n for n in names if n != want]
assert not bad, "got %r, want %r" % (bad[0], want)
PY
}

D="$SRC/tests/antispoof"
printf 'rout\303\251.db' > "$TMP/name.utf8"
NAME_UTF8=$(cat "$TMP/name.utf8")
NAME_LATIN1=$(printf 'rout\351.db')
NAME_CTRL=$(printf 'a"b\\c\td\177e\033[1m.db')
cp "$D/small.db" "$TMP/$NAME_UTF8"
cp "$D/small.db" "$TMP/$NAME_LATIN1"
cp "$D/small.db" "$TMP/$NAME_CTRL"

# 1. antispoof -f json: the é of routé.db is written as it is
(cd "$TMP" && "$BIN" antispoof --customer AS64500 --asrel "$D/small.asrel" --irr "$NAME_UTF8" --format json) \
    > "$TMP/a1.json" 2> "$TMP/a1.err"
if grep -q "\"file\":\"$NAME_UTF8\"" "$TMP/a1.json" && ! grep -q 'u00c3\|Ã' "$TMP/a1.json" \
    && check "$TMP/a1.json" "'rout\\u00e9.db'" antispoof; then ok "antispoof -f json: routé.db stays routé.db, JSON parses"
else ko "antispoof -f json with routé.db"; cat "$TMP/a1.err"; grep -o '"file":"[^"]*"' "$TMP/a1.json" | head -2; fi

(cd "$TMP" && "$BIN" antispoof --customer AS64500 --asrel "$D/small.asrel" --irr "$NAME_LATIN1" --format json) \
    > "$TMP/a2.json" 2> "$TMP/a2.err"
if grep -q '"file":"rout\\ufffd.db"' "$TMP/a2.json" && check "$TMP/a2.json" "'rout\\ufffd.db'" antispoof; then
    ok "antispoof -f json: a Latin-1 byte in a name becomes U+FFFD, JSON parses"
else ko "antispoof -f json with a Latin-1 name"; cat "$TMP/a2.err"; fi

(cd "$TMP" && "$BIN" antispoof --customer AS64500 --asrel "$D/small.asrel" --irr "$NAME_CTRL" --format json) \
    > "$TMP/a3.json" 2> "$TMP/a3.err"
if grep -q '"file":"a\\"b\\\\c\\td\\u007fe\\u001b\[1m.db"' "$TMP/a3.json" \
    && check "$TMP/a3.json" "'a\"b\\\\c\\td\\x7fe\\x1b[1m.db'" antispoof; then
    ok "antispoof -f json: quote, backslash, tab, DEL and ESC escaped"
else ko "antispoof -f json with control characters in a name"; grep -o '"file":"[^}]*' "$TMP/a3.json" | head -1; fi

# 2. dump --json: the file name of every line
"$BIN" example-mrt --prefixes 5 "$TMP/x.mrt" > /dev/null 2>&1 || ko "example-mrt"
for n in "$NAME_UTF8" "$NAME_LATIN1" "$NAME_CTRL"; do
    cp "$TMP/x.mrt" "$TMP/$n.mrt"
done
(cd "$TMP" && "$BIN" dump --json "$NAME_UTF8.mrt") > "$TMP/d1" 2>&1
(cd "$TMP" && "$BIN" dump --json "$NAME_LATIN1.mrt") > "$TMP/d2" 2>&1
(cd "$TMP" && "$BIN" dump --json "$NAME_CTRL.mrt") > "$TMP/d3" 2>&1
if check "$TMP/d1" "'rout\\u00e9.db.mrt'" dump && check "$TMP/d2" "'rout\\ufffd.db.mrt'" dump \
    && check "$TMP/d3" "'a\"b\\\\c\\td\\x7fe\\x1b[1m.db.mrt'" dump; then
    ok "dump --json: $(wc -l < "$TMP/d1") lines per file, every line parses, names as expected"
else ko "dump --json with non-ASCII file names"; head -c 300 "$TMP/d2"; fi

# 3. filter -j: the list name
"$BIN" filter --irr "$D/small.db" -j -l "$(printf 'l\303\251 "q"\t\351')" AS-SMALL > "$TMP/f1.json" 2> "$TMP/f1.err"
if check "$TMP/f1.json" "'l\\u00e9 \"q\"\\t\\ufffd'" filter; then ok "filter -j: list name with é, quotes, tab and a Latin-1 byte"
else ko "filter -j list name"; cat "$TMP/f1.json" "$TMP/f1.err" | head -5; fi

# 4. jansson documents (observe --json): a name that is not UTF-8 must not make
#    jansson drop the key (json_string refuses it); it becomes U+FFFD
mkdir -p "$TMP/w"
"$BIN" sim --out "$TMP/w" --ases 150 --seed 3 --incidents 1 --quiet > /dev/null 2>&1 || ko "sim"
cp "$TMP/w/updates.mrt.gz" "$TMP/$NAME_LATIN1.upd.gz"
(cd "$TMP" && "$BIN" observe --rib w/rib.mrt.gz --updates "$NAME_LATIN1.upd.gz" --asrel w/asrel.txt --asrel-ipv6 \
    --no-db --quiet --json o.json) 2> "$TMP/o.err"
if "$PY" - "$TMP/o.json" <<'PY'
import json, sys
j = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
ev = [e for i in j["incidents"] for e in i["evidence"]]
assert ev, "no evidence rows"
assert all("file" in e for e in ev), "a file key was dropped"
assert any(e["file"] == "rout\ufffd.db.upd.gz" for e in ev), sorted({e["file"] for e in ev})
PY
then ok "observe --json: a Latin-1 file name becomes U+FFFD, no evidence row loses its file"
else ko "observe --json with a Latin-1 file name"; head -3 "$TMP/o.err"; fi

echo "json-utf8: $pass passed, $fail failed"
[ $fail = 0 ]
