import IPNet
import Testing

@testable import DNS

@Suite("Reply parser")
struct ReplyParserTests {
    @Test("a CNAME chain is followed in order with the minimum TTL")
    func chain() {
        var reply = ReplyBuilder(question: "www.example.test", type: 1)
        reply.cname("www.example.test", "edge.cdn.test", ttl: 300)
        reply.cname("edge.cdn.test", "e1.akam.test", ttl: 120)
        reply.a("e1.akam.test", [45, 60, 20, 1], ttl: 60)
        reply.a("e1.akam.test", [45, 60, 20, 2], ttl: 90)
        let parsed = ReplyParser.parse(reply.bytes, name: "www.example.test", type: .a)
        #expect(parsed.outcome == .ok)
        #expect(parsed.chain.map(\.name) == ["www.example.test", "edge.cdn.test"])
        #expect(parsed.chain.map(\.target) == ["edge.cdn.test", "e1.akam.test"])
        #expect(parsed.chain.map(\.ttl) == [300, 120])
        #expect(parsed.addresses.map(\.address.description) == ["45.60.20.1", "45.60.20.2"])
        #expect(parsed.addresses.map(\.ttl) == [60, 90])
        #expect(parsed.ttl == 60)
    }

    @Test("records out of order still form the chain")
    func outOfOrder() {
        var reply = ReplyBuilder(question: "a.test", type: 1)
        reply.a("c.test", [5, 188, 1, 1])
        reply.cname("b.test", "c.test", ttl: 50)
        reply.cname("a.test", "b.test", ttl: 70)
        let parsed = ReplyParser.parse(reply.bytes, name: "a.test", type: .a)
        #expect(parsed.outcome == .ok)
        #expect(parsed.chain.map(\.target) == ["b.test", "c.test"])
        #expect(parsed.ttl == 50)
    }

    @Test("other owners, other types and duplicates are dropped")
    func filtering() {
        var reply = ReplyBuilder(question: "a.test", type: 1)
        reply.a("other.test", [5, 188, 9, 9])
        reply.aaaa("a.test", Array(repeating: 1, count: 16))
        reply.a("a.test", [5, 188, 1, 1])
        reply.a("A.TEST", [5, 188, 1, 1])
        let parsed = ReplyParser.parse(reply.bytes, name: "a.test", type: .a)
        #expect(parsed.addresses.map(\.address.description) == ["5.188.1.1"])
    }

    @Test("TTLs: 0 stays 0, the high bit counts as 0, and nothing exceeds 7 days")
    func ttls() {
        var reply = ReplyBuilder(question: "a.test", type: 1)
        reply.a("a.test", [5, 188, 1, 1], ttl: 0)
        reply.a("a.test", [5, 188, 1, 2], ttl: 0x8000_0001)
        reply.a("a.test", [5, 188, 1, 3], ttl: 0x7FFF_FFFF)
        let parsed = ReplyParser.parse(reply.bytes, name: "a.test", type: .a)
        #expect(parsed.addresses.map(\.ttl) == [0, 0, 604_800])
    }

    @Test("NXDOMAIN and NODATA carry the SOA minimum as negative TTL")
    func negative() {
        var nx = ReplyBuilder(rcode: 3, question: "missing.test", type: 1)
        nx.soa("test", ttl: 3600, minimum: 900)
        let parsedNX = ReplyParser.parse(nx.bytes, name: "missing.test", type: .a)
        #expect(parsedNX.outcome == .nxdomain)
        #expect(parsedNX.negativeTTL == 900)

        var nodata = ReplyBuilder(question: "v4.test", type: 28)
        nodata.soa("test", ttl: 600, minimum: 900)
        let parsedNoData = ReplyParser.parse(nodata.bytes, name: "v4.test", type: .aaaa)
        #expect(parsedNoData.outcome == .nodata)
        #expect(parsedNoData.negativeTTL == 600)
    }

    @Test("NXDOMAIN carrying answers stays NXDOMAIN with no addresses")
    func nxdomainWithAnswers() {
        var reply = ReplyBuilder(rcode: 3, question: "a.test", type: 1)
        reply.a("a.test", [5, 188, 1, 1])
        let parsed = ReplyParser.parse(reply.bytes, name: "a.test", type: .a)
        #expect(parsed.outcome == .nxdomain)
        #expect(parsed.addresses.isEmpty)
    }

