/// Reads JSON straight from bytes into the types that ask for it, without Foundation's `JSONDecoder` and its
/// tree of values (which took about a second for a 10,000-name snapshot).
///
/// A type walks its object with `beginObject()` and `nextKey()`, reads each member it knows and skips the
/// rest (as `Decodable` ignores unknown keys). The grammar is RFC 8259's, checked as it goes: a malformed
/// document gives a `JSONReadError` with its line, column and the path to the value, never a crash.
public struct JSONByteReader {
    /// Containers nested deeper than this are refused (as Foundation's decoder does), so hostile input
    /// cannot exhaust the stack.
    public static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next unread byte.
    private(set) var position = 0
    /// Per open container, whether a member or element was read yet (for the commas).
    private var started: [Bool] = []

    /// Reads from `bytes`, which must outlive the reader.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    // MARK: - Containers

    /// Starts an object. - Throws: when the next value is not one.
    public mutating func beginObject() throws(JSONReadError) {
        try open(UInt8(ascii: "{"), "an object")
    }

    /// The next key of the open object, or nil (the object closed) at its `}`.
    public mutating func nextKey() throws(JSONReadError) -> String? {
        guard try nextMember(closedBy: UInt8(ascii: "}")) else { return nil }
        guard peek() == UInt8(ascii: "\"") else { throw failure(expected: "a key in quotes") }
        let key = try readString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw failure(expected: "':' after the key") }
        position += 1
        return key
    }

    /// Starts an array. - Throws: when the next value is not one.
    public mutating func beginArray() throws(JSONReadError) {
        try open(UInt8(ascii: "["), "a list")
    }

    /// Whether the open array has another element (read it next); false at its `]`, which is consumed.
    public mutating func nextElement() throws(JSONReadError) -> Bool {
        try nextMember(closedBy: UInt8(ascii: "]"))
    }

    /// Reads an object, handing each key to `member`, which reads or skips its value; an error in a member
    /// names its key in the path.
    public mutating func readObject(
        _ member: (String, inout JSONByteReader) throws(JSONReadError) -> Void
    ) throws(JSONReadError) {
        try beginObject()
        while let key = try nextKey() {
            do throws(JSONReadError) { try member(key, &self) } catch { throw error.inside(key) }
        }
    }

    /// Reads an array, handing each element to `element`; an error in one names its index in the path.
    public mutating func readArray(_ element: (inout JSONByteReader) throws(JSONReadError) -> Void) throws(JSONReadError) {
        try beginArray()
        var index = 0
        while try nextElement() {
            do throws(JSONReadError) { try element(&self) } catch { throw error.inside("[\(index)]") }
            index += 1
        }
    }

    /// Reads an object for its member `key` alone, read by `value`; the other members are skipped.
    public mutating func member<Value>(
        _ key: String, _ value: (inout JSONByteReader) throws(JSONReadError) -> Value
    ) throws(JSONReadError) -> Value {
        var found: Value?
        try readObject { name, json throws(JSONReadError) in
            if name == key { found = try value(&json) } else { try json.skipValue() }
        }
        return try required(found, key)
    }

    /// `value`, or the error for a member that was missing from the object just read.
    public func required<Value>(_ value: Value?, _ key: String) throws(JSONReadError) -> Value {
        guard let value else { throw failure(found: "no '\(key)' member", expected: "one") }
        return value
    }

    /// Whether the document has nothing but white space left.
    public mutating func atEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    // MARK: - Values

    public mutating func string() throws(JSONReadError) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw failure(expected: "a string") }
        return try readString()
    }

    /// A string, or nil for `null`.
    public mutating func optionalString() throws(JSONReadError) -> String? {
        try consumeNull() ? nil : string()
    }

    public mutating func bool() throws(JSONReadError) -> Bool {
        skipWhitespace()
        if matchWord("true") { return true }
        if matchWord("false") { return false }
        throw failure(expected: "true or false")
    }

    /// An integer: digits, or a number with a fraction or exponent whose value is whole (`1.0`, `1e3`).
    public mutating func int() throws(JSONReadError) -> Int {
        skipWhitespace()
        guard startsNumber() else { throw failure(expected: "a whole number") }
        let start = position
        let plain = try scanNumber()
        if plain, let value = Int(decimal: bytes, start..<position) { return value }
        if !plain, let value = Double(text(start..<position)), value.rounded() == value,
            value >= -0x1p63, value < 0x1p63
        {
            return Int(value)
        }
        position = start
        throw failure(expected: "a whole number that fits in 64 bits")
    }

    public mutating func optionalInt() throws(JSONReadError) -> Int? {
        try consumeNull() ? nil : int()
    }

    public mutating func uint32() throws(JSONReadError) -> UInt32 {
        let start = position
        let value = try int()
        guard let narrow = UInt32(exactly: value) else {
            position = start
            skipWhitespace()
            throw failure(expected: "a whole number from 0 to \(UInt32.max)")
        }
        return narrow
    }

    public mutating func optionalUInt32() throws(JSONReadError) -> UInt32? {
        try consumeNull() ? nil : uint32()
    }

    public mutating func int64() throws(JSONReadError) -> Int64 { Int64(try int()) }

    public mutating func double() throws(JSONReadError) -> Double {
        skipWhitespace()
        guard startsNumber() else { throw failure(expected: "a number") }
        let start = position
        try scanNumber()
        guard let value = Double(text(start..<position)), value.isFinite else {
            position = start
            throw failure(expected: "a number a Double can hold")
        }
        return value
    }

    public mutating func optionalDouble() throws(JSONReadError) -> Double? {
        try consumeNull() ? nil : double()
    }

    public mutating func strings() throws(JSONReadError) -> [String] {
        var values: [String] = []
        try beginArray()
        while try nextElement() {
            do throws(JSONReadError) { values.append(try string()) } catch { throw error.inside("[\(values.count)]") }
        }
        return values
    }

    public mutating func ints() throws(JSONReadError) -> [Int] {
        var values: [Int] = []
        try beginArray()
        while try nextElement() {
            do throws(JSONReadError) { values.append(try int()) } catch { throw error.inside("[\(values.count)]") }
        }
        return values
    }

    /// An object of string keys and whole numbers (`{"ok": 3}`).
    public mutating func intsByKey() throws(JSONReadError) -> [String: Int] {
        var values: [String: Int] = [:]
        try beginObject()
        while let key = try nextKey() {
            do throws(JSONReadError) { values[key] = try int() } catch { throw error.inside(key) }
        }
        return values
    }

    public mutating func stringsByKey() throws(JSONReadError) -> [String: String] {
        var values: [String: String] = [:]
        try beginObject()
        while let key = try nextKey() {
            do throws(JSONReadError) { values[key] = try string() } catch { throw error.inside(key) }
        }
        return values
    }

    /// An array of values that read themselves, each error naming the element's index.
    public mutating func array<Element: JSONReadable>(of type: Element.Type) throws(JSONReadError) -> [Element] {
        var values: [Element] = []
        try beginArray()
        while try nextElement() {
            do throws(JSONReadError) {
                values.append(try Element(json: &self))
            } catch {
                throw error.inside("[\(values.count)]")
            }
        }
        return values
    }

    /// A value that reads itself, or nil for `null`.
    public mutating func optional<Value: JSONReadable>(_ type: Value.Type) throws(JSONReadError) -> Value? {
        try consumeNull() ? nil : Value(json: &self)
    }

    /// Skips one value of any kind, checking its syntax (a member the reader does not know).
    public mutating func skipValue() throws(JSONReadError) {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            _ = try bool()
        case UInt8(ascii: "n"):
            guard matchWord("null") else { throw failure(expected: "a value") }
        default:
            try scanNumber()
        }
    }

    /// An error for a value that parsed but is not acceptable, at the current position.
    public func invalid(_ found: String, expected: String) -> JSONReadError {
        failure(found: found, expected: expected)
    }

    // MARK: - Scanning

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func open(_ bracket: UInt8, _ what: String) throws(JSONReadError) {
        skipWhitespace()
        guard peek() == bracket else { throw failure(expected: what) }
        guard started.count < Self.maximumDepth else {
            throw failure(found: "more than \(Self.maximumDepth) nested lists and objects", expected: "fewer")
        }
        position += 1
        started.append(false)
    }

    /// Past the comma before the next member; false (the container closed) at `close`.
    private mutating func nextMember(closedBy close: UInt8) throws(JSONReadError) -> Bool {
        skipWhitespace()
        let last = started.count - 1
        if peek() == close {
            position += 1
            started.removeLast()
            return false
        }
        if started[last] {
            guard peek() == UInt8(ascii: ",") else {
                throw failure(expected: "',' or '\(Character(Unicode.Scalar(close)))'")
            }
            position += 1
            skipWhitespace()
        } else {
            started[last] = true
        }
        return true
    }

    /// Consumes `null` when it comes next.
    public mutating func consumeNull() -> Bool {
        skipWhitespace()
        return matchWord("null")
    }

    /// Consumes `word` (`true`, `null`) when it comes next and is not the start of a longer run of letters.
    private mutating func matchWord(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { return false }
        let end = position + count
        if end < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[end]) { return false }
        position = end
        return true
    }

    /// A string at the opening quote; escapes decoded, UTF-8 checked, raw control characters refused.
    private mutating func readString() throws(JSONReadError) -> String {
        let quote = position
        position += 1
        let start = position
        var ascii = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let span = UnsafeBufferPointer(rebasing: bytes[start..<position])
                // ASCII needs no validation, and decoding it takes a quarter of the time (nearly every string).
                guard let text = ascii ? String(decoding: span, as: UTF8.self) : String(validating: span, as: UTF8.self)
                else {
                    position = quote
                    throw failure(found: "text that is not UTF-8", expected: "a UTF-8 string")
                }
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure(found: "a control character in a string", expected: "it escaped") }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        guard position < bytes.count else {
            position = quote
            throw failure(found: "a string without its closing quote", expected: "'\"'")
        }
        return try readEscapedString(from: start, quote: quote)
    }

    /// Past a string at its opening quote, checked as `readString` checks it but not built: most of what a
    /// reader skips is text.
    private mutating func skipString() throws(JSONReadError) {
        let quote = position
        position += 1
        let start = position
        var ascii = true
        var scratch: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                if !ascii, String(validating: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self) == nil {
                    position = quote
                    throw failure(found: "text that is not UTF-8", expected: "a UTF-8 string")
                }
                position += 1
                return
            case UInt8(ascii: "\\"):
                try readEscape(into: &scratch)
                scratch.removeAll(keepingCapacity: true)
            case 0..<0x20:
                throw failure(found: "a control character in a string", expected: "it escaped")
            default:
                if byte >= 0x80 { ascii = false }
                position += 1
            }
        }
        position = quote
        throw failure(found: "a string without its closing quote", expected: "'\"'")
    }

    /// The slow path of `readString`: the string has escapes; `position` is at the first backslash.
    private mutating func readEscapedString(from start: Int, quote: Int) throws(JSONReadError) -> String {
        var text: [UInt8] = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: text, as: UTF8.self) else {
                    position = quote
                    throw failure(found: "text that is not UTF-8", expected: "a UTF-8 string")
                }
                position += 1
                return string
            case UInt8(ascii: "\\"):
                try readEscape(into: &text)
            case 0..<0x20:
                throw failure(found: "a control character in a string", expected: "it escaped")
            default:
                text.append(byte)
                position += 1
            }
        }
        position = quote
        throw failure(found: "a string without its closing quote", expected: "'\"'")
    }

    /// One escape at its backslash, appended as UTF-8; a `\u` pair of surrogates makes one scalar.
    private mutating func readEscape(into text: inout [UInt8]) throws(JSONReadError) {
        let escape = position
        position += 1
        guard let letter = peek() else { throw failure(found: "a lone '\\'", expected: "an escape") }
        position += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(letter)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var value = try hex4()
            if (0xD800..<0xDC00).contains(value) {
                let low = matchEscapeU() ? try hex4() : 0
                guard (0xDC00..<0xE000).contains(low) else {
                    position = escape
                    throw failure(found: "a lone UTF-16 surrogate", expected: "a surrogate pair")
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(value) {
                position = escape
                throw failure(found: "a lone UTF-16 surrogate", expected: "a surrogate pair")
            }
            text.append(contentsOf: String(Character(Unicode.Scalar(value)!)).utf8)
        default:
            position = escape
            throw failure(found: "the escape '\\\(Character(Unicode.Scalar(letter)))'", expected: "a JSON escape")
        }
    }

    private mutating func matchEscapeU() -> Bool {
        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
        else { return false }
        position += 2
        return true
    }

    private mutating func hex4() throws(JSONReadError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexValue(byte) else {
                throw failure(expected: "four hex digits after \\u")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Past a number in RFC 8259's grammar (no leading zeros, no `+`, no bare `.`).
    /// - Returns: whether it is a plain integer (no fraction, no exponent).
    @discardableResult
    private mutating func scanNumber() throws(JSONReadError) -> Bool {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), Self.isDigit(first) else {
            position = start
            throw failure(expected: "a value")
        }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        var plain = true
        if peek() == UInt8(ascii: ".") {
            plain = false
            position += 1
            guard let digit = peek(), Self.isDigit(digit) else { throw failure(expected: "a digit after '.'") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            plain = false
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let digit = peek(), Self.isDigit(digit) else { throw failure(expected: "a digit in the exponent") }
            skipDigits()
        }
        if let next = peek(), Self.isDigit(next) || next == UInt8(ascii: ".") {
            throw failure(found: "a malformed number", expected: "a JSON number")
        }
        return plain
    }

    private func startsNumber() -> Bool {
        guard let byte = peek() else { return false }
        return byte == UInt8(ascii: "-") || Self.isDigit(byte)
    }

    private mutating func skipDigits() {
        while let byte = peek(), Self.isDigit(byte) { position += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    // MARK: - Errors

    /// An error at the current position, naming what is there.
    private func failure(found: String? = nil, expected: String) -> JSONReadError {
        var line = 1
        var lineStart = 0
        for index in 0..<min(position, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<min(position, bytes.count)]),
                            as: UTF8.self).unicodeScalars.count + 1
        return JSONReadError(line: line, column: column, path: [], found: found ?? describeNext(), expected: expected)
    }

    /// What the byte at the current position starts: `the end of the file`, `a string`, `'x'`.
    private func describeNext() -> String {
        guard let byte = peek() else { return "the end of the file" }
        switch byte {
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "a list"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default: return "the byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
    }
}

/// A type that reads itself from JSON with `JSONByteReader`.
public protocol JSONReadable {
    init(json: inout JSONByteReader) throws(JSONReadError)
}

/// Where a JSON document went wrong, and how.
public struct JSONReadError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    /// Keys and indexes from the document's root to the value (`names`, `[3]`, `ttl`).
    public var path: [String]
    public var found: String
    public var expected: String

    public var description: String {
        var place = "line \(line), column \(column)"
        if !path.isEmpty {
            place += " (" + path.reduce("") { $0.isEmpty || $1.hasPrefix("[") ? $0 + $1 : $0 + "." + $1 } + ")"
        }
        return "\(place): found \(found); expected \(expected)"
    }

    /// The error seen from the container holding it: `component` (a key or `[index]`) put in front.
    public func inside(_ component: String) -> JSONReadError {
        var copy = self
        copy.path.insert(component, at: 0)
        return copy
    }
}

extension Int {
    /// The plain decimal integer in `bytes[range]` (an optional `-`, then digits), or nil when it overflows.
    init?(decimal bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        var index = range.lowerBound
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var value = 0
        while index < range.upperBound {
            let digit = Int(bytes[index] &- UInt8(ascii: "0"))
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
            index += 1
        }
        self = value
    }
}
