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
}
