#!/usr/bin/env bash
# history-sim.sh [RUNS]: RUNS (default 1000) runs of the bundled manifest against the test world, 15
# simulated minutes apart (EGRESSMAP_NOW), as a scheduled job would make them; then the time of
# `egressmap diff` between the first kept and the last run and of `egressmap history`, and the size of
# history.sqlite and of the output folder. Inside `unshare -n`; not part of the test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
runs="${1:-1000}"
scratch="${SCRATCH:-.build}"
# BINARY=path skips the build and measures that egressmap instead.
binary="${BINARY:-}"
if [ -z "$binary" ]; then
    swift build -c release --scratch-path "$scratch" >/dev/null
    binary="$root/$scratch/release/egressmap"
fi
out="$root/scripts/bench/work/history-sim"
rm -rf "$out"
BINARY="$binary" OUT="$out" RUNS="$runs" unshare -n sh -c '
    ip link set lo up
    exec "$0"/scripts/world/with-world.sh sh -c "
        start=\$(date +%s%N)
        now=1795000000000
        i=0
        while [ \$i -lt \$RUNS ]; do
            EGRESSMAP_NOW=\$now \"\$BINARY\" run --server \"\$EGRESSMAP_TEST_DNS\" --out \"\$OUT\" --no-probe --quiet \
                --var subdomain=acme --var uuid=0f1e2d3c4b5a69788796a5b4c3d2e1f0 >/dev/null || { echo run \$i failed; exit 1; }
            now=\$((now + 900000)); i=\$((i + 1))
        done
        end=\$(date +%s%N)
        echo \"runs: \$RUNS in \$(( (end - start) / 1000000 )) ms (\$(( (end - start) / 1000000 / RUNS )) ms a run)\"
        echo \"history.sqlite: \$(du -k \"\$OUT/history.sqlite\" | cut -f1) KiB; output folder: \$(du -sk \"\$OUT\" | cut -f1) KiB\"
        first=\$(ls \"\$OUT/snapshots\" | head -n 1 | sed s/.json//)
        last=\$(ls \"\$OUT/snapshots\" | tail -n 1 | sed s/.json//)
        /usr/bin/time -f \"diff: %e s, %M KiB peak\" \"\$BINARY\" diff \"\$first\" \"\$last\" --out \"\$OUT\" >/dev/null || true
        /usr/bin/time -f \"history NAME: %e s, %M KiB peak\" \"\$BINARY\" history 7-courier.push.apple.com --out \"\$OUT\" >/dev/null
        /usr/bin/time -f \"history ADDRESS: %e s, %M KiB peak\" \"\$BINARY\" history 17.188.180.1 --out \"\$OUT\" >/dev/null
        /usr/bin/time -f \"one more run: %e s, %M KiB peak\" \"\$BINARY\" run --server \"\$EGRESSMAP_TEST_DNS\" --out \"\$OUT\" --no-probe --quiet \
                --var subdomain=acme --var uuid=0f1e2d3c4b5a69788796a5b4c3d2e1f0 >/dev/null
    "
' "$root"
