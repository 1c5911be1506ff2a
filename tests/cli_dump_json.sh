#!/bin/sh
# manrs dump --json: every line is a JSON object, and it carries the same route as the
# corresponding -m line (peer, prefix, AS path, next hop, communities), on real files.
set -u
DATA=${MANRS_DATA:-../shared/data}/mrt
BIN=${MANRS_BIN:?}
TMP=${MANRS_TMP:-/tmp}/dump-json.$$
if [ ! -d "$DATA" ]; then echo "SKIP: real MRT data not found at $DATA"; exit 77; fi
mkdir -p "$TMP"; trap 'rm -rf "$TMP"' EXIT
fail=0
for f in updates.20160811.1600.gz 185.186.nlix.mrt lab/bview.ipv4_unicast_add_path.gz bgpkit-example-updates.bz2; do
    "$BIN" dump -m "$DATA/$f" > "$TMP/m"
    "$BIN" dump --json "$DATA/$f" > "$TMP/j"
    /usr/bin/python3 - "$TMP/m" "$TMP/j" "$f" <<'PY' || fail=1
import json, sys
m = open(sys.argv[1]).read().splitlines()
j = [json.loads(l) for l in open(sys.argv[2])]
assert len(m) == len(j), "line counts %d vs %d" % (len(m), len(j))
def path_text(p):
    out = []
    for x in p:
        if isinstance(x, int): out.append(str(x))
        elif isinstance(x, list): out.append("{" + ",".join(map(str, x)) + "}")
        else: raise AssertionError("confed in test data")
    return " ".join(out)
for a, b in zip(m, j):
    f = a.split("|")
    assert b["peer_as"] == int(f[4]), (a, b)
    if b["type"] == "state":
        assert f[2] == "STATE" and b["new_state"] == int(f[6]); continue
    pfx = f[5]
    assert b["prefix"].split("/")[1] == pfx.split("/")[1], (a, b)
    if b["type"] == "withdraw":
        assert f[2] == "W"; continue
    off = 7 if "_AP" in f[0] else 6
    if "_AP" in f[0]:
        assert b["path_id"] == int(f[6])
    assert path_text(b["as_path"]) == f[off], (a, b["as_path"])
    comm = " ".join(b.get("communities", []))
    if "no-" not in f[off + 5] and "local-AS" not in f[off + 5]:
        assert comm == f[off + 5], (comm, f[off + 5])
    if b["as_path"] and isinstance(b["as_path"][-1], int):
        assert b["origin_as"] == b["as_path"][-1]
print("ok   %s: %d events agree" % (sys.argv[3], len(j)))
PY
done
[ $fail = 0 ] && echo "dump json: 4 passed, 0 failed" || { echo "dump json: failed"; exit 1; }
