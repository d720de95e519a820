import IPNet
import Drift
import Foundation

/// `allowlist.csv`: one row per prefix and service, for spreadsheets and tickets.
///
/// `first_seen`, `last_seen` and `stale` come from the history once runs keep one; until the snapshot
/// carries them, a row says the run's start time for both and `false`.
enum CSVFormat {
    static let columns = ["prefix", "family", "protocol", "port", "endpoints", "names", "first_seen", "last_seen",
                          "stale", "set"]

    static func render(_ plan: FormatPlan, _ snapshot: Snapshot) -> String {
        var rows = [columns.joined(separator: ",")]
        for file in snapshot.allowlists {
            let sets = plan.sets.filter { $0.service.description == file.service }
            for set in sets {
                for entry in set.entries {
                    let source = file.prefixes.first { $0.prefix == entry.prefix.description }
                    rows.append([
                        entry.prefix.description, set.family == .v4 ? "ipv4" : "ipv6", set.service.transport,
                        "\(set.service.port)", field((source?.endpoints ?? []).joined(separator: "; ")),
                        field((source?.names ?? []).joined(separator: "; ")), field(plan.startedAt),
                        field(plan.startedAt), "false", set.name,
                    ].joined(separator: ","))
                }
            }
        }
        return rows.map { $0 + "\r\n" }.joined()
    }

    /// RFC 4180 quoting, and a leading `'` before `=`, `+`, `-`, `@`, tab or CR so a spreadsheet never
    /// reads a cell as a formula.
    static func field(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
