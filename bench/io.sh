#!/bin/sh
# io.sh — compare the streaming reader (src/core/io.c) with the reference
# decompressor on one file: `zcat/bzcat/xzcat/zstdcat FILE > /dev/null` vs
# `iocat FILE > /dev/null` (and a line count with mrs_getline vs `zcat | wc -l`).
# Usage: bench/io.sh FILE [RUNS]   (run from the source dir after building build/)
# Assumes: build/libmanrs_*.a exist (cmake --build build), hyperfine optional.
set -eu
file=${1:?usage: bench/io.sh FILE [RUNS]}
runs=${2:-5}
src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/build/bench
mkdir -p "$out"
cc -O2 -I"$src/include" -o "$out/iocat" "$src/bench/iocat.c" $(sh "$src/bench/libs.sh" "$src/build") -lz -lbz2 -llzma -lzstd -ldeflate -lpthread

magic=$(od -An -tx1 -N6 "$file" | tr -d ' \n')
case $magic in
    1f8b*) ref=zcat ;;
    425a68*) ref=bzcat ;;
    fd377a585a00) ref=xzcat ;;
    28b52ffd*) ref=zstdcat ;;
    *) ref=cat ;;
esac

best() { # best-of-$runs wall time in seconds of: sh -c "$1"
    b=
    i=0
    while [ $i -lt "$runs" ]; do
        s=$(date +%s.%N)
        sh -c "$1" 2>/dev/null || true
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
        i=$((i + 1))
    done
    echo "$b"
}

size=$(wc -c < "$file")
dsize=$("$out/iocat" "$file" 2>/dev/null | wc -c)
echo "file: $file ($size raw bytes, $dsize decompressed, reference $ref, best of $runs)"
t_ref=$(best "$ref '$file' > /dev/null")
t_io=$(best "'$out/iocat' '$file' > /dev/null")
printf '%-28s %8.3f s  %7.1f MB/s\n' "$ref > /dev/null" "$t_ref" "$(echo "$dsize / $t_ref / 1000000" | bc -l)"
printf '%-28s %8.3f s  %7.1f MB/s\n' "iocat (mrs_read 1 MiB)" "$t_io" "$(echo "$dsize / $t_io / 1000000" | bc -l)"
printf 'ratio iocat/%s: %.3f\n' "$ref" "$(echo "$t_io / $t_ref" | bc -l)"
t_refl=$(best "$ref '$file' | wc -l > /dev/null")
t_iol=$(best "'$out/iocat' -l '$file' > /dev/null")
printf '%-28s %8.3f s\n' "$ref | wc -l" "$t_refl"
printf '%-28s %8.3f s\n' "iocat -l (mrs_getline)" "$t_iol"
