/// A bad line in an address list: its 1-based number and what is wrong with its text.
public struct IPListError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based line number.
    public let line: Int
    /// The parse error for the line's entry (its `input` is the entry without comment or blanks).
    public let error: IPParseError

    public init(line: Int, error: IPParseError) {
        self.line = line
        self.error = error
    }

    /// `line N: <text>: <problem> (column C)`.
    public var description: String { "line \(line): \(error)" }
}

extension IPAddressSet {
    /// Builds a set from list text: one address, prefix or `first-last` range a line; blank lines and
    /// `#` comments (whole-line or trailing) are ignored.
    ///
    /// - Throws: `IPListError` for the first line that is not a valid entry.
    public init(parsingList text: String) throws(IPListError) {
        var text = text
        let outcome: Result<IPAddressSet, IPListError> = text.withUTF8 { bytes in
            do throws(IPListError) {
                return .success(try IPAddressSet(parsingList: bytes))
            } catch {
                return .failure(error)
            }
        }
        self = try outcome.get()
    }

    /// Builds a set from the UTF-8 bytes of a list; see `init(parsingList:)` for the format.
    ///
    /// - Throws: `IPListError` for the first line that is not a valid entry.
    public init(parsingList bytes: UnsafeBufferPointer<UInt8>) throws(IPListError) {
        var v4 = [Span<UInt32>]()
        var v6 = [Span<UInt128>]()
        var lineNumber = 0
        var lineStart = 0
        let end = bytes.count
        while lineStart < end {
            lineNumber += 1
            var lineEnd = lineStart
            var contentEnd = -1
            while lineEnd < end, bytes[lineEnd] != UInt8(ascii: "\n") {
                if contentEnd < 0, bytes[lineEnd] == UInt8(ascii: "#") { contentEnd = lineEnd }
                lineEnd += 1
            }
            if contentEnd < 0 { contentEnd = lineEnd }
            var first = lineStart
            while first < contentEnd, isBlankOrReturn(bytes[first]) { first += 1 }
            while contentEnd > first, isBlankOrReturn(bytes[contentEnd - 1]) { contentEnd -= 1 }
            if first < contentEnd {
                do throws(ByteParseFailure) {
                    switch try IPRange.parseEntry(bytes, first, contentEnd) {
                    case .v4(let low, let high): v4.append(Span(first: low, last: high))
                    case .v6(let low, let high): v6.append(Span(first: low, last: high))
                    }
                } catch {
                    let entry = UnsafeBufferPointer(rebasing: bytes[first..<contentEnd])
                    var shifted = error
                    shifted.byteOffset -= first
                    throw IPListError(line: lineNumber, error: shifted.error(inBytes: entry))
                }
            }
            lineStart = lineEnd + 1
        }
        v4.normalizeSpans()
        v6.normalizeSpans()
        self.init(v4: v4, v6: v6)
    }
}

/// Whether `byte` is a space, a tab or a carriage return.
@inline(__always)
private func isBlankOrReturn(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
}
