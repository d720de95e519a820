import IPNet

/// `allowlist.asa`: one `object-group network` per family and port, for the configuration mode of a Cisco
/// ASA. Each group is removed and recreated with its `network-object` lines: mask notation for IPv4,
/// prefix notation for IPv6, `host` for single addresses.
enum CiscoASAFormat {
    /// ASA keeps descriptions of up to 200 characters.
    static let descriptionLimit = 200

    static func render(_ plan: FormatPlan) -> String {
        var lines = plan.header.map { "! " + $0 }
        lines += [
            "! Paste in configuration mode (configure terminal). Each group is removed and recreated.",
            "! The ASA refuses to remove a group an access list uses: the lines then add to the group and",
            "! entries no longer listed stay; remove those with no network-object (egressmap diff lists them).",
            "! Groups with no entries are skipped (the ASA rejects empty groups in access lists).",
        ]
        for set in plan.sets where !set.entries.isEmpty {
            let description = CommentText.sanitise(
                "egressmap \(plan.manifestName) \(set.service.description) \(set.family)", limit: descriptionLimit
            )
            lines += ["no object-group network \(set.name)", "object-group network \(set.name)"]
            lines.append(" description \(description)")
            lines += set.entries.map { " network-object " + object($0.prefix) }
            lines.append("exit")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `host 1.2.3.4`, `17.0.0.0 255.0.0.0`, `host 2001:db8::1`, `2001:db8::/32`.
    static func object(_ prefix: IPPrefix) -> String {
        if prefix.length == prefix.family.bitWidth { return "host \(prefix.address)" }
        switch prefix {
        case .v4(let v4): return "\(v4.address) \(v4.netmask)"
        case .v6: return prefix.description
        }
    }
}