    @Test("response codes map to outcomes", arguments: [
        (UInt8(2), Outcome.servfail), (5, .refused), (1, .error), (4, .error), (9, .error),
    ])
    func rcodes(rcode: UInt8, outcome: Outcome) {
        let reply = ReplyBuilder(rcode: rcode, question: "a.test", type: 1)
        #expect(ReplyParser.parse(reply.bytes, name: "a.test", type: .a).outcome == outcome)
    }

    @Test("a CNAME loop is a badresponse, not a hang")
    func loop() {
        var reply = ReplyBuilder(question: "a.test", type: 1)
        reply.cname("a.test", "b.test")
        reply.cname("b.test", "a.test")
        let parsed = ReplyParser.parse(reply.bytes, name: "a.test", type: .a)
        #expect(parsed.outcome == .badresponse)
        #expect(parsed.detail?.contains("loop") == true)
    }

    @Test("a chain longer than the cap is a badresponse")
    func longChain() {
        var reply = ReplyBuilder(question: "c0.test", type: 1)
        for index in 0..<20 { reply.cname("c\(index).test", "c\(index + 1).test") }
        reply.a("c20.test", [5, 188, 1, 1])
        let parsed = ReplyParser.parse(reply.bytes, name: "c0.test", type: .a)
        #expect(parsed.outcome == .badresponse)
        #expect(parsed.chain.count == ReplyParser.chainCap)
    }

    @Test("a CNAME to a name with '*' is a badresponse")
    func starTarget() {
        var reply = ReplyBuilder(question: "a.test", type: 1)
        reply.cname("a.test", "*.b.test")
        reply.a("*.b.test", [5, 188, 1, 1])
        #expect(ReplyParser.parse(reply.bytes, name: "a.test", type: .a).outcome == .badresponse)
    }

    @Test("malformed bytes are a badresponse", arguments: [
        ("shorter than a header", [UInt8](repeating: 0, count: 5)),
        ("compression pointer loop", Self.withAnswerOwner([0xC0, 24])),
        ("pointer past the end", Self.withAnswerOwner([0xC0, 0xFF])),
        ("label over 63", Self.withAnswerOwner([0x40] + [UInt8](repeating: 97, count: 64) + [0])),
        ("record length past the packet", Self.recordPastEnd()),
        ("A record of 5 bytes", Self.badAddressLength()),
    ])
    func malformed(label: String, bytes: [UInt8]) {
        #expect(ReplyParser.parse(bytes, name: "a.test", type: .a).outcome == .badresponse, "\(label)")
    }

    @Test("names of the authority section are checked though their text is not kept", arguments: [
        ("SOA owner pointing forward", [0xC0, 0xFF] as [UInt8], ReplyBuilder.name("ns1.test")),
        ("SOA mname with a label over 63", ReplyBuilder.name("test"), [0x40] + [UInt8](repeating: 97, count: 64) + [0]),
        ("SOA mname with a reserved label type", ReplyBuilder.name("test"), [0x80, 0]),
    ])
    func authorityNames(label: String, owner: [UInt8], mname: [UInt8]) {
        var reply = ReplyBuilder(question: "v4.test", type: 28)
        var data = mname + ReplyBuilder.name("hostmaster.test")
        data += [UInt8](repeating: 0, count: 16) + [0, 0, 3, 132]  // serial … expire, then minimum 900
        reply.record(owner, type: 6, ttl: 600, data: data, section: 2)
        let parsed = ReplyParser.parse(reply.bytes, name: "v4.test", type: .aaaa)
        #expect(parsed.outcome == .badresponse, "\(label)")

        var good = ReplyBuilder(question: "v4.test", type: 28)
        good.record([0xC0, 15], type: 6, ttl: 600, data: ReplyBuilder.name("ns1.test") + data.dropFirst(mname.count), section: 2)
        let parsedGood = ReplyParser.parse(good.bytes, name: "v4.test", type: .aaaa)
        #expect(parsedGood.outcome == .nodata, "\(label): the same reply with good names")
        #expect(parsedGood.negativeTTL == 600)
    }

    @Test("a name over 255 bytes is a badresponse")
    func longName() {
        let labels = Array(repeating: "a" + String(repeating: "b", count: 62), count: 5).joined(separator: ".")
        var reply = ReplyBuilder(question: "a.test", type: 1)
        reply.a(labels, [5, 188, 1, 1])
        #expect(ReplyParser.parse(reply.bytes, name: "a.test", type: .a).outcome == .badresponse)
    }

