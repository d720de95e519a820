import Hostnames
import IPNet

/// A decoded manifest: the endpoints a vendor requires, as names, name patterns and address ranges.
///
/// Build one with `Manifest(yaml:file:)`, `Manifest(contentsOf:)` or `Manifest.bundled(_:)`; turn it into the
/// names to resolve with `expand(variables:filter:using:)`.
public struct Manifest: Hashable, Sendable {
    /// The schema version; only `1` exists.
    public var version: Int
    /// The manifest's name (`iru`).
    public var name: String
    /// A free-text description, kept verbatim.
    public var description: String?
    /// The file the manifest was read from, as given (used in every location).
    public var file: String
    /// The placeholders host patterns may use, in file order.
    public var variables: [Variable]
    /// Every entry of `endpoints:`, in file order.
    public var endpoints: [Endpoint]

    public init(version: Int = 1, name: String, description: String? = nil, file: String,
                variables: [Variable] = [], endpoints: [Endpoint] = []) {
        self.version = version
        self.name = name
        self.description = description
        self.file = file
        self.variables = variables
        self.endpoints = endpoints
    }

    /// The host endpoints, in file order.
    public var hosts: [HostEndpoint] {
        endpoints.compactMap { if case .host(let host) = $0 { host } else { nil } }
    }

    /// The range endpoints, in file order.
    public var ranges: [RangeEndpoint] {
        endpoints.compactMap { if case .range(let range) = $0 { range } else { nil } }
    }

    /// The range called `name`, if any.
    public func range(named name: String) -> RangeEndpoint? {
        ranges.first { $0.name == name }
    }

    /// Every service some endpoint needs (its transport with each of its ports), each once.
    public var services: Set<Service> {
        var services: Set<Service> = []
        for endpoint in endpoints {
            let common = endpoint.common
            for port in common.ports { services.insert(Service(common.transport, port)) }
        }
        return services
    }

    /// The regions endpoints declare, sorted.
    public var regions: [String] { Set(endpoints.compactMap(\.region)).sorted() }
}

/// A placeholder such as `subdomain`, put into host patterns as `{subdomain}` and given with `--var`.
public struct Variable: Hashable, Sendable, Codable {
    public var name: String
    public var description: String?
    public var location: SourceLocation

    public init(name: String, description: String? = nil, location: SourceLocation) {
        self.name = name
        self.description = description
        self.location = location
    }
}

/// One entry of `endpoints:`: a host (name, pattern or wildcard) or an address range.
///
/// Indirect: an endpoint is copied whenever it is read from a list or switched over, and a copy of a boxed one
/// retains one box, not every string and list of the entry.
public indirect enum Endpoint: Hashable, Sendable {
    case host(HostEndpoint)
    case range(RangeEndpoint)

    /// The 0-based position in `endpoints:`.
    public var index: Int {
        switch self {
        case .host(let host): host.common.index
        case .range(let range): range.common.index
        }
    }

    public var location: SourceLocation {
        switch self {
        case .host(let host): host.common.location
        case .range(let range): range.common.location
        }
    }

    public var region: String? {
        switch self {
        case .host(let host): host.common.region
        case .range(let range): range.common.region
        }
    }

    public var platforms: [Platform] {
        switch self {
        case .host(let host): host.common.platforms
        case .range(let range): range.common.platforms
        }
    }
    public var reference: EndpointReference {
        switch self {
        case .host(let host): host.reference
        case .range(let range): range.reference
        }
    }

    public var common: EndpointCommon {
        switch self {
        case .host(let host): host.common
        case .range(let range): range.common
        }
    }
}

/// What host and range endpoints share: position, services, filters and the vendor's description.
public struct EndpointCommon: Hashable, Sendable, Codable {
    /// The 0-based position in `endpoints:`.
    public var index: Int
    /// Where the entry starts in the file.
    public var location: SourceLocation
    /// The ports, sorted, without duplicates.
    public var ports: [UInt16]
    /// `tcp` unless the entry says `protocol: udp`.
    public var transport: Transport
    /// The platforms that need the endpoint; `[.all]` when the entry has no `os:`.
    public var platforms: [Platform]
    /// `us`, `eu`…; nil for an endpoint every region needs.
    public var region: String?
    /// The vendor's description, verbatim (emitters sanitise it; control characters other than tab are
    /// rejected when decoding).
    public var purpose: String?

