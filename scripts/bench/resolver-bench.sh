#!/usr/bin/env bash
# resolver-bench.sh [--sizes 10000,100000] [--million] [--runs N] [--tools LIST] [bench.py options...]:
# egressmap's resolver against its peers and the server's limit, side by side (issue 12).
#
# Generates a zone (scripts/bench/resolver/gen-zone.py: 70% 1-4 A, 20% A and AAAA, 10% CNAME), serves
# it with knotd (one UDP worker) on loopback inside `unshare -n`, and runs on the same names, RUNS
# times each (default 3): dnsperf (the server's limit), `egressmap resolve --json` (release build) and
# its default table output, a minimal C program on the same c-ares (resolver/cares-ceiling.c, window
# 50: the ceiling for any wrapper), adnshost --asynch, and pycares and dnspython at their best window (swept on the smallest
# size). Also `egressmap run` of a manifest of the 10,000 names over 3 rounds beside `resolve --rounds 3`.
# dnsperf, egressmap and the ceiling take turns, one run each per round, as do the pipeline's commands,
# and each ratio is also given per turn with its median (a shared machine drifts between two blocks of runs).
# Prints a markdown table (median wall time, names/s, CPU s, the server's CPU s meanwhile, peak RSS,
# answered, timeouts, ratio to the C ceiling) and writes JSON to scripts/bench/work/resolver-bench-<time>.json (or --json FILE).
# The slow peers are bounded: past 10,000 names adnshost, pycares and the table run once, and stop at
# 100,000 (--python-max); dnspython runs once, at 10,000 names only (--dnspython-max). --million adds
# 1,000,000 names (several minutes more). BINARY=path skips building egressmap.
# Not part of the test suite. Needs root (unshare) and: knot knot-dnsutils dnsperf adns-tools
# libc-ares-dev gcc python3 (pip: pycares dnspython).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
here="$root/scripts/bench/resolver"
work="${WORK:-$root/scripts/bench/work/resolver}"
sizes="10000,100000"
args=()
while [ $# -gt 0 ]; do
    case $1 in
        --sizes) sizes=$2; shift 2 ;;
        --million) sizes="$sizes,1000000"; shift ;;
        *) args+=("$1"); shift ;;
    esac
done

missing=()
case :$PATH: in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
for tool in knotd kdig dnsperf adnshost cc python3 unshare ip; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -f /usr/include/ares.h ] || missing+=("ares.h")
python3 -c 'import pycares, dns.asyncquery' 2>/dev/null || missing+=("pycares/dnspython")
if [ ${#missing[@]} -gt 0 ]; then
    echo "resolver-bench: missing ${missing[*]}; install with:" >&2
    echo "  apt-get install knot knot-dnsutils dnsperf adns-tools libc-ares-dev gcc python3" >&2
    echo "  pip install pycares dnspython" >&2
    exit 1
fi

mkdir -p "$work"
if [ -z "${BINARY:-}" ]; then
    swift build -c release --scratch-path "${SCRATCH:-.build-bench}" >&2
    BINARY="$root/${SCRATCH:-.build-bench}/release/egressmap"
fi
cc -O2 -Wall -Wextra -o "$work/cares-ceiling" "$here/cares-ceiling.c" -lcares
json="$root/scripts/bench/work/resolver-bench-$(date -u +%Y%m%dT%H%M%SZ).json"

exec unshare -n sh -c 'ip link set lo up && exec python3 "$@"' sh "$here/bench.py" \
    --binary "$BINARY" --ceiling "$work/cares-ceiling" --work "$work" --json "$json" --sizes "$sizes" \
    ${args[@]+"${args[@]}"}
