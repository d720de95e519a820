import DNS
import IPNet

/// What a name's lookups add up to: one outcome, and every address with its TTL and how often it was seen.
public struct NameSummary: Sendable {
    public struct SeenAddress: Sendable, Hashable {
        public var address: IPAddress
        public var type: RecordType
        /// The lowest TTL it was seen with.
        public var ttl: UInt32
        /// In how many rounds it appeared (at any server).
        public var rounds: Int
        /// The servers that returned it, in configuration order.
        public var servers: [ServerAddress]
    }

    public var outcome: Outcome
    /// Sorted: IPv4 first, then IPv6, numerically.
    public var addresses: [SeenAddress]
    /// The longest CNAME chain seen (the chains of one name rarely differ; the diff stage compares them).
    public var chain: [CNAMELink]

    /// Sums up `lookups`: ok when any lookup found addresses; otherwise an answer (NODATA before NXDOMAIN)
    /// when any server gave one; otherwise the first failure.
    public init(_ lookups: [RoundLookup]) {
        var byAddress: [IPAddress: (seen: SeenAddress, rounds: Set<Int>)] = [:]
        var chain: [CNAMELink] = []
        for lookup in lookups {
            let answer = lookup.answer
            if answer.chain.count > chain.count { chain = answer.chain }
            for record in answer.addresses {
                var entry = byAddress[record.address]
                    ?? (SeenAddress(address: record.address, type: answer.type, ttl: record.ttl, rounds: 0, servers: []), [])
                entry.seen.ttl = min(entry.seen.ttl, record.ttl)
                entry.rounds.insert(lookup.round)
                if !entry.seen.servers.contains(answer.server) { entry.seen.servers.append(answer.server) }
                byAddress[record.address] = entry
            }
        }
        addresses = byAddress.values.map { entry in
            var seen = entry.seen
            seen.rounds = entry.rounds.count
            return seen
        }.sorted { $0.address < $1.address }
        self.chain = chain
        let outcomes = lookups.map(\.answer.outcome)
        if !addresses.isEmpty {
            outcome = .ok
        } else if outcomes.contains(.nodata) {
            outcome = .nodata
        } else if outcomes.contains(.nxdomain) {
            outcome = .nxdomain
        } else {
            outcome = outcomes.first ?? .error
        }
    }
}
