import Hostnames
import IPNet

/// What a run resolves and allows: the names expanded from a manifest, its ranges, and what was left out.
public struct Expansion: Hashable, Sendable, Codable {
    /// Every name to resolve, in the order the manifest first produces it, duplicates merged.
    public var targets: [Target]
    /// The range endpoints kept by the filters, in file order.
    public var ranges: [RangeEndpoint]
    /// Every wildcard zone, with its samples and its catch-all probe.
    public var wildcards: [WildcardZone]
    /// Host endpoints left out because a variable they need was not given.
    public var skipped: [SkippedEndpoint]

    public init(targets: [Target] = [], ranges: [RangeEndpoint] = [], wildcards: [WildcardZone] = [],
                skipped: [SkippedEndpoint] = []) {
        self.targets = targets
        self.ranges = ranges
        self.wildcards = wildcards
        self.skipped = skipped
    }

    /// The target names, in order.
    public var names: [DomainName] { targets.map(\.name) }
}

/// One name to resolve, with everything the run needs to know about it.
public struct Target: Hashable, Sendable, Codable {
    public var name: DomainName
    /// Why the name is resolved: it is listed, it samples a wildcard, or it probes for a catch-all record.
    public var role: Role
    /// The endpoints that produce the name (more than one when entries overlap), in file order.
    public var sources: [EndpointReference]
    /// The ports to allow and probe, sorted.
    public var services: [Service]
    /// Constraints every resolved address must meet (each must hold); empty when none.
    public var within: [Within]

    public init(name: DomainName, role: Role, sources: [EndpointReference], services: [Service],
                within: [Within] = []) {
        self.name = name
        self.role = role
        self.sources = sources
        self.services = services
        self.within = within
    }

    /// The port numbers, whatever the transport, sorted.
    public var ports: [UInt16] { Set(services.map(\.port)).sorted() }
}

/// Why a name is resolved.
public enum Role: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The manifest lists the name (after variables and braces).
    case exact
    /// A known label put in place of the `*` of a wildcard over `zone`.
    case sample(zone: DomainName)
    /// A random-looking label under `zone` (`WildcardZone.probeLabel(for:)`): if it resolves, the zone has a
    /// catch-all (wildcard) record and the samples' addresses are what any name gets; if not, only the
    /// samples' own answers are known.
    case catchAllProbe(zone: DomainName)

    /// `exact`, `sample` or `catch-all-probe`.
    public var description: String {
        switch self {
        case .exact: "exact"
        case .sample: "sample"
        case .catchAllProbe: "catch-all-probe"
        }
    }

    /// Lower ranks win when one name is produced in two roles.
    var rank: Int {
        switch self {
        case .exact: 0
        case .sample: 1
        case .catchAllProbe: 2
        }
    }
}

/// A wildcard zone (`c.lencr.org` for `*.c.lencr.org`), what enumerates it, and how to detect a catch-all.
public struct WildcardZone: Hashable, Sendable, Codable {
    public var zone: DomainName
    /// The sample names (`r10.c.lencr.org`…); empty when no label is known.
    public var samples: [DomainName]
    /// The catch-all probe name, `probeLabel(for: zone)` under the zone.
    public var probe: DomainName
    public var sources: [EndpointReference]

    public init(zone: DomainName, samples: [DomainName], probe: DomainName, sources: [EndpointReference]) {
        self.zone = zone
        self.samples = samples
        self.probe = probe
        self.sources = sources
    }

    /// `_em-` and 10 letters and digits drawn from a hash of `zone`'s name: random-looking, so that no real
    /// name has it, and the same in every run of every manifest. Were it drawn per manifest, any edit of the
    /// manifest (a comment) would rename every probe, and the next run's diff would report each probe gone
    /// and a new one found: drift where the DNS had not changed.
    public static func probeLabel(for zone: DomainName) -> String {
        // FNV-1a over the name (what seeds the draw need not be secret, only spread).
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in zone.text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var generator = SeededGenerator(seed: hash)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return "_em-" + String((0..<10).map { _ in alphabet[Int(generator.next(upperBound: UInt(36)))] })
    }

    /// False when no sample is known: only the probe is resolved.
    public var isEnumerable: Bool { !samples.isEmpty }

    /// What a report should say about the zone before the probe's answer is known.
    public var note: String {
        isEnumerable
            ? "*.\(zone): \(samples.count) sample name(s); the probe tells whether the zone has a catch-all"
            : "*.\(zone) cannot be enumerated; needs an FQDN/SNI rule unless the zone has a catch-all"
    }
}

/// A host endpoint left out because variables it needs were not given.
public struct SkippedEndpoint: Hashable, Sendable, Codable, CustomStringConvertible {
    public var endpoint: EndpointReference
    /// The variables that were missing, in the order the pattern uses them.
    public var missing: [String]

    public init(endpoint: EndpointReference, missing: [String]) {
        self.endpoint = endpoint
        self.missing = missing
    }

    /// The flags that supply the missing values: `--var subdomain=…`.
    public var flags: [String] { missing.map { "--var \($0)=…" } }

    public var description: String {
        "skipped \(endpoint.label) (\(endpoint.location)): needs \(flags.joined(separator: " "))"
    }
}

/// Which endpoints to keep: by region and platform. Nil keeps everything.
public struct ExpansionFilter: Hashable, Sendable, Codable {
    /// Keeps endpoints of this region and those without a region.
    public var region: String?
    /// Keeps endpoints listing this platform or `all`.
    public var platform: Platform?

    public init(region: String? = nil, platform: Platform? = nil) {
        self.region = region
        self.platform = platform
    }

    /// True when `endpoint` passes both filters.
    public func keeps(_ endpoint: Endpoint) -> Bool {
        if let region, let own = endpoint.region, own != region { return false }
        if let platform, !endpoint.platforms.contains(.all), !endpoint.platforms.contains(platform) { return false }
        return true
    }
}
