import IPNet

/// `allowlist.rsc`: a RouterOS script (`/import allowlist.rsc`) that replaces each address list: the old
/// entries of the list are removed, the new ones added, with sanitised comments (no `"`, `$` or `\`, which
/// RouterOS strings would interpret).
enum MikroTikFormat {
    static let commentLimit = 255

    static func render(_ plan: FormatPlan) -> String {
        var lines = plan.header.map { "# " + $0 }
        lines.append("# Load on the router: /import file-name=allowlist.rsc (replaces each list below).")
        for family in [IPFamily.v4, .v6] {
            lines.append(family == .v4 ? "/ip firewall address-list" : "/ipv6 firewall address-list")
            for set in plan.sets where set.family == family {
                lines.append("remove [find list=\(set.name)]")
                for entry in set.entries {
                    let comment = CommentText.sanitise(entry.comment, limit: commentLimit)
                    lines.append(
                        "add list=\(set.name) address=\(entry.prefix)"
                            + (comment.isEmpty ? "" : " comment=\"\(comment)\"")
                    )
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
