# shellcheck shell=bash
# Functions shared by start.sh, stop.sh and with-world.sh; source it (bash), do not run it.
#
# world_start DIR        start knotd, unbound and faultd.py for a world in DIR; write DIR/env
# world_stop DIR [NAME]  stop them (TERM, then KILL after ~3 s); NAME is knotd, unbound or faultd
#
# world_start runs the servers as children of the calling shell, so a caller that later calls
# world_stop in the same shell (with-world.sh does) also reaps them: nothing is left, not even a
# zombie. Environment: EGRESSMAP_WORLD_BULK (names in bulk.test, default 10000), PYTHON (python3).

world_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
world_root=$(cd "$world_here/../.." && pwd)

# world_alive PID: running and not a zombie.
world_alive() {
    kill -0 "$1" 2>/dev/null && ! grep -q '^[^)]*) Z' "/proc/$1/stat" 2>/dev/null
}

# world_ours PID DIR: alive and started for the world in DIR (its command line names DIR), so a
# recycled pid is never signalled.
world_ours() {
    world_alive "$1" || return 1
    [ -r "/proc/$1/cmdline" ] || return 1
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2/"
}

# world_udp_bound PORT: something has 127.0.0.1:PORT (UDP) open in this network namespace.
world_udp_bound() {
    awk -v want="$(printf '0100007F:%04X' "$1")" '$2 == want { found = 1 } END { exit !found }' \
        /proc/net/udp
}

