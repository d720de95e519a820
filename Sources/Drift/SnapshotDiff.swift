/// What changed between two runs, for people (markdown, terminal) and automation (`diff.json`,
/// `Schemas/diff.schema.json`).
///
/// "Same" is DESIGN.md's: the same allowlist prefixes, the same addresses per name, the same outcome per name
/// and the same probe verdicts. TTLs and timings never count.
public struct SnapshotDiff: Codable, Sendable, Equatable {
    public static let currentSchema = "egressmap.diff/1"

    public var schema: String
    /// nil for the first run: everything is added.
    public var oldRun: String?
    public var newRun: String
    public var same: Bool
    public var headline: String
    /// Whether the new run published its allowlists, and if not, why.
    public var published: Bool
    public var publishNote: String?
    /// Files whose prefixes changed (`all` included), by name.
    public var allowlists: [ListChange]
    /// Names whose addresses, outcome or chain changed, or that came or left.
    public var names: [NameChange]
    public var probes: [ProbeChange]

    enum CodingKeys: String, CodingKey {
        case schema, same, headline, published, allowlists, names, probes
        case oldRun = "old_run"
        case newRun = "new_run"
        case publishNote = "publish_note"
    }

    public struct ListChange: Codable, Sendable, Equatable {
        public var name: String
        public var added: [String]
        public var removed: [String]
        /// Prefixes in the new list (so a reader sees the size of the change).
        public var count: Int
    }

    public struct NameChange: Codable, Sendable, Equatable {
        public var name: String
        /// The endpoints (labels) it comes from, in the new run (the old one for removed names).
        public var endpoints: [String]
        /// `added` (new in the manifest), `removed` (left it), or `changed`.
        public var change: String
        public var reason: String?
        public var added: [String]
        public var agedOut: [String]
        public var keptStale: [String]
        public var outcome: Transition?
        public var chain: ChainTransition?

        enum CodingKeys: String, CodingKey {
            case name, endpoints, change, reason, added, outcome, chain
            case agedOut = "aged_out"
            case keptStale = "kept_stale"
        }
    }

    public struct Transition: Codable, Sendable, Equatable {
        public var old: String
        public var new: String
    }

    public struct ChainTransition: Codable, Sendable, Equatable {
        public var old: [String]
        public var new: [String]
    }

    public struct ProbeChange: Codable, Sendable, Equatable {
        public var address: String
        public var port: Int
        /// nil when the pair was not probed before (or is no longer).
        public var old: String?
        public var new: String?
    }

    /// The diff from `old` (nil: the first run) to `new`.
    public init(old: Snapshot?, new: Snapshot) {
        self.init(old: old.map(DiffSide.init), new: DiffSide(new))
    }

    /// The diff from what it reads of `old` (nil: the first run) to what it reads of `new`.
    public init(old: DiffSide?, new: DiffSide) {
        schema = Self.currentSchema
        oldRun = old?.runID
        newRun = new.runID
        published = new.published
        publishNote = new.publishNote
        allowlists = Self.listChanges(old, new)
        names = Self.nameChanges(old, new)
        probes = Self.probeChanges(old, new)
        // Sets renamed (the manifest's name: or --set-prefix changed, and --force) are a change on the firewall,
        // though every prefix is the same: the old sets are still there, for someone to remove.
        let renamed = old?.setPrefix.flatMap { was in new.setPrefix.flatMap { was == $0 ? nil : (was, $0) } }
        same = allowlists.isEmpty && probes.isEmpty && renamed == nil
            && names.allSatisfy { $0.added.isEmpty && $0.agedOut.isEmpty && $0.outcome == nil && $0.change == "changed" }
        headline = Self.headline(
            old: old, new: new, lists: allowlists, names: names, probes: probes, same: same, renamed: renamed
        )
    }

