import Foundation
import Hostnames
import TestSupport
import Testing

@testable import DNS

/// Issue 10, cases 6–12: replies that are mismatched, malformed, misleading or huge, end to end through
/// c-ares and the parser. (ReplyParserTests covers the same shapes byte by byte without the network.)
@Suite("Faults: hostile replies", .timeLimit(.minutes(5)))
struct FaultReplyTests {
    /// Asks `scenario.<zone>` for A and AAAA in turn at the fault port.
    func ask(
        _ scenario: String, timeout: Duration = .seconds(1), tries: Int = 2,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (a: LookupAnswer, aaaa: LookupAnswer) {
        let zone = Faults.zone(scenario)
        return try await Faults.run(
            Faults.configuration([try Faults.faults()], timeout: timeout, tries: tries),
            within: Faults.bound(timeout: timeout, tries: tries) * 2, sourceLocation: sourceLocation
        ) { dns in
            let name = try Faults.name("\(scenario).\(zone)")
            return (try await dns.lookup(name, .a)[0], try await dns.lookup(name, .aaaa)[0])
        }
    }

    @Test(
        "6: a reply preceded by a zero-length datagram, a wrong ID, a wrong question or a wrong source: ok",
        arguments: ["empty", "wrongid", "wrongq", "wrongsrc", "shortok"])
    func ignoredFirst(scenario: String) async throws {
        let (a, aaaa) = try await ask(scenario)
        #expect(a.outcome == .ok)
        #expect(a.texts == Faults.goodA)  // not wrongq's or wrongsrc's 5.188.1.99
        #expect(aaaa.outcome == .ok)
        #expect(aaaa.texts == Faults.goodAAAA)  // not 2a05:d014::99
    }

    @Test(
        "6: replies shorter than a header or with a foreign question, and nothing else: ignored, so timeout",
        arguments: ["short", "garbage"])
    func ignoredOnly(scenario: String) async throws {
        let (a, _) = try await ask(scenario, timeout: .milliseconds(200), tries: 1)
        #expect(a.outcome == .timeout)
        #expect(a.rcode == nil)
    }

    @Test("7: a malformed AAAA beside a good A: the A answer stands")
    func malformedAAAA() async throws {
        let zone = Faults.zone("badaaaa")
        let resolution = try await Faults.run(
            Faults.configuration([try Faults.faults()]), within: Faults.bound(timeout: .seconds(1), tries: 2)
        ) { dns in
            try await dns.resolve(NameJob(name: try Faults.name("badaaaa.\(zone)")), types: [.a, .aaaa], deadline: nil)
        }
        let answers = resolution.lookups.map(\.answer)
        #expect(answers.map(\.outcome) == [.ok, .badresponse])
        #expect(answers[0].texts == Faults.goodA)
        #expect(answers[1].addresses.isEmpty)
        #expect(answers[1].detail == "record of type 28 has 4 bytes of data")
    }

    @Test(
        "8: malformed names and lengths are badresponse, with the reason",
        arguments: [
            ("ptrloop", "does not point backwards"), ("ptrpast", "does not point backwards"),
            ("longlabel", "label over 63 bytes"), ("longname", "name over 255 bytes"),
            ("rdpast", "runs past the end"),
        ])
    func malformed(scenario: String, reason: String) async throws {
        let (a, aaaa) = try await ask(scenario)
        for answer in [a, aaaa] {
            #expect(answer.outcome == .badresponse)
            #expect(answer.rcode == 0)
            #expect(answer.addresses.isEmpty)
            #expect(answer.detail?.contains(reason) == true, "\(answer.detail ?? "no detail")")
        }
    }

    @Test(
        "9: a CNAME loop, a chain over the cap and a CNAME to a `*` name are badresponse",
        arguments: [
            ("cnameloop", "CNAME loop at a."), ("cnamelong", "CNAME chain longer than 16 links"),
            ("cnamestar", "is not a host name"),
        ])
    func badChains(scenario: String, reason: String) async throws {
        let (a, aaaa) = try await ask(scenario)
        for answer in [a, aaaa] {
            #expect(answer.outcome == .badresponse)
            #expect(answer.addresses.isEmpty)
            #expect(answer.detail?.contains(reason) == true, "\(answer.detail ?? "no detail")")
        }
        if scenario == "cnamelong" { #expect(a.chain.count == ReplyParser.chainCap) }
    }

    @Test("9: a chain whose records come in reverse order is followed by name")
    func chainOutOfOrder() async throws {
        let zone = Faults.zone("cnameorder")
        let (a, aaaa) = try await Faults.run(
            Faults.configuration([try Faults.faults()]), within: Faults.bound(timeout: .seconds(1), tries: 2)
        ) { dns in
            let name = try Faults.name("cnameorder.\(zone)")
            return (try await dns.lookup(name, .a)[0], try await dns.lookup(name, .aaaa)[0])
        }
        #expect(a.texts == Faults.goodA)
        #expect(aaaa.texts == Faults.goodAAAA)
        for answer in [a, aaaa] {
            #expect(answer.outcome == .ok)
            #expect(answer.chain.map(\.name) == ["cnameorder.\(zone)", "c1.\(zone)"])
            #expect(answer.chain.map(\.target) == ["c1.\(zone)", "c2.\(zone)"])
            #expect(answer.ttl == 60)
        }
    }

    @Test(
        "10: records for other names, of the other type, and duplicates are filtered",
        arguments: [
            "othername", "aaaainA", "dup",
        ])
    func filtered(scenario: String) async throws {
        let (a, aaaa) = try await ask(scenario)
        #expect(a.outcome == .ok)
        #expect(a.texts == Faults.goodA)
        #expect(a.addresses.map(\.ttl) == [60])
        #expect(aaaa.outcome == .ok)
        #expect(aaaa.texts == Faults.goodAAAA)
    }

    @Test("11: TTL 0 stays 0; a TTL with the high bit set counts as 0 (RFC 2181 §8)", arguments: ["ttl0", "ttlhigh"])
    func ttls(scenario: String) async throws {
        let (a, aaaa) = try await ask(scenario)
        #expect(a.texts == Faults.goodA)
        #expect(aaaa.texts == Faults.goodAAAA)
        for answer in [a, aaaa] {
            #expect(answer.outcome == .ok)
            #expect(answer.ttl == 0)
            #expect(answer.addresses.map(\.ttl) == [0])
        }
    }

    @Test("11: in resolve's JSON a high-bit TTL is 0, never negative")
    func ttlInJSON() throws {
        let zone = Faults.zone("ttljson")
        let output = try runEgressmap(["resolve", "--server", try TestWorld.faults(), "--json", "ttlhigh.\(zone)"])
        #expect(output.status == 0, "\(output.stderr)")
        let line = try jsonObject(output.stdout)
        let lookups = try #require(line["lookups"] as? [[String: Any]])
        #expect(lookups.count == 2)
        for lookup in lookups {
            #expect(lookup["ttl"] as? Int == 0)
            let addresses = try #require(lookup["addresses"] as? [[String: Any]])
            #expect(addresses.map { $0["ttl"] as? Int } == [0])
        }
        let summary = try #require(line["addresses"] as? [[String: Any]])
        #expect(summary.map { $0["ttl"] as? Int } == [0, 0])
    }

    /// The one JSON Lines object in `text`.
    func jsonObject(_ text: String) throws -> [String: Any] {
        let lines = text.split(separator: "\n")
        try #require(lines.count == 1, "\(text.prefix(300))")
        return try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    }

    @Test("12: 3,000 A and 2,000 AAAA records over TCP: the first 1,000 of each, in order, flagged as capped")
    func capped() async throws {
        let (a, aaaa) = try await ask("big")
        #expect(a.outcome == .ok)
        #expect(aaaa.outcome == .ok)
        #expect(a.addressesCapped)
        #expect(aaaa.addressesCapped)
        // README: A address i = 5.188.(100 + i div 250).(1 + i mod 250); AAAA i = 2a05:d014::100:(i + 1).
        #expect(a.texts == (0..<ReplyParser.addressCap).map { "5.188.\(100 + $0 / 250).\(1 + $0 % 250)" })
        #expect(aaaa.texts == (1...ReplyParser.addressCap).map { "2a05:d014::100:\(String($0, radix: 16))" })
    }

    @Test("12: the cap is reported in resolve's JSON")
    func cappedInJSON() throws {
        let zone = Faults.zone("bigjson")
        let output = try runEgressmap([
            "resolve", "--server", try TestWorld.faults(), "--json", "--type", "A", "big.\(zone)",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let lookups = try #require(try jsonObject(output.stdout)["lookups"] as? [[String: Any]])
        #expect(lookups.map { $0["capped"] as? Bool } == [true])
        #expect(lookups.map { ($0["addresses"] as? [Any])?.count } == [ReplyParser.addressCap])
    }
}
