import Drift
import Foundation

/// The reachability matrix and the within-range checks as people read them: lines for the run summary
/// (coloured) and `matrix.md` for tickets. Both read the snapshot only.
public enum ReachabilityReport {
    /// Summary lines: the probe totals, the endpoint × port matrix, the UDP ports no probe tried, then each
    /// within-range check. `rowLimit`: how many endpoint rows to show (the rest are counted, and are all in
    /// `matrix.md`); nil for every one.
    public static func summaryLines(
        _ reachability: Reachability, endpoints: [EndpointRecord] = [], paint: Paint, rowLimit: Int? = nil
    ) -> [String] {
        var lines: [String] = []
        if reachability.enabled {
            lines.append("reachability: \(reachability.probes.count) TCP probe\(reachability.probes.count == 1 ? "" : "s")"
                + " in \(reachability.durationMs) ms (timeout \(reachability.timeoutMs) ms, \(retries(reachability)), "
                + "\(reachability.concurrency) at once): " + totals(reachability, paint: paint))
            let stopped = stoppedAtDeadline(reachability)
            if stopped > 0 {
                lines.append(paint.yellow(
                    "  ! \(stopped) of \(reachability.probes.count) probes \(stopped == 1 ? "was" : "were") not "
                        + "finished when --probe-deadline came (error, detail deadline): raise it, or run with "
                        + "--no-probe"
                ))
            }
        } else {
            lines.append("reachability: not probed (--no-probe); cells show the addresses a probe would try")
        }
        let (ports, rows) = table(reachability)
        if !rows.isEmpty {
            let labelWidth = min(44, rows.map(\.label.count).max() ?? 0)
            let headers = ports.map { "tcp/\($0)" }
            let widths = headers.map { max(7, $0.count) }
            lines.append("  " + paint.bold("endpoint".padding(labelWidth)) + "  "
                + zip(headers, widths).map { paint.bold($0.padding($1)) }.joined(separator: "  "))
            for row in rows.prefix(rowLimit ?? rows.count) {
                let cells = zip(ports, widths).map { port, width -> String in
                    guard let cell = row.cells[port] else { return paint.dim("—".padding(width)) }
                    return colour(cellText(cell).padding(width), open: cell.open, total: cell.total, paint: paint)
                }
                lines.append("  " + clip(row.label, labelWidth).padding(labelWidth) + "  " + cells.joined(separator: "  "))
            }
            if let rowLimit, rows.count > rowLimit {
                lines.append(paint.more(rows.count - rowLimit, "endpoint", "endpoints", in: "matrix.md"))
            }
        }
        let udp = udpPorts(endpoints)
        if !udp.isEmpty {
            let shown = udp.prefix(rowLimit ?? udp.count).map { "\($0.label) \($0.ports.joined(separator: ","))" }
            lines.append("  " + paint.dim("not probed (\(udpReason)): ") + shown.joined(separator: "; ")
                + (udp.count > shown.count ? "; \(udp.count - shown.count) more in matrix.md" : ""))
        }
        for check in reachability.rangeChecks {
            let found: String
            if check.addresses == 0 {  // no address is no evidence either way
                found = "resolved to no address: nothing to check against \(check.prefix)"
            } else {
                found = "resolved to \(check.addresses) address\(check.addresses == 1 ? "" : "es"), "
                    + (check.outside.isEmpty
                        ? paint.green("all inside \(check.prefix)")
                        : "\(check.inside) inside \(check.prefix), "
                            + paint.yellow("\(check.outside.count) outside") + ":")
            }
            lines.append(paint.bold("within \(check.label)") + ": \(check.names) name\(check.names == 1 ? "" : "s") of "
                + "\(check.hosts.count) endpoint\(check.hosts.count == 1 ? "" : "s") \(found)")
            for outside in check.outside.prefix(rowLimit ?? check.outside.count) {
                let path = outside.chain.isEmpty ? outside.name : outside.chain.joined(separator: ", ")
                lines.append("  \(paint.yellow("!")) \(outside.address) via \(path)")
            }
            if let rowLimit, check.outside.count > rowLimit {
                let hidden = check.outside.count - rowLimit
                lines.append(paint.more(hidden, "address outside", "addresses outside", in: "matrix.md"))
            }
            if !check.ports.isEmpty {
                lines.append("  " + check.ports.map { port in
                    let text = "tcp/\(port.port) " + (port.open.map { "\($0)/\(port.total)" } ?? "-/\(port.total)")
                        + (port.open == nil ? "" : " open")
                    return colour(text, open: port.open, total: port.total, paint: paint)
                }.joined(separator: " · "))
            }
        }
        return lines
    }

