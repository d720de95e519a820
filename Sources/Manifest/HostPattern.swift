import Foundation

/// A `host:` value or a wildcard sample, parsed: literal text, `{variable}` placeholders, brace ranges
/// (`{1..50}`, zero-padded `{01..10}`) and lists (`{a,b}`), and a leading `*.` for wildcards.
///
/// Every produced character remembers its offset in the pattern, so a name error found after expansion is
/// reported at the pattern's own column.
public struct HostPattern: Hashable, Sendable, CustomStringConvertible {
    /// The most names one pattern may produce.
    public static let maxNames = 1_000

    /// One piece of the pattern.
    enum Part: Hashable, Sendable {
        case literal(String, origin: Int)
        case variable(String, origin: Int)
        case alternatives([String], origin: Int)
    }

    /// The pattern as written.
    public let text: String
    /// True for `*.zone`: `parts` then describe the zone only.
    public let isWildcard: Bool
    let parts: [Part]

    /// The variables the pattern uses, in order of first use.
    public var variables: [String] {
        var seen: [String] = []
        for case .variable(let name, _) in parts where !seen.contains(name) { seen.append(name) }
        return seen
    }

    /// The first variable whose value ends with the name the pattern goes on with: `acme.iru.com` for
    /// `{subdomain}.iru.com` (the whole host where its first label was meant), which would give
    /// `acme.iru.com.iru.com`. Returns the variable and the value without that end.
    func valueRepeatingTheName(_ values: [String: String]) -> (variable: String, meant: String)? {
        for (index, part) in parts.enumerated() {
            guard case .variable(let name, _) = part, index + 1 < parts.count,
                  case .literal(let rest, _) = parts[index + 1], rest.hasPrefix("."), rest.dropFirst().contains("."),
                  let value = values[name], value.count > rest.count, value.hasSuffix(rest)
            else { continue }
            return (name, String(value.dropLast(rest.count)))
        }
        return nil
    }

    /// How many names the braces produce (1 without braces).
    public var count: Int {
        parts.reduce(1) { total, part in
            if case .alternatives(let list, _) = part { total * list.count } else { total }
        }
    }

    public var description: String { text }

    /// Why a pattern cannot be parsed: a message and the 0-based scalar offset it points at.
    struct Failure: Error, Equatable {
        var offset: Int
        var found: String
        var expected: String
    }

    /// Parses `text`.
    /// - Parameters:
    ///   - allowWildcard: accept `*` as the whole leftmost label (host patterns, not samples).
    ///   - allowVariables: accept `{name}` placeholders.
    init(parsing text: String, allowWildcard: Bool, allowVariables: Bool) throws(Failure) {
        self.text = text
        // Most hosts are plain names: one literal, without reading the text scalar by scalar.
        let special: (UInt8) -> Bool = { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }
        if !text.containsUTF8(where: special) {
            self.isWildcard = false
            self.parts = text.isEmpty ? [] : [.literal(text, origin: 0)]
            return
        }
        let scalars = Array(text.unicodeScalars)
        var start = 0
        var wildcard = false
        if let star = scalars.firstIndex(of: "*") {
            guard allowWildcard else {
                throw Failure(offset: star, found: "wildcard '*' in a sample",
                              expected: "the labels to put in place of the host's '*'")
            }
            let lone = star == 0 && (scalars.count == 1 || (scalars.count == 2 && scalars[1] == "."))
            guard !lone else {
                throw Failure(offset: star, found: "a wildcard with no zone after it",
                              expected: "'*.' and the zone it stands in, as in *.example.com")
            }
            guard star == 0, scalars.count > 2, scalars[1] == ".", scalars.dropFirst().firstIndex(of: "*") == nil
            else {
                let last = scalars.lastIndex(of: "*")!
                let at = star == 0 ? last : star
                throw Failure(offset: at, found: "wildcard '*' that is not the whole leftmost label",
                              expected: "'*' only as the whole leftmost label, as in *.example.com")
            }
            wildcard = true
            start = 2
        }
        self.isWildcard = wildcard
        self.parts = try Self.parseParts(scalars, from: start, allowVariables: allowVariables)
        if count > Self.maxNames {
            let brace = scalars.firstIndex(of: "{") ?? 0
            throw Failure(offset: brace, found: "a pattern producing \(count) names",
                          expected: "at most \(Self.maxNames) names from one pattern")
        }
    }

    private static func parseParts(_ scalars: [Unicode.Scalar], from start: Int,
                                   allowVariables: Bool) throws(Failure) -> [Part] {
        var parts: [Part] = []
        var index = start
        while index < scalars.count {
            // The literal up to the next brace, taken whole.
            let next = scalars[index...].firstIndex { $0 == "{" || $0 == "}" } ?? scalars.count
            if next > index {
                parts.append(.literal(String(String.UnicodeScalarView(scalars[index..<next])), origin: index))
                index = next
                continue
            }
            if scalars[index] == "}" {
                throw Failure(offset: index, found: "'}' without '{'", expected: "braces in pairs")
            }
            guard let close = scalars[(index + 1)...].firstIndex(where: { $0 == "}" || $0 == "{" }),
                  scalars[close] == "}"
            else {
                throw Failure(offset: index, found: "'{' without '}'", expected: "braces in pairs, not nested")
            }
            let inside = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
            parts.append(try brace(inside, at: index, allowVariables: allowVariables))
            index = close + 1
        }
        return parts
    }

