import DNS
import Hostnames
import IPNet
import Manifest
import Testing

@testable import Drift
@testable import EgressMap

/// "Failure is not removal", per server in a union: each server may give addresses the others do not (geo-DNS).
@Suite("Retention in a union of servers")
struct UnionRetentionTests {
    @Test("a union server that failed every lookup leaves the addresses only it gave stale; in failover, not")
    func deadServerInUnion() throws {
        let manifest = try Manifest(
            yaml: "manifest: 1\nname: geo\nendpoints:\n  - host: geo.example.com\n    ports: [443]\n", file: "geo.yaml"
        )
        let expansion = try manifest.expand()
        let name = try #require(expansion.targets.first?.name)
        let up = try ServerAddress(parsing: "127.0.0.1:53")
        let down = try ServerAddress(parsing: "127.0.0.2:53")
        let day: Int64 = 86_400_000
        let now: Int64 = 1_800_000_000_000
        // Given 8 days ago by the server that is down now: past the retention (7 d), within the stale limit.
        let priors = ["geo.example.com": [Sighting(
            name: "geo.example.com", address: "5.188.202.1", type: "A", firstSeenMs: now - 9 * day,
            lastSeenMs: now - 8 * day, lastRun: "r1", runs: 1, rounds: 1, chain: ""
        )]]
        let lookups: [DomainName: [RoundLookup]] = [name: [
            RoundLookup(round: 1, answer: LookupAnswer(
                name: name, type: .a, server: up, outcome: .ok,
                addresses: [AddressRecord(address: IPAddress("5.188.201.1")!, ttl: 300)], ttl: 300
            )),
            RoundLookup(round: 1, answer: LookupAnswer(
                name: name, type: .a, server: down, outcome: .timeout, detail: "no reply"
            )),
            RoundLookup(round: 1, answer: LookupAnswer(
                name: name, type: .aaaa, server: up, outcome: .nodata, negativeTTL: 900
            )),
            RoundLookup(round: 1, answer: LookupAnswer(
                name: name, type: .aaaa, server: down, outcome: .timeout, detail: "no reply"
            )),
        ]]
        for union in [true, false] {
            let classifier = Classifier(
                expansion: expansion, priors: priors,
                retention: .init(nowMs: now, retainMs: 7 * day, staleLimitMs: 30 * day), union: union
            )
            let record = try #require(classifier.classify(lookups).names.first)
            #expect(record.outcome == "ok")
            #expect(record.addresses.filter { $0.source == "answer" }.map(\.address) == ["5.188.201.1"])
            // In failover the answer is the next server's, whole; in a union the dead server's part is unknown.
            #expect(record.addresses.filter { $0.source == "stale" }.map(\.address) == (union ? ["5.188.202.1"] : []),
                    "union: \(union)")
        }
        #expect(Classifier.failedTypes(lookups[name]!, union: true) == ["A", "AAAA"])
        #expect(Classifier.failedTypes(lookups[name]!, union: false) == [])
    }
}
