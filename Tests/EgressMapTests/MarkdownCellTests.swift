import Testing

@testable import Drift
@testable import EgressMap

/// Text from manifests and DNS put into markdown tables (`diff.md`, `matrix.md`): pipes, backticks and line
/// breaks replaced, everything else kept as it is — the fast path for plain text included.
@Suite("Markdown cells")
struct MarkdownCellTests {
    @Test("diff.md cells", arguments: [
        ("plain.example.com", "plain.example.com"),
        ("", ""),
        ("a|b", "a¦b"),
        ("x`y`", "x'y'"),
        ("l1\nl2\rl3", "l1 l2 l3"),
        ("é漢字🙂|", "é漢字🙂¦"),
        ("tcp/443 by apple 17.0.0.0/8", "tcp/443 by apple 17.0.0.0/8"),
    ])
    func diffCell(_ text: String, _ expected: String) {
        #expect(DiffReport.cell(text) == expected)
    }

    @Test("matrix.md rows")
    func matrixRow() {
        var snapshot = SnapshotWritingTests.sparse()
        snapshot.reachability?.matrix = [
            MatrixCell(endpoint: 0, label: "a|b`c\nd", port: 443, total: 2, open: nil, verdicts: [:]),
            MatrixCell(endpoint: 1, label: "plain.example é", port: 443, total: 1, open: nil, verdicts: [:]),
        ]
        let text = ReachabilityReport.markdown(snapshot)
        #expect(text.contains("\n| a b c d | -/2 |\n"))
        #expect(text.contains("\n| plain.example é | -/1 |\n"))
    }

    @Test("a name's changes on the terminal: the first 8 addresses and a count, all of them with --verbose")
    func longChangeLine() {
        let added = (1...20).map { "192.0.2.\($0)" }
        func side(_ id: String, _ addresses: [String]) -> DiffSide {
            DiffSide(
                runID: id, published: true, publishNote: nil, lists: ["all": []],
                names: [DiffSide.Name(name: "cdn.example.com", endpoints: [0], outcome: "ok", addresses: addresses,
                                      stale: [], chain: [])],
                labels: [0: "cdn.example.com"], probes: nil
            )
        }
        let diff = SnapshotDiff(old: side("r1", []), new: side("r2", added))
        let short = DiffReport.terminal(diff, paint: Paint(enabled: false), limit: 25)
        #expect(short.contains("  cdn.example.com: " + added.prefix(8).map { "+" + $0 }.joined(separator: " ")
            + " and 12 more\n") || short.hasSuffix(" and 12 more"), "\(short)")
        let whole = DiffReport.terminal(diff, paint: Paint(enabled: false))
        #expect(whole.contains(added.map { "+" + $0 }.joined(separator: " ")), "\(whole)")
    }
}