    public init(index: Int, location: SourceLocation, ports: [UInt16], transport: Transport = .tcp,
                platforms: [Platform] = [.all], region: String? = nil, purpose: String? = nil) {
        self.index = index
        self.location = location
        self.ports = ports
        self.transport = transport
        self.platforms = platforms
        self.region = region
        self.purpose = purpose
    }

    /// Each port with the transport: `tcp/443`.
    public var services: [Service] { ports.map { Service(transport, $0) } }
}

/// A host entry: an exact name, a pattern with `{variables}` and brace ranges, or a `*.zone` wildcard.
public struct HostEndpoint: Hashable, Sendable {
    public var common: EndpointCommon
    /// The `host:` value, parsed.
    public var pattern: HostPattern
    /// Labels put in place of `*` (wildcards only), each a pattern that may use braces.
    public var samples: [HostPattern]
    /// Where every resolved address must lie, if the entry says `within:`.
    public var within: Within?

    public init(common: EndpointCommon, pattern: HostPattern, samples: [HostPattern] = [], within: Within? = nil) {
        self.common = common
        self.pattern = pattern
        self.samples = samples
        self.within = within
    }

    public var reference: EndpointReference {
        EndpointReference(index: common.index, label: pattern.text, location: common.location)
    }
}

/// A range entry: a prefix allowed as a whole (`17.0.0.0/8`), optionally named for `within:`.
public struct RangeEndpoint: Hashable, Sendable, Codable {
    public var common: EndpointCommon
    public var prefix: IPPrefix
    /// The name `within:` refers to (`apple`).
    public var name: String?

    public init(common: EndpointCommon, prefix: IPPrefix, name: String? = nil) {
        self.common = common
        self.prefix = prefix
        self.name = name
    }

    public var reference: EndpointReference {
        EndpointReference(index: common.index, label: name.map { "\($0) \(prefix)" } ?? "\(prefix)",
                          location: common.location)
    }

    /// Shorter prefixes than these are a warning: `0.0.0.0/0` in a manifest made every list of its ports,
    /// and all.txt (which merges every port), allow everything, with no word. Apple's `17.0.0.0/8` is not.
    public static let broadLengths: [IPFamily: Int] = [.v4: 8, .v6: 16]

    /// What to say of a range broader than `broadLengths`, nil for others.
    public var breadthWarning: String? {
        guard let limit = Self.broadLengths[prefix.family], prefix.length < limit else { return nil }
        let family = prefix.family == .v4 ? "IPv4" : "IPv6"
        let share = prefix.length == 0 ? "all" : "1/\(1 << min(prefix.length, 62))"
        return "range \(reference.label) covers \(share) of \(family), shorter than /\(limit): it is allowed whole "
            + "on \(common.services.map(\.description).joined(separator: ",")) and in all.txt; make sure the vendor "
            + "means it"
    }

    enum CodingKeys: String, CodingKey { case common, prefix, name }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        common = try container.decode(EndpointCommon.self, forKey: .common)
        prefix = try container.decode(PrefixText.self, forKey: .prefix).prefix
        name = try container.decodeIfPresent(String.self, forKey: .name)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(common, forKey: .common)
        try container.encode(PrefixText(prefix), forKey: .prefix)
        try container.encodeIfPresent(name, forKey: .name)
    }
}

/// Where a host's addresses must lie: a named range of the manifest or a list of prefixes.
public struct Within: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The range's name when `within:` named one.
    public var rangeName: String?
    public var prefixes: [IPPrefix]

    public init(rangeName: String? = nil, prefixes: [IPPrefix]) {
        self.rangeName = rangeName
        self.prefixes = prefixes
    }

    /// True when some prefix holds `address`.
    public func contains(_ address: IPAddress) -> Bool { prefixes.contains { $0.contains(address) } }

    public var description: String {
        let list = prefixes.map(\.description).joined(separator: ",")
        return rangeName.map { "\($0) (\(list))" } ?? list
    }

    enum CodingKeys: String, CodingKey { case rangeName, prefixes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rangeName = try container.decodeIfPresent(String.self, forKey: .rangeName)
        prefixes = try container.decode([PrefixText].self, forKey: .prefixes).map(\.prefix)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(rangeName, forKey: .rangeName)
        try container.encode(prefixes.map(PrefixText.init), forKey: .prefixes)
    }
}

/// An `IPPrefix` coded as its text (`17.0.0.0/8`).
struct PrefixText: Codable {
    var prefix: IPPrefix
    init(_ prefix: IPPrefix) { self.prefix = prefix }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            prefix = try IPPrefix(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(prefix.description)
    }
}
