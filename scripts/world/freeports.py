#!/usr/bin/env python3
"""Print N distinct ports, each free for UDP and TCP on 127.0.0.1 and on ::1.

Usage: freeports.py N

Ports are drawn at random from 20000-32767 (below Linux's ephemeral range, so the kernel does not
hand them out for outgoing sockets) and checked by binding all four sockets, held until every port
is chosen, then released. A server that still loses a race reports a bind error; start.sh then
retries with fresh ports.
"""
import random
import socket
import sys


def try_port(port):
    held = []
    try:
        for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
            for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                s = socket.socket(family, kind)
                held.append(s)
                if kind == socket.SOCK_STREAM:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((host, port))
        return held
    except OSError:
        for s in held:
            s.close()
        return None


def main(argv):
    if len(argv) != 2 or not argv[1].isdigit():
        sys.stderr.write("usage: freeports.py N\n")
        return 2
    want = int(argv[1])
    rng = random.SystemRandom()
    chosen, held = [], []
    for _ in range(2000):
        if len(chosen) == want:
            break
        port = rng.randint(20000, 32767)
        if port in chosen:
            continue
        socks = try_port(port)
        if socks:
            chosen.append(port)
            held.extend(socks)
    for s in held:
        s.close()
    if len(chosen) != want:
        sys.stderr.write("freeports.py: could not find %d free ports\n" % want)
        return 1
    print(" ".join(map(str, chosen)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
