#!/bin/sh
# layers.sh — the layering rule of docs/architecture.md, checked on the sources and
# on the built archives:
#
#   core < feeds < kb < sim < routes < analysis < store < observatory < output < apps < cli
#
# 1. includes: a file under src/<layer>/ or include/manrs/<layer>/ includes only
#    "manrs/<L>/..." headers of its own layer or a lower one, and never reaches into
#    another folder with "../"; an app (src/apps/<app>/, include/manrs/apps/<app>.h)
#    includes another app's header only along a declared edge (APP_EDGES);
# 2. symbols: every symbol an archive needs (nm -u) that one of the project's
#    archives defines is defined in the same layer or a lower one (and, between apps,
#    along a declared edge). This is what makes a back-edge fail even where the
#    static link would happen to succeed.
# Before checking the tree, the script proves it can fail: a planted upward include
# and a planted archive that needs a symbol of a higher layer must both be caught.
#
# usage: layers.sh SRC_DIR name=ARCHIVE...   (names: core feeds kb ... app_<app>)
set -u
SRC=${1:?usage: layers.sh SRC_DIR name=ARCHIVE...}
shift
TMP=${MANRS_TMP:-/tmp}/layers.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
ORDER="core feeds kb sim routes analysis store observatory output apps cli"
APP_EDGES="check:antispoof monitor:bmpd programme:ixp providers:programme serve:lg mark:programme spooftest:antispoof worker:feed feed:bmpd"
                                            # manrs check prints the egress ACL of antispoof;
                                            # the monitor listens for BMP with bmpd's listener;
                                            # conformance judges an IXP's Action 1 on its
                                            # route server's RIB as manrs ixp does;
                                            # providers reads the providers' conformance (programme);
                                            # serve answers /lg with the looking glass;
                                            # a mark is one participant's conformance (programme);
                                            # spooftest loads the ACL antispoof generates;
                                            # the workers read the feed's stream and seal;
                                            # the feed listens for BMP with bmpd's listener
# who may include manrs/feeds/mrt.h or bgp.h (the MRT record model)
MRT_MODEL_OK="src/feeds/* include/manrs/feeds/* src/output/dump/* include/manrs/output/dumpfmt.h src/cli/cmd_dump.c src/cli/cmd_stats.c src/sim/*"

mrt_model_ok() {
    set -f      # the patterns are case patterns, not file names
    for pat in $MRT_MODEL_OK; do
        case $1 in $pat) set +f; return 0 ;; esac
    done
    set +f
    return 1
}

rank() {   # rank of a layer name (app_x counts as apps); 0 if unknown
    l=$1
    case $l in app_*) l=apps ;; esac
    i=1
    for o in $ORDER; do
        [ "$o" = "$l" ] && { echo $i; return; }
        i=$((i + 1))
    done
    echo 0
}

app_ok() {   # may app $1 use app $2?
    [ "$1" = "$2" ] && return 0
    for e in $APP_EDGES; do [ "$e" = "$1:$2" ] && return 0; done
    return 1
}

