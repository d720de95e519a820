#!/usr/bin/env python3
"""faultd: a scripted DNS responder for fault tests (Python 3 stdlib only).

Usage: faultd.py --portfile FILE --log FILE [--host 127.0.0.1] [--port 0] [--dead-port 0]
                 [--slow-port 0] [--slow-ms 20] [--choked-port 0]

Listens on UDP and TCP on one port (the fault port), on a second UDP+TCP port (the dead port)
that reads queries and never answers, and on a third (the slow port) that gives every query the
good answer after --slow-ms milliseconds, whatever the name, and on a fourth (the choked port) that
truncates every UDP reply and lets no TCP connection be made (its accept queue is kept full, so the
kernel drops every SYN). Ports given as 0 are chosen by the kernel (the same number for UDP and TCP).
Once all are listening it writes FILE (atomically):
    FAULTS_PORT=NNNNN
    DEAD_PORT=NNNNN
    SLOW_PORT=NNNNN
    CHOKED_PORT=NNNNN
On the fault port the scenario is the first label of the query name, case-insensitively
(servfail.f.test, TC.anything.example). Every scenario is described byte by byte in README.md
beside this file; keep the two in step. Each query is logged to the log file as one line of
tab-separated fields: unix time, transport (udp|tcp), listener (faults|dead|slow|choked), scenario, qtype,
query name; lines of the slow port carry a seventh field, the number of queries for that zone
(the name less its first label) the slow port holds unanswered, this one included.
"""
import argparse
import asyncio
import os
import random
import signal
import socket
import struct
import sys
import time

A, NS, CNAME, SOA, AAAA, OPT = 1, 2, 5, 6, 28, 41
TYPE_NAMES = {A: "A", NS: "NS", CNAME: "CNAME", SOA: "SOA", AAAA: "AAAA", 12: "PTR", 15: "MX",
              16: "TXT", 33: "SRV", 65: "HTTPS", 255: "ANY"}
NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED = 0, 1, 2, 3, 4, 5

OK_A = bytes([5, 188, 1, 1])                      # 5.188.1.1
OK_AAAA = bytes.fromhex("2a05d014000000000000000000000001")   # 2a05:d014::1
OTHER_A = bytes([5, 188, 1, 99])                  # 5.188.1.99
OTHER_AAAA = bytes.fromhex("2a05d014000000000000000000000099")  # 2a05:d014::99
TTL = 60
SOA_TTL = 900
GARBAGE_SEED = 20261129
GARBAGE_LEN = 46
BIG_A = 3000
BIG_AAAA = 2000
SLOW_SECONDS = 0.2
LONG_OWNER = b"".join(b"\x3f" + b"a" * 63 for _ in range(5)) + b"\x00"   # 321 bytes: over 255
PTR_QNAME = b"\xc0\x0c"                           # compression pointer to the question name


class Query:
    """A parsed question: only what the responder needs."""

    def __init__(self, qid, flags, labels, qtype, qclass, question, edns_size):
        self.qid = qid
        self.flags = flags
        self.labels = labels          # raw label bytes, as sent
        self.qtype = qtype
        self.qclass = qclass
        self.question = question      # the question section bytes, echoed as received
        self.edns_size = edns_size    # the OPT payload size, or None

    @property
    def scenario(self):
        return self.labels[0].decode("ascii", "replace").lower() if self.labels else ""

    @property
    def name(self):
        return ".".join(x.decode("ascii", "replace") for x in self.labels) + "."

    @property
    def type_name(self):
        return TYPE_NAMES.get(self.qtype, "TYPE%d" % self.qtype)


