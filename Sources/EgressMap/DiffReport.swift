import Drift
import Foundation

/// A diff as people read it: markdown for tickets and pull requests, coloured lines for the terminal.
public enum DiffReport {
    /// Markdown: a headline, then tables for the lists, the names and the probes that changed.
    ///
    /// Appended to one buffer of bytes (`MarkdownBytes`): a first run of 10,000 names has a row for each, and a
    /// line array with its interpolated pieces cost twice as much as appending to a string, which cost twice as
    /// much again as the bytes.
    public static func markdown(_ diff: SnapshotDiff) -> String {
        String(decoding: markdownData(diff), as: UTF8.self)
    }

    /// `markdown(diff)` as the UTF-8 bytes of `diff.md`, made as bytes: not checked again as a `String` and
    /// copied out of it (a tenth of the markdown's time).
    public static func markdownData(_ diff: SnapshotDiff) -> Data {
        var text = MarkdownBytes(capacity: 4096 + 160 * diff.names.count + 64 * diff.probes.count)
        text += "## egressmap: \(diff.oldRun ?? "(no earlier run)") → \(diff.newRun)\n\n"
        text += "**\(cell(diff.headline))**\n\n"
        text += diff.published ? "Published: yes." : "Published: **no** — \(cell(diff.publishNote ?? ""))"
        if !diff.allowlists.isEmpty {
            text += "\n\n### Allowlists\n\n| file | added | removed | now |\n| --- | --- | --- | ---: |"
            for list in diff.allowlists {
                text += "\n| \(list.name) | "
                appendCodes(list.added, to: &text)
                text += " | "
                appendCodes(list.removed, to: &text)
                text += " | \(list.count) |"
            }
        }
        if !diff.names.isEmpty {
            text += "\n\n### Names\n\n"
                + "| name | endpoints | change | added | aged out | kept stale | outcome | chain |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- |"
            for name in diff.names {
                text += "\n| `"
                text.appendCell(name.name)
                text += "` | "
                // Cell by cell: the separators and the change's own word need no replacing, so this is the
                // cell of the joined text, without joining it first.
                for (index, endpoint) in name.endpoints.enumerated() {
                    if index > 0 { text += ", " }
                    text.appendCell(endpoint)
                }
                text += " | "
                text.appendCell(name.change)
                if let reason = name.reason {
                    text += ": "
                    text.appendCell(reason)
                }
                text += " | "
                appendCodes(name.added, to: &text)
                text += " | "
                appendCodes(name.agedOut, to: &text)
                text += " | "
                appendCodes(name.keptStale, to: &text)
                text += " | "
                if let outcome = name.outcome { text += cell("\(outcome.old) → \(outcome.new)") }
                text += " | "
                if let chain = name.chain { text += cell("\(arrow(chain.old)) ⇒ \(arrow(chain.new))") }
                text += " |"
            }
        }
        if !diff.probes.isEmpty {
            text += "\n\n### Probes\n\n| address | port | before | now |\n| --- | ---: | --- | --- |"
            for probe in diff.probes {
                text += "\n| `\(probe.address)` | \(probe.port) | \(probe.old ?? "—") | \(probe.new ?? "—") |"
            }
        }
        text += "\n"
        return text.data
    }

