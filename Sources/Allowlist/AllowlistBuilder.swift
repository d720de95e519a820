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

    /// Builds every service's file (sorted by protocol, then port) and the aggregate of them all.
    ///
    /// Each file holds the minimal CIDR cover of its contributions, and each prefix carries the endpoints
    /// and names whose addresses fall inside it.
    public static func build(_ contributions: [Contribution]) -> (files: [AllowlistFile], all: [String]) {
        let byService = Dictionary(grouping: contributions, by: \.service)
        let services = byService.keys.sorted { serviceOrder($0) < serviceOrder($1) }
        var files: [AllowlistFile] = []
        for service in services {
            let items = byService[service] ?? []
            let prefixes = IPAddressSet(items.map(\.prefix)).prefixes
            var endpoints = Array(repeating: Set<String>(), count: prefixes.count)
            var names = Array(repeating: Set<String>(), count: prefixes.count)
            var fresh = Array(repeating: false, count: prefixes.count)
            for item in items {
                guard let index = containing(item.prefix, in: prefixes) else { continue }
                endpoints[index].insert(item.endpoint)
                if let name = item.name { names[index].insert(name) }
                if !item.stale { fresh[index] = true }
            }
            files.append(AllowlistFile(
                name: fileName(for: service), service: service,
                prefixes: prefixes.indices.map { index in
                    AllowlistEntry(
                        prefix: prefixes[index].description, endpoints: endpoints[index].sorted(),
                        names: names[index].sorted(), stale: !fresh[index]
                    )
                }
            ))
        }
        let all = IPAddressSet(contributions.map(\.prefix)).prefixes.map(\.description)
        return (files, all)
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