def parse_query(data):
    """Parse a query; None when it is not one we can answer."""
    if len(data) < 12:
        return None
    qid, flags, qdcount, _an, _ns, arcount = struct.unpack("!HHHHHH", data[:12])
    if flags & 0x8000 or qdcount < 1:
        return None
    labels, pos = [], 12
    while True:
        if pos >= len(data):
            return None
        n = data[pos]
        if n == 0:
            pos += 1
            break
        if n > 63 or pos + 1 + n > len(data):
            return None
        labels.append(data[pos + 1:pos + 1 + n])
        pos += 1 + n
    if pos + 4 > len(data):
        return None
    qtype, qclass = struct.unpack("!HH", data[pos:pos + 4])
    question = data[12:pos + 4]
    edns_size = None
    if arcount >= 1 and qdcount == 1:
        # Look for an OPT record (root owner) right after the question; queries carry nothing else.
        p = pos + 4
        if p + 11 <= len(data) and data[p] == 0:
            rtype, rclass = struct.unpack("!HH", data[p + 1:p + 5])
            if rtype == OPT:
                edns_size = rclass
    return Query(qid, flags, labels, qtype, qclass, question, edns_size)


def encode_name(labels):
    return b"".join(bytes([len(x)]) + x for x in labels) + b"\x00"


def rr(owner, rtype, ttl, rdata):
    return owner + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


class Builder:
    """Builds replies to one query; names under the query's zone compress against the question."""

    def __init__(self, q):
        self.q = q
        # The zone is the query name less its first label; in the question it starts right after
        # that label, so a pointer to it is 0xC000 | (12 + 1 + len(first label)).
        self.zone_ptr = struct.pack("!H", 0xC000 | (12 + 1 + len(q.labels[0])))

    def sub(self, label):
        """The name LABEL.<zone>, written as the label plus a pointer to the zone."""
        return bytes([len(label)]) + label + self.zone_ptr

    def flags(self, rcode=NOERROR, tc=False):
        opcode = self.q.flags & 0x7800
        rd = self.q.flags & 0x0100
        return 0x8000 | opcode | 0x0400 | (0x0200 if tc else 0) | rd | 0x0080 | rcode

    def message(self, answers=(), authority=(), rcode=NOERROR, tc=False, qid=None, question=None):
        header = struct.pack("!HHHHHH", self.q.qid if qid is None else qid, self.flags(rcode, tc),
                             1, len(answers), len(authority), 0)
        return header + (self.q.question if question is None else question) + \
            b"".join(answers) + b"".join(authority)

    def soa(self):
        mname = self.sub(b"ns1")
        rname = self.sub(b"hostmaster")
        rdata = mname + rname + struct.pack("!IIIII", 1, 3600, 600, 86400, 900)
        return rr(self.zone_ptr, SOA, SOA_TTL, rdata)

    def data(self, a=OK_A, aaaa=OK_AAAA):
        """(rtype, rdata) for the query's type, or None for types other than A and AAAA."""
        if self.q.qtype == A:
            return A, a
        if self.q.qtype == AAAA:
            return AAAA, aaaa
        return None

    def good(self, ttl=TTL, a=OK_A, aaaa=OK_AAAA, owner=PTR_QNAME, extra=()):
        """The right answer: one record for A or AAAA; NODATA (SOA in authority) otherwise."""
        d = self.data(a, aaaa)
        if d is None:
            return self.message(authority=[self.soa()])
        return self.message(answers=list(extra) + [rr(owner, d[0], ttl, d[1])])


def garbage(qid):
    rng = random.Random(GARBAGE_SEED)
    return struct.pack("!H", qid) + bytes(rng.getrandbits(8) for _ in range(GARBAGE_LEN))


