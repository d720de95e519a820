@testable import DNS
import Hostnames
import IPNet
import Testing

@testable import EgressMap

@Suite("Resolve table rows")
struct ResolveTableTests {
    static let first = ResolveReportTests.first
    static let second = ResolveReportTests.second

    static func rows(_ resolution: NameResolution) -> String {
        var bytes: [UInt8] = []
        ResolveTable.appendRows(resolution, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("the header names the columns, padded to their widths")
    func header() {
        #expect(String(decoding: ResolveTable.header, as: UTF8.self) == """
            NAME                                      TYPE  SERVER                  OUTCOME      TTL        ANSWER

            """)
    }

    @Test("a row per type and server: the chain, then the addresses; rounds merged into their row")
    func answered() {
        let resolution = NameResolution(
            job: NameJob(name: try! DomainName(validating: "www.example.test")),
            lookups: ResolveReportTests.answered.lookups + [
                RoundLookup(round: 2, answer: ResolveReportTests.answer(
                    "www.example.test", .a, Self.first, .ok, rcode: 0,
                    chain: [CNAMELink(name: "www.example.test", target: "edge.example.test", ttl: 60)],
                    [("198.51.100.255", 120), ("192.0.2.11", 300), ("192.0.2.11", 300)], ttl: 60
                )),
                RoundLookup(round: 3, answer: ResolveReportTests.answer(
                    "www.example.test", .a, Self.first, .ok, rcode: 0, [("192.0.2.12", 300)], ttl: 300
                )),
            ]
        )
        #expect(Self.rows(resolution) == """
            www.example.test                          A     127.0.0.1:5301          ok           60         \
            → edge.example.test 192.0.2.10 198.51.100.255 192.0.2.11 192.0.2.12 \
            (more not kept: at most 1000 per answer)
            www.example.test                          AAAA  127.0.0.1:5301          ok           90         2001:db8::1
            www.example.test                          A     [::1]:5302              ok           250        192.0.2.10

            """)
    }

    @Test("an answer with more addresses than are kept says so after them")
    func capped() {
        let answer = ResolveReportTests.answer(
            "big.example.test", .a, Self.first, .ok, rcode: 0, [("192.0.2.1", 60)], ttl: 60, capped: true
        )
        let resolution = NameResolution(
            job: NameJob(name: try! DomainName(validating: "big.example.test")),
            lookups: [RoundLookup(round: 1, answer: answer)]
        )
        #expect(Self.rows(resolution) == """
            big.example.test                          A     127.0.0.1:5301          ok           60         \
            192.0.2.1 (more not kept: at most 1000 per answer)

            """)
    }

    @Test("without addresses: the negative TTL, or a dash and what went wrong; no padding at the end")
    func failed() {
        #expect(Self.rows(ResolveReportTests.failed) == """
            gone.test                                 A     127.0.0.1:5301          error        -          the server said RCODE 9
            gone.test                                 AAAA  127.0.0.1:5301          timeout      -          a "quoted"
            line
            gone.test                                 A     [::1]:5302              nxdomain     900 (neg)

            """)
    }

    @Test("a cell wider than its column pushes the rest of the row right, two spaces apart")
    func wideCells() {
        let name = String(repeating: "a", count: 45) + ".test"
        let server = try! ServerAddress(parsing: "[2001:db8:aaaa:bbbb::53]:53")
        let resolution = NameResolution(
            job: NameJob(name: try! DomainName(validating: name)),
            lookups: [
                RoundLookup(round: 1, answer: ResolveReportTests.answer(
                    name, .aaaa, server, .ok, rcode: 0, [("2001:db8::1", 604_800)], ttl: 604_800
                ))
            ]
        )
        #expect(Self.rows(resolution) == """
            \(name)  AAAA  [2001:db8:aaaa:bbbb::53]:53  ok           604800     2001:db8::1

            """)
    }
}
