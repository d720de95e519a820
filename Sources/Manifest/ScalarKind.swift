/// What YAML 1.1's implicit rules (Yams' `Resolver.default`) make of a scalar — null, a boolean, a number or
/// a string — decided over its bytes instead of with Yams' regular expressions.
///
/// The manifest decoder reads every scalar's text itself: it needs the kind only to know null (for every
/// scalar) and to describe a value in an error (`the number 443`). Resolving each scalar's tag through seven
/// `NSRegularExpression`s was most of the cost of loading a 10,000-endpoint manifest, so manifests are parsed
/// with `Resolver.basic` (no rules) and classified here. `ScalarKindTests` checks this against
/// `Resolver.default` on a table and on every short string of the characters the rules look at.
enum ScalarKind: Equatable {
    case null, bool, int, float, string

    /// The kind of a scalar: only plain scalars have one other than `string` (quoted text is always a string);
    /// an explicit tag other than `!!str` (`!!int 5`) decides by itself.
    static func of(_ scalar: YAMLTree.Scalar) -> ScalarKind {
        guard scalar.style == .plain else { return .string }
        // The stored tag, before Yams resolves it: implicit when there is none; a key's is already `!!str`, the
        // basic resolver's answer for an implicit tag (so an explicit `!!str` reads like an implicit tag).
        switch scalar.tag {
        case .implicit, .str: return of(plain: scalar.string)
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .other: return .string
        }
    }

    /// Whether a scalar is null (`~`, `null`, empty…): `of(_:) == .null` without classifying everything else,
    /// since no null spelling is also a boolean or a number.
    static func isNull(_ scalar: YAMLTree.Scalar) -> Bool {
        guard scalar.style == .plain else { return false }
        switch scalar.tag {
        case .implicit, .str: return isNullSpelling(scalar.string)
        case .null: return true
        default: return false
        }
    }

    /// The kind of a plain scalar's text, the rules tried in `Resolver.default`'s order.
    static func of(plain text: String) -> ScalarKind {
        let bytes = Array(text.utf8)
        if bools.contains(text) { return .bool }
        if isInt(bytes[...]) { return .int }
        if isFloat(bytes[...]) { return .float }
        if isNullSpelling(text) { return .null }
        return .string
    }

    private static let bools: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]
    /// `~`, `null`, `Null`, `NULL` or nothing: compared, not hashed, as every scalar of a manifest is asked.
    static func isNullSpelling(_ text: String) -> Bool {
        switch text.utf8.count {
        case 0: true
        case 1: text == "~"
        case 4: text == "null" || text == "Null" || text == "NULL"
        default: false
        }
    }

    /// `[-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+ |
    /// [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`
    static func isInt(_ text: ArraySlice<UInt8>) -> Bool {
        let body = unsigned(text)
        guard let first = body.first else { return false }
        if first == ascii("0") {
            let rest = body.dropFirst()
            if rest.isEmpty { return true }
            switch rest.first {
            case ascii("b"):
                return rest.count > 1 && rest.dropFirst().allSatisfy { $0 == ascii("0") || $0 == ascii("1") || $0 == ascii("_") }
            case ascii("x"): return rest.count > 1 && rest.dropFirst().allSatisfy { isHex($0) || $0 == ascii("_") }
            case ascii("o"): return rest.count > 1 && rest.dropFirst().allSatisfy(isOctalOrUnderscore)
            default: return rest.allSatisfy(isOctalOrUnderscore)
            }
        }
        guard isDigit(first), first != ascii("0") else { return false }
        let tail = span(body.dropFirst()) { isDigit($0) || $0 == ascii("_") }.rest
        return tail.isEmpty || isSexagesimalTail(tail)
    }

    /// `[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)? | \.[0-9_]+([eE][-+][0-9]+)? |
    /// [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)`
    static func isFloat(_ text: ArraySlice<UInt8>) -> Bool {
        if ["nan", "NaN", "NAN"].contains(where: { text.elementsEqual(Array(".\($0)".utf8)) }) { return true }
        if text.first == ascii(".") {
            // `.5`, `._1`, `.5e+3` (this form's exponent needs its sign); `.inf` is handled below
            let (fraction, tail) = span(text.dropFirst()) { isDigit($0) || $0 == ascii("_") }
            if !fraction.isEmpty && (tail.isEmpty || isExponent(tail, signRequired: true)) { return true }
        }
        let body = unsigned(text)
        if ["inf", "Inf", "INF"].contains(where: { body.elementsEqual(Array(".\($0)".utf8)) }) { return true }
        guard let first = body.first, isDigit(first) else { return false }
        let (_, afterDigits) = span(body.dropFirst()) { isDigit($0) || $0 == ascii("_") }
        // The plain form: digits, an optional fraction, an optional exponent.
        var tail = afterDigits
        if tail.first == ascii(".") {
            tail = span(tail.dropFirst()) { isDigit($0) || $0 == ascii("_") }.rest
        }
        if tail.isEmpty || isExponent(tail, signRequired: false) { return true }
        // The sexagesimal form: `190:20:30.15`.
        guard let dot = afterDigits.firstIndex(of: ascii(".")) else { return false }
        let groups = afterDigits[..<dot]
        let fraction = afterDigits[(dot + 1)...]
        return !groups.isEmpty && isSexagesimalTail(groups) && fraction.allSatisfy { isDigit($0) || $0 == ascii("_") }
    }

    /// `(:[0-5]?[0-9])+`
    private static func isSexagesimalTail(_ text: ArraySlice<UInt8>) -> Bool {
        var rest = text
        guard !rest.isEmpty else { return false }
        while !rest.isEmpty {
            guard rest.first == ascii(":") else { return false }
            rest = rest.dropFirst()
            let (digits, after) = span(rest, while: isDigit)
            guard digits.count == 1 || (digits.count == 2 && digits.first! <= ascii("5")) else { return false }
            rest = after
        }
        return true
    }

    /// `[eE][-+]?[0-9]+`, or `[eE][-+][0-9]+` when the sign is required.
    private static func isExponent(_ text: ArraySlice<UInt8>, signRequired: Bool) -> Bool {
        guard text.first == ascii("e") || text.first == ascii("E") else { return false }
        var rest = text.dropFirst()
        if rest.first == ascii("+") || rest.first == ascii("-") {
            rest = rest.dropFirst()
        } else if signRequired {
            return false
        }
        return !rest.isEmpty && rest.allSatisfy(isDigit)
    }

    private static func unsigned(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        text.first == ascii("-") || text.first == ascii("+") ? text.dropFirst() : text
    }

    /// The longest prefix whose bytes satisfy `test`, and the rest.
    private static func span(_ text: ArraySlice<UInt8>, while test: (UInt8) -> Bool)
        -> (prefix: ArraySlice<UInt8>, rest: ArraySlice<UInt8>)
    {
        let end = text.firstIndex { !test($0) } ?? text.endIndex
        return (text[..<end], text[end...])
    }

    private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(ascii: character) }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= ascii("0") && byte <= ascii("9") }
    private static func isOctalOrUnderscore(_ byte: UInt8) -> Bool {
        (byte >= ascii("0") && byte <= ascii("7")) || byte == ascii("_")
    }
    private static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= ascii("a") && byte <= ascii("f")) || (byte >= ascii("A") && byte <= ascii("F"))
    }
}
