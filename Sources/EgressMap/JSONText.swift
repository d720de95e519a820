/// A small JSON writer for the documents egressmap streams (JSON Lines), where Foundation's encoder
/// would cost more than the lookups; keys come out in the order written.
public struct JSONText: Sendable {
    public private(set) var text: String = ""
    private var needsComma: [Bool] = []

    public init() {}

    public mutating func beginObject() { value("{"); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); text += "}" }
    public mutating func beginArray() { value("["); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); text += "]" }

    public mutating func key(_ name: String) {
        separate()
        Self.appendString(name, to: &text)
        text += ":"
        suppressNextComma = true
    }

    public mutating func string(_ value: String) {
        separateValue()
        Self.appendString(value, to: &text)
    }

    public mutating func number(_ value: Int) { self.value(String(value)) }
    public mutating func number(_ value: UInt32) { self.value(String(value)) }
    public mutating func number(_ value: Double, decimals: Int = 3) {
        self.value(value.isFinite ? Self.fixed(value, decimals: decimals) : "null")
    }
    public mutating func bool(_ value: Bool) { self.value(value ? "true" : "false") }
    public mutating func null() { value("null") }

    public mutating func string(_ key: String, _ value: String?) {
        self.key(key)
        if let value { string(value) } else { null() }
    }

    public mutating func number(_ key: String, _ value: UInt32?) {
        self.key(key)
        if let value { number(value) } else { null() }
    }

    private var suppressNextComma = false

    private mutating func separate() {
        guard !needsComma.isEmpty else { return }
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func value(_ raw: String) {
        separateValue()
        text += raw
    }

    private mutating func separateValue() {
        if suppressNextComma {
            suppressNextComma = false
        } else {
            separate()
        }
    }

    /// Appends `value` as a JSON string: quotes, backslashes and control characters escaped.
    ///
    /// Most strings (names, addresses, outcomes) need no escape and are appended whole: scalar by scalar
    /// cost a third of `egressmap resolve --json`'s CPU time.
    static func appendString(_ value: String, to text: inout String) {
        text += "\""
        if !needsEscape(value) {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// Whether any byte of `value` is a quote, a backslash, a control character or the lead byte of
    /// U+2028/U+2029 (0xE2, which also starts other characters: those take the careful path too).
    private static func needsEscape(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }
        }
    }

    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int64(scaled / scale)
        let fraction = Int64(scaled) - whole * Int64(scale)
        var digits = String(fraction)
        digits = String(repeating: "0", count: max(0, decimals - digits.count)) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        let sign = value < 0 && scaled > 0 ? "-" : ""
        return digits.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(digits)"
    }
}
