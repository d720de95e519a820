#!/usr/bin/env python3
"""dnspython peer: A and AAAA for every name, WINDOW queries in flight as asyncio tasks over UDP.

Usage: peer-dnspython.py SERVER PORT WINDOW NAMES OUT
Writes "name type addr..." per answer with addresses to OUT; prints "answered N" and "timeouts N".
"""
import asyncio
import sys

import dns.asyncquery
import dns.exception
import dns.message
import dns.rdatatype


async def main(server, port, window, names_path, out_path):
    port, window = int(port), max(1, int(window) // 2)  # a worker asks A then AAAA: WINDOW queries in flight
    state = {"answered": 0, "timeouts": 0}
    out = open(out_path, "w")
    names = open(names_path)

    async def ask(name, rdtype):
        query = dns.message.make_query(name, rdtype)
        for _ in range(2):
            try:
                reply = await dns.asyncquery.udp(query, server, timeout=2.0, port=port)
            except dns.exception.Timeout:
                state["timeouts"] += 1
                continue
            return [rr.to_text() for rrset in reply.answer if rrset.rdtype == rdtype for rr in rrset]
        return []

    async def worker():
        while True:
            line = names.readline()
            if not line:
                return
            name = line.strip()
            a, aaaa = await asyncio.gather(ask(name, dns.rdatatype.A), ask(name, dns.rdatatype.AAAA))
            if a:
                out.write("%s A %s\n" % (name, " ".join(a)))
            if aaaa:
                out.write("%s AAAA %s\n" % (name, " ".join(aaaa)))
            if a or aaaa:
                state["answered"] += 1

    await asyncio.gather(*(worker() for _ in range(window)))
    out.close()
    print("answered %d\ntimeouts %d" % (state["answered"], state["timeouts"]))


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit("usage: peer-dnspython.py SERVER PORT WINDOW NAMES OUT")
    asyncio.run(main(*sys.argv[1:]))
