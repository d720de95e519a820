import Drift
import IPNet

/// One thing that puts addresses into an allowlist: a resolved address or a declared range, for a service.
public struct Contribution: Sendable, Hashable {
    /// `tcp/443`.
    public var service: String
    public var prefix: IPPrefix
    /// The endpoint's label (`*.c.lencr.org`, `apple 17.0.0.0/8`).
    public var endpoint: String
    /// The name that resolved to it; nil for a declared range.
    public var name: String?
    /// Kept from history while the name's lookups fail.
    public var stale: Bool

    public init(service: String, prefix: IPPrefix, endpoint: String, name: String?, stale: Bool = false) {
        self.service = service
        self.prefix = prefix
        self.endpoint = endpoint
        self.name = name
        self.stale = stale
    }
}

/// Aggregates contributions into allowlist files: one per service, plus the combined list.
public enum AllowlistBuilder {
    /// The file name of a service's list: `tcp/443` becomes `tcp-443`.
    public static func fileName(for service: String) -> String {
        String(service.map { $0 == "/" ? "-" : $0 })
    }

    /// The service of a list's file name: `tcp-443` is `tcp/443`; nil for `all` and any other name.
    public static func service(ofFileName name: String) -> String? {
        let service = String(name.map { $0 == "-" ? "/" : $0 })
        guard let parsed = try? ServiceName(service), fileName(for: parsed.description) == name else { return nil }
        return parsed.description
    }

    /// Builds every service's file (sorted by protocol, then port) and the aggregate of them all.
    ///
    /// Each file holds the minimal CIDR cover of its contributions, and each prefix carries the endpoints
    /// and names whose addresses fall inside it. Each service of `listed` has its file even when nothing
    /// contributes to it: an empty list is published, and a firewall's set is emptied with it.
    public static func build(
        _ contributions: [Contribution], listed: Set<String> = []
    ) -> (files: [AllowlistFile], all: [String]) {
        var groups = positionsByService(contributions)
        let contributed = Set(groups.map(\.service))
        groups += listed.subtracting(contributed).map { ($0, []) }
        let byService = groups.sorted { serviceOrder($0.service) < serviceOrder($1.service) }
        var files: [AllowlistFile] = []
        var aggregated: [IPPrefix] = []
        for (service, items) in byService {
            let prefixes = IPAddressSet(items.map { contributions[$0].prefix }).prefixes
            aggregated += prefixes
            // Lists, made sorted and distinct at the end: most prefixes have one endpoint and one name, and a
            // set per prefix cost more than the aggregation.
            var endpoints = Array(repeating: [String](), count: prefixes.count)
            var names = Array(repeating: [String](), count: prefixes.count)
            var fresh = Array(repeating: false, count: prefixes.count)
            // Contributions read in place (a copy retained its texts), and a repeat of the endpoint or name just
            // listed is not listed again: a name's addresses come together, and when they merge into one prefix
            // its lists no longer need sorting (that sorting was a sixth of building the allowlists).
            for position in items {
                guard let index = containing(contributions[position].prefix, in: prefixes) else { continue }
                if endpoints[index].last != contributions[position].endpoint {
                    endpoints[index].append(contributions[position].endpoint)
                }
                if let name = contributions[position].name, names[index].last != name { names[index].append(name) }
                if !contributions[position].stale { fresh[index] = true }
            }
            files.append(AllowlistFile(
                name: fileName(for: service), service: service,
                prefixes: prefixes.indices.map { index in
                    AllowlistEntry(
                        prefix: prefixes[index].description, endpoints: sortedDistinct(endpoints[index]),
                        names: sortedDistinct(names[index]), stale: !fresh[index]
                    )
                }
            ))
        }
        // The cover of every contribution is the cover of the files' covers, which are far fewer; with one
        // file, it is that file's list, whose texts are made already.
        if files.count == 1 { return (files, files[0].prefixes.map(\.prefix)) }
        let all = IPAddressSet(aggregated).prefixes.map(\.description)
        return (files, all)
    }

    /// The positions of the contributions of each service, services in order of first appearance. A run has
    /// a few services, and a contribution nearly always has the service of the one before it: found by a
    /// scan from the last one, not by hashing every contribution's service.
    static func positionsByService(_ contributions: [Contribution]) -> [(service: String, items: [Int])] {
        var groups: [(service: String, items: [Int])] = []
        var last = 0
        for position in contributions.indices {
            let service = contributions[position].service
            if groups.indices.contains(last), groups[last].service == service {
                groups[last].items.append(position)
            } else if let found = groups.firstIndex(where: { $0.service == service }) {
                groups[found].items.append(position)
                last = found
            } else {
                groups.append((service, [position]))
                last = groups.count - 1
            }
        }
        return groups
    }

    /// `items` sorted, each once.
    static func sortedDistinct(_ items: [String]) -> [String] {
        guard items.count > 1 else { return items }
        var result: [String] = []
        for item in items.sorted() where result.last != item { result.append(item) }
        return result
    }

    /// The index of the aggregated prefix that holds `prefix` (the list is sorted and disjoint).
    static func containing(_ prefix: IPPrefix, in sorted: [IPPrefix]) -> Int? {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].first <= prefix.first { low = middle + 1 } else { high = middle }
        }
        let index = low - 1
        return index >= 0 && sorted[index].contains(prefix) ? index : nil
    }

    /// `tcp/443` orders by protocol name, then port number.
    static func serviceOrder(_ service: String) -> (String, Int) {
        let parts = service.split(separator: "/")
        return (String(parts.first ?? ""), parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
    }
}
