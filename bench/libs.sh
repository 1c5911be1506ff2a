#!/bin/sh
# libs.sh BUILD_DIR — the layer archives of a CMake build (docs/architecture.md),
# top layer first, in the order a static link needs them. The bench programs link
# against these: cc ... $(sh bench/libs.sh build) -l...
B=${1:-build}
for l in app_lg app_check app_whoisd app_antispoof app_filter output observatory store analysis routes sim kb feeds core; do
    printf '%s ' "$B/libmanrs_$l.a"
done
echo
