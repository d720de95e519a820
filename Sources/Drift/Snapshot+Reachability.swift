/// What the run's TCP probes found: the settings, every (address, port) probed, the endpoint × port matrix
/// and, for each range that hosts must lie `within`, the check firewall teams ask for (the Apple case).
/// Everything the summary and `matrix.md` show, so they re-render from the snapshot without the network.
public struct Reachability: Codable, Sendable, Equatable {
    /// False when the run was told `--no-probe`: `probes` is empty and the matrix has no open counts.
    public var enabled: Bool
    public var timeoutMs: Int
    public var concurrency: Int
    /// Further attempts after a timeout.
    public var retries: Int
    /// Wall time of the probe phase.
    public var durationMs: Int
    /// Sorted by address (IPv4 first), then port.
    public var probes: [ProbeRecord]
    /// In manifest order of endpoints, then port.
    public var matrix: [MatrixCell]
    public var rangeChecks: [RangeCheck]

    public init(
        enabled: Bool, timeoutMs: Int, concurrency: Int, retries: Int, durationMs: Int, probes: [ProbeRecord],
        matrix: [MatrixCell], rangeChecks: [RangeCheck]
    ) {
        self.enabled = enabled
        self.timeoutMs = timeoutMs
        self.concurrency = concurrency
        self.retries = retries
        self.durationMs = durationMs
        self.probes = probes
        self.matrix = matrix
        self.rangeChecks = rangeChecks
    }

    enum CodingKeys: String, CodingKey {
        case enabled, concurrency, retries, probes, matrix
        case timeoutMs = "timeout_ms"
        case durationMs = "duration_ms"
        case rangeChecks = "range_checks"
    }
}

/// One TCP connect probe: an (address, port) pair and its verdict.
public struct ProbeRecord: Codable, Sendable, Equatable {
    public var address: String
    public var port: Int
    /// `open`, `refused`, `timeout`, `unreachable` or `error`.
    public var verdict: String
    public var attempts: Int
    /// Time to the verdict, for `open` (the handshake) and `refused` (the reset); null otherwise. A timing:
    /// it never counts as a change between runs.
    public var connectMs: Double?
    /// The errno behind `refused`, `unreachable` and `error` (`ECONNREFUSED`).
    public var detail: String?
    /// Indexes of the endpoints that asked for this pair (a host's names, or a range the address lies in).
    public var endpoints: [Int]
    /// Names that resolved to the address, sorted.
    public var names: [String]

    public init(
        address: String, port: Int, verdict: String, attempts: Int, connectMs: Double?, detail: String?,
        endpoints: [Int], names: [String]
    ) {
        self.address = address
        self.port = port
        self.verdict = verdict
        self.attempts = attempts
        self.connectMs = connectMs
        self.detail = detail
        self.endpoints = endpoints
        self.names = names
    }

    enum CodingKeys: String, CodingKey {
        case address, port, verdict, attempts, detail, endpoints, names
        case connectMs = "connect_ms"
    }
}

/// One cell of the reachability matrix: an endpoint and one of its TCP ports.
public struct MatrixCell: Codable, Sendable, Equatable {
    public var endpoint: Int
    public var label: String
    public var port: Int
    /// Addresses probed on the port for this endpoint.
    public var total: Int
    /// How many of them were open; null when probing was off.
    public var open: Int?
    /// Count per verdict (only verdicts that occurred).
    public var verdicts: [String: Int]

    public init(endpoint: Int, label: String, port: Int, total: Int, open: Int?, verdicts: [String: Int]) {
        self.endpoint = endpoint
        self.label = label
        self.port = port
        self.total = total
        self.open = open
        self.verdicts = verdicts
    }
}

/// For a declared range that host endpoints must lie `within`: how many addresses the hosts resolved to,
/// which fall outside (with the chain that led there), and per required port how many are open.
public struct RangeCheck: Codable, Sendable, Equatable {
    /// The range endpoint's index and label (`apple 17.0.0.0/8`).
    public var endpoint: Int
    public var label: String
    public var prefix: String
    /// Indexes of the host endpoints with `within:` naming the range.
    public var hosts: [Int]
    /// Names those hosts resolved.
    public var names: Int
    /// Distinct addresses the names resolved to, and how many lie inside the prefix.
    public var addresses: Int
    public var inside: Int
    public var outside: [OutsideAddress]
    /// The range's TCP ports, sorted.
    public var ports: [RangePort]

    public init(
        endpoint: Int, label: String, prefix: String, hosts: [Int], names: Int, addresses: Int, inside: Int,
        outside: [OutsideAddress], ports: [RangePort]
    ) {
        self.endpoint = endpoint
        self.label = label
        self.prefix = prefix
        self.hosts = hosts
        self.names = names
        self.addresses = addresses
        self.inside = inside
        self.outside = outside
        self.ports = ports
    }
}

/// An address of a `within` host that lies outside the range, and how DNS got there.
public struct OutsideAddress: Codable, Sendable, Equatable {
    public var address: String
    public var name: String
    /// The CNAME hops as `name → target`; empty when the name answered directly.
    public var chain: [String]

    public init(address: String, name: String, chain: [String]) {
        self.address = address
        self.name = name
        self.chain = chain
    }
}

/// One required port of a range: of the inside addresses probed on it, how many were open.
public struct RangePort: Codable, Sendable, Equatable {
    public var port: Int
    public var total: Int
    /// Null when probing was off.
    public var open: Int?

    public init(port: Int, total: Int, open: Int?) {
        self.port = port
        self.total = total
        self.open = open
    }
}
