import Foundation

/// Writes JSON as bytes in exactly the form Foundation's `JSONEncoder` gives with `.sortedKeys`,
/// `.prettyPrinted` and `.withoutEscapingSlashes` (the form of every document egressmap writes), without
/// building Foundation's tree of values first: for a 10,000-name run that tree cost a quarter of the run.
///
/// The form: two-space indents, `"key" : value`, `,` then a new line between members, an empty container as
/// `[` newline newline indent `]`; strings escape `"`, `\`, and control characters (`\b \f \n \r \t`, others
/// as `\u00xx` in lower-case hex), everything else as it is; a `Double` as its `description` without a
/// trailing `.0`. Keys must come in UTF-8 byte order: callers write them in that order, and
/// `sortedKeys(_:)` orders a dictionary's. `SnapshotWritingTests` compares the output with Foundation's.
public struct PrettyJSONWriter: ~Copyable {
    /// The document so far: `count` bytes from `base`, in a buffer of `capacity` from `malloc` (appending
    /// to it costs a fraction of appending to an array, which checks its uniqueness at every byte).
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Whether `base` is still this writer's to free (`finishedData()` hands it over).
    private var ownsBuffer = true
    /// Per open container, whether it has a member yet.
    private var hasMember: [Bool] = []
    /// The document's earlier parts, handed over as values encoded ahead were put in place (see
    /// `encoded(_:)`); `base` holds what follows the last of them.
    private var parts: [Data] = []

    public init(capacity: Int = 4096) {
        self.capacity = max(64, capacity)
        base = malloc(self.capacity).assumingMemoryBound(to: UInt8.self)
    }

    /// A writer for a value that will sit `depth` containers deep in another document, after a key or
    /// separator there (see `EncodedJSON`): its indents are those it will have in place.
    public init(capacity: Int = 4096, nestedIn depth: Int) {
        self.init(capacity: capacity)
        hasMember = Array(repeating: true, count: depth)
    }

    deinit {
        if ownsBuffer { free(base) }
    }

    /// The document so far, copied.
    public var bytes: [UInt8] { parts.flatMap { $0 } + UnsafeBufferPointer(start: base, count: count) }

    /// The document and a final newline, handed over without a copy (unless values encoded ahead were put
    /// in it: then its parts are joined).
    public consuming func finishedData() -> Data {
        let parts = finishedParts()
        guard parts.count > 1 else { return parts[0] }
        return parts.reduce(into: Data(capacity: parts.reduce(0) { $0 + $1.count })) { $0.append($1) }
    }

    /// The document and a final newline in parts, each handed over without a copy: a value encoded ahead
    /// (`encoded(_:)`) is a part of its own, so a file can be written from them without joining them.
    public consuming func finishedParts() -> [Data] {
        append(UInt8(ascii: "\n"))
        ownsBuffer = false
        return parts + [Data(bytesNoCopy: base, count: count, deallocator: .free)]
    }

    /// A value encoded ahead, in place: its bytes as they are, kept as a part of their own (the bytes so
    /// far become another part, and the writer goes on in a new buffer), not copied.
    public mutating func encoded(_ value: EncodedJSON) {
        parts.append(Data(bytesNoCopy: base, count: count, deallocator: .free))
        parts.append(value.bytes)
        base = malloc(capacity).assumingMemoryBound(to: UInt8.self)
        count = 0
    }

    /// The bytes written so far, handed over without a copy as a value encoded ahead (see
    /// `init(capacity:nestedIn:)`).
    public consuming func finishedEncoded() -> EncodedJSON {
        ownsBuffer = false
        return EncodedJSON(bytes: Data(bytesNoCopy: base, count: count, deallocator: .free))
    }

    // MARK: - Containers

    public mutating func beginObject() { append(UInt8(ascii: "{")); hasMember.append(false) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { append(UInt8(ascii: "[")); hasMember.append(false) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts an object member: the separator, the indent and `"name" : `. `name` must need no escape.
    public mutating func key(_ name: StaticString) {
        startMember()
        append(UInt8(ascii: "\""))
        name.withUTF8Buffer { append($0) }
        append(Self.keySeparator)
    }

    /// Starts an object member whose key is data (a dictionary's key), escaped as a string.
    public mutating func key(string name: String) {
        startMember()
        appendQuoted(name)
        append(" : ")
    }

    /// Starts an array element: the separator and the indent. The value follows.
    public mutating func element() { startMember() }

    // MARK: - Values

    public mutating func string(_ value: String) { appendQuoted(value) }
    public mutating func bool(_ value: Bool) { append(value ? "true" : "false") }
    public mutating func null() { append("null") }

    public mutating func number(_ value: Int) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            appendDigits(UInt64(value.magnitude))
        } else {
            appendDigits(UInt64(value))
        }
    }

    public mutating func number(_ value: Int64) { number(Int(value)) }
    public mutating func number(_ value: UInt32) { appendDigits(UInt64(value)) }

