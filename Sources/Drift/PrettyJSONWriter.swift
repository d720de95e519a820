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
    /// Per open container, one bit: whether it has a member yet (bit `depth - 1` is the innermost). Bits, not
    /// an array of flags: the array's uniqueness and bounds checks at every member were a tenth of the writing.
    private var memberBits: UInt64 = 0
    /// How many containers are open.
    private var depth = 0
    /// Where a streaming writer hands its bytes (see `init(handingOverEvery:to:)`); nil while the writer keeps
    /// its whole document.
    private var sink: ((UnsafeRawBufferPointer) -> Bool)?
    /// How many bytes a streaming writer gathers before it hands them over.
    private var handOverAt = Int.max
    /// Whether the sink refused bytes: it is then handed nothing more.
    private var sinkRefused = false

    public init(capacity: Int = 4096) {
        self.capacity = max(64, capacity)
        base = malloc(self.capacity).assumingMemoryBound(to: UInt8.self)
    }

    /// A writer that hands its bytes to `sink` in pieces of about `threshold` bytes (once that many have
    /// gathered, before an element of an array of `PrettyJSONWritable` values), and the rest at
    /// `finishHandingOver()`: a document of any size is written from one buffer, reused. `sink` returns false
    /// when it could not take the bytes; it is then handed nothing more.
    ///
    /// A run's snapshot is written so, to its file: kept whole, its 25 MB were fresh memory, faulted in page
    /// by page, then copied out of memory no cache held any more.
    public init(handingOverEvery threshold: Int, to sink: @escaping (UnsafeRawBufferPointer) -> Bool) {
        self.init(capacity: threshold + threshold / 2)
        self.sink = sink
        handOverAt = threshold
    }

    /// The deepest nesting the writer supports (egressmap's documents are under ten deep).
    public static let maximumDepth = 64

    deinit {
        if ownsBuffer { free(base) }
    }

    /// The document so far (of a streaming writer: what it has not handed over yet), copied.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The document and a final newline, handed over without a copy.
    public consuming func finishedData() -> Data {
        precondition(sink == nil, "a streaming writer hands its bytes over with finishHandingOver()")
        append(UInt8(ascii: "\n"))
        ownsBuffer = false
        return Data(bytesNoCopy: base, count: count, deallocator: .free)
    }

    /// A streaming writer's last bytes and a final newline, handed to its sink.
    /// - Returns: whether the sink took every piece.
    public consuming func finishHandingOver() -> Bool {
        append(UInt8(ascii: "\n"))
        handOver()
        return !sinkRefused
    }

    /// Hands the bytes gathered so far to the sink, and starts again at the buffer's start.
    private mutating func handOver() {
        if !sinkRefused, let sink {
            sinkRefused = !sink(UnsafeRawBufferPointer(start: base, count: count))
        }
        count = 0
    }

    /// Before an element of a large array: a streaming writer hands over what it has gathered, once enough.
    @inline(__always)
    mutating func handOverIfDue() {
        if count >= handOverAt { handOver() }
    }

    // MARK: - Containers

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts an object member: the separator, the indent and `"name" : `. `name` must need no escape.
    ///
    /// Room for all of it is made once and the bytes are stored unchecked: a snapshot has a quarter of a
    /// million keys, and a capacity check per piece cost more than the copying.
    public mutating func key(_ name: StaticString) {
        name.withUTF8Buffer { name in
            reserve(Self.memberStartBytes(depth) + 1 + name.count + 4)
            storeMemberStart()
            storeUnchecked(UInt8(ascii: "\""))
            storeUnchecked(name)
            storeUnchecked(UInt8(ascii: "\""))
            storeUnchecked(UInt8(ascii: " "))
            storeUnchecked(UInt8(ascii: ":"))
            storeUnchecked(UInt8(ascii: " "))
        }
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
        // Nearly every lookup's `rounds` has one outcome: nothing to sort (sorting made an array per lookup).
        if values.count == 1, let entry = values.first {
            key(string: entry.key)
            number(entry.value)
            return endObject()
        }
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

    private mutating func open(_ byte: UInt8) {
        precondition(depth < Self.maximumDepth - 1, "JSON nested deeper than \(Self.maximumDepth - 1)")
        append(byte)
        depth += 1
        memberBits &= ~(1 << UInt64(depth - 1))
    }

    private mutating func startMember() {
        reserve(Self.memberStartBytes(depth))
        storeMemberStart()
    }

    /// The most bytes `storeMemberStart()` stores: a comma, a newline and the indent.
    @inline(__always)
    private static func memberStartBytes(_ depth: Int) -> Int { 2 + 2 * depth }

    /// The separator before a member of the innermost container and its indent, into room already made.
    @inline(__always)
    private mutating func storeMemberStart() {
        let bit: UInt64 = 1 << UInt64(depth - 1)
        if memberBits & bit != 0 {
            storeUnchecked(UInt8(ascii: ","))
        } else {
            memberBits |= bit
        }
        storeUnchecked(UInt8(ascii: "\n"))
        storeIndent(depth)
    }

    private mutating func close(_ byte: UInt8) {
        let bit: UInt64 = 1 << UInt64(depth - 1)
        let hadMembers = memberBits & bit != 0
        memberBits &= ~bit
        depth -= 1
        reserve(3 + 2 * depth)
        storeUnchecked(UInt8(ascii: "\n"))
        if !hadMembers { storeUnchecked(UInt8(ascii: "\n")) }
        storeIndent(depth)
        storeUnchecked(byte)
    }

    @inline(__always)
    private mutating func storeIndent(_ level: Int) {
        (base + count).initialize(repeating: UInt8(ascii: " "), count: 2 * level)
        count += 2 * level
    }

    /// Stores a byte into room already made with `reserve(_:)`.
    @inline(__always)
    private mutating func storeUnchecked(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    /// Stores bytes into room already made with `reserve(_:)`.
    @inline(__always)
    private mutating func storeUnchecked(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
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
    ///
    /// Read through the UTF-8 view's own storage, not `withUTF8` on a copy: the copy retained and released
    /// every string written (a snapshot has several hundred thousand).
    private mutating func appendQuoted(_ value: String) {
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { appendQuoted(utf8: $0) }
        if done == nil {  // a string not stored as UTF-8 (bridged): made native first
            var native = value
            native.withUTF8 { appendQuoted(utf8: $0) }
        }
    }

    private mutating func appendQuoted(utf8 text: UnsafeBufferPointer<UInt8>) {
        reserve(text.count + 2)
        storeUnchecked(UInt8(ascii: "\""))
        var start = 0
        for index in 0..<text.count {
            let byte = text[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            append(text[start..<index])
            appendEscape(byte)
            start = index + 1
        }
        append(text[start...])
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
public protocol PrettyJSONWritable: Encodable {
    func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber)
}
