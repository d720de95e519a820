/// The whole of one run, as written to `snapshots/<run id>.json` and `latest.json`: the contract between
/// observing (DNS, TCP) and emitting (allowlists, diffs, reports). Emitters read snapshots, never the network.
///
/// Everything is sorted and every key is written in a fixed order, so two runs over the same answers give
/// the same bytes apart from their times (`run_id`, `started_at`, `finished_at`, `duration_ms`) and the
/// TTLs a caching resolver counts down. The schema is `Schemas/snapshot.schema.json`.
public struct Snapshot: Codable, Sendable, Equatable {
    public static let currentSchema = "egressmap.snapshot/1"

    public var schema: String
    public var runID: String
    public var startedAt: String
    public var finishedAt: String
    public var durationMs: Int
    public var manifest: ManifestInfo
    public var resolvers: ResolverInfo
    public var endpoints: [EndpointRecord]
    public var names: [NameRecord]
    public var findings: [Finding]
    public var counts: Counts
    public var allowlists: [AllowlistFile]
    /// Every prefix of every allowlist file, aggregated: the content of `all.txt`.
    public var all: [String]
    /// Whether the run published its allowlists, and if not, why.
    public var published: Bool
    public var publishNote: String?
    /// The retention and guard settings the allowlists were built under.
    public var policy: Policy
    /// The TCP probes and what they show; nil in snapshots written before probing existed.
    public var reachability: Reachability?

    public init(
        runID: String, startedAt: String, finishedAt: String, durationMs: Int, manifest: ManifestInfo,
        resolvers: ResolverInfo, endpoints: [EndpointRecord], names: [NameRecord], findings: [Finding],
        counts: Counts, allowlists: [AllowlistFile], all: [String], published: Bool, publishNote: String?,
        policy: Policy, reachability: Reachability? = nil
    ) {
        self.policy = policy
        self.schema = Self.currentSchema
        self.runID = runID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationMs = durationMs
        self.manifest = manifest
        self.resolvers = resolvers
        self.endpoints = endpoints
        self.names = names
        self.findings = findings
        self.counts = counts
        self.allowlists = allowlists
        self.all = all
        self.published = published
        self.publishNote = publishNote
        self.reachability = reachability
    }

    enum CodingKeys: String, CodingKey {
        case schema, manifest, resolvers, endpoints, names, findings, counts, allowlists, all, published, policy
        case reachability
        case runID = "run_id"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case durationMs = "duration_ms"
        case publishNote = "publish_note"
    }
}

/// How the allowlists of a run were built and guarded.
public struct Policy: Codable, Sendable, Equatable {
    public var retainMs: Int64
    public var staleLimitMs: Int64
    public var maxShrinkPercent: Double
    public var forced: Bool
    /// The prefix of the set names of the folder's lists (`corp_edge` of `corp_edge_v4_tcp443`): the run's,
    /// when one of its formats writes named sets, else the one the published run before it recorded (so a
    /// run with the default formats does not lose it); nil when no run wrote sets. A firewall's rules name the
    /// sets, so a run checks its own against the published run's, and `emit` names the sets after it.
    public var setPrefix: String?

    public init(
        retainMs: Int64, staleLimitMs: Int64, maxShrinkPercent: Double, forced: Bool, setPrefix: String? = nil
    ) {
        self.retainMs = retainMs
        self.staleLimitMs = staleLimitMs
        self.maxShrinkPercent = maxShrinkPercent
        self.forced = forced
        self.setPrefix = setPrefix
    }

    enum CodingKeys: String, CodingKey {
        case forced
        case retainMs = "retain_ms"
        case staleLimitMs = "stale_limit_ms"
        case maxShrinkPercent = "max_shrink_percent"
        case setPrefix = "set_prefix"
    }
}

/// Which manifest the run used, with what variables and filters.
public struct ManifestInfo: Codable, Sendable, Equatable {
    public var name: String
    /// The file, or `bundled:iru` for the embedded one.
    public var source: String
    /// SHA-256 of the manifest's bytes, hex.
    public var sha256: String
    public var variables: [String: String]
    public var region: String?
    public var os: String?

    public init(name: String, source: String, sha256: String, variables: [String: String], region: String?, os: String?) {
        self.name = name
        self.source = source
        self.sha256 = sha256
        self.variables = variables
        self.region = region
        self.os = os
    }
}

/// How the run asked DNS.
public struct ResolverInfo: Codable, Sendable, Equatable {
    public var profile: String
    public var mode: String
    public var servers: [String]
    public var timeoutMs: Int
    public var tries: Int
    public var rounds: Int

    public init(profile: String, mode: String, servers: [String], timeoutMs: Int, tries: Int, rounds: Int) {
        self.profile = profile
        self.mode = mode
        self.servers = servers
        self.timeoutMs = timeoutMs
        self.tries = tries
        self.rounds = rounds
    }

    enum CodingKeys: String, CodingKey {
        case profile, mode, servers, tries, rounds
        case timeoutMs = "timeout_ms"
    }
}

/// One entry of the manifest's `endpoints:` as the run saw it.
public struct EndpointRecord: Codable, Sendable, Equatable {
    public var index: Int
    /// The `host:` pattern, or the range's name and prefix.
    public var label: String
    /// `host` or `range`.
    public var kind: String
    public var location: String
    /// `tcp/443`, sorted.
    public var services: [String]
    public var purpose: String?
    public var region: String?
    public var os: [String]
    /// For ranges: the prefix.
    public var prefix: String?
    /// The names resolved for it, sorted.
    public var names: [String]
    /// Why it was not resolved (a missing variable), if so.
    public var skipped: String?

    public init(
        index: Int, label: String, kind: String, location: String, services: [String], purpose: String?,
        region: String?, os: [String], prefix: String?, names: [String], skipped: String?
    ) {
        self.index = index
        self.label = label
        self.kind = kind
        self.location = location
        self.services = services
        self.purpose = purpose
        self.region = region
        self.os = os
        self.prefix = prefix
        self.names = names
        self.skipped = skipped
    }
}