    /// Terminal lines, coloured when `paint` is on; empty when nothing changed.
    /// `limit`: how many prefix changes and how many names to show (the rest are counted, and are all in
    /// `diff.md`); nil for every one.
    public static func terminal(_ diff: SnapshotDiff, paint: Paint, limit: Int? = nil) -> String {
        guard !diff.same else { return "" }
        var lines = [paint.bold("changes since \(diff.oldRun ?? "(no earlier run)"): ") + diff.headline]
        var prefixLines: [String] = []
        for list in diff.allowlists where list.name != "all" {
            for prefix in list.added { prefixLines.append("  " + paint.green("+ \(prefix)") + "  \(list.name)") }
            for prefix in list.removed { prefixLines.append("  " + paint.red("- \(prefix)") + "  \(list.name)") }
        }
        lines += prefixLines.prefix(limit ?? prefixLines.count)
        if let limit, prefixLines.count > limit {
            lines.append(paint.more(prefixLines.count - limit, "prefix change", "prefix changes", in: "diff.md"))
        }
        for name in diff.names.prefix(limit ?? diff.names.count) {
            var parts: [String] = []
            // A name with a thousand addresses (a CDN's, capped) made one line of 12,000 characters: the first
            // few are shown, the rest counted (diff.md has them all).
            func listed(_ items: [String], _ mark: String) -> String {
                let shown = items.prefix(limit == nil ? items.count : 8).map { mark + $0 }.joined(separator: " ")
                return items.count > 8 && limit != nil ? shown + " and \(items.count - 8) more" : shown
            }
            if !name.added.isEmpty { parts.append(paint.green(listed(name.added, "+"))) }
            if !name.agedOut.isEmpty { parts.append(paint.red(listed(name.agedOut, "-"))) }
            if !name.keptStale.isEmpty { parts.append(paint.yellow("stale " + listed(name.keptStale, ""))) }
            if let outcome = name.outcome { parts.append(paint.yellow("\(outcome.old) → \(outcome.new)")) }
            if let chain = name.chain { parts.append("chain \(arrow(chain.old)) ⇒ \(arrow(chain.new))") }
            if name.change != "changed" { parts.append(name.change + (name.reason.map { " (\($0))" } ?? "")) }
            lines.append("  \(name.name): " + parts.joined(separator: "; "))
        }
        if let limit, diff.names.count > limit {
            lines.append(paint.more(diff.names.count - limit, "name", "names", in: "diff.md"))
        }
        for probe in diff.probes {
            lines.append("  probe \(probe.address):\(probe.port) \(probe.old ?? "—") → \(probe.new ?? "—")")
        }
        return lines.joined(separator: "\n")
    }

    private static func arrow(_ chain: [String]) -> String { chain.isEmpty ? "(none)" : chain.joined(separator: " → ") }

    /// Each item as code, space-separated.
    private static func appendCodes(_ items: [String], to text: inout MarkdownBytes) {
        for (index, item) in items.enumerated() {
            if index > 0 { text += " " }
            text += "`"
            text.appendCell(item)
            text += "`"
        }
    }

    /// Text safe inside a markdown table cell: no pipes, no backticks, no line breaks.
    ///
    /// Text without any of those bytes (nearly all: names, prefixes) is returned as it is; walking every
    /// character was most of a 10,000-name first run's markdown diff.
    static func cell(_ text: String) -> String {
        guard text.utf8.contains(where: needsReplacing) else { return text }
        return String(text.map { character -> Character in
            switch character {
            case "|": "¦"
            case "`": "'"
            case "\n", "\r": " "
            default: character
            }
        })
    }

    /// Whether a byte of UTF-8 text is one `cell(_:)` replaces (all of them are ASCII).
    @inline(__always)
    static func needsReplacing(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "|") || byte == UInt8(ascii: "`") || byte == 0x0A || byte == 0x0D
    }
}

/// Markdown's text as UTF-8 bytes, appended with `+=` as to a string: a `String` checked its capacity and its
/// flags at every piece, and a 10,000-name `diff.md` is a quarter of a million pieces.
struct MarkdownBytes {
    private var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    static func += (text: inout MarkdownBytes, piece: String) { text.bytes.append(contentsOf: piece.utf8) }

    /// `DiffReport.cell(text)`, appended. Plain text (nearly all) is checked and copied straight from its
    /// bytes: through the string's UTF-8 view, byte by byte, the check alone was a quarter of the markdown.
    mutating func appendCell(_ text: String) {
        let appended = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: DiffReport.needsReplacing) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if appended != true { self += DiffReport.cell(text) }
    }

    /// The text so far, as bytes.
    var data: Data { Data(bytes) }
}
