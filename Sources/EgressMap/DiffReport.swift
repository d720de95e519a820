import Drift

/// A diff as people read it: markdown for tickets and pull requests, coloured lines for the terminal.
public enum DiffReport {
    /// Markdown: a headline, then tables for the lists, the names and the probes that changed.
    public static func markdown(_ diff: SnapshotDiff) -> String {
        var lines = ["## egressmap: \(diff.oldRun ?? "(no earlier run)") → \(diff.newRun)", ""]
        lines.append("**\(cell(diff.headline))**")
        lines.append("")
        lines.append(diff.published ? "Published: yes." : "Published: **no** — \(cell(diff.publishNote ?? ""))")
        if !diff.allowlists.isEmpty {
            lines += ["", "### Allowlists", "", "| file | added | removed | now |", "| --- | --- | --- | ---: |"]
            for list in diff.allowlists {
                lines.append("| \(list.name) | \(codes(list.added)) | \(codes(list.removed)) | \(list.count) |")
            }
        }
        if !diff.names.isEmpty {
            lines += [
                "", "### Names", "",
                "| name | endpoints | change | added | aged out | kept stale | outcome | chain |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |",
            ]
            for name in diff.names {
                let outcome = name.outcome.map { "\($0.old) → \($0.new)" } ?? ""
                let chain = name.chain.map { "\(arrow($0.old)) ⇒ \(arrow($0.new))" } ?? ""
                let change = name.reason.map { "\(name.change): \($0)" } ?? name.change
                lines.append(
                    "| `\(cell(name.name))` | \(cell(name.endpoints.joined(separator: ", "))) | \(cell(change)) | "
                        + "\(codes(name.added)) | \(codes(name.agedOut)) | \(codes(name.keptStale)) | \(cell(outcome)) | "
                        + "\(cell(chain)) |"
                )
            }
        }
        if !diff.probes.isEmpty {
            lines += ["", "### Probes", "", "| address | port | before | now |", "| --- | ---: | --- | --- |"]
            for probe in diff.probes {
                lines.append("| `\(probe.address)` | \(probe.port) | \(probe.old ?? "—") | \(probe.new ?? "—") |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Terminal lines, coloured when `paint` is on; empty when nothing changed.
    public static func terminal(_ diff: SnapshotDiff, paint: Paint) -> String {
        guard !diff.same else { return "" }
        var lines = [paint.bold("changes since \(diff.oldRun ?? "(no earlier run)"): ") + diff.headline]
        for list in diff.allowlists where list.name != "all" {
            for prefix in list.added { lines.append("  " + paint.green("+ \(prefix)") + "  \(list.name)") }
            for prefix in list.removed { lines.append("  " + paint.red("- \(prefix)") + "  \(list.name)") }
        }
        for name in diff.names {
            var parts: [String] = []
            if !name.added.isEmpty { parts.append(paint.green("+" + name.added.joined(separator: " +"))) }
            if !name.agedOut.isEmpty { parts.append(paint.red("-" + name.agedOut.joined(separator: " -"))) }
            if !name.keptStale.isEmpty { parts.append(paint.yellow("stale " + name.keptStale.joined(separator: " "))) }
            if let outcome = name.outcome { parts.append(paint.yellow("\(outcome.old) → \(outcome.new)")) }
            if let chain = name.chain { parts.append("chain \(arrow(chain.old)) ⇒ \(arrow(chain.new))") }
            if name.change != "changed" { parts.append(name.change + (name.reason.map { " (\($0))" } ?? "")) }
            lines.append("  \(name.name): " + parts.joined(separator: "; "))
        }
        for probe in diff.probes {
            lines.append("  probe \(probe.address):\(probe.port) \(probe.old ?? "—") → \(probe.new ?? "—")")
        }
        return lines.joined(separator: "\n")
    }

    private static func arrow(_ chain: [String]) -> String { chain.isEmpty ? "(none)" : chain.joined(separator: " → ") }

    private static func codes(_ items: [String]) -> String {
        items.map { "`\(cell($0))`" }.joined(separator: " ")
    }

    /// Text safe inside a markdown table cell: no pipes, no backticks, no line breaks.
    ///
    /// Text without any of those bytes (nearly all: names, prefixes) is returned as it is; walking every
    /// character was most of a 10,000-name first run's markdown diff.
    static func cell(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "`") || $0 == 0x0A || $0 == 0x0D })
        else { return text }
        return String(text.map { character -> Character in
            switch character {
            case "|": "¦"
            case "`": "'"
            case "\n", "\r": " "
            default: character
            }
        })
    }
}
