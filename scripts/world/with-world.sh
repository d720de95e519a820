#!/usr/bin/env bash
# with-world.sh CMD [ARGS...]: start the test world in a fresh temporary folder, export its
# EGRESSMAP_TEST_* variables, run CMD, stop the world (also when CMD fails, and on INT/TERM) and
# exit with CMD's status. EGRESSMAP_WORLD_KEEP=1 keeps the folder (configs, logs) afterwards.
# Meant to run inside a loopback-only network namespace, as root:
#   unshare -n sh -c 'ip link set lo up; scripts/world/with-world.sh CMD...'
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: with-world.sh CMD [ARGS...]" >&2
    exit 2
fi
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
world=$(mktemp -d "${TMPDIR:-/tmp}/egressmap-world.XXXXXXXX")

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    world_stop "$world" || true
    if [ "${EGRESSMAP_WORLD_KEEP:-0}" = 1 ]; then
        echo "with-world.sh: world kept in $world" >&2
    else
        rm -rf "$world"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The servers become children of this shell, so cleanup reaps them.
world_start "$world"
# shellcheck source=/dev/null
. "$world/env"
# CMD runs in the background so that a signal to this shell is handled at once (bash defers traps
# while a foreground child runs); it is passed on to CMD. `<&0` keeps stdin, which bash would
# otherwise replace with /dev/null for a background command.
"$@" <&0 &
cmd=$!
trap 'kill -TERM "$cmd" 2>/dev/null; exit 130' INT
trap 'kill -TERM "$cmd" 2>/dev/null; exit 143' TERM
status=0
wait "$cmd" || status=$?
exit "$status"
