/// One resolved name: why it was asked, what each server said, and every address with its verdict.
public struct NameRecord: Codable, Sendable, Equatable {
    public var name: String
    /// `exact`, `sample` or `catch-all-probe`.
    public var role: String
    /// For samples and probes: the wildcard's zone.
    public var zone: String?
    /// Indexes of the endpoints it comes from.
    public var endpoints: [Int]
    public var services: [String]
    /// The name's outcome over every lookup: ok when any found addresses.
    public var outcome: String
    public var lookups: [LookupRecord]
    /// Sorted: IPv4 first, then IPv6.
    public var addresses: [AddressRecordSnapshot]

    public init(
        name: String, role: String, zone: String?, endpoints: [Int], services: [String], outcome: String,
        lookups: [LookupRecord], addresses: [AddressRecordSnapshot]
    ) {
        self.name = name
        self.role = role
        self.zone = zone
        self.endpoints = endpoints
        self.services = services
        self.outcome = outcome
        self.lookups = lookups
        self.addresses = addresses
    }
}

/// What one server said about one type of a name, over every round.
public struct LookupRecord: Codable, Sendable, Equatable {
    public var server: String
    public var type: String
    /// The last round's outcome.
    public var outcome: String
    /// How many rounds ended with each outcome.
    public var rounds: [String: Int]
    /// The CNAME chain as `name -> target` hops, from the last round that had one.
    public var chain: [ChainLink]
    public var ttl: UInt32?
    public var negativeTTL: UInt32?
    public var detail: String?

    public init(
        server: String, type: String, outcome: String, rounds: [String: Int], chain: [ChainLink], ttl: UInt32?,
        negativeTTL: UInt32?, detail: String?
    ) {
        self.server = server
        self.type = type
        self.outcome = outcome
        self.rounds = rounds
        self.chain = chain
        self.ttl = ttl
        self.negativeTTL = negativeTTL
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case server, type, outcome, rounds, chain, ttl, detail
        case negativeTTL = "negative_ttl"
    }
}

/// One CNAME hop.
public struct ChainLink: Codable, Sendable, Equatable {
    public var name: String
    public var target: String
    public var ttl: UInt32

    public init(name: String, target: String, ttl: UInt32) {
        self.name = name
        self.target = target
        self.ttl = ttl
    }
}

/// An address a name resolved to, and what the run made of it.
public struct AddressRecordSnapshot: Codable, Sendable, Equatable {
    public var address: String
    public var type: String
    public var ttl: UInt32
    /// In how many rounds it was seen.
    public var rounds: Int
    public var servers: [String]
    /// `emitted` (in the allowlists), `covered` (inside a declared range that has its ports),
    /// or `special` (a special-purpose block, not emitted).
    public var status: String
    /// For `special`: the block and its reason; for `covered`: the range.
    public var note: String?
    /// The services it is emitted for (empty when covered or special).
    public var emittedFor: [String]
    /// `answer` (seen in this run), `retained` (seen within `--retain`, not in this run's answer) or
    /// `stale` (the name's lookups failed; kept from history up to `--stale-limit`).
    public var source: String
    /// When the history first and last saw it (ISO 8601 UTC).
    public var firstSeen: String
    public var lastSeen: String

    public init(
        address: String, type: String, ttl: UInt32, rounds: Int, servers: [String], status: String, note: String?,
        emittedFor: [String], source: String = "answer", firstSeen: String, lastSeen: String
    ) {
        self.source = source
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.address = address
        self.type = type
        self.ttl = ttl
        self.rounds = rounds
        self.servers = servers
        self.status = status
        self.note = note
        self.emittedFor = emittedFor
    }

    enum CodingKeys: String, CodingKey {
        case address, type, ttl, rounds, servers, status, note, source
        case emittedFor = "emitted_for"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
    }
}

/// Something a firewall team should read: an address outside a declared range, a sinkholed name, a skipped
/// endpoint, a wildcard that cannot be enumerated, a failed lookup.
public struct Finding: Codable, Sendable, Equatable, Comparable {
    /// `outside-range`, `special-purpose`, `sinkholed`, `skipped-endpoint`, `catch-all`, `samples-only`,
    /// `not-enumerable`, `lookup-failed`, `no-address`, `addresses-capped`, `volatile`, `server-failed`.
    public var kind: String
    /// `warning` or `info`.
    public var severity: String
    public var endpoint: Int?
    public var name: String?
    public var address: String?
    public var chain: [String]
    public var message: String

    public init(
        kind: String, severity: String, endpoint: Int?, name: String?, address: String?, chain: [String] = [],
        message: String
    ) {
        self.kind = kind
        self.severity = severity
        self.endpoint = endpoint
        self.name = name
        self.address = address
        self.chain = chain
        self.message = message
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.kind, lhs.endpoint ?? -1, lhs.name ?? "", lhs.address ?? "", lhs.message)
            < (rhs.kind, rhs.endpoint ?? -1, rhs.name ?? "", rhs.address ?? "", rhs.message)
    }
}

/// Totals for the summary and the history.
public struct Counts: Codable, Sendable, Equatable {
    public var endpoints: Int
    public var names: Int
    public var namesOK: Int
    public var namesFailed: Int
    public var addresses: Int
    public var prefixes: Int

    public init(endpoints: Int, names: Int, namesOK: Int, namesFailed: Int, addresses: Int, prefixes: Int) {
        self.endpoints = endpoints
        self.names = names
        self.namesOK = namesOK
        self.namesFailed = namesFailed
        self.addresses = addresses
        self.prefixes = prefixes
    }

    enum CodingKeys: String, CodingKey {
        case endpoints, names, addresses, prefixes
        case namesOK = "names_ok"
        case namesFailed = "names_failed"
    }
}

/// One allowlist file (`tcp-443`): its aggregated prefixes, each with where it came from.
public struct AllowlistFile: Codable, Sendable, Equatable {
    /// `tcp-443`.
    public var name: String
    /// `tcp/443`.
    public var service: String
    public var prefixes: [AllowlistEntry]

    public init(name: String, service: String, prefixes: [AllowlistEntry]) {
        self.name = name
        self.service = service
        self.prefixes = prefixes
    }
}

/// One aggregated prefix and its provenance.
public struct AllowlistEntry: Codable, Sendable, Equatable {
    public var prefix: String
    /// Labels of the endpoints that contributed, sorted.
    public var endpoints: [String]
    /// Names whose addresses fall in it, sorted (empty for a declared range alone).
    public var names: [String]
    /// True when everything in it comes from names whose lookups failed (kept from history).
    public var stale: Bool

    public init(prefix: String, endpoints: [String], names: [String], stale: Bool = false) {
        self.prefix = prefix
        self.endpoints = endpoints
        self.names = names
        self.stale = stale
    }
}
