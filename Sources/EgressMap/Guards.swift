import Drift
import IPNet

/// The guards that stop a run from publishing what would cause an outage (DESIGN.md, "Safety rules").
public enum Guards {
    public struct Verdict: Sendable, Equatable {
        public var publish: Bool
        /// Why not, or what was overridden.
        public var note: String?
        /// 0 publish; 3 a guard refused; 4 every lookup failed.
        public var exitCode: Int32
    }

    /// Judges a run: every lookup failed (exit 4); more than half of the names failed (exit 3); the set names
    /// would change (exit 3 unless `force`); any published list of 8 or more prefixes would lose more than
    /// `maxShrinkPercent` of them, a prefix being lost when the proposed list no longer covers all of its
    /// addresses (exit 3 unless `force`).
    ///
    /// - Parameter published: the lists now published, by file name without `.txt`, `all` included.
    /// - Parameter setPrefixes: the prefix of the set names of the published run and of this one (nil where
    ///   no format writes named sets, or the published run did not record it).
    /// - Parameter commonFailure: why most of the failed names failed (`timeout from 192.0.2.53:53: …`) and
    ///   how many failed so: said in the note when a failure guard holds, so the reader sees why at once.
    public static func judge(
        names: Int, failed: Int, files: [AllowlistFile], all: [String], published: [String: [String]],
        safety: RunRequest.Safety, commonFailure: (reason: String, names: Int)? = nil,
        setPrefixes: (published: String?, proposed: String?) = (nil, nil)
    ) -> Verdict {
        // `(70 of 70 names: error from 192.0.2.53:53: …)`, `(38 of them: timeout from …)`
        func why(_ counted: String) -> String {
            commonFailure.map { " (\($0.names) of \(counted): \($0.reason))" } ?? ""
        }
        if names > 0 && failed == names {
            return Verdict(
                publish: false,
                note: "every lookup failed\(why("\(names) names")): nothing published; the allowlists in place are "
                    + "untouched",
                exitCode: 4
            )
        }
        if failed * 2 > names {
            // No override: the failed names' addresses are kept anyway (stale), and what would be published
            // rests on less than half of the answers. Names that fail for good are the manifest's to drop.
            return Verdict(
                publish: false,
                note: "failure guard: \(failed) of \(names) names failed\(why("them")), more than half, so DNS is "
                    + "not trusted this time; nothing published, the allowlists in place are untouched. If these "
                    + "names fail for good, take them out of the manifest"
                    + (safety.force ? " (--force overrides the shrink and set-name guards only)" : ""),
                exitCode: 3
            )
        }
        // The firewall's rules name the sets in place. Under new names (the manifest's `name:` or --set-prefix
        // changed), the new sets would be filled and the old ones, which the rules use, kept as they are.
        var overridden: [String] = []
        if let was = setPrefixes.published, let now = setPrefixes.proposed, was != now {
            let change = "the set names would change from \(was)_* to \(now)_*"
            guard safety.force else {
                return Verdict(
                    publish: false,
                    note: "set-name guard: \(change) (the manifest's name: or --set-prefix changed), and the "
                        + "firewall's rules name the sets in place, which would keep their entries; nothing "
                        + "published, the allowlists in place are untouched (--set-prefix \(was) keeps the names; "
                        + "--force publishes under the new ones, and the old sets are then yours to remove)",
                    exitCode: 3
                )
            }
            overridden.append("set-name guard overridden by --force: set names changed from \(was)_* to \(now)_*; "
                + "the old sets are yours to remove")
        }
        // Only the lists a guard looks at are made sets: a first run has none, and making every list a set
        // cost more than the rest of judging.
        func proposed(_ name: String) -> IPAddressSet {
            let texts = name == "all" ? all : files.first { $0.name == name }?.prefixes.map(\.prefix) ?? []
            return IPAddressSet(texts.compactMap { try? IPPrefix(parsing: $0) })
        }
        var losers: [(name: String, lost: Int, total: Int)] = []
        for (name, old) in published where old.count >= 8 {
            // A prefix is lost when the proposed list no longer covers every address of it: two prefixes
            // merged into one (an address found between them) lose nothing, though the line is gone.
            let cover = proposed(name)
            let lost = old.filter { text in (try? IPPrefix(parsing: text)).map { !cover.contains($0) } ?? true }.count
            if Double(lost) * 100 > safety.maxShrinkPercent * Double(old.count) {
                losers.append((name, lost, old.count))
            }
        }
        guard !losers.isEmpty else {
            return Verdict(publish: true, note: overridden.isEmpty ? nil : overridden.joined(separator: "; "), exitCode: 0)
        }
        losers.sort { (Double($0.lost) / Double($0.total), $0.name) > (Double($1.lost) / Double($1.total), $1.name) }
        let list = losers.prefix(5).map { "\($0.name) would lose \($0.lost) of \($0.total) prefixes (\($0.lost * 100 / $0.total)%)" }
            .joined(separator: ", ")
        let limit = "more than --max-shrink \(Int(safety.maxShrinkPercent))%"
        if safety.force {
            overridden.append("shrink guard overridden by --force: \(list)")
            return Verdict(publish: true, note: overridden.joined(separator: "; "), exitCode: 0)
        }
        return Verdict(
            publish: false,
            note: "shrink guard: \(list), \(limit); nothing published, the allowlists in place are untouched "
                + "(--force publishes anyway)",
            exitCode: 3
        )
    }
}
