#!/usr/bin/env bash
# resolve.sh [SIZES...]: throughput of `egressmap resolve --json` (release build) against the test world,
# for bulk zones of each size (default: 10000 100000 names, A and AAAA each), through unbound (recursive,
# cold then warm cache) and against knot directly (authoritative). Runs inside `unshare -n`: all traffic
# stays on loopback. Prints a markdown table: wall time, names/second, peak RSS, names answered, timeouts.
# Not part of the test suite. Needs root (unshare) and scripts/setup.sh's packages.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
scratch="${SCRATCH:-.build}"
# BINARY=path skips the build and measures that egressmap instead.
binary="${BINARY:-}"
if [ -z "$binary" ]; then
    swift build -c release --scratch-path "$scratch" >/dev/null
    binary="$root/$scratch/release/egressmap"
fi
work="$root/scripts/bench/work"
mkdir -p "$work"

echo "| names | server | wall s | names/s | peak RSS MiB | answered | timeouts |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
    EGRESSMAP_WORLD_BULK="$n" BINARY="$binary" WORK="$work" N="$n" unshare -n sh -c '
        ip link set lo up
        exec "$0"/scripts/world/with-world.sh sh -c "
            measure() {
                label=\$1; server=\$2
                /usr/bin/time -f \"%e %M\" -o \"\$WORK/time.txt\" \"\$BINARY\" resolve --json --server \"\$server\" \
                    --input \"\$EGRESSMAP_TEST_WORLD/bulk-names.txt\" >\"\$WORK/resolve.jsonl\"
                read -r wall rss <\"\$WORK/time.txt\"
                answered=\$(grep -c \"\\\"outcome\\\":\\\"ok\\\"\" \"\$WORK/resolve.jsonl\" || true)
                timeouts=\$(grep -o \"\\\"outcome\\\":\\\"timeout\\\"\" \"\$WORK/resolve.jsonl\" | wc -l)
                rate=\$(python3 -c \"print(round(\$N / \$wall))\")
                mib=\$(python3 -c \"print(round(\$rss / 1024, 1))\")
                echo \"| \$N | \$label | \$wall | \$rate | \$mib | \$answered | \$timeouts |\"
            }
            measure \"unbound (cold)\" \"\$EGRESSMAP_TEST_DNS\"
            measure \"unbound (warm)\" \"\$EGRESSMAP_TEST_DNS\"
            measure \"knot\" \"\$EGRESSMAP_TEST_AUTH\"
        "
    ' "$root"
done
