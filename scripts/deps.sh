#!/bin/sh
# Install the Debian 12 packages manrs needs to build, test, fuzz and benchmark,
# and the world map of `manrs serve` (npm package world-atlas: Natural Earth
# country shapes, public domain; installed under /usr/local/share/manrs, never
# fetched at run time). Idempotent: only what is missing is installed. Prints
# the exact command when not root.
set -eu
MAP=/usr/local/share/manrs/countries-110m.json
world_map() {
    [ -s "$MAP" ] && return 0
    command -v npm >/dev/null 2>&1 || { apt-get update -qq >/dev/null; apt-get install -y -qq --no-install-recommends npm >/dev/null; }
    t=$(mktemp -d)
    (cd "$t" && npm pack --silent world-atlas@2.0.2 >/dev/null && tar xzf world-atlas-2.0.2.tgz) || {
        echo "manrs: world-atlas could not be fetched from the npm registry: manrs serve runs without a map" >&2
        rm -rf "$t"; return 0; }
    mkdir -p "$(dirname "$MAP")"
    cp "$t/package/countries-110m.json" "$MAP.part" && mv "$MAP.part" "$MAP"
    cp "$t/package/LICENSE" "$(dirname "$MAP")/world-atlas.LICENSE"
    rm -rf "$t"
}
PKGS="build-essential cmake pkg-config git
zlib1g-dev libdeflate-dev libbz2-dev liblzma-dev libzstd-dev libjansson-dev libsqlite3-dev libpq-dev libyaml-dev libcurl4-openssl-dev libwebsockets-dev libmicrohttpd-dev libsodium-dev libnats-dev libcmocka-dev
clang libclang-rt-14-dev
gzip bzip2 xz-utils zstd
bgpdump python3-mrtparse hyperfine time
bgpq4 rtr-tools stayrtr librtr-dev nftables iproute2 python3
bird2 frr frr-rpki-rtrlib gobgpd
postgresql nats-server
iso-codes chromium chromium-driver wrk"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    [ -s "$MAP" ] || [ "$(id -u)" != 0 ] || world_map
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "manrs: missing packages:$missing" >&2
    echo "run as root: apt-get update && apt-get install -y$missing" >&2
    exit 1
fi
echo "manrs: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
world_map
