@testable import DNS
import Hostnames
import IPNet
import Testing

@testable import EgressMap

@Suite("Resolve report lines")
struct ResolveReportTests {
    static let first = try! ServerAddress(parsing: "127.0.0.1:5301")
    static let second = try! ServerAddress(parsing: "[::1]:5302")

    static func answer(
        _ name: String, _ type: RecordType, _ server: ServerAddress, _ outcome: Outcome, rcode: UInt8?,
        chain: [CNAMELink] = [], _ addresses: [(String, UInt32)] = [], ttl: UInt32? = nil,
        negativeTTL: UInt32? = nil, capped: Bool = false, elapsed: Duration = .zero, detail: String? = nil
    ) -> LookupAnswer {
        LookupAnswer(
            name: try! DomainName(validating: name), type: type, server: server, outcome: outcome, rcode: rcode,
            chain: chain, addresses: addresses.map { AddressRecord(address: try! IPAddress(parsing: $0.0), ttl: $0.1) },
            ttl: ttl, negativeTTL: negativeTTL, addressesCapped: capped, elapsed: elapsed, detail: detail
        )
    }

    static let answered = NameResolution(
        job: NameJob(name: try! DomainName(validating: "www.example.test"), line: 7),
        lookups: [
            RoundLookup(round: 1, answer: answer(
                "www.example.test", .a, first, .ok, rcode: 0,
                chain: [CNAMELink(name: "www.example.test", target: "edge.example.test", ttl: 60)],
                [("192.0.2.10", 300), ("198.51.100.255", 120)], ttl: 60, capped: true, elapsed: .microseconds(1500)
            )),
            RoundLookup(round: 1, answer: answer(
                "www.example.test", .aaaa, first, .ok, rcode: 0, [("2001:db8::1", 90)], ttl: 90,
                elapsed: .milliseconds(2)
            )),
            RoundLookup(round: 2, answer: answer(
                "www.example.test", .a, second, .ok, rcode: 0, [("192.0.2.10", 250)], ttl: 250
            )),
        ]
    )

    static let failed = NameResolution(
        job: NameJob(name: try! DomainName(validating: "gone.test")),
        lookups: [
            RoundLookup(round: 1, answer: answer(
                "gone.test", .a, first, .error, rcode: 9, elapsed: .microseconds(250), detail: "the server said RCODE 9"
            )),
            RoundLookup(round: 1, answer: answer(
                "gone.test", .aaaa, first, .timeout, rcode: nil, detail: "a \"quoted\"\nline"
            )),
            RoundLookup(round: 1, answer: answer("gone.test", .a, second, .nxdomain, rcode: 3, negativeTTL: 900)),
        ]
    )

    // The expected lines are broken after commas to fit the page; the breaks are taken out before comparing.

    @Test("a name with addresses: the summary, then every lookup with its chain and addresses")
    func answeredLine() {
        #expect(ResolveReport.jsonLine(Self.answered) == #"""
            {"name":"www.example.test","line":7,"outcome":"ok","addresses":[{"address":"192.0.2.10","type":"A",
            "ttl":250,"rounds":2,"servers":["127.0.0.1:5301","[::1]:5302"]},{"address":"198.51.100.255","type":"A",
            "ttl":120,"rounds":1,"servers":["127.0.0.1:5301"]},{"address":"2001:db8::1","type":"AAAA","ttl":90,
            "rounds":1,"servers":["127.0.0.1:5301"]}],"lookups":[{"type":"A","server":"127.0.0.1:5301","round":1,
            "outcome":"ok","rcode":"NOERROR","elapsed_ms":1.5,"ttl":60,"negative_ttl":null,
            "chain":[{"name":"www.example.test","target":"edge.example.test","ttl":60}],
            "addresses":[{"address":"192.0.2.10","ttl":300},{"address":"198.51.100.255","ttl":120}],"capped":true,
            "detail":null},{"type":"AAAA","server":"127.0.0.1:5301","round":1,"outcome":"ok","rcode":"NOERROR",
            "elapsed_ms":2,"ttl":90,"negative_ttl":null,"chain":[],"addresses":[{"address":"2001:db8::1","ttl":90}],
            "capped":false,"detail":null},{"type":"A","server":"[::1]:5302","round":2,"outcome":"ok","rcode":"NOERROR",
            "elapsed_ms":0,"ttl":250,"negative_ttl":null,"chain":[],"addresses":[{"address":"192.0.2.10","ttl":250}],
            "capped":false,"detail":null}]}
            """#.split(separator: "\n").joined())
    }

    @Test("a name without addresses: no line number, unnamed and missing rcodes, details escaped")
    func failedLine() {
        #expect(ResolveReport.jsonLine(Self.failed) == #"""
            {"name":"gone.test","line":null,"outcome":"nxdomain","addresses":[],"lookups":[{"type":"A",
            "server":"127.0.0.1:5301","round":1,"outcome":"error","rcode":"RCODE9","elapsed_ms":0.25,"ttl":null,
            "negative_ttl":null,"chain":[],"addresses":[],"capped":false,"detail":"the server said RCODE 9"},
            {"type":"AAAA","server":"127.0.0.1:5301","round":1,"outcome":"timeout","rcode":null,"elapsed_ms":0,
            "ttl":null,"negative_ttl":null,"chain":[],"addresses":[],"capped":false,"detail":"a \"quoted\"\nline"},
            {"type":"A","server":"[::1]:5302","round":1,"outcome":"nxdomain","rcode":"NXDOMAIN","elapsed_ms":0,
            "ttl":null,"negative_ttl":900,"chain":[],"addresses":[],"capped":false,"detail":null}]}
            """#.split(separator: "\n").joined())
    }

    @Test("lines written into an open array are separated by commas")
    func insideAnArray() {
        var json = JSONText()
        json.beginArray()
        ResolveReport.writeJSONLine(Self.failed, to: &json)
        ResolveReport.writeJSONLine(Self.answered, to: &json)
        json.endArray()
        let lines = [ResolveReport.jsonLine(Self.failed), ResolveReport.jsonLine(Self.answered)]
        #expect(json.text == "[" + lines.joined(separator: ",") + "]")
    }

    @Test("every outcome is written as its raw value", arguments: Outcome.allCases)
    func outcomeText(outcome: Outcome) {
        #expect(ResolveReport.quoted(outcome).description == "\"\(outcome.rawValue)\"")
    }

    @Test("response codes with a mnemonic are written as it; the others as RCODE and the number")
    func rcodeText() {
        let named = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"]
        for code in UInt8.min...UInt8.max {
            let mnemonic: String? = Int(code) < named.count ? named[Int(code)] : nil
            #expect(ResolveReport.quotedRcodeName(code)?.description == mnemonic.map { "\"\($0)\"" })
            #expect(ResolveReport.rcodeName(code) == mnemonic ?? "RCODE\(code)")
        }
    }
}
