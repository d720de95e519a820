import Testing
import Yams

@testable import Manifest

/// `ScalarKind` stands in for Yams' `Resolver.default` (regular expressions) when the manifest decoder asks
/// what a scalar is: checked against the resolver itself on a table and on every short string of the
/// characters its rules look at.
@Suite("Scalar kinds")
struct ScalarKindTests {
    /// What `Resolver.default` makes of a plain scalar's text.
    static func reference(_ text: String) -> ScalarKind {
        switch Resolver.default.resolveTag(of: Node(text, .implicit, .plain)) {
        case .null: .null
        case .bool: .bool
        case .int: .int
        case .float: .float
        default: .string
        }
    }

    @Test("the table: numbers in every base, sexagesimals, floats, booleans, nulls and near misses", arguments: [
        "443", "0", "-0", "+7", "00", "07", "08", "0_", "0o17", "0o", "0o8", "0b101", "0b", "0b2", "0x1F", "0x", "0xg",
        "1_000", "1__", "1:30", "1:5", "1:60", "1:5:07", "190:20:30", "1:", ":1", "1:20.5", "01:20.5", "1:20.",
        "1.5", "1.", ".5", "._5", ".", "1e5", "1e", "1e+5", "1.0e-5", ".5e+3", ".5e3", "-.5", "+.inf", ".Inf", "-.INF",
        ".inf", "inf", ".nan", ".NaN", "-.nan", "nan", "yes", "Yes", "YES", "yEs", "y", "n", "on", "On", "oN", "OFF",
        "true", "tRUE", "false", "null", "Null", "NULL", "nULL", "~", "", " ", "<<", "=", "2026-11-29",
        "2026-11-29T04:30:00Z", "host.example.com", "17.0.0.0/8", "a", "-", "+", "1 2", "١٢", "12\u{301}",
    ])
    func table(_ text: String) {
        #expect(ScalarKind.of(plain: text) == Self.reference(text), "\(text)")
    }

    @Test("every string of up to three of the characters the rules read, and four of the digit-like ones")
    func exhaustive() {
        let wide = Array("019_+-.:eExXbBoOinfaNlu~")
        let narrow = Array("07_.:e+x")
        var texts: [String] = [""]
        var level = [""]
        for _ in 0..<3 {
            level = level.flatMap { prefix in wide.map { prefix + String($0) } }
            texts += level
        }
        level = [""]
        for _ in 0..<4 { level = level.flatMap { prefix in narrow.map { prefix + String($0) } } }
        texts += level
        var mismatches: [String] = []
        for text in texts where ScalarKind.of(plain: text) != Self.reference(text) { mismatches.append(text) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        #expect(texts.count > 10_000)
    }

    @Test("in a parsed document: quoted text is a string, an explicit tag on plain text decides, keys are classified too")
    func parsed() throws {
        let yaml = """
            - 443
            - "443"
            - '~'
            - ~
            - !!int 5
            - !!null x
            - !!bool x
            - !!float 1
            - !!int "5"
            - !custom 5
            - yes
            - 1.5
            - null: 1
            """
        let expected: [ScalarKind] = [
            .int, .string, .string, .null, .int, .null, .bool, .float, .string, .string, .bool, .float,
        ]
        let parser = try Parser(yaml: yaml, resolver: .basic)
        let tree = withExtendedLifetime(parser) { YAMLTree(try? parser.singleRoot()) }
        let items = try #require(tree.root.flatMap(tree.sequence))
        let scalars = try items.dropLast().map { try #require(tree.scalar($0)) }
        #expect(scalars.map(ScalarKind.of) == expected)
        #expect(scalars.map(ScalarKind.isNull) == expected.map { $0 == .null })
        let mapping = try #require(items.last.flatMap(tree.mapping))
        let key = try #require(mapping.first.flatMap { tree.scalar($0.key) })
        #expect(ScalarKind.isNull(key))
    }
}
