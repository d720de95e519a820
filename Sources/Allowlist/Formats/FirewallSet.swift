import Drift
import IPNet

/// One set of a firewall format: the prefixes of one address family for one protocol-port, parsed from the
/// snapshot, so only values that are addresses reach a file.
public struct FirewallSet: Sendable, Equatable {
    /// One prefix and what put it there, already sanitised (not yet cut to a tool's limit).
    public struct Entry: Sendable, Equatable {
        public var prefix: IPPrefix
        public var comment: String
    }

    /// `world_v4_tcp443`.
    public var name: String
    public var family: IPFamily
    public var service: ServiceName
    public var entries: [Entry]

    /// `ip`/`ip6` for nft and ipset types.
    var isV4: Bool { family == .v4 }
}

/// Everything a format renders from: the sets, in a fixed order, and the run's identity for headers.
public struct FormatPlan: Sendable {
    public var naming: SetNaming
    /// Per service (the snapshot's order), IPv4 then IPv6; both families always, so rules that name a set
    /// still load when a run found no address of that family.
    public var sets: [FirewallSet]
    /// `egressmap allowlist for manifest world, run 20261129T043000.123Z` (sanitised).
    public var title: String
    public var manifestName: String
    public var runID: String
    public var startedAt: String

    /// Parses every prefix and service of `snapshot`, checks names against the chosen formats' limits.
    /// - Throws: `FormatError` for a prefix or service that does not parse, or a name over a limit.
    public init(_ snapshot: Snapshot, options: RenderOptions) throws(FormatError) {
        naming = try SetNaming(prefix: options.setPrefix, manifestName: snapshot.manifest.name)
        manifestName = CommentText.sanitise(snapshot.manifest.name, limit: 64)
        runID = CommentText.sanitise(snapshot.runID, limit: 64)
        startedAt = snapshot.startedAt
        title = "egressmap allowlist for manifest \(manifestName), run \(runID)"
        var purposes: [String: [String]] = [:]
        for endpoint in snapshot.endpoints {
            if let purpose = endpoint.purpose { purposes[endpoint.label, default: []].append(purpose) }
        }
        var sets: [FirewallSet] = []
        for file in snapshot.allowlists {
            let service = try ServiceName(file.service)
            var byFamily: [IPFamily: [FirewallSet.Entry]] = [.v4: [], .v6: []]
            for entry in file.prefixes {
                let prefix: IPPrefix
                do {
                    prefix = try IPPrefix(parsing: entry.prefix)
                } catch {
                    throw FormatError(
                        "allowlist \(file.service): \"\(CommentText.visible(entry.prefix))\" is not a prefix: \(error)"
                    )
                }
                let who = entry.names.isEmpty ? entry.endpoints : entry.names
                let why = Array(Set(entry.endpoints.flatMap { purposes[$0] ?? [] })).sorted()
                let text = (who + (why.isEmpty ? [] : ["-"] + why)).joined(separator: " ")
                byFamily[prefix.family, default: []].append(
                    FirewallSet.Entry(prefix: prefix, comment: CommentText.sanitise(text, limit: 1024))
                )
            }
            for family in [IPFamily.v4, .v6] {
                let name = naming.name(family, service)
                try naming.checkLimits(name, formats: options.formats)
                sets.append(
                    FirewallSet(
                        name: name, family: family, service: service,
                        entries: (byFamily[family] ?? []).sorted {
                            $0.prefix < $1.prefix
                        }
                    ))
            }
        }
        var seen: Set<String> = []
        for set in sets where !seen.insert(set.name).inserted {
            throw FormatError("allowlist \(set.service.description) appears twice in the snapshot")
        }
        self.sets = sets
    }

    /// Header lines shared by every format, without the tool's comment marker.
    var header: [String] {
        ["\(title).", "Written by egressmap from the run's snapshot; do not edit: the next run replaces it."]
    }
}
