import Drift

/// The run summary people read on the terminal: counts, prefixes per allowlist file, findings, and whether
/// the run published. `quiet` keeps only the problems.
public enum RunSummary {
    /// `rowLimit`: how many lines of findings, rows of the reachability table and addresses outside a range
    /// to show (nil: all); the rest are counted, and are all in the snapshot and `matrix.md`.
    public static func render(
        _ snapshot: Snapshot, output: String, colors: Bool, quiet: Bool, rowLimit: Int? = nil
    ) -> String {
        let paint = Paint(enabled: colors)
        var lines: [String] = []
        let counts = snapshot.counts
        let warnings = snapshot.findings.filter { $0.severity == "warning" }
        if !quiet {
            lines.append(paint.bold("egressmap run \(snapshot.runID)")
                + " — manifest \(snapshot.manifest.name) (\(snapshot.manifest.source)), \(snapshot.resolvers.mode) over "
                + snapshot.resolvers.servers.joined(separator: ", "))
            let noAddress = snapshot.names.filter {
                $0.role != "catch-all-probe" && ($0.outcome == "nodata" || $0.outcome == "nxdomain")
            }.count
            // A probe that finds no catch-all (NXDOMAIN, NODATA) is neither ok nor failed nor a name without an
            // address: counted apart, so that the parts add up to the names.
            let noCatchAll = snapshot.names.filter {
                $0.role == "catch-all-probe" && ($0.outcome == "nodata" || $0.outcome == "nxdomain")
            }.count
            lines.append(
                "\(plural(counts.endpoints, "endpoint")), \(plural(counts.names, "name")) over "
                    + "\(plural(snapshot.resolvers.rounds, "round")): \(paint.green("\(counts.namesOK) ok")), "
                    + "\(noAddress) without address, "
                    + (counts.namesFailed > 0 ? paint.red("\(counts.namesFailed) failed") : "0 failed")
                    + (noCatchAll > 0 ? ", \(plural(noCatchAll, "probe")) found no catch-all" : "")
                    + "; \(plural(counts.addresses, "address", "addresses")), \(snapshot.durationMs) ms"
            )
            // What a refused run would have published is not in all.txt: the lists in place are untouched.
            lines.append((snapshot.published ? "allowlists: " : "allowlists this run would publish: ")
                + "\(plural(snapshot.all.count, "prefix", "prefixes")) in all.txt")
            let width = snapshot.allowlists.map(\.name.count).max() ?? 0
            for file in snapshot.allowlists {
                lines.append("  \(file.name.padding(width))  \(file.prefixes.count) prefix\(file.prefixes.count == 1 ? "" : "es")")
            }
        }
        let shown = quiet ? warnings : snapshot.findings
        if !shown.isEmpty {
            lines.append(quiet ? "problems (\(shown.count)):" : "findings (\(snapshot.findings.count), \(warnings.count) to act on):")
            let groups = grouped(shown.sorted(by: severityFirst))
            for group in groups.prefix(rowLimit ?? groups.count) {
                let mark = group.first.severity == "warning" ? paint.yellow("!") : paint.dim("i")
                lines.append("  \(mark) \(group.first.kind.padding(16)) \(group.text)")
            }
            if let rowLimit, groups.count > rowLimit {
                let hidden = groups.dropFirst(rowLimit).reduce(0) { $0 + $1.count }
                lines.append(quiet
                    ? paint.more(hidden, "problem", "problems", in: "latest.json")
                    : paint.more(hidden, "finding", "findings", in: "latest.json"))
            }
        }
        if !quiet, let reachability = snapshot.reachability {
            lines += ReachabilityReport.summaryLines(
                reachability, endpoints: snapshot.endpoints, paint: paint, rowLimit: rowLimit
            )
        }
        // Why a run published nothing is the reason of its exit status: `refusal`, said on stderr.
        if snapshot.published, !quiet {
            lines.append(paint.green("published") + " \(output)/allowlist (generation \(snapshot.runID))")
        }
        return lines.joined(separator: "\n")
    }

    /// Why the run published nothing, for stderr (with the other reasons a command gives for its exit
    /// status, so that `run --quiet >/dev/null` in cron still mails it); nil when it published.
    public static func refusal(_ snapshot: Snapshot) -> String? {
        snapshot.published ? nil : "not published: \(snapshot.publishNote ?? "no reason given")"
    }

    /// One line per name: outcome and addresses with what became of each (for `--verbose`).
    public static func names(_ snapshot: Snapshot, colors: Bool) -> String {
        let paint = Paint(enabled: colors)
        let width = snapshot.names.map(\.name.count).max() ?? 0
        return snapshot.names.map { name in
            let outcome = name.outcome == "ok" ? paint.green(name.outcome.padding(11)) : paint.yellow(name.outcome.padding(11))
            let addresses = name.addresses.map { address in
                address.status == "emitted" && address.source == "answer" ? address.address : "\(address.address) (\(address.source == "answer" ? address.status : address.source))"
            }
            return "  \(name.name.padding(width))  \(outcome) \(addresses.joined(separator: " "))"
        }.joined(separator: "\n")
    }

    /// Findings of one kind that say the same of several names (`www.example.com: lookup failed (…)`), as
    /// one line past `groupedFrom` of them: a dead resolver under a 10,000-name manifest printed 10,000
    /// lines. The snapshot keeps every finding.
    static func grouped(_ findings: [Finding]) -> [(first: Finding, text: String, count: Int)] {
        var order: [String] = []
        var groups: [String: [Finding]] = [:]
        for finding in findings {
            let key = "\(finding.severity) \(finding.kind) \(sharedMessage(finding) ?? "\u{0}\(order.count)")"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(finding)
        }
        return order.flatMap { key -> [(first: Finding, text: String, count: Int)] in
            let members = groups[key]!
            guard members.count >= groupedFrom, let shared = sharedMessage(members[0]) else {
                return members.map { ($0, $0.message, 1) }
            }
            let names = members.prefix(namesShown).compactMap(\.name).joined(separator: ", ")
            return [
                (members[0], "\(members.count) names: \(shared): \(names) and \(members.count - namesShown) more",
                 members.count)
            ]
        }
    }

    /// What a finding says past its name, for one that begins `name: `.
    private static func sharedMessage(_ finding: Finding) -> String? {
        guard let name = finding.name, finding.message.hasPrefix(name + ": ") else { return nil }
        return String(finding.message.dropFirst(name.count + 2))
    }

    private static let groupedFrom = 5
    private static let namesShown = 3

    private static func severityFirst(_ a: Finding, _ b: Finding) -> Bool {
        (a.severity == "warning" ? 0 : 1, a) < (b.severity == "warning" ? 0 : 1, b)
    }
}

/// ANSI colours, or plain text when they are off (not a terminal, or `NO_COLOR`).
public struct Paint: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    public func bold(_ text: String) -> String { wrap(text, "1") }

    /// The line that ends a list a summary cut short, and says where the rest are:
    /// `  … 9975 more names: diff.md, or --verbose`.
    func more(_ hidden: Int, _ one: String, _ many: String, in file: String) -> String {
        dim("  … \(hidden) more \(hidden == 1 ? one : many): \(file), or --verbose")
    }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

extension String {
    /// The text padded with spaces to `width` characters (never cut).
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// `1 name`, `3 names`; `many` for an irregular plural (`addresses`).
func plural(_ count: Int, _ one: String, _ many: String? = nil) -> String {
    "\(count) \(count == 1 ? one : many ?? one + "s")"
}
