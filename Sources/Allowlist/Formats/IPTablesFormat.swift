import IPNet

/// `allowlist.iptables` / `allowlist.ip6tables`, for `iptables-restore --noflush`: an own chain, flushed
/// and refilled with one accept per set. The jump into it is the user's one-time step, never appended on
/// reload (a reload would otherwise add one more jump each time).
enum IPTablesFormat {
    /// The comment match keeps 255 bytes.
    static let commentLimit = 255

    static func render(_ plan: FormatPlan, family: IPFamily, chain: String) -> String {
        let tool = family == .v4 ? "iptables" : "ip6tables"
        let file = "allowlist.\(tool)"
        var lines = plan.header.map { "# " + $0 }
        lines += [
            "# Needs the sets of allowlist.ipset: load that first (ipset restore < allowlist.ipset).",
            "# Load: \(tool)-restore --noflush \(file) (flushes and refills chain \(chain) only).",
            "# One-time step, yours (not repeated on reload): jump to the chain from OUTPUT and/or FORWARD,",
            "#   \(tool) -I OUTPUT -j \(chain)",
            "#   \(tool) -I FORWARD -j \(chain)",
            "*filter",
            ":\(chain) - [0:0]",
            "-F \(chain)",
        ]
        for set in plan.sets where set.family == family {
            let service = set.service
            let comment = CommentText.sanitise(
                "egressmap \(plan.manifestName) \(service.description)", limit: commentLimit
            )
            lines.append(
                "-A \(chain) -p \(service.transport) -m set --match-set \(set.name) dst -m \(service.transport) "
                    + "--dport \(service.port) -m comment --comment \"\(comment)\" -j ACCEPT"
            )
        }
        lines.append("COMMIT")
        return lines.joined(separator: "\n") + "\n"
    }
}
