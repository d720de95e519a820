#if canImport(Glibc)
import Glibc
#endif
import IPNet

/// A small JSON writer for the documents egressmap streams (JSON Lines), where Foundation's encoder
/// would cost more than the lookups; keys come out in the order written.
///
/// Everything is appended as bytes, numbers included, to memory of its own: `egressmap resolve --json`
/// writes a line of about 600 bytes per name, and a `String` per value, or an `Array` append per byte
/// (each one a uniqueness check), cost more than the lookups themselves. The writer is not copyable, so
/// the memory has one owner and appending needs no check but the capacity.
public struct JSONText: ~Copyable, @unchecked Sendable {
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Per open container, one bit: whether the next member needs a comma before it (bit 0 is the innermost).
    private var commaBits: UInt64 = 0
    private var depth = 0
    private var suppressNextComma = false
    /// Where `plainString(writing:)` has its text made, reused.
    private var scratch: [UInt8] = []

    /// The deepest nesting the writer supports.
    public static let maximumDepth = 64

    public init(capacity: Int = 1024) {
        self.capacity = max(16, capacity)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    /// The document's UTF-8 bytes, copied.
    public var bytes: [UInt8] { withBytes { Array($0) } }

    /// Runs `body` with the document's UTF-8 bytes, valid only inside `body`.
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: start, count: count))
    }

    /// The document as text.
    public var text: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    /// Empties the document and keeps its storage, to write the next one into it.
    public mutating func reset() {
        count = 0
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
        appendString(name)
        append(UInt8(ascii: ":"))
        suppressNextComma = true
    }

    /// A key written in the source: chosen over `key(_: String)` for literals, and cheaper (a document of
    /// many small objects spends much of its time on keys).
    public mutating func key(_ name: StaticString) {
        separate()
        let utf8 = name.hasPointerRepresentation
            ? UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount) : nil
        if let utf8, !utf8.contains(where: Self.needsEscape) {
            reserve(utf8.count + 3)
            start[count] = UInt8(ascii: "\"")
            UnsafeMutableRawPointer(start + count + 1).copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
            count += utf8.count + 1
            start[count] = UInt8(ascii: "\"")
            start[count + 1] = UInt8(ascii: ":")
            count += 2
        } else {
            appendString(name.description)
            append(UInt8(ascii: ":"))
        }
        suppressNextComma = true
    }

    public mutating func string(_ value: String) {
        separateValue()
        appendString(value)
    }

    public mutating func number(_ value: Int) {
        separateValue()
        if value < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
    }

    public mutating func number(_ value: UInt32) {
        separateValue()
        appendDecimal(UInt(value))
    }

    /// A number with at most `decimals` digits after the point, trailing zeros dropped (`2.5`, `0.397`, `3`).
    public mutating func number(_ value: Double, decimals: Int = 3) {
        separateValue()
        appendNumber(value, decimals: decimals)
    }

    private mutating func appendNumber(_ value: Double, decimals: Int) {
        guard value.isFinite else { return appendLiteral("null") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e18 else {  // past the integer path (never a duration or a count): Swift's form
            var text = value.description
            return text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
        }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        var fraction = units - whole * UInt64(scale)
        if value < 0 && units > 0 { append(UInt8(ascii: "-")) }
        appendDecimal(UInt(whole))
        guard fraction > 0 else { return }
        var digits = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        append(UInt8(ascii: "."))
        let leadingZeros = digits - Self.decimalDigits(UInt(fraction))
        for _ in 0..<max(0, leadingZeros) { append(UInt8(ascii: "0")) }
        appendDecimal(UInt(fraction))
    }

    public mutating func bool(_ value: Bool) {
        separateValue()
        appendLiteral(value ? "true" : "false")
    }

    public mutating func null() {
        separateValue()
        appendLiteral("null")
    }

    /// A string value that `body` appends to the bytes it is given, for text made by egressmap itself that
    /// needs no escape (an address: digits, dots, colons, hex), never text from outside.
    public mutating func plainString(writing body: (inout [UInt8]) -> Void) {
        separateValue()
        plainStringValue(writing: body)
    }

    private mutating func plainStringValue(writing body: (inout [UInt8]) -> Void) {
        scratch.removeAll(keepingCapacity: true)
        body(&scratch)
        reserve(scratch.count + 2)
        append(UInt8(ascii: "\""))
        scratch.withUnsafeBytes { append($0) }
        append(UInt8(ascii: "\""))
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

    // MARK: Fragments: for a writer that lays out an object's members itself

    /// Appends `text`, JSON written in the source (keys with their colons, commas, brackets, constant
    /// values), as it is: no comma is added and none is remembered. For a writer that lays out the members
    /// of an object it opened with `beginObject()` and closes with `endObject()`, where a line of
    /// constant keys costs less as a few fragments (`,"ttl":`) than as a call per key and value.
    ///
    /// Inlined, so that a literal's length is known where it is copied and the copy is a few moves.
    @inline(__always)
    public mutating func fragment(_ text: StaticString) {
        text.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }  // also a one-character literal, not a pointer
    }

    /// Appends `value` as a JSON string (quoted, escaped as `string` does), with nothing before it.
    public mutating func fragmentValue(_ value: String) { appendString(value) }

    /// Appends `value` as `number` does, with nothing before it.
    public mutating func fragmentValue(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
    }

    /// Appends `value` as `number` does, with nothing before it.
    public mutating func fragmentValue(_ value: UInt32) { appendDecimal(UInt(value)) }

    /// Appends `value` as `number(_:decimals:)` does, with nothing before it.
    public mutating func fragmentValue(_ value: Double, decimals: Int = 3) { appendNumber(value, decimals: decimals) }

    /// Appends `address` as a JSON string in its usual text (`192.0.2.1`, `2001:db8::1`), with nothing
    /// before it; an IPv4 address is written straight into the document.
    public mutating func fragmentValue(_ address: IPAddress) {
        guard case .v4(let v4) = address else {
            return plainStringValue { address.appendText(to: &$0) }
        }
        reserve(17)
        start[count] = UInt8(ascii: "\"")
        count += 1
        appendDecimal(UInt(v4.value >> 24))
        start[count] = UInt8(ascii: ".")
        count += 1
        appendDecimal(UInt(v4.value >> 16 & 0xFF))
        start[count] = UInt8(ascii: ".")
        count += 1
        appendDecimal(UInt(v4.value >> 8 & 0xFF))
        start[count] = UInt8(ascii: ".")
        count += 1
        appendDecimal(UInt(v4.value & 0xFF))
        start[count] = UInt8(ascii: "\"")
        count += 1
    }

    private mutating func open(_ bracket: UInt8) {
        separateValue()
        precondition(depth < Self.maximumDepth, "JSONText nests at most \(Self.maximumDepth) deep")
        append(bracket)
        commaBits <<= 1
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        precondition(depth > 0, "JSONText: a close without an open")
        commaBits >>= 1
        depth -= 1
        append(bracket)
    }

    private mutating func appendLiteral(_ literal: StaticString) {
        literal.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
    }

    private mutating func separate() {
        guard depth > 0 else { return }
        if commaBits & 1 != 0 { append(UInt8(ascii: ",")) }
        commaBits |= 1
    }

    private mutating func separateValue() {
        if suppressNextComma {
            suppressNextComma = false
        } else {
            separate()
        }
    }

    // MARK: The bytes

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: start, count: count)
        start.deallocate()
        start = moved
        capacity = larger
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        start[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        reserve(raw.count)
        UnsafeMutableRawPointer(start + count).copyMemory(from: base, byteCount: raw.count)
        count += raw.count
    }

    /// How many decimal digits `value` has.
    private static func decimalDigits(_ value: UInt) -> Int {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return digits
    }

    /// Appends the decimal digits of `value`.
    @inline(__always)
    private mutating func appendDecimal(_ value: UInt) {
        guard value >= 10 else { return append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)) }
        if value < 1000 {  // most numbers written (TTLs, octets, rounds): no digit count, no loop
            reserve(3)
            let hundreds = UInt8(truncatingIfNeeded: value / 100)
            if hundreds > 0 {
                start[count] = UInt8(ascii: "0") &+ hundreds
                count += 1
            }
            start[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10 % 10)
            start[count + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
            count += 2
            return
        }
        appendLongDecimal(value)
    }

    /// `appendDecimal` past three digits, kept out of line.
    private mutating func appendLongDecimal(_ value: UInt) {
        let digits = Self.decimalDigits(value)
        reserve(digits)
        var rest = value
        var index = count + digits
        while index > count {
            index -= 1
            start[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        count += digits
    }

    /// Appends `value` as a JSON string: quotes, backslashes and control characters escaped.
    ///
    /// Most strings (names, addresses, outcomes) need no escape: they are checked and appended whole;
    /// only a string with something to escape goes scalar by scalar.
    private mutating func appendString(_ value: String) {
        // A native string's bytes are read where they are; another (bridged, say) is copied first.
        let plain = value.utf8.withContiguousStorageIfAvailable { appendPlain($0) } ?? {
            var copy = value
            return copy.withUTF8 { appendPlain($0) }
        }()
        if !plain {
            append(UInt8(ascii: "\""))
            var escaped = Self.escaped(value)
            escaped.withUTF8 { append(UnsafeRawBufferPointer($0)) }
            append(UInt8(ascii: "\""))
        }
    }

    /// Appends `utf8` quoted when it needs no escape; returns whether it did.
    private mutating func appendPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !utf8.contains(where: Self.needsEscape) else { return false }
        reserve(utf8.count + 2)
        start[count] = UInt8(ascii: "\"")
        if let base = utf8.baseAddress {
            UnsafeMutableRawPointer(start + count + 1).copyMemory(from: base, byteCount: utf8.count)
        }
        start[count + 1 + utf8.count] = UInt8(ascii: "\"")
        count += utf8.count + 2
        return true
    }

    /// Whether `byte` is a quote, a backslash, a control character or the lead byte of U+2028/U+2029
    /// (0xE2, which also starts other characters: those take the careful path too).
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2
    }

    private static func escaped(_ value: String) -> String {
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
        return escaped
    }
}