    @Test("a compressed owner name pointing back at the question is read")
    func compression() {
        var reply = ReplyBuilder(question: "a.test", type: 1)
        reply.record([0xC0, 12], type: 1, ttl: 30, data: [5, 188, 1, 1])
        let parsed = ReplyParser.parse(reply.bytes, name: "a.test", type: .a)
        #expect(parsed.outcome == .ok)
        #expect(parsed.addresses.first?.address.description == "5.188.1.1")
    }

    @Test("owners compressed to a CNAME target read earlier are that target, mixed case and all")
    func compressionToTarget() {
        var reply = ReplyBuilder(question: "www.a.test", type: 1)
        reply.record([0xC0, 12], type: 5, ttl: 60, data: ReplyBuilder.name("Edge.B.Test"))
        let target = UInt8(reply.bytes.count - ReplyBuilder.name("Edge.B.Test").count)
        reply.record([0xC0, target], type: 1, ttl: 30, data: [5, 188, 1, 1])
        reply.record([0xC0, target], type: 1, ttl: 20, data: [5, 188, 1, 2])
        let parsed = ReplyParser.parse(reply.bytes, name: "www.a.test", type: .a)
        #expect(parsed.outcome == .ok)
        #expect(parsed.chain == [CNAMELink(name: "www.a.test", target: "edge.b.test", ttl: 60)])
        #expect(parsed.addresses.map(\.address.description) == ["5.188.1.1", "5.188.1.2"])
        #expect(parsed.ttl == 20)
    }

    @Test("the question in another case, or another name, is read as the wire has it", arguments: [
        ("A.Test", "a.test", 1), ("a.test", "a.test", 1), ("b.test", "a.test", 0), ("a.test.x", "a.test", 0),
        ("a", "a.test", 0), ("a-b.test", "a_b.test", 0),
    ])
    func questionCase(question: String, asked: String, addresses: Int) {
        var reply = ReplyBuilder(question: question, type: 1)
        reply.record([0xC0, 12], type: 1, ttl: 30, data: [5, 188, 1, 1])
        let parsed = ReplyParser.parse(reply.bytes, name: asked, type: .a)
        #expect(parsed.addresses.count == addresses)
        #expect(parsed.outcome == (addresses > 0 ? .ok : .nodata))
    }

    @Test("a pointer to itself stays a badresponse once names before it were read")
    func selfPointerAfterKnownNames() {
        var reply = ReplyBuilder(question: "a.test", type: 1)
        reply.record([0xC0, 12], type: 1, ttl: 30, data: [5, 188, 1, 1])
        let at = UInt8(reply.bytes.count)
        reply.record([0xC0, at], type: 1, ttl: 30, data: [5, 188, 1, 2])
        let parsed = ReplyParser.parse(reply.bytes, name: "a.test", type: .a)
        #expect(parsed.outcome == .badresponse)
        #expect(parsed.detail?.contains("does not point backwards") == true)
    }

    @Test("odd bytes in names from a reply are escaped")
    func escaping() {
        #expect(WireReader.presentation([0x41, 0x2E, 0x20, 0x22, 0x0A]) == "a\\.\\032\\034\\010")
    }

    @Test("more addresses than the cap are cut with a flag")
    func cap() {
        var reply = ReplyBuilder(question: "big.test", type: 1)
        for index in 0..<(ReplyParser.addressCap + 5) {
            reply.a("big.test", [5, 188, UInt8(index / 256), UInt8(index % 256)])
        }
        let parsed = ReplyParser.parse(reply.bytes, name: "big.test", type: .a)
        #expect(parsed.addresses.count == ReplyParser.addressCap)
        #expect(parsed.addressesCapped)
    }

    private static func withAnswerOwner(_ owner: [UInt8]) -> [UInt8] {
        var reply = ReplyBuilder(question: "a.test", type: 1)
        reply.record(owner, type: 1, ttl: 30, data: [5, 188, 1, 1])
        return reply.bytes
    }

    private static func recordPastEnd() -> [UInt8] {
        var bytes = withAnswerOwner(ReplyBuilder.name("a.test"))
        bytes[bytes.count - 6] = 0x10  // rdlength high byte
        return bytes
    }

    private static func badAddressLength() -> [UInt8] {
        var reply = ReplyBuilder(question: "a.test", type: 1)
        reply.record(ReplyBuilder.name("a.test"), type: 1, ttl: 30, data: [5, 188, 1, 1, 1])
        return reply.bytes
    }
}
