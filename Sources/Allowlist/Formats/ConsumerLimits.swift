import Drift

/// Known limits of the appliances that consume the lists. A list past one is written whole and a warning
/// says so: egressmap never cuts a list silently (a cut list is an outage that looks like success).
public enum ConsumerLimits {
    /// PAN-OS: 50,000 IP addresses across external dynamic lists on most models (150,000 on the largest);
    /// entries past it are skipped with a system log.
    public static let panOSEntries = 50_000
    /// FortiOS before 7.4.4: 128K entries (or 10 MB) per external IP feed; 7.4.4 and later count 300,000
    /// IP entries across all feeds.
    public static let fortiGateEntries = 128_000
    /// ipset's default `maxelem`, which the sets of `allowlist.ipset` use.
    public static let ipsetEntries = 65_536
    /// AWS: a prefix list counts `MaxEntries` rules against each security group that references it; the
    /// default quota is 60 inbound and 60 outbound rules per group.
    public static let awsSecurityGroupRules = 60
    /// AWS: the default quota of entries of a customer-managed prefix list.
    public static let awsPrefixListEntries = 1_000

    /// One sentence per list that is over a limit of a consumer of the chosen formats.
    public static func warnings(_ snapshot: Snapshot, options: RenderOptions) -> [String] {
        var warnings: [String] = []
        let plain =
            [("all.txt", snapshot.all.count)] + snapshot.allowlists.map { ("\($0.name).txt", $0.prefixes.count) }
        for (file, count) in plain {
            if count > panOSEntries {
                warnings.append(
                    "\(file) has \(count) entries: over the \(panOSEntries) IP addresses PAN-OS external dynamic "
                        + "lists hold on most models; the firewall skips the rest"
                )
            }
            if count > fortiGateEntries {
                warnings.append(
                    "\(file) has \(count) entries: over the \(fortiGateEntries) entries of a FortiGate IP threat "
                        + "feed (FortiOS before 7.4.4); the rest are truncated"
                )
            }
        }
        // Only these formats have per-set limits: without them the sets (every entry parsed and commented, a
        // twentieth of a 10,000-name run) are not needed.
        let familyTable = options.formats.contains(.nft) ? options.nftTable.flatMap { $0.holdsBoth ? nil : $0 } : nil
        guard options.formats.contains(.ipset) || options.formats.contains(.awsPrefixList) || familyTable != nil,
            let plan = try? FormatPlan(snapshot, options: options)
        else { return warnings }
        if let familyTable, let left = NFTFormat.leftOut(plan.sets, by: familyTable) {
            warnings.append("allowlist.nft: \(left)")
        }
        for set in plan.sets {
            let count = set.entries.count
            if options.formats.contains(.ipset) && count > ipsetEntries {
                warnings.append(
                    "ipset \(set.name) has \(count) entries: over ipset's default maxelem \(ipsetEntries); the "
                        + "load will fail until the set is created with a larger maxelem"
                )
            }
            if options.formats.contains(.awsPrefixList) && count > awsSecurityGroupRules {
                warnings.append(
                    "AWS prefix list \(set.name) needs MaxEntries \(count): a security group that references it "
                        + "spends \(count) of its default \(awsSecurityGroupRules) rules"
                        + (count > awsPrefixListEntries
                            ? ", and it is over the default quota of \(awsPrefixListEntries) entries per list" : "")
                )
            }
        }
        return warnings
    }
}
