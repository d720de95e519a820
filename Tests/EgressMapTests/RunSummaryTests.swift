import Drift
import Testing

@testable import EgressMap

/// The terminal summary's findings: one line for many names that failed alike, every other finding as it is.
@Suite("Run summary: findings grouped")
struct RunSummaryTests {
    static func failed(_ name: String, _ reason: String = "timeout from 192.0.2.53:53: no reply") -> Finding {
        Finding(
            kind: "lookup-failed", severity: "warning", endpoint: 0, name: name, address: nil,
            message: "\(name): lookup failed (\(reason))"
        )
    }

    static func outside(_ name: String, _ address: String) -> Finding {
        Finding(
            kind: "outside-range", severity: "warning", endpoint: 0, name: name, address: address,
            message: "\(name) resolves to \(address), outside apple (17.0.0.0/8)"
        )
    }

    @Test("five or more names with the same finding: one line with the count and the first three names")
    func grouped() {
        let findings = (1...6).map { Self.failed("n\($0).example.com") }
            + [Self.failed("other.example.com", "servfail from 192.0.2.53:53: the server said SERVFAIL")]
            + [Self.outside("a.example.com", "1.2.3.4"), Self.outside("b.example.com", "1.2.3.5")]
        #expect(RunSummary.grouped(findings).map(\.text) == [
            "6 names: lookup failed (timeout from 192.0.2.53:53: no reply): n1.example.com, n2.example.com, "
                + "n3.example.com and 3 more",
            "other.example.com: lookup failed (servfail from 192.0.2.53:53: the server said SERVFAIL)",
            "a.example.com resolves to 1.2.3.4, outside apple (17.0.0.0/8)",
            "b.example.com resolves to 1.2.3.5, outside apple (17.0.0.0/8)",
        ])
    }

    @Test("four alike are listed one by one, in their order")
    func fewAreListed() {
        let findings = (1...4).map { Self.failed("n\($0).example.com") }
        #expect(RunSummary.grouped(findings).map(\.text) == findings.map(\.message))
    }
}
