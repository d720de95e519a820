import DNS
import Hostnames
import IPNet
import Manifest
import Testing

@testable import Allowlist
@testable import Drift
@testable import EgressMap

/// Classifying the targets in slices at once must give what classifying them in one go gives: the same name
/// records, findings and contributions, in the same order.
@Suite("Classifier in parts")
struct ClassifierPartsTests {
    /// 40 hosts in and out of a range, special-purpose answers, failures, rotating names and a wildcard.
    static func world() throws -> (Classifier, [DomainName: [RoundLookup]]) {
        var yaml = """
            manifest: 1
            name: parts
            endpoints:
              - range: 17.0.0.0/8
                name: apple
                ports: [443]
              - host: "*.c.lencr.org"
                ports: [80]
                samples: [r10, r11]

            """
        for index in 0..<40 {
            yaml += "  - host: h\(index).example.com\n    ports: [443, 5223]\n"
            if index % 4 == 0 { yaml += "    within: apple\n" }
        }
        let manifest = try Manifest(yaml: yaml, file: "parts.yaml")
        let expansion = try manifest.expand(variables: [:], filter: ExpansionFilter())
        let server = try ServerAddress(parsing: "127.0.0.1:53")
        var lookups: [DomainName: [RoundLookup]] = [:]
        for (position, target) in expansion.targets.enumerated() {
            for round in 1...3 {
                let address: String = switch position % 5 {
                case 0: "17.1.\(position).\(round)"
                case 1: "10.0.0.\(position)"
                case 2: "45.0.\(position).\(position % 3 == 0 ? round : 1)"
                default: "104.18.\(position).1"
                }
                let outcome: Outcome = position % 7 == 3 && round == 3 ? .timeout : .ok
                lookups[target.name, default: []] += [
                    RoundLookup(round: round, answer: LookupAnswer(
                        name: target.name, type: .a, server: server, outcome: outcome,
                        addresses: outcome == .ok ? [AddressRecord(address: IPAddress(address)!, ttl: 300)] : [],
                        ttl: 300, detail: outcome == .ok ? nil : "no reply"
                    )),
                    RoundLookup(round: round, answer: LookupAnswer(
                        name: target.name, type: .aaaa, server: server, outcome: .nodata, negativeTTL: 900
                    )),
                ]
            }
        }
        let classifier = Classifier(
            expansion: expansion, priors: [:],
            retention: .init(nowMs: 1_800_000_000_000, retainMs: 0, staleLimitMs: 0)
        )
        return (classifier, lookups)
    }

    @Test("slices give what one pass gives", arguments: [2, 3, 7, 100])
    func sameResult(_ parts: Int) async throws {
        let (classifier, lookups) = try Self.world()
        let whole = classifier.classify(lookups)
        let sliced = await classifier.classify(lookups, parts: parts)
        #expect(sliced.names == whole.names)
        #expect(sliced.findings == whole.findings)
        #expect(sliced.contributions == whole.contributions)
        // The world is not trivial: every kind of record is there.
        #expect(whole.names.count == 43)  // 40 hosts, 2 samples, the catch-all probe
        #expect(Set(whole.findings.map(\.kind)).isSuperset(of: ["special-purpose", "outside-range", "volatile"]))
        #expect(whole.contributions.contains { $0.name == nil })
    }
}
