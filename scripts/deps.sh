#!/bin/sh
# Install the Debian 12 packages manrs needs to build, test, fuzz and benchmark.
# Idempotent: only missing packages are installed. Prints the exact command when not root.
set -eu
PKGS="build-essential cmake pkg-config git
zlib1g-dev libdeflate-dev libbz2-dev liblzma-dev libzstd-dev libjansson-dev libsqlite3-dev libyaml-dev libcurl4-openssl-dev libwebsockets-dev libcmocka-dev
clang libclang-rt-14-dev
gzip bzip2 xz-utils zstd
bgpdump python3-mrtparse hyperfine time
bgpq4 rtr-tools stayrtr librtr-dev nftables python3
bird2 frr frr-rpki-rtrlib gobgpd"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
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
