/// A small JSON writer for the documents egressmap streams (JSON Lines), where Foundation's encoder
/// would cost more than the lookups; keys come out in the order written.
///
/// Everything is appended as bytes, numbers included: `egressmap resolve --json` writes a line per name,
/// and a `String` per number or per value cost more than the lookups themselves.
public struct JSONText: Sendable {
    /// The document's UTF-8 bytes: appending to bytes costs a fraction of appending to a `String`.
    public private(set) var bytes: [UInt8] = []
    /// Per open container, one bit: whether the next member needs a comma before it (bit 0 is the innermost).
    private var commaBits: UInt64 = 0
    private var depth = 0
    private var suppressNextComma = false

    /// The deepest nesting the writer supports.
    public static let maximumDepth = 64

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// The document as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the document and keeps its storage, to write the next one into it.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        commaBits = 0
        depth = 0
        suppressNextComma = false
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    @_disfavoredOverload
    public mutating func key(_ name: String) {
        separate()
        Self.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        suppressNextComma = true
    }

    /// A key written in the source: chosen over `key(_: String)` for literals, and cheaper (a document of
    /// many small objects spends much of its time on keys).
    public mutating func key(_ name: StaticString) {
        separate()
        let utf8 = name.hasPointerRepresentation
            ? UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount) : nil
        if let utf8, !utf8.contains(where: Self.needsEscape) {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
        } else {
            Self.appendString(name.description, to: &bytes)
        }
        bytes.append(UInt8(ascii: ":"))
        suppressNextComma = true
    }

    public mutating func string(_ value: String) {
        separateValue()
        Self.appendString(value, to: &bytes)
    }

    public mutating func number(_ value: Int) {
        separateValue()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        Self.appendDecimal(value.magnitude, to: &bytes)
    }

    public mutating func number(_ value: UInt32) {
        separateValue()
        Self.appendDecimal(UInt(value), to: &bytes)
    }

    /// A number with at most `decimals` digits after the point, trailing zeros dropped (`2.5`, `0.397`, `3`).
    public mutating func number(_ value: Double, decimals: Int = 3) {
        separateValue()
        guard value.isFinite else { return appendLiteral("null") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e18 else {  // past the integer path (never a duration or a count): Swift's form
            return bytes.append(contentsOf: value.description.utf8)
        }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        var fraction = units - whole * UInt64(scale)
        if value < 0 && units > 0 { bytes.append(UInt8(ascii: "-")) }
        Self.appendDecimal(UInt(whole), to: &bytes)
        guard fraction > 0 else { return }
        var digits = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        bytes.append(UInt8(ascii: "."))
        let start = bytes.count
        Self.appendDecimal(UInt(fraction), to: &bytes)
        let zeros = digits - (bytes.count - start)
        if zeros > 0 { bytes.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: zeros), at: start) }
    }

    public mutating func bool(_ value: Bool) {
        separateValue()
        appendLiteral(value ? "true" : "false")
    }

    public mutating func null() {
        separateValue()
        appendLiteral("null")
    }

    /// A string value that `body` appends straight to the bytes, for text made by egressmap itself that
    /// needs no escape (an address: digits, dots, colons, hex), never text from outside.
    public mutating func plainString(writing body: (inout [UInt8]) -> Void) {
        separateValue()
        bytes.append(UInt8(ascii: "\""))
        body(&bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    @_disfavoredOverload
    public mutating func string(_ key: String, _ value: String?) {
        self.key(key)
        if let value { string(value) } else { null() }
    }

    public mutating func string(_ key: StaticString, _ value: String?) {
        self.key(key)
        if let value { string(value) } else { null() }
    }

    @_disfavoredOverload
    public mutating func number(_ key: String, _ value: UInt32?) {
        self.key(key)
        if let value { number(value) } else { null() }
    }

    public mutating func number(_ key: StaticString, _ value: UInt32?) {
        self.key(key)
        if let value { number(value) } else { null() }
    }

    private mutating func open(_ bracket: UInt8) {
        separateValue()
        precondition(depth < Self.maximumDepth, "JSONText nests at most \(Self.maximumDepth) deep")
        bytes.append(bracket)
        commaBits <<= 1
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        precondition(depth > 0, "JSONText: a close without an open")
        commaBits >>= 1
        depth -= 1
        bytes.append(bracket)
    }

    private mutating func appendLiteral(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func separate() {
        guard depth > 0 else { return }
        if commaBits & 1 != 0 { bytes.append(UInt8(ascii: ",")) }
        commaBits |= 1
    }

    private mutating func separateValue() {
        if suppressNextComma {
            suppressNextComma = false
        } else {
            separate()
        }
    }

    /// Appends the decimal digits of `value`.
    static func appendDecimal(_ value: UInt, to bytes: inout [UInt8]) {
        guard value >= 10 else { return bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for UInt.max's 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = value
            var index = buffer.count
            while rest > 0 {
                index -= 1
                buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: buffer[index...])
        }
    }

    /// Appends `value` as a JSON string: quotes, backslashes and control characters escaped.
    ///
    /// Most strings (names, addresses, outcomes) need no escape: they are appended whole and the appended
    /// bytes checked once; only a string with something to escape goes scalar by scalar.
    static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        let plain = value.withUTF8 { utf8 in
            guard !utf8.contains(where: needsEscape) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if !plain { appendEscaped(value, to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether `byte` is a quote, a backslash, a control character or the lead byte of U+2028/U+2029
    /// (0xE2, which also starts other characters: those take the careful path too).
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2
    }

    private static func appendEscaped(_ value: String, to bytes: inout [UInt8]) {
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
    }
}
