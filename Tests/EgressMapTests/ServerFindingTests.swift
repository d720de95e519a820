import DNS
import Drift
import Testing

@testable import EgressMap

/// A server that failed most of what it was asked is a finding of its own when the run asked more than one:
/// the names another server answered do not show it.
@Suite("Server findings")
struct ServerFindingTests {
    static let good = NameSummaryTests.first
    static let dead = NameSummaryTests.second

    /// `count` lookups at `server`, failed ones refused with a detail.
    static func lookups(_ server: ServerAddress, answered: Int, refused: Int) -> [RoundLookup] {
        var result = (0..<answered).map { NameSummaryTests.lookup(round: $0 + 1, server: server, [("192.0.2.1", 60)]) }
        for round in 0..<refused {
            var lookup = NameSummaryTests.lookup(round: round + 1, server: server, outcome: .refused, [])
            lookup.answer.detail = "the server said REFUSED"
            result.append(lookup)
        }
        return result
    }

    @Test("a union with one dead server: one warning, counted, with the commonest reason")
    func deadInUnion() {
        let names = (0..<3).map { _ in
            Self.lookups(Self.good, answered: 2, refused: 0) + Self.lookups(Self.dead, answered: 0, refused: 2)
        }
        let findings = Classifier.serverFindings(names)
        #expect(findings == [Finding(
            kind: "server-failed", severity: "warning", endpoint: nil, name: nil, address: nil,
            message: "server [::1]:5302 failed 6 of the 6 lookups it was asked "
                + "(6 of them: refused: the server said REFUSED)"
        )])
    }

    @Test("half failed is not more than half; one server alone is the names' own findings")
    func thresholds() {
        let half = [Self.lookups(Self.good, answered: 2, refused: 0) + Self.lookups(Self.dead, answered: 1, refused: 1)]
        #expect(Classifier.serverFindings(half).isEmpty)
        let most = [Self.lookups(Self.good, answered: 2, refused: 0) + Self.lookups(Self.dead, answered: 1, refused: 2)]
        #expect(Classifier.serverFindings(most).map(\.message) == [
            "server [::1]:5302 failed 2 of the 3 lookups it was asked (2 of them: refused: the server said REFUSED)",
        ])
        let alone = [Self.lookups(Self.dead, answered: 0, refused: 4)]
        #expect(Classifier.serverFindings(alone).isEmpty)
    }

    @Test("a union server saying NXDOMAIN where another gives addresses, for most names: server-disagrees")
    func disagreeing() {
        let (good, filtering) = (Self.good, Self.dead)
        // 4 names: the filtering server says NXDOMAIN for 3 of them, and gives the address of the fourth.
        let names = (0..<4).map { index in
            [NameSummaryTests.lookup(round: 1, server: good, [("192.0.2.\(index + 1)", 60)]),
             NameSummaryTests.lookup(round: 1, server: filtering, outcome: index < 3 ? .nxdomain : .ok,
                                     index < 3 ? [] : [("192.0.2.4", 60)])]
        }
        #expect(Classifier.disagreementFindings(names) == [Finding(
            kind: "server-disagrees", severity: "warning", endpoint: nil, name: nil, address: nil,
            message: "server [::1]:5302 said there was no such name or no address (NXDOMAIN, NODATA) for 3 of the 4 "
                + "lookups another server answered with addresses: it filters, or sees another view of DNS"
        )])
        // Half is not more than half; and names that no server gives an address say nothing of the servers.
        #expect(Classifier.disagreementFindings(Array(names.suffix(2))).isEmpty)
        let nowhere = (0..<3).map { _ in
            [NameSummaryTests.lookup(round: 1, server: good, outcome: .nxdomain, []),
             NameSummaryTests.lookup(round: 1, server: filtering, outcome: .nxdomain, [])]
        }
        #expect(Classifier.disagreementFindings(nowhere).isEmpty)
    }
}
