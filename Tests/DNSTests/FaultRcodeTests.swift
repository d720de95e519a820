import Foundation
import Hostnames
import TestSupport
import Testing

@testable import DNS

/// Issue 10, cases 2–4: response codes. Each failure is reported as itself, is not retried at the same
/// server, and sends a failover profile on to its next server; negative answers are answers.
/// (EngineWorldTests.faults maps each rcode at a single server; these add failover, retries and EDNS.)
@Suite("Faults: response codes", .timeLimit(.minutes(5)))
struct FaultRcodeTests {
    @Test(
        "2: SERVFAIL, REFUSED, NOTIMP are reported once and the next server of a failover profile answers",
        arguments: [("servfail", Outcome.servfail, UInt8(2)), ("refused", .refused, 5), ("notimp", .error, 4)])
    func failover(scenario: String, outcome: Outcome, rcode: UInt8) async throws {
        let zone = Faults.zone(scenario)
        let servers = [try Faults.faults(), try Faults.slow()]
        let answers = try await Faults.run(
            Faults.configuration(servers, mode: .failover), within: Faults.bound(timeout: .seconds(1), tries: 2)
        ) { dns in try await dns.lookup(try Faults.name("\(scenario).\(zone)"), .a) }
        #expect(answers.map(\.server) == servers)
        #expect(answers.map(\.outcome) == [outcome, .ok])
        #expect(answers[0].rcode == rcode)
        #expect(answers[0].addresses.isEmpty)
        #expect(answers[1].texts == Faults.goodA)
        if outcome == .error { #expect(answers[0].detail == "the server said NOTIMP") }
        // The reply ends the query: c-ares does not try the same server again (tries is 2).
        let asked = try Faults.log(zone: zone).filter { $0.name == "\(scenario).\(zone)." }
        #expect(asked.map(\.listener) == ["faults", "slow"])
    }

    @Test("2: a failover profile stops at the first server that answers")
    func failoverStops() async throws {
        let zone = Faults.zone("okfirst")
        let answers = try await Faults.run(
            Faults.configuration([try Faults.faults(), try Faults.slow()], mode: .failover),
            within: Faults.bound(timeout: .seconds(1), tries: 2)
        ) { dns in try await dns.lookup(try Faults.name("ok.\(zone)"), .a) }
        #expect(answers.map(\.outcome) == [.ok])
        #expect(answers[0].texts == Faults.goodA)
        #expect(try Faults.log(zone: zone).map(\.listener) == ["faults"])
    }

    @Test("3: FORMERR is reported as such, never resent, and the channel keeps sending plain queries")
    func formerr() async throws {
        let zone = Faults.zone("formerr")
        let (bad, plain) = try await Faults.run(
            Faults.configuration([try Faults.faults()], tries: 3), within: Faults.bound(timeout: .seconds(1), tries: 3)
        ) { dns in
            let bad = try await dns.lookup(try Faults.name("formerr.\(zone)"), .a)[0]
            // `noedns` says FORMERR to a query with an OPT record and answers one without: had the FORMERR
            // switched EDNS on or off channel-wide, c-ares would resend or this would fail.
            let plain = try await dns.lookup(try Faults.name("noedns.\(zone)"), .a)[0]
            return (bad, plain)
        }
        #expect(bad.outcome == .error)
        #expect(bad.rcode == 1)
        #expect(bad.detail == "the server said FORMERR")
        #expect(plain.outcome == .ok)
        #expect(plain.texts == Faults.goodA)
        #expect(try Faults.received("formerr.\(zone)", zone: zone) == ["udp"])
        #expect(try Faults.received("noedns.\(zone)", zone: zone) == ["udp"])
    }

    @Test("4: NXDOMAIN with the SOA: nxdomain, the SOA minimum as negative TTL, no addresses")
    func nxdomain() async throws {
        let zone = Faults.zone("nx")
        let answers = try await Faults.run(
            Faults.configuration([try Faults.faults()]), within: Faults.bound(timeout: .seconds(1), tries: 2)
        ) { dns in
            [
                try await dns.lookup(try Faults.name("nxdomain.\(zone)"), .a)[0],
                try await dns.lookup(try Faults.name("nxdomain.\(zone)"), .aaaa)[0],
            ]
        }
        for answer in answers {
            #expect(answer.outcome == .nxdomain)
            #expect(answer.rcode == 3)
            #expect(answer.negativeTTL == 900)
            #expect(answer.addresses.isEmpty)
            #expect(answer.chain.isEmpty)
        }
    }

    @Test("4: NXDOMAIN carrying an address: still nxdomain, and the address is not taken")
    func nxdomainWithAnswer() async throws {
        let zone = Faults.zone("nxanswer")
        let answers = try await Faults.run(
            Faults.configuration([try Faults.faults()]), within: Faults.bound(timeout: .seconds(1), tries: 2)
        ) { dns in
            [
                try await dns.lookup(try Faults.name("nxanswer.\(zone)"), .a)[0],
                try await dns.lookup(try Faults.name("nxanswer.\(zone)"), .aaaa)[0],
            ]
        }
        for answer in answers {
            #expect(answer.outcome == .nxdomain)
            #expect(answer.rcode == 3)
            #expect(answer.addresses.isEmpty)
            #expect(answer.negativeTTL == nil)  // no SOA came
        }
    }

    @Test("4: NODATA for AAAA only: A ok, AAAA nodata with the SOA minimum")
    func nodataOneFamily() async throws {
        let zone = Faults.zone("nodata6")
        let resolution = try await Faults.run(
            Faults.configuration([try Faults.faults()]), within: Faults.bound(timeout: .seconds(1), tries: 2)
        ) { dns in
            try await dns.resolve(NameJob(name: try Faults.name("nodata6.\(zone)")), types: [.a, .aaaa], deadline: nil)
        }
        let answers = resolution.lookups.map(\.answer)
        #expect(answers.map(\.type) == [.a, .aaaa])
        #expect(answers.map(\.outcome) == [.ok, .nodata])
        #expect(answers[0].texts == Faults.goodA)
        #expect(answers[0].ttl == 60)
        #expect(answers[1].rcode == 0)
        #expect(answers[1].addresses.isEmpty)
        #expect(answers[1].negativeTTL == 900)
    }
}
