/// Why a piece of text is not an address, prefix or range, and where in the text the trouble starts.
public struct IPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text that was being parsed, as given.
    public let input: String
    /// The 0-based character offset into `input` where the problem starts.
    public let offset: Int
    /// What is wrong, in a sentence a person can act on (without the input text).
    public let message: String

    public init(input: String, offset: Int, message: String) {
        self.input = input
        self.offset = offset
        self.message = message
    }

    /// `<input>: <message> (column N)`, with a 1-based column; control, format and separator characters of
    /// the input shown as `\u{…}`, so printing it can neither hide nor reorder text on a terminal.
    public var description: String { "\(printableInput): \(message) (column \(offset + 1))" }

    /// `input`, each character that a terminal would act on or not show written as `\u{…}`.
    public var printableInput: String {
        var text = ""
        for scalar in input.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                text += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}

/// A parse failure found while scanning UTF-8 bytes: a byte offset and the message, without the text.
struct ByteParseFailure: Error {
    var byteOffset: Int
    var message: String

    /// The public error for `text`, the byte offset turned into a character offset.
    func error(in text: String) -> IPParseError {
        IPParseError(input: text, offset: characterOffset(ofByte: byteOffset, in: text), message: message)
    }

    /// The public error for the UTF-8 `bytes` of one line.
    func error(inBytes bytes: UnsafeBufferPointer<UInt8>) -> IPParseError {
        error(in: String(decoding: bytes, as: UTF8.self))
    }
}

/// The offset of the character that holds `text`'s UTF-8 byte at `byteOffset` (the character count past the end).
///
/// A byte may fall inside a character of several scalars (a digit and a combining mark): it belongs to that
/// character, so the characters are counted up to the one that ends past the byte. (Asking for the index
/// before an unaligned position instead rounds down first, and traps inside the first character.)
func characterOffset(ofByte byteOffset: Int, in text: String) -> Int {
    let utf8 = text.utf8
    let target = utf8.index(utf8.startIndex, offsetBy: min(max(byteOffset, 0), utf8.count))
    var count = 0
    var position = text.startIndex
    while position < text.endIndex {
        let next = text.index(after: position)
        if next > target { break }
        count += 1
        position = next
    }
    return count
}

/// Runs `body` over the UTF-8 bytes of `text` and turns a byte-level failure into an `IPParseError`.
func parsingUTF8<Result>(
    _ text: String,
    _ body: (UnsafeBufferPointer<UInt8>) throws(ByteParseFailure) -> Result
) throws(IPParseError) -> Result {
    var text = text
    let outcome: Swift.Result<Result, ByteParseFailure> = text.withUTF8 { bytes in
        do throws(ByteParseFailure) {
            return .success(try body(bytes))
        } catch {
            return .failure(error)
        }
    }
    switch outcome {
    case .success(let value): return value
    case .failure(let failure): throw failure.error(in: text)
    }
}

/// Quotes a slice of bytes for a message: `'010'`.
func quoted(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
    "'" + String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) + "'"
}

/// Describes the character that starts at `index` for a message, e.g. `'x'` or `a space`.
func describeCharacter(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> String {
    let byte = bytes[index]
    switch byte {
    case UInt8(ascii: " "): return "a space"
    case UInt8(ascii: "\t"): return "a tab"
    case 0..<0x20, 0x7f: return "control character 0x" + String(byte, radix: 16)
    case 0x80...:
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        // Named by its code point, with the character only when it shows as itself (not a format character
        // such as U+202E, which would turn the rest of the line around on a terminal).
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
        guard let scalar = text.unicodeScalars.first else { return "a byte that is not UTF-8" }
        let code = "U+" + String(repeating: "0", count: max(0, 4 - String(scalar.value, radix: 16).count))
            + String(scalar.value, radix: 16, uppercase: true)
        let shown = IPParseError(input: text, offset: 0, message: "").printableInput == text ? " '\(text)'" : ""
        return "non-ASCII character \(code)\(shown)"
    default: return quoted(bytes, index, index + 1)
    }
}
