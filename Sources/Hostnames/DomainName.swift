/// A validated, absolute-free, lower-case DNS host name (no trailing dot), such as `www.example.com`.
///
/// STUB: the helper that owns `Hostnames` replaces this with the full rules.
public struct DomainName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The name in lower case, without a trailing dot.
    public let text: String

    public var description: String { text }

    /// Validates `text` as a host name and returns it lower-cased, without a trailing dot.
    /// - Throws: `NameError` saying what was wrong, where (a 1-based character column) and what was expected.
    public init(validating text: String) throws(NameError) {
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { throw NameError(input: text, column: 1, problem: "empty name", expected: "a host name") }
        self.text = name
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.text < rhs.text }
}

/// Why a text is not a valid host name.
public struct NameError: Error, Equatable, Sendable, CustomStringConvertible {
    public var input: String
    /// 1-based position of the offending character in `input`.
    public var column: Int
    public var problem: String
    public var expected: String

    public init(input: String, column: Int, problem: String, expected: String) {
        self.input = input
        self.column = column
        self.problem = problem
        self.expected = expected
    }

    public var description: String { "\(problem) at column \(column) of \"\(input)\"; expected \(expected)" }
}
