#!/usr/bin/env bash
# selfcheck.sh: check the test world end to end, inside its own loopback-only network namespace:
# every zone case and fault scenario (selfcheck.py through with-world.sh), start.sh/stop.sh by
# hand, two worlds at once, and that nothing is left running afterwards. Prints PASS/FAIL per
# check; exits non-zero when any fails. Needs root (unshare -n).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=${PYTHON:-python3}

if [ "${EGRESSMAP_SELFCHECK_INNER:-}" != 1 ]; then
    start=$(date +%s%N)
    status=0
    # shellcheck disable=SC2016 # "$0" expands in the inner bash
    EGRESSMAP_SELFCHECK_INNER=1 unshare -n bash -c 'ip link set lo up && exec "$0"' "$0" || status=$?
    echo "selfcheck: $([ $status -eq 0 ] && echo PASS || echo FAIL) in $((($(date +%s%N) - start) / 1000000)) ms"
    exit "$status"
fi

failed=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failed=1; }

# leftovers DIR: processes whose command line names DIR (zombies excluded: they are gone)
leftovers() {
    local pid
    for pid in $(pgrep -f -- "$1/" || true); do
        grep -q '^[^)]*) Z' "/proc/$pid/stat" 2>/dev/null || echo "$pid"
    done
}

# 1. the checks proper, in a world made by with-world.sh
out=$(mktemp)
status=0
"$here/with-world.sh" "$py" "$here/selfcheck.py" >"$out" 2>&1 || status=$?
cat "$out"
world=$(sed -n 's/^world: //p' "$out" | head -n 1)
rm -f "$out"
[ "$status" -eq 0 ] || fail "selfcheck.py exited $status"
if [ -n "$world" ] && [ -z "$(leftovers "$world")" ] && [ ! -e "$world" ]; then
    pass "with-world.sh left no process and removed $world"
else
    fail "with-world.sh left processes or the folder: $(leftovers "$world") ${world:-?}"
fi

# 2. with-world.sh passes CMD's status through and cleans up after a failing CMD
status=0
# shellcheck disable=SC2016 # the variables expand inside the world
"$here/with-world.sh" sh -c 'echo "$EGRESSMAP_TEST_WORLD" >"$0"; exit 7' "${TMPDIR:-/tmp}/selfcheck.$$" || status=$?
w=$(cat "${TMPDIR:-/tmp}/selfcheck.$$")
rm -f "${TMPDIR:-/tmp}/selfcheck.$$"
if [ "$status" -eq 7 ] && [ -z "$(leftovers "$w")" ]; then
    pass "with-world.sh exits with CMD's status (7) and stops the world"
else
    fail "with-world.sh status $status (want 7), leftovers: $(leftovers "$w")"
fi

# 3. start.sh / stop.sh by hand
dir=$(mktemp -d "${TMPDIR:-/tmp}/egressmap-world-manual.XXXXXXXX")
t0=$(date +%s%N)
if "$here/start.sh" "$dir"; then
    t1=$(date +%s%N)
    # shellcheck source=/dev/null
    if (. "$dir/env" && kdig @127.0.0.1 -p "${EGRESSMAP_TEST_DNS##*:}" +timeout=2 +retry=0 +short \
        v4.world.test A | grep -qx 5.188.10.3); then
        pass "start.sh: up in $(((t1 - t0) / 1000000)) ms; DIR/env works"
    else
        fail "start.sh: DIR/env does not reach unbound"
    fi
else
    fail "start.sh failed"
fi
"$here/stop.sh" "$dir"
for _ in $(seq 1 40); do [ -z "$(leftovers "$dir")" ] && break; sleep 0.05; done
if [ -z "$(leftovers "$dir")" ] && ! ls "$dir"/*.pid >/dev/null 2>&1; then
    pass "stop.sh: nothing left running"
else
    fail "stop.sh left: $(leftovers "$dir")"
fi
rm -rf "$dir"

# 4. two worlds at once do not collide
both=$(mktemp)
for _ in 1 2; do
    # shellcheck disable=SC2016 # the variables expand inside each world
    "$here/with-world.sh" sh -c 'sleep 1; kdig @127.0.0.1 -p "${EGRESSMAP_TEST_DNS##*:}" +timeout=2 +retry=0 +short dual.world.test A | grep -q 5.188.10.1 && echo "$EGRESSMAP_TEST_DNS $EGRESSMAP_TEST_AUTH $EGRESSMAP_TEST_FAULTS $EGRESSMAP_TEST_DEAD"' >>"$both" 2>&1 &
done
wait
if [ "$(wc -l <"$both")" -eq 2 ] && [ "$(tr ' ' '\n' <"$both" | sort | uniq -d | wc -l)" -eq 0 ]; then
    pass "two worlds at once: both answer, no shared port"
else
    fail "two worlds at once: $(tr '\n' ';' <"$both")"
fi
rm -f "$both"

# 5. nothing of ours is left anywhere
left=$(pgrep -af 'egressmap-world' | grep -v -e pgrep -e selfcheck || true)
if [ -z "$left" ]; then pass "no knotd/unbound/faultd of any world left"; else fail "left: $left"; fi

exit "$failed"