# world_wait_dns PID PORT NAME TYPE: until the server at 127.0.0.1:PORT answers NAME/TYPE with
# NOERROR (up to ~5 s); fails at once if PID exits. kdig is only run once the port is bound: on a
# closed UDP port it would wait out its whole 1 s timeout.
world_wait_dns() {
    local pid=$1 port=$2 name=$3 type=$4 i
    for i in $(seq 1 100); do
        world_alive "$pid" || return 1
        if world_udp_bound "$port" && kdig @127.0.0.1 -p "$port" +timeout=1 +retry=0 "$name" "$type" 2>/dev/null |
            grep -q 'status: NOERROR'; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

world_fail() {
    local dir=$1 log
    shift
    echo "start: $*" >&2
    for log in faultd.out knot.log knotd.out unbound.log unbound.out; do
        if [ -s "$dir/$log" ]; then
            echo "---- $dir/$log" >&2
            tail -n 40 "$dir/$log" >&2
        fi
    done
    world_stop "$dir" || true
    return 1
}

world_stop() {
    local dir=$1 name pidfile pid i
    shift
    [ -d "$dir" ] || return 0
    dir=$(cd "$dir" && pwd)
    local names=("$@") pids=() left=()
    [ ${#names[@]} -gt 0 ] || names=(unbound knotd faultd)
    for name in "${names[@]}"; do
        pidfile="$dir/$name.pid"
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        rm -f "$pidfile"
        case $pid in '' | *[!0-9]*) continue ;; esac
        if world_ours "$pid" "$dir"; then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
    done
    for i in $(seq 1 60); do
        left=()
        for pid in ${pids[@]+"${pids[@]}"}; do
            if world_ours "$pid" "$dir"; then left+=("$pid"); fi
        done
        [ ${#left[@]} -eq 0 ] && break
        if [ "$i" -eq 60 ]; then
            for pid in "${left[@]}"; do
                echo "stop: pid $pid did not stop on TERM; killing it" >&2
                kill -KILL "$pid" 2>/dev/null || true
            done
        fi
        sleep 0.05
    done
    # Reap our own children (a no-op for processes some other shell started).
    for pid in ${pids[@]+"${pids[@]}"}; do
        wait "$pid" 2>/dev/null || true
    done
    return 0
}

world_start() {
    local dir py bulk_n zones_src f z tool i attempt started
    local faults_port dead_port knot_port unbound_port
    mkdir -p "$1"
    dir=$(cd "$1" && pwd)
    case $dir in
        *[!A-Za-z0-9._/+-]*) echo "start: DIR must be a plain path, got: $dir" >&2; return 2 ;;
    esac
    py=${PYTHON:-python3}
    bulk_n=${EGRESSMAP_WORLD_BULK:-10000}
    zones_src="$world_root/Tests/World/zones"
    case :$PATH: in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
    for tool in knotd unbound kdig "$py"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "start: $tool not found (see scripts/world/README.md: apt-get install" \
                "knot unbound knot-dnsutils python3)" >&2
            return 1
        fi
    done

    # zones: the committed ones plus the generated bulk.test
    rm -rf "$dir/zones" "$dir/knot"
    mkdir -p "$dir/zones" "$dir/knot"
    cp "$zones_src"/*.zone "$dir/zones/"
    "$py" "$world_here/gen-bulk-zone.py" "$bulk_n" "$dir" || world_fail "$dir" "gen-bulk-zone.py failed" || return 1
    mv "$dir/bulk.test.zone" "$dir/zones/bulk.test.zone"
    local zones=()
    for f in "$dir"/zones/*.zone; do
        zones+=("$(basename "$f" .zone)")
    done

    # faultd binds its own ports (port 0, UDP and TCP on one number), so it races nothing
    rm -f "$dir/faultd.ports"
    "$py" "$world_here/faultd.py" --portfile "$dir/faultd.ports" --log "$dir/faultd.log" \
        </dev/null >"$dir/faultd.out" 2>&1 &
    echo $! >"$dir/faultd.pid"
    for i in $(seq 1 100); do
        [ -s "$dir/faultd.ports" ] && break
        world_alive "$(cat "$dir/faultd.pid")" || break
        sleep 0.05
    done
    [ -s "$dir/faultd.ports" ] || { world_fail "$dir" "faultd.py did not report its ports"; return 1; }
    faults_port=$(sed -n 's/^FAULTS_PORT=//p' "$dir/faultd.ports")
    dead_port=$(sed -n 's/^DEAD_PORT=//p' "$dir/faultd.ports")
    world_wait_dns "$(cat "$dir/faultd.pid")" "$faults_port" ok.f.test A ||
        { world_fail "$dir" "faultd.py does not answer"; return 1; }

    # knotd and unbound: ports checked free, then bound; a lost race is retried with new ports
    started=no
    for attempt in 1 2 3; do
        read -r knot_port unbound_port < <("$py" "$world_here/freeports.py" 2) ||
            { world_fail "$dir" "no free ports"; return 1; }

        sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$knot_port|g" "$world_here/knot.conf.in" >"$dir/knot.conf"
        for z in "${zones[@]}"; do
            printf '  - domain: "%s"\n' "$z" >>"$dir/knot.conf"
            case "$z" in hist.test | lame.test) printf '    acl: local_update\n' >>"$dir/knot.conf" ;; esac
        done
        sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$unbound_port|g" -e "s|@KNOTPORT@|$knot_port|g" \
            "$world_here/unbound.conf.in" >"$dir/unbound.conf"
        if ! grep -qa 'max-query-restarts' "$(command -v unbound)"; then
            sed -i '/^ *max-query-restarts:/d' "$dir/unbound.conf"
        fi
        for z in "${zones[@]}"; do
            printf '\nstub-zone:\n    name: "%s"\n    stub-addr: 127.0.0.1@%s\n' "$z" "$knot_port" \
                >>"$dir/unbound.conf"
        done

        : >"$dir/knot.log"
        knotd -c "$dir/knot.conf" </dev/null >"$dir/knotd.out" 2>&1 &
        echo $! >"$dir/knotd.pid"
        if ! world_wait_dns "$(cat "$dir/knotd.pid")" "$knot_port" world.test SOA; then
            echo "start: knotd not ready on port $knot_port (attempt $attempt)" >&2
            world_stop "$dir" knotd
            continue
        fi
        : >"$dir/unbound.log"
        unbound -d -c "$dir/unbound.conf" </dev/null >"$dir/unbound.out" 2>&1 &
        echo $! >"$dir/unbound.pid"
        if ! world_wait_dns "$(cat "$dir/unbound.pid")" "$unbound_port" dual.world.test A; then
            echo "start: unbound not ready on port $unbound_port (attempt $attempt)" >&2
            world_stop "$dir" unbound knotd
            continue
        fi
        started=yes
        break
    done
    [ "$started" = yes ] || { world_fail "$dir" "knotd/unbound did not start"; return 1; }

    cat >"$dir/env.tmp" <<EOF
export EGRESSMAP_TEST_DNS='127.0.0.1:$unbound_port'
export EGRESSMAP_TEST_DNS6='[::1]:$unbound_port'
export EGRESSMAP_TEST_AUTH='127.0.0.1:$knot_port'
export EGRESSMAP_TEST_FAULTS='127.0.0.1:$faults_port'
export EGRESSMAP_TEST_DEAD='127.0.0.1:$dead_port'
export EGRESSMAP_TEST_WORLD='$dir'
export EGRESSMAP_TEST_UNBOUND_CONF='$dir/unbound.conf'
EOF
    mv "$dir/env.tmp" "$dir/env"
}
