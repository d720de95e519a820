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
    private(set) var starts: [(line: Int, column: Int)]?
    /// The file's last line and the scalars on it: positions past the end are put at its end.
    private(set) var end = (line: 1, length: 0)

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { LineMap(utf8: $0) }
    }

    /// Reads the UTF-8 bytes of valid text in one pass, a column counting the bytes that start a scalar. Until
    /// the first of the three breaks, libyaml's lines are the file's; where one appears, the starts of the
    /// lines before it are filled in (each at column 0) and recorded from there on.
    private init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        var starts: [(line: Int, column: Int)]?
        var line = 1
        var column = 0
        var afterCR = false
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                if byte == 0x0D || !afterCR {  // CRLF is one break, counted at the CR
                    line += 1
                    column = 0
                    starts?.append((line, 0))
                }
                afterCR = byte == 0x0D
                continue
            }
            afterCR = false
            if byte & 0xC0 != 0x80 { column += 1 }
            if byte >= 0x85, Self.endsUnicodeBreak(bytes, at: index) {
                if starts == nil { starts = (1...line).map { ($0, 0) } }
                starts?.append((line, column))
            }
        }
        self.starts = starts
        end = (line, column)
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
