#!/usr/bin/env python3
"""capture-replies.py OUTDIR: save real DNS replies from the running test world as FuzzReplyParser seeds.

Run inside the world, e.g.
    unshare -n sh -c 'ip link set lo up; scripts/world/with-world.sh fuzz/tools/capture-replies.py \
        fuzz/corpus/FuzzReplyParser'
Asks unbound (EGRESSMAP_TEST_DNS) for the world's names and faultd (EGRESSMAP_TEST_FAULTS) for its
malformed-reply scenarios, A and AAAA, over UDP; a truncated reply (TC=1) is saved and the query repeated
over TCP. Each reply's bytes go to OUTDIR/<server>-<name>-<type>[-tcp].bin, as the parser receives them.
"""
import os
import random
import socket
import struct
import sys

WORLD = ["dual.world.test", "v4.world.test", "v6only.world.test", "rr.world.test", "many.world.test",
         "ttl0.world.test", "www.world.test", "loop1.world.test", "anything.wild.world.test",
         "wild.world.test", "missing.world.test", "mapped.world.test", "deep.world.test", "deep4.world.test",
         "deep5.world.test", "courier-edge.akam.test", "sink.world.test"]
FAULTS = ["ok", "servfail", "refused", "notimp", "formerr", "nxdomain", "nxanswer", "nodata6", "tc", "garbage",
          "short", "shortok", "wrongq", "ttlhigh", "badaaaa", "ptrloop", "ptrpast", "longlabel", "longname",
          "rdpast", "cnameloop", "cnamelong", "cnameorder", "cnamestar", "othername", "aaaainA", "dup", "big",
          "sinkhole"]


def query(name, qtype):
    qid = random.randrange(65536)
    labels = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + struct.pack(">HH", qtype, 1)


def ask(server, name, qtype, tcp):
    host, port = server.rsplit(":", 1)
    message = query(name, qtype)
    if tcp:
        with socket.create_connection((host, int(port)), timeout=3) as sock:
            sock.sendall(struct.pack(">H", len(message)) + message)
            data = b""
            while len(data) < 2 or len(data) < 2 + struct.unpack(">H", data[:2])[0]:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
            return data[2:]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(3)
        sock.sendto(message, (host, int(port)))
        return sock.recv(65536)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    servers = [("dns", os.environ["EGRESSMAP_TEST_DNS"], WORLD),
               ("faults", os.environ["EGRESSMAP_TEST_FAULTS"], [f"{s}.f.test" for s in FAULTS])]
    for label, server, names in servers:
        for name in names:
            for qtype, type_name in ((1, "a"), (28, "aaaa")):
                try:
                    reply = ask(server, name, qtype, tcp=False)
                except OSError as error:
                    print(f"{name} {type_name}: {error}", file=sys.stderr)
                    continue
                base = f"{out}/{label}-{name.split('.')[0]}-{type_name}"
                if len(reply) < 64 * 1024:
                    open(base + ".bin", "wb").write(reply)
                if len(reply) >= 3 and reply[2] & 0x02:
                    try:
                        full = ask(server, name, qtype, tcp=True)
                    except OSError as error:
                        print(f"{name} {type_name} tcp: {error}", file=sys.stderr)
                        continue
                    open(base + "-tcp.bin", "wb").write(full)


if __name__ == "__main__":
    main()
