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
        let special = text.unicodeScalars.contains { ["\u{85}", "\u{2028}", "\u{2029}"].contains($0) }
        var starts = [(line: 1, column: 0)]
        var line = 1
        var column = 0
        var afterCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where afterCR:
                break  // CRLF is one break, counted at the CR
            case "\n", "\r":
                line += 1
                column = 0
                if special { starts.append((line, 0)) }
            case "\u{85}", "\u{2028}", "\u{2029}":
                column += 1
                starts.append((line, column))
            default:
                column += 1
            }
            afterCR = scalar == "\r"
        }
        self.starts = special ? starts : nil
        end = (line, column)
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