    /// Reads the text between `{` and `}` at `offset`: a variable, a numeric range or a list.
    private static func brace(_ inside: String, at offset: Int, allowVariables: Bool) throws(Failure) -> Part {
        if inside.contains("..") {
            return .alternatives(try range(inside, at: offset), origin: offset)
        }
        if inside.contains(",") {
            let items = inside.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if let empty = items.firstIndex(where: \.isEmpty) {
                throw Failure(offset: offset, found: "empty item \(empty + 1) in {\(inside)}",
                              expected: "a list of non-empty texts such as {a,b}")
            }
            return .alternatives(items, origin: offset)
        }
        let isName = inside.unicodeScalars.first.map { $0 == "_" || ("a"..."z").contains($0) } ?? false
            && inside.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard isName else {
            throw Failure(offset: offset, found: "{\(inside)}",
                          expected: "{name} (a variable in lower case), {N..M} or {a,b}")
        }
        guard allowVariables else {
            throw Failure(offset: offset, found: "variable {\(inside)} in a sample",
                          expected: "literal labels, {N..M} or {a,b}")
        }
        return .variable(inside, origin: offset)
    }

    /// `1..50` or `01..10` (zero-padded to the wider end), ascending or descending.
    private static func range(_ inside: String, at offset: Int) throws(Failure) -> [String] {
        let ends = inside.components(separatedBy: "..")
        let isNumber = { (text: String) in !text.isEmpty && text.count <= 6 && text.allSatisfy(\.isASCII)
            && text.allSatisfy(\.isNumber) }
        guard ends.count == 2, isNumber(ends[0]), isNumber(ends[1]), let low = Int(ends[0]), let high = Int(ends[1])
        else {
            throw Failure(offset: offset, found: "brace range {\(inside)}",
                          expected: "{N..M} with whole numbers of up to 6 digits, such as {1..50}")
        }
        let size = abs(high - low) + 1
        guard size <= maxNames else {
            throw Failure(offset: offset, found: "a range of \(size) values {\(inside)}",
                          expected: "at most \(maxNames) names from one pattern")
        }
        let padded = ends.contains { $0.count > 1 && $0.hasPrefix("0") }
        let width = padded ? max(ends[0].count, ends[1].count) : 0
        let values = low <= high ? Array(low...high) : Array((high...low).reversed())
        return values.map { value in
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }

    /// A produced name and, for each of its scalars, the 0-based offset in the pattern it came from.
    struct Produced: Hashable {
        var text: String
        var origins: [Int]
    }

    /// Every name the pattern produces (the zone for a wildcard), variables taken from `values`.
    /// - Parameter values: a value for every variable the pattern uses.
    func produce(_ values: [String: String]) -> [Produced] {
        var results = [Produced(text: "", origins: [])]
        for part in parts {
            switch part {
            case .literal(let text, let origin):
                for index in results.indices { results[index].append(text, from: origin, stepping: true) }
            case .variable(let name, let origin):
                let value = values[name] ?? ""
                for index in results.indices { results[index].append(value, from: origin, stepping: false) }
            case .alternatives(let list, let origin):
                results = results.flatMap { prefix in
                    list.map { item in
                        var copy = prefix
                        copy.append(item, from: origin, stepping: false)
                        return copy
                    }
                }
            }
        }
        return results
    }

    /// The texts of `produce(values)`, in the same order, without the origins (needed only to place an error).
    func names(_ values: [String: String]) -> [String] {
        if parts.count == 1, case .literal(let text, _) = parts[0] { return [text] }
        var results = [""]
        for part in parts {
            switch part {
            case .literal(let text, _):
                for index in results.indices { results[index] += text }
            case .variable(let name, _):
                let value = values[name] ?? ""
                for index in results.indices { results[index] += value }
            case .alternatives(let list, _):
                results = results.flatMap { prefix in list.map { prefix + $0 } }
            }
        }
        return results
    }
}

extension HostPattern.Produced {
    /// Appends `text`; each scalar's origin is `origin + i` for literals, `origin` for substituted text.
    mutating func append(_ piece: String, from origin: Int, stepping: Bool) {
        for (offset, scalar) in piece.unicodeScalars.enumerated() {
            text.unicodeScalars.append(scalar)
            origins.append(stepping ? origin + offset : origin)
        }
    }

    /// The pattern offset for a 1-based column of the produced text (past the end: the last origin).
    func origin(ofColumn column: Int) -> Int {
        guard !origins.isEmpty else { return 0 }
        return origins[min(max(column - 1, 0), origins.count - 1)]
    }
}