    /// A finite `Double` as Foundation writes it: `description`, less a trailing `.0` (`25`, `0.5`, `1e-07`).
    /// - Throws: `NonFiniteNumber` for NaN and the infinities, which JSON cannot hold (Foundation refuses too).
    public mutating func number(_ value: Double) throws(NonFiniteNumber) {
        guard value.isFinite else { throw NonFiniteNumber(value: value) }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        text.withUTF8 { append($0) }
    }

    // MARK: - Members with their keys

    public mutating func member(_ name: StaticString, _ value: String) { key(name); string(value) }
    public mutating func member(_ name: StaticString, _ value: Int) { key(name); number(value) }
    public mutating func member(_ name: StaticString, _ value: Int64) { key(name); number(value) }
    public mutating func member(_ name: StaticString, _ value: UInt32) { key(name); number(value) }
    public mutating func member(_ name: StaticString, _ value: Bool) { key(name); bool(value) }

    /// Optional members are left out when nil, as Foundation's synthesized `encodeIfPresent` does.
    public mutating func member(_ name: StaticString, _ value: String?) { if let value { member(name, value) } }
    public mutating func member(_ name: StaticString, _ value: Int?) { if let value { member(name, value) } }
    public mutating func member(_ name: StaticString, _ value: UInt32?) { if let value { member(name, value) } }

    public mutating func member(_ name: StaticString, _ values: [String]) {
        key(name)
        beginArray()
        for value in values {
            element()
            string(value)
        }
        endArray()
    }

    public mutating func member(_ name: StaticString, _ values: [Int]) {
        key(name)
        beginArray()
        for value in values {
            element()
            number(value)
        }
        endArray()
    }

    /// A dictionary as an object, its keys in UTF-8 byte order.
    public mutating func member(_ name: StaticString, _ values: [String: Int]) {
        key(name)
        beginObject()
        for entry in Self.sortedKeys(values) {
            key(string: entry.key)
            number(entry.value)
        }
        endObject()
    }

    public mutating func member(_ name: StaticString, _ values: [String: String]) {
        key(name)
        beginObject()
        for entry in Self.sortedKeys(values) {
            key(string: entry.key)
            string(entry.value)
        }
        endObject()
    }

    /// A dictionary's entries in the order Foundation writes them on Linux: keys compared byte by byte.
    public static func sortedKeys<Value>(_ values: [String: Value]) -> [(key: String, value: Value)] {
        values.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    // MARK: - Bytes

    /// What follows a key's text: its closing quote, then ` : `.
    private static let keySeparator: StaticString = "\" : "

    private mutating func startMember() {
        let last = hasMember.count - 1
        if hasMember[last] {
            append(UInt8(ascii: ","))
        } else {
            hasMember[last] = true
        }
        append(UInt8(ascii: "\n"))
        indent(hasMember.count)
    }

    private mutating func close(_ byte: UInt8) {
        let hadMembers = hasMember.removeLast()
        append(UInt8(ascii: "\n"))
        if !hadMembers { append(UInt8(ascii: "\n")) }
        indent(hasMember.count)
        append(byte)
    }

    private mutating func indent(_ level: Int) {
        reserve(2 * level)
        (base + count).initialize(repeating: UInt8(ascii: " "), count: 2 * level)
        count += 2 * level
    }

    /// Room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        capacity = max(needed, capacity * 2)
        guard let moved = realloc(base, capacity) else { fatalError("out of memory for a \(capacity)-byte document") }
        base = moved.assumingMemoryBound(to: UInt8.self)
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    private mutating func append(_ text: Slice<UnsafeBufferPointer<UInt8>>) {
        append(UnsafeBufferPointer(rebasing: text))
    }

    private mutating func appendDigits(_ value: UInt64) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        reserve(digits)
        rest = value
        for offset in stride(from: digits - 1, through: 0, by: -1) {
            base[count + offset] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        count += digits
    }

    /// `value` as a JSON string; strings with nothing to escape (nearly all) are copied whole.
    private mutating func appendQuoted(_ value: String) {
        append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { text in
            var start = 0
            for index in 0..<text.count {
                let byte = text[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                append(text[start..<index])
                appendEscape(byte)
                start = index + 1
            }
            append(text[start...])
        }
        append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(byte)
        case 0x08: append(UInt8(ascii: "b"))
        case 0x0C: append(UInt8(ascii: "f"))
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0D: append(UInt8(ascii: "r"))
        case 0x09: append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            append("u00")
            hex.withUTF8Buffer { digits in
                append(digits[Int(byte >> 4)])
                append(digits[Int(byte & 0xF)])
            }
        }
    }
}

/// NaN or an infinity, which a JSON number cannot hold.
public struct NonFiniteNumber: Error, Sendable, CustomStringConvertible {
    public var value: Double
    public var description: String { "cannot write \(value) as a JSON number" }
}

/// A value that writes itself with `PrettyJSONWriter`, in the same bytes its `Encodable` form gives through
/// `SnapshotCoding.encodeWithFoundation`.
/// Part of a document encoded ahead, on its own, at the depth it has in the document: a run encodes its
/// snapshot's names while the rest of the run is still being worked out.
public struct EncodedJSON: Sendable {
    let bytes: Data
}

public protocol PrettyJSONWritable: Encodable {
    func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber)
}
