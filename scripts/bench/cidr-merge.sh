#!/usr/bin/env bash
# Benchmark `egressmap cidr merge` against aggregate6 and netaddr's cidr_merge on the same input:
# 1,000,000 random IPv4 addresses plus 200,000 IPv6 prefixes, generated deterministically.
# Prints a markdown table of wall time and peak RSS, and fails unless all three outputs are identical.
# Needs: python3 with `pip install netaddr aggregate6`, /usr/bin/time. Not part of the test suite.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/scripts/bench/work"
scratch="$root/.build-bench-cidr"
mkdir -p "$work"
cd "$root"

python3 -c 'import netaddr, aggregate6' 2>/dev/null || {
    echo "netaddr and aggregate6 are needed: python3 -m pip install netaddr aggregate6" >&2
    exit 2
}

input="$work/cidr-merge-input.txt"
if [[ ! -s "$input" ]]; then
    echo "generating $input" >&2
    python3 - "$input" <<'PY'
import ipaddress, random, sys
rng = random.Random(20261129)
lines = []
# IPv4: a million addresses, denser in a few /12s so that neighbours merge into larger blocks.
for _ in range(1_000_000):
    if rng.random() < 0.6:
        base = (10 << 24, 100 << 24, 172 << 24, 203 << 24)[rng.randrange(4)]
        value = base + rng.randrange(1 << 20)
    else:
        value = rng.randrange(1 << 32)
    lines.append(str(ipaddress.IPv4Address(value)))
# IPv6: 200,000 prefixes of /40 to /64 inside a few /32s, so many overlap, nest or sit side by side.
bases = [int(ipaddress.IPv6Address(text)) for text in ("2001:db8::", "2a00:1450::", "2606:4700::", "2400:cb00::")]
for _ in range(200_000):
    length = rng.randrange(40, 65)
    value = bases[rng.randrange(len(bases))] | (rng.randrange(1 << 32) << 64)
    network = ipaddress.IPv6Network((value, length), strict=False)
    lines.append(str(network))
rng.shuffle(lines)
with open(sys.argv[1], "w") as handle:
    handle.write("\n".join(lines) + "\n")
PY
fi

cat > "$work/netaddr-merge.py" <<'PY'
import sys
import netaddr
entries = [line.strip() for line in sys.stdin if line.strip()]
sys.stdout.write("".join(str(network) + "\n" for network in netaddr.cidr_merge(entries)))
PY

echo "building egressmap (release, $scratch)" >&2
swift build -c release --scratch-path "$scratch" --product egressmap >&2
egressmap="$scratch/release/egressmap"

measure() {  # name, output file, command...
    local name="$1" output="$2"
    shift 2
    /usr/bin/time -v -o "$work/$name.time" "$@" < "$input" > "$output"
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")
    seconds=$(python3 -c 'import sys; parts = sys.argv[1].split(":"); print(sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts))))' "$wall")
    printf '%s %s %s\n' "$name" "$seconds" "$rss" >> "$work/results.txt"
}

rm -f "$work/results.txt"
measure egressmap "$work/out-egressmap.txt" "$egressmap" cidr merge
measure netaddr "$work/out-netaddr.txt" python3 "$work/netaddr-merge.py"
measure aggregate6 "$work/out-aggregate6.txt" aggregate6

same=yes
for other in netaddr aggregate6; do
    if ! cmp -s "$work/out-egressmap.txt" "$work/out-$other.txt"; then
        same=no
        echo "output differs from $other:" >&2
        diff "$work/out-egressmap.txt" "$work/out-$other.txt" | head -20 >&2 || true
    fi
done

lines=$(wc -l < "$input")
prefixes=$(wc -l < "$work/out-egressmap.txt")
echo
echo "Input: $lines lines (1,000,000 IPv4 addresses + 200,000 IPv6 prefixes) -> $prefixes prefixes; identical output: $same"
echo
echo "| tool | wall time (s) | peak RSS (MiB) | vs egressmap |"
echo "| --- | ---: | ---: | ---: |"
base=$(awk '$1 == "egressmap" {print $2}' "$work/results.txt")
while read -r name seconds rss; do
    awk -v n="$name" -v s="$seconds" -v r="$rss" -v b="$base" \
        'BEGIN { printf "| %s | %.2f | %.1f | %.1fx |\n", n, s, r / 1024, s / b }'
done < "$work/results.txt"
[[ "$same" == yes ]]