# check_includes ROOT: prints one line per violation
check_includes() {
    root=$1
    find "$root/src" "$root/include/manrs" -type f \( -name '*.c' -o -name '*.h' -o -name '*.inc' \) 2>/dev/null |
    while read -r f; do
        rel=${f#"$root"/}
        case $rel in
        src/*)   layer=$(echo "$rel" | cut -d/ -f2); app=$(echo "$rel" | cut -d/ -f3) ;;
        include/manrs/*) layer=$(echo "$rel" | cut -d/ -f3); app=$(basename "$rel" .h) ;;
        esac
        r=$(rank "$layer")
        [ "$r" = 0 ] && { echo "$rel: folder '$layer' is not a layer of docs/architecture.md"; continue; }
        grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r line; do
            inc=$(echo "$line" | sed 's/^[^"]*"\([^"]*\)".*/\1/')
            n=${line%%:*}
            case $inc in
            ../*|*/../*) echo "$rel:$n: includes \"$inc\" (reach another layer through manrs/<layer>/ headers)" ;;
            manrs/feeds/mrt.h|manrs/feeds/bgp.h)
                mrt_model_ok "$rel" || echo "$rel:$n: includes \"$inc\": above the feeds, read route events (manrs/feeds/route_event.h)" ;;
            manrs/*/*)
                il=$(echo "$inc" | cut -d/ -f2)
                ir=$(rank "$il")
                if [ "$ir" = 0 ]; then echo "$rel:$n: \"$inc\" is in no layer"
                elif [ "$ir" -gt "$r" ]; then echo "$rel:$n: $layer includes \"$inc\" of the higher layer $il"
                elif [ "$il" = apps ] && [ "$layer" = apps ]; then
                    ia=$(basename "$inc" .h)
                    app_ok "$app" "$ia" || echo "$rel:$n: app $app includes \"$inc\" (no declared edge $app:$ia)"
                fi ;;
            manrs/*) echo "$rel:$n: \"$inc\" is in no layer (headers live in include/manrs/<layer>/)" ;;
            esac
        done
    done
}

# check_symbols name=ARCHIVE...: prints one line per violation
check_symbols() {
    : > "$TMP/def"
    : > "$TMP/und"
    for a in "$@"; do
        name=${a%%=*}
        path=${a#*=}
        [ -f "$path" ] || { echo "$name: archive $path not found"; continue; }
        nm -g --defined-only "$path" 2>/dev/null | awk -v n="$name" 'NF == 3 { print $3, n }' >> "$TMP/def"
        nm -u "$path" 2>/dev/null | awk -v n="$name" 'NF == 2 && $1 == "U" { print $2, n }' >> "$TMP/und"
    done
    sort -u "$TMP/def" > "$TMP/def.s"
    sort -u "$TMP/und" > "$TMP/und.s"
    # symbol needer definer
    join "$TMP/und.s" "$TMP/def.s" | while read -r sym user owner; do
        [ "$user" = "$owner" ] && continue
        ru=$(rank "$user")
        ro=$(rank "$owner")
        if [ "$ro" -gt "$ru" ]; then
            echo "$user needs $sym of the higher layer $owner"
        elif [ "$ro" = "$ru" ] && [ "${user#app_}" != "$user" ] && [ "${owner#app_}" != "$owner" ]; then
            app_ok "${user#app_}" "${owner#app_}" || echo "$user needs $sym of $owner (no declared edge)"
        elif [ "$ro" = "$ru" ]; then
            echo "$user needs $sym of $owner, another archive of the same layer"
        fi
    done
}

fail=0

# -- the checker can fail: planted violations
mkdir -p "$TMP/plant/src/core" "$TMP/plant/src/apps/whoisd" "$TMP/plant/include/manrs/core"
printf '#include "manrs/analysis/detect.h"\n' > "$TMP/plant/src/core/bad.c"
printf '#include "manrs/apps/check.h"\n' > "$TMP/plant/src/apps/whoisd/bad.c"
mkdir -p "$TMP/plant/src/routes"
printf '#include "manrs/feeds/mrt.h"\n' > "$TMP/plant/src/routes/bad.c"
printf '#include "manrs/core/prefix.h"\n#include "../x.h"\n' > "$TMP/plant/include/manrs/core/ok.h"
n=$(check_includes "$TMP/plant" | wc -l)
if [ "$n" -eq 4 ]; then echo "ok   planted upward, app-to-app, ../ and MRT-model includes are caught"
else echo "FAIL planted includes: $n violations found, 4 expected"; check_includes "$TMP/plant"; fail=1; fi
analysis=""
for a in "$@"; do case $a in analysis=*) analysis=${a#analysis=} ;; esac; done
if [ -n "$analysis" ] && command -v "${CC:-cc}" >/dev/null 2>&1; then
    printf 'int mrs_detect(void);\nint planted(void) { return mrs_detect(); }\n' > "$TMP/bad.c"
    "${CC:-cc}" -c -o "$TMP/bad.o" "$TMP/bad.c" && ar rcs "$TMP/libbad.a" "$TMP/bad.o"
    if check_symbols "core=$TMP/libbad.a" "analysis=$analysis" | grep -q 'core needs mrs_detect of the higher layer analysis'; then
        echo "ok   a planted core archive that needs an analysis symbol is caught"
    else echo "FAIL planted back-edge archive not caught"; fail=1; fi
else
    echo "FAIL no analysis archive or C compiler for the planted back-edge"; fail=1
fi

# -- the tree
check_includes "$SRC" > "$TMP/inc.out"
if [ -s "$TMP/inc.out" ]; then echo "FAIL includes against the layering:"; cat "$TMP/inc.out"; fail=1
else echo "ok   includes of src/ and include/manrs/ go only downward"; fi
check_symbols "$@" > "$TMP/sym.out"
if [ -s "$TMP/sym.out" ]; then echo "FAIL archive symbols against the layering:"; cat "$TMP/sym.out"; fail=1
else echo "ok   the $# archives need symbols only of their own or lower layers"; fi
exit $fail
