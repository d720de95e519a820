#!/usr/bin/env bash
# test.sh: the whole test suite, from a clean clone. Installs what it needs (scripts/setup.sh), builds
# with warnings counted as failures, then runs every test inside a network namespace that has only
# loopback, with the test world (knot + unbound + the fault responder) started on free ports and
# stopped afterwards. Nothing can reach a real network or the machine's own resolver.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
    echo "test.sh: run as root (unshare -n and the test world need it)" >&2
    exit 2
fi
scripts/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "test.sh: building (debug, with tests)" >&2
if ! swift build --build-tests 2>&1 | tee "$log" | grep -E 'error:|Compiling|Build' | tail -n 3; then
    cat "$log" >&2
    exit 1
fi
grep -q 'error:' "$log" && { grep -E 'error:' "$log" >&2; exit 1; }
# No warnings in the project's own code (dependencies are built with warnings suppressed).
if grep -E "^$(pwd)/(Sources|Tests)/.*warning:" "$log" >&2; then
    echo "test.sh: the build has warnings (above)" >&2
    exit 1
fi

echo "test.sh: testing inside unshare -n with the test world" >&2
export SWIFT_BACKTRACE=enable=no
# --no-parallel: many tests run the built binary and wait for it, which holds one of the (two) threads of
# Swift's cooperative pool; in parallel they starve the engine tests that need the pool to resume.
unshare -n sh -c 'ip link set lo up && exec scripts/world/with-world.sh swift test --skip-build --no-parallel'
