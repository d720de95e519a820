import IPNet

/// pf tables: `allowlist.pf`, the tables as pf.conf definitions (for `include`), and one table file per
/// family and port, `<set>.pf`, for `pfctl -t <set> -T replace -f <set>.pf`, which swaps a running table's
/// contents without reloading the ruleset. pf cannot be loaded on Linux: the golden files are read by eye.
enum PFFormat {
    static func render(_ plan: FormatPlan) -> [String: String] {
        var files: [String: String] = [:]
        var conf = plan.header.map { "# " + $0 }
        conf += [
            "# pf.conf table definitions: include \"allowlist.pf\", or replace a running table's contents:"
        ]
        conf += plan.sets.map { "#   pfctl -t \($0.name) -T replace -f \(fileName($0))" }
        for set in plan.sets {
            let addresses = set.entries.map(\.prefix.description)
            conf.append(
                "table <\(set.name)> persist" + (addresses.isEmpty ? "" : " { \(addresses.joined(separator: ", ")) }")
            )
            var table = plan.header.map { "# " + $0 }
            table += [
                "# \(set.service.description) \(set.family). Replace the table's contents with:",
                "#   pfctl -t \(set.name) -T replace -f \(fileName(set))",
            ]
            table += set.entries.map { entry in
                let comment = CommentText.sanitise(entry.comment, limit: 200)
                return entry.prefix.description + (comment.isEmpty ? "" : " # \(comment)")
            }
            files[fileName(set)] = table.joined(separator: "\n") + "\n"
        }
        files["allowlist.pf"] = conf.joined(separator: "\n") + "\n"
        return files
    }

    static func fileName(_ set: FirewallSet) -> String { "\(set.name).pf" }
}
