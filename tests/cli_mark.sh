#!/bin/sh
# The quality mark end to end (docs/programme.md "The quality mark"), on a
# simulated world whose participants.yml is the registry:
# - keygen: the secret key is mode 0600, an existing key is not overwritten
#   without --force, the .pub shows the fingerprint;
# - issue for a conformant participant (exit 0) and a not-conformant one (exit 3,
#   the mark written and saying so, with the incidents behind it); the statement
#   agrees with `manrs conformance` for that participant;
# - verify exits 0 on both; EVERY single-byte change (xor 0x01) of a small mark
#   makes it exit 1; another public key fails;
# - --rerun recomputes identical verdicts from the recorded files, and from the
#   same files under other names; after one input changes it fails naming it;
# - the badge page: no script, the verdict, the fingerprint, the verify command;
# - usage errors exit 2.
set -u
BIN=${MANRS_BIN:?}
TMP=${MANRS_TMP:-/tmp}/mark.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
command -v python3 >/dev/null || { echo "skip: python3 missing"; exit 77; }
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

W="$TMP/w"
"$BIN" sim --out "$W" --seed 1 >/dev/null 2>&1 || { echo "FAIL manrs sim"; exit 1; }
REG="$W/participants.yml"

# --- keys
"$BIN" mark keygen --out "$TMP/k" >"$TMP/o" 2>"$TMP/e"; r=$?
[ $r = 0 ] && ok "keygen" || bad "keygen exit $r: $(cat "$TMP/e")"
[ "$(stat -c %a "$TMP/k.key")" = 600 ] && ok "the secret key is mode 0600" || bad "k.key mode $(stat -c %a "$TMP/k.key")"
FP=$(sed -n 's/^fingerprint \([0-9a-f]*\)$/\1/p' "$TMP/k.pub")
[ ${#FP} = 16 ] && grep -q "$FP" "$TMP/o" && ok "k.pub shows fingerprint $FP" || bad "no fingerprint in k.pub"
head -n 1 "$TMP/k.pub" | grep -qx 'manrs-mark-public-key-v1' && head -n 1 "$TMP/k.key" | grep -qx 'manrs-mark-secret-key-v1' &&
    ok "key files name their format" || bad "key file first lines"
cp "$TMP/k.key" "$TMP/k.key.0"
"$BIN" mark keygen --out "$TMP/k" >/dev/null 2>"$TMP/e"; r=$?
[ $r = 1 ] && grep -q 'exists' "$TMP/e" && cmp -s "$TMP/k.key" "$TMP/k.key.0" && ok "keygen refuses to overwrite" ||
    bad "keygen over an existing key: exit $r $(cat "$TMP/e")"
"$BIN" mark keygen --out "$TMP/other" >/dev/null 2>&1 || bad "keygen other"
"$BIN" mark keygen --out "$TMP/f" >/dev/null 2>&1 && chmod 644 "$TMP/f.key" &&
    "$BIN" mark keygen --out "$TMP/f" --force >/dev/null 2>&1 && [ "$(stat -c %a "$TMP/f.key")" = 600 ] &&
    ok "keygen --force replaces, and the new secret key is 0600" || bad "keygen --force"

# --- who to mark: from the conformance of the same world
"$BIN" conformance --participants "$REG" --world "$W" --no-db --format json >"$TMP/c.json" 2>/dev/null
python3 - "$TMP/c.json" >"$TMP/who" <<'PY' || { echo "FAIL cannot choose participants"; exit 1; }
import json, sys
c = json.load(open(sys.argv[1]))
ps = [p for p in c["participants"] if len(p["asns"]) == 1 and p["programme"] == "network-operator"]
good = next(p for p in ps if p["outcome"] == "conformant" and len(p["actions"]) == 4)
nots = next(p for p in ps if p["outcome"] == "not-conformant" and any(a["incidents"] for a in p["asns"][0]["actions"]))
small = next(p for p in ps if p["outcome"] == "conformant" and list(p["actions"]) == ["1"])
print(good["id"], nots["id"], "AS%d" % small["asns"][0]["asn"])
PY
read -r GOOD NOT SMALL <"$TMP/who"
echo "     conformant $GOOD, not conformant $NOT, small $SMALL"

# --- issue
"$BIN" mark issue --key "$TMP/k.key" --participants "$REG" --participant "$GOOD" --world "$W" \
    --out "$TMP/good.json" --html "$TMP/good.html" >"$TMP/o" 2>"$TMP/e"; r=$?
[ $r = 0 ] && [ -s "$TMP/good.json" ] && ok "issue $GOOD: exit 0" || bad "issue $GOOD: exit $r $(cat "$TMP/e")"
"$BIN" mark issue --key "$TMP/k.key" --participants "$REG" --participant "$NOT" --world "$W" \
    --out "$TMP/not.json" --html "$TMP/not.html" >"$TMP/o" 2>"$TMP/e"; r=$?
[ $r = 3 ] && [ -s "$TMP/not.json" ] && ok "issue $NOT: exit 3, mark written" || bad "issue $NOT: exit $r $(cat "$TMP/e")"
python3 - "$TMP/c.json" "$TMP/good.json" "$TMP/not.json" "$GOOD" "$NOT" "$W" <<'PY' || fail=1
import hashlib, json, os, sys
c, good, nott, gid, nid, w = sys.argv[1:]
conf = {p["id"]: p for p in json.load(open(c))["participants"]}
bad = 0
def check(ok, what):
    global bad
    print(("ok   " if ok else "FAIL ") + what)
    bad |= not ok
for path, pid, conformant in ((good, gid, True), (nott, nid, False)):
    m = json.load(open(path))
    st = m["statement"]
    p = conf[pid]
    check(st["format"] == "manrs-mark" and st["version"] == 1, "%s: format manrs-mark 1" % pid)
    check(st["participant"]["id"] == pid and st["verdicts"]["conformant"] is conformant
          and st["verdicts"]["outcome"] == p["outcome"], "%s: outcome %s as conformance says" % (pid, p["outcome"]))
    mine = {(a["action"], a["verdict"], a["score"], a["min"], tuple(i["id"] for i in a["incidents"]))
            for a in st["verdicts"]["asns"][0]["actions"]}
    theirs = {(a["action"], a["verdict"], None if a["score"] is None else "%.4f" % a["score"], "%.4f" % a["min"],
               tuple(a["incidents"])) for a in p["asns"][0]["actions"]}
    check(mine == theirs, "%s: every committed Action's verdict, score, minimum, incidents as conformance" % pid)
    for a in st["verdicts"]["asns"][0]["actions"]:
        for i in a["incidents"]:
            check(set(i) == {"id", "class", "prefix", "culprit", "start", "confidence"}, "incident %d described" % i["id"])
    ins = st["inputs"]
    check(ins[0]["kind"] == "participants" and len(ins) == 1 + len([f for f in os.listdir(w) if f not in ("truth.json", "participants.yml")]),
          "%s: %d inputs recorded, the registry first" % (pid, len(ins)))
    check(all(hashlib.sha256(open(i["file"], "rb").read()).hexdigest() == i["sha256"] for i in ins),
          "%s: every input's SHA-256 is right" % pid)
    check(st["software"]["version"] and st["ruleset"] and st["thresholds"]["action_min"]["1"], "%s: version, rule set, thresholds" % pid)
sys.exit(bad)
PY

# --- verify
for m in good not; do
    "$BIN" mark verify "$TMP/$m.json" --pub "$TMP/k.pub" >"$TMP/o" 2>"$TMP/e"; r=$?
    [ $r = 0 ] && grep -q "^valid: " "$TMP/o" && ok "verify $m.json: exit 0" || bad "verify $m.json: exit $r $(cat "$TMP/e")"
done
"$BIN" mark verify "$TMP/good.json" --pub "$TMP/other.pub" >/dev/null 2>"$TMP/e"; r=$?
[ $r = 1 ] && grep -q "another key" "$TMP/e" && ok "another public key: exit 1" || bad "another public key: exit $r $(cat "$TMP/e")"
"$BIN" mark verify "$TMP/good.json" --pub "$TMP/k.key" >/dev/null 2>&1; r=$?
[ $r = 1 ] && ok "a secret key given as --pub: exit 1" || bad "secret key as --pub: exit $r"

# --- every byte of a small mark, flipped
mkdir -p "$TMP/s" && cp "$REG" "$TMP/s/p.yml" && cp "$W/rib.mrt.gz" "$TMP/s/r.gz"
(cd "$TMP/s" && "$BIN" mark issue --key ../k.key --participants p.yml --participant "$SMALL" --rib r.gz --out s.json \
    >/dev/null 2>"$TMP/e"); r=$?
[ $r = 0 ] && ok "small mark of $SMALL: $(wc -c <"$TMP/s/s.json") bytes" || bad "small mark: exit $r $(cat "$TMP/e")"
python3 - "$BIN" "$TMP/s/s.json" "$TMP/k.pub" "$TMP/s" <<'PY' || fail=1
import concurrent.futures, os, subprocess, sys
bin_, mark, pub, d = sys.argv[1:]
src = open(mark, "rb").read()
def one(i):
    b = bytearray(src)
    b[i] ^= 0x01
    f = os.path.join(d, "flip%d.json" % i)
    open(f, "wb").write(b)
    r = subprocess.run([bin_, "mark", "verify", f, "--pub", pub], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.unlink(f)
    return i, r.returncode
with concurrent.futures.ThreadPoolExecutor(2) as ex:
    res = list(ex.map(one, range(len(src))))
wrong = [(i, rc) for i, rc in res if rc != 1]
r0 = subprocess.run([bin_, "mark", "verify", mark, "--pub", pub], stdout=subprocess.DEVNULL).returncode
print(("ok   " if not wrong and r0 == 0 else "FAIL ") + "%d of %d byte flips fail verification (exit 1)%s; the original verifies (exit %d)"
      % (len(res) - len(wrong), len(src), "; not: %s" % wrong[:10] if wrong else "", r0))
sys.exit(1 if wrong or r0 else 0)
PY

# --- the badge
for m in good not; do
    h="$TMP/$m.html"
    if [ -s "$h" ] && ! grep -qi '<script' "$h" && grep -q "$FP" "$h" && grep -q 'manrs mark verify' "$h" &&
        grep -q 'does NOT certify' "$h" && grep -q "Content-Security-Policy" "$h"; then
        ok "badge $m.html: no script, fingerprint, how to verify, what it does not certify"
    else bad "badge $m.html"; fi
done
grep -q '>NOT CONFORMANT<' "$TMP/not.html" && ! grep -q '>CONFORMANT<' "$TMP/not.html" && grep -q '>CONFORMANT<' "$TMP/good.html" &&
    ok "the badge says NOT CONFORMANT when it was not" || bad "badge verdicts"
"$BIN" mark badge "$TMP/not.json" --out "$TMP/b.html" 2>"$TMP/e" && cmp -s "$TMP/b.html" "$TMP/not.html" &&
    ok "mark badge writes the page --html wrote" || bad "mark badge: $(cat "$TMP/e")"

"$BIN" mark badge "$TMP/not.json" --out /dev/full 2>"$TMP/e"; r=$?
[ $r = 1 ] && grep -q "^manrs mark badge: /dev/full: write error: No space left on device$" "$TMP/e" &&
    ok "badge --out /dev/full: exit 1, write error" || bad "badge to /dev/full: exit $r $(cat "$TMP/e")"

# --- --rerun
"$BIN" mark verify "$TMP/not.json" --pub "$TMP/k.pub" --rerun >"$TMP/o" 2>"$TMP/e"; r=$?
[ $r = 0 ] && grep -q '^rerun: ' "$TMP/o" && ok "--rerun from the recorded files: identical" || bad "--rerun: exit $r $(cat "$TMP/e")"
cp -r "$W" "$TMP/w2"
"$BIN" mark issue --key "$TMP/k.key" --participants "$TMP/w2/participants.yml" --participant "$NOT" --world "$TMP/w2" \
    --out "$TMP/w2.json" >/dev/null 2>&1
"$BIN" mark verify "$TMP/w2.json" --pub "$TMP/k.pub" --rerun --participants "$REG" --world "$W" >/dev/null 2>"$TMP/e"; r=$?
[ $r = 0 ] && ok "--rerun on the same files under other names: identical" || bad "--rerun, other names: exit $r $(cat "$TMP/e")"
printf '\n' >>"$TMP/w2/spoofer.csv"
"$BIN" mark verify "$TMP/w2.json" --pub "$TMP/k.pub" --rerun >/dev/null 2>"$TMP/e"; r=$?
[ $r = 1 ] && grep -q "$TMP/w2/spoofer.csv: changed" "$TMP/e" && ok "--rerun after one input changed: exit 1, names it" ||
    bad "--rerun after a change: exit $r $(cat "$TMP/e")"
"$BIN" mark verify "$TMP/w2.json" --pub "$TMP/k.pub" >/dev/null 2>&1 && ok "without --rerun it still verifies (offline)" ||
    bad "plain verify after an input changed"

# --- usage
while IFS='|' read -r what args; do
    # shellcheck disable=SC2086
    eval "\"\$BIN\" $args" >"$TMP/o" 2>"$TMP/e"; r=$?
    [ $r = 2 ] && [ ! -s "$TMP/o" ] && ok "usage: $what -> 2" || bad "usage: $what -> exit $r"
done <<EOF
no subcommand|mark
unknown subcommand|mark sign
keygen without --out|mark keygen
verify without a file|mark verify --pub "$TMP/k.pub"
verify without --pub|mark verify "$TMP/good.json"
verify with two files|mark verify "$TMP/good.json" "$TMP/not.json" --pub "$TMP/k.pub"
inputs without --rerun|mark verify "$TMP/good.json" --pub "$TMP/k.pub" --world "$W"
issue without --key|mark issue --participants "$REG" --participant "$GOOD" --world "$W" --out "$TMP/x.json"
issue without inputs|mark issue --key "$TMP/k.key" --participants "$REG" --participant "$GOOD" --out "$TMP/x.json"
issue with a bad period|mark issue --key "$TMP/k.key" --participants "$REG" --participant "$GOOD" --world "$W" --out "$TMP/x.json" --period 2025-13
keygen with --pub|mark keygen --out "$TMP/z" --pub "$TMP/k.pub"
badge with --rerun|mark badge "$TMP/good.json" --out "$TMP/x.html" --rerun
EOF
"$BIN" mark issue --key "$TMP/k.key" --participants "$REG" --participant no-such-one --world "$W" --out "$TMP/x.json" \
    >/dev/null 2>"$TMP/e"; r=$?
[ $r = 1 ] && grep -q "no participant 'no-such-one'" "$TMP/e" && [ ! -e "$TMP/x.json" ] && ok "unknown participant: exit 1, no mark" ||
    bad "unknown participant: exit $r $(cat "$TMP/e")"
"$BIN" mark issue --key "$TMP/k.pub" --participants "$REG" --participant "$GOOD" --world "$W" --out "$TMP/x.json" \
    >/dev/null 2>&1; r=$?
[ $r = 1 ] && ok "a public key given as --key: exit 1" || bad "public key as --key: exit $r"

[ $fail = 0 ] && echo "mark: all passed"
exit $fail