    static func listChanges(_ old: DiffSide?, _ new: DiffSide) -> [ListChange] {
        let before = old?.lists ?? ["all": []]
        let after = new.lists
        var changes: [ListChange] = []
        for name in Set(before.keys).union(after.keys).sorted(by: listOrder) {
            let oldList = before[name] ?? []
            let newList = after[name] ?? []
            // A list as it was (most runs) or new (a first run) needs no sets: hashing two sets of every prefix
            // was a third of a 10,000-name first run's diff.
            if oldList == newList { continue }
            let added: [String]
            let removed: [String]
            if oldList.isEmpty || newList.isEmpty {
                (added, removed) = (newList, oldList)
            } else {
                let oldSet = Set(oldList)
                let newSet = Set(newList)
                added = newList.filter { !oldSet.contains($0) }
                removed = oldList.filter { !newSet.contains($0) }
            }
            if !added.isEmpty || !removed.isEmpty {
                changes.append(ListChange(name: name, added: added, removed: removed, count: newList.count))
            }
        }
        return changes
    }

    /// `all` first, then by protocol and port number.
    static func listOrder(_ a: String, _ b: String) -> Bool {
        func key(_ name: String) -> (Int, String, Int) {
            if name == "all" { return (0, "", 0) }
            let parts = name.split(separator: "-")
            return (1, String(parts.first ?? ""), parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
        }
        return key(a) < key(b)
    }

    static func nameChanges(_ old: DiffSide?, _ new: DiffSide) -> [NameChange] {
        // A snapshot writes its names sorted: the two sides are walked together, with no dictionary or set of
        // every name (which cost most of a 10,000-name first run's diff).
        let before = byName(old?.names ?? [])
        let after = byName(new.names)
        let oldLabels = old?.labels ?? [:]
        let newLabels = new.labels
        var changes: [NameChange] = []
        // Each side's name is read in place by its position: copying a name's record out of its array (six
        // references to retain and release) was most of the diff's time.
        var i = 0
        var j = 0
        while i < before.count || j < after.count {
            let was: Int?
            let now: Int?
            if j == after.count || (i < before.count && before[i].name < after[j].name) {
                (was, now) = (i, nil)
                i += 1
            } else if i == before.count || after[j].name < before[i].name {
                (was, now) = (nil, j)
                j += 1
            } else {
                (was, now) = (i, j)
                i += 1
                j += 1
            }
            let oldAddresses = was.map { before[$0].addresses } ?? []
            let newAddresses = now.map { after[$0].addresses } ?? []
            var change = NameChange(
                name: now.map { after[$0].name } ?? before[was!].name, endpoints: [], change: "changed", reason: nil,
                added: missing(newAddresses, from: oldAddresses),
                agedOut: missing(oldAddresses, from: newAddresses),
                keptStale: now.map { after[$0].stale } ?? [],
                outcome: nil, chain: nil
            )
            if let was, let now {
                let (oldOutcome, newOutcome) = (before[was].outcome, after[now].outcome)
                if oldOutcome != newOutcome { change.outcome = Transition(old: oldOutcome, new: newOutcome) }
                let oldChain = before[was].chain
                let newChain = after[now].chain
                if oldChain != newChain, !oldChain.isEmpty || !newChain.isEmpty, newOutcome == "ok", oldOutcome == "ok" {
                    change.chain = ChainTransition(old: oldChain, new: newChain)
                }
            } else if was == nil {
                change.change = "added"
                change.reason = old == nil ? "first run" : "new in the manifest"
            } else {
                change.change = "removed"
                change.reason = "left the manifest (or filtered out by --region/--os): its addresses leave at once"
            }
            let hasNews = change.change != "changed" || !change.added.isEmpty || !change.agedOut.isEmpty
                || !change.keptStale.isEmpty || change.outcome != nil || change.chain != nil
            if hasNews {
                // Labelled only when listed: most names of a run like the one before have no news.
                if let now {
                    change.endpoints = after[now].endpoints.compactMap { newLabels[$0] }
                } else if let was {
                    change.endpoints = before[was].endpoints.compactMap { oldLabels[$0] }
                }
                changes.append(change)
            }
        }
        return changes
    }

    /// The names sorted by name, each once (the first of a repeated name counts); a side read from a snapshot
    /// is sorted already and is returned as it is.
    static func byName(_ names: [DiffSide.Name]) -> [DiffSide.Name] {
        if names.indices.dropFirst().allSatisfy({ names[$0 - 1].name < names[$0].name }) { return names }
        var seen = Set<String>()
        return names.enumerated()
            .sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }
            .compactMap { seen.insert($0.element.name).inserted ? $0.element : nil }
    }

