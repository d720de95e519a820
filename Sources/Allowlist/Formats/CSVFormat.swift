import Drift
import Foundation
import IPNet

/// `allowlist.csv`: one row per prefix and service, for spreadsheets and tickets.
///
/// `first_seen` and `last_seen` span the history's dates of the addresses inside the prefix (the run's
/// start for a declared range, which has no addresses of its own); `stale` is the snapshot's flag.
enum CSVFormat {
    static let columns = [
        "prefix", "family", "protocol", "port", "endpoints", "names", "first_seen", "last_seen", "stale", "set",
    ]

    static func render(_ plan: FormatPlan, _ snapshot: Snapshot) -> String {
        var rows = [columns.joined(separator: ",")]
        let records = Dictionary(snapshot.names.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for file in snapshot.allowlists {
            // By prefix: finding each entry's by a scan of the file took 11 s for 10,000 names.
            let sources = Dictionary(file.prefixes.map { ($0.prefix, $0) }, uniquingKeysWith: { first, _ in first })
            for set in plan.sets where set.service.description == file.service {
                for entry in set.entries {
                    let source = sources[entry.prefix.description]
                    var seen: [(String, String)] = []
                    for name in source?.names ?? [] {
                        for address in records[name]?.addresses ?? [] where address.emittedFor.contains(file.service) {
                            guard let parsed = try? IPAddress(parsing: address.address), entry.prefix.contains(parsed)
                            else { continue }
                            seen.append((address.firstSeen, address.lastSeen))
                        }
                    }
                    let first = seen.map(\.0).min() ?? plan.startedAt
                    let last = seen.map(\.1).max() ?? plan.startedAt
                    rows.append(
                        [
                            entry.prefix.description, set.family == .v4 ? "ipv4" : "ipv6", set.service.transport,
                            "\(set.service.port)", field((source?.endpoints ?? []).joined(separator: "; ")),
                            field((source?.names ?? []).joined(separator: "; ")), field(first), field(last),
                            source?.stale == true ? "true" : "false", set.name,
                        ].joined(separator: ",")
                    )
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
