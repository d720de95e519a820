import IPNet

/// `allowlist.nft`: one `nft -f` transaction.
///
/// By default it owns `table inet egressmap`: declare, delete and recreate it in one file (nft 1.0.6 has no
/// `destroy`), with interval sets. With `--nft-table FAMILY NAME` it flushes and refills sets inside a table
/// the user already has, which is how the user's own chains can match them: nft sets are visible only to
/// rules of their table.
enum NFTFormat {
    /// nft keeps at most 128 bytes of a comment.
    static let commentLimit = 128

    static func render(_ plan: FormatPlan, options: RenderOptions) -> String {
        var lines = ["#!/usr/sbin/nft -f"] + plan.header.map { "# " + $0 }
        if let table = options.nftTable {
            if let left = leftOut(plan.sets, by: table) { lines.append("# \(left).") }
            lines += fill(plan.sets.filter { table.holds($0.family) }, table: table)
        } else {
            lines += own(plan.sets, withRules: options.withRules)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The egressmap table, replaced as a whole.
    static func own(_ sets: [FirewallSet], withRules: Bool) -> [String] {
        var lines = [
            "# Load: nft -f allowlist.nft (one transaction: table inet egressmap is replaced as a whole).",
            "# Sets are visible only to rules of their own table: to match them from your chains, render with",
            "# --nft-table FAMILY NAME, which fills them inside your table instead.",
            "table inet egressmap",
            "delete table inet egressmap",
            "table inet egressmap {",
        ]
        for set in sets {
            lines.append("\tset \(set.name) {")
            lines += declaration(set).map { "\t\t" + $0 }
            if !set.entries.isEmpty {
                lines.append("\t\telements = {")
                lines += set.entries.map { "\t\t\t" + element($0) + "," }
                lines.append("\t\t}")
            }
            lines.append("\t}")
        }
        if withRules {
            lines += [
                "\t# --with-rules: accept rules for the sets, in base chains whose policy stays accept, so loading",
                "\t# this file never blocks anything. An accept here does not override a drop in another table.",
            ]
            for hook in ["output", "forward"] {
                lines.append("\tchain \(hook) {")
                lines.append("\t\ttype filter hook \(hook) priority filter; policy accept;")
                lines += sets.map { "\t\t" + match($0) + " accept" }
                lines.append("\t}")
            }
        }
        lines.append("}")
        return lines
    }

    /// Sets inside the user's table: added when missing, flushed and refilled in the same transaction.
    static func fill(_ sets: [FirewallSet], table: NFTTable) -> [String] {
        let path = "\(table.family) \(table.name)"
        var lines = [
            "# Load: nft -f allowlist.nft (one transaction). Table \(path) must exist; its sets are added",
            "# when missing, then flushed and refilled. Match them from your chains, for example:",
        ]
        if let first = sets.first { lines.append("#   \(match(first)) accept") }
        for set in sets {
            lines.append("add set \(path) \(set.name) { " + declaration(set).joined(separator: "; ") + "; }")
            lines.append("flush set \(path) \(set.name)")
            if !set.entries.isEmpty {
                lines.append("add element \(path) \(set.name) {")
                lines += set.entries.map { "\t" + element($0) + "," }
                lines.append("}")
            }
        }
        return lines
    }

    /// What a table of one family leaves out of the file, when the sets left out have entries: `table ip
    /// filter holds IPv4 sets only: the IPv6 sets (3 entries in 2 sets) are not written (an inet table holds
    /// both)`.
    static func leftOut(_ sets: [FirewallSet], by table: NFTTable) -> String? {
        let left = sets.filter { !table.holds($0.family) && !$0.entries.isEmpty }
        let count = left.reduce(0) { $0 + $1.entries.count }
        guard let family = left.first?.family else { return nil }
        let kept = family == .v4 ? "IPv6" : "IPv4"
        let entries = "\(count) entr\(count == 1 ? "y" : "ies") in \(left.count) set\(left.count == 1 ? "" : "s")"
        return "table \(table.family) \(table.name) holds \(kept) sets only: the \(family) sets (\(entries)) are not "
            + "written (an inet table holds both)"
    }

    static func declaration(_ set: FirewallSet) -> [String] {
        [
            "type \(set.isV4 ? "ipv4_addr" : "ipv6_addr")", "flags interval", "auto-merge",
            "comment \"\(set.service.description) \(set.family)\"",
        ]
    }

    static func element(_ entry: FirewallSet.Entry) -> String {
        let comment = CommentText.sanitise(entry.comment, limit: commentLimit)
        return entry.prefix.description + (comment.isEmpty ? "" : " comment \"\(comment)\"")
    }

    /// `ip daddr @world_v4_tcp443 tcp dport 443`.
    static func match(_ set: FirewallSet) -> String {
        "\(set.isV4 ? "ip" : "ip6") daddr @\(set.name) \(set.service.transport) dport \(set.service.port)"
    }
}
