#!/usr/bin/env python3
"""Self-check of a running test world (run by selfcheck.sh through with-world.sh).

Reads the EGRESSMAP_TEST_* variables, asks the world's servers with a tiny DNS client of its own
(stdlib only, independent of faultd.py's code) and prints one PASS/FAIL line per check.
Exits 1 when any check fails.
"""
import os
import random
import socket
import struct
import subprocess
import sys
import threading
import time

A, NS, CNAME, SOA, AAAA = 1, 2, 5, 6, 28
TNAME = {A: "A", CNAME: "CNAME", SOA: "SOA", AAAA: "AAAA", NS: "NS"}
RESULTS = []
LOCK = threading.Lock()


class ParseError(Exception):
    pass


def port_of(var):
    return int(os.environ[var].rsplit(":", 1)[1])


def query_bytes(name, qtype, qid, rd=True):
    q = struct.pack("!HHHHHH", qid, 0x0100 if rd else 0, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00" + struct.pack("!HH", qtype, 1)


def read_name(msg, off):
    labels, jumps, end = [], 0, None
    while True:
        if off >= len(msg):
            raise ParseError("name runs past the end")
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if off + 1 >= len(msg):
                raise ParseError("pointer runs past the end")
            ptr = ((n & 0x3F) << 8) | msg[off + 1]
            if end is None:
                end = off + 2
            jumps += 1
            if jumps > 32:
                raise ParseError("compression pointer loop")
            if ptr >= len(msg):
                raise ParseError("pointer past the end")
            off = ptr
            continue
        if n & 0xC0:
            raise ParseError("bad label type 0x%02x" % n)
        if n == 0:
            return ".".join(labels) + ".", (end if end is not None else off + 1)
        if off + 1 + n > len(msg):
            raise ParseError("label runs past the end")
        labels.append(msg[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n


def parse(msg):
    if len(msg) < 12:
        raise ParseError("short message (%d bytes)" % len(msg))
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
    off, question = 12, []
    for _ in range(qd):
        name, off = read_name(msg, off)
        if off + 4 > len(msg):
            raise ParseError("question runs past the end")
        question.append((name.lower(),) + struct.unpack("!HH", msg[off:off + 4]))
        off += 4
    sections = []
    for count in (an, ns):
        rrs = []
        for _ in range(count):
            name, off = read_name(msg, off)
            if off + 10 > len(msg):
                raise ParseError("record header runs past the end")
            rtype, _rclass, ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
            off += 10
            if off + rdlen > len(msg):
                raise ParseError("rdata runs past the end")
            raw = msg[off:off + rdlen]
            if rtype == A and rdlen == 4:
                data = socket.inet_ntop(socket.AF_INET, raw)
            elif rtype == AAAA and rdlen == 16:
                data = socket.inet_ntop(socket.AF_INET6, raw)
            elif rtype in (CNAME, NS):
                data = read_name(msg, off)[0].lower()
            elif rtype == SOA:
                data = read_name(msg, off)[0].lower()
            else:
                data = raw
            rrs.append((name.lower(), rtype, ttl, rdlen, data))
            off += rdlen
        sections.append(rrs)
    return {"id": qid, "rcode": flags & 0xF, "tc": bool(flags & 0x0200), "aa": bool(flags & 0x0400),
            "question": question, "answer": sections[0], "authority": sections[1]}


def udp_exchange(host, port, name, qtype, wait=2.0, collect=0.0, qid=None):
    """Send one query; return the datagrams received: the first within WAIT, then any within COLLECT."""
    qid = random.randint(0, 0xFFFF) if qid is None else qid
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    try:
        s.connect((host, port))
        s.send(query_bytes(name, qtype, qid))
        got, deadline = [], time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                got.append(s.recv(65535))
            except socket.timeout:
                break
            deadline = time.monotonic() + collect if collect else 0
        return qid, got
    finally:
        s.close()


def tcp_exchange(host, port, name, qtype, wait=3.0, collect=0.0, qid=None):
    """Send one query over TCP; return (qid, frames, raw leftovers, closed_by_peer)."""
    qid = random.randint(0, 0xFFFF) if qid is None else qid
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    try:
        s.settimeout(wait)
        s.connect((host, port))
        q = query_bytes(name, qtype, qid)
        s.sendall(struct.pack("!H", len(q)) + q)
        buf, frames, closed = b"", [], False
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                chunk = s.recv(65535)
            except socket.timeout:
                break
            if not chunk:
                closed = True
                break
            buf += chunk
            while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                n = struct.unpack("!H", buf[:2])[0]
                frames.append(buf[2:2 + n])
                buf = buf[2 + n:]
                deadline = time.monotonic() + collect if collect else 0
        return qid, frames, buf, closed
    finally:
        s.close()


def ask(server, name, qtype):
    """A stub lookup: UDP, then TCP when truncated. Returns the parsed reply."""
    host, port = server
    _, got = udp_exchange(host, port, name, qtype)
    if not got:
        raise AssertionError("no reply from %s@%d" % (host, port))
    m = parse(got[0])
    if m["tc"]:
        _, frames, _, _ = tcp_exchange(host, port, name, qtype)
        m = parse(frames[0])
        m["via_tcp"] = True
    return m


def addrs(m, rtype=None):
    return sorted(r[4] for r in m["answer"] if r[1] in ((A, AAAA) if rtype is None else (rtype,)))


def check(name, fn):
    t0 = time.monotonic()
    try:
        fn()
        ok, why = True, ""
    except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
        ok, why = False, "%s: %s" % (type(e).__name__, e)
    line = "%s %s (%.0f ms)%s" % ("PASS" if ok else "FAIL", name, (time.monotonic() - t0) * 1000,
                                  "  -- " + why if why else "")
    with LOCK:
        RESULTS.append(ok)
        print(line, flush=True)


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s got %r, want %r" % (what, got, want))


# ------------------------------------------------------------------------------------------------
DNS = ("127.0.0.1", port_of("EGRESSMAP_TEST_DNS"))
DNS6 = ("::1", port_of("EGRESSMAP_TEST_DNS6"))
AUTH = ("127.0.0.1", port_of("EGRESSMAP_TEST_AUTH"))
FAULTS = ("127.0.0.1", port_of("EGRESSMAP_TEST_FAULTS"))
DEAD = ("127.0.0.1", port_of("EGRESSMAP_TEST_DEAD"))
WORLD = os.environ["EGRESSMAP_TEST_WORLD"]
PORTS = dict(x.strip().split("=", 1) for x in open(os.path.join(WORLD, "faultd.ports")) if "=" in x)
SLOW = ("127.0.0.1", int(PORTS["SLOW_PORT"]))
CHOKED = ("127.0.0.1", int(PORTS["CHOKED_PORT"]))


def world_checks():
    def kdig_chain():
        out = subprocess.run(["kdig", "@127.0.0.1", "-p", str(DNS[1]), "+timeout=2", "+retry=0",
                              "www.world.test", "A"], capture_output=True, text=True, timeout=10).stdout
        for want in ("status: NOERROR", "CNAME\tedge.cdn.test.", "CNAME\te1.akam.test.", "A\t45.60.20.1",
                     "A\t45.60.20.2"):
            if want not in out:
                raise AssertionError("kdig output lacks %r:\n%s" % (want, out))
    check("kdig: www.world.test A through unbound shows the chain", kdig_chain)

    def chain(server, qtype, want):
        def run():
            m = ask(server, "www.world.test", qtype)
            eq(m["rcode"], 0, "rcode")
            eq([(r[0], r[1], r[2], r[4]) for r in m["answer"] if r[1] == CNAME],
               [("www.world.test.", CNAME, 300, "edge.cdn.test."),
                ("edge.cdn.test.", CNAME, 120, "e1.akam.test.")], "cname hops")
            eq(addrs(m, qtype), want, "addresses")
            eq({r[2] for r in m["answer"] if r[1] == qtype}, {60}, "final ttl")
        return run
    check("www.world.test A: 3-zone chain, TTLs 300/120/60", chain(DNS, A, ["45.60.20.1", "45.60.20.2"]))
    check("www.world.test AAAA over ::1", chain(DNS6, AAAA, ["2a05:d014:20::1"]))

    def simple(name, qtype, want, rcode=0, server=DNS, ttl=None):
        def run():
            m = ask(server, name, qtype)
            eq(m["rcode"], rcode, "rcode")
            eq(addrs(m, qtype), want, "addresses")
            if ttl is not None:
                eq({r[2] for r in m["answer"] if r[1] == qtype}, {ttl}, "ttl")
            if not want:
                soa = [r for r in m["authority"] if r[1] == SOA]
                eq([r[2] for r in soa], [900], "negative SOA TTL")
        return run
    check("dual A", simple("dual.world.test", A, ["5.188.10.1", "5.188.10.2"]))
    check("dual AAAA", simple("dual.world.test", AAAA, ["2a05:d014:10::1", "2a05:d014:10::2"]))
    check("v4 A", simple("v4.world.test", A, ["5.188.10.3"]))
    check("v4 AAAA is NODATA (SOA 900)", simple("v4.world.test", AAAA, []))
    check("v6only AAAA", simple("v6only.world.test", AAAA, ["2a05:d014:10::3"]))
    check("v6only A is NODATA", simple("v6only.world.test", A, []))
    check("missing.world.test is NXDOMAIN (SOA 900)", simple("missing.world.test", A, [], rcode=3))
    check("missing.world.test AAAA NXDOMAIN over ::1", simple("missing.world.test", AAAA, [], rcode=3, server=DNS6))
    check("rr: 4 A", simple("rr.world.test", A, ["5.188.10.%d" % i for i in range(11, 15)]))
    check("many: 24 A", simple("many.world.test", A, sorted("5.188.11.%d" % i for i in range(1, 25))))
    check("many: 20 AAAA (TC, then TCP)", simple("many.world.test", AAAA,
                                                 sorted("2a05:d014:11::%x" % i for i in range(1, 21))))
    check("ttl0: TTL 0", simple("ttl0.world.test", A, ["5.188.10.20"], ttl=0))
    check("ttl0: TTL 0 again (not cached upward)", simple("ttl0.world.test", A, ["5.188.10.20"], ttl=0))
    check("ttlday: TTL 86400", simple("ttlday.world.test", A, ["5.188.10.21"], ttl=86400))
    check("wildcard: random label under wild.world.test",
          simple("x%d.wild.world.test" % random.randint(0, 10**9), A, ["5.188.10.40"]))
    check("sink: 0.0.0.0", simple("sink.world.test", A, ["0.0.0.0"]))
    check("private: 10.1.2.3", simple("private.world.test", A, ["10.1.2.3"]))
    check("mapped: ::ffff:10.0.0.1", simple("mapped.world.test", AAAA, ["::ffff:10.0.0.1"]))
    check("AUTH (knot) answers dual A directly", simple("dual.world.test", A, ["5.188.10.1", "5.188.10.2"], server=AUTH))

    def loop():
        eq(ask(DNS, "loop1.world.test", A)["rcode"], 2, "unbound rcode")
        m = ask(AUTH, "loop1.world.test", A)
        eq([(r[0], r[4]) for r in m["answer"]],
           [("loop1.world.test.", "loop2.world.test."), ("loop2.world.test.", "loop1.world.test.")], "knot")
    check("loop1: SERVFAIL through unbound, the 2-record loop from knot", loop)

    def deep():
        m = ask(DNS, "deep.world.test", A)
        eq(m["rcode"], 0, "rcode")
        eq(len([r for r in m["answer"] if r[1] == CNAME]), 20, "CNAMEs")
        eq(addrs(m, A), ["5.188.10.50"], "address")
    check("deep: 20 CNAMEs then 5.188.10.50 through unbound", deep)

    def no_leak():
        t0 = time.monotonic()
        eq(ask(DNS, "example.com", A)["rcode"], 2, "rcode")
        if time.monotonic() - t0 > 1.5:
            raise AssertionError("slow: a name outside the world must fail fast")
    check("names outside the world: SERVFAIL at once (never leave loopback)", no_leak)

    def ttlday_again():
        eq({r[2] for r in ask(DNS, "ttlday.world.test", A)["answer"]}, {86400}, "ttl after caching")
    check("ttlday: still 86400 from cache (serve-original-ttl)", ttlday_again)

    def bulk():
        names = open(os.path.join(WORLD, "bulk-names.txt")).read().split()
        eq(len(names), int(os.environ.get("EGRESSMAP_WORLD_BULK", "10000")), "names")
        expected = {}
        for line in open(os.path.join(WORLD, "bulk-expected.tsv")):
            n, t, a = line.rstrip("\n").split("\t")
            expected.setdefault((n, t), []).append(a)
        sample = names[::97] + [names[-1]]
        for n in sample:
            for t, code in (("A", A), ("AAAA", AAAA)):
                m = ask(DNS, n, code)
                eq(addrs(m, code), sorted(expected.get((n, t), [])), n + " " + t)
    check("bulk.test: 105 sampled names x A/AAAA match bulk-expected.tsv", bulk)

    def apple():
        for i in range(1, 51):
            m = ask(DNS, "%d-courier.push.apple.com" % i, A)
            if i == 7:
                eq([r[4] for r in m["answer"] if r[1] == CNAME], ["courier-edge.akam.test."], "7 cname")
                eq(addrs(m, A), ["23.45.67.89"], "7-courier")
            else:
                eq(addrs(m, A), ["17.57.146.%d" % i], "%d-courier" % i)
        eq(addrs(ask(DNS, "api.push.apple.com", A), A), ["17.188.180.1", "17.188.180.2"], "api")
    check("push.apple.com: 50 couriers in 17/8 except 7-courier (CNAME to 23.45.67.89)", apple)

    u = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    vendor = ["browser-intake-datadoghq.com", "events.launchdarkly.com", "updater.iru.com",
              "r10.c.lencr.org", "r14.c.lencr.org", "e5.c.lencr.org", "e9.c.lencr.org",
              u + ".web-api.kandji.io", u + ".devices.us-1.kandji.io", u + ".web-api.eu.kandji.io",
              u + ".devices.eu.kandji.io", "kandji-prd.s3.amazonaws.com",
              "iru-prd-managed-library-items.s3.amazonaws.com", "managed-library.kandji.io",
              "acme.web-api.kandji.io", "acme.kandji.io", "acme.eu.kandji.io", "acme.iru.com",
              "acme.gateway.kandji.com", "acme.gateway.iru.com", "zz9q.iot.kandji.io",
              "windows-agent.kandji.io", "acme.id.iru.com", "acme.id.connect.iru.com",
              "acme.id.devices.iru.com", "acme.id.gateway.iru.com"]

    def manifest_names():
        for n in vendor:
            m = ask(DNS, n, A)
            eq(m["rcode"], 0, n)
            if not addrs(m, A):
                raise AssertionError("%s: no A" % n)
        eq(ask(DNS, "r99.c.lencr.org", A)["rcode"], 3, "r99.c.lencr.org (no wildcard)")
    check("Iru/Kandji manifest names all resolve; r99.c.lencr.org is NXDOMAIN", manifest_names)


# ------------------------------------------------------------------------------------------------
def fault_checks():
    F = FAULTS

    def one_at(server, name, qtype=A):
        qid, got = udp_exchange(server[0], server[1], name, qtype)
        if not got:
            raise AssertionError("no reply")
        m = parse(got[0])
        eq(m["id"], qid, "id")
        return m

    def one(name, qtype=A):
        qid, got = udp_exchange(F[0], F[1], name, qtype)
        if not got:
            raise AssertionError("no reply")
        m = parse(got[0])
        eq(m["id"], qid, "id")
        return m

    def rec(m):
        return [(r[0], TNAME.get(r[1], r[1]), r[2], r[4]) for r in m["answer"]]

    def t_ok():
        eq(rec(one("ok.f.test")), [("ok.f.test.", "A", 60, "5.188.1.1")])
        eq(rec(one("OK.f.test", AAAA)), [("ok.f.test.", "AAAA", 60, "2a05:d014::1")])
    check("fault ok: A 5.188.1.1 / AAAA 2a05:d014::1, TTL 60 (case-insensitive)", t_ok)

    def t_silent(host_port, name, tcp):
        def run():
            if tcp:
                _, frames, rest, closed = tcp_exchange(host_port[0], host_port[1], name, A, wait=0.5)
                eq((frames, rest, closed), ([], b"", False), "tcp")
            else:
                eq(udp_exchange(host_port[0], host_port[1], name, A, wait=0.5)[1], [], "udp")
        return run

    def t_rcode(s, code):
        def run():
            m = one("%s.f.test" % s)
            eq((m["rcode"], m["answer"], m["authority"]), (code, [], []))
        return run
    for s, code in (("servfail", 2), ("refused", 5), ("notimp", 4), ("formerr", 1), ("nosuchscenario", 5)):
        check("fault %s: rcode %d, empty" % (s, code), t_rcode(s, code))

    def t_nx():
        m = one("nxdomain.f.test")
        eq((m["rcode"], m["answer"], [(r[0], r[2]) for r in m["authority"]]), (3, [], [("f.test.", 900)]))
        m = one("nxanswer.f.test")
        eq((m["rcode"], rec(m)), (3, [("nxanswer.f.test.", "A", 60, "5.188.1.1")]))
    check("fault nxdomain (SOA f.test 900) and nxanswer (NXDOMAIN + A)", t_nx)

    def t_nodata6():
        eq(rec(one("nodata6.f.test")), [("nodata6.f.test.", "A", 60, "5.188.1.1")])
        m = one("nodata6.f.test", AAAA)
        eq((m["rcode"], m["answer"], [r[1] for r in m["authority"]]), (0, [], [SOA]))
    check("fault nodata6: A answers, AAAA NODATA + SOA", t_nodata6)

    def t_tc(s, tcp_expect):
        def run():
            m = one("%s.f.test" % s)
            eq((m["tc"], m["answer"]), (True, []), "udp")
            qid, frames, rest, closed = tcp_exchange(F[0], F[1], "%s.f.test" % s, A, wait=0.6, collect=0.3)
            tcp_expect(qid, frames, rest, closed)
        return run

    def tc_good(qid, frames, rest, closed):
        eq(rec(parse(frames[0])), [("tc.f.test.", "A", 60, "5.188.1.1")])

    def tc_silent(qid, frames, rest, closed):
        eq((frames, rest, closed), ([], b"", False))

    def tc_garbage(qid, frames, rest, closed):
        eq((len(frames), len(frames[0]), frames[0][:2], closed), (1, 48, struct.pack("!H", qid), True))
    check("fault tc: UDP TC=1, TCP good", t_tc("tc", tc_good))
    check("fault tcsilent: UDP TC=1, TCP never answers", t_tc("tcsilent", tc_silent))
    check("fault tcgarbage: UDP TC=1, TCP 48 garbage bytes then close", t_tc("tcgarbage", tc_garbage))

    def t_raw(s, length):
        def run():
            qid, got = udp_exchange(F[0], F[1], "%s.f.test" % s, A)
            eq((len(got[0]), got[0][:2]), (length, struct.pack("!H", qid)))
        return run
    check("fault garbage: 48 bytes starting with the ID", t_raw("garbage", 48))
    check("fault short: 5 bytes", t_raw("short", 5))

    def t_two(s, first_check):
        def run():
            qid, got = udp_exchange(F[0], F[1], "%s.f.test" % s, A, collect=0.3)
            eq(len(got), 2, "datagrams")
            first_check(qid, got[0])
            second = parse(got[1])
            eq((second["id"], rec(second)), (qid, [("%s.f.test." % s, "A", 60, "5.188.1.1")]))
        return run
    check("fault wrongid: ID+1 first, then the right reply",
          t_two("wrongid", lambda qid, d: eq(parse(d)["id"], (qid + 1) & 0xFFFF)))
    check("fault wrongq: reply for other.f.test first, then the right one",
          t_two("wrongq", lambda qid, d: eq((parse(d)["question"][0][0], rec(parse(d))),
                                            ("other.f.test.", [("other.f.test.", "A", 60, "5.188.1.99")]))))
    check("fault empty: a zero-length datagram first, then the right reply",
          t_two("empty", lambda qid, d: eq(d, b"")))

    def t_ttl(s, ttl):
        return lambda: eq([r[2] for r in one("%s.f.test" % s)["answer"]], [ttl])
    check("fault ttlhigh: TTL 0x80000001", t_ttl("ttlhigh", 0x80000001))
    check("fault ttl0: TTL 0", t_ttl("ttl0", 0))

    def t_badaaaa():
        eq(rec(one("badaaaa.f.test")), [("badaaaa.f.test.", "A", 60, "5.188.1.1")])
        eq([(r[1], r[3]) for r in one("badaaaa.f.test", AAAA)["answer"]], [(AAAA, 4)])
    check("fault badaaaa: AAAA record with rdlength 4", t_badaaaa)

    def t_malformed(s, why):
        def run():
            qid, got = udp_exchange(F[0], F[1], "%s.f.test" % s, A)
            try:
                parse(got[0])
            except ParseError as e:
                if why not in str(e):
                    raise AssertionError("wrong parse error: %s" % e)
                return
            raise AssertionError("parsed")
        return run
    check("fault ptrloop: compression pointer loop", t_malformed("ptrloop", "loop"))
    check("fault ptrpast: pointer past the end", t_malformed("ptrpast", "past the end"))
    check("fault longlabel: 0x40 label", t_malformed("longlabel", "bad label type 0x40"))
    check("fault rdpast: rdlength past the end", t_malformed("rdpast", "rdata runs past the end"))

    def t_cnameloop():
        eq(rec(one("cnameloop.f.test")), [("cnameloop.f.test.", "CNAME", 60, "a.f.test."),
                                          ("a.f.test.", "CNAME", 60, "b.f.test."),
                                          ("b.f.test.", "CNAME", 60, "a.f.test.")])
    check("fault cnameloop: q->a, a->b, b->a", t_cnameloop)

    def t_cnamelong():
        r = rec(one("cnamelong.f.test"))
        eq(len(r), 21, "records")
        eq(r[0], ("cnamelong.f.test.", "CNAME", 60, "c1.f.test."))
        eq(r[19], ("c19.f.test.", "CNAME", 60, "c20.f.test."))
        eq(r[20], ("c20.f.test.", "A", 60, "5.188.1.1"))
    check("fault cnamelong: 20 CNAMEs then A", t_cnamelong)

    check("fault cnameorder: A, then c1->c2, then q->c1",
          lambda: eq(rec(one("cnameorder.f.test")), [("c2.f.test.", "A", 60, "5.188.1.1"),
                                                     ("c1.f.test.", "CNAME", 60, "c2.f.test."),
                                                     ("cnameorder.f.test.", "CNAME", 60, "c1.f.test.")]))
    check("fault cnamestar: CNAME to *.star.f.test",
          lambda: eq(rec(one("cnamestar.f.test")), [("cnamestar.f.test.", "CNAME", 60, "*.star.f.test."),
                                                    ("*.star.f.test.", "A", 60, "5.188.1.1")]))
    check("fault othername: other.f.test A first",
          lambda: eq(rec(one("othername.f.test")), [("other.f.test.", "A", 60, "5.188.1.99"),
                                                    ("othername.f.test.", "A", 60, "5.188.1.1")]))
    check("fault aaaainA: AAAA inside the A answer",
          lambda: eq(rec(one("aaaainA.f.test")), [("aaaaina.f.test.", "AAAA", 60, "2a05:d014::99"),
                                                  ("aaaaina.f.test.", "A", 60, "5.188.1.1")]))
    check("fault dup: the same A twice",
          lambda: eq(rec(one("dup.f.test")), [("dup.f.test.", "A", 60, "5.188.1.1")] * 2))
    check("fault sinkhole: 0.0.0.0 and ::",
          lambda: eq((addrs(one("sinkhole.f.test")), addrs(one("sinkhole.f.test", AAAA))), (["0.0.0.0"], ["::"])))

    def t_big():
        m = one("big.f.test")
        eq((m["tc"], m["answer"]), (True, []), "udp")
        _, frames, _, _ = tcp_exchange(F[0], F[1], "big.f.test", A)
        a = addrs(parse(frames[0]), A)
        eq((len(a), len(set(a))), (3000, 3000), "tcp A")
        _, frames, _, _ = tcp_exchange(F[0], F[1], "big.f.test", AAAA)
        eq(len(addrs(parse(frames[0]), AAAA)), 2000, "tcp AAAA")
    check("fault big: TC over UDP, 3000 A / 2000 AAAA over TCP", t_big)

    def t_rotate():
        seen = [tuple(addrs(one("rotate.f.test"))) for _ in range(5)]
        eq(seen[4], seen[0], "cycle of 4")
        eq(len(set(seen[:4])), 4, "distinct")
        eq(sorted(sum((list(x) for x in seen[:4]), [])), sorted("5.188.2.%d" % i for i in range(1, 9)))
    check("fault rotate: 4 distinct 2-address subsets of 8, cycling", t_rotate)

    def t_slow():
        t0 = time.monotonic()
        eq(addrs(one("slow.f.test")), ["5.188.1.1"])
        if time.monotonic() - t0 < 0.19:
            raise AssertionError("answered too fast")
    check("fault slow: answers after 200 ms", t_slow)

    def t_silent6():
        eq(rec(one("silent6.f.test")), [("silent6.f.test.", "A", 60, "5.188.1.1")])
        eq(udp_exchange(F[0], F[1], "silent6.f.test", AAAA, wait=0.5)[1], [], "AAAA")
    check("fault silent6: A answers, AAAA never", t_silent6)
    check("fault shortok: 5 bytes, then the right reply",
          t_two("shortok", lambda qid, d: eq((len(d), d[:2]), (5, struct.pack("!H", qid)))))

    def t_wrongsrc():
        # Unconnected, so the datagram from the other port is seen too (a connected socket drops it).
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.settimeout(1.0)
            s.sendto(query_bytes("wrongsrc.f.test", A, 4321), F)
            got = [s.recvfrom(65535), s.recvfrom(65535)]
        finally:
            s.close()
        eq([(src[1] == F[1], addrs(parse(d))) for d, src in got], [(False, ["5.188.1.99"]), (True, ["5.188.1.1"])])
    check("fault wrongsrc: .99 from another port, then the right reply", t_wrongsrc)

    def t_noedns():
        eq(rec(one("noedns.f.test")), [("noedns.f.test.", "A", 60, "5.188.1.1")])
        q = bytearray(query_bytes("noedns.f.test", A, 4322))
        q[10:12] = b"\x00\x01"
        q += b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.settimeout(1.0)
            s.connect(F)
            s.send(bytes(q))
            m = parse(s.recv(65535))
        finally:
            s.close()
        eq((m["id"], m["rcode"], m["answer"]), (4322, 1, []))
    check("fault noedns: FORMERR with EDNS, the good answer without", t_noedns)
    check("fault longname: an owner of five 63-byte labels (321 bytes on the wire)",
          lambda: eq(rec(one("longname.f.test")), [(".".join(["a" * 63] * 5) + ".", "A", 60, "5.188.1.1")]))

    def t_slow_port():
        t0 = time.monotonic()
        eq(addrs(one_at(SLOW, "servfail.s.test")), ["5.188.1.1"])
        eq(addrs(one_at(SLOW, "anything.s.test", AAAA)), ["2a05:d014::1"])
        if time.monotonic() - t0 < 0.039:
            raise AssertionError("answered too fast")
        _, frames, _, _ = tcp_exchange(SLOW[0], SLOW[1], "x.s.test", A)
        eq(addrs(parse(frames[0])), ["5.188.1.1"], "tcp")
        lines = [x.split("\t") for x in open(os.path.join(WORLD, "faultd.log")) if "\tslow\t" in x]
        eq(sorted((x[1], x[5], x[6].strip()) for x in lines if x[5].endswith(".s.test.")),
           [("tcp", "x.s.test.", "1"), ("udp", "anything.s.test.", "1"), ("udp", "servfail.s.test.", "1")])
    check("slow port: the good answer to any name after 20 ms, logged with the unanswered count", t_slow_port)

    def t_choked_port():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.settimeout(1.0)
            s.connect(CHOKED)
            s.send(query_bytes("big.c.test", A, 4323))
            m = parse(s.recv(65535))
        finally:
            s.close()
        eq((m["id"], m["tc"], m["answer"]), (4323, True, []), "udp")
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            t.settimeout(1.0)
            t.connect(CHOKED)
            raise AssertionError("tcp: a connection was made")
        except socket.timeout:
            pass  # the SYN was dropped: neither accepted nor refused
        finally:
            t.close()
    check("choked port: TC=1 over UDP, and a TCP connect that neither succeeds nor fails", t_choked_port)

    silent = [("fault silent (UDP)", F, "silent.f.test", False),
              ("fault silent (TCP)", F, "silent.f.test", True),
              ("dead port (UDP) never answers", DEAD, "ok.f.test", False),
              ("dead port (TCP) never answers", DEAD, "ok.f.test", True)]
    threads = [threading.Thread(target=check, args=(n, t_silent(hp, q, tcp))) for n, hp, q, tcp in silent]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    def t_log():
        log = open(os.path.join(WORLD, "faultd.log")).read()
        for want in ("\tudp\tfaults\tok\tA\tok.f.test.", "\ttcp\tfaults\ttc\tA\ttc.f.test.",
                     "\tudp\tdead\t-\tA\tok.f.test.", "\ttcp\tdead\t-\tA\tok.f.test."):
            if want not in log:
                raise AssertionError("log lacks %r" % want)
    check("faultd.log records scenario, qtype, transport", t_log)


def main():
    t0 = time.monotonic()
    print("world: %s" % WORLD, flush=True)
    world_checks()
    fault_checks()
    failed = RESULTS.count(False)
    print("%d checks, %d failed, %.1f s" % (len(RESULTS), failed, time.monotonic() - t0), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
