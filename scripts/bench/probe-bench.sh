#!/usr/bin/env bash
# Benchmark the TCP prober: 10,000 (address, port) pairs on loopback at the default concurrency (256),
# with `egressmap probe`, inside a fresh network namespace that has only loopback (unshare -n), so no
# packet can leave the machine. 2,500 addresses (127.0.1.0 ...) x 4 ports: two ports with a listener
# (accepting and closing), two with none (refused). Prints the wall time and checks every verdict.
# Runs as root. EGRESSMAP_BIN=path uses that binary; otherwise a release build in .build-bench-probe.
# Not part of the test suite.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/scripts/bench/work"
mkdir -p "$work"

if [[ "${EGRESSMAP_BENCH_INSIDE:-0}" != 1 ]]; then
    if [[ "$(id -u)" != 0 ]]; then
        echo "probe-bench.sh: run as root (unshare -n needs it)" >&2
        exit 2
    fi
    if [[ -z "${EGRESSMAP_BIN:-}" ]]; then
        echo "building egressmap (release, .build-bench-probe)" >&2
        (cd "$root" && swift build -c release --scratch-path .build-bench-probe --product egressmap >&2)
        EGRESSMAP_BIN="$root/.build-bench-probe/release/egressmap"
    fi
    export EGRESSMAP_BIN EGRESSMAP_BENCH_INSIDE=1
    exec unshare -n "$0" "$@"
fi

# Inside the namespace from here on.
ip link set lo up
devices=$(awk -F: 'NR > 2 {gsub(/ /, "", $1); print $1}' /proc/self/net/dev | tr '\n' ' ')
[[ "$devices" == "lo " ]] || { echo "probe-bench.sh: not a loopback-only namespace ($devices)" >&2; exit 1; }

open_ports=(40001 40002)
closed_ports=(40003 40004)
addresses=2500
pairs="$work/probe-pairs.txt"
python3 - "$pairs" "$addresses" "${open_ports[@]}" "${closed_ports[@]}" <<'PY'
import ipaddress, sys
path, count, ports = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
base = int(ipaddress.IPv4Address("127.0.1.0"))
with open(path, "w") as handle:
    for index in range(count):
        address = ipaddress.IPv4Address(base + index)
        for port in ports:
            handle.write(f"{address}:{port}\n")
PY

# Listeners on 0.0.0.0 that accept and close at once, so no accept queue fills up.
python3 - "${open_ports[@]}" <<'PY' &
import selectors, socket, sys
selector = selectors.DefaultSelector()
for port in sys.argv[1:]:
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", int(port)))
    listener.listen(4096)
    listener.setblocking(False)
    selector.register(listener, selectors.EVENT_READ)
print("ready", flush=True)
while True:
    for key, _ in selector.select():
        try:
            connection, _ = key.fileobj.accept()
            connection.close()
        except (BlockingIOError, ConnectionError):
            pass
PY
listener=$!
trap 'kill "$listener" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.1).close()' \
        "${open_ports[0]}" 2>/dev/null && break
    sleep 0.1
done

total=$(wc -l < "$pairs")
start=$(date +%s.%N)
"$EGRESSMAP_BIN" probe --input "$pairs" > "$work/probe-results.txt" 2> "$work/probe-summary.txt"
end=$(date +%s.%N)
cat "$work/probe-summary.txt" >&2

expected_open=$((addresses * ${#open_ports[@]}))
expected_refused=$((addresses * ${#closed_ports[@]}))
open=$(awk -F'\t' '$2 == "open"' "$work/probe-results.txt" | wc -l)
refused=$(awk -F'\t' '$2 == "refused"' "$work/probe-results.txt" | wc -l)
# The open ones must be exactly the listening ports, the refused ones exactly the others.
wrong=$(awk -F'\t' -v a="${open_ports[0]}" -v b="${open_ports[1]}" '{
    n = split($1, parts, ":"); port = parts[n]; listening = (port == a || port == b)
    if ((listening && $2 != "open") || (!listening && $2 != "refused")) print }' "$work/probe-results.txt" | wc -l)

echo
echo "| pairs | concurrency | timeout | open | refused | wrong | wall time (s) | pairs/s |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
awk -v t="$total" -v o="$open" -v r="$refused" -v w="$wrong" -v s="$start" -v e="$end" \
    'BEGIN { printf "| %d | 256 | 3 s | %d | %d | %d | %.3f | %.0f |\n", t, o, r, w, e - s, t / (e - s) }'
[[ "$total" == 10000 && "$open" == "$expected_open" && "$refused" == "$expected_refused" && "$wrong" == 0 ]]
