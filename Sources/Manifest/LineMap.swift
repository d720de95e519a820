/// Turns libyaml's positions into the lines and columns an editor, `grep -n` or a review tool shows.
///
/// libyaml counts U+0085 (NEL), U+2028 (LINE SEPARATOR) and U+2029 (PARAGRAPH SEPARATOR) as line breaks,
/// besides LF, CR and CRLF. Text pasted from web pages carries them, and the tools people read manifests with
/// do not break lines there, so every position after one would name the wrong line. Positions are 1-based;
/// columns count Unicode scalars, as libyaml's do.
struct LineMap: Sendable {
    /// Where each libyaml line starts: its line in the file and the columns before it there. Nil when the
    /// text has none of the three breaks, so libyaml's positions are already right.
    private var starts: [(line: Int, column: Int)]?

    init(_ text: String) {
        guard text.unicodeScalars.contains(where: { ["\u{85}", "\u{2028}", "\u{2029}"].contains($0) }) else {
            starts = nil
            return
        }
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
                starts.append((line, 0))
            case "\u{85}", "\u{2028}", "\u{2029}":
                column += 1
                starts.append((line, column))
            default:
                column += 1
            }
            afterCR = scalar == "\r"
        }
        self.starts = starts
    }

    /// The file's line and column for libyaml's `line` and `column`.
    func position(line: Int, column: Int) -> (line: Int, column: Int) {
        guard let starts, line >= 1 else { return (line, column) }
        let start = starts[min(line, starts.count) - 1]
        return (start.line, start.column + column)
    }

    /// The file's line for libyaml's `line`.
    func line(_ line: Int) -> Int { position(line: line, column: 1).line }
}
