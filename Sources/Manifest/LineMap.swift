/// Turns libyaml's positions into the lines and columns an editor, `grep -n` or a review tool shows.
///
/// libyaml counts U+0085 (NEL), U+2028 (LINE SEPARATOR) and U+2029 (PARAGRAPH SEPARATOR) as line breaks,
/// besides LF, CR and CRLF. Text pasted from web pages carries them, and the tools people read manifests with
/// do not break lines there, so every position after one would name the wrong line. And libyaml puts the end
/// of a file without a final newline on a line of its own, past the last. Positions are 1-based; columns count
/// Unicode scalars, as libyaml's do.
struct LineMap: Sendable {
    /// Where each libyaml line starts: its line in the file and the columns before it there. Nil when the
    /// text has none of the three breaks, so libyaml's lines are the file's.
    private var starts: [(line: Int, column: Int)]?
    /// The file's last line and the scalars on it: positions past the end are put at its end.
    private var end = (line: 1, length: 0)

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { LineMap(utf8: $0) }
    }

    /// Reads the UTF-8 bytes of valid text, a column counting the bytes that start a scalar: one pass to see
    /// whether the text has any of the three breaks, one to count lines and record where libyaml's start.
    private init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let special = Self.hasUnicodeBreak(bytes)
        var starts = [(line: 1, column: 0)]
        var line = 1
        var column = 0
        var afterCR = false
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0x0A where afterCR:
                break  // CRLF is one break, counted at the CR
            case 0x0A, 0x0D:
                line += 1
                column = 0
                if special { starts.append((line, 0)) }
            default:
                if byte & 0xC0 != 0x80 { column += 1 }
                // The last byte of NEL (C2 85), LINE SEPARATOR (E2 80 A8) or PARAGRAPH SEPARATOR (E2 80 A9).
                if special, Self.endsUnicodeBreak(bytes, at: index) { starts.append((line, column)) }
            }
            afterCR = byte == 0x0D
        }
        self.starts = special ? starts : nil
        end = (line, column)
    }

    private static func hasUnicodeBreak(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.indices.contains { endsUnicodeBreak(bytes, at: $0) }
    }

    /// Whether the byte at `index` ends one of the three breaks (in valid UTF-8, those bytes are that scalar).
    private static func endsUnicodeBreak(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        switch bytes[index] {
        case 0x85: index >= 1 && bytes[index - 1] == 0xC2
        case 0xA8, 0xA9: index >= 2 && bytes[index - 1] == 0x80 && bytes[index - 2] == 0xE2
        default: false
        }
    }

    /// The file's line and column for libyaml's `line` and `column`.
    func position(line: Int, column: Int) -> (line: Int, column: Int) {
        var mapped = (line: line, column: column)
        if let starts, line >= 1 {
            let start = starts[min(line, starts.count) - 1]
            mapped = (start.line, start.column + column)
        }
        if mapped.line > end.line || (mapped.line == end.line && mapped.column > end.length + 1) {
            mapped = (end.line, end.length + 1)
        }
        return mapped
    }

    /// The file's line for libyaml's `line`.
    func line(_ line: Int) -> Int { position(line: line, column: 1).line }
}
