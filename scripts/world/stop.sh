#!/usr/bin/env bash
# stop.sh DIR [knotd|unbound|faultd]...: stop the world started by start.sh DIR (all of it, or the
# servers named): TERM, then KILL after ~3 s. Only pids whose command line names DIR are signalled.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: stop.sh DIR [knotd|unbound|faultd]..." >&2
    exit 2
fi
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
world_stop "$@"
