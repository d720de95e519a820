/// A small JSON writer for the documents egressmap streams (JSON Lines), where Foundation's encoder
/// would cost more than the lookups; keys come out in the order written.
public struct JSONText: Sendable {
    /// The document's UTF-8 bytes: appending to bytes costs a fraction of appending to a `String`.
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// The document as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() { raw(UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    public mutating func beginArray() { raw(UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    public mutating func key(_ name: String) {
        separate()
        Self.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        suppressNextComma = true
    }

    public mutating func string(_ value: String) {
        separateValue()
        Self.appendString(value, to: &bytes)
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
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func value(_ text: String) {
        separateValue()
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func raw(_ byte: UInt8) {
        separateValue()
        bytes.append(byte)
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
    static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        if !needsEscape(value) {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                escaped.unicodeScalars.append(scalar)
            }
        }
        bytes.append(contentsOf: escaped.utf8)
        bytes.append(UInt8(ascii: "\""))
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
