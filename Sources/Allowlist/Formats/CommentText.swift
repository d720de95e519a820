/// Text from manifests and DNS on its way into a firewall file: only `[A-Za-z0-9._:/ -]` survives, so no
/// quote, newline, brace, `;`, `#`, `$` or backslash can end a comment and start a statement.
public enum CommentText {
    /// Every other character becomes a space, runs of spaces collapse, the ends are trimmed, and the
    /// result is cut to `limit` bytes (all survivors are ASCII, one byte each).
    public static func sanitise(_ text: String, limit: Int) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if isAllowed(scalar) && scalar != " " {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty && !result.hasSuffix(" ") {
                result += " "
            }
        }
        if result.utf8.count > limit { result = String(result.prefix(limit)) }
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }

    /// Whether `scalar` may appear in a comment.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || ". _:/-".unicodeScalars.contains(scalar)
    }

    /// `text` for an error message: control and non-ASCII characters shown as `\u{…}`, at most 80 of them.
    public static func visible(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars.prefix(80) {
            if scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return text.unicodeScalars.count > 80 ? result + "…" : result
    }
}
