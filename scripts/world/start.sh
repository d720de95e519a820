#!/usr/bin/env bash
# start.sh DIR: start the egressmap test world in DIR (created if missing): knotd (authoritative:
# Tests/World/zones plus a generated bulk.test), unbound (recursive, stub zones to knotd) and
# faultd.py (scripted faults and a silent port), all on loopback at freshly chosen ports.
# Writes DIR/env (sourceable `export` lines) and DIR/{knotd,unbound,faultd}.pid; exits non-zero,
# with the servers' logs on stderr and nothing left running, if a server does not come up.
# Stop with stop.sh DIR. See README.md beside this file.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: start.sh DIR" >&2
    exit 2
fi
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
world_start "$1"
