/// What the diff reads of one snapshot: DESIGN.md's "same" (the allowlist prefixes, the addresses and
/// outcome of each name, the probe verdicts) and what a reader of the diff is shown beside it (endpoint
/// labels, CNAME chains, stale addresses). A run reads only this much of the previous snapshot, not all of it.
public struct DiffSide: Sendable, Equatable {
    public var runID: String
    public var published: Bool
    public var publishNote: String?
    /// Prefixes by list: `all`, then each allowlist file by name (`tcp-443`).
    public var lists: [String: [String]]
    public var names: [Name]
    /// Endpoint labels by index.
    public var labels: [Int: String]
    /// The probe verdicts; nil when probing was off or the snapshot has no reachability section.
    public var probes: [Probe]?
    /// The prefix of the set names its allowlists were written with (`Policy.setPrefix`).
    public var setPrefix: String?
    /// The servers asked (`ResolverInfo.servers`): another set of them explains drift DNS did not make.
    public var servers: [String]?

    public struct Name: Sendable, Equatable {
        public var name: String
        /// Indexes of the endpoints it comes from.
        public var endpoints: [Int]
        public var outcome: String
        public var addresses: [String]
        /// The addresses kept from history while its lookups fail.
        public var stale: [String]
        /// The CNAME targets of its first lookup that had a chain.
        public var chain: [String]
    }

    public struct Probe: Sendable, Equatable {
        public var address: String
        public var port: Int
        public var verdict: String
    }

    public init(
        runID: String, published: Bool, publishNote: String?, lists: [String: [String]], names: [Name],
        labels: [Int: String], probes: [Probe]?, setPrefix: String? = nil, servers: [String]? = nil
    ) {
        self.runID = runID
        self.published = published
        self.publishNote = publishNote
        self.lists = lists
        self.names = names
        self.labels = labels
        self.probes = probes
        self.setPrefix = setPrefix
        self.servers = servers
    }

    /// The side of a whole snapshot.
    public init(_ snapshot: Snapshot) {
        var lists = ["all": snapshot.all]
        for file in snapshot.allowlists { lists[file.name] = file.prefixes.map(\.prefix) }
        self.init(
            runID: snapshot.runID, published: snapshot.published, publishNote: snapshot.publishNote, lists: lists,
            names: snapshot.names.indices.map { Name($0, of: snapshot.names) },
            labels: Dictionary(snapshot.endpoints.map { ($0.index, $0.label) }, uniquingKeysWith: { first, _ in first }),
            probes: snapshot.reachability.flatMap { reachability in
                reachability.enabled
                    ? reachability.probes.map { Probe(address: $0.address, port: $0.port, verdict: $0.verdict) } : nil
            },
            setPrefix: snapshot.policy.setPrefix, servers: snapshot.resolvers.servers
        )
    }
}

extension DiffSide.Name {
    /// What the diff reads of the record at `index` of `records`. Read there by position, in place: passing
    /// the record, or `map` and `filter` over its lists, copied it first (every reference in it retained and
    /// released), which was most of this.
    init(_ index: Int, of records: [NameRecord]) {
        name = records[index].name
        endpoints = records[index].endpoints
        outcome = records[index].outcome
        let addressRecords = records[index].addresses
        addresses = addressRecords.indices.map { addressRecords[$0].address }
        stale = addressRecords.indices.compactMap {
            addressRecords[$0].source == "stale" ? addressRecords[$0].address : nil
        }
        let lookups = records[index].lookups
        if let chained = lookups.indices.first(where: { !lookups[$0].chain.isEmpty }) {
            let links = lookups[chained].chain
            chain = links.indices.map { links[$0].target }
        } else {
            chain = []
        }
    }
}