    /// The items of `items` that `other` lacks, in their order. A name has a few addresses: a scan of them
    /// costs less than hashing them into a set.
    static func missing(_ items: [String], from other: [String]) -> [String] {
        if items.isEmpty { return [] }
        if other.isEmpty { return items }
        if other.count <= 16 { return items.filter { !other.contains($0) } }
        let set = Set(other)
        return items.filter { !set.contains($0) }
    }

    static func probeChanges(_ old: DiffSide?, _ new: DiffSide) -> [ProbeChange] {
        guard let oldProbes = old?.probes, let newProbes = new.probes else { return [] }
        func key(_ probe: DiffSide.Probe) -> String { "\(probe.address)|\(probe.port)" }
        let before = Dictionary(oldProbes.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(newProbes.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [ProbeChange] = []
        for probe in newProbes where before[key(probe)]?.verdict != probe.verdict {
            changes.append(ProbeChange(address: probe.address, port: probe.port, old: before[key(probe)]?.verdict, new: probe.verdict))
        }
        for probe in oldProbes where after[key(probe)] == nil {
            changes.append(ProbeChange(address: probe.address, port: probe.port, old: probe.verdict, new: nil))
        }
        return changes.sorted { ($0.address, $0.port) < ($1.address, $1.port) }
    }

    static func headline(
        old: DiffSide?, new: DiffSide, lists: [ListChange], names: [NameChange], probes: [ProbeChange], same: Bool,
        renamed: (was: String, now: String)? = nil
    ) -> String {
        var parts: [String] = []
        if let renamed { parts.append("set names \(renamed.was)_* → \(renamed.now)_* (the old sets are to be removed)") }
        // Told, not counted as a change: what the new servers answer differently is drift of their making.
        if let was = old?.servers, let now = new.servers, Set(was) != Set(now) {
            parts.append("resolvers changed: \(was.joined(separator: ", ")) → \(now.joined(separator: ", "))")
        }
        let files = lists.filter { $0.name != "all" }
        for list in files {
            parts.append("+\(list.added.count) −\(list.removed.count) prefixes on \(list.name)")
        }
        let stale = names.filter { !$0.keptStale.isEmpty }.count
        var failing = 0
        for index in new.names.indices {
            switch new.names[index].outcome {
            case "ok", "nodata", "nxdomain": break
            default: failing += 1
            }
        }
        if failing > 0 {
            parts.append("\(failing) name\(failing == 1 ? "" : "s") failing" + (stale > 0 ? ", kept stale" : ""))
        }
        let outcomes = names.filter { $0.outcome != nil }.count
        if outcomes > 0 { parts.append("\(outcomes) outcome change\(outcomes == 1 ? "" : "s")") }
        let chains = names.filter { $0.chain != nil }.count
        if chains > 0 { parts.append("\(chains) chain change\(chains == 1 ? "" : "s")") }
        if !probes.isEmpty { parts.append("\(probes.count) probe change\(probes.count == 1 ? "" : "s")") }
        if !new.published { parts.append("not published") }
        if parts.isEmpty { return same ? "no change" : "addresses changed inside unchanged prefixes" }
        return (old == nil ? "first run: " : "") + parts.joined(separator: "; ")
    }
}
