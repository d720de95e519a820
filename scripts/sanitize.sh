#!/usr/bin/env bash
# sanitize.sh [thread|address]...: build the package with ThreadSanitizer and then AddressSanitizer
# (both by default; each is a full build in its own scratch folder, .build-tsan and .build-asan) and
# run the whole test suite inside unshare -n with the test world, serially. Prints one line per
# sanitizer, clean or failed, and exits non-zero if any run failed or any sanitizer report was printed.
# Slow (on two cores: ThreadSanitizer 15 minutes, AddressSanitizer 4, builds apart): not part of
# .ci/run; EGRESSMAP_SANITIZE_FILTER='DNSTests|ResolveCommandTests' runs the engine's tests in minutes.
#
# Environment: EGRESSMAP_SANITIZE_FILTER (the swift test --filter, default below),
# EGRESSMAP_TEST_SLOWDOWN (how much the tests stretch their timeouts; 10 for TSan, 4 for ASan). Logs
# are kept in <scratch>/sanitize-build.log and <scratch>/sanitize-test.log.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

if [ "$(id -u)" != 0 ]; then
    echo "sanitize.sh: run as root (unshare -n and the test world need it)" >&2
    exit 2
fi
sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(thread address)
filter=${EGRESSMAP_SANITIZE_FILTER:-.}

# Report everything, keep going, and let the process exit non-zero if anything was reported (TSan: 66).
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}
# Leaks inside the toolchain's libraries (Foundation, XCTest) are listed, with reasons, in this file.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/scripts/lsan-suppressions.txt:print_suppressions=1}
# The Swift backtracer installs its own signal handlers; the sanitizers print their own reports.
export SWIFT_BACKTRACE=enable=no

summary=()
failed=0
for sanitizer in "${sanitizers[@]}"; do
    # The tests stretch their timeouts and bounds by EGRESSMAP_TEST_SLOWDOWN: TSan runs code ~5-15x
    # slower, ASan ~2-3x.
    case $sanitizer in
        thread) scratch=.build-tsan slowdown=${EGRESSMAP_TEST_SLOWDOWN:-10} ;;
        address) scratch=.build-asan slowdown=${EGRESSMAP_TEST_SLOWDOWN:-4} ;;
        *) echo "sanitize.sh: unknown sanitizer '$sanitizer' (thread or address)" >&2; exit 2 ;;
    esac
    mkdir -p "$scratch"
    build_log=$scratch/sanitize-build.log
    test_log=$scratch/sanitize-test.log
    started=$(date +%s)
    echo "sanitize.sh: $sanitizer: building in $scratch" >&2
    if ! swift build --build-tests --scratch-path "$scratch" --sanitize "$sanitizer" >"$build_log" 2>&1; then
        grep -E 'error:' "$build_log" >&2 || tail -n 30 "$build_log" >&2
        summary+=("$sanitizer: FAILED (build; see $build_log)")
        failed=1
        continue
    fi
    echo "sanitize.sh: $sanitizer: testing ($filter)" >&2
    status=0
    # --no-parallel, as scripts/test.sh runs them: a test that waits for the built binary holds one of the
    # cooperative pool's threads, and in parallel the probe cancellation test waited a minute for a thread.
    # shellcheck disable=SC2016 # expanded by the inner sh
    EGRESSMAP_TEST_SLOWDOWN=$slowdown unshare -n sh -c 'ip link set lo up && exec scripts/world/with-world.sh \
        swift test --skip-build --no-parallel --scratch-path "$0" --sanitize "$1" --filter "$2"' \
        "$scratch" "$sanitizer" "$filter" >"$test_log" 2>&1 || status=$?
    reports=$(grep -cE '(WARNING|ERROR): (Thread|Address|Leak)Sanitizer' "$test_log")
    tests=$(grep -E '^. Test run with' "$test_log" | tail -n 1)
    seconds=$(($(date +%s) - started))
    if [ "$status" -eq 0 ] && [ "$reports" -eq 0 ]; then
        summary+=("$sanitizer: clean in ${seconds}s: ${tests:-no swift-testing summary}")
    else
        grep -E '(WARNING|ERROR): (Thread|Address|Leak)Sanitizer|SUMMARY: |✘' "$test_log" | head -n 40 >&2
        summary+=("$sanitizer: FAILED in ${seconds}s (exit $status, $reports sanitizer report(s); see $test_log)")
        failed=1
    fi
done

printf 'sanitize.sh: %s\n' "${summary[@]}"
exit "$failed"
