#!/usr/bin/env bash
# fuzz.sh: builds the libFuzzer targets under fuzz/ with swiftc directly (not through Package.swift, so the
# package build and .ci/run are untouched) and runs each for a bounded time. See fuzz/README.md.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     run each TARGET (default: all) for SECONDS (default 60)
#   scripts/fuzz.sh --build-only [TARGET...]  build and stop
#
# Everything it makes goes to fuzz/work/ (git-ignored): the static modules, the binaries, a working corpus
# per target seeded from fuzz/corpus/<target>/, crash inputs under fuzz/work/crashes/<target>/, and logs.
# Prints executions, coverage (cov: edges, ft: features) and crashes per target; exit 1 when any crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$root/fuzz/work
all_targets=(FuzzReplyParser FuzzManifest FuzzDomainName FuzzIPParsers)

# Everything runs inside main, called on the last line: bash then parses the whole file before running it, so
# editing this script while a long run is going cannot break that run.
main() {
build_only=0
seconds=60
if [ "${1:-}" = "--build-only" ]; then build_only=1; shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then seconds=$1; shift
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
    [ -d "fuzz/Sources/$target" ] || { echo "fuzz.sh: no target $target (have: ${all_targets[*]})" >&2; exit 2; }
done

# A crash would otherwise sit in Swift's backtracer for minutes instead of handing over to libFuzzer.
export SWIFT_BACKTRACE=enable=no
mkdir -p "$work/lib"
swiftflags=(-sanitize=fuzzer,address -parse-as-library -O -g -I "$work/lib" -L "$work/lib")

# Yams at the version Package.resolved pins: a SwiftPM checkout if one exists, else the package's git history.
yams_source() {
    local checkout
    for checkout in .build*/checkouts/Yams; do
        [ -f "$checkout/Sources/CYaml/src/parser.c" ] && { echo "$root/$checkout"; return; }
    done
    local revision
    revision=$(python3 -c 'import json; pins = json.load(open("Package.resolved"))["pins"]
print(next(pin["state"]["revision"] for pin in pins if pin["identity"] == "yams"))')
    rm -rf "$work/Yams" && mkdir -p "$work/Yams"
    git -C "${YAMS_GIT:-/opt/swift-packages/jpsim/Yams.git}" archive "$revision" | tar -x -C "$work/Yams"
    echo "$work/Yams"
}

# Whether $1 is missing or older than any of the remaining files.
stale() {
    local output=$1; shift
    [ -e "$output" ] || return 0
    local input
    for input in "$@"; do [ "$input" -nt "$output" ] && return 0; done
    return 1
}

# A static Swift module, instrumented: library NAME from SOURCES..., after the libraries it imports.
swift_module() {
    local name=$1; shift
    stale "$work/lib/lib$name.a" "$@" || return 0
    echo "fuzz.sh: building module $name" >&2
    swiftc "${swiftflags[@]}" "${extra_module_flags[@]}" -module-name "$name" -emit-module \
        -emit-module-path "$work/lib/$name.swiftmodule" -emit-library -static -o "$work/lib/lib$name.a" "$@"
}

build_cyaml_yams() {
    local yams
    yams=$(yams_source)
    local csources=("$yams"/Sources/CYaml/src/*.c)
    if stale "$work/lib/libCYaml.a" "${csources[@]}" "$0"; then
        echo "fuzz.sh: building CYaml (libyaml) from $yams" >&2
        mkdir -p "$work/cyaml"
        local file
        for file in "${csources[@]}"; do
            clang -fsanitize=fuzzer-no-link,address -O1 -g -DYAML_DECLARE_STATIC -I "$yams/Sources/CYaml/include" \
                -c "$file" -o "$work/cyaml/$(basename "$file" .c).o"
        done
        rm -f "$work/lib/libCYaml.a"
        ar rcs "$work/lib/libCYaml.a" "$work/cyaml"/*.o
    fi
    # SWIFT_PACKAGE: Yams imports CYaml only when built as a package, which this build stands in for.
    extra_module_flags=(-I "$yams/Sources/CYaml/include" -Xcc -DYAML_DECLARE_STATIC -DSWIFT_PACKAGE)
    swift_module Yams "$yams"/Sources/Yams/*.swift
    # Modules that import Yams (and their clients) load its internal import of CYaml too.
    cyaml_include=(-I "$yams/Sources/CYaml/include")
    extra_module_flags=("${cyaml_include[@]}")
}

extra_module_flags=()
cyaml_include=()
built_ipnet=0 built_hostnames=0 built_manifest=0
need_ipnet() { [ $built_ipnet = 1 ] || { swift_module IPNet Sources/IPNet/*.swift; built_ipnet=1; }; }
need_hostnames() {
    [ $built_hostnames = 1 ] || { swift_module Hostnames Sources/Hostnames/*.swift; built_hostnames=1; }
}
need_manifest() {
    [ $built_manifest = 1 ] && return
    need_ipnet; need_hostnames; build_cyaml_yams
    # Testable: FuzzManifest compares the decoder's two ways to its YAML tree, which are internal.
    extra_module_flags+=(-enable-testing)
    swift_module Manifest Sources/Manifest/*.swift Sources/Manifest/Generated/*.swift
    extra_module_flags=()
    built_manifest=1
}

# The executable for one target: its main.swift, plus (for the reply parser) the DNS sources it needs compiled
# into the same module, so internal types are reachable. None of them imports CAres.
build_target() {
    local target=$1 sources libraries
    case $target in
        FuzzReplyParser)
            need_ipnet; need_hostnames
            sources=(Sources/DNS/{ReplyParser,WireReader,LookupAnswer,Outcome,RecordType,Limits,ServerAddress}.swift)
            libraries=(-lHostnames -lIPNet) ;;
        FuzzManifest)
            need_manifest
            sources=()
            libraries=("${cyaml_include[@]}" -lManifest -lYams -lCYaml -lHostnames -lIPNet) ;;
        FuzzDomainName)
            need_hostnames
            sources=()
            libraries=(-lHostnames) ;;
        FuzzIPParsers)
            need_ipnet
            sources=()
            libraries=(-lIPNet) ;;
    esac
    local binary=$work/bin/$target
    mkdir -p "$work/bin"
    if stale "$binary" "fuzz/Sources/$target/main.swift" "${sources[@]}" "$work"/lib/*.a "$0"; then
        echo "fuzz.sh: building $target" >&2
        swiftc "${swiftflags[@]}" -module-name "$target" "fuzz/Sources/$target/main.swift" "${sources[@]}" \
            "${libraries[@]}" -use-ld=lld -o "$binary"
    fi
}

for target in "${targets[@]}"; do build_target "$target"; done
[ $build_only = 1 ] && exit 0

# Run each target; report executions, coverage and crashes.
crashed=0
printf '%-16s %8s %12s %8s %8s %8s %s\n' target seconds executions cov ft corpus crashes
for target in "${targets[@]}"; do
    corpus=$work/corpus/$target
    crashes=$work/crashes/$target
    mkdir -p "$corpus" "$crashes"
    options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
             -artifact_prefix="$crashes/")
    [ -f "fuzz/dict/$target.dict" ] && options+=(-dict="fuzz/dict/$target.dict")
    [ "$target" = FuzzManifest ] && options+=(-max_len=16384)
    log=$work/$target.log
    status=0
    "$work/bin/$target" "${options[@]}" "$corpus" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    coverage=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]*' | tail -n 1 | cut -d' ' -f2)
    features=$(grep -E '^#[0-9]+' "$log" | grep -o 'ft: [0-9]*' | tail -n 1 | cut -d' ' -f2)
    entries=$(find "$corpus" -type f | wc -l)
    found=$(find "$crashes" -type f | wc -l)
    printf '%-16s %8s %12s %8s %8s %8s %s\n' "$target" "$seconds" "${executions:-?}" "${coverage:-?}" \
        "${features:-?}" "$entries" "$found"
    if [ "$status" != 0 ] || [ "$found" != 0 ]; then
        crashed=1
        echo "fuzz.sh: $target stopped with status $status; inputs in $crashes, log in $log" >&2
        grep -E 'ERROR|Fatal error|SUMMARY|panic' "$log" | head -n 5 >&2 || true
    fi
done
exit $crashed
}

main "$@"; exit $?