    /// `matrix.md`: the same matrix and checks as Markdown, for tickets.
    public static func markdown(_ snapshot: Snapshot) -> String {
        var lines = ["# Reachability — run \(snapshot.runID)", ""]
        guard let reachability = snapshot.reachability else {
            return (lines + ["This snapshot has no reachability section.", ""]).joined(separator: "\n")
        }
        if reachability.enabled {
            lines.append("TCP connect from the host that ran egressmap: \(reachability.probes.count) probes of "
                + "resolved addresses on the manifest's ports (timeout \(reachability.timeoutMs) ms, "
                + "\(retries(reachability))): \(totals(reachability, paint: Paint(enabled: false))). "
                + "Each cell is open/total addresses.")
            let stopped = stoppedAtDeadline(reachability)
            if stopped > 0 {
                lines.append("")
                let count = stopped == 1 ? "it counts as an error" : "they count as errors"
                lines.append("\(stopped) of them \(stopped == 1 ? "was" : "were") not finished when the probe phase's "
                    + "deadline came (`--probe-deadline`): \(count), not as closed.")
            }
        } else {
            lines.append("Probing was off (`--no-probe`): each cell is -/addresses a probe would try.")
        }
        let (ports, rows) = table(reachability)
        if !rows.isEmpty {
            lines.append("")
            lines.append("| endpoint | " + ports.map { "tcp/\($0)" }.joined(separator: " | ") + " |")
            lines.append("| --- |" + String(repeating: " ---: |", count: ports.count))
            // A row per endpoint: appended to one string, not made as a line of its own.
            var table = ""
            table.reserveCapacity(rows.count * (24 + 12 * ports.count))
            for (index, row) in rows.enumerated() {
                if index > 0 { table += "\n" }
                table += "| "
                table += escape(row.label)
                table += " |"
                for port in ports {
                    table += " "
                    if let cell = row.cells[port] { appendCellText(cell, to: &table) } else { table += "—" }
                    table += " |"
                }
            }
            lines.append(table)
        }
        let udp = udpPorts(snapshot.endpoints)
        if !udp.isEmpty {
            lines += ["", "Not probed (\(udpReason)):", ""]
            for endpoint in udp {
                lines.append("- \(escape(endpoint.label)): \(endpoint.ports.joined(separator: ", "))")
            }
        }
        for check in reachability.rangeChecks {
            lines += ["", "## Within \(escape(check.label))", ""]
            lines.append("- \(plural(check.names, "name")) of \(plural(check.hosts.count, "endpoint")) with `within` "
                + "resolved to \(plural(check.addresses, "address", "addresses")): "
                + "\(check.inside) inside \(check.prefix), "
                + "\(check.outside.count) outside.")
            for outside in check.outside {
                lines.append("- outside: `\(outside.address)` from \(escape(outside.name))"
                    + (outside.chain.isEmpty ? "" : " (\(escape(outside.chain.joined(separator: ", "))))"))
            }
            if !check.ports.isEmpty {
                lines += ["", "| port | open/total |", "| --- | ---: |"]
                for port in check.ports {
                    lines.append("| tcp/\(port.port) | " + (port.open.map { "\($0)" } ?? "-") + "/\(port.total) |")
                }
            }
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static let udpReason = "UDP, which a TCP connect cannot test"

    /// The endpoints with UDP ports (`udp/123`), which the matrix has no column for: each with those ports.
    static func udpPorts(_ endpoints: [EndpointRecord]) -> [(label: String, ports: [String])] {
        endpoints.compactMap { endpoint in
            let udp = endpoint.services.filter { $0.hasPrefix("udp/") }
            return endpoint.skipped == nil && !udp.isEmpty ? (endpoint.label, udp) : nil
        }
    }

    /// One row per endpoint in the matrix, with its cells by port; the ports of every row, sorted.
    static func table(_ reachability: Reachability) -> (ports: [Int], rows: [(label: String, cells: Cells)]) {
        var rows: [(label: String, cells: Cells)] = []
        var position: [Int: Int] = [:]
        // A matrix has a port or a few: a list scanned, not a set hashed for every cell.
        var ports: [Int] = []
        for cell in reachability.matrix {
            let index: Int
            if let found = position[cell.endpoint] {
                index = found
            } else {
                index = rows.count
                position[cell.endpoint] = index
                rows.append((cell.label, Cells()))
            }
            rows[index].cells.set(cell)
            if !ports.contains(cell.port) { ports.append(cell.port) }
        }
        return (ports.sorted(), rows)
    }

    /// One row's cells by port: an endpoint has a port or a few, so they are kept in a list and scanned (a
    /// dictionary per row cost most of writing a 10,000-endpoint matrix).
    struct Cells {
        private var cells: [MatrixCell] = []

        subscript(port: Int) -> MatrixCell? { cells.first { $0.port == port } }

        /// Adds `cell`, in place of an earlier cell of its port.
        mutating func set(_ cell: MatrixCell) {
            if let index = cells.firstIndex(where: { $0.port == cell.port }) {
                cells[index] = cell
            } else {
                cells.append(cell)
            }
        }
    }

    static func cellText(_ cell: MatrixCell) -> String {
        var text = ""
        appendCellText(cell, to: &text)
        return text
    }

    /// `open/total`, or `-/total` when probing was off, appended in place: a text per cell, then copied into
    /// the table, cost a tenth of writing a 10,000-endpoint matrix.
    static func appendCellText(_ cell: MatrixCell, to text: inout String) {
        text += cell.open.map(String.init) ?? "-"
        text += "/"
        text += String(cell.total)
    }

    private static func totals(_ reachability: Reachability, paint: Paint) -> String {
        var counts: [String: Int] = [:]
        for probe in reachability.probes { counts[probe.verdict, default: 0] += 1 }
        let parts = ["open", "refused", "timeout", "unreachable", "error"].compactMap { verdict -> String? in
            guard let count = counts[verdict] else { return nil }
            let text = "\(count) \(verdict)"
            return verdict == "open" ? paint.green(text) : paint.yellow(text)
        }
        return parts.isEmpty ? "nothing to probe" : parts.joined(separator: ", ")
    }

    /// How many probes `--probe-deadline` ended before they had a verdict.
    private static func stoppedAtDeadline(_ reachability: Reachability) -> Int {
        reachability.probes.filter { $0.detail == "deadline" }.count
    }

    private static func retries(_ reachability: Reachability) -> String {
        reachability.retries == 1 ? "1 retry on timeout" : "\(reachability.retries) retries on timeout"
    }

    /// Green when every address is open, red when none is, yellow in between; dim when nothing was probed.
    private static func colour(_ text: String, open: Int?, total: Int, paint: Paint) -> String {
        guard let open, total > 0 else { return paint.dim(text) }
        if open == total { return paint.green(text) }
        return open == 0 ? paint.red(text) : paint.yellow(text)
    }

    private static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    /// Manifest and DNS text inside a Markdown table: no pipes, backticks or line breaks.
    /// Text without those bytes (nearly every label) is returned as it is.
    private static func escape(_ text: String) -> String {
        // Read from the text's own bytes when it has them (nearly always): stepping through `utf8` cost a
        // tenth of writing a 10,000-endpoint matrix.
        let special: (UInt8) -> Bool = {
            $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "`") || $0 == 0x0A || $0 == 0x0D
        }
        guard text.utf8.withContiguousStorageIfAvailable({ $0.contains(where: special) })
            ?? text.utf8.contains(where: special)
        else { return text }
        return String(text.map { "|`\n\r".contains($0) ? " " : $0 })
    }
}

extension OutputFolder {
    /// `matrix.md` beside `latest.json`.
    public var matrix: URL { root.appendingPathComponent("matrix.md") }

    /// Replaces `matrix.md` atomically with the snapshot's reachability matrix.
}