class Responder:
    def __init__(self, log, slow_seconds):
        self.log = log
        self.rotate = {}
        self.slow_seconds = slow_seconds
        self.slow_pending = {}        # zone -> queries the slow port holds unanswered

    def note(self, transport, listener, scenario, qtype, name, extra=None):
        line = "%.3f\t%s\t%s\t%s\t%s\t%s" % (time.time(), transport, listener, scenario, qtype, name)
        self.log.write(line + ("\t%d\n" % extra if extra is not None else "\n"))
        self.log.flush()

    async def slow_answer(self, q, transport):
        """The slow port: the good answer after slow_seconds, with the zone's unanswered count logged."""
        zone = ".".join(x.decode("ascii", "replace") for x in q.labels[1:]).lower()
        self.slow_pending[zone] = self.slow_pending.get(zone, 0) + 1
        self.note(transport, "slow", q.scenario, q.type_name, q.name, self.slow_pending[zone])
        try:
            await asyncio.sleep(self.slow_seconds)
        finally:
            self.slow_pending[zone] -= 1
            if not self.slow_pending[zone]:
                del self.slow_pending[zone]
        return Builder(q).good()

    def actions(self, q, transport):
        """What to do for a query: a list of ("msg", bytes) and ("sleep", s); ("close",) on TCP."""
        b = Builder(q)
        s = q.scenario
        tcp = transport == "tcp"
        msg = lambda m: ("msg", m)  # noqa: E731
        if s == "ok":
            return [msg(b.good())]
        if s == "silent":
            return []
        if s == "silent6":
            return [msg(b.good())] if q.qtype == A else []
        if s in ("servfail", "refused", "notimp", "formerr"):
            rcode = {"servfail": SERVFAIL, "refused": REFUSED, "notimp": NOTIMP, "formerr": FORMERR}[s]
            return [msg(b.message(rcode=rcode))]
        if s == "nxdomain":
            return [msg(b.message(rcode=NXDOMAIN, authority=[b.soa()]))]
        if s == "nxanswer":
            d = b.data()
            answers = [rr(PTR_QNAME, d[0], TTL, d[1])] if d else []
            return [msg(b.message(rcode=NXDOMAIN, answers=answers))]
        if s == "nodata6":
            if q.qtype == A:
                return [msg(b.good())]
            return [msg(b.message(authority=[b.soa()]))]
        if s in ("tc", "tcsilent", "tcgarbage"):
            if not tcp:
                return [msg(b.message(tc=True))]
            if s == "tc":
                return [msg(b.good())]
            if s == "tcsilent":
                return []
            return [msg(garbage(q.qid)), ("close",)]
        if s == "garbage":
            return [msg(garbage(q.qid))]
        if s in ("short", "shortok"):
            short = msg(struct.pack("!HH", q.qid, b.flags()) + b"\x00")
            return [short] if s == "short" else [short, msg(b.good())]
        if s == "wrongsrc":
            if tcp:
                return [msg(b.good())]
            return [("othersrc", b.good(a=OTHER_A, aaaa=OTHER_AAAA)), msg(b.good())]
        if s == "noedns":
            return [msg(b.message(rcode=FORMERR) if q.edns_size is not None else b.good())]
        if s == "wrongid":
            return [msg(_with_id(b, (q.qid + 1) & 0xFFFF)), msg(b.good())]
        if s == "wrongq":
            other = encode_name([b"other"] + q.labels[1:])
            question = other + struct.pack("!HH", q.qtype, q.qclass)
            d = b.data(OTHER_A, OTHER_AAAA)
            answers = [rr(b"\xc0\x0c", d[0], TTL, d[1])] if d else []
            return [msg(b.message(question=question, answers=answers)), msg(b.good())]
        if s == "empty":
            return [msg(b""), msg(b.good())]
        if s == "ttlhigh":
            return [msg(b.good(ttl=0x80000001))]
        if s == "ttl0":
            return [msg(b.good(ttl=0))]
        if s == "badaaaa":
            if q.qtype == AAAA:
                return [msg(b.message(answers=[rr(PTR_QNAME, AAAA, TTL, OK_A)]))]
            return [msg(b.good())]
        if s in ("ptrloop", "ptrpast", "longlabel", "longname", "rdpast"):
            d = b.data()
            if d is None:
                return [msg(b.good())]
            start = 12 + len(q.question)
            if s == "ptrloop":
                owner = struct.pack("!H", 0xC000 | start)
                return [msg(b.message(answers=[rr(owner, d[0], TTL, d[1])]))]
            if s == "ptrpast":
                total = start + 2 + 10 + len(d[1])
                owner = struct.pack("!H", 0xC000 | min(total + 100, 0x3FFF))
                return [msg(b.message(answers=[rr(owner, d[0], TTL, d[1])]))]
            if s == "longlabel":
                owner = b"\x40" + b"a" * 64 + b.zone_ptr
                return [msg(b.message(answers=[rr(owner, d[0], TTL, d[1])]))]
            if s == "longname":
                return [msg(b.message(answers=[rr(LONG_OWNER, d[0], TTL, d[1])]))]
            bad = PTR_QNAME + struct.pack("!HHIH", d[0], 1, TTL, 255) + d[1]
            return [msg(b.message(answers=[bad]))]
        if s == "cnameloop":
            return [msg(b.message(answers=[rr(PTR_QNAME, CNAME, TTL, b.sub(b"a")),
                                           rr(b.sub(b"a"), CNAME, TTL, b.sub(b"b")),
                                           rr(b.sub(b"b"), CNAME, TTL, b.sub(b"a"))]))]
        if s == "cnamelong":
            names = [PTR_QNAME] + [b.sub(b"c%d" % i) for i in range(1, 21)]
            answers = [rr(names[i], CNAME, TTL, names[i + 1]) for i in range(20)]
            d = b.data()
            if d:
                answers.append(rr(names[20], d[0], TTL, d[1]))
            return [msg(b.message(answers=answers))]
        if s == "cnameorder":
            answers = []
            d = b.data()
            if d:
                answers.append(rr(b.sub(b"c2"), d[0], TTL, d[1]))
            answers += [rr(b.sub(b"c1"), CNAME, TTL, b.sub(b"c2")),
                        rr(PTR_QNAME, CNAME, TTL, b.sub(b"c1"))]
            return [msg(b.message(answers=answers))]
        if s == "cnamestar":
            star = b"\x01*\x04star" + b.zone_ptr
            answers = [rr(PTR_QNAME, CNAME, TTL, star)]
            d = b.data()
            if d:
                answers.append(rr(star, d[0], TTL, d[1]))
            return [msg(b.message(answers=answers))]
        if s == "othername":
            d = b.data(OTHER_A, OTHER_AAAA)
            if d is None:
                return [msg(b.good())]
            return [msg(b.good(extra=[rr(b.sub(b"other"), d[0], TTL, d[1])]))]
        if s == "aaaaina":
            if q.qtype == A:
                return [msg(b.good(extra=[rr(PTR_QNAME, AAAA, TTL, OTHER_AAAA)]))]
            return [msg(b.good())]
        if s == "dup":
            d = b.data()
            if d is None:
                return [msg(b.good())]
            return [msg(b.message(answers=[rr(PTR_QNAME, d[0], TTL, d[1])] * 2))]
        if s == "big":
            if not tcp:
                return [msg(b.message(tc=True))]
            if q.qtype == A:
                answers = [rr(PTR_QNAME, A, TTL, bytes([5, 188, 100 + i // 250, 1 + i % 250]))
                           for i in range(BIG_A)]
            elif q.qtype == AAAA:
                answers = [rr(PTR_QNAME, AAAA, TTL, OK_AAAA[:12] + struct.pack("!HH", 0x100, 1 + i))
                           for i in range(BIG_AAAA)]
            else:
                return [msg(b.good())]
            return [msg(b.message(answers=answers))]
        if s == "sinkhole":
            return [msg(b.good(a=bytes(4), aaaa=bytes(16)))]
        if s == "rotate":
            d = b.data()
            if d is None:
                return [msg(b.good())]
            key = (q.name.lower(), q.qtype)
            k = self.rotate.get(key, 0)
            self.rotate[key] = k + 1
            answers = []
            for idx in ((2 * k) % 8, (2 * k + 1) % 8):
                rdata = bytes([5, 188, 2, idx + 1]) if q.qtype == A else \
                    OK_AAAA[:12] + struct.pack("!HH", 2, idx + 1)
                answers.append(rr(PTR_QNAME, d[0], TTL, rdata))
            return [msg(b.message(answers=answers))]
        if s == "slow":
            return [("sleep", SLOW_SECONDS), msg(b.good())]
        return [msg(b.message(rcode=REFUSED))]


def _with_id(b, qid):
    """The right answer under another message ID."""
    good = b.good()
    return struct.pack("!H", qid) + good[2:]


def udp_limit(q):
    return max(512, q.edns_size or 0)


def fit_udp(q, m):
    """A UDP reply larger than the client allows becomes a TC=1 header plus the question."""
    if len(m) <= udp_limit(q) or len(m) < 12 or m[:2] != struct.pack("!H", q.qid):
        return m
    flags = struct.unpack("!H", m[2:4])[0] | 0x0200
    return m[:2] + struct.pack("!HHHHH", flags, 1, 0, 0, 0) + q.question


class FaultUDP(asyncio.DatagramProtocol):
    def __init__(self, responder, sock, other):
        self.responder = responder
        self.sock = sock              # asyncio's sendto drops empty datagrams; "empty" needs one
        self.other = other            # another socket (another port): replies from a wrong source
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        q = parse_query(data)
        if q is None:
            self.responder.note("udp", "faults", "-", "-", "unparsable")
            return
        self.responder.note("udp", "faults", q.scenario, q.type_name, q.name)
        acts = self.responder.actions(q, "udp")
        if any(a[0] == "sleep" for a in acts):
            asyncio.ensure_future(self.play(q, acts, addr))
        else:
            for a in acts:
                if a[0] == "msg":
                    self.send(fit_udp(q, a[1]), addr)
                elif a[0] == "othersrc":
                    try:
                        self.other.sendto(fit_udp(q, a[1]), addr)
                    except OSError:
                        pass

    async def play(self, q, acts, addr):
        for a in acts:
            if a[0] == "sleep":
                await asyncio.sleep(a[1])
            elif a[0] == "msg":
                self.send(fit_udp(q, a[1]), addr)

    def send(self, data, addr):
        if data:
            self.transport.sendto(data, addr)
        else:
            try:
                self.sock.sendto(b"", addr)
            except OSError:
                pass


class ReplyingUDP(asyncio.DatagramProtocol):
    """A port that answers through the transport asyncio gives it."""

    def __init__(self, responder):
        self.responder = responder
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport


class SlowUDP(ReplyingUDP):
    def datagram_received(self, data, addr):
        q = parse_query(data)
        if q is None:
            self.responder.note("udp", "slow", "-", "-", "unparsable")
            return
        asyncio.ensure_future(self.answer(q, addr))

    async def answer(self, q, addr):
        reply = await self.responder.slow_answer(q, "udp")
        self.transport.sendto(fit_udp(q, reply), addr)


class DeadUDP(asyncio.DatagramProtocol):
    def __init__(self, responder):
        self.responder = responder

    def datagram_received(self, data, addr):
        q = parse_query(data)
        self.responder.note("udp", "dead", "-", q.type_name if q else "-", q.name if q else "unparsable")


class ChokedUDP(ReplyingUDP):
    """Every query gets TC=1 and its question back, so the client must ask again over TCP."""

    def datagram_received(self, data, addr):
        q = parse_query(data)
        self.responder.note("udp", "choked", "-", q.type_name if q else "-", q.name if q else "unparsable")
        if q:
            flags = 0x8000 | 0x0200 | (q.flags & 0x0100)  # QR, TC, RD copied
            self.transport.sendto(struct.pack("!HHHHHH", q.qid, flags, 1, 0, 0, 0) + q.question, addr)


def choke(listener, host, port):
    """Takes the one place a backlog-0 listener has in its accept queue: the kernel drops later SYNs, so
    a client's connect neither succeeds nor fails until its own TCP gives up (about two minutes)."""
    listener.listen(0)
    return socket.create_connection((host, port), timeout=5)


async def read_message(reader):
    head = await reader.readexactly(2)
    (n,) = struct.unpack("!H", head)
    return await reader.readexactly(n)


def tcp_handler(responder, listener):
    async def handle(reader, writer):
        try:
            while True:
                data = await read_message(reader)
                q = parse_query(data)
                if listener == "dead":
                    responder.note("tcp", "dead", "-", q.type_name if q else "-",
                                   q.name if q else "unparsable")
                    continue
                if q is None:
                    responder.note("tcp", listener, "-", "-", "unparsable")
                    continue
                if listener == "slow":
                    reply = await responder.slow_answer(q, "tcp")
                    writer.write(struct.pack("!H", len(reply)) + reply)
                    await writer.drain()
                    continue
                responder.note("tcp", "faults", q.scenario, q.type_name, q.name)
                for a in responder.actions(q, "tcp"):
                    if a[0] == "sleep":
                        await asyncio.sleep(a[1])
                    elif a[0] == "msg":
                        writer.write(struct.pack("!H", len(a[1])) + a[1])
                        await writer.drain()
                    elif a[0] == "close":
                        raise ConnectionResetError
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            try:
                writer.close()
            except Exception:  # noqa: BLE001 - the peer may be gone already
                pass
    return handle


def bind_pair(host, port):
    """A UDP and a TCP socket on the same port number (kernel-chosen when port is 0)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(100):
        u = socket.socket(family, socket.SOCK_DGRAM)
        u.bind((host, port))
        chosen = u.getsockname()[1]
        t = socket.socket(family, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            t.bind((host, chosen))
        except OSError:
            u.close()
            t.close()
            if port:
                raise
            continue
        t.listen(64)
        u.setblocking(False)
        t.setblocking(False)
        return u, t, chosen
    raise OSError("no port free for both UDP and TCP")


async def main_async(args):
    log = open(args.log, "a", buffering=1)
    responder = Responder(log, args.slow_ms / 1000.0)
    loop = asyncio.get_running_loop()
    fu, ft, fport = bind_pair(args.host, args.port)
    du, dt, dport = bind_pair(args.host, args.dead_port)
    su, st, sport = bind_pair(args.host, args.slow_port)
    cu, ct, cport = bind_pair(args.host, args.choked_port)
    filler = choke(ct, args.host, cport)
    other = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_DGRAM)
    other.bind((args.host, 0))
    await loop.create_datagram_endpoint(lambda: FaultUDP(responder, fu, other), sock=fu)
    await loop.create_datagram_endpoint(lambda: DeadUDP(responder), sock=du)
    await loop.create_datagram_endpoint(lambda: SlowUDP(responder), sock=su)
    await loop.create_datagram_endpoint(lambda: ChokedUDP(responder), sock=cu)
    s1 = await asyncio.start_server(tcp_handler(responder, "faults"), sock=ft)
    s2 = await asyncio.start_server(tcp_handler(responder, "dead"), sock=dt)
    s3 = await asyncio.start_server(tcp_handler(responder, "slow"), sock=st)
    tmp = args.portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("FAULTS_PORT=%d\nDEAD_PORT=%d\nSLOW_PORT=%d\nCHOKED_PORT=%d\n" % (fport, dport, sport, cport))
    os.replace(tmp, args.portfile)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for server in (s1, s2, s3):
        server.close()
    other.close()
    filler.close()
    ct.close()
    log.close()


def main():
    p = argparse.ArgumentParser(description="scripted DNS fault responder")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--dead-port", type=int, default=0)
    p.add_argument("--slow-port", type=int, default=0)
    p.add_argument("--slow-ms", type=float, default=20.0)
    p.add_argument("--choked-port", type=int, default=0)
    p.add_argument("--portfile", required=True)
    p.add_argument("--log", required=True)
    asyncio.run(main_async(p.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
