import DNS
import Hostnames
import IPNet
import Testing

@testable import EgressMap

@Suite("Name summaries")
struct NameSummaryTests {
    static let first = try! ServerAddress(parsing: "127.0.0.1:5301")
    static let second = try! ServerAddress(parsing: "[::1]:5302")

    static func lookup(
        round: Int, type: RecordType = .a, server: ServerAddress = first, outcome: Outcome = .ok,
        _ addresses: [(String, UInt32)]
    ) -> RoundLookup {
        RoundLookup(round: round, answer: LookupAnswer(
            name: try! DomainName(validating: "a.test"), type: type, server: server, outcome: outcome,
            addresses: addresses.map { AddressRecord(address: try! IPAddress(parsing: $0.0), ttl: $0.1) }
        ))
    }

    @Test("rounds, servers in first-seen order and the lowest TTL, whatever order the lookups come in")
    func merging() {
        let lookups = [
            Self.lookup(round: 2, server: Self.second, [("192.0.2.1", 30)]),
            Self.lookup(round: 1, [("192.0.2.1", 300), ("192.0.2.9", 60)]),
            Self.lookup(round: 1, type: .aaaa, [("2001:db8::1", 90)]),
            Self.lookup(round: 2, [("192.0.2.1", 200)]),
        ]
        let summary = NameSummary(lookups)
        #expect(summary.outcome == .ok)
        #expect(summary.addresses.map(\.address.description) == ["192.0.2.1", "192.0.2.9", "2001:db8::1"])
        #expect(summary.addresses.map(\.rounds) == [2, 1, 1])
        #expect(summary.addresses.map(\.ttl) == [30, 60, 90])
        #expect(summary.addresses[0].servers == [Self.first, Self.second])
        #expect(summary.addresses[2].type == .aaaa)
    }

    @Test("past sixteen addresses every one is still counted once per round")
    func manyAddresses() {
        let addresses = (0..<40).map { ("198.51.100.\(39 - $0)", UInt32(100 + $0)) }
        let summary = NameSummary([
            Self.lookup(round: 1, addresses), Self.lookup(round: 2, addresses.reversed()),
            Self.lookup(round: 3, Array(addresses.prefix(3))),
        ])
        #expect(summary.addresses.count == 40)
        #expect(summary.addresses.first?.address.description == "198.51.100.0")
        #expect(summary.addresses.last?.address.description == "198.51.100.39")
        #expect(summary.addresses.filter { $0.rounds == 3 }.count == 3)
        #expect(summary.addresses.filter { $0.rounds == 2 }.count == 37)
        #expect(summary.addresses.allSatisfy { $0.servers == [Self.first] })
    }

    @Test("without addresses: NODATA before NXDOMAIN, otherwise the first failure", arguments: [
        ([Outcome.timeout, .nxdomain, .nodata], Outcome.nodata), ([.servfail, .nxdomain], .nxdomain),
        ([.refused, .timeout], .refused), ([], .error),
    ])
    func outcomes(outcomes: [Outcome], expected: Outcome) {
        let summary = NameSummary(outcomes.map { Self.lookup(round: 1, outcome: $0, []) })
        #expect(summary.outcome == expected)
        #expect(summary.addresses.isEmpty)
    }

    @Test("names summed up one after another in one storage keep nothing of each other")
    func sharedStorage() {
        let names: [[RoundLookup]] = [
            (0..<40).map { Self.lookup(round: 1 + $0 % 2, [("198.51.100.\($0)", 60)]) },
            [Self.lookup(round: 1, server: Self.second, [("192.0.2.7", 30)])],
            [Self.lookup(round: 1, outcome: .nodata, [])],
            [
                Self.lookup(round: 1, [("192.0.2.7", 90), ("192.0.2.1", 80)]),
                Self.lookup(round: 1, server: Self.second, [("192.0.2.7", 70)]),
            ],
        ]
        var storage = NameSummary.Storage()
        var shared: [NameSummary] = []
        for lookups in names {
            var summary = NameSummary(lookups, storage: &storage)
            shared.append(summary)  // a copy: recycling the original must not touch it
            summary.recycle(into: &storage)
            #expect(summary.addresses.isEmpty)
        }
        #expect(shared.map(\.addresses.count) == [40, 1, 0, 2])
        #expect(shared[0].addresses.map(\.rounds) == Array(repeating: 1, count: 40))
        #expect(shared[1].addresses.map(\.servers) == [[Self.second]])
        #expect(shared[2].outcome == .nodata)
        #expect(shared[3].addresses.map(\.address.description) == ["192.0.2.1", "192.0.2.7"])
        #expect(shared[3].addresses.map(\.ttl) == [80, 70])
        #expect(shared[3].addresses.map(\.servers) == [[Self.first], [Self.first, Self.second]])
        for (lookups, summary) in zip(names, shared) {  // as if each had storage of its own
            let alone = NameSummary(lookups)
            #expect(summary.outcome == alone.outcome)
            #expect(summary.addresses == alone.addresses)
        }
    }
}
