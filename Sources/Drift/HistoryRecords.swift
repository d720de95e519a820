import GRDB

/// One run in the history.
public struct RunRow: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "run"
    public var id: String
    public var startedMs: Int64
    public var manifestName: String
    public var manifestSHA256: String
    /// The servers, comma-separated.
    public var resolvers: String
    public var names: Int
    public var namesOK: Int
    public var namesFailed: Int
    public var prefixes: Int
    public var published: Bool
    public var note: String?

    public init(
        id: String, startedMs: Int64, manifestName: String, manifestSHA256: String, resolvers: String, names: Int,
        namesOK: Int, namesFailed: Int, prefixes: Int, published: Bool, note: String?
    ) {
        self.id = id
        self.startedMs = startedMs
        self.manifestName = manifestName
        self.manifestSHA256 = manifestSHA256
        self.resolvers = resolvers
        self.names = names
        self.namesOK = namesOK
        self.namesFailed = namesFailed
        self.prefixes = prefixes
        self.published = published
        self.note = note
    }
}

/// A name and an address it resolved to: when first and last seen, how often.
public struct Sighting: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sighting"
    public var name: String
    public var address: String
    public var type: String
    public var firstSeenMs: Int64
    public var lastSeenMs: Int64
    public var lastRun: String
    public var runs: Int
    public var rounds: Int
    /// The CNAME chain it came through, as `a → b → c`.
    public var chain: String
}

/// What one run saw of one name, for the history.
public struct NameObservation: Sendable {
    public struct Seen: Sendable {
        public var address: String
        public var type: String
        public var rounds: Int

        public init(address: String, type: String, rounds: Int) {
            self.address = address
            self.type = type
            self.rounds = rounds
        }
    }

    public var name: String
    public var outcome: String
    /// Whether the server answered (ok, NODATA, NXDOMAIN) rather than failed.
    public var answered: Bool
    public var chain: String
    public var addresses: [Seen]

    public init(name: String, outcome: String, answered: Bool, chain: String, addresses: [Seen]) {
        self.name = name
        self.outcome = outcome
        self.answered = answered
        self.chain = chain
        self.addresses = addresses
    }
}

extension NameObservation {
    /// What a run saw of the name at `index` of `records`, for the history: its answers only (not the stale
    /// addresses kept from history), and its CNAME chain as `name → target → …`. Read there by position, in
    /// place: `map` and `filter` over the records copied each one first (every reference in it retained and
    /// released), which was most of this.
    public init(_ index: Int, of records: [NameRecord]) {
        let outcome = records[index].outcome
        var chain = records[index].name
        let lookups = records[index].lookups
        if let chained = lookups.indices.first(where: { !lookups[$0].chain.isEmpty }) {
            let links = lookups[chained].chain
            for link in links.indices { chain += " → " + links[link].target }
        }
        let addresses = records[index].addresses
        self.init(
            name: records[index].name, outcome: outcome,
            answered: outcome == "ok" || outcome == "nodata" || outcome == "nxdomain",
            chain: chain,
            addresses: addresses.indices.compactMap { position in
                addresses[position].source == "answer"
                    ? Seen(
                        address: addresses[position].address, type: addresses[position].type,
                        rounds: addresses[position].rounds
                    ) : nil
            }
        )
    }
}
