#!/bin/sh
# `make install` does `cmake --install BUILD --prefix PREFIX` with DESTDIR: install
# the build of MANRS_BIN (its directory is the build tree) into a temporary DESTDIR,
# with the default prefix and with --prefix /usr --component manrs, and check:
# - exactly bin/manrs (executable, runs) and share/man/man1/manrs.1 (= docs/manrs.1)
#   land under DESTDIR/PREFIX, nothing else;
# - `man` finds the installed page by name (`man -M DESTDIR/PREFIX/share/man -w
#   manrs`, as `man manrs` does after installing) and renders it without warnings
#   (`man --warnings`); without man: groff -ww, else mandoc -Tlint, else SKIP that part.
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:?}
CMAKE=${MANRS_CMAKE:-cmake}
BUILD=$(dirname "$BIN")
T=${MANRS_TMP:-/tmp}/cli_install.$$
mkdir -p "$T" || exit 1
T=$(cd "$T" && pwd)
trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
ko() { fail=$((fail+1)); echo "FAIL $*"; }
if [ ! -f "$BUILD/cmake_install.cmake" ]; then
    echo "SKIP: $BUILD is not a CMake build tree (no cmake_install.cmake)"; exit 77
fi

# install DESTDIR PREFIX [cmake --install options]: the files installed, relative to DESTDIR
install_into() {
    d=$1; p=$2; shift 2
    DESTDIR=$d "$CMAKE" --install "$BUILD" --prefix "$p" "$@" >"$T/install.log" 2>&1 ||
        { ko "cmake --install --prefix $p $*: $(cat "$T/install.log")"; return 1; }
    (cd "$d" && find . -type f -o -type l | sed 's|^\./|/|' | sort)
}

for case in "/usr/local" "/usr --component manrs"; do
    # shellcheck disable=SC2086
    set -- $case
    prefix=$1; shift
    d=$T/dest$(echo "$prefix" | tr / _)
    files=$(install_into "$d" "$prefix" "$@") || continue
    want=$(printf '%s\n' "$prefix/bin/manrs" "$prefix/share/man/man1/manrs.1" | sort)
    [ "$files" = "$want" ] && ok || ko "prefix $prefix $*: installed [$(echo $files)], want [$(echo $want)]"
    [ -x "$d$prefix/bin/manrs" ] && ok || ko "prefix $prefix: bin/manrs not executable"
    v=$("$d$prefix/bin/manrs" --version 2>&1); rc=$?
    [ $rc = 0 ] && echo "$v" | grep -q '^manrs [0-9]' && ok || ko "installed manrs --version: exit $rc: $v"
    "$d$prefix/bin/manrs" help dump | grep -q '^usage: manrs dump' && ok || ko "installed manrs help dump"
    cmp -s "$d$prefix/share/man/man1/manrs.1" "$SRC/docs/manrs.1" && ok ||
        ko "prefix $prefix: share/man/man1/manrs.1 differs from docs/manrs.1"
done

# the page of the /usr/local install, read by name as `man manrs` would
mandir=$T/dest_usr_local/usr/local/share/man
page=$mandir/man1/manrs.1
if [ ! -f "$page" ]; then
    ko "no installed page to read"
elif command -v man >/dev/null && man --version >/dev/null 2>&1; then
    found=$(man -M "$mandir" -w manrs 2>&1)
    [ "$found" = "$page" ] && ok || ko "man -M $mandir -w manrs: '$found', want $page"
    MANWIDTH=80 man --warnings -M "$mandir" manrs >"$T/man.txt" 2>"$T/man.err"; rc=$?
    [ $rc = 0 ] && [ ! -s "$T/man.err" ] && ok || ko "man --warnings manrs: exit $rc: $(head -c 500 "$T/man.err")"
    grep -q '^SYNOPSIS' "$T/man.txt" && grep -q 'manrs filter' "$T/man.txt" && ok || ko "man manrs: page not rendered"
    MANWIDTH=80 man --warnings -l "$page" >/dev/null 2>"$T/man.err"; rc=$?
    [ $rc = 0 ] && [ ! -s "$T/man.err" ] && ok || ko "man --warnings -l: exit $rc: $(head -c 500 "$T/man.err")"
elif command -v groff >/dev/null; then
    echo "note: man not installed: rendering with groff"
    groff -ww -man -Tutf8 "$page" >"$T/man.txt" 2>"$T/man.err"; rc=$?
    [ $rc = 0 ] && [ ! -s "$T/man.err" ] && [ -s "$T/man.txt" ] && ok || ko "groff -ww -man: exit $rc: $(head -c 500 "$T/man.err")"
elif command -v mandoc >/dev/null; then
    echo "note: man and groff not installed: checking with mandoc"
    mandoc -Tlint -Wwarning "$page" >"$T/man.err" 2>&1
    [ ! -s "$T/man.err" ] && ok || ko "mandoc -Tlint: $(head -c 500 "$T/man.err")"
else
    echo "SKIP: none of man, groff, mandoc: the installed page is not rendered"
fi

echo "install: $pass passed, $fail failed"
[ $fail = 0 ]
