/// A validated, lower-case DNS host name without a trailing dot, such as `www.example.com`.
///
/// The rules are the ones resolvers and firewall configs can live with: ASCII only (`xn--` labels for
/// internationalised names), letters, digits, `-` and `_`, labels of 1–63 characters, at most 253 characters,
/// no wildcard, no `localhost`, and nothing a resolver would read as an address (`127.1`, `2130706433`).
public struct DomainName: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The name in lower case, without a trailing dot.
    public let text: String

    public var description: String { text }

    /// Validates `text` as a host name and returns it lower-cased, without a trailing dot.
    /// - Throws: `NameError` saying what was wrong, where (a 1-based column, counted in Unicode scalars)
    ///   and what was expected; for non-ASCII input it suggests the punycode form when there is one.
    public init(validating text: String) throws(NameError) {
        self.text = try NameRules.validate(text, asWholeName: true)
    }

    /// The labels from left to right: `["www", "example", "com"]`.
    public var labels: [Substring] { text.split(separator: ".", omittingEmptySubsequences: false) }

    /// The name with its leftmost label removed (`example.com` for `www.example.com`), nil for one label.
    public var parent: DomainName? {
        guard let dot = text.firstIndex(of: ".") else { return nil }
        return DomainName(trusted: String(text[text.index(after: dot)...]))
    }

    /// Checks that `text` is one or more labels that can stand inside a longer name (such as a tenant
    /// subdomain put in place of `{subdomain}`), without the whole-name rules (an all-numeric label passes).
    /// - Returns: the labels lower-cased, without a trailing dot.
    /// - Throws: `NameError` as `init(validating:)` does.
    public static func validateLabels(_ text: String) throws(NameError) -> String {
        try NameRules.validate(text, asWholeName: false)
    }

    /// Wraps text already known to be valid (a suffix of a valid name).
    init(trusted text: String) { self.text = text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            self = try DomainName(validating: raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.text < rhs.text }
}

/// Why a text is not a valid host name: what was found, where, and what was expected.
public struct NameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text as it was given.
    public var input: String
    /// 1-based position of the offending character in `input`, counted in Unicode scalars.
    public var column: Int
    /// What was found, such as `label starting with '-'` or `non-ASCII character U+00FC 'ü'`.
    public var problem: String
    /// What would have been accepted.
    public var expected: String
    /// A corrected name to offer, such as the punycode form `xn--bcher-kva.de` of `bücher.de`.
    public var suggestion: String?

    public init(input: String, column: Int, problem: String, expected: String, suggestion: String? = nil) {
        self.input = input
        self.column = column
        self.problem = problem
        self.expected = expected
        self.suggestion = suggestion
    }

    /// The input with control, format (zero-width, bidi) and separator characters shown as `\u{…}`,
    /// so that printing it can neither reorder nor hide text on a terminal.
    public var printableInput: String { NameRules.printable(input) }

    /// `problem; expected …; did you mean …?` without the position: for callers that give their own.
    public var message: String {
        var text = "\(problem) in \"\(printableInput)\"; expected \(expected)"
        if let suggestion { text += "; did you mean \(suggestion)?" }
        return text
    }

    public var description: String {
        var text = "\(problem) at column \(column) of \"\(printableInput)\"; expected \(expected)"
        if let suggestion { text += "; did you mean \(suggestion)?" }
        return text
    }
}
