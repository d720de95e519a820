#!/usr/bin/env bash
# setup.sh: install what egressmap needs to build and test on Debian 12 (root, no stdin).
# Idempotent: what is installed already is left alone, so it is cheap to run before every test.
#   - build:  libc-ares-dev (c-ares 1.18.1), libsqlite3-dev (GRDB's SQLite) and pkg-config
#   - tests:  knot, knot-dnsutils, unbound (the test world), iproute2 (unshare -n, ip), nftables,
#             python3 with jsonschema and netaddr (schema checks, cidr merge comparisons)
set -euo pipefail

packages=(libc-ares-dev libsqlite3-dev pkg-config knot knot-dnsutils unbound iproute2 util-linux nftables ipset iptables python3)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's knot and unbound packages may start their own daemons where an init system runs; the
# test world starts its own on free loopback ports, so those are not needed and are not touched.

python=$(command -v python3)
pip_packages=(jsonschema netaddr aggregate6)
if ! "$python" -c 'import jsonschema, netaddr, aggregate6' 2>/dev/null; then
    echo "setup.sh: installing ${pip_packages[*]} from PyPI" >&2
    "$python" -m pip install --quiet --disable-pip-version-check "${pip_packages[@]}" 2>/dev/null \
        || "$python" -m pip install --quiet --disable-pip-version-check --break-system-packages "${pip_packages[@]}"
fi
